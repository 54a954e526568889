"""Regional animation teams (ZRAR) and what they deliver."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.validators import (
    validate_document,
)
from ksr_portal.workflow import StateMachine

from ..choices import (
    DeliverableKindChoices,
    DeliverableStatusChoices,
)


class AnimationTeam(TimestampedModel):
    """A regional animation team (ZRAR): animators who build local networks and support clubs."""

    scope_paths = ScopePaths(region="region")

    region = models.OneToOneField(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="animation_team",
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
    )
    members = models.ManyToManyField(
        verbose_name=_("members"),
        to=settings.AUTH_USER_MODEL,
        related_name="animation_teams",
        blank=True,
    )
    supported_clubs = models.ManyToManyField(
        verbose_name=_("supported clubs"),
        to="clubs.Club",
        related_name="animation_teams",
        blank=True,
    )

    class Meta:
        ordering = ["region"]
        verbose_name = _("animation team")
        verbose_name_plural = _("animation teams")

    def __str__(self):
        return self.name


D = DeliverableStatusChoices
DELIVERABLE_TRANSITIONS = {
    "start": (_("Start work"), [D.PLANNED], D.IN_PROGRESS),
    "submit": (_("Submit"), [D.PLANNED, D.IN_PROGRESS], D.SUBMITTED),
    "send_back": (_("Send back for corrections"), [D.SUBMITTED], D.IN_PROGRESS),
    "accept": (_("Accept"), [D.SUBMITTED], D.ACCEPTED),
}


class AnimationDeliverable(StateMachine, TimestampedModel):
    """A document an animation team owes: the animation plan or its recommendations.

    The team submits it; whoever commissioned it accepts it or sends it back: ROPS staff of the region
    or the national coordinator (the `accept` permission), never the animators who wrote it.
    """

    scope_paths = ScopePaths(region="team__region")
    transitions = DELIVERABLE_TRANSITIONS
    initial_statuses = [D.PLANNED]

    team = models.ForeignKey(
        verbose_name=_("animation team"),
        to="networks.AnimationTeam",
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=30,
        choices=DeliverableKindChoices,
    )
    title = models.CharField(
        verbose_name=_("title"),
        max_length=300,
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=DeliverableStatusChoices,
        default=DeliverableStatusChoices.PLANNED,
    )
    due_on = models.DateField(
        verbose_name=_("due on"),
        null=True,
        blank=True,
    )
    delivered_on = models.DateField(
        verbose_name=_("delivered on"),
        null=True,
        blank=True,
    )
    document = models.FileField(
        verbose_name=_("document"),
        upload_to="deliverables/%Y/",
        blank=True,
        validators=[validate_document],
    )

    class Meta:
        ordering = ["team", "due_on"]
        verbose_name = _("animation deliverable")
        verbose_name_plural = _("animation deliverables")
        permissions = [("accept_animationdeliverable", _("Can accept or send back an animation deliverable"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DeliverableKindChoices.values),
                name="deliverable_kind_valid",
                violation_error_message=_("Unknown deliverable kind."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliverableStatusChoices.values),
                name="deliverable_status_valid",
                violation_error_message=_("Unknown deliverable status."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[DeliverableStatusChoices.SUBMITTED, DeliverableStatusChoices.ACCEPTED])
                | Q(delivered_on__isnull=False),
                name="deliverable_delivered_has_date",
                violation_error_message=_("A submitted or accepted deliverable needs its delivery date."),
            ),
        ]

    def __str__(self):
        return self.title

    def start(self, on, by=None):
        self.apply_transition("start", on, [])

    def submit(self, on, by=None):
        self.apply_transition("submit", on, [], delivered_on=on)

    def send_back(self, on, by=None):
        self.apply_transition("send_back", on, self._acceptance_problems(by), delivered_on=None)

    def accept(self, on, by=None):
        self.apply_transition("accept", on, self._acceptance_problems(by))

    def _acceptance_problems(self, by):
        if by is None or not by.has_perm("networks.accept_animationdeliverable"):
            return [_("Only ROPS staff or the national coordinator accept a deliverable or send it back.")]
        return []

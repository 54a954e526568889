"""Social integration clubs and centres (KIS, CIS), their registration and funding."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.collation import Polish
from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.validators import validate_postal_code
from ksr_portal.workflow import StateMachine

from ..choices import ClubKindChoices, ClubStatusChoices

S = ClubStatusChoices
CLUB_TRANSITIONS = {
    "contract": (_("Record the grant agreement"), [S.PLANNED], S.CONTRACTED),
    "start": (_("Start activity"), [S.PLANNED, S.CONTRACTED], S.ACTIVE),
    "suspend": (_("Suspend"), [S.ACTIVE], S.SUSPENDED),
    "resume": (_("Resume activity"), [S.SUSPENDED], S.ACTIVE),
    "close": (_("Close the club"), [S.PLANNED, S.CONTRACTED, S.ACTIVE, S.SUSPENDED], S.CLOSED),
}


class Club(StateMachine, TimestampedModel):
    """A social integration club (KIS) or centre (CIS), as entered in the voivode's registry.

    A club already working when it is entered in the portal is registered as active; suspending and
    closing are transitions of a registered club, and a closed club stays closed.
    """

    scope_paths = ScopePaths(region="region", club="pk")
    transitions = CLUB_TRANSITIONS
    initial_statuses = [S.PLANNED, S.CONTRACTED, S.ACTIVE]

    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=3,
        choices=ClubKindChoices,
        default=ClubKindChoices.KIS,
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
    )
    operator = models.ForeignKey(
        verbose_name=_("operator"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="operated_clubs",
        null=True,
        blank=True,
        help_text=_("The entity running the club. Unknown only for pilot places the sources do not name."),
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="clubs",
    )
    municipality = models.ForeignKey(
        verbose_name=_("municipality"),
        to="networks.Municipality",
        on_delete=models.PROTECT,
        related_name="clubs",
        null=True,
        help_text=_("Unknown only for pilot places the sources do not name."),
    )
    street_address = models.CharField(
        verbose_name=_("street address"),
        max_length=200,
        blank=True,
    )
    postal_code = models.CharField(
        verbose_name=_("postal code"),
        max_length=6,
        blank=True,
        validators=[validate_postal_code],
    )
    town = models.CharField(
        verbose_name=_("town"),
        max_length=100,
        blank=True,
    )
    email = models.EmailField(
        verbose_name=_("e-mail"),
        blank=True,
    )
    phone = models.CharField(
        verbose_name=_("phone"),
        max_length=30,
        blank=True,
    )
    manager_name = models.CharField(
        verbose_name=_("manager"),
        max_length=200,
        blank=True,
    )
    created_on = models.DateField(
        verbose_name=_("date created"),
        null=True,
        blank=True,
    )
    activity_started_on = models.DateField(
        verbose_name=_("date activity started"),
        null=True,
        blank=True,
    )
    registered_on = models.DateField(
        verbose_name=_("date registered with the voivode"),
        null=True,
        blank=True,
    )
    registry_number = models.CharField(
        verbose_name=_("registry number"),
        max_length=50,
        blank=True,
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=ClubStatusChoices,
        default=ClubStatusChoices.PLANNED,
    )
    closed_on = models.DateField(
        verbose_name=_("date closed"),
        null=True,
        blank=True,
    )
    under_mayor_auspices = models.BooleanField(
        verbose_name=_("under the mayor's auspices"),
        default=False,
        help_text=_(
            "The threshold condition of the KSR model: the club works at least under the auspices of the "
            "wójt, burmistrz or prezydent."
        ),
    )
    is_pilot = models.BooleanField(
        verbose_name=_("pilot club"),
        default=False,
        help_text=_("One of the 32 clubs created in the 2019 KSR pilot."),
    )
    grant_agreement_number = models.CharField(
        verbose_name=_("grant agreement number"),
        max_length=100,
        blank=True,
    )
    grant_amount = models.DecimalField(
        verbose_name=_("grant amount (PLN)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    services = models.ManyToManyField(
        verbose_name=_("services offered"),
        to="clubs.Service",
        related_name="clubs",
        blank=True,
    )
    notes = models.TextField(
        verbose_name=_("notes"),
        blank=True,
    )

    class Meta:
        ordering = ["region", Polish("name")]
        verbose_name = _("club")
        verbose_name_plural = _("clubs")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ClubKindChoices.values),
                name="club_kind_valid",
                violation_error_message=_("Unknown club kind."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClubStatusChoices.values),
                name="club_status_valid",
                violation_error_message=_("Unknown club status."),
            ),
            models.UniqueConstraint(
                fields=["registry_number"],
                condition=~Q(registry_number=""),
                name="club_unique_registry_number",
                violation_error_message=_("Another club already has this registry number."),
            ),
            models.CheckConstraint(
                condition=Q(grant_amount__isnull=True) | Q(grant_amount__gte=0),
                name="club_grant_not_negative",
                violation_error_message=_("The grant amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(created_on__isnull=True)
                | Q(activity_started_on__isnull=True)
                | Q(activity_started_on__gte=F("created_on")),
                name="club_activity_after_creation",
                violation_error_message=_("Activity cannot start before the club was created."),
            ),
            models.CheckConstraint(
                condition=Q(created_on__isnull=True)
                | Q(registered_on__isnull=True)
                | Q(registered_on__gte=F("created_on")),
                name="club_registered_after_creation",
                violation_error_message=_("A club cannot be registered before it was created."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(created_on__isnull=True) | Q(closed_on__gte=F("created_on")),
                name="club_closed_after_creation",
                violation_error_message=_("A club cannot close before it was created."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ClubStatusChoices.CLOSED) | Q(closed_on__isnull=False),
                name="club_closed_has_date",
                violation_error_message=_("A closed club needs the date it closed."),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="club_region_status_idx"),
            models.Index(fields=["municipality"], name="club_municipality_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.municipality_id and self.region_id and self.municipality.region_id != self.region_id:
            errors["municipality"] = _("The municipality lies in another region than the club.")
        cap = settings.KSR_PILOT_GRANT_CAP
        if self.is_pilot and self.grant_amount is not None and self.grant_amount > cap:
            errors["grant_amount"] = _("A pilot club's grant cannot exceed %(cap)s PLN.") % {"cap": cap}
        if errors:
            raise ValidationError(errors)

    def contract(self, on, by=None):
        self.apply_transition("contract", on, [])

    def start(self, on, by=None):
        """The club starts its activity; the date is recorded unless the registry already gives it."""
        self.apply_transition("start", on, [], activity_started_on=self.activity_started_on or on)

    def suspend(self, on, by=None):
        self.apply_transition("suspend", on, [])

    def resume(self, on, by=None):
        self.apply_transition("resume", on, [])

    def close(self, on, by=None):
        self.apply_transition("close", on, [], closed_on=on)

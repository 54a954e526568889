"""Referrals of a participant to a partner's service, with the partner's answer."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.workflow import StateMachine

from ..choices import ReferralStatusChoices

REFERRAL_TRANSITIONS = {
    "accept": (_("Record acceptance"), [ReferralStatusChoices.SENT], ReferralStatusChoices.ACCEPTED),
    "decline": (_("Record refusal"), [ReferralStatusChoices.SENT], ReferralStatusChoices.DECLINED),
    "complete": (_("Record completion"), [ReferralStatusChoices.ACCEPTED], ReferralStatusChoices.COMPLETED),
}


class Referral(StateMachine, TimestampedModel):
    """A participant sent on to a partner's service, followed until the partner answers and the service ends."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")
    transitions = REFERRAL_TRANSITIONS
    initial_statuses = [ReferralStatusChoices.SENT]

    enrollment = models.ForeignKey(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    offer = models.ForeignKey(
        verbose_name=_("service offer"),
        to="stakeholders.ServiceOffer",
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
        help_text=_("A partner's offer in the network; or name the organisation and service below."),
    )
    organization = models.ForeignKey(
        verbose_name=_("organisation"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    service = models.ForeignKey(
        verbose_name=_("service"),
        to="clubs.Service",
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    sent_on = models.DateField(
        verbose_name=_("sent on"),
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=10,
        choices=ReferralStatusChoices,
        default=ReferralStatusChoices.SENT,
    )
    answered_on = models.DateField(
        verbose_name=_("answered on"),
        null=True,
        blank=True,
    )
    answer = models.TextField(
        verbose_name=_("partner's answer"),
        blank=True,
    )
    completed_on = models.DateField(
        verbose_name=_("completed on"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["enrollment", "-sent_on"]
        verbose_name = _("referral to a partner")
        verbose_name_plural = _("referrals to partners")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatusChoices.values),
                name="referral_status_valid",
                violation_error_message=_("Unknown referral status."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("sent_on")),
                name="referral_answered_after_sent",
                violation_error_message=_("The answer cannot come before the referral was sent."),
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatusChoices.SENT) | Q(answered_on__isnull=False),
                name="referral_answered_has_date",
                violation_error_message=_("An answered referral needs the date of the answer."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "sent_on"], name="referral_status_idx"),
        ]

    def __str__(self):
        return f"{self.organization or '—'}: {self.service or '—'} ({self.get_status_display()})"

    def clean(self):
        if self.offer_id:
            self.organization_id, self.service_id = self.offer.organization_id, self.offer.service_id
        if not self.organization_id:
            raise ValidationError({"organization": _("Choose the partner's offer or the organisation.")})

    def accept(self, on, answer="", by=None):
        self.apply_transition("accept", on, [], answered_on=on, answer=answer)

    def decline(self, on, answer="", by=None):
        problems = [] if answer else [_("Record the partner's reason for refusing.")]
        self.apply_transition("decline", on, problems, answered_on=on, answer=answer)

    def complete(self, on, by=None):
        self.apply_transition("complete", on, [], completed_on=on)

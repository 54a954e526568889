"""A stay's transfer to another club: proposed by the club the person leaves, with their consent, and
accepted or declined by the receiving club."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.choices import ClubStatusChoices
from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.workflow import StateMachine

from ..choices import EnrollmentStatusChoices, TransferStatusChoices

T = TransferStatusChoices
TRANSFER_TRANSITIONS = {
    "accept": (_("Accept the transfer"), [T.PROPOSED], T.ACCEPTED),
    "decline": (_("Decline the transfer"), [T.PROPOSED], T.DECLINED),
    "withdraw": (_("Withdraw the proposal"), [T.PROPOSED], T.WITHDRAWN),
}
TRANSFERABLE_STATUSES = [EnrollmentStatusChoices.QUALIFIED, EnrollmentStatusChoices.ACTIVE]


class Transfer(StateMachine, TimestampedModel):
    """A proposal to move a person's stay to another club. Both clubs see it; once accepted, the sending
    stay ends as transferred and a new stay begins in the receiving club (`Enrollment.transferred_from`),
    which reads the previous stay's plan and contract as history and nothing else of it."""

    scope_paths = ScopePaths(
        region="enrollment__club__region",
        club="enrollment__club",
        shared_club="to_club",
        shared_actions=("view", "change"),
    )
    transitions = TRANSFER_TRANSITIONS
    initial_statuses = [T.PROPOSED]

    enrollment = models.ForeignKey(
        verbose_name=_("stay being left"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    # The stay's person, kept here so that the database allows one open proposal per person.
    participant = models.ForeignKey(
        verbose_name=_("participant"),
        to="participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    to_club = models.ForeignKey(
        verbose_name=_("receiving club"),
        to="clubs.Club",
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=TransferStatusChoices,
        default=T.PROPOSED,
    )
    proposed_on = models.DateField(
        verbose_name=_("proposed on"),
    )
    consent_given_on = models.DateField(
        verbose_name=_("person's consent to the transfer given on"),
    )
    proposed_by = models.ForeignKey(
        verbose_name=_("proposed by"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    answered_on = models.DateField(
        verbose_name=_("answered on"),
        null=True,
        blank=True,
    )
    answered_by = models.ForeignKey(
        verbose_name=_("answered by"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    decline_reason = models.TextField(
        verbose_name=_("reason for declining"),
        blank=True,
    )

    class Meta:
        ordering = ["-proposed_on", "-created_at"]
        verbose_name = _("transfer to another club")
        verbose_name_plural = _("transfers to other clubs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TransferStatusChoices.values),
                name="transfer_status_valid",
                violation_error_message=_("Unknown transfer status."),
            ),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status=T.PROPOSED),
                name="transfer_one_open_per_person",
                violation_error_message=_("A transfer of this person is already waiting for an answer."),
            ),
            models.CheckConstraint(
                condition=Q(consent_given_on__lte=F("proposed_on")),
                name="transfer_consent_before_proposal",
                violation_error_message=_("The person's consent must be given before the transfer is proposed."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("proposed_on")),
                name="transfer_answered_after_proposed",
                violation_error_message=_("The answer cannot come before the proposal."),
            ),
            models.CheckConstraint(
                condition=~Q(status=T.DECLINED) | ~Q(decline_reason=""),
                name="transfer_declined_has_reason",
                violation_error_message=_("A declined transfer needs the reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["to_club", "status"], name="transfer_to_club_status_idx"),
        ]

    def __str__(self):
        return _("Transfer to %(club)s (%(date)s)") % {"club": self.to_club, "date": f"{self.proposed_on:%d.%m.%Y}"}

    def clean(self):
        if self.enrollment_id:
            self.participant_id = self.enrollment.participant_id
        if not self._state.adding:
            return
        errors = {}
        today = timezone.localdate()
        if self.enrollment_id and self.enrollment.status not in TRANSFERABLE_STATUSES:
            errors["enrollment"] = _("Only the stay of a qualified or active participant can be transferred.")
        if self.enrollment_id and self.to_club_id == self.enrollment.club_id:
            errors["to_club"] = _("Choose a club other than the one the person is leaving.")
        elif self.to_club_id and self.to_club.status != ClubStatusChoices.ACTIVE:
            errors["to_club"] = _("A person can be transferred only to an active club.")
        if self.proposed_on and self.proposed_on > today:
            errors["proposed_on"] = _("A transfer cannot be proposed with a date in the future.")
        if self.consent_given_on and self.consent_given_on > today:
            errors["consent_given_on"] = _("The consent cannot be dated in the future.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def propose(cls, enrollment, to_club, on, consent_given_on, by=None):
        """A new proposal, checked by every rule of the model before it is written."""
        transfer = cls(
            enrollment=enrollment, to_club=to_club, proposed_on=on, consent_given_on=consent_given_on, proposed_by=by
        )
        transfer.full_clean()
        transfer.save()
        return transfer

    def accept(self, on, by=None):
        """Proposed → accepted, in one transaction: the sending stay ends as transferred and the person is
        enrolled in the receiving club, qualified on the art. 1 facts already checked; returns the new stay."""
        from .enrollment import SITUATION_AT_ENTRY, Enrollment

        stay = self.enrollment
        problems = []
        if (
            Enrollment.objects.filter(participant=stay.participant_id, club=self.to_club_id)
            .filter(status__in=[EnrollmentStatusChoices.CANDIDATE, *TRANSFERABLE_STATUSES])
            .exists()
        ):
            problems.append(_("The person already has an open enrollment in the receiving club."))
        try:
            with transaction.atomic():
                self.apply_transition("accept", on, problems, answered_on=on, answered_by=by)
                stay.transfer(on, by, accepted=self)
                new = Enrollment(
                    participant=stay.participant,
                    club=self.to_club,
                    applied_on=on,
                    transferred_from=stay,
                    benefit_exclusion=stay.benefit_exclusion,
                    # The situation at entry to the programme, as the reports count it.
                    **{name: getattr(stay, name) for name in SITUATION_AT_ENTRY},
                )
                new.full_clean()
                new.save()
                new.eligibility_categories.set(stay.eligibility_categories.all())
                new.qualify(on, by)
        except ValidationError:
            self.refresh_from_db()
            stay.refresh_from_db()
            raise
        return new

    def decline(self, on, reason, by=None):
        problems = [] if reason and reason.strip() else [_("Say why the transfer is declined.")]
        self.apply_transition("decline", on, problems, answered_on=on, answered_by=by, decline_reason=reason)

    def withdraw(self, on, by=None):
        self.apply_transition("withdraw", on, [], answered_on=on)

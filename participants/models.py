from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ksr_portal.audit import log_bulk
from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopedManager, ScopePaths
from ksr_portal.validators import pesel_birth_date, pesel_is_male, validate_pesel
from ksr_portal.workflow import StateMachine
from reporting.figures_cache import data_changed

from .choices import (
    AttendanceStatusChoices,
    ConsentPurposeChoices,
    EligibilityCategoryCodeChoices,
    EnrollmentBenefitExclusionChoices,
    EnrollmentEducationLevelChoices,
    EnrollmentExitReasonChoices,
    EnrollmentLabourMarketStatusChoices,
    EnrollmentStatusChoices,
    FollowUpMonthsChoices,
    GoalStatusChoices,
    OutcomeSituationChoices,
    ParticipantSexChoices,
    ReferralStatusChoices,
    SocialContractStatusChoices,
    YesNoRefusedChoices,
)

OPEN_ENROLLMENT_STATUSES = [
    EnrollmentStatusChoices.CANDIDATE,
    EnrollmentStatusChoices.QUALIFIED,
    EnrollmentStatusChoices.ACTIVE,
]
CLOSED_ENROLLMENT_STATUSES = [
    EnrollmentStatusChoices.COMPLETED,
    EnrollmentStatusChoices.DROPPED_OUT,
    EnrollmentStatusChoices.TRANSFERRED,
]


def default_review_interval():
    return settings.KSR_PLAN_REVIEW_MONTHS


def add_months(day, months):
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue


# The statuses of an enrollment that took part at some time: active now or left after being active.
PARTICIPATING_STATUSES = [
    EnrollmentStatusChoices.ACTIVE,
    EnrollmentStatusChoices.COMPLETED,
    EnrollmentStatusChoices.DROPPED_OUT,
    EnrollmentStatusChoices.TRANSFERRED,
]


def active_on(day, prefix=""):
    """The filter of enrollments that were active on `day`: started, not yet left."""
    return Q(**{f"{prefix}status__in": PARTICIPATING_STATUSES, f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}exit_on__isnull": True}) | Q(**{f"{prefix}exit_on__gte": day})
    )


GOAL_TRANSITIONS = {
    "revise": (
        _("Revise"),
        [GoalStatusChoices.OPEN, GoalStatusChoices.PARTLY_ACHIEVED, GoalStatusChoices.NOT_ACHIEVED],
        GoalStatusChoices.REVISED,
    ),
}
REFERRAL_TRANSITIONS = {
    "accept": (_("Record acceptance"), [ReferralStatusChoices.SENT], ReferralStatusChoices.ACCEPTED),
    "decline": (_("Record refusal"), [ReferralStatusChoices.SENT], ReferralStatusChoices.DECLINED),
    "complete": (_("Record completion"), [ReferralStatusChoices.ACCEPTED], ReferralStatusChoices.COMPLETED),
}
# name: (label of the action, statuses it starts from, status it leads to)
ENROLLMENT_TRANSITIONS = {
    "qualify": (_("Qualify"), [EnrollmentStatusChoices.CANDIDATE], EnrollmentStatusChoices.QUALIFIED),
    "activate": (_("Start participation"), [EnrollmentStatusChoices.QUALIFIED], EnrollmentStatusChoices.ACTIVE),
    "complete": (_("Complete"), [EnrollmentStatusChoices.ACTIVE], EnrollmentStatusChoices.COMPLETED),
    "drop_out": (_("Record dropping out"), OPEN_ENROLLMENT_STATUSES, EnrollmentStatusChoices.DROPPED_OUT),
    "transfer": (
        _("Transfer to another club or centre"),
        [EnrollmentStatusChoices.ACTIVE],
        EnrollmentStatusChoices.TRANSFERRED,
    ),
}
SOCIAL_CONTRACT_TRANSITIONS = {
    "sign": (_("Sign"), [SocialContractStatusChoices.DRAFT], SocialContractStatusChoices.SIGNED),
    "extend": (_("Extend"), [SocialContractStatusChoices.SIGNED], SocialContractStatusChoices.SIGNED),
    "settle": (_("Settle as fulfilled"), [SocialContractStatusChoices.SIGNED], SocialContractStatusChoices.COMPLETED),
    "terminate": (
        _("Terminate"),
        [SocialContractStatusChoices.DRAFT, SocialContractStatusChoices.SIGNED],
        SocialContractStatusChoices.TERMINATED,
    ),
}


class EligibilityCategoryManager(ScopedManager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class EligibilityCategory(models.Model):
    """A category of art. 1 ust. 2 of the Social Employment Act; the eight rows are created by a migration."""

    code = models.CharField(
        verbose_name=_("point of art. 1 ust. 2"),
        max_length=1,
        unique=True,
        choices=EligibilityCategoryCodeChoices,
    )

    objects = EligibilityCategoryManager()
    scope_paths = ScopePaths()

    class Meta:
        ordering = ["code"]
        verbose_name = _("eligibility category")
        verbose_name_plural = _("eligibility categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=EligibilityCategoryCodeChoices.values),
                name="eligibility_category_code_valid",
                violation_error_message=_("Art. 1 ust. 2 has points 1 to 8 only."),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.get_code_display()}"

    def natural_key(self):
        return (self.code,)


class Participant(TimestampedModel):
    """A person taking part in a club: identity and the few facts EU monitoring requires, nothing more."""

    scope_paths = ScopePaths(region="enrollments__club__region", club="enrollments__club")

    first_name = models.CharField(
        verbose_name=_("first name"),
        max_length=100,
    )
    last_name = models.CharField(
        verbose_name=_("last name"),
        max_length=100,
    )
    pesel = models.CharField(
        verbose_name=_("PESEL"),
        max_length=11,
        blank=True,
        validators=[validate_pesel],
        help_text=_("Leave empty for a person without a PESEL; then the date of birth and sex are required."),
    )
    birth_date = models.DateField(
        verbose_name=_("date of birth"),
        blank=True,
        help_text=_("Filled in from the PESEL when left empty."),
    )
    sex = models.CharField(
        verbose_name=_("sex"),
        max_length=10,
        choices=ParticipantSexChoices,
    )
    municipality = models.ForeignKey(
        verbose_name=_("municipality of residence"),
        to="networks.Municipality",
        on_delete=models.PROTECT,
        related_name="residents",
        null=True,
        blank=True,
    )
    anonymised_on = models.DateField(
        verbose_name=_("anonymised on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the retention period passed and the person's identity was removed."),
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["pesel"],
                condition=~Q(pesel=""),
                name="participant_unique_pesel",
                violation_error_message=_("A person with this PESEL is already in the portal."),
            ),
            models.CheckConstraint(
                condition=Q(sex__in=ParticipantSexChoices.values),
                name="participant_sex_valid",
                violation_error_message=_("Unknown sex."),
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name", "birth_date"], name="participant_name_birth_idx"),
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name}"

    def clean(self):
        errors = {}
        if self.pesel:
            try:
                validate_pesel(self.pesel)
            except ValidationError:
                pass  # reported by the field validator; nothing more to compare against
            else:
                encoded = pesel_birth_date(self.pesel)
                if self.birth_date is None:
                    self.birth_date = encoded
                elif self.birth_date != encoded:
                    errors["birth_date"] = _("The date of birth does not match the PESEL, which gives %(date)s.") % {
                        "date": encoded.strftime("%d.%m.%Y")
                    }
                if self.sex in (ParticipantSexChoices.FEMALE, ParticipantSexChoices.MALE):
                    if pesel_is_male(self.pesel) != (self.sex == ParticipantSexChoices.MALE):
                        errors["sex"] = _("The sex does not match the PESEL (its tenth digit).")
        elif self.birth_date is None:
            errors["birth_date"] = _("Enter the date of birth of a person without a PESEL.")
        if self.birth_date and self.birth_date > timezone.localdate():
            errors["birth_date"] = _("The date of birth cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class Consent(TimestampedModel):
    """A participant's consent to a purpose of processing, and its withdrawal."""

    scope_paths = ScopePaths(region="participant__enrollments__club__region", club="participant__enrollments__club")

    participant = models.ForeignKey(
        verbose_name=_("participant"),
        to="participants.Participant",
        on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(
        verbose_name=_("purpose"),
        max_length=20,
        choices=ConsentPurposeChoices,
    )
    given_on = models.DateField(
        verbose_name=_("given on"),
    )
    withdrawn_on = models.DateField(
        verbose_name=_("withdrawn on"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["participant", "-given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=ConsentPurposeChoices.values),
                name="consent_purpose_valid",
                violation_error_message=_("Unknown purpose of consent."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("A consent cannot be withdrawn before it was given."),
            ),
            models.UniqueConstraint(
                fields=["participant", "purpose"],
                condition=Q(withdrawn_on__isnull=True),
                name="consent_one_current_per_purpose",
                violation_error_message=_("This person already has a valid consent for this purpose."),
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.given_on:%d.%m.%Y})"

    def withdraw(self, on):
        """Record the person's withdrawal of this consent on the given day."""
        if self.withdrawn_on:
            raise ValidationError(
                _("This consent was already withdrawn on %(date)s.") % {"date": self.withdrawn_on.strftime("%d.%m.%Y")}
            )
        if on > timezone.localdate():
            raise ValidationError(_("A withdrawal cannot be dated in the future."))
        self.withdrawn_on = on
        self.full_clean()
        self.save()


class Enrollment(StateMachine, TimestampedModel):
    """A participant's stay in one club, from referral to exit, with the facts recorded at entry."""

    scope_paths = ScopePaths(region="club__region", club="club")
    transitions = ENROLLMENT_TRANSITIONS

    participant = models.ForeignKey(
        verbose_name=_("participant"),
        to="participants.Participant",
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=EnrollmentStatusChoices,
        default=EnrollmentStatusChoices.CANDIDATE,
    )
    referred_by = models.ForeignKey(
        verbose_name=_("referred by"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="referred_enrollments",
        null=True,
        blank=True,
    )
    referred_on = models.DateField(
        verbose_name=_("referred on"),
        null=True,
        blank=True,
    )
    referral_contact = models.CharField(
        verbose_name=_("referral contact"),
        max_length=200,
        blank=True,
        help_text=_("Who at the referring organisation to contact about this person."),
    )
    applied_on = models.DateField(
        verbose_name=_("applied on"),
    )
    qualified_on = models.DateField(
        verbose_name=_("qualified on"),
        null=True,
        blank=True,
    )
    started_on = models.DateField(
        verbose_name=_("started on"),
        null=True,
        blank=True,
    )
    exit_on = models.DateField(
        verbose_name=_("left on"),
        null=True,
        blank=True,
    )
    exit_reason = models.CharField(
        verbose_name=_("reason for leaving"),
        max_length=30,
        choices=EnrollmentExitReasonChoices,
        blank=True,
    )
    certificate_number = models.CharField(
        verbose_name=_("completion certificate number"),
        max_length=50,
        blank=True,
    )
    certificate_issued_on = models.DateField(
        verbose_name=_("completion certificate issued on"),
        null=True,
        blank=True,
    )
    eligibility_categories = models.ManyToManyField(
        verbose_name=_("art. 1 eligibility categories"),
        to="participants.EligibilityCategory",
        related_name="enrollments",
        blank=True,
    )
    benefit_exclusion = models.CharField(
        verbose_name=_("excluding benefits (art. 1 ust. 3)"),
        max_length=30,
        choices=EnrollmentBenefitExclusionChoices,
        blank=True,
        help_text=_("Empty until checked."),
    )
    education_level = models.CharField(
        verbose_name=_("education level at entry"),
        max_length=10,
        choices=EnrollmentEducationLevelChoices,
        blank=True,
    )
    labour_market_status = models.CharField(
        verbose_name=_("labour-market status at entry"),
        max_length=30,
        choices=EnrollmentLabourMarketStatusChoices,
        blank=True,
    )
    long_term_unemployed = models.BooleanField(
        verbose_name=_("long-term unemployed at entry"),
        default=False,
    )
    minority_or_migrant = models.CharField(
        verbose_name=_("minority or migrant background"),
        max_length=10,
        choices=YesNoRefusedChoices,
        blank=True,
    )
    homeless = models.CharField(
        verbose_name=_("homeless or excluded from housing"),
        max_length=10,
        choices=YesNoRefusedChoices,
        blank=True,
    )
    disability = models.CharField(
        verbose_name=_("with a disability"),
        max_length=10,
        choices=YesNoRefusedChoices,
        blank=True,
    )
    other_disadvantage = models.CharField(
        verbose_name=_("other disadvantage"),
        max_length=10,
        choices=YesNoRefusedChoices,
        blank=True,
    )

    age_on_entry = models.PositiveSmallIntegerField(
        verbose_name=_("age on entry"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Kept for reports, so that they stay the same after the person is anonymised."),
    )

    class Meta:
        ordering = ["-applied_on"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatusChoices.values),
                name="enrollment_status_valid",
                violation_error_message=_("Unknown enrollment status."),
            ),
            models.UniqueConstraint(
                fields=["participant", "club"],
                condition=Q(status__in=OPEN_ENROLLMENT_STATUSES),
                name="enrollment_one_open_per_club",
                violation_error_message=_("This person already has an open enrollment in this club."),
            ),
            models.CheckConstraint(
                condition=Q(referred_on__isnull=True) | Q(referred_on__lte=F("applied_on")),
                name="enrollment_referred_before_applied",
                violation_error_message=_("The referral cannot be dated after the application."),
            ),
            models.CheckConstraint(
                condition=Q(qualified_on__isnull=True) | Q(qualified_on__gte=F("applied_on")),
                name="enrollment_qualified_after_applied",
                violation_error_message=_("A person cannot be qualified before applying."),
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=F("applied_on")),
                name="enrollment_started_after_applied",
                violation_error_message=_("Participation cannot start before the application."),
            ),
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True) | Q(exit_on__gte=F("applied_on")),
                name="enrollment_exit_after_applied",
                violation_error_message=_("A person cannot leave before applying."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_ENROLLMENT_STATUSES) | (Q(exit_on__isnull=False) & ~Q(exit_reason="")),
                name="enrollment_closed_has_exit",
                violation_error_message=_("A finished enrollment needs the exit date and reason."),
            ),
            models.CheckConstraint(
                condition=(Q(certificate_issued_on__isnull=True) & Q(certificate_number=""))
                | Q(status=EnrollmentStatusChoices.COMPLETED),
                name="enrollment_certificate_only_completed",
                violation_error_message=_("A completion certificate is issued only to a person who completed."),
            ),
        ]
        indexes = [
            models.Index(fields=["club", "status"], name="enrollment_club_status_idx"),
            models.Index(fields=["applied_on"], name="enrollment_applied_idx"),
            models.Index(fields=["exit_on"], name="enrollment_exit_idx"),
        ]

    def __str__(self):
        return f"{self.participant} — {self.club}"

    @property
    def entry_date(self):
        return self.started_on or self.applied_on

    def qualify(self, on, by=None):
        """Candidate → qualified: an art. 1 category, no art. 1 ust. 3 exclusion, the person's consent."""
        problems = []
        if not self.eligibility_categories.exists():
            problems.append(_("Qualifying needs at least one eligibility category of art. 1 ust. 2."))
        if not self.benefit_exclusion:
            problems.append(_("Record the check of excluding benefits (art. 1 ust. 3) before qualifying."))
        elif self.benefit_exclusion != EnrollmentBenefitExclusionChoices.NONE:
            problems.append(
                _("The person is excluded by art. 1 ust. 3: %(benefit)s.")
                % {"benefit": self.get_benefit_exclusion_display()}
            )
        if not self.participant.consents.filter(
            purpose=ConsentPurposeChoices.PROCESSING,
            withdrawn_on__isnull=True,
            given_on__lte=on or timezone.localdate(),
        ).exists():
            problems.append(_("Qualifying needs the person's recorded consent to the processing of their data."))
        self._transition("qualify", on, by, problems, qualified_on=on)

    def activate(self, on, by=None):
        """Qualified → active: participation starts with a signed social contract."""
        problems = []
        if not self.social_contracts.filter(status=SocialContractStatusChoices.SIGNED).exists():
            problems.append(_("Starting participation needs a signed social contract."))
        self._transition("activate", on, by, problems, started_on=on)

    def complete(self, on, reason, by=None, certificate_number=""):
        """Active → completed, with the exit date and reason, and the completion certificate's number."""
        changes = {"exit_on": on, "exit_reason": reason}
        if certificate_number:
            changes |= {"certificate_number": certificate_number, "certificate_issued_on": on}
        self._transition("complete", on, by, self._exit_problems(reason), **changes)

    def drop_out(self, on, reason, by=None):
        self._transition("drop_out", on, by, self._exit_problems(reason), exit_on=on, exit_reason=reason)

    def transfer(self, on, by=None):
        reason = EnrollmentExitReasonChoices.TRANSFERRED
        self._transition("transfer", on, by, [], exit_on=on, exit_reason=reason)

    def _exit_problems(self, reason):
        return [] if reason else [_("Leaving the club needs the reason.")]

    def was_active_on(self, day):
        return (
            self.status in PARTICIPATING_STATUSES
            and self.started_on is not None
            and self.started_on <= day
            and (self.exit_on is None or day <= self.exit_on)
        )

    @transaction.atomic
    def _transition(self, name, on, by, problems, **changes):
        previous = self.apply_transition(name, on, problems, **changes)
        self.status_changes.create(from_status=previous, to_status=self.status, changed_on=on, changed_by=by)

    def save(self, *args, **kwargs):
        self.set_age_on_entry()
        super().save(*args, **kwargs)

    def set_age_on_entry(self):
        """Called by `save()`; a bulk insert, which bypasses it, calls it itself."""
        person = self.participant
        if person.birth_date and person.anonymised_on is None and self.entry_date:
            born, entry = person.birth_date, self.entry_date
            self.age_on_entry = entry.year - born.year - ((entry.month, entry.day) < (born.month, born.day))

    def clean(self):
        errors = {}
        if self.long_term_unemployed and self.labour_market_status not in (
            EnrollmentLabourMarketStatusChoices.UNEMPLOYED_REGISTERED,
            EnrollmentLabourMarketStatusChoices.UNEMPLOYED_UNREGISTERED,
        ):
            errors["long_term_unemployed"] = _("Only an unemployed person can be long-term unemployed.")
        # Also a constraint; checked here without a query, so that a bulk import can rely on clean().
        if self.referred_on and self.applied_on and self.referred_on > self.applied_on:
            errors["referred_on"] = _("The referral cannot be dated after the application.")
        if errors:
            raise ValidationError(errors)


class EnrollmentStatusChange(TimestampedModel):
    """One step of an enrollment's state machine: from which status to which, when, and who recorded it."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")

    enrollment = models.ForeignKey(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        verbose_name=_("from status"),
        max_length=20,
        choices=EnrollmentStatusChoices,
    )
    to_status = models.CharField(
        verbose_name=_("to status"),
        max_length=20,
        choices=EnrollmentStatusChoices,
    )
    changed_on = models.DateField(
        verbose_name=_("date of the change"),
    )
    changed_by = models.ForeignKey(
        verbose_name=_("recorded by"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["enrollment", "changed_on", "created_at"]
        verbose_name = _("enrollment status change")
        verbose_name_plural = _("enrollment status changes")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()} ({self.changed_on:%d.%m.%Y})"


class Referral(StateMachine, TimestampedModel):
    """A participant sent on to a partner's service, followed until the partner answers and the service ends."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")
    transitions = REFERRAL_TRANSITIONS

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


class ActionPlan(TimestampedModel):
    """The Individual Action Plan (IPD): a diagnosis of the person's potential and goals per pillar."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")

    enrollment = models.OneToOneField(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="action_plan",
    )
    drawn_up_on = models.DateField(
        verbose_name=_("drawn up on"),
    )
    resources = models.TextField(
        verbose_name=_("resources"),
        blank=True,
        help_text=_("The person's inner and outer resources the reintegration can build on."),
    )
    barriers = models.TextField(
        verbose_name=_("barriers"),
        blank=True,
    )
    review_interval_months = models.PositiveSmallIntegerField(
        verbose_name=_("review every (months)"),
        default=default_review_interval,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    class Meta:
        ordering = ["-drawn_up_on"]
        verbose_name = _("individual action plan")
        verbose_name_plural = _("individual action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=1) & Q(review_interval_months__lte=12),
                name="action_plan_review_interval_range",
                violation_error_message=_("Reviews take place every 1 to 12 months."),
            ),
        ]

    def __str__(self):
        return _("Plan of %(enrollment)s") % {"enrollment": self.enrollment}

    def next_review_due(self, last_next_review=None):
        """The date the next review is due: as the last review set it, or one interval after drawing up."""
        return last_next_review or add_months(self.drawn_up_on, self.review_interval_months)


class Goal(StateMachine, TimestampedModel):
    """A goal of an action plan under one of the six pillars, with the services planned for it."""

    scope_paths = ScopePaths(region="plan__enrollment__club__region", club="plan__enrollment__club")

    transitions = GOAL_TRANSITIONS

    plan = models.ForeignKey(
        verbose_name=_("plan"),
        to="participants.ActionPlan",
        on_delete=models.CASCADE,
        related_name="goals",
    )
    pillar = models.ForeignKey(
        verbose_name=_("pillar"),
        to="clubs.Pillar",
        on_delete=models.PROTECT,
        related_name="goals",
    )
    description = models.TextField(
        verbose_name=_("goal"),
    )
    planned_services = models.ManyToManyField(
        verbose_name=_("planned services"),
        to="clubs.Service",
        related_name="goals",
        blank=True,
    )
    target_date = models.DateField(
        verbose_name=_("target date"),
        null=True,
        blank=True,
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=GoalStatusChoices,
        default=GoalStatusChoices.OPEN,
    )
    replaces = models.OneToOneField(
        verbose_name=_("earlier version"),
        to="self",
        on_delete=models.PROTECT,
        related_name="replaced_by",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["plan", "pillar__order", "created_at"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GoalStatusChoices.values),
                name="goal_status_valid",
                violation_error_message=_("Unknown goal status."),
            ),
        ]

    def __str__(self):
        return f"{self.pillar}: {self.description[:60]}"

    def clean(self):
        if self.pk and Goal.objects.filter(pk=self.pk, status=GoalStatusChoices.REVISED).exists():
            raise ValidationError(_("A revised goal is kept as it was for the record; change its new version."))

    def revise(self, on, description, target_date=None, by=None):
        """Replace this goal by a new version; this one stays, marked as revised, for the record."""
        if not description:
            problems = [_("Describe the revised goal.")]
        else:
            problems = []
        with transaction.atomic():
            self.apply_transition("revise", on, problems)
            new = Goal(
                plan=self.plan,
                pillar=self.pillar,
                description=description,
                target_date=target_date or self.target_date,
                replaces=self,
            )
            new.full_clean()
            new.save()
            new.planned_services.set(self.planned_services.all())
        return new


class Review(TimestampedModel):
    """A periodic review of an action plan: progress made and the date of the next review."""

    scope_paths = ScopePaths(region="plan__enrollment__club__region", club="plan__enrollment__club")

    plan = models.ForeignKey(
        verbose_name=_("plan"),
        to="participants.ActionPlan",
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewed_on = models.DateField(
        verbose_name=_("reviewed on"),
    )
    progress = models.TextField(
        verbose_name=_("progress"),
    )
    next_review_on = models.DateField(
        verbose_name=_("next review on"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["plan", "-reviewed_on"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gt=F("reviewed_on")),
                name="review_next_after_this",
                violation_error_message=_("The next review must come after this one."),
            ),
        ]

    def __str__(self):
        return f"{self.plan} — {self.reviewed_on:%d.%m.%Y}"

    def clean(self):
        if self.next_review_on is None and self.reviewed_on and self.plan_id:
            self.next_review_on = add_months(self.reviewed_on, self.plan.review_interval_months)


class GoalProgress(TimestampedModel):
    """What a review found about one goal of the plan."""

    scope_paths = ScopePaths(region="review__plan__enrollment__club__region", club="review__plan__enrollment__club")

    review = models.ForeignKey(
        verbose_name=_("review"),
        to="participants.Review",
        on_delete=models.CASCADE,
        related_name="goal_progress",
    )
    goal = models.ForeignKey(
        verbose_name=_("goal"),
        to="participants.Goal",
        on_delete=models.CASCADE,
        related_name="progress",
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=GoalStatusChoices,
        default=GoalStatusChoices.OPEN,
    )
    notes = models.TextField(
        verbose_name=_("progress"),
        blank=True,
    )

    class Meta:
        ordering = ["review", "goal"]
        verbose_name = _("progress towards a goal")
        verbose_name_plural = _("progress towards goals")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "goal"],
                name="goal_progress_once_per_review",
                violation_error_message=_("This review already records progress towards this goal."),
            ),
        ]

    def __str__(self):
        return f"{self.goal} — {self.get_status_display()}"

    def clean(self):
        if self.review_id and self.goal_id and self.review.plan_id != self.goal.plan_id:
            raise ValidationError({"goal": _("Choose a goal of the reviewed plan.")})


class SocialContract(StateMachine, TimestampedModel):
    """A social contract (art. 108 of the Social Assistance Act): the condition of attending a KIS."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")
    transitions = SOCIAL_CONTRACT_TRANSITIONS

    enrollment = models.ForeignKey(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="social_contracts",
    )
    number = models.CharField(
        verbose_name=_("number"),
        max_length=50,
    )
    referring_organization = models.ForeignKey(
        verbose_name=_("social assistance centre"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="social_contracts",
        null=True,
        blank=True,
    )
    social_worker = models.CharField(
        verbose_name=_("social worker"),
        max_length=200,
        blank=True,
    )
    valid_from = models.DateField(
        verbose_name=_("valid from"),
    )
    valid_until = models.DateField(
        verbose_name=_("valid until"),
    )
    situation_assessment = models.TextField(
        verbose_name=_("assessment of the situation"),
        blank=True,
        help_text=_("Causes of the difficulties, possibilities and limitations."),
    )
    participant_obligations = models.TextField(
        verbose_name=_("participant's obligations"),
        blank=True,
    )
    worker_obligations = models.TextField(
        verbose_name=_("social worker's and club's obligations"),
        blank=True,
    )
    goals = models.ManyToManyField(
        verbose_name=_("plan goals the obligations serve"),
        to="participants.Goal",
        related_name="social_contracts",
        blank=True,
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=SocialContractStatusChoices,
        default=SocialContractStatusChoices.DRAFT,
    )
    signed_on = models.DateField(
        verbose_name=_("signed on"),
        null=True,
        blank=True,
    )
    termination_reason = models.TextField(
        verbose_name=_("reason for termination"),
        blank=True,
    )
    fulfilment_assessment = models.TextField(
        verbose_name=_("assessment of fulfilment"),
        blank=True,
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("social contract")
        verbose_name_plural = _("social contracts")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SocialContractStatusChoices.values),
                name="social_contract_status_valid",
                violation_error_message=_("Unknown social contract status."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="social_contract_dates",
                violation_error_message=_("A social contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status=SocialContractStatusChoices.DRAFT) | Q(signed_on__isnull=False),
                name="social_contract_signed_has_date",
                violation_error_message=_("A signed contract needs its signing date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=SocialContractStatusChoices.TERMINATED) | ~Q(termination_reason=""),
                name="social_contract_terminated_has_reason",
                violation_error_message=_("A terminated contract needs the reason."),
            ),
            models.UniqueConstraint(
                fields=["enrollment", "number"],
                name="social_contract_unique_number",
                violation_error_message=_("This enrollment already has a contract with this number."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="social_contract_expiry_idx"),
        ]

    def __str__(self):
        return _("Contract %(number)s") % {"number": self.number}

    def goals_problem(self, goals):
        """A reason to refuse linking these goals, or None: they must be goals of this enrollment's plan."""
        if any(goal.plan.enrollment_id != self.enrollment_id for goal in goals):
            return _("Choose goals of this participant's plan in this club.")
        return None

    def sign(self, on, by=None):
        self.apply_transition("sign", on, [], signed_on=on)

    def extend(self, on, until, by=None):
        """A signed annex moves the end of validity later."""
        problems = []
        if until is None or until <= self.valid_until:
            problems.append(
                _("An extension must end after the current end of validity, %(date)s.")
                % {"date": self.valid_until.strftime("%d.%m.%Y")}
            )
        self.apply_transition("extend", on, problems, valid_until=until)

    def settle(self, on, assessment, by=None):
        """The contract was carried out: record the assessment of its fulfilment."""
        problems = [] if assessment else [_("Describe how the contract was fulfilled.")]
        self.apply_transition("settle", on, problems, fulfilment_assessment=assessment)

    def terminate(self, on, reason, by=None):
        problems = [] if reason else [_("A terminated contract needs the reason.")]
        self.apply_transition("terminate", on, problems, termination_reason=reason)


class Attendance(TimestampedModel):
    """Whether a participant attended one activity of their club."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")

    activity = models.ForeignKey(
        verbose_name=_("activity"),
        to="clubs.Activity",
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    enrollment = models.ForeignKey(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    status = models.CharField(
        verbose_name=_("attendance"),
        max_length=10,
        choices=AttendanceStatusChoices,
        default=AttendanceStatusChoices.PRESENT,
    )

    class Meta:
        ordering = ["activity", "enrollment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatusChoices.values),
                name="attendance_status_valid",
                violation_error_message=_("Unknown attendance status."),
            ),
            models.UniqueConstraint(
                fields=["activity", "enrollment"],
                name="attendance_once_per_activity",
                violation_error_message=_("Attendance of this person at this activity is already recorded."),
            ),
        ]
        indexes = [
            models.Index(fields=["enrollment", "status"], name="attendance_enrollment_idx"),
        ]

    def __str__(self):
        return f"{self.enrollment.participant} — {self.activity}"

    @classmethod
    @transaction.atomic
    def record_sheet(cls, activity, enrollments, statuses, by=None):
        """Record a whole group's attendance at `activity` in one go.

        `enrollments` are those the user may record (in scope); `statuses` maps an enrollment's pk
        to a status, or to "" to remove what was recorded. Anything refused refuses the whole sheet.
        """
        by_pk = {enrollment.pk: enrollment for enrollment in enrollments}
        problems = []
        for pk, status in statuses.items():
            enrollment = by_pk.get(pk)
            if enrollment is None or enrollment.club_id != activity.club_id:
                problems.append(_("Attendance can be recorded only for participants of this club in your scope."))
            elif not enrollment.was_active_on(activity.held_on):
                problems.append(
                    _("%(person)s was not actively enrolled in the club on %(date)s.")
                    % {"person": enrollment.participant, "date": activity.held_on.strftime("%d.%m.%Y")}
                )
            if status and status not in AttendanceStatusChoices.values:
                problems.append(_("Unknown attendance status."))
        if problems:
            raise ValidationError(sorted(set(map(str, problems))))
        recorded = {a.enrollment_id: a for a in cls.objects.filter(activity=activity, enrollment_id__in=statuses)}
        new = [
            cls(activity=activity, enrollment_id=pk, status=s) for pk, s in statuses.items() if s and pk not in recorded
        ]
        changed = [a for pk, a in recorded.items() if statuses[pk] and statuses[pk] != a.status]
        removed = [a.pk for pk, a in recorded.items() if not statuses[pk]]
        now = timezone.now()
        for attendance in changed:
            attendance.status, attendance.updated_at = statuses[attendance.enrollment_id], now
        created = cls.objects.bulk_create(new)
        cls.objects.bulk_update(changed, ["status", "updated_at"])
        cls.objects.filter(pk__in=removed).delete()
        # Bulk writes pass by the audit trail's signals, so they are logged here.
        log_bulk(cls, [a.pk for a in created], LogEntry.Action.CREATE, actor=by)
        for status in {a.status for a in changed}:
            pks = [a.pk for a in changed if a.status == status]
            log_bulk(cls, pks, LogEntry.Action.UPDATE, {"status": status}, actor=by)
        log_bulk(cls, removed, LogEntry.Action.DELETE, actor=by)
        data_changed()
        return len(created), len(changed), len(removed)

    def clean(self):
        if not (self.activity_id and self.enrollment_id):
            return
        if self.activity.club_id != self.enrollment.club_id:
            raise ValidationError({"enrollment": _("Only participants of the activity's club can attend it.")})
        if not self.enrollment.was_active_on(self.activity.held_on):
            raise ValidationError(
                {
                    "enrollment": _("%(person)s was not actively enrolled in the club on %(date)s.")
                    % {"person": self.enrollment.participant, "date": self.activity.held_on.strftime("%d.%m.%Y")}
                }
            )


class Outcome(TimestampedModel):
    """What a participant achieved on leaving the club."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")

    enrollment = models.OneToOneField(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="outcome",
    )
    recorded_on = models.DateField(
        verbose_name=_("recorded on"),
    )
    situation = models.CharField(
        verbose_name=_("situation on leaving"),
        max_length=30,
        choices=OutcomeSituationChoices,
    )
    social_reintegration_achieved = models.BooleanField(
        verbose_name=_("improved social functioning (social reintegration effects)"),
        default=False,
    )
    qualification_gained = models.BooleanField(
        verbose_name=_("qualification gained"),
        default=False,
    )
    vocational_reintegration_achieved = models.BooleanField(
        verbose_name=_("vocational reintegration effects achieved"),
        default=False,
    )
    notes = models.TextField(
        verbose_name=_("notes"),
        blank=True,
    )

    class Meta:
        ordering = ["-recorded_on"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(situation__in=OutcomeSituationChoices.values),
                name="outcome_situation_valid",
                violation_error_message=_("Unknown situation."),
            ),
        ]

    def __str__(self):
        return f"{self.enrollment}: {self.get_situation_display()}"


class FollowUp(TimestampedModel):
    """A check of a former participant's situation some months after leaving."""

    scope_paths = ScopePaths(region="outcome__enrollment__club__region", club="outcome__enrollment__club")

    outcome = models.ForeignKey(
        verbose_name=_("outcome"),
        to="participants.Outcome",
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    months_after = models.PositiveSmallIntegerField(
        verbose_name=_("when"),
        choices=FollowUpMonthsChoices,
    )
    checked_on = models.DateField(
        verbose_name=_("checked on"),
    )
    situation = models.CharField(
        verbose_name=_("situation"),
        max_length=30,
        choices=OutcomeSituationChoices,
    )
    notes = models.TextField(
        verbose_name=_("notes"),
        blank=True,
    )

    class Meta:
        ordering = ["outcome", "months_after"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(months_after__in=FollowUpMonthsChoices.values),
                name="follow_up_months_valid",
                violation_error_message=_("A follow-up is made 3, 6 or 12 months after leaving."),
            ),
            models.CheckConstraint(
                condition=Q(situation__in=OutcomeSituationChoices.values),
                name="follow_up_situation_valid",
                violation_error_message=_("Unknown situation."),
            ),
            models.UniqueConstraint(
                fields=["outcome", "months_after"],
                name="follow_up_once_per_period",
                violation_error_message=_("This follow-up is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.outcome.enrollment} — {self.get_months_after_display()}"

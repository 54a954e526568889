from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopedManager, ScopePaths
from ksr_portal.validators import pesel_birth_date, pesel_is_male, validate_pesel

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


class Enrollment(TimestampedModel):
    """A participant's stay in one club, from referral to exit, with the facts recorded at entry."""

    scope_paths = ScopePaths(region="club__region", club="club")

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

    def save(self, *args, **kwargs):
        person = self.participant
        if person.birth_date and person.anonymised_on is None and self.entry_date:
            born, entry = person.birth_date, self.entry_date
            self.age_on_entry = entry.year - born.year - ((entry.month, entry.day) < (born.month, born.day))
        super().save(*args, **kwargs)

    def clean(self):
        if self.long_term_unemployed and self.labour_market_status not in (
            EnrollmentLabourMarketStatusChoices.UNEMPLOYED_REGISTERED,
            EnrollmentLabourMarketStatusChoices.UNEMPLOYED_UNREGISTERED,
        ):
            raise ValidationError({"long_term_unemployed": _("Only an unemployed person can be long-term unemployed.")})


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
        default=3,
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


class Goal(TimestampedModel):
    """A goal of an action plan under one of the six pillars, with the services planned for it."""

    scope_paths = ScopePaths(region="plan__enrollment__club__region", club="plan__enrollment__club")

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

    class Meta:
        ordering = ["plan", "pillar__order"]
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


class SocialContract(TimestampedModel):
    """A social contract (art. 108 of the Social Assistance Act): the condition of attending a KIS."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")

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

    def clean(self):
        if self.activity_id and self.enrollment_id and self.activity.club_id != self.enrollment.club_id:
            raise ValidationError({"enrollment": _("Only participants of the activity's club can attend it.")})


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
        verbose_name=_("social reintegration effects achieved"),
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

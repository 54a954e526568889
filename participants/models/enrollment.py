"""A person's stay in a club (enrollment), its art. 1 categories and its status history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopedManager, ScopePaths
from ksr_portal.workflow import StateMachine

from ..choices import (
    ConsentPurposeChoices,
    EligibilityCategoryCodeChoices,
    EnrollmentBenefitExclusionChoices,
    EnrollmentEducationLevelChoices,
    EnrollmentExitReasonChoices,
    EnrollmentLabourMarketStatusChoices,
    EnrollmentStatusChoices,
    SocialContractStatusChoices,
    TransferStatusChoices,
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


# name: (label of the action, statuses it starts from, status it leads to)
ENROLLMENT_TRANSITIONS = {
    "qualify": (_("Qualify"), [EnrollmentStatusChoices.CANDIDATE], EnrollmentStatusChoices.QUALIFIED),
    "activate": (_("Start participation"), [EnrollmentStatusChoices.QUALIFIED], EnrollmentStatusChoices.ACTIVE),
    "complete": (_("Complete"), [EnrollmentStatusChoices.ACTIVE], EnrollmentStatusChoices.COMPLETED),
    "drop_out": (_("Record dropping out"), OPEN_ENROLLMENT_STATUSES, EnrollmentStatusChoices.DROPPED_OUT),
    # Taken only by the receiving club's acceptance of a proposal (Transfer.accept).
    "transfer": (
        _("Transfer to another club or centre"),
        [EnrollmentStatusChoices.QUALIFIED, EnrollmentStatusChoices.ACTIVE],
        EnrollmentStatusChoices.TRANSFERRED,
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


# What EU monitoring records of the person's situation when the stay begins.
SITUATION_AT_ENTRY = [
    "education_level",
    "labour_market_status",
    "long_term_unemployed",
    "minority_or_migrant",
    "homeless",
    "disability",
    "other_disadvantage",
]


class Enrollment(StateMachine, TimestampedModel):
    """A participant's stay in one club, from referral to exit, with the facts recorded at entry."""

    scope_paths = ScopePaths(region="club__region", club="club")
    transitions = ENROLLMENT_TRANSITIONS
    initial_statuses = [EnrollmentStatusChoices.CANDIDATE]
    # Who referred the person, their art. 1 categories and their situation at entry (special-category
    # data) are shown only with this permission (the coordinator's, not the instructor's).
    restricted_fields = {
        "view_eligibility_enrollment": [
            "referred_by",
            "referred_on",
            "referral_contact",
            "eligibility_categories",
            "benefit_exclusion",
            *SITUATION_AT_ENTRY,
            "age_on_entry",
        ]
    }

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

    transferred_from = models.OneToOneField(
        verbose_name=_("transferred from the stay"),
        to="self",
        on_delete=models.PROTECT,
        related_name="transferred_to",
        null=True,
        blank=True,
        editable=False,
        help_text=_("The stay in another club this one continues; its plan and contract are read here as history."),
    )

    age_on_entry = models.PositiveSmallIntegerField(
        verbose_name=_("age on entry"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Kept for reports, so that they stay the same after the person is anonymised."),
    )

    # The categories a form or an import is about to set, which clean() checks: many-to-many rows are
    # written after the enrollment itself. None: the categories it has.
    categories_to_save = None

    class Meta:
        ordering = ["-applied_on"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        permissions = [
            (
                "view_eligibility_enrollment",
                _("Can view an enrollment's referral, art. 1 categories and situation at entry"),
            )
        ]
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

    def is_open(self):
        return self.status in OPEN_ENROLLMENT_STATUSES

    @property
    def entry_date(self):
        return self.started_on or self.applied_on

    def qualify(self, on, by=None):
        """Candidate → qualified: an art. 1 category, no art. 1 ust. 3 exclusion, the person's consent."""
        self._transition("qualify", on, by, self.qualify_problems(on), qualified_on=on)

    def qualify_problems(self, on):
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
        return problems

    def activate(self, on, by=None):
        """Qualified → active: participation starts with a signed social contract."""
        self._transition("activate", on, by, self.activate_problems(), started_on=on)

    def activate_problems(self):
        if not self.social_contracts.filter(status=SocialContractStatusChoices.SIGNED).exists():
            return [_("Starting participation needs a signed social contract.")]
        return []

    def next_step(self, on):
        """(name of the transition that moves the stay forward, what stands in its way today), or None
        for a stay that has ended; completing needs only the exit's details, asked for by its form."""
        if self.status == EnrollmentStatusChoices.CANDIDATE:
            return "qualify", self.qualify_problems(on)
        if self.status == EnrollmentStatusChoices.QUALIFIED:
            return "activate", self.activate_problems()
        if self.status == EnrollmentStatusChoices.ACTIVE:
            return "complete", []
        return None

    def complete(self, on, reason, by=None, certificate_number=""):
        """Active → completed, with the exit date and reason, and the completion certificate's number."""
        changes = {"exit_on": on, "exit_reason": reason}
        if certificate_number:
            changes |= {"certificate_number": certificate_number, "certificate_issued_on": on}
        self._transition("complete", on, by, self._exit_problems(reason), **changes)

    def drop_out(self, on, reason, by=None):
        self._transition("drop_out", on, by, self._exit_problems(reason), exit_on=on, exit_reason=reason)

    def transfer(self, on, by=None, accepted=None):
        """Qualified or active → transferred, when the receiving club accepts the proposal `accepted`."""
        problems = []
        if accepted is None or accepted.enrollment_id != self.pk or accepted.status != TransferStatusChoices.ACCEPTED:
            problems.append(_("A stay is transferred when the receiving club accepts a proposal of the transfer."))
        reason = EnrollmentExitReasonChoices.TRANSFERRED
        self._transition("transfer", on, by, problems, exit_on=on, exit_reason=reason)

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
        if self.status in (EnrollmentStatusChoices.QUALIFIED, EnrollmentStatusChoices.ACTIVE):
            errors |= self.eligibility_errors()
        if errors:
            raise ValidationError(errors)

    def eligibility_errors(self):
        """What art. 1 no longer allows a qualified or active participant: leaving is recorded instead."""
        errors = {}
        if self.categories_to_save is not None:
            has_category = bool(self.categories_to_save)
        else:
            has_category = self.pk is not None and self.eligibility_categories.exists()
        if not has_category:
            errors["eligibility_categories"] = _(
                "A qualified or active participant keeps at least one eligibility category of art. 1 ust. 2; "
                "if they no longer qualify, record their leaving."
            )
        if self.benefit_exclusion != EnrollmentBenefitExclusionChoices.NONE:
            errors["benefit_exclusion"] = _(
                "A qualified or active participant cannot be excluded by art. 1 ust. 3; "
                "if they are excluded now, record their leaving."
            )
        return errors


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

"""The social contract of a stay, its obligations and the family members it covers."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.workflow import StateMachine

from ..choices import SocialContractStatusChoices

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

# What the parties signed: from then on it changes only by an annex (extend) or the contract's end.
SIGNED_CONTENT = [
    "enrollment",
    "number",
    "referring_organization",
    "social_worker",
    "valid_from",
    "valid_until",
    "situation_assessment",
    "participant_obligations",
    "worker_obligations",
    "signed_on",
    "termination_reason",
    "fulfilment_assessment",
]


class SocialContract(StateMachine, TimestampedModel):
    """A social contract (art. 108 of the Social Assistance Act): the condition of attending a KIS."""

    scope_paths = ScopePaths(
        region="enrollment__club__region", club="enrollment__club", shared_club="enrollment__transferred_to__club"
    )
    transitions = SOCIAL_CONTRACT_TRANSITIONS
    initial_statuses = [SocialContractStatusChoices.DRAFT]

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

    def is_signed(self):
        """Signed as the database holds it: a contract that is or was in force."""
        return self.stored_status() not in (None, SocialContractStatusChoices.DRAFT)

    def transition_problems(self):
        problems = super().transition_problems()
        if self.is_signed() and self.changed_outside_transition(SIGNED_CONTENT):
            problems[NON_FIELD_ERRORS] = _(
                "A signed contract changes only by its actions: an extension, settlement or termination."
            )
        return problems

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


class HouseholdMember(TimestampedModel):
    """A member of the participant's family covered by the social contract, as the template lists them."""

    scope_paths = ScopePaths(
        region="contract__enrollment__club__region",
        club="contract__enrollment__club",
        shared_club="contract__enrollment__transferred_to__club",
    )

    contract = models.ForeignKey(
        verbose_name=_("social contract"),
        to="participants.SocialContract",
        on_delete=models.CASCADE,
        related_name="household_members",
    )
    name = models.CharField(
        verbose_name=_("first and last name"),
        max_length=200,
    )
    relationship = models.CharField(
        verbose_name=_("relationship to the participant"),
        max_length=100,
        help_text=_("For example: wife, son, mother."),
    )

    class Meta:
        ordering = ["contract", "created_at"]
        verbose_name = _("family member covered by the contract")
        verbose_name_plural = _("family members covered by the contract")

    def __str__(self):
        return f"{self.name} ({self.relationship})"

    def clean(self):
        # The family covered is part of what the parties signed.
        if self.contract_id and self.contract.is_signed() and self.changed_since_loaded():
            raise ValidationError(_("The family covered by a signed contract changes only by an annex."))

    def changed_since_loaded(self):
        if self._state.adding:
            return True
        stored = HouseholdMember.objects.filter(pk=self.pk).values("name", "relationship").first()
        return stored != {"name": self.name, "relationship": self.relationship}

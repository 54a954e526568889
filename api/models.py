"""The API's own records: the keys other systems call it with, and the referrals they send to clubs."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from clubs.models import Club
from ksr_portal import roles
from ksr_portal.models import TimestampedModel, UserScope, UserScopeLevelChoices
from ksr_portal.scoping import ScopePaths, user_scope
from ksr_portal.validators import pesel_birth_date, validate_pesel
from ksr_portal.workflow import StateMachine
from networks.models import Region

from .choices import ReferralStatusChoices

KEY_PREFIX = "ksr"


def digest_of(secret):
    """The stored form of a key's secret. A key is 256 random bits, so a plain SHA-256 cannot be reversed
    by guessing, and checking one stays cheap on every request."""
    return hashlib.sha256(secret.encode()).hexdigest()


def account_name(organization, prefix):
    """The service account's user name, which the audit trail shows as the actor: "api-mops-kielce-1a2b3c4d"."""
    name = slugify(organization.name.replace("ł", "l").replace("Ł", "L"))[:120]
    return f"api-{name}-{prefix}"


def issue_problems(issuer, role, level, region, club):
    """{field: message} for a key `issuer` may not issue with this role and scope; empty if they may."""
    problems = {}
    if role not in roles.key_roles(issuer):
        problems["role"] = _("You cannot issue a key with this role.")
    scope = UserScope(level=level, region=region, club=club)
    scope.user = get_user_model()()
    scope.user.granted_groups = [roles.role_group(role)] if role in roles.ROLES else []
    try:
        scope.full_clean(exclude=["user"])
    except ValidationError as error:
        problems |= {name: " ".join(messages) for name, messages in error.message_dict.items()}
        return problems
    own = user_scope(issuer)
    if scope.level == UserScopeLevelChoices.NATIONAL:
        national = issuer.is_superuser or (own is not None and own.level == UserScopeLevelChoices.NATIONAL)
        if not national:
            problems["level"] = _("You can issue a key only within your own scope.")
    elif not Region.objects.restrict(issuer).filter(pk=scope.region_id).exists() or (
        scope.club_id and not Club.objects.restrict(issuer).filter(pk=scope.club_id).exists()
    ):
        problems["level"] = _("You can issue a key only within your own scope.")
    return problems


class ApiKey(TimestampedModel):
    """A key another system (an OPS's or a PUP's case system, a regional or the ministry's) calls the API with.

    The key acts through its own service account: a user without a password who holds the key's role (its
    group) and scope (its `UserScope`), so the API reaches exactly what that role and scope reach in the
    pages, by the same `restrict()`. Only a digest of the key is stored; the key is shown once, when issued.
    """

    scope_paths = ScopePaths(region="account__scope__region")

    organization = models.ForeignKey(
        verbose_name=_("organisation"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="api_keys",
        help_text=_("The organisation whose system uses the key."),
    )
    account = models.OneToOneField(
        verbose_name=_("service account"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_key",
        editable=False,
    )
    prefix = models.CharField(
        verbose_name=_("key prefix"),
        max_length=8,
        unique=True,
        editable=False,
        help_text=_("The start of the key, which tells keys apart; the rest is not stored."),
    )
    digest = models.CharField(
        verbose_name=_("key digest"),
        max_length=64,
        editable=False,
    )
    expires_on = models.DateField(
        verbose_name=_("valid until"),
    )
    last_used_at = models.DateTimeField(
        verbose_name=_("last used"),
        null=True,
        blank=True,
        editable=False,
    )
    revoked_at = models.DateTimeField(
        verbose_name=_("revoked at"),
        null=True,
        blank=True,
        editable=False,
    )
    issued_by = models.ForeignKey(
        verbose_name=_("issued by"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["organization__name", "-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.organization} ({KEY_PREFIX}_{self.prefix})"

    def is_usable(self, today=None):
        return self.revoked_at is None and self.expires_on >= (today or timezone.localdate())

    @classmethod
    @transaction.atomic
    def issue(cls, *, organization, role, level, expires_on, by, region=None, club=None):
        """Issue a key; returns it and the key's text, which is shown once and stored nowhere."""
        problems = issue_problems(by, role, level, region, club)
        if expires_on and expires_on < timezone.localdate():
            problems["expires_on"] = _("A key cannot expire in the past.")
        if problems:
            raise ValidationError(problems)
        prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
        account = get_user_model()(
            username=account_name(organization, prefix), first_name=organization.name[:150], last_name="(API)"
        )
        account.set_unusable_password()
        account.save()
        account.groups.set([roles.role_group(role)])
        scope = UserScope(user=account, level=level, region=region, club=club)
        scope.full_clean()
        scope.save()
        key = cls(organization=organization, account=account, prefix=prefix, digest=digest_of(secret))
        key.expires_on, key.issued_by = expires_on, by
        key.full_clean()
        key.save()
        return key, f"{KEY_PREFIX}_{prefix}_{secret}"

    def revoke(self):
        if self.revoked_at is not None:
            raise ValidationError(_("This key is already revoked."))
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at", "updated_at"])

    @property
    def role(self):
        held = roles.roles_of(self.account.groups.all())
        return next(iter(held), None)


REFERRAL_TRANSITIONS = {
    "accept": (_("Accept the referral"), [ReferralStatusChoices.RECEIVED], ReferralStatusChoices.ACCEPTED),
    "decline": (_("Decline the referral"), [ReferralStatusChoices.RECEIVED], ReferralStatusChoices.DECLINED),
}


REFERENCE_TAKEN = _("Your organisation has already sent a referral with this reference.")


class InboundReferral(StateMachine, TimestampedModel):
    """A person referred to a club by another institution's system (an OPS, a PUP), until the club answers.

    The referrer names it by its own reference and reads the club's answer back by it. The club registers an
    accepted person through its registration page, which matches them to any record the portal holds.
    """

    scope_paths = ScopePaths(region="club__region", club="club")
    transitions = REFERRAL_TRANSITIONS
    initial_statuses = [ReferralStatusChoices.RECEIVED]

    client = models.ForeignKey(
        verbose_name=_("sent with the key"),
        to="api.ApiKey",
        on_delete=models.PROTECT,
        related_name="referrals",
        editable=False,
    )
    referrer = models.ForeignKey(
        verbose_name=_("referring organisation"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="api_referrals",
        editable=False,
    )
    reference = models.CharField(
        verbose_name=_("referrer's reference"),
        max_length=100,
        help_text=_("The case number in the referring organisation's system."),
    )
    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.PROTECT,
        related_name="api_referrals",
    )
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
    )
    birth_date = models.DateField(
        verbose_name=_("date of birth"),
        null=True,
        blank=True,
    )
    contact = models.CharField(
        verbose_name=_("contact"),
        max_length=200,
        help_text=_("How the club reaches the person or their social worker."),
    )
    reason = models.TextField(
        verbose_name=_("reason for the referral"),
    )
    eligibility_categories = models.ManyToManyField(
        verbose_name=_("art. 1 eligibility categories"),
        to="participants.EligibilityCategory",
        related_name="api_referrals",
        blank=True,
        help_text=_("The categories of art. 1 ust. 2 the referrer believes apply; the club checks them."),
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=10,
        choices=ReferralStatusChoices,
        default=ReferralStatusChoices.RECEIVED,
    )
    answered_on = models.DateField(
        verbose_name=_("answered on"),
        null=True,
        blank=True,
        editable=False,
    )
    answer = models.TextField(
        verbose_name=_("club's answer"),
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral from another system")
        verbose_name_plural = _("referrals from other systems")
        constraints = [
            models.UniqueConstraint(
                fields=["referrer", "reference"],
                name="api_referral_reference_unique",
                violation_error_message=REFERENCE_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatusChoices.values),
                name="api_referral_status_valid",
                violation_error_message=_("Unknown referral status."),
            ),
            models.CheckConstraint(
                condition=~Q(pesel="") | Q(birth_date__isnull=False),
                name="api_referral_pesel_or_birth_date",
                violation_error_message=_("Give the person's PESEL or, without one, their date of birth."),
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatusChoices.RECEIVED) | Q(answered_on__isnull=False),
                name="api_referral_answered_has_date",
                violation_error_message=_("An answered referral needs the date of the answer."),
            ),
        ]
        indexes = [
            models.Index(fields=["club", "status"], name="api_referral_club_status_idx"),
        ]

    def __str__(self):
        return f"{self.referrer}: {self.reference}"

    def clean(self):
        if self.pesel and self.birth_date:
            try:
                validate_pesel(self.pesel)
            except ValidationError:
                return  # the PESEL's own error says what is wrong
            if pesel_birth_date(self.pesel) != self.birth_date:
                raise ValidationError({"birth_date": _("The date of birth does not match the PESEL.")})

    def accept(self, on, answer="", by=None):
        self.apply_transition("accept", on, self._answer_problems(on), answered_on=on, answer=answer)

    def decline(self, on, answer="", by=None):
        problems = self._answer_problems(on) + ([] if answer else [_("Give the reason for declining.")])
        self.apply_transition("decline", on, problems, answered_on=on, answer=answer)

    def _answer_problems(self, on):
        if on and self.created_at and on < timezone.localdate(self.created_at):
            return [_("The answer cannot come before the referral was received.")]
        return []

"""People and their consents."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.validators import pesel_birth_date, pesel_is_male, validate_pesel

from ..choices import ConsentPurposeChoices, ParticipantSexChoices


class Participant(TimestampedModel):
    """A person taking part in a club: identity and the few facts EU monitoring requires, nothing more."""

    scope_paths = ScopePaths(region="enrollments__club__region", club="enrollments__club")
    # What identifies a person beyond the name is shown only with this permission (the coordinator's,
    # not the instructor's): in the admin, its lists, search and filters, the record and its JSON.
    restricted_fields = {"view_identity_participant": ["pesel", "birth_date", "municipality"]}

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
    identity_pending = models.BooleanField(
        verbose_name=_("identity waiting for confirmation"),
        default=False,
        editable=False,
        help_text=_(
            "Registered with a PESEL already in the portal under another identity: not taken for the person of "
            "that PESEL, and shown to the club that registered it as it was typed."
        ),
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
        permissions = [
            ("view_identity_participant", _("Can view a participant's PESEL, date of birth and municipality"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pesel"],
                condition=~Q(pesel="") & Q(identity_pending=False),
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

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.stored_pesel = instance.__dict__.get("pesel")
        return instance

    def wait_for_identity_if_taken(self):
        """An edit to a PESEL that another confirmed record holds makes this one wait for identity
        confirmation, as registration does, instead of answering with the uniqueness error, which
        would tell whether the number is in the portal. (Registration and import decide it for the
        records they make.)"""
        if self._state.adding or self.identity_pending or self.pesel == getattr(self, "stored_pesel", None):
            return
        if Participant._base_manager.filter(pesel=self.pesel, identity_pending=False).exclude(pk=self.pk).exists():
            self.identity_pending = True

    def clean(self):
        errors = {}
        if self.pesel:
            try:
                validate_pesel(self.pesel)
            except ValidationError:
                pass  # reported by the field validator; nothing more to compare against
            else:
                self.wait_for_identity_if_taken()
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

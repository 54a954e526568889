"""Partner organisations (stakeholder types A, B, C) and their contact persons."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.collation import Polish
from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.validators import validate_krs, validate_nip, validate_postal_code, validate_regon

from ..choices import OrganizationLegalFormChoices, OrganizationStakeholderTypeChoices


class Organization(TimestampedModel):
    """An institution or organisation that runs a club or takes part in a network (stakeholder A, B or C)."""

    scope_paths = ScopePaths(region="region")

    name = models.CharField(
        verbose_name=_("name"),
        max_length=300,
    )
    legal_form = models.CharField(
        verbose_name=_("legal form"),
        max_length=30,
        choices=OrganizationLegalFormChoices,
    )
    stakeholder_type = models.CharField(
        verbose_name=_("stakeholder type"),
        max_length=1,
        choices=OrganizationStakeholderTypeChoices,
    )
    pillars = models.ManyToManyField(
        verbose_name=_("pillars served"),
        to="clubs.Pillar",
        related_name="organizations",
        blank=True,
    )
    nip = models.CharField(
        verbose_name=_("NIP"),
        max_length=10,
        blank=True,
        validators=[validate_nip],
    )
    regon = models.CharField(
        verbose_name=_("REGON"),
        max_length=14,
        blank=True,
        validators=[validate_regon],
    )
    krs = models.CharField(
        verbose_name=_("KRS"),
        max_length=10,
        blank=True,
        validators=[validate_krs],
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    municipality = models.ForeignKey(
        verbose_name=_("municipality"),
        to="networks.Municipality",
        on_delete=models.PROTECT,
        related_name="organizations",
        null=True,
        blank=True,
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
    website = models.URLField(
        verbose_name=_("website"),
        blank=True,
    )

    class Meta:
        ordering = [Polish("name")]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(stakeholder_type__in=OrganizationStakeholderTypeChoices.values),
                name="organization_stakeholder_type_valid",
                violation_error_message=_("The stakeholder type must be A, B or C."),
            ),
            models.CheckConstraint(
                condition=Q(legal_form__in=OrganizationLegalFormChoices.values),
                name="organization_legal_form_valid",
                violation_error_message=_("Unknown legal form."),
            ),
            models.UniqueConstraint(
                fields=["nip"],
                condition=~Q(nip=""),
                name="organization_unique_nip",
                violation_error_message=_("An organisation with this NIP is already registered."),
            ),
            models.UniqueConstraint(
                fields=["regon"],
                condition=~Q(regon=""),
                name="organization_unique_regon",
                violation_error_message=_("An organisation with this REGON is already registered."),
            ),
            models.UniqueConstraint(
                fields=["krs"],
                condition=~Q(krs=""),
                name="organization_unique_krs",
                violation_error_message=_("An organisation with this KRS number is already registered."),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "stakeholder_type"], name="organization_region_type_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.municipality_id and self.region_id and self.municipality.region_id != self.region_id:
            raise ValidationError({"municipality": _("The municipality lies in another region than the organisation.")})


class ContactPerson(TimestampedModel):
    """A person to contact at an organisation (staff, not a participant)."""

    scope_paths = ScopePaths(region="organization__region")

    organization = models.ForeignKey(
        verbose_name=_("organisation"),
        to="stakeholders.Organization",
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
    )
    position = models.CharField(
        verbose_name=_("position"),
        max_length=200,
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

    class Meta:
        ordering = ["organization", Polish("name")]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name

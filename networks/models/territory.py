"""Voivodeships, counties and municipalities of the TERC register."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopedManager, ScopePaths
from ksr_portal.validators import (
    validate_county_terc,
    validate_municipality_terc,
    validate_region_terc,
)

from ..choices import (
    MunicipalityDegurbaChoices,
    MunicipalityKindChoices,
)


class TercManager(ScopedManager):
    """Looks units up by their TERC code, which is also their natural key in fixtures and imports."""

    def get_by_natural_key(self, terc):
        return self.get(terc=terc)


class Region(TimestampedModel):
    """A voivodeship with its regional social policy centre (ROPS)."""

    # Someone of one region or club meets only that region in lists, filters and choices.
    scope_paths = ScopePaths(region="pk")

    terc = models.CharField(
        verbose_name=_("TERC code"),
        max_length=2,
        unique=True,
        validators=[validate_region_terc],
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
        unique=True,
    )
    rops_name = models.CharField(
        verbose_name=_("ROPS name"),
        max_length=200,
    )
    rops_town = models.CharField(
        verbose_name=_("ROPS seat"),
        max_length=100,
    )
    rops_address = models.CharField(
        verbose_name=_("ROPS address"),
        max_length=200,
        blank=True,
    )
    rops_email = models.EmailField(
        verbose_name=_("ROPS e-mail"),
        blank=True,
    )
    rops_phone = models.CharField(
        verbose_name=_("ROPS phone"),
        max_length=30,
        blank=True,
    )
    in_pilot = models.BooleanField(
        verbose_name=_("in the KSR pilot"),
        default=False,
    )

    objects = TercManager()

    class Meta:
        ordering = ["terc"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.terc,)


class County(TimestampedModel):
    """A powiat (4-digit TERC code), including cities with county rights."""

    scope_paths = ScopePaths(region="region")

    terc = models.CharField(
        verbose_name=_("TERC code"),
        max_length=4,
        unique=True,
        validators=[validate_county_terc],
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="counties",
    )

    objects = TercManager()

    class Meta:
        ordering = ["terc"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.terc,)

    def clean(self):
        if self.terc and self.region_id and not self.terc.startswith(self.region.terc):
            raise ValidationError({"terc": _("A county's TERC code must start with its region's code.")})


class Municipality(TimestampedModel):
    """A gmina or a part of one, as listed in the GUS TERC register (7-digit code)."""

    scope_paths = ScopePaths(region="region")

    terc = models.CharField(
        verbose_name=_("TERC code"),
        max_length=7,
        unique=True,
        validators=[validate_municipality_terc],
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=1,
        choices=MunicipalityKindChoices,
    )
    county = models.ForeignKey(
        verbose_name=_("county"),
        to="networks.County",
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    degurba = models.CharField(
        verbose_name=_("degree of urbanisation (DEGURBA)"),
        max_length=1,
        choices=MunicipalityDegurbaChoices,
        blank=True,
    )

    objects = TercManager()

    class Meta:
        ordering = ["terc"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MunicipalityKindChoices.values),
                name="municipality_kind_valid",
                violation_error_message=_("Unknown municipality kind."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def natural_key(self):
        return (self.terc,)

    def clean(self):
        errors = {}
        if self.terc:
            if self.kind and self.terc[-1] != self.kind:
                errors["kind"] = _("The kind must match the last digit of the TERC code.")
            if self.county_id and not self.terc.startswith(self.county.terc):
                errors["county"] = _("A municipality's TERC code must start with its county's code.")
            if self.region_id and not self.terc.startswith(self.region.terc):
                errors["region"] = _("A municipality's TERC code must start with its region's code.")
        if errors:
            raise ValidationError(errors)

"""The six pillars of the service profile and the catalogue of services."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.collation import Polish
from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopedManager, ScopePaths

from ..choices import PillarCodeChoices


class PillarManager(ScopedManager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Pillar(models.Model):
    """One of the six pillars of the service catalogue; the rows are created by a migration."""

    code = models.CharField(
        verbose_name=_("code"),
        max_length=20,
        unique=True,
        choices=PillarCodeChoices,
    )
    order = models.PositiveSmallIntegerField(
        verbose_name=_("order"),
        unique=True,
    )

    objects = PillarManager()
    scope_paths = ScopePaths()

    class Meta:
        ordering = ["order"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=PillarCodeChoices.values),
                name="pillar_code_one_of_six",
                violation_error_message=_("A pillar must be one of the six of the service profile."),
            ),
        ]

    def __str__(self):
        return str(self.get_code_display())

    def natural_key(self):
        return (self.code,)


class ServiceManager(ScopedManager):
    def get_by_natural_key(self, pillar_code, name):
        return self.get(pillar__code=pillar_code, name=name)


class Service(TimestampedModel):
    """A service of the reintegration catalogue, under one pillar."""

    pillar = models.ForeignKey(
        verbose_name=_("pillar"),
        to="clubs.Pillar",
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
    )
    description = models.TextField(
        verbose_name=_("description"),
        blank=True,
    )
    is_active = models.BooleanField(
        verbose_name=_("in the catalogue"),
        default=True,
    )

    objects = ServiceManager()

    class Meta:
        ordering = ["pillar__order", Polish("name")]
        verbose_name = _("catalogue service")
        verbose_name_plural = _("catalogue services")
        constraints = [
            models.UniqueConstraint(
                fields=["pillar", "name"],
                name="service_unique_name_in_pillar",
                violation_error_message=_("This pillar already has a service of this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.pillar.code, self.name)

    natural_key.dependencies = ["clubs.pillar"]

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopedManager, ScopePaths
from ksr_portal.validators import validate_postal_code
from reporting.figures_cache import data_changed

from .choices import ClubKindChoices, ClubStatusChoices, EmploymentBasisChoices, PillarCodeChoices


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
        ordering = ["pillar__order", "name"]
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


class Club(TimestampedModel):
    """A social integration club (KIS) or centre (CIS), as entered in the voivode's registry."""

    scope_paths = ScopePaths(region="region", club="pk")

    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=3,
        choices=ClubKindChoices,
        default=ClubKindChoices.KIS,
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
    )
    operator = models.ForeignKey(
        verbose_name=_("operator"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="operated_clubs",
        null=True,
        blank=True,
        help_text=_("The entity running the club. Unknown only for pilot places the sources do not name."),
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="clubs",
    )
    municipality = models.ForeignKey(
        verbose_name=_("municipality"),
        to="networks.Municipality",
        on_delete=models.PROTECT,
        related_name="clubs",
        null=True,
        help_text=_("Unknown only for pilot places the sources do not name."),
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
    manager_name = models.CharField(
        verbose_name=_("manager"),
        max_length=200,
        blank=True,
    )
    created_on = models.DateField(
        verbose_name=_("date created"),
        null=True,
        blank=True,
    )
    activity_started_on = models.DateField(
        verbose_name=_("date activity started"),
        null=True,
        blank=True,
    )
    registered_on = models.DateField(
        verbose_name=_("date registered with the voivode"),
        null=True,
        blank=True,
    )
    registry_number = models.CharField(
        verbose_name=_("registry number"),
        max_length=50,
        blank=True,
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=ClubStatusChoices,
        default=ClubStatusChoices.PLANNED,
    )
    closed_on = models.DateField(
        verbose_name=_("date closed"),
        null=True,
        blank=True,
    )
    under_mayor_auspices = models.BooleanField(
        verbose_name=_("under the mayor's auspices"),
        default=False,
        help_text=_(
            "The threshold condition of the KSR model: the club works at least under the auspices of the "
            "wójt, burmistrz or prezydent."
        ),
    )
    is_pilot = models.BooleanField(
        verbose_name=_("pilot club"),
        default=False,
        help_text=_("One of the 32 clubs created in the 2019 KSR pilot."),
    )
    grant_agreement_number = models.CharField(
        verbose_name=_("grant agreement number"),
        max_length=100,
        blank=True,
    )
    grant_amount = models.DecimalField(
        verbose_name=_("grant amount (PLN)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    services = models.ManyToManyField(
        verbose_name=_("services offered"),
        to="clubs.Service",
        related_name="clubs",
        blank=True,
    )
    notes = models.TextField(
        verbose_name=_("notes"),
        blank=True,
    )

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("club")
        verbose_name_plural = _("clubs")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ClubKindChoices.values),
                name="club_kind_valid",
                violation_error_message=_("Unknown club kind."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClubStatusChoices.values),
                name="club_status_valid",
                violation_error_message=_("Unknown club status."),
            ),
            models.UniqueConstraint(
                fields=["registry_number"],
                condition=~Q(registry_number=""),
                name="club_unique_registry_number",
                violation_error_message=_("Another club already has this registry number."),
            ),
            models.CheckConstraint(
                condition=Q(grant_amount__isnull=True) | Q(grant_amount__gte=0),
                name="club_grant_not_negative",
                violation_error_message=_("The grant amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(created_on__isnull=True)
                | Q(activity_started_on__isnull=True)
                | Q(activity_started_on__gte=F("created_on")),
                name="club_activity_after_creation",
                violation_error_message=_("Activity cannot start before the club was created."),
            ),
            models.CheckConstraint(
                condition=Q(created_on__isnull=True)
                | Q(registered_on__isnull=True)
                | Q(registered_on__gte=F("created_on")),
                name="club_registered_after_creation",
                violation_error_message=_("A club cannot be registered before it was created."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(created_on__isnull=True) | Q(closed_on__gte=F("created_on")),
                name="club_closed_after_creation",
                violation_error_message=_("A club cannot close before it was created."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ClubStatusChoices.CLOSED) | Q(closed_on__isnull=False),
                name="club_closed_has_date",
                violation_error_message=_("A closed club needs the date it closed."),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="club_region_status_idx"),
            models.Index(fields=["municipality"], name="club_municipality_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.municipality_id and self.region_id and self.municipality.region_id != self.region_id:
            errors["municipality"] = _("The municipality lies in another region than the club.")
        cap = settings.KSR_PILOT_GRANT_CAP
        if self.is_pilot and self.grant_amount is not None and self.grant_amount > cap:
            errors["grant_amount"] = _("A pilot club's grant cannot exceed %(cap)s PLN.") % {"cap": cap}
        if errors:
            raise ValidationError(errors)


class Activity(TimestampedModel):
    """A class held by a club or a partner: one catalogue service on one day."""

    scope_paths = ScopePaths(region="club__region", club="club")

    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    service = models.ForeignKey(
        verbose_name=_("catalogue service"),
        to="clubs.Service",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    provider = models.ForeignKey(
        verbose_name=_("provider"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="provided_activities",
        help_text=_("The club's operator or the partner organisation that runs the class."),
    )
    title = models.CharField(
        verbose_name=_("title"),
        max_length=200,
    )
    held_on = models.DateField(
        verbose_name=_("date"),
    )
    start_time = models.TimeField(
        verbose_name=_("start time"),
        null=True,
        blank=True,
    )
    hours = models.DecimalField(
        verbose_name=_("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(12)],
    )
    location = models.CharField(
        verbose_name=_("location"),
        max_length=200,
        blank=True,
    )

    class Meta:
        ordering = ["-held_on", "club"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0.5) & Q(hours__lte=12),
                name="activity_hours_range",
                violation_error_message=_("An activity lasts from half an hour to 12 hours."),
            ),
        ]
        indexes = [
            models.Index(fields=["club", "held_on"], name="activity_club_date_idx"),
            models.Index(fields=["held_on"], name="activity_date_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.held_on:%d.%m.%Y})"

    @transaction.atomic
    def repeat_weekly(self, until):
        """Copies of this activity every week after it, up to `until` (at most a year); all or nothing."""
        if until <= self.held_on:
            raise ValidationError(_("A weekly series must end after its first activity."))
        if until > self.held_on + datetime.timedelta(days=366):
            raise ValidationError(_("A weekly series can run for at most a year."))
        copies = []
        day = self.held_on + datetime.timedelta(weeks=1)
        while day <= until:
            copy = Activity(
                club=self.club,
                service=self.service,
                provider=self.provider,
                title=self.title,
                held_on=day,
                start_time=self.start_time,
                hours=self.hours,
                location=self.location,
            )
            copy.full_clean()
            copies.append(copy)
            day += datetime.timedelta(weeks=1)
        created = Activity.objects.bulk_create(copies)
        data_changed()
        return created


class StaffPosition(TimestampedModel):
    """A post in a club's staff in one year, for the annual report to the voivode (no names kept)."""

    scope_paths = ScopePaths(region="club__region", club="club")

    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.CASCADE,
        related_name="staff_positions",
    )
    year = models.PositiveSmallIntegerField(
        verbose_name=_("year"),
        validators=[MinValueValidator(2004), MaxValueValidator(2100)],
    )
    position = models.CharField(
        verbose_name=_("position"),
        max_length=100,
    )
    employment_basis = models.CharField(
        verbose_name=_("basis of employment"),
        max_length=30,
        choices=EmploymentBasisChoices,
    )
    fte = models.DecimalField(
        verbose_name=_("working time (FTE)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.50"))],
    )

    class Meta:
        ordering = ["club", "-year", "position"]
        verbose_name = _("staff position")
        verbose_name_plural = _("staff positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=Decimal("1.50")),
                name="staff_position_fte_range",
                violation_error_message=_("Working time is more than 0 and at most 1.5 FTE."),
            ),
        ]

    def __str__(self):
        return f"{self.position} ({self.year})"

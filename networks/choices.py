from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalityKindChoices(models.TextChoices):
    """Kind of a unit in the GUS TERC register: the last digit of its 7-digit code."""

    URBAN = "1", _("urban municipality")
    RURAL = "2", _("rural municipality")
    URBAN_RURAL = "3", _("urban-rural municipality")
    TOWN_IN_URBAN_RURAL = "4", _("town in an urban-rural municipality")
    RURAL_AREA_IN_URBAN_RURAL = "5", _("rural area of an urban-rural municipality")
    WARSAW_DISTRICT = "8", _("district of Warsaw")
    CITY_DISTRICT = "9", _("city district or delegation")


class NetworkKindChoices(models.TextChoices):
    NATIONAL = "national", _("national (KSR)")
    REGIONAL = "regional", _("regional (RSR)")
    LOCAL = "local", _("local (LSR)")


class MeetingKindChoices(models.TextChoices):
    FOUNDING = "founding", _("founding meeting")
    WORKING = "working", _("working meeting")
    PLENARY = "plenary", _("plenary meeting")
    CONSULTATION = "consultation", _("consultation")
    TRAINING = "training", _("training or workshop")


class DeliverableKindChoices(models.TextChoices):
    ANIMATION_PLAN = "animation_plan", _("animation plan")
    SYSTEMIC_RECOMMENDATIONS = "systemic_recommendations", _("systemic recommendations")
    LEGISLATIVE_RECOMMENDATIONS = "legislative_recommendations", _("legislative recommendations")


class DeliverableStatusChoices(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")


class MunicipalityDegurbaChoices(models.TextChoices):
    """Degree of urbanisation (Eurostat DEGURBA), reported for EU-funded participants."""

    CITIES = "1", _("cities")
    TOWNS_AND_SUBURBS = "2", _("towns and suburbs")
    RURAL_AREAS = "3", _("rural areas")

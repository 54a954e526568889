from django.db import models
from django.utils.translation import gettext_lazy as _


class PillarCodeChoices(models.TextChoices):
    """The six pillars of the new service profile (Wzorzec Nowego Profilu Usług Reintegracyjnych)."""

    SOCIAL = "social", _("social reintegration")
    VOCATIONAL = "vocational", _("vocational reintegration")
    EDUCATION = "education", _("education")
    CULTURE = "culture", _("culture")
    HEALTH = "health", _("health prevention")
    SPORT = "sport", _("sport and recreation")


class ClubKindChoices(models.TextChoices):
    KIS = "kis", _("social integration club (KIS)")
    CIS = "cis", _("social integration centre (CIS)")


class ClubStatusChoices(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONTRACTED = "contracted", _("contracted")
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


class EmploymentBasisChoices(models.TextChoices):
    EMPLOYMENT_CONTRACT = "employment_contract", _("employment contract")
    CIVIL_LAW_CONTRACT = "civil_law_contract", _("civil-law contract")
    SECONDMENT = "secondment", _("secondment by the running entity")
    VOLUNTEER = "volunteer", _("volunteer")

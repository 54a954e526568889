from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationStakeholderTypeChoices(models.TextChoices):
    """Stakeholder types of the KSR model (seed 001)."""

    A = "A", _("A: reintegration is the main statutory goal")
    B = "B", _("B: reintegration is one of the goals")
    C = "C", _("C: provides services participants can use")


class OrganizationLegalFormChoices(models.TextChoices):
    ASSOCIATION = "association", _("association")
    FOUNDATION = "foundation", _("foundation")
    LOCAL_GOVERNMENT = "local_government", _("local government or its unit")
    PUBLIC_INSTITUTION = "public_institution", _("public institution")
    CHURCH_LEGAL_PERSON = "church_legal_person", _("church legal person")
    SOCIAL_COOPERATIVE = "social_cooperative", _("social cooperative")
    COMPANY = "company", _("company or sole trader")
    OTHER = "other", _("other")


class MembershipRoleChoices(models.TextChoices):
    HUB = "hub", _("hub")
    MEMBER = "member", _("member")
    OBSERVER = "observer", _("observer")

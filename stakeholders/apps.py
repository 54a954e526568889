from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self):
        from ksr_portal.audit import register_audited

        from . import models

        # Merges, closures and contact changes leave their provenance in the audit trail.
        register_audited(models.Organization, models.ContactPerson, models.Membership, models.ServiceOffer)

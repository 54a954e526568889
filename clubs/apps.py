from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubsConfig(AppConfig):
    name = "clubs"
    verbose_name = _("Clubs and catalogue")

    def ready(self):
        from ksr_portal.audit import register_audited

        from . import models

        # Merges, closures and contact changes leave their provenance in the audit trail.
        register_audited(models.Club, models.StaffPosition, models.AnnualSettlement)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API for other systems")

    def ready(self):
        from ksr_portal.audit import register_audited

        from . import models

        # A referral names a person: every write of it is in the audit trail, under the client's account.
        register_audited(models.ApiKey, models.InboundReferral, mask_fields=["pesel", "digest"])

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KsrPortalConfig(AppConfig):
    name = "ksr_portal"
    verbose_name = _("KSR portal")

    def ready(self):
        from .audit import register_personal_data
        from .models import UserScope

        # Who may see what is itself worth a trail.
        register_personal_data(UserScope)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo accounts, the demo data and synthetic data at scale: the top floor, importing every app."""

    name = "demo"
    verbose_name = _("Demo data")

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class KsrPortalConfig(AppConfig):
    name = "ksr_portal"
    verbose_name = _("KSR portal")

    def ready(self):
        from django.contrib.auth.models import User
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .audit import register_audited
        from .collation import register_sqlite_collation
        from .grammar import name_apps
        from .middleware import session_started
        from .models import UserScope
        from .roles import sync_role_groups

        name_apps()
        connection_created.connect(register_sqlite_collation, dispatch_uid="ksr_portal.sqlite_collation")
        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="ksr_portal.sync_role_groups")
        user_logged_in.connect(session_started, dispatch_uid="ksr_portal.session_started")

        # Who may see what is itself worth a trail: every grant and revocation of a role or a scope,
        # every password set (shown masked) and second factor paired or reset, with who did it.
        register_audited(UserScope)
        register_audited(TOTPDevice, StaticDevice, mask_fields=["key"])
        register_audited(
            User, mask_fields=["password"], m2m_fields=["groups", "user_permissions"], exclude_fields=["last_login"]
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False  # named in INSTALLED_APPS; the portal's own config stays this module's default
    default_site = "ksr_portal.sites.PortalAdminSite"

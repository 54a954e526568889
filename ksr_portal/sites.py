"""The workbench's admin site: Django's, with the portal's titles and a guarded password change."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .signin import refuse_wrong_old_password


class PortalAdminSite(admin.AdminSite):
    site_header = _("National Reintegration Network (KSR) portal")
    site_title = _("KSR portal")
    index_title = _("Workbench")

    def password_change(self, request, extra_context=None):
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 200:  # the form again: it was refused
            return refuse_wrong_old_password(request, response.context_data["form"]) or response
        return response

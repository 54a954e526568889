"""The workbench's admin site: Django's, with the portal's titles and a guarded password change."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .signin import refuse_wrong_old_password


class PortalAdminSite(admin.AdminSite):
    site_header = _("National Reintegration Network (KSR) portal")
    site_title = _("KSR portal")
    index_title = _("Workbench")

    def login(self, request, extra_context=None):
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            extra_context = {REDIRECT_FIELD_NAME: reverse("start"), **(extra_context or {})}
        return super().login(request, extra_context)

    def password_change(self, request, extra_context=None):
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 200:  # the form again: it was refused
            return refuse_wrong_old_password(request, response.context_data["form"]) or response
        return response

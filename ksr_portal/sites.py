"""The workbench's admin site: Django's, with the portal's titles and a guarded password change."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import path, reverse
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

    def get_urls(self):
        from . import views  # the views need the models, which are not loaded yet when the site is made

        jobs = [
            path("importy/", self.admin_view(views.import_jobs), name="importjob_list"),
            path("importy/<int:pk>/", self.admin_view(views.import_job), name="importjob_detail"),
            path("importy/<int:pk>/potwierdz/", self.admin_view(views.confirm_import_job), name="importjob_confirm"),
            path("importy/<int:pk>/ponow/", self.admin_view(views.run_import_job_again), name="importjob_run_again"),
            path("eksporty/<int:pk>/", self.admin_view(views.export_job), name="exportjob_detail"),
            path("eksporty/<int:pk>/plik/", self.admin_view(views.export_job_file), name="exportjob_file"),
        ]
        return jobs + super().get_urls()

    def password_change(self, request, extra_context=None):
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 200:  # the form again: it was refused
            return refuse_wrong_old_password(request, response.context_data["form"]) or response
        return response

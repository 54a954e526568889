from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import jobs, roles
from .models import ExportJob, ExportJobStatusChoices, ImportJob, ImportJobStatusChoices


@login_required
def start(request):
    """After signing in: the page of the user's everyday work (roles.LANDING)."""
    return redirect(roles.landing_url(request.user))


# --- import jobs: the workbench's pages of the user's own uploads (ksr_portal/jobs.py) -------------------------


def job_or_404(request, pk):
    return get_object_or_404(ImportJob.objects.restrict(request.user).select_related("owner"), pk=pk)


def admin_of(job):
    return admin.site.get_model_admin(apps.get_model(job.model))


def import_jobs(request):
    """The user's uploads, newest first."""
    context = {
        **admin.site.each_context(request),
        "title": _("Your imports"),
        "jobs": ImportJob.objects.restrict(request.user)[:50],
    }
    return TemplateResponse(request, "admin/ksr_portal/importjob_list.html", context)


def import_job(request, pk):
    """One upload: its progress while a worker is at it, then its preview or errors, then its result."""
    job = job_or_404(request, pk)
    jobs.notice_interruption(job)
    model_admin = admin_of(job)
    context = {
        **admin.site.each_context(request),
        "title": _("Import of the file „%(name)s”") % {"name": job.file_name},
        "job": job,
        "opts": model_admin.opts,
        "result": jobs.StoredResult(job.preview) if job.preview else None,
        "import_error_display": model_admin.import_error_display,
        "working": job.status not in (ImportJobStatusChoices.READY, *FINISHED),
    }
    return TemplateResponse(request, "admin/ksr_portal/importjob_detail.html", context)


FINISHED = (ImportJobStatusChoices.INVALID, ImportJobStatusChoices.IMPORTED, ImportJobStatusChoices.FAILED)


@require_POST
def confirm_import_job(request, pk):
    job = job_or_404(request, pk)
    if not admin_of(job).has_import_permission(request):
        raise PermissionDenied
    try:
        jobs.confirm(job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("admin:importjob_detail", job.pk)


@require_POST
def run_import_job_again(request, pk):
    job = job_or_404(request, pk)
    if not admin_of(job).has_import_permission(request):
        raise PermissionDenied
    try:
        jobs.run_again(job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("admin:importjob_detail", job.pk)


# --- export jobs: a large export's page, then its file (ksr_portal/jobs.py) -------------------------------------


def export_job_or_404(request, pk):
    job = get_object_or_404(ExportJob.objects.restrict(request.user), pk=pk)
    if not admin_of(job).has_export_permission(request):  # a role that may no longer export these records
        raise PermissionDenied
    jobs.notice_stalled_export(job)
    return job


def export_job(request, pk):
    """One large export: its progress while a worker writes the file, then the link to download it."""
    job = export_job_or_404(request, pk)
    model = apps.get_model(job.model)
    context = {
        **admin.site.each_context(request),
        "title": _("Export of %(records)s") % {"records": model._meta.verbose_name_plural},
        "job": job,
        "opts": model._meta,
        "working": job.status in (ExportJobStatusChoices.QUEUED, ExportJobStatusChoices.EXPORTING),
    }
    return TemplateResponse(request, "admin/ksr_portal/exportjob_detail.html", context)


def export_job_file(request, pk):
    job = export_job_or_404(request, pk)
    if job.status != ExportJobStatusChoices.READY or not job.file or not job.file.storage.exists(job.file.name):
        raise Http404
    content_type = jobs.export_format(job).get_content_type()
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name, content_type=content_type)

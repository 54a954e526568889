"""Large exports as background jobs: the request stores the chosen rows, a worker writes the file exactly as
the request would have, the job's page offers it to its owner alone, and the purge deletes it."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ksr_portal.models import ExportJob

from . import factories as f
from .test_imports import coordinator, export_fields

pytestmark = pytest.mark.django_db
URL = reverse("admin:participants_enrollment_export")


@pytest.fixture
def club():
    return f.ClubFactory(registry_number="KIS/26/001", region=f.RegionFactory(terc="26"))


@pytest.fixture
def stays(club):
    f.EnrollmentFactory(club=f.ClubFactory(registry_number="KIS/24/010"), participant__last_name="Obca")
    return [f.EnrollmentFactory(club=club, participant__last_name=f"Nowak-{n}") for n in range(3)]


def export(client, file_format, settings, rows_for_job):
    """The export page's answer for every column in `file_format` (0: CSV, 1: XLSX)."""
    settings.KSR_EXPORT_JOB_ROWS = rows_for_job
    page = client.get(URL)
    return client.post(URL, {"format": file_format, "resource": 0, **export_fields(page)})


def exported_by_job(client, file_format, settings):
    response = export(client, file_format, settings, rows_for_job=1)
    job = ExportJob.objects.latest("pk")
    assert response.status_code == 302 and response.url == reverse("admin:exportjob_detail", args=[job.pk])
    return job


def cells(content):
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_a_large_export_is_written_by_its_job_as_the_request_would_have_written_it(client, club, stays, settings):
    user = coordinator(club)
    client.force_login(user)
    for file_format, same in ((0, bytes), (1, cells)):
        at_once = export(client, file_format, settings, rows_for_job=1000)
        assert at_once.status_code == 200 and not ExportJob.objects.exists()
        job = exported_by_job(client, file_format, settings)
        job.refresh_from_db()
        assert (job.status, job.rows_written, job.rows_total) == ("ready", 3, 3)
        page = client.get(reverse("admin:exportjob_detail", args=[job.pk]))
        download = reverse("admin:exportjob_file", args=[job.pk])
        assert page.status_code == 200 and download in page.content.decode()
        response = client.get(download)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        content = b"".join(response.streaming_content)
        assert same(content) == same(at_once.content)
        ExportJob.objects.all().delete()
        if file_format == 0:  # the scope's rows, as the request's export holds them
            text = content.decode("utf-8-sig")
            assert all(stay.participant.last_name in text for stay in stays) and "Obca" not in text
    # Audited as the request's export is: one access entry per exported record, each time.
    exported = LogEntry.objects.filter(actor=user, action=LogEntry.Action.ACCESS, changes__export="spreadsheet")
    assert sorted(exported.values_list("object_id", flat=True)) == sorted([stay.pk for stay in stays] * 4)


def test_nobody_else_sees_or_downloads_an_export(client, club, stays, settings):
    client.force_login(coordinator(club))
    job = exported_by_job(client, 0, settings)
    client.force_login(coordinator(club))  # a colleague in the same club
    assert client.get(reverse("admin:exportjob_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("admin:exportjob_file", args=[job.pk])).status_code == 404


def test_exports_are_purged_with_their_files_after_the_retention_time(client, club, stays, settings, upload_dir):
    client.force_login(coordinator(club))
    old, fresh = exported_by_job(client, 0, settings), exported_by_job(client, 0, settings)
    old.refresh_from_db()
    assert (upload_dir / old.file.name).exists()
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("purge_uploads")
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    fresh.refresh_from_db()
    assert [path.name for path in upload_dir.iterdir()] == [fresh.file.name]
    assert client.get(reverse("admin:exportjob_file", args=[old.pk])).status_code == 404


def test_an_export_whose_worker_stopped_is_shown_interrupted(client, club, stays):
    owner = coordinator(club)
    job = ExportJob.objects.create(
        owner=owner, model="participants.enrollment", resource="participants.resources.ParticipantResource",
        file_format="csv", pks=[stay.pk for stay in stays], file_name="x.csv",
    )  # fmt: skip
    job.start()
    client.force_login(owner)
    url = reverse("admin:exportjob_detail", args=[job.pk])
    assert "odświeża" in client.get(url).content.decode()  # still at work
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=3))
    page = client.get(url).content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "Wyeksportuj ponownie" in page and "odświeża" not in page

"""Imports as background jobs: the upload is a record of its owner's, a worker checks the file and
writes it, exactly as previewed, in one transaction; the pages follow the job."""

import datetime
import io
import os
import time

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from demo.pilot import make_pesel
from ksr_portal.models import ImportJob
from participants import resources as participant_resources
from participants.models import Enrollment, Participant

from . import factories as f
from .test_imports import PESEL_A, TWO_PEOPLE, coordinator, participants_csv

pytestmark = pytest.mark.django_db
PESEL_C = make_pesel(datetime.date(1990, 1, 1), male=True, serial=35)


@pytest.fixture
def club():
    return f.ClubFactory(registry_number="KIS/26/001", region=f.RegionFactory(terc="26"))


def upload(client, raw, name="uczestnicy.csv"):
    """Upload a file on the import page; returns the job it became."""
    file = io.BytesIO(raw)
    file.name = name
    response = client.post(reverse("admin:participants_enrollment_import"), {"import_file": file, "format": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    assert response.url == reverse("admin:importjob_detail", args=[job.pk])
    return job


def page(client, job):
    return client.get(reverse("admin:importjob_detail", args=[job.pk]))


def confirm(client, job):
    return client.post(reverse("admin:importjob_confirm", args=[job.pk]), follow=True)


def test_an_upload_is_previewed_by_its_job_then_written_once_confirmed(client, club, upload_dir):
    user = coordinator(club)
    client.force_login(user)
    job = upload(client, participants_csv(TWO_PEOPLE), name="../../etc/passwd")
    job.refresh_from_db()
    assert job.owner == user and job.status == "ready" and (job.rows_read, job.rows_validated) == (2, 2)
    # The file is kept under a name the server made, never the client's.
    assert [path.name for path in upload_dir.iterdir()] == [job.file.name] and len(job.file.name) == 32
    preview = page(client, job).content.decode()
    assert PESEL_A in preview and "Żółkiewska" in preview and "Potwierdź import" in preview
    assert not Participant.objects.exists()

    done = confirm(client, job).content.decode()
    job.refresh_from_db()
    assert job.status == "imported" and (job.rows_validated, job.rows_written) == (2, 2)
    assert job.totals == {"new": 2, "update": 0, "skip": 0}
    assert "dodano 2, zmieniono 0, bez zmian 0" in done
    assert "Rekordy w twoim zakresie (zapisy do klubów): teraz 2, przed importem 0." in done
    assert Participant.objects.count() == 2 and Enrollment.objects.count() == 2
    assert LogEntry.objects.filter(user=user, action_flag=ADDITION).count() == 2
    # The imported file is gone, and so is the preview with its names.
    assert list(upload_dir.iterdir()) == [] and job.preview is None
    again = confirm(client, job)
    assert "nie może zmienić" in again.content.decode() and Participant.objects.count() == 2


def test_the_database_backends_worker_runs_the_jobs(client, club, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(coordinator(club))
    job = upload(client, participants_csv(TWO_PEOPLE))
    job.refresh_from_db()
    # The request only stored the file and queued its check.
    assert job.status == "queued" and job.rows_read == 0 and DBTaskResult.objects.ready().count() == 1
    assert "refreshes itself" not in page(client, job).content.decode()  # Polish, not English
    assert 'http-equiv="refresh"' in page(client, job).content.decode()

    worker = Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip

    def work():
        """The worker's run of the task waiting, without its loop, which closes the test's connection."""
        task = DBTaskResult.objects.ready().get_locked()
        task.claim(worker.worker_id)
        worker.run_task(task)

    work()
    job.refresh_from_db()
    assert job.status == "ready" and job.rows_validated == 2
    confirm(client, job)
    assert ImportJob.objects.get(pk=job.pk).status == "confirmed" and not Participant.objects.exists()
    work()
    assert ImportJob.objects.get(pk=job.pk).status == "imported" and Participant.objects.count() == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_nobody_else_sees_or_confirms_an_upload(client, club):
    owner = coordinator(club)
    client.force_login(owner)
    job = upload(client, participants_csv(TWO_PEOPLE))
    for other in (coordinator(club), f.UserFactory(is_staff=True, is_superuser=True)):
        client.force_login(other)
        assert page(client, job).status_code == 404
        assert client.post(reverse("admin:importjob_confirm", args=[job.pk])).status_code == 404
        assert client.post(reverse("admin:importjob_run_again", args=[job.pk])).status_code == 404
        assert job.file_name not in client.get(reverse("admin:importjob_list")).content.decode()
    assert not Participant.objects.exists() and ImportJob.objects.get(pk=job.pk).status == "ready"
    client.force_login(owner)
    assert job.file_name in client.get(reverse("admin:importjob_list")).content.decode()


def test_no_confirmation_names_a_file(client, club, upload_dir, tmp_path):
    """The confirmation of the old form, with a file name in a hidden field, reaches nothing."""
    victim = tmp_path / "secret"
    victim.write_text("keep me")
    client.force_login(coordinator(club))
    upload(client, participants_csv(TWO_PEOPLE))
    response = client.post(
        "/admin/participants/enrollment/process_import/",
        {"import_file_name": str(victim), "original_file_name": "x.csv", "format": 0, "resource": 0},
    )
    assert response.status_code in (302, 404)
    assert victim.read_text() == "keep me" and not Participant.objects.exists()


def test_a_garbled_file_is_refused_on_its_page_in_polish(client, club):
    client.force_login(coordinator(club))
    job = upload(client, participants_csv([TWO_PEOPLE[0].replace("Żółkiewska", "Ĺ»ĂłĹ‚kiewska")]))
    shown = page(client, job).content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == "invalid" and "zniekształcone" in shown
    assert "Traceback" not in shown and "Potwierdź import" not in shown
    assert confirm(client, job).status_code == 200 and not Participant.objects.exists()


def test_a_file_with_a_bad_row_is_refused_with_the_rows_error_on_its_page(client, club):
    client.force_login(coordinator(club))
    bad = TWO_PEOPLE[1].replace("2026-02-18", "31.02.2026")
    job = upload(client, participants_csv([TWO_PEOPLE[0], bad]))
    shown = page(client, job).content.decode()
    job.refresh_from_db()
    assert job.status == "invalid" and job.fingerprint == "" and job.rows_validated == 2
    assert "31.02.2026" in shown and "DD.MM.RRRR" in shown and "Potwierdź import" not in shown
    assert not Participant.objects.exists()


def test_of_two_overlapping_files_the_second_is_told_the_truth_and_writes_nothing(client, club):
    first_user, second_user = coordinator(club), coordinator(club)
    third = f"{PESEL_C};Piotr;Nowak;M;;KIS/26/001;19.02.2026;;5"
    client.force_login(first_user)
    first = upload(client, participants_csv(TWO_PEOPLE))
    second_client = type(client)()
    second_client.force_login(second_user)
    second = upload(second_client, participants_csv([*TWO_PEOPLE, third]))
    assert ImportJob.objects.get(pk=second.pk).preview["totals"]["new"] == 3

    confirm(client, first)
    told = confirm(second_client, second).content.decode()
    second.refresh_from_db()
    assert second.status == "ready" and "Nic nie zapisano" in told
    # Nothing of the second file was written or logged; its new preview says what it would do now.
    assert Participant.objects.count() == 2 and not Participant.objects.filter(pesel=PESEL_C).exists()
    assert not LogEntry.objects.filter(user=second_user).exists()
    assert second.preview["totals"] == {**second.preview["totals"], "new": 1, "skip": 2}
    confirm(second_client, second)
    second.refresh_from_db()
    assert second.status == "imported" and second.totals == {"new": 1, "update": 0, "skip": 2}
    assert (second.held_before, second.held_after) == (2, 3)


@pytest.mark.django_db(transaction=True)
def test_a_worker_stopped_mid_write_leaves_nothing_and_the_job_runs_again(client, club, monkeypatch):
    # A test that commits starts from what the tests before it left: another one that committed (the API's
    # live server) flushed the categories the migrations wrote.
    for code in "12345678":
        f.EligibilityCategoryFactory(code=code)
    client.force_login(coordinator(club))
    job = upload(client, participants_csv(TWO_PEOPLE))

    def stopped(*args, **kwargs):
        raise SystemExit(1)  # as the worker ends on a second SIGTERM, in the middle of the rows

    monkeypatch.setattr(participant_resources, "log_bulk", stopped)
    confirm(client, job)
    assert ImportJob.objects.get(pk=job.pk).status == "writing"
    assert not Participant.objects.exists() and not Enrollment.objects.exists()
    # While its transaction could still be open, the job is shown at work; then as interrupted.
    assert "Status: w trakcie zapisu" in page(client, job).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=1))
    shown = page(client, job).content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == "failed" and "Uruchom ponownie" in shown

    monkeypatch.undo()
    client.post(reverse("admin:importjob_run_again", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "imported" and Participant.objects.count() == 2 and Enrollment.objects.count() == 2


def test_uploads_left_unconfirmed_are_purged_with_their_files(club, upload_dir):
    owner = coordinator(club)
    old, fresh = f.ImportJobFactory(owner=owner), f.ImportJobFactory(owner=owner)
    day_ago = timezone.now() - datetime.timedelta(hours=25)
    ImportJob.objects.filter(pk=old.pk).update(updated_at=day_ago)
    stray = upload_dir / ("0" * 32)
    stray.write_text("left by a crash")
    os.utime(stray, (time.time() - 25 * 3600,) * 2)
    call_command("purge_uploads")
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert [path.name for path in upload_dir.iterdir()] == [fresh.file.name]


def test_a_file_too_large_is_refused_before_any_job(client, club, settings):
    settings.KSR_MAX_IMPORT_MB = 0
    client.force_login(coordinator(club))
    file = io.BytesIO(participants_csv(TWO_PEOPLE))
    file.name = "uczestnicy.csv"
    response = client.post(reverse("admin:participants_enrollment_import"), {"import_file": file, "format": 0})
    assert response.status_code == 200 and "za duży" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert reverse("admin:importjob_list") in response.content.decode()

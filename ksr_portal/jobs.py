"""Imports and large exports as background jobs (django-tasks with its database backend).

Imports: a preview, then the exact write.

A web request only stores the upload (`ImportJob`) and queues its check; a worker (`manage.py db_worker`)
reads the file, imports it as a dry run and stores what the job's page shows. Once the owner confirms,
a worker imports the file again in one transaction, holding the lock of the imported model, and keeps
what it wrote only if it is exactly what the preview showed (the same fingerprint); otherwise nothing
is written, and the page says so and shows the preview as things now stand. A worker stopped mid-way
leaves its transaction rolled back; the job's page finds no worker holding the job and shows it
interrupted, to be run again.

Exports: a request exporting more than KSR_EXPORT_JOB_ROWS rows stores the keys of the rows it chose
(`ExportJob`) and queues their export; a worker writes the file, in the chosen format and columns, of
those rows still within the owner's scope, logs the export in the audit trail as the request would
have, and the job's page offers the file to its owner.
"""

import base64
import dataclasses
import hashlib
import json
import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from import_export.formats.base_formats import BINARY_FORMATS
from import_export.results import InvalidRow, Result, RowResult

from . import imports
from .audit import is_audited, log_export
from .database import not_waiting
from .imports import FORMATS, UnreadableFile
from .models import ExportJob, ImportJob
from .uploads import UploadStorage

logger = logging.getLogger(__name__)

# A running job whose worker holds no lock is taken as interrupted only after this long, so that the
# moment between a job's status being saved and its transaction taking the lock is not mistaken for it.
GRACE = timedelta(seconds=10)
# A refused file's rows with their errors are kept with the job up to this size (larger: split the file).
ERROR_FILE_LIMIT = 1024 * 1024
INTERRUPTED = gettext_lazy(
    "The work on this file stopped before it ended (its worker was stopped); nothing of it was written. Run it again."
)
UNEXPECTED = gettext_lazy(
    "The file could not be processed because of an error in the portal; nothing of it was written. "
    "Run it again; if it happens again, tell the portal's administrator."
)
CHANGED = gettext_lazy(
    "Nothing was written: since the preview, what this file would write has changed (for example, someone "
    "imported or changed the same records in the meantime). Below is the preview as things stand now."
)
UNREADABLE = gettext_lazy(
    "The file could not be read as the chosen format (CSV or XLSX). Check the format and the file."
)
# An export's worker reads its rows and counts them a chunk at a time; one that counted nothing for
# EXPORT_GRACE has stopped.
EXPORT_CHUNK = 500
EXPORT_GRACE = timedelta(minutes=2)
EXPORT_INTERRUPTED = gettext_lazy(
    "The export stopped before it ended (its worker was stopped); no file was made. Export again."
)
EXPORT_FAILED = gettext_lazy(
    "The file could not be made because of an error in the portal. Export again; if it happens again, "
    "tell the portal's administrator."
)
GONE = gettext_lazy("The uploaded file is no longer kept: upload it again.")


def start(user, model, resource_class, file_format, upload):
    """Store `upload` as `user`'s and queue its check; returns the job."""
    with transaction.atomic():
        job = ImportJob(
            owner=user,
            model=model._meta.label_lower,
            resource=f"{resource_class.__module__}.{resource_class.__qualname__}",
            file_format=file_format.get_title(),
            file_name=upload.name[:255],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        job.file.save("", upload, save=False)
        job.save()
        check_file.enqueue(job.pk)
    return job


def confirm(job):
    with transaction.atomic():
        job.confirm()
        write_file.enqueue(job.pk)


def run_again(job):
    with transaction.atomic():
        job.run_again()
        (write_file if job.confirmed_at else check_file).enqueue(job.pk)


# --- the work ------------------------------------------------------------------------------------------------


class Changed(Exception):
    """The rows the file would write are not those its preview showed."""

    def __init__(self, result):
        self.result = result


@task()
def check_file(job_id):
    """Read the file and import it as a dry run; offer the preview for confirmation or show why not."""
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    with translation.override(job.language):
        job.start_preview()
        try:
            with Progress(job) as progress, transaction.atomic():
                hold(job)
                result = run_import(job, read(job, progress), dry_run=True, progress=progress)
        except UnreadableFile as error:
            job.refuse(stored(Result(), [str(error)]))
        except Exception:
            logger.exception("Import job %s failed while checking its file", job.pk)
            job.fail(str(UNEXPECTED))
        else:
            job.rows_validated = result.total_rows
            if failed(result):
                job.refuse(stored(result))
            else:
                job.offer(stored(result), fingerprint(result))


@task()
def write_file(job_id):
    """Import the confirmed file in one transaction, keeping it only if it writes what the preview showed."""
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    model = apps.get_model(job.model)
    with translation.override(job.language):
        job.start_writing()
        try:
            with Progress(job) as progress, transaction.atomic():
                hold(job, model)
                before = model.objects.restrict(job.owner).count()
                result = run_import(job, read(job, progress), dry_run=False, progress=progress)
                if failed(result) or fingerprint(result) != job.fingerprint:
                    raise Changed(result)
                log_admin_actions(job.owner, result)
        except Changed as changed:
            job.rows_validated = changed.result.total_rows
            if failed(changed.result):
                job.refuse(stored(changed.result), message=str(CHANGED))
            else:
                job.offer(stored(changed.result), fingerprint(changed.result), message=str(CHANGED))
        except UnreadableFile as error:
            job.fail(str(error))
        except Exception:
            logger.exception("Import job %s failed while writing", job.pk)
            job.fail(str(UNEXPECTED))
        else:
            job.rows_validated = result.total_rows
            totals = {kind: result.totals[kind] for kind in ("new", "update", "skip")}
            job.finish(totals, before, model.objects.restrict(job.owner).count())


def read(job, progress):
    """The file's rows, as the format chosen on upload reads them."""
    if not job.file or not job.file.storage.exists(job.file.name):
        raise UnreadableFile(GONE)
    file_format = next(format_class() for format_class in FORMATS if format_class().get_title() == job.file_format)
    with job.file.open("rb") as file:
        raw = file.read()
    try:
        dataset = file_format.create_dataset(raw)
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(UNREADABLE) from error
    progress.count(rows_read=len(dataset))
    return dataset


def run_import(job, dataset, dry_run, progress):
    resource = import_string(job.resource)()
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        user=job.owner,
        file_name=job.file_name,
        retain_instance_in_row_result=not dry_run,
        progress=progress,
    )


class Progress:
    """Counts the job's rows where its page sees them while the job's transaction is still open.

    On PostgreSQL a connection of its own writes the counts (in plain SQL: the ORM knows only the
    configured connections), the validated rows every few hundred. SQLite writes one transaction at a
    time, so there the page sees the counts when the step ends, saved with the job's next status.
    """

    EVERY = 500

    def __init__(self, job):
        self.job = job
        self.side = None

    def __enter__(self):
        # Only a job whose row is committed: inside another transaction (a test's) the other connection would
        # wait for that transaction to end, and it waits for the job.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        return self

    def __exit__(self, *exc_info):
        if self.side is not None:
            self.side.close()

    def __call__(self, row_number):
        """Called by the resource after each row (PortalResource.import_row)."""
        if row_number % self.EVERY == 0:
            self.count(rows_validated=row_number)

    def count(self, **counts):
        for name, value in counts.items():
            setattr(self.job, name, value)
        if self.side is not None:
            table = self.side.ops.quote_name(ImportJob._meta.db_table)
            columns = ", ".join(f"{self.side.ops.quote_name(name)} = %s" for name in counts)
            with self.side.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*counts.values(), self.job.pk])


def failed(result):
    return result.has_errors() or result.has_validation_errors()


def fingerprint(result):
    """What the import would write: each row's kind and, for a stored row, its values beside the stored ones.

    A new row is written from the file alone; its values after saving may hold what the database gives
    (a key from a sequence, which a rolled-back preview used up), so only its kind counts.
    """
    rows = [
        (
            row.import_type,
            [] if row.import_type == RowResult.IMPORT_TYPE_NEW else [str(cell) for cell in row.diff or ()],
        )
        for row in result.rows
    ]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def log_admin_actions(user, result):
    """The workbench's log of what the import added and changed, written with the rows themselves."""
    for kind, flag in (("new", ADDITION), ("update", CHANGE), ("delete", DELETION)):
        instances = [row.instance for row in result.rows if row.import_type == kind]
        if instances:
            LogEntry.objects.log_actions(
                user.pk, instances, flag, change_message=_("Imported from a file."), single_object=len(instances) == 1
            )


# --- locks: one writer per imported model, and a sign that a worker is at a job ------------------------------


def hold(job, model=None):
    """Within the job's transaction: take the job's lock and, to write, the lock of the imported model.

    On PostgreSQL these are advisory locks held until the transaction ends (the job's by its id, the
    model's by the negative id of its content type); an overlapping import into the same model waits
    for this one to end and then finds what it wrote. SQLite lets one transaction write at a time:
    the first write takes the lock of the whole database.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [job.pk])
            if model is not None:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [-ContentType.objects.get_for_model(model).pk])
    else:
        ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())


def is_held(job):
    """Whether a worker's transaction holds `job` now."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [job.pk])
            if not cursor.fetchone()[0]:
                return True
            cursor.execute("SELECT pg_advisory_unlock(%s)", [job.pk])
            return False
    if connection.in_atomic_block:
        return True  # SQLite cannot be asked from inside a transaction
    with not_waiting(), connection.cursor() as cursor:
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except OperationalError:
            return True  # another connection is writing
        cursor.execute("ROLLBACK")
        return False


def notice_interruption(job):
    """Show as interrupted a job whose worker stopped in the middle (killed, or the machine restarted)."""
    if job.status in ImportJob.RUNNING and job.updated_at < timezone.now() - GRACE and not is_held(job):
        job.refresh_from_db()
        if job.status in ImportJob.RUNNING:  # it did not just end
            job.fail(str(INTERRUPTED))


# --- what the page shows, stored by the worker -----------------------------------------------------------------


def message_of(error):
    """An error's words for the user; an unforeseen one is logged and named only as such."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ValueError):
        return str(error)
    logger.error("Unexpected import error", exc_info=error)
    return str(UNEXPECTED)


def text(value):
    return "" if value is None else str(value)


def row_values(row):
    return {str(name): text(value) for name, value in dict(row or {}).items()}


def stored(result, messages=()):
    """The result as the job keeps it (JSON): the errors, the counts and the first rows of the preview,
    and for a refused file its problems and the file of its rows with their errors (`imports.error_file`)."""
    headers = list(result.diff_headers)
    found = [
        *(imports.Problem(None, "", "", message) for message in messages),
        *(imports.problems(result) if hasattr(result, "dataset") else ()),
    ]
    errors_file = imports.error_file(result) if hasattr(result, "dataset") and failed(result) else b""
    return {
        "problems": [dataclasses.astuple(problem) for problem in found],
        "error_file": base64.b64encode(errors_file).decode() if len(errors_file) <= ERROR_FILE_LIMIT else "",
        "error_file_format": result.dataset.file_format.get_title() if hasattr(result, "dataset") else "",
        "headers": headers,
        "totals": dict(result.totals),
        "total_rows": result.total_rows,
        "base_errors": [*messages, *(message_of(error.error) for error in result.base_errors)],
        "invalid_rows": [
            {"number": row.number, "errors": row.error_dict, "values": [text(value) for value in row.values]}
            for row in result.invalid_rows
        ],
        "row_errors": [
            [number, [{"message": message_of(error.error), "row": row_values(error.row)} for error in errors]]
            for number, errors in result.row_errors()
        ],
        "rows": [
            [row.import_type, [str(cell) for cell in row.diff or ()]]
            for row in result.valid_rows()[: settings.KSR_IMPORT_PREVIEW_ROWS]
        ],
    }


class StoredError:
    traceback = ""  # never shown: the message says what is wrong

    def __init__(self, message, row=None):
        self.error = message
        self.row = row or {}


class StoredResult(Result):
    """A job's stored result as django-import-export's templates read a result."""

    def __init__(self, preview):
        super().__init__()
        self.stored_problems = [imports.Problem(*problem) for problem in preview.get("problems", [])]
        self.stored_error_file = preview.get("error_file", "")
        self.stored_error_file_format = preview.get("error_file_format", "")
        self.diff_headers = preview["headers"]
        self.totals.update(preview["totals"])
        self.total_rows = preview["total_rows"]
        self.base_errors = [StoredError(message) for message in preview["base_errors"]]
        for invalid in preview["invalid_rows"]:
            errors = {name or NON_FIELD_ERRORS: messages for name, messages in invalid["errors"].items()}
            self.invalid_rows.append(InvalidRow(invalid["number"], ValidationError(errors), invalid["values"]))
        self.stored_row_errors = [
            (number, [StoredError(error["message"], error["row"]) for error in errors])
            for number, errors in preview["row_errors"]
        ]
        for import_type, diff in preview["rows"]:
            row = RowResult()
            row.import_type = import_type
            row.diff = [mark_safe(cell) for cell in diff]  # the diff's HTML, escaped when the worker made it
            self.rows.append(row)

    def row_errors(self):
        return self.stored_row_errors


# --- exports ---------------------------------------------------------------------------------------------------


def start_export(user, model, resource_class, file_format, pks, fields, file_name):
    """Queue the export of `pks` (the rows the user chose, in order) as `user`'s; returns the job."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=user,
            model=model._meta.label_lower,
            resource=f"{resource_class.__module__}.{resource_class.__qualname__}",
            file_format=file_format.get_title(),
            fields=fields,
            pks=list(pks),
            file_name=file_name[:255],
        )
        export_file.enqueue(job.pk)
    return job


def notice_stalled_export(job):
    """Show as interrupted an export whose worker stopped in the middle: it counts its rows every chunk."""
    stalled = timezone.now() - EXPORT_GRACE
    if job.status == ExportJob.EXPORTING and job.updated_at < stalled:
        job.refresh_from_db()
        if job.status == ExportJob.EXPORTING and job.updated_at < stalled:
            job.fail(str(EXPORT_INTERRUPTED))


def export_format(job):
    return next(format_class() for format_class in FORMATS if format_class().get_title() == job.file_format)


@task()
def export_file(job_id):
    """Export the job's rows still within its owner's scope, in their order, a chunk at a time."""
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    model = apps.get_model(job.model)
    job.start()
    try:
        resource = import_string(job.resource)()
        file_format = export_format(job)
        native = type(file_format) in BINARY_FORMATS  # as the admin's export gives the format its values
        scope = resource.get_queryset().restrict(job.owner)  # the resource's queryset reads what it exports
        dataset, exported = None, []
        for start in range(0, len(job.pks), EXPORT_CHUNK):
            chunk = job.pks[start : start + EXPORT_CHUNK]
            found = scope.in_bulk(chunk)
            rows = [found[pk] for pk in chunk if pk in found]
            part = resource.export(queryset=rows, export_fields=job.fields, force_native_type=native)
            if dataset is None:
                dataset = part
            else:
                dataset.extend(part)
            exported += [row.pk for row in rows]
            ExportJob.objects.filter(pk=job.pk).update(rows_written=len(exported), updated_at=timezone.now())
        data = file_format.export_data(dataset)
        if is_audited(model):
            log_export(job.owner, model, exported, "spreadsheet")
        job.file.save("", ContentFile(data.encode("utf-8") if isinstance(data, str) else data), save=False)
        job.finish(len(exported))
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        job.file.delete(save=False)
        job.refresh_from_db()
        job.fail(str(EXPORT_FAILED))


# --- retention -------------------------------------------------------------------------------------------------


def purge(hours=None):
    """Delete uploads not imported and exports made more than `hours` ago (by default
    KSR_UPLOAD_RETENTION_HOURS), their files and any file no job names; returns how many jobs."""
    cutoff = timezone.now() - timedelta(hours=settings.KSR_UPLOAD_RETENTION_HOURS if hours is None else hours)
    stale = [
        ImportJob.objects.filter(status__in=ImportJob.UNFINISHED, updated_at__lt=cutoff),
        ExportJob.objects.filter(created_at__lt=cutoff),
    ]
    removed = 0
    for jobs in stale:
        for job in jobs.iterator():
            job.file.delete(save=False)
            job.delete()
            removed += 1
    storage = UploadStorage()
    if storage.exists(""):
        kept = {
            *ImportJob.objects.exclude(file="").values_list("file", flat=True),
            *ExportJob.objects.exclude(file="").values_list("file", flat=True),
        }
        for name in storage.listdir("")[1]:
            if name not in kept and storage.get_modified_time(name) < cutoff:
                storage.delete(name)
    return removed

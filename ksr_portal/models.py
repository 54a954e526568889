from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import roles
from .scoping import ScopedManager, ScopePaths
from .uploads import UploadStorage, server_name
from .workflow import StateMachine


class TimestampedModel(models.Model):
    """Base of every domain model: when a row was created and last changed, and the scoped manager."""

    created_at = models.DateTimeField(
        verbose_name=_("created at"),
        auto_now_add=True,
        editable=False,
    )
    updated_at = models.DateTimeField(
        verbose_name=_("updated at"),
        auto_now=True,
        editable=False,
    )

    objects = ScopedManager()
    scope_paths = ScopePaths()

    class Meta:
        abstract = True


class UserScopeLevelChoices(models.TextChoices):
    NATIONAL = "national", _("national")
    REGION = "region", _("one region")
    CLUB = "club", _("one club")


class UserScope(TimestampedModel):
    """Where a user's role applies: the whole country, one region, or one club (and its region)."""

    user = models.OneToOneField(
        verbose_name=_("user"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="scope",
    )
    level = models.CharField(
        verbose_name=_("scope"),
        max_length=10,
        choices=UserScopeLevelChoices,
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="user_scopes",
        null=True,
        blank=True,
        help_text=_("For a regional or club scope: the region (for a club, the club's region)."),
    )
    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.PROTECT,
        related_name="user_scopes",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("user scope")
        verbose_name_plural = _("user scopes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level=UserScopeLevelChoices.NATIONAL) & Q(region__isnull=True) & Q(club__isnull=True))
                | (Q(level=UserScopeLevelChoices.REGION) & Q(region__isnull=False) & Q(club__isnull=True))
                | (Q(level=UserScopeLevelChoices.CLUB) & Q(region__isnull=False) & Q(club__isnull=False)),
                name="user_scope_level_fields",
                violation_error_message=_(
                    "A national scope names no region or club, a regional scope names a region, "
                    "a club scope names a club."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.club or self.region or self.get_level_display()}"

    def clean(self):
        if self.level == UserScopeLevelChoices.CLUB and self.club_id:
            self.region_id = self.club.region_id
        elif self.level != UserScopeLevelChoices.REGION:
            self.region = None
        if self.level != UserScopeLevelChoices.CLUB:
            self.club = None
        user = self.user if self.user_id or "user" in self._state.fields_cache else None
        # The groups a form is granting in the same step, else the user's stored ones.
        groups = getattr(user, "granted_groups", None)
        if groups is None:
            groups = user.groups.all() if user is not None and user.pk else []
        problem = roles.scope_problem(groups, self.level)
        if problem:
            raise ValidationError({"level": problem})

    def condition_for(self, model, action):
        """The filter that keeps `model`'s rows within this scope, or None when nothing needs filtering."""
        paths = model.scope_paths
        if self.level == UserScopeLevelChoices.NATIONAL or paths.region is None:
            return None
        if self.level == UserScopeLevelChoices.CLUB and paths.club:
            condition = Q(**{paths.club: self.club_id})
            if paths.shared_club and action in paths.shared_actions:
                condition |= Q(**{paths.shared_club: self.club_id})
            return condition
        condition = Q(**{paths.region: self.region_id})
        if paths.national_rows_shared and action == "view":
            condition |= Q(**{f"{paths.region}__isnull": True})
        return condition


class ImportJobStatusChoices(models.TextChoices):
    QUEUED = "queued", _("waiting for the preview")
    PREVIEWING = "previewing", _("being checked")
    READY = "ready", _("waiting for confirmation")
    INVALID = "invalid", _("refused")
    CONFIRMED = "confirmed", _("waiting to be written")
    WRITING = "writing", _("being written")
    IMPORTED = "imported", _("imported")
    FAILED = "failed", _("interrupted")


class ImportJob(StateMachine, TimestampedModel):
    """An uploaded spreadsheet and the background work on it: a preview, then, once its owner confirms,
    the import of exactly what the preview showed (ksr_portal/jobs.py).

    It is its owner's alone (scope_paths.owner). The file is kept under a name the server makes until it
    is imported; an unconfirmed one is deleted with its record after KSR_UPLOAD_RETENTION_HOURS.
    """

    RUNNING = (ImportJobStatusChoices.PREVIEWING, ImportJobStatusChoices.WRITING)
    UNFINISHED = (
        ImportJobStatusChoices.QUEUED,
        ImportJobStatusChoices.PREVIEWING,
        ImportJobStatusChoices.READY,
        ImportJobStatusChoices.INVALID,
        ImportJobStatusChoices.CONFIRMED,
        ImportJobStatusChoices.FAILED,
    )

    owner = models.ForeignKey(
        verbose_name=_("owner"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    model = models.CharField(
        verbose_name=_("imported records"),
        max_length=100,
        help_text=_("The label of the model the file is imported into."),
    )
    resource = models.CharField(
        verbose_name=_("resource"),
        max_length=200,
    )
    file_format = models.CharField(
        verbose_name=_("file format"),
        max_length=10,
    )
    file = models.FileField(
        verbose_name=_("file"),
        storage=UploadStorage(),
        upload_to=server_name,
        blank=True,
    )
    file_name = models.CharField(
        verbose_name=_("file name"),
        max_length=255,
        help_text=_("As the user's computer named it; only shown, never used to find the file."),
    )
    language = models.CharField(
        verbose_name=_("language"),
        max_length=10,
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=12,
        choices=ImportJobStatusChoices,
        default=ImportJobStatusChoices.QUEUED,
    )
    rows_read = models.PositiveIntegerField(
        verbose_name=_("rows read"),
        default=0,
    )
    rows_validated = models.PositiveIntegerField(
        verbose_name=_("rows validated"),
        default=0,
    )
    rows_written = models.PositiveIntegerField(
        verbose_name=_("rows written"),
        default=0,
    )
    preview = models.JSONField(
        verbose_name=_("preview"),
        null=True,
        blank=True,
    )
    fingerprint = models.CharField(
        verbose_name=_("fingerprint of the preview"),
        max_length=64,
        blank=True,
    )
    totals = models.JSONField(
        verbose_name=_("written rows by kind"),
        null=True,
        blank=True,
    )
    held_before = models.PositiveIntegerField(
        verbose_name=_("records in scope before"),
        null=True,
        blank=True,
    )
    held_after = models.PositiveIntegerField(
        verbose_name=_("records in scope after"),
        null=True,
        blank=True,
    )
    message = models.TextField(
        verbose_name=_("message"),
        blank=True,
    )
    confirmed_at = models.DateTimeField(
        verbose_name=_("confirmed at"),
        null=True,
        blank=True,
    )

    scope_paths = ScopePaths(owner="owner")
    initial_statuses = (ImportJobStatusChoices.QUEUED,)
    transitions = {
        "start_preview": (_("Check the file"), [ImportJobStatusChoices.QUEUED], ImportJobStatusChoices.PREVIEWING),
        # From the check, or from writing when what the file would write changed after its preview.
        "offer": (_("Offer for confirmation"), list(RUNNING), ImportJobStatusChoices.READY),
        "refuse": (_("Refuse the file"), list(RUNNING), ImportJobStatusChoices.INVALID),
        "confirm": (_("Confirm the import"), [ImportJobStatusChoices.READY], ImportJobStatusChoices.CONFIRMED),
        "start_writing": (_("Write the rows"), [ImportJobStatusChoices.CONFIRMED], ImportJobStatusChoices.WRITING),
        "finish": (_("Finish the import"), [ImportJobStatusChoices.WRITING], ImportJobStatusChoices.IMPORTED),
        "fail": (_("Interrupt"), list(RUNNING), ImportJobStatusChoices.FAILED),
        "preview_again": (_("Check the file again"), [ImportJobStatusChoices.FAILED], ImportJobStatusChoices.QUEUED),
        "write_again": (_("Write the rows again"), [ImportJobStatusChoices.FAILED], ImportJobStatusChoices.CONFIRMED),
    }

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="import_job_owner_idx"),
            models.Index(fields=["status", "updated_at"], name="import_job_status_idx"),
        ]

    def __str__(self):
        return self.file_name

    @property
    def records_name(self):
        """What the file is imported as, in words ("zapisy do klubów")."""
        return apps.get_model(self.model)._meta.verbose_name_plural

    def _step(self, name, **changes):
        self.apply_transition(name, timezone.localdate(), [], **changes)

    def start_preview(self):
        self._step("start_preview")

    def offer(self, preview, fingerprint, message=""):
        self._step("offer", preview=preview, fingerprint=fingerprint, message=message)

    def refuse(self, preview, message=""):
        self._step("refuse", preview=preview, fingerprint="", message=message)

    def confirm(self):
        self._step("confirm", confirmed_at=timezone.now(), message="")

    def start_writing(self):
        self._step("start_writing", rows_validated=0)  # the rows are validated again as they are written

    def finish(self, totals, held_before, held_after):
        """Imported: what was written and what the scope holds; the preview and the file are not kept."""
        self.file.delete(save=False)
        self._step(
            "finish",
            totals=totals,
            rows_written=totals["new"] + totals["update"],
            held_before=held_before,
            held_after=held_after,
            preview=None,
        )

    def fail(self, message):
        self._step("fail", message=message)

    def run_again(self):
        """After an interruption: the step that was interrupted, from its start."""
        self._step("write_again" if self.confirmed_at else "preview_again", message="")


class ExportJobStatusChoices(models.TextChoices):
    QUEUED = "queued", _("waiting to be exported")
    EXPORTING = "exporting", _("being exported")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("failed")


class ExportJob(StateMachine, TimestampedModel):
    """A large export and the background work that writes its file (ksr_portal/jobs.py).

    The request chose the rows, within its user's scope, as the changelist shows them (`pks`, in its
    order); the worker exports them, restricted to the owner's scope again, into a file kept in the
    uploads' folder under a name the server makes. It is its owner's alone (scope_paths.owner), and is
    deleted with its file after KSR_UPLOAD_RETENTION_HOURS.
    """

    owner = models.ForeignKey(
        verbose_name=_("owner"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    model = models.CharField(
        verbose_name=_("exported records"),
        max_length=100,
        help_text=_("The label of the model whose records are exported."),
    )
    resource = models.CharField(
        verbose_name=_("resource"),
        max_length=200,
    )
    file_format = models.CharField(
        verbose_name=_("file format"),
        max_length=10,
    )
    fields = models.JSONField(
        verbose_name=_("exported columns"),
        null=True,
        blank=True,
        help_text=_("The fields chosen on the export page; empty: all of the resource's."),
    )
    pks = models.JSONField(
        verbose_name=_("exported records' keys"),
        default=list,
    )
    file_name = models.CharField(
        verbose_name=_("file name"),
        max_length=255,
        help_text=_("The name the downloaded file is given."),
    )
    file = models.FileField(
        verbose_name=_("file"),
        storage=UploadStorage(),
        upload_to=server_name,
        blank=True,
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=12,
        choices=ExportJobStatusChoices,
        default=ExportJobStatusChoices.QUEUED,
    )
    rows_written = models.PositiveIntegerField(
        verbose_name=_("rows written"),
        default=0,
    )
    message = models.TextField(
        verbose_name=_("message"),
        blank=True,
    )

    EXPORTING = ExportJobStatusChoices.EXPORTING

    scope_paths = ScopePaths(owner="owner")
    initial_statuses = (ExportJobStatusChoices.QUEUED,)
    transitions = {
        "start": (_("Export the records"), [ExportJobStatusChoices.QUEUED], ExportJobStatusChoices.EXPORTING),
        "finish": (_("Offer the file"), [ExportJobStatusChoices.EXPORTING], ExportJobStatusChoices.READY),
        "fail": (_("Interrupt"), [ExportJobStatusChoices.EXPORTING], ExportJobStatusChoices.FAILED),
    }

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["owner", "-created_at"], name="export_job_owner_idx")]

    def __str__(self):
        return self.file_name

    @property
    def rows_total(self):
        return len(self.pks)

    def _step(self, name, **changes):
        self.apply_transition(name, timezone.localdate(), [], **changes)

    def start(self):
        self._step("start")

    def finish(self, rows_written):
        self._step("finish", rows_written=rows_written)

    def fail(self, message):
        self._step("fail", message=message)

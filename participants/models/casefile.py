"""The club's everyday work with a person during a stay: case notes and the documents of their file."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.validators import validate_scan

from ..choices import CaseDocumentKindChoices, CaseNoteKindChoices


class CaseNote(TimestampedModel):
    """A dated entry of the work with a person (counselling, a home visit, a call), seen only by the club's
    staff who may see the person's case."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")

    enrollment = models.ForeignKey(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="case_notes",
    )
    written_on = models.DateField(
        verbose_name=_("date"),
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=20,
        choices=CaseNoteKindChoices,
    )
    pillar = models.ForeignKey(
        verbose_name=_("pillar"),
        to="clubs.Pillar",
        on_delete=models.PROTECT,
        related_name="case_notes",
        null=True,
        blank=True,
    )
    duration_minutes = models.PositiveSmallIntegerField(
        verbose_name=_("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    text = models.TextField(
        verbose_name=_("note"),
    )
    author = models.ForeignKey(
        verbose_name=_("written by"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["-written_on", "-created_at"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CaseNoteKindChoices.values),
                name="case_note_kind_valid",
                violation_error_message=_("Unknown kind of case note."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gte=1, duration_minutes__lte=720),
                name="case_note_duration_range",
                violation_error_message=_("The duration is from 1 to 720 minutes."),
            ),
        ]
        indexes = [
            models.Index(fields=["enrollment", "written_on"], name="case_note_enrollment_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.written_on:%d.%m.%Y})"

    def clean(self):
        if self.written_on and self.written_on > timezone.localdate():
            raise ValidationError({"written_on": _("A note cannot be dated in the future.")})
        if self.written_on and self.enrollment_id and self.written_on < self.enrollment.applied_on:
            raise ValidationError({"written_on": _("A note cannot be dated before the application.")})


def document_path(instance, filename):
    """Stored under a name the server makes: a person's name in an uploaded file's name stays out of the disk."""
    return f"participants/{timezone.localdate():%Y}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class CaseDocument(TimestampedModel):
    """A scan in the person's file in a club: the signed contract, the OPS referral, the consent form."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")

    enrollment = models.ForeignKey(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(
        verbose_name=_("kind of document"),
        max_length=20,
        choices=CaseDocumentKindChoices,
    )
    received_on = models.DateField(
        verbose_name=_("received on"),
    )
    file = models.FileField(
        verbose_name=_("file"),
        upload_to=document_path,
        validators=[validate_scan],
        help_text=_("PDF, JPG or PNG."),
    )

    class Meta:
        ordering = ["-received_on", "-created_at"]
        verbose_name = _("document in the file")
        verbose_name_plural = _("documents in the file")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CaseDocumentKindChoices.values),
                name="case_document_kind_valid",
                violation_error_message=_("Unknown kind of document."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.received_on:%d.%m.%Y})"

    def download_name(self):
        return f"{self.kind}-{self.pk}{PurePath(self.file.name).suffix}"

    def clean(self):
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": _("A document cannot be dated in the future.")})


@receiver(post_delete, sender=CaseDocument)
def remove_file(sender, instance, **kwargs):
    """A scan carries the person's identity: its file goes with its row (from the admin, a bulk deletion or
    anonymisation), once the deletion commits."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))

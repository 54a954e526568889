"""Meetings of a network and the organisations attending them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.validators import (
    validate_document,
)

from ..choices import (
    MeetingKindChoices,
)


class Meeting(TimestampedModel):
    """A meeting of a network's body: who came, what was discussed, what follows."""

    scope_paths = ScopePaths(region="network__region", national_rows_shared=True)

    network = models.ForeignKey(
        verbose_name=_("network"),
        to="networks.Network",
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    held_on = models.DateField(
        verbose_name=_("date"),
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=20,
        choices=MeetingKindChoices,
    )
    topic = models.CharField(
        verbose_name=_("topic"),
        max_length=300,
    )
    attending_organizations = models.ManyToManyField(
        verbose_name=_("attending organisations"),
        to="stakeholders.Organization",
        related_name="meetings",
        blank=True,
    )
    minutes = models.TextField(
        verbose_name=_("minutes"),
        blank=True,
    )
    minutes_file = models.FileField(
        verbose_name=_("minutes file"),
        upload_to="meetings/%Y/",
        blank=True,
        validators=[validate_document],
    )
    follow_up = models.TextField(
        verbose_name=_("follow-up actions"),
        blank=True,
    )

    class Meta:
        ordering = ["-held_on", "network"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["network", "held_on"], name="meeting_network_date_idx"),
        ]

    def __str__(self):
        return f"{self.network} — {self.held_on:%d.%m.%Y}: {self.topic}"

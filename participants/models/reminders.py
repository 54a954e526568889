"""Who asked not to receive the morning digest of their worklist."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel


class DigestOptOut(TimestampedModel):
    """A user who does not want the morning e-mail digest of their worklist (`manage.py send_reminders`)."""

    user = models.OneToOneField(
        verbose_name=_("user"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_opt_out",
    )

    class Meta:
        ordering = ["user"]
        verbose_name = _("opt-out of the morning digest")
        verbose_name_plural = _("opt-outs of the morning digest")

    def __str__(self):
        return str(self.user)

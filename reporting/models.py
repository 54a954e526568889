from django.db import models
from django.utils.translation import gettext_lazy as _


class FiguresVersion(models.Model):
    """A single row whose token is renewed after every committed change of the data reports come from."""

    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("version of the report figures")
        verbose_name_plural = _("versions of the report figures")

    def __str__(self):
        return self.token

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatusChoices(models.TextChoices):
    RECEIVED = "received", _("received, waiting for the club's answer")
    ACCEPTED = "accepted", _("accepted by the club")
    DECLINED = "declined", _("declined by the club")

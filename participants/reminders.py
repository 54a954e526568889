"""The morning digest: one e-mail per member of a club's staff with what their worklist shows today.

The e-mail leaves the portal, so it names nobody: it gives how many items each list of the worklist
holds (only the lists the user's role may see, `visibility.py`) and the link to the worklist. A user
opts out on the reminders page (`DigestOptOut`); someone with nothing to do gets no e-mail.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .visibility import ACTION_PLAN, ATTENDANCE, OUTCOME, SOCIAL_CONTRACTS, visible_sections
from .worklist import absent, contracts_ending, follow_ups_due, reviews_due

# section of the record: (what the count is of, the worklist's list)
LISTS = {
    ACTION_PLAN: (gettext_lazy("Plan reviews due"), reviews_due),
    SOCIAL_CONTRACTS: (gettext_lazy("Social contracts ending soon"), contracts_ending),
    ATTENDANCE: (gettext_lazy("Active participants without recent attendance"), absent),
    OUTCOME: (gettext_lazy("Follow-ups due"), follow_ups_due),
}


def recipients():
    """Active club staff with an e-mail address who have not opted out."""
    return (
        get_user_model()
        .objects.filter(is_active=True, scope__club__isnull=False, digest_opt_out__isnull=True)
        .exclude(email="")
        .select_related("scope__club")
        .order_by("pk")
    )


def digest(user, today):
    """[(label, count)] of the worklist's lists `user` may see that hold anything today."""
    shown = visible_sections(user)
    rows = [(label, len(items(user, today))) for section, (label, items) in LISTS.items() if section in shown]
    return [(str(label), count) for label, count in rows if count]


def send_digests(today, dry_run=False):
    """Send each recipient their digest; returns [(user, digest)] of those who had one."""
    sent = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in recipients():
            rows = digest(user, today)
            if not rows:
                continue
            sent.append((user, rows))
            if dry_run:
                continue
            context = {
                "user": user,
                "club": user.scope.club,
                "rows": rows,
                "today": today,
                "url": settings.KSR_SITE_URL.rstrip("/") + reverse("participants:worklist"),
            }
            send_mail(
                _("KSR portal: your worklist for %(date)s") % {"date": today.strftime("%d.%m.%Y")},
                render_to_string("participants/digest.txt", context),
                None,
                [user.email],
            )
    return sent

"""What the portal's pages show of the API's work."""

from django.utils import timezone

from ksr_portal.scoping import user_scope
from participants.worklist import counts

from .choices import ReferralStatusChoices
from .models import InboundReferral


def waiting_referrals(request):
    """How many referrals from other systems wait for the club's answer; counted only where a page shows it."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.has_perm("api.change_inboundreferral")):
        return {}
    waiting = InboundReferral.objects.restrict(user, "change").filter(status=ReferralStatusChoices.RECEIVED)
    return {"waiting_referrals": waiting.count}


def worklist_counts(request):
    """How much waits on the worklist of a club's staff, for the page header: each list counted by one query,
    however many people the club has. Here, as the one layer that sees both the club's work and the
    referrals from other systems; counted only where a page shows it."""
    user = getattr(request, "user", None)
    scope = user_scope(user) if user and user.is_authenticated else None
    if scope is None or scope.club_id is None:
        return {}

    def counted():
        found = counts(user, timezone.localdate())
        referrals = waiting_referrals(request).get("waiting_referrals")
        found["referrals"] = referrals() if referrals else 0
        found["total"] = sum(found.values())
        return found

    return {"worklist_counts": counted}

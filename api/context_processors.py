"""What the portal's pages show of the API's work."""

from .choices import ReferralStatusChoices
from .models import InboundReferral


def waiting_referrals(request):
    """How many referrals from other systems wait for the club's answer; counted only where a page shows it."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.has_perm("api.change_inboundreferral")):
        return {}
    waiting = InboundReferral.objects.restrict(user, "change").filter(status=ReferralStatusChoices.RECEIVED)
    return {"waiting_referrals": waiting.count}

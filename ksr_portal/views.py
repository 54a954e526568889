from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from . import roles


@login_required
def start(request):
    """After signing in: the page of the user's everyday work (roles.LANDING)."""
    return redirect(roles.landing_url(request.user))

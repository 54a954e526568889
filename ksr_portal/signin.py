"""Signing in: who the client is behind the proxy, what a locked-out person is told, and a password
change that counts wrong old passwords as failed sign-ins."""

import ipaddress

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address):
    return any(address in network for network in settings.TRUSTED_PROXY_NETWORKS)


def client_ip(request):
    """The client's address: the peer's, or, when the peer is a trusted proxy, the last address in
    `X-Forwarded-For` that no trusted proxy added. Only a trusted proxy's header is believed, so a
    client cannot pose as another address; behind no proxy the header is ignored."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    if not _trusted(peer):
        return str(peer)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: whatever lies before it is the client's own claim
        if not _trusted(address):
            return str(address)
        peer = address
    return str(peer)


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page, in the portal's layout and language (django-axes' AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else None
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)


def refuse_wrong_old_password(request, form):
    """Count a wrong old password on the password-change form as a failed sign-in of that account.

    Once the account is locked, the session ends and the lockout page is shown: someone who has an
    unattended session must not be able to guess its password there.
    """
    credentials = {settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}
    AxesProxyHandler.update_request(request)
    if "old_password" in form.errors:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return lockout_response(request)
    return None

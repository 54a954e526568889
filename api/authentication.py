"""API keys as DRF authentication: `Authorization: Bearer ksr_<prefix>_<secret>`.

The request then acts as the key's service account, so `restrict()` scopes it like any user of that role
and scope; `request.auth` is the key.
"""

import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import KEY_PREFIX, ApiKey, digest_of

KEYWORD = "Bearer"


def key_of(text):
    """The key whose text this is, or None; the digests are compared in constant time."""
    marker, _sep, rest = text.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if marker != KEY_PREFIX or not prefix or not secret:
        return None
    key = ApiKey.objects.select_related("account", "organization").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.digest, digest_of(secret)):
        return None
    return key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(_("Give the API key after the word Bearer."))
        key = key_of(words[1].decode(errors="replace"))
        if key is None:
            raise exceptions.AuthenticationFailed(_("Unknown API key."))
        if key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        if not key.is_usable():
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        if not key.account.is_active:
            raise exceptions.AuthenticationFailed(_("This API key's account is inactive."))
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return key.account, key

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("An API key issued in the workbench: ksr_<prefix>_<secret>.")),
        }

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ApiKeyThrottle(SimpleRateThrottle):
    """Calls per API key (KSR_API_RATE); a signed-in user reading the schema is counted by account."""

    scope = "api_key"

    def get_rate(self):
        return settings.KSR_API_RATE

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        ident = f"key-{request.auth.pk}" if request.auth is not None and hasattr(request.auth, "prefix") else None
        return self.cache_format % {"scope": self.scope, "ident": ident or f"user-{request.user.pk}"}

"""The portal's own middleware: input no database can store is refused before any view reads it, and
every response says what a browser may keep and use."""

from django.core.exceptions import SuspiciousOperation
from django.utils.cache import patch_cache_control

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulCharacter(SuspiciousOperation):
    """A request carried a NUL character, which PostgreSQL refuses in any text."""


def pairs(querydict):
    """Every (key, value) of a QueryDict, each value of a repeated key on its own."""
    for key, values in querydict.lists():
        for value in values:
            yield key, value


def holds_nul(querydict):
    return any(NUL in key or NUL in value for key, value in pairs(querydict))


def reject_nul_middleware(get_response):
    """Answer 400 to a request with a NUL character (raw or as %00) in its path, query or form values.

    PostgreSQL cannot store or compare a text holding NUL, so any view or filter passing one on would
    fail with a server error; no legitimate input holds one. Raised as a SuspiciousOperation, the
    refusal is Django's 400 answer and is logged as such. A cookie holding NUL is dropped instead (a
    session cookie is then simply absent), so that a planted cookie cannot lock a browser out.
    Uploaded files are not read: a file may hold any bytes.
    """

    def middleware(request):
        if NUL in request.path or holds_nul(request.GET):
            raise NulCharacter("NUL character in the path or query string")
        for name in [name for name, value in request.COOKIES.items() if NUL in name or NUL in value]:
            del request.COOKIES[name]
        if request.method == "POST" and request.content_type in FORM_TYPES and holds_nul(request.POST):
            raise NulCharacter("NUL character in the form values")
        return get_response(request)

    return middleware


# Powerful browser features no page of the portal uses, denied to the page and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "hid",
    )
)


def static_file_headers(headers, path, url):
    """WhiteNoise answers static files before any middleware: the same Permissions-Policy on them."""
    headers["Permissions-Policy"] = PERMISSIONS_POLICY


def privacy_headers_middleware(get_response):
    """Deny browser features on every response; keep responses to a signed-in user out of any cache.

    A signed-in user's pages (record, timeline, dane.json, certificate, worklist, exports, documents,
    the admin) carry personal data, which neither the browser nor a proxy may store. Static files are
    answered by WhiteNoise before this middleware (see `static_file_headers`) and stay cacheable.
    """

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware

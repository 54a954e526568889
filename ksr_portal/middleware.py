"""The portal's own middleware: input no database can store is refused before any view reads it."""

from django.core.exceptions import SuspiciousOperation

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

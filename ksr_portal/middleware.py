"""The portal's own middleware: input no database can store is refused before any view reads it,
every response says what a browser may keep and use, and a page that only reads rarely writes its session."""

import time

from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError
from django.utils.cache import patch_cache_control

from .database import not_waiting
from .headers import PERMISSIONS_POLICY

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


def privacy_headers_middleware(get_response):
    """Deny browser features on every response; keep responses to a signed-in user out of any cache.

    A signed-in user's pages (record, timeline, dane.json, certificate, worklist, exports, documents,
    the admin) carry personal data, which neither the browser nor a proxy may store. Static files are
    answered by WhiteNoise before this middleware (see `headers.static_file_headers`) and stay cacheable.
    """

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware


class IdleSessionMiddleware(SessionMiddleware):
    """Django's sessions, which expire SESSION_COOKIE_AGE after the user's last request (the idle timeout).

    A request that may change something saves its session, as every request once did. A page that only
    reads (GET, HEAD) saves it at most once every REFRESH seconds, so the timeout is exact within that
    much, and never waits to do so: while a worker writes a long import, SQLite's one writer lock is the
    worker's, and the refresh is left to a later request rather than hold the page up for the import's
    length. (On PostgreSQL nothing else writes the session's row.)
    """

    REFRESH = 60
    REFRESHED = "_refreshed"  # the session's key: when it was last saved (seconds since the epoch)

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return super().process_response(request, response)
        now = int(time.time())
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            session[self.REFRESHED] = now
            return super().process_response(request, response)
        if now - session.get(self.REFRESHED, 0) < self.REFRESH:
            return super().process_response(request, response)  # unmodified: not saved
        session[self.REFRESHED] = now
        try:
            with not_waiting():
                return super().process_response(request, response)
        except OperationalError:  # the database is another connection's to write just now
            return response


def session_started(sender, request, user, **_signal):
    """Signing in saves a new session: the idle timeout's count starts there."""
    request.session[IdleSessionMiddleware.REFRESHED] = int(time.time())

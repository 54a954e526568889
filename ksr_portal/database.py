"""The database beyond the ORM: asking SQLite for its one writer's lock without waiting for it."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def not_waiting():
    """Within this block, a statement that needs the lock another connection holds fails at once
    (OperationalError) instead of waiting for it: SQLite lets one connection write at a time, and its
    connections wait up to the configured timeout. Other databases lock rows, and wait as usual."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")

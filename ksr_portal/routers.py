"""Reads of reports and dashboards go to the replica when one is configured; everything else to the primary."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_reporting = ContextVar("reporting", default=False)


@contextmanager
def replica_reads():
    """Within this block, reads go to the replica (if `REPLICA_DATABASE_URL` is set)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reporting.get() and "replica" in settings.DATABASES:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"

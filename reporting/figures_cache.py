"""Report figures computed once per state of the data they come from.

Reports and dashboards aggregate every enrollment and attendance row of their scope, which at
national scale takes seconds. Their tables are kept in the cache under a key that includes the token
of `FiguresVersion`, renewed after every committed write of the portal's data: saves, deletes and
many-to-many changes through model signals, bulk writes (`bulk_create`, `update()`) through the
`bulk_write` announcement of `ksr_portal.changes`. The token lives in the database, so every process
and server sees a change at once whatever cache they share, and it is read with the figures (from the
replica when reports read from one), so figures are never older than the data they are shown beside.
"""

import hashlib
import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from ksr_portal.changes import bulk_write
from ksr_portal.routers import replica_reads

from .models import FiguresVersion

DATA_APPS = ["networks", "clubs", "participants", "stakeholders"]
TIMEOUT = 24 * 60 * 60


def _renew():
    FiguresVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def data_changed(**_signal):
    """Renew the token once the current transaction commits (at once outside one)."""
    connection = transaction.get_connection()
    # One renewal per transaction however many rows it writes.
    if any(callback is _renew for _savepoints, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_renew)


def connect_signals():
    bulk_write.connect(data_changed, dispatch_uid="figures-bulk")
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            post_save.connect(data_changed, sender=model, dispatch_uid=f"figures-save-{model._meta.label}")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"figures-delete-{model._meta.label}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    data_changed, sender=field.remote_field.through, dispatch_uid=f"figures-m2m-{field}"
                )


def cached_figures(name, parts, compute):
    """`compute()` for these key parts, from the cache while the data has not changed."""
    with replica_reads():
        token = FiguresVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""
        # Figures may depend on today's date and are translated when computed.
        key = repr((name, parts, token, timezone.localdate(), get_language()))
        key = "figures:" + hashlib.sha256(key.encode()).hexdigest()
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, TIMEOUT)
    return value

"""Announcements of writes that Django's model signals do not see.

`bulk_create()` and `update()` send no `post_save`, so code that writes in bulk calls
`bulk_written(Model, pks)` after it, as it calls `log_bulk()` for the audit trail. Whatever keeps data
derived from the domain's tables (the report figures) listens to `bulk_write`; the domain announces
and never needs to know who listens.
"""

from django.dispatch import Signal

# Sent with the model whose rows were written as the sender and their pks (None: any rows may have
# changed, as after a bulk load).
bulk_write = Signal()


def bulk_written(model, pks=None):
    bulk_write.send(sender=model, pks=None if pks is None else list(pks))

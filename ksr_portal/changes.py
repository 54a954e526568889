"""Announcements of writes that Django's model signals do not see.

`bulk_create()` and `update()` send no `post_save`, so code that writes in bulk calls
`bulk_written(Model)` after it, as it calls `log_bulk()` for the audit trail. Whatever keeps data
derived from the domain's tables (the report figures) listens to `bulk_write`; the domain announces
and never needs to know who listens.
"""

from django.dispatch import Signal

# Sent with the model whose rows were written as the sender.
bulk_write = Signal()


def bulk_written(model):
    bulk_write.send(sender=model)

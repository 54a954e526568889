"""The audit trail of personal data, kept by django-auditlog.

Saves and deletes are logged by auditlog's signals; reads of a person's record and exports are logged
here with `log_access`; writes that bypass signals (`bulk_create`, `update()`) must call `log_bulk`.

A reader of the trail who may not view a kind of record (the national coordinator and a person's
data) sees who touched which record when, never what the record says: its entries name the record by
its kind and a pseudonym instead of its text, list the changed fields without their values, and do
not link to it. The pseudonym is an HMAC of the secret key over the kind and the primary key, so the
same record has the same pseudonym in every entry, while the key (which the portal's addresses and
files carry) cannot be told from it.
"""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.render import get_field_verbose_name
from auditlog.signals import accessed
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.crypto import salted_hmac

from .scoping import may_view


def register_audited(*models, mask_fields=(), m2m_fields=(), exclude_fields=()):
    for model in models:
        names = {field.name for field in model._meta.get_fields()}
        auditlog.register(
            model,
            mask_fields=[name for name in mask_fields if name in names],
            m2m_fields={name for name in m2m_fields if name in names},
            exclude_fields=[name for name in exclude_fields if name in names],
        )


def mask(value):
    """What the trail keeps of a masked field's value (a PESEL, a password hash): that it changed, not
    any part of it (AUDITLOG_MASK_CALLABLE)."""
    return "********"


def is_audited(model):
    return auditlog.contains(model)


def logged_models():
    """Every kind of record the trail holds: auditlog's registry, and regions, whose reports' exports are logged."""
    return [*auditlog.get_models(), apps.get_model("networks", "Region")]


def shows_identity(user, entry):
    """Whether `user` may read what `entry` says of its record: only if they may view such records."""
    model = entry.content_type.model_class()
    return model is not None and may_view(user, model)


def pseudonym(entry):
    """The record of `entry` as its kind and a stable pseudonym, e.g. "uczestnik #3f9a0c1d2b4e"."""
    digest = salted_hmac(
        "ksr_portal.audit.pseudonym", f"{entry.content_type.app_label}.{entry.content_type.model}:{entry.object_pk}"
    )
    model = entry.content_type.model_class()
    kind = model._meta.verbose_name if model else entry.content_type.model
    return f"{kind} #{digest.hexdigest()[:12]}"


def changed_fields(entry):
    """The names of the fields `entry` changed, without their values."""
    return ", ".join(str(get_field_verbose_name(entry, name)) for name in entry.changes_dict)


def log_access(instance):
    """Record that the current user (auditlog's middleware knows who) read this record."""
    accessed.send(sender=instance.__class__, instance=instance)


def log_bulk(model, pks, action, changes=None, actor=None):
    """Write one log entry per row for a bulk write that Django's signals do not see."""
    content_type = ContentType.objects.get_for_model(model)
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk,
            object_repr=f"{model._meta.verbose_name} #{pk}",
            action=action,
            changes=changes or {},
            actor=actor,
        )
        for pk in pks
    )


def log_export(user, model, pks, file_format):
    """An export that contains personal data leaves one access entry per exported record."""
    log_bulk(model, pks, LogEntry.Action.ACCESS, changes={"export": file_format}, actor=user)

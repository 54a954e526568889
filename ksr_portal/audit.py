"""The audit trail of personal data, kept by django-auditlog.

Saves and deletes are logged by auditlog's signals; reads of a person's record and exports are logged
here with `log_access`; writes that bypass signals (`bulk_create`, `update()`) must call `log_bulk`.
"""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.apps import apps
from django.contrib.contenttypes.models import ContentType


def register_personal_data(*models, mask_fields=(), m2m_fields=()):
    for model in models:
        names = {field.name for field in model._meta.get_fields()}
        auditlog.register(
            model,
            mask_fields=[name for name in mask_fields if name in names],
            m2m_fields={name for name in m2m_fields if name in names},
        )


def is_audited(model):
    return auditlog.contains(model)


def logged_models():
    """Every kind of record the trail holds: auditlog's registry, and regions, whose reports' exports are logged."""
    return [*auditlog.get_models(), apps.get_model("networks", "Region")]


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

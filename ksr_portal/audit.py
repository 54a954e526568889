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

import datetime

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .scoping import may_view


def register_audited(*models, mask_fields=(), m2m_fields=(), exclude_fields=()):
    """Log every save and delete of `models`; the rows pointing at a record (its reverse relations) are
    not the record's fields, and auditlog would log each as the text of a manager."""
    for model in models:
        names = {field.name for field in model._meta.get_fields()}
        reverse = [field.name for field in model._meta.get_fields() if field.auto_created and not field.concrete]
        auditlog.register(
            model,
            mask_fields=[name for name in mask_fields if name in names],
            m2m_fields={name for name in m2m_fields if name in names},
            exclude_fields=[name for name in exclude_fields if name in names] + reverse,
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


# What an entry records that is not a field of its record.
ENTRY_KEYS = {"export": _("exported as")}


def recorded_field(entry, name):
    """The field of `entry`'s record that `name` in its changes stands for; None for another key."""
    model = entry.content_type.model_class()
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def recorded_changes(entry):
    """(field or None, label, change) for each change of `entry`, without the reverse relations that
    entries written before they were excluded hold."""
    for name, change in entry.changes_dict.items():
        field = recorded_field(entry, name)
        if field is not None and field.auto_created and not field.concrete:
            continue
        label = field.verbose_name if field is not None else ENTRY_KEYS.get(name, name)
        yield field, capfirst(label), change


def changed_fields(entry):
    """The names of the fields `entry` changed, without their values."""
    return ", ".join(str(label) for _field, label, _change in recorded_changes(entry))


def shown_value(field, value):
    """A value as the trail recorded it (text, dates in ISO, times in UTC), as the interface shows values."""
    if value in (None, "None", ""):
        return "—"
    if field is None or not field.concrete:
        return value
    if field.choices:
        return dict((str(key), label) for key, label in field.flatchoices).get(str(value), value)
    kind = field.get_internal_type()
    try:
        if kind == "DateTimeField":
            moment = datetime.datetime.fromisoformat(str(value))
            if timezone.is_naive(moment):  # auditlog keeps times in UTC
                moment = moment.replace(tzinfo=datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        if kind == "DateField":
            return formats.date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return value
    if kind == "BooleanField":
        return {"True": _("yes"), "False": _("no")}.get(str(value), value)
    return value


M2M_OPERATIONS = {"add": _("added"), "delete": _("removed")}


def changes_table(entry):
    """The changes of `entry` with their values before and after, for a reader who may read them."""
    rows = []
    for field, label, change in recorded_changes(entry):
        if isinstance(change, dict) and change.get("type") == "m2m":
            operation = M2M_OPERATIONS.get(change.get("operation"), change.get("operation"))
            rows.append((label, "—", f"{operation}: {', '.join(map(str, change.get('objects', [])))}"))
        elif isinstance(change, list | tuple) and len(change) == 2:
            rows.append((label, shown_value(field, change[0]), shown_value(field, change[1])))
        else:
            rows.append((label, "—", shown_value(field, change)))
    if not rows:
        return ""
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
        _("Field"),
        _("Before"),
        _("After"),
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
    )


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

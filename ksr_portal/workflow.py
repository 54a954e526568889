"""Explicit state transitions for models with a status: named methods that check their rules first.

A status changes only through a transition: `save()` and `full_clean()` refuse a status changed any
other way (a form, an import, code setting the field), and a new row starts in one of the model's
`initial_statuses`. Records of what already happened (demo data, tests' fixtures) are written inside
`recording_history()`, which no page, import or command a user runs enters.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models.base import DEFERRED
from django.utils import timezone
from django.utils.translation import gettext as _

_recording_history = ContextVar("recording_history", default=False)


@contextmanager
def recording_history():
    """Within this block rows keep the statuses they are given, as records of what already happened."""
    token = _recording_history.set(True)
    try:
        yield
    finally:
        _recording_history.reset(token)


class StateMachine:
    """Mixin for a model with a `status` field and a class attribute
    `transitions = {name: (label, [from statuses], to status)}`; each name is also a method of the model
    that gathers its own problems and calls `apply_transition`. `initial_statuses` are those a new row
    may start in."""

    transitions = {}
    initial_statuses = ()
    _in_transition = False

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        loaded = zip(field_names, values, strict=True)
        instance._stored = {name: value for name, value in loaded if value is not DEFERRED}
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using, fields, from_queryset)
        names = fields or [field.attname for field in self._meta.concrete_fields]
        self._remember({self._meta.get_field(name).attname for name in names})

    def _remember(self, attnames):
        stored = getattr(self, "_stored", {})
        stored.update({name: self.__dict__[name] for name in attnames if name in self.__dict__})
        self._stored = stored

    def stored_status(self):
        """The status as the database holds it; None for a new row."""
        return getattr(self, "_stored", {}).get("status")

    def changed_outside_transition(self, names):
        """Which of the fields `names` differ from what was loaded, unless a transition is saving them."""
        if self._in_transition or self._state.adding or _recording_history.get():
            return []
        stored = getattr(self, "_stored", {})
        attnames = [(name, self._meta.get_field(name).attname) for name in names]
        return [
            name
            for name, attname in attnames
            if attname in stored and attname in self.__dict__ and self.__dict__[attname] != stored[attname]
        ]

    def transition_problems(self):
        """{field: message} for a status that did not come from a transition."""
        if self._state.adding and not self._in_transition and not _recording_history.get():
            if self.status not in self.initial_statuses:
                names = dict(self._meta.get_field("status").flatchoices)
                labels = ", ".join(f"„{names[status]}”" for status in self.initial_statuses)
                return {"status": _("A new record starts with the status %(statuses)s.") % {"statuses": labels}}
            return {}
        if not self.changed_outside_transition(["status"]):
            return {}
        stored = self.stored_status()
        actions = [str(label).lower() for label, sources, _target in self.transitions.values() if stored in sources]
        if not actions:
            return {"status": _("A record with this status no longer changes its status.")}
        return {
            "status": _("The status changes only by one of its actions, which check their rules: %(actions)s.")
            % {"actions": ", ".join(actions)}
        }

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        errors = {}
        try:
            super().full_clean(exclude, validate_unique, validate_constraints)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, message in self.transition_problems().items():
            # A field a form leaves out cannot hold the form's error.
            errors.setdefault(NON_FIELD_ERRORS if name in (exclude or ()) else name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        problems = self.transition_problems()
        if problems:
            raise ValidationError(problems)
        super().save(*args, **kwargs)
        self._remember({field.attname for field in self._meta.concrete_fields})

    def available_transitions(self):
        return [name for name, (_label, sources, _target) in self.transitions.items() if self.status in sources]

    @transaction.atomic
    def apply_transition(self, name, on, problems, **changes):
        """Refuse with every reason at once, or move to the target status with `changes`; returns the old status.

        The status is read again under a row lock: two people acting on the same record at once (a transfer
        accepted by one club while the other withdraws it) take turns, and the later one sees the change.
        """
        label, sources, target = self.transitions[name]
        if self.pk is not None:
            stored = type(self)._base_manager.select_for_update().filter(pk=self.pk).values_list("status", flat=True)
            self.status = stored.first() or self.status
        if self.status not in sources:
            raise ValidationError(
                _("A record with the status “%(status)s” cannot change this way (%(action)s).")
                % {"status": self.get_status_display(), "action": str(label).lower()}
            )
        problems = list(problems)
        if on is None:
            problems.insert(0, _("Enter the date of the change."))
        elif on > timezone.localdate():
            problems.insert(0, _("The date of the change cannot be in the future."))
        if problems:
            raise ValidationError(problems)
        previous = self.status
        for field_name, value in changes.items():
            setattr(self, field_name, value)
        self.status = target
        self._in_transition = True
        try:
            self.full_clean()
            self.save()
        except ValidationError:
            self.refresh_from_db()
            raise
        finally:
            self._in_transition = False
        return previous

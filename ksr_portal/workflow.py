"""Explicit state transitions for models with a status: named methods that check their rules first."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


class StateMachine:
    """Mixin for a model with a `status` field and a class attribute
    `transitions = {name: (label, [from statuses], to status)}`; each name is also a method of the model
    that gathers its own problems and calls `apply_transition`."""

    transitions = {}

    def available_transitions(self):
        return [name for name, (_label, sources, _target) in self.transitions.items() if self.status in sources]

    @transaction.atomic
    def apply_transition(self, name, on, problems, **changes):
        """Refuse with every reason at once, or move to the target status with `changes`; returns the old status."""
        label, sources, target = self.transitions[name]
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
        try:
            self.full_clean()
            self.save()
        except ValidationError:
            self.refresh_from_db()
            raise
        return previous

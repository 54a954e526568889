"""The one access-scope mechanism: `Model.objects.restrict(user, action)`.

Every path that reads or writes data (admin querysets, choices, filters and autocomplete, portal
views, reports, imports and exports) takes its queryset from here, so what is out of a user's scope
is simply not there: a 404 for an object, no row in a list, no count, no filter choice.

A user's reach is two things: the model permission for the action (through their role group) and
their scope assignment (national, one region or one club, `ksr_portal.UserScope`). Each model says
where it sits with `scope_paths`: the lookup path to its region and, if it belongs to one club, to
its club. Models without a region path are national reference data (regions, the catalogue). A
user's own records (their uploaded files) name their owner instead, and are nobody else's.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP


@dataclass(frozen=True)
class ScopePaths:
    region: str | None = None
    club: str | None = None
    # Rows whose region is empty belong to the national network and are readable by every scope.
    national_rows_shared: bool = False
    # The path to the user a row belongs to: only they may reach it, whatever their role.
    owner: str | None = None
    # The path to a second club whose staff may also reach the row, for `shared_actions` only: the
    # receiving club of a transfer, or the club a stay was transferred to, which reads its plan and
    # contract as history. It widens a club-level scope only.
    shared_club: str | None = None
    shared_actions: tuple = ("view",)


def user_scope(user):
    """The user's scope assignment, or None (which grants nothing)."""
    try:
        return user.scope
    except AttributeError:
        return None
    except models.ObjectDoesNotExist:
        return None


def may_view(user, model):
    """Whether `user` may view any row of `model`: the permission `restrict()` asks for before the scope."""
    opts = model._meta
    return user.is_authenticated and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def hidden_fields(user, model):
    """The fields of `model` that `user` may not see, though they may view its rows.

    A model declares them in `restricted_fields`, {permission codename: field names}: the fields
    shown only to a role holding that permission of the model's app (data minimisation).
    """
    app_label = model._meta.app_label
    return {
        name
        for codename, names in getattr(model, "restricted_fields", {}).items()
        if not user.has_perm(f"{app_label}.{codename}")
        for name in names
    }


def hides_path(user, model, path):
    """Whether a lookup path from `model` ("enrollment__participant__pesel__exact") reads a hidden field."""
    for name in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if name in hidden_fields(user, model):
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def _is_multivalued(model, path):
    for name in path.split(LOOKUP_SEP):
        if name == "pk":
            return False
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def scope_condition(user, model, action):
    """The rows of `model` that `user` may `action`: None for none at all, an empty Q for every row."""
    if user is None or not user.is_active or not user.is_authenticated:
        return None
    if model.scope_paths.owner:
        return models.Q(**{model.scope_paths.owner: user.pk})
    if user.is_superuser:
        return models.Q()
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        return None
    scope = user_scope(user)
    if scope is None:
        return None
    return scope.condition_for(model, action) or models.Q()


def _values_at(obj, path):
    """The values `path` reaches from `obj` as it stands in memory; past a many-valued step, as stored."""
    names = path.split(LOOKUP_SEP)
    for depth, name in enumerate(names):
        if obj is None:
            return {None}
        if name == "pk":
            return {obj.pk}
        field = obj._meta.get_field(name)
        if field.many_to_many or field.one_to_many or (field.one_to_one and not field.concrete):
            if obj.pk is None:
                return {None}  # no related rows yet, as a join finds none
            rest = LOOKUP_SEP.join(names[depth:])
            return set(type(obj)._base_manager.filter(pk=obj.pk).values_list(rest, flat=True))
        if depth == len(names) - 1:
            return {getattr(obj, field.attname)}
        # A new parent, not saved yet, is only in memory: the inline rows' foreign key holds it.
        obj = getattr(obj, name) if field.is_cached(obj) or getattr(obj, field.attname) is not None else None


def _holds(obj, condition):
    results = []
    for child in condition.children:
        if isinstance(child, models.Q):
            results.append(_holds(obj, child))
            continue
        lookup, value = child
        path, _sep, last = lookup.rpartition(LOOKUP_SEP)
        if last == "isnull":
            results.append((None in _values_at(obj, path)) == value)
        else:
            results.append(value in _values_at(obj, lookup))
    held = any(results) if condition.connector == models.Q.OR else all(results)
    return held != condition.negated


def permits(user, obj, action):
    """Whether `user` may `action` `obj` as it stands in memory, perhaps changed or not yet saved.

    The same rule as `restrict()`, applied to the object's new values before anything is written: a
    form can then refuse a row that would leave the user's scope with a message instead of an error.
    """
    condition = scope_condition(user, type(obj), action)
    return condition is not None and _holds(obj, condition)


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action="view"):
        """Only the rows `user` may `action` (view, add, change, delete)."""
        condition = scope_condition(user, self.model, action)
        if condition is None:
            return self.none()
        if not condition:
            return self
        paths = self.model.scope_paths
        multivalued = any(_is_multivalued(self.model, p) for p in (paths.region, paths.club, paths.shared_club) if p)
        if multivalued:
            # Filter through a subquery so a person enrolled twice is still one row.
            return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))
        return self.filter(condition)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass

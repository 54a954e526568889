"""The one access-scope mechanism: `Model.objects.restrict(user, action)`.

Every path that reads or writes data (admin querysets, choices, filters and autocomplete, portal
views, reports, imports and exports) takes its queryset from here, so what is out of a user's scope
is simply not there: a 404 for an object, no row in a list, no count, no filter choice.

A user's reach is two things: the model permission for the action (through their role group) and
their scope assignment (national, one region or one club, `ksr_portal.UserScope`). Each model says
where it sits with `scope_paths`: the lookup path to its region and, if it belongs to one club, to
its club. Models without a region path are national reference data (regions, the catalogue).
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


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action="view"):
        """Only the rows `user` may `action` (view, add, change, delete)."""
        if user is None or not user.is_active or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        opts = self.model._meta
        if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
            return self.none()
        scope = user_scope(user)
        if scope is None:
            return self.none()
        condition = scope.condition_for(self.model, action)
        if condition is None:
            return self
        paths = self.model.scope_paths
        multivalued = any(_is_multivalued(self.model, p) for p in (paths.region, paths.club) if p)
        if multivalued:
            # Filter through a subquery so a person enrolled twice is still one row.
            return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))
        return self.filter(condition)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass

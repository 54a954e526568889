from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import roles
from .scoping import ScopedManager, ScopePaths


class TimestampedModel(models.Model):
    """Base of every domain model: when a row was created and last changed, and the scoped manager."""

    created_at = models.DateTimeField(
        verbose_name=_("created at"),
        auto_now_add=True,
        editable=False,
    )
    updated_at = models.DateTimeField(
        verbose_name=_("updated at"),
        auto_now=True,
        editable=False,
    )

    objects = ScopedManager()
    scope_paths = ScopePaths()

    class Meta:
        abstract = True


class UserScopeLevelChoices(models.TextChoices):
    NATIONAL = "national", _("national")
    REGION = "region", _("one region")
    CLUB = "club", _("one club")


class UserScope(TimestampedModel):
    """Where a user's role applies: the whole country, one region, or one club (and its region)."""

    user = models.OneToOneField(
        verbose_name=_("user"),
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="scope",
    )
    level = models.CharField(
        verbose_name=_("scope"),
        max_length=10,
        choices=UserScopeLevelChoices,
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="user_scopes",
        null=True,
        blank=True,
        help_text=_("For a regional or club scope: the region (for a club, the club's region)."),
    )
    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.PROTECT,
        related_name="user_scopes",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("user scope")
        verbose_name_plural = _("user scopes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level=UserScopeLevelChoices.NATIONAL) & Q(region__isnull=True) & Q(club__isnull=True))
                | (Q(level=UserScopeLevelChoices.REGION) & Q(region__isnull=False) & Q(club__isnull=True))
                | (Q(level=UserScopeLevelChoices.CLUB) & Q(region__isnull=False) & Q(club__isnull=False)),
                name="user_scope_level_fields",
                violation_error_message=_(
                    "A national scope names no region or club, a regional scope names a region, "
                    "a club scope names a club."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.club or self.region or self.get_level_display()}"

    def clean(self):
        if self.level == UserScopeLevelChoices.CLUB and self.club_id:
            self.region_id = self.club.region_id
        elif self.level != UserScopeLevelChoices.REGION:
            self.region = None
        if self.level != UserScopeLevelChoices.CLUB:
            self.club = None
        user = self.user if self.user_id or "user" in self._state.fields_cache else None
        # The groups a form is granting in the same step, else the user's stored ones.
        groups = getattr(user, "granted_groups", None)
        if groups is None:
            groups = user.groups.all() if user is not None and user.pk else []
        problem = roles.scope_problem(groups, self.level)
        if problem:
            raise ValidationError({"level": problem})

    def condition_for(self, model, action):
        """The filter that keeps `model`'s rows within this scope, or None when nothing needs filtering."""
        paths = model.scope_paths
        if self.level == UserScopeLevelChoices.NATIONAL or paths.region is None:
            return None
        if self.level == UserScopeLevelChoices.CLUB and paths.club:
            return Q(**{paths.club: self.club_id})
        condition = Q(**{paths.region: self.region_id})
        if paths.national_rows_shared and action == "view":
            condition |= Q(**{f"{paths.region}__isnull": True})
        return condition

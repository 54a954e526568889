from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ksr_portal.admin import (
    PortalImportExportMixin,
    ScopedModelAdmin,
    ScopedTabularInline,
    TransitionAdminMixin,
    YearListFilter,
)
from stakeholders.models import Membership

from .models import AnimationDeliverable, AnimationTeam, County, Meeting, Municipality, Network, Region
from .resources import MeetingResource


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    list_display = ["terc", "name", "rops_name", "rops_town", "in_pilot"]
    list_filter = ["in_pilot"]
    search_fields = ["terc", "name", "rops_name"]


@admin.register(County)
class CountyAdmin(ScopedModelAdmin):
    list_display = ["terc", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["terc", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(ScopedModelAdmin):
    list_display = ["terc", "name", "kind", "county", "region", "degurba"]
    list_filter = ["region", "kind", "degurba"]
    list_select_related = ["county", "region"]
    search_fields = ["terc", "name"]
    autocomplete_fields = ["county"]


class MembershipInline(ScopedTabularInline):
    model = Membership
    extra = 0
    fields = ["organization", "role", "joined_on", "left_on", "agreement_signed_on", "agreement_valid_until"]
    autocomplete_fields = ["organization"]
    verbose_name_plural = _("members")


@admin.register(Network)
class NetworkAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "region", "parent", "hub_club"]
    list_filter = ["kind", "region"]
    list_select_related = ["region", "parent", "hub_club"]
    search_fields = ["name", "hub_club__name"]
    autocomplete_fields = ["parent", "hub_club"]
    inlines = [MembershipInline]


@admin.register(Meeting)
class MeetingAdmin(PortalImportExportMixin, ScopedModelAdmin):
    resource_classes = [MeetingResource]
    list_display = ["held_on", "network", "kind", "topic"]
    list_filter = ["kind", "network__kind", "network__region", ("held_on", YearListFilter)]
    list_select_related = ["network"]
    search_fields = ["topic", "network__name"]
    autocomplete_fields = ["network", "attending_organizations"]


class AnimationDeliverableInline(ScopedTabularInline):
    model = AnimationDeliverable
    extra = 0
    fields = ["kind", "title", "status", "due_on", "delivered_on", "document"]
    readonly_fields = ["status", "delivered_on"]


@admin.register(AnimationTeam)
class AnimationTeamAdmin(ScopedModelAdmin):
    list_display = ["name", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["members", "supported_clubs"]
    inlines = [AnimationDeliverableInline]


@admin.register(AnimationDeliverable)
class AnimationDeliverableAdmin(TransitionAdminMixin, ScopedModelAdmin):
    list_display = ["title", "kind", "team", "status", "due_on", "delivered_on"]
    list_filter = ["kind", "status", "team__region"]
    list_select_related = ["team"]
    search_fields = ["title"]
    autocomplete_fields = ["team"]
    readonly_fields = ["delivered_on"]
    transitions = AnimationDeliverable.transitions

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ksr_portal.admin import ScopedModelAdmin, ScopedTabularInline
from participants.models import Attendance

from .models import Activity, Club, Pillar, Service


class FixedRowsAdmin(ScopedModelAdmin):
    """A closed list defined by the law or the service model: its rows come from a migration."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pillar)
class PillarAdmin(FixedRowsAdmin):
    list_display = ["__str__", "code", "order"]
    search_fields = ["code"]
    readonly_fields = ["code"]


@admin.register(Service)
class ServiceAdmin(ScopedModelAdmin):
    list_display = ["name", "pillar", "is_active"]
    list_filter = ["pillar", "is_active"]
    list_select_related = ["pillar"]
    search_fields = ["name"]


@admin.register(Club)
class ClubAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "region", "municipality", "operator", "status", "is_pilot", "under_mayor_auspices"]
    list_filter = ["kind", "status", "region", "is_pilot", "under_mayor_auspices"]
    list_select_related = ["region", "municipality", "operator"]
    search_fields = ["name", "town", "registry_number", "operator__name"]
    autocomplete_fields = ["operator", "municipality"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "operator", "status", "closed_on", "is_pilot", "under_mayor_auspices"]}),
        (
            _("Registry"),
            {"fields": ["registry_number", "created_on", "activity_started_on", "registered_on", "manager_name"]},
        ),
        (_("Address"), {"fields": ["region", "municipality", "street_address", "postal_code", "town"]}),
        (_("Contact"), {"fields": ["email", "phone"]}),
        (_("Funding"), {"fields": ["grant_agreement_number", "grant_amount"]}),
        (_("Services"), {"fields": ["services", "notes"]}),
    ]
    filter_horizontal = ["services"]


class AttendanceInline(ScopedTabularInline):
    model = Attendance
    extra = 0
    fields = ["enrollment", "status"]
    autocomplete_fields = ["enrollment"]


@admin.register(Activity)
class ActivityAdmin(ScopedModelAdmin):
    list_display = ["title", "held_on", "club", "service", "provider", "hours"]
    list_filter = ["service__pillar", "club__region"]
    list_select_related = ["club", "service", "provider"]
    search_fields = ["title", "club__name", "service__name"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["club", "service", "provider"]
    show_full_result_count = False
    inlines = [AttendanceInline]

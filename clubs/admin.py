import datetime

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ksr_portal.admin import PortalImportExportMixin, ScopedModelAdmin, TransitionAdminMixin, YearListFilter
from ksr_portal.widgets import DatePicker

from .models import Activity, AnnualSettlement, Club, Pillar, Service, StaffPosition
from .resources import ActivityResource, ClubResource


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
class ClubAdmin(PortalImportExportMixin, TransitionAdminMixin, ScopedModelAdmin):
    resource_classes = [ClubResource]
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
    readonly_fields = ["closed_on"]
    transitions = Club.transitions


class ActivityForm(forms.ModelForm):
    repeat_weekly_until = forms.DateField(
        label=_("repeat weekly until"),
        required=False,
        help_text=_("For a weekly series: the same activity every week until this date."),
        widget=DatePicker(),
    )

    class Meta:
        model = Activity
        fields = ["club", "service", "provider", "title", "held_on", "start_time", "hours", "location"]

    def clean(self):
        data = super().clean()
        until, held_on = data.get("repeat_weekly_until"), data.get("held_on")
        if until and held_on and not held_on < until <= held_on + datetime.timedelta(days=366):
            self.add_error("repeat_weekly_until", _("A weekly series ends after its first activity, within a year."))
        return data


@admin.register(Activity)
class ActivityAdmin(PortalImportExportMixin, ScopedModelAdmin):
    resource_classes = [ActivityResource]
    list_display = ["title", "held_on", "club", "service", "provider", "hours"]
    list_filter = ["service__pillar", "club__region", ("held_on", YearListFilter)]
    list_select_related = ["club", "service", "provider"]
    search_fields = ["title", "club__name", "service__name"]
    autocomplete_fields = ["club", "service", "provider"]
    form = ActivityForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        until = form.cleaned_data.get("repeat_weekly_until")
        if until:
            copies = obj.repeat_weekly(until)
            self.message_user(request, _("%(count)d more activities planned weekly.") % {"count": len(copies)})


@admin.register(StaffPosition)
class StaffPositionAdmin(ScopedModelAdmin):
    list_display = ["position", "club", "year", "employment_basis", "fte"]
    list_filter = ["year", "employment_basis"]
    list_select_related = ["club"]
    search_fields = ["position", "club__name"]
    autocomplete_fields = ["club"]


@admin.register(AnnualSettlement)
class AnnualSettlementAdmin(ScopedModelAdmin):
    list_display = ["club", "year", "subsidy_granted", "subsidy_spent", "subsidy_returned", "submitted_on"]
    list_filter = ["year"]
    list_select_related = ["club"]
    search_fields = ["club__name"]
    autocomplete_fields = ["club"]
    fieldsets = [
        (None, {"fields": ["club", "year"]}),
        (
            _("Subsidy settlement"),
            {
                "fields": [
                    "subsidy_granted",
                    "subsidy_granted_on",
                    "subsidy_spent",
                    "subsidy_returned",
                    "subsidy_returned_on",
                ]
            },
        ),
        (_("Annual report"), {"fields": ["submitted_on"]}),
    ]

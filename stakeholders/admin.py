from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ksr_portal.admin import PortalImportExportMixin, ScopedModelAdmin, ScopedTabularInline

from .models import ContactPerson, Membership, Organization, ServiceOffer
from .registry import merge, similar_organizations
from .resources import MembershipResource, OrganizationResource

CHECKBOXES = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


class ContactPersonInline(ScopedTabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "position", "email", "phone"]


class OrganizationMembershipInline(ScopedTabularInline):
    model = Membership
    extra = 0
    fields = ["network", "role", "joined_on", "left_on", "agreement_valid_until"]
    autocomplete_fields = ["network"]


class OrganizationForm(forms.ModelForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different organisation from the similar ones listed"),
        required=False,
    )

    class Meta:
        model = Organization
        fields = ["name"]

    def clean(self):
        data = super().clean()
        candidate = Organization(pk=self.instance.pk, name=data.get("name") or "")
        municipality = data.get("municipality")
        candidate.municipality_id = municipality.pk if municipality else None
        similar = similar_organizations(candidate, Organization.objects.restrict(self.viewer))
        if similar and not data.get("confirm_not_duplicate"):
            raise forms.ValidationError(
                _("Likely duplicate: %(names)s in the same municipality. Check, then confirm below to save.")
                % {"names": ", ".join(f"„{o.name}”" for o in similar)}
            )
        return data


@admin.register(Organization)
class OrganizationAdmin(PortalImportExportMixin, ScopedModelAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "stakeholder_type", "legal_form", "region", "municipality", "nip", "regon"]
    list_filter = ["stakeholder_type", "legal_form", "region", "pillars"]
    list_select_related = ["region", "municipality"]
    search_fields = ["name", "nip", "regon", "krs", "town"]
    autocomplete_fields = ["municipality"]
    formfield_overrides = {**CHECKBOXES, models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "legal_form", "stakeholder_type", "pillars"]}),
        (_("Identifiers"), {"fields": ["nip", "regon", "krs"]}),
        (_("Address"), {"fields": ["region", "municipality", "street_address", "postal_code", "town"]}),
        (_("Contact"), {"fields": ["email", "phone", "website"]}),
        (None, {"fields": ["confirm_not_duplicate"]}),
    ]
    inlines = [ContactPersonInline, OrganizationMembershipInline]
    form = OrganizationForm
    actions = ["merge_organizations"]

    @admin.action(description=_("Merge two records of one organisation"), permissions=["change", "delete"])
    def merge_organizations(self, request, queryset):
        organizations = list(queryset[:3])
        if len(organizations) != 2:
            self.message_user(request, _("Select exactly two organisations to merge."), messages.ERROR)
            return None
        keep = request.POST.get("keep")
        if keep:
            target = next((o for o in organizations if str(o.pk) == keep), None)
            source = next((o for o in organizations if str(o.pk) != keep), None)
            if target is None:
                raise PermissionDenied
            try:
                merge(source, target, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("Merged into %(name)s.") % {"name": target}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Merge two records of one organisation"),
            "organizations": organizations,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/stakeholders/organization/merge.html", context)


@admin.register(ContactPerson)
class ContactPersonAdmin(ScopedModelAdmin):
    list_display = ["name", "position", "organization", "email", "phone"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]


@admin.register(Membership)
class MembershipAdmin(PortalImportExportMixin, ScopedModelAdmin):
    resource_classes = [MembershipResource]
    list_display = ["organization", "network", "role", "joined_on", "left_on", "agreement_valid_until"]
    list_filter = ["role", "network__kind", "network__region", "organization__stakeholder_type"]
    list_select_related = ["organization", "network"]
    search_fields = ["organization__name", "network__name"]
    autocomplete_fields = ["organization", "network"]
    formfield_overrides = CHECKBOXES


@admin.register(ServiceOffer)
class ServiceOfferAdmin(ScopedModelAdmin):
    list_display = ["service", "organization", "network", "capacity", "valid_from", "valid_until"]
    list_filter = ["service__pillar", "network__region"]
    list_select_related = ["service", "organization", "network"]
    search_fields = ["service__name", "organization__name", "network__name"]
    autocomplete_fields = ["organization", "network", "service"]

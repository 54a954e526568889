from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from ksr_portal.admin import ScopedModelAdmin, ScopedTabularInline

from .models import ContactPerson, Membership, Organization, ServiceOffer

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


@admin.register(Organization)
class OrganizationAdmin(ScopedModelAdmin):
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
    ]
    inlines = [ContactPersonInline, OrganizationMembershipInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(ScopedModelAdmin):
    list_display = ["name", "position", "organization", "email", "phone"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
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

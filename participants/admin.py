from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from clubs.admin import FixedRowsAdmin
from ksr_portal.admin import ScopedModelAdmin, ScopedStackedInline, ScopedTabularInline

from .models import (
    ActionPlan,
    Attendance,
    Consent,
    EligibilityCategory,
    Enrollment,
    FollowUp,
    Goal,
    Outcome,
    Participant,
    Review,
    SocialContract,
)

CHECKBOXES = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


@admin.register(EligibilityCategory)
class EligibilityCategoryAdmin(FixedRowsAdmin):
    list_display = ["__str__"]
    search_fields = ["code"]
    readonly_fields = ["code"]


class ConsentInline(ScopedTabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "given_on", "withdrawn_on"]


class ParticipantEnrollmentInline(ScopedTabularInline):
    model = Enrollment
    extra = 0
    fields = ["club", "status", "applied_on", "exit_on"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(ScopedModelAdmin):
    list_display = ["last_name", "first_name", "birth_date", "sex", "municipality"]
    list_filter = ["sex"]
    list_select_related = ["municipality"]
    search_fields = ["last_name", "first_name", "=pesel"]
    autocomplete_fields = ["municipality"]
    show_full_result_count = False
    inlines = [ConsentInline, ParticipantEnrollmentInline]


@admin.register(Consent)
class ConsentAdmin(ScopedModelAdmin):
    list_display = ["participant", "purpose", "given_on", "withdrawn_on"]
    list_filter = ["purpose"]
    list_select_related = ["participant"]
    search_fields = ["participant__last_name", "=participant__pesel"]
    autocomplete_fields = ["participant"]


class SocialContractInline(ScopedStackedInline):
    model = SocialContract
    extra = 0
    fields = ["number", "status", "valid_from", "valid_until", "signed_on"]
    show_change_link = True


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedModelAdmin):
    list_display = ["participant", "club", "status", "applied_on", "started_on", "exit_on"]
    list_filter = ["status", "club__region", "exit_reason"]
    list_select_related = ["participant", "club"]
    search_fields = ["participant__last_name", "participant__first_name", "=participant__pesel", "club__name"]
    date_hierarchy = "applied_on"
    autocomplete_fields = ["participant", "club", "referred_by"]
    formfield_overrides = CHECKBOXES
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["participant", "club", "status"]}),
        (_("Referral"), {"fields": ["referred_by", "referred_on", "referral_contact"]}),
        (_("Dates"), {"fields": ["applied_on", "qualified_on", "started_on", "exit_on", "exit_reason"]}),
        (_("Eligibility (art. 1)"), {"fields": ["eligibility_categories", "benefit_exclusion"]}),
        (
            _("Situation at entry"),
            {
                "fields": [
                    "education_level",
                    "labour_market_status",
                    "long_term_unemployed",
                    "minority_or_migrant",
                    "homeless",
                    "disability",
                    "other_disadvantage",
                ]
            },
        ),
        (_("Completion certificate"), {"fields": ["certificate_number", "certificate_issued_on"]}),
    ]
    inlines = [SocialContractInline]


class GoalInline(ScopedStackedInline):
    model = Goal
    extra = 0
    fields = ["pillar", "description", "planned_services", "target_date", "status"]
    autocomplete_fields = ["planned_services"]


class ReviewInline(ScopedTabularInline):
    model = Review
    extra = 0
    fields = ["reviewed_on", "progress", "next_review_on"]


@admin.register(ActionPlan)
class ActionPlanAdmin(ScopedModelAdmin):
    list_display = ["enrollment", "drawn_up_on", "review_interval_months"]
    list_filter = ["enrollment__club__region"]
    list_select_related = ["enrollment__participant", "enrollment__club"]
    search_fields = ["enrollment__participant__last_name", "=enrollment__participant__pesel"]
    autocomplete_fields = ["enrollment"]
    inlines = [GoalInline, ReviewInline]


@admin.register(Goal)
class GoalAdmin(ScopedModelAdmin):
    list_display = ["__str__", "plan", "pillar", "target_date", "status"]
    list_filter = ["pillar", "status"]
    list_select_related = ["pillar", "plan__enrollment__participant", "plan__enrollment__club"]
    search_fields = ["description", "plan__enrollment__participant__last_name"]
    autocomplete_fields = ["plan", "planned_services"]


@admin.register(Review)
class ReviewAdmin(ScopedModelAdmin):
    list_display = ["plan", "reviewed_on", "next_review_on"]
    list_select_related = ["plan__enrollment__participant", "plan__enrollment__club"]
    search_fields = ["plan__enrollment__participant__last_name"]
    date_hierarchy = "reviewed_on"
    autocomplete_fields = ["plan"]


@admin.register(SocialContract)
class SocialContractAdmin(ScopedModelAdmin):
    list_display = ["number", "enrollment", "status", "valid_from", "valid_until", "signed_on"]
    list_filter = ["status"]
    list_select_related = ["enrollment__participant", "enrollment__club"]
    search_fields = ["number", "enrollment__participant__last_name", "=enrollment__participant__pesel"]
    autocomplete_fields = ["enrollment", "referring_organization"]


@admin.register(Attendance)
class AttendanceAdmin(ScopedModelAdmin):
    list_display = ["enrollment", "activity", "status"]
    list_filter = ["status", "activity__service__pillar"]
    list_select_related = ["enrollment__participant", "enrollment__club", "activity"]
    search_fields = ["enrollment__participant__last_name", "activity__title"]
    autocomplete_fields = ["activity", "enrollment"]
    show_full_result_count = False


class FollowUpInline(ScopedTabularInline):
    model = FollowUp
    extra = 0
    fields = ["months_after", "checked_on", "situation", "notes"]


@admin.register(Outcome)
class OutcomeAdmin(ScopedModelAdmin):
    list_display = [
        "enrollment",
        "situation",
        "social_reintegration_achieved",
        "vocational_reintegration_achieved",
        "recorded_on",
    ]
    list_filter = ["situation", "social_reintegration_achieved", "vocational_reintegration_achieved"]
    list_select_related = ["enrollment__participant", "enrollment__club"]
    search_fields = ["enrollment__participant__last_name"]
    autocomplete_fields = ["enrollment"]
    inlines = [FollowUpInline]


@admin.register(FollowUp)
class FollowUpAdmin(ScopedModelAdmin):
    list_display = ["outcome", "months_after", "checked_on", "situation"]
    list_filter = ["months_after", "situation"]
    list_select_related = ["outcome__enrollment__participant", "outcome__enrollment__club"]
    search_fields = ["outcome__enrollment__participant__last_name"]
    autocomplete_fields = ["outcome"]

from django import forms
from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clubs.admin import ActivityAdmin, FixedRowsAdmin
from clubs.models import Activity
from ksr_portal.admin import (
    PortalImportExportMixin,
    ScopedModelAdmin,
    ScopedStackedInline,
    ScopedTabularInline,
    TransitionAdminMixin,
    YearListFilter,
)
from ksr_portal.scoping import hidden_fields
from ksr_portal.widgets import DatePicker

from .choices import EnrollmentExitReasonChoices
from .models import (
    ENROLLMENT_TRANSITIONS,
    GOAL_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    SITUATION_AT_ENTRY,
    SOCIAL_CONTRACT_TRANSITIONS,
    ActionPlan,
    Attendance,
    CaseDocument,
    CaseNote,
    Consent,
    EligibilityCategory,
    Enrollment,
    EnrollmentStatusChange,
    FollowUp,
    Goal,
    GoalProgress,
    HouseholdMember,
    Outcome,
    Participant,
    Referral,
    Review,
    SocialContract,
)
from .resources import AttendanceResource, ParticipantResource

CHECKBOXES = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


class PeopleFilesMixin(PortalImportExportMixin):
    """Spreadsheets of people name each by PESEL, the key of the round trip, and carry their art. 1
    categories: only a role that sees both imports or exports them."""

    def sees_everything(self, request):
        return not (hidden_fields(request.user, Participant) or hidden_fields(request.user, Enrollment))

    def has_import_permission(self, request):
        return super().has_import_permission(request) and self.sees_everything(request)

    def has_export_permission(self, request):
        return super().has_export_permission(request) and self.sees_everything(request)


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
    search_fields = ["last_name", "first_name", "pesel__exact"]
    autocomplete_fields = ["municipality"]
    inlines = [ConsentInline, ParticipantEnrollmentInline]
    # Whether a record waits for identity confirmation is the portal's, told to nobody in the club.
    fields = ["first_name", "last_name", "pesel", "birth_date", "sex", "municipality", "anonymised_on"]
    readonly_fields = ["anonymised_on"]

    def add_view(self, request, form_url="", extra_context=None):
        """A person is registered in a club, on the registration page, which never tells whether a
        PESEL is already in the portal; only a superuser adds a bare record here."""
        if not request.user.is_superuser:
            return redirect("participants:register")
        return super().add_view(request, form_url, extra_context)


@admin.register(Consent)
class ConsentAdmin(ScopedModelAdmin):
    list_display = ["participant", "purpose", "given_on", "withdrawn_on"]
    list_filter = ["purpose"]
    list_select_related = ["participant"]
    search_fields = ["participant__last_name", "participant__pesel__exact"]
    autocomplete_fields = ["participant"]


class SocialContractInline(ScopedStackedInline):
    model = SocialContract
    extra = 0
    fields = ["number", "status", "valid_from", "valid_until", "signed_on"]
    readonly_fields = ["status", "signed_on"]
    show_change_link = True


class ReferralInline(ScopedTabularInline):
    model = Referral
    extra = 0
    fields = ["offer", "organization", "service", "sent_on", "status", "answered_on", "answer", "completed_on"]
    readonly_fields = ["status", "answered_on", "answer", "completed_on"]
    autocomplete_fields = ["offer", "organization", "service"]
    show_change_link = True


class ReferralTransitionForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DatePicker())
    answer = forms.CharField(label=_("partner's answer"), widget=forms.Textarea, required=False)


@admin.register(Referral)
class ReferralAdmin(TransitionAdminMixin, ScopedModelAdmin):
    list_display = ["enrollment", "organization", "service", "sent_on", "status", "answered_on"]
    list_filter = ["status"]
    list_select_related = ["enrollment__participant", "enrollment__club", "organization", "service"]
    search_fields = ["enrollment__participant__last_name", "organization__name"]
    autocomplete_fields = ["enrollment", "offer", "organization", "service"]
    readonly_fields = ["status", "answered_on", "answer", "completed_on"]
    transitions = REFERRAL_TRANSITIONS
    transition_form = ReferralTransitionForm
    transition_fields = {"accept": ["answer"], "decline": ["answer"]}


class StatusChangeInline(ScopedTabularInline):
    model = EnrollmentStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_on", "from_status", "to_status", "changed_by", "created_at"]
    readonly_fields = fields
    verbose_name_plural = _("status history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EnrollmentTransitionForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DatePicker())
    reason = forms.ChoiceField(label=_("exit reason"), choices=EnrollmentExitReasonChoices.choices)
    certificate_number = forms.CharField(label=_("completion certificate number"), required=False, max_length=50)


class SocialContractTransitionForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DatePicker())
    until = forms.DateField(label=_("new end of validity"), widget=DatePicker())
    assessment = forms.CharField(label=_("assessment of fulfilment"), widget=forms.Textarea)
    reason = forms.CharField(label=_("reason for termination"), widget=forms.Textarea)


class EnrollmentForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        if "eligibility_categories" in data:  # the model's rules check the categories about to be set
            self.instance.categories_to_save = data["eligibility_categories"]
        return data


@admin.register(Enrollment)
class EnrollmentAdmin(PeopleFilesMixin, TransitionAdminMixin, ScopedModelAdmin):
    resource_classes = [ParticipantResource]
    list_display = ["participant", "club", "status", "applied_on", "started_on", "exit_on", "case_file"]
    list_filter = ["status", "club__region", "exit_reason", ("applied_on", YearListFilter)]
    list_select_related = ["participant", "club"]
    search_fields = ["participant__last_name", "participant__first_name", "participant__pesel__exact", "club__name"]
    autocomplete_fields = ["participant", "club", "referred_by"]
    formfield_overrides = CHECKBOXES
    form = EnrollmentForm
    fieldsets = [
        (None, {"fields": ["participant", "club", "status"]}),
        (_("Referral"), {"fields": ["referred_by", "referred_on", "referral_contact"]}),
        (_("Dates"), {"fields": ["applied_on", "qualified_on", "started_on", "exit_on", "exit_reason"]}),
        (_("Eligibility (art. 1)"), {"fields": ["eligibility_categories", "benefit_exclusion"]}),
        (_("Situation at entry"), {"fields": SITUATION_AT_ENTRY}),
        (_("Completion certificate"), {"fields": ["certificate_number", "certificate_issued_on"]}),
    ]
    # The status and its dates change only through the transitions, which check their rules.
    state_fields = [
        "status",
        "qualified_on",
        "started_on",
        "exit_on",
        "exit_reason",
        "certificate_number",
        "certificate_issued_on",
    ]
    inlines = [SocialContractInline, ReferralInline, StatusChangeInline]
    # A transfer is proposed from the case file and taken by the receiving club's acceptance.
    transitions = {name: t for name, t in ENROLLMENT_TRANSITIONS.items() if name != "transfer"}
    transition_form = EnrollmentTransitionForm
    transition_fields = {"complete": ["reason", "certificate_number"], "drop_out": ["reason"]}

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.state_fields]

    @admin.display(description=_("case file"))
    def case_file(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("participants:case_file", args=[obj.pk]), _("Open"))


class GoalInline(ScopedStackedInline):
    model = Goal
    extra = 0
    fields = ["pillar", "description", "planned_services", "target_date", "status"]
    readonly_fields = ["status"]
    autocomplete_fields = ["planned_services"]


class GoalRevisionForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DatePicker())
    description = forms.CharField(label=_("revised goal"), widget=forms.Textarea)
    target_date = forms.DateField(label=_("target date"), required=False, widget=DatePicker())


class GoalProgressInline(ScopedTabularInline):
    model = GoalProgress
    extra = 0
    fields = ["goal", "status", "notes"]


class ReviewInline(ScopedTabularInline):
    model = Review
    extra = 0
    fields = ["reviewed_on", "progress", "next_review_on"]


@admin.register(ActionPlan)
class ActionPlanAdmin(ScopedModelAdmin):
    list_display = ["enrollment", "drawn_up_on", "review_interval_months"]
    list_filter = ["enrollment__club__region"]
    list_select_related = ["enrollment__participant", "enrollment__club"]
    search_fields = ["enrollment__participant__last_name", "enrollment__participant__pesel__exact"]
    autocomplete_fields = ["enrollment"]
    inlines = [GoalInline, ReviewInline]


@admin.register(Goal)
class GoalAdmin(TransitionAdminMixin, ScopedModelAdmin):
    list_display = ["__str__", "plan", "pillar", "target_date", "status"]
    list_filter = ["pillar", "status"]
    list_select_related = ["pillar", "plan__enrollment__participant", "plan__enrollment__club"]
    search_fields = ["description", "plan__enrollment__participant__last_name"]
    autocomplete_fields = ["plan", "planned_services"]
    readonly_fields = ["replaces"]
    transitions = GOAL_TRANSITIONS
    transition_form = GoalRevisionForm
    transition_fields = {"revise": ["description", "target_date"]}


@admin.register(Review)
class ReviewAdmin(ScopedModelAdmin):
    list_display = ["plan", "reviewed_on", "next_review_on"]
    list_select_related = ["plan__enrollment__participant", "plan__enrollment__club"]
    list_filter = [("reviewed_on", YearListFilter)]
    search_fields = ["plan__enrollment__participant__last_name"]
    autocomplete_fields = ["plan"]
    inlines = [GoalProgressInline]


class SocialContractForm(forms.ModelForm):
    class Meta:
        model = SocialContract
        fields = [
            "enrollment",
            "number",
            "referring_organization",
            "social_worker",
            "valid_from",
            "valid_until",
            "situation_assessment",
            "participant_obligations",
            "worker_obligations",
            "goals",
        ]

    def clean(self):
        data = super().clean()
        enrollment = data.get("enrollment") or (self.instance.enrollment if self.instance.enrollment_id else None)
        if enrollment is not None and data.get("goals"):
            problem = SocialContract(enrollment=enrollment).goals_problem(data["goals"])
            if problem:
                self.add_error("goals", problem)
        return data


class HouseholdMemberInline(ScopedTabularInline):
    model = HouseholdMember
    extra = 0
    fields = ["name", "relationship"]

    # What the parties signed changes only by an annex: the model refuses it, the form does not offer it.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_signed())

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_signed())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_signed())


@admin.register(SocialContract)
class SocialContractAdmin(TransitionAdminMixin, ScopedModelAdmin):
    list_display = ["number", "enrollment", "status", "valid_from", "valid_until", "signed_on"]
    list_filter = ["status"]
    list_select_related = ["enrollment__participant", "enrollment__club"]
    search_fields = ["number", "enrollment__participant__last_name", "enrollment__participant__pesel__exact"]
    autocomplete_fields = ["enrollment", "referring_organization"]
    readonly_fields = ["status", "signed_on", "termination_reason", "fulfilment_assessment"]
    form = SocialContractForm
    filter_horizontal = ["goals"]
    inlines = [HouseholdMemberInline]
    transitions = SOCIAL_CONTRACT_TRANSITIONS
    transition_form = SocialContractTransitionForm
    transition_fields = {"extend": ["until"], "settle": ["assessment"], "terminate": ["reason"]}

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.is_signed():
            return [*readonly, *SocialContractForm.Meta.fields]
        return readonly


class AttendanceInline(ScopedTabularInline):
    model = Attendance
    extra = 0
    fields = ["enrollment", "status"]
    autocomplete_fields = ["enrollment"]


# An activity's page lists who attended it; attendance belongs to this app, so this app's admin
# extends the activity's rather than the catalogue's admin importing participants.
admin.site.unregister(Activity)


@admin.register(Activity)
class ActivityWithAttendanceAdmin(ActivityAdmin):
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(PeopleFilesMixin, ScopedModelAdmin):
    resource_classes = [AttendanceResource]
    list_display = ["enrollment", "activity", "status"]
    list_filter = ["status", "activity__service__pillar"]
    list_select_related = ["enrollment__participant", "enrollment__club", "activity"]
    search_fields = ["enrollment__participant__last_name", "activity__title"]
    autocomplete_fields = ["activity", "enrollment"]
    # Newest first along the primary key: sorting millions of rows by activity and person is not.
    ordering = ["-pk"]


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


@admin.register(CaseNote)
class CaseNoteAdmin(ScopedModelAdmin):
    list_display = ["written_on", "enrollment", "kind", "pillar", "duration_minutes"]
    list_filter = ["kind", "pillar", ("written_on", YearListFilter)]
    list_select_related = ["enrollment__participant", "enrollment__club", "pillar"]
    search_fields = ["enrollment__participant__last_name"]
    autocomplete_fields = ["enrollment"]
    readonly_fields = ["author"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(CaseDocument)
class CaseDocumentAdmin(ScopedModelAdmin):
    list_display = ["received_on", "enrollment", "kind"]
    list_filter = ["kind"]
    list_select_related = ["enrollment__participant", "enrollment__club"]
    search_fields = ["enrollment__participant__last_name"]
    autocomplete_fields = ["enrollment"]

    def get_fields(self, request, obj=None):
        # A stored scan is not a public file: it is reached through the download, which checks the scope.
        return ["enrollment", "kind", "received_on", "file" if obj is None else "download"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "download"]

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("participants:document", args=[obj.pk]), _("Download"))

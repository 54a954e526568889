from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clubs.models import Club
from ksr_portal import roles
from ksr_portal.admin import PortalUserAdmin, ScopedModelAdmin, TransitionAdminMixin
from ksr_portal.models import UserScopeLevelChoices
from ksr_portal.widgets import DatePicker
from networks.models import Region

from .models import REFERRAL_TRANSITIONS, ApiKey, InboundReferral, issue_problems


class ApiKeyIssueForm(forms.ModelForm):
    """Issuing a key: the organisation, and the role and scope its system acts with."""

    role = forms.ChoiceField(label=_("role"))
    level = forms.ChoiceField(label=_("scope"), choices=UserScopeLevelChoices.choices)
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.none(), required=False)
    club = forms.ModelChoiceField(label=_("club"), queryset=Club.objects.none(), required=False)

    issuer = None  # set by the admin: the user issuing the key

    class Meta:
        model = ApiKey
        fields = ["organization", "expires_on"]
        widgets = {"expires_on": DatePicker()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = {role: name for role, (name, _grants) in roles.ROLES.items()}
        self.fields["role"].choices = sorted(
            ((role, names[role]) for role in roles.key_roles(self.issuer)), key=lambda c: c[1]
        )
        self.fields["region"].queryset = Region.objects.restrict(self.issuer)
        self.fields["club"].queryset = Club.objects.restrict(self.issuer)

    def clean(self):
        data = super().clean()
        if {"role", "level", "region", "club"} <= set(data):
            for name, message in issue_problems(
                self.issuer, data["role"], data["level"], data["region"], data["club"]
            ).items():
                self.add_error(name if name in self.fields else None, message)
        return data


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(PortalUserAdmin):
    """People's accounts. A key's service account is not among them: its role, scope and revocation are the
    key's, issued and changed only as keys are (`ApiKeyAdmin`), so no user form can widen them."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(api_key__isnull=True)


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedModelAdmin):
    list_display = ["__str__", "role_name", "scope", "expires_on", "last_used_at", "revoked_at"]
    list_filter = ["expires_on", "revoked_at"]
    search_fields = ["organization__name", "prefix"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["organization", "prefix", "role_name", "scope", "last_used_at", "revoked_at", "issued_by"]
    actions = ["revoke"]

    @admin.display(description=_("role"))
    def role_name(self, obj):
        return roles.role_group_name(obj.role) if obj.role else "—"

    @admin.display(description=_("scope"))
    def scope(self, obj):
        scope = obj.account.scope
        return scope.club or scope.region or scope.get_level_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "account__scope__region")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("IssueForm", (ApiKeyIssueForm,), {"issuer": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "role", "level", "region", "club", "expires_on"]
        return ["organization", "prefix", "role_name", "scope", "expires_on", "last_used_at", "revoked_at", "issued_by"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        key, text = ApiKey.issue(
            organization=data["organization"],
            role=data["role"],
            level=data["level"],
            region=data["region"],
            club=data["club"],
            expires_on=data["expires_on"],
            by=request.user,
        )
        key.text = text
        return key

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("API key issued"),
            "key": obj.text,
        }
        return TemplateResponse(request, "api/key_issued.html", context)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset.restrict(request.user, "change").filter(revoked_at__isnull=True):
            key.revoke()
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )


class ReferralAnswerForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DatePicker())
    answer = forms.CharField(label=_("club's answer"), widget=forms.Textarea, required=False)


@admin.register(InboundReferral)
class ReferralAdmin(TransitionAdminMixin, ScopedModelAdmin):
    """The club's side of referrals from other systems: read them, accept or decline with an answer."""

    list_display = ["reference", "referrer", "club", "last_name", "first_name", "status", "created_at"]
    list_filter = ["status", "club"]
    search_fields = ["reference", "last_name", "referrer__name"]
    fields = [
        "referrer",
        "reference",
        "club",
        "first_name",
        "last_name",
        "pesel",
        "birth_date",
        "contact",
        "reason",
        "eligibility_categories",
        "status",
        "answered_on",
        "answer",
        "created_at",
    ]
    readonly_fields = fields
    transitions = REFERRAL_TRANSITIONS
    transition_form = ReferralAnswerForm
    transition_fields = {"accept": ["answer"], "decline": ["answer"]}

    def has_add_permission(self, request):
        return False  # referrals come from the referrers' systems

"""The admin's side of the access scope: every admin class of the portal is built on these bases.

Querysets, foreign-key and many-to-many choices (and so autocomplete answers), related-field filter
choices and inline rows all come from `restrict()`; an object out of scope answers 404; a save that
would leave the user's scope is refused and rolled back, and an inline row that would is refused
with the form's message, as its own admin refuses it.
"""

import copy
import datetime
import json

from auditlog.admin import LogEntryAdmin
from auditlog.filters import CIDFilter
from auditlog.models import LogEntry
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.helpers import InlineAdminFormSet
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path, lookup_spawns_duplicates
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Max, Min, Q
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst, smart_split, unescape_string_literal
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from import_export.admin import ImportExportMixin

from . import jobs, roles, second_factor
from .audit import (
    changed_fields,
    changes_table,
    is_audited,
    log_access,
    log_export,
    logged_models,
    pseudonym,
    recorded_changes,
    shows_identity,
)
from .grammar import accusative, add_another, permission_name
from .imports import FORMATS, PortalImportForm
from .models import UserScope
from .paginators import LargeTablePaginator
from .scoping import hidden_fields, hides_path, may_view, permits
from .widgets import DatePicker


def restricted(queryset, user, action="view"):
    """`queryset.restrict(user, action)` for the portal's models; other models (auth, logs) are left to permissions."""
    restrict = getattr(queryset, "restrict", None)
    return restrict(user, action) if restrict else queryset


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related-field filter that offers only the choices within the user's scope."""

    def field_choices(self, field, request, model_admin):
        queryset = restricted(field.related_model._default_manager.all(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


def check_year(year):
    """Refuse a year at either end of the calendar as a bad filter value.

    A year the calendar cannot hold fails only when the query runs; the year next to either end of it
    overflows once a date and time are moved into UTC.
    """
    if not datetime.MINYEAR < year < datetime.MAXYEAR:
        raise IncorrectLookupParameters(f"year {year} is out of range")


class YearListFilter(admin.FieldListFilter):
    """The years of a date, newest first, from the first to the last year in the user's list.

    In place of Django's date hierarchy, which reads every row of the table for its distinct years:
    the first and the last date are two lookups in the date's index.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__year"
        super().__init__(field, request, params, model, model_admin, field_path)
        bounds = model_admin.get_queryset(request).aggregate(first=Min(field_path), last=Max(field_path))
        self.years = range(bounds["last"].year, bounds["first"].year - 1, -1) if bounds["first"] else ()

    def expected_parameters(self):
        return [self.lookup_kwarg]

    def queryset(self, request, queryset):
        for value in self.used_parameters.get(self.lookup_kwarg, []):
            try:
                year = int(value)
            except ValueError as error:
                raise IncorrectLookupParameters(error) from error
            check_year(year)
        return super().queryset(request, queryset)

    def choices(self, changelist):
        selected = self.used_parameters.get(self.lookup_kwarg, [None])[-1]
        yield {
            "selected": selected is None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg]),
            "display": _("All"),
        }
        for year in self.years:
            yield {
                "selected": selected == str(year),
                "query_string": changelist.get_query_string({self.lookup_kwarg: year}),
                "display": str(year),
            }


def without(fields, hidden):
    """`fields` of a form or fieldset (names, or tuples of names on one line) less the `hidden` ones."""
    kept = []
    for entry in fields:
        if isinstance(entry, list | tuple):
            entry = type(entry)(name for name in entry if name not in hidden)
            if entry:
                kept.append(entry)
        elif entry not in hidden:
            kept.append(entry)
    return kept


class BoundedDateFieldListFilter(admin.DateFieldListFilter):
    """Django's filter of a date (today, the past 7 days, …), refusing a date at either end of the calendar.

    Its links hold dates near today, but its parameters (`field__gte`, `field__lt`) take any date, and
    0001-01-01 overflows once moved into UTC, when the query runs.
    """

    def queryset(self, request, queryset):
        for name in (self.lookup_kwarg_since, self.lookup_kwarg_until):
            for value in self.used_parameters.get(name, []):
                try:
                    day = self.field.to_python(value)
                except ValidationError as error:
                    raise IncorrectLookupParameters(error) from error
                if day is not None:
                    check_year(day.year)
        return super().queryset(request, queryset)


class BoundedDatesMixin:
    """A date named in `list_filter` gets the filter that refuses dates the calendar cannot hold."""

    def get_list_filter(self, request):
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and isinstance(get_fields_from_path(self.model, entry)[-1], models.DateField):
                entry = (entry, BoundedDateFieldListFilter)
            filters.append(entry)
        return filters


def is_key(field, value):
    """Whether `value` can be a key of the records `field` (a model's field or a form's choice field) names.

    "abc" or a number beyond the column is no key; a query with it fails instead of finding nothing.
    """
    if isinstance(field, forms.ModelChoiceField):
        opts = field.queryset.model._meta
        target = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk
    else:
        opts = field.remote_field.model._meta
        target = opts.get_field(getattr(field.remote_field, "field_name", None) or opts.pk.name)
    while target.is_relation:  # a key that is itself a foreign key (a one-to-one primary key)
        target = target.target_field
    try:
        target.run_validators(target.to_python(value))
    except ValidationError:
        return False
    return True


class KeyCheckingModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A many-to-many choice refusing, with its message, a value no key can have before it is queried.

    Django's field catches a non-number itself, but a number beyond the column fails in the query
    that looks up the chosen records.
    """

    def _check_values(self, value):
        for pk in value:
            if not is_key(self, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class KeyCheckingAutocompleteMixin:
    """An autocomplete widget that shows as no choice a value that cannot be a key of the field's records.

    Django's widget looks the selected value up to show its label. A value no key can have, prefilled
    from an add page's query (`?plan=abc`) or posted with a form, fails in that lookup; so it shows
    nothing selected, and the form field says what is wrong with the value.
    """

    def optgroups(self, name, value, attr=None):
        empty = self.choices.field.empty_values
        return super().optgroups(name, [v for v in value if v in empty or is_key(self.field, v)], attr)


class KeyCheckingAutocompleteSelect(KeyCheckingAutocompleteMixin, AutocompleteSelect):
    pass


class KeyCheckingAutocompleteSelectMultiple(KeyCheckingAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class KeyCheckingAdminMixin:
    """Foreign keys and many-to-many fields of an admin or inline take a value that is no key as bad input.

    Whether prefilled from an add page's query or posted, such a value is the form's message (“Select
    a valid choice”), never a failed query: in the autocomplete widgets, which look the value up to show
    it, and in the many-to-many fields, which look the chosen records up to check them.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckingAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckingAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyCheckingModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def may_open(user, obj):
    """Whether `user` may open `obj`'s page in the workbench: they may view its kind, and it is in their scope."""
    opts = obj._meta
    if not any(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("view", "change")):
        return False
    return restricted(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


django_admin_url = helpers.AdminReadonlyField.get_admin_url


def admin_url_in_scope(self, remote_field, remote_obj):
    """Django links a read-only foreign key to the related record's page whoever reads it, and gives the
    field no request to ask; the form knows its reader (`viewer`), and a record they may not open is
    named without a link."""
    viewer = getattr(self.form, "viewer", None)
    if viewer is None or may_open(viewer, remote_obj):
        return django_admin_url(self, remote_field, remote_obj)
    return str(remote_obj)


helpers.AdminReadonlyField.get_admin_url = admin_url_in_scope


class ScopedAdminMixin(KeyCheckingAdminMixin):
    """Rows from the user's scope, and of each row only the fields the user may see (`hidden_fields`)."""

    def get_queryset(self, request):
        return restricted(super().get_queryset(request), request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.viewer = request.user  # the class is made for this request
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = hidden_fields(request.user, self.model)
        if not hidden:
            return fieldsets
        kept = [(name, {**options, "fields": without(options["fields"], hidden)}) for name, options in fieldsets]
        return [(name, options) for name, options in kept if options["fields"]]

    def get_readonly_fields(self, request, obj=None):
        return without(super().get_readonly_fields(request, obj), hidden_fields(request.user, self.model))

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            remote = db_field.remote_field
            queryset = remote.model._default_manager.using(db).complex_filter(remote.limit_choices_to)
        return restricted(queryset, request.user)


class NotFoundMixin:
    """An object the user may not reach is answered like one that does not exist: 404."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("There is no such object."))
        return obj


# Django's titles that name the model in the nominative, and the same worded in the accusative.
TITLES_NAMING_THE_MODEL = ["Add %s", "Change %s", "View %s", "Select %s", "Select %s to change", "Select %s to view"]


class WordedInlineAdminFormSet(InlineAdminFormSet):
    """Django's inline formset of the admin, whose "Add another …" link names the model as Polish needs."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = capfirst(add_another(self.opts.model))
        return json.dumps(data)


class WordingMixin:
    """Titles, links and permissions that name a model, worded as the sentence needs (`grammar.py`).

    Django fills in `verbose_name`, the nominative: "Zmień uczestnik". The change form's, the list's and
    the delete page's titles and texts take the accusative instead ("Zmień uczestnika", "Czy na pewno
    chcesz usunąć uczestnika …"), an inline's "Add another" link the name's gender ("Dodaj kolejną
    zgodę"), and a permission its name in the interface's language rather than the English stored.
    """

    def worded(self, response):
        context = getattr(response, "context_data", None)
        if context is None:  # a redirect
            return response
        nominative, worded = self.opts.verbose_name, accusative(self.model)
        for title in TITLES_NAMING_THE_MODEL:
            if context.get("title") == gettext(title) % nominative:
                context["title"] = gettext(title) % worded
                break
        if "object_name" in context:  # the delete page's texts, translated to take the accusative
            context["object_name"] = worded
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self.worded(super().changeform_view(request, object_id, form_url, extra_context))

    def changelist_view(self, request, extra_context=None):
        return self.worded(super().changelist_view(request, extra_context))

    def delete_view(self, request, object_id, extra_context=None):
        return self.worded(super().delete_view(request, object_id, extra_context))

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            inline_admin_formset.__class__ = WordedInlineAdminFormSet  # the same object, one method more
        return inline_admin_formsets

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = lambda permission: f"{permission.content_type} | {permission_name(permission)}"
        return field


SEARCH_PREFIXES = {"^": "istartswith", "=": "iexact", "@": "search"}


def search_lookup(model, field_name):
    """The lookup of one of `search_fields`, as Django's admin makes it."""
    if field_name[:1] in SEARCH_PREFIXES:
        return f"{field_name[1:]}__{SEARCH_PREFIXES[field_name[0]]}"
    opts = model._meta
    for part in field_name.split(LOOKUP_SEP):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return field_name  # it names its lookup
        if field.is_relation:
            opts = field.related_model._meta
    return f"{field_name}__icontains"


def search_condition(model, lookups, value):
    """`lookups` joined by OR, each table searched by a query of its own that its indexes serve.

    `participant__last_name__icontains` becomes `participant__in=Participant.objects.filter(…)`, so the
    related table is searched through its own (trigram) indexes; and several tables' conditions are a
    union of one query per table, because an OR across tables would be checked on every row of a table
    of millions.
    """
    local, related = Q(), {}
    for lookup in lookups:
        head, _sep, rest = lookup.partition(LOOKUP_SEP)
        if model._meta.get_field(head).many_to_one and LOOKUP_SEP in rest:
            related.setdefault(head, []).append(rest)
        else:
            local |= Q(**{lookup: value})
    branches = [local] if local else []
    for head, rests in related.items():
        target = model._meta.get_field(head).related_model
        matches = target._base_manager.filter(search_condition(target, rests, value)).order_by().values("pk")
        branches.append(Q(**{f"{head}__in": matches}))
    if len(branches) == 1:
        return branches[0]
    first, *others = (model._base_manager.filter(branch).order_by().values("pk") for branch in branches)
    return Q(pk__in=first.union(*others))


class LargeListMixin:
    paginator = LargeTablePaginator
    show_full_result_count = False
    # Facets would count every filter choice over the whole list, on tables of millions of rows.
    show_facets = admin.ShowFacets.NEVER


class ScopedModelAdmin(
    WordingMixin, NotFoundMixin, ScopedAdminMixin, LargeListMixin, BoundedDatesMixin, admin.ModelAdmin
):
    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if is_audited(self.model):
            log_access(obj)
        return obj

    def _allowed(self, request, obj, action):
        queryset = restricted(self.model._default_manager.filter(pk=obj.pk), request.user, action)
        return queryset.exists()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._allowed(request, obj, "change"))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._allowed(request, obj, "delete"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # A page to read shows what is stored, not the form's own fields (a confirmation, a repetition),
        # which would read "Confirm not duplicate: None".
        form_only = set(self.form.declared_fields) - {field.name for field in self.opts.get_fields()}
        kept = [(name, {**options, "fields": without(options["fields"], form_only)}) for name, options in fieldsets]
        return [(name, options) for name, options in kept if options["fields"]]

    def get_list_display(self, request):
        return without(super().get_list_display(request), hidden_fields(request.user, self.model))

    def get_search_fields(self, request):
        return [name for name in super().get_search_fields(request) if not hides_path(request.user, self.model, name)]

    def get_list_filter(self, request):
        filters = []
        for entry in super().get_list_filter(request):
            path = entry if isinstance(entry, str) else entry[0] if isinstance(entry, tuple) else None
            if path and hides_path(request.user, self.model, path):
                continue
            if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
                entry = (entry, ScopedRelatedFieldListFilter)
            filters.append(entry)
        return filters

    def get_search_results(self, request, queryset, search_term):
        """Django's search (every word must match one of `search_fields`), related tables in subqueries."""
        search_fields = self.get_search_fields(request)
        if not (search_fields and search_term):
            return queryset, False
        lookups = [search_lookup(self.model, str(name)) for name in search_fields]
        words = [
            unescape_string_literal(bit) if bit[:1] in "\"'" and bit[0] == bit[-1] else bit
            for bit in smart_split(search_term)
        ]
        queryset = queryset.filter(*(search_condition(self.model, lookups, word) for word in words))
        return queryset, any(lookup_spawns_duplicates(self.opts, lookup) for lookup in lookups)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The admin's change view runs in a transaction, so refusing here rolls the save back.
        if not self._allowed(request, obj, "change" if change else "add"):
            raise PermissionDenied


class DateOfChangeForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DatePicker())


class TransitionAdminMixin:
    """Buttons for a model's state transitions, each opening a small form that runs the model's method.

    The model keeps the rules: `transitions` maps a name to (label, from statuses, to status), the
    model has a method of that name taking `on` (the date), `by` (the user) and the fields listed in
    `transition_fields[name]`, and `available_transitions()`. A refused transition shows its reasons
    on the form and changes nothing. The status itself is read-only on the change form; a status
    posted anyway is refused with the model's reason.
    """

    transitions = {}
    transition_form = DateOfChangeForm
    transition_fields = {}
    change_form_template = "admin/transition_change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "status"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "status" in request.POST:
            obj = self.get_object(request, object_id) if object_id else self.model()
            obj.status = request.POST["status"]
            problem = obj.transition_problems().get("status")
            if problem:
                self.message_user(request, problem, messages.ERROR)
                return redirect(request.get_full_path())
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        allowed = self.has_change_permission(request, obj)
        extra_context = {
            **(extra_context or {}),
            # A transition taken only elsewhere (an enrollment's transfer, by its acceptance) has no button.
            "transitions": [
                (name, self.transitions[name][0]) for name in obj.available_transitions() if name in self.transitions
            ]
            if allowed
            else [],
            "transition_url": f"admin:{self.opts.app_label}_{self.opts.model_name}_transition",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, name):
        obj = self.get_object(request, object_id)
        if name not in self.transitions:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = self.transition_form(request.POST or None, initial={"on": timezone.localdate()})
        keep = {"on", *self.transition_fields.get(name, [])}
        for field_name in [f for f in form.fields if f not in keep]:
            del form.fields[field_name]
        if request.method == "POST" and form.is_valid():
            try:
                getattr(obj, name)(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request, _("Done: %(action)s.") % {"action": self.transitions[name][0]}, messages.SUCCESS
                )
                # A page of the portal that offers the button (a case file) gets the user back.
                back = request.GET.get("next", "")
                if url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
                    return redirect(back)
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": self.transitions[name][0],
            "form": form,
        }
        return TemplateResponse(request, "admin/transition.html", context)


class PortalImportExportMixin(ImportExportMixin):
    """Spreadsheet import and export, in the portal's formats and scope.

    An upload becomes a background job (ksr_portal/jobs.py): the request only stores the file and
    queues its check, and the job's page shows the preview, the confirmation and the result. So does
    a large export: the request stores the chosen rows' keys, and the job's page offers the file.
    """

    formats = FORMATS
    import_form_class = PortalImportForm
    import_template_name = "admin/ksr_portal/import.html"

    def get_urls(self):
        # Confirmation is the job's (its page), never a form naming a file.
        app_label, model_name = self.get_model_info()
        confirm = f"{app_label}_{model_name}_process_import"
        return [url for url in super().get_urls() if getattr(url, "name", None) != confirm]

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                job = jobs.start(
                    request.user,
                    self.model,
                    self.choose_import_resource_class(form, request),
                    self.get_import_formats()[int(form.cleaned_data["format"])](),
                    form.cleaned_data["import_file"],
                )
                return redirect("admin:importjob_detail", job.pk)
        return super().import_action(request, **kwargs)

    def get_export_queryset(self, request):
        """The changelist's filters and search, which the export link carries.

        A filter the list cannot apply, or a parameter that is no filter, is a bad request (400) here,
        where the changelist answers it by reopening the list with its error flag.
        """
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(error) from error

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """A selection of more than KSR_EXPORT_JOB_ROWS rows is exported by a worker: its page offers the file."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        pks = list(queryset.values_list("pk", flat=True))
        if len(pks) <= settings.KSR_EXPORT_JOB_ROWS:
            return super()._do_file_export(file_format, request, queryset, export_form)
        job = jobs.start_export(
            request.user,
            self.model,
            self.choose_export_resource_class(export_form, request),
            file_format,
            pks,
            self.get_export_resource_fields_from_form(export_form),
            self.get_export_filename(request, queryset, file_format),
        )
        return redirect("admin:exportjob_detail", job.pk)

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        if is_audited(self.model):
            log_export(request.user, self.model, list(queryset.values_list("pk", flat=True)), "spreadsheet")
        return data


OUT_OF_SCOPE = _("This row would write outside your scope.")


class ScopedInlineFormSet(BaseInlineFormSet):
    """Inline rows held to the scope as the model's own admin holds them: nothing is saved otherwise.

    A new row must be within what the user may add, a changed row within what they may change both as
    stored and as changed, and a deleted row within what they may delete.
    """

    user = None

    def stored_row_permits(self, form, action):
        return restricted(self.model._default_manager.filter(pk=form.instance.pk), self.user, action).exists()

    def clean(self):
        super().clean()
        for form in self.forms:
            if self._should_delete_form(form):
                if form.instance.pk is not None and not self.stored_row_permits(form, "delete"):
                    raise ValidationError(_("You may not delete “%(row)s”.") % {"row": form.instance})
            elif form.errors or not form.has_changed():
                continue
            elif form.instance.pk is None:
                if not permits(self.user, form.instance, "add"):
                    form.add_error(None, OUT_OF_SCOPE)
            elif not (self.stored_row_permits(form, "change") and permits(self.user, form.instance, "change")):
                form.add_error(None, OUT_OF_SCOPE)


class ScopedInlineMixin(ScopedAdminMixin):
    formset = ScopedInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.viewer = request.user  # the form's class is made for this request
        return type(formset.__name__, (formset,), {"user": request.user})


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    pass


class ScopedStackedInline(ScopedInlineMixin, admin.StackedInline):
    pass


class UserScopeInline(KeyCheckingAdminMixin, admin.StackedInline):
    model = UserScope
    can_delete = False
    fields = ["level", "region", "club"]
    autocomplete_fields = ["club"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or roles.may_manage(request.user, obj))

    has_add_permission = has_change_permission


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date-and-time boxes, the date and the time each with its own label."""

    template_name = "ksr_portal/widgets/split_datetime.html"


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """The stored password's summary without the button to reset it, for one who may not change the user."""

    template_name = "ksr_portal/widgets/password_summary.html"


admin.site.unregister(User)
admin.site.unregister(Group)
# Devices hold the keys of the second factor: nobody reads them; a lost one is reset on the user.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(Group)
class PortalGroupAdmin(WordingMixin, KeyCheckingAdminMixin, GroupAdmin):
    """Django's groups (the roles), with the portal's wording."""


@admin.register(User)
class PortalUserAdmin(WordingMixin, NotFoundMixin, KeyCheckingAdminMixin, UserAdmin):
    """Users with their role (group) and scope, managed by the national coordinator."""

    inlines = [UserScopeInline]
    actions = ["reset_second_factor"]
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    list_display = ["username", "first_name", "last_name", "is_active", "scope_display"]
    list_select_related = ["scope__region", "scope__club"]
    list_filter = ["is_active", "is_staff", "groups", "scope__level", "scope__region"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Only a superuser sees, edits or makes superusers; roles are granted through groups alone.
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def has_change_permission(self, request, obj=None):
        """Another's account only, and only one whose every role the user may grant (roles.GRANTS)."""
        return super().has_change_permission(request, obj) and (obj is None or roles.may_manage(request.user, obj))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "password" in form.base_fields and not self.has_change_permission(request, obj):
            # Read only: no button to a password form that would refuse them.
            password = copy.deepcopy(form.base_fields["password"])
            password.widget = PasswordSummaryWidget()
            form.base_fields["password"] = password
        if "groups" in form.base_fields and not request.user.is_superuser:
            grantable = [roles.role_group_name(role) for role in roles.grantable_roles(request.user)]
            form.base_fields["groups"].queryset = Group.objects.filter(name__in=grantable)
        return form

    def save_form(self, request, form, change):
        user = super().save_form(request, form, change)
        if "groups" in form.cleaned_data:  # the scope inline is checked against the roles granted now
            user.granted_groups = list(form.cleaned_data["groups"])
        return user

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "user_permissions"}
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    @admin.action(description=_("Reset two-step verification (lost phone)"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        users = [user for user in queryset if roles.may_manage(request.user, user)]
        for user in users:
            second_factor.reset(user)
        self.message_user(
            request,
            ngettext(
                "Two-step verification reset for %(count)d user: they pair their app at the next sign-in.",
                "Two-step verification reset for %(count)d users: they pair their app at the next sign-in.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )

    @admin.display(description=_("scope"))
    def scope_display(self, user):
        scope = getattr(user, "scope", None)
        return (scope.club or scope.region or scope.get_level_display()) if scope else "—"


class AuditedModelFilter(admin.SimpleListFilter):
    """The kinds of logged records, named by the code rather than by a DISTINCT over the whole log."""

    title = _("kind of record")
    parameter_name = "resource_type"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*logged_models())
        return sorted(((kind.pk, model._meta.verbose_name) for model, kind in types.items()), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.value() not in {str(pk) for pk, _name in self.lookup_choices}:
            raise IncorrectLookupParameters(f"no kind of record {self.value()!r}")
        return queryset.filter(content_type_id=self.value())


def local_time(moment):
    """A stored time as the interface shows times: DD.MM.RRRR HH:MM in the portal's time zone."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "—"


admin.site.unregister(LogEntry)
# The task queue's own rows: each import is followed on its job's page (ksr_portal/jobs.py).
admin.site.unregister(DBTaskResult)


@admin.register(LogEntry)
class AuditTrailAdmin(WordingMixin, LargeListMixin, LogEntryAdmin):
    """auditlog's list of the audit trail, which grows by every write: no whole-log count or scan for its years.

    An entry of a kind of record the reader may not view shows the record's pseudonym and the names of
    the changed fields only, links nowhere, and is not found by what it says (`audit.py`).
    """

    date_hierarchy = None
    list_filter = ["action", AuditedModelFilter, CIDFilter, ("timestamp", YearListFilter)]
    # What the entry says of its record: searched only where the reader may read it.
    identity_search_fields = {"object_repr", "changes"}

    def get_object(self, request, object_id, from_field=None):
        entry = super().get_object(request, object_id, from_field)
        if entry is not None and not shows_identity(request.user, entry):
            entry.object_repr = pseudonym(entry)  # the page's title and breadcrumbs name the entry by it
        return entry

    def get_search_results(self, request, queryset, search_term):
        types = ContentType.objects.get_for_models(*logged_models())
        hidden = [kind.pk for model, kind in types.items() if not may_view(request.user, model)]
        if not (hidden and search_term):
            return super().get_search_results(request, queryset, search_term)
        fields = self.get_search_fields(request)
        for word in smart_split(search_term):
            open_fields = Q(
                *[Q(**{f"{name}__icontains": word}) for name in fields if name not in self.identity_search_fields],
                _connector=Q.OR,
            )
            identity = Q(*[Q(**{f"{name}__icontains": word}) for name in self.identity_search_fields], _connector=Q.OR)
            queryset = queryset.filter(open_fields | (identity & ~Q(content_type__in=hidden)))
        return queryset, False

    @admin.display(description=_("Created"), ordering="timestamp")
    def created(self, entry):
        return local_time(entry.timestamp)

    @admin.display(description=_("Resource"))
    def resource_url(self, entry):
        if shows_identity(self.request.user, entry):
            return super().resource_url(entry)
        return pseudonym(entry)

    @admin.display(description=_("Changes"))
    def msg_short(self, entry):
        """How many fields changed and their names, never their values: the same for every reader."""
        if entry.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
            return ""
        labels = [str(label) for _field, label, _change in recorded_changes(entry)]
        text = ngettext("%(count)d change: %(fields)s", "%(count)d changes: %(fields)s", len(labels)) % {
            "count": len(labels),
            "fields": ", ".join(labels),
        }
        return text if len(text) <= 90 else f"{text[: text.rfind(' ', 0, 88)]} …"

    @admin.display(description=_("Changes"))
    def msg(self, entry):
        if shows_identity(self.request.user, entry):
            return changes_table(entry)
        return changed_fields(entry)

    @admin.display(description=_("Correlation ID"))
    def cid_url(self, entry):
        return super().cid_url(entry)


# django-axes names its rows in English with a time in UTC ("Attempted Access: 2026-12-03
# 07:02:18.448875+00:00"); the workbench's titles and breadcrumbs name them in its language and local time.
AccessAttempt.__str__ = lambda attempt: (
    _("Attempts of %(username)s from %(address)s, the last at %(time)s")
    % {
        "username": attempt.username or "—",
        "address": attempt.ip_address or "—",
        "time": local_time(attempt.attempt_time),
    }
)
AccessLog.__str__ = lambda log: (
    _("Sign-in of %(username)s at %(time)s")
    % {
        "username": log.username or "—",
        "time": local_time(log.attempt_time),
    }
)
AccessFailureLog.__str__ = lambda failure: (
    _("Failed sign-in of %(username)s at %(time)s from %(address)s")
    % {
        "username": failure.username or "—",
        "time": local_time(failure.attempt_time),
        "address": failure.ip_address or "—",
    }
)


class SignInLogMixin(WordingMixin, LargeListMixin, BoundedDatesMixin):
    """django-axes's logs of sign-ins, which grow in the same way, in the workbench's words."""

    date_hierarchy = None


admin.site.unregister(AccessAttempt)
admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)


@admin.register(AccessAttempt)
class PortalAccessAttemptAdmin(SignInLogMixin, AccessAttemptAdmin):
    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        message = ngettext("%(count)d expired attempt removed.", "%(count)d expired attempts removed.", count)
        self.message_user(request, message % {"count": count})

    @admin.display(description=_("status"))
    def status(self, attempt):
        left = settings.AXES_FAILURE_LIMIT - attempt.failures_since_start
        if left > 0:
            return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}
        return _("Locked Out")


@admin.register(AccessLog)
class PortalAccessLogAdmin(SignInLogMixin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class PortalAccessFailureLogAdmin(SignInLogMixin, AccessFailureLogAdmin):
    pass

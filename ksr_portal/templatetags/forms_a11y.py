"""The summary of a refused form's errors, at the top of the form: each error once, linked to its field."""

from django import template
from django.utils.text import capfirst
from django.utils.translation import ngettext

register = template.Library()


def anchor(field):
    """The id of the element a summary entry takes the reader to: the field's input (the first of a group)."""
    if field.is_hidden:
        return None
    return field.id_for_label or f"{field.auto_id}_0"


def form_entries(form, name=""):
    """(anchor, text) of each error of one form; `name` says which form of several it is."""
    prefix = f"{name}: " if name else ""
    entries = [(None, f"{prefix}{error}") for error in form.non_field_errors()]
    for field in form:
        label = capfirst(field.label) if field.label else field.name
        entries += [(anchor(field), f"{prefix}{label}: {error}") for error in field.errors]
    return entries


@register.inclusion_tag("ksr_portal/error_summary.html")
def error_summary(form, formsets=()):
    """The form's errors and its formsets' (plain formsets or the admin's inline formsets), in page order."""
    entries = form_entries(form) if form is not None else []
    for formset in formsets or ():
        formset = getattr(formset, "formset", formset)  # the admin's InlineAdminFormSet wraps one
        opts = formset.model._meta if getattr(formset, "model", None) else None
        many = capfirst(opts.verbose_name_plural) if opts else ""
        one = capfirst(opts.verbose_name) if opts else ""
        entries += [(f"{formset.prefix}-group", f"{many}: {error}") for error in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            entries += form_entries(row, f"{one} {number}")
    title = ngettext("Please correct the error below.", "Please correct the errors below.", len(entries))
    return {"entries": entries, "title": title}

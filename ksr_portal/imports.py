"""Import and export of spreadsheets with django-import-export, as offices actually keep them.

Files: CSV in UTF-8 (with or without BOM) or Windows-1250, separated by semicolons or commas, with
Polish decimal commas and DD.MM.YYYY dates; or XLSX. Foreign keys by natural keys (TERC code, NIP,
club registry number, PESEL), resolved only among what the importing user may see. Every row is
checked by the model's own rules; a file with any bad row changes nothing (one transaction), and
each error names the column, the value and the reason. Exports hold only the user's scope, and a
cell a spreadsheet would run as a formula is neutralised.
"""

import csv
import datetime
import re
from decimal import Decimal, InvalidOperation

import tablib
from django.conf import settings
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.forms import ImportForm

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(dataset):
    clean = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        clean.append([neutralised(cell) for cell in row])
    return clean


class UnreadableFile(ValueError):
    """A file that cannot be read, with the reason in words its user understands."""


GARBLED = gettext_lazy(
    "The file's letters are garbled (e.g. „Ĺ»ĂłĹ‚kiewska” instead of „Żółkiewska”): it was saved from a file "
    "opened in the wrong encoding. Export it again from the source, in UTF-8 or Windows-1250."
)


def decode(raw):
    """The file's text: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1250.

    A text whose Polish letters are themselves the bytes of UTF-8 read as a one-byte code page
    ("Ĺ»ĂłĹ‚kiewska" for "Żółkiewska") was saved from a wrongly opened file: it is refused rather than
    written, as is text holding the replacement character of damaged letters.
    """
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # UTF-16 or a binary file, which Windows-1250 would not reject
            break
        if "\ufffd" in text or double_encoded(text):
            raise UnreadableFile(GARBLED)
        return text
    raise UnreadableFile(_("The file is neither UTF-8 nor Windows-1250 text."))


WORD_SEPARATORS = re.compile(r"[\s;,\"'()]+")


def double_encoded(text):
    """Whether a word of `text` is UTF-8 read as Windows-1250, Windows-1252 or Latin-1."""
    for word in {word for word in WORD_SEPARATORS.split(text) if not word.isascii()}:
        for encoding in ("cp1250", "cp1252", "latin-1"):
            try:
                if word.encode(encoding).decode("utf-8") != word:
                    return True
            except UnicodeError:
                continue
    return False


class PortalCSV(base_formats.CSV):
    """CSV read in either encoding and either separator; written in UTF-8 with BOM, semicolon-separated."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode(in_stream if isinstance(in_stream, bytes) else in_stream.encode())
        if not text.strip():
            raise UnreadableFile(_("The file is empty."))
        first_line = text.splitlines()[0]
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
        rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
        dataset = tablib.Dataset(headers=[header.strip() for header in rows[0]])
        for row in rows[1:]:
            if any(cell.strip() for cell in row):
                dataset.append((row + [""] * len(dataset.headers))[: len(dataset.headers)])
        return dataset

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + neutralise(dataset).export("csv", delimiter=";")


class PortalXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        if not in_stream:
            raise UnreadableFile(_("The file is empty."))
        dataset = super().create_dataset(in_stream, **kwargs)
        if double_encoded(" ".join(cell for row in dataset for cell in row if isinstance(cell, str))):
            raise UnreadableFile(GARBLED)
        return dataset

    def export_data(self, dataset, **kwargs):
        return super().export_data(neutralise(dataset), **kwargs)


FORMATS = [PortalCSV, PortalXLSX]


class PortalImportForm(ImportForm):
    def clean_import_file(self):
        file = self.cleaned_data["import_file"]
        if file.size > settings.KSR_MAX_IMPORT_MB * 1024 * 1024:
            raise ValidationError(
                _("The file is too large to import: at most %(limit)d MB. Split it into smaller files."),
                params={"limit": settings.KSR_MAX_IMPORT_MB},
            )
        return file


# --- widgets: what a cell means ---------------------------------------------------------------------------


class DateWidget(widgets.Widget):
    FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        for date_format in self.FORMATS:
            try:
                return datetime.datetime.strptime(str(value).strip(), date_format).date()
            except ValueError:
                continue
        raise ValueError(_("„%(value)s” is not a date: write it as DD.MM.YYYY.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d.%m.%Y") if value else ""


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value).replace("\xa0", "").replace(" ", "").replace(",", "."))
        except InvalidOperation as error:
            raise ValueError(_("„%(value)s” is not a number.") % {"value": value}) from error

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value).replace(".", ",")


class BooleanWidget(widgets.Widget):
    TRUE = {"1", "tak", "t", "true", "yes", "x"}
    FALSE = {"0", "nie", "n", "false", "no", ""}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("„%(value)s” is neither „tak” nor „nie”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "tak" if value else "nie"


class ChoiceWidget(widgets.Widget):
    """A code of the choices, its label or one of its customary abbreviations, in any letter case."""

    def __init__(self, choices, aliases=None, **kwargs):
        self.choices = choices
        self.aliases = {alias.casefold(): code for alias, code in (aliases or {}).items()}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return ""
        if text.casefold() in self.aliases:
            return self.aliases[text.casefold()]
        for code, label in self.choices:
            if text.casefold() in (str(code).casefold(), str(label).casefold()):
                return code
        allowed = ", ".join(f"{code} ({label})" for code, label in self.choices)
        raise ValueError(_("„%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed})

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related row found by its natural key among the rows the importing user may see.

    Within one import each key is looked up once (`found`, given by `PortalResource.import_data`),
    so a file of thousands of rows of a few clubs asks for each club once.
    """

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.restrict(kwargs.get("user"))

    def lookup_key(self, value, row):
        return (self.model, self.field, value)

    def clean(self, value, row=None, found=None, **kwargs):
        value = str(value).strip() if value is not None else value
        key = self.lookup_key(value, row)
        if found is not None and key in found:
            return found[key]
        try:
            related = super().clean(value, row, **kwargs)
        except ObjectDoesNotExist as error:
            raise ValueError(
                _("No %(model)s with %(field)s „%(value)s” in your scope.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "value": value}
            ) from error
        except MultipleObjectsReturned as error:
            raise ValueError(
                _("More than one %(model)s has %(field)s „%(value)s”.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "value": value}
            ) from error
        if found is not None:
            found[key] = related
        return related


class ScopedManyToManyWidget(widgets.ManyToManyWidget):
    def __init__(self, model, field, **kwargs):
        super().__init__(model, separator=",", field=field, **kwargs)

    def clean(self, value, row=None, found=None, **kwargs):
        codes = tuple(sorted({code.strip() for code in str(value or "").split(",") if code.strip()}))
        key = (self.model, self.field, codes)
        if found is not None and key in found:
            return found[key]
        related = list(self.model.objects.filter(**{f"{self.field}__in": codes}))
        missing = set(codes) - {str(getattr(obj, self.field)) for obj in related}
        if missing:
            raise ValueError(_("Unknown codes: %(codes)s.") % {"codes": ", ".join(sorted(missing))})
        if found is not None:
            found[key] = related
        return related


class Field(fields.Field):
    """A column whose errors say which column they are about."""

    def clean(self, row, **kwargs):
        try:
            return super().clean(row, **kwargs)
        except ValueError as error:
            raise ValueError(
                _("column „%(column)s”: %(error)s") % {"column": self.column_name, "error": error}
            ) from error


def column(name, attribute, widget=None, **kwargs):
    return Field(column_name=name, attribute=attribute, widget=widget or widgets.CharWidget(), **kwargs)


# --- resources ----------------------------------------------------------------------------------------------


class PreviewDiff(resources.Diff):
    """The preview's values as the export writes them, so that it shows a new person's PESEL and name.

    The import that writes computes them too: its job compares them with the preview's (ksr_portal/jobs.py).
    """

    def __init__(self, resource, instance, new):
        self.left, self.right, self.new = self.values(resource, instance), [], new

    def compare_with(self, resource, instance):
        self.right = self.values(resource, instance)

    @staticmethod
    def values(resource, instance):
        values = []
        for field in resource.get_import_fields():
            try:
                values.append(resource.export_field(field, instance))
            except ObjectDoesNotExist:  # the empty instance a new row starts from has no related rows
                values.append("")
        return values


class PortalResource(resources.ModelResource):
    """Rules every resource of the portal shares: scope on import, a natural key per row, no duplicates."""

    # Columns that together identify a row in the file; a second row with the same key is refused.
    key_columns = ()

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        if kwargs.get("user") is None:
            raise ValidationError(_("An import is always made by a user, within their scope."))
        if not len(dataset):
            raise ValidationError(_("The file has no rows to import."))
        expected = {field.column_name for field in self.get_import_fields()}
        missing = [name for name in self.required_columns() if name not in dataset.headers]
        unknown = [header for header in dataset.headers if header and header not in expected]
        if missing:
            raise ValidationError(
                _(
                    "The file lacks the columns %(missing)s; is it a file of another kind? "
                    "Expected columns: %(expected)s."
                )
                % {"missing": ", ".join(missing), "expected": ", ".join(sorted(expected))}
            )
        if unknown:
            raise ValidationError(_("Unknown columns: %(unknown)s.") % {"unknown": ", ".join(unknown)})
        seen = {}
        for number, row in enumerate(dataset.dict, start=2):
            key = tuple(str(row.get(name) or "").strip() for name in self.key_columns)
            if not any(key):
                continue
            if key in seen:
                raise ValidationError(
                    _("Line %(line)d repeats line %(first)d (%(key)s).")
                    % {"line": number, "first": seen[key], "key": ", ".join(key)}
                )
            seen[key] = number

    def required_columns(self):
        return self.key_columns

    def get_diff_class(self):
        return PreviewDiff

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        error = result.validation_error
        if error is not None and hasattr(error, "error_dict"):
            # The model's errors name its fields; the person reading them knows the file's columns.
            columns = {field.attribute: field.column_name for field in self.get_import_fields() if field.attribute}
            result.validation_error = ValidationError(
                {columns.get(name, name): messages for name, messages in error.error_dict.items()}
            )
        if kwargs.get("progress") is not None:  # a job counting its rows (ksr_portal/jobs.py)
            kwargs["progress"](kwargs["row_number"])
        return result

    def import_data(self, dataset, **kwargs):
        # A file with any bad row, invalid or failing, changes nothing.
        kwargs["rollback_on_validation_errors"] = True
        kwargs["found"] = self.found = {}
        return super().import_data(dataset, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A new row is never "unchanged", even when every column holds a default value.
        return bool(instance.pk) and super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        """A row may only write inside the user's scope; otherwise the whole file is refused."""
        user = kwargs.get("user")
        model = type(instance)
        if not model.objects.restrict(user, "change").filter(pk=instance.pk).exists():
            raise ValidationError(_("This row would write outside your scope."))

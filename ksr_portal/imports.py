"""Import and export of spreadsheets with django-import-export, as offices actually keep them.

Files: CSV in UTF-8 (with or without BOM) or Windows-1250, separated by semicolons or commas, with
Polish decimal commas and DD.MM.YYYY dates; or XLSX. Foreign keys by natural keys (TERC code, NIP,
club registry number, PESEL), resolved only among what the importing user may see. Every row is
checked by the model's own rules; a file with any bad row changes nothing (one transaction), and
each error names the row as the spreadsheet numbers it, the column, the value and the reason
(`problems`); `report` groups them by reason and `error_file` returns the rows with their errors.
Exports hold only the user's scope, and a cell a spreadsheet would run as a formula is neutralised.
"""

import csv
import dataclasses
import datetime
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, results, widgets
from import_export.formats import base_formats
from import_export.forms import ImportForm

logger = logging.getLogger(__name__)
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


def sheet(rows, file_format, empty=""):
    """The file's rows as a dataset: the first row holding anything is the header, blank rows are left out,
    and each row keeps its number as the spreadsheet shows it (`dataset.lines`, the header's row being 1 in
    a file that starts with it), so that every message names the row the user sees."""
    dataset, headers = tablib.Dataset(), None
    dataset.lines, dataset.file_format = [], file_format
    for line, row in enumerate(rows, start=1):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        if headers is None:
            headers = dataset.headers = ["" if cell is None else str(cell).strip() for cell in row]
            continue
        dataset.append((list(row) + [empty] * len(headers))[: len(headers)])
        dataset.lines.append(line)
    if headers is None:
        raise UnreadableFile(_("The file is empty."))
    if not dataset.lines:
        raise UnreadableFile(_("The file has no rows to import."))
    return dataset


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
        first_line = text.lstrip().splitlines()[0]
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
        # One record is one row of the spreadsheet, even when a quoted cell holds a line break.
        return sheet(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), self)

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + neutralise(dataset).export("csv", delimiter=";")


class PortalXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        if not in_stream:
            raise UnreadableFile(_("The file is empty."))
        # Values, not formulae; the first sheet, from its first row, blank rows included, as Excel numbers them.
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        dataset = sheet(book.active.iter_rows(min_row=1, values_only=True), self, empty=None)
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
        raise ValueError(_("not a date: write it as DD.MM.YYYY."))

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d.%m.%Y") if value else ""


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value).replace("\xa0", "").replace(" ", "").replace(",", "."))
        except InvalidOperation as error:
            raise ValueError(_("not a number.")) from error

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value).replace(".", ",")


def date_in(row, name):
    """The date in a row's cell, to find the stored row by; a cell holding no date finds none, and is reported
    by its column."""
    try:
        return DateWidget().clean(row.get(name))
    except ValueError:
        return None


class BooleanWidget(widgets.Widget):
    TRUE = {"1", "tak", "t", "true", "yes", "x"}
    FALSE = {"0", "nie", "n", "false", "no", ""}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("write „tak” or „nie”."))

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
        raise ValueError(_("none of the allowed values: %(allowed)s.") % {"allowed": allowed})

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
                _("nothing of this kind in your scope (%(model)s).") % {"model": self.model._meta.verbose_name}
            ) from error
        except MultipleObjectsReturned as error:
            raise ValueError(
                _("more than one of this kind has this value (%(model)s).") % {"model": self.model._meta.verbose_name}
            ) from error
        if found is not None:
            found[key] = related
        return related


class ScopedManyToManyWidget(widgets.ManyToManyWidget):
    """Codes separated by commas. Each set of codes is looked up once per resource, which imports one file
    (django-import-export copies a resource's fields, widgets included, for each resource it makes), so that
    neither its rows nor the library's comparison of a stored row with the file ask for them again."""

    def __init__(self, model, field, **kwargs):
        super().__init__(model, separator=",", field=field, **kwargs)
        self.found = {}

    def clean(self, value, row=None, **kwargs):
        codes = tuple(sorted({code.strip() for code in str(value or "").split(",") if code.strip()}))
        if codes not in self.found:
            related = list(self.model.objects.filter(**{f"{self.field}__in": codes}))
            missing = set(codes) - {str(getattr(obj, self.field)) for obj in related}
            if missing:
                raise ValueError(_("unknown codes: %(codes)s.") % {"codes": ", ".join(sorted(missing))})
            self.found[codes] = related
        return self.found[codes]


def column(name, attribute, widget=None, **kwargs):
    return fields.Field(column_name=name, attribute=attribute, widget=widget or widgets.CharWidget(), **kwargs)


# --- resources ----------------------------------------------------------------------------------------------


class PreviewDiff(resources.Diff):
    """The preview's values as the export writes them, so that it shows a new person's PESEL and name.

    The import that writes computes them too: its job compares them with the preview's (ksr_portal/jobs.py).
    The values are read as the row is imported (its instance changes afterwards); their HTML is made only
    when read (`DiffHtml`), which the job does for the preview's first rows and the rows of stored records.
    """

    def __init__(self, resource, instance, new):
        # Every new row starts from the same empty instance: its values are read once per import.
        if new:
            resource.blank_values = resource.blank_values or self.values(resource, instance)
        self.left = resource.blank_values if new else self.values(resource, instance)
        self.right, self.new = [], new

    def compare_with(self, resource, instance):
        # A new row's values are shown only among the preview's first rows, and its job's fingerprint counts
        # only its kind: past those rows they are not read (its diff is then empty).
        resource.diffed_rows += 1
        if not self.new or resource.diffed_rows <= settings.KSR_IMPORT_PREVIEW_ROWS:
            self.right = self.values(resource, instance)

    def as_html(self):
        return DiffHtml(self)

    @staticmethod
    def values(resource, instance):
        values = []
        for field in resource.get_import_fields():
            try:
                values.append(resource.export_field(field, instance))
            except ObjectDoesNotExist:  # the empty instance a new row starts from has no related rows
                values.append("")
        return values


class DiffHtml(Sequence):
    """A row's diff as the library's HTML cells, made the first time a cell is read."""

    def __init__(self, diff):
        self.diff, self.cells = diff, None

    def __len__(self):
        return min(len(self.diff.left), len(self.diff.right))

    def __getitem__(self, index):
        if self.cells is None:
            self.cells = resources.Diff.as_html(self.diff)
        return self.cells[index]


class PortalResult(results.Result):
    """django-import-export's result, whose bad rows keep the row as read and the row number as the
    spreadsheet shows it (`PortalResource.import_data`), and which keeps the file's dataset for the error file."""

    dataset = None

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number, row, validation_error)
        self.invalid_rows[-1].row = row


class PortalResource(resources.ModelResource):
    """Rules every resource of the portal shares: scope on import, a natural key per row, no duplicates."""

    # Columns that together identify a row in the file; a second row with the same key is refused.
    key_columns = ()
    # Columns of digits and their length, whose leading zeros a spreadsheet drops from a number.
    digit_columns = {}

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_result_class(self):
        return PortalResult

    def check_file(self, dataset):
        """The file as a whole: made by a user, of this kind (its columns); then each row's key, to find repeats."""
        if self.user is None:
            raise ValidationError(_("An import is always made by a user, within their scope."))
        if not len(dataset):
            raise ValidationError(_("The file has no rows to import."))
        expected = {field.column_name for field in self.get_import_fields()}
        missing = [name for name in self.required_columns() if name not in dataset.headers]
        unknown = [header for header in dataset.headers if header and header not in {*expected, ERRORS_COLUMN}]
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
        for header, length in self.digit_columns.items():
            if header in dataset.headers:
                index = dataset.headers.index(header)
                column = [digits(value, length) for value in dataset[header]]
                del dataset[header]
                dataset.insert_col(index, column, header=header)
        self.first_of_key = {}
        for number, row in enumerate(dataset.dict, start=1):
            self.first_of_key.setdefault(self.key_of(row), number)

    def key_of(self, row):
        return tuple(str(row.get(name) or "").strip() for name in self.key_columns)

    def before_import_row(self, row, **kwargs):
        key = self.key_of(row)
        if any(key) and self.first_of_key[key] != kwargs["row_number"]:
            raise ValidationError(
                {
                    self.key_columns[0]: _("repeats an earlier row: the same values in the columns %(columns)s.")
                    % {"columns": ", ".join(self.key_columns)}
                }
            )

    def required_columns(self):
        return self.key_columns

    def import_instance(self, instance, row, **kwargs):
        """The row's columns; many-to-many ones too, which are saved after the row but checked with it."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)  # looked up once: the widget keeps what it found
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error))
        if errors:
            raise ValidationError(errors)

    def get_diff_class(self):
        return PreviewDiff

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.validation_error is not None:
            result.validation_error = self.in_columns(result.validation_error)
        for error in result.errors:
            logger.error("Row %s of an import failed", kwargs.get("row_number"), exc_info=error.error)
        if kwargs.get("progress") is not None:  # a job counting its rows (ksr_portal/jobs.py)
            kwargs["progress"](kwargs["row_number"])
        return result

    def in_columns(self, error):
        """The row's errors keyed by the file's column headers (or the whole row), never by a model's field:
        the model names its fields, the person reading the errors knows the file's columns."""
        if not hasattr(error, "error_dict"):
            return ValidationError({ROW: error.messages})
        import_fields = self.get_import_fields()
        columns = {field.attribute: field.column_name for field in import_fields if field.attribute}
        headers = {field.column_name for field in import_fields}
        keyed = {}
        for name, messages in error.message_dict.items():
            if name in columns or name in headers or name == ROW:
                keyed.setdefault(columns.get(name, name), []).extend(messages)
                continue
            try:  # a field of the model that no column gives: named as its forms name it
                label = capfirst(self._meta.model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = None
            keyed.setdefault(ROW, []).extend(f"{label}: {message}" if label else message for message in messages)
        return ValidationError(keyed)

    def handle_import_error(self, result, error, raise_errors=False):
        if not isinstance(error, ValidationError):
            logger.error("An import failed", exc_info=error)
        super().handle_import_error(result, error, raise_errors)

    def import_data(self, dataset, **kwargs):
        """Import the file; its bad rows are numbered as the spreadsheet shows them (`problems` words them)."""
        # A file with any bad row, invalid or failing, changes nothing.
        kwargs["rollback_on_validation_errors"] = True
        kwargs["found"] = self.found = {}
        self.blank_values, self.diffed_rows = None, 0  # PreviewDiff's values of a new row, and its count of rows
        self.previewing = kwargs.get("dry_run", False)
        self.user = kwargs.get("user")
        try:
            self.check_file(dataset)
        except ValidationError as error:  # a file of the wrong kind: no row is read
            result = self.get_result_class()()
            result.append_base_error(self.get_error_result_class()(error))
        else:
            result = super().import_data(dataset, **kwargs)
            lines = getattr(dataset, "lines", None) or range(2, len(dataset) + 2)
            for row in (*result.invalid_rows, *result.error_rows):
                row.number = lines[row.number - 1]
        result.dataset = dataset
        return result

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A new row is never "unchanged", even when every column holds a default value.
        return bool(instance.pk) and super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        """A row may only write inside the user's scope; otherwise the whole file is refused."""
        user = kwargs.get("user")
        model = type(instance)
        if not model.objects.restrict(user, "change").filter(pk=instance.pk).exists():
            raise ValidationError(_("This row would write outside your scope."))


# --- what is wrong with a file, in its own terms --------------------------------------------------------------

ROW = NON_FIELD_ERRORS  # the key of a reason about the whole row
# The column of the error file that holds each row's reasons; a corrected error file imports without it.
ERRORS_COLUMN = "bledy"
SHOWN_PER_REASON = 20


def digits(value, length):
    """A number of `length` digits as typed: a spreadsheet keeps one typed as a number without its leading zeros
    (a PESEL of someone born from 2000)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return f"{int(value):0{length}d}"
    return value


def cell_text(value):
    """A cell's value as the user typed it (a spreadsheet's date in the portal's format)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported: the row as the spreadsheet numbers it (None: the whole file), the
    column's header ("": the whole row), the cell's value and the reason."""

    line: int | None
    column: str
    value: str
    reason: str

    def message(self):
        """The problem as the row's own cell of the error file says it, without the row's number."""
        if not self.column:
            return self.reason
        if not self.value:
            return _("column „%(column)s” (empty): %(reason)s") % {"column": self.column, "reason": self.reason}
        return _("column „%(column)s”, value „%(value)s”: %(reason)s") % {
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }

    def __str__(self):
        if self.line is None:
            return self.message()
        return _("Row %(line)d: %(message)s") % {"line": self.line, "message": self.message()}


FAULT = gettext_lazy(
    "This could not be processed because of a fault of the portal, which has been recorded; nothing was written. "
    "Tell the portal's administrator."
)


def reason_of(error):
    """What an exception of an import tells its user: its message when it is meant for them, else that the
    portal failed (the exception itself is logged, never shown)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, UnreadableFile):
        return str(error)
    return str(FAULT)


def problems(result):
    """Everything wrong with an imported file (`PortalResource.import_data`), the file's first, then by row."""
    for error in result.base_errors:
        yield Problem(None, "", "", reason_of(error.error))
    rows = [(row.number, row.row, row.error_dict) for row in result.invalid_rows]
    rows += [(row.number, None, {ROW: [reason_of(error.error) for error in row.errors]}) for row in result.error_rows]
    for line, row, errors in sorted(rows, key=lambda bad: bad[0]):
        for column, reasons in errors.items():
            value = "" if column == ROW else cell_text((row or {}).get(column))
            for reason in reasons:
                yield Problem(line, "" if column == ROW else column, value, reason)


@dataclass
class ReasonGroup:
    column: str
    reason: str
    count: int = 0
    shown: list = dataclasses.field(default_factory=list)  # the first SHOWN_PER_REASON problems

    @property
    def hidden(self):
        return self.count - len(self.shown)


@dataclass
class Report:
    """The problems of a file, readable however many rows are bad: the file's own, then the rows' grouped by
    column and reason, most frequent first, each with its first rows."""

    file: list
    groups: list
    rows: int  # how many rows have a problem

    def __bool__(self):
        return bool(self.file or self.groups)


def report(result, shown=SHOWN_PER_REASON):
    return grouped(problems(result), shown)


def grouped(found, shown=SHOWN_PER_REASON):
    """`Problem`s as the page shows them: the file's own, then by column and reason."""
    file, groups, lines = [], {}, set()
    for problem in found:
        if problem.line is None:
            file.append(problem)
            continue
        lines.add(problem.line)
        group = groups.setdefault((problem.column, problem.reason), ReasonGroup(problem.column, problem.reason))
        group.count += 1
        if len(group.shown) < shown:
            group.shown.append(problem)
    return Report(file, sorted(groups.values(), key=lambda group: -group.count), len(lines))


def error_file(result):
    """The file's rows with an added column of each row's problems, in the uploaded file's format (bytes).

    The user corrects the rows in place and imports the file again; the column is then ignored.
    """
    dataset = result.dataset
    reasons = {}
    for problem in problems(result):
        if problem.line is not None:
            reasons.setdefault(problem.line, []).append(problem.message())
    kept = [index for index, header in enumerate(dataset.headers) if header != ERRORS_COLUMN]
    rows = tablib.Dataset(headers=[dataset.headers[index] for index in kept] + [ERRORS_COLUMN])
    lines = getattr(dataset, "lines", None) or range(2, len(dataset) + 2)
    for line, row in zip(lines, dataset, strict=True):
        rows.append([cell_text(row[index]) for index in kept] + [" ".join(reasons.get(line, []))])
    file_format = getattr(dataset, "file_format", None) or PortalCSV()
    data = file_format.export_data(rows)
    return data.encode("utf-8") if isinstance(data, str) else data

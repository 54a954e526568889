"""Reports as CSV and XLSX files with exactly the figures (and suppressed cells) of the page; sheets of records
(the ESF+ participant sheet) as the same files."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import legend

# A cell starting with one of these would be run as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def plain(value):
    """What a cell holds in a file: numbers stay numbers, a hidden count is its symbol."""
    if isinstance(value, int | float):
        return value
    return str(value)


def rows_of(title, tables):
    yield [str(title)]
    for table in tables:
        yield []
        yield [str(table.title)]
        yield ["", *[str(column) for column in table.columns]]
        for label, cells in table.display_rows():
            yield [str(label), *[plain(cell) for cell in cells]]
    if explanation := legend(tables):
        yield []
        yield [explanation]


def csv_response(title, tables, filename):
    return csv_of(rows_of(title, tables), filename)


def xlsx_response(title, tables, filename):
    return xlsx_of(rows_of(title, tables), filename, "Raport", first_column_width=48)


def sheet_response(file_format, headers, rows, filename):
    """A sheet of records (a header row, then one row per record) as CSV or XLSX."""
    lines = [headers, *rows]
    if file_format == "csv":
        return csv_of(lines, filename)
    return xlsx_of(lines, filename, "Uczestnicy", bold_first_row=True)


def csv_of(rows, filename):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([neutralised(str(cell) if cell is not None else "") for cell in row])
    # A BOM lets spreadsheets on Polish Windows read the file as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_of(rows, filename, title, first_column_width=None, bold_first_row=False):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append([neutralised(cell) for cell in row])
        bold = len(row) if bold_first_row and sheet.max_row == 1 else 1 if len(row) == 1 else 0
        for column in range(1, bold + 1):
            sheet.cell(row=sheet.max_row, column=column).font = Font(bold=True)
    if first_column_width:
        sheet.column_dimensions["A"].width = first_column_width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response

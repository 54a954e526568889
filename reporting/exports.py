"""Reports as CSV and XLSX files with exactly the figures (and suppressed cells) of the page."""

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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows_of(title, tables):
        writer.writerow([neutralised(str(cell) if cell is not None else "") for cell in row])
    # A BOM lets spreadsheets on Polish Windows read the file as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(title, tables, filename):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Raport"
    for row in rows_of(title, tables):
        sheet.append([neutralised(cell) for cell in row])
        if len(row) == 1:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response

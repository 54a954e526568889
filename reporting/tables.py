"""Report tables and small-cell suppression.

A table is a grid of figures with a header row and a header column; its last row and column may be
totals. When a table counts people and the reader must not be able to identify anyone, a count from
1 to the threshold is hidden (primary suppression), and further cells are hidden so that no hidden
count can be worked out from a total or its neighbours (complementary suppression): every row and
column that sums to a shown total ends with either no hidden cell or at least two, the extra ones
chosen among the smallest non-zero figures. Every hidden cell prints as the statistics office's
symbol of confidential data, "Δ", explained by `legend()` on every page and file that shows one: a
"<5" on a cell hidden only to protect its neighbours would state something false. Pages and exports
print the same suppressed table.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

SYMBOL = "Δ"


class Hidden:
    """A suppressed figure; prints as the symbol of confidential data."""

    def __str__(self):
        return SYMBOL

    def __eq__(self, other):
        return isinstance(other, Hidden)

    def __hash__(self):
        return hash("hidden")


@dataclass
class Table:
    title: str
    columns: list  # column headers, not counting the header column
    rows: list  # [(row header, [figures])]
    people: bool = True  # figures count people: subject to suppression
    total_row: bool = False  # the last row is the sum of the others
    total_column: bool = False  # the last column is the sum of the others
    note: str = ""
    people_columns: set | None = None  # with people=True: which columns count people (None: all)
    hidden: set = field(default_factory=set)  # (row, column) positions suppressed

    def cell(self, r, c):
        if (r, c) in self.hidden:
            return Hidden()
        value = self.rows[r][1][c]
        # Databases return sums of hours as 3 or 3.0: a figure prints the same on every page and file.
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        return value

    def display_rows(self):
        return [(label, [self.cell(r, c) for c in range(len(values))]) for r, (label, values) in enumerate(self.rows)]


def with_totals(title, columns, rows, total_label, **options):
    """A table whose last row and column are the sums of the figures."""
    column_sums = [sum(values[c] for _label, values in rows) for c in range(len(columns))]
    rows = [(label, [*values, sum(values)]) for label, values in rows]
    rows.append((total_label, [*column_sums, sum(column_sums)]))
    return Table(
        title, [*columns, options.pop("total_column_label")], rows, total_row=True, total_column=True, **options
    )


def suppress(table, threshold=None):
    """Mark the cells to hide in a people table; returns the table."""
    if not table.people:
        return table
    threshold = settings.KSR_SMALL_CELL_THRESHOLD if threshold is None else threshold
    grid = [values for _label, values in table.rows]
    if not grid:
        return table
    columns = range(len(grid[0])) if table.people_columns is None else sorted(table.people_columns)
    hidden = {(r, c) for r, values in enumerate(grid) for c in columns if 0 < values[c] <= threshold}
    lines = []
    if table.total_row:
        lines += [[(r, c) for r in range(len(grid))] for c in columns]
    if table.total_column:
        lines += [[(r, c) for c in columns] for r in range(len(grid))]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden and grid[cell[0]][cell[1]] > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda cell: (grid[cell[0]][cell[1]], cell)))
                changed = True
    table.hidden = hidden
    return table


def legend(tables):
    """The explanation of the symbol, for a page or file whose tables hide a cell; otherwise ""."""
    if not any(table.hidden for table in tables):
        return ""
    return _(
        "%(symbol)s — not published to keep statistical confidentiality: a count of 1 to %(threshold)d people, "
        "or a figure from which such a count could be worked out."
    ) % {"symbol": SYMBOL, "threshold": settings.KSR_SMALL_CELL_THRESHOLD}

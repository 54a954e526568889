"""Report tables and small-cell suppression.

A table is a grid of figures with a header row and a header column; its last row and column may be
totals. When a table counts people and the reader must not be able to identify anyone, a count from
1 to the threshold is hidden (primary suppression), and further cells are hidden so that no hidden
count can be worked out from a total or its neighbours (complementary suppression): every row and
column that sums to a shown total ends with either no hidden cell or at least two, the extra ones
chosen among the smallest non-zero figures; where rows and columns both have totals, cells are hidden
until no hidden count can be solved from the equations of all the totals together (a chain of hidden
cells between two groups can otherwise be worked out). Every hidden cell prints as the statistics office's
symbol of confidential data, "Δ", explained by `legend()` on every page and file that shows one: a
"<5" on a cell hidden only to protect its neighbours would state something false. Pages and exports
print the same suppressed table.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

SYMBOL = "Δ"
TOTAL = SafeString(' class="total"')


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

    def body(self):
        """The rows as HTML, as the template language would print them (localised, escaped), in a fraction of
        its time: a national report's tables have hundreds of rows."""
        rows = self.display_rows()
        return format_html_join(
            "\n",
            '<tr{}><th scope="row">{}</th>{}</tr>',
            (
                (
                    TOTAL if self.total_row and i == len(rows) - 1 else "",
                    localize(label),
                    SafeString("".join(map(table_cell, cells))),
                )
                for i, (label, cells) in enumerate(rows)
            ),
        )


def table_cell(value):
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:  # most cells: nothing to localise or escape
        return f"<td>{value}</td>"
    return format_html("<td>{}</td>", localize(value))


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
    primary = {(r, c) for r, values in enumerate(grid) for c in columns if 0 < values[c] <= threshold}
    hidden = set(primary)
    # Each line is the cells that sum to its last one, the total.
    lines = []
    if table.total_row:
        lines += [[(r, c) for r in range(len(grid))] for c in columns]
    if table.total_column:
        lines += [[(r, c) for c in columns] for r in range(len(grid))]

    def value(cell):
        return grid[cell[0]][cell[1]]

    def hide_smallest(cells):
        candidates = [cell for cell in cells if cell not in hidden and value(cell) > 0]
        if candidates:
            hidden.add(min(candidates, key=lambda cell: (value(cell), cell)))
        return bool(candidates)

    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                if sum(cell in hidden for cell in line) == 1:
                    changed = hide_smallest(line) or changed
        # Lines of one direction share no cell, so two hidden cells in each keep every one unknown; rows
        # and columns together may still pin a cell down, through the lines that cross it.
        if not (table.total_row and table.total_column):
            break
        found = worked_out(lines, hidden, primary)
        if not found:
            break
        crossing = [cell for line in lines if found[0] in line for cell in line]
        anywhere = [cell for line in lines if hidden & set(line) for cell in line]
        if not (hide_smallest(crossing) or hide_smallest(anywhere)):
            break
    table.hidden = hidden
    return table


def worked_out(lines, hidden, cells):
    """The cells of `cells` whose figure follows from the shown ones by adding and subtracting totals.

    Each line is an equation in its hidden cells (their sum, less the hidden total, is known); a cell is
    worked out when the equations, brought to reduced row echelon form, fix it alone.
    """
    unknown = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknown)}
    equations = []
    for line in lines:
        equation = [Fraction(0)] * len(unknown)
        for position, cell in enumerate(line):
            if cell in index:
                equation[index[cell]] += -1 if position == len(line) - 1 else 1
        if any(equation):
            equations.append(equation)
    found, row = [], 0
    pivots = []
    for column in range(len(unknown)):
        pivot = next((r for r in range(row, len(equations)) if equations[r][column]), None)
        if pivot is None:
            continue
        equations[row], equations[pivot] = equations[pivot], equations[row]
        lead = equations[row][column]
        equations[row] = [x / lead for x in equations[row]]
        for r, other in enumerate(equations):
            if r != row and other[column]:
                factor = other[column]
                equations[r] = [a - factor * b for a, b in zip(other, equations[row], strict=True)]
        pivots.append((row, column))
        row += 1
    for r, column in pivots:
        if unknown[column] in cells and sum(1 for x in equations[r] if x) == 1:
            found.append(unknown[column])
    return found


def legend(tables):
    """The explanation of the symbol, for a page or file whose tables hide a cell; otherwise ""."""
    if not any(table.hidden for table in tables):
        return ""
    return _(
        "%(symbol)s — not published to keep statistical confidentiality: a count of 1 to %(threshold)d people, "
        "or a figure from which such a count could be worked out."
    ) % {"symbol": SYMBOL, "threshold": settings.KSR_SMALL_CELL_THRESHOLD}

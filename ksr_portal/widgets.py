"""Form widgets shared by the portal's pages and the workbench."""

from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker. Its value is an ISO date (YYYY-MM-DD) whatever the page shows: a date
    rendered in the interface's format (DD.MM.RRRR) would leave the picker empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

"""Dates and times in the portal and the workbench, in every language: DD.MM.RRRR and HH:MM.

Times are shown in the portal's time zone (TIME_ZONE); the browser's date pickers exchange ISO dates
whatever is shown (`ksr_portal.widgets.DatePicker`), and files for machines keep ISO (the JSON record).
"""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "d.m"
YEAR_MONTH_FORMAT = "m.Y"

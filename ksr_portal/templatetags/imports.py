"""`{% import_errors result %}`: what is wrong with an imported file, for any page that shows an import."""

import base64

from django import template

from ksr_portal import imports

register = template.Library()
# Browsers open no longer address (Chromium's limit is 2 MB); a larger error file needs a page that serves it.
DATA_URL_LIMIT = 2 * 1024 * 1024


@register.inclusion_tag("ksr_portal/import_errors.html")
def import_errors(result, download=None):
    """The file's problems grouped by column and reason (`imports.report`) with a link to the error file.

    `download` is the address of the error file where a page serves it; without one the link carries the
    file itself, so that no copy of the rows is kept on the server for it.
    """
    stored = getattr(result, "stored_problems", None)  # a background job's (ksr_portal/jobs.py)
    if stored is not None:
        found = imports.grouped(stored)
        title = result.stored_error_file_format
        file_format = next((f() for f in imports.FORMATS if f().get_title() == title), imports.PortalCSV())
        data = result.stored_error_file
    else:
        found = imports.report(result)
        file_format = getattr(result.dataset, "file_format", None) or imports.PortalCSV()
        data = base64.b64encode(imports.error_file(result)).decode() if found.groups else ""
    if download is None and found.groups and data:
        url = f"data:{file_format.get_content_type()};base64,{data}"
        download = url if len(url) <= DATA_URL_LIMIT else None
    return {
        "report": found,
        "download": download,
        "errors_column": imports.ERRORS_COLUMN,
        "file_name": f"{imports.ERRORS_COLUMN}.{file_format.get_extension()}",
    }

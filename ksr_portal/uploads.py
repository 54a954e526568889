"""Uploaded spreadsheets waiting between preview and confirmation.

They hold PESELs and names, so they live in a folder of their own (`KSR_UPLOAD_DIR`), under names the
server makes; a confirmation names its file only by such a name, and only one the same session was
given (`remember`, `is_waiting`), so no name or path from the client ever reaches the file system.
A confirmed file is removed once imported; the rest are deleted by `manage.py purge_uploads` after
`KSR_UPLOAD_RETENTION_HOURS` (schedule it, e.g. hourly).
"""

import re
import time
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from import_export.tmp_storages import TempFolderStorage

NAME = re.compile(r"[0-9a-f]{32}")
SESSION_KEY = "ksr_uploads"


class UnknownUpload(Exception):
    """A confirmation named no upload waiting for this session."""


def folder():
    return Path(settings.KSR_UPLOAD_DIR)


class UploadStorage(TempFolderStorage):
    """django-import-export's temporary storage, in the uploads' folder, under names the server makes."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.name is not None and not NAME.fullmatch(str(self.name)):
            raise UnknownUpload(self.name)

    def get_full_path(self):
        return str(folder() / self.name)

    def save(self, data):
        folder().mkdir(mode=0o700, parents=True, exist_ok=True)
        self.name = uuid4().hex
        with open(self.get_full_path(), "wb" if isinstance(data, bytes) else "w", encoding=self.encoding) as file:
            file.write(data)

    def read(self):
        try:
            return super().read()
        except FileNotFoundError as error:
            raise UnknownUpload(self.name) from error

    def remove(self):
        Path(self.get_full_path()).unlink(missing_ok=True)


def remember(session, name):
    session[SESSION_KEY] = [*session.get(SESSION_KEY, [])[-9:], name]


def is_waiting(session, name):
    return (
        NAME.fullmatch(name or "") is not None and name in session.get(SESSION_KEY, []) and (folder() / name).exists()
    )


def forget(session, name):
    session[SESSION_KEY] = [other for other in session.get(SESSION_KEY, []) if other != name]


def purge(hours=None):
    """Delete uploads older than `hours` (by default KSR_UPLOAD_RETENTION_HOURS); returns how many."""
    cutoff = time.time() - 3600 * (settings.KSR_UPLOAD_RETENTION_HOURS if hours is None else hours)
    removed = 0
    for path in folder().glob("*") if folder().is_dir() else ():
        if NAME.fullmatch(path.name) and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

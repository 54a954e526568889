"""Where uploaded spreadsheets' files are kept until they are imported or purged.

They hold PESELs and names, so they live in a folder of their own (`KSR_UPLOAD_DIR`), readable only
by the portal's system user, under names the server makes: no name or path from the client ever
reaches the file system. The record of each upload is `ksr_portal.ImportJob`.
"""

from uuid import uuid4

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class UploadStorage(FileSystemStorage):
    """The uploads' folder, read from the settings each time (tests give each test its own)."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return settings.KSR_UPLOAD_DIR

    @property
    def location(self):
        return str(settings.KSR_UPLOAD_DIR)


def server_name(instance, filename):
    """A name the server makes; the client's file name is kept on the record only to be shown."""
    return uuid4().hex

"""Validators of Polish identifiers and codes, used by model fields so that every path obeys them.

The checksums come from python-stdnum; the messages are the portal's own, in plain language.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidComponent
from stdnum.pl import nip, pesel, regon

VOIVODESHIP_TERC_CODES = tuple(f"{n:02d}" for n in range(2, 33, 2))

# Last digit of a 7-digit gmina TERC code (RODZ in the GUS register).
MUNICIPALITY_KIND_DIGITS = ("1", "2", "3", "4", "5", "8", "9")


def _require_digits(value, length, label):
    if not re.fullmatch(r"[0-9]+", value or ""):
        raise ValidationError(_("%(label)s may contain digits only."), code="format", params={"label": label})
    if len(value) not in length:
        expected = _(" or ").join(str(n) for n in length)
        raise ValidationError(
            _("%(label)s must have %(expected)s digits, not %(count)d."),
            code="length",
            params={"label": label, "expected": expected, "count": len(value)},
        )


def pesel_birth_date(value):
    """Birth date encoded in a PESEL (the month offset gives the century)."""
    return pesel.get_birth_date(value)


def pesel_is_male(value):
    """The tenth digit of a PESEL is odd for men and even for women."""
    return int(value[9]) % 2 == 1


def validate_pesel(value):
    _require_digits(value, (11,), "PESEL")
    if pesel.calc_check_digit(value[:-1]) != value[-1]:
        raise ValidationError(
            _("PESEL %(value)s has a wrong check digit: check for a mistyped digit."),
            code="checksum",
            params={"value": value},
        )
    try:
        born = pesel_birth_date(value)
    except InvalidComponent:
        raise ValidationError(
            _("PESEL %(value)s encodes a date of birth that does not exist."),
            code="birth_date",
            params={"value": value},
        ) from None
    if born > timezone.localdate():
        raise ValidationError(
            _("PESEL %(value)s encodes a date of birth in the future."), code="birth_date", params={"value": value}
        )


def validate_nip(value):
    _require_digits(value, (10,), "NIP")
    if not nip.is_valid(value):
        raise ValidationError(
            _("NIP %(value)s has a wrong check digit: check for a mistyped digit."),
            code="checksum",
            params={"value": value},
        )


def validate_regon(value):
    _require_digits(value, (9, 14), "REGON")
    if not regon.is_valid(value):
        raise ValidationError(
            _("REGON %(value)s has a wrong check digit: check for a mistyped digit."),
            code="checksum",
            params={"value": value},
        )


def validate_krs(value):
    _require_digits(value, (10,), "KRS")


def validate_postal_code(value):
    if not re.fullmatch(r"[0-9]{2}-[0-9]{3}", value or ""):
        raise ValidationError(
            _("Enter the postal code as NN-NNN, for example 25-520."), code="postal_code", params={"value": value}
        )


def validate_region_terc(value):
    _require_digits(value, (2,), "TERC")
    if value not in VOIVODESHIP_TERC_CODES:
        raise ValidationError(
            _("%(value)s is not the TERC code of a voivodeship (02, 04, … 32)."), code="terc", params={"value": value}
        )


def validate_county_terc(value):
    _require_digits(value, (4,), "TERC")
    validate_region_terc(value[:2])


def validate_municipality_terc(value):
    _require_digits(value, (7,), "TERC")
    validate_region_terc(value[:2])
    if value[-1] not in MUNICIPALITY_KIND_DIGITS:
        raise ValidationError(
            _("The last digit of a municipality's TERC code gives its kind and must be one of %(kinds)s."),
            code="terc",
            params={"kinds": ", ".join(MUNICIPALITY_KIND_DIGITS)},
        )


# Documents people upload (minutes, agreements, deliverables): the formats offices use, recognised
# by their first bytes as well as their name, so a renamed program is refused.
DOCUMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".odt": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_document(file):
    check_document(file, DOCUMENT_SIGNATURES, _("Attach a PDF, ODT, DOC, DOCX, JPG or PNG file."))


# Scans in a person's file: what a scanner or a phone makes, nothing a word processor could hide a macro in.
SCAN_SIGNATURES = {ext: DOCUMENT_SIGNATURES[ext] for ext in (".pdf", ".jpg", ".jpeg", ".png")}


def validate_scan(file):
    check_document(file, SCAN_SIGNATURES, _("Attach a PDF, JPG or PNG file."))


def check_document(file, signatures, wrong_type):
    """Refuse a file whose name is not one of `signatures`, that is too large, or whose first bytes
    are not those of its type."""
    name = (file.name or "").lower()
    extension = next((ext for ext in signatures if name.endswith(ext)), None)
    if extension is None:
        raise ValidationError(wrong_type, code="file_type")
    limit = settings.KSR_MAX_DOCUMENT_MB * 1024 * 1024
    if file.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)d MB."),
            code="file_size",
            params={"limit": settings.KSR_MAX_DOCUMENT_MB},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(position)
    if not head.startswith(signatures[extension]):
        raise ValidationError(
            _("The file's content does not match its type (%(extension)s)."),
            code="file_content",
            params={"extension": extension},
        )

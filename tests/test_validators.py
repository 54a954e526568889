"""The validators of Polish identifiers and codes: good values pass, bad ones fail with the right error code.

Tests compare error codes, never messages, so they do not depend on the interface language.
"""

import pytest
from django.core.exceptions import ValidationError
from stdnum.pl import pesel

from ksr_portal.validators import (
    validate_county_terc,
    validate_krs,
    validate_municipality_terc,
    validate_nip,
    validate_pesel,
    validate_postal_code,
    validate_region_terc,
    validate_regon,
)


def with_check_digit(first_ten):
    """A PESEL with a correct check digit, so that only what the ten digits say can be wrong."""
    return first_ten + pesel.calc_check_digit(first_ten)


def assert_rejected(validator, value, code):
    with pytest.raises(ValidationError) as exc:
        validator(value)
    assert exc.value.code == code


# ---------------------------------------------------------------------------
# PESEL
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "44051401359",  # a man born 14.05.1944
        "02211307589",  # a woman born 13.01.2002: month + 20 for the 2000s
        with_check_digit("0022290000"),  # 29.02.2000, a leap day (month 02 + 20)
        with_check_digit("9912310000"),  # 31.12.1999
    ],
)
def test_valid_pesel_passes(value):
    validate_pesel(value)


@pytest.mark.parametrize(
    "value, code",
    [
        pytest.param("44051401358", "checksum", id="wrong check digit"),
        pytest.param("44051401369", "checksum", id="two digits swapped"),
        pytest.param(with_check_digit("0213130758"), "birth_date", id="month 13"),
        pytest.param(with_check_digit("0402310123"), "birth_date", id="31 February"),
        pytest.param(with_check_digit("0102290000"), "birth_date", id="29 February of a common year"),
        pytest.param(with_check_digit("9920010123"), "birth_date", id="month 20"),
        pytest.param(with_check_digit("9921010123"), "birth_date", id="born 2099 in the future"),
        pytest.param("4405140135", "length", id="10 digits"),
        pytest.param("440514013590", "length", id="12 digits"),
        pytest.param("4405140135X", "format", id="letter"),
        pytest.param("440514 01359", "format", id="space"),
        pytest.param("", "format", id="empty"),
    ],
)
def test_invalid_pesel_is_rejected(value, code):
    assert_rejected(validate_pesel, value, code)


# ---------------------------------------------------------------------------
# NIP, REGON, KRS
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["5260250274", "5261040828"])
def test_valid_nip_passes(value):
    validate_nip(value)


@pytest.mark.parametrize(
    "value, code",
    [
        pytest.param("5260250275", "checksum", id="wrong check digit"),
        pytest.param("526025027", "length", id="9 digits"),
        pytest.param("52602502741", "length", id="11 digits"),
        pytest.param("526-025-02-74", "format", id="dashes: the model stores digits only"),
        pytest.param("PL5260250274", "format", id="EU VAT prefix"),
    ],
)
def test_invalid_nip_is_rejected(value, code):
    assert_rejected(validate_nip, value, code)


@pytest.mark.parametrize("value", ["123456785", "000331501", "12345678512347", "00033150100000"])
def test_valid_regon_passes(value):
    validate_regon(value)


@pytest.mark.parametrize(
    "value, code",
    [
        pytest.param("123456786", "checksum", id="9 digits, wrong check digit"),
        pytest.param("12345678512348", "checksum", id="14 digits, wrong check digit"),
        pytest.param("12345678612342", "checksum", id="14 digits, the 9-digit part wrong"),
        pytest.param("12345678", "length", id="8 digits"),
        pytest.param("1234567851234", "length", id="13 digits"),
        pytest.param("12345678A", "format", id="letter"),
    ],
)
def test_invalid_regon_is_rejected(value, code):
    assert_rejected(validate_regon, value, code)


def test_valid_krs_passes():
    validate_krs("0000012345")


@pytest.mark.parametrize(
    "value, code",
    [
        pytest.param("000001234", "length", id="9 digits"),
        pytest.param("00000123456", "length", id="11 digits"),
        pytest.param("00000I2345", "format", id="letter I for digit 1"),
        pytest.param("KRS0000012", "format", id="prefix"),
    ],
)
def test_invalid_krs_is_rejected(value, code):
    assert_rejected(validate_krs, value, code)


# ---------------------------------------------------------------------------
# postal code
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["25-520", "00-950", "26-680"])
def test_valid_postal_code_passes(value):
    validate_postal_code(value)


@pytest.mark.parametrize("value", ["25520", "2-5520", "25-52a", "25 520", "25-5200", "25—520", ""])
def test_invalid_postal_code_is_rejected(value):
    assert_rejected(validate_postal_code, value, "postal_code")


# ---------------------------------------------------------------------------
# TERC
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [f"{n:02d}" for n in range(2, 33, 2)])
def test_each_voivodeship_terc_passes(value):
    validate_region_terc(value)


@pytest.mark.parametrize(
    "value, code",
    [
        ("01", "terc"),
        ("00", "terc"),
        ("34", "terc"),
        ("27", "terc"),
        ("2", "length"),
        ("026", "length"),
        ("O2", "format"),
    ],
)
def test_invalid_region_terc_is_rejected(value, code):
    assert_rejected(validate_region_terc, value, code)


@pytest.mark.parametrize("value", ["2601", "2661", "1465"])
def test_valid_county_terc_passes(value):
    validate_county_terc(value)


@pytest.mark.parametrize(
    "value, code",
    [
        ("0101", "terc"),
        ("3401", "terc"),
        ("261", "length"),
        ("260101", "length"),
        ("26-1", "format"),
    ],
)
def test_invalid_county_terc_is_rejected(value, code):
    assert_rejected(validate_county_terc, value, code)


@pytest.mark.parametrize("kind", ["1", "2", "3", "4", "5", "8", "9"])
def test_municipality_terc_with_each_kind_passes(kind):
    validate_municipality_terc(f"260101{kind}")


@pytest.mark.parametrize(
    "value, code",
    [
        pytest.param("2601016", "terc", id="kind 6"),
        pytest.param("2601017", "terc", id="kind 7"),
        pytest.param("2601010", "terc", id="kind 0"),
        pytest.param("3501011", "terc", id="odd voivodeship"),
        pytest.param("0001011", "terc", id="voivodeship 00"),
        pytest.param("260101", "length", id="6 digits"),
        pytest.param("26010111", "length", id="8 digits"),
        pytest.param("26 0101 1", "format", id="spaces"),
    ],
)
def test_invalid_municipality_terc_is_rejected(value, code):
    assert_rejected(validate_municipality_terc, value, code)


# ---------------------------------------------------------------------------
# digits other than 0–9
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "validator, value, code",
    [
        pytest.param(validate_pesel, "４４０５１４０１３５9", "format", id="PESEL full-width"),
        pytest.param(validate_pesel, "٤٤٠٥١٤٠١٣٥9", "format", id="PESEL Arabic-Indic"),
        pytest.param(validate_nip, "５２６０２５０２７４", "format", id="NIP full-width"),
        pytest.param(validate_regon, "１２３４５６７８５", "format", id="REGON full-width"),
        pytest.param(validate_krs, "００００１２３４５６", "format", id="KRS full-width"),
        pytest.param(validate_postal_code, "２５-５２０", "postal_code", id="postal code full-width"),
        pytest.param(validate_county_terc, "26０１", "format", id="county TERC full-width"),
        pytest.param(validate_municipality_terc, "26０１０１1", "format", id="municipality TERC full-width"),
    ],
)
def test_non_ascii_digits_are_rejected(validator, value, code):
    assert_rejected(validator, value, code)

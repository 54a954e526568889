"""Loading the official TERC register of the statistics office (GUS) into counties and municipalities.

The register is a CSV file with the columns WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA, published in
UTF-8 (sometimes with a BOM) or, in older files, Windows-1250. Rows with only WOJ are voivodeships,
with WOJ and POW counties, and with GMI and RODZ municipalities and their parts. Loading is
idempotent: a unit already present is updated only when its name or kind changed.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .models import County, Municipality, Region

COLUMNS = ["WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA"]


class TercError(ValueError):
    pass


@dataclass
class Result:
    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0
    skipped: list = field(default_factory=list)


def decode(raw):
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TercError(_("The file is neither UTF-8 nor Windows-1250 text."))


def read_rows(raw):
    text = decode(raw)
    if not text.strip():
        raise TercError(_("The file is empty."))
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = [name for name in COLUMNS[:6] if name not in (reader.fieldnames or [])]
    if missing:
        raise TercError(
            _("This is not a TERC register file: the columns %(missing)s are missing.")
            % {"missing": ", ".join(missing)}
        )
    return list(reader)


@transaction.atomic
def load(raw):
    """Add or update the counties and municipalities of the file; returns what was done."""
    rows = read_rows(raw)
    result = Result()
    regions = {region.terc: region for region in Region.objects.all()}
    counties = {county.terc: county for county in County.objects.all()}
    municipalities = {m.terc: m for m in Municipality.objects.all()}
    for number, row in enumerate(rows, start=2):
        woj, pow_, gmi, rodz, name = (
            (row.get(column) or "").strip() for column in ("WOJ", "POW", "GMI", "RODZ", "NAZWA")
        )
        if not pow_:
            if woj not in regions:
                result.skipped.append(
                    _("line %(line)d: voivodeship %(code)s is not in the portal") % {"line": number, "code": woj}
                )
            continue
        region = regions.get(woj)
        if region is None:
            result.skipped.append(_("line %(line)d: unknown voivodeship %(code)s") % {"line": number, "code": woj})
            continue
        if not gmi:
            terc = woj + pow_
            county = counties.get(terc)
            if county is None:
                county = County(terc=terc, name=name, region=region)
                county.full_clean()
                county.save()
                counties[terc] = county
                result.added.append(f"{terc} {name}")
            elif county.name != name:
                county.name = name
                county.save()
                result.changed.append(f"{terc} {name}")
            else:
                result.unchanged += 1
            continue
        terc = woj + pow_ + gmi + rodz
        county = counties.get(woj + pow_)
        if county is None:
            result.skipped.append(
                _("line %(line)d: the county of %(code)s comes later or is missing") % {"line": number, "code": terc}
            )
            continue
        municipality = municipalities.get(terc)
        if municipality is None:
            municipality = Municipality(terc=terc, name=name, kind=rodz, county=county, region=region)
            municipality.full_clean()
            municipality.save()
            municipalities[terc] = municipality
            result.added.append(f"{terc} {name}")
        elif (municipality.name, municipality.kind, municipality.county_id) != (name, rodz, county.pk):
            municipality.name, municipality.kind, municipality.county = name, rodz, county
            municipality.full_clean()
            municipality.save()
            result.changed.append(f"{terc} {name}")
        else:
            result.unchanged += 1
    return result

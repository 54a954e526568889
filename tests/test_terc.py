"""`manage.py import_terc`: the GUS register in its own CSV layout, idempotent, in either encoding."""

import pytest
from django.core.management import CommandError, call_command

from networks.models import County, Municipality

from .factories import RegionFactory

pytestmark = pytest.mark.django_db

SAMPLE = """WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA
26;;;;ŚWIĘTOKRZYSKIE;województwo;2025-01-01
26;04;;;kielecki;powiat;2025-01-01
26;04;04;3;Chmielnik;gmina miejsko-wiejska;2025-01-01
26;04;04;4;Chmielnik;miasto;2025-01-01
26;04;06;2;Górno;gmina wiejska;2025-01-01
26;61;;;Kielce;powiat;2025-01-01
26;61;01;1;Kielce;gmina miejska;2025-01-01
"""


@pytest.fixture
def register(tmp_path):
    RegionFactory(terc="26")

    def write(text, encoding="utf-8-sig"):
        path = tmp_path / "TERC_Urzedowy.csv"
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1250"])
def test_loads_counties_and_municipalities_once(register, encoding, capsys):
    path = register(SAMPLE, encoding)
    call_command("import_terc", path)
    assert "Added 6, changed 0" in capsys.readouterr().out
    assert set(County.objects.values_list("terc", "name")) == {("2604", "kielecki"), ("2661", "Kielce")}
    chmielnik = Municipality.objects.get(terc="2604043")
    assert (chmielnik.name, chmielnik.kind, chmielnik.county.terc, chmielnik.region.terc) == (
        "Chmielnik",
        "3",
        "2604",
        "26",
    )
    call_command("import_terc", path)
    assert "Added 0, changed 0, left 6 unchanged" in capsys.readouterr().out


def test_a_renamed_unit_is_updated(register, capsys):
    call_command("import_terc", register(SAMPLE))
    capsys.readouterr()
    call_command("import_terc", register(SAMPLE.replace(";Górno;", ";Górno Nowe;")))
    assert "Added 0, changed 1" in capsys.readouterr().out
    assert Municipality.objects.get(terc="2604062").name == "Górno Nowe"


@pytest.mark.parametrize(
    "text, message",
    [("", "pusty"), ("A;B;C\n1;2;3\n", "TERC")],
)
def test_wrong_files_are_refused_and_change_nothing(register, text, message):
    with pytest.raises(CommandError) as excinfo:
        call_command("import_terc", register(text))
    assert message in str(excinfo.value)
    assert not Municipality.objects.exists()

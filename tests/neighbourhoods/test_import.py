import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from neighbourhoods.models import Borough, Neighbourhood, NeighbourhoodKind, SocialIndexMeasure
from neighbourhoods.naming import display_name, fold, kind_of
from neighbourhoods.services import social_index_import, territory_import
from tests.conftest import CATALOGUE

HEADER = "cve_col,cve_mun_inegi,alcaldia,colonia,pob_2010\n"


def write(tmp_path, text, name="units.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("official", "expected"), [
    ("GUSTAVO A. MADERO", "Gustavo A. Madero"),
    ("ALVARO OBREGON", "Álvaro Obregón"),
    ("ALPES (AMPL)", "Alpes (Ampliación)"),
    ("LOMAS DE PLATEROS (U HAB) I", "Lomas de Plateros (Unidad Habitacional) I"),
    ("EJTO CONSTITUCIONALISTA, SUPERMANZANA II ( U HAB)",
     "Ejto Constitucionalista, Supermanzana II (Unidad Habitacional)"),
    ("1RA VICTORIA", "1ra Victoria"),
    ("CTM ATZACOALCO", "CTM Atzacoalco"),
    ("LA CANDELARIA (PBLO)", "La Candelaria (Pueblo)"),
])
def test_display_names_are_properly_cased(official, expected):
    assert display_name(official) == expected


def test_kind_comes_from_the_catalogue_suffix():
    assert kind_of("ACULCO (PBLO)") == NeighbourhoodKind.PUEBLO
    assert kind_of("SAN LUCAS (BARR)") == NeighbourhoodKind.BARRIO
    assert kind_of("EJTO CONSTITUCIONALISTA ( U HAB)") == NeighbourhoodKind.HOUSING_UNIT
    assert kind_of("ROMA NORTE") == NeighbourhoodKind.COLONIA


def test_fold_removes_accents_but_keeps_enye():
    assert fold("Cañada del Olivar, Álvaro") == "CAÑADA DEL OLIVAR, ALVARO"


def test_import_keeps_quirky_rows_and_skips_bad_ones_with_reasons(db, tmp_path):
    path = write(tmp_path, HEADER + "\n".join([
        "10-241,010,ALVARO OBREGON,19 DE MAYO,1347",
        "03-094,003,COYOACAN,,",                          # no name, no population: kept
        '07-046,007,IZTAPALAPA,"EJTO CONSTITUCIONALISTA, SUPERMANZANA I ( U HAB)",8474',
        "99-999,099,NOWHERE,X,1",                         # unknown borough
        "1-1,010,ALVARO OBREGON,BAD KEY,1",               # malformed key
        "10-241,010,ALVARO OBREGON,19 DE MAYO,1347",      # duplicate
        "10-242,010,ALVARO OBREGON,1RA VICTORIA,mucho",   # bad population
        "07-100,010,ALVARO OBREGON,WRONG BOROUGH,5",      # key of another borough
    ]) + "\n")
    summary = territory_import(path)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    assert [line for line, _ in summary.skipped] == [5, 6, 7, 8, 9]
    assert "unknown borough" in summary.skipped[0][1]
    assert "duplicate" in summary.skipped[2][1]
    unnamed = Neighbourhood.objects.get(key="03-094")
    assert unnamed.population is None and unnamed.official_name == "" and "03-094" in unnamed.name
    assert Neighbourhood.objects.get(key="07-046").kind == NeighbourhoodKind.HOUSING_UNIT
    assert Neighbourhood.objects.get(key="10-241").borough.name == "Álvaro Obregón"


def test_import_is_idempotent_and_updates_changed_rows(db, tmp_path):
    path = write(tmp_path, HEADER + "10-241,010,ALVARO OBREGON,19 DE MAYO,1347\n")
    territory_import(path)
    again = territory_import(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    write(tmp_path, HEADER + "10-241,010,ALVARO OBREGON,19 DE MAYO,1400\n")
    changed = territory_import(path)
    assert changed.updated == 1
    assert Neighbourhood.objects.get(key="10-241").population == 1400


def test_import_command_reports_a_summary_and_refuses_a_wrong_file(db, tmp_path):
    path = write(tmp_path, HEADER + "10-241,010,ALVARO OBREGON,19 DE MAYO,1347\n99-1,1,X,Y,1\n")
    out = StringIO()
    call_command("import_territory", str(path), stdout=out)
    assert "created: 1" in out.getvalue() and "line 3: skipped" in out.getvalue()
    wrong = write(tmp_path, "key,name\n1,2\n", name="wrong.csv")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("import_territory", str(wrong))
    with pytest.raises(CommandError, match="cannot open"):
        call_command("import_territory", str(tmp_path / "absent.csv"))


def test_social_index_import_sets_the_latest_stratum(db, tmp_path):
    territory_import(write(tmp_path, HEADER + "10-241,010,ALVARO OBREGON,19 DE MAYO,1347\n"))
    path = write(tmp_path, "cve_col,year,value,stratum\n10-241,2015,0.61,muy_bajo\n10-241,2020,0.75,bajo\n"
                 "10-999,2020,0.5,bajo\n10-241,2021,2,alto\n10-241,2022,0.8,regular\n", name="idx.csv")
    summary = social_index_import(path, source="EVALÚA")
    assert summary.created == 2
    assert [line for line, _ in summary.skipped] == [4, 5, 6]
    unit = Neighbourhood.objects.get(key="10-241")
    assert (unit.stratum, unit.stratum_year) == ("bajo", 2020)
    assert SocialIndexMeasure.objects.get(neighbourhood=unit, year=2015).source == "EVALÚA"
    assert social_index_import(path, source="EVALÚA").unchanged == 2


@pytest.mark.skipif(not CATALOGUE.exists(),
                    reason="needs ../shared/data/colonias_cdmx_iecm.csv beside the checkout (or NICP_SHARED_DIR)")
def test_real_catalogue_imports_whole(db):
    with CATALOGUE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    summary = territory_import(CATALOGUE)
    assert summary.skipped == []
    assert summary.created == len(rows) == 1816
    assert Borough.objects.filter(neighbourhoods__isnull=False).distinct().count() == 16
    assert Neighbourhood.objects.aggregate(total=Sum("population"))["total"] == 8_841_544
    assert Neighbourhood.objects.filter(population__isnull=True).count() == 3
    assert territory_import(CATALOGUE).unchanged == 1816

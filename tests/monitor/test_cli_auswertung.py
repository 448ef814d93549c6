"""``indikatoren`` and ``vorher-nachher`` on the command line: exact JSON keys, suppression as
null, CSV for German Excel, German errors — checked on demo data through a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import openpyxl
import pytest
from test_cli import monitor

from indikatoren.katalog import REGISTER

INDIKATOR_SCHLUESSEL = [
    "indikator", "ziel", "name", "stufe", "standort", "gruppe", "wert", "einheit", "n",
    "zaehler", "nenner", "ci_unten", "ci_oben", "basiswert", "zielwert", "zielerreichung",
    "status", "unterdrueckt",
]  # fmt: skip
VN_SCHLUESSEL = [
    "indikator", "standort", "gruppe", "welle", "n_paare", "mittel_vorher", "mittel_nachher",
    "differenz", "ci_unten", "ci_oben", "d_z", "g_z", "p_wert", "unterdrueckt",
]  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pfad = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    assert monitor("demo", db=pfad).returncode == 0
    return pfad


def test_indikatoren_json_schluessel_und_unterdrueckung(demo_db: Path) -> None:
    lauf = monitor("indikatoren", "--format", "json", db=demo_db)
    assert lauf.returncode == 0, lauf.stderr
    zeilen = json.loads(lauf.stdout)
    assert all(list(z) == INDIKATOR_SCHLUESSEL for z in zeilen)
    assert {z["indikator"] for z in zeilen} == set(REGISTER)
    assert {z["gruppe"] for z in zeilen} == {"gesamt", "mit_mh", "ohne_mh"}
    versteckt = [z for z in zeilen if z["unterdrueckt"]]
    # The demo's small site and its site with few people without migration background
    # produce suppressed cells; every number of such a cell is null, never 0.
    assert versteckt
    for z in versteckt:
        assert all(z[k] is None for k in ("wert", "n", "zaehler", "nenner", "ci_unten", "ci_oben"))
    for z in zeilen:
        if (
            not z["unterdrueckt"]
            and z["n"] is not None
            and REGISTER[z["indikator"]].personenbezogen
        ):
            grenze = 10 if REGISTER[z["indikator"]].vorher_nachher else 5
            assert z["n"] >= grenze


def test_indikatoren_werte_gegen_direkte_abfrage(demo_db: Path) -> None:
    """A1 and A3 for the whole project, counted independently with plain SQL on the file
    (participants only: the demo's comparison group counts in no indicator)."""
    zeilen = json.loads(monitor("indikatoren", "--format", "json", db=demo_db).stdout)
    wert = {(z["indikator"], z["standort"], z["gruppe"]): z for z in zeilen}
    with duckdb.connect(str(demo_db), read_only=True) as con:
        t0 = con.execute(
            "SELECT count(*) FROM befragungen WHERE welle = 'T0' AND vergleichsgruppe IS NOT TRUE"
        ).fetchone()[0]
        ja, alle = con.execute(
            "SELECT count(*) FILTER (WHERE zufriedenheit >= 4), count(zufriedenheit) "
            "FROM befragungen WHERE welle = 'T1' AND vergleichsgruppe IS NOT TRUE"
        ).fetchone()
    assert wert[("A1", "gesamt", "gesamt")]["wert"] == t0
    a3 = wert[("A3", "gesamt", "gesamt")]
    assert (a3["zaehler"], a3["nenner"]) == (ja, alle)
    assert a3["wert"] == pytest.approx(100 * ja / alle, abs=1e-6)
    assert a3["ci_unten"] < a3["wert"] < a3["ci_oben"]


def test_vorher_nachher_json_nur_gewaehlte_welle(demo_db: Path) -> None:
    lauf = monitor("vorher-nachher", "--format", "json", "--welle", "T2", db=demo_db)
    assert lauf.returncode == 0, lauf.stderr
    zeilen = json.loads(lauf.stdout)
    assert zeilen and all(list(z) == VN_SCHLUESSEL for z in zeilen)
    assert {z["welle"] for z in zeilen} == {"T2"}
    assert {z["indikator"] for z in zeilen} == {i.id for i in REGISTER.values() if i.vorher_nachher}
    for z in zeilen:
        if not z["unterdrueckt"] and z["differenz"] is not None and z["ci_unten"] is not None:
            assert z["ci_unten"] <= z["differenz"] <= z["ci_oben"]


def test_csv_fuer_deutsches_excel_und_standortfilter(demo_db: Path, tmp_path: Path) -> None:
    lauf = monitor(
        "indikatoren", "--format", "csv", "--deutsch", "--standort", "D_BERLIN", db=demo_db
    )
    assert lauf.returncode == 0, lauf.stderr
    text = lauf.stdout
    assert text.startswith("\ufeff")
    kopf = text.lstrip("\ufeff").splitlines()[0].split(";")
    assert kopf == INDIKATOR_SCHLUESSEL
    standorte = {zeile.split(";")[4] for zeile in text.splitlines()[1:]}
    assert standorte == {"gesamt", "D_BERLIN"}


def test_tabelle_zeigt_markierung_statt_null(demo_db: Path) -> None:
    lauf = monitor("indikatoren", "--standort", "D_ERFURT", "D_DORTMUND", db=demo_db)
    assert lauf.returncode == 0
    assert "< 5" in lauf.stdout


def test_unbekannter_standort_und_falsches_datum(demo_db: Path) -> None:
    lauf = monitor("indikatoren", "--standort", "NIRGENDS", db=demo_db)
    assert lauf.returncode == 1
    assert "Unbekannte Standorte: NIRGENDS" in lauf.stderr
    lauf = monitor("vorher-nachher", "--welle", "T3", db=demo_db)
    assert lauf.returncode == 2 and "ungültige Auswahl" in lauf.stderr
    lauf = monitor("indikatoren", "--von", "31.02.2025", db=demo_db)
    assert lauf.returncode == 2 and "kein Datum" in lauf.stderr


def test_ohne_datenbank_deutsche_meldung(tmp_path: Path) -> None:
    lauf = monitor("indikatoren", db=tmp_path / "fehlt.duckdb")
    assert lauf.returncode == 1
    assert "gibt es nicht" in lauf.stderr


def test_demo_entfernen_laesst_echte_daten(tmp_path: Path) -> None:
    pfad = tmp_path / "mix.duckdb"
    assert monitor("demo", db=pfad).returncode == 0
    standorte = tmp_path / "standorte.csv"
    standorte.write_text(
        "standort;name;ort;bundesland;start\nECHT;Echtes Projekt;Kassel;Hessen;01.03.2025\n",
        encoding="utf-8",
    )
    assert monitor("import", standorte, db=pfad).returncode == 0
    lauf = monitor("demo", "--entfernen", db=pfad)
    assert lauf.returncode == 0 and "Demo-Daten entfernt" in lauf.stdout
    with duckdb.connect(str(pfad), read_only=True) as con:
        assert con.execute("SELECT standort FROM standorte").fetchall() == [("ECHT",)]
        assert con.execute("SELECT count(*) FROM befragungen").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM importe WHERE demo").fetchone()[0] == 0


def test_export_schreibt_bericht_und_csv(demo_db: Path, tmp_path: Path) -> None:
    ziel, csv = tmp_path / "bericht.xlsx", tmp_path / "indikatoren.csv"
    lauf = monitor("export", ziel, "--standort", "D_BERLIN", "--csv", csv, db=demo_db)
    assert lauf.returncode == 0, lauf.stderr
    mappe = openpyxl.load_workbook(ziel)
    for blatt in ("Deckblatt", "Zielerreichung", "Vorher-Nachher", "Methodik"):
        assert blatt in mappe.sheetnames
    inhalt = csv.read_bytes()
    assert inhalt.startswith(b"\xef\xbb\xbf") and b";" in inhalt.splitlines()[0]
    falsch = monitor("export", tmp_path / "bericht.txt", db=demo_db)
    assert falsch.returncode == 1 and "muss auf .xlsx enden" in falsch.stderr


def test_p_werte_nie_null(demo_db: Path) -> None:
    """Released p values are never printed as 0 (before: 42 demo rows read ``p_wert: 0.0``)."""
    zeilen = json.loads(monitor("vorher-nachher", "--format", "json", db=demo_db).stdout)
    p = [z["p_wert"] for z in zeilen if z["p_wert"] is not None]
    assert p and min(p) > 0
    assert any(wert < 1e-6 for wert in p)  # the demo's clear changes: digits kept

"""The data pages (Datenimport, Datenqualität, Zielwerte, Bericht) in AppTest, on real files.

Each test starts the real ``dashboard.py`` on a fresh DuckDB file in tmp_path (``MONITOR_DB``);
a database without any row gets the demo data on first start, as in production. Demo data alone
opens without login (the guest of the demo mode); as soon as a test has real data (or creates
it), it logs in as admin through the real login form first (issue 7).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from hilfen_anmeldung import als_admin
from openpyxl import Workbook, load_workbook
from streamlit.testing.v1 import AppTest

from indikatoren.engine import berechne
from indikatoren.filter import Filter
from monitor import audit, bestand
from monitor.benutzer import DEMO_BANNER, zugriff_fuer
from monitor.bericht import indikator_csv
from monitor.db import Datenbank, verbinden
from monitor.importieren import importiere
from ui import berichtseite, importseite, qualitaetseite
from ui.format import UNTERDRUECKT

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
TIMEOUT_S = 60  # the first run creates the database and loads the demo data
SEITEN = ("datenimport", "datenqualitaet", "zielwerte", "bericht")
TITEL = {
    "uebersicht": "Übersicht",
    "datenimport": "Datenimport",
    "datenqualitaet": "Datenqualität",
    "zielwerte": "Zielwerte",
    "bericht": "Bericht",
}

#: A survey file with three mistakes (unknown site, impossible date, out of range) and a
#: personal-data column; row 2 is fine.
BEFRAGUNG_FEHLERHAFT = (
    b"code;standort;welle;datum;migrationshintergrund;zufriedenheit;E-Mail\n"
    b"abcd01;D_BERLIN;T0;2026-03-01;ja;;a@example.org\n"
    b"abcd02;D_NIRGENDS;T0;2026-03-01;nein;;\n"
    b"abcd03;D_BERLIN;T1;31.02.2026;;7;\n"
)
NEUER_STANDORT = (
    b"standort;name;ort;bundesland;start\n"
    b"NEUSTADT;Treffpunkt Neustadt;Neustadt;Sachsen;2026-01-15\n"
)
NEUE_PERSONEN = 20
#: The Bericht page's downloads for a role with every right (admin, the demo guest).
BERICHT_DOWNLOADS = (
    "Excel-Bericht herunterladen",
    "PDF-Wirkungsbericht herunterladen",
    "Indikatoren als CSV (Excel, deutsch)",
    "Pseudonymisierte Mikrodaten (CSV)",
)


def _befragung_xlsx() -> bytes:
    """A real Excel file: 20 persons with T0 questionnaires at the new site NEUSTADT."""
    mappe = Workbook()
    blatt = mappe.active
    assert blatt is not None
    blatt.title = "Daten"
    blatt.append(["code", "standort", "welle", "datum", "migrationshintergrund", "a_thermometer"])
    for i in range(NEUE_PERSONEN):
        blatt.append([f"neu{i:03d}", "NEUSTADT", "T0", "2026-03-02", ("ja", "nein")[i % 2], 50])
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def _starten(als_admin_in: Path | None = None) -> AppTest:
    """Run the dashboard; with ``als_admin_in`` (the database file) an admin is created there
    first and the app logs in through the login form (needed once real data exists)."""
    app = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT_S)
    if als_admin_in is None:
        app.run()
    else:
        als_admin(app, als_admin_in)
    _ohne_fehler(app)
    return app


def _ohne_fehler(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]


def _seite(app: AppTest, seite: str) -> AppTest:
    app.switch_page(f"pages/{seite}.py").run()
    _ohne_fehler(app)
    assert app.title[0].value == TITEL[seite]
    return app


def _texte(elemente: object) -> list[str]:
    return [element.value for element in elemente]  # type: ignore[attr-defined]


def _metriken(app: AppTest) -> dict[str, str]:
    return {metrik.label: metrik.value for metrik in app.metric}


def _knopf(app: AppTest, beschriftung: str) -> object:
    return next(knopf for knopf in app.button if knopf.label == beschriftung)


def _datenbank(db_datei: Path) -> Datenbank:
    """A second connection for checks: the app's cached one is released first."""
    st.cache_resource.clear()
    return verbinden(db_datei)


# -- every page renders -----------------------------------------------------------------------
@pytest.mark.parametrize("seite", SEITEN)
def test_seite_auf_demo_daten(db_datei: Path, seite: str) -> None:
    app = _seite(_starten(), seite)

    if seite == "datenimport":
        assert len(app.file_uploader) == 1
        # XLSX and CSV template per kind, then XLSForm, LimeSurvey (2), printable T0–T2
        assert len(app.get("download_button")) == 8 + 6
        assert "Demo-Daten entfernen" in _texte(app.header)
        assert "Demo-Daten (seed 42)" in list(app.dataframe[0].value["Datei"])
    elif seite == "datenqualitaet":
        assert "Meldestand der Standorte" in _texte(app.subheader)
        assert "Verbleib T0 → T1 → T2 (Match-Quoten)" in _texte(app.subheader)
        assert len(app.get("plotly_chart")) == 2  # funnel and match rates per site
        trichter = next(t.value for t in app.dataframe if "Personen mit T0" in t.value.columns)
        assert trichter["Standort"].iloc[0] == "Gesamt"
        assert "Ausgangswerte der Gebliebenen und Ausgefallenen" in _texte(app.subheader)
        basis = next(t.value for t in app.dataframe if "Warnung (|d| > 0,2)" in t.value.columns)
        assert set(basis["Warnung (|d| > 0,2)"]) <= {"ja", "nein", "–"}
        assert "A5" in set(basis["Indikator"])
    elif seite == "zielwerte":
        editor = app.data_editor[0].value
        assert len(editor) == 21 and editor["ID"].iloc[0] == "A1"
        assert editor["Zielwert"].iloc[0] == "1600"  # demo target of A1, project-wide
        assert editor["Status"].str.contains("auf Kurs|Verzug|kritisch|erreicht").any()
    else:
        # the demo guest has the admin's rights, so also the microdata export (issue 7)
        assert [k.label for k in app.get("download_button")] == [*BERICHT_DOWNLOADS]
        assert len(app.dataframe[0].value) == 21


@pytest.mark.parametrize("seite", SEITEN)
def test_seite_mit_standort_aber_ohne_daten(db_datei: Path, seite: str) -> None:
    with verbinden(db_datei) as db:  # something imported: no demo data at first start
        importiere(db, NEUER_STANDORT, "standorte.csv")

    app = _seite(_starten(db_datei), seite)

    if seite == "datenimport":
        assert "Demo-Daten entfernen" not in _texte(app.header)
    elif seite == "datenqualitaet":
        assert any("Treffpunkt Neustadt" in w for w in _texte(app.warning))  # has not reported
        assert any("keine Fragebögen" in i for i in _texte(app.info))
    elif seite == "zielwerte":
        editor = app.data_editor[0].value
        # no survey yet: nothing but dashes, suppression marks and counts of 0 activities
        assert editor["Ist-Wert"].str.match(r"^(–|< \d+|0)$").all(), list(editor["Ist-Wert"])
        assert set(editor["Zielwert"]) == {""}
    else:
        assert [k.label for k in app.get("download_button")] == [*BERICHT_DOWNLOADS]


# -- Datenimport ------------------------------------------------------------------------------
def _zeilenzahlen(db_datei: Path) -> dict[str, int]:
    with _datenbank(db_datei) as db:
        return {
            tabelle: int(db.scalar(f"SELECT count(*) FROM {tabelle}"))
            for tabelle in ("importe", "standorte", "befragungen", "aktivitaeten", "zielwerte")
        }


def test_fehlerhafte_datei_zeigt_fehlertabelle_und_aendert_nichts(db_datei: Path) -> None:
    app = _seite(_starten(), "datenimport")
    vorher = _zeilenzahlen(db_datei)

    app.file_uploader[0].set_value(("befragung.csv", BEFRAGUNG_FEHLERHAFT, "text/csv")).run()
    _ohne_fehler(app)

    # cause and fix first (the unknown site decides the sentence), then the count
    meldung = next(e for e in _texte(app.error) if "3 Fehler in 3 Datenzeilen" in e)
    assert meldung.startswith(
        "Nicht übernommen: die Standort-Kennung(en) D_NIRGENDS sind nicht angelegt; bitte die "
        "Kennung korrigieren oder zuerst die Standorte-Datei importieren. Dazu 2 weitere Fehler "
        "anderer Art (Liste unten)."
    )
    fehler = app.dataframe[0].value
    assert list(fehler.columns) == ["Zeile", "Spalte", "Wert", "Grund"]
    zeilen = {(str(z.Zeile), z.Spalte, z.Wert) for z in fehler.itertuples()}
    assert ("3", "standort", "D_NIRGENDS") in zeilen
    assert ("4", "datum", "31.02.2026") in zeilen
    assert ("4", "zufriedenheit", "7") in zeilen
    assert len(zeilen) == 3  # row 2 is fine
    assert any("'e-mail' enthält personenbezogene Daten" in w for w in _texte(app.warning))
    assert "Prüfbericht als CSV herunterladen" in [k.label for k in app.get("download_button")]
    assert _knopf(app, "Importieren").disabled

    assert _zeilenzahlen(db_datei) == vorher


def test_pruefbericht_csv_fuer_deutsches_excel(tmp_path: Path) -> None:
    with verbinden(tmp_path / "monitor.duckdb") as db:
        importiere(db, NEUER_STANDORT, "standorte.csv")
        pruefung = importseite.pruefe_uploads(
            db, [importseite.Upload("liste.csv", BEFRAGUNG_FEHLERHAFT)], None
        ).pruefungen[0]

    text = importseite.fehler_csv(pruefung).decode("utf-8-sig")
    zeilen = text.splitlines()
    assert zeilen[0] == "Zeile;Spalte;Wert;Grund"
    assert "3;standort;D_NIRGENDS;unbekannter Standort (zuerst in der Standorte-Datei anlegen)" in (
        zeilen
    )
    assert importseite.fehlerbericht_dateiname(pruefung) == "pruefbericht_liste.csv"


def test_gute_dateien_importieren_und_zahlen_aendern_sich(db_datei: Path) -> None:
    app = _starten(db_datei)  # real data follows: logged in, the next run is not the setup page
    vorher = _metriken(app)
    assert vorher["Standorte"] == "6"
    _seite(app, "datenimport")

    dateien = [
        ("standorte.csv", NEUER_STANDORT, "text/csv"),
        ("befragung.xlsx", _befragung_xlsx(), importseite.MIME_XLSX),
    ]
    app.file_uploader[0].set_value(dateien).run()
    _ohne_fehler(app)
    assert not app.error
    assert sum("keine Fehler" in s for s in _texte(app.success)) == 2
    assert not _knopf(app, "Importieren").disabled

    _knopf(app, "Importieren").click().run()  # type: ignore[attr-defined]
    _ohne_fehler(app)

    meldung = " ".join(_texte(app.success))
    assert "'standorte.csv' (Standorte): 1 Zeile importiert – 1 neu" in meldung
    assert f"'befragung.xlsx' (Befragung): {NEUE_PERSONEN} Zeilen importiert" in meldung
    assert app.file_uploader[0].value == []  # a fresh uploader for the next files
    assert {"standorte.csv", "befragung.xlsx"} <= set(app.dataframe[0].value["Datei"])

    _seite(app, "uebersicht")
    nachher = _metriken(app)
    assert nachher["Standorte"] == "7"
    fragebogen = int(nachher["Fragebögen"].replace(".", ""))
    assert fragebogen == int(vorher["Fragebögen"].replace(".", "")) + NEUE_PERSONEN

    _seite(app, "datenimport")  # the same file again: nothing new
    app.file_uploader[0].set_value(("standorte.csv", NEUER_STANDORT, "text/csv")).run()
    _knopf(app, "Importieren").click().run()  # type: ignore[attr-defined]
    assert any("bereits importiert" in s for s in _texte(app.success))


def test_echte_daten_im_demo_modus_verlangen_danach_einen_admin(db_datei: Path) -> None:
    """The guest of the open demo mode may import, but real data ends the open mode: the next
    run shows no data, only how to create the first admin; with an admin, a login (issue 7)."""
    app = _seite(_starten(), "datenimport")
    assert DEMO_BANNER in _texte(app.info)

    app.file_uploader[0].set_value(("standorte.csv", NEUER_STANDORT, "text/csv")).run()
    _knopf(app, "Importieren").click().run()  # type: ignore[attr-defined]
    _ohne_fehler(app)

    assert [t.value for t in app.title] == ["Wirkungsmonitor – Einrichtung"]
    assert not app.metric and not app.dataframe and not app.file_uploader
    assert not app.sidebar.multiselect  # no filters either: nothing about the data
    befehl = "python -m monitor benutzer anlegen NAME --rolle admin --passwort-stdin"
    assert [c.value for c in app.code] == [befehl]
    with _datenbank(db_datei) as db:
        assert db.scalar("SELECT count(*) FROM standorte WHERE NOT demo") == 1  # imported

    als_admin(app, db_datei)  # the first admin exists: the login form, then the data
    assert app.title[0].value == TITEL["uebersicht"]
    assert _metriken(app)["Standorte"] == "7"


def test_unklare_art_gibt_hinweis_und_laesst_sich_waehlen(db_datei: Path) -> None:
    app = _seite(_starten(), "datenimport")
    datei = b"kennung;wann\nx1;2026-01-01\n"

    app.file_uploader[0].set_value(("liste.csv", datei, "text/csv")).run()

    assert any("nicht erkennbar" in e and "Art der Datei" in e for e in _texte(app.error))
    assert _knopf(app, "Importieren").disabled
    auswahl = next(s for s in app.selectbox if s.label == "Art der Datei")
    auswahl.set_value("aktivitaeten").run()
    _ohne_fehler(app)
    fehler = app.dataframe[0].value
    assert "Pflichtspalte fehlt" in set(fehler["Grund"])
    assert "aktivitaet_id" in set(fehler["Spalte"])


def test_demo_daten_entfernen_mit_bestaetigung(db_datei: Path) -> None:
    app = _seite(_starten(), "datenimport")
    assert _knopf(app, "Demo-Daten entfernen").disabled

    app.checkbox(key="demo_bestaetigt").check().run()
    _knopf(app, "Demo-Daten entfernen").click().run()  # type: ignore[attr-defined]
    _ohne_fehler(app)

    assert any(s.startswith("Demo-Daten entfernt") for s in _texte(app.success))
    assert "Demo-Daten entfernen" not in _texte(app.header)
    for seite in ("uebersicht", *SEITEN):  # an entirely empty database: every page still works
        _seite(app, seite)
    with _datenbank(db_datei) as db:
        assert not bestand.hat_demo(db)
        zahlen = bestand.kennzahlen(db)
        assert zahlen.leer and zahlen.standorte == 0
        assert not bestand.ist_leer(db)  # the removal is logged: no demo data at the next start


# -- Zielwerte --------------------------------------------------------------------------------
def _ziel(db_datei: Path, indikator: str, standort: str = "gesamt") -> tuple[object, ...] | None:
    with _datenbank(db_datei) as db:
        zeilen = db.rows(
            "SELECT basiswert, zielwert, stichtag FROM zielwerte WHERE indikator = ? "
            "AND standort = ?",
            [indikator, standort],
        )
    return zeilen[0] if zeilen else None


def _bearbeiten(app: AppTest, aenderungen: dict[int, dict[str, object]]) -> None:
    """Edit cells as a user would (AppTest seeds the editor's edit state), then press Speichern."""
    schluessel = app.data_editor[0].key
    assert schluessel
    app.session_state[schluessel] = {
        "edited_rows": aenderungen,
        "added_rows": [],
        "deleted_rows": [],
    }
    _knopf(app, "Speichern").click().run()  # type: ignore[attr-defined]
    _ohne_fehler(app)


def test_zielwert_bearbeiten_und_speichern(db_datei: Path) -> None:
    # a project-wide target typed in is real data: logged in, so the next run is not the setup
    app = _seite(_starten(db_datei), "zielwerte")
    assert app.data_editor[0].value["ID"].iloc[2] == "A3"

    _bearbeiten(app, {2: {"Zielwert": "85,5"}, 3: {"Zielwert": "", "Stichtag": None}})

    assert any("gespeichert: 0 neu, 1 geändert, 1 entfernt" in s for s in _texte(app.success)), (
        _texte(app.error)
    )
    editor = app.data_editor[0].value
    assert editor["Zielwert"].iloc[2] == "85,5"
    assert editor["Zielwert"].iloc[3] == ""
    assert _ziel(db_datei, "A3")[1] == 85.5  # type: ignore[index]
    assert _ziel(db_datei, "A4") is None


def test_zielwert_fuer_standort_anlegen(db_datei: Path) -> None:
    app = _seite(_starten(), "zielwerte")
    app.selectbox(key="zw_standort").set_value("D_ERFURT").run()
    zeile = list(app.data_editor[0].value["ID"]).index("C6")

    _bearbeiten(app, {zeile: {"Basiswert": "5", "Zielwert": "12", "Stichtag": "2027-03-31"}})

    assert any("Zielwerte für D_ERFURT gespeichert" in s for s in _texte(app.success))
    basis, ziel, stichtag = _ziel(db_datei, "C6", "D_ERFURT")  # type: ignore[misc]
    assert (basis, ziel, str(stichtag)) == (5.0, 12.0, "2027-03-31")


def test_ungueltiger_zielwert_wird_abgelehnt_und_nichts_gespeichert(db_datei: Path) -> None:
    app = _seite(_starten(), "zielwerte")
    vorher = _ziel(db_datei, "A3")
    app = _seite(_starten(), "zielwerte")

    _bearbeiten(app, {2: {"Zielwert": "achtzig"}, 1: {"Zielwert": ""}})

    assert any(
        e.startswith("Nicht gespeichert – 2 Eingaben sind ungültig") for e in _texte(app.error)
    )
    gruende = next(t.value for t in app.dataframe if t.editing_mode == "read_only")
    assert list(gruende.columns) == ["Indikator", "Feld", "Eingabe", "Grund"]
    assert ("A3 Zufriedenheit", "Zielwert", "achtzig", "keine Zahl") in set(
        gruende.itertuples(index=False, name=None)
    )
    assert ("A2 Begegnungsquote", "Zielwert", "(leer)", "Pflichtangabe fehlt") in set(
        gruende.itertuples(index=False, name=None)
    )
    assert not app.success
    assert _ziel(db_datei, "A3") == vorher
    assert _ziel(db_datei, "A2") is not None
    # the user's input stays in the editor to be corrected
    assert app.session_state[app.data_editor[0].key]["edited_rows"][2]["Zielwert"] == "achtzig"


# -- Bericht ----------------------------------------------------------------------------------
def test_bericht_ziele_waehlen_und_herunterladen(db_datei: Path) -> None:
    app = _seite(_starten(), "bericht")

    ziele = next(m for m in app.multiselect if m.label.startswith("Wirkungsziele"))
    ziele.set_value(["b"]).run()
    _ohne_fehler(app)
    assert set(app.dataframe[0].value["ID"]) == {f"B{i}" for i in range(1, 7)}

    akteur = "evaluation-test"
    with _datenbank(db_datei) as db:
        assert audit.protokoll(db, was="export").empty  # showing the page exports nothing
        filter_ = Filter(("D_BERLIN",), date(2025, 7, 1), date(2026, 6, 30))
        indikatoren = berechne(db, filter_).indikatoren
        excel = berichtseite.excel(db, filter_, zugriff_fuer("admin"), akteur)
        csv_download = berichtseite.csv(db, indikatoren, ["b"], filter_, akteur)
        assert audit.protokoll(db, was="export").empty  # built (and audited) only on download
        mappe = load_workbook(io.BytesIO(excel()))
        csv = csv_download().decode("utf-8-sig")
        # all goals: byte for byte the CSV of the report module (and so of the CLI)
        assert berichtseite.csv_tabelle(indikatoren, ["a", "b", "c"]) == indikator_csv(db, filter_)
        exporte = audit.protokoll(db, was="export")
    assert list(exporte["Wer"]) == [akteur, akteur]
    details = [json.loads(d) for d in exporte["Details"]]  # newest first
    assert [d["art"] for d in details] == ["csv", "excel"]
    assert all(d["standorte"] == ["D_BERLIN"] for d in details)
    assert details[1]["datei"].startswith("wirkungsbericht_2025-Q3_bis_2026-Q2_")
    assert {"Deckblatt", "Zielerreichung", "Ziel b", "Methodik"} <= set(mappe.sheetnames)
    kopf, *zeilen = csv.splitlines()
    assert kopf.startswith("indikator;ziel;name;stufe;standort;gruppe;wert")
    assert {zeile.split(";")[1] for zeile in zeilen} == {"b"}
    assert {zeile.split(";")[4] for zeile in zeilen} == {"gesamt", "D_BERLIN"}
    assert berichtseite.dateiname(filter_, "xlsx", date(2026, 11, 27)) == (
        "wirkungsbericht_2025-Q3_bis_2026-Q2_2026-11-27.xlsx"
    )


# -- Datenqualität ----------------------------------------------------------------------------
def test_datenqualitaet_unterscheidet_unterdrueckt_und_leer() -> None:
    tabelle = pd.DataFrame(
        {
            "befund": ["t1_ohne_t0", "t1_ohne_t0", "mehrere_standorte"],
            "standort": ["gesamt", "KOELN", "KOELN"],
            "anzahl": [12.0, np.nan, np.nan],
            "anteil_ziel_a": [96.04, np.nan, 50.0],
            "unterdrueckt": [False, True, False],
        }
    )

    anzeige = qualitaetseite.anzeige(tabelle, {"KOELN": "Begegnungshaus (Köln)"})

    assert list(anzeige.columns) == ["Prüfung", "Standort", "Anzahl", "Ziel a beantwortet (%)"]
    assert list(anzeige["Standort"]) == ["Gesamt", "Begegnungshaus (Köln)", "Begegnungshaus (Köln)"]
    assert list(anzeige["Prüfung"]) == [
        "T1-Fragebogen ohne T0",
        "T1-Fragebogen ohne T0",
        "Code an mehreren Standorten",
    ]
    assert list(anzeige["Anzahl"]) == ["12", UNTERDRUECKT, "–"]  # hidden ≠ empty ≠ 0
    assert list(anzeige["Ziel a beantwortet (%)"]) == ["96,0", UNTERDRUECKT, "50,0"]


def test_bericht_vorschau_eines_standorts_mit_dessen_zielen(db_datei: Path) -> None:
    """One site chosen: the preview judges by that site's targets (before: all "keine Daten")."""
    app = _seite(_starten(), "bericht")
    # The sidebar's site filter (the page has no filters of its own: one set per screen).
    assert all(m.label != "Standorte" for m in app.main.multiselect)
    assert not app.main.select_slider
    app.multiselect(key="f_standorte").set_value(["D_BERLIN"]).run()
    _ohne_fehler(app)
    vorschau = app.dataframe[0].value
    with _datenbank(db_datei) as db:
        t = berechne(db, Filter(("D_BERLIN",))).indikatoren
    berlin = t[(t["standort"] == "D_BERLIN") & (t["gruppe"] == "gesamt")].set_index("indikator")
    mit_ziel = berlin[berlin["zielwert"].notna()]
    assert len(mit_ziel)
    # shown with its symbol first (status is not colour alone): "↗ auf Kurs"
    status = {
        i: s.split(" ", 1)[1] for i, s in zip(vorschau["ID"], vorschau["Status"], strict=True)
    }
    for indikator, zeile in mit_ziel.iterrows():
        assert status[indikator] == zeile["status"]
    assert set(status[i] for i in mit_ziel.index) != {"keine Daten"}
    assert any("Zielstand bewertet zum" in c.value for c in app.caption)


def test_zielwert_gegen_richtung_nur_mit_bestaetigung(db_datei: Path) -> None:
    """A target below the baseline of a "higher is better" indicator is refused with the German
    reason; ticked "Gegen Richtung bestätigt", it is saved and stays marked in the editor."""
    app = _seite(_starten(), "zielwerte")
    app.selectbox(key="zw_standort").set_value("D_ERFURT").run()
    zeile = list(app.data_editor[0].value["ID"]).index("C6")
    eingabe = {"Basiswert": "20", "Zielwert": "12", "Stichtag": "2027-03-31"}
    vorher = _ziel(db_datei, "C6", "D_ERFURT")

    _bearbeiten(app, {zeile: eingabe})
    assert any(
        e.startswith("Nicht gespeichert – 1 Eingabe ist ungültig") for e in _texte(app.error)
    )
    gruende = next(t.value for t in app.dataframe if t.editing_mode == "read_only")
    assert gruende["Grund"].iloc[0].startswith("Zielwert 12 liegt unter dem Basiswert 20")
    assert _ziel(db_datei, "C6", "D_ERFURT") == vorher

    app = _seite(_starten(), "zielwerte")
    app.selectbox(key="zw_standort").set_value("D_ERFURT").run()
    _bearbeiten(app, {zeile: {**eingabe, "Gegen Richtung bestätigt": True}})
    assert any("Zielwerte für D_ERFURT gespeichert" in s for s in _texte(app.success))
    assert _ziel(db_datei, "C6", "D_ERFURT")[:2] == (20.0, 12.0)  # type: ignore[index]
    assert bool(app.data_editor[0].value["Gegen Richtung bestätigt"].iloc[zeile])


def test_doppelte_fragebogen_entscheidung_auf_der_importseite(db_datei: Path) -> None:
    """Default: the later questionnaire wins and the report names the other; the switch
    "Doppelte Fragebögen ablehnen" makes the pre-check refuse with cause and fix."""
    doppelt = (
        b"code;standort;welle;datum;migrationshintergrund\n"
        b"abcd01;D_BERLIN;T0;2026-03-01;ja\n"
        b"abcd01;D_BERLIN;T0;2026-03-02;nein\n"
    )
    app = _seite(_starten(), "datenimport")
    app.file_uploader[0].set_value(("doppelt.csv", doppelt, "text/csv")).run()
    _ohne_fehler(app)
    assert not _texte(app.error)
    assert any("1 doppelter Fragebogen" in w and "Zeile 2" in w for w in _texte(app.warning))
    assert not _knopf(app, "Importieren").disabled

    app.checkbox(key="import_doppelte_ablehnen").check().run()
    _ohne_fehler(app)
    (meldung,) = _texte(app.error)
    assert meldung.startswith("Nicht übernommen: 1 Zeile wiederholt einen Fragebogen")
    assert _knopf(app, "Importieren").disabled


def test_links_und_qr_codes_auf_der_importseite(db_datei: Path) -> None:
    app = _seite(_starten(), "datenimport")
    assert "Links, QR-Codes und Druckfassungen (ZIP)" not in [
        k.label for k in app.get("download_button")
    ]
    app.text_input(key="link_kobo").input("keine adresse").run()
    _ohne_fehler(app)
    assert any("keine Internetadresse" in e for e in _texte(app.error))
    app.text_input(key="link_kobo").input("https://ee.kobotoolbox.org/x/AbCd1234").run()
    _ohne_fehler(app)
    assert "Links, QR-Codes und Druckfassungen (ZIP)" in [
        k.label for k in app.get("download_button")
    ]
    with _datenbank(db_datei) as db:
        standorte = sorted(zeile[0] for zeile in db.rows("SELECT standort FROM standorte"))
    inhalt = importseite.links_zip(standorte, "https://ee.kobotoolbox.org/x/AbCd1234", None)
    with zipfile.ZipFile(io.BytesIO(inhalt)) as archiv:
        namen = set(archiv.namelist())
        links = archiv.read("links.csv").decode("utf-8-sig").splitlines()
    assert len(links) == 1 + 3 * len(standorte)
    assert {f"qr_{standorte[0]}_T0_kobo.png", f"links_{standorte[0]}.html"} <= namen


def test_datenqualitaet_p_wert_nie_null() -> None:
    """The attrition table's Fisher p: "< 0,001" instead of "0,000", hidden stays hidden."""
    tabelle = pd.DataFrame(
        {
            "standort": ["gesamt", "KOELN", "BONN"],
            "p_wert": [3e-9, 0.0314, np.nan],
            "unterdrueckt": [False, False, True],
        }
    )
    angezeigt = qualitaetseite.anzeige(tabelle, {})
    assert list(angezeigt["p (Fisher)"]) == ["< 0,001", "0,031", UNTERDRUECKT]

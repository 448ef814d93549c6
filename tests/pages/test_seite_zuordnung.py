"""Survey-tool exports on the Datenimport page, and near-duplicate codes on Datenqualität.

The exports are written by :mod:`umfrage_exporte` from the codebook as each tool writes them
(headers, bookkeeping and personal-data columns, label texts), then changed the way a site
changes its form: a reworded question, an answer label of its own, an extra free-text question.
The real ``dashboard.py`` runs in AppTest on a DuckDB file in tmp_path that holds the two sites
of the exports (so no demo data is loaded); as that is real data, each test logs in as admin
through the real login form (issue 7).
"""

from __future__ import annotations

import io
import re
import sys
from datetime import date
from pathlib import Path

from hilfen_anmeldung import anmelden, konto
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from test_seiten_daten import DASHBOARD, _datenbank, _knopf, _metriken, _seite, _starten, _texte

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "monitor" / "umfragen"))

from umfrage_exporte import (
    FELD,
    PII_MARKE,
    STANDORTE_CSV,
    Zeile,
    antworten,
    google_forms_csv,
    google_koepfe,
    limesurvey_csv,
    ms_forms_xlsx,
    vorlage_csv,
)

from monitor.db import verbinden
from monitor.einlesen import lies_bytes
from monitor.importieren import importiere
from monitor.umfragen.erkennung import Werkzeug
from monitor.umfragen.fragebogen_aus import DATEINAMEN
from monitor.umfragen.profile import lade_profil
from monitor.umfragen.zuordnung import Profil, schlage_vor_datei
from ui import importseite, zuordnungsseite

UMFORMULIERT = (
    "9. Wie oft hatten Sie in den letzten vier Wochen Kontakt mit Menschen der anderen Gruppe?"
)
BEMERKUNG = "Möchten Sie uns noch etwas mitteilen?"


def _google(zeilen: list[Zeile]) -> bytes:
    """Google Forms export whose site reworded one question and wrote "Mann" for "Männlich"."""
    text = google_forms_csv(zeilen).decode("utf-8")
    text = text.replace(google_koepfe()["a_kontakt_haeufigkeit"], UMFORMULIERT, 1)
    return text.replace(",Männlich,", ",Mann,").encode("utf-8")


def _ms_forms(zeilen: list[Zeile], welle: str) -> bytes:
    """Microsoft Forms export (one form per wave, no wave question) plus a free-text question."""
    mappe = load_workbook(io.BytesIO(ms_forms_xlsx(zeilen, welle)))
    blatt = mappe.active
    assert blatt is not None
    spalte = blatt.max_column + 1
    blatt.cell(1, spalte, BEMERKUNG)
    for zeile in range(2, blatt.max_row + 1):
        blatt.cell(zeile, spalte, "alles gut")
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def _starten_mit_standorten(db_datei: Path) -> AppTest:
    with verbinden(db_datei) as db:
        importiere(db, STANDORTE_CSV.encode("utf-8"), "standorte.csv")
    return _seite(_starten(db_datei), "datenimport")


def _hochladen(app: AppTest, name: str, inhalt: bytes) -> None:
    app.file_uploader[0].set_value((name, inhalt, importseite.MIME_CSV)).run()
    assert not app.exception, [e.value for e in app.exception]


def _zeile(app: AppTest, anfang: str) -> int:
    tabelle = app.data_editor[0].value
    treffer = [i for i, s in enumerate(tabelle[zuordnungsseite.SPALTE]) if s.startswith(anfang)]
    assert len(treffer) == 1, list(tabelle[zuordnungsseite.SPALTE])
    return treffer[0]


def _waehlen(app: AppTest, aenderungen: dict[int, str]) -> None:
    """Choose variables in the mapping table as a user would (the editor's edit state)."""
    editor = app.data_editor[0]
    app.session_state[editor.key] = {
        "edited_rows": {z: {zuordnungsseite.VARIABLE: v} for z, v in aenderungen.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception, [e.value for e in app.exception]


def _auswahl(app: AppTest, beschriftung: str) -> object:
    return next(s for s in app.selectbox if s.label.startswith(beschriftung))


def _befragungen(db_datei: Path) -> list[tuple[object, ...]]:
    with _datenbank(db_datei) as db:
        return db.rows("SELECT code, standort, welle, geschlecht FROM befragungen ORDER BY ALL")


def _ohne_pii(db_datei: Path) -> None:
    """Personal data of the exports are nowhere in the database file (not even in a profile)."""
    _datenbank(db_datei).close()  # releases the app's connection: the file is complete on disk
    inhalt = db_datei.read_bytes()
    assert b"Begegnungshaus" in inhalt  # stored text is readable in the file: the check bites
    assert PII_MARKE.encode() not in inhalt
    assert PII_MARKE.capitalize().encode() not in inhalt


def test_google_export_zuordnen_speichern_und_naechsten_export_in_einem_schritt(
    db_datei: Path,
) -> None:
    zeilen = antworten()
    app = _starten_mit_standorten(db_datei)
    assert _metriken(_seite(app, "uebersicht"))["Fragebögen"] == "0"
    _seite(app, "datenimport")

    _hochladen(app, "google.csv", _google(zeilen))

    assert "Zuordnung: google.csv" in _texte(app.subheader)
    tabelle = app.data_editor[0].value
    zeile = _zeile(app, "9. wie oft hatten sie")
    assert tabelle[zuordnungsseite.STATUS][zeile].startswith("⚠ unbekannt")
    assert tabelle[zuordnungsseite.KANDIDATEN][zeile].startswith("a_kontakt_haeufigkeit (")
    assert tabelle[zuordnungsseite.STATUS][_zeile(app, "6. geschlecht")] == (
        "✓ automatisch erkannt"
    )
    assert any("Personenbezogen" in c and "e-mail-adresse" in c for c in _texte(app.caption))
    bericht = " ".join(_texte(app.error))
    assert "wird nicht übernommen (keine Zeile)" in bericht
    assert "Nächste Kandidaten: a\\_kontakt\\_haeufigkeit" in bericht
    assert "Antwort 'Mann' (" in bericht
    assert _knopf(app, "Importieren").disabled
    assert _knopf(app, "Zuordnung speichern").disabled

    _waehlen(app, {zeile: "a_kontakt_haeufigkeit"})
    assert app.data_editor[0].value[zuordnungsseite.STATUS][zeile] == "✓ von Hand gewählt"
    assert _knopf(app, "Importieren").disabled  # "Mann" is still open
    _auswahl(app, "geschlecht: „Mann“").set_value("maennlich").run()  # type: ignore[attr-defined]
    assert not app.error
    assert any(
        s.startswith(f"{len(zeilen)} Datenzeilen, keine Fehler") for s in _texte(app.success)
    )

    _knopf(app, "Zuordnung speichern").click().run()  # type: ignore[attr-defined]
    assert any("„PROJEKT_googleforms“ gespeichert" in s for s in _texte(app.success))
    assert _auswahl(app, "Gespeichertes Zuordnungsprofil").value == "PROJEKT_googleforms"
    assert set(app.data_editor[0].value[zuordnungsseite.STATUS]) == {"✓ laut Profil"}
    _knopf(app, "Importieren").click().run()  # type: ignore[attr-defined]
    meldung = " ".join(_texte(app.success))
    assert f"'google.csv' (Befragung): {len(zeilen)} Zeilen importiert" in meldung
    assert "(Zuordnungsprofil 'PROJEKT_googleforms')" in meldung

    gespeichert = _befragungen(db_datei)
    assert len(gespeichert) == len(zeilen)
    assert sum(1 for z in zeilen if z.get("geschlecht") == "maennlich") == sum(
        1 for z in gespeichert if z[3] == "maennlich"
    )
    assert ("mue00ko", "KOELN", "T0") in {z[:3] for z in gespeichert}  # "mü00ko" normalised
    with _datenbank(db_datei) as db:
        profil = lade_profil(db, "PROJEKT_googleforms")
    assert profil.werkzeug is Werkzeug.GOOGLEFORMS
    assert profil.werte["geschlecht"] == {"Mann": "maennlich"}
    assert _metriken(_seite(app, "uebersicht"))["Fragebögen"] == str(len(zeilen))

    # next month: a new export of the same form – the saved profile is chosen, one click
    naechste = [dict(z, code=f"{z['code']}n") for z in zeilen if z["welle"] == "T0"]
    _seite(app, "datenimport")
    _hochladen(app, "google_april.csv", _google(naechste))
    assert _auswahl(app, "Gespeichertes Zuordnungsprofil").value == "PROJEKT_googleforms"
    assert not app.error and not _knopf(app, "Importieren").disabled
    _knopf(app, "Importieren").click().run()  # type: ignore[attr-defined]
    assert any(f"{len(naechste)} Zeilen importiert" in s for s in _texte(app.success))
    assert len(_befragungen(db_datei)) == len(zeilen) + len(naechste)
    _ohne_pii(db_datei)


def test_ms_forms_export_mit_fester_welle_und_ausgelassener_spalte(db_datei: Path) -> None:
    koeln = [z for z in antworten() if z["standort"] == "KOELN"]
    app = _starten_mit_standorten(db_datei)

    _hochladen(app, "Befragung T1.xlsx", _ms_forms(koeln, "T1"))

    assert "Microsoft Forms" in " ".join(_texte(app.caption))
    bemerkung = _zeile(app, BEMERKUNG.lower())
    assert app.data_editor[0].value[zuordnungsseite.STATUS][bemerkung].startswith("⚠ unbekannt")
    weggelassen = next(c for c in _texte(app.caption) if "Personenbezogen" in c)
    assert "e-mail" in weggelassen and "name" in weggelassen
    assert "welle: keine Spalte gefunden" in " ".join(_texte(app.error))
    assert _knopf(app, "Importieren").disabled

    _auswahl(app, "Welle").set_value("T1").run()  # type: ignore[attr-defined]
    _waehlen(app, {bemerkung: zuordnungsseite.NICHT_UEBERNEHMEN})
    assert app.data_editor[0].value[zuordnungsseite.STATUS][bemerkung] == "– nicht übernommen"
    assert not app.error
    assert app.text_input[0].value == "KOELN_msforms_T1"
    app.text_input[0].input("Köln Forms T1").run()
    _knopf(app, "Zuordnung speichern").click().run()  # type: ignore[attr-defined]
    assert any("„Köln Forms T1“ gespeichert" in s for s in _texte(app.success))
    _knopf(app, "Importieren").click().run()  # type: ignore[attr-defined]

    meldung = " ".join(_texte(app.success))
    t1 = [z for z in koeln if z["welle"] == "T1"]
    assert f"{len(t1)} Zeilen importiert" in meldung
    assert "'welle' für alle Zeilen auf den festen Wert 'T1' gesetzt" in meldung
    assert {(z[1], z[2]) for z in _befragungen(db_datei)} == {("KOELN", "T1")}
    with _datenbank(db_datei) as db:
        profil = lade_profil(db, "Köln Forms T1")
    assert (profil.standort, profil.konstanten) == ("KOELN", {"welle": "T1"})
    assert profil.spalten[BEMERKUNG.lower()] == ""  # left out, next time too
    _ohne_pii(db_datei)


def test_gleicher_export_zweimal_und_vorlage_im_selben_stapel(db_datei: Path) -> None:
    zeilen = antworten()
    export = google_forms_csv(zeilen)  # the codebook's wording: mapped without a question
    app = _starten_mit_standorten(db_datei)

    app.file_uploader[0].set_value(
        [
            ("google.csv", export, importseite.MIME_CSV),
            ("google (1).csv", export, importseite.MIME_CSV),
            ("vorlage.csv", vorlage_csv(zeilen[:3]), importseite.MIME_CSV),
        ]
    ).run()

    assert not app.exception, [e.value for e in app.exception]
    assert [t for t in _texte(app.subheader) if t.startswith("Zuordnung")] == [
        "Zuordnung: google.csv"  # once per content; our own template needs none
    ]
    assert any(s.startswith("Alle 44 Spalten eindeutig zugeordnet") for s in _texte(app.success))
    _knopf(app, "Importieren").click().run()  # type: ignore[attr-defined]
    meldung = " ".join(_texte(app.success))
    assert f"'google.csv' (Befragung): {len(zeilen)} Zeilen importiert" in meldung
    assert "'google (1).csv' wurde bereits importiert" in meldung
    assert len(_befragungen(db_datei)) == len(zeilen)  # the template's rows are among them


def test_profil_nur_vorgewaehlt_wenn_genau_eines_passt() -> None:
    koeln = [z for z in antworten() if z["standort"] == "KOELN"]
    export = _ms_forms(koeln, "T0")
    vorschlag = schlage_vor_datei(export, "t0.xlsx")
    assert zuordnungsseite.standort_der_datei(vorschlag, lies_bytes(export, "t0.xlsx")) == "KOELN"
    passend = vorschlag.als_profil("KOELN_T0", "KOELN")
    passend.spalten[BEMERKUNG.lower()] = ""
    anderes_formular = Profil("KOELN_T1", Werkzeug.MSFORMS, spalten={"geschlecht": "geschlecht"})

    assert zuordnungsseite.passendes_profil([anderes_formular, passend], vorschlag) == "KOELN_T0"
    zwilling = Profil("BERLIN_T0", Werkzeug.MSFORMS, spalten=dict(passend.spalten))
    assert zuordnungsseite.passendes_profil([passend, zwilling], vorschlag) is None  # which site?


def test_frageboegen_zum_herunterladen(db_datei: Path) -> None:
    app = _starten_mit_standorten(db_datei)

    knoepfe = [k.label for k in app.get("download_button")]
    assert len(knoepfe) == 8 + 6  # templates (XLSX, CSV per kind) and the six questionnaires
    assert knoepfe[8:] == [
        "XLSForm",
        "Fragebogen (.txt)",
        "Spaltenliste (.csv)",
        "T0 (HTML)",
        "T1 (HTML)",
        "T2 (HTML)",
    ]
    assert "KoboToolbox / ODK" in [m.value.strip("*") for m in app.markdown]
    inhalte = importseite.frageboegen()
    assert set(inhalte) == set(DATEINAMEN.values())
    t1 = inhalte[importseite.fragebogen_dateiname("T1")].decode("utf-8")
    assert "<h1>Fragebogen – T1" in t1 and FELD["zufriedenheit"].frage in t1
    assert load_workbook(
        io.BytesIO(inhalte[importseite.fragebogen_dateiname("xlsform")])
    ).sheetnames[:2] == ["survey", "choices"]


def test_aehnliche_codes_auf_der_qualitaetsseite(db_datei: Path) -> None:
    befragung = (
        "code;standort;welle;datum;migrationshintergrund\n"
        "mue07be;KOELN;T0;2025-03-01;ja\n"
        "mue07bf;KOELN;T1;2025-06-01;\n"  # one letter off: probably the same person
        "abcd01;BERLIN;T0;2025-03-01;nein\n"
        "xyz999;BERLIN;T0;2025-03-01;ja\n"
    )
    with verbinden(db_datei) as db:
        importiere(db, STANDORTE_CSV.encode("utf-8"), "standorte.csv")
        importiere(db, befragung.encode("utf-8"), "befragung.csv")

    app = _seite(_starten(db_datei), "datenqualitaet")

    assert "Ähnliche Teilnehmenden-Codes" in _texte(app.subheader)
    assert not any("Paare ähnlicher Codes" in t.value.columns for t in app.dataframe)
    app.toggle(key="aehnliche_codes_suchen").set_value(True).run()
    zaehlung = next(t.value for t in app.dataframe if "Paare ähnlicher Codes" in t.value.columns)
    assert zaehlung.to_dict("records") == [
        {"Standort": "Begegnungshaus Köln (Köln)", "Paare ähnlicher Codes": 1}
    ]
    assert any("nur die ihres Standorts" in c for c in _texte(app.caption))
    # the admin sees every site: pseudonyms, never the raw codes (issue 14, 5)
    assert app.expander[-1].label == "Codepaare"
    paare = app.expander[-1].dataframe[0].value
    pseudonyme = paare[["Code 1", "Code 2"]].values.tolist()[0]
    assert all(re.fullmatch(r"P-[0-9A-F]{8}", p) for p in pseudonyme)
    assert pseudonyme[0] != pseudonyme[1]
    assert "mue07be" not in str(app) and "mue07bf" not in str(app)
    with _datenbank(db_datei) as db:  # reported, never merged
        assert db.scalar("SELECT count(DISTINCT code) FROM befragungen") == 4
    # the site coordination of KOELN owns these codes and sees them in plain text
    koeln = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    anmelden(koeln, konto(db_datei, "koeln", "standort", "KOELN"))
    koeln.switch_page("pages/datenqualitaet.py").run()
    koeln.toggle(key="aehnliche_codes_suchen").set_value(True).run()
    assert not koeln.exception
    paare = koeln.expander[-1].dataframe[0].value
    assert paare[["Code 1", "Code 2"]].values.tolist() == [["mue07be", "mue07bf"]]


def test_anonymisierte_limesurvey_umfrage_mit_festem_datum(db_datei: Path) -> None:
    """LimeSurvey writes 01.01.1980 into every timestamp of an anonymised survey: the page
    asks for the date as a fixed value, and the import then goes through."""
    koeln_t0 = [z for z in antworten() if (z["standort"], z["welle"]) == ("KOELN", "T0")]
    app = _starten_mit_standorten(db_datei)
    _hochladen(app, "results-survey123456.csv", limesurvey_csv(koeln_t0, anonymisiert=True))
    datum = next(d for d in app.date_input if d.label.startswith("Datum"))
    assert _knopf(app, "Importieren").disabled
    assert any("01.01.1980" in e for e in _texte(app.error))
    datum.set_value(date(2025, 3, 4)).run()
    assert not app.exception
    _knopf(app, "Importieren").click().run()  # type: ignore[attr-defined]
    assert f"{len(koeln_t0)} Zeilen importiert" in " ".join(_texte(app.success))
    with _datenbank(db_datei) as db:
        assert db.rows("SELECT DISTINCT datum FROM befragungen") == [(date(2025, 3, 4),)]

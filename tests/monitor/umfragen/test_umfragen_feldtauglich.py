"""Real exports as they are downloaded: duplicate submissions, unfinished responses, the
tools' timestamps, UTF-16, numbers where choice names were, anonymised LimeSurvey dates.

Every export is built as the tool writes it (:mod:`umfrage_exporte`; formats from the tools'
documentation and source, e.g. formpack's ``try_get_number``). Each test imports the export and
the answers that should survive in our own CSV template, and demands identical rows and
indicators – and a decision that is named in the report and counted in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from umfrage_exporte import (
    FELDER,
    Zeile,
    google_forms_csv,
    indikatoren,
    kobo_xlsx,
    limesurvey_csv,
    ms_forms_xlsx,
    sosci_csv,
    sosci_profil,
    vorlage_csv,
)

from monitor.db import Datenbank
from monitor.importieren import ImportAbgelehnt, Importergebnis, importiere, pruefe_datei
from monitor.pruefung import DOPPELTE_ABLEHNEN, Importoptionen
from monitor.umfragen.erkennung import Werkzeug
from monitor.umfragen.zuordnung import OFFEN, Profil, ZuordnungsFehler, schlage_vor_datei
from tests.monitor.test_cli import monitor  # the CLI as a real subprocess

Oeffnen = Callable[[str], Datenbank]
_SPALTEN = ", ".join(f.name for f in FELDER)


def _befragungen(db: Datenbank) -> pd.DataFrame:
    return db.query(f"SELECT {_SPALTEN} FROM befragungen ORDER BY standort, code, welle")


def _wie_vorlage(db: Datenbank, neue_db: Oeffnen, erwartet: list[Zeile]) -> None:
    """The stored rows and indicators equal those of ``erwartet`` entered in our template."""
    vorlage = neue_db("vorlage")
    importiere(vorlage, vorlage_csv(erwartet), "vorlage.csv")
    assert len(_befragungen(db)) == len(erwartet)
    pd.testing.assert_frame_equal(_befragungen(db), _befragungen(vorlage))
    pd.testing.assert_frame_equal(indikatoren(db), indikatoren(vorlage))


def _entscheidungen(db: Datenbank) -> dict[str, int]:
    details = db.scalar(
        "SELECT details FROM auditprotokoll WHERE was = 'import' ORDER BY id DESC LIMIT 1"
    )
    return json.loads(details)["dateien"][0]["entscheidungen"]


def _hinweise(ergebnis: Importergebnis) -> str:
    return "\n".join(ergebnis.hinweise)


# -- KoboToolbox --------------------------------------------------------------------------------
def test_kobo_doppelte_einsendung_die_spaetere_gilt(neue_db: Oeffnen, zeilen: list[Zeile]) -> None:
    """A person sends T0 twice (offline device syncing late): the later submission wins even
    though it stands first in the file, the other is listed."""
    spaeter = dict(zeilen[0], a_thermometer="3", zufriedenheit="")
    spaeter = {k: v for k, v in spaeter.items() if v != ""}
    export = [spaeter, *zeilen]
    eingaenge = ["2025-03-09T18:00:00"] + [f"{z['datum']}T09:10:02" for z in zeilen]
    db = neue_db("kobo")
    ergebnis = importiere(db, kobo_xlsx(export, eingaenge), "Wirkungsmonitor.xlsx")
    assert ergebnis.zeilen == len(zeilen)
    assert (
        "1 doppelter Fragebogen (derselbe Standort, Code und dieselbe Welle) nicht übernommen, "
        "jeweils der zuletzt eingereichte gilt (Eingangszeit des Werkzeugs): Zeile 3 (mue00ko, "
        "KOELN, T0) → Zeile 2."
    ) in _hinweise(ergebnis)
    assert _entscheidungen(db) == {"doppelte_verworfen": 1}
    _wie_vorlage(db, neue_db, [spaeter, *zeilen[1:]])


def test_ohne_eingangszeit_gilt_die_dateireihenfolge(neue_db: Oeffnen, zeilen: list[Zeile]) -> None:
    """Our own template has no submission time: the later row of the file is the latest."""
    nochmal = dict(zeilen[5], a_thermometer="97")
    db = neue_db("vorlage_doppelt")
    ergebnis = importiere(db, vorlage_csv([*zeilen, nochmal]), "vorlage.csv")
    assert "(Reihenfolge): Zeile 7 (ma01ko, KOELN, T2) → Zeile 58." in _hinweise(ergebnis)
    _wie_vorlage(db, neue_db, [*zeilen[:5], nochmal, *zeilen[6:]])


def test_kobo_doppelte_ablehnen_nennt_ursache_und_abhilfe(
    neue_db: Oeffnen, zeilen: list[Zeile]
) -> None:
    db = neue_db("kobo_streng")
    export = kobo_xlsx([*zeilen, dict(zeilen[0], a_thermometer="3")])
    streng = Importoptionen(doppelte=DOPPELTE_ABLEHNEN)
    pruefung = pruefe_datei(db, export, "kobo.xlsx", optionen=streng)
    with pytest.raises(ImportAbgelehnt) as abgelehnt:
        importiere(db, export, "kobo.xlsx", optionen=streng)
    bericht = str(abgelehnt.value).splitlines()
    assert bericht[1] == (
        "Nicht übernommen: 1 Zeile wiederholt einen Fragebogen (derselbe Standort, Code und "
        "dieselbe Welle) und die strenge Regel „doppelte ablehnen“ ist gewählt; bitte die "
        "überzähligen Zeilen löschen oder ohne diese Regel importieren (dann gilt der zuletzt "
        "eingereichte Fragebogen)."
    )
    assert pruefung.bericht().splitlines()[1] == bericht[1]
    assert db.scalar("SELECT count(*) FROM befragungen") == 0


def test_kobo_xlsx_mit_zahlen_statt_text(neue_db: Oeffnen, zeilen: list[Zeile]) -> None:
    """Export option "Store date and number responses as text" off: 18_26 arrives as 1826."""
    export = kobo_xlsx(zeilen, typisiert=True)
    alter = sum(z.get("altersgruppe") in ("18_26", "27_49") for z in zeilen)  # both digits
    assert alter >= 6
    db = neue_db("kobo_zahlen")
    ergebnis = importiere(db, export, "Wirkungsmonitor_typisiert.xlsx")
    assert f"{alter} Antworten, die die Tabellenkalkulation zu Zahlen gemacht hatte, " in (
        _hinweise(ergebnis)
    )
    assert "1826 → 18_26" in _hinweise(ergebnis) and "2749 → 27_49" in _hinweise(ergebnis)
    _wie_vorlage(db, neue_db, zeilen)


# -- LimeSurvey ---------------------------------------------------------------------------------
def _unfertige_person() -> Zeile:
    return {"code": "zz99ko", "standort": "KOELN", "welle": "T0", "datum": "2025-03-20"} | {
        "migrationshintergrund": "nein",
        "a_thermometer": "40",
    }


def test_limesurvey_unvollstaendige_antwort_wird_uebersprungen(
    neue_db: Oeffnen, zeilen: list[Zeile]
) -> None:
    """An empty submitdate used to reject the whole file ("datum: Pflichtangabe fehlt")."""
    export = limesurvey_csv([*zeilen, _unfertige_person()], unfertig=frozenset({len(zeilen)}))
    db = neue_db("ls")
    ergebnis = importiere(db, export, "results-survey123456.csv")
    assert (
        f"1 unvollständige Antwort übersprungen (im Werkzeug nicht abgeschlossen; Zeilen "
        f"{len(zeilen) + 2})"
    ) in _hinweise(ergebnis)
    assert _entscheidungen(db) == {"unvollstaendig_uebersprungen": 1}
    _wie_vorlage(db, neue_db, zeilen)


def test_limesurvey_unvollstaendige_auf_wunsch_mit_datum_der_letzten_aktivitaet(
    neue_db: Oeffnen, zeilen: list[Zeile]
) -> None:
    export = limesurvey_csv([*zeilen, _unfertige_person()], unfertig=frozenset({len(zeilen)}))
    db = neue_db("ls_alle")
    ergebnis = importiere(
        db, export, "results.csv", optionen=Importoptionen(unvollstaendige_aufnehmen=True)
    )
    hinweise = _hinweise(ergebnis)
    assert "1 unvollständige Antwort (im Werkzeug nicht abgeschlossen) auf Wunsch übernommen" in (
        hinweise
    )
    assert "1 Zeilen ohne Angabe in 'submitdate': Datum aus 'datestamp' übernommen" in hinweise
    assert _entscheidungen(db) == {"unvollstaendig_aufgenommen": 1}
    _wie_vorlage(db, neue_db, [*zeilen, _unfertige_person()])


def test_limesurvey_anonymisiert_1980_mit_ursache_und_abhilfe(
    neue_db: Oeffnen, zeilen: list[Zeile]
) -> None:
    koeln_t0 = [
        dict(z, datum="2025-03-01")
        for z in zeilen
        if (z["standort"], z["welle"]) == ("KOELN", "T0")
    ]
    export = limesurvey_csv(koeln_t0, anonymisiert=True)
    db = neue_db("ls_anonym")
    with pytest.raises(ZuordnungsFehler) as fehler:
        importiere(db, export, "results-anonym.csv")
    text = str(fehler.value)
    assert "Alle Zeitstempel stehen auf dem 01.01.1980" in text
    assert "anonymisierten Antworten" in text and '"konstanten": {"datum"' in text
    assert db.scalar("SELECT count(*) FROM befragungen") == 0

    profil = Profil("ls_anonym", Werkzeug.LIMESURVEY, konstanten={"datum": "01.03.2025"})
    importiere(db, export, "results-anonym.csv", zuordnung=profil)
    _wie_vorlage(db, neue_db, koeln_t0)


# -- Google Forms, Microsoft Forms, SoSci -------------------------------------------------------
def test_google_forms_download_mit_am_pm_zeitstempel(neue_db: Oeffnen, zeilen: list[Zeile]) -> None:
    """CSV straight from Google Forms, no date question: 'Timestamp' like
    '2025/03/01 1:00:07 PM GMT+1' is the survey date (it used to be rejected)."""
    db = neue_db("google_forms")
    ergebnis = importiere(db, google_forms_csv(zeilen, aus_forms=True), "Formular.csv")
    assert "Datum der Befragung aus der Spalte 'timestamp'" in _hinweise(ergebnis)
    _wie_vorlage(db, neue_db, zeilen)


def test_ms_forms_doppelte_nach_fertigstellungszeit(neue_db: Oeffnen, zeilen: list[Zeile]) -> None:
    t1 = [z for z in zeilen if z["welle"] == "T1"]
    korrektur = dict(t1[2], a_thermometer="1", datum="2025-09-30")  # date from the time
    zeiten = [dt.datetime(2025, 9, 30, 16, 45, 12)] + [
        dt.datetime.fromisoformat(f"{z['datum']} 10:07:45") for z in t1
    ]
    db = neue_db("ms_doppelt")
    profil = Profil("ms_T1", Werkzeug.MSFORMS, konstanten={"welle": "T1"})
    export = ms_forms_xlsx([korrektur, *t1], "T1", fertig=zeiten)
    ergebnis = importiere(db, export, "Befragung T1.xlsx", zuordnung=profil)
    assert "Zeile 5 (" in _hinweise(ergebnis) and "→ Zeile 2" in _hinweise(ergebnis)
    _wie_vorlage(db, neue_db, [korrektur, *t1[:2], *t1[3:]])


def test_sosci_utf16_mit_abgebrochener_antwort(neue_db: Oeffnen, zeilen: list[Zeile]) -> None:
    """SoSci's UTF-16 download used to be "keine Text-Tabelle"; FINISHED = 0 is skipped."""
    export = sosci_csv(
        [*zeilen, _unfertige_person()], kodierung="utf-16", unfertig=frozenset({len(zeilen)})
    )
    assert export.startswith(b"\xff\xfe")
    db = neue_db("sosci16")
    ergebnis = importiere(db, export, "data_wirkung.csv", zuordnung=sosci_profil())
    assert "1 unvollständige Antwort übersprungen" in _hinweise(ergebnis)
    _wie_vorlage(db, neue_db, zeilen)


# -- SoSci: variable labels and the profile skeleton --------------------------------------------
def test_sosci_mit_variablenbeschriftung_wird_ueber_die_beschriftung_zugeordnet(
    neue_db: Oeffnen, zeilen: list[Zeile], tmp_path: Path
) -> None:
    """With the labels row, every question column is mapped by its label (A104_01 says
    nothing); the skeleton then proposes REF → standort, QUESTNNR → welle and answers 1 … n,
    and the confirmed skeleton imports the export unchanged."""
    export = sosci_csv(zeilen, kodierung="utf-16", beschriftungen=True, standort_aus_ref=True)
    datei = tmp_path / "data_wirkung.csv"
    datei.write_bytes(export)
    vorschlag = schlage_vor_datei(datei)
    assert vorschlag.werkzeug is Werkzeug.SOSCI
    assert not vorschlag.probleme  # every column decided …
    assert len(vorschlag.zuordnung) == 42 and vorschlag.zuordnung["a_kontakt_qualitaet_2"] == (
        "a109_02"
    )
    assert [v for v, _ in vorschlag.fehlend] == ["standort", "welle"]  # … site/wave from meta

    db = neue_db("sosci_label")
    skelett = tmp_path / "sosci.json"
    lauf = monitor("zuordnung", datei, "--json", skelett, db=tmp_path / "ohne.duckdb")
    assert "Vorgeschlagen (bitte prüfen): ref → standort, questnnr → welle" in lauf.stdout
    profil = json.loads(skelett.read_text("utf-8"))
    assert profil["spalten"]["ref"] == "standort" and profil["spalten"]["questnnr"] == "welle"
    assert profil["werte"]["welle"] == {"wirkung_t0": "T0", "wirkung_t1": "T1", "wirkung_t2": "T2"}
    assert profil["werte"]["standort"] == {"BERLIN": "BERLIN", "KOELN": "KOELN"}
    assert profil["werte"]["migrationshintergrund"] == {"1": "ja", "2": "nein", "3": "keine_angabe"}
    assert OFFEN not in profil["spalten"].values()

    ergebnis = importiere(db, export, datei.name, zuordnung=Profil.aus_json(skelett.read_text()))
    assert ergebnis.zeilen == len(zeilen)
    _wie_vorlage(db, neue_db, zeilen)


def test_sosci_ohne_beschriftung_skelett_mit_vorschlaegen(
    zeilen: list[Zeile], tmp_path: Path
) -> None:
    datei = tmp_path / "data.csv"
    datei.write_bytes(sosci_csv(zeilen, standort_aus_ref=True))
    skelett = tmp_path / "skelett.json"
    lauf = monitor("zuordnung", datei, "--json", skelett, db=tmp_path / "keine.duckdb")
    assert lauf.returncode == 1  # not decided yet
    profil = json.loads(skelett.read_text("utf-8"))
    assert profil["spalten"]["ref"] == "standort" and profil["spalten"]["questnnr"] == "welle"
    assert list(profil["spalten"].values()).count(OFFEN) == 42  # the SoSci names themselves

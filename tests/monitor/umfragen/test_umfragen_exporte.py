"""Each tool's export gives exactly the rows and indicators of the same answers in our template.

The exports are written by the tests as the tools write them (see :mod:`umfrage_exporte`):
headers, bookkeeping columns, label texts, date formats, encodings.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from umfrage_exporte import (
    FELDER,
    PII_MARKE,
    Zeile,
    google_forms_csv,
    indikatoren,
    kobo_csv_labels,
    kobo_xlsx,
    limesurvey_csv,
    limesurvey_xlsx_volltext,
    ms_forms_xlsx,
    sosci_csv,
    sosci_profil,
    vorlage_csv,
)

from monitor.db import Datenbank
from monitor.importieren import Importergebnis, importiere
from monitor.umfragen.erkennung import Werkzeug
from monitor.umfragen.zuordnung import Profil, ZuordnungAbgelehnt

Oeffnen = Callable[[str], Datenbank]
_SPALTEN = ", ".join(f.name for f in FELDER)


def befragungen(db: Datenbank) -> pd.DataFrame:
    """Every stored questionnaire, in a fixed order, without import bookkeeping."""
    return db.query(f"SELECT {_SPALTEN} FROM befragungen ORDER BY code, welle")


@pytest.fixture(scope="module")
def referenz(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The answers imported from our own CSV template: rows and indicators."""
    from umfrage_exporte import STANDORTE_CSV, antworten

    from monitor.db import verbinden

    db = verbinden(tmp_path_factory.mktemp("referenz") / "referenz.duckdb")
    try:
        importiere(db, STANDORTE_CSV.encode("utf-8"), "standorte.csv")
        importiere(db, vorlage_csv(antworten()), "vorlage.csv")
        return befragungen(db), indikatoren(db)
    finally:
        db.close()


def _gleich(db: Datenbank, referenz: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    zeilen, werte = referenz
    pd.testing.assert_frame_equal(befragungen(db), zeilen)
    ist = indikatoren(db)
    pd.testing.assert_frame_equal(ist, werte)
    # enough unsuppressed values to compare (shares with 1–4 "yes" or "no" are hidden too)
    assert ist["wert"].notna().sum() >= 20
    assert ist["n"].max() >= 24


def test_referenz_ist_vollstaendig(referenz, zeilen: list[Zeile]) -> None:
    rows, _ = referenz
    assert len(rows) == len(zeilen) == 56
    assert "mue00ko" in set(rows["code"])  # 'mü00ko' in the template, normalised


def test_google_forms_csv(neue_db: Oeffnen, zeilen: list[Zeile], referenz) -> None:
    db = neue_db("google")
    ergebnis = importiere(db, google_forms_csv(zeilen), "Wirkungsmonitor (Antworten).csv")
    hinweise = "\n".join(ergebnis.hinweise)
    assert "Google Forms erkannt" in hinweise
    assert "Datum der Befragung aus der Spalte 'zeitstempel'" in hinweise
    assert "'e-mail-adresse' enthält personenbezogene Daten" in hinweise
    assert "Codes vereinheitlicht" in hinweise and "ohne Leerzeichen" in hinweise
    _gleich(db, referenz)


def test_microsoft_forms_je_welle_mit_festem_wert(
    neue_db: Oeffnen, zeilen: list[Zeile], referenz
) -> None:
    db = neue_db("msforms")
    t0 = ms_forms_xlsx(zeilen, "T0")
    with pytest.raises(ZuordnungAbgelehnt) as abgelehnt:  # no wave question, no profile
        importiere(db, t0, "Befragung T0.xlsx")
    assert [v for v, _ in abgelehnt.value.vorschlag.fehlend] == ["welle"]
    assert "welle: keine Spalte gefunden" in str(abgelehnt.value)
    assert db.scalar("SELECT count(*) FROM befragungen") == 0

    ergebnisse: list[Importergebnis] = []
    for welle in ("T0", "T1", "T2"):
        profil = Profil(f"ms_{welle}", Werkzeug.MSFORMS, konstanten={"welle": welle})
        ergebnisse.append(
            importiere(
                db, ms_forms_xlsx(zeilen, welle), f"Befragung {welle}.xlsx", zuordnung=profil
            )
        )
    hinweise = "\n".join(ergebnisse[1].hinweise)
    assert "Microsoft Forms erkannt" in hinweise
    assert "'welle' für alle Zeilen auf den festen Wert 'T1' gesetzt" in hinweise
    assert "'name' enthält personenbezogene Daten" in hinweise
    assert "'e-mail' enthält personenbezogene Daten" in hinweise
    _gleich(db, referenz)


def test_kobo_xlsx_xml_namen_mit_gruppen(neue_db: Oeffnen, zeilen: list[Zeile], referenz) -> None:
    db = neue_db("kobo")
    ergebnis = importiere(db, kobo_xlsx(zeilen), "Wirkungsmonitor_-_all_versions.xlsx")
    hinweise = "\n".join(ergebnis.hinweise)
    assert "KoboToolbox / ODK erkannt" in hinweise
    assert "_uuid" in hinweise and "Verwaltungsspalten" in hinweise
    _gleich(db, referenz)


def test_kobo_csv_labels_und_bindestrich(neue_db: Oeffnen, zeilen: list[Zeile], referenz) -> None:
    db = neue_db("kobo_csv")
    importiere(db, kobo_csv_labels(zeilen), "Wirkungsmonitor_labels.csv")
    _gleich(db, referenz)


def test_limesurvey_csv_codes(neue_db: Oeffnen, zeilen: list[Zeile], referenz) -> None:
    db = neue_db("limesurvey")
    ergebnis = importiere(db, limesurvey_csv(zeilen), "results-survey123456.csv")
    assert any("LimeSurvey erkannt" in h for h in ergebnis.hinweise)
    assert any("'submitdate'" in h for h in ergebnis.hinweise)
    _gleich(db, referenz)


def test_limesurvey_xlsx_volltext(neue_db: Oeffnen, zeilen: list[Zeile], referenz) -> None:
    db = neue_db("limesurvey_xlsx")
    ergebnis = importiere(db, limesurvey_xlsx_volltext(zeilen), "results-survey123456.xlsx")
    assert any("„keine Antwort“" in h for h in ergebnis.hinweise)
    _gleich(db, referenz)


def test_sosci_mit_variablenzuordnung(neue_db: Oeffnen, zeilen: list[Zeile], referenz) -> None:
    db = neue_db("sosci")
    export = sosci_csv(zeilen)
    with pytest.raises(ZuordnungAbgelehnt) as abgelehnt:
        importiere(db, export, "data_wirkung_2025.csv")
    vorschlag = abgelehnt.value.vorschlag
    assert vorschlag.werkzeug is Werkzeug.SOSCI
    unbekannt = {s.spalte for s in vorschlag.probleme}
    assert {"a101", "a109_01"} <= unbekannt  # SoSci names say nothing: a mapping is needed
    assert not unbekannt & {"case", "serial", "time001", "time_sum", "started", "questnnr"}

    ergebnis = importiere(db, export, "data_wirkung_2025.csv", zuordnung=sosci_profil())
    assert any("negative Fehlwert-Codes" in h for h in ergebnis.hinweise)
    _gleich(db, referenz)


def test_personenbezogene_spalten_nicht_in_der_datenbankdatei(
    neue_db: Oeffnen, zeilen: list[Zeile]
) -> None:
    db = neue_db("pii")
    importiere(db, google_forms_csv(zeilen), "google.csv")
    for welle in ("T0", "T1", "T2"):
        profil = Profil(f"ms_{welle}", Werkzeug.MSFORMS, konstanten={"welle": welle})
        importiere(db, ms_forms_xlsx(zeilen, welle), f"ms_{welle}.xlsx", zuordnung=profil)
    db.execute("CHECKPOINT")
    pfad = db.pfad
    db.close()
    inhalt = pfad.read_bytes()
    assert b"Begegnungshaus" in inhalt  # stored text is readable in the file: the check bites
    assert PII_MARKE.encode() not in inhalt
    assert PII_MARKE.capitalize().encode() not in inhalt
    assert b"beispiel.de" not in inhalt
    wal = pfad.with_name(pfad.name + ".wal")
    assert not wal.exists() or PII_MARKE.encode() not in wal.read_bytes()

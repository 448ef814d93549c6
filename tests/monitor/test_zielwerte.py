"""Saving targets edited in the dashboard: import rules, one transaction, logged like an import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import pytest

from monitor import bestand
from monitor.db import Datenbank
from monitor.importieren import importiere
from monitor.zielwerte import (
    ERGEBNIS_BEARBEITET,
    ZielwerteAbgelehnt,
    als_text,
    speichere_zielwerte,
    zielwerte,
)

Inhalt = Callable[[Datenbank], dict[str, list[tuple[object, ...]]]]


def _eingabe(*zeilen: tuple[str, str | None, str | None, str | None]) -> pd.DataFrame:
    return pd.DataFrame(zeilen, columns=["indikator", "basiswert", "zielwert", "stichtag"])


@pytest.fixture
def db_mit_zielen(db_mit_standorten: Datenbank) -> Datenbank:
    """Sites KOELN/BERLIN and two project targets from a real Zielwerte file."""
    importiere(
        db_mit_standorten,
        b"indikator;standort;basiswert;zielwert;stichtag\n"
        b"A3;;70;80;30.06.2027\n"
        b"B3;;;60;31.12.2026\n",
        "zielwerte.csv",
    )
    return db_mit_standorten


def test_speichern_fuegt_hinzu_aendert_und_entfernt_in_einem_schritt(
    db_mit_zielen: Datenbank,
) -> None:
    ergebnis = speichere_zielwerte(
        db_mit_zielen,
        "gesamt",
        _eingabe(("A3", "70", "85,5", "2027-06-30"), ("C6", "8", "15", "30.06.2027")),
    )

    assert (ergebnis.neu, ergebnis.aktualisiert, ergebnis.geloescht) == (1, 1, 1)
    assert str(ergebnis) == (
        "Zielwerte für das ganze Projekt gespeichert: 1 neu, 1 geändert, 1 entfernt."
    )
    gespeichert = zielwerte(db_mit_zielen, "gesamt").set_index("indikator")
    assert list(gespeichert.index) == ["A3", "C6"]
    assert gespeichert.loc["A3", "zielwert"] == 85.5
    assert gespeichert.loc["C6", "basiswert"] == 8.0
    assert gespeichert.loc["C6", "stichtag"].date() == date(2027, 6, 30)
    protokoll = bestand.importprotokoll(db_mit_zielen)
    neueste = protokoll.iloc[0]
    assert neueste["Art"] == "Zielwerte"
    assert neueste["Ergebnis"] == f"{ERGEBNIS_BEARBEITET} (1 entfernt)"
    assert (neueste["Zeilen"], neueste["neu"], neueste["aktualisiert"]) == (2, 1, 1)
    # the rows point to the log entry, as imported rows do
    ids = db_mit_zielen.rows("SELECT DISTINCT import_id FROM zielwerte WHERE standort = 'gesamt'")
    assert ids == [(int(neueste["Nr."]),)]


def test_ungueltige_eingabe_aendert_nichts_und_nennt_den_grund(
    db_mit_zielen: Datenbank, inhalt: Inhalt
) -> None:
    vorher = inhalt(db_mit_zielen)

    with pytest.raises(ZielwerteAbgelehnt) as abgelehnt:
        speichere_zielwerte(
            db_mit_zielen,
            "gesamt",
            _eingabe(
                ("A3", "70", "viel", "2027-06-30"),
                ("C6", "8", None, "30.02.2027"),
                ("B3", None, "60", None),
            ),
        )

    gruende = {(f.spalte, f.grund) for f in abgelehnt.value.pruefergebnis.fehler}
    assert ("zielwert", "keine Zahl") in gruende
    assert ("zielwert", "Pflichtangabe fehlt") in gruende
    assert ("stichtag", "ungültiges Datum (diesen Tag gibt es nicht)") in gruende
    assert ("stichtag", "Pflichtangabe fehlt") in gruende
    assert inhalt(db_mit_zielen) == vorher


def test_unbekannter_indikator_wird_abgelehnt(db_mit_zielen: Datenbank, inhalt: Inhalt) -> None:
    vorher = inhalt(db_mit_zielen)
    with pytest.raises(ZielwerteAbgelehnt, match="nicht erlaubt"):
        speichere_zielwerte(db_mit_zielen, "KOELN", _eingabe(("Z9", None, "5", "2027-01-01")))
    assert inhalt(db_mit_zielen) == vorher


def test_standortziele_bleiben_getrennt_und_unveraendertes_wird_nicht_protokolliert(
    db_mit_zielen: Datenbank,
) -> None:
    ergebnis = speichere_zielwerte(
        db_mit_zielen, "KOELN", _eingabe(("A1", "0", "120", "2026-12-31"))
    )
    assert ergebnis.neu == 1
    assert list(zielwerte(db_mit_zielen, "KOELN")["indikator"]) == ["A1"]
    assert list(zielwerte(db_mit_zielen, "gesamt")["indikator"]) == ["A3", "B3"]
    importe = db_mit_zielen.scalar("SELECT count(*) FROM importe")

    gleich = speichere_zielwerte(
        db_mit_zielen, "KOELN", _eingabe(("A1", "0,0", "120", "31.12.2026"))
    )

    assert not gleich.geaendert
    assert str(gleich) == "Zielwerte für KOELN: keine Änderungen."
    assert db_mit_zielen.scalar("SELECT count(*) FROM importe") == importe


def test_unbekannter_standort_wird_abgelehnt(db_mit_zielen: Datenbank) -> None:
    with pytest.raises(ZielwerteAbgelehnt, match="unbekannter Standort"):
        speichere_zielwerte(db_mit_zielen, "HAMBURG", _eingabe(("A1", None, "5", "2027-01-01")))


def test_als_text_schreibt_wie_ein_mensch_mit_dezimalkomma() -> None:
    assert als_text(85.5) == "85,5"
    assert als_text(20000.0) == "20000"  # no thousands dot: the import would read 20.000 as 20
    assert als_text(0.25) == "0,25"
    assert als_text(None) is None
    assert als_text(float("nan")) is None
    assert als_text(pd.Timestamp("2027-06-30")) == "30.06.2027"


def test_importprotokoll_unterdrueckt_kleine_befragungsimporte(
    db_mit_standorten: Datenbank,
) -> None:
    zeilen = ["code;standort;welle;datum;migrationshintergrund"]
    zeilen += [f"code{i:02d};KOELN;T0;2026-03-01;ja" for i in range(3)]
    importiere(db_mit_standorten, ("\n".join(zeilen) + "\n").encode(), "klein.csv")

    protokoll = bestand.importprotokoll(db_mit_standorten).set_index("Datei")

    klein = protokoll.loc["klein.csv"]
    assert klein["Art"] == "Befragung"
    assert pd.isna(klein["Zeilen"]) and pd.isna(klein["neu"])
    assert klein["aktualisiert"] == 0
    standorte = protokoll.loc["standorte.csv"]  # sites describe no persons: shown as they are
    assert (standorte["Zeilen"], standorte["neu"]) == (2, 2)

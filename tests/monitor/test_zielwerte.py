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


# -- direction of a target (issue 15) ---------------------------------------------------------
def test_zielwert_gegen_die_richtung_wird_beim_import_abgelehnt(
    db_mit_standorten: Datenbank, inhalt: Inhalt
) -> None:
    """−60 on C2 (higher is better, empty baseline = 0) imported silently and then counted a
    decline of −53 pp as 88.9 % "auf Kurs". Now the whole file is refused with the reason."""
    from monitor.importieren import ImportAbgelehnt

    vorher = inhalt(db_mit_standorten)
    datei = (
        b"indikator;standort;basiswert;zielwert;stichtag\n"
        b"A3;;70;80;30.06.2027\nC2;;;-60;30.06.2027\n"
    )
    with pytest.raises(ImportAbgelehnt) as abgelehnt:
        importiere(db_mit_standorten, datei, "zielwerte.csv")
    fehler = abgelehnt.value.pruefergebnis.fehler
    assert [(f.zeile, f.spalte) for f in fehler] == [(3, "zielwert")]
    assert fehler[0].grund.startswith("Zielwert −60 liegt unter dem Basiswert 0 (leer = 0)")
    assert "höhere Werte besser" in fehler[0].grund
    assert inhalt(db_mit_standorten) == vorher  # all or nothing: A3 was not stored either

    bestaetigt = (
        datei.replace(b"stichtag\n", b"stichtag;richtung_bestaetigt\n")
        .replace(b"2027\nC2", b"2027;\nC2")
        .replace(b"-60;30.06.2027\n", b"-60;30.06.2027;ja\n")
    )
    importiere(db_mit_standorten, bestaetigt, "zielwerte.csv")
    gespeichert = zielwerte(db_mit_standorten, "gesamt").set_index("indikator")
    assert gespeichert.loc["C2", "zielwert"] == -60
    assert bool(gespeichert.loc["C2", "richtung_bestaetigt"])
    assert not bool(gespeichert.loc["A3", "richtung_bestaetigt"])


def test_zielwert_gegen_die_richtung_im_editor(db_mit_zielen: Datenbank, inhalt: Inhalt) -> None:
    vorher = inhalt(db_mit_zielen)
    with pytest.raises(ZielwerteAbgelehnt, match="liegt unter dem Basiswert 70"):
        speichere_zielwerte(db_mit_zielen, "gesamt", _eingabe(("A3", "70", "65", "2027-06-30")))
    assert inhalt(db_mit_zielen) == vorher
    # a target equal to the baseline (hold the level) is on no wrong side
    speichere_zielwerte(db_mit_zielen, "gesamt", _eingabe(("A3", "70", "70", "2027-06-30")))
    eingabe = _eingabe(("A3", "70", "65", "2027-06-30")).assign(richtung_bestaetigt="ja")
    ergebnis = speichere_zielwerte(db_mit_zielen, "gesamt", eingabe)
    assert ergebnis.aktualisiert == 1
    a3 = zielwerte(db_mit_zielen, "gesamt").set_index("indikator").loc["A3"]
    assert a3["zielwert"] == 65 and bool(a3["richtung_bestaetigt"])
    # withdrawing the confirmation alone is a change, and is refused again
    with pytest.raises(ZielwerteAbgelehnt):
        speichere_zielwerte(db_mit_zielen, "gesamt", eingabe.assign(richtung_bestaetigt=None))

"""Pre-aggregated tables (Auswertungstabellen): always the same numbers as the raw data.

Every writer rebuilds them in its own transaction; a reader that finds them out of date (data
changed by plain SQL, other definitions) rebuilds them or, read-only, aggregates the raw data.
The reference here is the engine's raw path: an exact (not quarter-aligned) start date before
all data makes :func:`basis` aggregate the raw tables with the same result.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indikatoren import engine
from indikatoren.engine import Basis
from indikatoren.filter import Filter, Gruppierung
from monitor.db import Datenbank, verbinden
from monitor.demo import entferne_demo, lade_demo
from monitor.importieren import importiere
from monitor.sicherung import sichere, wiederherstellen

#: Exact dates force the raw path; before all data, so nothing is filtered out.
ROH = date(2000, 1, 2)
HEUTE = date(2026, 6, 30)


@pytest.fixture
def demo_db(tmp_path: Path) -> Datenbank:
    db = verbinden(tmp_path / "demo.duckdb")
    lade_demo(db, standorte=3, teilnehmende=300)
    yield db
    db.close()


def _gleich(vor: pd.DataFrame, roh: pd.DataFrame) -> None:
    assert list(vor.columns) == list(roh.columns)
    assert len(vor) == len(roh)
    for spalte in vor.columns:
        if pd.api.types.is_numeric_dtype(roh[spalte]):
            a, b = vor[spalte].to_numpy(dtype=float), roh[spalte].to_numpy(dtype=float)
            assert np.allclose(a, b, rtol=1e-12, atol=1e-12, equal_nan=True), spalte
        else:
            assert vor[spalte].fillna("-").tolist() == roh[spalte].fillna("-").tolist(), spalte


def _wie_roh(db: Datenbank, gruppierung: Gruppierung) -> Basis:
    """Assert that the pre-aggregated base equals the raw aggregation; returns it."""
    vor, roh = engine.basis(db, gruppierung), engine.basis(db, gruppierung, ROH, None)
    assert len(vor.paare) and len(vor.einzel)
    for name in ("einzel", "paare", "match", "aktivitaeten"):
        _gleich(getattr(vor, name), getattr(roh, name))
    return vor


def _ergebnis_wie_roh(db: Datenbank, filter_: Filter) -> None:
    vor = engine.berechne(db, filter_, heute=HEUTE)
    roh = engine.berechne(db, Filter(**{**_felder(filter_), "von": ROH}), heute=HEUTE)
    spalten = ["indikator", "standort", "gruppe", "periode", "wert", "n", "unterdrueckt"]
    _gleich(vor.indikatoren[spalten], roh.indikatoren[spalten])
    _gleich(vor.vorher_nachher, roh.vorher_nachher)


def _felder(filter_: Filter) -> dict[str, object]:
    return {name: getattr(filter_, name) for name in Filter.__slots__}


@pytest.mark.parametrize("gruppierung", list(Gruppierung))
def test_demo_laden_baut_die_tabellen_fuer_jede_gruppierung(
    demo_db: Datenbank, gruppierung: Gruppierung
) -> None:
    assert engine.auswertungstabellen_aktuell(demo_db)
    _wie_roh(demo_db, gruppierung)
    _ergebnis_wie_roh(demo_db, Filter(gruppierung=gruppierung, nach_quartal=True))


def test_tabellen_liegen_in_der_datenbank(demo_db: Datenbank) -> None:
    for tabelle in engine.AUSWERTUNGSTABELLEN:
        assert demo_db.scalar(f"SELECT count(*) FROM {tabelle}") > 0  # names from code
    # Four groupings side by side, activities once (their group is the format or none).
    assert demo_db.scalar("SELECT count(DISTINCT gruppierung) FROM auswertung_paare") == 4


def test_aenderung_mit_sql_wird_nie_veraltet_gelesen(demo_db: Datenbank) -> None:
    vorher = engine.berechne(demo_db, Filter(), heute=HEUTE).vorher_nachher
    # A writer that does not rebuild (plain SQL): row count and import IDs stay the same.
    demo_db.execute("UPDATE befragungen SET a_thermometer = 100 - a_thermometer WHERE welle = 'T1'")
    assert not engine.auswertungstabellen_aktuell(demo_db)
    nachher = engine.berechne(demo_db, Filter(), heute=HEUTE).vorher_nachher
    a7 = (nachher["indikator"] == "A7") & (nachher["standort"] == "gesamt")
    assert not np.allclose(
        vorher.loc[a7, "differenz"].to_numpy(float), nachher.loc[a7, "differenz"].to_numpy(float)
    )
    assert engine.auswertungstabellen_aktuell(demo_db)  # rebuilt on the way
    _ergebnis_wie_roh(demo_db, Filter())


def test_andere_definition_wird_nicht_gelesen(demo_db: Datenbank) -> None:
    demo_db.execute("UPDATE auswertungsstand SET definition = 'aeltere Version'")
    demo_db.execute("UPDATE auswertung_einzel SET A1__zaehler = A1__zaehler + 1000")
    assert not engine.auswertungstabellen_aktuell(demo_db)
    _wie_roh(demo_db, Gruppierung.MH)
    assert engine.auswertungstabellen_aktuell(demo_db)


def test_nur_lesend_veraltet_rechnet_aus_den_rohdaten(tmp_path: Path) -> None:
    pfad = tmp_path / "lesend.duckdb"
    with verbinden(pfad) as db:
        lade_demo(db, standorte=3, teilnehmende=300)
        db.execute("DELETE FROM befragungen WHERE welle = 'T2'")
        db.execute("UPDATE auswertung_paare SET B1__n_paare = 0")  # stale and wrong
    with Datenbank(pfad, read_only=True) as db:
        assert not engine.auswertungstabellen_aktuell(db)
        grundlage = _wie_roh(db, Gruppierung.GESCHLECHT)
        assert set(grundlage.paare["welle"]) == {"T1"}
        assert grundlage.paare["B1__n_paare"].sum() > 0
        assert not engine.auswertungstabellen_aktuell(db)  # nothing written


def test_import_und_demo_entfernen_halten_die_tabellen_aktuell(
    demo_db: Datenbank, tmp_path: Path
) -> None:
    standorte = tmp_path / "standorte.csv"
    standorte.write_text(
        "standort;name;ort;bundesland;lat;lon;start\n"
        "KOELN;Begegnungshaus Köln;Köln;Nordrhein-Westfalen;50,94;6,96;01.02.2025\n",
        encoding="utf-8",
    )
    importiere(demo_db, standorte)
    zeilen = ["code;standort;welle;datum;migrationshintergrund;geschlecht;zufriedenheit;"
              "b_selbstwirksamkeit_1;b_selbstwirksamkeit_2;b_selbstwirksamkeit_3"]  # fmt: skip
    for i in range(12):
        mh = "ja" if i % 2 else "nein"
        zeilen.append(f"koeln{i:02d};KOELN;T0;03.03.2025;{mh};weiblich;;2;3;{i % 5 + 1}")
        zeilen.append(f"koeln{i:02d};KOELN;T1;{10 + i}.06.2025;;weiblich;{i % 5 + 1};4;4;")
    befragung = tmp_path / "befragung.csv"
    befragung.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    importiere(demo_db, befragung)
    assert engine.auswertungstabellen_aktuell(demo_db)
    grundlage = _wie_roh(demo_db, Gruppierung.MH)
    koeln = grundlage.paare[grundlage.paare["standort"] == "KOELN"]
    assert koeln["B1__n_paare"].sum() == 12
    _ergebnis_wie_roh(demo_db, Filter(standorte=("KOELN",), nach_quartal=True))

    assert entferne_demo(demo_db) > 0
    assert engine.auswertungstabellen_aktuell(demo_db)
    grundlage = _wie_roh(demo_db, Gruppierung.GESCHLECHT)
    assert set(grundlage.einzel["standort"]) == {"KOELN"}


def test_wiederherstellen_liefert_aktuelle_tabellen(demo_db: Datenbank, tmp_path: Path) -> None:
    erwartet = engine.berechne(demo_db, Filter(gruppierung=Gruppierung.ALTERSGRUPPE), heute=HEUTE)
    sichere(demo_db, tmp_path / "sicherung")
    ziel = tmp_path / "zurueck.duckdb"
    wiederherstellen(tmp_path / "sicherung", ziel)
    with verbinden(ziel) as db:
        assert engine.auswertungstabellen_aktuell(db)
        _wie_roh(db, Gruppierung.ALTERSGRUPPE)
        wieder = engine.berechne(db, Filter(gruppierung=Gruppierung.ALTERSGRUPPE), heute=HEUTE)
    _gleich(
        wieder.indikatoren.drop(columns="stichtag"), erwartet.indikatoren.drop(columns="stichtag")
    )
    _gleich(wieder.vorher_nachher, erwartet.vorher_nachher)

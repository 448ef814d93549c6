"""Activity counts per format for a selection (monitor.reichweite), on a real DuckDB file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from indikatoren.filter import Filter
from monitor.db import verbinden
from monitor.importieren import importiere
from monitor.reichweite import REICHWEITE_SPALTEN, aktivitaeten_nach_format


def _projekt(tmp_path: Path) -> Path:
    pfad = tmp_path / "reichweite.duckdb"
    standorte = tmp_path / "standorte.csv"
    standorte.write_text(
        "standort;name;ort;bundesland;start\n"
        "NORD;Nord;Kiel;Schleswig-Holstein;01.01.2025\n"
        "SUED;Süd;München;Bayern;01.01.2025\n",
        encoding="utf-8",
    )
    aktivitaeten = tmp_path / "aktivitaeten.csv"
    aktivitaeten.write_text(
        "aktivitaet_id;standort;datum;titel;typ;format;teilnehmende_gesamt;"
        "neue_teilnehmende;oeffentlich;reichweite\n"
        "a1;NORD;2025-02-01;Treffen;begegnung;digital;10;4;nein;\n"
        "a2;NORD;2025-05-01;Lesung;oeffentlichkeit;praesenz;20;5;ja;300\n"
        "a3;SUED;2025-02-15;Workshop;workshop;digital;8;8;nein;\n",
        encoding="utf-8",
    )
    with verbinden(pfad) as db:
        importiere(db, standorte)
        importiere(db, aktivitaeten)
    return pfad


def test_zaehlt_je_format_mit_summe_und_nullen(tmp_path: Path) -> None:
    with verbinden(_projekt(tmp_path)) as db:
        tabelle = aktivitaeten_nach_format(db, Filter())
    assert tuple(tabelle.columns) == REICHWEITE_SPALTEN
    zeilen = tabelle.set_index("format")
    assert list(zeilen.index) == ["digital", "hybrid", "praesenz", "gesamt"]
    assert zeilen.loc["digital", "aktivitaeten"] == 2
    assert zeilen.loc["digital", "teilnahmen"] == 18
    assert zeilen.loc["hybrid", "aktivitaeten"] == 0  # no hybrid activity: 0, not missing
    assert zeilen.loc["praesenz", "reichweite"] == 300
    assert zeilen.loc["gesamt"].to_dict() == {
        "aktivitaeten": 3,
        "teilnahmen": 38,
        "neue_teilnehmende": 17,
        "oeffentlich": 1,
        "reichweite": 300,
    }


def test_folgt_standort_zeitraum_und_format(tmp_path: Path) -> None:
    with verbinden(_projekt(tmp_path)) as db:
        nord = aktivitaeten_nach_format(db, Filter(standorte=("NORD",)))
        frueh = aktivitaeten_nach_format(db, Filter(von=date(2025, 1, 1), bis=date(2025, 3, 31)))
        digital = aktivitaeten_nach_format(db, Filter(formate=("digital",)))
    assert nord.set_index("format").loc["gesamt", "aktivitaeten"] == 2
    assert frueh.set_index("format").loc["gesamt", "teilnahmen"] == 18
    assert list(digital["format"]) == ["digital", "gesamt"]
    assert digital.set_index("format").loc["gesamt", "aktivitaeten"] == 2

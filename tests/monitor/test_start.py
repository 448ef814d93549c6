"""First start: an empty database gets demo data once; a used database is never touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import bestand
from monitor.db import verbinden
from monitor.importieren import importiere
from monitor.start import bereitstellen

ZAEHLUNG = (
    "SELECT (SELECT count(*) FROM standorte), (SELECT count(*) FROM befragungen), "
    "(SELECT count(*) FROM aktivitaeten)"
)


def test_leere_datenbank_bekommt_demo_daten_genau_einmal(tmp_path: Path) -> None:
    pfad = tmp_path / "neu" / "monitor.duckdb"
    with bereitstellen(pfad) as db:
        vorher = db.rows(ZAEHLUNG)[0]
        assert bestand.hat_demo(db)
        assert vorher[0] == 6 and vorher[1] > 0 and vorher[2] > 0
    with bereitstellen(pfad) as db:
        assert db.rows(ZAEHLUNG)[0] == vorher


def test_pfad_aus_umgebung(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pfad = tmp_path / "aus_umgebung.duckdb"
    monkeypatch.setenv("MONITOR_DB", str(pfad))
    with bereitstellen() as db:
        assert db.pfad == pfad
    assert pfad.exists()


def test_importierte_daten_bekommen_keine_demo_daten(tmp_path: Path) -> None:
    datei = tmp_path / "standorte.csv"
    datei.write_text(
        "standort,name,ort,bundesland,start\n"
        "KOELN,Köln Mitte,Köln,Nordrhein-Westfalen,2026-02-01\n",
        encoding="utf-8",
    )
    pfad = tmp_path / "monitor.duckdb"
    with verbinden(pfad) as db:
        importiere(db, datei)

    with bereitstellen(pfad) as db:
        assert not bestand.hat_demo(db)
        assert db.rows(ZAEHLUNG)[0] == (1, 0, 0)


def test_entfernte_demo_daten_kommen_nicht_wieder(tmp_path: Path) -> None:
    """Removing the demo leaves an empty database; the next start must not refill it."""
    from monitor.demo import entferne_demo

    pfad = tmp_path / "monitor.duckdb"
    with bereitstellen(pfad) as db:
        assert entferne_demo(db) > 0
        assert db.rows(ZAEHLUNG)[0] == (0, 0, 0)
        protokoll = db.rows("SELECT art, demo FROM importe")
        assert protokoll == [("demo_entfernt", False)]
    with bereitstellen(pfad) as db:
        assert db.rows(ZAEHLUNG)[0] == (0, 0, 0)
        assert not bestand.hat_demo(db)

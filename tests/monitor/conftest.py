"""Shared fixtures for the import tests: a fresh database and real files in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from monitor.db import Datenbank, verbinden
from monitor.importieren import importiere

#: Two sites; 'Köln' makes encoding mistakes visible.
STANDORTE_CSV = (
    "standort;name;ort;bundesland;lat;lon;start\n"
    "KOELN;Begegnungshaus Köln;Köln;Nordrhein-Westfalen;50,94;6,96;01.02.2025\n"
    "BERLIN;Kiezprojekt;Berlin;Berlin;;;2025-01-15\n"
)

#: Header of a minimal survey file (the required columns plus migrationshintergrund).
BEFRAGUNG_KOPF = "code;standort;welle;datum;migrationshintergrund;zufriedenheit;a_thermometer"


Schreiber = Callable[..., Path]


@pytest.fixture
def schreibe(tmp_path: Path) -> Schreiber:
    """Write ``text`` (or bytes) into ``tmp_path / name`` with the given encoding."""

    def schreiben(name: str, inhalt: str | bytes, encoding: str = "utf-8") -> Path:
        pfad = tmp_path / name
        pfad.write_bytes(inhalt if isinstance(inhalt, bytes) else inhalt.encode(encoding))
        return pfad

    return schreiben


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Datenbank]:
    """A freshly migrated database file in tmp_path."""
    datenbank = verbinden(tmp_path / "monitor.duckdb")
    yield datenbank
    datenbank.close()


@pytest.fixture
def db_mit_standorten(db: Datenbank, schreibe: Schreiber) -> Datenbank:
    """The database after importing :data:`STANDORTE_CSV` (sites KOELN and BERLIN)."""
    importiere(db, schreibe("standorte.csv", STANDORTE_CSV))
    return db


def tabelleninhalt(db: Datenbank) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every data table, sorted – to prove that a rejected import changed nothing."""
    inhalt = {}
    for tabelle in ("importe", "standorte", "befragungen", "aktivitaeten", "zielwerte"):
        inhalt[tabelle] = sorted(db.rows(f"SELECT * FROM {tabelle}"), key=repr)
    return inhalt


@pytest.fixture
def inhalt() -> Callable[[Datenbank], dict[str, list[tuple[object, ...]]]]:
    return tabelleninhalt


@pytest.fixture
def standorte_text() -> str:
    return STANDORTE_CSV


@pytest.fixture
def befragung_kopf() -> str:
    return BEFRAGUNG_KOPF

"""Fixtures for the survey-tool tests; the export builders live in :mod:`umfrage_exporte`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from umfrage_exporte import STANDORTE_CSV, Zeile, antworten

from monitor.db import Datenbank, verbinden
from monitor.importieren import importiere


@pytest.fixture
def neue_db(tmp_path: Path) -> Iterator[Callable[[str], Datenbank]]:
    """Open fresh databases with the two sites; all are closed at the end of the test."""
    offen: list[Datenbank] = []

    def oeffnen(name: str = "monitor") -> Datenbank:
        db = verbinden(tmp_path / f"{name}.duckdb")
        importiere(db, STANDORTE_CSV.encode("utf-8"), "standorte.csv")
        offen.append(db)
        return db

    yield oeffnen
    for db in offen:
        db.close()


@pytest.fixture(scope="session")
def zeilen() -> list[Zeile]:
    return antworten()

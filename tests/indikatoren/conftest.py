"""Test data for the indicator engine, written straight into a migrated DuckDB file.

The real importer is built separately; these tests must not depend on it, so rows go in with a
plain parameterised INSERT. Unknown column names raise at once (a typo in a hand-made data set
would otherwise silently become NULL and make a hand-worked expectation meaningless).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from monitor.db import Datenbank
from monitor.importieren import uebernimm_migrationshintergrund
from monitor.schema import Typ, codebuch

Zeile = Mapping[str, Any]

_BEFRAGUNG_TYPEN: dict[str, Typ] = {f.name: f.typ for f in codebuch()}
_AKTIVITAET_SPALTEN: tuple[str, ...] = (
    "aktivitaet_id",
    "standort",
    "datum",
    "titel",
    "typ",
    "format",
    "dauer_min",
    "teilnehmende_gesamt",
    "teilnehmende_mit_mh",
    "teilnehmende_ohne_mh",
    "neue_teilnehmende",
    "teilnehmende_mit_rolle",
    "oeffentlich",
    "reichweite",
)


def _ja_nein(wert: Any) -> bool | None:
    """'ja'/'nein' (as in the import files) or a bool → the stored BOOLEAN."""
    if wert is None or isinstance(wert, bool):
        return wert
    if wert in ("ja", "nein"):
        return wert == "ja"
    raise ValueError(f"ja/nein erwartet, nicht {wert!r}")


def _datum(wert: Any) -> date:
    return wert if isinstance(wert, date) else date.fromisoformat(str(wert))


def _einfuegen(db: Datenbank, tabelle: str, spalten: tuple[str, ...], werte: list[list]) -> None:
    """Insert rows; column names come from the codebook / schema above, values are bound."""
    if not werte:
        return
    platzhalter = ", ".join("?" for _ in spalten)
    sql = f"INSERT INTO {tabelle} ({', '.join(spalten)}) VALUES ({platzhalter})"
    with db.transaction() as cur:
        cur.executemany(sql, werte)


def befragungen_einfuegen(db: Datenbank, zeilen: Iterable[Zeile]) -> None:
    """Questionnaires: every codebook column, missing ones NULL; ja/nein as text or bool."""
    spalten = tuple(_BEFRAGUNG_TYPEN)
    werte = []
    for zeile in zeilen:
        unbekannt = set(zeile) - set(spalten)
        if unbekannt:
            raise KeyError(f"Unbekannte Befragungsspalten: {sorted(unbekannt)}")
        reihe = []
        for name in spalten:
            wert = zeile.get(name)
            if _BEFRAGUNG_TYPEN[name] is Typ.JA_NEIN:
                wert = _ja_nein(wert)
            elif name == "datum":
                wert = _datum(wert)
            reihe.append(wert)
        werte.append(reihe)
    _einfuegen(db, "befragungen", spalten, werte)
    with db.transaction() as cur:  # the importer's rule, by the importer's own function
        uebernimm_migrationshintergrund(cur)


def aktivitaeten_einfuegen(db: Datenbank, zeilen: Iterable[Zeile]) -> None:
    """Activities; titel, typ and format get harmless defaults when a test does not care."""
    werte = []
    for zeile in zeilen:
        unbekannt = set(zeile) - set(_AKTIVITAET_SPALTEN)
        if unbekannt:
            raise KeyError(f"Unbekannte Aktivitätsspalten: {sorted(unbekannt)}")
        voll = {
            "titel": f"Aktivität {zeile['aktivitaet_id']}",
            "typ": "begegnung",
            "format": "praesenz",
            **zeile,
        }
        voll["datum"] = _datum(voll["datum"])
        voll["oeffentlich"] = _ja_nein(voll.get("oeffentlich"))
        werte.append([voll.get(s) for s in _AKTIVITAET_SPALTEN])
    _einfuegen(db, "aktivitaeten", _AKTIVITAET_SPALTEN, werte)


def standorte_einfuegen(db: Datenbank, standorte: Iterable[str]) -> None:
    """Sites with placeholder name/place; the engine only uses the ID."""
    werte = [[s, f"Standort {s}", f"Ort {s}", "Berlin", date(2025, 1, 1)] for s in standorte]
    _einfuegen(db, "standorte", ("standort", "name", "ort", "bundesland", "start"), werte)


def zielwerte_einfuegen(db: Datenbank, zeilen: Iterable[Zeile]) -> None:
    """Targets; ``standort`` 'gesamt' marks a project-wide target (as in the schema)."""
    spalten = ("indikator", "standort", "basiswert", "zielwert", "stichtag")
    werte = [
        [
            z["indikator"],
            z.get("standort", "gesamt"),
            z.get("basiswert"),
            z["zielwert"],
            _datum(z["stichtag"]),
        ]
        for z in zeilen
    ]
    _einfuegen(db, "zielwerte", spalten, werte)


def items(stamm: str, *werte: Any) -> dict[str, Any]:
    """``items("a_vertrauen", 4, 2, None)`` → {a_vertrauen_1: 4, a_vertrauen_2: 2, ...: None}."""
    return {f"{stamm}_{i}": w for i, w in enumerate(werte, start=1)}


def kennt(muster: str) -> dict[str, Any]:
    """The eight c_kennt answers from a pattern: J = ja, N = nein, - = missing."""
    if len(muster) != 8:
        raise ValueError(muster)
    return items("c_kennt", *({"J": "ja", "N": "nein", "-": None}[z] for z in muster))


@dataclass(frozen=True)
class Testdaten:
    """Bound inserters, so tests write ``daten.befragungen([...])``."""

    db: Datenbank

    def befragungen(self, zeilen: Iterable[Zeile]) -> None:
        befragungen_einfuegen(self.db, zeilen)

    def aktivitaeten(self, zeilen: Iterable[Zeile]) -> None:
        aktivitaeten_einfuegen(self.db, zeilen)

    def standorte(self, standorte: Iterable[str]) -> None:
        standorte_einfuegen(self.db, standorte)

    def zielwerte(self, zeilen: Iterable[Zeile]) -> None:
        zielwerte_einfuegen(self.db, zeilen)

    # pure row builders, reachable through the fixture without importing conftest
    items = staticmethod(items)
    kennt = staticmethod(kennt)


def _neue_datenbank(pfad: Path) -> Datenbank:
    datenbank = Datenbank(pfad / "indikatoren.duckdb")
    datenbank.migrate()
    return datenbank


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Datenbank]:
    """A fresh, migrated database file per test."""
    datenbank = _neue_datenbank(tmp_path)
    yield datenbank
    datenbank.close()


@pytest.fixture
def daten(db: Datenbank) -> Testdaten:
    return Testdaten(db)


@pytest.fixture(scope="session")
def neue_testdaten(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], Testdaten]]:
    """Factory for module-scoped data sets: one engine run shared by many assertions keeps the
    suite fast (a run costs a few tenths of a second)."""
    offen: list[Datenbank] = []

    def neu() -> Testdaten:
        datenbank = _neue_datenbank(tmp_path_factory.mktemp("indikatoren"))
        offen.append(datenbank)
        return Testdaten(datenbank)

    yield neu
    for datenbank in offen:
        datenbank.close()

"""A project with sites of 1 to 12 persons, everything approved, and a funder — for the red team.

The data go in as an office would bring them: a sites file and a survey file (CSV, the
template's columns, random valid answers from the codebook) through ``python -m monitor
import``, quarters approved with ``freigabe``, the funder created with the user functions. The
attacks then only use what the funder can get: ``indikatoren``/``vorher-nachher``/``export``
``--als`` and the same view function the dashboard calls.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from indikatoren.filter import Filter
from indikatoren.schutzgitter import AuswahlFehler
from monitor import sicht
from monitor.benutzer import kommandozeilensitzung, lege_an, zugriff_fuer
from monitor.cli import main
from monitor.db import Datenbank
from monitor.freigabe import einreichen, freigeben
from monitor.schema import Typ, codebuch

#: Persons per site: every size from 1 to 12, plus two large sites so totals are released.
GROESSEN = {f"K{n:02d}": n for n in range(1, 13)} | {"GROSS1": 40, "GROSS2": 55}
QUARTALE_T0 = ("2025-01-15", "2025-04-15")
QUARTALE_T1 = ("2025-07-15", "2025-10-15")
FOERDERER = "geldgeberin"


def cli(*argumente: str) -> tuple[int, str, str]:
    """Run the CLI in this process; exit status, stdout, stderr."""
    aus, fehler = io.StringIO(), io.StringIO()
    with redirect_stdout(aus), redirect_stderr(fehler):
        try:
            status = main(list(argumente))
        except SystemExit as ende:  # argparse's own exit (status 2)
            status = int(ende.code or 0)
    return status, aus.getvalue(), fehler.getvalue()


def _antworten(rng: np.random.Generator, welle: str) -> dict[str, str]:
    """Random valid answers to every codebook question of a wave (no identifying columns)."""
    werte: dict[str, str] = {}
    for feld in codebuch():
        if welle not in feld.wellen or feld.typ in (Typ.CODE, Typ.STANDORT, Typ.DATUM):
            continue
        if feld.name in ("welle", "migrationshintergrund", "format", "geschlecht", "altersgruppe"):
            continue
        if feld.name == "vergleichsgruppe":  # everyone a participant (issue 15)
            continue
        if feld.werte:
            werte[feld.name] = str(rng.choice(list(feld.werte)))
        elif feld.typ is Typ.JA_NEIN:
            werte[feld.name] = str(rng.choice(["ja", "nein"]))
        elif feld.minimum is not None and feld.maximum is not None:
            werte[feld.name] = str(int(rng.integers(int(feld.minimum), int(feld.maximum) + 1)))
    return werte


def _dateien(ordner: Path, seed: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    standorte = ordner / "standorte.csv"
    with standorte.open("w", newline="", encoding="utf-8") as datei:
        schreiber = csv.writer(datei)
        schreiber.writerow(["standort", "name", "ort", "bundesland", "lat", "lon", "start"])
        for nummer, standort in enumerate(GROESSEN):
            schreiber.writerow(
                [
                    standort,
                    f"Treff {standort}",
                    "Kassel",
                    "Hessen",
                    51.3,
                    9.5 + nummer / 10,
                    "2025-01-01",
                ]
            )
    zeilen = []
    for standort, anzahl in GROESSEN.items():
        for person in range(anzahl):
            code = f"{standort.lower()}p{person:03d}"
            fest = {
                "code": code,
                "standort": standort,
                "format": str(rng.choice(["digital", "hybrid", "praesenz"])),
                "geschlecht": str(rng.choice(["weiblich", "maennlich", "divers"])),
                "altersgruppe": str(rng.choice(["unter_18", "18_26", "27_49", "50_plus"])),
            }
            zeilen.append(
                {
                    **fest,
                    "welle": "T0",
                    "datum": str(rng.choice(QUARTALE_T0)),
                    "migrationshintergrund": str(rng.choice(["ja", "nein"])),
                    **_antworten(rng, "T0"),
                }
            )
            if rng.random() < 0.75:
                zeilen.append(
                    {
                        **fest,
                        "welle": "T1",
                        "datum": str(rng.choice(QUARTALE_T1)),
                        **_antworten(rng, "T1"),
                    }
                )
    spalten = list(dict.fromkeys(k for z in zeilen for k in z))  # first appearance order
    befragung = ordner / "befragung.csv"
    with befragung.open("w", newline="", encoding="utf-8") as datei:
        schreiber = csv.DictWriter(datei, fieldnames=spalten)
        schreiber.writeheader()
        schreiber.writerows(zeilen)
    return standorte, befragung


@dataclass(frozen=True)
class Projekt:
    """The red team's target: a database path and how to ask the funder's view."""

    pfad: Path
    quartale: tuple[str, ...]

    def json(self, befehl: str, *argumente: str) -> list[dict] | None:
        """``befehl --als FOERDERER --format json …``; None when the view refuses (exit 2)."""
        status, aus, fehler = cli(
            "--db", str(self.pfad), befehl, "--als", FOERDERER, "--format", "json", *argumente
        )
        if status == 2:
            assert "Fehler:" in fehler, fehler
            return None
        assert status == 0, fehler
        return json.loads(aus)

    def db(self) -> Datenbank:
        return Datenbank(self.pfad, read_only=True)


@pytest.fixture(scope="package")
def projekt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Projekt]:
    ordner = tmp_path_factory.mktemp("geheimhaltung")
    pfad = ordner / "projekt.duckdb"
    standorte, befragung = _dateien(ordner, seed=2026)
    status, _, fehler = cli("--db", str(pfad), "import", str(standorte), str(befragung))
    assert status == 0, fehler
    quartale = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
    status, _, fehler = cli("--db", str(pfad), "freigabe", "einreichen", "K01", "2025-Q1")
    assert status == 0, fehler  # the command works; the rest through the same functions
    db = Datenbank(pfad)
    sitzung = kommandozeilensitzung()
    for standort in GROESSEN:
        for quartal in quartale:
            if (standort, quartal) != ("K01", "2025-Q1"):
                einreichen(db, sitzung, standort, quartal)
            freigeben(db, sitzung, standort, quartal)
    lege_an(db, FOERDERER, "foerdergeber", "ein-langes-passwort-1")
    db.close()
    yield Projekt(pfad, quartale)


@pytest.fixture(scope="package")
def frage(projekt: Projekt) -> Callable[..., list[dict] | None]:
    return projekt.json


@pytest.fixture(scope="package")
def ansicht(projekt: Projekt) -> Iterator[Callable[[Filter], list[dict] | None]]:
    """The funder's view as the dashboard reads it (lattice computed once, every selection
    read from it): released indicator rows as the JSON output has them; None = refused."""
    db = projekt.db()
    lesen = sicht.ansicht(db, zugriff_fuer("foerdergeber"))  # reads the lattice, then no db
    db.close()

    def frage(filter_: Filter) -> list[dict] | None:
        try:
            tabelle = lesen(filter_).indikatoren
        except AuswahlFehler:
            return None
        return tabelle.astype(object).where(tabelle.notna(), None).to_dict("records")

    yield frage

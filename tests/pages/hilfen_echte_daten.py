"""A database with REAL (non-demo) data for the login and role tests, and the pages per role.

The demo generator's tables are renamed as a site would deliver them (site IDs without ``D_``,
codes without ``demo_``), written as CSV files and imported through the normal import, so the
dashboard is in its secure mode: nobody sees anything without a login. Shared by the AppTest
file ``tests/pages/test_zugang_rollen.py`` and the browser test ``tests/test_browser_rollen.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from monitor import benutzer
from monitor.archiv import als_csv
from monitor.db import verbinden
from monitor.demo import erzeuge_demo
from monitor.importieren import importiere

#: Demo site ID → the ID of the real site it becomes.
UMBENENNUNG = {"D_BERLIN": "BERLIN", "D_LEIPZIG": "LEIPZIG", "D_DORTMUND": "DORTMUND"}

# -- the expected pages per role: written out by hand, not derived from the product ---------
ALLGEMEIN = frozenset(
    {
        "uebersicht.py",
        "ziel_a.py",
        "ziel_b.py",
        "ziel_c.py",
        "standortvergleich.py",
        "formate.py",
        "methodik.py",
    }
)
ERWARTETE_SEITEN: dict[str, frozenset[str]] = {
    "admin": ALLGEMEIN
    | {
        "datenimport.py",
        "datenqualitaet.py",
        "freigaben.py",
        "zielwerte.py",
        "bericht.py",
        "verwaltung.py",
    },
    "projektleitung": ALLGEMEIN
    | {"datenimport.py", "datenqualitaet.py", "freigaben.py", "zielwerte.py", "bericht.py"},
    "standort": ALLGEMEIN | {"datenimport.py", "datenqualitaet.py", "freigaben.py", "bericht.py"},
    "evaluation": ALLGEMEIN | {"datenqualitaet.py", "bericht.py"},
    "foerdergeber": ALLGEMEIN | {"bericht.py"},
}


@dataclass(frozen=True)
class EchteDaten:
    """The database file and the tables exactly as written to the imported CSV files."""

    pfad: Path
    tabellen: dict[str, pd.DataFrame]


def _als_echt(tabelle: pd.DataFrame) -> pd.DataFrame:
    """A demo table as a real site would deliver it: own site IDs, own codes, own names."""
    tabelle = tabelle.copy()
    if "standort" in tabelle.columns:
        tabelle["standort"] = tabelle["standort"].astype(str).replace(UMBENENNUNG)
    if "code" in tabelle.columns:
        tabelle["code"] = tabelle["code"].str.replace("demo_", "tn_", regex=False).str.lower()
    if "name" in tabelle.columns:
        tabelle["name"] = tabelle["name"].str.replace("Zusammenhalt digital", "Treffpunkt")
    return tabelle


def echte_datenbank(ordner: Path) -> EchteDaten:
    """Write the CSV files into ``ordner`` and import them into ``ordner/echt.duckdb``.

    Three sites, 300 participants: small enough to build in about a second, large enough that
    a site's whole-period numbers are not suppressed. No users yet (secure mode: setup only).
    """
    demo = erzeuge_demo(seed=11, standorte=3, teilnehmende=300)
    assert set(demo.standorte["standort"]) == set(UMBENENNUNG)
    tabellen = {}
    pfad = ordner / "echt.duckdb"
    with verbinden(pfad) as db:
        for art in ("standorte", "befragungen", "aktivitaeten", "zielwerte"):
            datei = ordner / f"{art}.csv"
            datei.write_bytes(als_csv(_als_echt(getattr(demo, art))))
            importiere(db, datei)
            tabellen[art] = pd.read_csv(datei, sep=";", dtype={"code": str})
        assert benutzer.zugangsmodus(db) is benutzer.Zugangsmodus.EINRICHTUNG
    return EchteDaten(pfad, tabellen)

"""Smoke test of ``benchmarks/run.py``: it runs on a tiny data set and reports every measurement.

The benchmark itself takes minutes and is not part of the test run. This test makes sure it
still runs after the code it measures changed — every step, including the pages (AppTest) and
the dashboard in a browser — and that no measurement silently drops out of the JSON that runs
are compared by. It also exercises the benchmark's check that the hand-written query and the
pandas computation give the engine's numbers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ui.navigation import SEITEN

# The benchmark's last step starts `streamlit run` and drives headless Chromium.
pytestmark = pytest.mark.browser

WURZEL = Path(__file__).resolve().parents[2]

#: Steps that are measured once per data set, independent of the pages.
FESTE_MESSUNGEN = {
    "datensatz",
    "import",
    "engine",
    "engine_sql",
    "engine_auswertung",
    "engine_auswertung_standort",
    "engine_roh",
    "auswertungstabellen",
    "engine_drei",
    "handabfrage",
    "pandas",
    "engine_zu_hand",
    "engine_drei_zu_hand",
    "pandas_zu_engine",
    "pandas_zu_engine_drei",
    "bericht",
    "bericht_pdf",  # the PDF Wirkungsbericht (issue 16)
    "dashboard_speicher",
    "dashboard_speicher_spitze",
    # the funder's Übersicht read from the protected lattice (issue 12)
    "foerdergeber:erster_aufruf",
    "foerdergeber:filter_standort",
    "foerdergeber:filter_quartal",
}
SEITEN_MESSUNGEN = ("erster_aufruf", "filter_standort", "filter_gruppe")


def test_benchmark_auf_kleinem_datensatz_hat_jede_messung(tmp_path: Path) -> None:
    ergebnisdatei = tmp_path / "ergebnis.json"
    lauf = subprocess.run(
        [
            sys.executable,
            "benchmarks/run.py",
            *("--standorte", "3", "--teilnehmende", "300", "--import-zeilen", "400"),
            *("--wiederholungen", "1", "--json", str(ergebnisdatei)),
        ],
        cwd=WURZEL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert lauf.returncode == 0, lauf.stderr[-4000:]

    daten = json.loads(ergebnisdatei.read_text("utf-8"))
    messungen = {m["schluessel"]: m for m in daten["messungen"]}
    erwartet = FESTE_MESSUNGEN | {
        f"seite:{seite.url_path}:{art}"
        for seite in SEITEN
        if seite.url_path != "verwaltung"  # the demo guest has no user management
        for art in SEITEN_MESSUNGEN
    }
    assert set(messungen) == erwartet
    fehler = {name: m["fehler"] for name, m in messungen.items() if m["fehler"]}
    assert not fehler, fehler
    ohne_wert = [name for name, m in messungen.items() if not (m["median"] and m["median"] > 0)]
    assert not ohne_wert
    assert messungen["import"]["details"]["zeilen"] == 400
    assert messungen["handabfrage"]["details"]["gepruefte_zellen"] > 0
    assert messungen["pandas"]["details"]["gepruefte_zellen"] > 0
    assert messungen["engine"]["budget"] == 1.0
    assert messungen["pandas_zu_engine"]["mindestens"] is True
    assert daten["datensaetze"]["standard"]["standorte"] == 3
    assert len(daten["last"]["vorher"]) == 3

    # The one table on stdout, with the correctness check of the three indicators.
    assert "| Was " in lauf.stdout and "Engine (alle) / Handabfrage" in lauf.stdout
    assert "liefern dieselben Zahlen wie die Engine" in lauf.stdout

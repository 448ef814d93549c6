"""Targets judged honestly (issue 15): direction, pro rata targets for a period, and the day a
view is judged at — the end of its data (a funder's: the last approved quarter)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from indikatoren.definitionen import Richtung
from indikatoren.engine import berechne
from indikatoren.filter import Filter
from indikatoren.katalog import REGISTER
from indikatoren.unterdrueckung import Schwellen
from indikatoren.zielerreichung import anteiliges_ziel, gegen_richtung

HEUTE = date(2026, 11, 27)


def test_gegen_richtung() -> None:
    a3 = REGISTER["A3"]  # higher is better
    assert gegen_richtung(a3, 70.0, 65.0)
    assert not gegen_richtung(a3, 70.0, 70.0)  # holding the level is no wrong side
    assert not gegen_richtung(a3, 70.0, 80.0)
    assert gegen_richtung(a3, None, -60.0)  # empty baseline counts as 0
    niedriger = replace(a3, richtung=Richtung.NIEDRIGER_BESSER)
    assert gegen_richtung(niedriger, 70.0, 80.0)
    assert not gegen_richtung(niedriger, 70.0, 60.0)


def test_anteiliges_ziel_von_hand() -> None:
    # 350 persons from 06.01.2025 to 31.12.2026: 725 days; Q1 2026 has 90 of them
    ziel, anfang, ende = anteiliges_ziel(0.0, 350.0, date(2025, 1, 6), date(2026, 12, 31),
                                         date(2026, 1, 1), date(2026, 3, 31))  # fmt: skip
    assert ziel == pytest.approx(350 * 90 / 725)
    assert (anfang, ende) == (date(2026, 1, 1), date(2026, 3, 31))
    # a period reaching before the start and past the due date is cut to the target time
    ziel, anfang, ende = anteiliges_ziel(10.0, 110.0, date(2025, 1, 1), date(2025, 12, 31),
                                         date(2024, 1, 1), date(2027, 1, 1))  # fmt: skip
    assert ziel == pytest.approx(100.0) and (anfang, ende) == (date(2025, 1, 1), date(2025, 12, 31))
    # outside the target time: no target for that period
    assert (
        anteiliges_ziel(0, 50, date(2025, 1, 1), date(2025, 6, 30), date(2026, 1, 1), None) is None
    )


def _personen(daten: Any, anzahl: int, tag: str, start: int) -> None:
    daten.befragungen(
        {"code": f"p{start + i:04d}", "standort": "S1", "welle": "T0", "datum": tag,
         "migrationshintergrund": "ja"}
        for i in range(anzahl)
    )  # fmt: skip


@pytest.fixture
def a1_daten(daten: Any) -> Any:
    """Site S1 (start 01.01.2025), A1 target 100 persons by 31.12.2026 (730 days); 50 persons
    in Q1 2025, 10 in Q1 2026, 10 in Q3 2026."""
    daten.standorte(["S1"])
    daten.zielwerte([{"indikator": "A1", "standort": "S1", "basiswert": 0, "zielwert": 100,
                      "stichtag": "2026-12-31"}])  # fmt: skip
    _personen(daten, 50, "2025-02-10", 0)
    _personen(daten, 10, "2026-02-10", 100)
    _personen(daten, 10, "2026-08-10", 200)
    return daten


def _a1(ergebnis: Any) -> Any:
    t = ergebnis.indikatoren
    return t[(t["indikator"] == "A1") & (t["standort"] == "S1") & (t["gruppe"] == "gesamt")].iloc[0]


def test_quartal_wird_am_anteiligen_ziel_gemessen(a1_daten: Any) -> None:
    """Q1 2026: 10 persons against 100 · 90/730 = 12.33 → 81.1 %. Judged at the quarter's end,
    when the whole share is due: 81.1 % ≥ 60 % of the expected 100 % → Verzug. Against the
    whole target the quarter read 10 % "kritisch"."""
    auswahl = Filter(standorte=("S1",), von=date(2026, 1, 1), bis=date(2026, 3, 31))
    ergebnis = berechne(a1_daten.db, auswahl, Schwellen(), HEUTE)
    a1 = _a1(ergebnis)
    assert a1["wert"] == 10
    assert ergebnis.bewertet_am == date(2026, 3, 31)
    assert a1["zielwert"] == pytest.approx(100 * 90 / 730)
    assert a1["basiswert"] == 0
    assert a1["stichtag"].date() == date(2026, 3, 31)
    assert bool(a1["ziel_anteilig"])
    assert a1["zielerreichung"] == pytest.approx(100 * 10 / (100 * 90 / 730))
    assert a1["status"] == "Verzug"
    # the whole period: the full target, not marked as pro rata
    ganz = _a1(berechne(a1_daten.db, Filter(standorte=("S1",)), Schwellen(), HEUTE))
    assert ganz["zielwert"] == 100 and not bool(ganz["ziel_anteilig"])


def test_foerdergeber_am_ende_des_letzten_freigegebenen_quartals(a1_daten: Any) -> None:
    """Approved: Q1 2025 and Q1 2026 → 60 persons, judged on 31.03.2026, when 454 of 729 days
    have passed: expected 62.3 %, attained 60 % → 96 % of the expected → auf Kurs. Judged
    "today" (27.11.2026, 695/729 = 95.3 % expected) it would read Verzug (63 %)."""
    freigegeben = {("S1", "2025-Q1"), ("S1", "2026-Q1")}
    ergebnis = berechne(a1_daten.db, Filter(), Schwellen(), HEUTE, zellen=freigegeben)
    a1 = _a1(ergebnis)
    assert a1["wert"] == 60
    assert ergebnis.bewertet_am == date(2026, 3, 31)
    assert (60 / 100) / (454 / 729) >= 0.9 > (60 / 100) / (695 / 729)
    assert a1["status"] == "auf Kurs"
    # all data (up to Q3 2026): judged at 30.09.2026, 637/729 expected, 70 % → 80 % → Verzug
    alle = berechne(a1_daten.db, Filter(), Schwellen(), HEUTE)
    assert alle.bewertet_am == date(2026, 9, 30)
    assert 0.6 <= 0.7 / (637 / 729) < 0.9
    assert _a1(alle)["status"] == "Verzug"


def test_foerdergeber_gitter_am_ende_des_letzten_freigegebenen_quartals(a1_daten: Any) -> None:
    """The funder's protected lattice path judges at the same day as the direct engine path."""
    from indikatoren.engine import basen, nur_zellen
    from indikatoren.schutzgitter import aus_gitter, schutzgitter

    freigegeben = {("S1", "2025-Q1"), ("S1", "2026-Q1")}
    grundlagen = {g: nur_zellen(b, freigegeben) for g, b in basen(a1_daten.db).items()}
    ergebnis = aus_gitter(schutzgitter(grundlagen, Schwellen()), Filter(), heute=HEUTE)
    assert ergebnis.bewertet_am == date(2026, 3, 31)
    a1 = _a1(ergebnis)
    assert a1["wert"] == 60 and a1["status"] == "auf Kurs"


def test_ziel_gegen_richtung_gekennzeichnet(a1_daten: Any) -> None:
    """A target below its baseline on A1 (stored before the check, unconfirmed) is marked as
    against the direction and not judged; once confirmed, it is judged and marked confirmed."""
    db = a1_daten.db
    with db.transaction() as cur:
        cur.execute("UPDATE zielwerte SET basiswert = 120 WHERE indikator = 'A1'")
    a1 = _a1(berechne(db, Filter(standorte=("S1",)), Schwellen(), HEUTE))
    assert bool(a1["ziel_gegen_richtung"]) and not bool(a1["ziel_richtung_bestaetigt"])
    assert a1["status"] == "keine Daten" and math.isnan(a1["zielerreichung"])  # not judged
    with db.transaction() as cur:
        cur.execute("UPDATE zielwerte SET richtung_bestaetigt = true WHERE indikator = 'A1'")
    a1 = _a1(berechne(db, Filter(standorte=("S1",)), Schwellen(), HEUTE))
    assert bool(a1["ziel_gegen_richtung"]) and bool(a1["ziel_richtung_bestaetigt"])
    # the attainment formula itself is unchanged: (70 - 120) / (100 - 120) = 250 %
    assert a1["zielerreichung"] == pytest.approx(100 * (70 - 120) / (100 - 120))

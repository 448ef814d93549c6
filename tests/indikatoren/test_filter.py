"""Filters and breakdowns of the engine: sites, period, formats, groupings, quarters, match rate.

One small data set (thresholds 1 person / 1 pair so nothing is suppressed for size), all
expected values counted by hand from the table below.

code site T0 date    T0 fmt   T1 date (site)   T1 fmt   MH   Geschlecht Alter    zuf häufigkeit
n1   NORD 2025-01-15 digital  2025-04-10       digital  ja   weiblich   18_26     5  2→4 (+2)
n2   NORD 2025-02-20 praesenz 2025-05-15       praesenz nein maennlich  27_49     3  3→3 (0)
n3   NORD 2025-03-10 hybrid   2025-07-01       hybrid   ja   weiblich   unter_18  4  1→2 (+1)
n4   NORD 2025-04-05 digital  —                         nein divers     50_plus
s1   SUED 2025-01-20 praesenz 2025-04-20       praesenz ja   k. A.      18_26     4  2→5 (+3)
s2   SUED 2025-02-10 digital  2025-06-30       digital  nein weiblich   k. A.     2  4→4 (0)
s3   SUED 2025-05-05 praesenz 2025-08-15       praesenz ja   maennlich  27_49     5  3→4 (+1)
w1   WEST 2025-02-01 digital  2025-05-01       digital  nein weiblich   18_26     5  1→3 (+2)
w2   WEST 2025-03-01 digital  2025-06-01 NORD! digital  ja   maennlich  18_26     1  2→5 (no pair)
s1 also has T2 on 2025-10-01 (häufigkeit 5: +3 against T0).

Activities: a NORD 2025-01-10 digital public reach 10; b NORD 2025-04-10 praesenz not public;
c NORD 2025-07-10 hybrid public 30; d SUED 2025-02-10 praesenz public 20; e SUED 2025-04-01
digital public 5; f WEST 2025-03-10 digital public 7.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from indikatoren.engine import Ergebnis, berechne
from indikatoren.filter import Filter, Gruppierung
from indikatoren.unterdrueckung import GESAMT, Schwellen
from monitor.db import Datenbank

SCHWELLEN = Schwellen(min_personen=1, min_paare=1)

_P = [  # code, site, T0 date, T0 format, T1 date, T1 site, T1 format, mh, sex, age, zuf, h0, h1
    ("n1", "NORD", "2025-01-15", "digital", "2025-04-10", "NORD", "digital", "ja",
     "weiblich", "18_26", 5, 2, 4),
    ("n2", "NORD", "2025-02-20", "praesenz", "2025-05-15", "NORD", "praesenz", "nein",
     "maennlich", "27_49", 3, 3, 3),
    ("n3", "NORD", "2025-03-10", "hybrid", "2025-07-01", "NORD", "hybrid", "ja",
     "weiblich", "unter_18", 4, 1, 2),
    ("n4", "NORD", "2025-04-05", "digital", None, None, None, "nein",
     "divers", "50_plus", None, 3, None),
    ("s1", "SUED", "2025-01-20", "praesenz", "2025-04-20", "SUED", "praesenz", "ja",
     "keine_angabe", "18_26", 4, 2, 5),
    ("s2", "SUED", "2025-02-10", "digital", "2025-06-30", "SUED", "digital", "nein",
     "weiblich", "keine_angabe", 2, 4, 4),
    ("s3", "SUED", "2025-05-05", "praesenz", "2025-08-15", "SUED", "praesenz", "ja",
     "maennlich", "27_49", 5, 3, 4),
    ("w1", "WEST", "2025-02-01", "digital", "2025-05-01", "WEST", "digital", "nein",
     "weiblich", "18_26", 5, 1, 3),
    ("w2", "WEST", "2025-03-01", "digital", "2025-06-01", "NORD", "digital", "ja",
     "maennlich", "18_26", 1, 2, 5),
]  # fmt: skip

_AKTIVITAETEN = [  # id, site, date, format, public, reach
    ("a", "NORD", "2025-01-10", "digital", "ja", 10),
    ("b", "NORD", "2025-04-10", "praesenz", "nein", None),
    ("c", "NORD", "2025-07-10", "hybrid", "ja", 30),
    ("d", "SUED", "2025-02-10", "praesenz", "ja", 20),
    ("e", "SUED", "2025-04-01", "digital", "ja", 5),
    ("f", "WEST", "2025-03-10", "digital", "ja", 7),
]


def _befragungen() -> list[dict[str, Any]]:
    zeilen = []
    for code, ort, d0, f0, d1, ort1, f1, mh, sex, alter, zuf, h0, h1 in _P:
        person = {"code": f"filt_{code}", "geschlecht": sex, "altersgruppe": alter}
        zeilen.append(
            {
                **person,
                "standort": ort,
                "welle": "T0",
                "datum": d0,
                "format": f0,
                "migrationshintergrund": mh,
                "a_kontakt_haeufigkeit": h0,
            }
        )
        if d1:
            zeilen.append(
                {
                    **person,
                    "standort": ort1,
                    "welle": "T1",
                    "datum": d1,
                    "format": f1,
                    "zufriedenheit": zuf,
                    "a_kontakt_haeufigkeit": h1,
                }
            )
    zeilen.append(
        {
            "code": "filt_s1",
            "standort": "SUED",
            "welle": "T2",
            "datum": "2025-10-01",
            "format": "praesenz",
            "a_kontakt_haeufigkeit": 5,
        }
    )
    return zeilen


@pytest.fixture(scope="module")
def db(neue_testdaten: Any) -> Datenbank:
    """Module-wide database (overrides the per-test ``db``); every test only reads."""
    daten = neue_testdaten()
    daten.standorte(["NORD", "SUED", "WEST"])
    daten.befragungen(_befragungen())
    daten.aktivitaeten(
        [
            {
                "aktivitaet_id": i,
                "standort": s,
                "datum": d,
                "format": f,
                "oeffentlich": o,
                "reichweite": r,
                "teilnehmende_gesamt": 10,
            }
            for i, s, d, f, o, r in _AKTIVITAETEN
        ]
    )
    return daten.db


def _rechne(db: Any, **filter_: Any) -> Ergebnis:
    return berechne(db, filter_=Filter(**filter_), schwellen=SCHWELLEN)


def _wert(
    ergebnis: Ergebnis,
    indikator: str,
    standort: str = GESAMT,
    gruppe: str = GESAMT,
    periode: str = GESAMT,
    spalte: str = "wert",
) -> float:
    ind = ergebnis.indikatoren
    zeile = ind[
        (ind["indikator"] == indikator)
        & (ind["standort"] == standort)
        & (ind["gruppe"] == gruppe)
        & (ind["periode"] == periode)
    ]
    assert len(zeile) == 1, (indikator, standort, gruppe, periode, len(zeile))
    assert not zeile["unterdrueckt"].iloc[0], (indikator, standort, gruppe, periode)
    return float(zeile[spalte].iloc[0])


@pytest.fixture(scope="module")
def alles(db: Any) -> Ergebnis:
    return _rechne(db)


def test_ohne_filter(alles: Ergebnis) -> None:
    assert _wert(alles, "A1") == 9
    # A3 T1 ≥ 4: n1 n3 s1 s3 w1 of n1 n2 n3 s1 s2 s3 w1 w2 → 5/8
    assert _wert(alles, "A3") == pytest.approx(100 * 5 / 8)
    # pairs: n1 +2, n2 0, n3 +1, s1 +3, s2 0, s3 +1, w1 +2 → 9/7 (w2 moved: no pair)
    assert _wert(alles, "A5") == pytest.approx(9 / 7)
    assert _wert(alles, "A5", spalte="n") == 7
    assert _wert(alles, "B3") == 5  # a c d e f
    assert _wert(alles, "B6") == 72  # 10 + 30 + 20 + 5 + 7


def test_standortfilter(db: Any) -> None:
    ergebnis = _rechne(db, standorte=("NORD", "SUED"))
    for tabelle in (ergebnis.indikatoren, ergebnis.vorher_nachher):
        assert set(tabelle["standort"]) == {GESAMT, "NORD", "SUED"}
    assert _wert(ergebnis, "A1") == 7  # NORD 4 + SUED 3
    # T1 at NORD: n1 ✓ n2 n3 ✓ w2 (moved here) → 2/4; SUED s1 ✓ s2 s3 ✓ → 2/3; pooled 4/7
    assert _wert(ergebnis, "A3", "NORD") == pytest.approx(50.0)
    assert _wert(ergebnis, "A3") == pytest.approx(100 * 4 / 7)
    # pairs NORD +2 0 +1, SUED +3 0 +1 → 7/6
    assert _wert(ergebnis, "A5") == pytest.approx(7 / 6)
    assert _wert(ergebnis, "B3") == 4  # f (WEST) is out
    assert _wert(ergebnis, "B6") == 65
    # w2's T1 at NORD is another person than w2 at WEST (the key is standort, code, welle):
    # no T0 at NORD, so no migration background – mit_mh at NORD is n1 n3, both matched
    assert _wert(ergebnis, "A3", "NORD", "mit_mh") == pytest.approx(100.0)


def test_zeitraum(db: Any) -> None:
    """von/bis inclusive. Pairs count by their T1 date, even with T0 before the period."""
    ergebnis = _rechne(db, von=date(2025, 4, 1), bis=date(2025, 6, 30))
    assert _wert(ergebnis, "A1") == 2  # T0 in the period: n4, s3
    # T1 in the period: n1 ✓ n2 s1 ✓ s2 (30.6., last day) w1 ✓ w2 → 3/6; n3, s3 later
    assert _wert(ergebnis, "A3") == pytest.approx(50.0)
    assert _wert(ergebnis, "A3", spalte="n") == 6
    # pairs with T1 in the period: n1 +2, n2 0, s1 +3, s2 0, w1 +2 → 7/5
    assert _wert(ergebnis, "A5") == pytest.approx(7 / 5)
    assert _wert(ergebnis, "A5", spalte="n") == 5
    assert _wert(ergebnis, "B3") == 1  # e on 1.4. (first day); b is not public
    assert _wert(ergebnis, "B6") == 5


def test_formate(db: Any) -> None:
    ergebnis = _rechne(db, formate=("digital",))
    assert _wert(ergebnis, "A1") == 5  # T0 digital: n1 n4 s2 w1 w2
    assert _wert(ergebnis, "A3") == pytest.approx(50.0)  # T1 digital: n1 ✓ s2 w1 ✓ w2
    assert _wert(ergebnis, "A5") == pytest.approx(4 / 3)  # n1 +2, s2 0, w1 +2
    assert _wert(ergebnis, "B3") == 3  # a e f
    mehrere = _rechne(db, formate=("digital", "hybrid"))
    assert _wert(mehrere, "A1") == 6  # + n3
    assert _wert(mehrere, "B3") == 4  # + c


def test_gruppierung_format(db: Any) -> None:
    ergebnis = _rechne(db, gruppierung=Gruppierung.FORMAT)
    a1 = ergebnis.indikatoren[ergebnis.indikatoren["indikator"] == "A1"]
    assert set(a1["gruppe"]) == {GESAMT, "digital", "hybrid", "praesenz"}
    assert _wert(ergebnis, "A1", gruppe="digital") == 5
    assert _wert(ergebnis, "A1", gruppe="praesenz") == 3  # n2 s1 s3
    assert _wert(ergebnis, "A1", gruppe="hybrid") == 1
    assert _wert(ergebnis, "A3", gruppe="praesenz") == pytest.approx(100 * 2 / 3)  # n2 s1 ✓ s3 ✓
    # activities by their own format
    assert _wert(ergebnis, "B3", gruppe="digital") == 3
    assert _wert(ergebnis, "B3", gruppe="hybrid") == 1
    assert _wert(ergebnis, "B3", gruppe="praesenz") == 1  # d (b not public)


def test_gruppierung_geschlecht(db: Any) -> None:
    ergebnis = _rechne(db, gruppierung=Gruppierung.GESCHLECHT)
    a1 = ergebnis.indikatoren[ergebnis.indikatoren["indikator"] == "A1"]
    # keine_angabe (s1) is no group, but counts in the total
    assert set(a1["gruppe"]) == {GESAMT, "weiblich", "maennlich", "divers"}
    assert _wert(ergebnis, "A1", gruppe="weiblich") == 4  # n1 n3 s2 w1
    assert _wert(ergebnis, "A1", gruppe="maennlich") == 3  # n2 s3 w2
    assert _wert(ergebnis, "A1", gruppe="divers") == 1
    assert _wert(ergebnis, "A1") == 9
    # pairs: weiblich n1 +2, n3 +1, s2 0, w1 +2 → 5/4; maennlich n2 0, s3 +1 → 1/2
    assert _wert(ergebnis, "A5", gruppe="weiblich") == pytest.approx(1.25)
    assert _wert(ergebnis, "A5", gruppe="maennlich") == pytest.approx(0.5)
    b3 = ergebnis.indikatoren[ergebnis.indikatoren["indikator"] == "B3"]
    assert set(b3["gruppe"]) == {GESAMT}  # activities have no gender


def test_gruppierung_altersgruppe(db: Any) -> None:
    ergebnis = _rechne(db, gruppierung=Gruppierung.ALTERSGRUPPE)
    a1 = ergebnis.indikatoren[ergebnis.indikatoren["indikator"] == "A1"]
    assert set(a1["gruppe"]) == {GESAMT, "unter_18", "18_26", "27_49", "50_plus"}
    assert _wert(ergebnis, "A1", gruppe="18_26") == 4  # n1 s1 w1 w2
    assert _wert(ergebnis, "A1", gruppe="27_49") == 2
    assert _wert(ergebnis, "A1", "NORD", "unter_18") == 1
    # T1 ≥ 4 among 18_26: n1 ✓ s1 ✓ w1 ✓ w2 → 3/4
    assert _wert(ergebnis, "A3", gruppe="18_26") == pytest.approx(75.0)


def test_nach_quartal(db: Any) -> None:
    ergebnis = _rechne(db, nach_quartal=True)
    ind = ergebnis.indikatoren
    a1 = ind[ind["indikator"] == "A1"]
    assert {GESAMT, "2025-Q1", "2025-Q2"} <= set(a1["periode"])
    for periode in set(ind["periode"]) - {GESAMT}:
        assert pd.Series([periode]).str.fullmatch(r"20\d\d-Q[1-4]").all()
    # A1 by T0 quarter: Q1 n1 n2 n3 s1 s2 w1 w2 = 7, Q2 n4 s3 = 2; NORD Q2 = n4
    assert _wert(ergebnis, "A1", periode="2025-Q1") == 7
    assert _wert(ergebnis, "A1", periode="2025-Q2") == 2
    assert _wert(ergebnis, "A1", "NORD", periode="2025-Q2") == 1
    assert _wert(ergebnis, "A1") == 9
    # A3 by T1 quarter: Q2 n1 ✓ n2 s1 ✓ s2 w1 ✓ w2 → 3/6; Q3 n3 ✓ s3 ✓ → 2/2; whole 5/8
    assert _wert(ergebnis, "A3", periode="2025-Q2") == pytest.approx(50.0)
    assert _wert(ergebnis, "A3", periode="2025-Q3") == pytest.approx(100.0)
    assert _wert(ergebnis, "A3") == pytest.approx(62.5)
    # pairs by T1 quarter: Q2 +2 0 +3 0 +2 → 7/5; Q3 +1 +1 → 1
    assert _wert(ergebnis, "A5", periode="2025-Q2") == pytest.approx(1.4)
    assert _wert(ergebnis, "A5", periode="2025-Q3") == pytest.approx(1.0)
    # public activities: Q1 a d f = 3, Q2 e = 1, Q3 c = 1
    assert _wert(ergebnis, "B3", periode="2025-Q1") == 3
    assert _wert(ergebnis, "B3", periode="2025-Q2") == 1
    assert _wert(ergebnis, "B3", periode="2025-Q3") == 1
    assert _wert(ergebnis, "B3") == 5


def test_match_quote_je_standort(alles: Ergebnis) -> None:
    """T0 codes that reached T1 at the same site: NORD n1 n2 n3 of 4; SUED 3/3; WEST w1 of 2
    (w2 went to NORD); whole 7/9. T2: SUED s1 of 3."""
    vn = alles.vorher_nachher
    a5 = vn[(vn["indikator"] == "A5") & (vn["gruppe"] == GESAMT) & (vn["periode"] == GESAMT)]
    t1 = a5[a5["welle"] == "T1"].set_index("standort")
    erwartet = {"NORD": (4, 3), "SUED": (3, 3), "WEST": (2, 1), GESAMT: (9, 7)}
    for standort, (n_t0, n_erreicht) in erwartet.items():
        assert (t1.loc[standort, "n_t0"], t1.loc[standort, "n_erreicht"]) == (n_t0, n_erreicht)
        assert t1.loc[standort, "match_quote"] == pytest.approx(100 * n_erreicht / n_t0)
        assert not t1.loc[standort, "match_unterdrueckt"]
    t2 = a5[a5["welle"] == "T2"].set_index("standort")
    assert (t2.loc["SUED", "n_t0"], t2.loc["SUED", "n_erreicht"]) == (3, 1)
    assert t2.loc["SUED", "n_paare"] == 1
    assert t2.loc["SUED", "differenz"] == pytest.approx(3.0)  # s1 2 → 5
    assert set(vn["welle"]) == {"T1", "T2"}

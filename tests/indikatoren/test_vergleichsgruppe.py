"""Comparison group and difference-in-differences (issue 15), against independent values.

Scores (A7, the 0–100 thermometer) are checked against ``scipy.stats.ttest_ind(equal_var=False)``
on the per-person changes and against a small example worked by hand; yes/no changes (C2) against
the MOVER formula written out here on Newcombe's published hybrid intervals. The engine's own
indicators must not move when comparison-group people are added.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from indikatoren.engine import berechne
from indikatoren.filter import Filter
from indikatoren.unterdrueckung import Schwellen
from indikatoren.vergleichsgruppe import mit_vergleichsgruppe, mover, vergleichstabelle

T0, T1 = "2025-02-10", "2025-05-12"
OFFEN = Schwellen(min_personen=1, min_paare=2)


def _paar(code: str, standort: str, vorher: float, nachher: float, vg: bool, **t0: object):
    """Two questionnaires of one person (thermometer before/after); T1 carries no vg mark."""
    return [
        {
            "code": code,
            "standort": standort,
            "welle": "T0",
            "datum": T0,
            "migrationshintergrund": "ja",
            "vergleichsgruppe": "ja" if vg else None,
            "a_thermometer": vorher,
            **t0,
        },
        {"code": code, "standort": standort, "welle": "T1", "datum": T1, "a_thermometer": nachher},
    ]


def _zeilen(standort: str, paare: list[tuple[float, float]], vg: bool, praefix: str) -> list:
    return [
        zeile
        for i, (v, n) in enumerate(paare)
        for zeile in _paar(f"{praefix}{i}", standort, v, n, vg)
    ]


# Hand-worked: participants change by 10, 20, 30 (mean 20, s² = 100, se² = 100/3);
# comparison by 0, 10 (mean 5, s² = 50, se² = 25). DiD = 15, SE = √(100/3 + 25) = 7.6376,
# df = (58.333)² / ((33.333)²/2 + 25²/1) = 3402.78 / 1180.56 = 2.8824.
TEILNEHMENDE = [(50, 60), (40, 60), (30, 60)]
VERGLEICH = [(50, 50), (40, 50)]


@pytest.fixture
def klein(daten):
    daten.standorte(["BER"])
    daten.befragungen(
        _zeilen("BER", TEILNEHMENDE, False, "t") + _zeilen("BER", VERGLEICH, True, "v")
    )
    return daten.db


def _zeile(tabelle: pd.DataFrame, indikator: str, standort: str = "gesamt") -> pd.Series:
    treffer = tabelle[
        (tabelle["indikator"] == indikator)
        & (tabelle["standort"] == standort)
        & (tabelle["welle"] == "T1")
    ]
    assert len(treffer) == 1
    return treffer.iloc[0]


def test_handgerechnetes_beispiel(klein) -> None:
    z = _zeile(vergleichstabelle(klein, schwellen=OFFEN), "A7")
    assert (z["n_teilnehmende"], z["n_vergleich"]) == (3, 2)
    assert z["veraenderung_teilnehmende"] == pytest.approx(20)
    assert z["veraenderung_vergleich"] == pytest.approx(5)
    assert z["did"] == pytest.approx(15)
    assert z["freiheitsgrade"] == pytest.approx(2.8824, abs=1e-4)
    halb = stats.t.ppf(0.975, 2.882353) * math.sqrt(100 / 3 + 25)
    assert z["ci_unten"] == pytest.approx(15 - halb, abs=1e-3)
    assert z["ci_oben"] == pytest.approx(15 + halb, abs=1e-3)
    assert not z["unterdrueckt"]


def test_gleich_scipy_welch(daten) -> None:
    rng = np.random.default_rng(15)
    daten.standorte(["BER", "HAM"])
    zeilen, aenderungen = [], {True: [], False: []}
    for standort in ("BER", "HAM"):
        for vg, anzahl, trend in ((False, 14, 9), (True, 11, 3)):
            vorher = [int(x) for x in rng.integers(10, 70, anzahl)]
            nachher = [
                min(100, max(0, v + trend + int(r)))
                for v, r in zip(vorher, rng.integers(-15, 16, anzahl), strict=True)
            ]
            aenderungen[vg] += [n - v for v, n in zip(vorher, nachher, strict=True)]
            praefix = f"{standort}{'v' if vg else 't'}"
            zeilen += _zeilen(standort, list(zip(vorher, nachher, strict=True)), vg, praefix)
    daten.befragungen(zeilen)
    z = _zeile(vergleichstabelle(daten.db, schwellen=Schwellen()), "A7")
    test = stats.ttest_ind(aenderungen[False], aenderungen[True], equal_var=False)
    ci = test.confidence_interval(0.95)
    assert (z["n_teilnehmende"], z["n_vergleich"]) == (28, 22)
    assert z["did"] == pytest.approx(np.mean(aenderungen[False]) - np.mean(aenderungen[True]))
    assert z["p_wert"] == pytest.approx(test.pvalue, rel=1e-9)
    assert z["freiheitsgrade"] == pytest.approx(test.df, rel=1e-9)
    assert (z["ci_unten"], z["ci_oben"]) == pytest.approx((ci.low, ci.high), rel=1e-9)
    # t = DiD / SE, as scipy's statistic
    se = (z["ci_oben"] - z["did"]) / stats.t.ppf(0.975, z["freiheitsgrade"])
    assert z["did"] / se == pytest.approx(test.statistic, rel=1e-9)


def test_ja_nein_mover_auf_newcombe(daten) -> None:
    """C2 (c_aktiv): participants 10 pairs with 3 yes→no and 7 no→no would be Newcombe's
    example … here: participants b=5 (no→yes), c=0, 5 no→no; comparison b=1, c=1, 8 no→no.
    Expected: each group's Newcombe interval (the engine's own pre/post table gives it for
    participants, checked against Newcombe's paper in test_statistik) and MOVER by hand."""
    daten.standorte(["BER"])
    zeilen = []

    def person(code: str, vorher: str, nachher: str, vg: bool) -> None:
        zeilen.extend(
            [
                {"code": code, "standort": "BER", "welle": "T0", "datum": T0,
                 "vergleichsgruppe": "ja" if vg else "nein", "c_aktiv": vorher},
                {"code": code, "standort": "BER", "welle": "T1", "datum": T1, "c_aktiv": nachher},
            ]
        )  # fmt: skip

    for i in range(10):
        person(f"t{i}", "nein", "ja" if i < 5 else "nein", False)
    for i in range(10):
        person(f"v{i}", "ja" if i == 0 else "nein", "ja" if i == 1 else "nein", True)
    daten.befragungen(zeilen)
    z = _zeile(vergleichstabelle(daten.db, schwellen=Schwellen()), "C2")
    assert (z["n_teilnehmende"], z["n_vergleich"]) == (10, 10)
    assert z["did"] == pytest.approx(50.0)

    # Newcombe (1998) method 10 by hand for each 2×2 table [[a, b], [c, d]] (Wilson limits of
    # both margins, square-and-add with the phi correction), then MOVER (Zou & Donner 2008).
    def wilson(k: float, n: float) -> tuple[float, float]:
        z = 1.959963984540054
        p = k / n
        mitte = (p + z * z / (2 * n)) / (1 + z * z / n)
        halb = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return mitte - halb, mitte + halb

    def newcombe(a: int, b: int, c: int, d: int) -> tuple[float, float, float]:
        n = a + b + c + d
        p1, p2 = (a + b) / n, (a + c) / n  # after yes, before yes
        l1, u1 = wilson(a + b, n)
        l2, u2 = wilson(a + c, n)
        zaehler = a * d - b * c
        zaehler = max(zaehler - n / 2, 0) if zaehler > 0 else zaehler
        nenner = math.sqrt((a + b) * (c + d) * (a + c) * (b + d))
        phi = zaehler / nenner if nenner else 0.0
        theta = p1 - p2
        unten = theta - math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
        oben = theta + math.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
        return 100 * theta, 100 * unten, 100 * oben

    t1, lo1, hi1 = newcombe(0, 5, 0, 5)
    t2, lo2, hi2 = newcombe(0, 1, 1, 8)
    unten = (t1 - t2) - math.sqrt((t1 - lo1) ** 2 + (hi2 - t2) ** 2)
    oben = (t1 - t2) + math.sqrt((hi1 - t1) ** 2 + (t2 - lo2) ** 2)
    assert (z["ci_unten"], z["ci_oben"]) == pytest.approx((unten, oben), abs=1e-9)
    assert unten < 50 < oben
    assert math.isnan(z["p_wert"])


def test_mover_mit_symmetrischen_intervallen_ist_wurzel_summe() -> None:
    """With symmetric intervals ±h1, ±h2 MOVER is θ1 − θ2 ± √(h1² + h2²)."""
    unten, oben = mover(10, 4, 16, 3, -5, 11)
    assert float(unten) == pytest.approx(7 - 10)
    assert float(oben) == pytest.approx(7 + 10)


def test_vergleichsgruppe_aendert_keinen_indikator(daten) -> None:
    """The base of every indicator stays the participants: adding comparison people (with other
    answers, at T0 and T1) leaves the engine's tables exactly as they were."""
    daten.standorte(["BER"])
    daten.befragungen(_zeilen("BER", TEILNEHMENDE, False, "t"))
    vorher = berechne(daten.db, Filter(), OFFEN)
    daten.befragungen(_zeilen("BER", [(0, 100), (100, 0), (5, 95)], True, "v"))
    nachher = berechne(daten.db, Filter(), OFFEN)
    pd.testing.assert_frame_equal(vorher.indikatoren, nachher.indikatoren)
    pd.testing.assert_frame_equal(vorher.vorher_nachher, nachher.vorher_nachher)
    a7 = nachher.vorher_nachher
    a7 = a7[(a7["indikator"] == "A7") & (a7["standort"] == "gesamt") & (a7["gruppe"] == "gesamt")]
    assert a7[a7["welle"] == "T1"].iloc[0]["differenz"] == pytest.approx(20)


def test_ohne_vergleichsgruppe_leer(daten) -> None:
    daten.standorte(["BER"])
    daten.befragungen(_zeilen("BER", TEILNEHMENDE, False, "t"))
    assert vergleichstabelle(daten.db, schwellen=OFFEN).empty


def test_kleine_gruppen_unterdrueckt(daten) -> None:
    """Threshold 10 pairs: BER's comparison group has 9 → BER hidden; HAM (12 and 12) alone
    beside the total would give BER back (total − HAM), so HAM is hidden as well."""
    daten.standorte(["BER", "HAM", "MUC"])
    zeilen = []
    for standort, n_t, n_v in (("BER", 12, 9), ("HAM", 12, 12), ("MUC", 12, 15)):
        zeilen += _zeilen(standort, [(40 + i, 50 + i) for i in range(n_t)], False, f"{standort}t")
        zeilen += _zeilen(standort, [(40 + i, 45) for i in range(n_v)], True, f"{standort}v")
    daten.befragungen(zeilen)
    tabelle = vergleichstabelle(daten.db, schwellen=Schwellen())
    a7 = tabelle[(tabelle["indikator"] == "A7") & (tabelle["welle"] == "T1")].set_index("standort")
    assert bool(a7.loc["BER", "unterdrueckt"])
    assert math.isnan(a7.loc["BER", "did"]) and math.isnan(a7.loc["BER", "n_vergleich"])
    assert bool(a7.loc["HAM", "unterdrueckt"])  # secondary: the smallest other site
    assert not a7.loc["MUC", "unterdrueckt"] and not a7.loc["gesamt", "unterdrueckt"]
    assert a7.loc["gesamt", "n_vergleich"] == 36
    gezeigt = mit_vergleichsgruppe(tabelle)
    assert set(gezeigt[gezeigt["indikator"] == "A7"]["standort"]) == {"gesamt", "MUC"}


def test_standortfilter(klein, daten) -> None:
    daten.standorte(["HAM"])
    daten.befragungen(
        _zeilen("HAM", [(0, 100)] * 3, False, "h") + _zeilen("HAM", VERGLEICH, True, "hv")
    )
    tabelle = vergleichstabelle(klein, Filter(standorte=("BER",)), schwellen=OFFEN)
    assert set(tabelle["standort"]) == {"gesamt", "BER"}
    assert _zeile(tabelle, "A7")["did"] == pytest.approx(15)


def test_gesamt_nur_standorte_mit_vergleichsgruppe(klein, daten) -> None:
    """HAM has participants but no comparison group: the total compares BER's participants with
    BER's comparison group only (HAM's large change would otherwise enter the estimate)."""
    daten.standorte(["HAM"])
    daten.befragungen(_zeilen("HAM", [(0, 100)] * 3, False, "h"))
    tabelle = vergleichstabelle(klein, schwellen=OFFEN)
    assert set(tabelle["standort"]) == {"gesamt", "BER"}
    z = _zeile(tabelle, "A7")
    assert (z["n_teilnehmende"], z["did"]) == (3, pytest.approx(15))


def test_ausfallpruefung_nur_teilnehmende(daten) -> None:
    """The attrition check (T0 baselines with and without follow-up) qualifies the participants'
    effects: comparison people — one of them without T1, far off — do not change it."""
    from indikatoren.datenqualitaet import ausgangswerte

    daten.standorte(["BER"])
    ohne_t1 = [
        {"code": f"o{i}", "standort": "BER", "welle": "T0", "datum": T0, "a_thermometer": 30 + i}
        for i in range(3)
    ]
    daten.befragungen(_zeilen("BER", TEILNEHMENDE, False, "t") + ohne_t1)
    vorher = ausgangswerte(daten.db, schwellen=OFFEN)
    ausreisser = {"code": "vx", "standort": "BER", "welle": "T0", "datum": T0}
    ausreisser |= {"vergleichsgruppe": "ja", "a_thermometer": 100}
    daten.befragungen([ausreisser, *_zeilen("BER", VERGLEICH, True, "v")])
    nachher = ausgangswerte(daten.db, schwellen=OFFEN)
    pd.testing.assert_frame_equal(vorher, nachher)
    a7 = nachher[(nachher["indikator"] == "A7") & (nachher["standort"] == "gesamt")]
    assert (a7.iloc[0]["n_mit"], a7.iloc[0]["n_ohne"]) == (3, 3)

"""indikatoren.statistik against scipy's own tests and a published example, and the engine's
pre/post statistics against scipy.stats.ttest_rel on the very pairs inserted into the database.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from indikatoren import statistik
from indikatoren.engine import berechne
from indikatoren.unterdrueckung import Schwellen

# Student (1908), "The probable error of a mean", data of Cushny & Peebles: extra hours of sleep
# of 10 patients under two drugs (R's `sleep` data set).
DROGE_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
DROGE_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def _kennzahlen(differenzen: list[float]) -> tuple[float, float, int]:
    d = np.asarray(differenzen, dtype=float)
    return float(d.mean()), float(d.std(ddof=1)), len(d)


# -- Wilson ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("k", "n"), [(0, 1), (0, 10), (1, 10), (5, 10), (10, 10), (7, 12), (3, 40), (199, 200)]
)
def test_wilson_wie_scipy(k: int, n: int) -> None:
    unten, oben = statistik.wilson([k], [n])
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert unten[0] == pytest.approx(ci.low, abs=1e-12)
    assert oben[0] == pytest.approx(ci.high, rel=1e-12)


def test_wilson_vektorisiert_und_nenner_null() -> None:
    unten, oben = statistik.wilson([0, 3, 5, 0], [5, 10, 5, 0])
    assert unten.shape == (4,)
    assert unten[0] == pytest.approx(0.0, abs=1e-12)  # k = 0: lower bound exactly 0
    assert oben[2] == pytest.approx(1.0)  # k = n: upper bound exactly 1
    assert np.isnan(unten[3]) and np.isnan(oben[3])
    assert np.all(unten[:3] <= oben[:3])


# -- t-based pre/post statistics ------------------------------------------------------------
def test_student_schlafdaten_veroeffentlichte_werte() -> None:
    """Published: t = -4.06, df = 9, mean difference -1.58, 95 % CI -2.46 to -0.70, p = 0.00283."""
    differenzen = [a - b for a, b in zip(DROGE_1, DROGE_2, strict=True)]
    mittel, sd, n = _kennzahlen(differenzen)
    assert round(mittel, 2) == -1.58
    unten, oben = statistik.t_intervall([mittel], [sd], [n])
    assert round(float(unten[0]), 2) == -2.46
    assert round(float(oben[0]), 2) == -0.70
    t = mittel / (sd / np.sqrt(n))
    assert round(t, 2) == -4.06
    assert statistik.t_test_p([mittel], [sd], [n])[0] == pytest.approx(0.00283, abs=5e-6)
    assert statistik.cohens_dz([mittel], [sd])[0] == pytest.approx(t / np.sqrt(n))


@pytest.mark.parametrize(
    ("vorher", "nachher"),
    [
        (DROGE_2, DROGE_1),
        ([3, 2, 4, 1, 3, 2, 5, 3], [4, 4, 4, 2, 3, 4, 5, 5]),
        ([10.0, 12.5, 9.0], [11.0, 12.0, 13.5]),
    ],
)
def test_t_funktionen_wie_ttest_rel(vorher: list[float], nachher: list[float]) -> None:
    referenz = stats.ttest_rel(nachher, vorher)
    ci = referenz.confidence_interval(0.95)
    mittel, sd, n = _kennzahlen([b - a for a, b in zip(vorher, nachher, strict=True)])
    unten, oben = statistik.t_intervall([mittel], [sd], [n])
    assert (unten[0], oben[0]) == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert statistik.t_test_p([mittel], [sd], [n])[0] == pytest.approx(referenz.pvalue, rel=1e-9)
    assert referenz.df == n - 1
    d_z = statistik.cohens_dz([mittel], [sd])[0]
    assert d_z == pytest.approx(referenz.statistic / np.sqrt(n))
    j = statistik.hedges_j([n])[0]
    assert j == pytest.approx(1 - 3 / (4 * (n - 1) - 1))


def test_t_funktionen_grenzfaelle() -> None:
    # n = 1: no interval; sd = 0: no test, no effect size (scipy's ttest_rel gives NaN too)
    unten, oben = statistik.t_intervall([1.0], [np.nan], [1])
    assert np.isnan(unten[0]) and np.isnan(oben[0])
    assert np.isnan(statistik.t_test_p([1.0], [0.0], [5])[0])
    assert np.isnan(statistik.cohens_dz([1.0], [0.0])[0])
    assert np.isnan(statistik.hedges_j([1])[0])
    # J for n = 10: 1 - 3/35
    assert statistik.hedges_j([10])[0] == pytest.approx(32 / 35)


# -- McNemar, paired shares, Fisher ---------------------------------------------------------
@pytest.mark.parametrize(("b", "c"), [(0, 1), (1, 5), (4, 1), (3, 3), (10, 2), (0, 12), (7, 20)])
def test_mcnemar_exakt_wie_binomtest(b: int, c: int) -> None:
    erwartet = stats.binomtest(min(b, c), b + c, 0.5).pvalue
    assert statistik.mcnemar_p([b], [c])[0] == pytest.approx(erwartet, rel=1e-12)


def test_mcnemar_von_hand() -> None:
    # b = 1, c = 5: P(X ≤ 1 | 6, ½) = (1 + 6)/64 → two-sided 14/64 = 0.21875
    # b = 0, c = 3: 2 · (1/8) = 0.25; b = c = 2: capped at 1; no discordant pair: 1
    p = statistik.mcnemar_p([1, 0, 2, 0], [5, 3, 2, 0])
    assert p == pytest.approx([0.21875, 0.25, 1.0, 1.0])


# Newcombe (1998), "Improved confidence intervals for the difference between binomial
# proportions based on paired data", Stat Med 17:2635-2650, Table III, method 10:
# (a = yes→yes, b, c, d = no→no) with θ = (b − c)/n → published 95 % limits, 4 decimals
# (the paper used z = 1.96;
# one row, (1, 97, 1, 1), differs from the exact quantile in the fourth decimal).
NEWCOMBE_TABELLE_III = [
    ((36, 12, 2, 0), (0.0569, 0.3404)),
    ((20, 12, 2, 16), (0.0562, 0.3292)),
    ((18, 12, 2, 18), (0.0562, 0.3290)),
    ((36, 14, 0, 0), (0.1528, 0.4167)),
    ((35, 14, 0, 1), (0.1461, 0.4175)),
    ((18, 14, 0, 18), (0.1441, 0.3963)),
    ((2, 97, 1, 0), (0.8721, 0.9854)),
    ((1, 97, 1, 1), (0.8736, 0.9850)),
    ((0, 29, 1, 0), (0.6666, 0.9882)),
    ((2, 98, 0, 0), (0.9178, 0.9945)),
    ((1, 98, 0, 1), (0.9171, 0.9916)),
    ((0, 30, 0, 0), (0.8395, 1.0)),
    ((54, 0, 0, 0), (-0.0664, 0.0664)),
    ((53, 0, 0, 1), (-0.0729, 0.0729)),
    ((27, 0, 0, 27), (-0.0351, 0.0351)),
]


def _newcombe(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """Our interval for a table given in Newcombe's layout (b counts towards the later share)."""
    unten, oben = statistik.gepaarte_anteile_intervall([b], [c], [a + b + c + d], [a + c])
    return float(unten[0]), float(oben[0])


@pytest.mark.parametrize(("tabelle", "grenzen"), NEWCOMBE_TABELLE_III)
def test_gepaarte_anteile_newcombe_tabelle_iii(
    tabelle: tuple[int, int, int, int], grenzen: tuple[float, float]
) -> None:
    unten, oben = _newcombe(*tabelle)
    assert unten == pytest.approx(grenzen[0], abs=1e-4)
    assert oben == pytest.approx(grenzen[1], abs=1e-4)


def test_gepaarte_anteile_vorzeichen_spiegeln() -> None:
    # swapping before and after (b ↔ c, a ↔ d... here a stays yes→yes) mirrors the interval
    unten, oben = _newcombe(20, 2, 12, 16)
    assert (unten, oben) == pytest.approx((-0.3292, -0.0562), abs=1e-4)


def test_gepaarte_anteile_faelle_aus_issue() -> None:
    # 10 pairs, 3 yes→no, none no→yes: exact McNemar p = 0.25, so the interval must contain 0
    # for every split of the 7 concordant pairs (the Wald interval gave -58.4 to -1.6 pp).
    assert statistik.mcnemar_p([0], [3])[0] == pytest.approx(0.25)
    for ja_ja in range(8):
        unten, oben = _newcombe(ja_ja, 0, 3, 7 - ja_ja)
        assert unten < 0 < oben
    # 10 of 10 yes→no: the change is -100 pp, but the interval is not of zero width; the
    # upper limit is -1 + sqrt(2)·(Wilson upper limit of 0/10) (φ = 0: a margin is constant).
    unten, oben = _newcombe(0, 0, 10, 0)
    wilson_oben = stats.binomtest(0, 10).proportion_ci(method="wilson").high
    assert unten == -1.0
    assert oben == pytest.approx(-1 + np.sqrt(2) * wilson_oben)
    assert oben > -0.65
    # no pairs: no interval
    unten, oben = statistik.gepaarte_anteile_intervall([0], [0], [0], [0])
    assert np.isnan(unten[0]) and np.isnan(oben[0])


def test_gepaarte_anteile_passen_zum_exakten_mcnemar() -> None:
    """Over every 2×2 table with 10 to 30 pairs: wherever the exact McNemar test is clear
    (p < 0.01) the interval excludes 0, and it excludes 0 only where the exact test is at
    least borderline (p < 0.13: at most 0 vs 4, 1 vs 6 … where the exact test is known to be
    conservative). The Wald interval failed the second check already at 0 vs 3 (p = 0.25)."""
    tabellen = [
        (a, b, c, n - a - b - c)
        for n in range(10, 31)
        for b in range(n + 1)
        for c in range(n + 1 - b)
        for a in range(n + 1 - b - c)
    ]
    a, b, c, d = (np.array(spalte, dtype=float) for spalte in zip(*tabellen, strict=True))
    unten, oben = statistik.gepaarte_anteile_intervall(b, c, a + b + c + d, a + c)
    ohne_null = (unten > 0) | (oben < 0)
    paare = list(zip(np.minimum(b, c).astype(int), (b + c).astype(int), strict=True))
    # exact two-sided McNemar = binomial test of the discordant pairs, once per (k, m)
    exakt = {(k, m): stats.binomtest(k, m).pvalue if m else 1.0 for k, m in set(paare)}
    p = np.array([exakt[paar] for paar in paare])
    assert ohne_null[p < 0.01].all()
    assert (p[ohne_null] < 0.13).all()
    assert (oben - unten > 0).all()


def test_fisher_wie_scipy() -> None:
    tabellen = [(3, 1, 1, 3), (8, 2, 1, 5), (0, 5, 6, 0), (10, 10, 10, 10), (0, 0, 2, 3)]
    p = statistik.fisher_p(*(np.array(spalte) for spalte in zip(*tabellen, strict=True)))
    for i, (a, b, c, d) in enumerate(tabellen[:4]):
        assert p[i] == pytest.approx(stats.fisher_exact([[a, b], [c, d]]).pvalue, rel=1e-12)
    assert np.isnan(p[4])  # an empty row has no test


# -- through the engine ---------------------------------------------------------------------
def _paare_einfuegen(daten: Any, spalte: str, vorher: list, nachher: list) -> None:
    zeilen = []
    for i, (v, n) in enumerate(zip(vorher, nachher, strict=True)):
        code = f"stat_{i:02d}"
        basis = {"code": code, "standort": "STAT", "migrationshintergrund": "ja"}
        zeilen.append({**basis, "welle": "T0", "datum": "2025-03-01", spalte: v})
        zeilen.append({**basis, "welle": "T1", "datum": "2025-06-01", spalte: n})
    daten.befragungen(zeilen)


def _vn_gesamt(ergebnis: Any, indikator: str) -> Any:
    vn = ergebnis.vorher_nachher
    zeile = vn[
        (vn["indikator"] == indikator)
        & (vn["standort"] == "gesamt")
        & (vn["gruppe"] == "gesamt")
        & (vn["welle"] == "T1")
    ]
    assert len(zeile) == 1
    return zeile.iloc[0]


def test_engine_wie_ttest_rel(daten: Any) -> None:
    """12 pairs of a_kontakt_haeufigkeit (A5) with default thresholds: released, and every
    statistic equals scipy's paired t-test on the same before/after vectors."""
    vorher = [1, 2, 2, 3, 1, 4, 2, 3, 3, 2, 1, 5]
    nachher = [3, 2, 4, 3, 2, 5, 2, 4, 5, 3, 1, 4]
    _paare_einfuegen(daten, "a_kontakt_haeufigkeit", vorher, nachher)
    ergebnis = berechne(daten.db, schwellen=Schwellen())
    zeile = _vn_gesamt(ergebnis, "A5")
    referenz = stats.ttest_rel(nachher, vorher)
    ci = referenz.confidence_interval(0.95)
    n = len(vorher)
    d = np.subtract(nachher, vorher)
    assert not zeile["unterdrueckt"]
    assert zeile["n_paare"] == n
    assert zeile["mittel_vorher"] == pytest.approx(np.mean(vorher))
    assert zeile["mittel_nachher"] == pytest.approx(np.mean(nachher))
    assert zeile["differenz"] == pytest.approx(d.mean())
    assert (zeile["ci_unten"], zeile["ci_oben"]) == pytest.approx((ci.low, ci.high))
    assert zeile["p_wert"] == pytest.approx(referenz.pvalue)
    d_z = d.mean() / d.std(ddof=1)
    assert zeile["d_z"] == pytest.approx(d_z)
    assert zeile["g_z"] == pytest.approx(d_z * (1 - 3 / (4 * (n - 1) - 1)))
    indikator = ergebnis.indikatoren
    a5 = indikator[(indikator["indikator"] == "A5") & (indikator["standort"] == "gesamt")]
    a5 = a5[a5["gruppe"] == "gesamt"].iloc[0]
    assert a5["wert"] == pytest.approx(d.mean())
    assert (a5["ci_unten"], a5["ci_oben"]) == pytest.approx((ci.low, ci.high))


def test_engine_schlafdaten_ueber_thermometer(daten: Any) -> None:
    """Student's data through the whole engine: hours·10 + 40 on the 0–100 thermometer (A7);
    T0 = drug 2, T1 = drug 1, so the change is 10·(drug1 - drug2): mean -15.8, CI -24.6 to
    -7.0, p = 0.00283 (scale-free), d_z = -1.58/1.23 = -1.28."""
    vorher = [round(10 * x + 40) for x in DROGE_2]
    nachher = [round(10 * x + 40) for x in DROGE_1]
    _paare_einfuegen(daten, "a_thermometer", vorher, nachher)
    zeile = _vn_gesamt(berechne(daten.db, schwellen=Schwellen()), "A7")
    assert zeile["n_paare"] == 10  # exactly the default minimum: released
    assert not zeile["unterdrueckt"]
    assert round(zeile["differenz"], 1) == -15.8
    assert round(zeile["ci_unten"], 1) == -24.6
    assert round(zeile["ci_oben"], 1) == -7.0
    assert zeile["p_wert"] == pytest.approx(0.00283, abs=5e-6)
    assert round(zeile["d_z"], 2) == -1.28
    assert zeile["g_z"] == pytest.approx(zeile["d_z"] * 32 / 35)
    # d_av from the engine's sums equals d_av from the two vectors' own SDs and correlation
    vor, nach = np.array(vorher, dtype=float), np.array(nachher, dtype=float)
    erwartet = statistik.d_av(
        [np.mean(nach - vor)], [vor.var(ddof=1)], [nach.var(ddof=1)], [(nach - vor).var(ddof=1)],
        [10],
    )  # fmt: skip
    assert (zeile["d_av"], zeile["d_av_unten"], zeile["d_av_oben"]) == pytest.approx(
        tuple(float(x[0]) for x in erwartet)
    )
    s = np.sqrt((vor.var(ddof=1) + nach.var(ddof=1)) / 2)
    assert zeile["d_av"] == pytest.approx(np.mean(nach - vor) / s)


def test_engine_ja_nein_mcnemar(daten: Any) -> None:
    """C2 with 12 pairs: b = 5 (nein→ja), c = 1 (ja→nein), 6 concordant (3 ja-ja, 3 nein-nein).
    Difference 100·4/12 = 33.33 pp; before 4/12, after 8/12; p = binomtest(1, 6) = 0.21875."""
    vorher = ["nein"] * 5 + ["ja"] + ["ja"] * 3 + ["nein"] * 3
    nachher = ["ja"] * 5 + ["nein"] + ["ja"] * 3 + ["nein"] * 3
    _paare_einfuegen(daten, "c_aktiv", vorher, nachher)
    # 4 said yes before: with the standard threshold of 5 persons the row is hidden (a share
    # never shows 1–4 persons answering alike); the statistics are checked with threshold 4
    standard = _vn_gesamt(berechne(daten.db, schwellen=Schwellen()), "C2")
    assert standard["unterdrueckt"] and np.isnan(standard["mittel_vorher"])
    zeile = _vn_gesamt(berechne(daten.db, schwellen=Schwellen(min_personen=4)), "C2")
    assert zeile["n_paare"] == 12
    assert zeile["differenz"] == pytest.approx(100 * 4 / 12)
    assert zeile["mittel_vorher"] == pytest.approx(100 * 4 / 12)
    assert zeile["mittel_nachher"] == pytest.approx(100 * 8 / 12)
    assert zeile["p_wert"] == pytest.approx(stats.binomtest(1, 6, 0.5).pvalue)
    assert zeile["p_wert"] == pytest.approx(0.21875)
    assert zeile["ci_unten"] < 0 < zeile["ci_oben"]  # p = 0.22: the interval contains 0


def test_engine_ja_nein_newcombe(daten: Any) -> None:
    """Newcombe's table (20, 12, 2, 16) through the engine: 20 ja→ja, 12 nein→ja, 2 ja→nein,
    16 nein→nein; published 95 % interval of θ = 0.2: 0.0562 to 0.3292 (Table III)."""
    vorher = ["ja"] * 20 + ["nein"] * 12 + ["ja"] * 2 + ["nein"] * 16
    nachher = ["ja"] * 20 + ["ja"] * 12 + ["nein"] * 2 + ["nein"] * 16
    _paare_einfuegen(daten, "c_aktiv", vorher, nachher)
    zeile = _vn_gesamt(berechne(daten.db, schwellen=Schwellen()), "C2")
    assert zeile["n_paare"] == 50
    assert zeile["differenz"] == pytest.approx(20.0)
    assert zeile["ci_unten"] == pytest.approx(5.62, abs=6e-3)
    assert zeile["ci_oben"] == pytest.approx(32.92, abs=6e-3)


# -- Holm -----------------------------------------------------------------------------------
def test_holm_von_hand() -> None:
    # Holm (1979) by hand: p = 0.01, 0.04, 0.03, 0.005 (m = 4): sorted 0.005·4 = 0.02,
    # 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06
    angepasst = statistik.holm([0.01, 0.04, 0.03, 0.005], [0, 0, 0, 0])
    assert angepasst == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_holm_je_familie_wie_statsmodels() -> None:
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(15)
    p = rng.uniform(0, 0.2, 300) ** 6  # down to 1e-12 and below: full precision kept
    p[rng.choice(300, 30, replace=False)] = np.nan  # suppressed cells take no part
    familie = rng.integers(0, 40, 300)
    angepasst = statistik.holm(p, familie)
    for f in range(40):
        teil = (familie == f) & np.isfinite(p)
        if teil.any():
            erwartet = multipletests(p[teil], method="holm")[1]
            assert angepasst[teil] == pytest.approx(erwartet, rel=1e-12)
    assert np.isnan(angepasst[np.isnan(p)]).all()
    assert (angepasst[np.isfinite(p)] >= p[np.isfinite(p)]).all()
    assert statistik.holm([np.nan], [0]).tolist() != [0.0]


def test_engine_holm_je_ziel_und_zelle(daten: Any) -> None:
    """A5 and A7 (goal a) and C2 (goal c) for the same 12 persons: the adjusted p of A5 and A7
    is Holm over those two (statsmodels on scipy's p values), C2 stays alone in its family."""
    from statsmodels.stats.multitest import multipletests

    a5_vor, a5_nach = [1, 2, 2, 3, 1, 4, 2, 3, 3, 2, 1, 5], [3, 2, 4, 3, 2, 5, 2, 4, 5, 3, 1, 4]
    a7_vor = [50, 60, 55, 40, 70, 65, 45, 50, 60, 55, 52, 48]
    a7_nach = [52, 58, 60, 45, 71, 70, 44, 58, 61, 60, 50, 55]
    c2_vor = ["nein"] * 5 + ["ja"] + ["ja"] * 3 + ["nein"] * 3
    c2_nach = ["ja"] * 5 + ["nein"] + ["ja"] * 3 + ["nein"] * 3
    zeilen = []
    for i in range(12):
        basis = {"code": f"holm_{i:02d}", "standort": "STAT", "migrationshintergrund": "ja"}
        zeilen.append({**basis, "welle": "T0", "datum": "2025-03-01",
                       "a_kontakt_haeufigkeit": a5_vor[i], "a_thermometer": a7_vor[i],
                       "c_aktiv": c2_vor[i]})  # fmt: skip
        zeilen.append({**basis, "welle": "T1", "datum": "2025-06-01",
                       "a_kontakt_haeufigkeit": a5_nach[i], "a_thermometer": a7_nach[i],
                       "c_aktiv": c2_nach[i]})  # fmt: skip
    daten.befragungen(zeilen)
    # threshold 4: C2's 4 yes answers before would hide its row under the standard 5
    ergebnis = berechne(daten.db, schwellen=Schwellen(min_personen=4))
    p = [stats.ttest_rel(a5_nach, a5_vor).pvalue, stats.ttest_rel(a7_nach, a7_vor).pvalue]
    erwartet = multipletests(p, method="holm")[1]
    a5, a7, c2 = (_vn_gesamt(ergebnis, i) for i in ("A5", "A7", "C2"))
    assert (a5["p_wert"], a7["p_wert"]) == pytest.approx(p)
    assert (a5["p_holm"], a7["p_holm"]) == pytest.approx(erwartet)
    assert c2["p_holm"] == pytest.approx(c2["p_wert"]) == pytest.approx(0.21875)


# -- d_av -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("m1", "m2", "sd1", "sd2", "r", "n", "erwartet"),
    [
        # Bonett's statpsych::ci.stdmean.ps, published examples (unweighted standardizer):
        # estimate, 95 % LL, UL
        (110.4, 102.1, 15.3, 14.6, 0.75, 25, (0.5550319, 0.2394905, 0.8705732)),
        (602.4, 705.6, 33.17, 51.08, 0.769, 8, (-2.3963, -3.6744, -1.1182)),
    ],
)
def test_d_av_wie_bonett(
    m1: float, m2: float, sd1: float, sd2: float, r: float, n: int, erwartet: tuple
) -> None:
    var_d = sd1**2 + sd2**2 - 2 * r * sd1 * sd2
    d, unten, oben = statistik.d_av([m1 - m2], [sd1**2], [sd2**2], [var_d], [n])
    genau = 1e-6 if n == 25 else 1e-4
    assert d[0] == pytest.approx(erwartet[0], abs=genau)
    assert unten[0] == pytest.approx(erwartet[1], abs=genau)
    assert oben[0] == pytest.approx(erwartet[2], abs=genau)


def test_d_av_grenzfaelle() -> None:
    d, unten, oben = statistik.d_av([1.0, 1.0], [0.0, 4.0], [0.0, 4.0], [0.0, 1.0], [10, 1])
    assert np.isnan(d).all()  # no spread / a single pair: no standardised effect
    assert np.isnan(unten).all() and np.isnan(oben).all()


# -- random-effects meta-analysis -----------------------------------------------------------
# BCG vaccine trials (Colditz et al. 1994; metafor's dat.bcg): tpos, tneg, cpos, cneg.
BCG = [
    (4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619),
    (33, 5036, 47, 5761), (180, 1361, 372, 1079), (8, 2537, 10, 619), (505, 87886, 499, 87892),
    (29, 7470, 45, 7232), (17, 1699, 65, 1600), (186, 50448, 141, 27197), (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]  # fmt: skip


def _bcg() -> tuple[np.ndarray, np.ndarray]:
    a, b, c, d = (np.array(x, dtype=float) for x in zip(*BCG, strict=True))
    log_rr = np.log((a / (a + b)) / (c / (c + d)))
    return log_rr, 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)


def test_zufallseffekte_bcg_veroeffentlicht() -> None:
    """metafor, rma(yi, vi, method = "DL") on dat.bcg (log risk ratios), as published in its
    documentation: tau² = 0.3088, I² = 92.12 %, Q(12) = 152.2330, estimate -0.7141,
    SE 0.1787, 95 % CI -1.0644 to -0.3638."""
    y, v = _bcg()
    m = statistik.zufallseffekte(y, np.sqrt(v))
    assert m is not None and m.k == 13
    assert round(m.tau2, 4) == 0.3088
    assert round(100 * m.i2, 2) == 92.12
    assert round(m.q, 4) == 152.2330
    assert (round(m.mittel, 4), round(m.se, 4)) == (-0.7141, 0.1787)
    assert (round(m.unten, 4), round(m.oben, 4)) == (-1.0644, -0.3638)
    # prediction interval by hand: mu ± t(0.975; k - 2) · sqrt(tau² + SE²)
    halb = stats.t.ppf(0.975, 11) * np.sqrt(m.tau2 + m.se**2)
    assert (m.vorhersage_unten, m.vorhersage_oben) == pytest.approx(
        (m.mittel - halb, m.mittel + halb)
    )
    assert m.vorhersage_unten < m.unten and m.vorhersage_oben > m.oben


def test_zufallseffekte_wie_statsmodels() -> None:
    from statsmodels.stats.meta_analysis import combine_effects

    rng = np.random.default_rng(15)
    for _ in range(5):
        k = int(rng.integers(2, 12))
        y, v = rng.normal(5, 3, k), rng.uniform(0.5, 4, k)
        m = statistik.zufallseffekte(y, np.sqrt(v))
        referenz = combine_effects(y, v, method_re="dl")
        zeile = referenz.summary_frame().loc["random effect"]
        assert m is not None
        assert m.mittel == pytest.approx(zeile["eff"], rel=1e-10)
        assert (m.unten, m.oben) == pytest.approx((zeile["ci_low"], zeile["ci_upp"]), rel=1e-10)
        assert m.tau2 == pytest.approx(referenz.tau2, rel=1e-10, abs=1e-14)
        assert m.q == pytest.approx(referenz.q, rel=1e-10)


def test_zufallseffekte_grenzfaelle() -> None:
    assert statistik.zufallseffekte([1.0], [0.5]) is None  # one site: nothing to pool
    assert statistik.zufallseffekte([1.0, np.nan, 2.0], [0.5, 0.5, np.nan]) is None
    gleich = statistik.zufallseffekte([1.0, 1.0, 1.0], [0.5, 0.5, 0.5])
    assert gleich is not None and gleich.tau2 == 0 and gleich.i2 == 0 and gleich.mittel == 1.0
    zwei = statistik.zufallseffekte([1.0, 3.0], [0.5, 0.5])
    assert zwei is not None and np.isnan(zwei.vorhersage_unten)  # needs 3 sites (t, k - 2)


def test_standardfehler_aus_intervall() -> None:
    # Student's data: t interval -2.46 … -0.70 with n = 10 → SE = s_d / sqrt(n)
    d = np.subtract(DROGE_1, DROGE_2)
    referenz = stats.ttest_rel(DROGE_1, DROGE_2).confidence_interval(0.95)
    se = statistik.standardfehler_aus_intervall([referenz.low], [referenz.high], [10], True)
    assert se[0] == pytest.approx(d.std(ddof=1) / np.sqrt(10))
    se = statistik.standardfehler_aus_intervall([-0.1], [0.292], [50], False)
    assert se[0] == pytest.approx(0.392 / (2 * 1.959964), rel=1e-6)

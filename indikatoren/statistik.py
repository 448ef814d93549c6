"""Vectorised statistics for indicator cells, built on scipy's distributions.

The engine aggregates in DuckDB (n, means, standard deviations, counts) and hands whole columns to
these functions, so thousands of cells cost one numpy call each instead of a Python loop. Every
formula is the textbook one named in SPEC §5; tests check them against scipy's own tests
(``scipy.stats.ttest_rel``, ``binomtest``) on the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special, stats

Array = npt.NDArray[np.float64]
KONFIDENZ = 0.95


def _arr(x: object) -> Array:
    return np.asarray(x, dtype=float)


def wilson(zaehler: object, nenner: object, konfidenz: float = KONFIDENZ) -> tuple[Array, Array]:
    """Wilson score interval of a share (as fractions 0–1); NaN where the denominator is 0."""
    k, n = _arr(zaehler), _arr(nenner)
    z = stats.norm.ppf(0.5 + konfidenz / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        mitte = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        halb = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    gueltig = n > 0
    return np.where(gueltig, mitte - halb, np.nan), np.where(gueltig, mitte + halb, np.nan)


def t_intervall(
    mittel: object, sd: object, n: object, konfidenz: float = KONFIDENZ
) -> tuple[Array, Array]:
    """t-based confidence interval of a mean (here: of paired differences); NaN for n < 2."""
    m, s, anzahl = _arr(mittel), _arr(sd), _arr(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = np.where(anzahl >= 2, anzahl - 1, np.nan)
        # The quantile depends on n only: compute it once per distinct n. ``stdtrit`` is the
        # function behind ``stats.t.ppf`` (same numbers), without its per-call argument checks.
        zurueck, stufen = pd.factorize(df.ravel())  # -1 for NaN: picks the appended NaN
        quantile = np.append(special.stdtrit(stufen, 0.5 + konfidenz / 2), np.nan)
        quantil = quantile[zurueck].reshape(df.shape)
        halb = quantil * s / np.sqrt(anzahl)
    return m - halb, m + halb


def t_test_p(mittel: object, sd: object, n: object) -> Array:
    """Two-sided p value of the one-sample t-test of the differences against 0 (paired t-test).

    Where every difference is equal (sd = 0) the test is undefined; the p value is then NaN,
    as scipy's ``ttest_rel`` returns.
    """
    m, s, anzahl = _arr(mittel), _arr(sd), _arr(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = m / (s / np.sqrt(anzahl))
        df = np.where(anzahl >= 2, anzahl - 1, np.nan)
        # ``stdtr(df, -|t|)`` is what ``stats.t.sf(|t|, df)`` computes (NaN for df NaN).
        p = 2 * special.stdtr(df, -np.abs(t))
    return np.where((s > 0) & np.isfinite(p), p, np.nan)


def cohens_dz(mittel: object, sd: object) -> Array:
    """d_z = mean(diff) / sd(diff) (Lakens 2013), NaN where sd = 0."""
    m, s = _arr(mittel), _arr(sd)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, m / s, np.nan)


def hedges_j(n: object) -> Array:
    """Small-sample correction J = 1 − 3 / (4·(n − 1) − 1) that turns d_z into g_z."""
    anzahl = _arr(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(anzahl >= 2, 1 - 3 / (4 * (anzahl - 1) - 1), np.nan)


def mcnemar_p(b: object, c: object) -> Array:
    """Exact (binomial) two-sided McNemar p value from the discordant pair counts.

    ``b`` = no → yes, ``c`` = yes → no. Under H0 each discordant pair goes either way with 0.5;
    the exact test is preferred over the χ² approximation because site cells are small.
    """
    bb, cc = _arr(b), _arr(c)
    gesamt = bb + cc
    p = 2 * stats.binom.cdf(np.minimum(bb, cc), gesamt, 0.5)
    return np.where(gesamt > 0, np.minimum(p, 1.0), 1.0)


def gepaarte_anteile_intervall(
    b: object, c: object, n: object, vorher_ja: object, konfidenz: float = KONFIDENZ
) -> tuple[Array, Array]:
    """Newcombe's hybrid score interval of a paired difference of shares (p_after − p_before).

    Newcombe (1998, Stat Med 17:2635, method 10): the Wilson limits of the two marginal shares
    combined by "square and add", with the correlation φ of the 2×2 table (numerator reduced by
    n/2 when positive, as in the paper). Unlike the Wald interval it never has zero width
    (10 of 10 yes→no gives [−1; −0.61], not [−1; −1]) and rarely excludes 0 where the exact
    McNemar test sees no change. ``b`` = no → yes, ``c`` = yes → no, ``n`` = pairs,
    ``vorher_ja`` = pairs with yes before (yes→yes + yes→no). Fractions 0–1; NaN for n = 0.
    """
    bb, cc, anzahl, vj = _arr(b), _arr(c), _arr(n), _arr(vorher_ja)
    a = vj - cc  # yes → yes
    d = anzahl - a - bb - cc  # no → no
    nachher_ja = a + bb
    unten1, oben1 = wilson(nachher_ja, anzahl, konfidenz)
    unten2, oben2 = wilson(vj, anzahl, konfidenz)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = nachher_ja / anzahl, vj / anzahl
        zaehler = a * d - bb * cc
        zaehler = np.where(zaehler > 0, np.maximum(zaehler - anzahl / 2, 0), zaehler)
        nenner = np.sqrt(nachher_ja * (cc + d) * vj * (bb + d))
        phi = np.where(nenner > 0, zaehler / np.where(nenner > 0, nenner, 1), 0.0)
        theta = p1 - p2
        links = (p1 - unten1) ** 2 - 2 * phi * (p1 - unten1) * (oben2 - p2) + (oben2 - p2) ** 2
        rechts = (oben1 - p1) ** 2 - 2 * phi * (oben1 - p1) * (p2 - unten2) + (p2 - unten2) ** 2
        unten = np.maximum(theta - np.sqrt(np.maximum(links, 0)), -1.0)
        oben = np.minimum(theta + np.sqrt(np.maximum(rechts, 0)), 1.0)
    gueltig = anzahl > 0
    return np.where(gueltig, unten, np.nan), np.where(gueltig, oben, np.nan)


def fisher_p(a: object, b: object, c: object, d: object) -> Array:
    """Two-sided Fisher exact test for 2×2 tables [[a, b], [c, d]], row-wise (small arrays)."""
    tabellen = np.column_stack([_arr(a), _arr(b), _arr(c), _arr(d)])
    ergebnis = np.full(len(tabellen), np.nan)
    for i, (w, x, y, z) in enumerate(tabellen):
        if np.isfinite([w, x, y, z]).all() and (w + x) > 0 and (y + z) > 0:
            ergebnis[i] = stats.fisher_exact([[w, x], [y, z]]).pvalue
    return ergebnis


def holm(p: object, familie: object) -> Array:
    """Holm's step-down adjusted p values, separately within each family (Holm 1979).

    ``familie``: one integer code per p value; p values with the same code are tested together
    (here: the pre/post indicators of one goal in one cell of a view). NaN p values take no
    part and stay NaN. Sorted within the family, the k-th smallest of m p values becomes
    max over j ≤ k of (m − j + 1) · p_(j), capped at 1 — "gesichert" at 5 % only where this
    adjusted value is below 0.05, so at most a 5 % chance of any false claim per family.
    """
    werte, gruppen = _arr(p), np.asarray(familie, dtype=np.int64)
    ergebnis = np.full(werte.shape, np.nan)
    gueltig = np.flatnonzero(np.isfinite(werte))
    if not len(gueltig):
        return ergebnis
    g, w = gruppen[gueltig], werte[gueltig]
    reihenfolge = np.lexsort((w, g))
    g, w = g[reihenfolge], w[reihenfolge]
    neu = np.r_[True, g[1:] != g[:-1]]  # first row of each family in sorted order
    anfang = np.maximum.accumulate(np.where(neu, np.arange(len(g)), 0))
    rang = np.arange(len(g)) - anfang
    groesse = np.diff(np.r_[np.flatnonzero(neu), len(g)])
    m = np.repeat(groesse, groesse)
    angepasst = pd.Series(np.minimum((m - rang) * w, 1.0))
    # running maximum within each family (exact: no offsets that would eat tiny p values)
    ergebnis[gueltig[reihenfolge]] = angepasst.groupby(np.cumsum(neu)).cummax().to_numpy()
    return ergebnis


def d_av(
    mittel: object,
    var_vorher: object,
    var_nachher: object,
    var_differenz: object,
    n: object,
    konfidenz: float = KONFIDENZ,
) -> tuple[Array, Array, Array]:
    """d_av: the mean change standardised by the spread of the single measurements, with CI.

    d_z divides by the SD of the *differences*, which shrinks as pre and post correlate; it is
    comparable only with other paired d_z. d_av divides by s = √((s²_vorher + s²_nachher)/2),
    the root of the average variance of the two measurements (Bonett 2008; Lakens 2013 averages
    the SDs themselves — with similar SDs the same), so it sits on the scale of between-group
    effects and meta-analyses. Interval: Bonett (2008), variances not assumed equal,
    SE² = d²(s⁴_v + s⁴_n + 2·cov²)/(8·df·s⁴) + s²_d/(df·s²), df = n − 1. NaN where n < 2 or s = 0.
    """
    m, v1, v2, vd, anzahl = (_arr(x) for x in (mittel, var_vorher, var_nachher, var_differenz, n))
    z = stats.norm.ppf(0.5 + konfidenz / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = (v1 + v2) / 2
        gueltig = (anzahl >= 2) & (s2 > 0)
        d = np.where(gueltig, m / np.sqrt(s2), np.nan)
        df = anzahl - 1
        kovarianz = (v1 + v2 - vd) / 2
        se = np.sqrt(d**2 * (v1**2 + v2**2 + 2 * kovarianz**2) / (8 * df * s2**2) + vd / (df * s2))
    return d, d - z * se, d + z * se


@dataclass(frozen=True, slots=True)
class Metaanalyse:
    """Random-effects pooling of site changes (DerSimonian & Laird 1986).

    ``mittel`` with its CI is the average change over sites; ``tau2`` the between-site variance
    of the true changes, ``i2`` the share of the observed spread that is not chance (Higgins &
    Thompson 2002), and the prediction interval the range in which the true change of a further,
    similar site is expected (Higgins, Thompson & Spiegelhalter 2009; t with k − 2 df, so only
    from 3 sites on).
    """

    k: int
    mittel: float
    se: float
    unten: float
    oben: float
    tau2: float
    i2: float
    q: float
    vorhersage_unten: float
    vorhersage_oben: float


def zufallseffekte(
    werte: object, standardfehler: object, konfidenz: float = KONFIDENZ
) -> Metaanalyse | None:
    """DerSimonian–Laird random-effects meta-analysis; None for fewer than 2 usable sites."""
    y, se = _arr(werte).ravel(), _arr(standardfehler).ravel()
    gueltig = np.isfinite(y) & np.isfinite(se) & (se > 0)
    y, v = y[gueltig], se[gueltig] ** 2
    k = len(y)
    if k < 2:
        return None
    w = 1 / v
    fest = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - fest) ** 2))
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (q - (k - 1)) / c)
    w_re = 1 / (v + tau2)
    mittel = float(np.sum(w_re * y) / np.sum(w_re))
    se_mittel = float(np.sqrt(1 / np.sum(w_re)))
    z = float(stats.norm.ppf(0.5 + konfidenz / 2))
    i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    if k >= 3:
        halb = float(stats.t.ppf(0.5 + konfidenz / 2, k - 2)) * np.sqrt(tau2 + se_mittel**2)
        vorhersage = (mittel - halb, mittel + halb)
    else:
        vorhersage = (np.nan, np.nan)
    return Metaanalyse(
        k, mittel, se_mittel, mittel - z * se_mittel, mittel + z * se_mittel, tau2, i2, q,
        float(vorhersage[0]), float(vorhersage[1]),
    )  # fmt: skip


def standardfehler_aus_intervall(
    unten: object, oben: object, n: object, t_intervall_: bool, konfidenz: float = KONFIDENZ
) -> Array:
    """The standard error behind a released 95 % interval (for pooling released site rows).

    t intervals (mean changes): width / (2·t_{n−1}), exact. Other intervals (Newcombe's for
    paired shares, slightly asymmetric): width / (2·z), the usual approximation.
    """
    a, b, anzahl = _arr(unten), _arr(oben), _arr(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        if t_intervall_:
            quantil = stats.t.ppf(0.5 + konfidenz / 2, np.where(anzahl >= 2, anzahl - 1, np.nan))
        else:
            quantil = np.full(a.shape, stats.norm.ppf(0.5 + konfidenz / 2))
        return (b - a) / (2 * quantil)


def standort_metaanalyse(
    differenz: object, unten: object, oben: object, n: object, *, t_intervall_: bool
) -> Metaanalyse | None:
    """Random-effects pooling of released site changes from their rows (suppressed = NaN)."""
    se = standardfehler_aus_intervall(unten, oben, n, t_intervall_)
    return zufallseffekte(differenz, se)

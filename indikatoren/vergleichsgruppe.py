"""Difference-in-differences against a comparison group: the "Wirkung" of the project.

A pre/post change of participants alone cannot separate the project from everything else that
changed in the same months (season, news, growing older, getting used to the questionnaire). Where
a site also surveys a comparison group — people who answer the same questionnaire at T0 and later
but do not take part (``vergleichsgruppe`` = ja, asked at T0, carried to T1/T2) — the change of the
comparison group estimates that time trend, and

    DiD = (mean change of participants) − (mean change of the comparison group)

estimates the project's effect (under the usual parallel-trends assumption). The indicator engine
never sees comparison-group people (:data:`indikatoren.engine.NUR_TEILNEHMENDE`); this module is the
only reader of both groups.

Intervals:

* Scores (VORHER_NACHHER): the two groups' mean changes are independent means of per-person
  differences, so the Welch interval applies — SE = √(se₁² + se₂²) with the Welch–Satterthwaite
  degrees of freedom; identical to ``scipy.stats.ttest_ind(d₁, d₂, equal_var=False)`` on the
  per-person changes (t, p and interval).
* Yes/no (VORHER_NACHHER_JA_NEIN): each group's change is a difference of paired shares, whose
  interval is Newcombe's hybrid score interval (the one the engine shows). Their difference gets
  the MOVER interval ("method of variance estimates recovery", Zou & Donner 2008; Newcombe 2013,
  ch. 8): L = θ₁ − θ₂ − √((θ₁ − l₁)² + (u₂ − θ₂)²), U = θ₁ − θ₂ + √((u₁ − θ₁)² + (θ₂ − l₂)²).
  It keeps Newcombe's good coverage near 0 % and 100 % (a Wald interval would have zero width
  there) and never leaves [−200; 200] pp. No p value: the interval is what is judged.

The "gesamt" row pools the sites that survey a comparison group (participants of other sites
are left out there: the comparison would otherwise mix site differences into the estimate).

Small cells: a cell is shown only when both groups have at least ``min_paare`` pairs (the same
threshold and the same functions as every effect, :mod:`indikatoren.unterdrueckung`); a site line
in which a hidden site could be recovered from the project total gets further sites hidden.
Aggregated views (funders) get no DiD at all: pages and the report ask for it only with
record-level access (see ``ui.vergleichsgruppe`` and ``monitor.bericht``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd
from scipy import special

from indikatoren import engine, statistik
from indikatoren.definitionen import Berechnung, Indikator
from indikatoren.filter import Filter
from indikatoren.katalog import INDIKATOREN, MESSGROESSEN_NACH_NAME
from indikatoren.unterdrueckung import GESAMT, Schwellen, primaer, sekundaer_codes
from monitor.db import Datenbank

#: Columns of the DiD table (German, as pages and the Excel sheet show them).
SPALTEN: tuple[str, ...] = (
    "indikator",
    "ziel",
    "name",
    "einheit",
    "standort",
    "welle",
    "n_teilnehmende",
    "veraenderung_teilnehmende",
    "n_vergleich",
    "veraenderung_vergleich",
    "did",
    "ci_unten",
    "ci_oben",
    "freiheitsgrade",
    "p_wert",
    "unterdrueckt",
)
_ZAHLEN = SPALTEN[6:15]


def _vn_indikatoren() -> list[Indikator]:
    return [i for i in INDIKATOREN if i.vorher_nachher]


def _paare(
    db: Datenbank,
    filter_: Filter,
    indikatoren: Sequence[Indikator],
    zellen: Collection[tuple[str, str]] | None,
) -> pd.DataFrame:
    """Per wave, site (and "gesamt") and group (``vg``: comparison group or not) the pair sums
    the engine's pre/post table is built from — one scan over both groups. ``zellen``: only
    pairs whose later questionnaire lies in these (standort, quarter) cells (as
    :func:`indikatoren.engine.nur_zellen` for the engine)."""
    namen = sorted({i.messgroesse for i in indikatoren})
    scores = "".join(f", {engine._score_sql(MESSGROESSEN_NACH_NAME[m])} AS {m}" for m in namen)
    # Only sites that survey a comparison group: the total compares like with like (the
    # participants of sites without one would mix site differences into the estimate).
    bedingungen = ["v.standort IN (SELECT standort FROM bef WHERE vg)"]
    parameter: dict[str, object] = {}
    if filter_.standorte:
        bedingungen.append("list_contains($standorte, v.standort)")
        parameter["standorte"] = list(filter_.standorte)
    if filter_.von:  # pairs are dated by their later questionnaire, as in the engine
        bedingungen.append("n.datum >= $von")
        parameter["von"] = filter_.von
    if filter_.bis:
        bedingungen.append("n.datum <= $bis")
        parameter["bis"] = filter_.bis
    if filter_.formate:
        bedingungen.append("list_contains($formate, coalesce(n.format, v.format))")
        parameter["formate"] = list(filter_.formate)
    if zellen is not None:
        bedingungen.append("list_contains($zellen, n.standort || ' ' || n.periode)")
        parameter["zellen"] = [f"{standort} {quartal}" for standort, quartal in zellen]
    paare = engine._paar_join(", v.vg", namen, " AND ".join(bedingungen))
    aggregate = engine._select(engine._paar_aggregate(indikatoren))
    sql = (
        "WITH bef AS (SELECT code, standort, welle, datum, format, "
        f"{engine._PERIODE} AS periode, coalesce(vergleichsgruppe, false) AS vg{scores} "
        f"FROM befragungen), paare AS ({paare}) "
        f"SELECT welle, CASE WHEN grouping(standort) = 1 THEN '{GESAMT}' ELSE standort END "
        f"AS standort, vg, {aggregate} FROM paare "
        "GROUP BY GROUPING SETS ((welle, standort, vg), (welle, vg)) ORDER BY ALL"
    )
    return db.query(sql, parameter)


def _mittel_und_se(teil: pd.DataFrame, ind: Indikator) -> tuple[np.ndarray, ...]:
    """Pairs, mean change and its squared standard error of one group (scores)."""
    n = teil[f"{ind.id}__n_paare"].to_numpy(dtype=float)
    s_d = teil[f"{ind.id}__s_d"].to_numpy(dtype=float)
    s_d2 = teil[f"{ind.id}__s_d2"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mittel = np.where(n > 0, s_d / n, np.nan)
        quadrate = np.maximum(s_d2 - np.where(n > 0, s_d**2 / n, np.nan), 0.0)
        varianz = np.where(n > 1, quadrate / (n - 1), np.nan)
        se2 = varianz / n
    return n, mittel, se2


def welch(
    m1: object, se2_1: object, n1: object, m2: object, se2_2: object, n2: object
) -> tuple[np.ndarray, ...]:
    """Difference m1 − m2 of two independent means with squared standard errors se2: the
    Welch interval (95 %), its degrees of freedom and the two-sided p value."""
    a1, a2 = np.asarray(se2_1, dtype=float), np.asarray(se2_2, dtype=float)
    k1, k2 = np.asarray(n1, dtype=float), np.asarray(n2, dtype=float)
    differenz = np.asarray(m1, dtype=float) - np.asarray(m2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(a1 + a2)
        df = (a1 + a2) ** 2 / (a1**2 / (k1 - 1) + a2**2 / (k2 - 1))
        quantil = special.stdtrit(df, 0.5 + statistik.KONFIDENZ / 2)
        t = differenz / se
        p = np.where(se > 0, 2 * special.stdtr(df, -np.abs(t)), np.nan)
    return differenz, differenz - quantil * se, differenz + quantil * se, df, p


def mover(
    theta1: object, unten1: object, oben1: object, theta2: object, unten2: object, oben2: object
) -> tuple[np.ndarray, np.ndarray]:
    """MOVER interval of θ1 − θ2 from the two (asymmetric) intervals (Zou & Donner 2008)."""
    t1, l1, u1 = (np.asarray(x, dtype=float) for x in (theta1, unten1, oben1))
    t2, l2, u2 = (np.asarray(x, dtype=float) for x in (theta2, unten2, oben2))
    d = t1 - t2
    return d - np.sqrt((t1 - l1) ** 2 + (u2 - t2) ** 2), d + np.sqrt(
        (u1 - t1) ** 2 + (t2 - l2) ** 2
    )


def _gepaarte_aenderung(teil: pd.DataFrame, ind: Indikator) -> tuple[np.ndarray, ...]:
    """Pairs, change of the share (pp) and Newcombe's interval of one group (yes/no)."""
    n = teil[f"{ind.id}__n_paare"].to_numpy(dtype=float)
    b = teil[f"{ind.id}__b"].to_numpy(dtype=float)
    c = teil[f"{ind.id}__c"].to_numpy(dtype=float)
    vorher_ja = teil[f"{ind.id}__s_vor"].to_numpy(dtype=float)
    unten, oben = statistik.gepaarte_anteile_intervall(b, c, n, vorher_ja)
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = np.where(n > 0, (b - c) / n, np.nan)
    return n, 100 * theta, 100 * unten, 100 * oben


def _block(roh: pd.DataFrame, ind: Indikator) -> pd.DataFrame:
    """The DiD rows of one indicator: one per (wave, site) where both groups have pairs."""
    schluessel = ["welle", "standort"]
    teilnehmende = roh[~roh["vg"].astype(bool)].set_index(schluessel)
    vergleich = roh[roh["vg"].astype(bool)].set_index(schluessel)
    beide = teilnehmende.index.intersection(vergleich.index)
    t, v = teilnehmende.loc[beide].fillna(0), vergleich.loc[beide].fillna(0)
    if ind.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN:
        n1, th1, l1, u1 = _gepaarte_aenderung(t, ind)
        n2, th2, l2, u2 = _gepaarte_aenderung(v, ind)
        unten, oben = mover(th1, l1, u1, th2, l2, u2)
        differenz, df, p = th1 - th2, np.full(len(n1), np.nan), np.full(len(n1), np.nan)
    else:
        n1, th1, se1 = _mittel_und_se(t, ind)
        n2, th2, se2 = _mittel_und_se(v, ind)
        differenz, unten, oben, df, p = welch(th1, se1, n1, th2, se2, n2)
    return pd.DataFrame(
        {
            "indikator": ind.id,
            "ziel": ind.ziel.value,
            "name": ind.name,
            "einheit": ind.einheit,
            "standort": beide.get_level_values("standort").astype(str),
            "welle": beide.get_level_values("welle").astype(str),
            "n_teilnehmende": n1,
            "veraenderung_teilnehmende": th1,
            "n_vergleich": n2,
            "veraenderung_vergleich": th2,
            "did": differenz,
            "ci_unten": unten,
            "ci_oben": oben,
            "freiheitsgrade": df,
            "p_wert": p,
        }
    )


def unterdruecken(tabelle: pd.DataFrame, schwellen: Schwellen) -> pd.DataFrame:
    """Hide every cell where either group has fewer than ``min_paare`` pairs, then along each
    indicator's site line whatever would let "project total minus shown sites" recover a hidden
    site's comparison group (the rule and the code every effect uses)."""
    tabelle = tabelle.reset_index(drop=True)
    flags = (
        primaer(tabelle["n_teilnehmende"], schwellen.min_paare)
        | primaer(tabelle["n_vergleich"], schwellen.min_paare)
    ).to_numpy()

    def codes(name: str) -> np.ndarray:
        return pd.factorize(tabelle[name], use_na_sentinel=False)[0]

    flags = sekundaer_codes(
        flags,
        pd.to_numeric(tabelle["n_vergleich"]).fillna(0).to_numpy(dtype=float),
        [codes("standort")],
        [(tabelle["standort"] == GESAMT).to_numpy()],
        [codes("indikator"), codes("welle")],
        schwelle=float(schwellen.min_paare),
    )
    tabelle["unterdrueckt"] = flags
    tabelle.loc[flags, list(_ZAHLEN)] = np.nan
    return tabelle


def vergleichstabelle(
    db: Datenbank,
    filter_: Filter | None = None,
    schwellen: Schwellen | None = None,
    *,
    zellen: Collection[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """DiD per pre/post indicator, follow-up wave and site (and "gesamt") for the filter's sites,
    period (by the later questionnaire) and formats — only cells where both groups have pairs;
    small cells suppressed. Empty (with the columns) where no site has a comparison group.
    ``zellen``: approved (standort, quarter) cells only, for sessions that see no others."""
    schwellen = schwellen or Schwellen.aus_umgebung()
    indikatoren = _vn_indikatoren()
    roh = _paare(db, filter_ or Filter(), indikatoren, zellen)
    if roh.empty or not roh["vg"].astype(bool).any():
        return pd.DataFrame({s: [] for s in SPALTEN})
    tabelle = pd.concat([_block(roh, ind) for ind in indikatoren], ignore_index=True)
    tabelle = unterdruecken(tabelle, schwellen)
    reihenfolge = {ind.id: i for i, ind in enumerate(indikatoren)}
    tabelle = tabelle.assign(
        _i=tabelle["indikator"].map(reihenfolge), _g=tabelle["standort"] != GESAMT
    ).sort_values(["_i", "welle", "_g", "standort"])
    return tabelle.drop(columns=["_i", "_g"]).reset_index(drop=True)[list(SPALTEN)]


def mit_vergleichsgruppe(tabelle: pd.DataFrame) -> pd.DataFrame:
    """The shown cells only (what a page or report lists; "Wirkung" is said only for these)."""
    return tabelle[~tabelle["unterdrueckt"].astype(bool)].reset_index(drop=True)

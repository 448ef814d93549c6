"""The one indicator engine: declarations in, released (suppressed) result tables out.

All aggregation runs in DuckDB: one query for single-wave survey indicators, one for paired
pre/post changes per follow-up wave, one for the match rates, one for activities — each grouped
with ``CUBE`` so every site, the whole project ("gesamt"), every group and, on request, every
quarter come out of a single scan. Only these small aggregate tables reach pandas, where scipy
adds confidence intervals and p values and :mod:`indikatoren.unterdrueckung` hides small cells.

The SQL text is composed only from declarations in code (indicator and score definitions);
every value that comes from a user — sites, dates, formats, wave — is bound as a parameter.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from indikatoren import statistik
from indikatoren.definitionen import Berechnung, Indikator, Messgroesse
from indikatoren.filter import Filter, Gruppierung
from indikatoren.katalog import INDIKATOREN, MESSGROESSEN_NACH_NAME
from indikatoren.unterdrueckung import GESAMT, Schwellen, primaer, sekundaer
from indikatoren.zielerreichung import ziele_anhaengen, zielwerte_laden
from monitor.db import Datenbank
from monitor.schema import Typ, codebuch

FOLGEWELLEN: tuple[str, ...] = ("T1", "T2")

_GRUPPE_BEFRAGUNG: dict[Gruppierung, str] = {
    # SPEC §3.1: asked at T0 only; every writer copies the T0 answer onto the code's T1/T2 rows
    # (monitor.importieren.uebernimm_migrationshintergrund), so each row carries it.
    Gruppierung.MH: (
        "CASE migrationshintergrund WHEN 'ja' THEN 'mit_mh' WHEN 'nein' THEN 'ohne_mh' END"
    ),
    Gruppierung.FORMAT: "format",
    Gruppierung.GESCHLECHT: "nullif(geschlecht, 'keine_angabe')",
    Gruppierung.ALTERSGRUPPE: "nullif(altersgruppe, 'keine_angabe')",
}
_PERIODE = "year(datum) || '-Q' || quarter(datum)"

INDIKATOR_SPALTEN: tuple[str, ...] = (
    "indikator",
    "ziel",
    "name",
    "stufe",
    "standort",
    "gruppe",
    "periode",
    "wert",
    "einheit",
    "n",
    "zaehler",
    "nenner",
    "ci_unten",
    "ci_oben",
    "unterdrueckt",
)
#: Indicator columns plus the target columns added by :func:`ziele_anhaengen`.
ERGEBNIS_SPALTEN: tuple[str, ...] = (
    *INDIKATOR_SPALTEN,
    "basiswert",
    "zielwert",
    "stichtag",
    "zielerreichung",
    "status",
)
#: Keys and order of ``vorher-nachher --format json`` (SPEC §6): the public contract.
VORHER_NACHHER_JSON: tuple[str, ...] = (
    "indikator",
    "standort",
    "gruppe",
    "welle",
    "n_paare",
    "mittel_vorher",
    "mittel_nachher",
    "differenz",
    "ci_unten",
    "ci_oben",
    "d_z",
    "g_z",
    "p_wert",
    "unterdrueckt",
)
#: The engine's pre/post table: the contract plus quarter and match rate.
VORHER_NACHHER_SPALTEN: tuple[str, ...] = (
    *VORHER_NACHHER_JSON[:4],
    "periode",
    *VORHER_NACHHER_JSON[4:],
    "n_t0",
    "n_erreicht",
    "match_quote",
    "match_unterdrueckt",
)
#: Numbers of a pre/post row that suppression empties.
_ZAHLEN_VN = VORHER_NACHHER_JSON[4:13]
_ZAHLEN_IND = ("wert", "n", "zaehler", "nenner", "ci_unten", "ci_oben")


# -- SQL building blocks ---------------------------------------------------------------------
def _score_sql(messgroesse: Messgroesse) -> str:
    """Per-questionnaire score: the item itself, or the mean of a scale's answered items
    (reverse-coded per codebook) when at least two thirds are answered; ``summe`` scales give
    the mean of 0/1 answers times the number of items (a prorated count)."""
    felder = {f.name: f for f in codebuch()}
    items = [felder[name] for name in messgroesse.items]
    if len(items) == 1:
        return items[0].name

    def wert(f: Any) -> str:
        if f.typ is Typ.JA_NEIN:
            return f"{f.name}::INTEGER"
        if f.umgepolt:
            return f"({f.minimum + f.maximum:g} - {f.name})"
        return f.name

    beantwortet = " + ".join(f"({f.name} IS NOT NULL)::INTEGER" for f in items)
    summe = " + ".join(f"coalesce({wert(f)}, 0)" for f in items)
    mindestens = -(-2 * len(items) // 3)
    faktor = f" * {len(items)}" if messgroesse.summe else ""
    return (
        f"CASE WHEN ({beantwortet}) >= {mindestens} "
        f"THEN ({summe})::DOUBLE / ({beantwortet}){faktor} END"
    )


@dataclass
class _Abfrage:
    """WHERE conditions with their bound parameters, built side by side."""

    bedingungen: list[str] = field(default_factory=list)
    parameter: dict[str, Any] = field(default_factory=dict)

    def wo(self, bedingung: str, **parameter: Any) -> None:
        self.bedingungen.append(bedingung)
        self.parameter.update(parameter)

    @property
    def sql(self) -> str:
        return " AND ".join(self.bedingungen) if self.bedingungen else "TRUE"


def _standort_filter(filter_: Filter, spalte: str = "standort") -> _Abfrage:
    abfrage = _Abfrage()
    if filter_.standorte:
        abfrage.wo(f"list_contains($standorte, {spalte})", standorte=list(filter_.standorte))
    return abfrage


def _zeit_format(abfrage: _Abfrage, filter_: Filter, datum: str, format_: str) -> _Abfrage:
    if filter_.von:
        abfrage.wo(f"{datum} >= $von", von=filter_.von)
    if filter_.bis:
        abfrage.wo(f"{datum} <= $bis", bis=filter_.bis)
    if filter_.formate:
        abfrage.wo(f"list_contains($formate, {format_})", formate=list(filter_.formate))
    return abfrage


def _bef_cte(
    gruppierung: Gruppierung, zeitraum: _Abfrage, messgroessen: list[str]
) -> tuple[str, dict[str, Any]]:
    """CTE ``bef``: questionnaires with group, quarter and the scores a query needs (only
    those: scale scores are the costly part of every scan). No date filter here: pairs are
    dated by their later questionnaire, so each query applies the period itself."""
    scores = "".join(
        f",\n       {_score_sql(MESSGROESSEN_NACH_NAME[name])} AS {name}" for name in messgroessen
    )
    sql = (
        "bef AS (SELECT code, standort, welle, datum, format, "
        f"{_GRUPPE_BEFRAGUNG[gruppierung]} AS gruppe, {_PERIODE} AS periode"
        f"{scores}\n  FROM befragungen)"
    )
    return sql, zeitraum.parameter


def _zeitraum(von: date | None, bis: date | None, datum: str) -> _Abfrage:
    abfrage = _Abfrage()
    if von:
        abfrage.wo(f"{datum} >= $von", von=von)
    if bis:
        abfrage.wo(f"{datum} <= $bis", bis=bis)
    return abfrage


#: Finest cells of the base tables; every filter and every total is built from them.
_FEIN = ["standort", "gruppe", "format", "periode"]
# ORDER BY: a fixed row order makes the later float sums in pandas repeatable to the last digit.
_FEIN_SQL = "GROUP BY ALL ORDER BY ALL"


# -- queries: sufficient statistics per finest cell ----------------------------------------
def _einzelwellen(
    db: Datenbank, g: Gruppierung, von: date | None, bis: date | None
) -> pd.DataFrame:
    namen = sorted({i.messgroesse for i in INDIKATOREN if i.berechnung is Berechnung.ANTEIL})
    zeitraum = _zeitraum(von, bis, "datum")
    bef, parameter = _bef_cte(g, zeitraum, namen)
    spalten = []
    for ind in INDIKATOREN:
        welle = f"welle = '{ind.welle}'"
        if ind.berechnung is Berechnung.PERSONEN:
            # (code, welle) is the primary key: one row per code and wave, so counting rows
            # counts distinct codes — and row counts add up across cells.
            spalten.append(f'count(*) FILTER (WHERE {welle}) AS "{ind.id}__zaehler"')
        elif ind.berechnung is Berechnung.ANTEIL:
            x = ind.messgroesse
            bedingung = ind.bedingung.format(x=x)
            spalten.append(f'count({x}) FILTER (WHERE {welle}) AS "{ind.id}__nenner"')
            spalten.append(
                f'count({x}) FILTER (WHERE {welle} AND ({bedingung})) AS "{ind.id}__zaehler"'
            )
    sql = (
        f"WITH {bef} SELECT standort, gruppe, format, periode, {', '.join(spalten)} "
        f"FROM bef WHERE {zeitraum.sql} {_FEIN_SQL}"
    )
    return db.query(sql, parameter)


def _paare(db: Datenbank, g: Gruppierung, von: date | None, bis: date | None) -> pd.DataFrame:
    """Matched pairs T0→T1 and T0→T2 (same code, same site) in one scan: per cell and wave the
    count and the sums (before, after, difference, squared difference) that means, standard
    deviations and their totals are computed from."""
    namen = sorted({i.messgroesse for i in INDIKATOREN if i.vorher_nachher})
    zeitraum = _zeitraum(von, bis, "n.datum")
    zeitraum.wo("v.welle = 'T0' AND list_contains($folgewellen, n.welle)")
    zeitraum.parameter["folgewellen"] = list(FOLGEWELLEN)
    bef, parameter = _bef_cte(g, zeitraum, namen)
    paar_spalten = ", ".join(f"v.{m} AS v_{m}, n.{m} AS n_{m}" for m in namen)
    spalten = []
    for ind in INDIKATOREN:
        m = ind.messgroesse
        if ind.berechnung is Berechnung.VORHER_NACHHER:
            v, n = f"v_{m}", f"n_{m}"
        elif ind.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN:
            v, n = f"v_{m}::INTEGER", f"n_{m}::INTEGER"
            spalten.append(f'count(*) FILTER (WHERE {v} = 0 AND {n} = 1) AS "{ind.id}__b"')
            spalten.append(f'count(*) FILTER (WHERE {v} = 1 AND {n} = 0) AS "{ind.id}__c"')
        else:
            continue
        d = f"({n} - {v})"
        spalten += [
            f'count({d}) AS "{ind.id}__n_paare"',
            f'sum({v}) FILTER (WHERE {n} IS NOT NULL) AS "{ind.id}__s_vor"',
            f'sum({n}) FILTER (WHERE {v} IS NOT NULL) AS "{ind.id}__s_nach"',
            f'sum({d}) AS "{ind.id}__s_d"',
            f'sum({d} * {d}) AS "{ind.id}__s_d2"',
        ]
    sql = (
        f"WITH {bef}, paare AS (SELECT v.standort, coalesce(n.gruppe, v.gruppe) AS gruppe, "
        f"coalesce(n.format, v.format) AS format, n.periode, n.welle, {paar_spalten} "
        f"FROM bef v JOIN bef n ON v.code = n.code AND v.standort = n.standort "
        f"WHERE {zeitraum.sql}) "
        f"SELECT welle, standort, gruppe, format, periode, {', '.join(spalten)} FROM paare "
        f"{_FEIN_SQL}"
    )
    return db.query(sql, parameter)


def _match(db: Datenbank, g: Gruppierung, von: date | None, bis: date | None) -> pd.DataFrame:
    """T0 codes and how many of them reached T1 and T2 at the same site (dated by T0)."""
    zeitraum = _zeitraum(von, bis, "v.datum")
    zeitraum.wo("v.welle = 'T0'")
    bef, parameter = _bef_cte(g, zeitraum, [])
    erreicht = ", ".join(f'count({w}.code) AS "n_erreicht_{w}"' for w in FOLGEWELLEN)
    joins = " ".join(
        f"LEFT JOIN bef {w} ON {w}.code = v.code AND {w}.standort = v.standort "
        f"AND {w}.welle = '{w}'"
        for w in FOLGEWELLEN
    )
    sql = (
        f"WITH {bef} SELECT v.standort, v.gruppe, v.format, v.periode, count(*) AS n_t0, "
        f"{erreicht} FROM bef v {joins} WHERE {zeitraum.sql} {_FEIN_SQL}"
    )
    return db.query(sql, parameter)


def _aktivitaeten(
    db: Datenbank, g: Gruppierung, von: date | None, bis: date | None
) -> pd.DataFrame:
    zeitraum = _zeitraum(von, bis, "datum")
    gruppe = "format" if g is Gruppierung.FORMAT else "NULL::VARCHAR"
    spalten = []
    for ind in INDIKATOREN:
        b = ind.bedingung
        if ind.berechnung is Berechnung.AKTIVITAETEN_ANTEIL:
            nb = ind.nenner_bedingung
            spalten.append(f'count(*) FILTER (WHERE {nb}) AS "{ind.id}__nenner"')
            spalten.append(f'count(*) FILTER (WHERE ({nb}) AND ({b})) AS "{ind.id}__zaehler"')
        elif ind.berechnung is Berechnung.AKTIVITAETEN_ANZAHL:
            spalten.append(f'count(*) FILTER (WHERE {b}) AS "{ind.id}__zaehler"')
        elif ind.berechnung is Berechnung.AKTIVITAETEN_SUMME:
            m = ind.messgroesse
            spalten.append(f'coalesce(sum({m}) FILTER (WHERE {b}), 0) AS "{ind.id}__zaehler"')
            spalten.append(f'count({m}) FILTER (WHERE {b}) AS "{ind.id}__nenner"')
        elif ind.berechnung is Berechnung.AKTIVITAETEN_RATE:
            z, n = ind.messgroesse, ind.nenner_spalte
            beide = f"{z} IS NOT NULL AND {n} IS NOT NULL"
            spalten.append(f'coalesce(sum({z}) FILTER (WHERE {beide}), 0) AS "{ind.id}__zaehler"')
            spalten.append(f'coalesce(sum({n}) FILTER (WHERE {beide}), 0) AS "{ind.id}__nenner"')
    sql = (
        f"SELECT standort, {gruppe} AS gruppe, format, {_PERIODE} AS periode, "
        f"{', '.join(spalten)} FROM aktivitaeten WHERE {zeitraum.sql} {_FEIN_SQL}"
    )
    return db.query(sql, zeitraum.parameter)


# -- totals: the CUBE over the finest cells, in pandas on small tables -------------------------
def _wuerfel(fein: pd.DataFrame, filter_: Filter, quartale: tuple[str, str] | None) -> pd.DataFrame:
    """Select the filter's cells and add every total: sites and groups (and quarters), each
    with its "gesamt". All columns are additive counts or sums, so totals are exact.

    Rows of unknown group count into the totals over groups only — as in SQL's CUBE.
    """
    auswahl = np.ones(len(fein), dtype=bool)
    if filter_.standorte:
        auswahl &= fein["standort"].isin(filter_.standorte).to_numpy()
    if filter_.formate:
        auswahl &= fein["format"].isin(filter_.formate).to_numpy()
    if quartale:
        auswahl &= fein["periode"].between(*quartale).to_numpy()
    daten = fein[auswahl]
    extra = ["welle"] if "welle" in fein else []
    werte = [c for c in fein.columns if "__" in c or c.startswith("n_")]
    dims = ["standort", "gruppe", *(["periode"] if filter_.nach_quartal else [])]
    # First the finest cells of the result (unknown groups kept as their own cell), then every
    # coarser total from those: far fewer rows than the base, which also splits by format.
    fein_summe = daten.groupby([*extra, *dims], sort=False, dropna=False)[werte].sum()
    fein_summe = fein_summe.reset_index()
    teile = []
    for anzahl in range(len(dims) + 1):
        for gewaehlt in combinations(dims, anzahl):
            schluessel = [*extra, *gewaehlt]
            if len(gewaehlt) == len(dims):
                summe = fein_summe.dropna(subset=list(gewaehlt))
            elif schluessel:
                summe = fein_summe.groupby(schluessel, sort=False, dropna=True)[werte].sum()
                summe = summe.reset_index()
            else:
                summe = fein_summe[werte].sum().to_frame().T
            for dim in dims:
                if dim not in gewaehlt:
                    summe[dim] = GESAMT
            teile.append(summe)
    ergebnis = pd.concat(teile, ignore_index=True)
    if not filter_.nach_quartal:
        ergebnis["periode"] = GESAMT
    return ergebnis


def _ausrichtung(filter_: Filter) -> tuple[date | None, date | None, tuple[str, str] | None]:
    """Split the period into what SQL must filter (exact dates) and what the totals can filter
    (whole quarters). Whole quarters — what the dashboard offers — keep one base table per
    grouping, so changing the period costs no new query."""
    von, bis = filter_.von, filter_.bis
    ganz = (von is None or (von.day == 1 and von.month in (1, 4, 7, 10))) and (
        bis is None or ((bis + timedelta(days=1)).day == 1 and bis.month in (3, 6, 9, 12))
    )
    if not ganz:
        return von, bis, None
    if von is None and bis is None:
        return None, None, None
    erstes = _quartal(von) if von else "0000-Q0"
    letztes = _quartal(bis) if bis else "9999-Q9"
    return None, None, (erstes, letztes)


def _quartal(tag: date) -> str:
    return f"{tag.year}-Q{(tag.month - 1) // 3 + 1}"


# -- assembling ------------------------------------------------------------------------------
_ZELLE = ["standort", "gruppe", "periode"]


def _werte(tabelle: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric column as a float array (NaN where missing or absent)."""
    if name in tabelle:
        return pd.to_numeric(tabelle[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.full(len(tabelle), np.nan)


def _spalte(tabelle: pd.DataFrame, name: str) -> pd.Series:
    if name in tabelle:
        return pd.to_numeric(tabelle[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=tabelle.index)


def _paar_statistik(paare: pd.DataFrame) -> pd.DataFrame:
    """Means and standard deviations of each cell from its counts and sums."""
    ergebnis = paare.copy()
    for ind in INDIKATOREN:
        if not ind.vorher_nachher:
            continue
        n = _spalte(paare, f"{ind.id}__n_paare")
        gueltig = n.where(n > 0)
        s_d, s_d2 = _spalte(paare, f"{ind.id}__s_d"), _spalte(paare, f"{ind.id}__s_d2")
        ergebnis[f"{ind.id}__mittel_vorher"] = _spalte(paare, f"{ind.id}__s_vor") / gueltig
        ergebnis[f"{ind.id}__mittel_nachher"] = _spalte(paare, f"{ind.id}__s_nach") / gueltig
        ergebnis[f"{ind.id}__differenz"] = s_d / gueltig
        quadrate = s_d2 - s_d**2 / gueltig
        # Rounding can leave a tiny residue where every difference is equal: that is sd = 0.
        quadrate = quadrate.where(quadrate > 1e-9 * s_d2.abs().clip(lower=1), 0.0)
        ergebnis[f"{ind.id}__sd"] = np.sqrt(quadrate / (n - 1).where(n > 1))
    return ergebnis


def _vorher_nachher_zeilen(
    paare: pd.DataFrame, match: pd.DataFrame, welle: str, schwellen: Schwellen
) -> pd.DataFrame:
    zelle = {k: paare[k].to_numpy(dtype=object) for k in _ZELLE}
    teile = []
    for ind in INDIKATOREN:
        if not ind.vorher_nachher:
            continue
        n = _werte(paare, f"{ind.id}__n_paare")
        spalten: dict[str, Any] = {**zelle, "indikator": ind.id, "welle": welle, "n_paare": n}
        if ind.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN:
            b, c = _werte(paare, f"{ind.id}__b"), _werte(paare, f"{ind.id}__c")
            unten, oben = statistik.gepaarte_anteile_intervall(b, c, n)
            with np.errstate(divide="ignore", invalid="ignore"):
                differenz = np.where(n > 0, 100 * (b - c) / n, np.nan)
            spalten |= {
                "mittel_vorher": 100 * _werte(paare, f"{ind.id}__mittel_vorher"),
                "mittel_nachher": 100 * _werte(paare, f"{ind.id}__mittel_nachher"),
                "differenz": differenz,
                "ci_unten": 100 * unten,
                "ci_oben": 100 * oben,
                "d_z": np.full(len(n), np.nan),
                "g_z": np.full(len(n), np.nan),
                "p_wert": statistik.mcnemar_p(b, c),
            }
        else:
            mittel, sd = _werte(paare, f"{ind.id}__differenz"), _werte(paare, f"{ind.id}__sd")
            unten, oben = statistik.t_intervall(mittel, sd, n)
            d_z = statistik.cohens_dz(mittel, sd)
            spalten |= {
                "mittel_vorher": _werte(paare, f"{ind.id}__mittel_vorher"),
                "mittel_nachher": _werte(paare, f"{ind.id}__mittel_nachher"),
                "differenz": mittel,
                "ci_unten": unten,
                "ci_oben": oben,
                "d_z": d_z,
                "g_z": d_z * statistik.hedges_j(n),
                "p_wert": statistik.t_test_p(mittel, sd, n),
            }
        teile.append(pd.DataFrame(spalten))
    if not teile or paare.empty:
        return pd.DataFrame(columns=list(VORHER_NACHHER_SPALTEN))
    tabelle = pd.concat(teile, ignore_index=True)
    tabelle["unterdrueckt"] = primaer(tabelle["n_paare"], schwellen.min_paare)
    tabelle["unterdrueckt"] = sekundaer(
        tabelle, _ZELLE, groesse="n_paare", schluessel=("indikator",)
    )
    tabelle.loc[tabelle["unterdrueckt"], list(_ZAHLEN_VN)] = np.nan
    tabelle = _sortiert(tabelle)

    n_t0, n_erreicht = _werte(match, "n_t0"), _werte(match, "n_erreicht")
    with np.errstate(divide="ignore", invalid="ignore"):
        quote = np.where(n_t0 > 0, 100 * n_erreicht / n_t0, np.nan)
    m = pd.DataFrame(
        {
            **{k: match[k].to_numpy(dtype=object) for k in _ZELLE},
            "n_t0": n_t0,
            "n_erreicht": n_erreicht,
            "match_quote": quote,
        }
    )
    m["match_unterdrueckt"] = primaer(m["n_t0"], schwellen.min_personen)
    m["match_unterdrueckt"] = sekundaer(m, _ZELLE, groesse="n_t0", spalte="match_unterdrueckt")
    m.loc[m["match_unterdrueckt"], ["n_t0", "n_erreicht", "match_quote"]] = np.nan
    tabelle = tabelle.merge(m, on=_ZELLE, how="left")
    tabelle["match_unterdrueckt"] = tabelle["match_unterdrueckt"].fillna(True).astype(bool)
    return tabelle[list(VORHER_NACHHER_SPALTEN)]


def _indikator_zeilen(
    einzel: pd.DataFrame,
    aktivitaeten: pd.DataFrame,
    vn_t1: pd.DataFrame,
    schwellen: Schwellen,
) -> pd.DataFrame:
    teile = []
    vn_nach_id = dict(tuple(vn_t1.groupby("indikator", sort=False))) if len(vn_t1) else {}
    for ind in INDIKATOREN:
        if ind.vorher_nachher:
            quelle = vn_nach_id.get(ind.id, vn_t1.iloc[0:0])
            z = pd.DataFrame(
                {
                    "indikator": ind.id,
                    **{k: quelle[k].to_numpy(dtype=object) for k in _ZELLE},
                    "wert": quelle["differenz"].to_numpy(dtype=float),
                    "n": quelle["n_paare"].to_numpy(dtype=float),
                    "zaehler": np.nan,
                    "nenner": np.nan,
                    "ci_unten": quelle["ci_unten"].to_numpy(dtype=float),
                    "ci_oben": quelle["ci_oben"].to_numpy(dtype=float),
                    "unterdrueckt": quelle["unterdrueckt"].to_numpy(dtype=bool),
                }
            )
        else:
            z = _einfacher_wert(ind, einzel if ind.personenbezogen else aktivitaeten)
        teile.append(z)
    tabelle = pd.concat(teile, ignore_index=True)
    einfach = ~tabelle["indikator"].map({i.id: i.vorher_nachher for i in INDIKATOREN})
    personen = tabelle["indikator"].map({i.id: i.personenbezogen for i in INDIKATOREN})
    primaere = personen & einfach & primaer(tabelle["n"], schwellen.min_personen)
    tabelle.loc[einfach, "unterdrueckt"] = primaere[einfach]
    tabelle["unterdrueckt"] = tabelle["unterdrueckt"].fillna(False).astype(bool)
    geschuetzt = sekundaer(
        tabelle[einfach & personen], _ZELLE, groesse="n", schluessel=("indikator",)
    )
    tabelle.loc[geschuetzt.index, "unterdrueckt"] = geschuetzt
    tabelle.loc[tabelle["unterdrueckt"], list(_ZAHLEN_IND)] = np.nan
    meta = {i.id: i for i in INDIKATOREN}
    tabelle["ziel"] = tabelle["indikator"].map({k: str(i.ziel) for k, i in meta.items()})
    tabelle["name"] = tabelle["indikator"].map({k: i.name for k, i in meta.items()})
    tabelle["stufe"] = tabelle["indikator"].map({k: i.stufe for k, i in meta.items()})
    tabelle["einheit"] = tabelle["indikator"].map({k: i.einheit for k, i in meta.items()})
    return _sortiert(tabelle)[list(INDIKATOR_SPALTEN)]


def _sortiert(tabelle: pd.DataFrame) -> pd.DataFrame:
    """Catalogue order of indicators; within each, "gesamt" first, then alphabetical."""
    reihenfolge = {i.id: k for k, i in enumerate(INDIKATOREN)}
    schluessel = [tabelle["indikator"].map(reihenfolge).to_numpy()]
    for spalte in ("standort", "gruppe", "periode"):
        text = tabelle[spalte].where(tabelle[spalte] != GESAMT, "").astype(str)
        schluessel.append(pd.factorize(text, sort=True)[0])
    reihe = np.lexsort(schluessel[::-1])
    return tabelle.iloc[reihe].reset_index(drop=True)


def _einfacher_wert(ind: Indikator, quelle: pd.DataFrame) -> pd.DataFrame:
    zaehler = _werte(quelle, f"{ind.id}__zaehler")
    nenner = _werte(quelle, f"{ind.id}__nenner")
    unten = oben = np.full(len(quelle), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        quote = np.where(nenner > 0, 100 * zaehler / nenner, np.nan)
    if ind.berechnung in (Berechnung.ANTEIL, Berechnung.AKTIVITAETEN_ANTEIL):
        wert, n = quote, nenner
        unten, oben = (100 * grenze for grenze in statistik.wilson(zaehler, nenner))
    elif ind.berechnung is Berechnung.AKTIVITAETEN_RATE:
        wert, n = quote, nenner
    elif ind.berechnung is Berechnung.AKTIVITAETEN_SUMME:
        wert, n = zaehler, nenner
    else:  # PERSONEN, AKTIVITAETEN_ANZAHL: a count, no CI (SPEC §5)
        wert, n = zaehler, zaehler
    return pd.DataFrame(
        {
            "indikator": ind.id,
            **{k: quelle[k].to_numpy(dtype=object) for k in _ZELLE},
            "wert": wert,
            "n": n,
            "zaehler": zaehler,
            "nenner": nenner,
            "ci_unten": unten,
            "ci_oben": oben,
            "unterdrueckt": False,
        }
    )


# -- public API ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Ergebnis:
    """Released result tables of one engine run (already suppressed)."""

    indikatoren: pd.DataFrame
    vorher_nachher: pd.DataFrame


@dataclass(frozen=True, slots=True)
class Basis:
    """Sufficient statistics per finest cell (site × group × format × quarter), from DuckDB.

    Counts and sums only, so any selection of sites, formats and quarters and every total over
    them follows by addition (:func:`auswerten`) without touching the raw data again. The
    dashboard caches one Basis per grouping; a filter change then costs milliseconds.
    """

    gruppierung: Gruppierung
    von: date | None
    bis: date | None
    einzel: pd.DataFrame
    paare: pd.DataFrame
    match: pd.DataFrame
    aktivitaeten: pd.DataFrame
    ziele: pd.DataFrame


def basis(
    db: Datenbank,
    gruppierung: Gruppierung = Gruppierung.MH,
    von: date | None = None,
    bis: date | None = None,
) -> Basis:
    """Aggregate the raw data once (four queries) for a grouping and an exact date range."""
    return Basis(
        gruppierung,
        von,
        bis,
        _einzelwellen(db, gruppierung, von, bis),
        _paare(db, gruppierung, von, bis),
        _match(db, gruppierung, von, bis),
        _aktivitaeten(db, gruppierung, von, bis),
        zielwerte_laden(db),
    )


def nur_zellen(grundlage: Basis, zellen: Collection[tuple[str, str]]) -> Basis:
    """The base restricted to the given (standort, periode) cells, e.g. approved quarters.

    Rows outside are dropped before any total is formed, so "gesamt" rows, suppression and
    targets in :func:`auswerten` see only these cells. Pre/post pairs belong to the quarter of
    their later questionnaire, match rates to the quarter of the T0 questionnaire (as in the
    base tables). Targets are kept (they are not data of a quarter).
    """
    erlaubt = pd.MultiIndex.from_tuples(list(zellen), names=["standort", "periode"])

    def auswahl(tabelle: pd.DataFrame) -> pd.DataFrame:
        if tabelle.empty:
            return tabelle
        schluessel = pd.MultiIndex.from_arrays([tabelle["standort"], tabelle["periode"]])
        return tabelle[schluessel.isin(erlaubt)].reset_index(drop=True)

    return replace(
        grundlage,
        einzel=auswahl(grundlage.einzel),
        paare=auswahl(grundlage.paare),
        match=auswahl(grundlage.match),
        aktivitaeten=auswahl(grundlage.aktivitaeten),
    )


def sql_zeitraum(filter_: Filter) -> tuple[date | None, date | None]:
    """The dates a filter's base must be aggregated with: exact dates go to SQL, whole quarters
    (what the dashboard offers) are selected later, so they share one base."""
    von, bis, _ = _ausrichtung(filter_)
    return von, bis


def auswerten(
    grundlage: Basis,
    filter_: Filter,
    schwellen: Schwellen | None = None,
    heute: date | None = None,
) -> Ergebnis:
    """Totals, statistics, suppression and targets for a filter, from a base of that grouping."""
    von, bis, quartale = _ausrichtung(filter_)
    if grundlage.gruppierung is not filter_.gruppierung or (von, bis) != (
        grundlage.von,
        grundlage.bis,
    ):
        raise ValueError("Die Basis passt nicht zum Filter (Gruppierung oder Zeitraum).")
    heute = heute or filter_.bis or date.today()
    schwellen = schwellen or Schwellen.aus_umgebung()
    paare = _paar_statistik(_wuerfel(grundlage.paare, filter_, quartale))
    match = _wuerfel(grundlage.match, filter_, quartale)
    vn = {
        welle: _vorher_nachher_zeilen(
            paare[paare["welle"] == welle].reset_index(drop=True),
            match.rename(columns={f"n_erreicht_{welle}": "n_erreicht"}),
            welle,
            schwellen,
        )
        for welle in FOLGEWELLEN
    }
    indikatoren = _indikator_zeilen(
        _wuerfel(grundlage.einzel, filter_, quartale),
        _wuerfel(grundlage.aktivitaeten, filter_, quartale),
        vn["T1"],
        schwellen,
    )
    ziele = grundlage.ziele
    if filter_.standorte or filter_.formate:
        # A project-wide target describes the whole project; the total of a selection of
        # sites or formats is not that, so it is not judged against it.
        ziele = ziele[ziele["standort"] != GESAMT]
    indikatoren = ziele_anhaengen(indikatoren, ziele, heute)
    vorher_nachher = pd.concat(vn.values(), ignore_index=True)
    return Ergebnis(indikatoren=indikatoren, vorher_nachher=vorher_nachher)


def berechne(
    db: Datenbank,
    filter_: Filter | None = None,
    schwellen: Schwellen | None = None,
    heute: date | None = None,
    *,
    zellen: Collection[tuple[str, str]] | None = None,
) -> Ergebnis:
    """Compute every indicator and every pre/post row (T0→T1 and T0→T2) for the filter.

    Targets are judged at ``heute`` (default: the end of the filter period, else today).
    ``zellen`` restricts the data to these (standort, quartal) cells first (:func:`nur_zellen`),
    e.g. the approved quarters of :func:`monitor.freigabe.sichtbare_zellen`; None = all data.
    """
    filter_ = filter_ or Filter()
    grundlage = basis(db, filter_.gruppierung, *sql_zeitraum(filter_))
    if zellen is not None:
        grundlage = nur_zellen(grundlage, zellen)
    return auswerten(grundlage, filter_, schwellen, heute)

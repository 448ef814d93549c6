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

from dataclasses import dataclass, field
from datetime import date
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
VORHER_NACHHER_SPALTEN: tuple[str, ...] = (
    "indikator",
    "standort",
    "gruppe",
    "welle",
    "periode",
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
    "n_t0",
    "n_erreicht",
    "match_quote",
    "match_unterdrueckt",
)
_ZAHLEN_VN = (
    "n_paare",
    "mittel_vorher",
    "mittel_nachher",
    "differenz",
    "ci_unten",
    "ci_oben",
    "d_z",
    "g_z",
    "p_wert",
)
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


def _bef_cte(filter_: Filter, messgroessen: list[str]) -> tuple[str, dict[str, Any]]:
    """CTE ``bef``: questionnaires of the chosen sites with group, quarter and the scores a
    query needs (only those: scale scores are the costly part of every scan)."""
    abfrage = _standort_filter(filter_)
    scores = "".join(
        f",\n       {_score_sql(MESSGROESSEN_NACH_NAME[name])} AS {name}" for name in messgroessen
    )
    sql = (
        "bef AS (SELECT code, standort, welle, datum, format, "
        f"{_GRUPPE_BEFRAGUNG[filter_.gruppierung]} AS gruppe, {_PERIODE} AS periode"
        f"{scores}\n  FROM befragungen WHERE {abfrage.sql})"
    )
    return sql, abfrage.parameter


def _dimensionen(filter_: Filter, praefix: str = "") -> list[str]:
    dims = [f"{praefix}standort", f"{praefix}gruppe"]
    if filter_.nach_quartal:
        dims.append(f"{praefix}periode")
    return dims


def _gruppierte_auswahl(filter_: Filter, praefix: str = "") -> tuple[str, str]:
    """SELECT list of the CUBE dimensions and the GROUP BY clause."""
    dims = _dimensionen(filter_, praefix)
    namen = ["standort", "gruppe", "periode"][: len(dims)]
    auswahl = ", ".join(
        f"{d} AS _{n}, grouping({d}) AS _g_{n}" for d, n in zip(dims, namen, strict=True)
    )
    return auswahl, f"GROUP BY CUBE({', '.join(dims)})"


def _zellen(roh: pd.DataFrame, filter_: Filter) -> pd.DataFrame:
    """Turn CUBE output into cells labelled with "gesamt"; drop rows of unknown group."""
    namen = ["standort", "gruppe", "periode"] if filter_.nach_quartal else ["standort", "gruppe"]
    behalten = np.ones(len(roh), dtype=bool)
    for name in namen:
        behalten &= ~((roh[f"_g_{name}"] == 0) & roh[f"_{name}"].isna())
    roh = roh[behalten].reset_index(drop=True)
    zellen = pd.DataFrame(index=roh.index)
    for name in namen:
        zellen[name] = np.where(roh[f"_g_{name}"] == 1, GESAMT, roh[f"_{name}"].astype(object))
    if not filter_.nach_quartal:
        zellen["periode"] = GESAMT
    werte = roh.drop(columns=[c for c in roh.columns if c.startswith("_")])
    return pd.concat([zellen, werte], axis=1)


# -- queries ---------------------------------------------------------------------------------
def _einzelwellen(db: Datenbank, filter_: Filter) -> pd.DataFrame:
    namen = sorted({i.messgroesse for i in INDIKATOREN if i.berechnung is Berechnung.ANTEIL})
    bef, parameter = _bef_cte(filter_, namen)
    abfrage = _zeit_format(_Abfrage(), filter_, "datum", "format")
    spalten = []
    for ind in INDIKATOREN:
        welle = f"welle = '{ind.welle}'"
        if ind.berechnung is Berechnung.PERSONEN:
            # (code, welle) is the primary key: one row per code and wave, so counting rows
            # counts distinct codes — without DISTINCT's cost under CUBE.
            spalten.append(f'count(*) FILTER (WHERE {welle}) AS "{ind.id}__zaehler"')
        elif ind.berechnung is Berechnung.ANTEIL:
            x = ind.messgroesse
            bedingung = ind.bedingung.format(x=x)
            spalten.append(f'count({x}) FILTER (WHERE {welle}) AS "{ind.id}__nenner"')
            spalten.append(
                f'count({x}) FILTER (WHERE {welle} AND ({bedingung})) AS "{ind.id}__zaehler"'
            )
    auswahl, gruppierung = _gruppierte_auswahl(filter_)
    sql = (
        f"WITH {bef} SELECT {auswahl}, {', '.join(spalten)} "
        f"FROM bef WHERE {abfrage.sql} {gruppierung}"
    )
    return _zellen(db.query(sql, {**parameter, **abfrage.parameter}), filter_)


def _paare(db: Datenbank, filter_: Filter) -> pd.DataFrame:
    """Matched pairs T0→T1 and T0→T2 (same code, same site) in one scan, one row set per wave."""
    namen = sorted({i.messgroesse for i in INDIKATOREN if i.vorher_nachher})
    bef, parameter = _bef_cte(filter_, namen)
    abfrage = _zeit_format(_Abfrage(), filter_, "n.datum", "coalesce(n.format, v.format)")
    abfrage.wo("v.welle = 'T0' AND list_contains($folgewellen, n.welle)")
    abfrage.parameter["folgewellen"] = list(FOLGEWELLEN)
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
            f'avg({v}) FILTER (WHERE {n} IS NOT NULL) AS "{ind.id}__mittel_vorher"',
            f'avg({n}) FILTER (WHERE {v} IS NOT NULL) AS "{ind.id}__mittel_nachher"',
            f'avg({d}) AS "{ind.id}__differenz"',
            f'stddev_samp({d}) AS "{ind.id}__sd"',
        ]
    auswahl, gruppierung = _gruppierte_auswahl(filter_)
    sql = (
        f"WITH {bef}, paare AS (SELECT v.standort, coalesce(n.gruppe, v.gruppe) AS gruppe, "
        f"n.periode, n.welle, {paar_spalten} FROM bef v JOIN bef n "
        f"ON v.code = n.code AND v.standort = n.standort WHERE {abfrage.sql}) "
        f"SELECT welle, {auswahl}, {', '.join(spalten)} FROM paare "
        f"{gruppierung.replace('GROUP BY ', 'GROUP BY welle, ')}"
    )
    return _zellen(db.query(sql, {**parameter, **abfrage.parameter}), filter_)


def _match(db: Datenbank, filter_: Filter) -> pd.DataFrame:
    """T0 codes and how many of them reached T1 and T2 at the same site."""
    bef, parameter = _bef_cte(filter_, [])
    abfrage = _zeit_format(_Abfrage(), filter_, "v.datum", "v.format")
    abfrage.wo("v.welle = 'T0'")
    auswahl, gruppierung = _gruppierte_auswahl(filter_, "v.")
    erreicht = ", ".join(f'count({w}.code) AS "n_erreicht_{w}"' for w in FOLGEWELLEN)
    joins = " ".join(
        f"LEFT JOIN bef {w} ON {w}.code = v.code AND {w}.standort = v.standort "
        f"AND {w}.welle = '{w}'"
        for w in FOLGEWELLEN
    )
    sql = (
        f"WITH {bef} SELECT {auswahl}, count(*) AS n_t0, {erreicht} "
        f"FROM bef v {joins} WHERE {abfrage.sql} {gruppierung}"
    )
    return _zellen(db.query(sql, {**parameter, **abfrage.parameter}), filter_)


def _aktivitaeten(db: Datenbank, filter_: Filter) -> pd.DataFrame:
    abfrage = _zeit_format(_standort_filter(filter_), filter_, "datum", "format")
    gruppe = "format" if filter_.gruppierung is Gruppierung.FORMAT else "NULL::VARCHAR"
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
    auswahl, gruppierung = _gruppierte_auswahl(filter_)
    sql = (
        f"WITH akt AS (SELECT *, {gruppe} AS gruppe, {_PERIODE} AS periode FROM aktivitaeten "
        f"WHERE {abfrage.sql}) SELECT {auswahl}, {', '.join(spalten)} FROM akt {gruppierung}"
    )
    return _zellen(db.query(sql, abfrage.parameter), filter_)


# -- assembling ------------------------------------------------------------------------------
_ZELLE = ["standort", "gruppe", "periode"]


def _spalte(tabelle: pd.DataFrame, name: str) -> pd.Series:
    if name in tabelle:
        return pd.to_numeric(tabelle[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=tabelle.index)


def _vorher_nachher_zeilen(
    paare: pd.DataFrame, match: pd.DataFrame, welle: str, schwellen: Schwellen
) -> pd.DataFrame:
    teile = []
    for ind in INDIKATOREN:
        if not ind.vorher_nachher:
            continue
        p = paare[_ZELLE].copy()
        p["indikator"] = ind.id
        p["welle"] = welle
        n = _spalte(paare, f"{ind.id}__n_paare")
        p["n_paare"] = n
        if ind.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN:
            b, c = _spalte(paare, f"{ind.id}__b"), _spalte(paare, f"{ind.id}__c")
            p["mittel_vorher"] = 100 * _spalte(paare, f"{ind.id}__mittel_vorher")
            p["mittel_nachher"] = 100 * _spalte(paare, f"{ind.id}__mittel_nachher")
            p["differenz"] = 100 * (b - c) / n.where(n > 0)
            unten, oben = statistik.gepaarte_anteile_intervall(b, c, n)
            p["ci_unten"], p["ci_oben"] = 100 * unten, 100 * oben
            p["d_z"] = np.nan
            p["g_z"] = np.nan
            p["p_wert"] = statistik.mcnemar_p(b, c)
        else:
            mittel, sd = _spalte(paare, f"{ind.id}__differenz"), _spalte(paare, f"{ind.id}__sd")
            p["mittel_vorher"] = _spalte(paare, f"{ind.id}__mittel_vorher")
            p["mittel_nachher"] = _spalte(paare, f"{ind.id}__mittel_nachher")
            p["differenz"] = mittel
            p["ci_unten"], p["ci_oben"] = statistik.t_intervall(mittel, sd, n)
            p["d_z"] = statistik.cohens_dz(mittel, sd)
            p["g_z"] = p["d_z"] * statistik.hedges_j(n)
            p["p_wert"] = statistik.t_test_p(mittel, sd, n)
        teile.append(p)
    if not teile:
        return pd.DataFrame(columns=list(VORHER_NACHHER_SPALTEN))
    tabelle = pd.concat(teile, ignore_index=True)
    tabelle["unterdrueckt"] = primaer(tabelle["n_paare"], schwellen.min_paare)
    tabelle["unterdrueckt"] = sekundaer(
        tabelle, _ZELLE, groesse="n_paare", schluessel=("indikator",)
    )
    tabelle.loc[tabelle["unterdrueckt"], list(_ZAHLEN_VN)] = np.nan
    tabelle = _sortiert(tabelle)

    m = match[_ZELLE].copy()
    m["n_t0"] = _spalte(match, "n_t0")
    m["n_erreicht"] = _spalte(match, "n_erreicht")
    m["match_quote"] = 100 * m["n_erreicht"] / m["n_t0"].where(m["n_t0"] > 0)
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
    for ind in INDIKATOREN:
        if ind.vorher_nachher:
            quelle = vn_t1[vn_t1["indikator"] == ind.id]
            z = quelle[_ZELLE].copy()
            z["wert"] = quelle["differenz"].to_numpy()
            z["n"] = quelle["n_paare"].to_numpy()
            z["zaehler"] = np.nan
            z["nenner"] = np.nan
            z["ci_unten"] = quelle["ci_unten"].to_numpy()
            z["ci_oben"] = quelle["ci_oben"].to_numpy()
            z["unterdrueckt"] = quelle["unterdrueckt"].to_numpy()
        else:
            quelle = einzel if ind.personenbezogen else aktivitaeten
            z = _einfacher_wert(ind, quelle)
        z.insert(0, "indikator", ind.id)
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
    meta = pd.DataFrame(
        [(i.id, str(i.ziel), i.name, i.stufe, i.einheit) for i in INDIKATOREN],
        columns=["indikator", "ziel", "name", "stufe", "einheit"],
    )
    tabelle = tabelle.merge(meta, on="indikator", how="left")
    return _sortiert(tabelle)[list(INDIKATOR_SPALTEN)]


def _sortiert(tabelle: pd.DataFrame) -> pd.DataFrame:
    """Catalogue order of indicators; within each, "gesamt" first, then alphabetical."""
    reihenfolge = {i.id: k for k, i in enumerate(INDIKATOREN)}
    schluessel = pd.DataFrame({"_i": tabelle["indikator"].map(reihenfolge)}, index=tabelle.index)
    for spalte in ("standort", "gruppe", "periode"):
        schluessel[spalte] = tabelle[spalte].where(tabelle[spalte] != GESAMT, "")
    reihe = schluessel.sort_values(["_i", "standort", "gruppe", "periode"]).index
    return tabelle.loc[reihe].reset_index(drop=True)


def _einfacher_wert(ind: Indikator, quelle: pd.DataFrame) -> pd.DataFrame:
    z = quelle[_ZELLE].copy()
    zaehler = _spalte(quelle, f"{ind.id}__zaehler")
    nenner = _spalte(quelle, f"{ind.id}__nenner")
    z["ci_unten"] = np.nan
    z["ci_oben"] = np.nan
    if ind.berechnung in (Berechnung.ANTEIL, Berechnung.AKTIVITAETEN_ANTEIL):
        z["wert"] = 100 * zaehler / nenner.where(nenner > 0)
        unten, oben = statistik.wilson(zaehler, nenner)
        z["ci_unten"], z["ci_oben"] = 100 * unten, 100 * oben
        z["n"] = nenner
    elif ind.berechnung is Berechnung.AKTIVITAETEN_RATE:
        z["wert"] = 100 * zaehler / nenner.where(nenner > 0)
        z["n"] = nenner
    elif ind.berechnung is Berechnung.AKTIVITAETEN_SUMME:
        z["wert"] = zaehler
        z["n"] = nenner
    else:  # PERSONEN, AKTIVITAETEN_ANZAHL: a count, no CI (SPEC §5)
        z["wert"] = zaehler
        z["n"] = zaehler
    z["zaehler"] = zaehler
    z["nenner"] = nenner
    z["unterdrueckt"] = False
    return z


# -- public API ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Ergebnis:
    """Released result tables of one engine run (already suppressed)."""

    indikatoren: pd.DataFrame
    vorher_nachher: pd.DataFrame


def berechne(
    db: Datenbank,
    filter_: Filter | None = None,
    schwellen: Schwellen | None = None,
    heute: date | None = None,
) -> Ergebnis:
    """Compute every indicator and every pre/post row (T0→T1 and T0→T2) for the filter.

    Targets are judged at ``heute`` (default: the end of the filter period, else today).
    """
    filter_ = filter_ or Filter()
    heute = heute or filter_.bis or date.today()
    schwellen = schwellen or Schwellen.aus_umgebung()
    paare, match = _paare(db, filter_), _match(db, filter_)
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
        _einzelwellen(db, filter_), _aktivitaeten(db, filter_), vn["T1"], schwellen
    )
    ziele = zielwerte_laden(db)
    if filter_.standorte or filter_.formate:
        # A project-wide target describes the whole project; the total of a selection of
        # sites or formats is not that, so it is not judged against it.
        ziele = ziele[ziele["standort"] != GESAMT]
    indikatoren = ziele_anhaengen(indikatoren, ziele, heute)
    vorher_nachher = pd.concat(vn.values(), ignore_index=True)
    return Ergebnis(indikatoren=indikatoren, vorher_nachher=vorher_nachher)

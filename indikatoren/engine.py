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

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from itertools import combinations
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import sparse

from indikatoren import katalog, statistik
from indikatoren.definitionen import Berechnung, Indikator, Messgroesse
from indikatoren.filter import Filter, Gruppierung
from indikatoren.katalog import INDIKATOREN, MESSGROESSEN_NACH_NAME
from indikatoren.unterdrueckung import (
    GESAMT,
    Schwellen,
    anteil_primaer,
    primaer,
    sekundaer_codes,
)
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
#: Every indicator is about project participants: a comparison-group person (``vergleichsgruppe``,
#: asked at T0 and carried onto T1/T2 like the migration background) is outside the base of
#: every indicator, target and lattice cell; only :mod:`indikatoren.vergleichsgruppe` reads them.
NUR_TEILNEHMENDE = "vergleichsgruppe IS NOT TRUE"

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
    "sperrgrund",
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
    "sperrgrund",
    "d_av",
    "d_av_unten",
    "d_av_oben",
)
#: Why a cell shows no value: fewer persons (pairs) than the threshold, hidden to protect
#: another cell, or nothing to show. Pages and reports label the three differently.
PRIMAER, SEKUNDAER = "primaer", "sekundaer"
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
        f"{scores}\n  FROM befragungen WHERE {NUR_TEILNEHMENDE})"
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
# Each kind of base table is declared once as aggregate columns (alias, SQL); the query on the
# raw data (exact dates) and the pre-aggregated tables (below) are both built from them.
def _einzel_aggregate(indikatoren: Sequence[Indikator]) -> list[tuple[str, str]]:
    spalten = []
    for ind in indikatoren:
        welle = f"welle = '{ind.welle}'"
        if ind.berechnung is Berechnung.PERSONEN:
            # (standort, code, welle) is the primary key: one row per code and wave at a site, so
            # counting rows counts persons (a code per site) — and row counts add up across cells.
            spalten.append((f"{ind.id}__zaehler", f"count(*) FILTER (WHERE {welle})"))
        elif ind.berechnung is Berechnung.ANTEIL:
            x = ind.messgroesse
            bedingung = ind.bedingung.format(x=x)
            spalten.append((f"{ind.id}__nenner", f"count({x}) FILTER (WHERE {welle})"))
            spalten.append(
                (f"{ind.id}__zaehler", f"count({x}) FILTER (WHERE {welle} AND ({bedingung}))")
            )
    return spalten


def _paar_aggregate(indikatoren: Sequence[Indikator]) -> list[tuple[str, str]]:
    spalten = []
    for ind in indikatoren:
        m = ind.messgroesse
        if ind.berechnung is Berechnung.VORHER_NACHHER:
            v, n = f"v_{m}", f"n_{m}"
        elif ind.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN:
            v, n = f"v_{m}::INTEGER", f"n_{m}::INTEGER"
            spalten.append((f"{ind.id}__b", f"count(*) FILTER (WHERE {v} = 0 AND {n} = 1)"))
            spalten.append((f"{ind.id}__c", f"count(*) FILTER (WHERE {v} = 1 AND {n} = 0)"))
        else:
            continue
        d = f"({n} - {v})"
        spalten += [
            (f"{ind.id}__n_paare", f"count({d})"),
            (f"{ind.id}__s_vor", f"sum({v}) FILTER (WHERE {n} IS NOT NULL)"),
            (f"{ind.id}__s_nach", f"sum({n}) FILTER (WHERE {v} IS NOT NULL)"),
            (f"{ind.id}__s_d", f"sum({d})"),
            (f"{ind.id}__s_d2", f"sum({d} * {d})"),
        ]
        if ind.berechnung is Berechnung.VORHER_NACHHER:  # spread of each wave, for d_av
            spalten += [
                (f"{ind.id}__s_vor2", f"sum({v} * {v}) FILTER (WHERE {n} IS NOT NULL)"),
                (f"{ind.id}__s_nach2", f"sum({n} * {n}) FILTER (WHERE {v} IS NOT NULL)"),
            ]
    return spalten


def _match_aggregate() -> list[tuple[str, str]]:
    return [("n_t0", "count(*)")] + [(f"n_erreicht_{w}", f"count(c_{w})") for w in FOLGEWELLEN]


def _aktivitaeten_aggregate(indikatoren: Sequence[Indikator]) -> list[tuple[str, str]]:
    spalten = []
    for ind in indikatoren:
        b = ind.bedingung
        if ind.berechnung is Berechnung.AKTIVITAETEN_ANTEIL:
            nb = ind.nenner_bedingung
            spalten.append((f"{ind.id}__nenner", f"count(*) FILTER (WHERE {nb})"))
            spalten.append((f"{ind.id}__zaehler", f"count(*) FILTER (WHERE ({nb}) AND ({b}))"))
        elif ind.berechnung is Berechnung.AKTIVITAETEN_ANZAHL:
            spalten.append((f"{ind.id}__zaehler", f"count(*) FILTER (WHERE {b})"))
        elif ind.berechnung is Berechnung.AKTIVITAETEN_SUMME:
            m = ind.messgroesse
            spalten.append((f"{ind.id}__zaehler", f"coalesce(sum({m}) FILTER (WHERE {b}), 0)"))
            spalten.append((f"{ind.id}__nenner", f"count({m}) FILTER (WHERE {b})"))
        elif ind.berechnung is Berechnung.AKTIVITAETEN_RATE:
            z, n = ind.messgroesse, ind.nenner_spalte
            beide = f"{z} IS NOT NULL AND {n} IS NOT NULL"
            spalten.append((f"{ind.id}__zaehler", f"coalesce(sum({z}) FILTER (WHERE {beide}), 0)"))
            spalten.append((f"{ind.id}__nenner", f"coalesce(sum({n}) FILTER (WHERE {beide}), 0)"))
    return spalten


def _select(aggregate: list[tuple[str, str]], *, gleitkomma: bool = False) -> str:
    """The aggregate columns of a SELECT; ``gleitkomma`` stores sums as DOUBLE (sums of small
    integers come as HUGEINT otherwise, which is slow to read; the values are the same)."""
    return ", ".join(
        f'{sql if not gleitkomma or sql.startswith("count(") else f"({sql})::DOUBLE"} AS "{alias}"'
        for alias, sql in aggregate
    )


def _paar_join(gruppen: str, namen: list[str], bedingung: str) -> str:
    """The pairs: a T0 questionnaire and a later one of the same code at the same site; group
    and format from the later one where known, dated by the later one."""
    werte = "".join(f", v.{m} AS v_{m}, n.{m} AS n_{m}" for m in namen)
    folgewellen = ", ".join(f"'{w}'" for w in FOLGEWELLEN)
    return (
        f"SELECT v.standort, n.welle, coalesce(n.format, v.format) AS format, n.periode"
        f"{gruppen}{werte} FROM bef v JOIN bef n ON v.code = n.code AND v.standort = n.standort "
        f"WHERE v.welle = 'T0' AND n.welle IN ({folgewellen}) "
        f"AND {bedingung}"
    )


def _match_join(gruppen: str, bedingung: str) -> str:
    """T0 questionnaires and the codes of the same person's T1/T2 at the same site."""
    erreicht = "".join(f", {w}.code AS c_{w}" for w in FOLGEWELLEN)
    joins = " ".join(
        f"LEFT JOIN bef {w} ON {w}.code = v.code AND {w}.standort = v.standort "
        f"AND {w}.welle = '{w}'"
        for w in FOLGEWELLEN
    )
    return (
        f"SELECT v.standort, v.format, v.periode{gruppen}{erreicht} FROM bef v {joins} "
        f"WHERE v.welle = 'T0' AND {bedingung}"
    )


def _messgroessen(indikatoren: Sequence[Indikator], einzeln: bool) -> list[str]:
    """Scores a query needs: single-wave shares or pre/post changes."""
    if einzeln:
        return sorted({i.messgroesse for i in indikatoren if i.berechnung is Berechnung.ANTEIL})
    return sorted({i.messgroesse for i in indikatoren if i.vorher_nachher})


def _einzelwellen(
    db: Datenbank, g: Gruppierung, von: date | None, bis: date | None
) -> pd.DataFrame:
    zeitraum = _zeitraum(von, bis, "datum")
    bef, parameter = _bef_cte(g, zeitraum, _messgroessen(INDIKATOREN, einzeln=True))
    sql = (
        f"WITH {bef} SELECT standort, gruppe, format, periode, "
        f"{_select(_einzel_aggregate(INDIKATOREN))} FROM bef WHERE {zeitraum.sql} {_FEIN_SQL}"
    )
    return db.query(sql, parameter)


def _paare(db: Datenbank, g: Gruppierung, von: date | None, bis: date | None) -> pd.DataFrame:
    """Matched pairs T0→T1 and T0→T2 (same code, same site) in one scan: per cell and wave the
    count and the sums (before, after, difference, squared difference) that means, standard
    deviations and their totals are computed from."""
    zeitraum = _zeitraum(von, bis, "n.datum")
    namen = _messgroessen(INDIKATOREN, einzeln=False)
    bef, parameter = _bef_cte(g, zeitraum, namen)
    paare = _paar_join(", coalesce(n.gruppe, v.gruppe) AS gruppe", namen, zeitraum.sql)
    sql = (
        f"WITH {bef}, paare AS ({paare}) SELECT welle, standort, gruppe, format, periode, "
        f"{_select(_paar_aggregate(INDIKATOREN))} FROM paare {_FEIN_SQL}"
    )
    return db.query(sql, parameter)


def _match(db: Datenbank, g: Gruppierung, von: date | None, bis: date | None) -> pd.DataFrame:
    """T0 codes and how many of them reached T1 and T2 at the same site (dated by T0)."""
    zeitraum = _zeitraum(von, bis, "v.datum")
    bef, parameter = _bef_cte(g, zeitraum, [])
    sql = (
        f"WITH {bef}, m AS ({_match_join(', v.gruppe', zeitraum.sql)}) "
        f"SELECT standort, gruppe, format, periode, {_select(_match_aggregate())} FROM m "
        f"{_FEIN_SQL}"
    )
    return db.query(sql, parameter)


def _aktivitaeten(
    db: Datenbank, g: Gruppierung, von: date | None, bis: date | None
) -> pd.DataFrame:
    zeitraum = _zeitraum(von, bis, "datum")
    gruppe = "format" if g is Gruppierung.FORMAT else "NULL::VARCHAR"
    sql = (
        f"SELECT standort, {gruppe} AS gruppe, format, {_PERIODE} AS periode, "
        f"{_select(_aktivitaeten_aggregate(INDIKATOREN))} FROM aktivitaeten "
        f"WHERE {zeitraum.sql} {_FEIN_SQL}"
    )
    return db.query(sql, zeitraum.parameter)


# -- pre-aggregated tables ("Auswertungstabellen", as DHIS2's analytics tables) ---------------
# The base tables without a date filter — what every dashboard view starts from — for all four
# groupings, kept in DuckDB. Every writer of befragungen/aktivitaeten rebuilds them in its own
# transaction (:func:`auswertungstabellen_aufbauen`); a reader compares a fingerprint of the raw
# data and of the definitions with the one stored at build time and rebuilds (or, on a read-only
# connection, aggregates the raw data) when they differ, so a stale table is never read.
AUSWERTUNGSTABELLEN: tuple[str, ...] = (
    "auswertung_einzel",
    "auswertung_paare",
    "auswertung_match",
    "auswertung_aktivitaeten",
)
_ANDERE_GRUPPIERUNGEN = tuple(g for g in Gruppierung if g is not Gruppierung.FORMAT)
_BEFRAGUNG_SPALTEN = sorted(
    {
        "code",
        "standort",
        "welle",
        "datum",
        "format",
        "migrationshintergrund",
        "vergleichsgruppe",
        "geschlecht",
        "altersgruppe",
        *(item for m in katalog.MESSGROESSEN for item in m.items),
    }
)
#: Fingerprint of the raw data: row counts and a sum of row hashes (every column the engine
#: reads), so any insert, update or delete — by whatever writer — changes it.
DATENSTAND_SQL = (
    "SELECT (SELECT count(*) || ':' || coalesce(sum(hash("
    + ", ".join(_BEFRAGUNG_SPALTEN)
    + ")), 0) FROM befragungen) || '/' || "
    "(SELECT count(*) || ':' || coalesce(sum(hash(a)), 0) FROM aktivitaeten a)"
)


def _gruppierungs_sql(schluessel: str) -> tuple[str, str]:
    """SELECT expressions (gruppierung, gruppe) and the GROUPING SETS clause: one set per
    grouping; the format grouping is the set without a group column (its group is the format)."""
    wann = [f"WHEN grouping(g_{g.value}) = 0 THEN" for g in _ANDERE_GRUPPIERUNGEN]
    paare = list(zip(wann, _ANDERE_GRUPPIERUNGEN, strict=True))
    namen = " ".join(f"{w} '{g.value}'" for w, g in paare)
    gruppen = " ".join(f"{w} g_{g.value}" for w, g in paare)
    saetze = [f"({schluessel}, g_{g.value})" for g in _ANDERE_GRUPPIERUNGEN] + [f"({schluessel})"]
    auswahl = (
        f"CASE {namen} ELSE '{Gruppierung.FORMAT.value}' END AS gruppierung, "
        f"CASE {gruppen} ELSE format END AS gruppe"
    )
    return auswahl, f"GROUP BY GROUPING SETS ({', '.join(saetze)})"


#: Stored in this order (sorted once when built): a scan returns it in insertion order, so a
#: read needs no sort, and sums over the rows are repeatable to the last digit.
_REIHENFOLGE = "ORDER BY gruppierung, standort, gruppe, format, periode"


def _vorberechnung_sql() -> list[str]:
    """CREATE statements of the four tables, from the whole catalogue (not a caller's subset)."""
    alle = katalog.INDIKATOREN
    gruppen_bef = "".join(f", {_GRUPPE_BEFRAGUNG[g]} AS g_{g.value}" for g in _ANDERE_GRUPPIERUNGEN)

    def bef(namen: list[str]) -> str:
        scores = "".join(f", {_score_sql(MESSGROESSEN_NACH_NAME[m])} AS {m}" for m in namen)
        return (
            f"bef AS (SELECT code, standort, welle, datum, format, {_PERIODE} AS periode"
            f"{gruppen_bef}{scores} FROM befragungen WHERE {NUR_TEILNEHMENDE})"
        )

    namen = _messgroessen(alle, einzeln=False)
    paar_gruppen = "".join(
        f", coalesce(n.g_{g.value}, v.g_{g.value}) AS g_{g.value}" for g in _ANDERE_GRUPPIERUNGEN
    )
    match_gruppen = "".join(f", v.g_{g.value}" for g in _ANDERE_GRUPPIERUNGEN)
    auswahl, saetze = _gruppierungs_sql("standort, format, periode")
    auswahl_w, saetze_w = _gruppierungs_sql("welle, standort, format, periode")
    einzel, paare, match, aktivitaeten = AUSWERTUNGSTABELLEN
    return [
        f"CREATE OR REPLACE TABLE {einzel} AS WITH {bef(_messgroessen(alle, einzeln=True))} "
        f"SELECT {auswahl}, standort, format, periode, "
        f"{_select(_einzel_aggregate(alle), gleitkomma=True)} "
        f"FROM bef {saetze} {_REIHENFOLGE}",
        f"CREATE OR REPLACE TABLE {paare} AS WITH {bef(namen)}, "
        f"paare AS ({_paar_join(paar_gruppen, namen, 'TRUE')}) "
        f"SELECT {auswahl_w}, welle, standort, format, periode, "
        f"{_select(_paar_aggregate(alle), gleitkomma=True)} FROM paare {saetze_w} "
        f"{_REIHENFOLGE.replace('gruppierung, ', 'gruppierung, welle, ')}",
        f"CREATE OR REPLACE TABLE {match} AS WITH {bef([])}, "
        f"m AS ({_match_join(match_gruppen, 'TRUE')}) "
        f"SELECT {auswahl}, standort, format, periode, {_select(_match_aggregate())} "
        f"FROM m {saetze} {_REIHENFOLGE}",
        f"CREATE OR REPLACE TABLE {aktivitaeten} AS SELECT standort, format, "
        f"{_PERIODE} AS periode, {_select(_aktivitaeten_aggregate(alle), gleitkomma=True)} "
        "FROM aktivitaeten GROUP BY ALL ORDER BY standort, format, periode",
    ]


def _definition() -> str:
    """Hash of everything the tables are built from: a changed indicator rebuilds them."""
    text = "\n".join([*_vorberechnung_sql(), DATENSTAND_SQL])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def auswertungstabellen_aufbauen(cur: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the pre-aggregated tables inside the caller's transaction.

    Every writer of ``befragungen``/``aktivitaeten`` calls this before it commits, so the
    tables change together with the data (all or nothing) and the next dashboard view reads
    them at once. Costs about one aggregation of the raw data for all four groupings.
    """
    for sql in _vorberechnung_sql():
        cur.execute(sql)
    stand = cur.execute(DATENSTAND_SQL).fetchall()[0][0]
    cur.execute(
        "INSERT OR REPLACE INTO auswertungsstand (id, datenstand, definition, erstellt_am) "
        "VALUES (1, ?, ?, ?)",
        [stand, _definition(), datetime.now()],
    )


def auswertungstabellen_aktuell(db: Datenbank) -> bool:
    """Whether the stored tables match the raw data and the current definitions."""
    gespeichert = db.rows("SELECT datenstand, definition FROM auswertungsstand WHERE id = 1")
    return gespeichert == [(db.scalar(DATENSTAND_SQL), _definition())]


#: Arrow text types → pandas' default string dtype (what ``.df()`` gives for VARCHAR).
_ARROW_TEXT = {
    pa.string(): pd.StringDtype(na_value=np.nan),
    pa.large_string(): pd.StringDtype(na_value=np.nan),
}


def _vorberechnet(
    db: Datenbank, gruppierungen: Sequence[Gruppierung]
) -> dict[Gruppierung, tuple[pd.DataFrame, ...]] | None:
    """The four base tables of each grouping from the pre-aggregated tables, or None when
    they cannot serve (indicators outside the catalogue, an old schema, stale on a read-only
    connection). Check, rebuild and reads run in one transaction: one consistent snapshot;
    each table is read once for all requested groupings."""
    if any(ind not in katalog.INDIKATOREN for ind in INDIKATOREN):
        return None
    lesbar, schreibgeschuetzt = db.rows(
        "SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'auswertungsstand' "
        "AND database_name = current_database()), readonly FROM duckdb_databases() "
        "WHERE database_name = current_database()"
    )[0]
    if not lesbar:
        return None
    definition = _definition()
    werte = [g.value for g in gruppierungen]
    with db.transaction() as cur:
        stand = cur.execute(DATENSTAND_SQL).fetchall()[0][0]
        gespeichert = cur.execute(
            "SELECT datenstand, definition FROM auswertungsstand WHERE id = 1"
        ).fetchall()
        if gespeichert != [(stand, definition)]:
            if schreibgeschuetzt:
                return None
            auswertungstabellen_aufbauen(cur)
        teile: list[dict[str, pd.DataFrame]] = []
        for art, aggregate in (
            ("einzel", _einzel_aggregate(INDIKATOREN)),
            ("paare", _paar_aggregate(INDIKATOREN)),
            ("match", _match_aggregate()),
        ):
            welle = "welle, " if art == "paare" else ""
            namen = "".join(f', "{alias}"' for alias, _ in aggregate)
            # Read through Arrow: texts become pandas' Arrow-backed strings without a Python
            # object per value — half the time of ``.df()`` for these wide tables, same frame.
            tabelle = (
                cur.sql(
                    f"SELECT gruppierung, {welle}standort, gruppe, format, periode{namen} "
                    f"FROM auswertung_{art} WHERE list_contains($g, gruppierung)",
                    params={"g": werte},
                )
                .to_arrow_table()
                .to_pandas(types_mapper=_ARROW_TEXT.get)
            )
            # An empty frame with the columns for a grouping without rows (e.g. no data yet).
            leer = tabelle.iloc[0:0].drop(columns="gruppierung")
            nach_wert = {
                str(wert): teil.drop(columns="gruppierung").reset_index(drop=True)
                for wert, teil in tabelle.groupby("gruppierung", sort=False)
            }
            teile.append({w: nach_wert.get(w, leer) for w in werte})
        namen = "".join(f', "{a}"' for a, _ in _aktivitaeten_aggregate(INDIKATOREN))
        aktivitaeten = cur.execute(
            f"SELECT standort, NULL::VARCHAR AS gruppe, format, periode{namen} "
            "FROM auswertung_aktivitaeten"
        ).df()
    ergebnis = {}
    for g in gruppierungen:
        # Activities have no person group: the format grouping shows their format.
        akt = (
            aktivitaeten.assign(gruppe=aktivitaeten["format"])
            if g is Gruppierung.FORMAT
            else aktivitaeten
        )
        ergebnis[g] = (*(t[g.value] for t in teile), akt)
    return ergebnis


# -- totals: the CUBE over the finest cells, with numpy on small tables ------------------------
#: Dimensions of a result cell; code 0 of each is its "gesamt".
_ZELLE = ["standort", "gruppe", "periode"]


_KODIERT = ("standort", "gruppe", "periode", "format")


@dataclass(frozen=True, slots=True)
class _Kodiert:
    """The four base tables as integer codes and value matrices, built once per :class:`Basis`.

    ``labels`` holds the sorted values of each dimension; a row's code is its position there
    (-1 = unknown, e.g. no group). Every evaluation then selects, sums and joins integers only
    — the string columns are read once, not on every filter change.
    """

    labels: dict[str, np.ndarray]
    codes: tuple[dict[str, np.ndarray], ...]  # per table: dimension (and welle) → codes
    spalten: tuple[list[str], ...]  # per table: the additive columns
    matrizen: tuple[np.ndarray, ...]  # per table: those columns as floats (NaN → 0)


def _kodieren(tabellen: tuple[pd.DataFrame, ...]) -> _Kodiert:
    # One sorted factorisation per dimension over all four tables: shared codes.
    codes: list[dict[str, np.ndarray]] = [{} for _ in tabellen]
    labels = {}
    for dim in _KODIERT:
        mit = [i for i, t in enumerate(tabellen) if dim in t]
        spalten = [tabellen[i][dim] for i in mit]
        alle = pd.concat(spalten, ignore_index=True) if spalten else pd.Series([], dtype=object)
        kodiert, werte = pd.factorize(alle, sort=True)
        labels[dim] = np.asarray(werte, dtype=object)
        anfang = 0
        for i in mit:
            codes[i][dim] = kodiert[anfang : anfang + len(tabellen[i])]
            anfang += len(tabellen[i])
    spalten_je, matrizen = [], []
    for t, kodiert_t in zip(tabellen, codes, strict=True):
        if "welle" in t:
            kodiert_t["welle"] = pd.Index(FOLGEWELLEN).get_indexer(t["welle"].astype(object))
        namen = [c for c in t.columns if "__" in c or c.startswith("n_")]
        matrix = t[namen].to_numpy(dtype=float, na_value=np.nan)
        spalten_je.append(namen)
        matrizen.append(np.nan_to_num(matrix, copy=False, nan=0.0))
    return _Kodiert(labels, tuple(codes), tuple(spalten_je), tuple(matrizen))


@dataclass(frozen=True, slots=True)
class _Achsen:
    """Labels of the result dimensions, shared by the four cubes of one evaluation.

    Code 0 is "gesamt", codes 1… the values in sorted order: sorting cells by code is the
    output order ("gesamt" first, then alphabetical), and cells of different cubes (pairs and
    match rates) can be joined on their integer keys.
    """

    labels: dict[str, pd.api.extensions.ExtensionArray]
    aktiv: tuple[str, ...]  # dimensions that are broken down (periode only by quarter)

    def radix(self, dim: str) -> int:
        return len(self.labels[dim])


@dataclass(frozen=True, slots=True)
class _Wuerfel:
    """Result cells of one base table (sorted) and the additive columns summed over them."""

    welle: np.ndarray  # index into FOLGEWELLEN per cell (0 where the table has no waves)
    codes: dict[str, np.ndarray]  # dimension → code per cell
    summen: dict[str, np.ndarray]  # column → float sum per cell

    def __len__(self) -> int:
        return len(self.welle)

    def werte(self, name: str) -> np.ndarray:
        """A summed column (NaN where the base table does not have it)."""
        if name in self.summen:
            return self.summen[name]
        return np.full(len(self), np.nan)

    def teil(self, auswahl: np.ndarray) -> _Wuerfel:
        return _Wuerfel(
            self.welle[auswahl],
            {k: v[auswahl] for k, v in self.codes.items()},
            {k: v[auswahl] for k, v in self.summen.items()},
        )


def _achsen(kodiert: _Kodiert, nach_quartal: bool) -> _Achsen:
    """Result labels: "gesamt" first, then the values (periode only when broken down)."""
    aktiv = ("standort", "gruppe", "periode") if nach_quartal else ("standort", "gruppe")
    labels = {
        dim: pd.array([GESAMT, *(kodiert.labels[dim] if dim in aktiv else ())], dtype="str")
        for dim in _ZELLE
    }
    return _Achsen(labels, aktiv)


def _auswahl(
    kodiert: _Kodiert, nummer: int, filter_: Filter, quartale: tuple[str, str] | None
) -> np.ndarray:
    """Rows of a base table inside the filter's sites, formats and quarters."""
    codes = kodiert.codes[nummer]
    auswahl = np.ones(len(kodiert.matrizen[nummer]), dtype=bool)
    for dim, werte in (("standort", filter_.standorte), ("format", filter_.formate)):
        if werte:
            erlaubt = pd.Index(kodiert.labels[dim]).get_indexer(list(werte))
            auswahl &= np.isin(codes[dim], erlaubt[erlaubt >= 0])
    if quartale:
        labels = kodiert.labels["periode"]
        unten = np.searchsorted(labels, quartale[0], side="left")
        oben = np.searchsorted(labels, quartale[1], side="right")
        auswahl &= (codes["periode"] >= unten) & (codes["periode"] < oben)
    return auswahl


def _wuerfel(kodiert: _Kodiert, nummer: int, auswahl: np.ndarray, achsen: _Achsen) -> _Wuerfel:
    """Select the filter's cells and add every total: sites and groups (and quarters), each
    with its "gesamt". All columns are additive counts or sums, so totals are exact.

    One sparse matrix maps each selected base row to every cell it counts into (its own cell
    and each total); one product with the value matrix sums all levels of the cube at once.
    Rows of unknown group count into the totals over groups only — as in SQL's CUBE.
    """
    werte_spalten = kodiert.spalten[nummer]
    alle_codes = kodiert.codes[nummer]
    zeilen = np.flatnonzero(auswahl)
    mit_welle = "welle" in alle_codes
    dims = achsen.aktiv
    codes = {dim: alle_codes[dim][zeilen] + 1 for dim in dims}  # 0 = unknown for now
    welle = alle_codes["welle"][zeilen] if mit_welle else np.zeros(len(zeilen), dtype=np.int64)
    schluessel_teile, zeilen_teile = [], []
    for anzahl in range(len(dims) + 1):
        for gewaehlt in combinations(dims, anzahl):
            gueltig = np.ones(len(zeilen), dtype=bool)
            schluessel = welle.astype(np.int64)
            for dim in dims:
                schluessel = schluessel * achsen.radix(dim)
                if dim in gewaehlt:
                    gueltig &= codes[dim] > 0
                    schluessel = schluessel + codes[dim]
            schluessel_teile.append(schluessel[gueltig])
            zeilen_teile.append(np.flatnonzero(gueltig))
    alle = np.concatenate(schluessel_teile)
    # Keys are dense (mixed radix over small dimensions): mark the used ones instead of
    # sorting them; cells come out in key order, which is the output order.
    umfang = len(FOLGEWELLEN) * int(np.prod([achsen.radix(dim) for dim in dims]))
    belegt = np.zeros(umfang, dtype=bool)
    belegt[alle] = True
    zellen = np.flatnonzero(belegt)
    zu_zelle = (np.cumsum(belegt) - 1)[alle]
    if not mit_welle and not len(zellen):
        # The grand total exists even without data (zero counts), as SQL's CUBE gives it.
        zellen, summen = np.zeros(1, dtype=np.int64), np.zeros((1, len(werte_spalten)))
    else:
        abbildung = sparse.csr_matrix(
            (np.ones(len(alle)), (zu_zelle, np.concatenate(zeilen_teile))),
            shape=(len(zellen), len(zeilen)),
        )
        summen = np.asarray(abbildung @ kodiert.matrizen[nummer][zeilen])
    zell_codes = {}
    rest = zellen
    for dim in reversed(dims):
        zell_codes[dim] = rest % achsen.radix(dim)
        rest = rest // achsen.radix(dim)
    if "periode" not in dims:
        zell_codes["periode"] = np.zeros(len(zellen), dtype=np.int64)
    return _Wuerfel(
        rest,
        zell_codes,
        {name: summen[:, i] for i, name in enumerate(werte_spalten)},
    )


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


# -- assembling: long tables built from numpy columns, one block per indicator ---------------
@dataclass
class _Lang:
    """A long result table under construction: one block of rows per indicator.

    Every block has the cells of its cube in output order; blocks are appended in catalogue
    order, so the finished table needs no sort.
    """

    spalten: dict[str, list[np.ndarray]] = field(default_factory=dict)
    laengen: list[int] = field(default_factory=list)
    indikatoren: list[Indikator] = field(default_factory=list)

    def block(self, ind: Indikator, **spalten: np.ndarray) -> None:
        self.indikatoren.append(ind)
        self.laengen.append(len(next(iter(spalten.values()))))
        for name, werte in spalten.items():
            self.spalten.setdefault(name, []).append(werte)

    def spalte(self, name: str) -> np.ndarray:
        return np.concatenate(self.spalten[name])

    def je_indikator(self, werte: list[Any]) -> Any:
        """One value per indicator, repeated over its block (texts as a string array)."""
        if werte and isinstance(werte[0], str):
            return pd.array(werte, dtype="str").take(self.nummer())
        return np.repeat(np.array(werte, dtype=object), self.laengen)

    def nummer(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.laengen)), self.laengen)

    def bloecke(self) -> dict[str, slice]:
        enden = np.cumsum(self.laengen).tolist()
        return {
            i.id: slice(ende - laenge, ende)
            for i, laenge, ende in zip(self.indikatoren, self.laengen, enden, strict=True)
        }


def _verhaeltnis(zaehler: np.ndarray, nenner: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(nenner > 0, zaehler / nenner, np.nan)


def _paar_block(w: _Wuerfel, ind: Indikator, min_paare: int) -> dict[str, np.ndarray]:
    """Means, differences, CI, effect size and p value of one indicator's pairs per cell.

    The t-test's p value (the costliest call: an incomplete beta function per cell) is computed
    only for cells with at least ``min_paare`` pairs; the others are suppressed anyway.
    """
    n = w.werte(f"{ind.id}__n_paare")
    mittel_vorher = _verhaeltnis(w.werte(f"{ind.id}__s_vor"), n)
    mittel_nachher = _verhaeltnis(w.werte(f"{ind.id}__s_nach"), n)
    if ind.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN:
        b, c = w.werte(f"{ind.id}__b"), w.werte(f"{ind.id}__c")
        vorher_ja = w.werte(f"{ind.id}__s_vor")
        unten, oben = statistik.gepaarte_anteile_intervall(b, c, n, vorher_ja)
        leer = np.full(len(n), np.nan)
        return {
            "n_paare": n,
            "mittel_vorher": 100 * mittel_vorher,
            "mittel_nachher": 100 * mittel_nachher,
            "differenz": _verhaeltnis(100 * (b - c), n),
            "ci_unten": 100 * unten,
            "ci_oben": 100 * oben,
            "d_z": leer,
            "g_z": leer,
            "p_wert": statistik.mcnemar_p(b, c),
            **{name: leer for name in _D_AV},
        }
    s_d, s_d2 = w.werte(f"{ind.id}__s_d"), w.werte(f"{ind.id}__s_d2")
    mittel = _verhaeltnis(s_d, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        quadrate = s_d2 - s_d**2 / np.where(n > 0, n, np.nan)
        # Rounding can leave a tiny residue where every difference is equal: that is sd = 0.
        quadrate = np.where(quadrate > 1e-9 * np.maximum(np.abs(s_d2), 1), quadrate, 0.0)
        sd = np.sqrt(quadrate / np.where(n > 1, n - 1, np.nan))
    unten, oben = statistik.t_intervall(mittel, sd, n)
    d_z = statistik.cohens_dz(mittel, sd)
    p_wert = np.full(len(n), np.nan)
    frei = n >= min_paare
    p_wert[frei] = statistik.t_test_p(mittel[frei], sd[frei], n[frei])
    return {
        "n_paare": n,
        "mittel_vorher": mittel_vorher,
        "mittel_nachher": mittel_nachher,
        "differenz": mittel,
        "ci_unten": unten,
        "ci_oben": oben,
        "d_z": d_z,
        "g_z": d_z * statistik.hedges_j(n),
        "p_wert": p_wert,
        **_d_av_spalten(w, ind, n, mittel, sd),
    }


#: d_av with its interval: computed with the pair statistics, suppressed with them.
_D_AV = ("d_av", "d_av_unten", "d_av_oben")


def _d_av_spalten(
    w: _Wuerfel, ind: Indikator, n: np.ndarray, mittel: np.ndarray, sd: np.ndarray
) -> dict[str, np.ndarray]:
    """d_av (change / spread of the single measurements) and its CI per cell (issue 15)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        nenner = np.where(n > 1, n - 1, np.nan)
        n_sicher = np.where(n > 0, n, np.nan)
        varianzen = [
            np.maximum(w.werte(f"{ind.id}__{s}2") - w.werte(f"{ind.id}__{s}") ** 2 / n_sicher, 0)
            / nenner
            for s in ("s_vor", "s_nach")
        ]
    d, unten, oben = statistik.d_av(mittel, *varianzen, sd**2, n)
    return dict(zip(_D_AV, (d, unten, oben), strict=True))


def _zell_schluessel(w: _Wuerfel, achsen: _Achsen) -> np.ndarray:
    schluessel = np.zeros(len(w), dtype=np.int64)
    for dim in _ZELLE:
        schluessel = schluessel * achsen.radix(dim) + w.codes[dim]
    return schluessel


def _sperren(
    flags: np.ndarray,
    codes: dict[str, np.ndarray],
    groesse: np.ndarray,
    schwelle: int,
    schluessel: Sequence[np.ndarray],
    weitere: Sequence[np.ndarray] = (),
) -> np.ndarray:
    """Secondary suppression of a long table from its primary ``flags``, lines kept apart per
    ``schluessel`` (the indicator); ``weitere`` are further counts the rows publish."""
    return sekundaer_codes(
        flags,
        np.nan_to_num(groesse, nan=0.0),
        [codes[dim] for dim in _ZELLE],
        [codes[dim] == 0 for dim in _ZELLE],
        schluessel,
        schwelle,
        weitere,
    )


def sperrgrund(primaer_: np.ndarray, gesperrt: np.ndarray) -> Any:
    """The reason per row: "primaer", "sekundaer" or "" (released)."""
    grund = np.where(primaer_, PRIMAER, np.where(gesperrt, SEKUNDAER, ""))
    return pd.array(grund, dtype="str")


def _match_zeilen(
    match: _Wuerfel, achsen: _Achsen, schwellen: Schwellen
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Match rates per cell and follow-up wave, by cell key (raw values and flags).

    The rate is a share: T0 persons reached and not reached are counts of their own. Hidden per
    wave: fewer than ``min_personen`` T0 persons, 1 to ``min_paare`` − 1 reached (the number of
    pairs that the pre/post row hides), or a complement (not reached) of 1 to ``min_personen``
    − 1; then secondary suppression over the reached counts, so no total gives one back.
    """
    n_t0 = match.werte("n_t0")
    spalten: dict[str, np.ndarray] = {"n_t0": n_t0}
    for welle in FOLGEWELLEN:
        erreicht = match.werte(f"n_erreicht_{welle}")
        rest = n_t0 - erreicht
        erst = (
            primaer(pd.Series(n_t0), schwellen.min_personen).to_numpy()
            | ((erreicht > 0) & (erreicht < schwellen.min_paare))
            | ((rest > 0) & (rest < schwellen.min_personen))
        )
        flags = _sperren(erst, match.codes, erreicht, schwellen.min_paare, [])
        spalten[f"n_erreicht_{welle}"] = erreicht
        spalten[f"quote_{welle}"] = _verhaeltnis(100 * erreicht, n_t0)
        spalten[f"gesperrt_{welle}"] = flags
    return _zell_schluessel(match, achsen), spalten


@dataclass(frozen=True, slots=True)
class _VorherNachher:
    """The released pre/post table of one wave and where each indicator's block lies in it."""

    tabelle: pd.DataFrame
    codes: dict[str, np.ndarray]  # dimension → code per row
    bloecke: dict[str, slice]


def _vorher_nachher_zeilen(
    paare: _Wuerfel,
    match: tuple[np.ndarray, dict[str, np.ndarray]],
    welle: str,
    achsen: _Achsen,
    schwellen: Schwellen,
) -> _VorherNachher:
    w = paare.teil(paare.welle == FOLGEWELLEN.index(welle))
    lang = _Lang()
    for ind in INDIKATOREN:
        if ind.vorher_nachher:
            lang.block(
                ind,
                **_paar_block(w, ind, schwellen.min_paare),
                **{f"_{d}": w.codes[d] for d in _ZELLE},
            )
    if not lang.laengen or not len(w):
        leer = pd.DataFrame(columns=list(VORHER_NACHHER_SPALTEN))
        return _VorherNachher(leer, {d: np.zeros(0, dtype=np.int64) for d in _ZELLE}, {})
    codes = {dim: lang.spalte(f"_{dim}") for dim in _ZELLE}
    n = lang.spalte("n_paare")
    erst = primaer(pd.Series(n), schwellen.min_paare).to_numpy().copy()
    # A yes/no row shows how many said yes before and after (share × pairs): like any share,
    # never 1–4 persons answering yes or no, and those counts are protected along the lines.
    marginalen = _ja_nein_zaehlungen(lang, n)
    for ja, nein in zip(marginalen[::2], marginalen[1::2], strict=True):
        erst |= anteil_primaer(ja, ja + nein, schwellen.min_personen)
    gesperrt = _sperren(erst, codes, n, schwellen.min_paare, [lang.nummer()], marginalen)
    tabelle: dict[str, Any] = {
        "indikator": lang.je_indikator([i.id for i in lang.indikatoren]),
        **{dim: achsen.labels[dim].take(codes[dim]) for dim in _ZELLE},
        "welle": pd.array([welle], dtype="str").take(np.zeros(len(n), dtype=np.int64)),
    }
    for name in (*_ZAHLEN_VN, *_D_AV):
        tabelle[name] = lang.spalte(name)
    tabelle["unterdrueckt"] = gesperrt
    # Match rates belong to the cell, not to the indicator: looked up by the cell's key.
    m_schluessel, m_spalten = match
    schluessel = np.tile(_zell_schluessel(w, achsen), len(lang.laengen))
    if len(m_schluessel):
        pos = np.searchsorted(m_schluessel, schluessel).clip(max=len(m_schluessel) - 1)
        gefunden = m_schluessel[pos] == schluessel
    else:
        pos, gefunden = np.zeros(len(n), dtype=np.int64), np.zeros(len(n), dtype=bool)
    for ziel, quelle in (
        ("n_t0", "n_t0"),
        ("n_erreicht", f"n_erreicht_{welle}"),
        ("match_quote", f"quote_{welle}"),
    ):
        werte = m_spalten[quelle][pos] if len(m_schluessel) else np.nan
        tabelle[ziel] = np.where(gefunden, werte, np.nan)
    gesperrt_m = m_spalten[f"gesperrt_{welle}"][pos] if len(m_schluessel) else True
    tabelle["match_unterdrueckt"] = np.where(gefunden, gesperrt_m, True)
    tabelle["sperrgrund"] = sperrgrund(erst, gesperrt)
    return _VorherNachher(
        pd.DataFrame(tabelle)[list(VORHER_NACHHER_SPALTEN)], codes, lang.bloecke()
    )


def _ja_nein_zaehlungen(lang: _Lang, n: np.ndarray) -> list[np.ndarray]:
    """Yes and no counts before and after of yes/no pre/post rows (0 on other rows):
    ``[ja_vorher, nein_vorher, ja_nachher, nein_nachher]``."""
    ja_nein = lang.je_indikator(
        [i.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN for i in lang.indikatoren]
    ).astype(bool)
    paare = np.nan_to_num(n, nan=0.0)
    zaehlungen = []
    for spalte in ("mittel_vorher", "mittel_nachher"):
        ja = np.where(ja_nein, np.rint(np.nan_to_num(lang.spalte(spalte)) * paare / 100), 0.0)
        zaehlungen += [ja, np.where(ja_nein, paare - ja, 0.0)]
    return zaehlungen


def _einfacher_block(ind: Indikator, w: _Wuerfel) -> dict[str, np.ndarray]:
    zaehler = w.werte(f"{ind.id}__zaehler")
    nenner = w.werte(f"{ind.id}__nenner")
    unten = oben = np.full(len(w), np.nan)
    quote = _verhaeltnis(100 * zaehler, nenner)
    if ind.berechnung in (Berechnung.ANTEIL, Berechnung.AKTIVITAETEN_ANTEIL):
        wert, n = quote, nenner
        unten, oben = (100 * grenze for grenze in statistik.wilson(zaehler, nenner))
    elif ind.berechnung is Berechnung.AKTIVITAETEN_RATE:
        wert, n = quote, nenner
    elif ind.berechnung is Berechnung.AKTIVITAETEN_SUMME:
        wert, n = zaehler, nenner
    else:  # PERSONEN, AKTIVITAETEN_ANZAHL: a count, no CI (SPEC §5)
        wert, n = zaehler, zaehler
    return {
        "wert": wert,
        "n": n,
        "zaehler": zaehler,
        "nenner": nenner,
        "ci_unten": unten,
        "ci_oben": oben,
        "unterdrueckt": np.zeros(len(w), dtype=bool),
        "_primaer": np.zeros(len(w), dtype=bool),
        **{f"_{d}": w.codes[d] for d in _ZELLE},
    }


def _vn_block(vn: _VorherNachher, ind: Indikator) -> dict[str, np.ndarray]:
    """An effect indicator's row block: the (released) T1 pre/post change of each cell."""
    teil = vn.bloecke.get(ind.id, slice(0, 0))
    t = vn.tabelle
    leer = np.full(teil.stop - teil.start, np.nan)
    return {
        "wert": t["differenz"].to_numpy(dtype=float)[teil] if len(t) else leer,
        "n": t["n_paare"].to_numpy(dtype=float)[teil] if len(t) else leer,
        "zaehler": leer,
        "nenner": leer,
        "ci_unten": t["ci_unten"].to_numpy(dtype=float)[teil] if len(t) else leer,
        "ci_oben": t["ci_oben"].to_numpy(dtype=float)[teil] if len(t) else leer,
        "unterdrueckt": t["unterdrueckt"].to_numpy(dtype=bool)[teil] if len(t) else leer > 0,
        "_primaer": (t["sperrgrund"].to_numpy() == PRIMAER)[teil] if len(t) else leer > 0,
        **{f"_{d}": vn.codes[d][teil] for d in _ZELLE},
    }


def _indikator_zeilen(
    einzel: _Wuerfel,
    aktivitaeten: _Wuerfel,
    vn_t1: _VorherNachher,
    achsen: _Achsen,
    schwellen: Schwellen,
) -> pd.DataFrame:
    lang = _Lang()
    for ind in INDIKATOREN:
        if ind.vorher_nachher:
            lang.block(ind, **_vn_block(vn_t1, ind))
        else:
            quelle = einzel if ind.personenbezogen else aktivitaeten
            lang.block(ind, **_einfacher_block(ind, quelle))
    codes = {dim: lang.spalte(f"_{dim}") for dim in _ZELLE}
    n = lang.spalte("n")
    gesperrt = lang.spalte("unterdrueckt")
    erst = lang.spalte("_primaer")
    # Single-wave person counts: primary and secondary suppression here (effects were
    # suppressed with the pre/post table; activities describe no persons).
    pruefen = lang.je_indikator(
        [i.personenbezogen and not i.vorher_nachher for i in lang.indikatoren]
    ).astype(bool)
    if pruefen.any():
        anteil = lang.je_indikator(
            [i.berechnung is Berechnung.ANTEIL for i in lang.indikatoren]
        ).astype(bool)
        erst[pruefen] = primaer(pd.Series(n[pruefen]), schwellen.min_personen).to_numpy() | (
            anteil[pruefen]
            & anteil_primaer(
                lang.spalte("zaehler")[pruefen],
                lang.spalte("nenner")[pruefen],
                schwellen.min_personen,
            )
        )
        # a share publishes its numerator and complement too: both protected along the lines
        zaehler = np.where(anteil, np.nan_to_num(lang.spalte("zaehler")), 0.0)
        komplement = np.where(anteil, np.nan_to_num(lang.spalte("nenner")) - zaehler, 0.0)
        gesperrt[pruefen] = _sperren(
            erst[pruefen],
            {dim: codes[dim][pruefen] for dim in _ZELLE},
            n[pruefen],
            schwellen.min_personen,
            [lang.nummer()[pruefen]],
            [zaehler[pruefen], komplement[pruefen]],
        )
    tabelle: dict[str, Any] = {
        "indikator": lang.je_indikator([i.id for i in lang.indikatoren]),
        "ziel": lang.je_indikator([str(i.ziel) for i in lang.indikatoren]),
        "name": lang.je_indikator([i.name for i in lang.indikatoren]),
        "stufe": np.repeat(
            np.array([i.stufe for i in lang.indikatoren], dtype=np.int64), lang.laengen
        ),
        **{dim: achsen.labels[dim].take(codes[dim]) for dim in _ZELLE},
        "einheit": lang.je_indikator([i.einheit for i in lang.indikatoren]),
    }
    for name in _ZAHLEN_IND:
        tabelle[name] = lang.spalte(name)
    tabelle["unterdrueckt"] = gesperrt
    tabelle["sperrgrund"] = sperrgrund(erst, gesperrt)
    return pd.DataFrame(tabelle)[list(INDIKATOR_SPALTEN)]


# -- public API ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Ergebnis:
    """Released result tables of one engine run (already suppressed)."""

    indikatoren: pd.DataFrame
    vorher_nachher: pd.DataFrame
    #: The day the targets were judged at (:func:`bewertungstag`), for views to state it.
    bewertet_am: date | None = None


@dataclass(frozen=True, slots=True)
class Basis:
    """Sufficient statistics per finest cell (site × group × format × quarter), from DuckDB.

    Counts and sums only, so any selection of sites, formats and quarters and every total over
    them follows by addition (:func:`auswerten`) without touching the raw data again. Without
    a period they come from the pre-aggregated tables (:func:`auswertungstabellen_aufbauen`).
    The dashboard caches the bases of all four groupings; a filter change costs milliseconds.
    """

    gruppierung: Gruppierung
    von: date | None
    bis: date | None
    einzel: pd.DataFrame
    paare: pd.DataFrame
    match: pd.DataFrame
    aktivitaeten: pd.DataFrame
    ziele: pd.DataFrame
    #: The tables as integer codes (derived, rebuilt whenever a Basis is made or replaced).
    kodiert: _Kodiert = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tabellen = (self.einzel, self.paare, self.match, self.aktivitaeten)
        object.__setattr__(self, "kodiert", _kodieren(tabellen))


def basis(
    db: Datenbank,
    gruppierung: Gruppierung = Gruppierung.MH,
    von: date | None = None,
    bis: date | None = None,
) -> Basis:
    """The base tables of a grouping: without dates from the pre-aggregated tables (a few
    milliseconds), with exact dates (or when those cannot serve) by aggregating the raw data
    (four queries)."""
    return basen(db, (gruppierung,), von, bis)[gruppierung]


def basen(
    db: Datenbank,
    gruppierungen: Sequence[Gruppierung] = tuple(Gruppierung),
    von: date | None = None,
    bis: date | None = None,
) -> dict[Gruppierung, Basis]:
    """:func:`basis` for several groupings at once: the pre-aggregated tables are checked and
    read once, so the dashboard can hold every grouping and switch between them in pandas."""
    vorberechnet = _vorberechnet(db, gruppierungen) if von is None and bis is None else None
    ziele = zielwerte_laden(db)
    ergebnis = {}
    for g in gruppierungen:
        tabellen = vorberechnet[g] if vorberechnet is not None else None
        if tabellen is None:
            tabellen = (
                _einzelwellen(db, g, von, bis),
                _paare(db, g, von, bis),
                _match(db, g, von, bis),
                _aktivitaeten(db, g, von, bis),
            )
        ergebnis[g] = Basis(g, von, bis, *tabellen, ziele)
    return ergebnis


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


# -- statistics added to the released pre/post table (issue 15) --------------------------------
#: Cells of a view: the pre/post indicators of one goal in one of them form a test family.
_FAMILIE = ("ziel", "standort", "gruppe", "welle", "periode")
_ZIEL_VON = {i.id: str(i.ziel) for i in INDIKATOREN}


def zusatzstatistik(vorher_nachher: pd.DataFrame) -> pd.DataFrame:
    """Add the statistics computed on released rows only: ``p_holm``.

    ``p_holm``: Holm-adjusted p across the pre/post indicators of one goal in one cell (site ×
    group × wave × period) — the tests a reader sees side by side on a goal page. Suppressed
    rows have no p value and take no part.
    """
    if vorher_nachher.empty:
        return vorher_nachher.assign(p_holm=pd.Series(dtype=float))
    teil = vorher_nachher.assign(ziel=vorher_nachher["indikator"].map(_ZIEL_VON))
    familie = teil.groupby(list(_FAMILIE), sort=False, dropna=False).ngroup().to_numpy()
    return vorher_nachher.assign(p_holm=statistik.holm(teil["p_wert"], familie))


def bewertungstag(perioden: Iterable[str], filter_: Filter, heute: date | None = None) -> date:
    """The day targets are judged at: the end of the view's data, never later than ``heute``.

    The earliest of today (or ``heute``), the end of the filter period, and the last day of the
    latest quarter with data (``perioden``: the quarters "2026-Q1" the view's data come from).
    A funder's data hold approved quarters only, so a funder is judged at the end of the last
    approved quarter — not against the progress one may expect today from data that stop
    months earlier.
    """
    tag = min(heute or date.today(), filter_.bis or date.max)
    quartale = [p for p in perioden if p != GESAMT]
    if quartale:
        jahr, quartal = max(quartale).split("-Q")
        ende = date(int(jahr), 3 * int(quartal), 1) + pd.offsets.MonthEnd(0)
        tag = min(tag, ende.date())
    return tag


def _perioden(grundlage: Basis) -> list[str]:
    """The latest quarter of each base table with data."""
    tabellen = (grundlage.einzel, grundlage.paare, grundlage.aktivitaeten)
    return [str(t["periode"].max()) for t in tabellen if len(t)]


def auswerten(
    grundlage: Basis,
    filter_: Filter,
    schwellen: Schwellen | None = None,
    heute: date | None = None,
) -> Ergebnis:
    """Totals, statistics, suppression and targets for a filter, from a base of that grouping."""
    heute = bewertungstag(_perioden(grundlage), filter_, heute)
    roh = auswerten_roh(grundlage, filter_, schwellen or Schwellen.aus_umgebung())
    return mit_zielen(ausblenden(roh), grundlage.ziele, filter_, heute)


def auswerten_roh(grundlage: Basis, filter_: Filter, schwellen: Schwellen) -> Ergebnis:
    """:func:`auswerten` before release: raw values beside their suppression flags, no targets.

    Only for :mod:`indikatoren.schutzgitter`, which adds flags across linked tables and then
    calls :func:`ausblenden`; never hand this to a page or a file.
    """
    von, bis, quartale = _ausrichtung(filter_)
    if grundlage.gruppierung is not filter_.gruppierung or (von, bis) != (
        grundlage.von,
        grundlage.bis,
    ):
        raise ValueError("Die Basis passt nicht zum Filter (Gruppierung oder Zeitraum).")
    kodiert = grundlage.kodiert
    achsen = _achsen(kodiert, filter_.nach_quartal)
    einzel, paare, match, aktivitaeten = (
        _wuerfel(kodiert, nummer, _auswahl(kodiert, nummer, filter_, quartale), achsen)
        for nummer in range(4)
    )
    quoten = _match_zeilen(match, achsen, schwellen)
    vn = {
        welle: _vorher_nachher_zeilen(paare, quoten, welle, achsen, schwellen)
        for welle in FOLGEWELLEN
    }
    return Ergebnis(
        indikatoren=_indikator_zeilen(einzel, aktivitaeten, vn["T1"], achsen, schwellen),
        vorher_nachher=pd.concat([v.tabelle for v in vn.values()], ignore_index=True),
    )


def mit_zielen(ergebnis: Ergebnis, ziele: pd.DataFrame, filter_: Filter, heute: date) -> Ergebnis:
    """Targets judged at ``heute`` (see :func:`bewertungstag`), which the result then states."""
    if filter_.standorte or filter_.formate:
        # A project-wide target describes the whole project; the total of a selection of
        # sites or formats is not that, so it is not judged against it.
        ziele = ziele[ziele["standort"] != GESAMT]
    indikatoren = ziele_anhaengen(ergebnis.indikatoren, ziele, heute, filter_.von, filter_.bis)
    return replace(ergebnis, indikatoren=indikatoren, bewertet_am=heute)


def ausblenden(roh: Ergebnis) -> Ergebnis:
    """Empty every number of a suppressed cell — the last step before a table is released.

    Until here the tables carry raw values beside their flags, so suppression of linked tables
    (:func:`schutzgitter`) can still add flags; nothing leaves the engine without this step.
    Counts beside a protected count (persons with T0, reached, match rate) go with their flag.
    """
    ind = roh.indikatoren.copy()
    gesperrt = ind["unterdrueckt"].to_numpy(dtype=bool)
    ind["unterdrueckt"] = gesperrt
    for name in _ZAHLEN_IND:
        ind[name] = np.where(gesperrt, np.nan, ind[name].to_numpy(dtype=float))
    vn = roh.vorher_nachher.copy()
    if len(vn):
        gesperrt = vn["unterdrueckt"].to_numpy(dtype=bool)
        vn["unterdrueckt"] = gesperrt
        vn["match_unterdrueckt"] = vn["match_unterdrueckt"].to_numpy(dtype=bool)
        for name in (*_ZAHLEN_VN, *_D_AV):
            vn[name] = np.where(gesperrt, np.nan, vn[name].to_numpy(dtype=float))
        match = vn["match_unterdrueckt"].to_numpy(dtype=bool)
        for name in ("n_t0", "n_erreicht", "match_quote"):
            vn[name] = np.where(match, np.nan, vn[name].to_numpy(dtype=float))
    return Ergebnis(indikatoren=ind, vorher_nachher=zusatzstatistik(vn))


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

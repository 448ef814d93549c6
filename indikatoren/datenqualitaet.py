"""Data-quality checks for the evaluator: completeness, funnel, attrition, consistency, outliers,
and which sites have stopped reporting.

Why a module of its own: the Datenqualität page, the Excel report and the Methodik page must
show the same numbers with the same explanation, so the computations and their German texts live
here, next to the indicators, and never import streamlit. Everything is aggregated in DuckDB
(one scan per check, ``CUBE``/``ROLLUP`` for the totals); only small tables reach pandas.

Privacy (SPEC §5): a count of persons (questionnaires, participant codes) from 1 to
``min_personen − 1`` is released as missing (NaN) with the row's ``unterdrueckt`` flag set, and a
second cell is hidden where a total and its site parts would otherwise give it away — with the
one mechanism of :mod:`indikatoren.unterdrueckung`. A 0 stays 0 (as in :mod:`monitor.bestand`):
"no T2 questionnaire yet" is the finding and describes nobody. Shares are hidden together with
the count they rest on. Activity rows describe events, not persons, and the outlier list holds
only activity IDs, titles, sites, dates and counts — never a participant code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from indikatoren.definitionen import Berechnung
from indikatoren.engine import (
    NUR_TEILNEHMENDE,
    _Abfrage,
    _score_sql,
    _standort_filter,
    _zeit_format,
)
from indikatoren.filter import Filter
from indikatoren.katalog import INDIKATOREN, MESSGROESSEN_NACH_NAME
from indikatoren.statistik import fisher_p
from indikatoren.unterdrueckung import GESAMT, Schwellen, primaer, sekundaer
from monitor import bestand
from monitor.db import Datenbank
from monitor.schema import WELLEN, codebuch

#: Modified z-score (Iglewicz & Hoaglin 1993): 0.6745 · (x − Median) / MAD.
Z_FAKTOR = 0.6745
#: Fallback when MAD = 0 (more than half the values equal): (x − Median) / (1.253314 · MeanAD).
MEANAD_FAKTOR = 1.253314
#: |z| above this marks an activity count as implausible.
Z_GRENZE = 3.5

ZIELBLOECKE: tuple[str, ...] = ("a", "b", "c")
FOLGEWELLEN: tuple[str, ...] = ("T1", "T2")

# -- German explanations (Methodik page and report reuse them) ---------------------------------
TEXT_MELDESTAND = (
    "Ein Standort gilt als nicht gemeldet, wenn im letzten vollständigen Quartal vor dem "
    "Stichtag weder ein Fragebogen noch eine Aktivität mit Datum in diesem Quartal vorliegt. "
    "Daneben stehen das Datum der letzten Befragung, der letzten Aktivität und des letzten "
    "Imports, der Daten dieses Standorts enthielt."
)
TEXT_VOLLSTAENDIGKEIT = (
    "Je Standort und Welle: Anzahl der Fragebögen und der Anteil der beantworteten Fragen je "
    "Wirkungsziel (a, b, c). Gezählt werden nur Fragen, die in der jeweiligen Welle gestellt "
    "werden (z. B. Zufriedenheit nur zu T1). Dazu der Anteil der Fragebögen, in denen die "
    "Migrationsgeschichte bekannt ist (ja oder nein; „keine Angabe“ und leer gelten als "
    "unbekannt) – ohne sie fehlen die Personen in den Vergleichen nach Gruppen."
)
TEXT_TRICHTER = (
    "Verbleib der Teilnehmenden je Standort: Personen (Codes) mit Eingangsbefragung T0 im "
    "gewählten Zeitraum, davon mit Abschlussbefragung T1 und mit Nachbefragung T2 am selben "
    "Standort, und die Quoten in Prozent der T0-Personen. Nur wer an beiden Zeitpunkten am "
    "selben Standort befragt wurde, geht in die Vorher-Nachher-Vergleiche ein (Match-Quote)."
)
TEXT_ATTRITION = (
    "Ausfall (Attrition) nach Migrationsgeschichte: Anteil der T0-Personen ohne T1- bzw. "
    "T2-Fragebogen am selben Standort, getrennt für Personen mit und ohne "
    "Migrationsgeschichte, die Differenz in Prozentpunkten (mit minus ohne) und der p-Wert des "
    "exakten Tests nach Fisher (zweiseitig). Ein kleiner p-Wert weist auf einen "
    "gruppenabhängigen Ausfall hin, der Vorher-Nachher-Ergebnisse verzerren kann."
)
#: Above this absolute standardised difference the baselines of stayers and leavers differ.
GRENZE_STD_DIFFERENZ = 0.2
TEXT_AUSGANGSWERTE = (
    "Ausgangswerte (T0) der Gebliebenen und der Ausgefallenen: für jede Vorher-Nachher-"
    "Messgröße der Mittelwert zu T0 bei Personen mit und ohne Folgebefragung (T1 bzw. T2) am "
    "selben Standort (Ja/Nein-Fragen: Anteil „ja“ in %) und die standardisierte Differenz "
    "d = (Mittel mit − Mittel ohne) / √((s²mit + s²ohne) / 2) (Austin 2009). Ab |d| > 0,2 "
    "unterschieden sich die Gruppen schon vor dem Projekt merklich (Warnung): Die "
    "Vorher-Nachher-Veränderung beschreibt dann eine besondere Teilgruppe, nicht alle "
    "Teilnehmenden."
)
TEXT_KONSISTENZ = (
    "Widersprüche in den Befragungsdaten: Folgebefragungen (T1, T2) ohne Eingangsbefragung T0 "
    "zum selben Code, Folgebefragungen mit einem Datum vor der T0-Befragung, und Codes, die an "
    "mehr als einem Standort vorkommen (Tippfehler im Code, doppelt vergebener Code oder "
    "Standortwechsel). Ein Code an zwei Standorten gilt als zwei Personen: ihre Fragebögen "
    "werden getrennt gespeichert und nie überschrieben, Vorher-Nachher-Paare entstehen nur "
    "innerhalb eines Standorts; der Importbericht warnt schon beim Hochladen. Mehrere "
    "Fragebögen desselben Codes in derselben Welle an einem Standort entscheidet der Import "
    "(der zuletzt eingereichte gilt, die übrigen nennt der Importbericht)."
)
TEXT_AUSREISSER = (
    "Unplausible Teilnehmendenzahlen von Aktivitäten, je Standort mit dem modifizierten "
    "z-Wert nach Iglewicz und Hoaglin geprüft: z = 0,6745 · (x − Median) / MAD, wobei MAD der "
    "Median der absoluten Abweichungen vom Median ist. Auffällig ist |z| > 3,5. Sind mehr als "
    "die Hälfte der Werte gleich (MAD = 0), wird stattdessen die mittlere absolute Abweichung "
    "genutzt: z = (x − Median) / (1,253314 · MeanAD); sind alle Werte gleich, ist nichts "
    "auffällig. Aufgeführt werden nur Aktivitäten, keine Personen."
)
TEXT_UNTERDRUECKUNG = (
    "Personenzahlen unter der Mindestzahl werden nicht ausgewiesen (auch nicht die Quoten, die "
    "auf ihnen beruhen); ließe sich eine solche Zahl aus der Gesamtsumme zurückrechnen, wird "
    "eine zweite mit unterdrückt. Eine 0 bleibt sichtbar, sie beschreibt niemanden."
)

#: Key → (title, explanation), in the order the page and the report show them.
PRUEFUNGEN: dict[str, tuple[str, str]] = {
    "meldestand": ("Meldestand der Standorte", TEXT_MELDESTAND),
    "vollstaendigkeit": ("Vollständigkeit der Fragebögen", TEXT_VOLLSTAENDIGKEIT),
    "trichter": ("Verbleib T0 → T1 → T2 (Match-Quoten)", TEXT_TRICHTER),
    "attrition": ("Ausfall nach Migrationsgeschichte", TEXT_ATTRITION),
    "ausgangswerte": ("Ausgangswerte der Gebliebenen und Ausgefallenen", TEXT_AUSGANGSWERTE),
    "konsistenz": ("Widersprüche und Doppelungen", TEXT_KONSISTENZ),
    "ausreisser": ("Unplausible Teilnehmendenzahlen", TEXT_AUSREISSER),
}

#: Consistency findings: key → German label.
BEFUNDE: dict[str, str] = {
    "t1_ohne_t0": "T1-Fragebogen ohne T0",
    "t2_ohne_t0": "T2-Fragebogen ohne T0",
    "folge_vor_t0": "Folgebefragung vor T0 datiert",
    "mehrere_standorte": "Code an mehreren Standorten",
}

#: German column headers for every column of the tables below.
SPALTEN: dict[str, str] = {
    "standort": "Standort-ID",
    "name": "Standort",
    "welle": "Welle",
    "gruppe": "Gruppe",
    "fragebogen": "Fragebögen",
    "anteil_ziel_a": "Ziel a beantwortet (%)",
    "anteil_ziel_b": "Ziel b beantwortet (%)",
    "anteil_ziel_c": "Ziel c beantwortet (%)",
    "anteil_mh_bekannt": "Migrationsgeschichte bekannt (%)",
    "n_t0": "Personen mit T0",
    "erreicht_t1": "davon mit T1",
    "erreicht_t2": "davon mit T2",
    "quote_t1": "Match-Quote T1 (%)",
    "quote_t2": "Match-Quote T2 (%)",
    "n_t0_mit": "T0 mit Migrationsgeschichte",
    "ausfall_mit": "Ausfall mit Migrationsgeschichte (%)",
    "n_t0_ohne": "T0 ohne Migrationsgeschichte",
    "ausfall_ohne": "Ausfall ohne Migrationsgeschichte (%)",
    "differenz_pp": "Differenz (Prozentpunkte)",
    "p_wert": "p (Fisher)",
    "indikator": "Indikator",
    "n_mit": "T0 mit Folgebefragung",
    "mittel_mit": "Mittel T0 mit Folgebefragung",
    "n_ohne": "T0 ohne Folgebefragung",
    "mittel_ohne": "Mittel T0 ohne Folgebefragung",
    "std_differenz": "standardisierte Differenz",
    "warnung": "Warnung (|d| > 0,2)",
    "befund": "Prüfung",
    "anzahl": "Anzahl",
    "aktivitaet_id": "Aktivität-ID",
    "titel": "Titel",
    "datum": "Datum",
    "teilnehmende_gesamt": "Teilnehmende",
    "median": "Median am Standort",
    "mad": "MAD",
    "z_wert": "modifizierter z-Wert",
    "letzte_befragung": "Letzte Befragung",
    "letzte_aktivitaet": "Letzte Aktivität",
    "letzter_import": "Letzter Import",
    "aktivitaeten_quartal": "Aktivitäten im Quartal",
    "gemeldet": "Im Quartal gemeldet",
    "unterdrueckt": "unterdrückt",
}


@dataclass(frozen=True, slots=True)
class Datenqualitaet:
    """All data-quality tables of one filter, released (small person counts suppressed)."""

    stichtag: date
    quartal_von: date
    quartal_bis: date
    meldestand: pd.DataFrame
    vollstaendigkeit: pd.DataFrame
    trichter: pd.DataFrame
    attrition: pd.DataFrame
    ausgangswerte: pd.DataFrame
    konsistenz: pd.DataFrame
    ausreisser: pd.DataFrame


# -- helpers ------------------------------------------------------------------------------------
def _befragungsfilter(filter_: Filter, praefix: str = "") -> _Abfrage:
    """Sites, period and formats on questionnaire rows (the same bound parameters as the engine)."""
    return _zeit_format(
        _standort_filter(filter_, f"{praefix}standort"),
        filter_,
        f"{praefix}datum",
        f"{praefix}format",
    )


def _gesamt_beschriften(roh: pd.DataFrame, namen: Sequence[str]) -> pd.DataFrame:
    """CUBE/ROLLUP output (``_x`` value, ``_g_x`` grouping flag) → columns labelled "gesamt"."""
    zellen = pd.DataFrame(index=roh.index)
    for name in namen:
        zellen[name] = np.where(roh[f"_g_{name}"] == 1, GESAMT, roh[f"_{name}"].astype(object))
    werte = roh.drop(columns=[c for c in roh.columns if c.startswith("_")])
    return pd.concat([zellen, werte], axis=1)


def _standorte(db: Datenbank, filter_: Filter) -> list[str]:
    """Known sites (site table and data rows), restricted to the filter's sites."""
    return bestand.bekannte_standorte(db, filter_.standorte or None)["standort"].tolist()


def _schuetzen(
    tabelle: pd.DataFrame,
    zaehlungen: Sequence[str],
    dimensionen: Sequence[str],
    schwellen: Schwellen,
    schluessel: Sequence[str] = (),
) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Suppress every person count column (primary + secondary along ``dimensionen``).

    Returns the table with hidden counts set to NaN and its ``unterdrueckt`` flag (any cell of
    the row hidden), and the per-column flags so dependent shares can be hidden too.
    """
    tabelle = tabelle.copy()
    flaggen: dict[str, pd.Series] = {}
    for spalte in zaehlungen:
        n = pd.to_numeric(tabelle[spalte], errors="coerce").astype(float)
        teil = tabelle[[*dimensionen, *schluessel]].copy()
        teil["n"] = n
        teil["unterdrueckt"] = (n > 0) & primaer(n, schwellen.min_personen)
        flaggen[spalte] = sekundaer(teil, dimensionen, groesse="n", schluessel=schluessel)
    zeile = pd.Series(False, index=tabelle.index)
    for spalte, flagge in flaggen.items():
        tabelle[spalte] = pd.to_numeric(tabelle[spalte], errors="coerce").astype(float)
        tabelle.loc[flagge, spalte] = np.nan
        zeile |= flagge
    tabelle["unterdrueckt"] = zeile.to_numpy()
    return tabelle, flaggen


def _anteil(zaehler: pd.Series, nenner: pd.Series) -> pd.Series:
    """Share in percent, NaN where the denominator is 0 or missing."""
    z = pd.to_numeric(zaehler, errors="coerce").astype(float)
    n = pd.to_numeric(nenner, errors="coerce").astype(float)
    return 100 * z / n.where(n > 0)


def _sortieren(tabelle: pd.DataFrame, spalten: Sequence[str]) -> pd.DataFrame:
    """ "gesamt" first, then alphabetical, in each of ``spalten``."""
    schluessel = pd.DataFrame(
        {s: tabelle[s].where(tabelle[s] != GESAMT, "") for s in spalten}, index=tabelle.index
    )
    return tabelle.loc[schluessel.sort_values(list(spalten)).index].reset_index(drop=True)


# -- the checks ---------------------------------------------------------------------------------
def _beantwortet_sql(ziel: str) -> tuple[str, str]:
    """SQL for answered and askable items of one goal block; each wave asks its own items."""
    beantwortet, moeglich = [], []
    for welle in WELLEN:
        items = [f.name for f in codebuch() if f.ziel == ziel and welle in f.wellen]
        if not items:
            continue
        summe = " + ".join(f"({name} IS NOT NULL)::INTEGER" for name in items)
        beantwortet.append(f"WHEN '{welle}' THEN {summe}")
        moeglich.append(f"WHEN '{welle}' THEN {len(items)}")
    return (
        f"sum(CASE welle {' '.join(beantwortet)} ELSE 0 END)",
        f"sum(CASE welle {' '.join(moeglich)} ELSE 0 END)",
    )


def vollstaendigkeit(
    db: Datenbank, filter_: Filter | None = None, schwellen: Schwellen | None = None
) -> pd.DataFrame:
    """Questionnaires and answered shares per site × wave, with totals ("gesamt").

    Columns: standort, welle, fragebogen, anteil_ziel_a/b/c, anteil_mh_bekannt, unterdrueckt.
    Every known site gets a row per wave, so a missing wave shows as 0 questionnaires.
    """
    filter_ = filter_ or Filter()
    schwellen = schwellen or Schwellen.aus_umgebung()
    abfrage = _befragungsfilter(filter_)
    spalten = []
    for ziel in ZIELBLOECKE:
        beantwortet, moeglich = _beantwortet_sql(ziel)
        spalten.append(f"{beantwortet} AS beantwortet_{ziel}, {moeglich} AS moeglich_{ziel}")
    roh = db.query(
        "SELECT standort AS _standort, grouping(standort) AS _g_standort, "
        "welle AS _welle, grouping(welle) AS _g_welle, count(*) AS fragebogen, "
        "count(DISTINCT standort || '|' || code) AS personen, "
        f"{', '.join(spalten)}, "
        "count(*) FILTER (WHERE list_contains($mh_bekannt, migrationshintergrund)) AS mh_bekannt "
        f"FROM befragungen WHERE {abfrage.sql} GROUP BY CUBE(standort, welle)",
        {**abfrage.parameter, "mh_bekannt": ["ja", "nein"]},
    )
    tabelle = _gesamt_beschriften(roh, ["standort", "welle"])
    gitter = pd.MultiIndex.from_product(
        [[GESAMT, *_standorte(db, filter_)], [GESAMT, *WELLEN]], names=["standort", "welle"]
    )
    tabelle = (
        tabelle.set_index(["standort", "welle"])
        .reindex(gitter.union(tabelle.set_index(["standort", "welle"]).index, sort=False))
        .reset_index()
    )
    zahlen = [c for c in tabelle.columns if c not in ("standort", "welle")]
    tabelle[zahlen] = tabelle[zahlen].apply(pd.to_numeric, errors="coerce").fillna(0)
    ergebnis = tabelle[["standort", "welle", "fragebogen", "personen"]].copy()
    for ziel in ZIELBLOECKE:
        ergebnis[f"anteil_ziel_{ziel}"] = _anteil(
            tabelle[f"beantwortet_{ziel}"], tabelle[f"moeglich_{ziel}"]
        )
    ergebnis["anteil_mh_bekannt"] = _anteil(tabelle["mh_bekannt"], tabelle["fragebogen"])
    # Protected by persons, not questionnaires: across waves 3 persons fill 6 questionnaires.
    ergebnis, _ = _schuetzen(ergebnis, ["personen"], ["standort", "welle"], schwellen)
    ergebnis = ergebnis.drop(columns="personen")
    anteile = [c for c in ergebnis.columns if c.startswith("anteil_")]
    ergebnis.loc[ergebnis["unterdrueckt"], ["fragebogen", *anteile]] = np.nan
    return _sortieren(ergebnis, ["standort", "welle"])


def _verbleib(db: Datenbank, filter_: Filter, schwellen: Schwellen) -> pd.DataFrame:
    """T0 persons per site × group (migration background) and how many reached T1 / T2 there.

    The T0 questionnaire must lie in the period and match the format filter (as the engine's
    match rates); the follow-up may lie anywhere in time, but at the same site.
    """
    abfrage = _befragungsfilter(filter_, "v.")
    abfrage.wo("v.welle = $t0", t0=WELLEN[0])
    roh = db.query(
        "SELECT v.standort AS _standort, grouping(v.standort) AS _g_standort, "
        "CASE v.migrationshintergrund WHEN 'ja' THEN 'mit_mh' WHEN 'nein' THEN 'ohne_mh' END "
        "AS _gruppe, grouping(_gruppe) AS _g_gruppe, "
        "count(*) AS n_t0, count(n1.code) AS erreicht_t1, count(n2.code) AS erreicht_t2 "
        "FROM befragungen v "
        "LEFT JOIN befragungen n1 ON n1.code = v.code AND n1.standort = v.standort "
        "AND n1.welle = $t1 "
        "LEFT JOIN befragungen n2 ON n2.code = v.code AND n2.standort = v.standort "
        "AND n2.welle = $t2 "
        f"WHERE {abfrage.sql} GROUP BY CUBE(v.standort, _gruppe)",
        {**abfrage.parameter, "t1": FOLGEWELLEN[0], "t2": FOLGEWELLEN[1]},
    )
    roh = roh[~((roh["_g_gruppe"] == 0) & roh["_gruppe"].isna())].reset_index(drop=True)
    tabelle = _gesamt_beschriften(roh, ["standort", "gruppe"])
    zaehlungen = ["n_t0", "erreicht_t1", "erreicht_t2"]
    tabelle, flaggen = _schuetzen(tabelle, zaehlungen, ["standort", "gruppe"], schwellen)
    for welle, spalte in (("t1", "erreicht_t1"), ("t2", "erreicht_t2")):
        tabelle[f"quote_{welle}"] = _anteil(tabelle[spalte], tabelle["n_t0"])
        verdeckt = flaggen["n_t0"] | flaggen[spalte]
        tabelle.loc[verdeckt, f"quote_{welle}"] = np.nan
    return _sortieren(tabelle, ["standort", "gruppe"])


def trichter(
    db: Datenbank, filter_: Filter | None = None, schwellen: Schwellen | None = None
) -> pd.DataFrame:
    """The T0 → T1 → T2 funnel per site (and "gesamt"): persons and match rates in percent.

    Columns: standort, n_t0, erreicht_t1, erreicht_t2, quote_t1, quote_t2, unterdrueckt.
    """
    verbleib = _verbleib(db, filter_ or Filter(), schwellen or Schwellen.aus_umgebung())
    return _trichter_aus(verbleib)


def _trichter_aus(verbleib: pd.DataFrame) -> pd.DataFrame:
    gesamt = verbleib[verbleib["gruppe"] == GESAMT]
    spalten = ["standort", "n_t0", "erreicht_t1", "erreicht_t2", "quote_t1", "quote_t2"]
    return gesamt[[*spalten, "unterdrueckt"]].reset_index(drop=True)


def attrition(
    db: Datenbank, filter_: Filter | None = None, schwellen: Schwellen | None = None
) -> pd.DataFrame:
    """Drop-out with vs. without migration background per site and follow-up wave.

    Columns: standort, welle, n_t0_mit, ausfall_mit, n_t0_ohne, ausfall_ohne, differenz_pp,
    p_wert (two-sided Fisher exact test), unterdrueckt. Rates and p are only released when all
    four counts they rest on are released.
    """
    verbleib = _verbleib(db, filter_ or Filter(), schwellen or Schwellen.aus_umgebung())
    return _attrition_aus(verbleib)


def _attrition_aus(verbleib: pd.DataFrame) -> pd.DataFrame:
    spalten = [
        "standort",
        "welle",
        "n_t0_mit",
        "ausfall_mit",
        "n_t0_ohne",
        "ausfall_ohne",
        "differenz_pp",
        "p_wert",
        "unterdrueckt",
    ]
    orte = list(dict.fromkeys(verbleib["standort"]))
    if not orte:
        return pd.DataFrame(columns=spalten)
    breit = verbleib.set_index(["standort", "gruppe"])
    teile = []
    for welle in FOLGEWELLEN:
        zeilen = pd.DataFrame({"standort": orte, "welle": welle})
        n, e = {}, {}
        for gruppe, kurz in (("mit_mh", "mit"), ("ohne_mh", "ohne")):
            werte = breit.reindex(pd.MultiIndex.from_product([orte, [gruppe]]))
            fehlt = werte["unterdrueckt"].isna().to_numpy()  # nobody of this group had T0
            n[kurz] = np.where(fehlt, 0.0, werte["n_t0"].to_numpy(float))
            e[kurz] = np.where(fehlt, 0.0, werte[f"erreicht_{welle.lower()}"].to_numpy(float))
            zeilen[f"n_t0_{kurz}"] = n[kurz]
        # hidden counts arrive as NaN: no rate and no test may be computed from them
        verdeckt = np.isnan(n["mit"] + e["mit"] + n["ohne"] + e["ohne"])
        frei = ~verdeckt & (n["mit"] > 0) & (n["ohne"] > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            for kurz in ("mit", "ohne"):
                quote = 100 * (n[kurz] - e[kurz]) / n[kurz]
                zeilen[f"ausfall_{kurz}"] = np.where(~verdeckt & (n[kurz] > 0), quote, np.nan)
        zeilen["differenz_pp"] = np.where(
            frei, zeilen["ausfall_mit"] - zeilen["ausfall_ohne"], np.nan
        )
        p = fisher_p(n["mit"] - e["mit"], e["mit"], n["ohne"] - e["ohne"], e["ohne"])
        zeilen["p_wert"] = np.where(frei, p, np.nan)
        zeilen["unterdrueckt"] = verdeckt
        teile.append(zeilen)
    return _sortieren(pd.concat(teile, ignore_index=True), ["standort", "welle"])[spalten]


def konsistenz(
    db: Datenbank, filter_: Filter | None = None, schwellen: Schwellen | None = None
) -> pd.DataFrame:
    """Consistency findings per site (rows with a count > 0, or suppressed) and their totals.

    Columns: befund (key of :data:`BEFUNDE`), standort, anzahl, unterdrueckt. The filter selects
    the questionnaires that are checked; their partners (the T0 row, the other site) are looked
    up in all data, because a T0 outside the period is no inconsistency. A T0 belongs to its
    site: participants are keyed by (standort, code), and pairs form only within a site (as in
    the engine), so a T1 whose code has its T0 at another site counts as "T1 ohne T0" there
    (and as "mehrere Standorte"). Counts are persons (site and code); "mehrere Standorte"
    counts codes.
    """
    filter_ = filter_ or Filter()
    schwellen = schwellen or Schwellen.aus_umgebung()
    abfrage = _befragungsfilter(filter_, "b.")
    roh = db.query(
        "WITH b AS (SELECT b.code, b.standort, b.welle, b.datum FROM befragungen b "
        f"WHERE {abfrage.sql}), "
        "t0 AS (SELECT standort, code, min(datum) AS datum FROM befragungen WHERE welle = $t0 "
        "GROUP BY standort, code), "
        "orte AS (SELECT code, count(DISTINCT standort) AS anzahl FROM befragungen "
        "GROUP BY code), "
        "befunde AS ("
        "SELECT 't1_ohne_t0' AS befund, b.standort, b.standort || chr(31) || b.code AS einheit "
        "FROM b ANTI JOIN t0 USING (standort, code) WHERE b.welle = $t1 "
        "UNION ALL SELECT 't2_ohne_t0', b.standort, b.standort || chr(31) || b.code "
        "FROM b ANTI JOIN t0 USING (standort, code) WHERE b.welle = $t2 "
        "UNION ALL SELECT 'folge_vor_t0', b.standort, b.standort || chr(31) || b.code "
        "FROM b JOIN t0 USING (standort, code) WHERE b.welle <> $t0 AND b.datum < t0.datum "
        "UNION ALL SELECT DISTINCT 'mehrere_standorte', b.standort, b.code FROM b "
        "JOIN orte USING (code) WHERE orte.anzahl > 1) "
        "SELECT befund, standort AS _standort, grouping(standort) AS _g_standort, "
        "count(DISTINCT einheit) AS anzahl FROM befunde GROUP BY GROUPING SETS "
        "((befund, standort), (befund))",
        {**abfrage.parameter, "t0": WELLEN[0], "t1": WELLEN[1], "t2": WELLEN[2]},
    )
    tabelle = _gesamt_beschriften(roh, ["standort"])
    gitter = pd.MultiIndex.from_product(
        [list(BEFUNDE), [GESAMT, *_standorte(db, filter_)]], names=["befund", "standort"]
    )
    tabelle = (
        tabelle.set_index(["befund", "standort"])
        .reindex(gitter.union(tabelle.set_index(["befund", "standort"]).index, sort=False))
        .reset_index()
    )
    tabelle["anzahl"] = pd.to_numeric(tabelle["anzahl"], errors="coerce").fillna(0)
    tabelle, _ = _schuetzen(tabelle, ["anzahl"], ["standort"], schwellen, schluessel=["befund"])
    zeigen = (tabelle["standort"] == GESAMT) | tabelle["unterdrueckt"] | (tabelle["anzahl"] > 0)
    tabelle = tabelle[zeigen]
    reihenfolge = {b: i for i, b in enumerate(BEFUNDE)}
    tabelle = tabelle.assign(_b=tabelle["befund"].map(reihenfolge))
    tabelle = _sortieren(tabelle.sort_values("_b", kind="stable"), ["_b", "standort"])
    return tabelle[["befund", "standort", "anzahl", "unterdrueckt"]]


def ausreisser(db: Datenbank, filter_: Filter | None = None) -> pd.DataFrame:
    """Activities whose participant count is implausible for their site (|modified z| > 3.5).

    Columns: aktivitaet_id, titel, standort, datum, teilnehmende_gesamt, median, mad, z_wert —
    sorted by |z| descending. Events, not persons: nothing to suppress, no participant codes.
    """
    filter_ = filter_ or Filter()
    abfrage = _zeit_format(_standort_filter(filter_), filter_, "datum", "format")
    return db.query(
        f"WITH akt AS (SELECT * FROM aktivitaeten WHERE {abfrage.sql}), "
        "lage AS (SELECT standort, median(teilnehmende_gesamt) AS median FROM akt "
        "GROUP BY standort), "
        "streuung AS (SELECT a.standort, median(abs(a.teilnehmende_gesamt - l.median)) AS mad, "
        "avg(abs(a.teilnehmende_gesamt - l.median)) AS meanad "
        "FROM akt a JOIN lage l USING (standort) GROUP BY a.standort), "
        "bewertet AS (SELECT a.aktivitaet_id, a.titel, a.standort, a.datum, "
        "a.teilnehmende_gesamt, l.median, s.mad, "
        "CASE WHEN s.mad > 0 THEN $z_faktor * (a.teilnehmende_gesamt - l.median) / s.mad "
        "WHEN s.meanad > 0 THEN (a.teilnehmende_gesamt - l.median) / ($meanad_faktor * s.meanad) "
        "ELSE 0 END AS z_wert "
        "FROM akt a JOIN lage l USING (standort) JOIN streuung s USING (standort)) "
        "SELECT * FROM bewertet WHERE abs(z_wert) > $grenze "
        "ORDER BY abs(z_wert) DESC, standort, aktivitaet_id",
        {
            **abfrage.parameter,
            "z_faktor": Z_FAKTOR,
            "meanad_faktor": MEANAD_FAKTOR,
            "grenze": Z_GRENZE,
        },
    )


def letztes_volles_quartal(stichtag: date) -> tuple[date, date]:
    """First and last day of the last complete quarter before ``stichtag``'s quarter."""
    beginn = date(stichtag.year, 3 * ((stichtag.month - 1) // 3) + 1, 1)
    ende = beginn - timedelta(days=1)
    return date(ende.year, ende.month - 2, 1), ende


def meldestand(
    db: Datenbank, filter_: Filter | None = None, stichtag: date | None = None
) -> pd.DataFrame:
    """Per site: last questionnaire, last activity, last import, and whether it reported in the
    last full quarter before ``stichtag`` (default: the filter's end, else today).

    Columns: standort, name, letzte_befragung, letzte_aktivitaet, letzter_import,
    aktivitaeten_quartal, gemeldet. Only the site filter applies: reporting is about the site,
    not about a period or format.
    """
    filter_ = filter_ or Filter()
    stichtag = stichtag or filter_.bis or date.today()
    von, bis = letztes_volles_quartal(stichtag)
    orte = bestand.letzte_importe(db, standorte=filter_.standorte or None)
    orte = orte[["Standort-ID", "Standort", "Letzter Import"]].set_axis(
        ["standort", "name", "letzter_import"], axis=1
    )
    daten = db.query(
        "WITH b AS (SELECT standort, max(datum) AS letzte_befragung, "
        "count(*) FILTER (WHERE datum BETWEEN $von AND $bis) AS befragungen_quartal "
        "FROM befragungen GROUP BY standort), "
        "a AS (SELECT standort, max(datum) AS letzte_aktivitaet, "
        "count(*) FILTER (WHERE datum BETWEEN $von AND $bis) AS aktivitaeten_quartal "
        "FROM aktivitaeten GROUP BY standort) "
        "SELECT * FROM b FULL JOIN a USING (standort)",
        {"von": von, "bis": bis},
    )
    tabelle = orte.merge(daten, on="standort", how="left")
    befragt = pd.to_numeric(tabelle["befragungen_quartal"], errors="coerce").fillna(0)
    aktiv = pd.to_numeric(tabelle["aktivitaeten_quartal"], errors="coerce").fillna(0)
    tabelle["aktivitaeten_quartal"] = aktiv.astype("int64")
    tabelle["gemeldet"] = ((befragt > 0) | (aktiv > 0)).to_numpy(bool)
    for spalte in ("letzte_befragung", "letzte_aktivitaet"):
        tabelle[spalte] = pd.to_datetime(tabelle[spalte])
    spalten = [
        "standort",
        "name",
        "letzte_befragung",
        "letzte_aktivitaet",
        "letzter_import",
        "aktivitaeten_quartal",
        "gemeldet",
    ]
    return tabelle[spalten].sort_values(["gemeldet", "standort"]).reset_index(drop=True)


def ausgangswerte(
    db: Datenbank, filter_: Filter | None = None, schwellen: Schwellen | None = None
) -> pd.DataFrame:
    """T0 baselines of persons with and without a follow-up, per pre/post indicator and site.

    Columns: indikator, standort, welle, n_mit, mittel_mit, n_ohne, mittel_ohne, std_differenz,
    warnung, unterdrueckt. Person counts below the threshold are hidden (with secondary
    suppression along the sites), and with them the means and the difference they rest on.
    The T0 questionnaire must lie in the filter's period and formats (as the match rates).
    """
    filter_ = filter_ or Filter()
    schwellen = schwellen or Schwellen.aus_umgebung()
    spalten = [
        "indikator", "standort", "welle", "n_mit", "mittel_mit", "n_ohne", "mittel_ohne",
        "std_differenz", "warnung", "unterdrueckt",
    ]  # fmt: skip
    indikatoren = [i for i in INDIKATOREN if i.vorher_nachher]
    namen = sorted({i.messgroesse for i in indikatoren})
    scores = "".join(f", ({_score_sql(MESSGROESSEN_NACH_NAME[m])})::DOUBLE AS {m}" for m in namen)
    abfrage = _befragungsfilter(filter_)
    abfrage.wo("welle = $t0", t0=WELLEN[0])
    abfrage.wo(NUR_TEILNEHMENDE)  # the effects it qualifies are the participants' (issue 15)
    # one scan for both follow-up waves: a flag per wave, aggregates per wave and measure
    aggregate = ", ".join(
        f"count({m}) FILTER (WHERE {wo}) AS {m}__{w}__n_{k}, "
        f"avg({m}) FILTER (WHERE {wo}) AS {m}__{w}__m_{k}, "
        f"var_samp({m}) FILTER (WHERE {wo}) AS {m}__{w}__v_{k}"
        for m in namen
        for w in FOLGEWELLEN
        for k, wo in (("mit", f"g_{w}"), ("ohne", f"NOT g_{w}"))
    )
    folgen = " ".join(
        f"LEFT JOIN (SELECT DISTINCT code, standort FROM befragungen WHERE welle = '{w}') {w} "
        f"ON {w}.code = t0.code AND {w}.standort = t0.standort"
        for w in FOLGEWELLEN
    )
    flaggen = ", ".join(f"{w}.code IS NOT NULL AS g_{w}" for w in FOLGEWELLEN)
    roh = db.query(
        f"WITH t0 AS (SELECT code, standort{scores} FROM befragungen WHERE {abfrage.sql}), "
        f"basis AS (SELECT t0.*, {flaggen} FROM t0 {folgen}) "
        "SELECT standort AS _standort, grouping(standort) AS _g_standort, "
        f"{aggregate} FROM basis GROUP BY ROLLUP(standort)",
        abfrage.parameter,
    )
    breit = _gesamt_beschriften(roh, ["standort"])
    teile = []
    for welle in FOLGEWELLEN:
        for ind in indikatoren:
            m = ind.messgroesse
            faktor = 100.0 if ind.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN else 1.0
            teil = pd.DataFrame(
                {
                    "indikator": ind.id,
                    "standort": breit["standort"],
                    "welle": welle,
                    "n_mit": breit[f"{m}__{welle}__n_mit"],
                    "n_ohne": breit[f"{m}__{welle}__n_ohne"],
                }
            )
            teil, _ = _schuetzen(teil, ["n_mit", "n_ohne"], ["standort"], schwellen)
            v_mit, v_ohne = (breit[f"{m}__{welle}__v_{k}"].astype(float) for k in ("mit", "ohne"))
            m_mit, m_ohne = (breit[f"{m}__{welle}__m_{k}"].astype(float) for k in ("mit", "ohne"))
            streuung = np.sqrt((v_mit + v_ohne) / 2)
            d = (m_mit - m_ohne) / streuung.where(streuung > 0)
            frei = ~teil["unterdrueckt"].to_numpy()
            teil["mittel_mit"] = np.where(frei, faktor * m_mit, np.nan)
            teil["mittel_ohne"] = np.where(frei, faktor * m_ohne, np.nan)
            teil["std_differenz"] = np.where(frei, d, np.nan)
            teil["warnung"] = frei & (np.abs(d.fillna(0)) > GRENZE_STD_DIFFERENZ).to_numpy()
            teile.append(teil)
    if not teile:
        return pd.DataFrame(columns=spalten)
    tabelle = pd.concat(teile, ignore_index=True)
    reihenfolge = {i.id: k for k, i in enumerate(indikatoren)}
    tabelle = _sortieren(tabelle, ["standort"])
    tabelle = tabelle.assign(_i=tabelle["indikator"].map(reihenfolge)).sort_values(
        ["_i", "welle"], kind="stable"
    )
    return tabelle[spalten].reset_index(drop=True)


def pruefen(
    db: Datenbank,
    filter_: Filter | None = None,
    *,
    heute: date | None = None,
    schwellen: Schwellen | None = None,
) -> Datenqualitaet:
    """Run every check for one filter (its grouping and quarter switch are irrelevant here)."""
    filter_ = replace(filter_ or Filter(), nach_quartal=False)
    schwellen = schwellen or Schwellen.aus_umgebung()
    stichtag = heute or filter_.bis or date.today()
    von, bis = letztes_volles_quartal(stichtag)
    verbleib = _verbleib(db, filter_, schwellen)
    return Datenqualitaet(
        stichtag=stichtag,
        quartal_von=von,
        quartal_bis=bis,
        meldestand=meldestand(db, filter_, stichtag),
        vollstaendigkeit=vollstaendigkeit(db, filter_, schwellen),
        trichter=_trichter_aus(verbleib),
        attrition=_attrition_aus(verbleib),
        ausgangswerte=ausgangswerte(db, filter_, schwellen),
        konsistenz=konsistenz(db, filter_, schwellen),
        ausreisser=ausreisser(db, filter_),
    )

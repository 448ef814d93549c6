"""Pick and label rows of the released engine tables for the analysis pages (no Streamlit here).

The engine hands back long tables — every indicator × site × group × period, pre/post rows per
wave. The pages need small slices of them with German labels and text that already follows the
display rules (German numbers, units, "< 5" for suppressed cells). Doing it here, in plain
pandas, keeps the pages thin and lets tests check the slicing without a running app.

Nothing here recomputes a number: values, intervals, n and statuses are the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from indikatoren.definitionen import Berechnung, Indikator, Ziel
from indikatoren.engine import SEKUNDAER
from indikatoren.filter import GRUPPEN_LABEL
from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.unterdrueckung import GESAMT
from indikatoren.zielerreichung import Status, trend
from ui.farben import STATUS_SYMBOL, mit_symbol
from ui.format import (
    KEIN_WERT,
    MARKE_SEKUNDAER,
    UNTERDRUECKT,
    UNTERDRUECKT_PAARE,
    intervall,
    mit_einheit,
    p_wert,
    prozent,
    quartal,
    zahl,
)

#: Imports older than this count as stale on the overview ("older than a quarter").
VERALTET_NACH = timedelta(days=92)

TREND_PFEIL: dict[str, str] = {"steigend": "↑", "fallend": "↓", "gleich": "→", "": ""}

#: Kinds of indicators that get a confidence interval (pre/post changes and shares).
MIT_INTERVALL: frozenset[Berechnung] = frozenset(
    {
        Berechnung.VORHER_NACHHER,
        Berechnung.VORHER_NACHHER_JA_NEIN,
        Berechnung.ANTEIL,
        Berechnung.AKTIVITAETEN_ANTEIL,
    }
)
#: Kinds whose project value is a sum over sites (not comparable with a site's value).
SUMMEN: frozenset[Berechnung] = frozenset(
    {Berechnung.PERSONEN, Berechnung.AKTIVITAETEN_ANZAHL, Berechnung.AKTIVITAETEN_SUMME}
)


def achsentitel(ind: Indikator) -> str:
    """Axis title of an indicator's values: what is shown, in which unit."""
    if ind.vorher_nachher:
        return f"Veränderung vorher → nachher ({ind.einheit})"
    return f"{ind.name} ({ind.einheit})"


def indikatoren_des_ziels(ziel: Ziel) -> list[Indikator]:
    """The goal's indicators in catalogue order."""
    return [i for i in INDIKATOREN if i.ziel is ziel]


def gruppe_label(gruppe: str) -> str:
    return GRUPPEN_LABEL.get(gruppe, gruppe)


def gruppenfolge(gruppen: pd.Series) -> list[str]:
    """Groups present, "gesamt" first, then in the order of GRUPPEN_LABEL."""
    vorhanden = set(gruppen)
    reihe = [g for g in GRUPPEN_LABEL if g in vorhanden]
    return reihe + sorted(vorhanden - set(reihe))


def gesamtzeitraum(tabelle: pd.DataFrame) -> pd.DataFrame:
    """Rows of the whole period (an ``nach_quartal`` run also holds them)."""
    return tabelle[tabelle["periode"] == GESAMT]


def quartalszeilen(tabelle: pd.DataFrame) -> pd.DataFrame:
    """Rows of single quarters, oldest first."""
    return tabelle[tabelle["periode"] != GESAMT].sort_values("periode", kind="stable")


def zeile(
    tabelle: pd.DataFrame, indikator: str, standort: str = GESAMT, gruppe: str = GESAMT
) -> pd.Series | None:
    """The one whole-period row of an indicator, site and group, or None."""
    treffer = tabelle[
        (tabelle["indikator"] == indikator)
        & (tabelle["standort"] == standort)
        & (tabelle["gruppe"] == gruppe)
        & (tabelle["periode"] == GESAMT)
    ]
    return None if treffer.empty else treffer.iloc[0]


def hat_werte(tabelle: pd.DataFrame) -> bool:
    """Whether any released, non-empty value is in the table (else: an empty state)."""
    if tabelle.empty:
        return False
    return bool((tabelle["wert"].notna() & (tabelle["n"].fillna(0) > 0)).any())


def wert_text(
    ind: Indikator, wert: float | None, *, unterdrueckt: bool = False, grund: str = ""
) -> str:
    """A value with unit and the indicator's decimals; changes signed. Suppressed: "< 5"
    ("< 10" for changes) when the cell is small, "•" when it is hidden to protect another
    cell; no value at all: "–"."""
    paare = ind.vorher_nachher
    if unterdrueckt:
        return sperrmarke(grund, paare=paare)
    if wert is None or pd.isna(wert):
        return KEIN_WERT
    return mit_einheit(wert, ind.einheit, ind.dezimalstellen, vorzeichen=paare)


def sperrmarke(grund: str, *, paare: bool = False) -> str:
    """The mark of a suppressed cell by its reason (see :data:`indikatoren.engine.SEKUNDAER`)."""
    if grund == SEKUNDAER:
        return MARKE_SEKUNDAER
    return UNTERDRUECKT_PAARE if paare else UNTERDRUECKT


def trends(indikatoren: pd.DataFrame, standort: str = GESAMT) -> pd.DataFrame:
    """Last-quarter direction per indicator and group for one site (see zielerreichung.trend).

    ``indikatoren``: the table of an ``nach_quartal`` run. Restricted to the site first, then
    to quarters: :func:`trend` loops per line, and on a large project that keeps it to a few
    dozen lines instead of thousands.
    """
    teil = indikatoren[indikatoren["standort"] == standort]
    return trend(teil[teil["periode"] != GESAMT])


def trend_je_indikator(trendtabelle: pd.DataFrame, gruppe: str = GESAMT) -> dict[str, str]:
    """Indicator ID → "steigend" / "fallend" / "gleich" for one group (missing: no trend)."""
    teil = trendtabelle[trendtabelle["gruppe"] == gruppe]
    return dict(zip(teil["indikator"], teil["trend"], strict=True))


@dataclass(frozen=True, slots=True)
class Zieltrend:
    """How many of a goal's indicators rose, fell or stayed in the last quarter."""

    steigend: int
    fallend: int
    gleich: int

    @property
    def pfeil(self) -> str:
        if self.steigend == self.fallend == self.gleich == 0:
            return ""
        if self.steigend > self.fallend:
            return "↑"
        return "↓" if self.fallend > self.steigend else "→"

    @property
    def text(self) -> str:
        if not self.pfeil:
            return "Trend: noch keine zwei Quartale mit Werten"
        return (
            f"Trend zum Vorquartal: {self.steigend} steigend, {self.fallend} fallend, "
            f"{self.gleich} gleich"
        )


def zieltrend(richtungen: dict[str, str], ziel: Ziel) -> Zieltrend:
    """Count the goal's indicators by the direction of their last quarter.

    All indicators point "higher is better", but the count still respects the declared
    direction: a falling value of a lower-is-better indicator counts as rising progress.
    """
    zaehler = {"steigend": 0, "fallend": 0, "gleich": 0}
    for ind in indikatoren_des_ziels(ziel):
        richtung = richtungen.get(ind.id, "")
        if not richtung:
            continue
        if ind.richtung.value == "niedriger_besser" and richtung != "gleich":
            richtung = "fallend" if richtung == "steigend" else "steigend"
        zaehler[richtung] += 1
    return Zieltrend(**zaehler)


def _ziel_zusatz(zeile: pd.Series) -> str:
    """Why a target reads as it does: pro rata for the chosen period, or against the direction."""
    zusatz = ""
    if bool(zeile.get("ziel_anteilig", False)):
        zusatz += " (anteilig für den Zeitraum)"
    if bool(zeile.get("ziel_gegen_richtung", False)):
        bestaetigt = bool(zeile.get("ziel_richtung_bestaetigt", False))
        zusatz += f" (gegen die Richtung, {'bestätigt' if bestaetigt else 'nicht bestätigt'})"
    return zusatz


def indikator_tabelle(
    indikatoren: pd.DataFrame, richtungen: dict[str, str], standort: str = GESAMT
) -> pd.DataFrame:
    """One row per indicator for a site (or the project) as display text.

    Columns: ID, Indikator, Ziel, Stufe, Wert, 95-%-KI, n, Zielwert, Zielerreichung, Status,
    Trend. n is the number of persons, pairs or activities the value rests on. (The report
    page uses this table too, and selects goals by the Ziel column.)
    """
    teil = indikatoren[
        (indikatoren["standort"] == standort)
        & (indikatoren["gruppe"] == GESAMT)
        & (indikatoren["periode"] == GESAMT)
    ].set_index("indikator")
    zeilen = []
    for ind in INDIKATOREN:
        z = teil.loc[ind.id] if ind.id in teil.index else None
        unterdrueckt = bool(z is not None and z["unterdrueckt"])
        grund = "" if z is None else str(z.get("sperrgrund", ""))
        wert = None if z is None else z["wert"]
        n = None if z is None else z["n"]
        zeilen.append(
            {
                "ID": ind.id,
                "Indikator": ind.name,
                "Ziel": ind.ziel.value,
                "Stufe": ind.stufe,
                "Wert": wert_text(ind, wert, unterdrueckt=unterdrueckt, grund=grund),
                "95-%-KI": "–"
                if z is None
                else intervall(z["ci_unten"], z["ci_oben"], ind.dezimalstellen),
                "n": _n_text(n, unterdrueckt, ind.vorher_nachher, grund),
                "Zielwert": "–"
                if z is None or pd.isna(z["zielwert"])
                else mit_einheit(z["zielwert"], ind.einheit, ind.dezimalstellen) + _ziel_zusatz(z),
                "Zielerreichung": "–" if z is None else prozent(z["zielerreichung"]),
                "Status": status_text(z),
                "Trend": TREND_PFEIL.get(richtungen.get(ind.id, ""), "")
                + (f" {richtungen[ind.id]}" if richtungen.get(ind.id) else ""),
            }
        )
    return pd.DataFrame(zeilen)


#: Status text of a value without a target: "keine Daten" would wrongly say there is no value.
KEIN_ZIELWERT = "kein Zielwert"


def status_text(zeile: pd.Series | None) -> str:
    """The status as shown: with its symbol; "kein Zielwert" where a value exists but no target
    was set (the engine calls both cases "keine Daten")."""
    if zeile is None:
        return mit_symbol(str(Status.KEINE_DATEN))
    status = str(zeile["status"])
    ohne_ziel = pd.isna(zeile["zielwert"]) and not pd.isna(zeile["wert"])
    if status == Status.KEINE_DATEN and ohne_ziel:
        return f"{STATUS_SYMBOL[Status.KEINE_DATEN]} {KEIN_ZIELWERT}"
    return mit_symbol(status)


#: Column of the project value beside a site's own value.
PROJEKT_SPALTE = "Projekt"


def mit_projektwert(tabelle: pd.DataFrame, projekt: pd.DataFrame) -> pd.DataFrame:
    """The indicator table of one site with the project value beside its own ("Projekt").

    ``projekt``: the whole-period project rows (one per indicator, see
    :func:`ui.daten.projektwerte`); suppressed or missing values get the usual mark.
    """
    zeilen = projekt.set_index("indikator")
    werte = []
    for ind_id in tabelle["ID"]:
        ind = REGISTER[ind_id]
        z = zeilen.loc[ind_id] if ind_id in zeilen.index else None
        unterdrueckt = bool(z is not None and z["unterdrueckt"])
        grund = "" if z is None else str(z.get("sperrgrund", ""))
        wert = None if z is None else z["wert"]
        werte.append(wert_text(ind, wert, unterdrueckt=unterdrueckt, grund=grund))
    neu = tabelle.copy()
    neu.insert(int(neu.columns.get_loc("Wert")) + 1, PROJEKT_SPALTE, werte)
    return neu


def _n_text(n: float | None, unterdrueckt: bool, paare: bool, grund: str = "") -> str:
    if unterdrueckt:
        return sperrmarke(grund, paare=paare)
    if n is None or pd.isna(n):
        return "0"
    return zahl(n)


def vorher_nachher_zeilen(
    vorher_nachher: pd.DataFrame,
    indikator: str,
    *,
    standort: str | None = GESAMT,
    gruppe: str | None = GESAMT,
) -> pd.DataFrame:
    """Whole-period pre/post rows of one indicator, optionally for one site and/or group."""
    maske = (vorher_nachher["indikator"] == indikator) & (vorher_nachher["periode"] == GESAMT)
    if standort is not None:
        maske &= vorher_nachher["standort"] == standort
    if gruppe is not None:
        maske &= vorher_nachher["gruppe"] == gruppe
    return vorher_nachher[maske]


def punkte(
    tabelle: pd.DataFrame,
    *,
    zeile: pd.Series | str,
    farbe: pd.Series | str,
    serie: pd.Series | str = "",
) -> pd.DataFrame:
    """Rows of an engine table as the dot table of :func:`ui.diagramme.punkte_intervalle`.

    Works for the indicator table (wert, n) and the pre/post table (differenz, n_paare); a row
    without a flag (a group missing from the data) counts as suppressed, so it is marked and
    never drawn as 0.
    """
    vorher_nachher = "differenz" in tabelle.columns
    return pd.DataFrame(
        {
            "indikator": tabelle["indikator"],
            "zeile": zeile,
            "serie": serie,
            "wert": tabelle["differenz" if vorher_nachher else "wert"],
            "unten": tabelle["ci_unten"],
            "oben": tabelle["ci_oben"],
            "unterdrueckt": tabelle["unterdrueckt"].fillna(True).astype(bool),
            "farbe": farbe,
            "n": tabelle["n_paare" if vorher_nachher else "n"],
        }
    )


def kennwerte_tabelle(zeilen: pd.DataFrame, ind: Indikator) -> pd.DataFrame:
    """Pre/post rows (per group and wave) as the table an evaluator reads beside the chart."""
    stellen = ind.dezimalstellen
    ja_nein = ind.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN
    tabelle = pd.DataFrame(
        {
            "Gruppe": zeilen["gruppe"].map(gruppe_label),
            "Welle": "T0→" + zeilen["welle"].astype(str),
            "n Paare": [
                UNTERDRUECKT_PAARE if u else zahl(n)
                for n, u in zip(zeilen["n_paare"], zeilen["unterdrueckt"], strict=True)
            ],
            "Vorher": [
                _vn(v, u, stellen, ja_nein)
                for v, u in zip(zeilen["mittel_vorher"], zeilen["unterdrueckt"], strict=True)
            ],
            "Nachher": [
                _vn(v, u, stellen, ja_nein)
                for v, u in zip(zeilen["mittel_nachher"], zeilen["unterdrueckt"], strict=True)
            ],
            "Veränderung": [
                wert_text(ind, d, unterdrueckt=u)
                for d, u in zip(zeilen["differenz"], zeilen["unterdrueckt"], strict=True)
            ],
            "95-%-KI": [
                intervall(a, b, stellen)
                for a, b in zip(zeilen["ci_unten"], zeilen["ci_oben"], strict=True)
            ],
            "g_z": ["–" if pd.isna(g) else zahl(g, 2) for g in zeilen["g_z"].to_numpy(dtype=float)],
            "d_av [95-%-KI]": [
                "–" if pd.isna(d) else f"{zahl(d, 2)} {intervall(a, b, 2)}"
                for d, a, b in zip(
                    zeilen["d_av"], zeilen["d_av_unten"], zeilen["d_av_oben"], strict=True
                )
            ],
            "p": [p_wert(p) for p in zeilen["p_wert"].to_numpy(dtype=float)],
            "p (Holm)": [p_wert(p) for p in zeilen["p_holm"].to_numpy(dtype=float)],
            "Match-Quote": [
                UNTERDRUECKT if u else prozent(q)
                for q, u in zip(zeilen["match_quote"], zeilen["match_unterdrueckt"], strict=True)
            ],
        }
    )
    return tabelle.reset_index(drop=True)


def _vn(wert: float, unterdrueckt: bool, stellen: int, ja_nein: bool) -> str:
    if unterdrueckt:
        return UNTERDRUECKT_PAARE
    if pd.isna(wert):
        return "–"
    return prozent(wert, 1) if ja_nein else zahl(wert, stellen)


def aktualitaet(
    letzte_importe: pd.DataFrame, heute: date, standorte: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Data freshness per site: last import, newest data, and whether they are a quarter old.

    Columns: Standort, Letzter Import (datetime), Neueste Daten (when given), Datei (when
    given), Art, Aktualität. Freshness is judged by the newest questionnaire or activity date
    when known — a file imported yesterday can hold data that are 18 months old — else by the
    import. A site without any import is flagged as well: for a project lead it is the same
    question ("who has not reported?").
    """
    tabelle = letzte_importe
    if standorte:
        tabelle = tabelle[tabelle["Standort-ID"].isin(standorte)]
    zeitpunkt = pd.to_datetime(tabelle["Letzter Import"])
    daten = pd.to_datetime(tabelle["Neueste Daten"]) if "Neueste Daten" in tabelle else None
    bezug = zeitpunkt if daten is None else daten
    grenze = pd.Timestamp(heute - VERALTET_NACH)
    stand = np.where(
        zeitpunkt.isna(),
        "⚠ noch kein Import",
        np.where(
            bezug.isna() | (bezug < grenze),
            "⚠ Daten älter als ein Quartal" if daten is not None else "⚠ älter als ein Quartal",
            "✓ aktuell",
        ),
    )
    spalten = {
        "Standort": tabelle["Standort"].to_numpy(),
        "Letzter Import": zeitpunkt.to_numpy(),
        "Neueste Daten": None if daten is None else daten.dt.date.to_numpy(),
        "Datei": tabelle["Datei"].to_numpy() if "Datei" in tabelle else None,
        "Art": tabelle["Art"].to_numpy(),
        "Aktualität": stand,
    }
    return pd.DataFrame({name: werte for name, werte in spalten.items() if werte is not None})


def standort_label(namen: dict[str, str], standort: str) -> str:
    """Display name of a site ID; the total reads "Alle gewählten Standorte"."""
    if standort == GESAMT:
        return "Alle gewählten Standorte"
    return namen.get(standort, standort)


def perioden(quartale: pd.DataFrame) -> list[str]:
    """All quarters present in a quarterly table, oldest first (the x axis of every trend)."""
    return sorted(p for p in quartale["periode"].unique() if p != GESAMT)


def quartal_labels(perioden_: list[str]) -> list[str]:
    return [quartal(p) for p in perioden_]


def indikator_auswahl_label(indikator_id: str) -> str:
    ind = REGISTER[indikator_id]
    return f"{ind.id} – {ind.name}"

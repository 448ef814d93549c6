"""German number formatting for the dashboard, including the mark for suppressed cells.

Suppressed values arrive as missing numbers (``<NA>``) from the computation layer; here they get
a visible mark that cannot be mistaken for 0, as SPEC §5 requires.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from indikatoren.katalog import MESSGROESSEN
from monitor.ausgabe import SEKUNDAER_MARKE, markierung
from monitor.schema import WELLEN, Feld, Typ, codebuch

#: Shown instead of a suppressed value: "< 5" says why the cell is empty (fewer than five
#: persons) and cannot be read as 0. Same mark as the CLI (:func:`monitor.ausgabe.markierung`).
UNTERDRUECKT = markierung()
#: Shown instead of a suppressed pre/post effect (fewer than ten matched pairs).
UNTERDRUECKT_PAARE = markierung(paare=True)
#: Shown for a cell hidden to protect another one (secondary suppression): it is not small.
MARKE_SEKUNDAER = SEKUNDAER_MARKE
#: Shown where there is no value at all (no answers, nothing to compute).
KEIN_WERT = "–"
LEGENDE_UNTERDRUECKT = (
    f"„{UNTERDRUECKT}“ = aus Datenschutzgründen nicht ausgewiesen: weniger als "
    f"{UNTERDRUECKT[2:]} Personen (bei Vorher-Nachher-Veränderungen „{UNTERDRUECKT_PAARE}“: "
    f"weniger als {UNTERDRUECKT_PAARE[2:]} Paare) – in geschützten Ansichten auch, wenn "
    f"niemand in der Gruppe ist. „{MARKE_SEKUNDAER}“ = ausgeblendet, damit sich ein kleiner "
    f"Wert nicht aus Summen zurückrechnen lässt. „{KEIN_WERT}“ = kein Wert vorhanden. Keines "
    "davon ist dasselbe wie 0."
)
#: Tooltip text for columns and charts that may hold suppressed cells.
HILFE_UNTERDRUECKT = (
    f"„{UNTERDRUECKT}“ bzw. „{UNTERDRUECKT_PAARE}“: Wert aus Datenschutzgründen nicht "
    "ausgewiesen (zu wenige Personen bzw. Paare) – nicht 0."
)
#: No-break space before units ("82 %"), so a value never wraps away from its unit.
NBSP = "\u00a0"


def zahl(wert: float | None, stellen: int = 0, *, vorzeichen: bool = False) -> str:
    """One number the German way (1.234,5); a suppressed value as the suppression mark.

    ``vorzeichen``: always sign the number (+0,4 / −0,4), as changes are read.
    """
    if wert is None or pd.isna(wert):
        return UNTERDRUECKT
    text = f"{wert:{'+' if vorzeichen else ''},.{stellen}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text.replace("-", "−") if vorzeichen else text


def anzahl(menge: int, einzahl: str, mehrzahl: str) -> str:
    """A count with the right noun form: "1 Standort", "3 Standorte", "1.234 Zeilen"."""
    return f"{zahl(menge)} {einzahl if menge == 1 else mehrzahl}"


def prozent(wert: float | None, stellen: int = 0) -> str:
    """A percentage value (already 0–100) as "82 %"; missing → "–" (not a suppressed cell)."""
    if wert is None or pd.isna(wert):
        return "–"
    return f"{zahl(wert, stellen)}{NBSP}%"


def mit_einheit(
    wert: float | None,
    einheit: str,
    stellen: int,
    *,
    vorzeichen: bool = False,
    paare: bool = False,
) -> str:
    """A value with its unit ("47,2 %", "+0,39 Punkte"); missing → the suppression mark."""
    if wert is None or pd.isna(wert):
        return UNTERDRUECKT_PAARE if paare else UNTERDRUECKT
    if einheit == "%":
        return f"{zahl(wert, stellen, vorzeichen=vorzeichen)}{NBSP}%"
    return f"{zahl(wert, stellen, vorzeichen=vorzeichen)}{NBSP}{einheit}"


def intervall(unten: float | None, oben: float | None, stellen: int) -> str:
    """A confidence interval as "[0,31; 0,47]"; "–" when there is none (counts, suppressed)."""
    if unten is None or oben is None or pd.isna(unten) or pd.isna(oben):
        return "–"
    # the true minus sign, as in signed changes ("−0,13", not "-0,13")
    return f"[{zahl(unten, stellen)}; {zahl(oben, stellen)}]".replace("-", "−")


def p_wert(wert: float | None) -> str:
    """A p value the way reports print it ("< 0,001", "0,034"); "–" when there is none."""
    if wert is None or pd.isna(wert):
        return "–"
    return "< 0,001" if wert < 0.001 else zahl(wert, 3)


def quartal(periode: str) -> str:
    """Engine period "2025-Q3" → axis label "Q3 2025"."""
    return f"{periode[-2:]} {periode[:4]}" if len(periode) == 7 and "-Q" in periode else periode


def _zeitpunkt(wert: pd.Timestamp) -> str:
    return "–" if pd.isna(wert) else wert.strftime("%d.%m.%Y %H:%M")


def _ja_nein(wert: bool) -> str:
    return "ja" if wert else "nein"


def tabelle(daten: pd.DataFrame) -> None:
    """Show a table with German number and date formats and suppressed cells marked.

    A missing number is a suppressed one (the computation layer never leaves a count empty
    otherwise); st.dataframe would print it as "None", so numbers are turned into German text
    here and right-aligned like numbers.
    """
    anzeige = pd.DataFrame(index=daten.index)
    spalten: dict[str, Any] = {}
    for name, spalte in daten.items():
        if pd.api.types.is_bool_dtype(spalte):
            anzeige[name] = spalte.map(_ja_nein)
        elif pd.api.types.is_numeric_dtype(spalte):
            anzeige[name] = spalte.map(zahl, na_action=None)
            spalten[str(name)] = st.column_config.TextColumn(alignment="right")
        elif pd.api.types.is_datetime64_any_dtype(spalte):
            anzeige[name] = spalte.map(_zeitpunkt, na_action=None)
        else:
            anzeige[name] = spalte.fillna("–")
    st.dataframe(anzeige, hide_index=True, column_config=spalten)


def _antworten(feld: Feld) -> str:
    """The answer options of one question, short enough for a table cell."""
    if feld.typ is Typ.GANZZAHL and len(feld.labels) > 2:  # Likert: name both ends
        return f"{feld.werte[0]} = {feld.labels[0]} … {feld.werte[-1]} = {feld.labels[-1]}"
    if feld.labels:
        return ", ".join(feld.labels)
    if feld.minimum is not None and feld.maximum is not None:
        return f"Zahl von {zahl(feld.minimum)} bis {zahl(feld.maximum)}"
    return {
        Typ.CODE: "4–32 Zeichen: A–Z, a–z, 0–9, _ und -",
        Typ.STANDORT: "Standort-ID aus der Standortliste",
        Typ.DATUM: "Datum (TT.MM.JJJJ oder JJJJ-MM-TT)",
    }.get(feld.typ, "Text")


#: Scales no indicator uses (so the catalogue has no label for them).
_WEITERE_SKALEN = {"wirksamkeit_extern": "Politische Selbstwirksamkeit extern, PEKS (1–5)"}


def _wellen(feld: Feld) -> str:
    return "T0–T2" if feld.wellen == WELLEN else ", ".join(feld.wellen)


def _skala(feld: Feld, labels: dict[str, str]) -> str:
    if not feld.skala:
        return ""
    name = labels.get(feld.skala, feld.skala)
    return f"{name} – umgepolt" if feld.umgepolt else name


def codebuch_tabelle(ziel: str) -> pd.DataFrame:
    """The questionnaire items of one goal (``""`` = general data) as a readable table.

    The Skala column is left out when no item of the group belongs to a scale.
    """
    labels = {m.name: m.label for m in MESSGROESSEN} | _WEITERE_SKALEN
    zeilen = [
        {
            "Variable": feld.name,
            "Frage": feld.frage,
            "Wellen": _wellen(feld),
            "Antworten": _antworten(feld),
            "Skala": _skala(feld, labels),
        }
        for feld in codebuch()
        if feld.ziel == ziel
    ]
    tabelle = pd.DataFrame(zeilen, columns=["Variable", "Frage", "Wellen", "Antworten", "Skala"])
    return tabelle if tabelle["Skala"].any() else tabelle.drop(columns="Skala")

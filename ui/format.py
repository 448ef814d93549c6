"""German number formatting for the dashboard, including the mark for suppressed cells.

Suppressed values arrive as missing numbers (``<NA>``) from the computation layer; here they get
a visible mark that cannot be mistaken for 0, as SPEC §5 requires.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from indikatoren.katalog import MESSGROESSEN
from monitor.schema import WELLEN, Feld, Typ, codebuch

#: Shown instead of a suppressed value (Destatis: "Zahlenwert unbekannt oder geheim zu halten").
UNTERDRUECKT = "•"
LEGENDE_UNTERDRUECKT = (
    f"{UNTERDRUECKT} = aus Datenschutzgründen nicht ausgewiesen (zu wenige Personen, oder der "
    "Wert ließe sich sonst aus der Summe zurückrechnen)."
)


def zahl(wert: float | None, stellen: int = 0) -> str:
    """One number the German way (1.234,5); a suppressed value as the suppression mark."""
    if wert is None or pd.isna(wert):
        return UNTERDRUECKT
    text = f"{wert:,.{stellen}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


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

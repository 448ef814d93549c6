"""Goal pages: "Wirkung im Vergleich zur Vergleichsgruppe" — the DiD table of one goal.

Shown only where a comparison group with enough pairs exists (at least one released cell);
everywhere else the pages speak of "Veränderung", because a pre/post change alone cannot
separate the project from what changed over the same months (see the Methodik page).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indikatoren.definitionen import Ziel
from indikatoren.filter import Filter
from indikatoren.katalog import REGISTER
from indikatoren.unterdrueckung import GESAMT
from indikatoren.vergleichsgruppe import mit_vergleichsgruppe
from ui import daten
from ui.format import intervall, p_wert, zahl

TITEL = "Wirkung im Vergleich zur Vergleichsgruppe"
ERKLAERUNG = (
    "Wirkung = Veränderung der Teilnehmenden minus Veränderung der Vergleichsgruppe "
    "(Differenz-in-Differenzen, T0 → Folgebefragung). Die Vergleichsgruppe wurde genauso befragt, "
    "hat aber nicht am Projekt teilgenommen; ihre Veränderung schätzt, was sich in derselben Zeit "
    "ohnehin verändert hätte. Die Aussage setzt voraus, dass sich beide Gruppen ohne das Projekt "
    "gleich entwickelt hätten. 95-%-Konfidenzintervall: Welch (Punktwerte) bzw. MOVER aus "
    "Newcombe-Intervallen (Ja/Nein, Prozentpunkte). Gezeigt nur, wo beide Gruppen genügend Paare "
    "haben."
)


def anzeigetabelle(tabelle: pd.DataFrame, ziel: Ziel, namen: dict[str, str]) -> pd.DataFrame:
    """The released DiD cells of one goal as German text (project total first)."""
    gezeigt = mit_vergleichsgruppe(tabelle)
    gezeigt = gezeigt[gezeigt["ziel"] == ziel.value]

    def standort(s: str) -> str:
        return "Standorte mit Vergleichsgruppe" if s == GESAMT else namen.get(s, s)

    zeilen = []
    for _, z in gezeigt.iterrows():
        stellen = REGISTER[str(z["indikator"])].dezimalstellen
        zeilen.append(
            {
                "Indikator": f"{z['indikator']} {z['name']}",
                "Standort": standort(str(z["standort"])),
                "Welle": f"T0→{z['welle']}",
                "Paare Teilnehmende": zahl(z["n_teilnehmende"]),
                "Veränderung Teilnehmende": zahl(
                    z["veraenderung_teilnehmende"], stellen, vorzeichen=True
                ),
                "Paare Vergleichsgruppe": zahl(z["n_vergleich"]),
                "Veränderung Vergleichsgruppe": zahl(
                    z["veraenderung_vergleich"], stellen, vorzeichen=True
                ),
                "Wirkung (DiD)": f"{zahl(z['did'], stellen, vorzeichen=True)} {z['einheit']}",
                "95-%-KI": intervall(z["ci_unten"], z["ci_oben"], stellen),
                "p (Welch)": p_wert(z["p_wert"]),
            }
        )
    return pd.DataFrame(zeilen)


def zeige_wirkung(ziel: Ziel, filter_: Filter, namen: dict[str, str]) -> None:
    """The section, or nothing when this selection has no comparison group with enough pairs
    (and for funders, who get no DiD: see :func:`ui.daten.vergleich`)."""
    tabelle = daten.vergleich(filter_)
    if tabelle is None:
        return
    anzeige = anzeigetabelle(tabelle, ziel, namen)
    if anzeige.empty:
        return
    st.subheader(TITEL)
    st.caption(ERKLAERUNG)
    st.dataframe(anzeige, hide_index=True)

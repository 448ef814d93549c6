"""Period-vs-period: a chosen quarter beside the previous quarter and the same quarter a year
before, for every indicator of a goal.

Each quarter is read exactly as if the user had chosen it alone in the sidebar (same sites,
formats, grouping), through the session's one read path (:func:`ui.daten.ergebnis`) — for the
funder that is a cell of the jointly protected lattice, so the comparison shows only values the
funder can already see one quarter at a time; a hidden cell stays hidden and gives no
difference ("–"), and a difference is only formed from two released values.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

import pandas as pd
import streamlit as st

from indikatoren.definitionen import Indikator
from indikatoren.engine import Ergebnis
from indikatoren.filter import Filter
from ui import aufbereitung as auf
from ui import daten
from ui.format import KEIN_WERT, zahl
from ui.format import quartal as quartal_text
from ui.seitenleiste import quartal_grenzen, quartal_von


def gewaehltes_quartal(filter_: Filter) -> str | None:
    """The quarter when the filter covers exactly one whole quarter, else None."""
    if filter_.von is None or filter_.bis is None:
        return None
    quartal = quartal_von(filter_.von)
    return quartal if quartal_grenzen(quartal) == (filter_.von, filter_.bis) else None


def verschoben(quartal: str, quartale: int) -> str:
    """The quarter ``quartale`` quarters earlier (negative: later): "2025-Q1", 1 → "2024-Q4"."""
    index = int(quartal[:4]) * 4 + int(quartal[-1]) - 1 - quartale
    return f"{index // 4}-Q{index % 4 + 1}"


def vergleichsquartale(quartal: str) -> dict[str, str]:
    """Column heading → quarter: the chosen one, the previous one, the one a year before."""
    return {
        "gewählt": quartal,
        "Vorquartal": verschoben(quartal, 1),
        "Vorjahresquartal": verschoben(quartal, 4),
    }


def lesen(
    ergebnis: Callable[[Filter], Ergebnis | None],
    filter_: Filter,
    quartale: Collection[str],
    angeboten: Collection[str],
) -> dict[str, Ergebnis | None]:
    """Each quarter read alone with the filter's other choices; None for a quarter the
    sidebar does not offer the session (no data, or for the funder not approved) — it is not
    read at all, so nothing outside the offered selections is ever computed; ``ergebnis``
    may also answer None for a selection the view refuses."""
    werte: dict[str, Ergebnis | None] = {}
    for quartal in quartale:
        if quartal not in angeboten:
            werte[quartal] = None
            continue
        von, bis = quartal_grenzen(quartal)
        werte[quartal] = ergebnis(replace(filter_, von=von, bis=bis, nach_quartal=False))
    return werte


def _zelle(ergebnis: Ergebnis | None, ind: Indikator, bezug: str) -> tuple[float, bool, str]:
    """(value, suppressed, reason) of the indicator's whole-group row of ``bezug``; no row or
    no quarter: (nan, False, "")."""
    if ergebnis is None:
        return float("nan"), False, ""
    zeile = auf.zeile(ergebnis.indikatoren, ind.id, bezug)
    if zeile is None:
        return float("nan"), False, ""
    return float(zeile["wert"]), bool(zeile["unterdrueckt"]), str(zeile.get("sperrgrund", ""))


def differenz_text(ind: Indikator, jetzt: float, frueher: float) -> str:
    """The change between two released values, signed, in the indicator's unit (percentage
    points for shares); "–" when either side has no released value."""
    if pd.isna(jetzt) or pd.isna(frueher):
        return KEIN_WERT
    einheit = "Pp." if ind.einheit == "%" else ind.einheit
    return f"{zahl(jetzt - frueher, ind.dezimalstellen, vorzeichen=True)} {einheit}"


def tabelle(
    indikatoren: Sequence[Indikator], werte: dict[str, Ergebnis | None], quartal: str, bezug: str
) -> pd.DataFrame:
    """One row per indicator: the chosen quarter, the previous quarter and the quarter a year
    before, each with the difference to the chosen one. Suppressed cells keep their mark and
    give "–" as difference."""
    spalten = vergleichsquartale(quartal)
    zeilen = []
    for ind in indikatoren:
        jetzt, jetzt_weg, jetzt_grund = _zelle(werte.get(quartal), ind, bezug)
        zeile = {
            "Indikator": f"{ind.id} {ind.name}",
            quartal_text(quartal): auf.wert_text(
                ind, jetzt, unterdrueckt=jetzt_weg, grund=jetzt_grund
            ),
        }
        for name, frueher_quartal in list(spalten.items())[1:]:
            wert, weg, grund = _zelle(werte.get(frueher_quartal), ind, bezug)
            zeile[f"{name} {quartal_text(frueher_quartal)}"] = auf.wert_text(
                ind, wert, unterdrueckt=weg, grund=grund
            )
            zeile[f"Veränderung zum {name}"] = differenz_text(
                ind,
                float("nan") if jetzt_weg else jetzt,
                float("nan") if weg else wert,
            )
        zeilen.append(zeile)
    return pd.DataFrame(zeilen)


def liste(vergleich: pd.DataFrame) -> list[str]:
    """The comparison table as markdown lines for phones: per indicator the chosen quarter,
    then each comparison quarter with the change in brackets."""
    spalten = list(vergleich.columns)
    zeilen = []
    for zeile in vergleich.itertuples(index=False):
        werte = dict(zip(spalten, zeile, strict=True))
        teile = [f"{spalten[1]}: {werte[spalten[1]]}"]
        for wert_spalte, differenz_spalte in zip(spalten[2::2], spalten[3::2], strict=True):
            teile.append(
                f"{wert_spalte}: {werte[wert_spalte]} (Veränderung {werte[differenz_spalte]})"
            )
        zeilen.append(f"- **{werte['Indikator']}**: " + " · ".join(teile))
    return zeilen


def zeigen(indikatoren: Sequence[Indikator], filter_: Filter, bezug: str) -> None:
    """The comparison section of a goal page (a hint how to get it when no single quarter is
    chosen)."""
    st.subheader("Quartalsvergleich")
    quartal = gewaehltes_quartal(filter_)
    if quartal is None:
        st.caption(
            "Wählen Sie in der Seitenleiste ein einzelnes Quartal (beim Schieberegler Anfang "
            "und Ende auf dasselbe Quartal), dann steht es hier neben dem Vorquartal und dem "
            "Vorjahresquartal."
        )
        return
    werte = lesen(
        daten.ergebnis_oder_nichts, filter_, vergleichsquartale(quartal).values(), daten.quartale()
    )
    vergleich = tabelle(indikatoren, werte, quartal, bezug)
    # Phones: six columns do not fit 390 px — the same as a list (the stylesheet picks one).
    with st.container(key="wm_breit_quartale"):
        st.dataframe(vergleich, hide_index=True)
    with st.container(key="wm_schmal_quartale"):
        st.markdown("\n".join(liste(vergleich)))
    st.caption(
        "Jedes Quartal ist für sich berechnet – genau so, wie es bei der Wahl nur dieses "
        "Quartals in der Seitenleiste erscheint. Veränderung: gewähltes Quartal minus "
        "Vergleichsquartal (Pp.: Prozentpunkte); „–“, wenn einer der beiden Werte fehlt oder "
        "aus Datenschutzgründen nicht ausgewiesen ist."
    )

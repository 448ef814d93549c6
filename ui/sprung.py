"""Drill-down: from a site's cell in a comparison straight to that site's goal page.

A click on a heat-map cell or a map point of the Standortvergleich (plotly selection events), or
a link in the phone list, leads to the goal page of the indicator with that site chosen in the
sidebar and the indicator's tab open. The jump travels as two URL parameters (``?zu=BERLIN&
indikator=A4``) that the sidebar takes over once, before it draws its widgets — so a click in
the app, a link opened in a new tab and a shared link all land on the same view.

Only choices the sidebar itself offers the session are taken over: a site the session may read
(or all sites). For the funder that is a selection of the protected lattice (one site or all,
at the period already chosen), so a jump never shows anything the sidebar could not.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from indikatoren.definitionen import Indikator, Ziel
from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.unterdrueckung import GESAMT
from ui.navigation import WURZEL

#: URL parameters of a jump: the site (or ``gesamt``) and the indicator whose tab opens.
ZU = "zu"
INDIKATOR = "indikator"


@dataclass(frozen=True, slots=True)
class Sprung:
    """Where a click leads: a site (or :data:`GESAMT`, all sites) and an indicator's goal page."""

    standort: str
    indikator: str

    @property
    def ziel(self) -> Ziel:
        return REGISTER[self.indikator].ziel

    @property
    def seite(self) -> str:
        """The goal page's file (absolute, as :mod:`ui.navigation` registers it)."""
        return str(WURZEL / "pages" / f"ziel_{self.ziel.value}.py")

    @property
    def abfrage(self) -> dict[str, str]:
        return {ZU: self.standort, INDIKATOR: self.indikator}


def reiter_schluessel(ziel: Ziel) -> str:
    """Widget key of a goal page's indicator tabs (a jump opens one of them)."""
    return f"ziel_{ziel.value}_reiter"


def reiter_titel(ind: Indikator) -> str:
    """The label of an indicator's tab on its goal page."""
    return f"{ind.id} {ind.name}"


def aus_auswahl(auswahl: Mapping[str, Any] | None) -> Sprung | None:
    """The jump a plotly selection asks for: the first selected point whose ``customdata`` is
    ``[standort, indikator]`` (heat-map cells and map points carry it). None when nothing or a
    point without a site was selected."""
    for punkt in (auswahl or {}).get("points", []):
        daten = punkt.get("customdata")
        if isinstance(daten, list | tuple) and len(daten) >= 2 and daten[1] in REGISTER:
            return Sprung(str(daten[0]), str(daten[1]))
    return None


def springen(sprung: Sprung | None) -> None:
    """Go to the jump's goal page (nothing when there is no jump)."""
    if sprung is not None:
        st.switch_page(sprung.seite, query_params=sprung.abfrage)


def ziel_links(standort: str) -> None:
    """Links to the three goal pages of one site, in a row (under a line of the list that
    replaces the heat map on phones: the same jump as a click on the site's cells)."""
    with st.container(horizontal=True, gap="small"):
        for ziel in Ziel:
            erster = next(i.id for i in INDIKATOREN if i.ziel is ziel)
            sprung = Sprung(standort, erster)
            st.page_link(
                sprung.seite,
                label=f"Ziel {ziel.value}",
                icon=":material/arrow_forward:",
                query_params=sprung.abfrage,
            )


def uebernehmen(standorte: Collection[str], *, einzeln: bool) -> Sprung | None:
    """Take a jump from the URL into the sidebar's widget state, before they are drawn.

    ``standorte``: the sites the sidebar offers this session; ``einzeln``: the sidebar has one
    site selectbox (the protected view), not a multiselect. A site outside ``standorte`` or an
    unknown indicator is ignored — the view stays as it was. The parameters are removed either
    way, so the jump happens once and the sidebar's own URL mirror takes over.
    """
    ort, indikator = st.query_params.get(ZU), st.query_params.get(INDIKATOR)
    if ort is None and indikator is None:
        return None
    for name in (ZU, INDIKATOR):
        if name in st.query_params:
            del st.query_params[name]
    if ort is None or indikator not in REGISTER or (ort != GESAMT and ort not in standorte):
        return None
    sprung = Sprung(ort, indikator)
    alle = ort == GESAMT
    if einzeln:
        st.session_state["f_standort"] = "" if alle else ort
    else:
        st.session_state["f_standorte"] = [] if alle else [ort]
    st.session_state[reiter_schluessel(sprung.ziel)] = reiter_titel(REGISTER[indikator])
    return sprung

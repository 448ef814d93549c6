"""Small Streamlit building blocks shared by the analysis pages.

Status chips, goal tiles, the "what is measured" popover, the description of the current
selection and the chart call live here once, so every page shows them the same way.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from indikatoren.definitionen import (
    BERECHNUNG_LABEL,
    WIRKUNGSTREPPE,
    ZIEL_NAMEN,
    Indikator,
    Richtung,
)
from indikatoren.filter import GRUPPIERUNG_LABEL, Filter
from indikatoren.zielerreichung import REGEL_TEXT, Status, Zielstand
from monitor.benutzer import Recht
from monitor.schema import FORMAT_LABELS
from ui import klartext, zugang
from ui.aufbereitung import Zieltrend
from ui.diagramme import KONFIG, alternativtext
from ui.farben import NEBENTEXT, TEXTFARBE, mit_symbol, status_farbe, textfarbe
from ui.format import HILFE_UNTERDRUECKT, LEGENDE_UNTERDRUECKT, prozent

RICHTUNG_TEXT: dict[Richtung, str] = {
    Richtung.HOEHER_BESSER: "höher ist besser",
    Richtung.NIEDRIGER_BESSER: "niedriger ist besser",
}


def diagramm(
    fig: go.Figure,
    *,
    key: str | None = None,
    beschreibung_text: str | None = None,
    anklickbar: bool = False,
) -> Mapping[str, Any] | None:
    """Show a plotly figure across the full width, without logo and selection tools.

    ``anklickbar``: a click on a point selects it and reruns the page; the selection
    (``{"points": [...]}``) is returned — the drill-down of :mod:`ui.sprung` reads it.

    Labels get the dashboard's text colours (Streamlit's chart grey #808495 is 3.7:1 on white,
    below WCAG AA), and a text alternative is placed before the chart for screen readers
    (invisible on screen, :func:`ui.diagramme.alternativtext` unless given).
    Links in imported text are shown as plain text (:mod:`ui.klartext`).
    """
    fig = _gestaltet(fig)
    text = beschreibung_text or alternativtext(fig)
    st.html(f'<p class="wm-sr" role="note">Diagramm: {html.escape(text)}</p>')
    if not anklickbar:
        st.plotly_chart(fig, config=KONFIG, key=key)
        return None
    ereignis = st.plotly_chart(
        fig, config=KONFIG, key=key, on_select="rerun", selection_mode="points"
    )
    return ereignis.get("selection")


def diagramm_oder_liste(fig: go.Figure, zeilen: list[str], *, key: str) -> None:
    """Wide screens and print: the chart; phones (≤ 640 px): the same values as a list.

    Both are drawn, the stylesheet of :mod:`ui.deutsch` shows one (containers keyed
    ``wm_breit_…``/``wm_schmal_…``) — Streamlit does not know the screen width on the server.
    """
    with st.container(key=f"wm_breit_{key}"):
        diagramm(fig)
    with st.container(key=f"wm_schmal_{key}"):
        st.markdown("\n".join(zeilen))


_ACHSE = re.compile(r"[xy]axis\d*")


def _gestaltet(fig: go.Figure) -> go.Figure:
    """The figure as drawn: plain text instead of links, the dashboard's text colours.

    Done on the figure's dict in one copy, not with ``update_layout``/``update_xaxes``: plotly
    validates every property set that way, which cost a fifth of the server's time per page
    run under load (py-spy, 20 sessions). The result is the same figure (unit-tested).
    """
    daten = klartext.ohne_links(fig.to_plotly_json())
    layout = daten.setdefault("layout", {})
    layout.setdefault("font", {})["color"] = TEXTFARBE
    layout.setdefault("legend", {}).setdefault("font", {})["color"] = TEXTFARBE
    for achse in {"xaxis", "yaxis", *(k for k in layout if _ACHSE.fullmatch(k))}:
        eintrag = layout.setdefault(achse, {})
        eintrag.setdefault("tickfont", {})["color"] = NEBENTEXT
        titel = eintrag.get("title")
        titel = {"text": titel} if isinstance(titel, str) else dict(titel or {})
        titel.setdefault("font", {})
        titel["font"] = {**titel["font"], "color": NEBENTEXT}
        eintrag["title"] = titel
    return go.Figure(data=daten.get("data", []), layout=layout, _validate=False)


def status_chip(status: str) -> str:
    """HTML of a status label on its status colour with its symbol (text colour chosen for
    contrast); the badge rule is its tooltip."""
    farbe = status_farbe(status)
    return (
        f'<span title="{html.escape(REGEL_TEXT)}" style="background:{farbe};'
        f"color:{textfarbe(farbe)};padding:0.15em 0.6em;border-radius:0.8em;font-size:0.9em;"
        f'white-space:nowrap">{html.escape(mit_symbol(status))}</span>'
    )


def zielkachel(stand: Zielstand, trend: Zieltrend) -> None:
    """One goal at a glance: attainment, status chip, trend arrow, indicators per status."""
    with st.container(border=True):
        st.markdown(f"**Ziel {stand.ziel.value}) {ZIEL_NAMEN[stand.ziel]}**")
        wert = "–" if stand.zielerreichung is None else prozent(stand.zielerreichung)
        st.metric(
            f"Zielerreichung Ziel {stand.ziel.value}",
            f"{wert} {trend.pfeil}".strip(),
            help="Mittel der Zielerreichung der Indikatoren mit Zielwert, je Indikator "
            "höchstens 100 %. Der Pfeil zeigt, ob die meisten Indikatoren im letzten Quartal "
            "gestiegen (↑) oder gefallen (↓) sind.",
        )
        st.markdown(status_chip(str(stand.status)), unsafe_allow_html=True)
        zaehlung = " · ".join(
            f"{anzahl} {status}" for status, anzahl in stand.anzahl.items() if anzahl
        )
        st.caption(f"{zaehlung or 'kein Indikator mit Zielwert'}  \n{trend.text}")


def beschreibung(ind: Indikator) -> None:
    """The indicator's German description one click away (a popover)."""
    with st.popover("Was wird gemessen?", icon=":material/info:"):
        st.markdown(f"**{ind.id} – {ind.name}**\n\n{ind.beschreibung}")
        st.markdown(
            f"- Wirkungsziel: {ind.ziel.value}) {ZIEL_NAMEN[ind.ziel]}\n"
            f"- Stufe der Wirkungstreppe: {ind.stufe} – {WIRKUNGSTREPPE[ind.stufe]}\n"
            f"- Einheit: {ind.einheit} ({RICHTUNG_TEXT[ind.richtung]})\n"
            f"- Datenquelle: {ind.quelle.value}\n"
            f"- Berechnung: {BERECHNUNG_LABEL[ind.berechnung]}"
        )


def auswahl_text(filter_: Filter, namen: dict[str, str]) -> str:
    """One line that says what the numbers on the page cover; ``namen`` are the sites the
    session may read (a site coordinator's "all" is its one site, named as such)."""
    if filter_.standorte:
        orte = ", ".join(namen.get(s, s) for s in filter_.standorte)
    else:
        orte = next(iter(namen.values())) if len(namen) == 1 else "alle Standorte"
    zeit = "gesamter Zeitraum"
    if filter_.von and filter_.bis:
        zeit = f"{filter_.von:%d.%m.%Y} – {filter_.bis:%d.%m.%Y}"
    formate = (
        "alle Formate"
        if not filter_.formate
        else ", ".join(FORMAT_LABELS.get(f, f) for f in filter_.formate)
    )
    return (
        f"Auswahl: {orte} · {zeit} · {formate} · Gruppen nach "
        f"{GRUPPIERUNG_LABEL[filter_.gruppierung]}"
    )


def legende_unterdrueckung() -> None:
    st.caption(LEGENDE_UNTERDRUECKT, help=HILFE_UNTERDRUECKT)


def keine_daten(was: str = "Für diese Auswahl") -> None:
    """The empty state: say that the selection holds no data and what the session can do
    about it (only roles that may import are sent to the import page)."""
    zugriff = zugang.zugriff()
    rat = "Bitte in der Seitenleiste mehr Standorte, Formate oder einen längeren Zeitraum wählen"
    if zugriff.nur_freigegeben:
        rat += " – es zählen nur freigegebene Quartale"
    if zugriff.darf(Recht.IMPORT):
        rat += " – oder auf der Seite „Datenimport“ Daten einlesen"
    st.info(f"{was} liegen keine Daten vor. {rat}.", icon=":material/filter_alt_off:")


def status_legende() -> str:
    """Caption text naming the status colours in words (colour is never the only cue)."""
    return (
        "Status: "
        + ", ".join(mit_symbol(str(s)) for s in Status)
        + " (○ kein Zielwert: Wert da, Ziel nicht gesetzt) – Regel auf der Seite „Methodik“."
    )

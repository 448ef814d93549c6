"""The shared sidebar filters: period, sites, group, format — one state for every page.

The widgets live in ``dashboard.py``'s sidebar (rendered on every run before the page), so their
values persist while the user moves between pages. They are mirrored into the URL query
(``?standorte=…&von=2025-Q1&bis=…&gruppe=mh&format=…``) so a view can be shared as a link; a
link opened fresh restores them. Pages call :func:`aktueller_filter` and never read widgets.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from indikatoren.filter import GRUPPIERUNG_LABEL, Filter, Gruppierung
from monitor.benutzer import Zugriff
from monitor.schema import FORMAT_LABELS, FORMATE
from ui import sprung
from ui.format import quartal
from ui.zugang import NUR_FREIGEGEBEN

_SCHLUESSEL = "_filter"


def quartal_grenzen(quartal: str) -> tuple[date, date]:
    """First and last day of a quarter written as "2025-Q3"."""
    jahr, nummer = int(quartal[:4]), int(quartal[-1])
    anfang = date(jahr, 3 * nummer - 2, 1)
    ende = date(jahr + 1, 1, 1) if nummer == 4 else date(jahr, 3 * nummer + 1, 1)
    return anfang, date.fromordinal(ende.toordinal() - 1)


def quartal_von(datum: date) -> str:
    """The quarter of a date as the filters write it ("2025-Q3")."""
    return f"{datum.year}-Q{(datum.month - 1) // 3 + 1}"


def _aus_url(name: str) -> list[str]:
    wert = st.query_params.get(name, "")
    return [teil for teil in wert.split(",") if teil]


def _anfangswerte(quartale: list[str], standorte: list[str]) -> None:
    """Seed the widgets once per session from the URL (a shared link) or the defaults."""
    if st.session_state.get("_filter_geladen"):
        return
    st.session_state["_filter_geladen"] = True
    von, bis = (_aus_url("von") or [""])[0], (_aus_url("bis") or [""])[0]
    # Not written to "f_zeitraum" itself: st.select_slider decides from its ``value`` argument
    # whether it is a range, so the start range is passed as ``value`` (see filter_anzeigen);
    # seeded through Session State alone, the slider fell back to a single value on the next
    # run — every page switch then failed.
    st.session_state["_f_zeitraum_start"] = (von, bis)
    st.session_state["f_standorte"] = [s for s in _aus_url("standorte") if s in standorte]
    gruppe = (_aus_url("gruppe") or ["mh"])[0]
    st.session_state["f_gruppe"] = gruppe if gruppe in {g.value for g in Gruppierung} else "mh"
    st.session_state["f_formate"] = [f for f in _aus_url("format") if f in FORMATE]


def filter_anzeigen(quartale: list[str], standorte: dict[str, str], zugriff: Zugriff) -> Filter:
    """Draw the filters in the sidebar, store the resulting Filter and mirror it into the URL.

    ``standorte`` maps site ID → display name (only the sites the session may read). Roles that
    may see unapproved data get a switch to show approved quarters only; for the others (the
    funder) it is fixed and said so.
    """
    _anfangswerte(quartale, list(standorte))
    # A drill-down (a click on a site's cell, :mod:`ui.sprung`) chooses that site — only one
    # the sidebar offers anyway, and before its widgets are drawn.
    sprung.uebernehmen(standorte, einzeln=zugriff.geschuetzt)
    if zugriff.geschuetzt:
        return _geschuetzte_filter(quartale, standorte)
    with st.sidebar:
        st.header("Filter")
        von = bis = None
        if len(quartale) > 1:
            start_von, start_bis = st.session_state.get("_f_zeitraum_start", ("", ""))
            anfang, ende = st.select_slider(
                "Zeitraum (Quartale)",
                options=quartale,
                format_func=quartal,
                value=(
                    start_von if start_von in quartale else quartale[0],
                    start_bis if start_bis in quartale else quartale[-1],
                ),
                key="f_zeitraum",
            )
            von, bis = quartal_grenzen(anfang)[0], quartal_grenzen(ende)[1]
        elif quartale:
            st.caption(f"Zeitraum: {quartal(quartale[0])}")
        gewaehlt = st.multiselect(
            "Standorte",
            options=list(standorte),
            format_func=lambda s: standorte.get(s, s),
            key="f_standorte",
            placeholder="alle Standorte",
        )
        gruppe = st.selectbox(
            "Gruppen vergleichen nach",
            options=[g.value for g in Gruppierung],
            format_func=lambda g: GRUPPIERUNG_LABEL[Gruppierung(g)],
            key="f_gruppe",
        )
        formate = st.multiselect(
            "Format",
            options=list(FORMATE),
            format_func=lambda f: FORMAT_LABELS[f],
            key="f_formate",
            placeholder="alle Formate",
        )
        if zugriff.nur_freigegeben:
            st.caption("Es werden nur freigegebene Quartale gezeigt.")
        else:
            st.toggle(
                "Nur freigegebene Quartale",
                key=NUR_FREIGEGEBEN,
                help="Zeigt nur Quartale, die die Projektleitung freigegeben hat – so, wie "
                "Fördergeber die Zahlen sehen.",
            )
    alle_quartale = not quartale or (
        quartale and st.session_state.get("f_zeitraum") == (quartale[0], quartale[-1])
    )
    filter_ = Filter(
        standorte=tuple(gewaehlt),
        von=None if alle_quartale else von,
        bis=None if alle_quartale else bis,
        formate=tuple(formate),
        gruppierung=Gruppierung(gruppe),
    )
    _in_url(filter_, st.session_state.get("f_zeitraum"), alle_quartale)
    st.session_state[_SCHLUESSEL] = filter_
    return filter_


def _in_url(filter_: Filter, zeitraum: tuple[str, str] | None, alle: bool) -> None:
    werte = {
        "standorte": ",".join(filter_.standorte),
        "von": "" if alle or not zeitraum else zeitraum[0],
        "bis": "" if alle or not zeitraum else zeitraum[1],
        "gruppe": "" if filter_.gruppierung is Gruppierung.MH else filter_.gruppierung.value,
        "format": ",".join(filter_.formate),
    }
    for name, wert in werte.items():
        if wert and st.query_params.get(name) != wert:
            st.query_params[name] = wert
        elif not wert and name in st.query_params:
            del st.query_params[name]


def aktueller_filter() -> Filter:
    """The filter the sidebar set on this run (all data when a page runs without sidebar)."""
    return st.session_state.get(_SCHLUESSEL, Filter())


def _geschuetzte_filter(quartale: list[str], standorte: dict[str, str]) -> Filter:
    """The filters of an aggregated view: only selections of the protected lattice — one site
    or all, the whole period or one quarter, a grouping; no format filter (formats are a
    grouping). Combining other selections could give small groups away."""
    with st.sidebar:
        st.header("Filter")
        ganz = "gesamt"
        zeit = st.selectbox(
            "Zeitraum",
            options=[ganz, *quartale],
            format_func=lambda q: "ganzer freigegebener Zeitraum" if q == ganz else quartal_text(q),
            key="f_quartal",
        )
        ort = st.selectbox(
            "Standort",
            options=["", *standorte],
            format_func=lambda s: standorte.get(s, s) if s else "alle Standorte",
            key="f_standort",
        )
        gruppe = st.selectbox(
            "Gruppen vergleichen nach",
            options=[g.value for g in Gruppierung],
            format_func=lambda g: GRUPPIERUNG_LABEL[Gruppierung(g)],
            key="f_gruppe",
        )
        st.caption(
            "Es werden nur freigegebene Quartale gezeigt, geschützt wie im Bericht: ein Standort "
            "oder alle, der ganze Zeitraum oder ein Quartal."
        )
    von, bis = quartal_grenzen(zeit) if zeit != ganz else (None, None)
    filter_ = Filter(
        standorte=(ort,) if ort else (), von=von, bis=bis, gruppierung=Gruppierung(gruppe)
    )
    st.session_state[_SCHLUESSEL] = filter_
    return filter_


def quartal_text(quartal: str) -> str:
    """ "2025-Q1" → "Q1 2025" (how the dashboard writes quarters)."""
    return f"{quartal[5:]} {quartal[:4]}"

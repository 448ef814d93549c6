"""The dashboard's access to the database: one cached connection, cached small results.

The connection is a ``st.cache_resource`` keyed by the database path, so every browser session
shares it, and a test (or a second app in the same process) with another ``MONITOR_DB`` gets its
own. Results are ``st.cache_data`` (large ones ``st.cache_resource``, handed out as shallow
copies) keyed by the path and small scalar arguments, and are cleared
by :func:`cache_leeren` after an import, so nobody sees stale numbers for the full TTL.

Access is enforced here, where pages read data: every public function narrows what it returns
to the session's :class:`~monitor.benutzer.Zugriff` (:func:`ui.zugang.zugriff` — allowed sites,
approved quarters only), and the allowed sites are part of each cache key, so two sessions with
different rights never share a cached result.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from indikatoren.engine import Basis, Ergebnis, auswerten, basen, nur_zellen, sql_zeitraum
from indikatoren.filter import Filter, Gruppierung
from indikatoren.schutzgitter import AuswahlFehler, Schutzgitter, aus_gitter
from indikatoren.unterdrueckung import GESAMT
from indikatoren.vergleichsgruppe import vergleichstabelle
from monitor import bestand as inventar
from monitor import sicht
from monitor.benutzer import DEMO_BANNER, Detailstufe, Sitzung, beschraenke_filter
from monitor.db import Datenbank, db_pfad
from monitor.freigabe import freigegebene_quartale
from monitor.reichweite import aktivitaeten_nach_format
from monitor.start import bereitstellen
from ui import zugang
from ui.klartext import ohne_verweise

#: Sites a session may read as a cache key: None = every site.
Standorte = tuple[str, ...] | None

#: How long a cached result may be shown before it is recomputed (seconds).
CACHE_TTL = 600


def aktueller_pfad() -> str:
    """The database file this dashboard works on (``MONITOR_DB`` or ``data/monitor.duckdb``)."""
    return str(db_pfad().resolve())


@st.cache_resource(
    show_spinner="Datenbank wird vorbereitet – beim ersten Start werden Demo-Daten erzeugt …",
    on_release=Datenbank.close,
)
def _verbindung(pfad: str) -> Datenbank:
    return bereitstellen(pfad)


def datenbank() -> Datenbank:
    """The shared connection. If it cannot be opened (another program holds the file), the
    error goes up to :func:`ui.fehler.abgesichert`, which shows a German page without paths."""
    return _verbindung(aktueller_pfad())


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _bestand(pfad: str, standorte: Standorte) -> inventar.Bestand:
    return inventar.erheben(_verbindung(pfad), standorte=standorte)


def bestand() -> inventar.Bestand:
    """The inventory of the sites the session may read (cached). Below the detail level
    "Zeilen" (the funder) the file names of the imports are left out."""
    datenbank()
    zugriff = zugang.zugriff()
    stand = _bestand(aktueller_pfad(), zugriff.standorte)
    if zugriff.detail < Detailstufe.ZEILEN:
        stand = replace(stand, letzte_importe=stand.letzte_importe.drop(columns="Datei"))
    return stand


def cache_leeren() -> None:
    """Forget every cached result, e.g. right after an import changed the data."""
    st.cache_data.clear()
    for geteilt in (_basis, _ergebnis, _gitter):
        geteilt.clear()


def gitter_vorbereiten() -> None:
    """After data or approvals changed: build the funder's protected lattice in the background
    (it is kept beside the database), so the next funder's first view only reads it."""
    pfad = aktueller_pfad()
    db = _verbindung(pfad)
    zellen = freigegebene_quartale(db)
    if zellen:
        threading.Thread(
            target=sicht.gitter, args=(db, zellen), name="schutzgitter", daemon=True
        ).start()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _hat_demo(pfad: str, standorte: Standorte) -> bool:
    return inventar.hat_demo(_verbindung(pfad), standorte=standorte)


def demo_hinweis(sitzung: Sitzung) -> None:
    """A notice on every page while demo data is in the database, so nobody mistakes it; in the
    open demo mode (guest) it also says that real data will require a login.

    One small EXISTS query (cached): building the whole inventory here cost every page's
    first render 10–16 % on a large data set.
    """
    datenbank()
    if sitzung.gast:
        st.info(DEMO_BANNER, icon=":material/science:")
    elif _hat_demo(aktueller_pfad(), sitzung.zugriff.standorte):
        # Only the session's own sites count: a site whose data are real gets no demo banner
        # because demo sites are still in the database.
        st.info(
            "Es werden Demo-Daten angezeigt – erfundene Beispieldaten zum Ausprobieren, keine "
            "echten Befragungen. Wie echte Daten eingelesen werden, steht in der README unter "
            "„Echte Daten importieren“.",
            icon=":material/science:",
        )


def freigabe_stand() -> pd.DataFrame:
    """Per site the last approved quarter — what an aggregated view may know about how
    current the data are (import times and unapproved quarters are not data it may see)."""
    datenbank()
    zugriff = zugang.zugriff()
    namen = standortnamen()
    letzte: dict[str, str] = {}
    for standort, quartal in _freigegeben(aktueller_pfad()):
        if zugriff.darf_standort(standort) and quartal > letzte.get(standort, ""):
            letzte[standort] = quartal
    return pd.DataFrame(
        {
            "Standort": [namen.get(s, s) for s in sorted(letzte)],
            "Freigegeben bis": [f"{letzte[s][5:]} {letzte[s][:4]}" for s in sorted(letzte)],
        }
    )


def nur_freigegeben() -> bool:
    """Whether this session sees approved quarters only (role or sidebar switch)."""
    return zugang.zugriff().nur_freigegeben


def freigabe_hinweis() -> None:
    """When the session sees approved quarters only, say so once — and say clearly when none
    of its sites has an approved quarter yet, so empty pages are not mistaken for no data."""
    zugriff = zugang.zugriff()
    if not zugriff.nur_freigegeben:
        return
    freigegeben = [z for z in _freigegeben(aktueller_pfad()) if zugriff.darf_standort(z[0])]
    if not freigegeben:
        st.info(
            "Es werden nur freigegebene Quartale gezeigt – und bisher ist keines freigegeben. "
            "Die Projektleitung gibt Quartale auf der Seite „Freigaben“ frei.",
            icon=":material/hourglass_empty:",
        )


#: Large results (bases, indicator tables, the funder's lattice) are shared, not copied:
#: ``st.cache_data`` unpickles a fresh copy on every read, which cost 14 % of the server's time
#: under 20 concurrent sessions (py-spy). ``st.cache_resource`` hands out the one object; pages
#: get shallow copies (:func:`_kopie`), which pandas' copy-on-write keeps from changing it.
_GETEILT = {"ttl": CACHE_TTL}


@st.cache_resource(**_GETEILT, max_entries=16, show_spinner="Daten werden zusammengefasst …")
def _basis(
    pfad: str, gruppierung: str | None, von: date | None, bis: date | None
) -> dict[str, Basis]:
    """Bases by grouping. ``gruppierung`` None: all four at once (whole quarters, read from the
    pre-aggregated tables in one go), so changing the grouping costs no query; exact dates:
    only that grouping (it aggregates the raw data)."""
    gruppierungen = tuple(Gruppierung) if gruppierung is None else (Gruppierung(gruppierung),)
    return {g.value: b for g, b in basen(_verbindung(pfad), gruppierungen, von, bis).items()}


@st.cache_resource(**_GETEILT, max_entries=64, show_spinner="Indikatoren werden berechnet …")
def _ergebnis(
    pfad: str,
    standorte: tuple[str, ...],
    von: date | None,
    bis: date | None,
    formate: tuple[str, ...],
    gruppierung: str,
    nach_quartal: bool,
    nur_freigegeben: bool,
) -> Ergebnis:
    filter_ = Filter(standorte, von, bis, formate, Gruppierung(gruppierung), nach_quartal)
    sql_von, sql_bis = sql_zeitraum(filter_)
    alle = sql_von is None and sql_bis is None
    grundlage = _basis(pfad, None if alle else gruppierung, sql_von, sql_bis)[gruppierung]
    if nur_freigegeben:
        grundlage = nur_zellen(grundlage, _freigegeben(pfad))
    return auswerten(grundlage, filter_)


@st.cache_resource(**_GETEILT, max_entries=4, show_spinner="Geschützte Tabellen werden berechnet …")
def _gitter(pfad: str, zellen: frozenset[tuple[str, str]]) -> Schutzgitter:
    """The funder's protected lattice over the approved cells (kept beside the database by
    :func:`monitor.sicht.gitter`, so a restarted server does not compute it again)."""
    return sicht.gitter(_verbindung(pfad), zellen)


def _aus_gitter(filter_: Filter) -> Ergebnis:
    """Aggregated access: the selection read from the protected lattice (raises
    :class:`AuswahlFehler` for a selection outside it)."""
    pfad = aktueller_pfad()
    return aus_gitter(_gitter(pfad, _freigegeben(pfad)), filter_)


def _geschuetzt(filter_: Filter) -> Ergebnis:
    """The lattice read for the page's own selection; one outside it stops the page with the
    German reason (the sidebar offers none, a URL could)."""
    try:
        return _aus_gitter(filter_)
    except AuswahlFehler as fehler:
        st.warning(str(fehler), icon=":material/shield:")
        st.stop()


def ergebnis_oder_nichts(filter_: Filter) -> Ergebnis | None:
    """:func:`ergebnis` for a selection beside the page's own (e.g. a comparison quarter):
    None instead of stopping the page when the protected view may not make it."""
    datenbank()
    if zugang.zugriff().geschuetzt:
        try:
            return _aus_gitter(filter_)
        except AuswahlFehler:
            return None
    return ergebnis(filter_)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _freigegeben(pfad: str) -> frozenset[tuple[str, str]]:
    return freigegebene_quartale(_verbindung(pfad))


def _eigener(filter_: Filter) -> tuple[Filter, bool]:
    """The filter narrowed to the session's sites, and whether only approved data is shown."""
    zugriff = zugang.zugriff()
    return beschraenke_filter(filter_, zugriff), zugriff.nur_freigegeben


#: Fewest sites with approved quarters for a project comparison: with two, the project total
#: minus the own site would give away the other site's value.
MIN_STANDORTE_PROJEKTVERGLEICH = 3


def projektwerte() -> pd.DataFrame | None:
    """Project totals (all sites, all approved quarters) to set one site beside.

    For a site coordinator, who reads only the own site otherwise. The values are read from
    the funders' protected lattice (:func:`_gitter`) — exactly what a funder sees for the whole
    project, with its suppression. None when fewer than :data:`MIN_STANDORTE_PROJEKTVERGLEICH`
    sites have an approved quarter (the total minus the own site would show another site).
    """
    datenbank()
    pfad = aktueller_pfad()
    zellen = _freigegeben(pfad)
    if len({standort for standort, _ in zellen}) < MIN_STANDORTE_PROJEKTVERGLEICH:
        return None
    try:
        alle = aus_gitter(_gitter(pfad, zellen), Filter()).indikatoren
    except AuswahlFehler:
        return None
    return alle[
        (alle["standort"] == GESAMT) & (alle["gruppe"] == GESAMT) & (alle["periode"] == GESAMT)
    ]


def eigener_filter(filter_: Filter) -> Filter:
    """The filter narrowed to the sites the session may read (for reads outside the engine)."""
    return _eigener(filter_)[0]


def ergebnis(filter_: Filter, *, nach_quartal: bool = False) -> Ergebnis:
    """Released indicator and pre/post tables for a filter (cached per filter).

    Two cache levels: the DuckDB aggregation per grouping (:func:`indikatoren.engine.basis`,
    the expensive part) and the totals for each filter on top of it — so a change of sites,
    formats or quarters never queries the raw data again. Cache keys are the filter's plain
    fields: Streamlit hashes a handful of strings and dates, never a DataFrame. The filter is
    first narrowed to what the session may read.
    """
    datenbank()
    if zugang.zugriff().geschuetzt:
        return _geschuetzt(replace(filter_, nach_quartal=nach_quartal or filter_.nach_quartal))
    filter_, nur_freigegeben = _eigener(filter_)
    geteilt = _ergebnis(
        aktueller_pfad(),
        filter_.standorte,
        filter_.von,
        filter_.bis,
        filter_.formate,
        filter_.gruppierung.value,
        nach_quartal or filter_.nach_quartal,
        nur_freigegeben,
    )
    return _kopie(geteilt)


def _kopie(geteilt: Ergebnis) -> Ergebnis:
    """A page's own view of a shared result: new DataFrame objects over the same data. A page
    that adds or changes a column changes only its copy (pandas copy-on-write)."""
    return replace(
        geteilt,
        indikatoren=geteilt.indikatoren.copy(deep=False),
        vorher_nachher=geteilt.vorher_nachher.copy(deep=False),
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _quartale(pfad: str, standorte: Standorte) -> list[str]:
    return inventar.quartale(_verbindung(pfad), standorte=standorte)


def quartale() -> list[str]:
    """Quarters that hold data of the session's sites, oldest first (for the period filter)."""
    datenbank()
    zugriff = zugang.zugriff()
    if zugriff.nur_freigegeben:  # only what the view may see: approved quarters
        freigegeben = _freigegeben(aktueller_pfad())
        return sorted({q for s, q in freigegeben if zugriff.darf_standort(s)})
    return _quartale(aktueller_pfad(), zugriff.standorte)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _standorte(pfad: str, standorte: Standorte) -> pd.DataFrame:
    return inventar.standortliste(_verbindung(pfad), standorte=standorte)


def standorte() -> pd.DataFrame:
    """The session's sites (ID, name, place, Bundesland, coordinates, start)."""
    datenbank()
    return _standorte(aktueller_pfad(), zugang.zugriff().standorte)


def standortnamen() -> dict[str, str]:
    """Site ID → "Name (Ort)" for labels — with no link pattern left in it, since pages put
    these labels into Markdown (:func:`ui.klartext.ohne_verweise`)."""
    tabelle = standorte()
    return {
        zeile.standort: ohne_verweise(f"{zeile.name} ({zeile.ort})")
        for zeile in tabelle.itertuples(index=False)
    }


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _reichweite(
    pfad: str,
    standorte: tuple[str, ...],
    von: date | None,
    bis: date | None,
    formate: tuple[str, ...],
    nur_freigegeben: bool,
) -> pd.DataFrame:
    zellen = _freigegeben(pfad) if nur_freigegeben else None
    return aktivitaeten_nach_format(_verbindung(pfad), Filter(standorte, von, bis, formate), zellen)


def reichweite(filter_: Filter) -> pd.DataFrame:
    """Activities, participations and reach per format for the filter and the session's sites
    (cached per filter)."""
    datenbank()
    filter_, nur_freigegeben = _eigener(filter_)
    return _reichweite(
        aktueller_pfad(),
        filter_.standorte,
        filter_.von,
        filter_.bis,
        filter_.formate,
        nur_freigegeben,
    )


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner="Vergleichsgruppe wird ausgewertet …")
def _vergleich(
    pfad: str,
    standorte: tuple[str, ...],
    von: date | None,
    bis: date | None,
    formate: tuple[str, ...],
    nur_freigegeben: bool,
) -> pd.DataFrame:
    zellen = _freigegeben(pfad) if nur_freigegeben else None
    filter_ = Filter(standorte, von, bis, formate)
    return vergleichstabelle(_verbindung(pfad), filter_, zellen=zellen)


def vergleich(filter_: Filter) -> pd.DataFrame | None:
    """Difference-in-differences against the comparison group for the session's selection, or
    None for aggregated access (funders): the DiD table publishes comparison-group counts per
    site that are not part of the protected lattice, so it is not offered there at all (no new
    table a funder could set against the lattice's cells)."""
    datenbank()
    if zugang.zugriff().geschuetzt:
        return None
    filter_, nur_freigegeben = _eigener(filter_)
    return _vergleich(
        aktueller_pfad(),
        filter_.standorte,
        filter_.von,
        filter_.bis,
        filter_.formate,
        nur_freigegeben,
    )

"""The dashboard's access to the database: one cached connection, cached small results.

The connection is a ``st.cache_resource`` keyed by the database path, so every browser session
shares it, and a test (or a second app in the same process) with another ``MONITOR_DB`` gets its
own. Results are ``st.cache_data`` keyed by the path and small scalar arguments, and are cleared
by :func:`cache_leeren` after an import, so nobody sees stale numbers for the full TTL.
"""

from __future__ import annotations

from datetime import date
from typing import NoReturn

import duckdb
import pandas as pd
import streamlit as st

from indikatoren.engine import Basis, Ergebnis, auswerten, basis, sql_zeitraum
from indikatoren.filter import Filter, Gruppierung
from monitor import bestand as inventar
from monitor.db import Datenbank, db_pfad
from monitor.reichweite import aktivitaeten_nach_format
from monitor.start import bereitstellen

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


def _nicht_erreichbar(pfad: str, fehler: duckdb.Error) -> NoReturn:
    st.error(
        f"Die Datenbank **{pfad}** kann nicht geöffnet werden. Meist ist sie gerade von einem "
        "anderen Programm geöffnet (z. B. einem laufenden Import über die Kommandozeile). "
        "Bitte kurz warten und die Seite neu laden.\n\n"
        f"Meldung der Datenbank: {fehler}"
    )
    st.stop()


def datenbank() -> Datenbank:
    """The shared connection; shows a German error and stops the page if it cannot be opened."""
    pfad = aktueller_pfad()
    try:
        return _verbindung(pfad)
    except duckdb.IOException as fehler:
        _nicht_erreichbar(pfad, fehler)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _bestand(pfad: str) -> inventar.Bestand:
    return inventar.erheben(_verbindung(pfad))


def bestand() -> inventar.Bestand:
    """The inventory of the current database (cached)."""
    datenbank()
    return _bestand(aktueller_pfad())


def cache_leeren() -> None:
    """Forget every cached result, e.g. right after an import changed the data."""
    st.cache_data.clear()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _hat_demo(pfad: str) -> bool:
    return inventar.hat_demo(_verbindung(pfad))


def demo_hinweis() -> None:
    """A notice on every page while demo data is in the database, so nobody mistakes it.

    One small EXISTS query (cached): building the whole inventory here cost every page's
    first render 10–16 % on a large data set.
    """
    datenbank()
    if _hat_demo(aktueller_pfad()):
        st.info(
            "Es werden Demo-Daten angezeigt – erfundene Beispieldaten zum Ausprobieren, keine "
            "echten Befragungen. Wie echte Daten eingelesen werden, steht in der README unter "
            "„Echte Daten importieren“.",
            icon=":material/science:",
        )


@st.cache_data(ttl=CACHE_TTL, max_entries=16, show_spinner="Daten werden zusammengefasst …")
def _basis(pfad: str, gruppierung: str, von: date | None, bis: date | None) -> Basis:
    return basis(_verbindung(pfad), Gruppierung(gruppierung), von, bis)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Indikatoren werden berechnet …")
def _ergebnis(
    pfad: str,
    standorte: tuple[str, ...],
    von: date | None,
    bis: date | None,
    formate: tuple[str, ...],
    gruppierung: str,
    nach_quartal: bool,
) -> Ergebnis:
    filter_ = Filter(standorte, von, bis, formate, Gruppierung(gruppierung), nach_quartal)
    sql_von, sql_bis = sql_zeitraum(filter_)
    return auswerten(_basis(pfad, gruppierung, sql_von, sql_bis), filter_)


def ergebnis(filter_: Filter, *, nach_quartal: bool = False) -> Ergebnis:
    """Released indicator and pre/post tables for a filter (cached per filter).

    Two cache levels: the DuckDB aggregation per grouping (:func:`indikatoren.engine.basis`,
    the expensive part) and the totals for each filter on top of it — so a change of sites,
    formats or quarters never queries the raw data again. Cache keys are the filter's plain
    fields: Streamlit hashes a handful of strings and dates, never a DataFrame.
    """
    datenbank()
    return _ergebnis(
        aktueller_pfad(),
        filter_.standorte,
        filter_.von,
        filter_.bis,
        filter_.formate,
        filter_.gruppierung.value,
        nach_quartal or filter_.nach_quartal,
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _quartale(pfad: str) -> list[str]:
    return inventar.quartale(_verbindung(pfad))


def quartale() -> list[str]:
    """Quarters that hold data, oldest first (for the period filter)."""
    datenbank()
    return _quartale(aktueller_pfad())


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _standorte(pfad: str) -> pd.DataFrame:
    return inventar.standortliste(_verbindung(pfad))


def standorte() -> pd.DataFrame:
    """Sites (ID, name, place, Bundesland, coordinates, start)."""
    datenbank()
    return _standorte(aktueller_pfad())


def standortnamen() -> dict[str, str]:
    """Site ID → "Name (Ort)" for labels."""
    tabelle = standorte()
    return {
        zeile.standort: f"{zeile.name} ({zeile.ort})" for zeile in tabelle.itertuples(index=False)
    }


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _reichweite(
    pfad: str,
    standorte: tuple[str, ...],
    von: date | None,
    bis: date | None,
    formate: tuple[str, ...],
) -> pd.DataFrame:
    return aktivitaeten_nach_format(_verbindung(pfad), Filter(standorte, von, bis, formate))


def reichweite(filter_: Filter) -> pd.DataFrame:
    """Activities, participations and reach per format for the filter (cached per filter)."""
    datenbank()
    return _reichweite(
        aktueller_pfad(), filter_.standorte, filter_.von, filter_.bis, filter_.formate
    )

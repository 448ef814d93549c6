"""No traceback ever reaches a page: one German message with a reference number instead.

Why: a traceback shows server paths, library versions and sometimes data to whoever caused it
— before login too. ``dashboard.py`` runs everything inside :func:`abgesichert`; an error
there is written to the server log with a short reference number, and the page shows only a
German message with that number, which the administration finds in the log. Errors of the
database get their own German text: another program holding the write lock (a CLI import)
and DuckDB's fatal errors (e.g. a full disk during a checkpoint), whose English text would
otherwise be shown.

The message page is registered with ``st.navigation`` (hidden), so Streamlit never falls back
to its list of files in ``pages/`` when the failure came before the navigation.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

_LOG = logging.getLogger("wirkungsmonitor")

#: Test runs (Streamlit's AppTest) re-raise so a test sees the real error; a test of this
#: module sets this variable to "1" to see the page a user would see.
ANZEIGEN_IM_TEST = "MONITOR_FEHLERSEITE_IM_TEST"

BELEGT = (
    "Die Datenbank wird gerade von einem anderen Programm geändert (zum Beispiel von einem "
    "Import oder einer Sicherung über die Kommandozeile). Bitte in einigen Sekunden die Seite "
    "neu laden."
)
SCHWER = (
    "Die Datenbank hat einen schweren Fehler gemeldet (zum Beispiel weil der Datenträger voll "
    "ist) und nimmt bis zu einem Neustart des Dashboards keine Änderungen mehr an. Bitte die "
    "Administration informieren: Speicherplatz prüfen, Dashboard neu starten."
)
VOLL = (
    "Auf dem Server ist kein Speicherplatz mehr frei; es wurde nichts geändert. Bitte die "
    "Administration informieren."
)
UNERWARTET = "Es ist ein unerwarteter Fehler aufgetreten; es wurde nichts geändert."


def deutscher_text(fehler: BaseException) -> str:
    """The German message for an error (never its own, possibly English, text)."""
    text = str(fehler).lower()
    if isinstance(fehler, duckdb.IOException) and "lock" in text:
        return BELEGT
    if isinstance(fehler, duckdb.FatalException) or "invalidated" in text:
        return SCHWER
    if "no space left" in text or getattr(fehler, "errno", None) == 28:
        return VOLL
    return UNERWARTET


def melden(fehler: BaseException) -> str:
    """Log the error with its traceback under a fresh reference number; returns the number."""
    referenz = secrets.token_hex(4).upper()
    _LOG.error("Fehler auf einer Seite, Referenz %s", referenz, exc_info=fehler)
    return referenz


def _seite(text: str, referenz: str) -> None:
    st.title("Wirkungsmonitor")
    st.error(
        f"{text}\n\nReferenz: **{referenz}** – bitte bei Rückfragen angeben; die Einzelheiten "
        "stehen im Protokoll des Servers.",
        icon=":material/error:",
    )


@contextmanager
def abgesichert() -> Iterator[None]:
    """Run a page (or the whole script): an exception becomes the German message page."""
    try:
        yield
    except Exception as fehler:
        if st.get_option("global.appTest") and os.environ.get(ANZEIGEN_IM_TEST) != "1":
            raise
        text, referenz = deutscher_text(fehler), melden(fehler)
        st.navigation(
            [st.Page(lambda: _seite(text, referenz), title="Fehler", url_path="fehler")],
            position="hidden",
        ).run()

"""A success message that survives ``st.rerun()``.

After an import or a save the page reruns at once, so the sidebar and every number are drawn
from the new data; a message shown before the rerun would vanish with it. So it is parked in the
session and shown on the next run, once.
"""

from __future__ import annotations

import streamlit as st

from ui import daten

_SCHLUESSEL = "_rueckmeldung"


def merken(seite: str, text: str) -> None:
    """Park ``text`` for the next run of page ``seite``."""
    st.session_state[f"{_SCHLUESSEL}_{seite}"] = text


def zeigen(seite: str) -> None:
    """Show (and forget) the parked message of page ``seite``, if any."""
    text = st.session_state.pop(f"{_SCHLUESSEL}_{seite}", None)
    if text:
        st.success(text, icon=":material/check_circle:")


def neu_aufbauen(seite: str, text: str | None = None) -> None:
    """Clear cached results, park ``text`` and rerun, so everything shows the new data."""
    daten.cache_leeren()
    daten.gitter_vorbereiten()
    if text:
        merken(seite, text)
    st.rerun()

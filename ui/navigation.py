"""The one list of dashboard pages, used by ``dashboard.py`` and by the browser test.

Keeping the pages as data means the browser smoke test visits exactly the pages a user can
reach: a new page is added here once and is tested from then on.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage


@dataclass(frozen=True, slots=True)
class Seite:
    """One page of the dashboard: its file under ``pages/``, title, URL and navigation section."""

    datei: str
    titel: str
    url_path: str
    abschnitt: str
    icon: str
    standard: bool = False

    @property
    def adresse(self) -> str:
        """The URL path the browser sees: Streamlit serves the default page at the root."""
        return "" if self.standard else self.url_path


SEITEN: tuple[Seite, ...] = (
    Seite(
        "pages/uebersicht.py",
        "Übersicht",
        "uebersicht",
        "Überblick",
        ":material/dashboard:",
        standard=True,
    ),
    Seite("pages/methodik.py", "Methodik", "methodik", "Hintergrund", ":material/menu_book:"),
)


def navigation() -> StreamlitPage:
    """Register every page with ``st.navigation``, grouped by section; return the current one."""
    abschnitte: dict[str, list[StreamlitPage]] = {}
    for seite in SEITEN:
        abschnitte.setdefault(seite.abschnitt, []).append(
            st.Page(
                seite.datei,
                title=seite.titel,
                icon=seite.icon,
                url_path=seite.url_path,
                default=seite.standard,
            )
        )
    return st.navigation(abschnitte)

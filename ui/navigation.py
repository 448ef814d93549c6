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
    Seite("pages/ziel_a.py", "Ziel a – Kontakte", "ziel-a", "Wirkungsziele", ":material/group:"),
    Seite(
        "pages/ziel_b.py", "Ziel b – Kompetenzen", "ziel-b", "Wirkungsziele", ":material/school:"
    ),
    Seite(
        "pages/ziel_c.py",
        "Ziel c – Partizipation",
        "ziel-c",
        "Wirkungsziele",
        ":material/how_to_vote:",
    ),
    Seite(
        "pages/standortvergleich.py",
        "Standortvergleich",
        "standortvergleich",
        "Vergleiche",
        ":material/compare_arrows:",
    ),
    Seite("pages/formate.py", "Formate", "formate", "Vergleiche", ":material/devices:"),
    Seite("pages/datenimport.py", "Datenimport", "datenimport", "Daten", ":material/upload_file:"),
    Seite(
        "pages/datenqualitaet.py",
        "Datenqualität",
        "datenqualitaet",
        "Daten",
        ":material/fact_check:",
    ),
    Seite("pages/zielwerte.py", "Zielwerte", "zielwerte", "Daten", ":material/flag:"),
    Seite("pages/bericht.py", "Bericht", "bericht", "Ergebnisse", ":material/description:"),
    Seite("pages/methodik.py", "Methodik", "methodik", "Ergebnisse", ":material/menu_book:"),
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

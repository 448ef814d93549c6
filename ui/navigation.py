"""The one list of dashboard pages, used by ``dashboard.py`` and by the browser test.

Keeping the pages as data means the browser smoke test visits exactly the pages a user can
reach: a new page is added here once and is tested from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from monitor.benutzer import Recht, Zugriff

#: The project root: page files are given relative to it.
WURZEL = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Seite:
    """One page of the dashboard: its file under ``pages/``, title, URL and navigation section."""

    datei: str
    titel: str
    url_path: str
    abschnitt: str
    icon: str
    standard: bool = False
    #: The session needs at least one of these rights to see the page; empty = every role.
    rechte: tuple[Recht, ...] = ()

    def erlaubt(self, zugriff: Zugriff) -> bool:
        return not self.rechte or any(zugriff.darf(recht) for recht in self.rechte)

    @property
    def adresse(self) -> str:
        """The URL path the browser sees: Streamlit serves the default page at the root."""
        return "" if self.standard else self.url_path


SEITEN: tuple[Seite, ...] = (
    Seite(
        "pages/uebersicht.py",
        "Übersicht",
        "ueberblick",
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
        "vergleich-standorte",
        "Vergleiche",
        ":material/compare_arrows:",
    ),
    Seite("pages/formate.py", "Formate", "vergleich-formate", "Vergleiche", ":material/devices:"),
    Seite(
        "pages/datenimport.py",
        "Datenimport",
        "import",
        "Daten",
        ":material/upload_file:",
        rechte=(Recht.IMPORT,),
    ),
    Seite(
        "pages/datenqualitaet.py",
        "Datenqualität",
        "qualitaet",
        "Daten",
        ":material/fact_check:",
        rechte=(Recht.ZEILENLISTEN,),
    ),
    Seite(
        "pages/freigaben.py",
        "Freigaben",
        "freigabe",
        "Daten",
        ":material/verified:",
        rechte=(Recht.EINREICHEN, Recht.FREIGEBEN),
    ),
    Seite(
        "pages/zielwerte.py",
        "Zielwerte",
        "ziele-pflegen",
        "Daten",
        ":material/flag:",
        rechte=(Recht.ZIELWERTE,),
    ),
    Seite(
        "pages/bericht.py",
        "Bericht",
        "excel-bericht",
        "Ergebnisse",
        ":material/description:",
        rechte=(Recht.EXPORT,),
    ),
    Seite("pages/methodik.py", "Methodik", "methoden", "Ergebnisse", ":material/menu_book:"),
    Seite(
        "pages/verwaltung.py",
        "Benutzer und Protokoll",
        "verwaltung",
        "Verwaltung",
        ":material/admin_panel_settings:",
        rechte=(Recht.BENUTZER,),
    ),
)


def navigation(zugriff: Zugriff) -> StreamlitPage:
    """Register the pages this session may use with ``st.navigation``, grouped by section;
    return the current one. Pages outside the role are not registered: their URL leads to the
    start page, not to the page."""
    abschnitte: dict[str, list[StreamlitPage]] = {}
    for seite in SEITEN:
        if not seite.erlaubt(zugriff):
            continue
        abschnitte.setdefault(seite.abschnitt, []).append(
            st.Page(
                # Absolute, so the app can also be started from another entry file (tests).
                str(WURZEL / seite.datei),
                title=seite.titel,
                icon=seite.icon,
                url_path=seite.url_path,
                default=seite.standard,
            )
        )
    return st.navigation(abschnitte)

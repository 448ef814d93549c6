"""The one list of dashboard pages, used by ``dashboard.py`` and by the browser test.

Keeping the pages as data means the browser smoke test visits exactly the pages a user can
reach: a new page is added here once and is tested from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.util import calc_hash

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


#: Title in the browser tab after the page's own title ("Zielwerte · Wirkungsmonitor").
APP_TITEL = "Wirkungsmonitor"


def gewuenschte_adresse(*, nur_getippt: bool = False) -> str:
    """The URL path the browser asked for on this run ("" = the start page or a click).

    Streamlit resolves a typed address only inside ``st.navigation``; we need it before, to
    register a German "not found"/"not for your role" page under exactly that address instead
    of letting Streamlit show its English "Page not found" dialog. ``nur_getippt``: only an
    address typed or opened as a link in this session (also on its reruns, e.g. the login
    form's), not a page switched to from inside the app.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return ""
    bekannte: dict[str, str] = st.session_state.setdefault("_adressen", {})
    gesucht = ctx.pages_manager.intended_page_script_hash
    if gesucht:
        # A rerun on an address (e.g. right after the login): Streamlit names the page by the
        # hash of its url_path — our pages and the addresses typed in this session are known.
        seiten = {} if nur_getippt else {calc_hash(s.url_path): s.url_path for s in SEITEN}
        return seiten.get(gesucht) or bekannte.get(gesucht, "")
    adresse = (ctx.pages_manager.intended_page_name or "").strip().strip("/")
    if adresse:
        bekannte[calc_hash(adresse)] = adresse
    return adresse


def _nicht_da(adresse: str, seite: Seite | None) -> None:
    """The German page for an address that is unknown or outside the session's role."""
    if seite is not None:
        st.title("Kein Zugriff")
        st.warning(
            f"Die Seite „{seite.titel}“ ist für Ihre Rolle nicht freigeschaltet. Wer sie "
            "braucht, bittet die Projektleitung (Admin) um eine andere Rolle.",
            icon=":material/lock:",
        )
    else:
        st.title("Seite nicht gefunden")
        st.warning(
            f"Unter der Adresse „/{adresse}“ gibt es keine Seite. Vielleicht ist der Link "
            "veraltet oder vertippt.",
            icon=":material/search_off:",
        )
    st.page_link(str(WURZEL / SEITEN[0].datei), label="Zur Übersicht", icon=":material/dashboard:")


def _seitenleiste(abschnitte: dict[str, list[StreamlitPage]]) -> None:
    """Our own navigation in the sidebar: every page of the role, grouped, always complete.

    Streamlit's built-in list collapses into an English "View 3 more" and, switched on in the
    config, also shows the raw ``pages/`` file names while a new session starts; so it is off
    (``client.showSidebarNavigation``) and the links are drawn here.
    """
    with st.sidebar.container(key="wm_navigation"):
        for abschnitt, seiten in abschnitte.items():
            if not abschnitt:
                continue
            st.markdown(f"**{abschnitt}**")
            for seite in seiten:
                st.page_link(seite, label=seite.title, icon=seite.icon)


def navigation(zugriff: Zugriff) -> StreamlitPage:
    """Register the pages this session may use with ``st.navigation``, grouped by section;
    return the current one. Pages outside the role are not registered: their URL (like any
    unknown URL) gets a German notice page instead of Streamlit's English dialog.

    Every page sets its own browser-tab title.
    """
    abschnitte: dict[str, list[StreamlitPage]] = {}
    adressen: set[str] = set()
    for seite in SEITEN:
        if not seite.erlaubt(zugriff):
            continue
        adressen.add(seite.url_path)
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
    adresse = gewuenschte_adresse()
    if adresse and adresse not in adressen and "/" not in adresse:
        bekannt = next((s for s in SEITEN if s.url_path == adresse), None)
        abschnitte.setdefault("", []).append(
            st.Page(
                lambda: _nicht_da(adresse, bekannt),
                title="Kein Zugriff" if bekannt else "Seite nicht gefunden",
                url_path=adresse,
                visibility="hidden",
            )
        )
    aktuelle = st.navigation(abschnitte, position="hidden")
    _seitenleiste(abschnitte)
    st.set_page_config(page_title=f"{aktuelle.title} · {APP_TITEL}")
    return aktuelle

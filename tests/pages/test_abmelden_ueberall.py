"""Issue 14, 7: a logout ends every tab of the browser (they share the login cookie's token);
"Überall abmelden" ends the user's sessions in every browser."""

from __future__ import annotations

from pathlib import Path

from hilfen_anmeldung import anmelden, konto
from streamlit.testing.v1 import AppTest

from monitor.db import verbinden
from monitor.demo import lade_demo
from ui import zugang

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"


def _browser(pfad: Path, name: str) -> AppTest:
    app = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    anmelden(app, name)
    assert not app.text_input, "still on the login form"
    return app


def _zweiter_tab(erster: AppTest) -> AppTest:
    """A new tab of the same browser: it finds the cookie's token and restores the login with
    it (:func:`ui.zugang._gueltige_sitzung`); here the state it ends up with is carried over."""
    tab = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    tab.session_state[zugang.SITZUNG] = erster.session_state[zugang.SITZUNG]
    tab.session_state[zugang._TOKEN] = erster.session_state[zugang._TOKEN]
    tab.run()
    assert not tab.text_input and not tab.exception
    return tab


def _angemeldet(app: AppTest) -> bool:
    app.run()
    assert not app.exception
    return not any(t.key == "anmeldung_name" for t in app.text_input)


def test_abmelden_beendet_alle_tabs_und_ueberall_alle_browser(db_datei: Path) -> None:
    with verbinden(db_datei) as db:
        lade_demo(db, teilnehmende=60)
    konto(db_datei, "leitung", "projektleitung")
    konto(db_datei, "chefin", "admin")

    erster = _browser(db_datei, "leitung")
    tab = _zweiter_tab(erster)
    anderer_browser = _browser(db_datei, "leitung")
    chefin = _browser(db_datei, "chefin")

    erster.sidebar.button(key="abmelden").click().run()
    assert not _angemeldet(erster)
    assert not _angemeldet(tab)  # same token: the other tab is logged out too
    assert _angemeldet(anderer_browser)  # another browser is not

    dritter = _browser(db_datei, "leitung")
    dritter.sidebar.button(key="ueberall_abmelden").click().run()
    assert not _angemeldet(dritter)
    assert not _angemeldet(anderer_browser)  # everywhere
    assert _angemeldet(chefin)  # other users stay

"""One browser test per role: log in through the real form in headless Chromium, see exactly the
role's pages in the sidebar, and not reach a page outside the role by typing its address.

One real ``streamlit run dashboard.py`` for the module, on a database with REAL (non-demo) data
and one account per role, so the dashboard is in its secure mode. The allowed pages come from the
hand-written table in ``tests/pages/hilfen_echte_daten.py`` (shared with the AppTest file), not
from the product's own rules. Screenshots go to ``tests/_screenshots/rolle_<rolle>.png``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_browser
from playwright.sync_api import Browser, Page
from test_browser import (
    BILDER,
    SEITE_TIMEOUT_MS,
    _bildschirmfoto,
    _warten_bis_fertig,
    streamlit_laeuft,
)

sys.path.insert(0, str(Path(__file__).resolve().parent / "pages"))
from hilfen_anmeldung import TEST_PASSWORT, konto
from hilfen_echte_daten import ERWARTETE_SEITEN, echte_datenbank

from monitor.benutzer import SCHNELLE_HASHES_VARIABLE
from ui.navigation import SEITEN

pytestmark = pytest.mark.browser

browser = test_browser.browser  # one Chromium for the module

TITEL = {Path(s.datei).name: s.titel for s in SEITEN}
ADRESSE = {Path(s.datei).name: s.url_path for s in SEITEN}
#: Per role: a page outside the role, opened by typing its address, and one of the role's own
#: pages beyond the common ones, opened from the sidebar.
VERBOTEN = {
    "admin": None,
    "projektleitung": "verwaltung.py",
    "standort": "zielwerte.py",
    "evaluation": "datenimport.py",
    "foerdergeber": "datenqualitaet.py",
}
EIGENE_SEITE = {
    "admin": "verwaltung.py",
    "projektleitung": "zielwerte.py",
    "standort": "freigaben.py",
    "evaluation": "datenqualitaet.py",
    "foerdergeber": "bericht.py",
}


def _name(rolle: str) -> str:
    return f"browser.{rolle}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run dashboard.py`` on real data with one account per role."""
    ordner = tmp_path_factory.mktemp("browser_rollen")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(SCHNELLE_HASHES_VARIABLE, "1")
        pfad = echte_datenbank(ordner).pfad
        for rolle in ERWARTETE_SEITEN:
            konto(pfad, _name(rolle), rolle, "BERLIN" if rolle == "standort" else None)
    umgebung = {**os.environ, "MONITOR_DB": str(pfad), SCHNELLE_HASHES_VARIABLE: "1"}
    with streamlit_laeuft(ordner, umgebung) as url:
        yield url


def _anmelden(page: Page, rolle: str) -> None:
    """Fill in and send the real login form."""
    page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(timeout=SEITE_TIMEOUT_MS)
    page.get_by_label("Benutzername").fill(_name(rolle))
    page.get_by_label("Passwort", exact=True).fill(TEST_PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(f"Angemeldet: {_name(rolle)}").wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)


#: The sidebar's page links (our own navigation, ui.navigation: always complete, no "more").
NAV_LINK = '[data-testid="stSidebar"] [data-testid="stPageLink"]'


def _navigation(page: Page) -> list[str]:
    """The page titles listed in the sidebar navigation, all visible at once."""
    links = page.locator(NAV_LINK).all_inner_texts()
    return [t.strip().splitlines()[-1] for t in links]  # the first line is the icon's name


def _ohne_fehler(page: Page) -> str:
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Error" not in text
    return text


def _oeffnen(browser: Browser, url: str) -> Page:
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="de-DE")
    page.goto(url, timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)
    return page


def test_erster_aufruf_einer_seitenadresse_zeigt_nichts(server: str, browser: Browser) -> None:
    """The very first request after the start, straight to a page's address.

    Until the entry script has run once, Streamlit serves the files in ``pages/`` on their own
    (its old multipage mode), without ``dashboard.py`` and its login. The page file sends the
    visitor to ``dashboard.py`` (:func:`ui.zugang.zugriff`), which shows the login form — not
    the page, and not Streamlit's list of the raw file names. Runs first in this module on
    purpose.
    """
    page = _oeffnen(browser, f"{server}/{ADRESSE['verwaltung.py']}")
    try:
        page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(
            timeout=SEITE_TIMEOUT_MS
        )
        text = _ohne_fehler(page)
        assert TITEL["verwaltung.py"] not in text and "browser.admin" not in text
        assert "Auditprotokoll" not in text
        assert "datenqualitaet" not in text and "zielwerte" not in text  # no file-name list
        _bildschirmfoto(page, BILDER / "rolle_ohne_anmeldung.png")
    finally:
        page.close()


@pytest.fixture(scope="module")
def angemeldet_moeglich(server: str, browser: Browser) -> str:
    """The server after one visit of its start page: from then on every address runs through
    ``dashboard.py`` (login form, the role's navigation)."""
    page = _oeffnen(browser, server)
    try:
        page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(
            timeout=SEITE_TIMEOUT_MS
        )
    finally:
        page.close()
    return server


def _ohne_dialog(page: Page) -> None:
    """No "page not found" dialog: an address outside the login or the role gets a page."""
    assert page.locator('[role="dialog"]').count() == 0


def _titel(page: Page) -> str:
    return page.locator("h1").first.inner_text().strip()


@pytest.mark.parametrize("rolle", list(ERWARTETE_SEITEN))
def test_rolle_im_browser(angemeldet_moeglich: str, browser: Browser, rolle: str) -> None:
    erlaubt = sorted(TITEL[d] for d in ERWARTETE_SEITEN[rolle])
    verboten = VERBOTEN[rolle] or "verwaltung.py"
    # A page's address typed before the login: only the login form, nothing of the page.
    page = _oeffnen(browser, f"{angemeldet_moeglich}/{ADRESSE[verboten]}")
    try:
        text = _ohne_fehler(page)
        assert TITEL[verboten] not in text and "Passwort" in text
        assert page.locator(NAV_LINK).count() == 0
        _ohne_dialog(page)

        _anmelden(page, rolle)
        # After the login the address typed before it: its page if the role has it, else the
        # German "Kein Zugriff" page (never the page itself, never an English dialog).
        darf = Path(verboten).name in ERWARTETE_SEITEN[rolle]
        assert _titel(page) == (TITEL[verboten] if darf else "Kein Zugriff")
        _ohne_dialog(page)
        page.locator(NAV_LINK, has_text="Übersicht").click()
        page.locator("h1", has_text="Übersicht").wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        assert sorted(_navigation(page)) == erlaubt
        _ohne_fehler(page)
        _bildschirmfoto(page, BILDER / f"rolle_{rolle}.png")

        eigene = TITEL[EIGENE_SEITE[rolle]]
        page.locator(NAV_LINK, has_text=eigene).click()
        page.locator("h1", has_text=eigene).wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        assert "Diese Seite ist für Ihre Rolle nicht freigeschaltet." not in _ohne_fehler(page)

        if VERBOTEN[rolle]:
            # The same address typed while logged in (the login cookie keeps the session across
            # the reload): the German "Kein Zugriff" page, never the page itself.
            page.goto(f"{angemeldet_moeglich}/{ADRESSE[verboten]}", timeout=SEITE_TIMEOUT_MS)
            _warten_bis_fertig(page)
            _ohne_dialog(page)
            assert _titel(page) == "Kein Zugriff"
            text = _ohne_fehler(page)
            assert f"Angemeldet: {_name(rolle)}" in text
            assert page.locator("h1", has_text=TITEL[verboten]).count() == 0
    finally:
        page.close()

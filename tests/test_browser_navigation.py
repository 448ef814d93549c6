"""Navigation in headless Chromium (issue 16): a click on a heat-map cell opens that site's goal
page, the phone list links the same way, forest plots and the heat map become lists at 390 px,
the quarter comparison and the Freigaben matrix — German only, at 1440 px and 390 px.

One real ``streamlit run dashboard.py`` on REAL data (``tests/pages/hilfen_echte_daten.py``)
with one account per role and two quarters approved for all sites, so the funder's protected
view has something to show. The click is a real mouse click on the cell's position, which
plotly turns into a selection event and Streamlit into a rerun (``on_select="rerun"``).

Screenshots: ``tests/_screenshots/navigation/*.png`` (git-ignored).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_browser
from playwright.sync_api import Browser, Page
from test_browser import BILDER, SEITE_TIMEOUT_MS, _bildschirmfoto, _warten_bis_fertig
from test_browser_deutsch import englisch
from test_browser_rollen import _anmelden

sys.path.insert(0, str(Path(__file__).resolve().parent / "pages"))
from hilfen_anmeldung import TEST_PASSWORT, konto
from hilfen_echte_daten import echte_datenbank

from monitor import benutzer, freigabe
from monitor.benutzer import SCHNELLE_HASHES_VARIABLE
from monitor.db import verbinden

pytestmark = pytest.mark.browser

browser = test_browser.browser
ORDNER = BILDER / "navigation"
STANDORTE = ("BERLIN", "LEIPZIG", "DORTMUND")
FREIGEGEBEN = ("2026-Q1", "2026-Q2")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Real data, one account per role (``browser.<rolle>``), two quarters approved."""
    ordner = tmp_path_factory.mktemp("browser_navigation")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(SCHNELLE_HASHES_VARIABLE, "1")
        pfad = echte_datenbank(ordner).pfad
        for rolle in ("projektleitung", "foerdergeber", "standort"):
            konto(pfad, f"browser.{rolle}", rolle, "BERLIN" if rolle == "standort" else None)
        with verbinden(pfad) as db:
            sitzung = benutzer.anmelden(db, "browser.projektleitung", TEST_PASSWORT)
            assert sitzung is not None
            for standort in STANDORTE:
                for quartal in FREIGEGEBEN:
                    freigabe.einreichen(db, sitzung, standort, quartal)
                    freigabe.freigeben(db, sitzung, standort, quartal)
    umgebung = {**os.environ, "MONITOR_DB": str(pfad), SCHNELLE_HASHES_VARIABLE: "1"}
    with test_browser.streamlit_laeuft(ordner, umgebung) as url:
        yield url


def _angemeldet(browser: Browser, server: str, rolle: str, breite: int = 1440) -> Page:
    page = browser.new_page(
        viewport={"width": breite, "height": 900 if breite > 400 else 844}, locale="de-DE"
    )
    page.goto(server, timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)
    _anmelden(page, rolle)
    return page


def _oeffnen(page: Page, server: str, adresse: str, titel: str) -> None:
    page.goto(f"{server}/{adresse}", timeout=SEITE_TIMEOUT_MS)
    page.locator("h1", has_text=titel).first.wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)


#: Page position of a heat-map cell (row label, indicator), from plotly's own axes.
_ZELLE = """([zeile, spalte]) => {
  for (const el of document.querySelectorAll('.js-plotly-plot')) {
    if (!el.data || !el.data.some((t) => t.name === 'Zelle')) continue;
    el.scrollIntoView({block: 'center'});
    const xa = el._fullLayout.xaxis, ya = el._fullLayout.yaxis;
    const rand = el.getBoundingClientRect();
    return [rand.left + xa._offset + xa.d2p(spalte), rand.top + ya._offset + ya.d2p(zeile)];
  }
  return null;
}"""


#: Page position of the map point of a site (the map trace: customdata without a "Zelle").
_ORT = """(standort) => {
  for (const el of document.querySelectorAll('.js-plotly-plot')) {
    const spur = (el.data || []).find((t) => t.customdata && t.name !== 'Zelle');
    if (!spur) continue;
    const i = spur.customdata.findIndex((c) => c[0] === standort);
    if (i < 0) continue;
    el.scrollIntoView({block: 'center'});
    const xa = el._fullLayout.xaxis, ya = el._fullLayout.yaxis;
    const rand = el.getBoundingClientRect();
    return [rand.left + xa._offset + xa.d2p(spur.x[i]), rand.top + ya._offset + ya.d2p(spur.y[i])];
  }
  return null;
}"""


def _zelle_klicken(page: Page, zeile: str, spalte: str) -> None:
    _klicken(page, page.evaluate(_ZELLE, [zeile, spalte]))


def _klicken(page: Page, punkt: list[float] | None) -> None:
    """Hover, then click at a chart position (plotly selects the point under the mouse)."""
    assert punkt is not None, "kein anklickbarer Punkt auf der Seite"
    page.mouse.move(punkt[0], punkt[1])
    page.wait_for_timeout(300)
    assert englisch(page) == []  # the toolbar shown on hover of a selectable chart: German
    page.mouse.click(punkt[0], punkt[1])


def _seitenleiste(page: Page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def _geoeffneter_reiter(page: Page) -> str:
    return page.locator('[role="tab"][aria-selected="true"]').first.inner_text().strip()


def _tabelle_zeigt(page: Page, text: str) -> None:
    """Wait until an st.dataframe shows ``text`` (a canvas grid, drawn when scrolled into view;
    its cells are also in the grid's accessible table, which is what is read here)."""
    tabellen = page.locator('[data-testid="stDataFrame"]')
    for k in range(tabellen.count()):
        if tabellen.nth(k).is_visible():
            tabellen.nth(k).scroll_into_view_if_needed()
    page.wait_for_function(
        """(text) => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]'))
            .some((el) => el.textContent.includes(text))""",
        arg=text,
        timeout=30_000,
    )


def _deutsch_und_fotos(page: Page, name: str) -> None:
    """No English leftovers and no error box; screenshots at the page's width."""
    assert page.locator('[data-testid="stException"]').count() == 0
    assert englisch(page) == []
    breite = page.viewport_size["width"] if page.viewport_size else 1440
    _bildschirmfoto(page, ORDNER / f"{name}_{breite}.png")


def test_klick_auf_heatmap_zelle_oeffnet_die_zielseite(server: str, browser: Browser) -> None:
    page = _angemeldet(browser, server, "projektleitung")
    try:
        _oeffnen(page, server, "vergleich-standorte", "Standortvergleich")
        _deutsch_und_fotos(page, "standortvergleich_projektleitung")
        page.set_viewport_size({"width": 1440, "height": 900})
        _zelle_klicken(page, "Treffpunkt Leipzig (Leipzig)", "B2")
        page.locator("h1", has_text="Ziel b – Kompetenzen").wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        assert "standorte=LEIPZIG" in page.url and "zu=" not in page.url
        assert "Treffpunkt Leipzig (Leipzig)" in _seitenleiste(page)
        assert _geoeffneter_reiter(page) == "B2 Kompetenzen"
        haupt = page.locator('[data-testid="stMain"]').inner_text()
        assert "Auswahl: Treffpunkt Leipzig (Leipzig)" in haupt
        _deutsch_und_fotos(page, "sprung_ziel_b_leipzig")
    finally:
        page.close()


def test_klick_des_foerdergebers_bleibt_im_schutzgitter(server: str, browser: Browser) -> None:
    page = _angemeldet(browser, server, "foerdergeber")
    try:
        _oeffnen(page, server, "vergleich-standorte", "Standortvergleich")
        _zelle_klicken(page, "Treffpunkt Dortmund (Dortmund)", "A4")
        page.locator("h1", has_text="Ziel a – Kontakte").wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        leiste = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
        # the caption names the sidebar's current choice (the selectbox draws it as an input)
        haupt = page.locator('[data-testid="stMain"]').inner_text()
        assert "Auswahl: Treffpunkt Dortmund (Dortmund)" in haupt
        assert page.locator('[data-testid="stAlertContentWarning"]').count() == 0
        _deutsch_und_fotos(page, "sprung_foerdergeber_ziel_a_dortmund")

        # the funder picks one approved quarter: the comparison beside the previous quarter
        leiste.filter(has_text="Zeitraum").click()
        page.get_by_role("option", name="Q2 2026").click()
        _warten_bis_fertig(page)
        page.locator("h3", has_text="Quartalsvergleich").wait_for(timeout=SEITE_TIMEOUT_MS)
        _tabelle_zeigt(page, "Vorquartal Q1 2026")
        _deutsch_und_fotos(page, "quartalsvergleich_foerdergeber")
    finally:
        page.close()


def test_telefon_listen_statt_heatmap_und_forest_plot(server: str, browser: Browser) -> None:
    page = _angemeldet(browser, server, "projektleitung", breite=390)
    try:
        _oeffnen(page, server, "vergleich-standorte", "Standortvergleich")
        breit = page.locator('[class*="st-key-wm_breit"]')
        schmal = page.locator('[class*="st-key-wm_schmal"]')
        assert breit.count() == 2 and schmal.count() == 2  # heat map and forest plot
        for k in range(2):
            assert not breit.nth(k).is_visible() and schmal.nth(k).is_visible()
        forest = schmal.nth(0).inner_text()
        assert "Treffpunkt Berlin (Berlin)" in forest and "n = " in forest
        _deutsch_und_fotos(page, "standortvergleich_telefon")

        page.set_viewport_size({"width": 390, "height": 844})
        eintrag = page.locator('[class*="st-key-wm_schmal"] [data-testid="stPageLink"]')
        eintrag.filter(has_text="Ziel c").nth(1).click()  # nth(0): all sites, then by name
        page.locator("h1", has_text="Ziel c – Partizipation").wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        assert "standorte=BERLIN" in page.url
        assert "Treffpunkt Berlin (Berlin)" in page.locator('[data-testid="stMain"]').inner_text()
        _deutsch_und_fotos(page, "sprung_telefon_ziel_c_berlin")

        # the Formate page's two dot-and-interval charts: lists as well
        page.set_viewport_size({"width": 390, "height": 844})
        _oeffnen(page, server, "vergleich-formate", "Formate")
        breit = page.locator('[class*="st-key-wm_breit"]')
        schmal = page.locator('[class*="st-key-wm_schmal"]')
        assert breit.count() == 2 and schmal.count() == 2
        for k in range(2):
            assert not breit.nth(k).is_visible() and schmal.nth(k).is_visible()
        assert "Präsenz: " in schmal.nth(0).inner_text()
        _deutsch_und_fotos(page, "formate_telefon")

        # wide again: the heat map and the forest plot, not the lists
        page.set_viewport_size({"width": 1440, "height": 900})
        _oeffnen(page, server, "vergleich-standorte", "Standortvergleich")
        for k in range(2):
            assert page.locator('[class*="st-key-wm_breit"]').nth(k).is_visible()
            assert not page.locator('[class*="st-key-wm_schmal"]').nth(k).is_visible()
        # a click on a site of the map: its goal page at the chosen indicator (A5 → goal a)
        _klicken(page, page.evaluate(_ORT, "DORTMUND"))
        page.locator("h1", has_text="Ziel a – Kontakte").wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        assert "standorte=DORTMUND" in page.url
        assert _geoeffneter_reiter(page) == "A5 Kontakthäufigkeit"
    finally:
        page.close()


def test_quartalsvergleich_und_freigabematrix(server: str, browser: Browser) -> None:
    page = _angemeldet(browser, server, "projektleitung")
    try:
        # a link with one quarter (the sidebar takes it over for a new session)
        _oeffnen(page, server, "ziel-a?von=2026-Q2&bis=2026-Q2", "Ziel a – Kontakte")
        page.locator("h3", has_text="Quartalsvergleich").wait_for(timeout=SEITE_TIMEOUT_MS)
        _tabelle_zeigt(page, "Vorjahresquartal Q2 2025")
        _deutsch_und_fotos(page, "quartalsvergleich_projektleitung")
        page.set_viewport_size({"width": 390, "height": 844})
        _deutsch_und_fotos(page, "quartalsvergleich_projektleitung")

        page.set_viewport_size({"width": 1440, "height": 900})
        _oeffnen(page, server, "freigabe", "Freigaben")
        haupt = page.locator('[data-testid="stMain"]').inner_text()
        assert "Stand je Standort und Quartal" in haupt
        for text in ("Q1 2026", "🔒 Freigegeben", "✏️ Entwurf"):
            _tabelle_zeigt(page, text)
        _deutsch_und_fotos(page, "freigaben_matrix")
        page.set_viewport_size({"width": 390, "height": 844})
        _deutsch_und_fotos(page, "freigaben_matrix")
    finally:
        page.close()

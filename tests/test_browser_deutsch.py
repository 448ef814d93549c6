"""Every page of every role in headless Chromium: German only, ``lang="de"``, own tab titles.

One real ``streamlit run dashboard.py`` on REAL data with one account per role (the shared
fixture of ``test_browser_rollen.py``). Per role: log in once through the form, then open each
of the role's pages by its address, at 1440 px and at 390 px (a phone). The test fails on any of
Streamlit's English default texts — in visible text, tooltips, ``aria-label`` or placeholders —
on a missing value shown as "None"/"null"/"NaN", and on ``<html lang>`` other than ``de``.
The list of English texts is written out here by hand (what the issue found in the browser and
what Streamlit 1.67's frontend bundle contains), not taken from the product's translation table.

Screenshots: ``tests/_screenshots/deutsch/<rolle>_<seite>_<breite>.png`` (git-ignored).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import test_browser
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import BILDER, SEITE_TIMEOUT_MS, _bildschirmfoto, _warten_bis_fertig
from test_browser_rollen import _anmelden
from test_browser_rollen import server as rollen_server

from ui.navigation import SEITEN

sys.path.insert(0, str(Path(__file__).resolve().parent / "pages"))
from hilfen_echte_daten import ERWARTETE_SEITEN

pytestmark = pytest.mark.browser

browser = test_browser.browser
server = rollen_server
ORDNER = BILDER / "deutsch"

#: Streamlit's (and plotly's) English texts as users met them; each must never show.
ENGLISCH: tuple[str, ...] = (
    "Page not found",
    "Running the app's main page",
    r"View \d+ more",
    "View less",
    "Select all",
    r"Select \d+ matches",
    "No results",
    "Choose an option",
    "Choose options",
    "Clear all",
    "Upload",
    r"\d+\s?MB per file",
    "Browse files",
    "Drag and drop",
    "Download as CSV",
    "Download plot",
    "Download as PNG",
    "Zoom in",
    "Zoom out",
    "Reset axes",
    "Autoscale",
    "Box Select",
    "Lasso Select",
    "Pan",
    "Search",
    "Fullscreen",
    "Close fullscreen",
    "Show/hide columns",
    "Skip to main content",
    r"Running\.\.\.",
    "Copy to clipboard",
    "Press Enter",
    "Show password",
    "Hide password",
    "Produced with Plotly",
    "dd.mm.yyyy",
    "DD.MM.YYYY",
    "YYYY/MM/DD",
    # a missing value printed raw
    "None",
    "null",
    "NaN",
)
_ENGLISCH = re.compile(r"(?<![\w-])(?:" + "|".join(ENGLISCH) + r")(?![\w-])")

#: All visible text of the page (material icon names excluded: they are glyph ligatures, not
#: words) and every tooltip, aria-label, placeholder and alt text.
_TEXTE = """() => {
  const teile = [];
  const gang = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (gang.nextNode()) {
    const knoten = gang.currentNode;
    const el = knoten.parentElement;
    if (!el || el.closest('[data-testid="stIconMaterial"], script, style, code, pre')) continue;
    if (knoten.nodeValue.trim()) teile.push(knoten.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], '
      + '[data-title], img[alt]')) {
    for (const name of ['title', 'aria-label', 'placeholder', 'data-title', 'alt']) {
      const wert = el.getAttribute(name);
      if (wert) teile.push(wert);
    }
  }
  return teile;
}"""


def englisch(page: Page) -> list[str]:
    """The English leftovers on the page as it is drawn now (empty = all German)."""
    return sorted({t for t in page.evaluate(_TEXTE) if _ENGLISCH.search(t)})


def _tabellenleiste_zeigen(page: Page) -> None:
    """Hover the first table and chart so their toolbars (drawn only on hover) are checked."""
    for auswahl in ('[data-testid="stDataFrame"]', '[data-testid="stPlotlyChart"]'):
        element = page.locator(auswahl).first
        if element.count():
            element.scroll_into_view_if_needed()
            element.hover()
            page.wait_for_timeout(300)


def _pruefen(page: Page, rolle: str, seite_url: str, titel: str) -> list[str]:
    """Check one page at both widths; return the problems found (screenshots either way)."""
    probleme: list[str] = []
    # The German script arrives with the page's first element, but its code chunk loads
    # asynchronously: on a busy machine the title can be drawn a moment before it has run.
    with contextlib.suppress(PlaywrightTimeout):  # reported just below
        page.wait_for_function("document.documentElement.lang === 'de'", timeout=15_000)
    if page.evaluate("document.documentElement.lang") != "de":
        probleme.append(f"{seite_url}: lang={page.evaluate('document.documentElement.lang')}")
    if page.title() != f"{titel} · Wirkungsmonitor":
        probleme.append(f"{seite_url}: Tab-Titel {page.title()!r}")
    if page.locator('[data-testid="stException"]').count():
        probleme.append(f"{seite_url}: Fehlermeldung auf der Seite")
    _tabellenleiste_zeigen(page)
    reste = englisch(page)
    if reste:
        probleme.append(f"{seite_url} (1440 px): {reste}")
    for breite in (1440, 390):
        page.set_viewport_size({"width": breite, "height": 900 if breite > 400 else 844})
        page.wait_for_timeout(400)
        _bildschirmfoto(page, ORDNER / f"{rolle}_{seite_url or 'uebersicht'}_{breite}.png")
    reste = englisch(page)
    if reste:
        probleme.append(f"{seite_url} (390 px): {reste}")
    page.set_viewport_size({"width": 1440, "height": 900})
    return probleme


@pytest.mark.parametrize("rolle", list(ERWARTETE_SEITEN))
def test_jede_seite_deutsch_mit_lang_de(server: str, browser: Browser, rolle: str) -> None:
    kontext = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE")
    page = kontext.new_page()
    try:
        # The very first request after the start runs before st.navigation has ever been
        # called: Streamlit then still knows only the files in pages/ and answers an unknown
        # address with its dialog (translated, but a dialog). From the second on it is ours.
        page.goto(server, timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        # Before the login: the form, in German, under any address (no dialog).
        page.goto(f"{server}/gibt-es-nicht", timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        page.wait_for_function("document.documentElement.lang === 'de'", timeout=15_000)
        assert page.locator('[role="dialog"]').count() == 0
        assert englisch(page) == []
        _anmelden(page, rolle)

        probleme: list[str] = []
        seiten = [s for s in SEITEN if Path(s.datei).name in ERWARTETE_SEITEN[rolle]]
        for seite in seiten:
            page.goto(f"{server}/{seite.adresse}", timeout=SEITE_TIMEOUT_MS)
            page.locator("h1", has_text=seite.titel).first.wait_for(timeout=SEITE_TIMEOUT_MS)
            _warten_bis_fertig(page)
            probleme += _pruefen(page, rolle, seite.adresse, seite.titel)
        # The sidebar lists every page of the role at once (no "View more").
        links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]')
        assert links.count() == len(seiten)

        # An unknown address and a page outside the role: German pages, no dialog.
        page.goto(f"{server}/gibt-es-nicht", timeout=SEITE_TIMEOUT_MS)
        page.locator("h1", has_text="Seite nicht gefunden").wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        assert page.locator('[role="dialog"]').count() == 0
        probleme += _pruefen(page, rolle, "gibt-es-nicht", "Seite nicht gefunden")
        if rolle != "admin":
            page.goto(f"{server}/verwaltung", timeout=SEITE_TIMEOUT_MS)
            page.locator("h1", has_text="Kein Zugriff").wait_for(timeout=SEITE_TIMEOUT_MS)
            _warten_bis_fertig(page)
            text = page.locator('[data-testid="stMain"]').inner_text()
            assert "Benutzer anlegen" not in text and "Auditprotokoll" not in text
            probleme += _pruefen(page, rolle, "verwaltung", "Kein Zugriff")
        assert probleme == []

        if rolle == "projektleitung":
            _drucken_ohne_seitenleiste(page, server)
    finally:
        kontext.close()


def _drucken_ohne_seitenleiste(page: Page, server: str) -> None:
    """Browser print of the overview: no sidebar, no toolbars, the content on A4 pages.

    The PDF is what "Drucken" in Chromium makes (print media, A4); its text, extracted with
    pdftotext (poppler), must hold the page but not the sidebar's navigation and logout.
    """
    page.goto(server, timeout=SEITE_TIMEOUT_MS)
    page.locator("h1", has_text="Übersicht").first.wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)
    page.emulate_media(media="print")
    assert (
        page.locator('[data-testid="stSidebar"]').evaluate("el => getComputedStyle(el).display")
        == "none"
    )
    pdf = ORDNER / "druck_uebersicht.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.emulate_media(media="screen")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext fehlt: apt-get install -y poppler-utils"
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Wirkungsziele auf einen Blick" in text and "Alle Indikatoren" in text
    assert "Abmelden" not in text and "Zeitraum (Quartale)" not in text
    assert text.count("\f") >= 2  # several pages, not one clipped screen

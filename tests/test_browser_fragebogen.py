"""Browser test of the questionnaire by link (issue 17): a phone (390 px) answers in German and
in Arabic (right to left) on the light page, one block per screen; a phone without JavaScript
answers on one page; a forged link is refused in German and stores nothing.

The real ``streamlit run dashboard.py`` (started by :func:`test_browser.streamlit_laeuft`), which
serves the light page (:mod:`ui.fragebogen_web`) next to the dashboard, on a database with two
sites, an admin (so the dashboard itself needs a login) and two links. The running server holds
the DuckDB file, so the rows are read after it stopped.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import test_browser
from playwright.sync_api import Browser, Page, expect
from test_browser import BILDER, SEITE_TIMEOUT_MS

from monitor import erhebung
from monitor import uebersetzung as ue
from monitor.benutzer import SCHNELLE_HASHES_VARIABLE, lege_an
from monitor.db import verbinden
from monitor.importieren import importiere

pytestmark = pytest.mark.browser

browser = test_browser.browser

STANDORTE = (
    "standort;name;ort;bundesland;start\n"
    "KOELN;Begegnungshaus Köln;Köln;Nordrhein-Westfalen;2025-02-01\n"
    "BERLIN;Kiezprojekt;Berlin;Berlin;2025-01-15\n"
)
#: What the participant taps: variable → answer code (the labels are looked up per language).
ANTWORTEN_T0 = {"migrationshintergrund": "ja", "geschlecht": "maennlich", "c_aktiv": "ja"}
THERMOMETER = 65


def _antworten(page: Page, sprache: str, nur_sichtbare: bool = True) -> None:
    """Answer the chosen questions (on the current screen, or all without JavaScript)."""
    for feld in erhebung.fragen("T0"):
        gruppe = page.locator(f'[data-name="{feld.name}"]')
        if nur_sichtbare and not gruppe.is_visible():
            continue
        if feld.name in ANTWORTEN_T0:
            label = dict(zip(feld.werte, feld.labels, strict=True))[ANTWORTEN_T0[feld.name]]
            gruppe.get_by_role("radio", name=ue.uebersetze(sprache, label), exact=True).check()
        elif feld.name == "a_thermometer":
            gruppe.get_by_role("spinbutton", name=ue.uebersetze(sprache, feld.frage)).fill(
                str(THERMOMETER)
            )


#: The participant's code per language, as typed (twice, differently written) and as stored.
CODES = {"de": ("Mä07Be", "mae07be"), "ar": ("KA 12 ha", "ka12ha"), "nojs": ("NO 01 js", "no01js")}


def _ausfuellen(browser: Browser, adresse: str, sprache: str) -> Page:
    """Language, privacy notice (first without consent: stopped), code twice, every block."""

    def t(text: str, **werte: object) -> str:
        return ue.uebersetze(sprache, text, **werte)

    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="de-DE")
    page.set_default_timeout(SEITE_TIMEOUT_MS)
    page.goto(adresse)
    expect(page.get_by_text(ue.T_SPRACHE, exact=True)).to_be_visible()
    assert page.get_by_text("Anmeldung").count() == 0
    page.get_by_role("link", name=ue.SPRACHEN[sprache].name, exact=True).click()
    expect(page.get_by_text(t(ue.T_ZUSTIMMEN))).to_be_visible()
    assert page.evaluate("() => [document.documentElement.lang, document.dir]") == [
        sprache,
        "rtl" if sprache == "ar" else "ltr",
    ]
    gesamt = len(erhebung.bloecke("T0")) + 2
    expect(page.get_by_text(t(ue.T_SCHRITT, nummer=1, gesamt=gesamt))).to_be_visible()
    page.get_by_role("button", name=t(ue.T_WEITER), exact=True).click()  # no consent yet
    expect(page.get_by_text(t(ue.T_PFLICHT))).to_be_visible()
    page.get_by_text(t(ue.T_ZUSTIMMEN)).click()
    page.get_by_role("button", name=t(ue.T_WEITER), exact=True).click()
    getippt, gespeichert = CODES[sprache]
    page.get_by_role("textbox", name=t(ue.T_CODE), exact=True).fill(getippt)
    page.get_by_role("textbox", name=t(ue.T_CODE_WIEDERHOLEN)).fill(gespeichert + "x")
    page.get_by_role("button", name=t(ue.T_WEITER), exact=True).click()
    expect(page.get_by_text(t(ue.T_CODE_UNGLEICH))).to_be_visible()  # the typo is caught
    page.get_by_role("textbox", name=t(ue.T_CODE_WIEDERHOLEN)).fill(gespeichert)
    page.get_by_role("button", name=t(ue.T_WEITER), exact=True).click()
    expect(page.get_by_text(t(ue.T_CODE_GESPEICHERT, code=gespeichert))).to_be_visible()
    for schritt in range(gesamt):
        _antworten(page, sprache)
        if schritt == 0:
            breite = page.evaluate("() => document.documentElement.scrollWidth")
            assert breite <= 390, f"waagerecht scrollbar: {breite} px"
            hoehe = page.get_by_role("radio").first.evaluate(
                "e => e.closest('label').getBoundingClientRect().height"
            )
            assert hoehe >= 44, f"Antwort nur {hoehe} px hoch"
            page.screenshot(path=BILDER / f"fragebogen_{sprache}.png", full_page=True)
        absenden = page.get_by_role("button", name=t(ue.T_ABSENDEN), exact=True)
        if absenden.is_visible():
            absenden.click()
            break
        page.get_by_role("button", name=t(ue.T_WEITER), exact=True).click()
    expect(page.get_by_text(t(ue.T_DANKE))).to_be_visible()
    return page


def _ohne_javascript(browser: Browser, adresse: str) -> None:
    """Without JavaScript every block is on one page; the server checks and stores."""
    kontext = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = kontext.new_page()
    page.set_default_timeout(SEITE_TIMEOUT_MS)
    page.goto(adresse)
    page.get_by_role("link", name="Deutsch", exact=True).click()
    _antworten(page, "de", nur_sichtbare=False)  # every question visible at once
    getippt, gespeichert = CODES["nojs"]
    page.get_by_role("textbox", name=ue.T_CODE, exact=True).fill(getippt)
    page.get_by_role("textbox", name=ue.T_CODE_WIEDERHOLEN).fill(gespeichert)
    page.get_by_role("button", name=ue.T_ABSENDEN, exact=True).click()
    expect(page.locator("#fehler_zustimmung")).to_have_text(ue.T_PFLICHT)  # consent missing
    page.get_by_text(ue.T_ZUSTIMMEN).click()  # everything else is still filled in
    page.get_by_role("button", name=ue.T_ABSENDEN, exact=True).click()
    expect(page.get_by_text(ue.T_DANKE)).to_be_visible()
    kontext.close()


def test_fragebogen_per_link_auf_dem_handy(browser: Browser, tmp_path: Path) -> None:
    pfad = tmp_path / "monitor.duckdb"
    (tmp_path / "standorte.csv").write_text(STANDORTE, encoding="utf-8")
    with verbinden(pfad) as db:
        importiere(db, tmp_path / "standorte.csv")
        lege_an(db, "browser.admin", "admin", "browser-passwort-123")
        koeln = erhebung.link_anlegen(db, "KOELN", "T0", wer="test")
        berlin = erhebung.link_anlegen(db, "BERLIN", "T0", wer="test")
    umgebung = {**os.environ, "MONITOR_DB": str(pfad), SCHNELLE_HASHES_VARIABLE: "1"}
    with test_browser.streamlit_laeuft(tmp_path, umgebung) as url:
        _ausfuellen(browser, f"{url}/?t={koeln}", "de").close()  # a printed QR code's address
        _ausfuellen(browser, f"{url}/fragebogen?t={berlin}", "ar").close()
        _ohne_javascript(browser, f"{url}/fragebogen?t={koeln}")
        falsch = browser.new_page(viewport={"width": 390, "height": 844})
        antwort = falsch.goto(f"{url}/?t=gefaelscht{koeln[:10]}", timeout=SEITE_TIMEOUT_MS)
        assert antwort is not None and antwort.status == 404
        expect(falsch.get_by_text(erhebung.UNGUELTIG)).to_be_visible()
        assert falsch.get_by_role("button").count() == 0
        assert falsch.locator("html").get_attribute("lang") == "de"
        falsch.close()
    with verbinden(pfad) as db:
        zeilen = db.query(
            "SELECT b.code, b.standort, b.welle, b.datum, b.migrationshintergrund, b.geschlecht, "
            "b.c_aktiv, b.a_thermometer, b.a_vertrauen_1, i.dateiname FROM befragungen b "
            "JOIN importe i USING (import_id) ORDER BY b.standort, b.code DESC"
        ).to_dict("records")
    heute = pd.Timestamp(date.today())
    gemeinsam = {
        "welle": "T0",
        "datum": heute,
        "migrationshintergrund": "ja",
        "geschlecht": "maennlich",
        "c_aktiv": True,
        "a_thermometer": THERMOMETER,
        "a_vertrauen_1": None,
    }
    assert zeilen == [
        {
            **gemeinsam,
            "code": "ka12ha",
            "standort": "BERLIN",
            "dateiname": "fragebogen-link_BERLIN_T0_ar.csv",
        },
        {
            **gemeinsam,
            "code": "no01js",
            "standort": "KOELN",
            "dateiname": "fragebogen-link_KOELN_T0_de.csv",
        },
        {
            **gemeinsam,
            "code": "mae07be",
            "standort": "KOELN",
            "dateiname": "fragebogen-link_KOELN_T0_de.csv",
        },
    ]

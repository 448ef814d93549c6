"""Browser test of the questionnaire by link (issue 17): a phone (390 px) answers in German and
in Arabic (right to left); a forged link is refused in German and stores nothing.

The real ``streamlit run dashboard.py`` (started by :func:`test_browser.streamlit_laeuft`) on a
database with two sites, an admin (so the dashboard itself needs a login) and two links made by
the real CLI. The running server holds the DuckDB file, so the rows are read after it stopped.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import test_browser
from playwright.sync_api import Browser, Page, expect
from test_browser import BILDER, SEITE_TIMEOUT_MS, _bildschirmfoto, _warten_bis_fertig

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


def _frage(page: Page, sprache: str, variable: str) -> object:
    feld = next(f for f in erhebung.fragen("T0") if f.name == variable)
    text = ue.uebersetze(sprache, feld.frage)
    testid = "stRadio" if feld.werte else "stNumberInput"
    return page.locator(f'[data-testid="{testid}"]').filter(has_text=text), feld


def _antworten(page: Page, sprache: str) -> None:
    """Answer what is on the current screen of the questions we chose."""
    for variable, code in ANTWORTEN_T0.items():
        gruppe, feld = _frage(page, sprache, variable)
        if gruppe.count():
            label = dict(zip(feld.werte, feld.labels, strict=True))[code]
            gruppe.get_by_text(ue.uebersetze(sprache, label), exact=True).click()
    gruppe, _ = _frage(page, sprache, "a_thermometer")
    if gruppe.count():
        gruppe.locator("input").fill(str(THERMOMETER))


def _klick(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    _warten_bis_fertig(page)


#: The participant's code per language, as typed (twice, differently written) and as stored.
CODES = {"de": ("Mä07Be", "mae07be"), "ar": ("KA 12 ha", "ka12ha")}


def _ausfuellen(browser: Browser, url: str, token: str, sprache: str) -> Page:
    def t(text: str, **werte: object) -> str:
        return ue.uebersetze(sprache, text, **werte)

    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="de-DE")
    page.goto(f"{url}/?t={token}", timeout=SEITE_TIMEOUT_MS)
    page.get_by_text(ue.T_SPRACHE).wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)
    assert page.get_by_text("Anmeldung").count() == 0
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    _klick(page, ue.SPRACHEN[sprache].name)
    page.get_by_text(t(ue.T_ZUSTIMMEN)).click()
    _klick(page, t(ue.T_WEITER))
    getippt, gespeichert = CODES[sprache]
    page.get_by_role("textbox", name=t(ue.T_CODE), exact=True).fill(getippt)
    page.get_by_role("textbox", name=t(ue.T_CODE_WIEDERHOLEN)).fill(gespeichert)
    _klick(page, t(ue.T_WEITER))
    expect(page.get_by_text(t(ue.T_CODE_GESPEICHERT, code=gespeichert))).to_be_visible()
    for schritt in range(20):
        _antworten(page, sprache)
        if schritt == 0:
            breite = page.evaluate("() => document.documentElement.scrollWidth")
            assert breite <= 390, f"waagerecht scrollbar: {breite} px"
            _bildschirmfoto(page, BILDER / f"fragebogen_{sprache}.png")
        if page.get_by_role("button", name=t(ue.T_ABSENDEN), exact=True).count():
            _klick(page, t(ue.T_ABSENDEN))
            break
        _klick(page, t(ue.T_WEITER))
    expect(page.get_by_text(t(ue.T_DANKE))).to_be_visible(timeout=SEITE_TIMEOUT_MS)
    return page


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
        deutsch = _ausfuellen(browser, url, koeln, "de")
        assert (
            deutsch.evaluate(
                "() => getComputedStyle(document.querySelector('[data-testid=stMain]')).direction"
            )
            == "ltr"
        )
        deutsch.close()
        arabisch = _ausfuellen(browser, url, berlin, "ar")
        assert (
            arabisch.evaluate(
                "() => getComputedStyle(document.querySelector('[data-testid=stMain]')).direction"
            )
            == "rtl"
        )
        arabisch.close()
        falsch = browser.new_page(viewport={"width": 390, "height": 844})
        falsch.goto(f"{url}/?t=gefaelscht{koeln[:10]}", timeout=SEITE_TIMEOUT_MS)
        expect(falsch.get_by_text(erhebung.UNGUELTIG)).to_be_visible(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(falsch)
        assert falsch.get_by_role("button").count() == 0
        falsch.close()
    with verbinden(pfad) as db:
        zeilen = db.query(
            "SELECT b.code, b.standort, b.welle, b.datum, b.migrationshintergrund, b.geschlecht, "
            "b.c_aktiv, b.a_thermometer, b.a_vertrauen_1, i.dateiname FROM befragungen b "
            "JOIN importe i USING (import_id) ORDER BY b.standort"
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
            "code": "mae07be",
            "standort": "KOELN",
            "dateiname": "fragebogen-link_KOELN_T0_de.csv",
        },
    ]

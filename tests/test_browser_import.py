"""Browser test of the data pages: upload files in Chromium, import, see the numbers change,
map a survey-tool export in the real mapping table, download the Excel report.

The real ``streamlit run dashboard.py`` (fresh database with demo data, started by the fixtures
of :mod:`test_browser`) driven by Playwright: ``set_input_files`` on the uploader and a real
download, so the parts AppTest cannot reach — the browser upload and the deferred download — are
covered too. The tests run in file order on one server: the import changes the database.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import test_browser
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import BILDER, SEITE_TIMEOUT_MS, _bildschirmfoto, _warten_bis_fertig

sys.path.insert(0, str(Path(__file__).resolve().parent / "monitor" / "umfragen"))
from umfrage_exporte import STANDORTE_CSV, antworten, google_forms_csv, google_koepfe

from monitor.benutzer import SCHNELLE_HASHES_VARIABLE, lege_an
from monitor.db import verbinden
from monitor.demo import lade_demo
from ui.navigation import SEITEN
from ui.zuordnungsseite import BREITE_SPALTE

pytestmark = pytest.mark.browser

# The browser of the smoke test; a server of this module's own (it is module-scoped).
browser = test_browser.browser
#: Real data may only be imported with users in place (issue 7): the demo database gets an
#: admin first, and every page of this module logs in through the real form.
ADMIN = "browser.import"
PASSWORT = "browser-passwort-123"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run dashboard.py`` on demo data with one admin account (login required)."""
    ordner = tmp_path_factory.mktemp("browser_import")
    pfad = ordner / "monitor.duckdb"
    umgebung = {**os.environ, "MONITOR_DB": str(pfad), SCHNELLE_HASHES_VARIABLE: "1"}
    with verbinden(pfad) as db:
        lade_demo(db)
        lege_an(db, ADMIN, "admin", PASSWORT)
    with test_browser.streamlit_laeuft(ordner, umgebung) as url:
        yield url


FEHLERHAFT = (
    b"code;standort;welle;datum;migrationshintergrund;telefon\n"
    b"abcd01;D_BERLIN;T0;2026-03-01;ja;0301234\n"
    b"abcd02;D_NIRGENDS;T0;2026-03-01;nein;\n"
)
STANDORT = (
    b"standort;name;ort;bundesland;start\n"
    b"NEUSTADT;Treffpunkt Neustadt;Neustadt;Sachsen;2026-01-15\n"
)


def _oeffnen(browser: Browser, url: str) -> Page:
    """A new browser page, logged in as the admin through the form, then at ``url``."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="de-DE")
    adresse = urlsplit(url)
    page.goto(f"{adresse.scheme}://{adresse.netloc}", timeout=SEITE_TIMEOUT_MS)
    page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(timeout=SEITE_TIMEOUT_MS)
    page.get_by_label("Benutzername").fill(ADMIN)
    page.get_by_label("Passwort", exact=True).fill(PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(f"Angemeldet: {ADMIN}").wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)
    page.goto(url, timeout=SEITE_TIMEOUT_MS)  # a new session: the login cookie carries over
    _warten_bis_fertig(page)
    return page


def _hochladen(page: Page, name: str, inhalt: bytes, *weitere: tuple[str, bytes]) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [
            {"name": datei, "mimeType": "text/csv", "buffer": daten}
            for datei, daten in ((name, inhalt), *weitere)
        ]
    )
    page.wait_for_timeout(500)
    _warten_bis_fertig(page)


def _ohne_ausnahme(page: Page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.locator("body").inner_text()


def _standorte(page: Page) -> str:
    metrik = page.locator('[data-testid="stMetric"]', has_text="Standorte").first
    return metrik.locator('[data-testid="stMetricValue"]').inner_text()


def test_hochladen_pruefen_importieren(server: str, browser: Browser) -> None:
    page = _oeffnen(browser, server)  # the root first: it registers the navigation
    assert _standorte(page) == "6"
    page.goto(f"{server}/import", timeout=SEITE_TIMEOUT_MS)
    page.locator("h1", has_text="Datenimport").wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)

    _hochladen(page, "befragung.csv", FEHLERHAFT)
    expect(page.get_by_text("1 Fehler in 2 Datenzeilen")).to_be_visible()
    expect(page.get_by_text("'telefon' enthält personenbezogene Daten")).to_be_visible()
    fehler = page.locator('[data-testid="stDataFrame"]').first
    expect(fehler).to_be_visible()
    expect(page.get_by_role("button", name="Importieren")).to_be_disabled()
    _ohne_ausnahme(page)
    _bildschirmfoto(page, BILDER / "datenimport_fehler.png")

    page.get_by_role("button", name=re.compile("Remove|Entfernen|Delete")).first.click()
    _warten_bis_fertig(page)
    _hochladen(page, "standorte.csv", STANDORT)
    expect(page.get_by_text("1 Datenzeile, keine Fehler")).to_be_visible()
    page.get_by_role("button", name="Importieren").click()
    expect(page.get_by_text("1 Zeile importiert – 1 neu")).to_be_visible(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)
    _ohne_ausnahme(page)

    page.get_by_role("link", name="Übersicht").click()
    page.locator("h1", has_text="Übersicht").wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)
    assert _standorte(page) == "7"
    page.close()


def test_umfrage_export_zuordnen_und_importieren(server: str, browser: Browser) -> None:
    """A Google Forms export with a reworded question and a label of its own, uploaded together
    with the sites it names: map the column in the table, choose the answer, save, import."""
    zeilen = antworten()
    export = google_forms_csv(zeilen).decode("utf-8")
    export = export.replace(
        google_koepfe()["a_kontakt_haeufigkeit"], "9. Wie oft hatten Sie Kontakt?", 1
    ).replace(",Männlich,", ",Mann,")
    page = _oeffnen(browser, server)
    page.goto(f"{server}/import", timeout=SEITE_TIMEOUT_MS)
    page.locator("h1", has_text="Datenimport").wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)

    _hochladen(
        page, "google.csv", export.encode("utf-8"), ("standorte.csv", STANDORTE_CSV.encode())
    )
    expect(page.get_by_text("Zuordnung: google.csv")).to_be_visible(timeout=SEITE_TIMEOUT_MS)
    expect(
        page.get_by_text("Noch offen: 1 Spalte ohne Variable; 1 Antwort ohne Code")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Importieren")).to_be_disabled()

    # the open column is the table's first row: double-click its variable cell, pick by typing
    tabelle = page.locator('[data-testid="stDataFrame"]').first
    tabelle.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    rahmen = tabelle.bounding_box()
    assert rahmen is not None
    zellen_editor = page.locator("input[id^='react-select'][id$='-input']")
    for _ in range(3):  # a busy machine may take the first double-click as a single click
        page.mouse.dblclick(rahmen["x"] + BREITE_SPALTE + 100, rahmen["y"] + 35 + 17)
        try:
            zellen_editor.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    page.keyboard.type("a_kontakt_haeufigkeit")
    page.wait_for_timeout(500)  # the option list filters
    page.keyboard.press("Enter")
    page.mouse.click(rahmen["x"] + 10, rahmen["y"] - 30)  # leave the cell: the edit is sent
    _warten_bis_fertig(page)
    expect(page.get_by_text("Noch offen: 1 Antwort ohne Code")).to_be_visible(
        timeout=SEITE_TIMEOUT_MS
    )

    page.get_by_role("combobox", name="geschlecht: „Mann“ (8 Zeilen)").click()
    page.wait_for_timeout(500)
    page.keyboard.type("maennlich")
    page.wait_for_timeout(500)
    page.keyboard.press("Enter")
    _warten_bis_fertig(page)
    expect(page.get_by_text("Alle 44 Spalten eindeutig zugeordnet")).to_be_visible(
        timeout=SEITE_TIMEOUT_MS
    )
    page.get_by_role("button", name="Zuordnung speichern").click()
    expect(page.get_by_text("„PROJEKT_googleforms“ gespeichert")).to_be_visible(
        timeout=SEITE_TIMEOUT_MS
    )
    _warten_bis_fertig(page)
    _ohne_ausnahme(page)
    _bildschirmfoto(page, BILDER / "datenimport_zuordnung.png")

    page.get_by_role("button", name="Importieren").click()
    expect(page.get_by_text(f"{len(zeilen)} Zeilen importiert")).to_be_visible(
        timeout=SEITE_TIMEOUT_MS
    )
    expect(page.get_by_text("(Zuordnungsprofil 'PROJEKT_googleforms')")).to_be_visible()
    _ohne_ausnahme(page)
    page.close()


def test_excel_bericht_herunterladen(server: str, browser: Browser) -> None:
    bericht = next(s for s in SEITEN if s.datei == "pages/bericht.py")
    page = _oeffnen(browser, f"{server}/{bericht.adresse}")  # its URL path, not the file name
    page.locator("h1", has_text="Bericht").wait_for(timeout=SEITE_TIMEOUT_MS)

    with page.expect_download(timeout=SEITE_TIMEOUT_MS) as download:
        page.get_by_role("button", name="Excel-Bericht herunterladen").click()
    datei = download.value
    assert datei.suggested_filename.startswith("wirkungsbericht_")
    assert datei.suggested_filename.endswith(".xlsx")
    mappe = load_workbook(io.BytesIO(open(datei.path(), "rb").read()))  # noqa: SIM115
    assert {"Deckblatt", "Zielerreichung", "Datenqualität"} <= set(mappe.sheetnames)
    _ohne_ausnahme(page)
    page.close()

"""Issue 14, 11: every CLI command works while the dashboard runs (it holds the database only
while a page reads or writes); while a command holds the file, a visitor gets a German page,
not a blank one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import test_browser
from playwright.sync_api import Browser, Page
from test_browser import SEITE_TIMEOUT_MS, WURZEL, _warten_bis_fertig

from monitor.benutzer import SCHNELLE_HASHES_VARIABLE, lege_an
from monitor.db import verbinden
from monitor.demo import lade_demo
from ui import fehler

pytestmark = pytest.mark.browser

browser = test_browser.browser
NAME, PASSWORT = "betrieb.admin", "betrieb-passwort-123"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    ordner = tmp_path_factory.mktemp("betrieb")
    pfad = ordner / "monitor.duckdb"
    with verbinden(pfad) as db:
        lade_demo(db, teilnehmende=60)
        lege_an(db, NAME, "admin", PASSWORT)
        lege_an(db, "ausgesperrt", "evaluation", PASSWORT)
    umgebung = {
        **os.environ,
        "MONITOR_DB": str(pfad),
        SCHNELLE_HASHES_VARIABLE: "1",
        "MONITOR_WARTEN_S_DASHBOARD": "2",
    }
    with test_browser.streamlit_laeuft(ordner, umgebung) as url:
        yield url, pfad


def _cli(pfad: Path, *args: str) -> subprocess.CompletedProcess[str]:
    umgebung = {**os.environ, "MONITOR_DB": str(pfad), SCHNELLE_HASHES_VARIABLE: "1"}
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        cwd=WURZEL,
        env=umgebung,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _anmelden(page: Page, url: str) -> None:
    page.goto(url, timeout=SEITE_TIMEOUT_MS)
    page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(timeout=SEITE_TIMEOUT_MS)
    page.get_by_label("Benutzername").fill(NAME)
    page.get_by_label("Passwort", exact=True).fill(PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(f"Angemeldet: {NAME}").wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)


def test_kommandozeile_waehrend_das_dashboard_laeuft(
    server: tuple[str, Path], browser: Browser, tmp_path: Path
) -> None:
    url, pfad = server
    page = browser.new_page()
    try:
        _anmelden(page, url)  # the dashboard has opened the database
        start = time.monotonic()
        for befehl in (
            ("benutzer", "entsperren", "ausgesperrt"),  # not the logged-in admin: a change
            # of the account would end its session
            ("protokoll", "--pruefen"),
            ("benutzer", "liste"),
        ):
            lauf = _cli(pfad, *befehl)
            assert lauf.returncode == 0, (befehl, lauf.stderr)
        datei = tmp_path / "standorte.csv"
        datei.write_text(
            "standort;name;ort;bundesland;start\nNEUSTADT;Treff Neustadt;Neustadt;Hessen;"
            "2025-01-01\n",
            encoding="utf-8",
        )
        lauf = _cli(pfad, "import", str(datei))
        assert lauf.returncode == 0, lauf.stderr
        dauer = time.monotonic() - start
        assert dauer < 60
        # the dashboard keeps working (a new page run opens the file again)
        page.reload()
        page.get_by_text(f"Angemeldet: {NAME}").wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


def test_deutsche_seite_solange_ein_anderes_programm_schreibt(
    server: tuple[str, Path], browser: Browser
) -> None:
    url, pfad = server
    page = browser.new_page()
    try:
        with duckdb.connect(str(pfad)):  # like a long CLI import holding the file
            page.goto(url, timeout=SEITE_TIMEOUT_MS)
            page.get_by_text(fehler.BELEGT[:60]).wait_for(timeout=SEITE_TIMEOUT_MS)
            text = page.locator("body").inner_text()
        assert "Referenz" in text and str(pfad) not in text and "Traceback" not in text
        page.reload()  # free again: the login form, no error
        page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(
            timeout=SEITE_TIMEOUT_MS
        )
    finally:
        page.close()

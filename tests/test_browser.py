"""Browser smoke test: the real ``streamlit run dashboard.py`` in headless Chromium, every page.

AppTest runs pages without a browser; this test catches what only a browser shows (a page that
fails in the frontend, a broken chart, an exception box). It runs in the normal ``pytest`` run:
a missing Chromium is a failure with the install command, never a silent skip. Screenshots go to
``tests/_screenshots/`` (git-ignored) for a human look.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ui.navigation import SEITEN, Seite

WURZEL = Path(__file__).resolve().parent.parent
BILDER = WURZEL / "tests" / "_screenshots"
# Without the background-networking flags Chromium keeps dialling out, which this kind of
# sandboxed machine refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT_S = 120  # the first start creates the database and loads the demo data
SEITE_TIMEOUT_MS = 90_000

pytestmark = pytest.mark.browser


def _freier_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _warten_auf_server(url: str, prozess: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the health endpoint until the server answers; fail with its log if it died."""
    frist = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < frist:
        if prozess.poll() is not None:
            pytest.fail(f"streamlit ist beim Start beendet worden:\n{log.read_text('utf-8')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as antwort:
                if antwort.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit antwortet nicht nach {START_TIMEOUT_S} s:\n{log.read_text('utf-8')}")


def _beenden(prozess: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started (its own process group)."""
    if prozess.poll() is not None:
        return
    os.killpg(prozess.pid, signal.SIGTERM)
    try:
        prozess.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(prozess.pid, signal.SIGKILL)
        prozess.wait(timeout=15)


@contextmanager
def streamlit_laeuft(
    ordner: Path, umgebung: dict[str, str], skript: str = "dashboard.py"
) -> Iterator[str]:
    """``streamlit run dashboard.py`` on a free port with ``umgebung``; yields its URL.

    Shared with the other browser tests (e.g. a server on real data with logins); the log goes
    to ``ordner/streamlit.log`` and is shown if the server does not come up.
    """
    log = ordner / "streamlit.log"
    port = _freier_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as ausgabe:
        prozess = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                skript,
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=WURZEL,
            env=umgebung,
            stdout=ausgabe,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _warten_auf_server(url, prozess, log)
        yield url
    finally:
        _beenden(prozess)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run dashboard.py`` on a free port with a fresh database (→ demo data)."""
    ordner = tmp_path_factory.mktemp("browser")
    umgebung = {**os.environ, "MONITOR_DB": str(ordner / "monitor.duckdb")}
    with streamlit_laeuft(ordner, umgebung) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "Chromium fehlt für den Browser-Test. Installieren mit: "
            "apt-get install -y chromium chromium-driver"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _warten_bis_fertig(page: Page) -> None:
    """Wait until the script run of the page is finished, then let charts settle."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app !== null
                && app.getAttribute('data-test-script-state') === 'notRunning'
                && document.querySelector('[data-testid="stStatusWidgetRunningIcon"]') === null
                && document.querySelector('[data-testid="stSpinner"]') === null;
        }""",
        timeout=SEITE_TIMEOUT_MS,
    )
    page.wait_for_timeout(1500)


def _bildschirmfoto(page: Page, datei: Path) -> None:
    """Full-page screenshot of the whole content.

    Streamlit scrolls inside its main container, not the document, so the viewport is first
    stretched to the content height (else only the top would be on the picture).
    """
    hoehe = page.evaluate(
        """() => Math.max(document.body.scrollHeight, ...Array.from(
            document.querySelectorAll(
                '[data-testid="stMain"], [data-testid="stMainBlockContainer"]'),
            (el) => el.scrollHeight))"""
    )
    breite = page.viewport_size["width"] if page.viewport_size else 1440
    page.set_viewport_size({"width": breite, "height": min(int(hoehe) + 40, 12_000)})
    page.wait_for_timeout(800)  # charts re-layout to the new size
    datei.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(datei), full_page=True)


#: The demo guest (no login) may use every page except user management (GAST_OHNE).
GAST_SEITEN = [s for s in SEITEN if s.url_path != "verwaltung"]


def test_gast_erreicht_die_benutzerverwaltung_nicht(server: str, browser: Browser) -> None:
    """An anonymous visitor of a fresh server must not be able to create the first admin."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="de-DE")
    try:
        page.goto(f"{server}/verwaltung", timeout=SEITE_TIMEOUT_MS)
        page.locator('[data-testid="stApp"]').wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        text = page.locator("body").inner_text()
        # The German "Kein Zugriff" page (the URL is not registered for the guest) or, on the
        # very first request after a start, Streamlit runs the file itself, which sends the
        # visitor to the start page.
        assert "für Ihre Rolle nicht freigeschaltet" in text or "Übersicht" in text
        assert page.locator("h1", has_text="Benutzer und Protokoll").count() == 0
        assert "Benutzer anlegen" not in text
    finally:
        page.close()


@pytest.mark.parametrize("seite", GAST_SEITEN, ids=[s.url_path for s in GAST_SEITEN])
def test_seite_im_browser(server: str, browser: Browser, seite: Seite) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="de-DE")
    try:
        page.goto(f"{server}/{seite.adresse}", timeout=SEITE_TIMEOUT_MS)
        page.locator("h1", has_text=seite.titel).first.wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        _bildschirmfoto(page, BILDER / f"{seite.url_path}.png")

        assert page.locator('[data-testid="stException"]').count() == 0
        text = page.locator("body").inner_text()
        assert "Traceback" not in text
        assert page.locator("h1", has_text=seite.titel).count() == 1
        assert page.title() == f"{seite.titel} · Wirkungsmonitor"  # each page its own tab title
        assert "Demo-Daten" in text  # a fresh database opens on demo data
    finally:
        page.close()

"""Browser test of ``streamlit run server.py`` (issue 14, 7 and deployment): the login cookie is
set by the server HttpOnly, downloads need a login, security headers, metrics closed."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import test_browser
from playwright.sync_api import Browser
from test_browser import SEITE_TIMEOUT_MS, _warten_bis_fertig

from monitor.benutzer import SCHNELLE_HASHES_VARIABLE, lege_an
from monitor.db import verbinden
from monitor.demo import lade_demo
from ui.webserver import COOKIE

pytestmark = pytest.mark.browser

browser = test_browser.browser
NAME, PASSWORT = "server.admin", "server-passwort-123"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ordner = tmp_path_factory.mktemp("server")
    pfad = ordner / "monitor.duckdb"
    with verbinden(pfad) as db:
        lade_demo(db, teilnehmende=60)
        lege_an(db, NAME, "admin", PASSWORT)
    umgebung = {**os.environ, "MONITOR_DB": str(pfad), SCHNELLE_HASHES_VARIABLE: "1"}
    with test_browser.streamlit_laeuft(ordner, umgebung, "server.py") as url:
        yield url


def _status(url: str, **kopf: str) -> tuple[int, dict[str, str]]:
    anfrage = urllib.request.Request(url, headers=kopf)
    try:
        with urllib.request.urlopen(anfrage, timeout=30) as antwort:
            return antwort.status, dict(antwort.headers)
    except urllib.error.HTTPError as fehler:
        return fehler.code, dict(fehler.headers)


def test_kopfzeilen_metriken_und_downloads_ohne_anmeldung(server: str) -> None:
    status, kopf = _status(server + "/")
    assert status == 200
    assert kopf["content-security-policy"] == "frame-ancestors 'self'"
    assert kopf["x-frame-options"] == "SAMEORIGIN" and kopf["x-content-type-options"] == "nosniff"
    assert _status(server + "/_stcore/metrics")[0] == 404
    assert _status(server + "/media/0123456789abcdef.csv")[0] == 403  # no login cookie
    assert _status(server + "/media/x.csv", Cookie=f"{COOKIE}=erfunden")[0] == 403


def test_anmeldecookie_httponly_vom_server(server: str, browser: Browser) -> None:
    kontext = browser.new_context()
    page = kontext.new_page()
    try:
        page.goto(server, timeout=SEITE_TIMEOUT_MS)
        page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(
            timeout=SEITE_TIMEOUT_MS
        )
        page.get_by_label("Benutzername").fill(NAME)
        page.get_by_label("Passwort", exact=True).fill(PASSWORT)
        page.get_by_role("button", name="Anmelden").click()
        page.get_by_text(f"Angemeldet: {NAME}").wait_for(timeout=SEITE_TIMEOUT_MS)
        _warten_bis_fertig(page)
        page.wait_for_timeout(1000)  # the one-time code's request
        cookies = {c["name"]: c for c in kontext.cookies()}
        assert cookies[COOKIE]["httpOnly"] is True and cookies[COOKIE]["sameSite"] == "Strict"
        assert COOKIE not in page.evaluate("document.cookie")  # page scripts cannot read it
        # the cookie carries the login over a reload, and opens downloads
        page.reload()
        page.get_by_text(f"Angemeldet: {NAME}").wait_for(timeout=SEITE_TIMEOUT_MS)
        mit = _status(
            server + "/media/0123456789abcdef.csv", Cookie=f"{COOKIE}={cookies[COOKIE]['value']}"
        )
        assert mit[0] == 404  # allowed through; Streamlit has no such file
        page.get_by_role("button", name="Abmelden", exact=True).click()
        page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(
            timeout=SEITE_TIMEOUT_MS
        )
        page.wait_for_timeout(1000)
        assert COOKIE not in {c["name"] for c in kontext.cookies()}
    finally:
        kontext.close()

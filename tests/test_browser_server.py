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
ZWEITER = "server.evaluation"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ordner = tmp_path_factory.mktemp("server")
    pfad = ordner / "monitor.duckdb"
    with verbinden(pfad) as db:
        lade_demo(db, teilnehmende=60)
        lege_an(db, NAME, "admin", PASSWORT)
        lege_an(db, ZWEITER, "evaluation", PASSWORT)
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
        # the cookie carries the login over a reload; a file this login did not make stays closed
        page.reload()
        page.get_by_text(f"Angemeldet: {NAME}").wait_for(timeout=SEITE_TIMEOUT_MS)
        mit = _status(
            server + "/media/0123456789abcdef.csv", Cookie=f"{COOKIE}={cookies[COOKIE]['value']}"
        )
        assert mit[0] == 403  # no session of this login holds such a file
        page.get_by_role("button", name="Abmelden", exact=True).click()
        page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(
            timeout=SEITE_TIMEOUT_MS
        )
        page.wait_for_timeout(1000)
        assert COOKIE not in {c["name"] for c in kontext.cookies()}
    finally:
        kontext.close()


def _anmelden(browser: Browser, server: str, name: str) -> tuple[object, object, str]:
    """A new browser context logged in as ``name``; returns context, page and cookie value."""
    kontext = browser.new_context(accept_downloads=True)
    page = kontext.new_page()
    page.goto(server, timeout=SEITE_TIMEOUT_MS)
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort", exact=True).fill(PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(f"Angemeldet: {name}").wait_for(timeout=SEITE_TIMEOUT_MS)
    _warten_bis_fertig(page)
    page.wait_for_timeout(1000)  # the one-time code's request sets the cookie
    cookie = {c["name"]: c["value"] for c in kontext.cookies()}[COOKIE]
    return kontext, page, cookie


def test_download_nur_fuer_die_anmeldung_die_ihn_erzeugt_hat(server: str, browser: Browser) -> None:
    """A report file made on click is served to its own login only: another logged-in user who
    learns the address gets 403, as does a request without login and the owner after logout."""
    kontext, page, eigener = _anmelden(browser, server, NAME)
    fremd_kontext, _, fremder = _anmelden(browser, server, ZWEITER)
    try:
        page.goto(server + "/excel-bericht", timeout=SEITE_TIMEOUT_MS)
        knopf = page.get_by_role("button", name="Indikatoren als CSV (Excel, deutsch)")
        knopf.wait_for(timeout=SEITE_TIMEOUT_MS)
        with page.expect_download(timeout=SEITE_TIMEOUT_MS) as laden:
            knopf.click()
        adresse = laden.value.url
        assert "/media/" in adresse
        assert _status(adresse, Cookie=f"{COOKIE}={eigener}")[0] == 200
        assert _status(adresse, Cookie=f"{COOKIE}={fremder}")[0] == 403
        assert _status(adresse)[0] == 403
        page.get_by_role("button", name="Abmelden", exact=True).click()
        page.locator("h1", has_text="Wirkungsmonitor – Anmeldung").wait_for(
            timeout=SEITE_TIMEOUT_MS
        )
        assert _status(adresse, Cookie=f"{COOKIE}={eigener}")[0] == 403
    finally:
        kontext.close()
        fremd_kontext.close()

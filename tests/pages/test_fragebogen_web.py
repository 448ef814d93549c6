"""The light questionnaire page (issue 17, load): real HTTP requests against a real server.

The route list and middleware that ``dashboard.py`` and ``server.py`` hand to ``st.App`` run in
uvicorn on a free port (in a thread of this process, so the DuckDB file is shared); requests
are plain ``urllib`` form posts as a browser without JavaScript sends them. Sites come from a
CSV import, links from :func:`monitor.erhebung.link_anlegen`; stored rows are compared with the
answers written out by hand.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
import uvicorn
from starlette.applications import Starlette

from monitor import erhebung
from monitor import uebersetzung as ue
from monitor.db import verbinden
from monitor.importieren import importiere
from ui import fragebogen_web

WURZEL = Path(__file__).resolve().parents[2]
STANDORTE = (
    "standort;name;ort;bundesland;start\n"
    "KOELN;Haus <b>&</b> Hof;Köln;Nordrhein-Westfalen;2025-02-01\n"
    "BERLIN;Kiezprojekt;Berlin;Berlin;2025-01-15\n"
)
#: A complete T0 questionnaire as the form posts it (language, consent, code twice, answers).
FORMULAR = {
    "zustimmung": "ja",
    "code": "Mü 07 BE",
    "code2": "mue07be",
    "migrationshintergrund": "nein",
    "geschlecht": "weiblich",
    "a_kontakt_haeufigkeit": "5",
    "a_thermometer": "80",
    "b_kompetenz_4": "2",
    "c_kennt_1": "ja",
    "c_engagiert": "nein",
}


@dataclass
class Antwort:
    status: int
    text: str
    kopf: dict[str, str]


def _anfrage(url: str, formular: dict[str, str] | None = None) -> Antwort:
    daten = None if formular is None else urllib.parse.urlencode(formular).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=daten), timeout=60) as a:
            return Antwort(
                a.status, a.read().decode(), {k.lower(): v for k, v in a.headers.items()}
            )
    except urllib.error.HTTPError as fehler:
        kopf = {k.lower(): v for k, v in fehler.headers.items()}
        return Antwort(fehler.code, fehler.read().decode(), kopf)


@pytest.fixture
def server() -> Iterator[str]:
    """The questionnaire routes in uvicorn on a free port; yields the base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = Starlette(routes=fragebogen_web.ROUTEN, middleware=fragebogen_web.MIDDLEWARE)
    laeuft = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    faden = threading.Thread(target=laeuft.run, daemon=True)
    faden.start()
    ende = time.monotonic() + 30
    while not laeuft.started and time.monotonic() < ende:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    laeuft.should_exit = True
    faden.join(10)


@pytest.fixture
def links(db_datei: Path, tmp_path: Path) -> dict[str, str]:
    """Two sites and a T0 link for each (site → token)."""
    (tmp_path / "standorte.csv").write_text(STANDORTE, encoding="utf-8")
    with verbinden(db_datei) as db:
        importiere(db, tmp_path / "standorte.csv")
        return {s: erhebung.link_anlegen(db, s, "T0", wer="test") for s in ("KOELN", "BERLIN")}


def _gespeichert(db_datei: Path) -> list[dict[str, object]]:
    st.cache_resource.clear()  # the page's cached connection
    with verbinden(db_datei) as db:
        return db.query(
            "SELECT b.code, b.standort, b.welle, b.datum, b.migrationshintergrund, b.geschlecht, "
            "b.a_kontakt_haeufigkeit, b.a_thermometer, b.b_kompetenz_4, b.c_kennt_1, "
            "b.c_engagiert, b.altersgruppe, i.dateiname FROM befragungen b "
            "JOIN importe i USING (import_id) ORDER BY b.code"
        ).to_dict("records")


def _eingang(db_datei: Path) -> int:
    st.cache_resource.clear()
    with verbinden(db_datei) as db:
        return int(db.scalar("SELECT count(*) FROM erhebung_eingang"))


class _Formularfelder(HTMLParser):
    """What a browser would send back: checked radios/checkboxes and text/number values."""

    def __init__(self) -> None:
        super().__init__()
        self.werte: dict[str, str] = {}
        self.html_attribute: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_attribute = a
        if tag != "input" or not a.get("name"):
            return
        if a.get("type") in ("radio", "checkbox") and "checked" not in a:
            return
        self.werte[str(a["name"])] = str(a.get("value") or "")


def _felder(text: str) -> _Formularfelder:
    leser = _Formularfelder()
    leser.feed(text)
    return leser


def _fehler_bei(text: str, name: str) -> str:
    anfang = text.index(f'id="fehler_{name}"')
    return text[text.index(">", anfang) + 1 : text.index("</p>", anfang)]


@pytest.mark.parametrize(("sprache", "standort"), [("de", "KOELN"), ("ar", "BERLIN")])
def test_fragebogen_beantwortet_landet_in_der_datenbank(
    server: str, links: dict[str, str], db_datei: Path, sprache: str, standort: str
) -> None:
    token = links[standort]
    wahl = _anfrage(f"{server}/fragebogen?t={token}")
    assert wahl.status == 200 and ue.T_SPRACHE in wahl.text
    for code in ue.SPRACHEN:  # every language offered as a link on the first screen
        assert f'&amp;s={code}"' in wahl.text
    formular = _anfrage(f"{server}/fragebogen?t={token}&s={sprache}")
    assert formular.status == 200
    html_attribute = _felder(formular.text).html_attribute
    assert html_attribute == {"lang": sprache, "dir": "rtl" if sprache == "ar" else "ltr"}
    assert ue.uebersetze(sprache, ue.T_ZUSTIMMEN) in formular.text
    assert (ue.uebersetze("ar", ue.T_ENTWURF) in formular.text) == (sprache == "ar")
    danke = _anfrage(f"{server}/fragebogen?t={token}", {"s": sprache, **FORMULAR})
    assert danke.status == 200, danke.text
    assert ue.uebersetze(sprache, ue.T_DANKE) in danke.text
    assert _gespeichert(db_datei) == [
        {
            "code": "mue07be",
            "standort": standort,
            "welle": "T0",
            "datum": pd.Timestamp(date.today()),
            "migrationshintergrund": "nein",
            "geschlecht": "weiblich",
            "a_kontakt_haeufigkeit": 5,
            "a_thermometer": 80,
            "b_kompetenz_4": 2,
            "c_kennt_1": True,
            "c_engagiert": False,
            "altersgruppe": None,
            "dateiname": f"fragebogen-link_{standort}_T0_{sprache}.csv",
        }
    ]


def test_alter_link_ohne_pfad_zeigt_dieselbe_seite(server: str, links: dict[str, str]) -> None:
    """QR codes printed before the light page point to ``/?t=TOKEN``: same page, no redirect."""
    alt = _anfrage(f"{server}/?t={links['KOELN']}&s=de")
    neu = _anfrage(f"{server}/fragebogen?t={links['KOELN']}&s=de")
    assert alt.status == neu.status == 200
    assert alt.text == neu.text and ue.T_ZUSTIMMEN in alt.text


def test_gefaelschter_und_zurueckgezogener_link_speichern_nichts(
    server: str, links: dict[str, str], db_datei: Path
) -> None:
    falsch = _anfrage(
        f"{server}/fragebogen?t=gefaelscht{links['KOELN'][:8]}", {"s": "de", **FORMULAR}
    )
    assert falsch.status == 404
    assert erhebung.UNGUELTIG in falsch.text and 'lang="de"' in falsch.text
    assert "<form" not in falsch.text
    ohne = _anfrage(f"{server}/fragebogen")
    assert ohne.status == 404 and erhebung.UNGUELTIG in ohne.text
    st.cache_resource.clear()
    with verbinden(db_datei) as db:
        erhebung.link_widerrufen(db, "KOELN", "T0", wer="test")
    st.cache_resource.clear()
    zurueck = _anfrage(f"{server}/fragebogen?t={links['KOELN']}", {"s": "de", **FORMULAR})
    assert zurueck.status == 410 and erhebung.ABGELAUFEN in zurueck.text
    assert _gespeichert(db_datei) == [] and _eingang(db_datei) == 0


def test_abgelaufener_link_wird_abgewiesen(
    server: str, links: dict[str, str], db_datei: Path
) -> None:
    with verbinden(db_datei) as db:
        token = erhebung.link_anlegen(
            db, "BERLIN", "T1", gueltig_bis=date(2024, 1, 31), heute=date(2024, 1, 1), wer="test"
        )
    antwort = _anfrage(f"{server}/fragebogen?t={token}&s=de")
    assert antwort.status == 410 and erhebung.ABGELAUFEN in antwort.text
    assert "<form" not in antwort.text
    assert _gespeichert(db_datei) == []


def test_texte_werden_html_maskiert(
    server: str,
    links: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Site names, the operator's name and translation files are data, never markup."""
    monkeypatch.setenv("MONITOR_VERANTWORTLICH", 'Verein "<img src=x onerror=alert(1)>"')
    ordner = tmp_path / "uebersetzungen"
    ordner.mkdir()
    (ordner / "en.csv").write_text(
        f'deutsch,text\n"{ue.T_ZUSTIMMEN}","I agree <script>alert(2)</script>"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(ue, "ORDNER", ordner)
    ue._tabelle.cache_clear()
    try:
        seite = _anfrage(f"{server}/fragebogen?t={links['KOELN']}&s=en").text
    finally:
        ue._tabelle.cache_clear()
    assert "Haus &lt;b&gt;&amp;&lt;/b&gt; Hof" in seite
    assert "Verein &quot;&lt;img src=x onerror=alert(1)&gt;&quot;" in seite
    assert "I agree &lt;script&gt;alert(2)&lt;/script&gt;" in seite
    assert "<img" not in seite and "<b>&" not in seite and "alert(2)</script>" not in seite


def test_fehler_stehen_am_feld_und_antworten_bleiben(
    server: str, links: dict[str, str], db_datei: Path
) -> None:
    """In Arabic: required answer missing, number out of range, code typed differently."""
    formular = {
        **FORMULAR,
        "s": "ar",
        "code2": "mue08be",
        "migrationshintergrund": "",
        "a_thermometer": "300",
    }
    antwort = _anfrage(f"{server}/fragebogen?t={links['BERLIN']}", formular)
    assert antwort.status == 422
    assert _fehler_bei(antwort.text, "migrationshintergrund") == ue.uebersetze("ar", ue.T_PFLICHT)
    assert _fehler_bei(antwort.text, "code") == ue.uebersetze("ar", ue.T_CODE_UNGLEICH)
    assert _fehler_bei(antwort.text, "a_thermometer") == ue.uebersetze(
        "ar", ue.T_ZAHL, min=0, max=100
    )
    assert _fehler_bei(antwort.text, "geschlecht") == ""
    felder = _felder(antwort.text)
    assert felder.html_attribute == {"lang": "ar", "dir": "rtl"}
    erwartet = {k: v for k, v in formular.items() if v and k != "migrationshintergrund"}
    assert felder.werte == erwartet  # everything typed is still there (the browser resends it)
    assert _gespeichert(db_datei) == []
    # corrected and sent again: stored
    felder.werte.update(code2="Mü07be", migrationshintergrund="ja", a_thermometer="30")
    danke = _anfrage(f"{server}/fragebogen?t={links['BERLIN']}", felder.werte)
    assert danke.status == 200 and ue.uebersetze("ar", ue.T_DANKE) in danke.text
    zeilen = _gespeichert(db_datei)
    assert [(z["code"], z["migrationshintergrund"], z["a_thermometer"]) for z in zeilen] == [
        ("mue07be", "ja", 30)
    ]


def test_ohne_zustimmung_und_mit_ungueltigem_code_nichts_gespeichert(
    server: str, links: dict[str, str], db_datei: Path
) -> None:
    ohne = {**FORMULAR, "s": "de", "zustimmung": "", "code": "a!", "code2": "a!"}
    antwort = _anfrage(f"{server}/fragebogen?t={links['KOELN']}", ohne)
    assert antwort.status == 422
    assert _fehler_bei(antwort.text, "zustimmung") == ue.T_PFLICHT
    mit = {**ohne, "zustimmung": "ja"}
    antwort = _anfrage(f"{server}/fragebogen?t={links['KOELN']}", mit)
    assert antwort.status == 422
    assert _fehler_bei(antwort.text, "code") == ue.T_CODE_UNGUELTIG
    assert _gespeichert(db_datei) == []


def test_doppelt_abgesendet_wird_einmal_gespeichert(
    server: str, links: dict[str, str], db_datei: Path
) -> None:
    """A double tap (the same form twice, also at the same moment) stores one row and says
    thank you both times; nothing goes to the inbox."""
    ziel = f"{server}/fragebogen?t={links['KOELN']}"
    formular = {"s": "de", **FORMULAR}
    with ThreadPoolExecutor(4) as pool:
        antworten = list(pool.map(lambda _: _anfrage(ziel, formular), range(4)))
    antworten.append(_anfrage(ziel, formular))
    assert [a.status for a in antworten] == [200] * 5
    assert all(ue.T_DANKE in a.text for a in antworten)
    assert [z["code"] for z in _gespeichert(db_datei)] == ["mue07be"]
    assert _eingang(db_datei) == 0


def test_viele_gleichzeitig_nichts_verloren(
    server: str, links: dict[str, str], db_datei: Path
) -> None:
    ziel = f"{server}/fragebogen?t={links['BERLIN']}"

    def senden(nummer: int) -> int:
        code = f"last{nummer:03d}"
        return _anfrage(ziel, {**FORMULAR, "s": "en", "code": code, "code2": code}).status

    with ThreadPoolExecutor(30) as pool:
        assert list(pool.map(senden, range(30))) == [200] * 30
    assert [z["code"] for z in _gespeichert(db_datei)] == [f"last{n:03d}" for n in range(30)]


def test_kopfzeilen_ohne_cookie_und_nicht_zwischenspeichern(
    server: str, links: dict[str, str]
) -> None:
    antwort = _anfrage(f"{server}/fragebogen?t={links['KOELN']}&s=de")
    assert antwort.kopf["cache-control"] == "no-store"
    assert antwort.kopf["x-frame-options"] == "SAMEORIGIN"
    assert antwort.kopf["x-content-type-options"] == "nosniff"
    csp = antwort.kopf["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    assert "unsafe-inline" not in csp
    assert "set-cookie" not in antwort.kopf


def test_dashboard_py_wird_als_web_app_gestartet() -> None:
    """``streamlit run dashboard.py`` must find the ``st.App`` (else no light page)."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    assert discover_asgi_app(WURZEL / "dashboard.py").import_string == "dashboard:app"
    assert discover_asgi_app(WURZEL / "server.py").import_string == "server:app"

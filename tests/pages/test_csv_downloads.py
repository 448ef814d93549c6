"""Issue 14, 4: every CSV download of every page neutralises formula starts.

Hostile text is put where pages take text from: a site's name (import), a reason in the audit
trail, a wrong value in an uploaded file (the Prüfbericht). The admin then opens every page;
every CSV the pages hand to the browser is caught where Streamlit stores it (its media file
storage: the bytes a browser would download) and parsed with the csv module.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hilfen_anmeldung import alle_seiten, als_admin
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from monitor.audit import protokolliere
from monitor.ausgabe import FORMELANFAENGE
from monitor.db import verbinden
from monitor.demo import lade_demo
from monitor.importieren import importiere

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
ANGRIFF = "=cmd|' /C calc'!A0"


@pytest.fixture
def csv_downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, bytes]]:
    """(file name, bytes) of every text/csv payload a page registers for download."""
    gefangen: list[tuple[str | None, bytes]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def merken(self, daten, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        if mimetype == "text/csv" and isinstance(daten, bytes):
            gefangen.append((filename, daten))
        return original(self, daten, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", merken)
    return gefangen


def test_jeder_csv_download_jeder_seite_ohne_formelanfang(
    db_datei: Path, csv_downloads: list[tuple[str | None, bytes]]
) -> None:
    with verbinden(db_datei) as db:
        lade_demo(db, teilnehmende=60)
        importiere(
            db,
            (
                f'standort;name;ort;bundesland;start\nEVIL;"{ANGRIFF}";"+Ort";Berlin;2025-01-01\n'
            ).encode(),
            "standorte.csv",
        )
        protokolliere(db, "system", "export", {"datei": ANGRIFF}, "@SUM(1+1)")
    app = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    als_admin(app, db_datei)
    besucht = 0
    for datei in alle_seiten(app):
        besucht += 1
        if datei.endswith("datenimport.py"):
            kaputt = f'code;standort;welle;datum\nabc1;"{ANGRIFF}";T0;-1\n'.encode()
            app.file_uploader[0].set_value(("kaputt.csv", kaputt, "text/csv")).run()
            assert not app.exception, [e.value for e in app.exception]
    assert besucht >= 10
    namen = {n for n, _ in csv_downloads}
    assert "auditprotokoll.csv" in namen and any(str(n).startswith("pruefbericht") for n in namen)
    gesehen = False
    for name, inhalt in csv_downloads:
        text = inhalt.decode("utf-8-sig")
        trenner = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
        for zeile in csv.reader(io.StringIO(text, newline=""), delimiter=trenner):
            for zelle in zeile:
                assert not zelle.startswith(FORMELANFAENGE), (name, zelle)
                gesehen |= zelle == "'" + ANGRIFF
    assert gesehen  # the hostile text did reach a download, neutralised

"""Issue 14, 8: a link in imported text (a site's name) never becomes a link in a chart."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hilfen_anmeldung import alle_seiten, als_admin
from streamlit.testing.v1 import AppTest

from monitor.db import verbinden
from monitor.demo import lade_demo
from monitor.importieren import importiere
from ui.klartext import ohne_links

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
LINK = '<a href="https://boese.example/">Köln</a>'


def _texte(wert: Any) -> list[str]:
    if isinstance(wert, str):
        return [wert]
    if isinstance(wert, dict):
        return [t for v in wert.values() for t in _texte(v)]
    if isinstance(wert, list):
        return [t for v in wert for t in _texte(v)]
    return []


def test_ohne_links_laesst_eigenes_markup_stehen() -> None:
    assert ohne_links(["<b>x</b><br>y", LINK, "<A HREF='j'>k</A>", "a<b", 3]) == [
        "<b>x</b><br>y",
        '&lt;a href="https://boese.example/">Köln&lt;/a>',
        "&lt;A HREF='j'>k&lt;/A>",
        "a<b",
        3,
    ]


def test_kein_link_aus_standortnamen_in_irgendeinem_diagramm(db_datei: Path) -> None:
    with verbinden(db_datei) as db:
        lade_demo(db, teilnehmende=60)
        # the demo's first site gets a hostile name (the import updates its row)
        erster = db.scalar("SELECT min(standort) FROM standorte")
        zelle = '"' + LINK.replace('"', '""') + '"'
        text = f"standort;name;ort;bundesland;start\n{erster};{zelle};{zelle};Berlin;2025-01-01\n"
        importiere(db, text.encode("utf-8"), "standorte.csv")
        assert db.scalar("SELECT name FROM standorte WHERE standort = ?", [erster]) == LINK
    app = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    als_admin(app, db_datei)
    gezeigt, diagramme = False, 0
    for datei in alle_seiten(app):
        for element in app.get("plotly_chart"):
            diagramme += 1
            for text in _texte(json.loads(element.proto.spec)):
                assert not re.search(r"<a[\s>]", text, re.IGNORECASE), (datei, text)
                gezeigt |= "&lt;a href" in text
    assert diagramme >= 5 and gezeigt  # the name reached a chart, as plain text


MARKDOWN_LINK = "[Klick](https://boese.example) www.boese.example post@boese.example"


def test_kein_link_aus_standortnamen_in_seitentexten(db_datei: Path) -> None:
    """Markdown on the pages (lists, captions, texts) shows a hostile site name as text: no
    ``[x](url)`` link, no bare address or e-mail that Streamlit's Markdown would link."""
    with verbinden(db_datei) as db:
        lade_demo(db, teilnehmende=60)
        erster = db.scalar("SELECT min(standort) FROM standorte")
        zeile = f"{erster};{MARKDOWN_LINK};Köln;Nordrhein-Westfalen;2025-01-01"
        text = f"standort;name;ort;bundesland;start\n{zeile}\n"
        importiere(db, text.encode("utf-8"), "standorte.csv")
    app = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    als_admin(app, db_datei)
    gefunden = 0
    for _ in alle_seiten(app):
        for element in [*app.markdown, *app.caption]:
            if "Klick" not in element.value:
                continue
            gefunden += 1
            assert not re.search(r"\]\s*\(|https?://|www\.|\w@\w", element.value), element.value
            assert element.value.replace("\u2060", "").count(MARKDOWN_LINK) >= 1  # reads the same
    assert gefunden >= 1  # the name reached a page text

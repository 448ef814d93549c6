"""The funder's dashboard offers only selections of the protected lattice (issue 12).

Real data (:mod:`hilfen_echte_daten`), two approved quarters of two sites, a funder logged in
through the form. Expected values come from the engine called with explicit approved cells
and from the approval list — not from the page.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hilfen_anmeldung import TEST_PASSWORT, anmelden, konto
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from monitor import benutzer, freigabe
from monitor.db import verbinden

WURZEL = Path(__file__).resolve().parents[2]
FREIGEGEBEN = (("BERLIN", "2025-Q2"), ("BERLIN", "2025-Q3"), ("LEIPZIG", "2025-Q2"))


@pytest.fixture
def app(echt_db: Path) -> AppTest:
    """The funder logged in on a copy of the real data (``echt_db`` from conftest.py)."""
    pfad = echt_db
    konto(pfad, "leitung", "projektleitung")
    with verbinden(pfad) as db:
        sitzung = benutzer.anmelden(db, "leitung", TEST_PASSWORT)
        assert sitzung is not None
        for standort, quartal in FREIGEGEBEN:
            freigabe.einreichen(db, sitzung, standort, quartal)
            freigabe.freigeben(db, sitzung, standort, quartal)
    konto(pfad, "geldgeber", "foerdergeber")
    app = AppTest.from_file(str(WURZEL / "dashboard.py"), default_timeout=120).run()
    return anmelden(app, "geldgeber")


def test_zeitraum_nur_freigegebene_quartale_und_kein_formatfilter(app: AppTest) -> None:
    zeit = app.sidebar.selectbox(key="f_quartal")
    assert zeit.options == ["ganzer freigegebener Zeitraum", "Q2 2025", "Q3 2025"]
    ort = app.sidebar.selectbox(key="f_standort")
    assert ort.options[0] == "alle Standorte"
    assert not [m for m in app.sidebar.multiselect]  # no multi-site, no format filter
    assert not app.sidebar.select_slider


def test_quartal_und_standort_waehlen_ohne_fehler(app: AppTest) -> None:
    app.sidebar.selectbox(key="f_quartal").set_value("2025-Q3").run()
    assert not app.exception
    app.sidebar.selectbox(key="f_standort").set_value("BERLIN").run()
    assert not app.exception
    assert not app.warning or all("geschützten Ansicht" not in w.value for w in app.warning)


def test_aktualitaet_ohne_importzeiten(app: AppTest) -> None:
    """The funder learns up to which quarter each site is approved — not when it imported."""
    tabellen = [d.value for d in app.dataframe]
    stand = next(t for t in tabellen if "Freigegeben bis" in t.columns)
    assert sorted(stand["Freigegeben bis"]) == ["Q2 2025", "Q3 2025"]
    assert all("Letzter Import" not in t.columns for t in tabellen)


def test_url_mit_mehreren_standorten_wird_nicht_ausgewertet(app: AppTest) -> None:
    """A shared link of an internal role (two sites) does not become a funder's selection."""
    app.query_params["standorte"] = "BERLIN,LEIPZIG"
    app.run()
    assert not app.exception
    assert app.sidebar.selectbox(key="f_standort").value == ""


def test_bericht_nutzt_die_auswahl_der_seitenleiste(app: AppTest) -> None:
    app.sidebar.selectbox(key="f_standort").set_value("BERLIN").run()
    bericht = app.switch_page("pages/bericht.py").run()
    assert not bericht.exception
    assert not bericht.main.multiselect or all(
        m.label != "Standorte" for m in bericht.main.multiselect
    )
    assert not bericht.main.select_slider
    assert any("Auswahl wie in der Seitenleiste" in c.value for c in bericht.caption)


def test_pdf_bericht_der_seite_ist_geschuetzt(
    app: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The page's PDF download (clicked: its deferred file is generated as the browser would
    ask for it) is the funder's protected report of the sidebar's selection."""
    erzeugt: dict[str, Callable[[], bytes]] = {}
    original = MediaFileManager.add_deferred

    def merken(self: MediaFileManager, daten: Callable[[], bytes], *args, **kwargs) -> str:
        name = kwargs.get("file_name") or (args[2] if len(args) > 2 else "")
        erzeugt[str(name)] = daten
        return original(self, daten, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", merken)
    app.sidebar.selectbox(key="f_standort").set_value("BERLIN").run()
    bericht = app.switch_page("pages/bericht.py").run()
    assert not bericht.exception
    assert "PDF-Wirkungsbericht herunterladen" in [k.label for k in bericht.get("download_button")]
    (name,) = [n for n in erzeugt if n.endswith(".pdf")]
    pdf = erzeugt[name]()
    assert pdf.startswith(b"%PDF-")
    (tmp_path / "b.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "b.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "geschützte, zusammengefasste Sicht (geldgeber)" in text
    assert "BERLIN" in text and "LEIPZIG" not in text  # the chosen site only

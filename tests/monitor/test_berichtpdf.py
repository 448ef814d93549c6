"""The PDF Wirkungsbericht: real PDFs, their text read back with ``pdftotext`` (poppler).

One demo project (6 sites, 1 500 persons, every quarter approved) plus the site KLEIN with 3
persons whose name tries typst markup injection, a funder account and the CLI. Expected values
come from SQL on the raw rows (how many persons a site has) and from the protected view the
report must be built from (:func:`monitor.sicht.ergebnis`) — never from the PDF code.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hilfen_zugang import cli

from indikatoren.engine import SEKUNDAER
from indikatoren.filter import Filter
from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.unterdrueckung import GESAMT, Schwellen
from monitor import sicht
from monitor.ausgabe import zahl_de
from monitor.benutzer import kommandozeilensitzung, lege_an, zugriff_fuer
from monitor.berichtpdf import balken_svg, pdf_bytes, typst_text
from monitor.db import Datenbank, verbinden
from monitor.demo import lade_demo
from monitor.freigabe import einreichen, freigeben

HEUTE = date(2026, 11, 27)
SCHWELLEN = Schwellen.aus_umgebung()
#: Everything typst markup or code would act on: a call, strong, math, label, reference,
#: escape, string quote, emphasis, content block, comment, raw, heading and list markers.
BOESER_NAME = '#panic("typst") *fett* $x^2$ <marke> @verweis \\ "zitat" _kursiv_ [x] // ` = - +'
FOERDERER = "geldgeberin"


def text_aus(pdf: bytes, tmp_path: Path, *, layout: bool = True) -> str:
    """The PDF's text as poppler's ``pdftotext`` reads it (independent of typst)."""
    datei = tmp_path / "lesen.pdf"
    datei.write_bytes(pdf)
    optionen = ["-layout"] if layout else []
    return subprocess.run(
        ["pdftotext", *optionen, str(datei), "-"], check=True, capture_output=True, text=True
    ).stdout


def _kleiner_standort(db: Datenbank) -> None:
    """KLEIN: three persons with a T0 questionnaire, its name an injection attempt."""
    with db.transaction() as cur:
        cur.execute(
            "INSERT INTO standorte (standort, name, ort, bundesland, start) VALUES (?, ?, ?, ?, ?)",
            ["KLEIN", BOESER_NAME, "Kassel", "Hessen", date(2025, 1, 6)],
        )
        cur.executemany(
            "INSERT INTO befragungen (code, standort, welle, datum, format, "
            "migrationshintergrund) VALUES (?, ?, ?, ?, ?, ?)",
            [[f"klein{i}", "KLEIN", "T0", date(2025, 5, 5), "digital", "ja"] for i in range(3)],
        )


def _alles_freigeben(db: Datenbank) -> None:
    sitzung = kommandozeilensitzung()
    zellen = db.rows(
        "SELECT DISTINCT standort, strftime(datum, '%Y') || '-Q' || quarter(datum) FROM ("
        "SELECT standort, datum FROM befragungen UNION ALL "
        "SELECT standort, datum FROM aktivitaeten) WHERE datum <= ? ORDER BY 1, 2",
        [HEUTE],
    )
    for standort, quartal in zellen:
        einreichen(db, sitzung, standort, quartal)
        freigeben(db, sitzung, standort, quartal)


@dataclass(frozen=True)
class Projekt:
    pfad: Path
    db: Datenbank


@pytest.fixture(scope="module")
def projekt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Projekt]:
    ordner = tmp_path_factory.mktemp("berichtpdf")
    pfad = ordner / "monitor.duckdb"
    db = verbinden(pfad)
    lade_demo(db, seed=42, standorte=6, teilnehmende=1500)
    _kleiner_standort(db)
    _alles_freigeben(db)
    lege_an(db, FOERDERER, "foerdergeber", "ein-langes-passwort-1")
    yield Projekt(pfad, db)
    db.close()


def _zeile(text: str, indikator: str) -> str:
    """The goal table's row of one indicator (bar labels are indented, table rows are not)."""
    (zeile,) = [z for z in text.splitlines() if z.startswith(f"{indikator} ")]
    return zeile


def _erwartet(zeile: dict, ind_id: str) -> str:
    """The Ist cell as the protected view releases it: number, "< 5"/"< 10" or "•"."""
    ind = REGISTER[ind_id]
    if zeile["unterdrueckt"]:
        if zeile["sperrgrund"] == SEKUNDAER:
            return "•"
        return f"< {SCHWELLEN.min_paare if ind.vorher_nachher else SCHWELLEN.min_personen}"
    return zahl_de(zeile["wert"], ind.dezimalstellen).replace("-", "−")


def _gesamtzeilen(tabelle, standort: str = GESAMT) -> dict[str, dict]:
    t = tabelle[
        (tabelle["standort"] == standort)
        & (tabelle["gruppe"] == GESAMT)
        & (tabelle["periode"] == GESAMT)
    ]
    return {str(z["indikator"]): z for z in t.to_dict("records")}


# -- content ------------------------------------------------------------------------------------
def test_ueberschriften_und_bekannter_wert(projekt: Projekt, tmp_path: Path) -> None:
    pdf = pdf_bytes(projekt.db, heute=HEUTE, projektname="Projekt Nord")
    assert pdf.startswith(b"%PDF-")
    text = text_aus(pdf, tmp_path)
    for ueberschrift in (
        "Wirkungsbericht",
        "Stand der Wirkungsziele",
        "Wirkungsziel a) Kontakte",
        "Wirkungsziel b) Kompetenzen",
        "Wirkungsziel c) Partizipation",
        "Standortvergleich",
        "Methodik in Kürze",
        "Bewertet am",
    ):
        assert ueberschrift in text, ueberschrift
    # A1 = distinct persons with a T0 questionnaire, counted here in SQL on the raw rows
    # (participants only: comparison-group respondents are no reach of the project)
    personen = projekt.db.scalar(
        "SELECT count(DISTINCT standort || '/' || code) FROM befragungen "
        "WHERE welle = 'T0' AND vergleichsgruppe IS NOT TRUE"
    )
    assert personen == 1466
    assert " 1.466 " in _zeile(text, "A1") + " "
    # status always with its symbol, and every site of the view in the comparison
    assert "✓ erreicht" in text or "↗ auf Kurs" in text
    assert not re.search(r"(?<![✓↗!✕○] )\bkritisch · \d", text)
    for standort in ("D_BERLIN", "D_ROSTOCK", "KLEIN"):
        assert standort in text
    assert re.search(r"Seite 1 von \d+", text)
    assert re.search(r"Datenstand\s+letzter Import \d\d\.\d\d\.\d{4}", text)  # demo import


def test_pdf_ist_barrierefrei_und_archivfaehig(projekt: Projekt, tmp_path: Path) -> None:
    """Tagged PDF/UA-1 and PDF/A-2a with title and language (typst checks alt texts etc.)."""
    pdf = pdf_bytes(projekt.db, heute=HEUTE, projektname="Projekt Nord")
    assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf
    assert b"<pdfaid:part>2</pdfaid:part>" in pdf and b"<pdfaid:conformance>A<" in pdf
    (tmp_path / "b.pdf").write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "b.pdf")], check=False, capture_output=True, text=True
    ).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(r"Title:\s+Projekt Nord – Wirkungsbericht", info)


def test_injektion_bleibt_text(projekt: Projekt, tmp_path: Path) -> None:
    """KLEIN's name is printed verbatim (typst would fail on ``#panic`` if it were code)."""
    pdf = pdf_bytes(projekt.db, Filter(standorte=("KLEIN",)), heute=HEUTE)
    flach = re.sub(r"\s+", "", text_aus(pdf, tmp_path, layout=False))
    assert re.sub(r"\s+", "", BOESER_NAME) in flach


@pytest.mark.parametrize(
    "text",
    [BOESER_NAME, 'a\\"b', "Zeile 1\nZeile 2", "ende mit \\", "Tab\there", "#{1+1}", "x\x07y"],
)
def test_typst_text_zeigt_jeden_text_woertlich(text: str, tmp_path: Path) -> None:
    import typst

    pdf = typst.compile(f"#{typst_text(text)}".encode(), ignore_system_fonts=True)
    gelesen = re.sub(r"\s+", "", text_aus(pdf, tmp_path, layout=False))
    assert gelesen == re.sub(r"\s+", "", text.replace("\x07", ""))


def test_diagramm_ist_svg_mit_symbol_und_maskiertem_text() -> None:
    svg = balken_svg([("<b>&", 50.0, "kritisch", "✕ kritisch · 50 %")])
    assert svg.startswith("<svg") and "&lt;b&gt;&amp;" in svg and "<b>" not in svg
    assert "#B2182B" in svg and "✕" in svg


# -- protection ---------------------------------------------------------------------------------
@pytest.mark.parametrize("rolle", [None, "foerdergeber"])
def test_kleiner_standort_zeigt_keine_rohzahl(
    projekt: Projekt, tmp_path: Path, rolle: str | None
) -> None:
    """KLEIN has 3 persons (SQL): A1 reads "< 5" and the 3 appears nowhere in its row."""
    roh = projekt.db.scalar(
        "SELECT count(DISTINCT code) FROM befragungen WHERE standort = 'KLEIN' AND welle = 'T0'"
    )
    assert roh == 3
    zugriff = None if rolle is None else zugriff_fuer(rolle)
    pdf = pdf_bytes(projekt.db, Filter(standorte=("KLEIN",)), heute=HEUTE, zugriff=zugriff)
    text = text_aus(pdf, tmp_path)
    zeile = _zeile(text, "A1")
    assert "< 5" in zeile
    assert str(roh) not in re.findall(r"\d[\d.,]*", zeile.replace("< 5", "")), zeile
    for ind in INDIKATOREN:  # no value of the site's own person-based indicators at all
        if ind.id.startswith("A") and ind.einheit in ("Personen", "%"):
            assert re.search(r"(< \d+|•|–)", _zeile(text, ind.id)), ind.id


def test_foerdergeber_bericht_wie_geschuetzte_sicht(projekt: Projekt, tmp_path: Path) -> None:
    """Every Ist cell of the funder's PDF is the protected view's value or mark, and the
    cover says which view it is."""
    zugriff = zugriff_fuer("foerdergeber")
    pdf = pdf_bytes(projekt.db, heute=HEUTE, zugriff=zugriff, als=FOERDERER)
    text = text_aus(pdf, tmp_path)
    assert f"geschützte, zusammengefasste Sicht ({FOERDERER})" in text
    assert "in dieser geschützten Fassung nicht ausgewiesen" in text  # no import times
    geschuetzt = _gesamtzeilen(sicht.ergebnis(projekt.db, zugriff, Filter()).indikatoren)
    for ind in INDIKATOREN:
        assert f" {_erwartet(geschuetzt[ind.id], ind.id)} " in _zeile(text, ind.id) + " "


def test_sekundaer_verborgene_zelle_zeigt_punkt(projekt: Projekt, tmp_path: Path) -> None:
    """With KLEIN's 3 persons released in no view, the lattice hides a second site's A1
    (else total minus the others gives 3): the funder's PDF of that site shows "•"."""
    zugriff = zugriff_fuer("foerdergeber")
    alle = sicht.ergebnis(projekt.db, zugriff, Filter()).indikatoren
    versteckt = alle[
        (alle["sperrgrund"] == SEKUNDAER)
        & (alle["gruppe"] == GESAMT)
        & (alle["periode"] == GESAMT)
        & (alle["standort"] != GESAMT)
    ]
    assert len(versteckt), "the lattice must hide a second cell beside KLEIN's"
    standort, ind_id = str(versteckt["standort"].iloc[0]), str(versteckt["indikator"].iloc[0])
    pdf = pdf_bytes(projekt.db, Filter(standorte=(standort,)), heute=HEUTE, zugriff=zugriff)
    zeile = _zeile(text_aus(pdf, tmp_path), ind_id)
    assert "•" in zeile and "< 5" not in zeile, zeile


# -- command line -------------------------------------------------------------------------------
def test_cli_schreibt_pdf_und_exit_status(
    projekt: Projekt,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ziel = tmp_path / "bericht.pdf"

    def aufruf(*argumente: str | Path) -> tuple[int, str, str]:
        return cli(*argumente, db=projekt.pfad, monkeypatch=monkeypatch, capsys=capsys)

    status, aus, _ = aufruf("bericht-pdf", ziel, "--als", FOERDERER, "--standort", "klein")
    assert status == 0 and "PDF-Wirkungsbericht geschrieben" in aus
    text = text_aus(ziel.read_bytes(), tmp_path)
    assert "< 5" in _zeile(text, "A1") and FOERDERER in text
    eintrag = projekt.db.rows(
        "SELECT details FROM auditprotokoll WHERE was = 'export' ORDER BY id DESC LIMIT 1"
    )
    assert '"pdf"' in str(eintrag[0][0])

    status, _, fehler = aufruf("bericht-pdf", tmp_path / "bericht.xlsx")
    assert status == 1 and "muss auf .pdf enden" in fehler
    status, _, fehler = aufruf("bericht-pdf", ziel, "--standort", "NIRGENDS")
    assert status == 1 and "Unbekannte Standorte: NIRGENDS" in fehler
    status, _, fehler = aufruf("bericht-pdf", tmp_path / "fehlt" / "x.pdf")
    assert status == 1 and "kann nicht nach" in fehler
    status, _, fehler = aufruf("bericht-pdf", ziel, "--als", "niemand")
    assert status == 2 and "Einen Benutzer 'niemand' gibt es nicht" in fehler
    # two sites are no selection of the funder's lattice: refused like the Excel export
    status, _, fehler = aufruf(
        "bericht-pdf", ziel, "--als", FOERDERER, "--standort", "D_BERLIN", "D_ERFURT"
    )
    assert status == 2 and "nicht möglich" in fehler
    status, _, _ = aufruf("bericht-pdf")
    assert status == 2  # argparse: file missing


def test_standortrolle_sieht_nur_den_eigenen_standort(projekt: Projekt, tmp_path: Path) -> None:
    """A site coordinator's PDF compares only its own site and judges against its targets."""
    zugriff = zugriff_fuer("standort", "D_BERLIN")
    pdf = pdf_bytes(projekt.db, Filter(standorte=("D_BERLIN",)), heute=HEUTE, zugriff=zugriff)
    text = text_aus(pdf, tmp_path)
    assert "projektinterne Sicht, Standorte D_BERLIN" in text
    assert "Stand der Wirkungsziele (Standort Zusammenhalt digital Berlin)" in text
    for fremd in ("D_ROSTOCK", "KLEIN", "D_ERFURT"):
        assert fremd not in text
    eigen = _gesamtzeilen(
        sicht.ergebnis(projekt.db, zugriff, Filter(standorte=("D_BERLIN",))).indikatoren,
        "D_BERLIN",
    )
    assert f" {_erwartet(eigen['A1'], 'A1')} " in _zeile(text, "A1") + " "

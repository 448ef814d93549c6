"""Hostile input: upload limit, XML bombs and external entities in XLSX, zip bombs (also with
lying headers), and filter values that look like SQL."""

from __future__ import annotations

import csv
import io
import struct
import time
import tomllib
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from defusedxml import EntitiesForbidden
from hilfen_zugang import STANDORTE_CSV, cli, grunddaten, inhalt, schreibe
from openpyxl import Workbook

from indikatoren import datenqualitaet
from indikatoren.engine import berechne
from indikatoren.filter import Filter
from monitor import benutzer as b
from monitor.audit import protokoll
from monitor.db import Datenbank
from monitor.einlesen import MAX_ENTPACKT, EinleseFehler, lies_bytes
from monitor.freigabe import freigabestand, freigegebene_quartale
from monitor.importieren import ImportAbgelehnt, importiere

REPO = Path(__file__).resolve().parents[2]
BOESE = (
    "X'); DROP TABLE befragungen; --",
    "KOELN' OR '1'='1",
    'KOELN" OR 1=1 --',
    "%",
    "*",
)


def _xlsx(blatt: str | None = None) -> dict[str, bytes]:
    """The parts of a real one-sheet workbook (site table), optionally with another sheet XML."""
    mappe = Workbook()
    tabelle = mappe.active
    tabelle.title = "Daten"
    for zeile in STANDORTE_CSV.splitlines():
        tabelle.append(zeile.split(";"))
    puffer = io.BytesIO()
    mappe.save(puffer)
    with zipfile.ZipFile(puffer) as archiv:
        teile = {name: archiv.read(name) for name in archiv.namelist()}
    if blatt is not None:
        teile["xl/worksheets/sheet1.xml"] = blatt.encode("utf-8")
    return teile


def _zip(teile: dict[str, bytes], *, deklariert: dict[str, int] | None = None) -> bytes:
    """Write a zip by hand, so a part can declare a different size than it inflates to."""
    deklariert = deklariert or {}
    lokal, zentral = io.BytesIO(), io.BytesIO()
    for name, roh in teile.items():
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        gepackt = packer.compress(roh) + packer.flush()
        crc = zlib.crc32(roh)
        groesse = deklariert.get(name, len(roh))
        versatz = lokal.tell()
        kopf = (20, 0, 8, 0, 0x21, crc, len(gepackt), groesse, len(name.encode()))
        lokal.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *kopf, 0) + name.encode() + gepackt)
        zentral.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *kopf, 0, 0, 0, 0, 0, versatz)
            + name.encode()
        )
    verzeichnis = zentral.getvalue()
    ende = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(teile), len(teile), len(verzeichnis), lokal.tell(), 0
    )
    return lokal.getvalue() + verzeichnis + ende


def _mit_doctype(doctype: str, ersatz: str) -> bytes:
    """A workbook whose sheet declares ``doctype`` and uses an entity in a cell."""
    blatt = _xlsx()["xl/worksheets/sheet1.xml"].decode("utf-8")
    blatt = blatt.replace("<t>Kiezprojekt</t>", f"<t>{ersatz}</t>")
    return _zip(_xlsx(f'<?xml version="1.0"?>{doctype}{blatt}'))


@pytest.fixture(scope="module")
def bombe() -> bytes:
    """A sheet that inflates to more than the limit (about 1/1000 of that compressed)."""
    return b"<" + b" " * (MAX_ENTPACKT + 1024 * 1024)


def test_upload_grenze_in_der_streamlit_konfiguration() -> None:
    konfiguration = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text("utf-8"))
    server = konfiguration["server"]
    assert 0 < server["maxUploadSize"] <= 50
    assert server.get("enableXsrfProtection", True) is True


def test_gueltige_xlsx_wird_weiter_gelesen() -> None:
    tabelle = lies_bytes(_zip(_xlsx()), "standorte.xlsx")
    assert list(tabelle["standort"]) == ["KOELN", "BERLIN"]


def test_billion_laughs_wird_abgelehnt(db: Datenbank) -> None:
    lachen = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    datei = _mit_doctype(f"<!DOCTYPE worksheet [{lachen}]>", "&lol9;")
    vorher = inhalt(db)
    beginn = time.perf_counter()
    with pytest.raises(EinleseFehler, match="Dokumenttypdefinition") as fehler:
        importiere(db, datei, "bombe.xlsx")
    assert time.perf_counter() - beginn < 5
    assert "Billion Laughs" in str(fehler.value) and "bombe.xlsx" in str(fehler.value)
    assert inhalt(db) == vorher
    # the second XML reader of the project (openpyxl, for templates and reports) is defused too
    assert openpyxl.xml.DEFUSEDXML is True
    with pytest.raises(ValueError) as openpyxl_fehler:
        openpyxl.load_workbook(io.BytesIO(datei))
    ursache = openpyxl_fehler.value.__cause__ or openpyxl_fehler.value.__context__
    assert isinstance(ursache, EntitiesForbidden)  # refused by defusedxml, not expanded


def test_externe_entitaet_wird_abgelehnt(tmp_path: Path) -> None:
    geheim = tmp_path / "geheim.txt"
    geheim.write_text("streng vertraulich", encoding="utf-8")
    datei = _mit_doctype(f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{geheim}">]>', "&xxe;")
    with pytest.raises(EinleseFehler, match="Dokumenttypdefinition") as fehler:
        lies_bytes(datei, "xxe.xlsx")
    assert "vertraulich" not in str(fehler.value)


def test_zip_bombe_mit_ehrlicher_groessenangabe(bombe: bytes) -> None:
    datei = _zip(_xlsx(bombe.decode("ascii")))
    assert len(datei) < len(bombe) // 500  # tiny on disk, huge inflated
    beginn = time.perf_counter()
    with pytest.raises(EinleseFehler, match=r"wäre entpackt \d+ MB groß"):
        lies_bytes(datei, "bombe.xlsx")
    assert time.perf_counter() - beginn < 2  # refused from the header, nothing inflated


def test_zip_bombe_mit_falscher_groessenangabe(bombe: bytes) -> None:
    """The header claims 2 KB; a parser that trusts the stream would inflate 200 MB."""
    datei = _zip(_xlsx(bombe.decode("ascii")), deklariert={"xl/worksheets/sheet1.xml": 2048})
    with zipfile.ZipFile(io.BytesIO(datei)) as archiv:
        assert sum(i.file_size for i in archiv.infolist()) < MAX_ENTPACKT
    beginn = time.perf_counter()
    with pytest.raises(EinleseFehler, match="manipuliert"):
        lies_bytes(datei, "luege.xlsx")
    assert time.perf_counter() - beginn < 2


# -- SQL-ish values -----------------------------------------------------------------------------
def test_boese_filterwerte_erreichen_sql_nur_gebunden(db: Datenbank, tmp_path: Path) -> None:
    grunddaten(db, tmp_path)
    vorher = inhalt(db)
    for wert in BOESE:
        filter_ = Filter(standorte=(wert,), formate=(wert,))
        ergebnis = berechne(db, filter_)
        assert set(ergebnis.indikatoren["standort"]) == {"gesamt"}  # nothing leaks
        assert ergebnis.indikatoren[["zaehler"]].fillna(0).eq(0).all().all()
        qualitaet = datenqualitaet.pruefen(db, filter_)
        assert set(qualitaet.meldestand["standort"]) == set()
        assert qualitaet.ausreisser.empty
        eng = b.beschraenke_filter(Filter(standorte=(wert,)), b.zugriff_fuer("standort", "KOELN"))
        assert eng.standorte == (b.KEIN_STANDORT,)
        assert freigegebene_quartale(db, [wert]) == frozenset()
        assert freigabestand(db, [wert]).empty
        assert protokoll(db, wer=wert, suche=wert).empty
        assert b.anmelden(db, wert, wert) is None
    assert inhalt(db) == vorher
    assert db.scalar("SELECT count(*) FROM befragungen") == 40


def test_boese_standort_ids_in_datei_und_kommandozeile(
    db: Datenbank,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    grunddaten(db, tmp_path)
    vorher = inhalt(db)
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=";")
    schreiber.writerow(["code", "standort", "welle", "datum"])
    schreiber.writerows([f"abcd{i}", wert, "T0", "2025-01-02"] for i, wert in enumerate(BOESE))
    datei = schreibe(tmp_path / "boese.csv", puffer.getvalue())
    with pytest.raises(ImportAbgelehnt) as fehler:
        importiere(db, datei)
    assert fehler.value.pruefergebnis.fehler_gesamt >= len(BOESE)
    pfad = db.pfad
    db.close()
    for wert in BOESE[:3]:
        for befehl in ("indikatoren", "vorher-nachher"):
            status, aus, err = cli(
                befehl, "--standort", wert, db=pfad, monkeypatch=monkeypatch, capsys=capsys
            )
            assert status == 1 and "Unbekannte Standorte" in err and aus == ""
        status, aus, _ = cli(
            "freigabe", "liste", "--standort", wert, db=pfad, monkeypatch=monkeypatch, capsys=capsys
        )
        assert status == 0 and "KOELN" not in aus
    with Datenbank(pfad, read_only=True) as wieder:
        assert inhalt(wieder) == vorher

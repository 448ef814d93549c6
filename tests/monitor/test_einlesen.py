"""Reading CSV/XLSX into a DataFrame of strings, and German errors for unreadable files."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from monitor.einlesen import MAX_ENTPACKT, EinleseFehler, lade_bytes, lies_bytes, lies_tabelle

TITEL = "Begegnung „Straßenfest“ – €"


def test_utf8_komma(schreibe) -> None:
    tabelle = lies_tabelle(schreibe("a.csv", "Code , STANDORT\nabcd1, KOELN \n"))
    assert list(tabelle.columns) == ["code", "standort"]
    assert tabelle.loc[2].tolist() == ["abcd1", "KOELN"]


def test_utf8_bom_semikolon_und_leere_zellen(schreibe) -> None:
    pfad = schreibe("a.csv", "\ufeffcode;welle;datum\nabcd1;T0;\n", encoding="utf-8")
    tabelle = lies_tabelle(pfad)
    assert list(tabelle.columns) == ["code", "welle", "datum"]  # BOM not part of the name
    assert tabelle.loc[2, "welle"] == "T0"
    assert pd.isna(tabelle.loc[2, "datum"])


def test_cp1252_mit_umlauten_und_sonderzeichen(schreibe) -> None:
    text = f"aktivitaet_id;standort;titel;ort\nx1;KOELN;{TITEL};Köln\n"
    pfad = schreibe("a.csv", text, encoding="cp1252")
    assert "€".encode("cp1252") in pfad.read_bytes()  # really Windows-1252, not UTF-8
    tabelle = lies_tabelle(pfad)
    assert tabelle.loc[2, "titel"] == TITEL
    assert tabelle.loc[2, "ort"] == "Köln"


def test_zeilennummern_wie_in_der_datei_trotz_leerzeilen(schreibe) -> None:
    text = 'code;titel\nabcd1;"a;b"\n\n;\nabcd2;"zwei\nZeilen"\nabcd3;x\n'
    tabelle = lies_tabelle(schreibe("a.csv", text))
    assert tabelle.index.name == "zeile"
    assert tabelle.index.tolist() == [2, 5, 6]
    assert tabelle.loc[2, "titel"] == "a;b"
    assert tabelle.loc[5, "titel"] == "zwei\nZeilen"


def test_trennzeichen_in_anfuehrungszeichen_zaehlt_nicht(schreibe) -> None:
    tabelle = lies_tabelle(schreibe("a.csv", '"a,b";c;d\n1;2;3\n'))
    assert list(tabelle.columns) == ["a,b", "c", "d"]


def _xlsx(pfad: Path, zeilen: list[list[object]], blatt: str = "Tabelle1") -> Path:
    mappe = openpyxl.Workbook()
    ws = mappe.active
    ws.title = blatt
    for zeile in zeilen:
        ws.append(zeile)
    mappe.save(pfad)
    return pfad


def test_xlsx_datum_ganzzahl_dezimal_wahrheitswert(tmp_path: Path) -> None:
    pfad = _xlsx(
        tmp_path / "a.xlsx",
        [
            ["Code", "Datum", "Zufriedenheit", "Lat", "B_Oeffentlich", "Titel"],
            ["abcd1", dt.date(2025, 3, 1), 3.0, 50.5, True, "Straßenfest"],
            ["abcd2", dt.datetime(2025, 3, 2, 0, 0), 4, None, False, None],
        ],
    )
    tabelle = lies_tabelle(pfad)
    assert tabelle.loc[2].tolist() == ["abcd1", "2025-03-01", "3", "50.5", "ja", "Straßenfest"]
    assert tabelle.loc[3, "datum"] == "2025-03-02"
    assert tabelle.loc[3, "zufriedenheit"] == "4"
    assert tabelle.loc[3, "b_oeffentlich"] == "nein"
    assert pd.isna(tabelle.loc[3, "lat"])


def test_xlsx_blatt_daten_und_zeilennummer_bei_leerer_erster_zeile(tmp_path: Path) -> None:
    pfad = tmp_path / "a.xlsx"
    mappe = openpyxl.Workbook()
    mappe.active.title = "Anleitung"
    mappe.active.append(["bitte lesen"])
    daten = mappe.create_sheet("Daten")
    daten.append([None])
    daten.append(["code", "welle"])
    daten.append(["abcd1", "T1"])
    mappe.save(pfad)
    tabelle = lies_tabelle(pfad)
    assert list(tabelle.columns) == ["code", "welle"]
    assert tabelle.index.tolist() == [3]  # header in Excel row 2, data in row 3


def test_bytes_mit_dateiname(tmp_path: Path) -> None:
    inhalt = _xlsx(tmp_path / "a.xlsx", [["code"], ["abcd1"]]).read_bytes()
    assert lies_bytes(inhalt, "upload.xlsx").loc[2, "code"] == "abcd1"
    assert lade_bytes(b"x", "u.csv") == (b"x", "u.csv")


@pytest.mark.parametrize(
    ("inhalt", "meldung"),
    [
        (b"", "ist leer"),
        (b"  \r\n\r\n", "ist leer"),
        (b"code;welle\n", "nur eine Kopfzeile"),
        (b";;\n;;\n", "keine Tabelle"),
        (b"\x00\x01\x02binary\x00", "keine Text-Tabelle"),
        (random.Random(7).randbytes(4000), "keine"),
        (b"code;welle\nabcd1;T0;zu;viel\n", "Zeile 2 hat 4 Felder"),
        (b"Code;code \n1;2\n", "mehrfach"),
    ],
)
def test_unlesbare_dateien_deutsche_fehler(schreibe, inhalt: bytes, meldung: str) -> None:
    with pytest.raises(EinleseFehler, match=meldung) as fehler:
        lies_tabelle(schreibe("kaputt.csv", inhalt))
    assert "kaputt.csv" in str(fehler.value)


def test_fehlende_datei_und_ordner(tmp_path: Path) -> None:
    with pytest.raises(EinleseFehler, match="nicht gefunden"):
        lies_tabelle(tmp_path / "gibt_es_nicht.csv")
    with pytest.raises(EinleseFehler, match="Ordner"):
        lies_tabelle(tmp_path)


def test_xlsx_endung_aber_kein_excel(schreibe) -> None:
    with pytest.raises(EinleseFehler, match="keine gültige Excel-Datei"):
        lies_tabelle(schreibe("a.xlsx", "code;welle\nabcd1;T0\n"))
    with pytest.raises(EinleseFehler, match="Excel"):
        lies_tabelle(schreibe("b.xlsx", b"PK\x03\x04" + b"\x00" * 100))


def test_zip_bombe_wird_vor_dem_entpacken_abgelehnt(tmp_path: Path) -> None:
    pfad = tmp_path / "bombe.xlsx"
    with (
        zipfile.ZipFile(pfad, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archiv,
        archiv.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as mitglied,
    ):
        block = b"\0" * (1 << 20)
        for _ in range(MAX_ENTPACKT // len(block) + 2):
            mitglied.write(block)
    assert pfad.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(EinleseFehler, match=r"entpackt .* MB groß"):
        lies_tabelle(pfad)

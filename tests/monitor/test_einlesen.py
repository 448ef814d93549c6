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


@pytest.mark.parametrize("kodierung", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-8"])
def test_jede_kodierung_mit_bom_und_tabulator(schreibe, kodierung: str) -> None:
    """Excel's "Unicode-Text" and SoSci's download are UTF-16 with BOM and tab-separated."""
    text = "\ufeffcode\tort\ttitel\nabcd1\tKöln\t" + TITEL + "\n"
    pfad = schreibe("a.txt", text.encode(kodierung))
    tabelle = lies_tabelle(pfad)
    assert list(tabelle.columns) == ["code", "ort", "titel"]
    assert tabelle.loc[2].tolist() == ["abcd1", "Köln", TITEL]


def test_utf16_ohne_passende_zeichen_nennt_die_zeile(schreibe) -> None:
    kaputt = "\ufeffcode;ort\nabcd1;Köln\n".encode("utf-16-le") + b"\x00\xd8x\x00\n\x00"
    with pytest.raises(EinleseFehler, match=r"als UTF-16 gekennzeichnet.*Zeile 3"):
        lies_tabelle(schreibe("a.csv", kaputt))


def test_gemischte_kodierung_wird_erkannt_statt_verfaelscht(schreibe) -> None:
    """Rows appended by a Windows program to a UTF-8 file: no silent mojibake."""
    utf8 = "code;ort\nabcd1;Köln\nabcd2;Düsseldorf\n".encode()
    cp1252 = "abcd3;Görlitz\n".encode("cp1252")
    with pytest.raises(EinleseFehler) as fehler:
        lies_tabelle(schreibe("a.csv", utf8 + cp1252))
    assert "mischt zwei Zeichenkodierungen – UTF-8 (Zeilen 2, 3) und Windows-1252 (Zeilen 4)" in (
        str(fehler.value)
    )
    # plain Windows-1252 (no UTF-8 umlaut anywhere) is still read
    assert lies_tabelle(schreibe("b.csv", "code;ort\nx;Görlitz\n".encode("cp1252"))).loc[2, "ort"]


def test_zu_viele_spalten_eine_meldung(schreibe) -> None:
    kopf = ";".join(f"frage_{i}" for i in range(600))
    with pytest.raises(EinleseFehler) as fehler:
        lies_tabelle(schreibe("breit.csv", f"{kopf}\n{';' * 599}x\n"))
    assert str(fehler.value).count("\n") == 0
    assert "600 Spalten, höchstens 500" in str(fehler.value)


def test_xlsx_zeitpunkt_behaelt_die_uhrzeit(tmp_path: Path) -> None:
    mappe = openpyxl.Workbook()
    blatt = mappe.active
    blatt.append(["code", "datum", "fertig"])
    blatt.append(["abcd1", dt.datetime(2025, 3, 2), dt.datetime(2025, 3, 2, 10, 7, 45)])
    mappe.save(tmp_path / "a.xlsx")
    tabelle = lies_tabelle(tmp_path / "a.xlsx")
    assert tabelle.loc[2].tolist() == ["abcd1", "2025-03-02", "2025-03-02 10:07:45"]

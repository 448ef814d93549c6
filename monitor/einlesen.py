"""Read an uploaded CSV or XLSX file into a DataFrame of strings.

Sites export from Excel, LibreOffice, survey tools and hand-written CSV, so this module accepts
the variants SPEC §3 lists (UTF-8 with or without BOM or Windows-1252; ``,`` or ``;``; XLSX) and
turns every cell into trimmed text or a missing value. Typing and checking happen afterwards in
:mod:`monitor.pruefung`, from one declaration, so that every error can be reported with the row
as the user sees it in the file. Anything unreadable becomes an :class:`EinleseFehler` with a
German message – never a traceback in front of a site coordinator.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import io
import math
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

#: Largest accepted file (bytes on disk) and largest uncompressed XLSX content. Generous for the
#: biggest realistic survey export, small enough that a hostile upload cannot exhaust memory.
MAX_DATEIGROESSE = 200 * 1024 * 1024
MAX_ENTPACKT = 200 * 1024 * 1024
MAX_ZIP_MITGLIEDER = 10_000
#: Most columns a table may have. The codebook has 45 variables and the tools add a few dozen
#: bookkeeping columns; a file far beyond is no export of a questionnaire (or a wrong sheet),
#: and one message says so instead of one per column.
MAX_SPALTEN = 500

Quelle = str | os.PathLike[str] | bytes

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls
_EXCEL_ENDUNGEN = (".xlsx", ".xlsm", ".xls", ".ods")
_TRENNZEICHEN = (";", ",", "\t")
_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class EingabeFehler(Exception):
    """Base of every rejection of user input; the message is German and shown as is."""


class EinleseFehler(EingabeFehler):
    """The file cannot be read as a table (missing, empty, wrong encoding, broken, too big)."""


def lade_bytes(quelle: Quelle, dateiname: str | None = None) -> tuple[bytes, str]:
    """Return the file content and a display name; a missing file is a German error.

    The bytes are needed twice (SHA-256 for "bereits importiert" and parsing), so callers read
    them once here.
    """
    if isinstance(quelle, bytes | bytearray | memoryview):
        return bytes(quelle), dateiname or "Upload"
    pfad = Path(quelle)
    name = dateiname or pfad.name
    try:
        groesse = pfad.stat().st_size
        if groesse > MAX_DATEIGROESSE:
            raise EinleseFehler(_zu_gross(name, groesse))
        return pfad.read_bytes(), name
    except FileNotFoundError:
        raise EinleseFehler(f"Datei '{pfad}' wurde nicht gefunden.") from None
    except IsADirectoryError:
        raise EinleseFehler(f"'{pfad}' ist ein Ordner, keine Datei.") from None
    except PermissionError:
        raise EinleseFehler(
            f"Datei '{pfad}' kann nicht gelesen werden (keine Berechtigung)."
        ) from None
    except OSError as fehler:
        raise EinleseFehler(
            f"Datei '{pfad}' kann nicht gelesen werden: {fehler.strerror}."
        ) from None


def lies_tabelle(quelle: Quelle, dateiname: str | None = None) -> pd.DataFrame:
    """Read a CSV/XLSX file into a DataFrame of trimmed strings (missing = NA).

    Column names are trimmed and lower-cased. The index is the row number as the user sees it
    in the file (header = row 1), so reports can point at the right row even though blank rows
    are dropped.
    """
    daten, name = lade_bytes(quelle, dateiname)
    return lies_bytes(daten, name)


def lies_bytes(daten: bytes, dateiname: str) -> pd.DataFrame:
    """Like :func:`lies_tabelle`, for content already in memory."""
    if len(daten) > MAX_DATEIGROESSE:
        raise EinleseFehler(_zu_gross(dateiname, len(daten)))
    if not daten.strip():
        raise EinleseFehler(f"Die Datei '{dateiname}' ist leer.")
    endung = Path(dateiname).suffix.lower()
    if daten.startswith(_ZIP_MAGIC) or daten.startswith(_OLE_MAGIC) or endung in _EXCEL_ENDUNGEN:
        roh = _lies_excel(daten, dateiname)
    else:
        roh = _lies_csv(daten, dateiname)
    return _als_tabelle(roh, dateiname)


def _zu_gross(name: str, groesse: int) -> str:
    return (
        f"Die Datei '{name}' ist mit {groesse / 1024 / 1024:.0f} MB zu groß "
        f"(höchstens {MAX_DATEIGROESSE // 1024 // 1024} MB)."
    )


# -- CSV ----------------------------------------------------------------------------------------
#: Byte order marks and their encodings; UTF-32 before UTF-16 (FF FE starts both).
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
#: A multi-byte UTF-8 character (what "ä" looks like as bytes in a UTF-8 file).
_UTF8_ZEICHEN = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _dekodiere(daten: bytes, dateiname: str) -> str:
    """The encoding a byte order mark names (UTF-8, UTF-16 LE/BE, UTF-32 – SoSci Survey and
    Excel's "Unicode text" write UTF-16); without one UTF-8, then Windows-1252, the fallback
    of German Excel. A file that mixes UTF-8 and Windows-1252 (rows appended by another
    program) is refused with the rows of each kind, never turned into mojibake."""
    for bom, kodierung, name in _BOMS:
        if daten.startswith(bom):
            try:
                return daten[len(bom) :].decode(kodierung)
            except UnicodeDecodeError as fehler:
                zeile = daten[: len(bom) + fehler.start].decode(kodierung, "replace").count("\n")
                raise EinleseFehler(
                    f"Die Datei '{dateiname}' ist als {name} gekennzeichnet, enthält aber in "
                    f"Zeile {zeile + 1} Zeichen einer anderen Kodierung; bitte die Datei neu "
                    "exportieren oder in einem Editor einheitlich als UTF-8 speichern."
                ) from None
    if b"\x00" in daten[:65536]:
        raise EinleseFehler(
            f"Die Datei '{dateiname}' ist keine Text-Tabelle (CSV) und keine Excel-Datei (.xlsx)."
        )
    try:
        return daten.decode("utf-8")
    except UnicodeDecodeError:
        pass
    _pruefe_gemischt(daten, dateiname)
    try:
        return daten.decode("cp1252")
    except UnicodeDecodeError:
        raise EinleseFehler(
            f"Die Datei '{dateiname}' ist keine lesbare CSV-Datei: Zeichenkodierung nicht "
            "erkannt (erwartet UTF-8, UTF-16 oder Windows-1252)."
        ) from None


def _pruefe_gemischt(daten: bytes, dateiname: str) -> None:
    """Refuse a file whose lines are partly UTF-8 (with umlauts) and partly Windows-1252."""
    utf8, andere = [], []
    for nummer, zeile in enumerate(daten.split(b"\n"), start=1):
        if zeile.isascii():
            continue
        try:
            zeile.decode("utf-8")
        except UnicodeDecodeError:
            andere.append(nummer)
            continue
        if _UTF8_ZEICHEN.search(zeile):
            utf8.append(nummer)
    if utf8 and andere:

        def liste(zeilen: list[int]) -> str:
            return ", ".join(map(str, zeilen[:5])) + (" …" if len(zeilen) > 5 else "")

        raise EinleseFehler(
            f"Die Datei '{dateiname}' mischt zwei Zeichenkodierungen – UTF-8 (Zeilen "
            f"{liste(utf8)}) und Windows-1252 (Zeilen {liste(andere)}), z. B. weil Zeilen aus "
            "einem anderen Programm angehängt wurden; Umlaute würden verfälscht, deshalb bitte "
            "die Datei in einem Editor einheitlich als UTF-8 speichern und erneut hochladen."
        )


def _trennzeichen(kopfzeile: str) -> str:
    """Pick the separator that occurs most often in the header line outside quotes."""
    ausserhalb = re.sub(r'"[^"]*"', "", kopfzeile)
    anzahl = {zeichen: ausserhalb.count(zeichen) for zeichen in _TRENNZEICHEN}
    bestes = max(_TRENNZEICHEN, key=lambda zeichen: anzahl[zeichen])
    return bestes if anzahl[bestes] else ","


def _lies_csv(daten: bytes, dateiname: str) -> pd.DataFrame:
    text = _dekodiere(daten, dateiname)
    if len(_STEUERZEICHEN.findall(text[:65536])) > 10:
        raise EinleseFehler(
            f"Die Datei '{dateiname}' ist keine Text-Tabelle (CSV) und keine Excel-Datei (.xlsx)."
        )
    kopfzeile = next((zeile for zeile in text.splitlines() if zeile.strip()), "")
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=_trennzeichen(kopfzeile),
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise EinleseFehler(f"Die Datei '{dateiname}' ist leer.") from None
    except (pd.errors.ParserError, ValueError) as fehler:
        raise EinleseFehler(_csv_fehlertext(dateiname, str(fehler))) from None


def _csv_fehlertext(dateiname: str, meldung: str) -> str:
    treffer = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", meldung)
    if treffer:
        erwartet, zeile, gesehen = treffer.groups()
        return (
            f"Die Datei '{dateiname}' ist keine gültige Tabelle: Zeile {zeile} hat {gesehen} "
            f"Felder, die Kopfzeile aber nur {erwartet}. Bitte Trennzeichen und "
            "Anführungszeichen prüfen."
        )
    return f"Die Datei '{dateiname}' ist keine gültige CSV-Tabelle (Aufbau nicht lesbar)."


# -- XLSX ---------------------------------------------------------------------------------------
def _pruefe_zip(daten: bytes, dateiname: str) -> None:
    """Refuse zip bombs before the parser inflates anything (declared sizes are summed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(daten)) as archiv:
            mitglieder = archiv.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise EinleseFehler(
            f"Die Datei '{dateiname}' ist keine gültige Excel-Datei (.xlsx): beschädigt oder "
            "in einem anderen Format."
        ) from None
    if len(mitglieder) > MAX_ZIP_MITGLIEDER:
        raise EinleseFehler(f"Die Excel-Datei '{dateiname}' enthält zu viele Bestandteile.")
    entpackt = sum(mitglied.file_size for mitglied in mitglieder)
    if entpackt > MAX_ENTPACKT:
        raise EinleseFehler(
            f"Die Excel-Datei '{dateiname}' wäre entpackt {entpackt / 1024 / 1024:.0f} MB groß "
            f"(höchstens {MAX_ENTPACKT // 1024 // 1024} MB). Bitte die Daten aufteilen oder "
            "als CSV speichern."
        )
    with zipfile.ZipFile(io.BytesIO(daten)) as archiv:
        for mitglied in mitglieder:
            _pruefe_mitglied(archiv, mitglied, dateiname)


class _Wurzel(Exception):
    """The root element of an XML part was reached: no DTD can follow any more."""


class _WurzelZiel:
    """Parser target that stops at the first element (only the prolog can hold a DTD)."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _Wurzel


def _pruefe_mitglied(archiv: zipfile.ZipFile, mitglied: zipfile.ZipInfo, dateiname: str) -> None:
    """Inflate one part in chunks, never beyond its declared size, and check its XML prolog.

    A zip bomb may declare small sizes and still inflate to gigabytes; the parser behind
    pandas would believe the stream, not the header. So every part is inflated here with a
    limit of its declared size (which :func:`_pruefe_zip` has capped) and a part that yields
    more is refused. XML parts go through defusedxml up to their root element: a document
    type declaration (entity expansion – "billion laughs" –, external entities) has no place
    in an XLSX and is refused before any parser expands it.
    """
    begrenzt = copy.copy(mitglied)
    begrenzt.file_size = mitglied.file_size + 1  # read one byte more than declared
    begrenzt.CRC = None  # checked below: zipfile would report a bomb as a bad checksum
    xml = mitglied.filename.lower().endswith((".xml", ".rels", ".vml"))
    parser = DefusedXMLParser(target=_WurzelZiel(), forbid_dtd=True) if xml else None
    gelesen = pruefsumme = 0
    try:
        with archiv.open(begrenzt) as strom:
            while stueck := strom.read(1 << 20):
                gelesen += len(stueck)
                if gelesen > mitglied.file_size:
                    raise EinleseFehler(
                        f"Die Excel-Datei '{dateiname}' ist manipuliert: ein Bestandteil ist "
                        "entpackt größer als angegeben (Zip-Bombe). Die Datei wird nicht gelesen."
                    )
                pruefsumme = zlib.crc32(stueck, pruefsumme)
                if parser is not None:
                    try:
                        parser.feed(stueck)
                    except _Wurzel:
                        parser = None
        if pruefsumme != mitglied.CRC:
            raise zipfile.BadZipFile(f"CRC von {mitglied.filename}")
    except DefusedXmlException:
        raise EinleseFehler(
            f"Die Excel-Datei '{dateiname}' enthält eine XML-Dokumenttypdefinition (DTD, "
            "Entitäten). Das kommt in echten Excel-Dateien nicht vor und kann den Server "
            "lahmlegen („Billion Laughs“) – die Datei wird aus Sicherheitsgründen nicht gelesen."
        ) from None
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ParseError,
        RuntimeError,
        NotImplementedError,
    ):
        raise EinleseFehler(
            f"Die Datei '{dateiname}' ist keine gültige Excel-Datei (.xlsx): beschädigt oder "
            "in einem anderen Format."
        ) from None


def _lies_excel(daten: bytes, dateiname: str) -> pd.DataFrame:
    if daten.startswith(_ZIP_MAGIC):
        _pruefe_zip(daten, dateiname)
    elif not daten.startswith(_OLE_MAGIC):
        raise EinleseFehler(
            f"Die Datei '{dateiname}' ist keine gültige Excel-Datei (.xlsx): beschädigt oder "
            "in einem anderen Format."
        )
    try:
        with pd.ExcelFile(io.BytesIO(daten), engine="calamine") as mappe:
            namen = [str(name) for name in mappe.sheet_names]
            if not namen:
                raise EinleseFehler(f"Die Excel-Datei '{dateiname}' enthält kein Tabellenblatt.")
            blatt = next((n for n in namen if n.strip().lower() == "daten"), namen[0])
            roh = pd.read_excel(mappe, sheet_name=blatt, header=None, dtype=object)
    except EinleseFehler:
        raise
    except Exception:  # calamine raises its own, undocumented error types
        raise EinleseFehler(
            f"Die Datei '{dateiname}' ist keine lesbare Excel-Datei (.xlsx): beschädigt oder "
            "in einem anderen Format."
        ) from None
    return pd.DataFrame(
        {spalte: _excel_zellen_als_text(roh[spalte].tolist()) for spalte in roh.columns},
        index=roh.index,
    )


def _excel_zelle(wert: Any) -> str:
    """One non-text Excel cell as the text a user would have typed."""
    if wert is None:
        return ""
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, float):
        if math.isnan(wert):
            return ""
        if wert.is_integer():
            return str(int(wert))
        text = repr(wert)  # shortest exact form; avoid the exponent notation of tiny values
        return text if "e" not in text else f"{wert:.15f}".rstrip("0")
    if isinstance(wert, dt.datetime):  # includes pd.Timestamp
        # a date cell stays a date; a time of day (a tool's submission time) is kept, because
        # it decides which of two submissions is the latest (monitor.pruefung)
        if wert.time() == dt.time(0):
            return wert.date().isoformat()
        return wert.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(wert, dt.date | dt.time):
        return wert.isoformat()
    return str(wert)


def _excel_zellen_als_text(werte: list[Any]) -> list[str]:
    # Text cells are the common case; skip the conversion call for them (100 000 rows × 45).
    return [wert if type(wert) is str else _excel_zelle(wert) for wert in werte]


# -- common -------------------------------------------------------------------------------------
def _als_tabelle(roh: pd.DataFrame, dateiname: str) -> pd.DataFrame:
    """Header from the first non-blank row, cells trimmed, blank rows and columns dropped."""
    if roh.shape[1] > MAX_SPALTEN:
        raise EinleseFehler(
            f"Die Datei '{dateiname}' hat {roh.shape[1]} Spalten, höchstens {MAX_SPALTEN} sind "
            "möglich; ist es das richtige Tabellenblatt bzw. der Export des Fragebogens? Bitte "
            "nur die Spalten des Fragebogens exportieren."
        )
    zellen = pd.DataFrame(
        {i: _bereinige(roh[spalte]) for i, spalte in enumerate(roh.columns)}, index=roh.index
    )
    belegt = zellen.notna().any(axis=1)
    if not belegt.any():
        raise EinleseFehler(f"Die Datei '{dateiname}' enthält keine Tabelle.")
    kopf_pos = int(belegt.to_numpy().argmax())
    kopf = zellen.iloc[kopf_pos]
    daten = zellen.iloc[kopf_pos + 1 :]
    daten = daten[belegt.iloc[kopf_pos + 1 :].to_numpy()]
    # row as shown in Excel / a text editor: header row is kopf_pos + 1 (1-based)
    daten.index = pd.RangeIndex(kopf_pos + 2, kopf_pos + 2 + len(zellen) - kopf_pos - 1)[
        belegt.iloc[kopf_pos + 1 :].to_numpy()
    ]
    daten.index.name = "zeile"

    namen: list[str] = []
    behalten: list[int] = []
    for i, roh_name in enumerate(kopf.tolist()):
        name = "" if pd.isna(roh_name) else str(roh_name).strip().lower()
        if not name:
            if daten[i].notna().any():
                name = f"spalte_{i + 1}"
            else:
                continue  # trailing empty column from Excel
        if name in namen:
            raise EinleseFehler(
                f"Die Datei '{dateiname}' enthält die Spalte '{name}' mehrfach "
                "(Groß-/Kleinschreibung wird nicht unterschieden)."
            )
        namen.append(name)
        behalten.append(i)
    ergebnis = daten[behalten]
    ergebnis.columns = namen
    if ergebnis.empty:
        raise EinleseFehler(
            f"Die Datei '{dateiname}' enthält nur eine Kopfzeile und keine Datenzeilen."
        )
    return ergebnis


def _bereinige(spalte: pd.Series) -> pd.Series:
    text = spalte.astype("str").str.strip()
    return text.where(text != "")

"""Empty import templates (Vorlagen) per file kind: XLSX with dropdowns, and a CSV header.

Generated from the same ``Feld`` declarations the import checks against, so a template can
never drift from what the import accepts. The dropdowns keep site staff from typing values the
import would reject; the 'Anleitung' and 'Codebuch' sheets answer the usual questions (what is
one row, which date format, no personal data) without a separate manual.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from monitor import schema
from monitor.schema import Art, Feld, Typ

#: Rows of the 'Daten' sheet that carry the dropdowns and number checks.
LETZTE_ZEILE = 100_001

#: File name (without extension) of each template, e.g. ``vorlage_befragung``.
DATEINAMEN: dict[Art, str] = {art: f"vorlage_{art.value}" for art in Art}

EINE_ZEILE: dict[Art, str] = {
    Art.BEFRAGUNG: (
        "Eine Zeile = ein ausgefüllter Fragebogen einer Person zu einem Befragungszeitpunkt "
        "(Welle T0 = Beginn, T1 = Ende des Angebots, T2 = Nachbefragung nach 3–6 Monaten). "
        "Der pseudonyme Code verbindet die Fragebögen derselben Person; je Code und Welle "
        "darf es nur eine Zeile geben."
    ),
    Art.AKTIVITAETEN: (
        "Eine Zeile = eine Veranstaltung oder ein Termin. Die aktivitaet_id ist je Standort "
        "eindeutig; wird dieselbe ID erneut importiert, wird die Zeile aktualisiert."
    ),
    Art.STANDORTE: (
        "Eine Zeile = ein Standort des Projekts. Die Kennung (standort) besteht aus 2–12 "
        "Zeichen A–Z, 0–9 oder _ (z. B. KOELN oder BERLIN_1) und wird in allen anderen Dateien "
        "verwendet. Standorte zuerst importieren."
    ),
    Art.ZIELWERTE: (
        "Eine Zeile = ein Zielwert für einen Indikator, für einen Standort oder – bei leerer "
        "Spalte standort – für das ganze Projekt."
    ),
}

_TYP_TEXT: dict[Typ, str] = {
    Typ.CODE: "Code (4–32 Zeichen: A–Z, a–z, 0–9, _ oder -)",
    Typ.STANDORT: "Standort-Kennung (2–12 Zeichen: A–Z, 0–9, _)",
    Typ.KATEGORIE: "Auswahl",
    Typ.DATUM: "Datum (TT.MM.JJJJ oder JJJJ-MM-TT)",
    Typ.GANZZAHL: "ganze Zahl",
    Typ.ZAHL: "Zahl (Komma oder Punkt)",
    Typ.JA_NEIN: "ja / nein",
    Typ.TEXT: "Text",
}

_KOPF_FUELLUNG = PatternFill("solid", fgColor="DDEBF7")
_PFLICHT_FUELLUNG = PatternFill("solid", fgColor="FCE4D6")
_FETT = Font(bold=True)


def textzelle(blatt: Worksheet, zeile: int, spalte: int, text: str) -> Cell:
    """Write ``text`` as a string cell – never as a formula, even if it starts with '='.

    Free text from users or the codebook could otherwise run as a formula in Excel.
    """
    zelle = blatt.cell(row=zeile, column=spalte)
    zelle.value = text
    if text[:1] in ("=", "+", "-", "@"):
        zelle.data_type = "s"
        zelle.quotePrefix = True
    return zelle


def _pflicht_text(feld: Feld) -> str:
    if feld.pflicht:
        return "ja"
    if feld.pflicht_welle:
        return f"bei {feld.pflicht_welle}"
    return "nein"


def _erlaubt_text(feld: Feld) -> str:
    if feld.werte:
        labels = feld.labels or feld.werte
        paare = [
            w if w == label else f"{w} = {label}"
            for w, label in zip(feld.werte, labels, strict=False)
        ]
        return "; ".join(paare)
    if feld.minimum is not None and feld.maximum is not None:
        return f"{feld.minimum:g} bis {feld.maximum:g}"
    if feld.minimum is not None:
        return f"ab {feld.minimum:g}"
    if feld.max_laenge:
        return f"Text, höchstens {feld.max_laenge} Zeichen"
    return _TYP_TEXT[feld.typ]


def _anleitung(art: Art) -> list[str]:
    felder = schema.felder(art)
    pflicht = [f.name for f in felder if f.pflicht]
    wellenpflicht = [f"{f.name} (bei Welle {f.pflicht_welle})" for f in felder if f.pflicht_welle]
    schluessel = " + ".join(schema.SCHLUESSEL[art])
    return [
        f"Vorlage {schema.ART_LABELS[art]} – Anleitung",
        "",
        EINE_ZEILE[art],
        "",
        "Pflichtspalten: " + ", ".join(pflicht + wellenpflicht) + ".",
        "Alle anderen Spalten sind freiwillig; eine leere Zelle bedeutet „keine Angabe“.",
        "Spaltennamen nicht ändern. Reihenfolge sowie Groß-/Kleinschreibung sind egal.",
        "Datum: TT.MM.JJJJ (z. B. 01.03.2025) oder JJJJ-MM-TT (z. B. 2025-03-01).",
        "Zahlen: ganze Zahlen ohne Tausendertrennzeichen (1000, nicht 1.000); "
        "Dezimalzahlen mit Komma oder Punkt (52,52 oder 52.52).",
        "Auswahlfelder: bitte einen Wert aus der Liste der Zelle wählen (siehe Blatt „Codebuch“).",
        "",
        "Datenschutz: KEINE personenbezogenen Daten eintragen – keine Namen, E-Mail-Adressen, "
        "Telefonnummern, Anschriften, Geburtsdaten oder IP-Adressen. Solche Spalten werden beim "
        "Import verworfen und nicht gespeichert.",
        "",
        "Import: Die Datei wird vollständig geprüft. Enthält sie Fehler, wird keine Zeile "
        "übernommen und der Prüfbericht nennt Zeile, Spalte, Wert und Grund.",
        f"Eine Zeile mit schon vorhandenem Schlüssel ({schluessel}) ersetzt die alte Zeile; "
        "dieselbe Datei ein zweites Mal zu importieren ändert nichts.",
        "Speichern als Excel-Datei (.xlsx) oder als CSV (UTF-8, Trennzeichen Semikolon).",
    ]


def _schreibe_daten(blatt: Worksheet, listen: Worksheet, felder: tuple[Feld, ...]) -> None:
    listen_spalte = 0
    for nummer, feld in enumerate(felder, start=1):
        buchstabe = get_column_letter(nummer)
        zelle = textzelle(blatt, 1, nummer, feld.name)
        zelle.font = _FETT
        zelle.fill = _PFLICHT_FUELLUNG if feld.pflicht or feld.pflicht_welle else _KOPF_FUELLUNG
        if feld.frage:
            zelle.comment = Comment(f"{feld.frage}\nPflicht: {_pflicht_text(feld)}", "Vorlage")
        blatt.column_dimensions[buchstabe].width = max(12, min(40, len(feld.name) + 4))
        bereich = f"{buchstabe}2:{buchstabe}{LETZTE_ZEILE}"

        pruefung: DataValidation | None = None
        if feld.werte:
            listen_spalte += 1
            listen_buchstabe = get_column_letter(listen_spalte)
            textzelle(listen, 1, listen_spalte, feld.name)
            for i, wert in enumerate(feld.werte, start=2):
                textzelle(listen, i, listen_spalte, wert)
            ende = len(feld.werte) + 1
            pruefung = DataValidation(
                type="list",
                formula1=f"Listen!${listen_buchstabe}$2:${listen_buchstabe}${ende}",
                allow_blank=True,
            )
            pruefung.error = f"Bitte einen Wert aus der Liste wählen: {', '.join(feld.werte)}"[:255]
        elif feld.typ in (Typ.GANZZAHL, Typ.ZAHL) and feld.minimum is not None:
            art = "whole" if feld.typ is Typ.GANZZAHL else "decimal"
            if feld.maximum is not None:
                pruefung = DataValidation(
                    type=art,
                    operator="between",
                    formula1=f"{feld.minimum:g}",
                    formula2=f"{feld.maximum:g}",
                    allow_blank=True,
                )
            else:
                pruefung = DataValidation(
                    type=art,
                    operator="greaterThanOrEqual",
                    formula1=f"{feld.minimum:g}",
                    allow_blank=True,
                )
            pruefung.error = f"Erlaubt: {_erlaubt_text(feld)}"
        if pruefung is not None:
            pruefung.errorTitle = "Ungültiger Wert"
            pruefung.showErrorMessage = True
            pruefung.add(bereich)
            blatt.add_data_validation(pruefung)
    blatt.freeze_panes = "A2"


def _schreibe_codebuch(blatt: Worksheet, felder: tuple[Feld, ...]) -> None:
    kopf = ("Variable", "Frage / Bedeutung", "Erlaubte Werte", "Pflicht", "Wellen", "Format")
    for spalte, titel in enumerate(kopf, start=1):
        zelle = textzelle(blatt, 1, spalte, titel)
        zelle.font = _FETT
        zelle.fill = _KOPF_FUELLUNG
    for zeile, feld in enumerate(felder, start=2):
        werte = (
            feld.name,
            feld.frage,
            _erlaubt_text(feld),
            _pflicht_text(feld),
            ", ".join(feld.wellen),
            _TYP_TEXT[feld.typ],
        )
        for spalte, text in enumerate(werte, start=1):
            textzelle(blatt, zeile, spalte, text).alignment = Alignment(wrap_text=True)
    for buchstabe, breite in zip("ABCDEF", (26, 60, 50, 10, 14, 30), strict=True):
        blatt.column_dimensions[buchstabe].width = breite
    blatt.freeze_panes = "A2"


def vorlage_xlsx(art: Art) -> bytes:
    """The XLSX template of one kind: sheets Daten, Anleitung, Codebuch (+ hidden Listen)."""
    felder = schema.felder(art)
    mappe = Workbook()
    daten = mappe.active
    assert daten is not None
    daten.title = "Daten"
    anleitung = mappe.create_sheet("Anleitung")
    codebuch = mappe.create_sheet("Codebuch")
    listen = mappe.create_sheet("Listen")
    listen.sheet_state = "hidden"

    _schreibe_daten(daten, listen, felder)
    for zeile, text in enumerate(_anleitung(art), start=1):
        textzelle(anleitung, zeile, 1, text).alignment = Alignment(wrap_text=True)
    anleitung["A1"].font = Font(bold=True, size=14)
    anleitung.column_dimensions["A"].width = 110
    _schreibe_codebuch(codebuch, felder)

    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def vorlage_csv(art: Art) -> bytes:
    """The CSV template: just the header, ';'-separated with BOM so German Excel opens it."""
    kopf = ";".join(feld.name for feld in schema.felder(art))
    return (kopf + "\r\n").encode("utf-8-sig")


def vorlage_bytes(art: Art | str, format: Literal["xlsx", "csv"] = "xlsx") -> bytes:
    """One template as bytes (dashboard download)."""
    art = Art(art)
    return vorlage_xlsx(art) if format == "xlsx" else vorlage_csv(art)


def schreibe_vorlagen(ordner: str | os.PathLike[str]) -> list[Path]:
    """Write the XLSX and CSV template of every kind into ``ordner``; returns the paths."""
    ziel = Path(ordner)
    ziel.mkdir(parents=True, exist_ok=True)
    geschrieben = []
    for art in Art:
        for endung, inhalt in (("xlsx", vorlage_xlsx(art)), ("csv", vorlage_csv(art))):
            pfad = ziel / f"{DATEINAMEN[art]}.{endung}"
            pfad.write_bytes(inhalt)
            geschrieben.append(pfad)
    return geschrieben

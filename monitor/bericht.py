"""The evaluator's Excel report (issue 5) and the indicator table as CSV for German Excel.

What the workbook holds: a cover sheet, an IPTT-style target table with quarterly columns, one
sheet per impact goal with native (editable) charts, every pre/post row, the site and format
comparisons, the data-quality checks and the methods, all from released engine tables.

Why it is built the way it is:

* **Only released values.** Every number comes from :func:`indikatoren.engine.berechne` or
  :mod:`indikatoren.datenqualitaet`, which suppress small cells in the computation layer. A
  suppressed cell is written as the text "< 5" (effects "< 10") in grey — never 0, never empty.
  Chart source ranges (sheet *Diagrammdaten*) leave such cells empty, because spreadsheet charts
  would draw a text cell as 0.
* **Text is never a formula.** Site names, activity titles and filter values come from imports;
  a title such as ``=HYPERLINK(…)`` must stay a string (formula injection). All text is written
  as an inline string cell (``t="inlineStr"``), which no spreadsheet evaluates.
* **Speed.** openpyxl without lxml needs 15–20 µs per cell; the report for 100 sites has about
  200 000 cells. So openpyxl builds the workbook frame (sheets, column widths, frozen panes,
  filters, conditional formats, tables, charts, the style sheet), and :class:`_Blatt` renders
  the cell rows as SpreadsheetML text, which is spliced into the saved sheet files. That is six
  times faster and keeps the one place where cell values become XML small enough to review.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.drawing.text import CharacterProperties, ParagraphProperties
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from indikatoren import datenqualitaet as dq
from indikatoren.definitionen import (
    BERECHNUNG_LABEL,
    WIRKUNGSTREPPE,
    ZIEL_BESCHREIBUNG,
    ZIEL_NAMEN,
    Berechnung,
    Indikator,
    Richtung,
    Ziel,
)
from indikatoren.engine import SEKUNDAER, Ergebnis
from indikatoren.filter import GRUPPEN_LABEL, Filter, Gruppierung
from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.statistik import standort_metaanalyse
from indikatoren.unterdrueckung import GESAMT, Schwellen
from indikatoren.vergleichsgruppe import mit_vergleichsgruppe, vergleichstabelle
from indikatoren.zielerreichung import (
    REGEL_TEXT,
    STATUS_FARBEN,
    STATUS_REIHENFOLGE,
    STATUS_SYMBOL,
    Status,
    bewertungs_text,
    ziel_zusammenfassung,
)
from monitor import sicht
from monitor.audit import protokolliere
from monitor.ausgabe import (
    INDIKATOR_JSON,
    SEKUNDAER_MARKE,
    VORHER_NACHHER_JSON,
    als_csv,
    markierung,
)
from monitor.benutzer import Detailstufe, Zugriff, beschraenke_filter
from monitor.bestand import hat_demo
from monitor.db import Datenbank
from monitor.freigabe import freigegebene_quartale
from monitor.schema import FORMAT_LABELS, FORMATE

BLATT_NAMEN: tuple[str, ...] = (
    "Deckblatt",
    "Zielerreichung",
    "Ziel a",
    "Ziel b",
    "Ziel c",
    "Vorher-Nachher",
    "Standortvergleich",
    "Meta-Analyse",
    "Vergleichsgruppe",
    "Formate",
    "Datenqualität",
    "Methodik",
    "Diagrammdaten",
)
TEXT_OHNE_QUALITAET = (
    "In dieser geschützten Fassung (zusammengefasste Ansicht) wird die Datenqualität nicht "
    "ausgewiesen: Ihre Zählungen beruhen auf einzelnen Fragebögen und nicht auf der gemeinsam "
    "geschützten Tabelle. Die Projektleitung und die Evaluation sehen sie im Dashboard."
)
FOERDERAUFRUF = "Gesellschaftlichen Zusammenhalt stärken trotz Distanz (BAMF)"

RICHTUNG_LABEL: dict[Richtung, str] = {
    Richtung.HOEHER_BESSER: "höher ist besser",
    Richtung.NIEDRIGER_BESSER: "niedriger ist besser",
}

#: Statistics rules for the Methodik sheet (SPEC §5), in German.
STATISTIK_REGELN: tuple[tuple[str, str], ...] = (
    (
        "Veränderung, nicht Wirkung",
        "Ein Vorher-Nachher-Vergleich zeigt die Veränderung derselben Personen, nicht die "
        "Wirkung des Projekts: Ohne Vergleichsgruppe lässt sich nicht trennen, was ohnehin "
        "geschehen wäre (Zeit, äußere Ereignisse, Regression zur Mitte, Auswahl durch Ausfall).",
    ),
    (
        "Wirkung mit Vergleichsgruppe",
        "Wo ein Standort zusätzlich eine Vergleichsgruppe befragt (Personen, die nicht "
        "teilnehmen; Spalte vergleichsgruppe = ja, zu T0 erfasst), schätzt deren Veränderung die "
        "allgemeine zeitliche Entwicklung. Wirkung = Veränderung der Teilnehmenden minus "
        "Veränderung der Vergleichsgruppe (Differenz-in-Differenzen) – unter der Annahme, dass "
        "sich beide Gruppen ohne das Projekt gleich entwickelt hätten. Intervall: Welch "
        "(Punktwerte) bzw. MOVER aus Newcombe-Intervallen (Ja/Nein). Nur hier heißt es "
        "„Wirkung“; alle Indikatoren und Zielwerte beziehen sich auf die Teilnehmenden allein.",
    ),
    (
        "Vorher-Nachher-Vergleich",
        "Nur Personen mit Fragebogen zu T0 und T1 (bzw. T2) am selben Standort zählen "
        "(gepaarte Messung über den pseudonymen Code). Ausgewiesen werden die Zahl der Paare, "
        "die Mittelwerte vorher und nachher, die mittlere Differenz (nachher minus vorher) mit "
        "95-%-Konfidenzintervall aus der t-Verteilung und der p-Wert des t-Tests für gepaarte "
        "Stichproben (zweiseitig).",
    ),
    (
        "Konfidenzintervall",
        "Das Verfahren liefert bei wiederholten Erhebungen in 95 % der Fälle ein Intervall, das "
        "den wahren Wert enthält; das einzelne Intervall zeigt die mit den Daten gut "
        "vereinbaren Werte, keine „95-%-Sicherheit“ für den wahren Wert.",
    ),
    (
        "p-Werte und Mehrfachtests",
        "Neben dem rohen p steht der Holm-korrigierte p-Wert über die Vorher-Nachher-"
        "Indikatoren desselben Ziels in derselben Zelle (Standort, Gruppe, Welle). Statistisch "
        "gesichert ist eine Veränderung nur, wenn der korrigierte Wert unter 0,05 liegt. "
        "Werte unter 0,001 erscheinen als „< 0,001“.",
    ),
    (
        "Effektstärken",
        "d_z = Mittelwert der Differenzen / Standardabweichung der Differenzen (Lakens 2013). "
        "g_z = d_z · J mit der Korrektur für kleine Stichproben J = 1 − 3 / (4 · (n − 1) − 1). "
        "d_z hängt von der Korrelation vorher/nachher ab und ist nur mit anderen gepaarten d_z "
        "vergleichbar; Cohens Faustwerte (0,2/0,5/0,8) gelten für sie nicht. d_av = "
        "Veränderung / √((s²vorher + s²nachher)/2) mit 95-%-Intervall (Bonett 2008) ist die "
        "Zahl für Vergleiche mit anderen Programmen und Meta-Analysen.",
    ),
    (
        "Ja/Nein-Fragen",
        "Anteil „ja“ vorher und nachher bei denselben Personen, Differenz in Prozentpunkten mit "
        "95-%-Konfidenzintervall nach Newcombe (1998, Hybrid-Score, gepaart) und exakter "
        "McNemar-Test auf den wechselnden Antworten.",
    ),
    (
        "Meta-Analyse der Standorte",
        "Veränderungen der ausgewiesenen Standorte, gepoolt mit zufälligen Effekten "
        "(DerSimonian–Laird): Mittel mit Intervall, τ² (Streuung der wahren Veränderungen), "
        "I² (nicht zufälliger Anteil der Unterschiede) und Vorhersageintervall für einen "
        "weiteren Standort; daneben die gepoolte Veränderung aus den Rohdaten.",
    ),
    (
        "Anteile und Zählgrößen",
        "Anteile werden in Prozent (0–100) mit 95-%-Konfidenzintervall nach Wilson angegeben; "
        "Zählgrößen ohne Konfidenzintervall. Quoten über Standorte hinweg werden aus Zähler und "
        "Nenner gebildet, nie als Mittelwert der Standortquoten.",
    ),
    (
        "Match-Quote",
        "Anteil der Personen mit T0-Fragebogen, die zu T1 (bzw. T2) am selben Standort wieder "
        "befragt wurden. Sie steht neben jedem Vorher-Nachher-Ergebnis, weil ein hoher Ausfall "
        "die Ergebnisse verzerren kann.",
    ),
    (
        "Zusammenfassung je Wirkungsziel",
        "Zielerreichung eines Wirkungsziels = Mittelwert der Zielerreichung seiner Indikatoren "
        "mit Zielwert, jede höchstens 100 %. Status: kritisch, wenn mindestens ein Drittel der "
        "Indikatoren mit Daten kritisch ist; Verzug, wenn mindestens ein Drittel Verzug oder "
        "kritisch ist; erreicht, wenn alle erreicht sind; sonst auf Kurs.",
    ),
    (
        "Datenschutz",
        "Teilnehmende erscheinen nur unter ihrem pseudonymen Code, der in diesem Bericht nicht "
        "vorkommt. Namen, E-Mail-Adressen, Telefonnummern, Anschriften und IP-Adressen werden "
        "beim Import verworfen und nie gespeichert.",
    ),
)

# -- cell styles ----------------------------------------------------------------------------------
_GRAU = "808080"
_SCHRIFT = "Calibri"  # the workbook default; named so bold cells do not fall back to a serif
_ZAHL_FORMATE = ("#,##0", "#,##0.0", "#,##0.00", "#,##0.000")
_STILE: dict[str, dict[str, Any]] = {
    "text": {},
    "umbruch": {"alignment": Alignment(wrap_text=True, vertical="top")},
    "kopf": {
        "font": Font(name=_SCHRIFT, bold=True),
        "fill": PatternFill("solid", start_color="DCE6F1", end_color="DCE6F1"),
        "alignment": Alignment(wrap_text=True, vertical="center"),
        "border": Border(bottom=Side(style="thin")),
    },
    "kopf_zahl": {
        "font": Font(name=_SCHRIFT, bold=True),
        "fill": PatternFill("solid", start_color="DCE6F1", end_color="DCE6F1"),
        "alignment": Alignment(wrap_text=True, vertical="center", horizontal="right"),
        "border": Border(bottom=Side(style="thin")),
    },
    "titel": {"font": Font(name=_SCHRIFT, bold=True, size=16)},
    "abschnitt": {"font": Font(name=_SCHRIFT, bold=True, size=12)},
    "fett": {"font": Font(name=_SCHRIFT, bold=True), "alignment": Alignment(vertical="top")},
    "fett_umbruch": {
        "font": Font(name=_SCHRIFT, bold=True),
        "alignment": Alignment(wrap_text=True, vertical="top"),
    },
    "hinweis": {
        "font": Font(name=_SCHRIFT, italic=True, color=_GRAU),
        "alignment": Alignment(wrap_text=True, vertical="top"),
    },
    "notiz": {"font": Font(name=_SCHRIFT, italic=True, color=_GRAU)},
    "unterdrueckt": {
        "font": Font(name=_SCHRIFT, color=_GRAU),
        "alignment": Alignment(horizontal="right"),
    },
    "p": {"number_format": '[<0.001]"< 0,001";0.000'},
    "effekt": {"number_format": "0.00"},
    "mitte": {
        "number_format": "0",
        "alignment": Alignment(horizontal="center", vertical="top"),
    },
    "datum_links": {"number_format": "DD.MM.YYYY", "alignment": Alignment(horizontal="left")},
    "zeit_links": {"number_format": "DD.MM.YYYY HH:MM", "alignment": Alignment(horizontal="left")},
    "datum": {"number_format": "DD.MM.YYYY", "alignment": Alignment(horizontal="center")},
    "zeit": {"number_format": "DD.MM.YYYY HH:MM", "alignment": Alignment(horizontal="center")},
    **{f"z{k}": {"number_format": f} for k, f in enumerate(_ZAHL_FORMATE)},
}
_TEXT_STILE = {
    "text",
    "umbruch",
    "kopf",
    "kopf_zahl",
    "titel",
    "abschnitt",
    "fett",
    "fett_umbruch",
    "hinweis",
    "notiz",
}


_ZAHL_STILE = {"p", "effekt", *(f"z{k}" for k in range(len(_ZAHL_FORMATE)))}


def _kopfstile(datenstile: Sequence[str]) -> list[str]:
    """Header cells right-aligned above number columns, so a heading sits over its numbers."""
    return ["kopf_zahl" if s in _ZAHL_STILE else "kopf" for s in datenstile]


def _zahl_stil(stellen: int) -> str:
    return f"z{min(max(stellen, 0), len(_ZAHL_FORMATE) - 1)}"


@dataclass(frozen=True, slots=True)
class _Marke:
    """A suppressed cell: written as grey text such as "< 5", never as a number."""

    text: str


_BUCHSTABEN = ["", *(get_column_letter(i) for i in range(1, 200))]


def _text_zelle(ref: str, stil: int, text: str) -> str:
    """An inline-string cell: the one way text enters the workbook (never a formula)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)[:32767]
    if not text:
        return ""
    raum = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}" s="{stil}" t="inlineStr"><is><t{raum}>{escape(text)}</t></is></c>'


class _Blatt:
    """One worksheet: settings in openpyxl, cell rows collected as SpreadsheetML text."""

    def __init__(self, mappe: _Mappe, titel: str, breiten: Sequence[float]) -> None:
        self.ws: Worksheet = mappe.wb.create_sheet(titel)
        self._ids = mappe.stil_ids
        self._zeilen: list[str] = []
        self.zeile = 0
        self.spalten = 1
        self.verbunden: list[str] = []  # merged ranges (titles and notes only, never in tables)
        for nummer, breite in enumerate(breiten, start=1):
            self.ws.column_dimensions[get_column_letter(nummer)].width = breite

    def schreibe(
        self,
        werte: Sequence[Any],
        stile: Sequence[str] | str = "text",
        *,
        hoehe: float | None = None,
    ) -> int:
        """Append one row; returns its number. ``None`` and NaN leave a cell empty."""
        self.zeile += 1
        r = str(self.zeile)
        ids = self._ids
        if isinstance(stile, str):
            stile = [stile] * len(werte)
        zellen = []
        for spalte, (wert, stil) in enumerate(zip(werte, stile, strict=True), start=1):
            if wert is None or wert is pd.NaT or wert is pd.NA:
                continue
            ref = _BUCHSTABEN[spalte] + r
            if isinstance(wert, str):
                zellen.append(_text_zelle(ref, ids[stil], wert))
            elif isinstance(wert, _Marke):
                zellen.append(_text_zelle(ref, ids["unterdrueckt"], wert.text))
            elif isinstance(wert, bool | np.bool_):
                text_stil = stil if stil in _TEXT_STILE else "text"
                zellen.append(_text_zelle(ref, ids[text_stil], "ja" if wert else "nein"))
            elif isinstance(wert, int | float | np.integer | np.floating):
                zahl = float(wert)
                if math.isfinite(zahl):
                    zellen.append(f'<c r="{ref}" s="{ids[stil]}"><v>{zahl:.16g}</v></c>')
            elif isinstance(wert, date):
                if isinstance(wert, pd.Timestamp):
                    wert = wert.to_pydatetime()
                zellen.append(f'<c r="{ref}" s="{ids[stil]}"><v>{to_excel(wert):.16g}</v></c>')
            else:
                zellen.append(_text_zelle(ref, ids[stil], str(wert)))
        self.spalten = max(self.spalten, len(werte))
        hoch = f' ht="{hoehe:g}" customHeight="1"' if hoehe else ""
        self._zeilen.append(f'<row r="{r}"{hoch}>{"".join(zellen)}</row>')
        return self.zeile

    def verbinden(self, bereich: str) -> None:
        self.verbunden.append(bereich)

    def leerzeile(self) -> None:
        self.zeile += 1

    @property
    def bereich(self) -> str:
        return f"A1:{_BUCHSTABEN[self.spalten]}{max(self.zeile, 1)}"

    def xml(self) -> str:
        return "".join(self._zeilen)

    # -- sheet settings ----------------------------------------------------------------------
    def tabelle_einrichten(self, kopfzeile: int, spalten: int, fixiert: str) -> None:
        """Frozen header, autofilter over the table, header repeated on printed pages."""
        self.ws.freeze_panes = fixiert
        ende = max(self.zeile, kopfzeile)
        self.ws.auto_filter.ref = f"A{kopfzeile}:{_BUCHSTABEN[spalten]}{ende}"
        self.ws.print_title_rows = f"{kopfzeile}:{kopfzeile}"

    def querformat(
        self,
        *,
        auf_breite: bool,
        nur_tabelle: int = 0,
        diagramme: str = "",
        seiten_breit: int = 1,
        titelspalten: str | None = None,
    ) -> None:
        """Landscape A4 scaled to ``seiten_breit`` page widths (``auf_breite``; pages run on
        downwards). ``titelspalten`` ("A:B") repeat on every continuation page, so a wide table
        keeps its row labels (site names). ``nur_tabelle`` prints that many columns and, on
        pages of their own, the ``diagramme`` range — charts beside a table would otherwise
        shrink it unreadably."""
        if nur_tabelle:
            bereiche = [f"A1:{_BUCHSTABEN[nur_tabelle]}{max(self.zeile, 1)}"]
            self.ws.print_area = [*bereiche, diagramme] if diagramme else bereiche
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = self.ws.PAPERSIZE_A4
        if auf_breite:
            self.ws.sheet_properties.pageSetUpPr.fitToPage = True
            self.ws.page_setup.fitToWidth = seiten_breit
            self.ws.page_setup.fitToHeight = 0
        if titelspalten:
            self.ws.print_title_cols = titelspalten

    def kopf_und_fuss(self, titel: str) -> None:
        """Printed header (report title, sheet name) and footer ("Seite 3 von 7", date).

        ``&`` starts a control code in Excel's header text, so a literal one is doubled.
        """
        kopf, fuss = self.ws.oddHeader, self.ws.oddFooter
        kopf.left.text = titel.replace("&", "&&")
        kopf.right.text = "&A"  # sheet name
        fuss.center.text = "Seite &P von &N"
        fuss.right.text = "&D"  # print date
        for teil in (kopf.left, kopf.right, fuss.center, fuss.right):
            teil.size = 8

    def status_farben(self, bereich: str) -> None:
        """Colour status cells by their text ("✓ erreicht", :func:`status_text`) in the
        dashboard's colour-blind-safe palette (zielerreichung.STATUS_FARBEN), as Excel rules."""
        for status in STATUS_REIHENFOLGE:
            farbe = STATUS_FARBEN[status].lstrip("#").upper()
            hell = _helligkeit(farbe) > 150
            self.ws.conditional_formatting.add(
                bereich,
                CellIsRule(
                    operator="equal",
                    formula=[f'"{status_text(status)}"'],
                    fill=PatternFill("solid", start_color=farbe, end_color=farbe),
                    font=Font(name=_SCHRIFT, color="000000" if hell else "FFFFFF", bold=True),
                ),
            )


def status_text(status: str) -> str:
    """ "✓ erreicht": the status with its symbol, so it never relies on colour (also printed
    in grey). Anything that is not a status stays as it is."""
    try:
        return f"{STATUS_SYMBOL[Status(status)]} {status}"
    except ValueError:
        return status


def _helligkeit(farbe: str) -> float:
    r, g, b = (int(farbe[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


class _Mappe:
    """The workbook: openpyxl frame plus the row text of every sheet."""

    def __init__(self, projektname: str) -> None:
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.wb.properties.creator = "Wirkungsmonitor"
        self.wb.properties.title = f"{projektname} – Bericht"
        self.stil_ids = self._stile_anlegen()
        self.blaetter: list[_Blatt] = []

    def _stile_anlegen(self) -> dict[str, int]:
        """Register every cell style once; a scratch sheet yields their style-sheet indices."""
        hilfe = self.wb.create_sheet("_stile")
        ids = {}
        for nummer, (name, eigenschaften) in enumerate(_STILE.items(), start=1):
            zelle = hilfe.cell(row=nummer, column=1)
            for attribut, wert in eigenschaften.items():
                setattr(zelle, attribut, wert)
            ids[name] = zelle.style_id
        self.wb.remove(hilfe)
        return ids

    def blatt(self, titel: str, breiten: Sequence[float]) -> _Blatt:
        blatt = _Blatt(self, titel, breiten)
        self.blaetter.append(blatt)
        return blatt

    def speichern(self) -> bytes:
        for blatt in self.blaetter:
            blatt.kopf_und_fuss(self.wb.properties.title or "")
        roh = io.BytesIO()
        self.wb.save(roh)
        blaetter = {b.ws.path.lstrip("/"): b for b in self.blaetter}
        return _zeilen_einsetzen(roh.getvalue(), blaetter)


_SHEETDATA = re.compile(r"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')
#: Elements that follow <mergeCells> in a worksheet (ECMA-376 order); the first present one
#: marks where merged ranges go. openpyxl always writes <pageMargins>.
_NACH_MERGECELLS = re.compile(
    r"<(?:phoneticPr|conditionalFormatting|dataValidations|hyperlinks|printOptions|pageMargins)\b"
)


def _ersetzen(
    text: str, muster: re.Pattern[str], neu: str, datei: str, *, davor: bool = False
) -> str:
    """Replace (or, with ``davor``, insert before) the first match; fail loudly if missing,
    so an openpyxl change that alters the sheet layout breaks the tests, not the workbook."""
    treffer = muster.search(text)
    if treffer is None:
        raise RuntimeError(f"Tabellenblatt {datei}: {muster.pattern} nicht gefunden")
    ende = treffer.start() if davor else treffer.end()
    return text[: treffer.start()] + neu + text[ende:]


def _zeilen_einsetzen(roh: bytes, blaetter: dict[str, _Blatt]) -> bytes:
    """Put each sheet's rows into the (empty) sheetData element openpyxl wrote, and its merged
    ranges after it (openpyxl's own merge_cells would add placeholder cells to sheetData)."""
    ein = zipfile.ZipFile(io.BytesIO(roh))
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as aus:
        for info in ein.infolist():
            daten = ein.read(info.filename)
            blatt = blaetter.get(info.filename)
            if blatt is not None:
                name = info.filename
                text = daten.decode("utf-8")
                text = _ersetzen(text, _SHEETDATA, f"<sheetData>{blatt.xml()}</sheetData>", name)
                text = _ersetzen(text, _DIMENSION, f'<dimension ref="{blatt.bereich}"/>', name)
                if blatt.verbunden:
                    bereiche = "".join(f'<mergeCell ref="{r}"/>' for r in blatt.verbunden)
                    zusammen = f'<mergeCells count="{len(blatt.verbunden)}">{bereiche}</mergeCells>'
                    text = _ersetzen(text, _NACH_MERGECELLS, zusammen, name, davor=True)
                daten = text.encode("utf-8")
            aus.writestr(info.filename, daten)
    return puffer.getvalue()


# -- report data -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Daten:
    """Everything the sheets show, computed once."""

    filter_: Filter
    stichtag: date
    schwellen: Schwellen
    haupt: Ergebnis
    quartale: Ergebnis
    formate: Ergebnis
    #: None for aggregated access: quality counts come from raw rows, not the protected lattice.
    qualitaet: dq.Datenqualitaet | None
    namen: dict[str, str]
    gesamt_name: str
    #: Difference-in-differences against the comparison group; None for aggregated access
    #: (funders), which gets no DiD (see :func:`_vergleichsgruppe`).
    vergleich: pd.DataFrame | None = None

    @property
    def bezug(self) -> str:
        """Whose targets the goal summaries judge: the one chosen site, else the project (a
        single site's data have no project-wide target; the cover said "keine Daten")."""
        return self.filter_.standorte[0] if len(self.filter_.standorte) == 1 else GESAMT

    def name(self, standort: str) -> str:
        if standort == GESAMT:
            return self.gesamt_name
        return self.namen.get(standort, standort)

    def marke(self, indikator: Indikator, grund: object = "") -> _Marke:
        """The mark of a suppressed cell by its reason (engine column ``sperrgrund``): "•"
        for one hidden to protect another (it is not small), else "< 5" / "< 10" — as on the
        dashboard, so the workbook never calls a cell of 7 persons "< 5"."""
        if grund == SEKUNDAER:
            return _Marke(SEKUNDAER_MARKE)
        return _Marke(markierung(self.schwellen, paare=indikator.vorher_nachher))

    @property
    def perioden(self) -> list[str]:
        perioden = self.quartale.indikatoren["periode"]
        return sorted(set(perioden[perioden != GESAMT]))


def _daten_erheben(
    db: Datenbank,
    filter_: Filter | None,
    heute: date | None,
    schwellen: Schwellen,
    zugriff: Zugriff | None,
    *,
    vollstaendig: bool = True,
) -> _Daten:
    """Everything the workbook shows, read within ``zugriff`` (None = everything, the CLI):
    its sites only, approved quarters only when it says so, and no row-level quality lists
    below :attr:`~monitor.benutzer.Detailstufe.ZEILEN`. ``vollstaendig=False`` skips the
    quality checks and the comparison group (``qualitaet`` and ``vergleich`` None) for the PDF,
    which shows neither: the quality checks alone cost more than all indicator tables."""
    basis = replace(filter_ or Filter(), gruppierung=Gruppierung.MH, nach_quartal=False)
    if zugriff is not None:
        basis = beschraenke_filter(basis, zugriff)
    stichtag = heute or basis.bis or date.today()
    namen = {
        str(k): str(v)
        for k, v in db.rows("SELECT standort, name FROM standorte")
        if zugriff is None or zugriff.darf_standort(str(k))
    }
    qualitaet: dq.Datenqualitaet | None = None
    if vollstaendig and (zugriff is None or not zugriff.geschuetzt):
        qualitaet = dq.pruefen(db, basis, heute=stichtag, schwellen=schwellen)
    if qualitaet is not None and zugriff is not None and zugriff.detail < Detailstufe.ZEILEN:
        qualitaet = replace(qualitaet, ausreisser=qualitaet.ausreisser.iloc[0:0])
    ansehen = sicht.ansicht(db, zugriff, schwellen=schwellen)
    vergleich = None
    if vollstaendig and (zugriff is None or not zugriff.geschuetzt):
        zellen = freigegebene_quartale(db) if zugriff and zugriff.nur_freigegeben else None
        vergleich = vergleichstabelle(db, basis, schwellen, zellen=zellen)

    def rechnen(auswahl: Filter) -> Ergebnis:
        return ansehen(auswahl, heute=stichtag)

    return _Daten(
        filter_=basis,
        stichtag=stichtag,
        schwellen=schwellen,
        haupt=rechnen(basis),
        quartale=rechnen(replace(basis, nach_quartal=True)),
        formate=rechnen(replace(basis, gruppierung=Gruppierung.FORMAT)),
        qualitaet=qualitaet,
        namen=namen,
        gesamt_name="Gesamt (Auswahl)" if basis.standorte else "Gesamt (alle Standorte)",
        vergleich=vergleich,
    )


def _wert(zahl: Any) -> float | None:
    if zahl is None or zahl is pd.NA:
        return None
    zahl = float(zahl)
    return zahl if math.isfinite(zahl) else None


#: Which number columns carry a value for each kind of computation (others stay empty).
_HAT_ZAEHLER = {
    Berechnung.PERSONEN,
    Berechnung.ANTEIL,
    Berechnung.AKTIVITAETEN_ANTEIL,
    Berechnung.AKTIVITAETEN_ANZAHL,
    Berechnung.AKTIVITAETEN_SUMME,
    Berechnung.AKTIVITAETEN_RATE,
}
_HAT_NENNER = {
    Berechnung.ANTEIL,
    Berechnung.AKTIVITAETEN_ANTEIL,
    Berechnung.AKTIVITAETEN_SUMME,
    Berechnung.AKTIVITAETEN_RATE,
}
_HAT_KI = {
    Berechnung.ANTEIL,
    Berechnung.AKTIVITAETEN_ANTEIL,
    Berechnung.VORHER_NACHHER,
    Berechnung.VORHER_NACHHER_JA_NEIN,
}


def _freigegeben(wert: Any, unterdrueckt: bool, marke: _Marke, gilt: bool = True) -> Any:
    """The released value, the suppression mark, or nothing where the column does not apply."""
    if not gilt:
        return None
    if unterdrueckt:
        return marke
    return _wert(wert)


def _ziel_label(ziel: Ziel) -> str:
    return f"{ziel.value}) {ZIEL_NAMEN[ziel]}"


def _quartal_label(periode: str) -> str:
    jahr, quartal = periode.split("-")
    return f"{quartal} {jahr}"


def _zeilenhoehe(text: str, breite: float, minimum: float = 15) -> float:
    """Row height (points) for wrapped text in a column ``breite`` characters wide."""
    zeilen = sum(max(1, math.ceil(len(teil) / max(breite, 1))) for teil in text.split("\n"))
    return max(minimum, 15 * zeilen + 2)


# -- sheets ------------------------------------------------------------------------------------
def _deckblatt(mappe: _Mappe, db: Datenbank, d: _Daten, projektname: str, heute: date) -> None:
    b = mappe.blatt("Deckblatt", [30, 18, 14, 11, 11, 11, 11, 11])
    breite_text = 18 + 14 + 5 * 11
    b.schreibe([f"{projektname} – Wirkungsbericht"], "titel", hoehe=24)
    b.schreibe([f"Förderaufruf: {FOERDERAUFRUF}"], "notiz")
    b.leerzeile()
    f = d.filter_
    if f.von or f.bis:
        von = f.von.strftime("%d.%m.%Y") if f.von else "Beginn"
        bis = f.bis.strftime("%d.%m.%Y") if f.bis else "heute"
        zeitraum = f"{von} bis {bis}"
    else:
        zeitraum = "gesamter Datenbestand"
    if f.standorte:
        standorte = "; ".join(f"{s} ({d.name(s)})" for s in f.standorte)
    else:
        anzahl = len(d.qualitaet.meldestand) if d.qualitaet is not None else len(d.namen)
        standorte = f"alle ({anzahl} Standorte)"
    formate = ", ".join(FORMAT_LABELS.get(x, x) for x in f.formate) if f.formate else "alle"
    # Import times are not data of an approved quarter: a protected report does not show them.
    letzter_import = (
        None if d.qualitaet is None else db.scalar("SELECT max(zeitpunkt) FROM importe")
    )
    s = d.schwellen
    zeilen: list[tuple[str, Any, str]] = [
        ("Projekt", projektname, "umbruch"),
        ("Zeitraum", zeitraum, "umbruch"),
        ("Standorte", standorte, "umbruch"),
        ("Formate", formate, "umbruch"),
        ("Stichtag der Bewertung", d.haupt.bewertet_am or d.stichtag, "datum_links"),
        (
            "Bewertung der Ziele",
            bewertungs_text(d.haupt.bewertet_am, bool(f.von or f.bis)),
            "umbruch",
        ),
        ("Erstellt am", heute, "datum_links"),
        (
            "Datenstand (letzter Import)",
            letzter_import
            or (
                "in dieser Fassung nicht ausgewiesen" if d.qualitaet is None else "noch kein Import"
            ),
            "zeit_links",
        ),
        (
            "Datenschutz",
            f"Werte, die auf weniger als {s.min_personen} Personen beruhen, erscheinen als "
            f"„< {s.min_personen}“ (Vorher-Nachher-Effekte: weniger als {s.min_paare} Paare, "
            f"„< {s.min_paare}“) und nie als 0; ließe sich ein solcher Wert aus einer Summe "
            "zurückrechnen, werden weitere mit unterdrückt (Zeichen „•“).",
            "umbruch",
        ),
    ]
    if hat_demo(db):
        zeilen.append(
            ("Hinweis", "Der Bericht enthält Demo-Daten (erfundene Beispieldaten).", "umbruch")
        )
    for bezeichnung, wert, stil in zeilen:
        hoehe = _zeilenhoehe(wert, breite_text) if isinstance(wert, str) else None
        nummer = b.schreibe([bezeichnung, wert], ["fett", stil], hoehe=hoehe)
        if stil == "umbruch":
            b.verbinden(f"B{nummer}:H{nummer}")
    b.leerzeile()
    wessen = "ganzes Projekt bzw. Auswahl" if d.bezug == GESAMT else f"Standort {d.name(d.bezug)}"
    b.schreibe([f"Stand der Wirkungsziele ({wessen})"], "abschnitt")
    kopf = ["Wirkungsziel", "Zielerreichung (%)", "Status", *map(str, STATUS_REIHENFOLGE)]
    erste = b.schreibe(kopf, _kopfstile(["text", "z0", "text", *["z0"] * 5]), hoehe=30) + 1
    for stand in ziel_zusammenfassung(d.haupt.indikatoren, d.bezug):
        b.schreibe(
            [
                _ziel_label(stand.ziel),
                stand.zielerreichung,
                status_text(stand.status),
                *(stand.anzahl[x] for x in STATUS_REIHENFOLGE),
            ],
            ["text", "z0", "text", *["z0"] * len(STATUS_REIHENFOLGE)],
        )
    b.status_farben(f"C{erste}:C{b.zeile}")
    b.schreibe(["Die Spalten rechts zählen die Indikatoren mit Zielwert je Status."], "notiz")
    b.leerzeile()
    b.schreibe(["Inhalt"], "abschnitt")
    for name, inhalt in (
        ("Zielerreichung", "Indikatoren mit Basis-, Ziel- und Istwert, Status und Quartalswerten"),
        ("Ziel a, Ziel b, Ziel c", "Werte je Indikator, Standort und Gruppe mit Diagrammen"),
        ("Vorher-Nachher", "alle Vorher-Nachher-Vergleiche mit Effektstärken und Match-Quote"),
        ("Standortvergleich", "alle Indikatoren je Standort"),
        ("Meta-Analyse", "Veränderungen der Standorte gepoolt (zufällige Effekte, τ², I²)"),
        ("Vergleichsgruppe", "Wirkung: Veränderung Teilnehmende minus Vergleichsgruppe (DiD)"),
        ("Formate", "Indikatoren nach Format (digital, hybrid, Präsenz)"),
        ("Datenqualität", "Meldestand, Vollständigkeit, Verbleib, Ausfall, Widersprüche"),
        ("Methodik", "Definition jedes Indikators und die Rechenregeln"),
        ("Diagrammdaten", "Quelldaten der Diagramme (unterdrückte Werte leer)"),
    ):
        b.schreibe([name, inhalt], ["fett", "text"])
    b.querformat(auf_breite=True)


def _ziel_hinweis(zeile: dict[str, Any]) -> str | None:
    """Why a target row reads as it does: a pro rata target, a target against the direction."""
    hinweise = []
    if zeile.get("ziel_anteilig"):
        hinweise.append("Zielwert anteilig für den gewählten Zeitraum")
    if zeile.get("ziel_gegen_richtung"):
        bestaetigt = bool(zeile.get("ziel_richtung_bestaetigt"))
        hinweise.append(
            "Zielwert entgegen der Indikatorrichtung "
            f"({'ausdrücklich bestätigt' if bestaetigt else 'nicht bestätigt'})"
        )
    return "; ".join(hinweise) or None


def _zielerreichung(mappe: _Mappe, d: _Daten) -> None:
    perioden = d.perioden
    kopf = [
        "ID",
        "Ziel",
        "Indikator",
        "Stufe",
        "Einheit",
        "Richtung",
        "Standort",
        "Basiswert",
        "Zielwert",
        "Stichtag",
        "Ist",
        "Zielerreichung (%)",
        "Status",
        "Zähler",
        "Nenner",
        "n",
        "Hinweis zum Ziel",
        *(_quartal_label(p) for p in perioden),
    ]
    breiten = [6, 15, 36, 6, 16, 16, 30, 10, 10, 11, 10, 16, 12, 10, 10, 9, 24]
    b = mappe.blatt("Zielerreichung", [*breiten, *[10] * len(perioden)])
    muster = ["text"] * 7 + ["z0", "z0", "text", "z0", "z0", "text", "z0", "z0", "z0", "text"]
    b.schreibe(kopf, _kopfstile(muster + ["z0"] * len(perioden)), hoehe=32)
    tabelle = d.haupt.indikatoren
    gesamt = tabelle[(tabelle["gruppe"] == GESAMT) & (tabelle["periode"] == GESAMT)]
    projekt = gesamt[gesamt["standort"] == GESAMT]
    standorte = gesamt[(gesamt["standort"] != GESAMT) & gesamt["zielwert"].notna()]
    standorte = standorte.sort_values("standort", kind="stable")
    q = d.quartale.indikatoren
    q = q[(q["gruppe"] == GESAMT) & (q["periode"] != GESAMT)]
    quartalswerte = {
        (i, s, p): (w, u, g)
        for i, s, p, w, u, g in zip(
            q["indikator"],
            q["standort"],
            q["periode"],
            q["wert"],
            q["unterdrueckt"],
            q["sperrgrund"],
            strict=True,
        )
    }
    for zeile in pd.concat([projekt, standorte]).to_dict("records"):
        ind = REGISTER[zeile["indikator"]]
        marke = d.marke(ind, zeile["sperrgrund"])
        zahl = _zahl_stil(ind.dezimalstellen)
        aus = bool(zeile["unterdrueckt"])
        quartale = []
        for periode in perioden:
            wert, verdeckt, grund = quartalswerte.get(
                (ind.id, zeile["standort"], periode), (None, False, "")
            )
            quartale.append(_freigegeben(wert, bool(verdeckt), d.marke(ind, grund)))
        b.schreibe(
            [
                ind.id,
                _ziel_label(ind.ziel),
                ind.name,
                ind.stufe,
                ind.einheit,
                RICHTUNG_LABEL[ind.richtung],
                d.name(zeile["standort"]),
                _wert(zeile["basiswert"]),
                _wert(zeile["zielwert"]),
                zeile["stichtag"] if pd.notna(zeile["stichtag"]) else None,
                _freigegeben(zeile["wert"], aus, marke),
                _wert(zeile["zielerreichung"]),
                status_text(zeile["status"]),
                _freigegeben(zeile["zaehler"], aus, marke, ind.berechnung in _HAT_ZAEHLER),
                _freigegeben(zeile["nenner"], aus, marke, ind.berechnung in _HAT_NENNER),
                _freigegeben(zeile["n"], aus, marke),
                _ziel_hinweis(zeile),
                *quartale,
            ],
            [
                *["text"] * 3,
                "mitte",
                "text",
                "text",
                "text",
                zahl,
                zahl,
                "datum",
                zahl,
                "z0",
                "text",
                "z0",
                "z0",
                "z0",
                "text",
                *[zahl] * len(perioden),
            ],
        )
    b.tabelle_einrichten(1, len(kopf), "D2")
    b.status_farben(f"M2:M{max(b.zeile, 2)}")
    # one page would shrink the quarter columns unreadably: two widths, the indicator on each
    b.querformat(auf_breite=True, seiten_breit=2, titelspalten="A:C")


@dataclass(frozen=True, slots=True)
class _Diagrammquellen:
    """Where each chart finds its data on the sheet *Diagrammdaten*."""

    blatt: Worksheet
    quartal_zeilen: tuple[int, int]  # header row, last row
    standort_zeilen: tuple[int, int]
    spalte: dict[str, int]  # indicator → column in both blocks
    format_bloecke: dict[str, tuple[int, int]]  # "anteile" / "punkte" → header row, last row


def _diagrammdaten(mappe: _Mappe, d: _Daten) -> _Diagrammquellen:
    """Chart source tables; suppressed values are left empty so no chart draws them as 0."""
    b = mappe.blatt("Diagrammdaten", [32, *[15] * len(INDIKATOREN)])
    b.schreibe(["Quelldaten der Diagramme"], "titel", hoehe=24)
    b.schreibe(
        [
            "Leere Zelle = Wert unterdrückt (zu wenige Personen) oder keine Daten; die Tabellen "
            "mit Kennzeichnung stehen auf den anderen Blättern. Diagramme zeichnen leere Zellen "
            "als Lücke, nicht als 0."
        ],
        "notiz",
    )
    spalte = {ind.id: nummer for nummer, ind in enumerate(INDIKATOREN, start=2)}
    kopf = [f"{i.id} {i.name} ({i.einheit})" for i in INDIKATOREN]
    zahlen = [_zahl_stil(i.dezimalstellen) for i in INDIKATOREN]

    def block(
        titel: str, erste: str, zeilen: Iterable[tuple[str, dict[str, float | None]]]
    ) -> tuple[int, int]:
        b.leerzeile()
        b.schreibe([titel], "abschnitt")
        kopfzeile = b.schreibe([erste, *kopf], "kopf", hoehe=90)
        for label, werte in zeilen:
            b.schreibe([label, *(werte.get(i.id) for i in INDIKATOREN)], ["text", *zahlen])
        return kopfzeile, b.zeile

    def freigegeben(tabelle: pd.DataFrame, schluessel: str) -> dict[str, dict[str, float | None]]:
        frei = tabelle[~tabelle["unterdrueckt"]]
        werte: dict[str, dict[str, float | None]] = {}
        for k, i, w in zip(frei[schluessel], frei["indikator"], frei["wert"], strict=True):
            werte.setdefault(k, {})[i] = _wert(w)
        return werte

    q = d.quartale.indikatoren
    q = q[(q["standort"] == GESAMT) & (q["gruppe"] == GESAMT) & (q["periode"] != GESAMT)]
    qw = freigegeben(q, "periode")
    quartal_zeilen = block(
        "Quartalswerte, Projekt gesamt",
        "Quartal",
        ((_quartal_label(p), qw.get(p, {})) for p in d.perioden),
    )
    h = d.haupt.indikatoren
    h = h[(h["standort"] != GESAMT) & (h["gruppe"] == GESAMT)]
    sw = freigegeben(h, "standort")
    standort_zeilen = block(
        "Standortvergleich, gesamter Zeitraum",
        "Standort",
        ((d.name(s), sw.get(s, {})) for s in sorted(set(h["standort"]))),
    )
    f = d.formate.indikatoren
    f = f[(f["standort"] == GESAMT) & (f["gruppe"] != GESAMT) & ~f["unterdrueckt"]]
    fw = {(i, g): _wert(w) for i, g, w in zip(f["indikator"], f["gruppe"], f["wert"], strict=True)}
    format_bloecke = {}
    for name, titel, auswahl in _FORMAT_DIAGRAMME:
        b.leerzeile()
        b.schreibe([titel], "abschnitt")
        kopfzeile = b.schreibe(["Indikator", *(FORMAT_LABELS[x] for x in FORMATE)], "kopf")
        for ind in auswahl:
            b.schreibe(
                [f"{ind.id} {ind.name}", *(fw.get((ind.id, x)) for x in FORMATE)],
                ["text", *[_zahl_stil(ind.dezimalstellen)] * len(FORMATE)],
            )
        format_bloecke[name] = (kopfzeile, b.zeile)
    b.querformat(auf_breite=True, seiten_breit=3, titelspalten="A:A")
    return _Diagrammquellen(b.ws, quartal_zeilen, standort_zeilen, spalte, format_bloecke)


_FORMAT_DIAGRAMME: tuple[tuple[str, str, tuple[Indikator, ...]], ...] = (
    ("anteile", "Anteile nach Format (%)", tuple(i for i in INDIKATOREN if i.einheit == "%")),
    (
        "punkte",
        "Vorher-Nachher-Veränderung nach Format (Punkte)",
        tuple(i for i in INDIKATOREN if i.vorher_nachher and i.einheit == "Punkte"),
    ),
)
_ZEILE_CM = 0.53  # height of a default row (15 pt) in centimetres


def _achsen(diagramm: LineChart | BarChart, titel: str, y_titel: str) -> None:
    """A modest title, visible axes (openpyxl 3.1 hides them unless told), gaps for blanks."""
    diagramm.title = titel
    schrift = CharacterProperties(sz=1100, b=True)
    for absatz in diagramm.title.tx.rich.p:
        absatz.pPr = ParagraphProperties(defRPr=schrift)
        for lauf in absatz.r or []:
            lauf.rPr = schrift
    diagramm.x_axis.delete = False
    diagramm.y_axis.delete = False
    diagramm.y_axis.title = y_titel
    diagramm.display_blanks = "gap"


def _linie(quellen: _Diagrammquellen, ind: Indikator) -> LineChart | None:
    kopf, ende = quellen.quartal_zeilen
    if ende <= kopf:
        return None
    spalte = quellen.spalte[ind.id]
    diagramm = LineChart()
    diagramm.add_data(
        Reference(quellen.blatt, min_col=spalte, min_row=kopf, max_row=ende),
        titles_from_data=True,
    )
    diagramm.set_categories(Reference(quellen.blatt, min_col=1, min_row=kopf + 1, max_row=ende))
    diagramm.series[0].marker.symbol = "circle"
    diagramm.series[0].smooth = False
    diagramm.legend = None
    diagramm.width, diagramm.height = 16, 7.5
    _achsen(diagramm, f"{ind.id} {ind.name}: Quartale (Projekt)", ind.einheit)
    return diagramm


def _balken(quellen: _Diagrammquellen, ind: Indikator) -> BarChart | None:
    kopf, ende = quellen.standort_zeilen
    if ende <= kopf:
        return None
    spalte = quellen.spalte[ind.id]
    diagramm = BarChart()
    diagramm.type = "bar"
    diagramm.x_axis.scaling.orientation = "maxMin"  # first site on top, as in the tables
    diagramm.y_axis.crosses = "max"  # keeps the value axis at the bottom
    diagramm.x_axis.tickLblPos = "low"  # site names left of the plot, also beside negative bars
    diagramm.add_data(
        Reference(quellen.blatt, min_col=spalte, min_row=kopf, max_row=ende),
        titles_from_data=True,
    )
    diagramm.set_categories(Reference(quellen.blatt, min_col=1, min_row=kopf + 1, max_row=ende))
    diagramm.legend = None
    diagramm.width = 16
    diagramm.height = min(max(7.5, 0.45 * (ende - kopf) + 2.5), 45)
    _achsen(diagramm, f"{ind.id} {ind.name}: Standorte", ind.einheit)
    if not ind.vorher_nachher:  # bars of counts and shares start at 0, or they mislead
        diagramm.y_axis.scaling.min = 0
    return diagramm


def _ziel_blatt(mappe: _Mappe, d: _Daten, ziel: Ziel, quellen: _Diagrammquellen) -> None:
    kopf = [
        "ID",
        "Indikator",
        "Standort-ID",
        "Standort",
        "Gruppe",
        "Einheit",
        "Wert",
        "n",
        "KI unten",
        "KI oben",
        "Zähler",
        "Nenner",
    ]
    b = mappe.blatt(f"Ziel {ziel.value}", [6, 36, 14, 30, 24, 18, 10, 9, 10, 10, 10, 10])
    b.schreibe(kopf, _kopfstile(["text"] * 6 + ["z0"] * 6), hoehe=30)
    ids = [i.id for i in INDIKATOREN if i.ziel is ziel]
    t = d.haupt.indikatoren
    t = t[t["indikator"].isin(ids) & (t["periode"] == GESAMT)]
    for ind_id, standort, gruppe, wert, n, unten, oben, zaehler, nenner, aus, grund in zip(
        t["indikator"],
        t["standort"],
        t["gruppe"],
        t["wert"],
        t["n"],
        t["ci_unten"],
        t["ci_oben"],
        t["zaehler"],
        t["nenner"],
        t["unterdrueckt"],
        t["sperrgrund"],
        strict=True,
    ):
        ind = REGISTER[ind_id]
        marke = d.marke(ind, grund)
        zahl = _zahl_stil(ind.dezimalstellen)
        aus = bool(aus)
        ki = ind.berechnung in _HAT_KI
        b.schreibe(
            [
                ind.id,
                ind.name,
                standort,
                d.name(standort),
                GRUPPEN_LABEL.get(gruppe, gruppe),
                ind.einheit,
                _freigegeben(wert, aus, marke),
                _freigegeben(n, aus, marke),
                _freigegeben(unten, aus, marke, ki),
                _freigegeben(oben, aus, marke, ki),
                _freigegeben(zaehler, aus, marke, ind.berechnung in _HAT_ZAEHLER),
                _freigegeben(nenner, aus, marke, ind.berechnung in _HAT_NENNER),
            ],
            ["text"] * 6 + [zahl, "z0", zahl, zahl, "z0", "z0"],
        )
    b.tabelle_einrichten(1, len(kopf), "C2")
    zeile = 2
    for ind_id in ids:
        ind = REGISTER[ind_id]
        linie, balken = _linie(quellen, ind), _balken(quellen, ind)
        if linie is not None:
            b.ws.add_chart(linie, f"N{zeile}")
        if balken is not None:
            b.ws.add_chart(balken, f"X{zeile}")
        hoehe = max(7.5, balken.height if balken is not None else 0)
        zeile += math.ceil(hoehe / _ZEILE_CM) + 2
    b.querformat(auf_breite=True, nur_tabelle=len(kopf), diagramme=f"N1:AH{zeile}")


def _vorher_nachher(mappe: _Mappe, d: _Daten) -> None:
    kopf = [
        "ID",
        "Indikator",
        "Einheit",
        "Standort-ID",
        "Standort",
        "Gruppe",
        "Welle",
        "n Paare",
        "Mittelwert vorher",
        "Mittelwert nachher",
        "Differenz",
        "KI unten",
        "KI oben",
        "d_z",
        "g_z",
        "p",
        "p (Holm)",
        "Personen mit T0",
        "Match-Quote (%)",
        "d_av",
        "d_av KI unten",
        "d_av KI oben",
    ]
    breiten = [6, 36, 14, 14, 30, 24, 7, 9, 11, 11, 10, 10, 10, 8, 8, 9, 9, 11, 11, 8, 9, 9]
    b = mappe.blatt("Vorher-Nachher", breiten)
    b.schreibe(kopf, _kopfstile(["text"] * 7 + ["z0"] * 15), hoehe=32)
    t = d.haupt.vorher_nachher
    reihenfolge = {i.id: k for k, i in enumerate(INDIKATOREN)}
    t = t.assign(_i=t["indikator"].map(reihenfolge)).sort_values(["_i", "welle"], kind="stable")
    marke_personen = _Marke(markierung(d.schwellen))
    spalten = [
        *VORHER_NACHHER_JSON,
        "p_holm",
        "n_t0",
        "match_quote",
        "match_unterdrueckt",
        "d_av",
        "d_av_unten",
        "d_av_oben",
        "sperrgrund",
    ]
    for (
        ind_id,
        standort,
        gruppe,
        welle,
        n,
        vorher,
        nachher,
        diff,
        unten,
        oben,
        dz,
        gz,
        p,
        aus,
        p_holm,
        n_t0,
        quote,
        match_aus,
        dav,
        dav_unten,
        dav_oben,
        grund,
    ) in zip(*(t[s] for s in spalten), strict=True):
        ind = REGISTER[ind_id]
        marke = d.marke(ind, grund)
        zahl = _zahl_stil(ind.dezimalstellen)
        aus, match_aus = bool(aus), bool(match_aus)
        effekt = ind.berechnung is Berechnung.VORHER_NACHHER
        b.schreibe(
            [
                ind.id,
                ind.name,
                ind.einheit,
                standort,
                d.name(standort),
                GRUPPEN_LABEL.get(gruppe, gruppe),
                welle,
                _freigegeben(n, aus, marke),
                _freigegeben(vorher, aus, marke),
                _freigegeben(nachher, aus, marke),
                _freigegeben(diff, aus, marke),
                _freigegeben(unten, aus, marke),
                _freigegeben(oben, aus, marke),
                _freigegeben(dz, aus, marke, effekt),
                _freigegeben(gz, aus, marke, effekt),
                _freigegeben(p, aus, marke),
                _freigegeben(p_holm, aus, marke),
                _freigegeben(n_t0, match_aus, marke_personen),
                _freigegeben(quote, match_aus, marke_personen),
                *(_freigegeben(x, aus, marke, effekt) for x in (dav, dav_unten, dav_oben)),
            ],
            [
                *["text"] * 6,
                "mitte",
                "z0",
                zahl,
                zahl,
                zahl,
                zahl,
                zahl,
                "effekt",
                "effekt",
                "p",
                "p",
                "z0",
                "z1",
                "effekt",
                "effekt",
                "effekt",
            ],
        )
    b.tabelle_einrichten(1, len(kopf), "C2")
    b.querformat(auf_breite=True)


def _standortvergleich(mappe: _Mappe, d: _Daten, quellen: _Diagrammquellen) -> None:
    kopf = ["Standort-ID", "Standort", *(f"{i.id} {i.name} ({i.einheit})" for i in INDIKATOREN)]
    b = mappe.blatt("Standortvergleich", [14, 30, *[17] * len(INDIKATOREN)])
    b.schreibe(kopf, _kopfstile(["text", "text", *["z0"] * len(INDIKATOREN)]), hoehe=90)
    t = d.haupt.indikatoren
    t = t[(t["gruppe"] == GESAMT) & (t["periode"] == GESAMT)]
    werte = {
        (s, i): (w, u, g)
        for s, i, w, u, g in zip(
            t["standort"],
            t["indikator"],
            t["wert"],
            t["unterdrueckt"],
            t["sperrgrund"],
            strict=True,
        )
    }
    orte = sorted(set(t["standort"]) - {GESAMT})
    stile = ["text", "text", *(_zahl_stil(i.dezimalstellen) for i in INDIKATOREN)]
    for standort in [GESAMT, *orte]:
        zeile: list[Any] = [standort, d.name(standort)]
        for ind in INDIKATOREN:
            wert, aus, grund = werte.get((standort, ind.id), (None, False, ""))
            zeile.append(_freigegeben(wert, bool(aus), d.marke(ind, grund)))
        b.schreibe(zeile, stile)
    b.tabelle_einrichten(1, len(kopf), "C2")
    balken = _balken(quellen, REGISTER["A1"])
    links, rechts = _BUCHSTABEN[len(kopf) + 2], _BUCHSTABEN[len(kopf) + 11]
    diagramme = ""
    if balken is not None:
        b.ws.add_chart(balken, f"{links}2")
        diagramme = f"{links}1:{rechts}{math.ceil(balken.height / _ZEILE_CM) + 3}"
    # 23 columns cannot fit one page width readably: three widths, site columns on each
    b.querformat(
        auf_breite=True,
        nur_tabelle=len(kopf),
        diagramme=diagramme,
        seiten_breit=3,
        titelspalten="A:B",
    )


def _meta_analyse(mappe: _Mappe, d: _Daten) -> None:
    """Site changes pooled by a random-effects model beside the pooled raw-data change."""
    kopf = [
        "ID",
        "Indikator",
        "Einheit",
        "Welle",
        "Veränderung gepoolt (Rohdaten)",
        "KI unten",
        "KI oben",
        "Standorte",
        "Mittel zufällige Effekte",
        "KI unten (ZE)",
        "KI oben (ZE)",
        "τ²",
        "I² (%)",
        "Q",
        "Vorhersage unten",
        "Vorhersage oben",
    ]
    b = mappe.blatt("Meta-Analyse", [6, 36, 14, 7, 14, 10, 10, 10, 14, 11, 11, 9, 8, 9, 11, 11])
    b.schreibe(kopf, _kopfstile(["text"] * 4 + ["z0"] * 12), hoehe=45)
    t = d.haupt.vorher_nachher
    t = t[(t["gruppe"] == GESAMT) & (t["periode"] == GESAMT)]
    for ind in INDIKATOREN:
        if not ind.vorher_nachher:
            continue
        zahl = _zahl_stil(ind.dezimalstellen)
        for welle in sorted(set(t["welle"])):
            teil = t[(t["indikator"] == ind.id) & (t["welle"] == welle)]
            orte = teil[(teil["standort"] != GESAMT) & ~teil["unterdrueckt"].astype(bool)]
            gesamt = teil[teil["standort"] == GESAMT]
            aus = gesamt.empty or bool(gesamt.iloc[0]["unterdrueckt"])
            roh = [None] * 3 if gesamt.empty else [
                _freigegeben(gesamt.iloc[0][s], aus, d.marke(ind, gesamt.iloc[0]["sperrgrund"]))
                for s in ("differenz", "ci_unten", "ci_oben")
            ]  # fmt: skip
            meta = standort_metaanalyse(
                orte["differenz"], orte["ci_unten"], orte["ci_oben"], orte["n_paare"],
                t_intervall_=ind.berechnung is Berechnung.VORHER_NACHHER,
            )  # fmt: skip
            zufall: list[Any] = [len(orte), *[None] * 8]
            if meta is not None:
                zufall = [
                    meta.k, meta.mittel, meta.unten, meta.oben, meta.tau2, 100 * meta.i2,
                    meta.q, _wert(meta.vorhersage_unten), _wert(meta.vorhersage_oben),
                ]  # fmt: skip
            b.schreibe(
                [ind.id, ind.name, ind.einheit, welle, *roh, *zufall],
                [*["text"] * 3, "mitte", zahl, zahl, zahl, "z0", zahl, zahl, zahl,
                 "effekt", "z1", "effekt", zahl, zahl],
            )  # fmt: skip
    b.tabelle_einrichten(1, len(kopf), "C2")
    b.leerzeile()
    b.schreibe(
        [
            "Zufällige Effekte nach DerSimonian und Laird über die ausgewiesenen Standorte "
            "(unterdrückte Standorte fehlen). τ²: Varianz der wahren Veränderungen zwischen den "
            "Standorten; I²: Anteil der Streuung zwischen Standorten, der nicht Zufall ist; "
            "Vorhersageintervall: Bereich für die Veränderung an einem weiteren, ähnlichen "
            "Standort (ab 3 Standorten). Die gepoolte Veränderung aus den Rohdaten gewichtet "
            "jede Person gleich, das Mittel der zufälligen Effekte jeden Standort ähnlicher."
        ],
        "notiz",
    )
    b.querformat(auf_breite=True)


TEXT_VERGLEICH_GESCHUETZT = (
    "In der geschützten Fassung (zusammengefasste Ansicht) wird der Vergleich mit der "
    "Vergleichsgruppe nicht ausgewiesen: Er beruht auf Zählungen außerhalb der gemeinsam "
    "geschützten Tabelle. Die Projektleitung und die Evaluation sehen ihn im Dashboard."
)
TEXT_OHNE_VERGLEICH = (
    "Für diese Auswahl gibt es keine Vergleichsgruppe mit genügend Paaren. Die Blätter zeigen "
    "deshalb Veränderungen (vorher–nachher), keine Wirkungen: Ohne Vergleichsgruppe lässt sich "
    "der Beitrag des Projekts nicht von allgemeinen zeitlichen Entwicklungen trennen."
)
TEXT_VERGLEICH = (
    "Wirkung (Differenz-in-Differenzen) = Veränderung der Teilnehmenden minus Veränderung der "
    "Vergleichsgruppe (Personen, die genauso befragt wurden, aber nicht teilgenommen haben) "
    "zwischen T0 und der Folgebefragung. Annahme: Ohne das Projekt hätten sich beide Gruppen "
    "gleich entwickelt. 95-%-Konfidenzintervall für Punktwerte nach Welch (Standardfehler "
    "√(se₁² + se₂²), Freiheitsgrade nach Welch–Satterthwaite), für Ja/Nein-Indikatoren "
    "(Prozentpunkte) MOVER aus den Newcombe-Intervallen beider Gruppen (kein p-Wert). "
    "„Gesamt“ fasst die Standorte mit Vergleichsgruppe zusammen. Zellen, in denen eine der "
    "beiden Gruppen weniger als {paare} Paare hat, werden nicht gezeigt."
)


def _vergleichsgruppe(mappe: _Mappe, d: _Daten) -> None:
    """The DiD cells that are shown, with both groups' pairs and changes; a note otherwise."""
    b = mappe.blatt("Vergleichsgruppe", [6, 34, 14, 22, 7, 10, 13, 10, 13, 13, 10, 10, 9])
    b.querformat(auf_breite=True)  # also when the sheet holds only a note
    if d.vergleich is None:
        b.schreibe([TEXT_VERGLEICH_GESCHUETZT], "notiz")
        return
    gezeigt = mit_vergleichsgruppe(d.vergleich)
    if gezeigt.empty:
        b.schreibe([TEXT_OHNE_VERGLEICH], "notiz")
        return
    kopf = [
        "ID",
        "Indikator",
        "Einheit",
        "Standort",
        "Welle",
        "Paare Teilnehmende",
        "Veränderung Teilnehmende",
        "Paare Vergleichsgruppe",
        "Veränderung Vergleichsgruppe",
        "Wirkung (DiD)",
        "KI unten",
        "KI oben",
        "p (Welch)",
    ]
    b.schreibe(kopf, _kopfstile(["text"] * 5 + ["z0"] * 8), hoehe=45)
    for _, z in gezeigt.iterrows():
        ind = REGISTER[str(z["indikator"])]
        zahl = _zahl_stil(ind.dezimalstellen)
        standort = "Gesamt (Standorte mit Vergleichsgruppe)" if z["standort"] == GESAMT else None
        b.schreibe(
            [
                ind.id, ind.name, ind.einheit, standort or d.name(str(z["standort"])),
                f"T0→{z['welle']}", _wert(z["n_teilnehmende"]),
                _wert(z["veraenderung_teilnehmende"]), _wert(z["n_vergleich"]),
                _wert(z["veraenderung_vergleich"]), _wert(z["did"]), _wert(z["ci_unten"]),
                _wert(z["ci_oben"]), _wert(z["p_wert"]),
            ],
            [*["text"] * 4, "mitte", "z0", zahl, "z0", zahl, zahl, zahl, zahl, "p"],
        )  # fmt: skip
    b.tabelle_einrichten(1, len(kopf), "E2")
    b.leerzeile()
    b.schreibe([TEXT_VERGLEICH.format(paare=d.schwellen.min_paare)], "notiz")
    b.querformat(auf_breite=True)


def _formate(mappe: _Mappe, d: _Daten, quellen: _Diagrammquellen) -> None:
    kopf = ["ID", "Indikator", "Einheit"]
    for x in (*FORMATE, GESAMT):
        label = FORMAT_LABELS.get(x, "Gesamt")
        kopf += [label, f"n {label}"]
    b = mappe.blatt("Formate", [6, 36, 16, *[10, 9] * (len(FORMATE) + 1)])
    b.schreibe(kopf, _kopfstile(["text"] * 3 + ["z0"] * (len(kopf) - 3)), hoehe=30)
    t = d.formate.indikatoren
    t = t[(t["standort"] == GESAMT) & (t["periode"] == GESAMT)]
    werte = {
        (i, g): (w, n, u, s)
        for i, g, w, n, u, s in zip(
            t["indikator"],
            t["gruppe"],
            t["wert"],
            t["n"],
            t["unterdrueckt"],
            t["sperrgrund"],
            strict=True,
        )
    }
    for ind in INDIKATOREN:
        zeile: list[Any] = [ind.id, ind.name, ind.einheit]
        stile = ["text", "text", "text"]
        for x in (*FORMATE, GESAMT):
            wert, n, aus, grund = werte.get((ind.id, x), (None, None, False, ""))
            marke = d.marke(ind, grund)
            zeile += [_freigegeben(wert, bool(aus), marke), _freigegeben(n, bool(aus), marke)]
            stile += [_zahl_stil(ind.dezimalstellen), "z0"]
        b.schreibe(zeile, stile)
    b.tabelle_einrichten(1, len(kopf), "C2")
    anker = 2
    for name, titel, _ in _FORMAT_DIAGRAMME:
        kopfzeile, ende = quellen.format_bloecke[name]
        if ende <= kopfzeile:
            continue
        diagramm = BarChart()
        diagramm.type = "bar"  # horizontal: long indicator names stay readable
        diagramm.x_axis.scaling.orientation = "maxMin"
        diagramm.y_axis.crosses = "max"
        diagramm.grouping = "clustered"
        diagramm.add_data(
            Reference(
                quellen.blatt, min_col=2, max_col=1 + len(FORMATE), min_row=kopfzeile, max_row=ende
            ),
            titles_from_data=True,
        )
        diagramm.set_categories(
            Reference(quellen.blatt, min_col=1, min_row=kopfzeile + 1, max_row=ende)
        )
        diagramm.width, diagramm.height = 24, 12
        _achsen(diagramm, titel, "Prozent" if name == "anteile" else "Punkte")
        b.ws.add_chart(diagramm, f"{_BUCHSTABEN[len(kopf) + 2]}{anker}")
        anker += math.ceil(12 / _ZEILE_CM) + 2
    links, rechts = _BUCHSTABEN[len(kopf) + 2], _BUCHSTABEN[len(kopf) + 16]
    b.querformat(auf_breite=True, nur_tabelle=len(kopf), diagramme=f"{links}1:{rechts}{anker}")


def _dq_block(
    b: _Blatt,
    schluessel: str,
    kopf: Sequence[str],
    zeilen: Sequence[tuple[Sequence[Any], Sequence[str]]],
    breite_text: float,
) -> None:
    """Title, explanation and one data table (an Excel table with its own filter buttons)."""
    titel, text = dq.PRUEFUNGEN[schluessel]
    b.schreibe([titel], "abschnitt", hoehe=20)
    nummer = b.schreibe([text], "umbruch", hoehe=_zeilenhoehe(text, breite_text))
    b.verbinden(f"A{nummer}:{_BUCHSTABEN[len(_DQ_BREITEN)]}{nummer}")
    stile = _kopfstile(zeilen[0][1]) if zeilen else "kopf"
    kopfzeile = b.schreibe(list(kopf), stile, hoehe=45)
    if not zeilen:
        b.schreibe(["keine Einträge"], "notiz")
    for werte, stile in zeilen:
        b.schreibe(werte, stile)
    if zeilen:
        ref = f"A{kopfzeile}:{_BUCHSTABEN[len(kopf)]}{b.zeile}"
        tabelle = Table(displayName=f"DQ_{schluessel}", ref=ref)
        tabelle.tableColumns = [
            TableColumn(id=nummer, name=name) for nummer, name in enumerate(kopf, start=1)
        ]
        tabelle.autoFilter = AutoFilter(ref=ref)
        tabelle.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        b.ws.add_table(tabelle)
    b.leerzeile()


_DQ_BREITEN = (16, 40, 28, 17, 17, 14, 14, 14, 16)


def _datenqualitaet(mappe: _Mappe, d: _Daten) -> None:
    b = mappe.blatt("Datenqualität", _DQ_BREITEN)
    q = d.qualitaet
    if q is None:
        b.schreibe(["Datenqualität"], "titel", hoehe=24)
        b.schreibe([TEXT_OHNE_QUALITAET], "hinweis", hoehe=_zeilenhoehe(TEXT_OHNE_QUALITAET, 60))
        b.querformat(auf_breite=True)
        return
    marke = _Marke(markierung(d.schwellen))
    breite = sum(_DQ_BREITEN)
    b.schreibe(["Datenqualität"], "titel", hoehe=24)
    hinweis = (
        f"Stichtag {q.stichtag:%d.%m.%Y}; letztes vollständiges Quartal "
        f"{q.quartal_von:%d.%m.%Y} bis {q.quartal_bis:%d.%m.%Y}. {dq.TEXT_UNTERDRUECKUNG}"
    )
    nummer = b.schreibe([hinweis], "hinweis", hoehe=_zeilenhoehe(hinweis, breite))
    b.verbinden(f"A{nummer}:{_BUCHSTABEN[len(_DQ_BREITEN)]}{nummer}")
    b.leerzeile()

    def zahl(wert: Any, aus: bool) -> Any:
        """A NaN in a released-table row with a suppression flag is a suppressed cell."""
        frei = _wert(wert)
        return marke if frei is None and aus else frei

    m = q.meldestand
    _dq_block(
        b,
        "meldestand",
        [dq.SPALTEN[s] for s in m.columns],
        [
            (
                [
                    r.standort,
                    r.name,
                    r.letzte_befragung,
                    r.letzte_aktivitaet,
                    r.letzter_import,
                    r.aktivitaeten_quartal,
                    r.gemeldet,
                ],
                ["text", "text", "datum", "datum", "zeit", "z0", "mitte"],
            )
            for r in m.itertuples(index=False)
        ],
        breite,
    )
    v = q.vollstaendigkeit
    _dq_block(
        b,
        "vollstaendigkeit",
        ["Standort-ID", "Standort", *(dq.SPALTEN[s] for s in v.columns[1:-1])],
        [
            (
                [
                    r.standort,
                    d.name(r.standort),
                    r.welle if r.welle != GESAMT else "alle",
                    zahl(r.fragebogen, r.unterdrueckt),
                    *(
                        zahl(x, r.unterdrueckt)
                        for x in (r.anteil_ziel_a, r.anteil_ziel_b, r.anteil_ziel_c)
                    ),
                    zahl(r.anteil_mh_bekannt, r.unterdrueckt),
                ],
                ["text", "text", "mitte", "z0", "z1", "z1", "z1", "z1"],
            )
            for r in v.itertuples(index=False)
        ],
        breite,
    )
    t = q.trichter
    _dq_block(
        b,
        "trichter",
        ["Standort-ID", "Standort", *(dq.SPALTEN[s] for s in t.columns[1:-1])],
        [
            (
                [
                    r.standort,
                    d.name(r.standort),
                    *(
                        zahl(x, r.unterdrueckt)
                        for x in (r.n_t0, r.erreicht_t1, r.erreicht_t2, r.quote_t1, r.quote_t2)
                    ),
                ],
                ["text", "text", "z0", "z0", "z0", "z1", "z1"],
            )
            for r in t.itertuples(index=False)
        ],
        breite,
    )
    a = q.attrition
    _dq_block(
        b,
        "attrition",
        ["Standort-ID", "Standort", *(dq.SPALTEN[s] for s in a.columns[1:-1])],
        [
            (
                [
                    r.standort,
                    d.name(r.standort),
                    r.welle,
                    zahl(r.n_t0_mit, r.unterdrueckt),
                    zahl(r.ausfall_mit, r.unterdrueckt),
                    zahl(r.n_t0_ohne, r.unterdrueckt),
                    zahl(r.ausfall_ohne, r.unterdrueckt),
                    zahl(r.differenz_pp, r.unterdrueckt),
                    zahl(r.p_wert, r.unterdrueckt),
                ],
                ["text", "text", "mitte", "z0", "z1", "z0", "z1", "z1", "p"],
            )
            for r in a.itertuples(index=False)
        ],
        breite,
    )
    w = q.ausgangswerte
    _dq_block(
        b,
        "ausgangswerte",
        ["Standort-ID", "Standort", *(dq.SPALTEN[s] for s in w.columns[[0, *range(2, 9)]])],
        [
            (
                [
                    r.standort,
                    d.name(r.standort),
                    r.indikator,
                    r.welle,
                    zahl(r.n_mit, r.unterdrueckt),
                    zahl(r.mittel_mit, r.unterdrueckt),
                    zahl(r.n_ohne, r.unterdrueckt),
                    zahl(r.mittel_ohne, r.unterdrueckt),
                    zahl(r.std_differenz, r.unterdrueckt),
                    bool(r.warnung),
                ],
                ["text", "text", "mitte", "mitte", "z0", "z2", "z0", "z2", "effekt", "mitte"],
            )
            for r in w.itertuples(index=False)
        ],
        breite,
    )
    k = q.konsistenz
    _dq_block(
        b,
        "konsistenz",
        ["Standort-ID", "Standort", dq.SPALTEN["befund"], dq.SPALTEN["anzahl"]],
        [
            (
                [
                    r.standort,
                    d.name(r.standort),
                    dq.BEFUNDE.get(r.befund, r.befund),
                    zahl(r.anzahl, r.unterdrueckt),
                ],
                ["text", "text", "text", "z0"],
            )
            for r in k.itertuples(index=False)
        ],
        breite,
    )
    x = q.ausreisser
    _dq_block(
        b,
        "ausreisser",
        [dq.SPALTEN[s] for s in x.columns],
        [
            (
                [
                    r.aktivitaet_id,
                    r.titel,
                    r.standort,
                    r.datum,
                    r.teilnehmende_gesamt,
                    r.median,
                    r.mad,
                    r.z_wert,
                ],
                ["text", "text", "text", "datum", "z0", "z1", "z1", "z1"],
            )
            for r in x.itertuples(index=False)
        ],
        breite,
    )
    b.querformat(auf_breite=True)


def _methodik(mappe: _Mappe, d: _Daten) -> None:
    breiten = [6, 28, 70, 16, 6, 28, 14, 16, 12, 22]
    b = mappe.blatt("Methodik", breiten)
    kopf = [
        "ID",
        "Indikator",
        "Beschreibung",
        "Ziel",
        "Stufe",
        "Wirkungstreppe",
        "Einheit",
        "Richtung",
        "Quelle",
        "Berechnung",
    ]
    b.schreibe(kopf, "kopf", hoehe=30)
    for ind in INDIKATOREN:
        b.schreibe(
            [
                ind.id,
                ind.name,
                ind.beschreibung,
                _ziel_label(ind.ziel),
                ind.stufe,
                WIRKUNGSTREPPE[ind.stufe],
                ind.einheit,
                RICHTUNG_LABEL[ind.richtung],
                str(ind.quelle),
                BERECHNUNG_LABEL[ind.berechnung],
            ],
            ["fett", "fett_umbruch", "umbruch", "umbruch", "mitte", "umbruch", *["umbruch"] * 4],
            hoehe=_zeilenhoehe(ind.beschreibung, breiten[2]),
        )
    b.tabelle_einrichten(1, len(kopf), "C2")
    b.leerzeile()
    s = d.schwellen
    regeln: list[tuple[str, str]] = [
        *((f"Wirkungsziel {_ziel_label(z)}", ZIEL_BESCHREIBUNG[z]) for z in Ziel),
        (
            "Wirkungstreppe (PHINEO)",
            "\n".join(f"Stufe {k}: {text}" for k, text in WIRKUNGSTREPPE.items()),
        ),
        *STATISTIK_REGELN,
        (
            "Unterdrückung kleiner Zellen",
            f"Ein Wert, der auf weniger als {s.min_personen} Personen beruht, wird nicht "
            f"ausgewiesen und erscheint als „< {s.min_personen}“ (grau), nie als 0. "
            f"Vorher-Nachher-Effekte brauchen mindestens {s.min_paare} Paare („< {s.min_paare}“). "
            "Stehen eine Summe und ihre Teile nebeneinander und ist genau ein Teil unterdrückt, "
            "werden weitere unterdrückt (Zeichen „•“), damit sich der erste nicht zurückrechnen "
            "lässt. Das "
            "geschieht in der Berechnung, daher gilt es für Dashboard, Kommandozeile und Bericht "
            "gleich.",
        ),
        ("Zielerreichung und Status", REGEL_TEXT),
        *((f"Datenqualität: {titel}", text) for titel, text in dq.PRUEFUNGEN.values()),
    ]
    b.schreibe(["", "Regeln und Begriffe"], "abschnitt", hoehe=20)
    for titel, text in regeln:
        b.schreibe(
            [None, titel, text],
            ["text", "fett_umbruch", "umbruch"],
            hoehe=_zeilenhoehe(text, breiten[2]),
        )
    b.querformat(auf_breite=True)


# -- public API --------------------------------------------------------------------------------
def schreibe_bericht(
    db: Datenbank,
    ziel: Path | BinaryIO,
    filter_: Filter | None = None,
    *,
    projektname: str = "Wirkungsmonitor",
    heute: date | None = None,
    zugriff: Zugriff | None = None,
) -> None:
    """Write the Excel report for the filter (its grouping and quarter switch are ignored).

    ``heute`` is the creation date and the reference date of the target status (default: the
    filter's end, else today) — pass it for reproducible reports. ``zugriff`` limits the report
    to what a dashboard session may read (None = everything, as for the command line).
    """
    inhalt = bericht_bytes(db, filter_, projektname=projektname, heute=heute, zugriff=zugriff)
    if isinstance(ziel, str | Path):
        Path(ziel).write_bytes(inhalt)
    else:
        ziel.write(inhalt)


def bericht_bytes(
    db: Datenbank,
    filter_: Filter | None = None,
    *,
    projektname: str = "Wirkungsmonitor",
    heute: date | None = None,
    zugriff: Zugriff | None = None,
) -> bytes:
    """The report as bytes, e.g. for the dashboard's download button (see
    :func:`schreibe_bericht`)."""
    schwellen = Schwellen.aus_umgebung()
    daten = _daten_erheben(db, filter_, heute, schwellen, zugriff)
    mappe = _Mappe(projektname)
    _deckblatt(mappe, db, daten, projektname, heute or date.today())
    _zielerreichung(mappe, daten)
    # The chart sources must exist before the charts refer to them; the sheet moves last below.
    quellen = _diagrammdaten(mappe, daten)
    for ziel in Ziel:
        _ziel_blatt(mappe, daten, ziel, quellen)
    _vorher_nachher(mappe, daten)
    _standortvergleich(mappe, daten, quellen)
    _meta_analyse(mappe, daten)
    _vergleichsgruppe(mappe, daten)
    _formate(mappe, daten, quellen)
    _datenqualitaet(mappe, daten)
    _methodik(mappe, daten)
    quellblatt = mappe.wb["Diagrammdaten"]
    mappe.wb.move_sheet(quellblatt, len(mappe.wb.sheetnames) - 1 - mappe.wb.index(quellblatt))
    return mappe.speichern()


def protokolliere_export(
    db: Datenbank,
    benutzer: str,
    art: str,
    filter_: Filter | None = None,
    datei: str | None = None,
) -> None:
    """Audit one export (``art``: "excel", "csv", "mikrodaten" …): who, which selection, where.

    Callers: the CLI ``export`` and the dashboard's download buttons (after the bytes exist).
    """
    auswahl = filter_ or Filter()
    protokolliere(
        db,
        benutzer,
        "export",
        {
            "art": art,
            "standorte": list(auswahl.standorte) or "alle",
            "von": auswahl.von,
            "bis": auswahl.bis,
            "formate": list(auswahl.formate) or "alle",
            "datei": datei,
        },
    )


def indikator_csv(
    db: Datenbank,
    filter_: Filter | None = None,
    deutsch: bool = True,
    zugriff: Zugriff | None = None,
) -> bytes:
    """The indicator table (SPEC §6 keys) as CSV; ``deutsch``: ';' and decimal comma for Excel.

    Suppressed cells are empty with ``unterdrueckt`` true, as in ``indikatoren --format csv``.
    """
    basis = replace(filter_ or Filter(), gruppierung=Gruppierung.MH, nach_quartal=False)
    tabelle = sicht.ergebnis(db, zugriff, basis).indikatoren
    return als_csv(tabelle[list(INDIKATOR_JSON)], deutsch=deutsch)

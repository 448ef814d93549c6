"""One-off measurement (issue 16): today's Excel writer against XlsxWriter on the same cells.

Not part of the product or the test run; XlsxWriter is no dependency. To repeat it::

    pip install xlsxwriter==3.3.1
    python benchmarks/run.py --schritte bericht --ordner /tmp/b   # makes the 100-site database
    python benchmarks/xlsxwriter_vergleich.py /tmp/b/standard/monitor.duckdb 3

How: the report is built once with every row recorded as :class:`monitor.bericht._Blatt`
writes it; XlsxWriter (constant-memory mode, strings never turned into formulas, numbers or
links) then writes exactly these cells with number formats, print setup and the goal sheets'
42 charts. Conditional formats, tables and the full style sheet are left out, so the XlsxWriter
time is a lower bound. The three timings run interleaved, so a change of load hits all alike.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from indikatoren.filter import Filter
from indikatoren.unterdrueckung import Schwellen
from monitor import bericht
from monitor.db import Datenbank

STICHTAG = date(2026, 11, 27)
FORMATE = {
    "p": "0.000",
    "effekt": "0.00",
    "mitte": "0",
    "datum": "dd.mm.yyyy",
    "datum_links": "dd.mm.yyyy",
    "zeit": "dd.mm.yyyy hh:mm",
    "zeit_links": "dd.mm.yyyy hh:mm",
    **{f"z{k}": f for k, f in enumerate(bericht._ZAHL_FORMATE)},
}
Zeilen = dict[str, list[tuple[int, list[Any], list[str]]]]


def gemessen(funktion: Callable[[], Any]) -> tuple[float, Any]:
    beginn = time.perf_counter()
    ergebnis = funktion()
    return time.perf_counter() - beginn, ergebnis


def aufnehmen(db: Datenbank) -> Zeilen:
    """Every row the report writes, per sheet: (row number, values, styles)."""
    aufnahme: Zeilen = {}
    original = bericht._Blatt.schreibe

    def schreibe(self: bericht._Blatt, werte: Any, stile: Any = "text", **art: Any) -> int:
        nummer = original(self, werte, stile, **art)
        liste = [stile] * len(werte) if isinstance(stile, str) else list(stile)
        aufnahme.setdefault(self.ws.title, []).append((nummer, list(werte), liste))
        return nummer

    bericht._Blatt.schreibe = schreibe  # type: ignore[method-assign]
    try:
        bericht.bericht_bytes(db, Filter(), heute=STICHTAG)
    finally:
        bericht._Blatt.schreibe = original  # type: ignore[method-assign]
    return aufnahme


def _zelle(ws: Any, zeile: int, spalte: int, wert: Any, fmt: Any, grau: Any) -> None:
    if wert is None or wert is pd.NaT or wert is pd.NA:
        return
    if isinstance(wert, str):
        ws.write_string(zeile, spalte, wert, fmt)
    elif isinstance(wert, bericht._Marke):
        ws.write_string(zeile, spalte, wert.text, grau)
    elif isinstance(wert, bool | np.bool_):
        ws.write_string(zeile, spalte, "ja" if wert else "nein", fmt)
    elif isinstance(wert, int | float | np.integer | np.floating):
        if np.isfinite(float(wert)):
            ws.write_number(zeile, spalte, float(wert), fmt)
    elif isinstance(wert, date | datetime):
        ws.write_datetime(zeile, spalte, pd.Timestamp(wert).to_pydatetime(), fmt)
    else:
        ws.write_string(zeile, spalte, str(wert), fmt)


def mit_xlsxwriter(aufnahme: Zeilen) -> bytes:
    ausgabe = io.BytesIO()
    optionen = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "in_memory": True,
    }
    wb = xlsxwriter.Workbook(ausgabe, optionen)
    formate = {name: wb.add_format({"num_format": f}) for name, f in FORMATE.items()}
    formate["kopf"] = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "text_wrap": True})
    grau = wb.add_format({"font_color": "#808080", "align": "right"})
    standard = wb.add_format({})
    for titel in bericht.BLATT_NAMEN:
        if titel not in aufnahme:
            continue
        ws = wb.add_worksheet(titel)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_header("&LBericht&R&A")
        ws.set_footer("&CSeite &P von &N")
        ws.repeat_rows(0)
        for nummer, werte, stile in aufnahme[titel]:
            for spalte, (wert, stil) in enumerate(zip(werte, stile, strict=True)):
                _zelle(ws, nummer - 1, spalte, wert, formate.get(stil, standard), grau)
        if titel.startswith("Ziel "):
            for k in range(7):  # a line and a bar chart per indicator, as today
                for art, spalte in (("line", 13), ("bar", 23)):
                    diagramm = wb.add_chart({"type": art})
                    diagramm.add_series(
                        {
                            "values": ["Diagrammdaten", 4, 1 + k, 12, 1 + k],
                            "categories": ["Diagrammdaten", 4, 0, 12, 0],
                        }
                    )
                    ws.insert_chart(1 + 16 * k, spalte, diagramm)
    wb.close()
    return ausgabe.getvalue()


def main() -> None:
    db = Datenbank(Path(sys.argv[1]), read_only=True)
    laeufe = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    schwellen = Schwellen.aus_umgebung()
    aufnahme = aufnehmen(db)
    zellen = sum(len(w) for zeilen in aufnahme.values() for _, w, _ in zeilen)
    daten, heute, neu = [], [], []
    roh = inhalt = b""
    for _ in range(laeufe):
        daten.append(
            gemessen(lambda: bericht._daten_erheben(db, Filter(), STICHTAG, schwellen, None))[0]
        )
        dauer, roh = gemessen(lambda: bericht.bericht_bytes(db, Filter(), heute=STICHTAG))
        heute.append(dauer)
        dauer, inhalt = gemessen(lambda: mit_xlsxwriter(aufnahme))
        neu.append(dauer)
    m = statistics.median
    print(f"Last {os.getloadavg()}; {zellen:,} Zellen, {len(aufnahme)} Blätter, {laeufe} Läufe")
    print(f"Daten erheben (für beide gleich):   Median {m(daten):.3f} s, Min {min(daten):.3f} s")
    print(f"heutiger Bericht gesamt:            Median {m(heute):.3f} s, Min {min(heute):.3f} s")
    print(f"  davon Schreiben (gesamt − Daten): Median {m(heute) - m(daten):.3f} s")
    print(f"XlsxWriter nur Schreiben:           Median {m(neu):.3f} s, Min {min(neu):.3f} s")
    print(f"XlsxWriter gesamt (Daten + Schr.):  Median {m(daten) + m(neu):.3f} s")
    print(f"Dateigröße: heute {len(roh) / 1024:.0f} KiB, XlsxWriter {len(inhalt) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()

"""Two real sites imported from CSV files, with hand counts — shared by the tests of the
per-site inventory (test_bestand_standorte.py) and the microdata export (test_mikrodaten.py).

KOELN: 12 persons at T0 (2025-02-10; MH 7 ja, 4 nein, 1 keine_angabe; 6 digital, 6 Präsenz),
7 of them at T1 (2025-05-12, digital), plus the person ``wechsel_x`` at T1 (digital), whose T0
is at BERLIN. BERLIN: 9 persons plus ``wechsel_x`` at T0 (2025-03-03, hybrid; MH 6 ja incl.
wechsel_x, 4 nein), 5 of them at T1 (2025-07-01, hybrid). Every person has one thermometer value
of their own, the same at every wave (so a test can tell whether rows of one person link up).

Imports, in order (import_id): 1 standorte.csv (both sites), 2 befragung_berlin.csv,
3 befragung_koeln.csv, 4 aktivitaeten.csv (KOELN a1–a3, BERLIN b1), 5 zielwerte.csv (KOELN).
"""

from __future__ import annotations

from pathlib import Path

from hilfen_zugang import STANDORTE_CSV

from monitor.db import Datenbank
from monitor.importieren import importiere

KOPF = "code;standort;welle;datum;format;migrationshintergrund;a_thermometer"
WECHSEL = "wechsel_x"
KOELN_MH = ["ja"] * 7 + ["nein"] * 4 + ["keine_angabe"]
KOELN_FORMAT = ["digital"] * 6 + ["praesenz"] * 6
BERLIN_MH = ["ja"] * 5 + ["nein"] * 4


def koeln_code(i: int) -> str:
    return f"koeln_p{i:02d}"


def berlin_code(i: int) -> str:
    return f"berlin_p{i:02d}"


#: Every participant code in the database (the export must contain none of them).
CODES = [*(koeln_code(i) for i in range(12)), *(berlin_code(i) for i in range(9)), WECHSEL]


def _befragung_berlin() -> str:
    zeilen = [KOPF]
    for i in range(9):
        zeilen.append(f"{berlin_code(i)};BERLIN;T0;2025-03-03;hybrid;{BERLIN_MH[i]};{50 + i}")
    zeilen.append(f"{WECHSEL};BERLIN;T0;2025-03-03;hybrid;ja;99")
    for i in range(5):
        zeilen.append(f"{berlin_code(i)};BERLIN;T1;2025-07-01;hybrid;;{50 + i}")
    return "\n".join(zeilen) + "\n"


def _befragung_koeln() -> str:
    zeilen = [KOPF]
    for i in range(12):
        zeilen.append(
            f"{koeln_code(i)};KOELN;T0;2025-02-10;{KOELN_FORMAT[i]};{KOELN_MH[i]};{10 + i}"
        )
    for i in range(7):
        zeilen.append(f"{koeln_code(i)};KOELN;T1;2025-05-12;digital;;{10 + i}")
    zeilen.append(f"{WECHSEL};KOELN;T1;2025-05-12;digital;;99")
    return "\n".join(zeilen) + "\n"


AKTIVITAETEN = (
    "aktivitaet_id;standort;datum;titel;typ;format;teilnehmende_gesamt\n"
    "a1;KOELN;2025-01-05;Erzählcafé;begegnung;digital;12\n"
    "a2;KOELN;2025-02-05;Workshop;workshop;hybrid;8\n"
    "a3;KOELN;2025-04-05;Stadtspaziergang;begegnung;praesenz;15\n"
    "b1;BERLIN;2025-09-01;Kiezfest;begegnung;digital;40\n"
)
ZIELWERTE = "indikator;standort;basiswert;zielwert;stichtag\nA1;KOELN;;50;2025-12-31\n"


def zwei_standorte(db: Datenbank, ordner: Path) -> None:
    """Import the five files above into ``db`` (files written to ``ordner``)."""
    dateien = {
        "standorte.csv": STANDORTE_CSV,
        "befragung_berlin.csv": _befragung_berlin(),
        "befragung_koeln.csv": _befragung_koeln(),
        "aktivitaeten.csv": AKTIVITAETEN,
        "zielwerte.csv": ZIELWERTE,
    }
    for name, text in dateien.items():
        pfad = ordner / name
        pfad.write_text(text, encoding="utf-8")
        importiere(db, pfad)

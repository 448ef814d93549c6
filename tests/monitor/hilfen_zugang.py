"""Shared helpers of the issue-7 tests (logins, audit, approval, backups, hostile input).

Real files and real databases only: these functions write CSV text the import reads, and build
sessions exactly as :func:`monitor.benutzer.anmelden` would return them.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pytest

from monitor.benutzer import Sitzung
from monitor.cli import main
from monitor.db import Datenbank
from monitor.importieren import importiere

STANDORTE_CSV = (
    "standort;name;ort;bundesland;lat;lon;start\n"
    "KOELN;Begegnungshaus Köln;Köln;Nordrhein-Westfalen;50,94;6,96;01.02.2025\n"
    "BERLIN;Kiezprojekt;Berlin;Berlin;;;2025-01-15\n"
)
BEFRAGUNG_KOPF = "code;standort;welle;datum;migrationshintergrund;zufriedenheit;a_thermometer"
AKTIVITAET_KOPF = "aktivitaet_id;standort;datum;titel;typ;format;teilnehmende_gesamt"
DATENTABELLEN = ("importe", "standorte", "befragungen", "aktivitaeten", "zielwerte")


def befragung_csv(zeilen: Iterable[tuple[str, str, str, str, str]]) -> str:
    """Rows (code, standort, welle, datum, mh) with fixed answers (zufriedenheit 4, thermo 60)."""
    return (
        BEFRAGUNG_KOPF + "\n" + "".join(f"{c};{s};{w};{d};{m};4;60\n" for c, s, w, d, m in zeilen)
    )


def personen(standort: str, anzahl: int, welle: str, datum: str, start: int = 0) -> list[tuple]:
    """``anzahl`` participants of one site and wave (codes p<site><n>, alternating MH)."""
    return [
        (f"p{standort.lower()}{i:04d}", standort, welle, datum, "ja" if i % 2 else "nein")
        for i in range(start, start + anzahl)
    ]


def aktivitaeten_csv(zeilen: Iterable[tuple[str, str, str, int]]) -> str:
    """Rows (aktivitaet_id, standort, datum, teilnehmende)."""
    return (
        AKTIVITAET_KOPF
        + "\n"
        + "".join(f"{a};{s};{d};Treffen {a};workshop;digital;{n}\n" for a, s, d, n in zeilen)
    )


def schreibe(pfad: Path, text: str) -> Path:
    pfad.write_text(text, encoding="utf-8")
    return pfad


def grunddaten(db: Datenbank, ordner: Path) -> None:
    """Two sites, 12 T0 questionnaires each in 2025-Q1, 8 T1 in 2025-Q2, two activities each."""
    importiere(db, schreibe(ordner / "standorte.csv", STANDORTE_CSV))
    zeilen = []
    for standort in ("KOELN", "BERLIN"):
        zeilen += personen(standort, 12, "T0", "2025-02-10")
        zeilen += [(c, s, "T1", "2025-05-12", "") for c, s, *_ in personen(standort, 8, "T0", "")]
    importiere(db, schreibe(ordner / "befragung.csv", befragung_csv(zeilen)))
    importiere(
        db,
        schreibe(
            ordner / "aktivitaeten.csv",
            aktivitaeten_csv(
                [
                    ("a1", "KOELN", "2025-02-01", 10),
                    ("a2", "KOELN", "2025-05-01", 12),
                    ("b1", "BERLIN", "2025-03-01", 8),
                    ("b2", "BERLIN", "2025-04-01", 9),
                ]
            ),
        ),
    )


def inhalt(db: Datenbank, tabellen: Iterable[str] = DATENTABELLEN) -> dict[str, list[tuple]]:
    """Every row of the given tables, sorted — to prove that something changed nothing."""
    return {t: sorted(db.rows(f"SELECT * FROM {t}"), key=repr) for t in tabellen}


def sitzung(rolle: str, standort: str | None = None, name: str | None = None) -> Sitzung:
    """A session as a login of this role would produce it."""
    return Sitzung(name or rolle, rolle, standort, datetime.now())


def protokoll_eintraege(db: Datenbank, was: str) -> list[tuple]:
    """(wer, details, grund) of every audit entry of one kind, oldest first."""
    return db.rows(
        "SELECT wer, details, grund FROM auditprotokoll WHERE was = ? ORDER BY id", [was]
    )


def cli(
    *args: str | Path,
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    eingabe: str = "",
) -> tuple[int, str, str]:
    """``python -m monitor`` in this process (fast): exit status, stdout, stderr.

    The real subprocess is covered by :func:`test_cli.monitor` elsewhere; here many commands run
    in a row, and each interpreter start would cost a second.
    """
    monkeypatch.setenv("MONITOR_DB", str(db))
    monkeypatch.setattr(sys, "stdin", io.StringIO(eingabe))
    capsys.readouterr()
    try:
        status = main([str(a) for a in args])
    except SystemExit as ende:  # argparse: wrong usage
        status = int(ende.code or 0)
    ausgabe = capsys.readouterr()
    assert "Traceback" not in ausgabe.out + ausgabe.err
    return status, ausgabe.out, ausgabe.err

"""``python -m monitor`` as a real subprocess: exit codes 0/1/2, German messages, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

REPO = Path(__file__).resolve().parents[2]


def monitor(*args: str | Path, db: Path | None = None, umgebung: dict[str, str] | None = None):
    """Run the CLI; ``db`` goes into MONITOR_DB so no test ever touches data/monitor.duckdb."""
    env = {k: v for k, v in os.environ.items() if k not in ("MONITOR_DB", "MONITOR_DEBUG")}
    if db is not None:
        env["MONITOR_DB"] = str(db)
    env.update(umgebung or {})
    lauf = subprocess.run(
        [sys.executable, "-m", "monitor", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in lauf.stderr + lauf.stdout
    return lauf


@pytest.fixture
def dbpfad(tmp_path: Path) -> Path:
    return tmp_path / "cli.duckdb"


def test_init_idempotent_und_db_vorrang(tmp_path: Path, dbpfad: Path) -> None:
    erst = monitor("init", db=dbpfad)
    assert erst.returncode == 0
    assert "0001_grundschema" in erst.stdout
    zweit = monitor("init", db=dbpfad)
    assert zweit.returncode == 0 and "nichts zu tun" in zweit.stdout
    explizit = tmp_path / "explizit.duckdb"
    umgebung = tmp_path / "umgebung.duckdb"
    assert monitor("--db", explizit, "init", db=umgebung).returncode == 0
    assert explizit.exists() and not umgebung.exists()


def test_import_ablehnung_deutsch_auf_stderr_und_nichts_geaendert(
    dbpfad: Path, schreibe, standorte_text, befragung_kopf
) -> None:
    standorte = schreibe("standorte.csv", standorte_text, encoding="cp1252")
    lauf = monitor("import", standorte, db=dbpfad)
    assert lauf.returncode == 0, lauf.stderr
    assert "2 neu" in lauf.stdout

    schlecht = schreibe(
        "befragung.csv",
        f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;ja;;\nabcd2;KOELN;T5;31.02.2025;ja;;abc\n",
    )
    lauf = monitor("import", schlecht, db=dbpfad)
    assert lauf.returncode == 1
    for teil in (
        "befragung.csv",
        "Zeile 3, Spalte 'welle', Wert 'T5': nicht erlaubt",
        "Zeile 3, Spalte 'datum', Wert '31.02.2025': ungültiges Datum",
        "Zeile 3, Spalte 'a_thermometer', Wert 'abc': keine Zahl",
        "Es wurde nichts importiert.",
    ):
        assert teil in lauf.stderr
    with duckdb.connect(str(dbpfad), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM befragungen").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM importe").fetchall() == [(1,)]

    pruefen = monitor("pruefen", schlecht, "--art", "befragung", db=dbpfad)
    assert pruefen.returncode == 1 and "Zeile 3, Spalte 'welle'" in pruefen.stderr


def test_import_ok_dann_bereits_importiert_und_pruefen_ok(
    dbpfad: Path, schreibe, standorte_text, befragung_kopf
) -> None:
    standorte = schreibe("standorte.csv", standorte_text)
    befragung = schreibe("b.csv", f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;ja;;\n")
    # a batch: the sites of the Standorte file count for the survey file
    pruefen = monitor("pruefen", befragung, standorte, db=dbpfad)
    assert pruefen.returncode == 0, pruefen.stderr
    assert "Keine Fehler" in pruefen.stdout
    assert "keine Datenbank" in pruefen.stderr
    assert not dbpfad.exists(), "pruefen legt keine Datenbank an"
    assert monitor("import", standorte, befragung, db=dbpfad).returncode == 0
    nochmal = monitor("import", befragung, db=dbpfad)
    assert nochmal.returncode == 0 and "bereits importiert" in nochmal.stdout


@pytest.mark.parametrize(
    ("datei", "inhalt", "meldung"),
    [
        ("fehlt.csv", None, "nicht gefunden"),
        ("muell.csv", b"\x00\x13\xff\x00" * 50, "keine Text-Tabelle"),
        ("leer.csv", b"", "ist leer"),
        ("unbekannt.csv", b"foo;bar\n1;2\n", "nicht erkennbar"),
        ("kaputt.xlsx", b"PK\x03\x04kaputt", "Excel"),
    ],
)
def test_unlesbare_dateien_exit_1(
    dbpfad: Path, tmp_path: Path, datei: str, inhalt: bytes | None, meldung: str
) -> None:
    pfad = tmp_path / datei
    if inhalt is not None:
        pfad.write_bytes(inhalt)
    lauf = monitor("import", pfad, db=dbpfad)
    assert lauf.returncode == 1
    assert lauf.stderr.startswith("Fehler:") and meldung in lauf.stderr
    assert datei in lauf.stderr


@pytest.mark.parametrize(
    ("args", "meldung"),
    [
        ((), "folgende Angaben fehlen: BEFEHL"),
        (("gibtsnicht",), "ungültige Auswahl 'gibtsnicht'"),
        (("import",), "folgende Angaben fehlen: DATEI"),
        (("import", "x.csv", "--art", "falsch"), "ungültige Auswahl 'falsch'"),
        (("demo", "--seed", "abc"), "'abc' ist keine ganze Zahl"),
        (("demo", "--standorte", "0"), "muss mindestens 1 sein"),
        (("init", "--unbekannt"), "unbekannte Angaben: --unbekannt"),
    ],
)
def test_falscher_aufruf_exit_2_deutsch(dbpfad: Path, args: tuple[str, ...], meldung: str) -> None:
    lauf = monitor(*args, db=dbpfad)
    assert lauf.returncode == 2
    assert "Fehler:" in lauf.stderr and meldung in lauf.stderr
    assert "Aufruf:" in lauf.stderr
    assert "usage" not in lauf.stderr and "error" not in lauf.stderr


def test_hilfe_deutsch() -> None:
    lauf = monitor("--help")
    assert lauf.returncode == 0
    for teil in ("Aufruf:", "Befehle", "init", "pruefen", "import", "vorlagen", "MONITOR_DB"):
        assert teil in lauf.stdout
    assert "show this help" not in lauf.stdout


def test_gesperrte_datenbank(dbpfad: Path, schreibe, standorte_text) -> None:
    standorte = schreibe("s.csv", standorte_text)
    assert monitor("init", db=dbpfad).returncode == 0
    with duckdb.connect(str(dbpfad)):  # a program that holds the file and never lets go
        lauf = monitor("import", standorte, db=dbpfad, umgebung={"MONITOR_WARTEN_S": "1"})
    assert lauf.returncode == 1
    assert "1 s lang von einem anderen Programm belegt" in lauf.stderr


def test_vorlagen_befehl(tmp_path: Path) -> None:
    ordner = tmp_path / "vorlagen"
    lauf = monitor("vorlagen", ordner, db=tmp_path / "nie.duckdb")
    assert lauf.returncode == 0, lauf.stderr
    assert "8 Vorlagen" in lauf.stdout
    mappe = openpyxl.load_workbook(ordner / "vorlage_aktivitaeten.xlsx")
    assert mappe["Daten"]["A1"].value == "aktivitaet_id"
    assert not (tmp_path / "nie.duckdb").exists()


def test_demo_befehl(dbpfad: Path) -> None:
    lauf = monitor("demo", "--seed", "3", "--standorte", "2", "--teilnehmende", "40", db=dbpfad)
    assert lauf.returncode == 0, lauf.stderr
    assert lauf.stdout.strip()
    with duckdb.connect(str(dbpfad), read_only=True) as con:
        anzahl, demo = con.execute("SELECT count(*), bool_and(demo) FROM befragungen").fetchall()[0]
    assert anzahl > 0 and demo

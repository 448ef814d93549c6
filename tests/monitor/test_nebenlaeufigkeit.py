"""Many sessions at once while someone imports, and an import killed halfway (kill -9).

Streamlit serves every browser session from its own thread of one process, all through one
:class:`~monitor.db.Datenbank` (one connection, a cursor per call, writers serialised). These
tests drive exactly that: engine runs in a loop from several threads while other threads import
and write audit entries — and a separate import process that is killed inside its transaction.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from hilfen_zugang import (
    aktivitaeten_csv,
    befragung_csv,
    grunddaten,
    inhalt,
    personen,
    schreibe,
)
from test_cli import REPO

from indikatoren.engine import berechne
from indikatoren.filter import Filter
from monitor.archiv import archivordner, verzeichnis
from monitor.audit import protokolliere, pruefe_protokoll
from monitor.db import Datenbank, verbinden
from monitor.importieren import importiere


def test_engine_laeuft_in_threads_waehrend_importiert_wird(db: Datenbank, tmp_path: Path) -> None:
    grunddaten(db, tmp_path)
    vorher = int(db.scalar("SELECT count(*) FROM befragungen"))
    dateien = [
        schreibe(
            tmp_path / f"teil{i}.csv",
            befragung_csv(personen("BERLIN", 3000, "T0", "2025-03-03", 1000 + 3000 * i)),
        )
        for i in range(3)
    ]
    aktivitaeten = schreibe(
        tmp_path / "akt.csv",
        aktivitaeten_csv([(f"x{i}", "KOELN", "2025-06-01", 5) for i in range(500)]),
    )
    erlaubt = {vorher + 3000 * k for k in range(4)}
    stopp = threading.Event()
    fehler: list[BaseException] = []
    gesehen: list[list[int]] = [[] for _ in range(3)]
    laeufe = [0, 0, 0]

    def leser(nummer: int) -> None:
        try:
            while not stopp.is_set():
                ergebnis = berechne(db, Filter())
                assert not ergebnis.indikatoren.empty
                gesehen[nummer].append(int(db.scalar("SELECT count(*) FROM befragungen")))
                laeufe[nummer] += 1
        except BaseException as f:  # collected, asserted below
            fehler.append(f)

    def importeur() -> None:
        try:
            for datei in [*dateien, aktivitaeten]:
                importiere(db, datei, benutzer="importeur")
        except BaseException as f:
            fehler.append(f)

    def protokollant() -> None:
        try:
            for i in range(40):
                protokolliere(db, "beobachter", "export", {"lauf": i})
        except BaseException as f:
            fehler.append(f)

    leser_faeden = [threading.Thread(target=leser, args=(i,)) for i in range(3)]
    schreiber = [threading.Thread(target=importeur), threading.Thread(target=protokollant)]
    for faden in leser_faeden:
        faden.start()
    time.sleep(0.3)
    for faden in schreiber:
        faden.start()
    for faden in schreiber:
        faden.join(timeout=60)
    time.sleep(0.3)  # the readers see the final state, too
    stopp.set()
    for faden in leser_faeden:
        faden.join(timeout=60)

    assert fehler == []
    assert min(laeufe) >= 2
    for folge in gesehen:
        assert set(folge) <= erlaubt  # never half an import (all or nothing, snapshot reads)
        assert folge == sorted(folge)  # never back in time
    assert db.scalar("SELECT count(*) FROM befragungen") == vorher + 9000  # no lost rows
    assert db.scalar("SELECT count(*) FROM aktivitaeten WHERE aktivitaet_id LIKE 'x%'") == 500
    assert pruefe_protokoll(db) == []  # appends from two writer threads never interleaved
    assert db.scalar("SELECT count(*) FROM auditprotokoll WHERE wer = 'beobachter'") == 40


#: Runs the real import in a child process and announces the start of its write transaction.
#: The wrapper only prints; it delegates to the real method and changes nothing.
_TREIBER = """
import sys
from contextlib import contextmanager

from monitor import db as modul

echt = modul.Datenbank.transaction


@contextmanager
def melden(self):
    with echt(self) as cur:
        print("TRANSAKTION", flush=True)
        yield cur


modul.Datenbank.transaction = melden
from monitor.importieren import importiere

datenbank = modul.verbinden(sys.argv[1])
importiere(datenbank, sys.argv[2])
print("FERTIG", flush=True)
"""


def test_abgebrochener_import_laesst_die_datenbank_konsistent(tmp_path: Path) -> None:
    pfad = tmp_path / "monitor.duckdb"
    with verbinden(pfad) as db:
        grunddaten(db, tmp_path)
        vorher = inhalt(db)
        eintraege = len(verzeichnis(archivordner(pfad)))
    gross = schreibe(
        tmp_path / "gross.csv", befragung_csv(personen("BERLIN", 100_000, "T0", "2025-03-03", 1000))
    )
    umgebung = {k: v for k, v in os.environ.items() if k != "MONITOR_DB"}
    prozess = subprocess.Popen(
        [sys.executable, "-c", _TREIBER, str(pfad), str(gross)],
        cwd=REPO,
        env=umgebung,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert prozess.stdout is not None
        assert prozess.stdout.readline().strip() == "TRANSAKTION"
        time.sleep(0.1)  # inside the bulk insert of 100 000 rows
        prozess.send_signal(signal.SIGKILL)
        rest, _ = prozess.communicate(timeout=30)
    finally:
        prozess.kill()
    assert prozess.returncode == -signal.SIGKILL
    assert "FERTIG" not in rest  # it really died inside the transaction

    with verbinden(pfad) as db:  # reopening replays the WAL
        assert inhalt(db) == vorher
        assert pruefe_protokoll(db) == []
        assert len(verzeichnis(archivordner(pfad))) == eintraege
        ergebnis = importiere(db, gross)  # and the same file imports fine afterwards
        assert ergebnis.neu == 100_000 and not ergebnis.bereits_importiert
        assert db.scalar("SELECT count(*) FROM befragungen") == len(vorher["befragungen"]) + 100_000

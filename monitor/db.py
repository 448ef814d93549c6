"""The one DuckDB access module: connect, migrate, query, transaction.

Every other module talks to the database through :class:`Datenbank`. Values are always bound as
parameters (``?``), never formatted into SQL. Streamlit serves each browser session from its own
thread and a DuckDB connection is not thread-safe, so every call opens its own cursor on the
shared connection (DuckDB's documented pattern for threads).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

MIGRATIONEN_DIR = Path(__file__).resolve().parent / "migrationen"
STANDARD_DB = Path(__file__).resolve().parent.parent / "data" / "monitor.duckdb"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Params = Sequence[Any] | dict[str, Any] | None


def db_pfad(explizit: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the database file: ``--db`` beats ``MONITOR_DB`` beats ``data/monitor.duckdb``."""
    if explizit:
        return Path(explizit)
    umgebung = os.environ.get("MONITOR_DB")
    return Path(umgebung) if umgebung else STANDARD_DB


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema change from ``monitor/migrationen``."""

    version: int
    name: str
    sql: str


def migrationen() -> list[Migration]:
    """All migrations in version order."""
    ergebnis = []
    for datei in sorted(MIGRATIONEN_DIR.glob("*.sql")):
        treffer = _MIGRATION_NAME.match(datei.name)
        if not treffer:
            raise RuntimeError(f"Migrationsdatei mit ungültigem Namen: {datei.name}")
        ergebnis.append(Migration(int(treffer.group(1)), datei.stem, datei.read_text("utf-8")))
    return ergebnis


#: One writer lock per database file: two Datenbank objects on the same file in one process
#: (DuckDB shares the instance) still write one after the other, so the audit trail's hash
#: chain, which reads the newest entry before appending, can never fork.
_SCHREIBSPERREN: dict[Path, threading.RLock] = {}
_SPERREN_ANLEGEN = threading.Lock()


def _schreibsperre(pfad: Path) -> threading.RLock:
    with _SPERREN_ANLEGEN:
        return _SCHREIBSPERREN.setdefault(pfad.resolve(), threading.RLock())


#: Steps to run after the commit of an open transaction, by the id of its cursor.
_NACH_COMMIT: dict[int, list[Callable[[], None]]] = {}


def nach_commit(cur: duckdb.DuckDBPyConnection, schritt: Callable[[], None]) -> None:
    """Run ``schritt`` once the transaction of ``cur`` has committed (never on a rollback).

    Why: state kept outside the database (the audit trail's head file, :mod:`monitor.audit`)
    must describe committed rows only. A cursor outside :meth:`Datenbank.transaction` runs it
    at once.
    """
    schritte = _NACH_COMMIT.get(id(cur))
    if schritte is None:
        schritt()
    else:
        schritte.append(schritt)


def _wartemarke(pfad: Path) -> Path:
    """A file that says "process <pid> waits for this database" (see :func:`_oeffnen`)."""
    return pfad.with_name(f".{pfad.name}.wartet.{os.getpid()}")


def andere_warten(pfad: Path) -> bool:
    """Whether another live process is waiting for the file (it gets priority)."""
    for marke in pfad.parent.glob(f".{pfad.name}.wartet.*"):
        try:
            prozess = int(marke.name.rsplit(".", 1)[1])
            if prozess != os.getpid():
                os.kill(prozess, 0)
                return True
        except ProcessLookupError:
            marke.unlink(missing_ok=True)  # left behind by a killed process
        except (ValueError, PermissionError, OSError):
            continue
    return False


def _oeffnen(
    pfad: Path, read_only: bool, warten_s: float, *, vortritt: bool = False
) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect``, retried for up to ``warten_s`` while another process holds the file.

    DuckDB lets one process write a file at a time (and no other process read it meanwhile).
    A process that has to wait leaves a marker (:func:`_wartemarke`); the dashboard
    (``vortritt``) then closes its connection at once and does not reopen while the marker's
    process lives, so a CLI command gets its turn even under constant page traffic.
    """
    ende = time.monotonic() + warten_s
    pause = 0.02
    marke = _wartemarke(pfad)
    try:
        while True:
            if vortritt and andere_warten(pfad) and time.monotonic() < ende:
                time.sleep(pause)
                pause = min(pause * 2, 0.25)
                continue
            try:
                return duckdb.connect(str(pfad), read_only=read_only)
            except duckdb.IOException as fehler:
                if "lock" not in str(fehler).lower() or time.monotonic() >= ende:
                    raise
                if not vortritt:
                    marke.touch()
                time.sleep(pause)
                pause = min(pause * 2, 0.25)
    finally:
        marke.unlink(missing_ok=True)


#: How long an unused connection of a ``kurz`` database stays open: the calls of one page run
#: follow each other closely, and opening a file costs 15–200 ms on a busy machine.
NACHLAUF_S = 1.0


class Datenbank:
    """A DuckDB database file with a cursor per call (safe across Streamlit's threads).

    ``kurz`` (the dashboard): the file is opened when a call needs it and closed
    :data:`NACHLAUF_S` after the last call — at once when another process waits for it — so
    other programs (the CLI: an import, ``benutzer entsperren``, ``protokoll --pruefen``) can
    use it in between. Otherwise the connection stays open until :meth:`close` (CLI commands,
    tests). ``warten_s``: how long to retry opening while another process holds the file.
    """

    def __init__(
        self,
        pfad: str | os.PathLike[str],
        *,
        read_only: bool = False,
        kurz: bool = False,
        warten_s: float = 0.0,
    ) -> None:
        self.pfad = Path(pfad)
        if not read_only:
            self.pfad.parent.mkdir(parents=True, exist_ok=True)
        self._read_only, self._kurz, self._warten_s = read_only, kurz, warten_s
        self._zustand = threading.Lock()
        self._nutzer = 0
        self._zuletzt = 0.0
        self._con: duckdb.DuckDBPyConnection | None = None
        if not kurz:
            self._con = _oeffnen(self.pfad, read_only, warten_s)
        else:
            threading.Thread(target=self._aufraeumen, daemon=True).start()
        self._schreiben = _schreibsperre(self.pfad)

    def _aufraeumen(self) -> None:
        """Close an idle ``kurz`` connection after :data:`NACHLAUF_S`, or when others wait."""
        while not getattr(self, "_geschlossen", False):
            time.sleep(0.05)
            with self._zustand:
                if self._con is None or self._nutzer:
                    continue
                if time.monotonic() - self._zuletzt > NACHLAUF_S or andere_warten(self.pfad):
                    self._con.close()
                    self._con = None

    @contextmanager
    def _verbindung(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The open connection for the duration of one call (opened on demand if ``kurz``)."""
        with self._zustand:
            if self._con is None:
                self._con = _oeffnen(
                    self.pfad, self._read_only, self._warten_s, vortritt=self._kurz
                )
            self._nutzer += 1
            con = self._con
        try:
            yield con
        finally:
            with self._zustand:
                self._nutzer -= 1
                self._zuletzt = time.monotonic()

    def close(self) -> None:
        self._geschlossen = True
        with self._zustand:
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> Datenbank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------
    def query(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run a SELECT and return a (small) DataFrame."""
        with self._verbindung() as con:
            cur = con.cursor()
            try:
                return cur.execute(sql, params).df()
            finally:
                cur.close()

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        with self._verbindung() as con:
            cur = con.cursor()
            try:
                return cur.execute(sql, params).fetchall()
            finally:
                cur.close()

    def scalar(self, sql: str, params: Params = None) -> Any:
        ergebnis = self.rows(sql, params)
        return ergebnis[0][0] if ergebnis else None

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One all-or-nothing unit of work; writers in this process are serialised.

        Steps registered with :func:`nach_commit` run after the ``COMMIT`` (still under the
        writer lock, in order); a rollback drops them.
        """
        with self._schreiben, self._verbindung() as con:
            cur = con.cursor()
            _NACH_COMMIT[id(cur)] = []
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    yield cur
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                cur.execute("COMMIT")
                for schritt in _NACH_COMMIT.get(id(cur), []):
                    schritt()
            finally:
                _NACH_COMMIT.pop(id(cur), None)
                cur.close()

    def execute(self, sql: str, params: Params = None) -> None:
        with self.transaction() as cur:
            cur.execute(sql, params)

    # -- schema ----------------------------------------------------------------------------
    def schema_version(self) -> int:
        vorhanden = self.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
            ["schema_migrationen"],
        )
        if not vorhanden:
            return 0
        return int(self.scalar("SELECT coalesce(max(version), 0) FROM schema_migrationen"))

    def migrate(self) -> list[str]:
        """Apply every migration not applied yet; each in its own transaction. Idempotent."""
        with self._schreiben, self._verbindung() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrationen ("
                "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "angewendet_am TIMESTAMP NOT NULL)"
            )
            stand = self.schema_version()
            angewendet = []
            for migration in migrationen():
                if migration.version <= stand:
                    continue
                with self.transaction() as cur:
                    cur.execute(migration.sql)
                    cur.execute(
                        "INSERT INTO schema_migrationen VALUES (?, ?, ?)",
                        [migration.version, migration.name, datetime.now()],
                    )
                angewendet.append(migration.name)
            return angewendet


def verbinden(
    pfad: str | os.PathLike[str] | None = None, *, kurz: bool = False, warten_s: float = 0.0
) -> Datenbank:
    """Open (and create or migrate) the project database (``kurz``, ``warten_s``: see
    :class:`Datenbank`)."""
    db = Datenbank(db_pfad(pfad), kurz=kurz, warten_s=warten_s)
    db.migrate()
    return db

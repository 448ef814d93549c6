"""The import archive next to the database: every imported file, so the database can be rebuilt.

Layout: ``<db>.archiv/<sha256>.csv`` per imported file and ``verzeichnis.jsonl`` with one line
per import (import number, batch, time, kind, file name, SHA-256 of the upload and of the
archived copy). ``python -m monitor neu-aufbauen`` replays the lines in import order
(:mod:`monitor.sicherung`), without needing the old database — it may be the broken one.

What is archived is the *checked* content of the upload (the rows and codebook columns that went
into the database), written as a plain template CSV and named by the SHA-256 of the original
upload. Not the raw bytes, on purpose: survey-tool exports carry names, e-mail addresses and IP
addresses, which SPEC §3 says are never stored; the checked copy has exactly what the database
has, needs no mapping profile to be read again, and passes the same checks on rebuild.
Targets edited in the dashboard are archived as JSON (``<sha256>.json``) and replayed with
:func:`monitor.zielwerte.speichere_zielwerte`.

**The archive is part of the commit** (issue 14): inside the import's transaction, just before
``COMMIT``, the content file is written under its hash (temporary name, fsync, atomic rename,
fsync of the folder), then the list line is appended (fsync); only then does the database
commit. A failed archive write (full disk, no permission) raises :class:`ArchivFehler`, the
transaction rolls back and the import fails — never "imported, but not archived". A crash
between the list line and the commit leaves a line the database lacks; :func:`abgleichen`
drops such lines (before every archive write and on start-up) and reports imports the
database has but the archive lacks, so archive and database list the same imports.
Temporary files of a process that died are removed on the way.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler

VERZEICHNIS = "verzeichnis.jsonl"
#: Kind of a list line for targets edited in the dashboard (files have their Art value).
ZIELWERTE_BEARBEITET = "zielwerte_bearbeitet"

_SCHREIBEN = threading.Lock()


def archivordner(db_pfad: str | os.PathLike[str]) -> Path:
    """``data/monitor.duckdb`` → ``data/monitor.duckdb.archiv``."""
    pfad = Path(db_pfad)
    return pfad.with_name(pfad.name + ".archiv")


def als_csv(daten: pd.DataFrame) -> bytes:
    """A checked table as a template CSV (UTF-8, ``;``, ISO dates, ja/nein, decimal point).

    Written by DuckDB's CSV writer (a 100 000-row survey file in a few tenths of a second,
    inside the import's time budget); quoting follows RFC 4180, so ``;``, quotes and line
    breaks in free text survive. Floats are formatted here without exponent, which the import
    would not read back.
    """
    tabelle = daten.reset_index(drop=True).copy(deep=False)
    spalten = []
    for name in tabelle.columns:
        spalte, q = tabelle[name], '"' + str(name).replace('"', '""') + '"'
        if pd.api.types.is_datetime64_any_dtype(spalte):
            spalten.append(f"CAST({q} AS DATE) AS {q}")
        elif pd.api.types.is_bool_dtype(spalte):
            spalten.append(f"CASE WHEN {q} THEN 'ja' WHEN NOT {q} THEN 'nein' END AS {q}")
        elif pd.api.types.is_float_dtype(spalte):
            tabelle[name] = spalte.map(
                lambda x: np.format_float_positional(x, trim="-"), na_action="ignore"
            ).astype(object)
            spalten.append(q)
        else:
            spalten.append(q)
    with tempfile.TemporaryDirectory() as ordner, duckdb.connect() as con:
        ziel = Path(ordner) / "archiv.csv"
        con.register("daten", tabelle)
        # The temporary path is ours; DuckDB takes no parameter for COPY's target.
        con.execute(
            f"COPY (SELECT {', '.join(spalten)} FROM daten) TO "
            f"'{str(ziel).replace(chr(39), chr(39) * 2)}' (HEADER, DELIMITER ';')"
        )
        return ziel.read_bytes()


class ArchivFehler(EingabeFehler):
    """The archive copy cannot be written: the import is refused (German message)."""


def _fsync_ordner(ordner: Path) -> None:
    """Make a rename in ``ordner`` durable (POSIX: the directory entry needs its own fsync)."""
    kennung = os.open(ordner, os.O_RDONLY)
    try:
        os.fsync(kennung)
    finally:
        os.close(kennung)


def _atomar(ziel: Path, inhalt: bytes) -> None:
    """Write ``inhalt`` to ``ziel`` all or nothing; no temporary file is left on failure."""
    zwischen = ziel.with_name(f".{ziel.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(zwischen, "wb") as datei:
            datei.write(inhalt)
            datei.flush()
            os.fsync(datei.fileno())
        os.replace(zwischen, ziel)
    except BaseException:
        zwischen.unlink(missing_ok=True)
        raise
    _fsync_ordner(ziel.parent)


def _verwaiste_zwischendateien(ordner: Path) -> list[Path]:
    """Temporary files of processes that no longer run (killed while writing)."""
    verwaist = []
    for pfad in ordner.glob(".*.tmp"):
        teile = pfad.name.split(".")
        try:
            prozess = int(teile[-3])
        except (IndexError, ValueError):
            continue
        if prozess == os.getpid():
            continue
        try:
            os.kill(prozess, 0)
        except ProcessLookupError:
            verwaist.append(pfad)
        except PermissionError:
            continue  # runs under another user: alive
    return verwaist


@dataclass
class Abgleich:
    """What :func:`abgleichen` found; ``str()`` is the German report (empty = all in order)."""

    #: List lines of imports the database does not have (crash before the commit): removed.
    verworfen: list[dict[str, Any]] = field(default_factory=list)
    #: Imports the database has but the archive does not list: (number, file name).
    fehlend: list[tuple[int, str]] = field(default_factory=list)
    #: Temporary files of killed processes, removed.
    zwischendateien: int = 0

    def __str__(self) -> str:
        teile = []
        if self.verworfen:
            nummern = ", ".join(str(z.get("import_id")) for z in self.verworfen)
            teile.append(
                f"{len(self.verworfen)} Archivzeile(n) ohne Import in der Datenbank entfernt "
                f"(Abbruch vor dem Speichern; Import Nr. {nummern})."
            )
        if self.fehlend:
            liste = ", ".join(f"Nr. {n} ('{d}')" for n, d in self.fehlend)
            teile.append(
                f"{len(self.fehlend)} Import(e) der Datenbank fehlen im Archiv: {liste}. Ein "
                "Neuaufbau aus dem Archiv hätte sie nicht; bitte eine Sicherung anlegen "
                "(python -m monitor sicherung)."
            )
        if self.zwischendateien:
            teile.append(f"{self.zwischendateien} halb geschriebene Zwischendatei(en) entfernt.")
        return "\n".join(teile)


#: The ``importe`` rows the archive must list: real imports and targets edited in the dashboard
#: (the demo data set is loaded by code, not archived; rebuilds archive after the fact).
_ARCHIVPFLICHTIG = (
    "SELECT import_id, sha256, dateiname FROM importe WHERE ergebnis = 'importiert' "
    "OR (starts_with(ergebnis, 'im Dashboard bearbeitet') AND NOT demo) ORDER BY import_id"
)


def archivpflichtige_importe(db: Datenbank) -> list[tuple[int, str, str]]:
    """(number, SHA-256, file name) of every import the archive must list."""
    return [(int(n), str(h), str(d)) for n, h, d in db.rows(_ARCHIVPFLICHTIG)]


def nicht_archiviert(
    ordner: str | os.PathLike[str], importe: Sequence[tuple[int, str, str]]
) -> list[tuple[int, str]]:
    """Imports of a database (:func:`archivpflichtige_importe`) the archive does not list."""
    gelistet = {(int(z["import_id"]), str(z["sha256"])) for z in verzeichnis(ordner)}
    return [(n, d) for n, h, d in importe if (n, h) not in gelistet]


def _zeilen_roh(ordner: Path) -> list[str]:
    pfad = ordner / VERZEICHNIS
    return pfad.read_text(encoding="utf-8").splitlines() if pfad.exists() else []


def _abgleichen(ordner: Path, importe: list[tuple[Any, ...]]) -> Abgleich:
    """Drop list lines without their import, report imports without a line (lock held)."""
    ergebnis = Abgleich()
    if not ordner.is_dir():
        ergebnis.fehlend = [(int(n), str(d)) for n, _, d in importe]
        return ergebnis
    for pfad in _verwaiste_zwischendateien(ordner):
        pfad.unlink(missing_ok=True)
        ergebnis.zwischendateien += 1
    vorhanden = {(int(n), str(h)) for n, h, _ in importe}
    behalten, gesehen = [], set()
    for text in _zeilen_roh(ordner):
        if not text.strip():
            continue
        try:
            zeile = json.loads(text)
            schluessel = (int(zeile["import_id"]), str(zeile["sha256"]))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            # Only this module writes the list: a broken line is a write cut off by a crash.
            ergebnis.verworfen.append({"import_id": "?", "zeile": text[:80]})
            continue
        if schluessel not in vorhanden:
            ergebnis.verworfen.append(zeile)
        elif schluessel not in gesehen:  # a crashed attempt of the same import: keep one
            gesehen.add(schluessel)
            behalten.append(text)
    if ergebnis.verworfen or len(behalten) < len(_zeilen_roh(ordner)):
        _atomar(ordner / VERZEICHNIS, "".join(z + "\n" for z in behalten).encode("utf-8"))
    ergebnis.fehlend = [(int(n), str(d)) for n, h, d in importe if (int(n), str(h)) not in gesehen]
    return ergebnis


def abgleichen(db: Datenbank) -> Abgleich:
    """Make the archive list exactly the imports the database has; report the rest.

    Called on start-up (:func:`monitor.start.bereitstellen`), by ``neu-aufbauen`` and, with the
    import's cursor, before every archive write (:func:`archiviere`).
    """
    with db.transaction() as cur, _SCHREIBEN:
        return _abgleichen(archivordner(db.pfad), cur.execute(_ARCHIVPFLICHTIG).fetchall())


def archiviere(
    db_pfad: str | os.PathLike[str],
    eintraege: Sequence[tuple[Mapping[str, Any], bytes, str]],
    cur: duckdb.DuckDBPyConnection | None = None,
) -> None:
    """Write archived files, then their list lines; raises :class:`ArchivFehler` on failure.

    Each entry is (list line, content, file name in the archive). Call it with the cursor of
    the import's open transaction just before the commit (``cur``): stale lines of a crashed
    earlier attempt are dropped first, and a failure rolls the import back.
    """
    if not eintraege:
        return
    ordner = archivordner(db_pfad)
    try:
        with _SCHREIBEN:
            ordner.mkdir(parents=True, exist_ok=True)
            if cur is not None:
                # The transaction sees its own new rows: lines of a crashed attempt whose
                # number was reused by this import are dropped unless they name the same file.
                _abgleichen(ordner, cur.execute(_ARCHIVPFLICHTIG).fetchall())
            zeilen = []
            for zeile, inhalt, name in eintraege:
                ziel = ordner / name
                if not ziel.exists():
                    _atomar(ziel, inhalt)
                zeilen.append(
                    json.dumps(
                        {
                            **zeile,
                            "datei": name,
                            "inhalt_sha256": hashlib.sha256(inhalt).hexdigest(),
                        },
                        ensure_ascii=False,
                        default=str,
                    )
                )
            with open(ordner / VERZEICHNIS, "a", encoding="utf-8") as verzeichnis:
                verzeichnis.write("".join(z + "\n" for z in zeilen))
                verzeichnis.flush()
                os.fsync(verzeichnis.fileno())
    except OSError as fehler:
        grund = {errno.ENOSPC: "Datenträger voll", errno.EACCES: "keine Schreibrechte"}.get(
            fehler.errno or 0, fehler.strerror or str(fehler)
        )
        raise ArchivFehler(
            f"Die Archivkopie in '{ordner}' konnte nicht geschrieben werden "
            f"({grund}). Es wurde nichts importiert: ein Import steht immer "
            "in Datenbank und Archiv zugleich. Bitte Speicherplatz und Rechte prüfen und erneut "
            "importieren."
        ) from None


def verzeichnis(ordner: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The list lines in import order (by import number: the order of the transactions)."""
    pfad = Path(ordner) / VERZEICHNIS
    if not pfad.exists():
        return []
    zeilen = []
    for nummer, text in enumerate(pfad.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            zeilen.append(json.loads(text))
        except json.JSONDecodeError:
            raise ValueError(f"{pfad}: Zeile {nummer} ist kein gültiger Eintrag.") from None
    return sorted(zeilen, key=lambda z: int(z["import_id"]))

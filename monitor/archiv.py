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

Files are written atomically (temporary name, then rename); the list line is appended after the
database commit, so the archive never lists an import the database does not have. A failed
archive write does not undo the import: the import result carries a German notice instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

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


def _atomar(ziel: Path, inhalt: bytes) -> None:
    zwischen = ziel.with_name(f".{ziel.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(zwischen, "wb") as datei:
        datei.write(inhalt)
        datei.flush()
        os.fsync(datei.fileno())
    os.replace(zwischen, ziel)


def archiviere(
    db_pfad: str | os.PathLike[str], eintraege: Sequence[tuple[Mapping[str, Any], bytes, str]]
) -> str | None:
    """Write archived files and their list lines; returns a German notice on failure, else None.

    Each entry is (list line, content, file name in the archive). Called after the commit.
    """
    if not eintraege:
        return None
    ordner = archivordner(db_pfad)
    try:
        with _SCHREIBEN:
            ordner.mkdir(parents=True, exist_ok=True)
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
        return (
            f"Achtung: die Archivkopie in '{ordner}' konnte nicht geschrieben werden "
            f"({fehler.strerror}); die Daten sind importiert, aber ein Neuaufbau aus dem Archiv "
            "hätte diesen Import nicht. Bitte eine Sicherung anlegen (python -m monitor sicherung)."
        )
    return None


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

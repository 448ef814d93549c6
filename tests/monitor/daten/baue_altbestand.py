"""Build ``altbestand_0005.duckdb.gz``: a database as main wrote it before migration 0006.

Run once on main at commit 1e5606a (schema version 5, questionnaires keyed by (code, welle))
from the repository root::

    python tests/monitor/daten/baue_altbestand.py

The file is committed; ``tests/monitor/test_migration_0006.py`` copies it, migrates it with
today's code and compares every row. Two sites with pairs, the person ``wechsel_x`` whose T0 is
at BERLIN and T1 at KOELN, a demo-free import history, a user and an approved quarter.
"""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
from pathlib import Path

HIER = Path(__file__).resolve().parent
sys.path[:0] = [str(HIER.parent), str(HIER.parents[2])]

from hilfen_zwei_standorte import zwei_standorte  # noqa: E402

from monitor.benutzer import lege_an  # noqa: E402
from monitor.db import verbinden  # noqa: E402

ZIEL = HIER / "altbestand_0005.duckdb.gz"

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as ordner:
        datei = Path(ordner) / "altbestand.duckdb"
        with verbinden(datei) as db:
            assert db.schema_version() == 5, "nur auf dem Stand vor Migration 0006 ausführen"
            zwei_standorte(db, Path(ordner))
            lege_an(db, "koordination_koeln", "standort", "ein-langes-passwort-123", "KOELN")
        with datei.open("rb") as quelle, gzip.open(ZIEL, "wb", compresslevel=9) as ziel:
            shutil.copyfileobj(quelle, ziel)
    print(ZIEL, ZIEL.stat().st_size)

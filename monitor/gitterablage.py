"""Where the funder's protected lattice is kept between runs: a folder beside the database.

The lattice (:mod:`indikatoren.schutzgitter`) holds released tables only — every suppressed
number is already empty — so keeping it on disk adds nothing a funder could not see. It is
stored as Parquet files (no pickle: a file in the data folder must never run code when read)
under one key that covers everything the tables depend on; a different key, a missing,
truncated or foreign file all mean "compute anew". Only the newest lattice is kept.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from indikatoren import engine, schutzgitter, unterdrueckung
from indikatoren.engine import Ergebnis
from indikatoren.filter import Gruppierung
from indikatoren.schutzgitter import Schutzgitter
from indikatoren.unterdrueckung import Schwellen

#: Bump when the stored layout changes (the code hash below covers the computation itself).
FORMAT = 1


def _code_stand() -> str:
    """A hash of the code that computes the lattice: new code never reads an old lattice."""
    quellen = "".join(inspect.getsource(m) for m in (engine, schutzgitter, unterdrueckung))
    return hashlib.sha256(quellen.encode("utf-8")).hexdigest()


_CODE = _code_stand()


def schluessel(
    datenstand: object, zellen: frozenset[tuple[str, str]] | None, schwellen: Schwellen
) -> str:
    """The key of a lattice: data fingerprint, visible cells, thresholds, code and format."""
    inhalt = json.dumps(
        {
            "datenstand": str(datenstand),
            "zellen": None if zellen is None else sorted(map(list, zellen)),
            "schwellen": [schwellen.min_personen, schwellen.min_paare],
            "code": _CODE,
            "format": FORMAT,
        },
        sort_keys=True,
    )
    return hashlib.sha256(inhalt.encode("utf-8")).hexdigest()[:32]


def ordner(db_pfad: Path) -> Path:
    return db_pfad.parent / f"{db_pfad.name}.schutzgitter"


def laden(db_pfad: Path, schluessel_: str) -> Schutzgitter | None:
    """The stored lattice of this key, or None (not there, or not readable as written)."""
    ziel = ordner(db_pfad) / schluessel_
    try:
        meta = json.loads((ziel / "meta.json").read_text(encoding="utf-8"))
        if meta.get("schluessel") != schluessel_:
            return None
        ergebnisse = {
            Gruppierung(g): Ergebnis(
                indikatoren=_lesen(ziel / f"{g}_indikatoren.parquet"),
                vorher_nachher=_lesen(ziel / f"{g}_vorher_nachher.parquet"),
            )
            for g in meta["gruppierungen"]
        }
    except (OSError, ValueError, KeyError):
        return None
    leer = pd.DataFrame(
        columns=["indikator", "standort", "basiswert", "zielwert", "stichtag", "start"]
    )
    return Schutzgitter(ergebnisse, leer, tuple(meta["standorte"]), tuple(meta["quartale"]))


def _lesen(pfad: Path) -> pd.DataFrame:
    tabelle = pd.read_parquet(pfad)
    for spalte in tabelle.columns:
        if tabelle[spalte].dtype == object:
            tabelle[spalte] = tabelle[spalte].astype("str")
    return tabelle


def speichern(db_pfad: Path, schluessel_: str, gitter: Schutzgitter) -> None:
    """Keep the lattice (best effort: a read-only folder just means computing next time)."""
    basis = ordner(db_pfad)
    try:
        basis.mkdir(exist_ok=True)
        arbeit = Path(tempfile.mkdtemp(dir=basis, prefix=".neu-"))
        for g, erg in gitter.ergebnisse.items():
            erg.indikatoren.to_parquet(arbeit / f"{g}_indikatoren.parquet", index=False)
            erg.vorher_nachher.to_parquet(arbeit / f"{g}_vorher_nachher.parquet", index=False)
        meta = {
            "schluessel": schluessel_,
            "gruppierungen": [g.value for g in gitter.ergebnisse],
            "standorte": list(gitter.standorte),
            "quartale": list(gitter.quartale),
        }
        (arbeit / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        ziel = basis / schluessel_
        if ziel.exists():  # only computed again because the stored one could not be read
            shutil.rmtree(ziel, ignore_errors=True)
        os.replace(arbeit, ziel)  # complete or absent: a reader never sees half a lattice
        for alt in basis.iterdir():
            if alt.name != schluessel_:
                shutil.rmtree(alt, ignore_errors=True)
    except OSError:
        return

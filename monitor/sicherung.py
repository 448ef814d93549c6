"""Backups, restore, and a rebuild from the import archive (``sicherung``, ``wiederherstellen``,
``neu-aufbauen``).

Why three ways: a DuckDB file can be damaged by a crash during a checkpoint, a full disk or a
bad WAL replay (see the research notes, §5). ``sicherung`` writes the complete state — users,
audit trail, approvals, data — with DuckDB's ``EXPORT DATABASE`` (Parquet files plus the schema)
and a copy of the import archive; ``wiederherstellen`` reads it into a *fresh* file with
``IMPORT DATABASE`` and only then swaps it in. ``neu-aufbauen`` needs no backup and no readable
old database: it replays every archived import (:mod:`monitor.archiv`) in import order. Users,
approvals and the audit trail are not in the archive; the rebuild says so.

The folder path is the one value written into SQL text here (DuckDB does not accept a bound
parameter for ``EXPORT``/``IMPORT DATABASE``); it comes from the operator's command line, and
single quotes are doubled, so it cannot end the string literal.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from pathlib import Path

import duckdb

from indikatoren.engine import auswertungstabellen_aufbauen
from monitor import archiv
from monitor.audit import KOMMANDOZEILE, kopfdatei, protokolliere
from monitor.db import Datenbank, verbinden
from monitor.einlesen import EingabeFehler

METADATEN = "sicherung.json"
ARCHIV_UNTERORDNER = "archiv"


class SicherungsFehler(EingabeFehler):
    """A backup, restore or rebuild that cannot be done; German message, nothing changed."""


def _literal(pfad: Path) -> str:
    return "'" + str(pfad).replace("'", "''") + "'"


def _tabellen(db: Datenbank) -> dict[str, int]:
    """Row count of every table (the restore compares them with the backup's)."""
    namen = [
        zeile[0]
        for zeile in db.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
    ]
    # Names come from the catalogue, not from a user; quoted as identifiers.
    return {n: int(db.scalar(f'SELECT count(*) FROM "{n}"')) for n in namen}


@dataclass(frozen=True, slots=True)
class Sicherung:
    """What a backup holds; ``str()`` is the German summary."""

    ordner: Path
    zeilen: dict[str, int]
    archivdateien: int

    def __str__(self) -> str:
        return (
            f"Sicherung geschrieben nach '{self.ordner}': {len(self.zeilen)} Tabellen, "
            f"{sum(self.zeilen.values())} Zeilen, {self.archivdateien} archivierte Importdateien."
        )


def _leerer_ordner(ordner: Path) -> None:
    if ordner.exists() and (not ordner.is_dir() or any(ordner.iterdir())):
        raise SicherungsFehler(
            f"Der Ordner '{ordner}' ist nicht leer. Bitte einen neuen, leeren Ordner angeben "
            "(eine Sicherung überschreibt nie eine andere)."
        )


def sichere(
    db: Datenbank, ordner: str | os.PathLike[str], *, benutzer: str = KOMMANDOZEILE
) -> Sicherung:
    """Write a complete backup into an empty (or new) folder.

    The audit entry is written first, so the backup contains the record of its own making.
    The export runs inside a transaction: a consistent snapshot, and imports of this process
    wait for it.
    """
    ziel = Path(ordner)
    _leerer_ordner(ziel)
    try:
        ziel.mkdir(parents=True, exist_ok=True)
    except OSError as fehler:
        raise SicherungsFehler(
            f"Der Ordner '{ziel}' kann nicht angelegt werden: {fehler.strerror}."
        ) from None
    protokolliere(db, benutzer, "sicherung", {"ordner": str(ziel.resolve())})
    with db.transaction() as cur:
        cur.execute(f"EXPORT DATABASE {_literal(ziel)} (FORMAT parquet)")
    zeilen = _tabellen(db)
    quelle = archiv.archivordner(db.pfad)
    dateien = 0
    if quelle.is_dir():
        shutil.copytree(quelle, ziel / ARCHIV_UNTERORDNER)
        dateien = sum(
            1 for p in (ziel / ARCHIV_UNTERORDNER).iterdir() if p.name != archiv.VERZEICHNIS
        )
    (ziel / METADATEN).write_text(
        json.dumps(
            {
                "zeitpunkt": datetime.now().isoformat(),
                "datenbank": str(db.pfad.resolve()),
                "schema_version": db.schema_version(),
                "zeilen": zeilen,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return Sicherung(ziel, zeilen, dateien)


def _ist_leer(pfad: Path) -> bool:
    """Whether an existing database file holds no row in any table (migrations aside).

    Opening it also tells whether another process holds it: then it must not be replaced.
    """
    try:
        with Datenbank(pfad, read_only=True) as db:
            zeilen = _tabellen(db)
    except duckdb.Error as fehler:
        if "lock" in str(fehler).lower():
            raise SicherungsFehler(
                f"Die Datenbank '{pfad}' ist gerade geöffnet (z. B. vom Dashboard). Bitte "
                "dieses beenden und erneut versuchen."
            ) from None
        return False  # unreadable: treat as not empty, only --ueberschreiben replaces it
    return not any(n for t, n in zeilen.items() if t != "schema_migrationen")


def _entferne(pfad: Path) -> None:
    for teil in (pfad, pfad.with_name(pfad.name + ".wal"), kopfdatei(pfad)):
        if teil.exists():
            teil.unlink()


@contextmanager
def _neue_datei(ziel: Path, endung: str) -> Iterator[Path]:
    """A temporary database file next to ``ziel``; removed again if the block fails."""
    ziel.parent.mkdir(parents=True, exist_ok=True)
    zwischen = ziel.with_name(ziel.name + endung)
    _entferne(zwischen)
    shutil.rmtree(archiv.archivordner(zwischen), ignore_errors=True)
    try:
        yield zwischen
    except BaseException:
        _entferne(zwischen)
        shutil.rmtree(archiv.archivordner(zwischen), ignore_errors=True)
        raise


def _einsetzen(zwischen: Path, ziel: Path) -> None:
    """Swap the finished file (and its archive) in; an old archive is kept aside, not deleted."""
    _entferne(ziel.with_name(ziel.name + ".wal"))  # a stale WAL would be replayed onto it
    os.replace(zwischen, ziel)
    # The audit head belongs to the new file (a restored older backup legitimately ends
    # earlier; the restore itself is its newest entry).
    if kopfdatei(zwischen).exists():
        os.replace(kopfdatei(zwischen), kopfdatei(ziel))
    altes_archiv = archiv.archivordner(ziel)
    neues_archiv = archiv.archivordner(zwischen)
    if neues_archiv.is_dir():
        if altes_archiv.exists():
            stempel = datetime.now().strftime("%Y%m%d-%H%M%S")
            altes_archiv.rename(altes_archiv.with_name(f"{altes_archiv.name}.alt-{stempel}"))
        neues_archiv.rename(altes_archiv)


def wiederherstellen(
    ordner: str | os.PathLike[str],
    pfad: str | os.PathLike[str],
    *,
    ueberschreiben: bool = False,
    benutzer: str = KOMMANDOZEILE,
) -> dict[str, int]:
    """Restore a backup into ``pfad``; returns the row counts per table.

    Refuses to replace a database that holds any row unless ``ueberschreiben``. The backup is
    read into a fresh file, checked against the row counts written at backup time, migrated to
    the current schema, and only then moved into place.
    """
    quelle, ziel = Path(ordner), Path(pfad)
    if not (quelle / "schema.sql").is_file() or not (quelle / "load.sql").is_file():
        raise SicherungsFehler(f"'{quelle}' enthält keine Sicherung (schema.sql/load.sql fehlen).")
    if ziel.exists() and not ueberschreiben and not _ist_leer(ziel):
        raise SicherungsFehler(
            f"Die Datenbank '{ziel}' enthält Daten. Zum Ersetzen --ueberschreiben angeben "
            "(vorher am besten selbst sichern)."
        )
    erwartet: dict[str, int] = {}
    if (quelle / METADATEN).is_file():
        erwartet = json.loads((quelle / METADATEN).read_text(encoding="utf-8")).get("zeilen", {})
    with _neue_datei(ziel, ".wiederherstellung") as zwischen:
        try:
            with duckdb.connect(str(zwischen)) as con:
                con.execute(f"IMPORT DATABASE {_literal(quelle)}")
        except duckdb.Error as fehler:
            raise SicherungsFehler(
                f"Die Sicherung '{quelle}' kann nicht gelesen werden: {str(fehler).splitlines()[0]}"
            ) from None
        with verbinden(zwischen) as db:
            zeilen = _tabellen(db)
            abweichend = sorted(t for t, n in erwartet.items() if zeilen.get(t) != n)
            if abweichend:
                raise SicherungsFehler(
                    f"Die Sicherung '{quelle}' ist unvollständig: Zeilenzahl stimmt nicht bei "
                    f"{', '.join(abweichend)}."
                )
            with db.transaction() as cur:
                # Built by this program version from the restored data (the backup may predate
                # the tables or come from another version).
                auswertungstabellen_aufbauen(cur)
            protokolliere(db, benutzer, "wiederherstellung", {"ordner": str(quelle.resolve())})
        kopie = quelle / ARCHIV_UNTERORDNER
        if kopie.is_dir():
            shutil.copytree(kopie, archiv.archivordner(zwischen))
        _einsetzen(zwischen, ziel)
    return zeilen


# -- rebuild from the archive -------------------------------------------------------------------
@dataclass
class Neuaufbau:
    """What a rebuild replayed; ``str()`` is the German summary."""

    ziel: Path
    importe: int = 0
    zielwerte: int = 0
    uebersprungen: int = 0
    hinweise: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"Datenbank '{self.ziel}' aus dem Archiv neu aufgebaut: {self.importe} Importe, "
            f"{self.zielwerte} Zielwert-Änderungen aus dem Dashboard"
            + (f", {self.uebersprungen} bereits enthalten" if self.uebersprungen else "")
            + ". Benutzer, Freigaben und das Auditprotokoll stehen nicht im Archiv – dafür "
            "'python -m monitor sicherung' nutzen."
        )
        return "\n".join([text, *(f"- {h}" for h in self.hinweise)])


def _lies_archiv(ordner: Path) -> list[tuple[dict[str, object], bytes]]:
    """Every list line with its file content; missing or altered files stop the rebuild."""
    try:
        zeilen = archiv.verzeichnis(ordner)
    except ValueError as fehler:
        raise SicherungsFehler(f"Das Archivverzeichnis ist beschädigt: {fehler}") from None
    if not zeilen:
        raise SicherungsFehler(f"In '{ordner}' gibt es kein Importarchiv ({archiv.VERZEICHNIS}).")
    gelesen, probleme = [], []
    for zeile in zeilen:
        datei = ordner / str(zeile["datei"])
        try:
            inhalt = datei.read_bytes()
        except OSError:
            probleme.append(f"{datei.name} fehlt")
            continue
        if hashlib.sha256(inhalt).hexdigest() != zeile.get("inhalt_sha256"):
            probleme.append(f"{datei.name} wurde verändert (Prüfsumme stimmt nicht)")
            continue
        gelesen.append((zeile, inhalt))
    if probleme:
        raise SicherungsFehler("Das Archiv ist unvollständig: " + "; ".join(probleme) + ".")
    return gelesen


def _abgleich_mit_datenbank(quelle: Path, datenbank: Path, ergebnis: Neuaufbau) -> None:
    """Refuse a rebuild that would lose imports: every import in the old database's list
    must be in the archive. An unreadable old database (the reason for many rebuilds) cannot
    be compared; the summary says so."""
    try:
        with Datenbank(datenbank, read_only=True) as alt:
            importe = archiv.archivpflichtige_importe(alt)
    except duckdb.Error as fehler:
        ergebnis.hinweise.append(
            f"Die Datenbank '{datenbank}' ist nicht lesbar ({str(fehler).splitlines()[0]}); "
            "ob das Archiv alle ihre Importe enthält, konnte nicht geprüft werden."
        )
        return
    try:
        fehlend = archiv.nicht_archiviert(quelle, importe)
    except ValueError as fehler:
        raise SicherungsFehler(f"Das Archivverzeichnis ist beschädigt: {fehler}") from None
    if fehlend:
        liste = ", ".join(f"Nr. {n} ('{d}')" for n, d in fehlend[:10])
        raise SicherungsFehler(
            f"Neuaufbau abgelehnt: {len(fehlend)} Import(e) der Datenbank '{datenbank}' fehlen "
            f"im Archiv '{quelle}' ({liste}{' …' if len(fehlend) > 10 else ''}). Der Neuaufbau "
            "hätte diese Daten nicht. Bitte stattdessen eine Sicherung wiederherstellen "
            "(python -m monitor wiederherstellen) oder die fehlenden Dateien erneut importieren."
        )
    ergebnis.hinweise.append(
        f"Abgleich: alle {len(importe)} Importe der Datenbank stehen im Archiv."
    )


def neu_aufbauen(
    archivordner: str | os.PathLike[str],
    ziel: str | os.PathLike[str],
    *,
    datenbank: str | os.PathLike[str] | None = None,
    benutzer: str = KOMMANDOZEILE,
) -> Neuaufbau:
    """Build a new database file ``ziel`` by replaying the archive in import order.

    ``datenbank`` is the database the archive belongs to, if it still exists: every import in
    its list must be in the archive, or the rebuild is refused (issue 14: a rebuild must never
    report success while it lacks data). Batches are replayed as batches (sites of a batch
    may be introduced by its Standorte file). The rebuilt ``importe`` rows keep the original
    SHA-256 and time, so a file uploaded again later is still recognised as "bereits
    importiert". The new database gets its own archive.
    """
    quelle, ziel = Path(archivordner), Path(ziel)
    if ziel.exists():
        raise SicherungsFehler(
            f"'{ziel}' gibt es schon. Der Neuaufbau schreibt nur in eine neue Datei."
        )
    ergebnis = Neuaufbau(ziel)
    if datenbank is not None and Path(datenbank).exists():
        _abgleich_mit_datenbank(quelle, Path(datenbank), ergebnis)
    eintraege = _lies_archiv(quelle)
    from monitor.importieren import importiere_stapel
    from monitor.zielwerte import lade_archivtext, speichere_zielwerte

    with _neue_datei(ziel, ".neuaufbau") as zwischen, verbinden(zwischen) as db:
        for _, stapel in groupby(eintraege, key=lambda e: e[0]["stapel"]):
            teile = list(stapel)
            try:
                if teile[0][0]["art"] == archiv.ZIELWERTE_BEARBEITET:
                    standort, tabelle = lade_archivtext(teile[0][1])
                    neu = [
                        speichere_zielwerte(
                            db, standort, tabelle, benutzer=benutzer, archivieren=False
                        ).import_id
                    ]
                    ergebnis.zielwerte += 1
                else:
                    importe = importiere_stapel(
                        db,
                        [(inhalt, str(zeile["dateiname"])) for zeile, inhalt in teile],
                        demo=bool(teile[0][0].get("demo")),
                        benutzer=benutzer,
                        archivieren=False,
                    )
                    neu = [None if e.bereits_importiert else e.import_id for e in importe]
                    ergebnis.importe += sum(1 for n in neu if n is not None)
                    ergebnis.uebersprungen += sum(1 for n in neu if n is None)
            except EingabeFehler as fehler:
                raise SicherungsFehler(
                    f"Archiveintrag Import Nr. {teile[0][0]['import_id']} "
                    f"('{teile[0][0]['dateiname']}') lässt sich nicht wieder einspielen:\n{fehler}"
                ) from None
            nachtrag = []
            erste = min((n for n in neu if n is not None), default=None)
            for (zeile, inhalt), import_id in zip(teile, neu, strict=True):
                if import_id is None:
                    continue
                db.execute(
                    "UPDATE importe SET sha256 = ?, zeitpunkt = ? WHERE import_id = ?",
                    [zeile["sha256"], datetime.fromisoformat(str(zeile["zeitpunkt"])), import_id],
                )
                nachtrag.append(
                    (
                        {**zeile, "import_id": import_id, "stapel": erste},
                        inhalt,
                        str(zeile["datei"]),
                    )
                )
            archiv.archiviere(zwischen, nachtrag)
        protokolliere(
            db,
            benutzer,
            "neuaufbau",
            {
                "archiv": str(quelle.resolve()),
                "importe": ergebnis.importe,
                "zielwerte": ergebnis.zielwerte,
            },
        )
    _einsetzen(zwischen, ziel)
    return ergebnis

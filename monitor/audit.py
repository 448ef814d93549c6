"""Audit trail: who did what, when and why — append-only, with a hash chain.

The dashboard holds pseudonymous data of real people for several organisations, so the project
office must be able to answer "who imported, approved, exported or changed this, and why?".
Every writer calls :func:`protokolliere`, preferably with the cursor of its own transaction, so
the entry and the change it describes are committed together or not at all.

Append-only, and how it is guarded: DuckDB has no triggers (and no row-level permissions), so
the database itself cannot forbid an ``UPDATE``. This module therefore offers no function that
changes or deletes an entry, and each entry stores the SHA-256 of its predecessor and of its own
content. Changing, deleting or inserting a row afterwards with plain SQL breaks the chain, and
:func:`pruefe_protokoll` names the first broken entry.

Cutting off the *newest* entries (or all) leaves a valid shorter chain, so the chain alone
cannot see it. Therefore the newest head (number, hash, count) is also kept **outside the
table**, in a head file next to the database (``<db>.protokollkopf``, :func:`kopfdatei`),
rewritten atomically after every commit that appended entries. :func:`pruefe_protokoll`
reports when the table no longer contains the head the file names, or has fewer entries.

What this can and cannot detect, said openly: it detects changes, insertions and deletions in
the table by anyone who edits only the database file (SQL, a DuckDB shell, a copied-back older
file). It cannot detect an attacker who can write both the database and the head file (the
same server account): they can recompute the chain and the head. Against that, copy the head
file off the server (``protokoll --pruefen`` prints it; backups contain the table), and keep
backups elsewhere. A crash between a commit and the new head leaves the file one step
behind, which is harmless (entries after the head are checked by the chain).

Never put a password or row content (answers of a person) into ``details``; file names, counts,
IDs and reasons only.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from monitor.db import Datenbank, nach_commit

#: Every kind of entry with the German label the admin page shows.
AKTIONEN: dict[str, str] = {
    "anmeldung": "Anmeldung",
    "anmeldung_fehlgeschlagen": "Anmeldung fehlgeschlagen",
    "anmeldung_gesperrt": "Anmeldung wegen Sperre abgewiesen",
    "anmeldung_abgewiesen": "Anmeldung abgewiesen (Konto gesperrt)",
    "abmeldung": "Abmeldung",
    "import": "Import",
    "import_abgelehnt": "Import abgelehnt",
    "demo_geladen": "Demo-Daten geladen",
    "demo_entfernt": "Demo-Daten entfernt",
    "zielwerte_geaendert": "Zielwerte geändert",
    "freigabe": "Freigabe-Status geändert",
    "export": "Export",
    "mikrodaten_export": "Mikrodaten exportiert",
    "benutzer_angelegt": "Benutzer angelegt",
    "benutzer_gesperrt": "Benutzer gesperrt",
    "benutzer_entsperrt": "Benutzer entsperrt",
    "passwort_geaendert": "Passwort geändert",
    "sicherung": "Sicherung geschrieben",
    "wiederherstellung": "Sicherung wiederhergestellt",
    "neuaufbau": "Datenbank aus dem Archiv neu aufgebaut",
}

#: The actor of commands typed on the server (whoever can run them can read the file anyway).
KOMMANDOZEILE = "kommandozeile"
#: The actor of automatic steps (first start with demo data, callers that name nobody).
SYSTEM = "system"

Ziel = Datenbank | duckdb.DuckDBPyConnection


class ProtokollFehler(ValueError):
    """A programming error: an unknown kind of entry (a typo must not go unnoticed)."""


def _kette(
    vorgaenger: str,
    nummer: int,
    zeitpunkt: datetime,
    wer: str,
    was: str,
    details: str | None,
    grund: str | None,
) -> str:
    inhalt = json.dumps(
        [vorgaenger, nummer, zeitpunkt.isoformat(), wer, was, details, grund],
        ensure_ascii=False,
    )
    return hashlib.sha256(inhalt.encode("utf-8")).hexdigest()


def _als_json(details: Mapping[str, Any] | None) -> str | None:
    if details is None:
        return None
    return json.dumps(dict(details), ensure_ascii=False, sort_keys=True, default=str)


def _anhaengen(
    cur: duckdb.DuckDBPyConnection,
    wer: str,
    was: str,
    details: str | None,
    grund: str | None,
    zeitpunkt: datetime,
) -> int:
    letzte = cur.execute("SELECT hash FROM auditprotokoll ORDER BY id DESC LIMIT 1").fetchall()
    vorgaenger = letzte[0][0] if letzte else ""
    nummer = int(cur.execute("SELECT nextval('audit_id_seq')").fetchall()[0][0])
    kopf = _kette(vorgaenger, nummer, zeitpunkt, wer, was, details, grund)
    cur.execute(
        "INSERT INTO auditprotokoll (id, zeitpunkt, wer, was, details, grund, vorgaenger, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [nummer, zeitpunkt, wer, was, details, grund, vorgaenger, kopf],
    )
    anzahl = int(cur.execute("SELECT count(*) FROM auditprotokoll").fetchall()[0][0])
    pfad = cur.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    if pfad and pfad[0][0]:
        ziel = kopfdatei(pfad[0][0])
        nach_commit(cur, lambda: _schreibe_kopf(ziel, nummer, kopf, anzahl))
    return nummer


def kopfdatei(db_pfad: str | os.PathLike[str]) -> Path:
    """``data/monitor.duckdb`` → ``data/monitor.duckdb.protokollkopf`` (the head file)."""
    pfad = Path(db_pfad)
    return pfad.with_name(pfad.name + ".protokollkopf")


def _schreibe_kopf(ziel: Path, nummer: int, kopf: str, anzahl: int) -> None:
    """Write the head file atomically (the last committed entry: number, hash, count)."""
    zwischen = ziel.with_name(f".{ziel.name}.{os.getpid()}.tmp")
    text = json.dumps({"nummer": nummer, "hash": kopf, "anzahl": anzahl})
    try:
        with open(zwischen, "w", encoding="utf-8") as datei:
            datei.write(text)
            datei.flush()
            os.fsync(datei.fileno())
        os.rename(zwischen, ziel)  # atomic on POSIX
    except OSError:
        # The entry is committed; a head file one step behind only weakens the check, and
        # the next entry writes it again. Never fail the user's action over it.
        zwischen.unlink(missing_ok=True)


def lies_kopf(db_pfad: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The head file's content, or None when there is none."""
    try:
        return json.loads(kopfdatei(db_pfad).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"beschaedigt": True}


def protokolliere(
    ziel: Ziel,
    wer: str,
    was: str,
    details: Mapping[str, Any] | None = None,
    grund: str | None = None,
    *,
    jetzt: datetime | None = None,
) -> int:
    """Append one entry; returns its number.

    ``ziel`` is either the cursor of the caller's open transaction (the entry commits or rolls
    back with the change it describes) or a :class:`Datenbank` (own transaction). Writers in a
    process are serialised by :meth:`Datenbank.transaction`, so reading the newest hash and
    appending cannot interleave.
    """
    if was not in AKTIONEN:
        raise ProtokollFehler(f"Unbekannte Aktion im Auditprotokoll: {was!r}")
    # DuckDB stores microseconds; the hash must be computed from what is stored.
    zeitpunkt = (jetzt or datetime.now()).replace(tzinfo=None)
    text = _als_json(details)
    if isinstance(ziel, Datenbank):
        with ziel.transaction() as cur:
            return _anhaengen(cur, wer, was, text, grund, zeitpunkt)
    return _anhaengen(ziel, wer, was, text, grund, zeitpunkt)


def protokoll(
    db: Datenbank,
    *,
    wer: str | None = None,
    was: str | None = None,
    von: datetime | None = None,
    bis: datetime | None = None,
    suche: str | None = None,
    anzahl: int = 500,
) -> pd.DataFrame:
    """Entries for the admin page, newest first; every filter value is bound.

    Columns: Nr., Zeitpunkt, Wer, Aktion (German label), was (key), Details, Grund. ``suche``
    looks for the text in details and reason (case-insensitive).
    """
    gefragt = [
        ("wer = ?", [wer]),
        ("was = ?", [was]),
        ("zeitpunkt >= ?", [von]),
        ("zeitpunkt <= ?", [bis]),
        (
            "(contains(lower(details), ?) OR contains(lower(grund), ?))",
            [suche.lower(), suche.lower()] if suche else [None],
        ),
    ]
    bedingungen, parameter = ["TRUE"], []
    for bedingung, werte in gefragt:
        if werte[0]:
            bedingungen.append(bedingung)
            parameter += werte
    tabelle = db.query(
        'SELECT id AS "Nr.", zeitpunkt AS "Zeitpunkt", wer AS "Wer", was, '
        'details AS "Details", grund AS "Grund" FROM auditprotokoll '
        f"WHERE {' AND '.join(bedingungen)} ORDER BY id DESC LIMIT ?",
        [*parameter, anzahl],
    )
    tabelle.insert(3, "Aktion", tabelle["was"].map(lambda w: AKTIONEN.get(w, w)))
    return tabelle


def pruefe_protokoll(db: Datenbank) -> list[str]:
    """Check the hash chain; returns German findings (empty list = intact)."""
    befunde: list[str] = []
    vorgaenger = ""
    zeilen = db.rows(
        "SELECT id, zeitpunkt, wer, was, details, grund, vorgaenger, hash FROM auditprotokoll "
        "ORDER BY id"
    )
    for nummer, zeitpunkt, wer, was, details, grund, gespeichert_vor, gespeichert in zeilen:
        if gespeichert_vor != vorgaenger:
            befunde.append(
                f"Eintrag Nr. {nummer}: Vorgänger passt nicht – davor wurde ein Eintrag "
                "gelöscht, eingefügt oder verändert."
            )
        if _kette(gespeichert_vor, nummer, zeitpunkt, wer, was, details, grund) != gespeichert:
            befunde.append(f"Eintrag Nr. {nummer}: Inhalt wurde nachträglich verändert.")
        vorgaenger = gespeichert
    return befunde + _pruefe_kopf(db, {int(z[0]): z[7] for z in zeilen})


def _pruefe_kopf(db: Datenbank, hashes: dict[int, str]) -> list[str]:
    """Compare the table with the head file: the newest entries must still be there."""
    kopf = lies_kopf(db.pfad)
    datei = kopfdatei(db.pfad).name
    if kopf is None:
        if not hashes:
            return []
        return [
            f"Die Kopfdatei '{datei}' fehlt: ob die neuesten Einträge abgeschnitten wurden, "
            "lässt sich nicht prüfen (der nächste Eintrag legt sie neu an)."
        ]
    if kopf.get("beschaedigt") or not {"nummer", "hash", "anzahl"} <= kopf.keys():
        return [f"Die Kopfdatei '{datei}' ist beschädigt."]
    nummer, anzahl = int(kopf["nummer"]), int(kopf["anzahl"])
    if hashes.get(nummer) != kopf["hash"] or len(hashes) < anzahl:
        return [
            f"Die neuesten Einträge fehlen: laut '{datei}' reicht das Protokoll mindestens bis "
            f"Nr. {nummer} ({anzahl} Einträge), die Tabelle hat {len(hashes)} Einträge"
            + (f" bis Nr. {max(hashes)}" if hashes else "")
            + " – Einträge am Ende wurden gelöscht oder die Datenbank durch eine ältere Kopie "
            "ersetzt."
        ]
    return []

"""Store confirmed mapping profiles per site and tool, in the project database.

Why the database and not JSON files: the dashboard and the CLI already share the database
file, so a profile confirmed on the import page is found by ``import --zuordnung NAME`` and
vice versa; it is backed up and moved together with the data it belongs to; and a deployed
dashboard needs no writable folder besides the database. JSON files remain the exchange format:
``--zuordnung`` also accepts a path to a ``.json`` file, and :meth:`Profil.als_json` writes one.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from monitor.db import Datenbank
from monitor.umfragen.erkennung import Werkzeug
from monitor.umfragen.zuordnung import Profil, ZuordnungsFehler


def speichere_profil(db: Datenbank, profil: Profil) -> None:
    """Insert or replace the profile of that name (checked against the codebook first)."""
    profil.pruefe()
    with db.transaction() as cur:
        cur.execute(
            "INSERT INTO zuordnungsprofile (name, standort, werkzeug, profil, geaendert_am) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "standort = excluded.standort, werkzeug = excluded.werkzeug, "
            "profil = excluded.profil, geaendert_am = excluded.geaendert_am",
            [
                profil.name,
                profil.standort,
                profil.werkzeug.value,
                profil.als_json(),
                datetime.now(),
            ],
        )


def lade_profil(db: Datenbank | None, name: str) -> Profil:
    """The stored profile of that name; a German error names the stored ones if it is missing."""
    zeile = (
        db.rows("SELECT profil FROM zuordnungsprofile WHERE name = ?", [name])
        if db is not None and _tabelle_da(db)
        else []
    )
    if not zeile:
        vorhanden = [p.name for p in profile(db)] if db is not None else []
        liste = ", ".join(vorhanden) if vorhanden else "keine"
        raise ZuordnungsFehler(
            f"Zuordnungsprofil '{name}' gibt es nicht (gespeichert: {liste}). Einen Pfad zu "
            "einer .json-Datei oder den Namen eines gespeicherten Profils angeben."
        )
    return Profil.aus_json(zeile[0][0])


def profile(
    db: Datenbank | None, standort: str | None = None, werkzeug: Werkzeug | str | None = None
) -> list[Profil]:
    """Stored profiles, optionally of one site (plus the project-wide ones) and one tool."""
    if db is None or not _tabelle_da(db):
        return []
    sql = "SELECT profil FROM zuordnungsprofile WHERE 1 = 1"
    werte: list[object] = []
    if standort:
        sql += " AND (standort = ? OR standort IS NULL)"
        werte.append(standort.upper())
    if werkzeug:
        sql += " AND werkzeug = ?"
        werte.append(Werkzeug(werkzeug).value)
    return [Profil.aus_json(z[0]) for z in db.rows(sql + " ORDER BY name", werte)]


def loesche_profil(db: Datenbank, name: str) -> bool:
    """Delete a profile; whether one was there."""
    with db.transaction() as cur:
        geloescht = cur.execute(
            "DELETE FROM zuordnungsprofile WHERE name = ? RETURNING name", [name]
        ).fetchall()
    return bool(geloescht)


def finde_profil(db: Datenbank | None, angabe: str) -> Profil:
    """``--zuordnung PROFIL``: a path to a JSON file, else the name of a stored profile."""
    pfad = Path(angabe)
    if pfad.suffix.lower() == ".json" or pfad.is_file():
        try:
            return Profil.aus_json(pfad.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ZuordnungsFehler(f"Profildatei '{pfad}' wurde nicht gefunden.") from None
        except (OSError, UnicodeDecodeError):
            raise ZuordnungsFehler(f"Profildatei '{pfad}' kann nicht gelesen werden.") from None
    return lade_profil(db, angabe)


def _tabelle_da(db: Datenbank) -> bool:
    return bool(
        db.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
            ["zuordnungsprofile"],
        )
    )

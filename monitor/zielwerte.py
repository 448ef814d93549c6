"""Targets edited in the dashboard: read one site's targets, check them, save them in one go.

The Zielwerte page lets the project lead type targets instead of uploading a file. The typed
values are checked by exactly the rules of a Zielwerte import (:func:`monitor.pruefung.pruefe`
with ``Art.ZIELWERTE``), so the page and the import can never disagree about what a valid target
is. Saving replaces the targets of one site (or of the whole project) in a single transaction:
new rows are inserted, changed rows updated, removed rows deleted — or, if anything is wrong,
nothing changes at all. Every save that changes something is logged in ``importe`` (result
"im Dashboard bearbeitet"), so the import history shows when a target was changed, and the
rows point to that log entry through ``import_id`` like imported rows do.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from monitor import archiv
from monitor.audit import SYSTEM, protokolliere
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler
from monitor.importieren import bekannte_standorte
from monitor.pruefung import STANDORT_GESAMT, Pruefergebnis, pruefe
from monitor.schema import Art

#: Columns the page hands over for one site (the site itself is added here).
EINGABE_SPALTEN: tuple[str, ...] = (
    "indikator",
    "basiswert",
    "zielwert",
    "stichtag",
    "richtung_bestaetigt",
)
#: Result text of a dashboard edit in ``importe`` (an import has "importiert").
ERGEBNIS_BEARBEITET = "im Dashboard bearbeitet"
QUELLE = "Dashboard (Zielwerte)"


class ZielwerteAbgelehnt(EingabeFehler):
    """The edited targets break a rule; nothing was saved. ``pruefergebnis`` has every error."""

    def __init__(self, pruefergebnis: Pruefergebnis) -> None:
        self.pruefergebnis = pruefergebnis
        super().__init__(pruefergebnis.bericht())


@dataclass(frozen=True, slots=True)
class Speicherergebnis:
    """What one save changed; ``str()`` is the German summary shown on the page."""

    standort: str
    neu: int = 0
    aktualisiert: int = 0
    geloescht: int = 0
    import_id: int | None = None

    @property
    def geaendert(self) -> bool:
        return bool(self.neu or self.aktualisiert or self.geloescht)

    def __str__(self) -> str:
        wo = "das ganze Projekt" if self.standort == STANDORT_GESAMT else self.standort
        if not self.geaendert:
            return f"Zielwerte für {wo}: keine Änderungen."
        return (
            f"Zielwerte für {wo} gespeichert: {self.neu} neu, {self.aktualisiert} geändert, "
            f"{self.geloescht} entfernt."
        )


def zielwerte(db: Datenbank, standort: str) -> pd.DataFrame:
    """The targets of one site (``"gesamt"`` = whole project): indikator, basiswert, zielwert,
    stichtag, richtung_bestaetigt, demo — one row per indicator that has a target."""
    return db.query(
        "SELECT indikator, basiswert, zielwert, stichtag, "
        "coalesce(richtung_bestaetigt, false) AS richtung_bestaetigt, demo FROM zielwerte "
        "WHERE standort = ? ORDER BY indikator",
        [standort],
    )


def pruefe_zielwerte(db: Datenbank, tabelle: pd.DataFrame) -> Pruefergebnis:
    """Check a table of targets as text cells (columns of a Zielwerte file), like an import.

    The index is used as the row number in error messages when it is named ``zeile``, so a
    caller can map errors back to what the user edited.
    """
    return pruefe(
        tabelle,
        Art.ZIELWERTE,
        dateiname="Zielwerte-Tabelle",
        bekannte_standorte=bekannte_standorte(db),
    )


def _gleich(a: object, b: object) -> bool:
    """Equality of two cells where missing (None, NaN, NaT, NA) equals missing."""
    fehlt_a = a is None or a is pd.NA or a is pd.NaT or (isinstance(a, float) and math.isnan(a))
    fehlt_b = b is None or b is pd.NA or b is pd.NaT or (isinstance(b, float) and math.isnan(b))
    if fehlt_a or fehlt_b:
        return fehlt_a and fehlt_b
    if isinstance(a, pd.Timestamp):
        a = a.date()
    if isinstance(b, pd.Timestamp):
        b = b.date()
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-12)
    return a == b


def speichere_zielwerte(
    db: Datenbank,
    standort: str,
    tabelle: pd.DataFrame,
    *,
    benutzer: str = SYSTEM,
    grund: str | None = None,
    archivieren: bool = True,
) -> Speicherergebnis:
    """Make ``tabelle`` the complete set of targets of ``standort``, or change nothing.

    ``tabelle`` holds text cells in the columns :data:`EINGABE_SPALTEN`, one row per target;
    indicators of that site missing from it lose their target. Raises
    :class:`ZielwerteAbgelehnt` when a rule is broken. A change is audited (``benutzer``,
    ``grund``) and archived as JSON next to the database, so a rebuild from the archive
    (:mod:`monitor.sicherung`) repeats it.
    """
    tabelle = tabelle.reindex(columns=list(EINGABE_SPALTEN)).assign(standort=standort)
    pruefung = pruefe_zielwerte(db, tabelle)
    if not pruefung.ok:
        raise ZielwerteAbgelehnt(pruefung)
    neu = pruefung.daten.reset_index(drop=True)
    neu["stichtag"] = pd.to_datetime(neu["stichtag"]).dt.date
    neu["richtung_bestaetigt"] = _bestaetigt(neu.get("richtung_bestaetigt"), len(neu))

    with db.transaction() as cur:
        alt = cur.execute(
            "SELECT indikator, basiswert, zielwert, stichtag, "
            "coalesce(richtung_bestaetigt, false) AS richtung_bestaetigt "
            "FROM zielwerte WHERE standort = ?",
            [standort],
        ).df()
        alt_je = {zeile["indikator"]: zeile for zeile in alt.to_dict("records")}
        neu_zeilen = neu.to_dict("records")
        hinzu = [z for z in neu_zeilen if z["indikator"] not in alt_je]
        geaendert = [
            z
            for z in neu_zeilen
            if z["indikator"] in alt_je
            and not all(
                _gleich(z[s], alt_je[z["indikator"]][s])
                for s in ("basiswert", "zielwert", "stichtag", "richtung_bestaetigt")
            )
        ]
        weg = sorted(set(alt_je) - {z["indikator"] for z in neu_zeilen})
        if not (hinzu or geaendert or weg):
            return Speicherergebnis(standort)

        demo_zeilen = cur.execute(
            "SELECT demo FROM standorte WHERE standort = ?", [standort]
        ).fetchall()
        demo = bool(demo_zeilen[0][0]) if demo_zeilen else False
        import_id = int(cur.execute("SELECT nextval('import_id_seq')").fetchall()[0][0])
        if weg:
            cur.execute(
                "DELETE FROM zielwerte WHERE standort = ? AND list_contains(?, indikator)",
                [standort, weg],
            )
        for zeile in [*hinzu, *geaendert]:
            basiswert = None if _gleich(zeile["basiswert"], None) else float(zeile["basiswert"])
            cur.execute(
                "INSERT INTO zielwerte (indikator, standort, basiswert, zielwert, stichtag, "
                "richtung_bestaetigt, demo, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (indikator, standort) DO UPDATE SET "
                "basiswert = excluded.basiswert, zielwert = excluded.zielwert, "
                "stichtag = excluded.stichtag, richtung_bestaetigt = excluded.richtung_bestaetigt, "
                "demo = excluded.demo, import_id = excluded.import_id",
                [
                    zeile["indikator"],
                    standort,
                    basiswert,
                    float(zeile["zielwert"]),
                    zeile["stichtag"],
                    bool(zeile["richtung_bestaetigt"]),
                    demo,
                    import_id,
                ],
            )
        inhalt = _archivtext(standort, neu_zeilen)
        cur.execute(
            "INSERT INTO importe (import_id, dateiname, sha256, art, zeilen, neu, aktualisiert, "
            "zeitpunkt, ergebnis, demo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                f"{QUELLE}: {standort}",
                hashlib.sha256(inhalt).hexdigest(),
                Art.ZIELWERTE.value,
                len(hinzu) + len(geaendert),
                len(hinzu),
                len(geaendert),
                datetime.now(),
                f"{ERGEBNIS_BEARBEITET} ({len(weg)} entfernt)" if weg else ERGEBNIS_BEARBEITET,
                demo,
            ],
        )
        protokolliere(
            cur,
            benutzer,
            "zielwerte_geaendert",
            {
                "standort": standort,
                "import_id": import_id,
                "neu": sorted(str(z["indikator"]) for z in hinzu),
                "geaendert": sorted(str(z["indikator"]) for z in geaendert),
                "entfernt": weg,
            },
            grund,
        )
        if archivieren and not demo:  # before the commit: a failed write rolls back
            sha256 = hashlib.sha256(inhalt).hexdigest()
            archiv.archiviere(
                db.pfad,
                [
                    (
                        {
                            "import_id": import_id,
                            "stapel": import_id,
                            "zeitpunkt": datetime.now().isoformat(),
                            "art": archiv.ZIELWERTE_BEARBEITET,
                            "dateiname": f"{QUELLE}: {standort}",
                            "sha256": sha256,
                            "demo": False,
                        },
                        inhalt,
                        f"{sha256}.json",
                    )
                ],
                cur,
            )
    return Speicherergebnis(standort, len(hinzu), len(geaendert), len(weg), import_id)


def _bestaetigt(spalte: pd.Series | None, laenge: int) -> list[bool]:
    """``richtung_bestaetigt`` as plain booleans (missing = not confirmed)."""
    if spalte is None:
        return [False] * laenge
    return [not _gleich(w, None) and bool(w) for w in spalte]


def _archivtext(standort: str, zeilen: list[dict[str, object]]) -> bytes:
    """The complete target set of one site as JSON of text cells (what the page would send)."""
    return json.dumps(
        {
            "standort": standort,
            "zielwerte": [
                {
                    "indikator": z["indikator"],
                    **{s: als_text(z[s]) for s in ("basiswert", "zielwert", "stichtag")},
                    "richtung_bestaetigt": "ja" if z["richtung_bestaetigt"] else None,
                }
                for z in sorted(zeilen, key=lambda z: str(z["indikator"]))
            ],
        },
        ensure_ascii=False,
        indent=1,
        default=str,
    ).encode("utf-8")


def lade_archivtext(inhalt: bytes) -> tuple[str, pd.DataFrame]:
    """Read :func:`_archivtext` back: the site and the table for :func:`speichere_zielwerte`."""
    daten = json.loads(inhalt.decode("utf-8"))
    tabelle = pd.DataFrame(daten["zielwerte"], columns=list(EINGABE_SPALTEN), dtype=object)
    return str(daten["standort"]), tabelle


def als_text(wert: object) -> str | None:
    """A stored number or date as the text a user would type (German decimal comma).

    Used to fill the page's editor, whose cells are checked like file cells; no thousands
    separators, because the import reads "1.234" as 1,234.
    """
    if _gleich(wert, None):
        return None
    if isinstance(wert, pd.Timestamp | datetime):
        wert = wert.date()
    if isinstance(wert, date):
        return wert.strftime("%d.%m.%Y")
    zahl = float(wert)  # type: ignore[arg-type]
    text = f"{zahl:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")

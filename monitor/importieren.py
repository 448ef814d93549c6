"""Check and import files: all rows or none, idempotent per file, upsert by key (SPEC §6).

A site coordinator uploads the same export again and again as it grows; the file hash makes a
repeated upload harmless ("bereits importiert") and the key upsert turns a corrected row into an
update instead of a duplicate. Rows are written in bulk from a registered DataFrame inside one
``Datenbank.transaction()``, so a rejected or crashing import leaves the database untouched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from indikatoren.engine import auswertungstabellen_aufbauen
from monitor import archiv, schema
from monitor.audit import SYSTEM, protokolliere
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler, Quelle, lade_bytes, lies_bytes
from monitor.freigabe import gesperrte_aenderungen
from monitor.pruefung import (
    STANDORT_GESAMT,
    Fehler,
    Importoptionen,
    Pruefergebnis,
    art_aus_text,
    erkenne_art,
    pruefe,
)
from monitor.schema import Art
from monitor.umfragen.zuordnung import Profil, bereite_vor

if TYPE_CHECKING:
    from monitor.benutzer import Zugriff

ERGEBNIS_IMPORTIERT = "importiert"

#: A mapping profile for every survey-tool export of a call, or one per file name (a batch may
#: hold e.g. the T0 and the T1 export of two Microsoft Forms forms, each with its own profile).
Zuordnung = Profil | Mapping[str, Profil]

#: Order inside a batch: sites first, so the other files may name sites of the same batch.
_STAPEL_REIHENFOLGE = (Art.STANDORTE, Art.ZIELWERTE, Art.AKTIVITAETEN, Art.BEFRAGUNG)


class ImportAbgelehnt(EingabeFehler):
    """The file has errors; nothing was changed. ``pruefergebnis`` holds the full report."""

    def __init__(
        self, pruefergebnis: Pruefergebnis, abgelehnt: Sequence[Pruefergebnis] = ()
    ) -> None:
        self.pruefergebnis = pruefergebnis
        self.abgelehnt: list[Pruefergebnis] = list(abgelehnt) or [pruefergebnis]
        super().__init__("\n\n".join(ergebnis.bericht() for ergebnis in self.abgelehnt))


class ImportVerweigert(EingabeFehler):
    """The session may not import this kind of file at all; nothing was changed."""


#: Codes listed in the cross-site Hinweis before it is shortened.
MAX_CODES_HINWEIS = 5


@dataclass
class Importergebnis:
    """What one import did; ``str()`` is the German summary for CLI and dashboard."""

    dateiname: str
    art: Art | None
    zeilen: int = 0
    neu: int = 0
    aktualisiert: int = 0
    bereits_importiert: bool = False
    import_id: int | None = None
    hinweise: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.bereits_importiert:
            text = (
                f"'{self.dateiname}' wurde bereits importiert (Import Nr. {self.import_id}) – "
                "nichts geändert."
            )
        else:
            art = schema.ART_LABELS[self.art] if self.art else "?"
            text = (
                f"'{self.dateiname}' ({art}): {self.zeilen} "
                f"{'Zeile' if self.zeilen == 1 else 'Zeilen'} importiert – {self.neu} neu, "
                f"{self.aktualisiert} aktualisiert (Import Nr. {self.import_id})."
            )
        return "\n".join([text, *(f"- {hinweis}" for hinweis in self.hinweise)])


@dataclass
class _Datei:
    """One file of a batch on its way through reading, checking and writing."""

    inhalt: bytes
    dateiname: str
    sha256: str
    pruefung: Pruefergebnis | None = None
    frueherer_import: int | None = None


# -- reading the database -----------------------------------------------------------------------
def bekannte_standorte(db: Datenbank | None) -> set[str]:
    """Site IDs in the database (empty without a database or before the first migration)."""
    if db is None:
        return set()
    vorhanden = db.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", ["standorte"]
    )
    if not vorhanden:
        return set()
    return {zeile[0] for zeile in db.rows("SELECT standort FROM standorte")}


def _frueherer_import(db: Datenbank | None, sha256: str) -> int | None:
    if db is None or not db.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", ["importe"]
    ):
        return None
    return db.scalar(
        "SELECT min(import_id) FROM importe WHERE sha256 = ? AND ergebnis = ?",
        [sha256, ERGEBNIS_IMPORTIERT],
    )


# -- checking -----------------------------------------------------------------------------------
def _lade(dateien: Sequence[tuple[Quelle, str | None]]) -> list[_Datei]:
    geladen = []
    for quelle, name in dateien:
        inhalt, dateiname = lade_bytes(quelle, name)
        geladen.append(_Datei(inhalt, dateiname, hashlib.sha256(inhalt).hexdigest()))
    return geladen


def _pruefe_alle(
    db: Datenbank | None,
    dateien: list[_Datei],
    art: Art | str | None,
    zuordnung: Zuordnung | None = None,
    optionen: Importoptionen | None = None,
) -> None:
    """Check every file that still needs it; sites of the batch count as known.

    Survey-tool exports are mapped to the codebook first (:mod:`monitor.umfragen.zuordnung`);
    our own templates pass that step unchanged. A per-file ``zuordnung`` applies only to the file
    of that name, so a template in the same batch is never run through an export's profile.
    """
    gewaehlt = art_aus_text(art) if art is not None else None
    tabellen = {}
    zuordnungshinweise: dict[int, list[str]] = {}
    for datei in dateien:
        if datei.frueherer_import is None:
            tabelle = lies_bytes(datei.inhalt, datei.dateiname)
            profil = zuordnung.get(datei.dateiname) if isinstance(zuordnung, Mapping) else zuordnung
            tabelle, zuordnungshinweise[id(datei)] = bereite_vor(
                tabelle, art=gewaehlt, profil=profil, dateiname=datei.dateiname
            )
            tabellen[id(datei)] = (
                tabelle,
                gewaehlt or erkenne_art(tabelle.columns, datei.dateiname),
            )
    bekannt = bekannte_standorte(db)
    im_stapel: set[str] = set()
    for reihe in _STAPEL_REIHENFOLGE:
        for datei in dateien:
            if id(datei) not in tabellen or tabellen[id(datei)][1] is not reihe:
                continue
            tabelle, datei_art = tabellen[id(datei)]
            datei.pruefung = pruefe(
                tabelle,
                datei_art,
                dateiname=datei.dateiname,
                bekannte_standorte=bekannt,
                standorte_im_stapel=im_stapel,
                optionen=optionen,
            )
            datei.pruefung.hinweise[:0] = zuordnungshinweise[id(datei)]
            if datei_art is Art.STANDORTE and "standort" in datei.pruefung.daten:
                im_stapel |= set(datei.pruefung.daten["standort"].dropna())


def pruefe_stapel(
    db: Datenbank | None,
    dateien: Sequence[tuple[Quelle, str | None]],
    art: Art | str | None = None,
    *,
    zuordnung: Zuordnung | None = None,
    zugriff: Zugriff | None = None,
    optionen: Importoptionen | None = None,
) -> list[Pruefergebnis]:
    """Check several files as one batch (a Standorte file may introduce the sites of the others).

    Changes nothing. Applies every rule the import applies – the session's site rights
    (``zugriff``) and approved (locked) quarters – so "bereit zum Import" means the import will
    go through (unless the database changes in between). Unreadable files raise
    :class:`~monitor.einlesen.EinleseFehler`, survey exports that cannot be mapped
    :class:`~monitor.umfragen.zuordnung.ZuordnungAbgelehnt`, a kind of file the role may not
    import :class:`ImportVerweigert`. ``zuordnung`` is the confirmed mapping profile for
    survey-tool exports (one for all, or file name → profile).
    """
    geladen = _lade(dateien)
    _pruefe_alle(db, geladen, art, zuordnung, optionen)
    _pruefe_rechte(geladen, zugriff)
    if db is not None and _hat_tabelle(db, "freigaben"):
        with db.transaction() as cur:  # reads only; the cursor registers the checked rows
            for datei in geladen:
                if datei.pruefung is not None and datei.pruefung.ok:
                    datei.pruefung = _gesperrt(cur, datei.pruefung) or datei.pruefung
                    _codes_anderer_standorte(cur, datei.pruefung, zugriff)
    return [datei.pruefung for datei in geladen if datei.pruefung is not None]


def _hat_tabelle(db: Datenbank, name: str) -> bool:
    return bool(
        db.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])
    )


def _pruefe_rechte(dateien: list[_Datei], zugriff: Zugriff | None) -> None:
    """Rows of other sites make a file's check fail; a forbidden kind raises."""
    if zugriff is None:
        return
    for datei in dateien:
        if datei.pruefung is not None and datei.pruefung.ok:
            datei.pruefung = _zugriffsfehler(datei.pruefung, zugriff) or datei.pruefung


def pruefe_datei(
    db: Datenbank | None,
    quelle: Quelle,
    dateiname: str | None = None,
    art: Art | str | None = None,
    *,
    zuordnung: Zuordnung | None = None,
    zugriff: Zugriff | None = None,
    optionen: Importoptionen | None = None,
) -> Pruefergebnis:
    """Check one file against the database (sites, rights, locks); changes nothing."""
    return pruefe_stapel(
        db, [(quelle, dateiname)], art, zuordnung=zuordnung, zugriff=zugriff, optionen=optionen
    )[0]


# -- writing ------------------------------------------------------------------------------------
def importiere(
    db: Datenbank,
    quelle: Quelle,
    dateiname: str | None = None,
    art: Art | str | None = None,
    *,
    demo: bool = False,
    zuordnung: Zuordnung | None = None,
    benutzer: str = SYSTEM,
    zugriff: Zugriff | None = None,
    optionen: Importoptionen | None = None,
) -> Importergebnis:
    """Check one file and import all its rows or none (raises :class:`ImportAbgelehnt`)."""
    return importiere_stapel(
        db,
        [(quelle, dateiname)],
        art,
        demo=demo,
        zuordnung=zuordnung,
        benutzer=benutzer,
        zugriff=zugriff,
        optionen=optionen,
    )[0]


def importiere_stapel(
    db: Datenbank,
    dateien: Sequence[tuple[Quelle, str | None]],
    art: Art | str | None = None,
    *,
    demo: bool = False,
    zuordnung: Zuordnung | None = None,
    benutzer: str = SYSTEM,
    zugriff: Zugriff | None = None,
    archivieren: bool = True,
    optionen: Importoptionen | None = None,
) -> list[Importergebnis]:
    """Import several files in ONE transaction: if any file is rejected, nothing changes.

    ``zuordnung`` is the confirmed mapping profile for survey-tool exports (see
    :mod:`monitor.umfragen.zuordnung`); without it, exports are mapped automatically when every
    column is unambiguous. ``benutzer`` is who imports (audit trail); ``zugriff`` restricts
    what may be imported (a site coordinator: rows of the own site only; None = no
    restriction, e.g. the command line). Rows that would change an approved (locked) quarter
    reject the whole batch. Imported files are archived next to the database
    (:mod:`monitor.archiv`) unless ``archivieren`` is False. ``optionen``: the decisions on
    duplicates and unfinished responses (default: keep the latest, skip unfinished ones).
    """
    try:
        return _importiere_stapel(
            db, dateien, art, demo, zuordnung, benutzer, zugriff, archivieren, optionen
        )
    except EingabeFehler as fehler:
        _protokolliere_ablehnung(db, dateien, benutzer, fehler)
        raise


def _protokolliere_ablehnung(
    db: Datenbank,
    dateien: Sequence[tuple[Quelle, str | None]],
    benutzer: str,
    fehler: EingabeFehler,
) -> None:
    """Audit a rejected import: file names and the number of errors, never cell values."""
    namen = [
        name or (Path(quelle).name if not isinstance(quelle, bytes) else "Upload")
        for quelle, name in dateien
    ]
    details: dict[str, object] = {"dateien": namen, "fehlerart": type(fehler).__name__}
    if isinstance(fehler, ImportAbgelehnt):
        details["fehler"] = sum(e.fehler_gesamt for e in fehler.abgelehnt)
    protokolliere(db, benutzer, "import_abgelehnt", details)


def _zugriffsfehler(pruefung: Pruefergebnis, zugriff: Zugriff) -> Pruefergebnis | None:
    """Rows this session may not import, as a rejected check result (None = all allowed)."""
    from monitor.benutzer import Recht

    art = pruefung.art
    noetig = {
        Art.STANDORTE: Recht.ALLE_STANDORTE,
        Art.ZIELWERTE: Recht.ZIELWERTE,
    }.get(art, Recht.IMPORT)
    if not zugriff.darf(Recht.IMPORT) or not zugriff.darf(noetig):
        raise ImportVerweigert(
            f"'{pruefung.dateiname}': Ihre Rolle darf keine Dateien der Art "
            f"'{schema.ART_LABELS[art]}' importieren. Es wurde nichts importiert."
        )
    if zugriff.standorte is None or "standort" not in pruefung.daten:
        return None
    standorte = pruefung.daten["standort"]
    fremd = standorte[~standorte.isin(zugriff.standorte) | (standorte == STANDORT_GESAMT)]
    if fremd.empty:
        return None
    eigene = ", ".join(zugriff.standorte) or "keiner"
    fehler = [
        Fehler(
            int(zeile),
            "standort",
            str(wert),
            f"Sie dürfen nur Daten Ihres Standorts ({eigene}) importieren.",
        )
        for zeile, wert in fremd.items()
    ]
    return replace(pruefung, fehler=fehler, fehler_gesamt=len(fehler))


def _importiere_stapel(
    db: Datenbank,
    dateien: Sequence[tuple[Quelle, str | None]],
    art: Art | str | None,
    demo: bool,
    zuordnung: Zuordnung | None,
    benutzer: str,
    zugriff: Zugriff | None,
    archivieren: bool,
    optionen: Importoptionen | None,
) -> list[Importergebnis]:
    geladen = _lade(dateien)
    for datei in geladen:
        datei.frueherer_import = _frueherer_import(db, datei.sha256)
    _pruefe_alle(db, geladen, art, zuordnung, optionen)
    _pruefe_rechte(geladen, zugriff)
    abgelehnt = [d.pruefung for d in geladen if d.pruefung is not None and not d.pruefung.ok]
    if abgelehnt:
        raise ImportAbgelehnt(abgelehnt[0], abgelehnt)

    ergebnisse: dict[int, Importergebnis] = {}
    reihenfolge = sorted(
        geladen,
        key=lambda d: _STAPEL_REIHENFOLGE.index(d.pruefung.art) if d.pruefung else -1,
    )
    geschrieben: list[tuple[_Datei, Importergebnis]] = []
    with db.transaction() as cur:
        gesehen: dict[str, int] = {}
        for datei in reihenfolge:
            frueher = cur.execute(
                "SELECT min(import_id) FROM importe WHERE sha256 = ? AND ergebnis = ?",
                [datei.sha256, ERGEBNIS_IMPORTIERT],
            ).fetchall()[0][0]
            frueher = frueher if frueher is not None else gesehen.get(datei.sha256)
            if frueher is not None or datei.pruefung is None:
                ergebnisse[id(datei)] = Importergebnis(
                    datei.dateiname,
                    datei.pruefung.art if datei.pruefung else None,
                    bereits_importiert=True,
                    import_id=frueher if frueher is not None else datei.frueherer_import,
                )
                continue
            gesperrt = _gesperrt(cur, datei.pruefung)
            if gesperrt is not None:
                raise ImportAbgelehnt(gesperrt)
            _codes_anderer_standorte(cur, datei.pruefung, zugriff)
            ergebnis = _schreibe(cur, datei, demo, zugriff)
            gesehen[datei.sha256] = ergebnis.import_id or 0
            ergebnisse[id(datei)] = ergebnis
            geschrieben.append((datei, ergebnis))
        if any(e.art in (Art.BEFRAGUNG, Art.AKTIVITAETEN) for _, e in geschrieben):
            # Same transaction: the pre-aggregated tables change together with the data.
            auswertungstabellen_aufbauen(cur)
        if geschrieben:
            protokolliere(
                cur,
                benutzer,
                "import",
                {
                    "dateien": [
                        {
                            "datei": d.dateiname,
                            "art": e.art.value if e.art else None,
                            "sha256": d.sha256,
                            "import_id": e.import_id,
                            "zeilen": e.zeilen,
                            "neu": e.neu,
                            "aktualisiert": e.aktualisiert,
                            "entscheidungen": d.pruefung.entscheidungen if d.pruefung else {},
                        }
                        for d, e in geschrieben
                    ],
                    "demo": demo,
                },
            )
        if archivieren:  # last step before the commit: a failed archive write rolls back
            _archiviere(db, cur, geschrieben, demo)
    return [ergebnisse[id(datei)] for datei in geladen]


def _gesperrt(cur: duckdb.DuckDBPyConnection, pruefung: Pruefergebnis) -> Pruefergebnis | None:
    """Rows that would change an approved quarter, as a rejected check result (None = none).

    The import calls it inside its transaction (an approval committed a moment earlier is
    seen), the pre-check with the same rule, so both say the same.
    """
    befunde = gesperrte_aenderungen(cur, pruefung.art, pruefung.daten)
    if not befunde:
        return None
    fehler = [Fehler(*befund) for befund in befunde]
    return replace(pruefung, fehler=fehler, fehler_gesamt=len(fehler))


def _codes_anderer_standorte(
    cur: duckdb.DuckDBPyConnection, pruefung: Pruefergebnis, zugriff: Zugriff | None
) -> None:
    """Warn (Hinweis, count in ``entscheidungen``) when a code of the file also exists at
    another site – in the database or in the file. Both are kept apart: the key is (standort,
    code, welle). A site coordinator is not told which other site (that is not theirs to see).
    """
    daten = pruefung.daten
    if pruefung.art is not Art.BEFRAGUNG or daten.empty or "code" not in daten:
        return
    eigene = daten[["standort", "code"]].dropna().drop_duplicates()
    sicht = "_codes_pruefung"
    cur.register(sicht, eigene)
    try:
        treffer = cur.execute(
            f"SELECT DISTINCT d.code, b.standort FROM {sicht} d JOIN befragungen b "
            "ON b.code = d.code AND b.standort <> d.standort "
            f"UNION SELECT DISTINCT a.code, b.standort FROM {sicht} a JOIN {sicht} b "
            "ON a.code = b.code AND a.standort <> b.standort ORDER BY 1, 2"
        ).fetchall()
    finally:
        cur.unregister(sicht)
    if not treffer:
        return
    codes = list(dict.fromkeys(code for code, _ in treffer))
    pruefung.entscheidungen["codes_an_anderen_standorten"] = len(codes)
    namen_zeigen = zugriff is None or zugriff.standorte is None
    beispiele = [
        f"{code} ({', '.join(s for c, s in treffer if c == code)})" if namen_zeigen else code
        for code in codes[:MAX_CODES_HINWEIS]
    ]
    pruefung.hinweise.append(
        f"{len(codes)} {'Code kommt' if len(codes) == 1 else 'Codes kommen'} auch an einem "
        f"anderen Standort vor: {', '.join(beispiele)}"
        f"{' …' if len(codes) > MAX_CODES_HINWEIS else ''}. Die Fragebögen werden je "
        "Standort getrennt gespeichert und nicht überschrieben; "
        "Vorher-Nachher-Paare bilden sich nur innerhalb eines Standorts. Ist es dieselbe "
        "Person, bitte die Projektleitung informieren; sonst einen längeren Code verwenden."
    )


def _archiviere(
    db: Datenbank,
    cur: duckdb.DuckDBPyConnection,
    geschrieben: list[tuple[_Datei, Importergebnis]],
    demo: bool,
) -> None:
    """The checked content of every written file into the archive, inside the transaction
    (:func:`monitor.archiv.archiviere`: file and list line first, then the commit)."""
    stapel = min((e.import_id or 0 for _, e in geschrieben), default=0)
    eintraege = []
    for datei, ergebnis in geschrieben:
        assert datei.pruefung is not None
        zeile = {
            "import_id": ergebnis.import_id,
            "stapel": stapel,
            "zeitpunkt": datetime.now().isoformat(),
            "art": datei.pruefung.art.value,
            "dateiname": datei.dateiname,
            "sha256": datei.sha256,
            "demo": demo,
        }
        eintraege.append((zeile, archiv.als_csv(datei.pruefung.daten), f"{datei.sha256}.csv"))
    archiv.archiviere(db.pfad, eintraege, cur)


def _schreibe(
    cur: duckdb.DuckDBPyConnection, datei: _Datei, demo: bool, zugriff: Zugriff | None = None
) -> Importergebnis:
    """Bulk upsert of one checked file plus its row in ``importe``.

    Table and column names come from :mod:`monitor.schema` (never from the file), values are
    bound or come from the registered DataFrame, so no user text is formatted into SQL. A
    session restricted to sites writes rows of those sites only – checked here, where rows are
    written, whatever the callers checked before; every key holds the site, so an upsert can
    never reach another site's row either.
    """
    assert datei.pruefung is not None
    pruefung = datei.pruefung
    art = pruefung.art
    if zugriff is not None and zugriff.standorte is not None and "standort" in pruefung.daten:
        fremd = set(pruefung.daten["standort"].dropna()) - set(zugriff.standorte)
        if fremd:
            raise ImportVerweigert(
                f"'{pruefung.dateiname}': Zeilen des Standorts {', '.join(sorted(fremd))} – "
                "Ihre Rolle darf nur Daten des eigenen Standorts schreiben. Es wurde nichts "
                "importiert."
            )
    tabelle = schema.TABELLE[art]
    schluessel = schema.SCHLUESSEL[art]
    daten = pruefung.daten.reset_index(drop=True)
    spalten = list(daten.columns)
    sicht = "_import_neu"

    import_id = int(cur.execute("SELECT nextval('import_id_seq')").fetchall()[0][0])
    cur.register(sicht, daten)
    try:
        verbindung = " AND ".join(f"t.{s} = d.{s}" for s in schluessel)
        aktualisiert = int(
            cur.execute(
                f"SELECT count(*) FROM {tabelle} t JOIN {sicht} d ON {verbindung}"
            ).fetchall()[0][0]
        )
        aenderungen = [f"{s} = excluded.{s}" for s in spalten if s not in schluessel]
        aenderungen += ["demo = excluded.demo", "import_id = excluded.import_id"]
        cur.execute(
            f"INSERT INTO {tabelle} ({', '.join(spalten)}, demo, import_id) "
            f"SELECT {', '.join(spalten)}, ?, ? FROM {sicht} "
            f"ON CONFLICT ({', '.join(schluessel)}) DO UPDATE SET {', '.join(aenderungen)}",
            [demo, import_id],
        )
        hinweise = list(pruefung.hinweise)
        if art is Art.BEFRAGUNG:
            uebernommen = uebernimm_migrationshintergrund(cur, sicht)
            if uebernommen:
                hinweise.append(
                    f"T0-Angaben (Migrationshintergrund, Vergleichsgruppe) für {uebernommen} "
                    f"{'Fragebogen' if uebernommen == 1 else 'Fragebögen'} (T1/T2) aus T0 "
                    "desselben Codes am selben Standort übernommen."
                )
    finally:
        cur.unregister(sicht)

    neu = len(daten) - aktualisiert
    cur.execute(
        "INSERT INTO importe (import_id, dateiname, sha256, art, zeilen, neu, aktualisiert, "
        "zeitpunkt, ergebnis, demo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            datei.dateiname,
            datei.sha256,
            art.value,
            len(daten),
            neu,
            aktualisiert,
            datetime.now(),
            ERGEBNIS_IMPORTIERT,
            demo,
        ],
    )
    return Importergebnis(
        datei.dateiname,
        art,
        zeilen=len(daten),
        neu=neu,
        aktualisiert=aktualisiert,
        import_id=import_id,
        hinweise=hinweise,
    )


def uebernimm_migrationshintergrund(
    cur: duckdb.DuckDBPyConnection, sicht: str = "befragungen"
) -> int:
    """T1/T2 rows take the T0 answers of the same code at the same site (SPEC §3.1):
    ``migrationshintergrund`` and ``vergleichsgruppe`` (:data:`monitor.schema.AUS_T0`).

    Runs for every (standort, code) in ``sicht`` (the import's staging view; default: all), so
    a later T0 file fills earlier T1/T2 rows as well. Every writer of questionnaires calls this,
    which keeps the invariant the indicator engine relies on: each row carries its code's T0
    answer (its group, and whether it belongs to the comparison group). The same code at another
    site is another person and never touched. Returns the number of rows changed.
    """
    setzen = ", ".join(f"{s} = coalesce(t0.{s}, b.{s})" for s in schema.AUS_T0)
    anders = " OR ".join(
        f"(t0.{s} IS NOT NULL AND b.{s} IS DISTINCT FROM t0.{s})" for s in schema.AUS_T0
    )
    zeile = cur.execute(
        f"UPDATE befragungen AS b SET {setzen} "
        "FROM befragungen AS t0 "
        "WHERE t0.standort = b.standort AND t0.code = b.code AND t0.welle = ? "
        f"AND b.welle <> ? AND ({anders}) "
        f"AND (b.standort, b.code) IN (SELECT standort, code FROM {sicht})",
        ["T0", "T0"],
    ).fetchall()
    return int(zeile[0][0]) if zeile else 0

"""Approval of a site's quarter: Entwurf → Eingereicht → Freigegeben (locked) or Zurückgegeben.

Why: a funder must read numbers the project stands behind, and numbers once reported must not
change behind everyone's back. A site coordinator submits a quarter, the project lead approves
it (or returns it with a reason); an approved quarter is locked: an import that would add or
change a questionnaire or activity of that site dated in that quarter is rejected as a whole
(:func:`gesperrte_aenderungen`, called by :mod:`monitor.importieren` inside the import's
transaction). Reopening needs a reason; every step is audited.

Quarters are written like the engine's ``periode`` ("2025-Q1"), so the set returned by
:func:`freigegebene_quartale` can restrict an engine run to approved cells
(:func:`indikatoren.engine.nur_zellen`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import duckdb
import pandas as pd

from monitor import schema
from monitor.audit import protokolliere
from monitor.benutzer import Recht, Sitzung, Zugriff
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler
from monitor.schema import Art


class Status(StrEnum):
    ENTWURF = "entwurf"
    EINGEREICHT = "eingereicht"
    FREIGEGEBEN = "freigegeben"
    ZURUECKGEGEBEN = "zurueckgegeben"


STATUS_LABEL: dict[Status, str] = {
    Status.ENTWURF: "Entwurf",
    Status.EINGEREICHT: "Eingereicht",
    Status.FREIGEGEBEN: "Freigegeben",
    Status.ZURUECKGEGEBEN: "Zurückgegeben",
}


class Aktion(StrEnum):
    EINREICHEN = "einreichen"
    FREIGEBEN = "freigeben"
    ZURUECKGEBEN = "zurueckgeben"
    WIEDEREROEFFNEN = "wiedereroeffnen"


#: The step as a German verb for messages (the enum values are keys without umlauts).
AKTION_WORT: dict[Aktion, str] = {
    Aktion.EINREICHEN: "einreichen",
    Aktion.FREIGEBEN: "freigeben",
    Aktion.ZURUECKGEBEN: "zurückgeben",
    Aktion.WIEDEREROEFFNEN: "wiedereröffnen",
}


@dataclass(frozen=True, slots=True)
class Uebergang:
    """One allowed step: from which states, to which, with which right, reason required?"""

    von: frozenset[Status]
    nach: Status
    recht: Recht
    grund_noetig: bool


UEBERGAENGE: dict[Aktion, Uebergang] = {
    Aktion.EINREICHEN: Uebergang(
        frozenset({Status.ENTWURF, Status.ZURUECKGEGEBEN}),
        Status.EINGEREICHT,
        Recht.EINREICHEN,
        False,
    ),
    Aktion.FREIGEBEN: Uebergang(
        frozenset({Status.EINGEREICHT}), Status.FREIGEGEBEN, Recht.FREIGEBEN, False
    ),
    Aktion.ZURUECKGEBEN: Uebergang(
        frozenset({Status.EINGEREICHT}), Status.ZURUECKGEGEBEN, Recht.FREIGEBEN, True
    ),
    Aktion.WIEDEREROEFFNEN: Uebergang(
        frozenset({Status.FREIGEGEBEN}), Status.ENTWURF, Recht.FREIGEBEN, True
    ),
}

_QUARTAL = re.compile(r"(\d{4})-Q([1-4])")


def quartal_sql(spalte: str) -> str:
    """SQL for the quarter of a date column, as the engine writes ``periode``."""
    return f"(year({spalte}) || '-Q' || quarter({spalte}))"


class FreigabeFehler(EingabeFehler):
    """A step that is not allowed (wrong state, missing right or reason); nothing changed."""


def _pruefe_quartal(quartal: str) -> str:
    text = quartal.strip().upper()
    if not _QUARTAL.fullmatch(text):
        raise FreigabeFehler(f"Ungültiges Quartal '{quartal}' (Form: 2025-Q1).")
    return text


def status(db: Datenbank, standort: str, quartal: str) -> Status:
    """The state of one site's quarter (no row = Entwurf)."""
    wert = db.scalar(
        "SELECT status FROM freigaben WHERE standort = ? AND quartal = ?", [standort, quartal]
    )
    return Status(wert) if wert else Status.ENTWURF


def aendere_status(
    db: Datenbank,
    sitzung: Sitzung,
    standort: str,
    quartal: str,
    aktion: Aktion | str,
    grund: str | None = None,
) -> Status:
    """Take one approval step for ``standort`` and ``quartal``; returns the new state.

    Checks the session's right and site, the current state and the reason inside one
    transaction, writes the new state and its audit entry together. Raises
    :class:`FreigabeFehler` (German message) when the step is not allowed.
    """
    aktion = Aktion(aktion)
    schritt = UEBERGAENGE[aktion]
    quartal = _pruefe_quartal(quartal)
    standort = standort.strip().upper()
    zugriff = sitzung.zugriff
    if not zugriff.darf(schritt.recht):
        raise FreigabeFehler(f"Ihre Rolle darf nicht „{AKTION_WORT[aktion]}“.")
    if not zugriff.darf_standort(standort):
        raise FreigabeFehler(f"Standort {standort} gehört nicht zu Ihrem Zugang.")
    grund = (grund or "").strip() or None
    if schritt.grund_noetig and not grund:
        raise FreigabeFehler(f"Für „{AKTION_WORT[aktion]}“ ist eine Begründung nötig.")
    jetzt = datetime.now()
    with db.transaction() as cur:
        if not cur.execute("SELECT 1 FROM standorte WHERE standort = ?", [standort]).fetchall():
            raise FreigabeFehler(f"Unbekannter Standort '{standort}'.")
        zeile = cur.execute(
            "SELECT status FROM freigaben WHERE standort = ? AND quartal = ?", [standort, quartal]
        ).fetchall()
        alt = Status(zeile[0][0]) if zeile else Status.ENTWURF
        if alt not in schritt.von:
            raise FreigabeFehler(
                f"{standort} {quartal[-2:]} {quartal[:4]} ist „{STATUS_LABEL[alt]}“ – "
                f"„{AKTION_WORT[aktion]}“ geht nur "
                f"aus: {', '.join(STATUS_LABEL[s] for s in sorted(schritt.von))}."
            )
        cur.execute(
            "INSERT INTO freigaben (standort, quartal, status, grund, geaendert_von, "
            "geaendert_am) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (standort, quartal) DO UPDATE "
            "SET status = excluded.status, grund = excluded.grund, "
            "geaendert_von = excluded.geaendert_von, geaendert_am = excluded.geaendert_am",
            [standort, quartal, schritt.nach.value, grund, sitzung.name, jetzt],
        )
        protokolliere(
            cur,
            sitzung.name,
            "freigabe",
            {
                "standort": standort,
                "quartal": quartal,
                "aktion": aktion.value,
                "von": alt.value,
                "nach": schritt.nach.value,
            },
            grund,
            jetzt=jetzt,
        )
    return schritt.nach


def einreichen(db: Datenbank, sitzung: Sitzung, standort: str, quartal: str) -> Status:
    return aendere_status(db, sitzung, standort, quartal, Aktion.EINREICHEN)


def freigeben(db: Datenbank, sitzung: Sitzung, standort: str, quartal: str) -> Status:
    return aendere_status(db, sitzung, standort, quartal, Aktion.FREIGEBEN)


def zurueckgeben(
    db: Datenbank, sitzung: Sitzung, standort: str, quartal: str, grund: str
) -> Status:
    return aendere_status(db, sitzung, standort, quartal, Aktion.ZURUECKGEBEN, grund)


def wiedereroeffnen(
    db: Datenbank, sitzung: Sitzung, standort: str, quartal: str, grund: str
) -> Status:
    return aendere_status(db, sitzung, standort, quartal, Aktion.WIEDEREROEFFNEN, grund)


# -- reading ------------------------------------------------------------------------------------
def freigegebene_quartale(
    db: Datenbank, standorte: Iterable[str] | None = None
) -> frozenset[tuple[str, str]]:
    """Approved (standort, quartal) cells, optionally only of the given sites."""
    if standorte is None:
        zeilen = db.rows(
            "SELECT standort, quartal FROM freigaben WHERE status = ?", ["freigegeben"]
        )
    else:
        zeilen = db.rows(
            "SELECT standort, quartal FROM freigaben WHERE status = ? "
            "AND list_contains(?, standort)",
            ["freigegeben", list(standorte)],
        )
    return frozenset((str(s), str(q)) for s, q in zeilen)


def sichtbare_zellen(db: Datenbank, zugriff: Zugriff) -> frozenset[tuple[str, str]] | None:
    """The cells a session may see: None = everything, else only approved (standort, quartal).

    Pass the result to :func:`indikatoren.engine.berechne` (``zellen=``) or
    :func:`indikatoren.engine.nur_zellen`.
    """
    if not zugriff.nur_freigegeben:
        return None
    return freigegebene_quartale(db, zugriff.standorte)


def freigabestand(db: Datenbank, standorte: Iterable[str] | None = None) -> pd.DataFrame:
    """Every site × quarter that has data or a state, with its state — for the approval page.

    Columns: standort, quartal, status, status_label, grund, geaendert_von, geaendert_am,
    befragungen, aktivitaeten (counts of rows in that cell; the page shows them to the
    approver, who may see the site anyway).
    """
    auswahl = None if standorte is None else list(standorte)
    tabelle = db.query(
        f"""
        WITH daten AS (
            SELECT standort, {quartal_sql("datum")} AS quartal, count(*) AS befragungen,
                   0 AS aktivitaeten
            FROM befragungen GROUP BY ALL
            UNION ALL
            SELECT standort, {quartal_sql("datum")}, 0, count(*) FROM aktivitaeten GROUP BY ALL
        ),
        zellen AS (
            SELECT standort, quartal, sum(befragungen) AS befragungen,
                   sum(aktivitaeten) AS aktivitaeten
            FROM daten GROUP BY ALL
        )
        SELECT standort, quartal, coalesce(f.status, ?) AS status, f.grund, f.geaendert_von,
               f.geaendert_am, coalesce(z.befragungen, 0)::BIGINT AS befragungen,
               coalesce(z.aktivitaeten, 0)::BIGINT AS aktivitaeten
        FROM zellen z FULL JOIN freigaben f USING (standort, quartal)
        WHERE ?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], standort)
        ORDER BY standort, quartal
        """,
        [Status.ENTWURF.value, auswahl, auswahl],
    )
    tabelle.insert(3, "status_label", tabelle["status"].map(lambda s: STATUS_LABEL[Status(s)]))
    return tabelle


# -- the import's lock check --------------------------------------------------------------------
_NEU = "die Zeile würde dort Daten hinzufügen oder ändern"
_ALT = "die Zeile würde dort gespeicherte Daten ändern oder verschieben"
_MH = (
    "eine T0-Angabe (Migrationshintergrund, Vergleichsgruppe) würde in einen Folgefragebogen "
    "dort übernommen"
)
_GESPERRT_GRUND = (
    "{standort} {quartal} ist freigegeben und gesperrt – {was}. Zum Ändern muss das Quartal "
    "erst mit Begründung wiedereröffnet werden."
)


def gesperrte_aenderungen(
    cur: duckdb.DuckDBPyConnection, art: Art, daten: pd.DataFrame
) -> list[tuple[int, str, str, str]]:
    """Rows of a checked file that would change an approved quarter: (zeile, spalte, wert, grund).

    Called inside the import's transaction, before the rows are written, so an approval
    committed a moment earlier is seen. A row is in the way when it is new or differs from the
    stored row with the same key, and either its own (standort, quartal) or that of the stored
    row is approved. An unchanged row in an approved quarter is fine: sites re-upload their
    growing export every quarter. For questionnaires, an empty migrationshintergrund of a
    T1/T2 row counts as unchanged (the import takes it from T0 anyway; likewise vergleichsgruppe),
    and a T0 row whose answer would be copied onto an approved T1/T2 row is in the way as well.
    """
    if art not in (Art.BEFRAGUNG, Art.AKTIVITAETEN) or daten.empty:
        return []
    if not cur.execute(
        "SELECT 1 FROM freigaben WHERE status = ? LIMIT 1", ["freigegeben"]
    ).fetchall():
        return []
    tabelle, schluessel = schema.TABELLE[art], schema.SCHLUESSEL[art]
    spalten = [s for s in daten.columns if s not in schluessel]
    verschieden = []
    for s in spalten:
        bedingung = f"t.{s} IS DISTINCT FROM d.{s}"
        if art is Art.BEFRAGUNG and s in schema.AUS_T0:
            bedingung = f"(d.{s} IS NOT NULL OR d.welle = 'T0') AND {bedingung}"
        verschieden.append(f"({bedingung})")
    geaendert = " OR ".join(verschieden) or "FALSE"
    verbindung = " AND ".join(f"t.{s} = d.{s}" for s in schluessel)
    gesperrt = (
        "EXISTS (SELECT 1 FROM freigaben g WHERE g.status = 'freigegeben' "
        "AND g.standort = {s} AND g.quartal = {q})"
    )
    uebernahme = "NULL::VARCHAR"
    aus_t0 = [s for s in schema.AUS_T0 if s in daten.columns] if art is Art.BEFRAGUNG else []
    if aus_t0:
        anders = " OR ".join(
            f"(d.{s} IS NOT NULL AND f.{s} IS DISTINCT FROM d.{s})" for s in aus_t0
        )
        uebernahme = (
            "(SELECT min(f.standort || ' ' || " + quartal_sql("f.datum") + ") FROM befragungen f "
            "JOIN freigaben g ON g.status = 'freigegeben' AND g.standort = f.standort "
            f"AND g.quartal = {quartal_sql('f.datum')} "
            f"WHERE d.welle = 'T0' AND ({anders}) "
            "AND f.standort = d.standort AND f.code = d.code AND f.welle <> 'T0')"
        )
    sicht = "_freigabe_pruefung"
    cur.register(sicht, daten.reset_index(names="_zeile"))
    try:
        zeilen = cur.execute(
            f"""
            WITH v AS (
                SELECT d._zeile, d.standort, d.datum::DATE AS datum,
                       {quartal_sql("d.datum")} AS quartal,
                       t.standort AS alt_standort, {quartal_sql("t.datum")} AS alt_quartal,
                       t.{schluessel[0]} IS NULL OR ({geaendert}) AS aendert,
                       {uebernahme} AS uebernahme
                FROM {sicht} d LEFT JOIN {tabelle} t ON {verbindung}
            )
            SELECT _zeile, standort, datum, quartal, alt_standort, alt_quartal,
                   aendert AND {gesperrt.format(s="v.standort", q="v.quartal")} AS neu_gesperrt,
                   aendert AND {gesperrt.format(s="v.alt_standort", q="v.alt_quartal")}
                       AS alt_gesperrt,
                   uebernahme
            FROM v
            WHERE (aendert AND ({gesperrt.format(s="v.standort", q="v.quartal")}
                                OR {gesperrt.format(s="v.alt_standort", q="v.alt_quartal")}))
               OR uebernahme IS NOT NULL
            ORDER BY _zeile
            """
        ).fetchall()
    finally:
        cur.unregister(sicht)
    befunde = []
    for zeile, standort, datum, quartal, alt_s, alt_q, neu_g, alt_g, uebernahme in zeilen:
        gruende = []
        if neu_g:
            gruende.append(("datum", str(datum), standort, quartal, _NEU))
        elif alt_g:
            gruende.append(("datum", str(datum), alt_s, alt_q, _ALT))
        if uebernahme:
            gruende.append((aus_t0[0], "", *str(uebernahme).split(" ", 1), _MH))
        befunde += [
            (int(zeile), spalte, wert, _GESPERRT_GRUND.format(standort=s, quartal=q, was=was))
            for spalte, wert, s, q, was in gruende
        ]
    return befunde

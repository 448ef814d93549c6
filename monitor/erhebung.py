"""Erhebung im Monitor: questionnaire links per site and wave, and the public submission.

Why: a small organisation without KoboToolbox or LimeSurvey must still be able to measure. A
link (or its QR code) carries an unguessable token that fixes site and wave, so participants
never type either; their answers go through exactly the import path of a file
(:func:`monitor.importieren.importiere`): same checks, same keys, same lock of approved
quarters, same archive and audit trail, with the source in the import's file name.

How it is guarded:

* Only the SHA-256 hash of a token is stored (like login sessions, migration 0005/0008): a
  copy of the database file does not give anyone a working link. Links expire at a date and
  can be revoked; creating and revoking is in the audit log (never the token).
* An unknown, revoked or expired token raises :class:`LinkUngueltig` with a German message;
  nothing is stored.
* A public link must never overwrite somebody's questionnaire: a submission whose key (code,
  wave, …) already has a row, and a submission into an approved (locked) quarter, go to the
  project lead's inbox (``erhebung_eingang``) instead of being lost or overwriting.
* Nothing personal: only codebook variables are accepted (no free text beyond them), no IP
  address or browser data is passed in at all.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from monitor import schema
from monitor.audit import protokolliere
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler
from monitor.importieren import ImportAbgelehnt, Pruefergebnis, importiere, pruefe_datei
from monitor.pruefung import Fehler, normalisiere_code
from monitor.schema import Art, Feld
from monitor.uebersetzung import T_FAEHIGKEITEN, T_KONTAKTE, T_MITMACHEN, T_UEBER_SIE

if TYPE_CHECKING:
    from monitor.benutzer import Zugriff

#: Who submits through a link (audit trail, ``importe``); also the start of the file name.
QUELLE = "fragebogen-link"
#: 24 random bytes = 32 URL-safe characters: not guessable, short enough for a QR code.
TOKEN_BYTES = 24
#: Default lifetime of a new link (one project phase; a shorter date can always be given).
STANDARD_GUELTIGKEIT = timedelta(days=183)
#: Variables the link fixes or the server sets; never asked on the page (vergleichsgruppe:
#: set only by import).
FESTE_VARIABLEN = frozenset({"code", "standort", "welle", "datum", "vergleichsgruppe"})
#: Inbox states.
UEBERNOMMEN, VERWORFEN = "uebernommen", "verworfen"

#: The German refusals (the language is not known before a valid link).
UNGUELTIG = (
    "Dieser Fragebogen-Link ist ungültig. Bitte prüfen Sie die Adresse oder fragen Sie die "
    "Mitarbeitenden vor Ort nach einem aktuellen Link oder QR-Code. Es wurde nichts gespeichert."
)
ABGELAUFEN = (
    "Dieser Fragebogen-Link ist abgelaufen oder wurde zurückgezogen. Bitte fragen Sie die "
    "Mitarbeitenden vor Ort nach einem aktuellen Link oder QR-Code. Es wurde nichts gespeichert."
)


class LinkUngueltig(EingabeFehler):
    """Unknown, forged, revoked or expired token: refuse, store nothing."""


class LinkFehler(EingabeFehler):
    """A link cannot be created or revoked as asked (unknown site or wave, date in the past)."""


class AntwortenFehlerhaft(EingabeFehler):
    """The answers break a codebook rule (the page checks first; this is the server's word)."""

    def __init__(self, fehler: list[Fehler]) -> None:
        self.fehler = fehler
        super().__init__("; ".join(f"{f.spalte}: {f.grund}" for f in fehler))


class Ergebnis(StrEnum):
    """What happened to a submission."""

    GESPEICHERT = "gespeichert"
    POSTEINGANG = "posteingang"
    BEREITS = "bereits"  # the identical questionnaire was already stored (double submit)


@dataclass(frozen=True, slots=True)
class Erhebungslink:
    """One questionnaire link as stored (never the token)."""

    standort: str
    welle: str
    gueltig_bis: date
    angelegt_am: datetime
    angelegt_von: str
    widerrufen_am: datetime | None = None

    def aktiv(self, heute: date | None = None) -> bool:
        return self.widerrufen_am is None and (heute or date.today()) <= self.gueltig_bis


@dataclass(frozen=True, slots=True)
class Einreichung:
    """Outcome of :func:`einreichen` (no answer values: the page shows only the outcome)."""

    ergebnis: Ergebnis
    grund: str = ""
    eingang_id: int | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def adresse(basis_url: str, token: str) -> str:
    """The link participants open: the dashboard's root with ``?t=TOKEN``."""
    return f"{basis_url.rstrip('/')}/?t={token}"


# -- links --------------------------------------------------------------------------------------
_LINK_SPALTEN = "standort, welle, gueltig_bis, angelegt_am, angelegt_von, widerrufen_am"


def _link(zeile: tuple) -> Erhebungslink:
    return Erhebungslink(*zeile)


def _standortnamen(db: Datenbank) -> dict[str, str]:
    return dict(db.rows("SELECT standort, name FROM standorte ORDER BY standort"))


def links(
    db: Datenbank,
    standorte: Iterable[str] | None = None,
    wellen: Iterable[str] | None = None,
    *,
    nur_aktive: bool = True,
    heute: date | None = None,
) -> list[Erhebungslink]:
    """The stored links (newest first per site and wave), optionally only the usable ones."""
    auswahl_s = list(standorte) if standorte else None
    auswahl_w = list(wellen) if wellen else None
    ergebnis = [
        _link(zeile)
        for zeile in db.rows(
            f"SELECT {_LINK_SPALTEN} FROM erhebungslinks ORDER BY standort, welle, angelegt_am DESC"
        )
    ]
    return [
        link
        for link in ergebnis
        if (auswahl_s is None or link.standort in auswahl_s)
        and (auswahl_w is None or link.welle in auswahl_w)
        and (not nur_aktive or link.aktiv(heute))
    ]


def _pruefe_ziel(db: Datenbank, standort: str, welle: str) -> None:
    if standort not in _standortnamen(db):
        raise LinkFehler(f"Den Standort '{standort}' gibt es nicht in der Datenbank.")
    if welle not in schema.WELLEN:
        raise LinkFehler(f"Unbekannte Welle '{welle}' (möglich: {', '.join(schema.WELLEN)}).")


def link_anlegen(
    db: Datenbank,
    standort: str,
    welle: str,
    *,
    gueltig_bis: date | None = None,
    wer: str,
    heute: date | None = None,
) -> str:
    """Create a new link for a site and wave and return its token (shown once, stored hashed).

    An earlier active link of the same site and wave is revoked in the same transaction: one
    printed QR code per site and wave is valid at a time, so a leaked link is replaced by
    creating a new one.
    """
    _pruefe_ziel(db, standort, welle)
    heute = heute or date.today()
    gueltig_bis = gueltig_bis or heute + STANDARD_GUELTIGKEIT
    if gueltig_bis < heute:
        raise LinkFehler(f"Das Ablaufdatum {gueltig_bis:%d.%m.%Y} liegt in der Vergangenheit.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    jetzt = datetime.now()
    with db.transaction() as cur:
        ersetzt = _widerrufen(cur, standort, welle, jetzt)
        cur.execute(
            "INSERT INTO erhebungslinks (token_hash, standort, welle, gueltig_bis, angelegt_am, "
            "angelegt_von) VALUES (?, ?, ?, ?, ?, ?)",
            [token_hash(token), standort, welle, gueltig_bis, jetzt, wer],
        )
        protokolliere(
            cur,
            wer,
            "erhebungslink_angelegt",
            {
                "standort": standort,
                "welle": welle,
                "gueltig_bis": gueltig_bis.isoformat(),
                "ersetzt": ersetzt,
            },
        )
    return token


def _widerrufen(cur: object, standort: str, welle: str, jetzt: datetime) -> int:
    zeilen = cur.execute(  # type: ignore[attr-defined]
        "UPDATE erhebungslinks SET widerrufen_am = ? "
        "WHERE standort = ? AND welle = ? AND widerrufen_am IS NULL",
        [jetzt, standort, welle],
    ).fetchall()
    return int(zeilen[0][0]) if zeilen else 0


def link_widerrufen(db: Datenbank, standort: str, welle: str, *, wer: str) -> int:
    """Revoke every link of a site and wave; returns how many were still unrevoked."""
    _pruefe_ziel(db, standort, welle)
    with db.transaction() as cur:
        anzahl = _widerrufen(cur, standort, welle, datetime.now())
        if anzahl:
            protokolliere(
                cur,
                wer,
                "erhebungslink_widerrufen",
                {"standort": standort, "welle": welle, "links": anzahl},
            )
    return anzahl


def link_pruefen(db: Datenbank, token: str | None, *, heute: date | None = None) -> Erhebungslink:
    """The link of a token, or :class:`LinkUngueltig` (unknown/forged, revoked, expired)."""
    if not token or len(token) > 100:
        raise LinkUngueltig(UNGUELTIG)
    zeilen = db.rows(
        f"SELECT {_LINK_SPALTEN} FROM erhebungslinks WHERE token_hash = ?", [token_hash(token)]
    )
    if not zeilen:
        raise LinkUngueltig(UNGUELTIG)
    link = _link(zeilen[0])
    if not link.aktiv(heute):
        raise LinkUngueltig(ABGELAUFEN)
    return link


def standortname(db: Datenbank, standort: str) -> str:
    """The site's display name for the page's privacy notice."""
    return _standortnamen(db).get(standort, standort)


# -- questions ----------------------------------------------------------------------------------
def fragen(welle: str) -> tuple[Feld, ...]:
    """The codebook variables asked at this wave, in codebook order (code first)."""
    return tuple(
        feld
        for feld in schema.codebuch()
        if welle in feld.wellen and (feld.name == "code" or feld.name not in FESTE_VARIABLEN)
    )


#: Screens of the questionnaire: (German title, which variables). Goal-less variables (about
#: the person) first; goal blocks longer than this are split so that a phone screen stays short.
BLOCK_MAX = 7
BLOCK_TITEL = {"": T_UEBER_SIE, "a": T_KONTAKTE, "b": T_FAEHIGKEITEN, "c": T_MITMACHEN}


def bloecke(welle: str) -> list[tuple[str, tuple[Feld, ...]]]:
    """The question screens of a wave (without the code screen), in codebook order."""
    gruppen: dict[str, list[Feld]] = {}
    for feld in fragen(welle):
        if feld.name == "code":
            continue
        gruppen.setdefault(feld.ziel if feld.ziel in BLOCK_TITEL else "", []).append(feld)
    ergebnis = []
    for ziel in BLOCK_TITEL:
        felder = gruppen.get(ziel, [])
        teile = -(-len(felder) // BLOCK_MAX)  # as few screens as needed, evenly filled
        for nummer in range(teile):
            anfang, ende = len(felder) * nummer // teile, len(felder) * (nummer + 1) // teile
            ergebnis.append((BLOCK_TITEL[ziel], tuple(felder[anfang:ende])))
    return ergebnis


def ist_pflicht(feld: Feld, welle: str) -> bool:
    return feld.pflicht or feld.pflicht_welle == welle


# -- submission ---------------------------------------------------------------------------------
def importzeile(
    link: Erhebungslink, antworten: Mapping[str, object], datum: date
) -> dict[str, str]:
    """The answers as one row of an import file (codebook variables only, text as in a CSV).

    Unknown keys are dropped, so nothing beyond the codebook can be stored through the page.
    """
    erlaubt = {feld.name: feld for feld in fragen(link.welle)}
    zeile = {"standort": link.standort, "welle": link.welle, "datum": datum.isoformat()}
    for name, wert in antworten.items():
        if name not in erlaubt or wert is None or wert == "":
            continue
        if isinstance(wert, bool):
            zeile[name] = "ja" if wert else "nein"
        else:
            zeile[name] = str(wert).strip()
    return zeile


def _als_csv(zeile: dict[str, str]) -> bytes:
    return _als_csv_zeilen([zeile])


def _dateiname(link: Erhebungslink, sprache: str) -> str:
    """Marks the source in ``importe.dateiname`` and the archive (no person, no time)."""
    return f"{QUELLE}_{link.standort}_{link.welle}_{sprache}.csv"


def pruefe_antworten(link: Erhebungslink, antworten: Mapping[str, object]) -> list[Fehler]:
    """The import's own check of the answers so far (empty list = fine); changes nothing.

    The page calls this on every "Weiter", so a participant sees the codebook's rules where
    they answer, not after the last screen. Missing required answers of later screens are not
    reported here; :func:`einreichen` checks the whole row.
    """
    zeile = importzeile(link, antworten, date.today())
    zeile.setdefault("code", "")
    pruefung = pruefe_datei(None, _als_csv(zeile), "fragebogen.csv", Art.BEFRAGUNG)
    gefragt = set(zeile) - {"standort"}  # the site is checked against the database at submit
    return [f for f in pruefung.fehler if f.spalte in gefragt]


def einreichen(
    db: Datenbank,
    token: str | None,
    antworten: Mapping[str, object],
    *,
    sprache: str = "de",
    heute: date | None = None,
) -> Einreichung:
    """Store one questionnaire submitted through a link, through the import of a file.

    Raises :class:`LinkUngueltig` (nothing stored) or :class:`AntwortenFehlerhaft` (nothing
    stored). A row whose key already exists, or that falls into an approved quarter, goes to
    the inbox; an identical repeated submission (double tap on "Absenden") is stored once.

    Submissions arriving while another batch is being written are written together as one
    import (group commit, :class:`_Schlange`): rebuilding the pre-aggregated tables costs
    about as much for 50 rows as for one, so an event with many people answering at once
    does not queue up one rebuild per person.
    """
    link = link_pruefen(db, token, heute=heute)
    zeile = importzeile(link, antworten, heute or date.today())
    return _schlange(db).abgeben(db, _Auftrag(link, zeile, sprache))


@dataclass
class _Auftrag:
    """One submission waiting for the writer; ``fertig`` is set when it has an outcome."""

    link: Erhebungslink
    zeile: dict[str, str]
    sprache: str
    fertig: threading.Event = field(default_factory=threading.Event)
    ergebnis: Einreichung | None = None
    fehler: BaseException | None = None

    def erledigt(
        self, ergebnis: Einreichung | None = None, fehler: BaseException | None = None
    ) -> None:
        self.ergebnis, self.fehler = ergebnis, fehler
        self.fertig.set()


class _Schlange:
    """Group commit per database file: the first waiting thread writes everything queued.

    No background thread: whoever submits while nobody writes becomes the writer and writes
    batches until the queue is empty; everybody else waits for their own outcome.
    """

    def __init__(self) -> None:
        self._sperre = threading.Lock()
        self._wartend: list[_Auftrag] = []
        self._schreibt = False

    def abgeben(self, db: Datenbank, auftrag: _Auftrag) -> Einreichung:
        with self._sperre:
            self._wartend.append(auftrag)
            schreiber = not self._schreibt
            self._schreibt = True
        if schreiber:
            self._abarbeiten(db)
        auftrag.fertig.wait()
        if auftrag.fehler is not None:
            raise auftrag.fehler
        assert auftrag.ergebnis is not None
        return auftrag.ergebnis

    def _abarbeiten(self, db: Datenbank) -> None:
        while True:
            self._sammeln()
            with self._sperre:
                stapel, self._wartend = self._wartend, []
                if not stapel:
                    self._schreibt = False
                    return
            try:
                _schreibe_stapel(db, stapel)
            except BaseException as fehler:  # every waiting submitter gets the error
                for auftrag in stapel:
                    if not auftrag.fertig.is_set():
                        auftrag.erledigt(fehler=fehler)

    def _sammeln(self) -> None:
        """Wait while submissions are still arriving (at most :data:`SAMMELN_MAX_S`).

        People who press "Absenden" together reach the server spread over a few hundred
        milliseconds; without this the first one alone became a whole import (the rebuild of
        the pre-aggregated tables costs the same for 1 row as for 50) and the rest waited.
        """
        ende = time.monotonic() + SAMMELN_MAX_S
        while time.monotonic() < ende:
            with self._sperre:
                vorher = len(self._wartend)
            time.sleep(SAMMELN_PAUSE_S)
            with self._sperre:
                if len(self._wartend) == vorher:
                    return


#: Group commit: wait until no submission arrived for this long, at most ``SAMMELN_MAX_S``.
SAMMELN_PAUSE_S = 0.1
SAMMELN_MAX_S = 0.5

_SCHLANGEN: dict[Path, _Schlange] = {}
_SCHLANGEN_SPERRE = threading.Lock()


def _schlange(db: Datenbank) -> _Schlange:
    with _SCHLANGEN_SPERRE:
        return _SCHLANGEN.setdefault(db.pfad.resolve(), _Schlange())


def _als_csv_zeilen(zeilen: list[dict[str, str]]) -> bytes:
    """Several submissions as one import file (union of their columns, empty = no answer)."""
    spalten = list(dict.fromkeys(name for zeile in zeilen for name in zeile))
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\n")
    schreiber.writerow(spalten)
    schreiber.writerows([zeile.get(name, "") for name in spalten] for zeile in zeilen)
    return puffer.getvalue().encode("utf-8")


def _schluessel(zeile: Mapping[str, str]) -> tuple[str, ...]:
    """The import key of a submission (code in its stored form), for duplicates in a batch."""
    return tuple(
        normalisiere_code(zeile.get(s, "")) if s == "code" else zeile.get(s, "")
        for s in schema.SCHLUESSEL[Art.BEFRAGUNG]
    )


def _runden(stapel: list[_Auftrag]) -> list[list[_Auftrag]]:
    """Split a batch so that no key occurs twice in one import (the later one is compared
    with the stored row in the next round: identical → already stored, else the inbox)."""
    runden: list[list[_Auftrag]] = []
    for auftrag in stapel:
        schluessel = _schluessel(auftrag.zeile)
        for runde in runden:
            if all(_schluessel(a.zeile) != schluessel for a in runde):
                runde.append(auftrag)
                break
        else:
            runden.append([auftrag])
    return runden


def _schreibe_stapel(db: Datenbank, stapel: list[_Auftrag]) -> None:
    with db.schreibsperre():
        for runde in _runden(stapel):
            _schreibe_runde(db, runde)


def _zeilennummer(fehler: Fehler) -> int:
    """Position in the batch of a reported row (the file's first data row is row 2)."""
    return fehler.zeile - 2


def _nach_zeilen(fehler: list[Fehler], anzahl: int) -> dict[int, list[Fehler]]:
    """Errors by position in the batch; an error about no single row concerns every row."""
    je_zeile: dict[int, list[Fehler]] = {}
    for einzeln in fehler:
        je_zeile.setdefault(_zeilennummer(einzeln), []).append(einzeln)
    if not set(je_zeile) <= set(range(anzahl)):
        return dict.fromkeys(range(anzahl), fehler)
    return je_zeile


def _kanonisch(zeile: Mapping[str, str]) -> dict[str, str]:
    """A submission as an import row with its code in the stored form (for the inbox)."""
    return {**zeile, "code": normalisiere_code(zeile.get("code", ""), leerzeichen_entfernen=True)}


def _schreibe_runde(db: Datenbank, offen: list[_Auftrag]) -> None:
    # 1. the usual batch passes the import's whole check at once (one check instead of two);
    #    otherwise sort out rule errors and what goes to the inbox
    inhalt = _als_csv_zeilen([a.zeile for a in offen])
    pruefung = pruefe_datei(db, inhalt, f"{QUELLE}.csv", Art.BEFRAGUNG)
    if not pruefung.ok:
        offen, pruefung = _aussortieren(db, offen)
    if not offen or pruefung is None:
        return
    _schreibe_gepruefte(db, offen, pruefung)


def _aussortieren(
    db: Datenbank, offen: list[_Auftrag]
) -> tuple[list[_Auftrag], Pruefergebnis | None]:
    """The submissions that pass the import's check (and that check), the others answered."""
    pruefung = None
    # 1a. the codebook's rules, all rows at once (the site comes from a valid link and is
    #     checked against the database in 1b); a row with errors gets them, the rest goes on
    while offen:
        inhalt = _als_csv_zeilen([a.zeile for a in offen])
        regeln = pruefe_datei(None, inhalt, f"{QUELLE}.csv", Art.BEFRAGUNG)
        fehler = [f for f in regeln.fehler if f.spalte != "standort"]
        if not fehler:
            break
        schlecht = _nach_zeilen(fehler, len(offen))
        for i, eigene in schlecht.items():
            offen[i].erledigt(fehler=AntwortenFehlerhaft(eigene))
        offen = [a for i, a in enumerate(offen) if i not in schlecht]
    # 1b. against the database as the import sees it (sites, approved quarters): what it would
    #     refuse now is not the participant's error – it goes to the project lead's inbox
    while offen:
        inhalt = _als_csv_zeilen([a.zeile for a in offen])
        pruefung = pruefe_datei(db, inhalt, f"{QUELLE}.csv", Art.BEFRAGUNG)
        if pruefung.ok:
            break
        gesperrt = _nach_zeilen(pruefung.fehler, len(offen))
        for i, eigene in gesperrt.items():
            offen[i].erledigt(
                _in_eingang(db, offen[i].link, _kanonisch(offen[i].zeile), eigene[0].grund)
            )
        offen = [a for i, a in enumerate(offen) if i not in gesperrt]
    return offen, pruefung


def _schreibe_gepruefte(db: Datenbank, offen: list[_Auftrag], pruefung: Pruefergebnis) -> None:
    # 2. a stored row with the same key is never overwritten from a public link
    daten = pruefung.daten.reset_index(drop=True)
    vorhanden = _vorhandene_schluessel(db, daten)
    schluessel = schema.SCHLUESSEL[Art.BEFRAGUNG]
    neu: list[tuple[_Auftrag, pd.DataFrame]] = []
    for i, auftrag in enumerate(offen):
        zeile = daten.iloc[[i]]
        if tuple(str(daten[s].iloc[i]) for s in schluessel) not in vorhanden:
            neu.append((auftrag, zeile))
        elif _gleiche_zeile(db, zeile):
            auftrag.erledigt(Einreichung(Ergebnis.BEREITS))
        else:
            grund = "Für diesen Code gibt es in dieser Welle schon einen Fragebogen."
            auftrag.erledigt(_in_eingang(db, auftrag.link, _als_text_zeile(zeile), grund))
    # 3. one import for the rest; rows refused by a locked quarter go to the inbox
    while neu:
        auftraege = [a for a, _ in neu]
        name = (
            _dateiname(auftraege[0].link, auftraege[0].sprache)
            if len(auftraege) == 1
            else f"{QUELLE}_{len(auftraege)}_fragebogen.csv"
        )
        inhalt = _als_csv_zeilen([a.zeile for a in auftraege])
        try:
            ergebnis = importiere(db, inhalt, name, Art.BEFRAGUNG, benutzer=QUELLE)
        except ImportAbgelehnt as abgelehnt:
            gesperrt: dict[int, str] = {}
            for fehler in abgelehnt.pruefergebnis.fehler:
                gesperrt.setdefault(_zeilennummer(fehler), fehler.grund)
            if not gesperrt or not set(gesperrt) <= set(range(len(neu))):
                raise
            for i, grund in gesperrt.items():
                auftrag, zeile = neu[i]
                auftrag.erledigt(_in_eingang(db, auftrag.link, _als_text_zeile(zeile), grund))
            neu = [paar for i, paar in enumerate(neu) if i not in gesperrt]
            continue
        ausgang = Ergebnis.BEREITS if ergebnis.bereits_importiert else Ergebnis.GESPEICHERT
        for auftrag in auftraege:
            auftrag.erledigt(Einreichung(ausgang))
        return


def _schluessel_bedingung(daten: pd.DataFrame) -> tuple[str, list[object]]:
    schluessel = schema.SCHLUESSEL[Art.BEFRAGUNG]
    bedingung = " AND ".join(f"{s} = ?" for s in schluessel)
    return bedingung, [daten[s].iloc[0] for s in schluessel]


def _vorhandene_schluessel(db: Datenbank, daten: pd.DataFrame) -> set[tuple[str, ...]]:
    """The keys (site, code, wave) of a batch that already have a stored row: one query for
    the whole batch, not one per submission."""
    codes = sorted({str(code) for code in daten["code"]})
    return {
        tuple(str(wert) for wert in zeile)
        for zeile in db.rows(
            "SELECT standort, code, welle FROM befragungen WHERE list_contains(?::VARCHAR[], code)",
            [codes],
        )
    }


def _gleiche_zeile(db: Datenbank, daten: pd.DataFrame) -> bool:
    """Whether the stored row with this key holds exactly these answers (a double submit)."""
    bedingung, werte = _schluessel_bedingung(daten)
    spalten = list(daten.columns)
    gespeichert = db.query(f"SELECT {', '.join(spalten)} FROM befragungen WHERE {bedingung}", werte)
    if gespeichert.empty:
        return False
    alt = gespeichert.iloc[0]
    neu = daten.iloc[0]
    return all(_text(alt[s]) == _text(neu[s]) for s in spalten)


def _text(wert: object) -> str:
    if wert is None or (not isinstance(wert, str) and pd.isna(wert)):  # type: ignore[arg-type]
        return ""
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if hasattr(wert, "isoformat"):
        return str(wert)[:10]
    return str(wert)


def _als_text_zeile(daten: pd.DataFrame) -> dict[str, str]:
    return {s: _text(daten[s].iloc[0]) for s in daten.columns if _text(daten[s].iloc[0]) != ""}


# -- inbox of the project lead ------------------------------------------------------------------
def _in_eingang(
    db: Datenbank, link: Erhebungslink, werte: Mapping[str, str], grund: str
) -> Einreichung:
    """Park a submission for the project lead (codebook values as an import row, no more)."""
    zeile = json.dumps(dict(werte), ensure_ascii=False)
    with db.transaction() as cur:
        nummer = int(cur.execute("SELECT nextval('erhebung_eingang_seq')").fetchall()[0][0])
        cur.execute(
            "INSERT INTO erhebung_eingang (id, standort, welle, eingegangen_am, grund, zeile) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [nummer, link.standort, link.welle, datetime.now(), grund, zeile],
        )
        protokolliere(
            cur,
            QUELLE,
            "erhebung_eingang",
            {"eingang": nummer, "standort": link.standort, "welle": link.welle, "grund": grund},
        )
    return Einreichung(Ergebnis.POSTEINGANG, grund, nummer)


def eingang(db: Datenbank, *, offen: bool = True) -> pd.DataFrame:
    """The inbox for the project lead (site, wave, when, why; not the answers)."""
    bedingung = "WHERE erledigt_am IS NULL" if offen else ""
    return db.query(
        "SELECT id, standort, welle, eingegangen_am, grund, erledigt_am, erledigt_von, ergebnis "
        f"FROM erhebung_eingang {bedingung} ORDER BY id"
    )


def eingang_erledigen(db: Datenbank, nummer: int, *, uebernehmen: bool, wer: str) -> str:
    """Take one inbox entry over into the data (an import, may still be refused) or discard it.

    Taking over overwrites a stored questionnaire with the same key: that is the project
    lead's decision after checking, which is why the public page never does it.
    """
    zeilen = db.rows(
        "SELECT standort, welle, zeile FROM erhebung_eingang WHERE id = ? AND erledigt_am IS NULL",
        [nummer],
    )
    if not zeilen:
        raise LinkFehler(f"Im Posteingang gibt es keinen offenen Eintrag Nr. {nummer}.")
    standort, welle, text = zeilen[0]
    meldung = "verworfen"
    if uebernehmen:
        zeile = json.loads(text)
        ergebnis = importiere(
            db, _als_csv(zeile), f"{QUELLE}_posteingang_{nummer}.csv", Art.BEFRAGUNG, benutzer=wer
        )
        meldung = str(ergebnis)
    with db.transaction() as cur:
        cur.execute(
            "UPDATE erhebung_eingang SET erledigt_am = ?, erledigt_von = ?, ergebnis = ? "
            "WHERE id = ?",
            [datetime.now(), wer, UEBERNOMMEN if uebernehmen else VERWORFEN, nummer],
        )
        protokolliere(
            cur,
            wer,
            "erhebung_eingang_erledigt",
            {
                "eingang": nummer,
                "standort": standort,
                "welle": welle,
                "ergebnis": UEBERNOMMEN if uebernehmen else VERWORFEN,
            },
        )
    return meldung


# -- activities recorded by site staff ----------------------------------------------------------
#: Marks activities entered in the dashboard form (``importe.dateiname``, ``aktivitaet_id``).
AKTIVITAET_QUELLE = "aktivitaet-formular"


def aktivitaet_erfassen(
    db: Datenbank,
    werte: Mapping[str, object],
    *,
    wer: str,
    zugriff: Zugriff | None,
) -> str:
    """Record one activity from the dashboard form as an import of a one-row file.

    Same checks as the activity import (required fields, categories, parts ≤ total), same site
    restriction (a site coordinator only for the own site) and the same lock of approved
    quarters; raises the import's :class:`~monitor.importieren.ImportAbgelehnt` or
    :class:`~monitor.importieren.ImportVerweigert`. Returns the new activity's ID.
    """
    erlaubt = {feld.name for feld in schema.felder(Art.AKTIVITAETEN)}
    kennung = f"F-{date.today():%Y%m%d}-{secrets.token_hex(3)}"
    zeile = {"aktivitaet_id": kennung}
    for name, wert in werte.items():
        if name not in erlaubt or wert is None or wert == "":
            continue
        if isinstance(wert, bool):
            zeile[name] = "ja" if wert else "nein"
        elif isinstance(wert, date):
            zeile[name] = wert.isoformat()
        else:
            zeile[name] = str(wert).strip()
    standort = zeile.get("standort", "")
    importiere(
        db,
        _als_csv(zeile),
        f"{AKTIVITAET_QUELLE}_{standort}.csv",
        Art.AKTIVITAETEN,
        benutzer=wer,
        zugriff=zugriff,
    )
    return kennung

"""Users, roles and what a session may read: logins for a server with real people's data.

Why this module looks the way it does:

* **Roles are data, in one place** (:data:`ROLLEN`). Each role lists its rights; pages, the
  import, the approval workflow and exports ask :class:`Zugriff` instead of comparing role
  names, so adding or changing a role is one edit here.
* **Enforcement where data is read.** :func:`beschraenke_filter` narrows an engine
  :class:`~indikatoren.filter.Filter` to the sites a session may see; a site coordinator asking
  for another site gets a filter that selects nothing (an empty ``standorte`` tuple would mean
  "all sites", so a site ID that cannot exist stands for "none").
* **Passwords** are hashed with argon2id (argon2-cffi, RFC 9106 parameters) and never stored,
  logged or put into an exception message. Unknown user names cost the same hashing time as
  known ones, and are stored (audit, lock-out counters) only as a short hash — people type
  their password into the name field.
* **Failed logins are throttled per name and per client** (the browser's address, see
  :func:`client_schluessel`), with a lock-out that doubles with every further failure; the
  counters live in the database, so a restart does not reset them. There is deliberately *no*
  global counter: made-up names from one attacker would otherwise lock out everyone, the admin
  included. ``benutzer entsperren`` on the server clears every lock that can stop the name.
  Failures are audited aggregated (:func:`_melden`), so a brute force cannot flood the trail.
* **Secure default** (:func:`zugangsmodus`): with demo data only and no users the dashboard is
  open; as soon as real data exists, nobody sees anything until the first admin exists.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from functools import cache

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from indikatoren.filter import Filter
from monitor.audit import KOMMANDOZEILE, protokolliere
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler


# -- rights and roles ---------------------------------------------------------------------------
class Recht(StrEnum):
    """One thing a role may do."""

    ALLE_STANDORTE = "alle_standorte"  # read every site (otherwise only the own one)
    IMPORT = "import"  # upload survey and activity data (sites: only the own)
    ZIELWERTE = "zielwerte"  # set targets (edit in the dashboard, import Zielwerte files)
    EINREICHEN = "einreichen"  # submit a site's quarter for approval
    FREIGEBEN = "freigeben"  # approve, return with a reason, reopen with a reason
    EXPORT = "export"  # Excel report and CSV of released (suppressed) tables
    ZEILENLISTEN = "zeilenlisten"  # row-level data-quality lists (e.g. activity outliers)
    MIKRODATEN = "mikrodaten"  # export of pseudonymised microdata
    BENUTZER = "benutzer"  # manage users, read the audit trail


class Detailstufe(IntEnum):
    """How close to single rows a session may look (ordered: higher includes lower)."""

    AGGREGIERT = 1  # released, suppressed aggregates only
    ZEILEN = 2  # plus row-level quality lists (activity rows, counts per finding)
    MIKRODATEN = 3  # plus pseudonymised questionnaire rows


@dataclass(frozen=True, slots=True)
class Rolle:
    """A role: its German label, what it is for, and its rights."""

    schluessel: str
    bezeichnung: str
    beschreibung: str
    rechte: frozenset[Recht]
    #: Sees approved quarters only (not switchable): data a funder reads must be approved.
    nur_freigegeben: bool = False

    @property
    def braucht_standort(self) -> bool:
        return Recht.ALLE_STANDORTE not in self.rechte


_R = Recht
ROLLEN: dict[str, Rolle] = {
    rolle.schluessel: rolle
    for rolle in (
        Rolle(
            "admin",
            "Administration",
            "alles, auch Benutzer und Auditprotokoll",
            frozenset(Recht),
        ),
        Rolle(
            "projektleitung",
            "Projektleitung",
            "alle Standorte, Import, Zielwerte, Freigaben, Berichte",
            frozenset(
                {
                    _R.ALLE_STANDORTE,
                    _R.IMPORT,
                    _R.ZIELWERTE,
                    _R.EINREICHEN,
                    _R.FREIGEBEN,
                    _R.EXPORT,
                    _R.ZEILENLISTEN,
                }
            ),
        ),
        Rolle(
            "standort",
            "Standortkoordination",
            "Import und Ergebnisse des eigenen Standorts, Quartale zur Freigabe einreichen",
            frozenset({_R.IMPORT, _R.EINREICHEN, _R.EXPORT, _R.ZEILENLISTEN}),
        ),
        Rolle(
            "evaluation",
            "Evaluation",
            "alle Standorte, Berichte, Datenqualität und pseudonymisierte Mikrodaten",
            frozenset({_R.ALLE_STANDORTE, _R.EXPORT, _R.ZEILENLISTEN, _R.MIKRODATEN}),
        ),
        Rolle(
            "foerdergeber",
            "Fördergeber",
            "zusammengefasste, geschützte Vergleiche freigegebener Quartale und der Bericht; "
            "kein Import, keine Mikrodaten, keine Zeilenlisten",
            frozenset({_R.ALLE_STANDORTE, _R.EXPORT}),
            nur_freigegeben=True,
        ),
    )
}

#: A site ID that can never exist (IDs are 2–12 of A–Z 0–9 _): a filter on it selects nothing.
KEIN_STANDORT = "-"


@dataclass(frozen=True, slots=True)
class Zugriff:
    """What one session may read and do. Hashable, so pages can use it as a cache key."""

    rechte: frozenset[Recht]
    #: Sites the session may read; ``None`` = every site.
    standorte: tuple[str, ...] | None
    #: Only approved quarters (:func:`monitor.freigabe.sichtbare_zellen`).
    nur_freigegeben: bool = False

    @property
    def detail(self) -> Detailstufe:
        if Recht.MIKRODATEN in self.rechte:
            return Detailstufe.MIKRODATEN
        if Recht.ZEILENLISTEN in self.rechte:
            return Detailstufe.ZEILEN
        return Detailstufe.AGGREGIERT

    @property
    def geschuetzt(self) -> bool:
        """Aggregated access only: every number comes from the protected lattice
        (:mod:`indikatoren.schutzgitter`), and only lattice selections are allowed."""
        return self.detail is Detailstufe.AGGREGIERT

    def darf(self, recht: Recht) -> bool:
        return recht in self.rechte

    def darf_standort(self, standort: str) -> bool:
        return self.standorte is None or standort in self.standorte

    def sichtbare(self, standorte: Iterable[str]) -> list[str]:
        """The given site IDs this session may read (order kept), e.g. for a site picker."""
        return [s for s in standorte if self.darf_standort(s)]


def zugriff_fuer(rolle: str, standort: str | None = None) -> Zugriff:
    """The access of a role (and, for site roles, its site)."""
    eintrag = ROLLEN[rolle]
    standorte = None if not eintrag.braucht_standort else ((standort,) if standort else ())
    return Zugriff(eintrag.rechte, standorte, eintrag.nur_freigegeben)


def beschraenke_filter(filter_: Filter, zugriff: Zugriff) -> Filter:
    """Narrow an engine filter to the sites the session may read.

    Unrestricted sessions get the filter unchanged. Otherwise an empty selection becomes "all
    own sites", and sites outside the own ones are dropped; if none remains, the filter selects
    :data:`KEIN_STANDORT`, i.e. nothing (never "all").
    """
    if zugriff.standorte is None:
        return filter_
    gewuenscht = filter_.standorte or zugriff.standorte
    bleibt = tuple(s for s in gewuenscht if s in zugriff.standorte)
    return replace(filter_, standorte=bleibt or (KEIN_STANDORT,))


# -- errors and input rules ---------------------------------------------------------------------
class BenutzerFehler(EingabeFehler):
    """A rejected user operation (German message, shown as is; never contains a password)."""


MIN_PASSWORT = 10
MAX_PASSWORT = 1024
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
_STANDORT_ID = re.compile(r"[A-Z0-9_]{2,12}")


def normalisiere_name(name: str) -> str:
    """User names are compared without case and surrounding blanks."""
    return name.strip().lower()


def _pruefe_name(name: str) -> str:
    normal = normalisiere_name(name)
    if not _NAME.fullmatch(normal):
        raise BenutzerFehler(
            f"Ungültiger Benutzername '{name}': 2–64 Zeichen aus a–z, 0–9 und . _ @ -, "
            "beginnend mit Buchstabe oder Ziffer."
        )
    return normal


def pruefe_passwort(passwort: str, name: str = "") -> None:
    """Password rules: at least 10 characters, not only blanks, not the user name."""
    if len(passwort) < MIN_PASSWORT:
        raise BenutzerFehler(f"Das Passwort muss mindestens {MIN_PASSWORT} Zeichen lang sein.")
    if len(passwort) > MAX_PASSWORT:
        raise BenutzerFehler(f"Das Passwort darf höchstens {MAX_PASSWORT} Zeichen lang sein.")
    if not passwort.strip():
        raise BenutzerFehler("Das Passwort darf nicht nur aus Leerzeichen bestehen.")
    if name and passwort.strip().lower() == normalisiere_name(name):
        raise BenutzerFehler("Das Passwort darf nicht der Benutzername sein.")


def _pruefe_rolle(rolle: str, standort: str | None) -> tuple[str, str | None]:
    if rolle not in ROLLEN:
        raise BenutzerFehler(f"Unbekannte Rolle '{rolle}' (möglich: {', '.join(ROLLEN)}).")
    if not ROLLEN[rolle].braucht_standort:
        if standort:
            raise BenutzerFehler(f"Die Rolle '{rolle}' sieht alle Standorte; bitte ohne Standort.")
        return rolle, None
    kennung = (standort or "").strip().upper()
    if not kennung:
        raise BenutzerFehler(f"Für die Rolle '{rolle}' bitte den Standort angeben (--standort).")
    if not _STANDORT_ID.fullmatch(kennung):
        raise BenutzerFehler(f"Ungültige Standort-ID '{standort}' (2–12 Zeichen A–Z, 0–9, _).")
    return rolle, kennung


# -- password hashing ---------------------------------------------------------------------------
#: Test suites may set this to 1 for cheap hashes (never on a server): RFC 9106's low-memory
#: profile costs about half a second per login on a loaded 2-core machine.
SCHNELLE_HASHES_VARIABLE = "MONITOR_ARGON2_NUR_FUER_TESTS"


def _hasher() -> PasswordHasher:
    if os.environ.get(SCHNELLE_HASHES_VARIABLE) == "1":
        return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    return PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4


def hash_passwort(passwort: str) -> str:
    return _hasher().hash(passwort)


def _passwort_stimmt(gespeichert: str, passwort: str) -> bool:
    try:
        return _hasher().verify(gespeichert, passwort)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _platzhalter_hash(schnell: bool) -> str:
    """A hash to verify against for unknown names, so they take as long as known ones.

    ``schnell`` (the hashing profile in force) only keys the cache: one hash per profile.
    """
    return _hasher().hash(os.urandom(16).hex())


def _verdeckt(name: str) -> str:
    """How an unknown login name is stored: a short hash, never the typed text."""
    return "unbekannt#" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


# -- users --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Benutzer:
    """A stored user (without the hash, which never leaves this module)."""

    name: str
    rolle: str
    standort: str | None
    gesperrt: bool
    angelegt_am: datetime
    geaendert_am: datetime


_BENUTZER_SPALTEN = "name, rolle, standort, gesperrt, angelegt_am, geaendert_am"


def _lade(db: Datenbank, name: str) -> tuple[Benutzer, str] | None:
    zeilen = db.rows(
        f"SELECT {_BENUTZER_SPALTEN}, passwort_hash FROM benutzer WHERE name = ?", [name]
    )
    if not zeilen:
        return None
    *felder, passwort_hash = zeilen[0]
    return Benutzer(*felder), passwort_hash


def benutzer(db: Datenbank, name: str) -> Benutzer | None:
    geladen = _lade(db, normalisiere_name(name))
    return geladen[0] if geladen else None


def hat_benutzer(db: Datenbank) -> bool:
    return bool(db.scalar("SELECT EXISTS (SELECT 1 FROM benutzer)"))


def benutzerliste(db: Datenbank) -> pd.DataFrame:
    """All users for the admin page and ``benutzer liste`` (never a hash).

    Columns: Name, Rolle, Standort, Gesperrt, Angelegt, Geändert.
    """
    tabelle = db.query(
        'SELECT name AS "Name", rolle AS "Rolle", standort AS "Standort", '
        'gesperrt AS "Gesperrt", angelegt_am AS "Angelegt", geaendert_am AS "Geändert" '
        "FROM benutzer ORDER BY name"
    )
    tabelle["Rolle"] = tabelle["Rolle"].map(lambda r: ROLLEN[r].bezeichnung if r in ROLLEN else r)
    return tabelle


def lege_an(
    db: Datenbank,
    name: str,
    rolle: str,
    passwort: str,
    standort: str | None = None,
    *,
    von: str = KOMMANDOZEILE,
) -> Benutzer:
    """Create a user; raises :class:`BenutzerFehler` on a bad name, role, site or password."""
    normal = _pruefe_name(name)
    rolle, standort = _pruefe_rolle(rolle, standort)
    pruefe_passwort(passwort, normal)
    passwort_hash = hash_passwort(passwort)
    jetzt = datetime.now()
    with db.transaction() as cur:
        if cur.execute("SELECT 1 FROM benutzer WHERE name = ?", [normal]).fetchall():
            raise BenutzerFehler(f"Den Benutzer '{normal}' gibt es schon.")
        cur.execute(
            "INSERT INTO benutzer (name, rolle, standort, passwort_hash, gesperrt, angelegt_am, "
            "geaendert_am) VALUES (?, ?, ?, ?, false, ?, ?)",
            [normal, rolle, standort, passwort_hash, jetzt, jetzt],
        )
        protokolliere(
            cur,
            von,
            "benutzer_angelegt",
            {"benutzer": normal, "rolle": rolle, "standort": standort},
            jetzt=jetzt,
        )
    return Benutzer(normal, rolle, standort, False, jetzt, jetzt)


def _aendere(
    db: Datenbank,
    name: str,
    was: str,
    setzen: str,
    werte: list[object],
    *,
    von: str,
    grund: str | None = None,
) -> Benutzer:
    """One change of a user row plus its audit entry; ``geaendert_am`` ends older sessions."""
    normal = normalisiere_name(name)
    jetzt = datetime.now()
    with db.transaction() as cur:
        if not cur.execute("SELECT 1 FROM benutzer WHERE name = ?", [normal]).fetchall():
            raise BenutzerFehler(f"Den Benutzer '{normal}' gibt es nicht.")
        cur.execute(
            f"UPDATE benutzer SET {setzen}, geaendert_am = ? WHERE name = ?",
            [*werte, jetzt, normal],
        )
        # Unlocking and a new password also lift every lock-out that can stop this name: its
        # own counter and every client lock (an admin behind the attacker's network must get
        # in); the legacy global row too, should an old database still have one.
        if was in ("benutzer_entsperrt", "passwort_geaendert"):
            cur.execute(
                "DELETE FROM anmeldeversuche WHERE schluessel = ? OR schluessel = '*' "
                "OR starts_with(schluessel, ?)",
                [normal, _CLIENT_PRAEFIX],
            )
        protokolliere(cur, von, was, {"benutzer": normal}, grund, jetzt=jetzt)
    geaendert = benutzer(db, normal)
    assert geaendert is not None
    return geaendert


def sperre(
    db: Datenbank, name: str, *, von: str = KOMMANDOZEILE, grund: str | None = None
) -> Benutzer:
    """Lock an account: no login, and open sessions end at their next check."""
    return _aendere(db, name, "benutzer_gesperrt", "gesperrt = ?", [True], von=von, grund=grund)


def entsperre(
    db: Datenbank, name: str, *, von: str = KOMMANDOZEILE, grund: str | None = None
) -> Benutzer:
    """Unlock an account and lift a lock-out after failed logins."""
    return _aendere(db, name, "benutzer_entsperrt", "gesperrt = ?", [False], von=von, grund=grund)


def setze_passwort(
    db: Datenbank, name: str, passwort: str, *, von: str = KOMMANDOZEILE
) -> Benutzer:
    """Set a new password (rules of :func:`pruefe_passwort`); older sessions end."""
    pruefe_passwort(passwort, name)
    return _aendere(
        db, name, "passwort_geaendert", "passwort_hash = ?", [hash_passwort(passwort)], von=von
    )


# -- login --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Drosselung:
    """Lock-out rule: from ``grenze`` failures on, each failure locks for twice as long."""

    grenze: int
    erste_sperre: timedelta
    hoechstens: timedelta
    #: A counter whose last failure is older than this starts again at zero.
    vergessen_nach: timedelta

    def sperre(self, fehlversuche: int) -> timedelta | None:
        if fehlversuche < self.grenze:
            return None
        stufe = min(fehlversuche - self.grenze, 30)
        return min(self.erste_sperre * 2**stufe, self.hoechstens)


JE_NAME = Drosselung(5, timedelta(seconds=30), timedelta(hours=1), timedelta(hours=24))
#: Per client: more tries (people behind one office address share it), shorter memory.
JE_CLIENT = Drosselung(20, timedelta(minutes=1), timedelta(minutes=30), timedelta(hours=1))
_CLIENT_PRAEFIX = "client#"
#: Failures of one key that get their own audit row: the first, the one that starts the
#: lock-out, then every 50th (each row carries the running count).
_MELDEN_AB = 50


def client_schluessel(adresse: str | None) -> str | None:
    """The throttling key of a client address (stored only as a short hash), or None.

    Behind a reverse proxy every request comes from the proxy's address; the UI then reads the
    address the proxy forwards (see README, deployment). None (unknown) = no client throttle.
    """
    if not adresse:
        return None
    return _CLIENT_PRAEFIX + hashlib.sha256(adresse.encode("utf-8")).hexdigest()[:16]


#: A session older than this must log in again (checked by :func:`pruefe_sitzung`).
SITZUNG_MAX_DAUER = timedelta(hours=12)
GAST = "gast"
#: Rights the guest of the open demo mode does not get, although it acts as admin otherwise:
#: whoever reached a fresh server could else create the first admin and later see real data.
#: The first admin is created on the server (``benutzer anlegen``).
GAST_OHNE = frozenset({Recht.BENUTZER})


@dataclass(frozen=True, slots=True)
class Sitzung:
    """A logged-in user (or the guest of the open demo mode), kept in the page's state."""

    name: str
    rolle: str
    standort: str | None
    angemeldet_am: datetime
    gast: bool = False

    @property
    def zugriff(self) -> Zugriff:
        eigener = zugriff_fuer(self.rolle, self.standort)
        if self.gast:  # an anonymous visitor must never create the first admin
            return replace(eigener, rechte=eigener.rechte - GAST_OHNE)
        return eigener

    @property
    def bezeichnung(self) -> str:
        """ "name (Rolle[, Standort])" for the sidebar."""
        rolle = ROLLEN[self.rolle].bezeichnung
        return f"{self.name} ({rolle}{', ' + self.standort if self.standort else ''})"


def gastsitzung(jetzt: datetime | None = None) -> Sitzung:
    """The session of the open demo mode (:attr:`Zugangsmodus.OFFEN_DEMO`): full access to
    demo data except user management (:data:`GAST_OHNE`), no login. :func:`pruefe_sitzung`
    ends it as soon as the mode changes."""
    return Sitzung(GAST, "admin", None, jetzt or datetime.now(), gast=True)


def _sperrschluessel(db: Datenbank, normal: str, client: str | None) -> list[str]:
    """The counters that can stop a login of this name from this client."""
    schluessel = [normal if _lade(db, normal) else _verdeckt(normal)]
    return [*schluessel, client] if client else schluessel


def anmeldesperre(
    db: Datenbank, name: str, *, client: str | None = None, jetzt: datetime | None = None
) -> datetime | None:
    """Until when logins for this name (or from this client) are locked, or None.

    ``client`` is a key from :func:`client_schluessel`. For the login form's message; reveals
    nothing about whether the name exists, because unknown names are throttled exactly like
    known ones.
    """
    jetzt = jetzt or datetime.now()
    bis = db.scalar(
        "SELECT max(gesperrt_bis) FROM anmeldeversuche WHERE list_contains(?, schluessel)",
        [_sperrschluessel(db, normalisiere_name(name), client)],
    )
    return bis if bis is not None and bis > jetzt else None


def _abgewiesen(
    db: Datenbank, schluessel: list[str], wer: str, bis: datetime, jetzt: datetime
) -> None:
    """Count a refusal during a lock-out; only the first of each lock-out gets an audit row
    (the next failure's row carries how many were refused)."""
    with db.transaction() as cur:
        zeilen = cur.execute(
            "UPDATE anmeldeversuche SET abgewiesen = coalesce(abgewiesen, 0) + 1 "
            "WHERE list_contains(?, schluessel) AND gesperrt_bis > ? RETURNING abgewiesen",
            [schluessel, jetzt],
        ).fetchall()
        if any(int(z[0]) == 1 for z in zeilen):
            protokolliere(cur, wer, "anmeldung_gesperrt", {"gesperrt_bis": bis}, jetzt=jetzt)


def _fehlversuch(
    cur: duckdb.DuckDBPyConnection, schluessel: str, regel: Drosselung, jetzt: datetime
) -> int:
    """Count one failed login for ``schluessel`` and set its lock-out; returns the count."""
    zeilen = cur.execute(
        "SELECT fehlversuche, letzter_fehlversuch, coalesce(abgewiesen, 0) FROM anmeldeversuche "
        "WHERE schluessel = ?",
        [schluessel],
    ).fetchall()
    anzahl = 1
    if zeilen and jetzt - zeilen[0][1] <= regel.vergessen_nach:
        anzahl = int(zeilen[0][0]) + 1
    dauer = regel.sperre(anzahl)
    cur.execute(
        "INSERT INTO anmeldeversuche (schluessel, fehlversuche, letzter_fehlversuch, "
        "gesperrt_bis, abgewiesen) VALUES (?, ?, ?, ?, 0) ON CONFLICT (schluessel) DO UPDATE SET "
        "fehlversuche = excluded.fehlversuche, "
        "letzter_fehlversuch = excluded.letzter_fehlversuch, "
        "gesperrt_bis = excluded.gesperrt_bis, abgewiesen = 0",
        [schluessel, anzahl, jetzt, jetzt + dauer if dauer else None],
    )
    return anzahl


def _melden(anzahl: int, regel: Drosselung) -> bool:
    """Whether the ``anzahl``-th failure of a key gets its own audit row (aggregation)."""
    return anzahl == 1 or anzahl == regel.grenze or anzahl % _MELDEN_AB == 0


def anmelden(
    db: Datenbank,
    name: str,
    passwort: str,
    *,
    client: str | None = None,
    jetzt: datetime | None = None,
) -> Sitzung | None:
    """Check name and password; a :class:`Sitzung` on success, else None (no reason given).

    ``client`` (:func:`client_schluessel`) adds the per-client throttle. Successes are audited
    one by one, failures and refusals aggregated (:func:`_melden`). While a lock-out is active
    the password is not even checked. The UI can show :func:`anmeldesperre` to explain a
    refusal.
    """
    jetzt = jetzt or datetime.now()
    normal = normalisiere_name(name)
    geladen = _lade(db, normal) if _NAME.fullmatch(normal) else None
    schluessel = normal if geladen else _verdeckt(normal)
    sperre_bis = anmeldesperre(db, normal, client=client, jetzt=jetzt)
    if sperre_bis is not None:
        _abgewiesen(db, _sperrschluessel(db, normal, client), schluessel, sperre_bis, jetzt)
        return None
    schnell = os.environ.get(SCHNELLE_HASHES_VARIABLE) == "1"
    stimmt = _passwort_stimmt(geladen[1] if geladen else _platzhalter_hash(schnell), passwort)
    if geladen and stimmt:
        konto, passwort_hash = geladen
        if konto.gesperrt:
            protokolliere(db, normal, "anmeldung_abgewiesen", jetzt=jetzt)
            return None
        with db.transaction() as cur:
            cur.execute("DELETE FROM anmeldeversuche WHERE schluessel = ?", [normal])
            if _hasher().check_needs_rehash(passwort_hash):  # parameters were raised since
                cur.execute(
                    "UPDATE benutzer SET passwort_hash = ? WHERE name = ?",
                    [hash_passwort(passwort), normal],
                )
            protokolliere(cur, normal, "anmeldung", {"rolle": konto.rolle}, jetzt=jetzt)
        return Sitzung(normal, konto.rolle, konto.standort, jetzt)
    with db.transaction() as cur:
        anzahl = _fehlversuch(cur, schluessel, JE_NAME, jetzt)
        vom_client = _fehlversuch(cur, client, JE_CLIENT, jetzt) if client else 0
        if _melden(anzahl, JE_NAME) or (client and _melden(vom_client, JE_CLIENT)):
            details: dict[str, object] = {"fehlversuche": anzahl}
            if client:
                details |= {"client": client, "fehlversuche_client": vom_client}
            protokolliere(cur, schluessel, "anmeldung_fehlgeschlagen", details, jetzt=jetzt)
    return None


def anmelden_sso(
    db: Datenbank, kennung: str, *, verfahren: str = "oidc", jetzt: datetime | None = None
) -> Sitzung | None:
    """A session for an identity confirmed by single sign-on (``st.login``; e.g. the e-mail).

    The identity provider checked the password; role and site still come from the user table
    here (a user named like the identity, created with ``benutzer anlegen``), so SSO adds no
    rights. Unknown or locked identities get None; every attempt is audited.
    """
    jetzt = jetzt or datetime.now()
    normal = normalisiere_name(kennung)
    geladen = _lade(db, normal) if _NAME.fullmatch(normal) else None
    if geladen is None or geladen[0].gesperrt:
        wer = normal if geladen else _verdeckt(normal)
        was = "anmeldung_abgewiesen" if geladen else "anmeldung_fehlgeschlagen"
        protokolliere(db, wer, was, {"verfahren": verfahren}, jetzt=jetzt)
        return None
    konto = geladen[0]
    protokolliere(
        db, normal, "anmeldung", {"rolle": konto.rolle, "verfahren": verfahren}, jetzt=jetzt
    )
    return Sitzung(normal, konto.rolle, konto.standort, jetzt)


def abmelden(
    db: Datenbank, sitzung: Sitzung, token: str | None = None, *, ueberall: bool = False
) -> None:
    """Log the end of a session and forget its remembered token (the UI forgets the
    :class:`Sitzung` itself).

    Every tab of the browser holds the same token, and the UI checks it on every run
    (:func:`sitzung_aus_token`), so deleting it ends all of them. ``ueberall`` deletes every
    token of the user: all browsers and devices are logged out at their next click.
    """
    with db.transaction() as cur:
        if ueberall and not sitzung.gast:
            cur.execute("DELETE FROM anmeldesitzungen WHERE name = ?", [sitzung.name])
        elif token:
            cur.execute("DELETE FROM anmeldesitzungen WHERE token_hash = ?", [_token_hash(token)])
        if not sitzung.gast:
            protokolliere(cur, sitzung.name, "abmeldung", {"ueberall": True} if ueberall else None)


# -- remembered sessions (a reload of the page keeps the login) ---------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sitzung_merken(db: Datenbank, sitzung: Sitzung) -> str:
    """A fresh random token for the browser (cookie) that stands for this login.

    Why: a Streamlit session ends with every reload or new tab; without this, each would need a
    new login. Only the token's SHA-256 is stored, so a copy of the database does not let anyone
    take over a session; expired rows are dropped on the way.
    """
    if sitzung.gast:
        raise ValueError("Die Gastsitzung des Demo-Modus wird nicht gemerkt.")
    token = secrets.token_urlsafe(32)
    with db.transaction() as cur:
        cur.execute("DELETE FROM anmeldesitzungen WHERE gueltig_bis < ?", [datetime.now()])
        cur.execute(
            "INSERT INTO anmeldesitzungen (token_hash, name, angemeldet_am, gueltig_bis) "
            "VALUES (?, ?, ?, ?)",
            [
                _token_hash(token),
                sitzung.name,
                sitzung.angemeldet_am,
                sitzung.angemeldet_am + SITZUNG_MAX_DAUER,
            ],
        )
    return token


def sitzung_aus_token(
    db: Datenbank, token: str, *, jetzt: datetime | None = None
) -> Sitzung | None:
    """The login a remembered token stands for, if it is still valid (:func:`pruefe_sitzung`:
    not expired, account not locked or changed since), else None."""
    jetzt = jetzt or datetime.now()
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    zeilen = db.rows(
        "SELECT s.name, b.rolle, b.standort, s.angemeldet_am FROM anmeldesitzungen s "
        "JOIN benutzer b USING (name) WHERE s.token_hash = ? AND s.gueltig_bis >= ?",
        [_token_hash(token), jetzt],
    )
    if not zeilen:
        return None
    name, rolle, standort, angemeldet_am = zeilen[0]
    return pruefe_sitzung(db, Sitzung(name, rolle, standort, angemeldet_am), jetzt=jetzt)


def pruefe_sitzung(
    db: Datenbank, sitzung: Sitzung, *, jetzt: datetime | None = None
) -> Sitzung | None:
    """The session if it is still valid, else None — call on every page run.

    Invalid when the account was locked, deleted or changed (role, site, password) after the
    login, when the session is older than :data:`SITZUNG_MAX_DAUER`, or — for the guest —
    when the database is no longer in the open demo mode.
    """
    jetzt = jetzt or datetime.now()
    if sitzung.gast:
        return sitzung if zugangsmodus(db) is Zugangsmodus.OFFEN_DEMO else None
    if jetzt - sitzung.angemeldet_am > SITZUNG_MAX_DAUER:
        return None
    geladen = _lade(db, sitzung.name)
    if geladen is None:
        return None
    konto = geladen[0]
    gueltig = (
        not konto.gesperrt
        and konto.rolle == sitzung.rolle
        and konto.standort == sitzung.standort
        and konto.geaendert_am <= sitzung.angemeldet_am
    )
    return sitzung if gueltig else None


# -- secure default -----------------------------------------------------------------------------
class Zugangsmodus(StrEnum):
    """What the dashboard does before anyone logs in."""

    OFFEN_DEMO = "offen_demo"  # demo data only, no users: open, with a banner
    EINRICHTUNG = "einrichtung"  # real data, no users: show no data, only how to add an admin
    ANMELDUNG = "anmeldung"  # users exist: login required


#: The command that creates the first admin, on the server (setup page, demo banner, README).
ERSTER_ADMIN = "python -m monitor benutzer anlegen NAME --rolle admin --passwort-stdin"
#: What the UI shows in :attr:`Zugangsmodus.EINRICHTUNG` (no data, only this): the text before
#: the command, the command, the text after it.
EINRICHTUNG_TEILE = (
    "Diese Datenbank enthält echte Daten, aber noch keine Benutzer. Aus Datenschutzgründen "
    "zeigt das Dashboard deshalb nichts an. Bitte auf dem Server den ersten Admin anlegen:",
    ERSTER_ADMIN,
    "(das Passwort mit mindestens 10 Zeichen eingeben und mit Enter bestätigen), dann die "
    "Seite neu laden und anmelden.",
)
EINRICHTUNG_TEXT = "{}\n\n    {}\n\n{}".format(*EINRICHTUNG_TEILE)
#: Banner of :attr:`Zugangsmodus.OFFEN_DEMO`.
DEMO_BANNER = (
    "Demo-Modus ohne Anmeldung: Es sind nur synthetische Demo-Daten geladen. Sobald echte "
    f"Daten importiert werden, ist eine Anmeldung nötig (erst einen Admin anlegen: {ERSTER_ADMIN})."
)


def zugangsmodus(db: Datenbank) -> Zugangsmodus:
    """Users exist → login; else real (non-demo) rows exist → setup only; else open demo."""
    if hat_benutzer(db):
        return Zugangsmodus.ANMELDUNG
    echt = db.scalar(
        "SELECT EXISTS (SELECT 1 FROM standorte WHERE NOT demo) "
        "OR EXISTS (SELECT 1 FROM befragungen WHERE NOT demo) "
        "OR EXISTS (SELECT 1 FROM aktivitaeten WHERE NOT demo) "
        "OR EXISTS (SELECT 1 FROM zielwerte WHERE NOT demo)"
    )
    return Zugangsmodus.EINRICHTUNG if echt else Zugangsmodus.OFFEN_DEMO


def kommandozeilensitzung() -> Sitzung:
    """The actor of ``python -m monitor`` commands: whoever runs them on the server can read the
    database file anyway, so they act with the admin's rights, audited as "kommandozeile"."""
    return Sitzung(KOMMANDOZEILE, "admin", None, datetime.now())

"""Declarative validation of an import table against :func:`monitor.schema.felder`.

Every check is derived from the ``Feld`` declarations (the survey ones from
``data/codebuch.csv``), so a new codebook column is validated without code changes. All errors
are collected – a site coordinator fixes a file once, not once per error – each with the row as
the user sees it in the file. The checks are vectorised per column: a value is parsed once per
*distinct* value (``pd.factorize``), which keeps a 100 000-row survey well within the import
budget (SPEC §7), because survey columns have few distinct values.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from indikatoren.katalog import REGISTER
from indikatoren.zielerreichung import gegen_richtung, richtungs_grund
from monitor import schema
from monitor.einlesen import EingabeFehler
from monitor.schema import Art, Feld, Typ

#: Errors kept as objects; a completely wrong file could otherwise produce millions. The total
#: count is kept in ``Pruefergebnis.fehler_gesamt``.
MAX_FEHLER = 10_000
#: Errors shown in the text report before "… und N weitere".
BERICHT_MAX_FEHLER = 50
#: Rows listed in a Hinweis before it is shortened.
HINWEIS_MAX_ZEILEN = 5

#: Participant codes: 4–32 characters. The generated questionnaires (XLSForm constraint,
#: LimeSurvey validation, print version) state the same rule from these two numbers.
CODE_MIN, CODE_MAX = 4, 32
CODE_MUSTER = rf"[A-Za-z0-9_-]{{{CODE_MIN},{CODE_MAX}}}"
#: A code already in its stored form (lower case, no umlauts); everything else is normalised.
_CODE_KANONISCH = r"[a-z0-9_-]*"
_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
STANDORT_MUSTER = re.compile(r"[A-Z0-9_]{2,12}")
STANDORT_GESAMT = "gesamt"

_ZAHL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)")
_TAUSENDER = re.compile(r"[+-]?[0-9]{1,3}(?:[.,][0-9]{3})+")
#: An Excel date-time cell arrives as "2025-03-01 10:07:45"; the time of day is not kept.
_DATUM_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?: [0-9]{2}:[0-9]{2}:[0-9]{2})?")
_DATUM_DE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_JAHRE = (1990, 2100)
_JA_NEIN = {"ja": True, "nein": False, "wahr": True, "falsch": False, "true": True, "false": False}

#: Largest integer DuckDB's INTEGER columns hold; larger numbers are a check error, never an
#: overflow deep in pandas or DuckDB. Decimal numbers: at most this magnitude.
MAX_GANZZAHL = 2**31 - 1
MAX_ZAHL = 1e15

#: Columns the survey-tool mapping adds for the import's decisions (never stored): the tool's
#: submission time (ISO text) and whether the tool marks the response as not finished.
EINGANG = "_eingang_werkzeug"
UNVOLLSTAENDIG = "_unvollstaendig_werkzeug"
_STEUERSPALTEN = (EINGANG, UNVOLLSTAENDIG)

#: What to do with several questionnaires of one site, code and wave in one file.
DOPPELTE_NEUESTE = "neueste"  # keep the latest (submission time, else file order), list others
DOPPELTE_ABLEHNEN = "ablehnen"  # the strict rule: reject the file


@dataclass(frozen=True, slots=True)
class Importoptionen:
    """The user's choices for the import's decisions (CLI flags, import page)."""

    doppelte: str = DOPPELTE_NEUESTE
    unvollstaendige_aufnehmen: bool = False

    def __post_init__(self) -> None:
        if self.doppelte not in (DOPPELTE_NEUESTE, DOPPELTE_ABLEHNEN):
            raise ValueError(f"doppelte: {self.doppelte!r}")


#: Columns that identify the kind of a file; checked in this order, exactly one must match.
ERKENNUNGSSPALTEN: tuple[tuple[Art, frozenset[str]], ...] = (
    (Art.AKTIVITAETEN, frozenset({"aktivitaet_id"})),
    (Art.ZIELWERTE, frozenset({"indikator", "zielwert"})),
    (Art.BEFRAGUNG, frozenset({"code", "welle"})),
    (Art.STANDORTE, frozenset({"bundesland"})),
)


class ArtNichtErkannt(EingabeFehler):
    """The kind of file cannot be told from its columns (or an unknown kind was named)."""


@dataclass(frozen=True, slots=True)
class Fehler:
    """One rejected cell: ``zeile`` is the row as the user sees it (header = 1)."""

    zeile: int
    spalte: str
    wert: str
    grund: str

    def als_text(self) -> str:
        wert = self.wert if len(self.wert) <= 60 else self.wert[:59] + "…"
        anzeige = f"Wert '{wert}'" if wert else "(leer)"
        return f"Zeile {self.zeile}, Spalte '{self.spalte}', {anzeige}: {self.grund}"


@dataclass
class Pruefergebnis:
    """Outcome of checking one file; ``daten`` is typed and canonical, ready for the database."""

    art: Art
    dateiname: str
    fehler: list[Fehler]
    hinweise: list[str]
    daten: pd.DataFrame
    zeilen: int
    fehler_gesamt: int = 0
    #: The import's decisions on this file, counted (audit trail): e.g. ``doppelte_verworfen``,
    #: ``unvollstaendig_uebersprungen``; the Hinweise name example rows.
    entscheidungen: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fehler_gesamt = max(self.fehler_gesamt, len(self.fehler))

    @property
    def ok(self) -> bool:
        return self.fehler_gesamt == 0

    @property
    def ursache(self) -> str:
        """Cause and fix of a rejection in one German sentence ('' when the file is fine)."""
        return ursache_und_abhilfe(self.fehler, self.fehler_gesamt) if not self.ok else ""

    def bericht(self, max_fehler: int = BERICHT_MAX_FEHLER) -> str:
        """The German report: file, cause and fix, then one line per error and the Hinweise."""
        kopf = (
            f"Prüfbericht für '{self.dateiname}' "
            f"({schema.ART_LABELS[self.art]}, {self.zeilen} Datenzeilen)"
        )
        zeilen = [kopf]
        if self.ok:
            zeilen.append("Keine Fehler gefunden – die Datei kann importiert werden.")
        else:
            zeilen.append(self.ursache)
            anzahl = "1 Fehler" if self.fehler_gesamt == 1 else f"{self.fehler_gesamt} Fehler"
            zeilen.append(f"{anzahl} – die Datei wird nicht übernommen (keine Zeile).")
            zeilen.extend(f.als_text() for f in self.fehler[:max_fehler])
            rest = self.fehler_gesamt - min(max_fehler, len(self.fehler))
            if rest > 0:
                zeilen.append(f"… und {rest} weitere")
        if self.hinweise:
            zeilen.append("Hinweise:")
            zeilen.extend(f"- {hinweis}" for hinweis in self.hinweise)
        return "\n".join(zeilen)

    def fehler_tabelle(self) -> pd.DataFrame:
        """The errors as a table (dashboard display and download)."""
        return pd.DataFrame(
            {
                "Zeile": pd.array([f.zeile for f in self.fehler], dtype="Int64"),
                "Spalte": [f.spalte for f in self.fehler],
                "Wert": [f.wert for f in self.fehler],
                "Grund": [f.grund for f in self.fehler],
            }
        )


def _anzahl_zeilen(n: int, verb: tuple[str, str] | None = None) -> str:
    """ "1 Zeile" / "3 Zeilen", with the verb agreeing ("1 Zeile gehört", "3 Zeilen gehören")."""
    text = "1 Zeile" if n == 1 else f"{n} Zeilen"
    return f"{text} {verb[0] if n == 1 else verb[1]}" if verb else text


def _liste(werte: Iterable[str], hoechstens: int = 3) -> str:
    eindeutig = list(dict.fromkeys(werte))
    return ", ".join(eindeutig[:hoechstens]) + (" …" if len(eindeutig) > hoechstens else "")


#: Kinds of errors, most specific first: (test on the reason, cause and fix as one sentence).
#: The sentence gets the number of affected rows, the columns, values and reasons involved.
_URSACHEN: tuple[tuple[Callable[[Fehler], bool], Callable[[list[Fehler]], str]], ...] = (
    (
        lambda f: f.grund.startswith("Sie dürfen nur Daten Ihres Standorts"),
        lambda fs: (
            f"{_anzahl_zeilen(len({f.zeile for f in fs}), ('gehört', 'gehören'))} zu einem "
            "anderen Standort "
            f"({_liste(f.wert for f in fs)}) als Ihrem; bitte nur die Zeilen Ihres Standorts "
            "hochladen (Datei aufteilen) oder die Projektleitung importieren lassen."
        ),
    ),
    (
        lambda f: "ist freigegeben und gesperrt" in f.grund,
        lambda fs: (
            f"{_anzahl_zeilen(len({f.zeile for f in fs}), ('würde', 'würden'))} das "
            "freigegebene Quartal "
            f"{_liste(f.grund.split(' ist freigegeben')[0] for f in fs)} ändern; die "
            "Projektleitung muss es erst mit Begründung wiedereröffnen, oder Sie nehmen diese "
            "Zeilen aus der Datei."
        ),
    ),
    (
        lambda f: f.grund == "Pflichtspalte fehlt",
        lambda fs: (
            f"die Pflichtspalte(n) {_liste((f.spalte for f in fs), 5)} fehlen; bitte die "
            "Kopfzeile mit der Importvorlage vergleichen (Tippfehler, andere Spaltennamen) oder "
            "einen Export eines Umfragewerkzeugs mit einem Zuordnungsprofil importieren."
        ),
    ),
    (
        lambda f: f.grund.startswith("unbekannter Standort"),
        lambda fs: (
            f"die Standort-Kennung(en) {_liste(f.wert.upper() for f in fs)} sind nicht "
            "angelegt; bitte die Kennung korrigieren oder zuerst die Standorte-Datei importieren."
        ),
    ),
    (
        lambda f: f.grund.startswith("doppelt"),
        lambda fs: (
            f"{_anzahl_zeilen(len(fs), ('wiederholt', 'wiederholen'))} einen Fragebogen "
            "(derselbe Standort, Code und dieselbe Welle) und die strenge Regel „doppelte "
            "ablehnen“ ist gewählt; bitte "
            "die überzähligen Zeilen löschen oder ohne diese Regel importieren (dann gilt der "
            "zuletzt eingereichte Fragebogen)."
            if fs[0].spalte == "standort, code, welle"
            else f"{_anzahl_zeilen(len(fs), ('wiederholt', 'wiederholen'))} den Schlüssel "
            f"({fs[0].spalte}) einer früheren Zeile; bitte die doppelten Zeilen löschen oder "
            "zusammenführen."
        ),
    ),
    (
        lambda f: "Pflichtangabe" in f.grund,
        lambda fs: (
            f"in {_anzahl_zeilen(len({f.zeile for f in fs}))} fehlt eine Pflichtangabe "
            f"(Spalte {_liste(f.spalte for f in fs)}, zuerst Zeile {fs[0].zeile}); bitte in "
            "der Datei ergänzen."
        ),
    ),
)


def ursache_und_abhilfe(fehler: list[Fehler], gesamt: int | None = None) -> str:
    """One German sentence: why the file is refused and what to do, before the row list.

    The most specific kind of error that occurs decides the sentence; other errors are counted
    so nobody thinks fixing the named cause is enough.
    """
    gesamt = len(fehler) if gesamt is None else gesamt
    for trifft, satz in _URSACHEN:
        betroffen = [f for f in fehler if trifft(f)]
        if betroffen:
            text = satz(betroffen)
            break
    else:
        spalten = _liste((f.spalte for f in fehler), 4)
        text = (
            f"{_anzahl_zeilen(len({f.zeile for f in fehler}), ('enthält', 'enthalten'))} Werte, "
            "die nicht zum "
            f"Codebuch bzw. zur Vorlage passen (Spalte {spalten}, z. B. Zeile {fehler[0].zeile}: "
            f"{fehler[0].grund.split(' (')[0]}); bitte diese Werte in der Datei korrigieren "
            "(Liste unten)."
        )
        betroffen = fehler
    rest = gesamt - len(betroffen)
    weitere = f" Dazu {rest} weitere Fehler anderer Art (Liste unten)." if rest > 0 else ""
    return f"Nicht übernommen: {text}{weitere}"


def art_aus_text(text: str | Art) -> Art:
    """Parse a kind given by a user (``befragung``, ``Aktivitäten`` …)."""
    if isinstance(text, Art):
        return text
    schluessel = _normalisiere(str(text))
    for art in Art:
        if schluessel in (art.value, _normalisiere(schema.ART_LABELS[art])):
            return art
    erlaubt = ", ".join(a.value for a in Art)
    raise ArtNichtErkannt(f"Unbekannte Art '{text}' (möglich: {erlaubt}).")


def erkenne_art(spalten: Iterable[str], dateiname: str = "") -> Art:
    """Tell the kind of file from its (lower-cased) column names."""
    vorhanden = set(spalten)
    treffer = [art for art, noetig in ERKENNUNGSSPALTEN if noetig <= vorhanden]
    if len(treffer) == 1:
        return treffer[0]
    datei = f"der Datei '{dateiname}'" if dateiname else "der Datei"
    if treffer:
        arten = " oder ".join(schema.ART_LABELS[a] for a in treffer)
        raise ArtNichtErkannt(
            f"Die Art {datei} ist nicht eindeutig ({arten}). Bitte die Art angeben "
            "(z. B. --art befragung)."
        )
    beschreibung = "; ".join(
        f"{' + '.join(sorted(noetig))} → {schema.ART_LABELS[art]}"
        for art, noetig in ERKENNUNGSSPALTEN
    )
    raise ArtNichtErkannt(
        f"Die Art {datei} ist nicht erkennbar: keine passenden Spalten gefunden "
        f"({beschreibung}). Bitte Kopfzeile prüfen oder die Art angeben (z. B. --art befragung)."
    )


# -- personal data ------------------------------------------------------------------------------
def _kompakt(name: str) -> str:
    return re.sub(r"[^0-9a-zäöü]", "", name.casefold().replace("ß", "ss"))


_PII_KOMPAKT = {_kompakt(n) for n in schema.PERSONENBEZOGENE_SPALTEN}
_PII_KURZ = frozenset(n for n in _PII_KOMPAKT if len(n) < 5)  # name, mail, tel, ip: whole words
_PII_LANG = frozenset(n for n in _PII_KOMPAKT if len(n) >= 5)  # telefon…: also inside words


def ist_personenbezogen(spalte: str) -> bool:
    """Whether an (undeclared) column name looks like personal data (e-mail, Telefonnummer …).

    Short stems (``name``, ``tel``, ``ip``) only count as whole words so that e.g. ``titel``
    is not caught; declared columns are never passed here (they win, e.g. ``name`` of a site).
    """
    woerter = re.split(r"[^0-9a-zäöüß]+", spalte.casefold())
    if any(_kompakt(wort) in _PII_KURZ for wort in woerter):
        return True
    kompakt = _kompakt(spalte)
    return any(stamm in kompakt for stamm in _PII_LANG)


# -- participant codes --------------------------------------------------------------------------
def normalisiere_code(text: str, *, leerzeichen_entfernen: bool = False) -> str:
    """The stored form of a self-generated participant code: lower case, ä→ae, ö→oe, ü→ue,
    ß→ss, other accents dropped (é→e).

    Participants build their code anew at every wave and type it in different tools, so
    "MÜ07be" at T0 and "mue07BE" at T1 must become the same code, or the pre/post pair is lost.
    ``leerzeichen_entfernen`` also drops inner spaces ("MU 07 BE"); the survey-tool import uses
    it because there participants type the code themselves, while the CSV template keeps
    rejecting a space so that staff notice a mistyped code.
    """
    schluessel = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTE)
    schluessel = "".join(
        zeichen
        for zeichen in unicodedata.normalize("NFKD", schluessel)
        if not unicodedata.combining(zeichen)
    )
    if leerzeichen_entfernen:
        schluessel = re.sub(r"\s+", "", schluessel)
    return schluessel.strip()


def vereinheitliche_codes(
    tabelle: pd.DataFrame, zeilen: np.ndarray | None = None, *, leerzeichen_entfernen: bool = False
) -> tuple[pd.DataFrame, str | None]:
    """Normalise the ``code`` column with :func:`normalisiere_code` and say so in a Hinweis.

    Runs for every survey import (template and survey tools alike), so codes are stored in one
    form. Only values not yet in the stored form are touched, so a large file of clean codes
    costs one vectorised match.
    """
    roh = tabelle["code"]
    treffer = roh.str.fullmatch(_CODE_KANONISCH).fillna(False).to_numpy(dtype=bool)
    kanonisch = roh.isna().to_numpy(dtype=bool) | treffer
    if kanonisch.all():
        return tabelle, None
    teil = roh[~kanonisch]
    # plain ASCII ("MA07BE") only needs lower case: vectorised; the rest once per distinct value
    ascii_ = teil.str.fullmatch(r"[\x00-\x7f]*").fillna(False).to_numpy(dtype=bool)
    einfach = teil[ascii_].str.lower()
    if leerzeichen_entfernen:
        einfach = einfach.str.replace(r"\s+", "", regex=True)
    rest = teil[~ascii_]
    zuordnung = {
        wert: normalisiere_code(wert, leerzeichen_entfernen=leerzeichen_entfernen)
        for wert in rest.unique()
    }
    neu = pd.concat([einfach, rest.map(zuordnung)]).reindex(teil.index)
    geaendert_teil = (neu != teil).to_numpy(dtype=bool)
    if not geaendert_teil.any():
        return tabelle, None
    geaendert = np.zeros(len(roh), dtype=bool)
    geaendert[np.flatnonzero(~kanonisch)[geaendert_teil]] = True
    tabelle = tabelle.copy()
    werte = roh.astype(object).to_numpy(copy=True)
    werte[~kanonisch] = neu.astype(object).to_numpy()
    tabelle["code"] = pd.Series(werte, index=roh.index, dtype=roh.dtype)
    anzahl = int(geaendert.sum())
    zeilen = _zeilennummern(tabelle) if zeilen is None else zeilen
    leer = ", ohne Leerzeichen" if leerzeichen_entfernen else ""
    return tabelle, (
        f"{anzahl} {'Code' if anzahl == 1 else 'Codes'} vereinheitlicht (Kleinbuchstaben, "
        f"ä→ae, ö→oe, ü→ue, ß→ss, ohne Akzente{leer}), damit die Fragebögen derselben Person "
        f"über die Wellen zusammenpassen (Zeilen {_zeilenliste(zeilen[geaendert])}). Codes "
        "werden bei jedem Import so gespeichert."
    )


# -- value parsers (called once per distinct value) ---------------------------------------------
Ergebnis = tuple[Any, str | None]


def _normalisiere(text: str) -> str:
    """Key for matching categories: case, umlauts, spaces and hyphens do not matter."""
    schluessel = text.strip().casefold()
    for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        schluessel = schluessel.replace(umlaut, ersatz)
    return re.sub(r"[\s\-]+", "_", schluessel)


def _zahl(text: str) -> float | None:
    """Decimal point or decimal comma; nothing else (no exponent, no 'inf', no 'nan')."""
    return float(text.replace(",", ".")) if _ZAHL.fullmatch(text) else None


def _bereich(feld: Feld) -> str:
    unten, oben = feld.minimum, feld.maximum

    def schoen(x: float) -> str:
        return f"{x:g}".replace(".", ",")

    if unten is not None and oben is not None:
        return f"außerhalb des erlaubten Bereichs {schoen(unten)}–{schoen(oben)}"
    if unten == 0:
        return "darf nicht negativ sein"
    if unten is not None:
        return f"muss mindestens {schoen(unten)} sein"
    return f"darf höchstens {schoen(oben or 0)} sein"


def _zahl_parser(feld: Feld, ganzzahl: bool) -> Callable[[str], Ergebnis]:
    # Survey tools often export answer labels ("Trifft eher zu") instead of codes.
    labels = {
        _normalisiere(label): wert for wert, label in zip(feld.werte, feld.labels, strict=False)
    }

    def parse(text: str) -> Ergebnis:
        wert = _zahl(text)
        if wert is None and _normalisiere(text) in labels:
            wert = float(labels[_normalisiere(text)])
        if wert is None:
            return None, "keine Zahl"
        if ganzzahl and _TAUSENDER.fullmatch(text) and not text.lstrip("+-").startswith("0"):
            return None, "mehrdeutige Zahl – bitte ohne Tausendertrennzeichen schreiben"
        if ganzzahl and not wert.is_integer():
            return None, "keine ganze Zahl"
        if abs(wert) > (MAX_GANZZAHL if ganzzahl else MAX_ZAHL):
            return None, "Zahl zu groß (außerhalb des speicherbaren Bereichs)"
        if (feld.minimum is not None and wert < feld.minimum) or (
            feld.maximum is not None and wert > feld.maximum
        ):
            return None, _bereich(feld)
        return (int(wert) if ganzzahl else wert), None

    return parse


def _datum(text: str) -> Ergebnis:
    if treffer := _DATUM_ISO.fullmatch(text):
        jahr, monat, tag = (int(t) for t in treffer.groups())
    elif treffer := _DATUM_DE.fullmatch(text):
        tag, monat, jahr = (int(t) for t in treffer.groups())
    else:
        return None, "kein Datum (erwartet JJJJ-MM-TT oder TT.MM.JJJJ)"
    try:
        datum = dt.date(jahr, monat, tag)
    except ValueError:
        return None, "ungültiges Datum (diesen Tag gibt es nicht)"
    if not _JAHRE[0] <= jahr <= _JAHRE[1]:
        return None, f"unplausibles Datum (Jahr außerhalb {_JAHRE[0]}–{_JAHRE[1]})"
    return datum, None


def _kategorie_parser(feld: Feld) -> Callable[[str], Ergebnis]:
    zuordnung: dict[str, str] = {}
    for wert, label in zip(feld.werte, feld.labels or feld.werte, strict=False):
        zuordnung.setdefault(_normalisiere(label), wert)
    for wert in feld.werte:  # codes beat labels
        zuordnung[_normalisiere(wert)] = wert
    erlaubt = ", ".join(feld.werte)
    grund = f"nicht erlaubt (erlaubt: {erlaubt})"

    def parse(text: str) -> Ergebnis:
        wert = zuordnung.get(_normalisiere(text))
        return (wert, None) if wert is not None else (None, grund)

    return parse


def _ja_nein(text: str) -> Ergebnis:
    wert = _JA_NEIN.get(text.strip().casefold())
    return (wert, None) if wert is not None else (None, "nicht erlaubt (erlaubt: ja, nein)")


def _standort_parser(
    art: Art, bekannte: Collection[str], im_stapel: Collection[str]
) -> Callable[[str], Ergebnis]:
    pruefe_bestand = art is not Art.STANDORTE

    def parse(text: str) -> Ergebnis:
        if art is Art.ZIELWERTE and text.casefold() == STANDORT_GESAMT:
            return STANDORT_GESAMT, None
        kennung = text.upper()
        if not STANDORT_MUSTER.fullmatch(kennung):
            return None, "ungültige Standort-Kennung (2–12 Zeichen: A–Z, 0–9, _)"
        if pruefe_bestand and kennung not in bekannte and kennung not in im_stapel:
            return None, "unbekannter Standort (zuerst in der Standorte-Datei anlegen)"
        return kennung, None

    return parse


def _je_wert(roh: pd.Series, parse: Callable[[str], Ergebnis]) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``parse`` once per distinct value and broadcast (values, reasons) to all rows."""
    codes, eindeutig = pd.factorize(roh)
    ergebnisse = [parse(str(text)) for text in eindeutig]
    werte = np.empty(len(ergebnisse) + 1, dtype=object)
    gruende = np.empty(len(ergebnisse) + 1, dtype=object)
    for i, (wert, grund) in enumerate(ergebnisse):
        werte[i] = wert
        gruende[i] = grund
    # code -1 (missing) picks the trailing None
    return werte[codes], gruende[codes]


# -- the check ----------------------------------------------------------------------------------
@dataclass
class _Sammler:
    """Collects errors column-wise as arrays; objects are built once, for the kept ones."""

    teile: list[pd.DataFrame] = field(default_factory=list)
    reihenfolge: dict[str, int] = field(default_factory=dict)

    def melde(
        self, zeilen: np.ndarray, spalte: str, werte: Iterable[Any], grund: str | np.ndarray
    ) -> None:
        if len(zeilen) == 0:
            return
        self.reihenfolge.setdefault(spalte, len(self.reihenfolge))
        self.teile.append(
            pd.DataFrame(
                {
                    "zeile": np.asarray(zeilen, dtype=np.int64),
                    "spalte": spalte,
                    "wert": ["" if pd.isna(w) else str(w) for w in werte],
                    "grund": grund,
                }
            )
        )

    def ergebnis(self) -> tuple[list[Fehler], int]:
        if not self.teile:
            return [], 0
        alle = pd.concat(self.teile, ignore_index=True)
        alle["_pos"] = alle["spalte"].map(self.reihenfolge)
        alle = alle.sort_values(["zeile", "_pos"], kind="stable").head(MAX_FEHLER)
        fehler = [
            Fehler(int(z), str(s), str(w), str(g))
            for z, s, w, g in zip(
                alle["zeile"], alle["spalte"], alle["wert"], alle["grund"], strict=True
            )
        ]
        return fehler, sum(len(teil) for teil in self.teile)


def _zeilennummern(tabelle: pd.DataFrame) -> np.ndarray:
    if tabelle.index.name == "zeile":
        return tabelle.index.to_numpy(dtype=np.int64)
    return np.arange(2, len(tabelle) + 2, dtype=np.int64)


def _zeilenliste(zeilen: np.ndarray) -> str:
    gezeigt = ", ".join(str(z) for z in zeilen[:HINWEIS_MAX_ZEILEN])
    return gezeigt + (" …" if len(zeilen) > HINWEIS_MAX_ZEILEN else "")


_SPEICHERTYP: dict[Typ, str] = {
    Typ.GANZZAHL: "Int64",
    Typ.ZAHL: "Float64",
    Typ.JA_NEIN: "boolean",
}


def pruefe(
    tabelle: pd.DataFrame,
    art: Art | str | None = None,
    *,
    dateiname: str = "",
    bekannte_standorte: Collection[str] = (),
    standorte_im_stapel: Collection[str] = (),
    optionen: Importoptionen | None = None,
) -> Pruefergebnis:
    """Check a table from :mod:`monitor.einlesen` and type it; never raises for bad cells.

    ``bekannte_standorte`` are the site IDs in the database, ``standorte_im_stapel`` those of a
    Standorte file imported together with this one. For questionnaires the import decides
    before the cells are checked: responses the tool marks as unfinished are skipped (unless
    ``optionen.unvollstaendige_aufnehmen``), and of several questionnaires of one site, code
    and wave only the latest is kept (unless ``optionen.doppelte`` is ``ablehnen``) – each
    decision is counted in ``entscheidungen`` and named with example rows in the Hinweise.
    """
    optionen = optionen or Importoptionen()
    tabelle = tabelle.rename(columns=lambda name: str(name).strip().lower())
    if tabelle.index.name != "zeile":
        tabelle = tabelle.set_axis(pd.RangeIndex(2, len(tabelle) + 2, name="zeile"))
    steuer = {s: tabelle.pop(s) for s in _STEUERSPALTEN if s in tabelle.columns}
    art = erkenne_art(tabelle.columns, dateiname) if art is None else art_aus_text(art)
    felder = schema.felder(art)
    deklariert = {f.name: f for f in felder}
    zeilen_in_datei = len(tabelle)
    hinweise: list[str] = []
    entscheidungen: dict[str, int] = {}
    if art is Art.BEFRAGUNG and "code" in tabelle.columns:
        tabelle, hinweis = vereinheitliche_codes(tabelle, _zeilennummern(tabelle))
        hinweise.extend([hinweis] if hinweis else [])
    if art is Art.BEFRAGUNG:
        tabelle = _unvollstaendige(tabelle, steuer, optionen, hinweise, entscheidungen)
        if optionen.doppelte == DOPPELTE_NEUESTE:
            tabelle = _neueste_behalten(tabelle, steuer, hinweise, entscheidungen)
    zeilen = _zeilennummern(tabelle)
    sammler = _Sammler(reihenfolge={f.name: i for i, f in enumerate(felder)})

    unbekannt = []
    for spalte in tabelle.columns:
        if spalte in deklariert:
            continue
        if ist_personenbezogen(spalte):
            hinweise.append(
                f"Spalte '{spalte}' enthält personenbezogene Daten und wurde nicht übernommen."
            )
        else:
            unbekannt.append(spalte)
    if len(unbekannt) > HINWEIS_MAX_ZEILEN:  # one message, not one per column
        hinweise.append(
            f"{len(unbekannt)} unbekannte Spalten wurden ignoriert "
            f"({', '.join(repr(s) for s in unbekannt[:HINWEIS_MAX_ZEILEN])} …)."
        )
    else:
        hinweise.extend(f"Unbekannte Spalte '{spalte}' wurde ignoriert." for spalte in unbekannt)

    welle = tabelle["welle"].str.upper() if "welle" in tabelle.columns else None
    for feld in felder:
        if feld.name not in tabelle.columns:
            if feld.pflicht:
                sammler.melde(np.array([1]), feld.name, [""], "Pflichtspalte fehlt")
            elif feld.pflicht_welle and welle is not None and (welle == feld.pflicht_welle).any():
                sammler.melde(
                    np.array([1]),
                    feld.name,
                    [""],
                    f"Spalte fehlt (bei Welle {feld.pflicht_welle} Pflicht)",
                )

    daten: dict[str, pd.Series] = {}
    for feld in felder:
        if feld.name not in tabelle.columns:
            continue
        daten[feld.name] = _pruefe_spalte(
            feld,
            tabelle[feld.name],
            zeilen,
            art,
            sammler,
            bekannte_standorte,
            standorte_im_stapel,
        )

    typisiert = pd.DataFrame(daten, index=tabelle.index)
    if art is Art.ZIELWERTE and "standort" not in typisiert.columns and len(typisiert):
        typisiert["standort"] = STANDORT_GESAMT
    if art is Art.BEFRAGUNG and "welle" in typisiert.columns:
        _pruefe_wellen(felder, tabelle, typisiert, zeilen, sammler, hinweise)
    if art is Art.AKTIVITAETEN:
        _pruefe_teilnehmende(typisiert, zeilen, sammler)
    _pruefe_doppelte(art, tabelle, typisiert, zeilen, sammler)
    if art is Art.ZIELWERTE:
        _pruefe_zielrichtung(tabelle, typisiert, zeilen, sammler)

    fehler, gesamt = sammler.ergebnis()
    return Pruefergebnis(
        art=art,
        dateiname=dateiname,
        fehler=fehler,
        hinweise=hinweise,
        daten=typisiert,
        zeilen=zeilen_in_datei,
        fehler_gesamt=gesamt,
        entscheidungen=entscheidungen,
    )


def _pruefe_zielrichtung(
    tabelle: pd.DataFrame, typisiert: pd.DataFrame, zeilen: np.ndarray, sammler: _Sammler
) -> None:
    """A target on the wrong side of its baseline is an error unless ``richtung_bestaetigt``.

    Same rule for the import and the dashboard editor, which both check through here.
    """
    if not {"indikator", "zielwert"} <= set(typisiert.columns):
        return
    basis = (
        typisiert["basiswert"] if "basiswert" in typisiert else pd.Series(np.nan, typisiert.index)
    )
    bestaetigt = typisiert.get("richtung_bestaetigt", pd.Series(False, typisiert.index))
    for pos, (ind, b, z, ok) in enumerate(
        zip(typisiert["indikator"], basis, typisiert["zielwert"], bestaetigt, strict=True)
    ):
        if ind not in REGISTER or pd.isna(z) or (not pd.isna(ok) and bool(ok)):
            continue
        b = None if pd.isna(b) else float(b)
        if gegen_richtung(REGISTER[ind], b, float(z)):
            sammler.melde(
                zeilen[[pos]],
                "zielwert",
                [tabelle["zielwert"].iloc[pos]],
                richtungs_grund(REGISTER[ind], b, float(z)),
            )


def _unvollstaendige(
    tabelle: pd.DataFrame,
    steuer: dict[str, pd.Series],
    optionen: Importoptionen,
    hinweise: list[str],
    entscheidungen: dict[str, int],
) -> pd.DataFrame:
    """Skip responses the tool marks as not finished (LimeSurvey: no submitdate; SoSci:
    FINISHED = 0), or keep them on request – named either way, never silently."""
    if UNVOLLSTAENDIG not in steuer:
        return tabelle
    markiert = steuer[UNVOLLSTAENDIG].reindex(tabelle.index).eq("ja").fillna(False)
    anzahl = int(markiert.sum())
    if not anzahl:
        return tabelle
    beispiele = _zeilenliste(tabelle.index[markiert.to_numpy(bool)].to_numpy())
    if optionen.unvollstaendige_aufnehmen:
        entscheidungen["unvollstaendig_aufgenommen"] = anzahl
        hinweise.append(
            f"{anzahl} unvollständige {'Antwort' if anzahl == 1 else 'Antworten'} (im "
            f"Werkzeug nicht abgeschlossen) auf Wunsch übernommen (Zeilen {beispiele})."
        )
        return tabelle
    entscheidungen["unvollstaendig_uebersprungen"] = anzahl
    hinweise.append(
        f"{anzahl} unvollständige {'Antwort' if anzahl == 1 else 'Antworten'} übersprungen "
        f"(im Werkzeug nicht abgeschlossen; Zeilen {beispiele}). Wer sie dennoch übernehmen "
        "will: „Unvollständige Antworten übernehmen“ (Kommandozeile: --unvollstaendige "
        "aufnehmen)."
    )
    return tabelle[~markiert.to_numpy(bool)]


def _neueste_behalten(
    tabelle: pd.DataFrame,
    steuer: dict[str, pd.Series],
    hinweise: list[str],
    entscheidungen: dict[str, int],
) -> pd.DataFrame:
    """Of several questionnaires of one site, code and wave keep the latest submission.

    "Latest" is the tool's submission time when the export has one, else the later row of
    the file (tools append). Keys are compared as the check will store them (site and wave
    upper case, code already normalised); rows with a missing key part are left to the check.
    """
    if not {"standort", "code", "welle"} <= set(tabelle.columns) or len(tabelle) < 2:
        return tabelle
    schluessel = pd.DataFrame(
        {
            "standort": tabelle["standort"].str.strip().str.upper(),
            "code": tabelle["code"],
            "welle": tabelle["welle"].str.strip().str.upper(),
        }
    )
    vollstaendig = schluessel.notna().all(axis=1).to_numpy()
    doppelt = schluessel.duplicated(keep=False).to_numpy() & vollstaendig
    if not doppelt.any():
        return tabelle
    eingang = pd.Series(pd.NaT, index=tabelle.index, dtype="datetime64[ns]")
    if EINGANG in steuer:
        eingang = pd.to_datetime(
            steuer[EINGANG].reindex(tabelle.index), errors="coerce", format="ISO8601"
        )
    teil = schluessel[doppelt].assign(
        _eingang=eingang[doppelt].to_numpy(), _pos=np.flatnonzero(doppelt)
    )
    # latest submission last; without a time, file order decides (NaT sorts first)
    teil = teil.sort_values(["_eingang", "_pos"], na_position="first", kind="stable")
    behalten = teil.drop_duplicates(["standort", "code", "welle"], keep="last")
    weg = teil.drop(index=behalten.index)
    behalten_zeile = {
        schluessel: zeile
        for zeile, schluessel in zip(
            behalten.index,
            behalten[["standort", "code", "welle"]].itertuples(index=False, name=None),
            strict=True,
        )
    }
    beispiele = [
        f"Zeile {z} ({c}, {s}, {w}) → Zeile {behalten_zeile[(s, c, w)]}"
        for z, s, c, w in zip(weg.index, weg["standort"], weg["code"], weg["welle"], strict=True)
    ]
    anzahl = len(weg)
    entscheidungen["doppelte_verworfen"] = anzahl
    grundlage = "Eingangszeit des Werkzeugs" if teil["_eingang"].notna().any() else "Reihenfolge"
    hinweise.append(
        f"{anzahl} {'doppelter Fragebogen' if anzahl == 1 else 'doppelte Fragebögen'} (derselbe "
        "Standort, "
        f"Code und dieselbe Welle) nicht übernommen, jeweils der zuletzt eingereichte gilt "
        f"({grundlage}): {'; '.join(beispiele[:HINWEIS_MAX_ZEILEN])}"
        f"{' …' if anzahl > HINWEIS_MAX_ZEILEN else ''}. Strenge Regel: „Doppelte ablehnen“ "
        "(Kommandozeile: --doppelte ablehnen)."
    )
    return tabelle.drop(index=weg.index)


def _pruefe_spalte(
    feld: Feld,
    roh: pd.Series,
    zeilen: np.ndarray,
    art: Art,
    sammler: _Sammler,
    bekannte_standorte: Collection[str],
    standorte_im_stapel: Collection[str],
) -> pd.Series:
    """Parse one column; report missing required values and unparsable ones."""
    fehlt = roh.isna().to_numpy()
    if feld.pflicht and fehlt.any():
        sammler.melde(zeilen[fehlt], feld.name, [""] * int(fehlt.sum()), "Pflichtangabe fehlt")

    if feld.typ in (Typ.CODE, Typ.TEXT) and not feld.werte:
        if feld.typ is Typ.CODE:
            ungueltig = (~fehlt) & ~roh.str.fullmatch(CODE_MUSTER).fillna(False).to_numpy(bool)
            grund = "ungültiger Code (4–32 Zeichen: A–Z, a–z, 0–9, _ oder -)"
        else:
            ungueltig = (~fehlt) & (roh.str.len().fillna(0).to_numpy() > (feld.max_laenge or 10**9))
            grund = f"zu lang (höchstens {feld.max_laenge} Zeichen)"
        sammler.melde(zeilen[ungueltig], feld.name, roh.to_numpy()[ungueltig], grund)
        return roh

    parse: Callable[[str], Ergebnis]
    if feld.typ is Typ.STANDORT:
        parse = _standort_parser(art, bekannte_standorte, standorte_im_stapel)
    elif feld.typ is Typ.DATUM:
        parse = _datum
    elif feld.typ is Typ.GANZZAHL:
        parse = _zahl_parser(feld, ganzzahl=True)
    elif feld.typ is Typ.ZAHL:
        parse = _zahl_parser(feld, ganzzahl=False)
    elif feld.typ is Typ.JA_NEIN:
        parse = _ja_nein
    else:  # KATEGORIE, or text with a fixed value list
        parse = _kategorie_parser(feld)
    werte, gruende = _je_wert(roh, parse)
    ungueltig = pd.notna(gruende)
    if ungueltig.any():
        roh_werte = roh.to_numpy()[ungueltig]
        sammler.melde(zeilen[ungueltig], feld.name, roh_werte, gruende[ungueltig])
    if art is Art.ZIELWERTE and feld.typ is Typ.STANDORT:
        werte[fehlt] = STANDORT_GESAMT  # empty site = whole project
    ergebnis = pd.Series(werte, index=roh.index, name=feld.name)
    if feld.typ is Typ.DATUM:
        return pd.to_datetime(ergebnis).astype("datetime64[s]")
    return ergebnis.astype(_SPEICHERTYP.get(feld.typ, "str"))


def _pruefe_wellen(
    felder: tuple[Feld, ...],
    tabelle: pd.DataFrame,
    typisiert: pd.DataFrame,
    zeilen: np.ndarray,
    sammler: _Sammler,
    hinweise: list[str],
) -> None:
    """Wave-bound rules: required-at-T0 is an error, answered-but-not-asked only a Hinweis."""
    welle = typisiert["welle"]
    for feld in felder:
        if feld.name not in tabelle.columns:
            continue
        vorhanden = tabelle[feld.name].notna()
        if feld.pflicht_welle:
            fehlt = ((welle == feld.pflicht_welle) & ~vorhanden).fillna(False).to_numpy(bool)
            sammler.melde(
                zeilen[fehlt],
                feld.name,
                [""] * int(fehlt.sum()),
                f"Pflichtangabe bei Welle {feld.pflicht_welle} fehlt",
            )
        if set(feld.wellen) != set(schema.WELLEN):
            fremd = (vorhanden & welle.notna() & ~welle.isin(feld.wellen)).to_numpy(bool)
            if fremd.any():
                nicht_gefragt = sorted(set(welle[fremd]))
                hinweise.append(
                    f"Spalte '{feld.name}': {int(fremd.sum())} Angabe(n) bei Welle "
                    f"{', '.join(nicht_gefragt)}, in der die Frage nicht gestellt wird "
                    f"(gefragt: {', '.join(feld.wellen)}; Zeilen {_zeilenliste(zeilen[fremd])})"
                    " – die Werte wurden trotzdem übernommen."
                )


def _pruefe_teilnehmende(typisiert: pd.DataFrame, zeilen: np.ndarray, sammler: _Sammler) -> None:
    """Parts of the participant count must not exceed the total."""
    if "teilnehmende_gesamt" not in typisiert.columns:
        return
    gesamt = typisiert["teilnehmende_gesamt"]

    def spalte(name: str) -> pd.Series:
        if name in typisiert.columns:
            return typisiert[name]
        return pd.Series(pd.NA, index=typisiert.index, dtype="Int64")

    mit, ohne = spalte("teilnehmende_mit_mh"), spalte("teilnehmende_ohne_mh")
    summe = mit.fillna(0) + ohne.fillna(0)
    teile = mit.notna() | ohne.notna()
    zu_viel = (teile & (summe > gesamt)).fillna(False).to_numpy(bool)
    sammler.melde(
        zeilen[zu_viel],
        "teilnehmende_mit_mh + teilnehmende_ohne_mh",
        [
            f"{m if pd.notna(m) else 0} + {o if pd.notna(o) else 0} > {g}"
            for m, o, g in zip(mit[zu_viel], ohne[zu_viel], gesamt[zu_viel], strict=True)
        ],
        "mit und ohne Migrationsgeschichte zusammen mehr als teilnehmende_gesamt",
    )
    for name in ("neue_teilnehmende", "teilnehmende_mit_rolle"):
        teil = spalte(name)
        zu_viel = (teil > gesamt).fillna(False).to_numpy(bool)
        sammler.melde(
            zeilen[zu_viel],
            name,
            [f"{t} > {g}" for t, g in zip(teil[zu_viel], gesamt[zu_viel], strict=True)],
            "größer als teilnehmende_gesamt",
        )


def _pruefe_doppelte(
    art: Art,
    tabelle: pd.DataFrame,
    typisiert: pd.DataFrame,
    zeilen: np.ndarray,
    sammler: _Sammler,
) -> None:
    """A key (e.g. code + welle) may occur once per file; later rows point to the first."""
    schluessel = list(schema.SCHLUESSEL[art])
    if not set(schluessel) <= set(typisiert.columns):
        return
    teil = typisiert[schluessel].reset_index(drop=True)
    vollstaendig = teil.notna().all(axis=1).to_numpy()
    doppelt = teil.duplicated(keep="first").to_numpy() & vollstaendig
    if not doppelt.any():
        return
    erste: dict[Hashable, int] = {}
    betroffen = np.flatnonzero(teil.duplicated(keep=False).to_numpy() & vollstaendig)
    for position in betroffen:
        erste.setdefault(tuple(teil.iloc[position].tolist()), int(zeilen[position]))
    positionen = np.flatnonzero(doppelt)
    roh = tabelle[[s for s in schluessel if s in tabelle.columns]].to_numpy()
    beschreibung = " und ".join(schluessel)
    sammler.melde(
        zeilen[positionen],
        ", ".join(schluessel),
        [" / ".join("" if pd.isna(v) else str(v) for v in roh[p]) for p in positionen],
        [
            f"doppelt: {beschreibung} stehen schon in Zeile {erste[tuple(teil.iloc[p].tolist())]}"
            for p in positionen
        ],
    )

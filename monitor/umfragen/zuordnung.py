"""Map a survey tool's export onto the codebook, or stop with a German report.

A site coordinator downloads the export of KoboToolbox, LimeSurvey, Microsoft Forms, Google
Forms or SoSci Survey and uploads it as it is. This module decides, column by column, which
codebook variable it holds and, answer by answer, which code a label stands for. Only exact
matches are taken automatically (after tolerant normalisation: case, spaces, line breaks,
numbering like "3. ", a trailing "*", punctuation, ä/ae): the codebook has items that differ in
one word (``c_kennt_1`` … ``c_kennt_8``), so a "close enough" guess could silently swap them.
Everything else stops the import with the nearest candidates; the site confirms the mapping
once, as a :class:`Profil`, and every later export of the same form imports in one step.

The result is a table in the shape of our own template, which then goes through the same
validation (:func:`monitor.pruefung.pruefe`) as every other file. Tool bookkeeping and columns
that look like personal data never leave this module.

UI-independent API for the import page:

- :func:`schlage_vor` (table, profile) → :class:`Vorschlag` – per column the decision and
  candidates, unknown answers with candidates, missing required variables, ``bericht()``;
- :meth:`Vorschlag.als_profil` → :class:`Profil` to confirm, edit and save
  (:mod:`monitor.umfragen.profile`);
- :func:`wende_an` (table, profile) → :class:`Zuordnungsergebnis` or :class:`ZuordnungAbgelehnt`;
- :func:`bereite_vor` – what :mod:`monitor.importieren` calls for every file.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from monitor import schema
from monitor.einlesen import EingabeFehler, Quelle, lade_bytes, lies_bytes
from monitor.pruefung import (
    EINGANG,
    UNVOLLSTAENDIG,
    ArtNichtErkannt,
    art_aus_text,
    erkenne_art,
    ist_personenbezogen,
)
from monitor.pruefung import vereinheitliche_codes as _vereinheitliche_codes
from monitor.schema import Art, Feld, Typ
from monitor.umfragen.erkennung import (
    EINGANGSZEIT,
    UNFERTIG,
    WERKZEUG_LABELS,
    Werkzeug,
    erkenne_werkzeug,
    ist_metadaten,
    zeitstempel_spalte,
    zeitstempel_spalten,
)
from monitor.umfragen.limesurvey import ls_spalten

#: How many candidates a report names per column or answer.
MAX_KANDIDATEN = 3
#: Below this similarity (difflib ratio, 0–1) a codebook question is no candidate.
MIN_AEHNLICHKEIT = 0.45
#: A column that looks like personal data but is this close to a question is asked about instead
#: of being dropped (e.g. a reworded code question mentioning "Vorname der Mutter").
PII_FRAGE_AEHNLICHKEIT = 0.75
#: Variables that may be given as a fixed value in a profile (the export lacks them).
KONSTANTEN_ERLAUBT: tuple[str, ...] = ("standort", "welle", "format", "datum")
#: Placeholder for a column still to be decided in a profile written by the CLI.
OFFEN = "?"
#: Examples a Hinweis names before "…".
HINWEIS_BEISPIELE = 5
#: Minimum codebook matches for a file of unknown origin to be treated as a survey export.
MIN_TREFFER_ANDERES = 3

_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NUMMERIERUNG = re.compile(r"^\s*(?:frage\s*)?\d{1,3}\s*[.):]\s*")
_NICHT_ALNUM = re.compile(r"[^0-9a-z]+")
_KLAMMER = re.compile(r"^(.*)\[([^\[\]]+)\]\s*$", re.DOTALL)
_LS_ALT = re.compile(r"^(\w+?)_(sq\d{3})$")
_TRENNER = ("/", "-", ".", ":")
_SOSCI_FEHLWERT = re.compile(r"-[1-9][0-9]?")
_NULLEN = re.compile(r"^([+-]?\d+)\.(?:0{1,2}|0{4,})$")
_WERT_PRAEFIX = re.compile(r"^\s*(\S+?)\s*[-–=:.)(]\s*(.+?)\)?\s*$")
_DATUM_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_DATUM_DE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:[ ,].*)?$")
_DATUM_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:[ ,].*)?$")
#: Google Sheets in some locales: "2024/03/05 10:19:30 AM GMT+1" (year first).
_DATUM_JMT = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ ,T].*)?$")
#: The time of day after a date: "10:19:30", "10:19", "9:58:01 PM", "T10:09:31.412+01:00".
_UHRZEIT = re.compile(r"[ T,]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*([AaPp]\.?[Mm]\.?)?")
#: LimeSurvey writes this for every timestamp of a survey with anonymised responses.
LS_ANONYM_DATUM = "1980-01-01"
_JA_NEIN_EXTRA = {"y": "ja", "yes": "ja", "true": "ja", "wahr": "ja"} | {
    "n": "nein",
    "no": "nein",
    "false": "nein",
    "falsch": "nein",
}
#: Answers that mean "not answered" (LimeSurvey's "Keine Antwort", English tools).
_FEHLEND = frozenset({"keine antwort", "no answer", "n a", "na"})


class ZuordnungsFehler(EingabeFehler):
    """A profile cannot be read or names something the codebook does not have."""


class Status(StrEnum):
    """What happens to one column of the export."""

    ZUGEORDNET = "zugeordnet"  # matched automatically (variable name, wording, tool code)
    PROFIL = "profil"  # matched by the confirmed profile
    IGNORIERT = "ignoriert"  # the profile says: leave out
    METADATEN = "metadaten"  # the tool's bookkeeping, dropped
    ZEITSTEMPEL = "zeitstempel"  # bookkeeping that supplies ``datum``, then dropped
    PERSONENBEZOGEN = "personenbezogen"  # looks like personal data, dropped, never stored
    MEHRDEUTIG = "mehrdeutig"  # several variables, or several columns for one variable
    UNBEKANNT = "unbekannt"  # no variable matches exactly

    @property
    def problem(self) -> bool:
        return self in (Status.MEHRDEUTIG, Status.UNBEKANNT)


@dataclass(frozen=True, slots=True)
class Kandidat:
    """A codebook variable a column might hold, with its wording and similarity (0–1)."""

    variable: str
    frage: str
    aehnlichkeit: float

    def als_text(self) -> str:
        frage = self.frage if len(self.frage) <= 70 else self.frage[:69] + "…"
        return f"{self.variable} („{frage}“, {self.aehnlichkeit:.0%})"


@dataclass(frozen=True, slots=True)
class Spaltenzuordnung:
    """The decision for one export column."""

    spalte: str
    status: Status
    variable: str | None = None
    kandidaten: tuple[Kandidat, ...] = ()
    grund: str = ""


@dataclass(frozen=True, slots=True)
class Wertproblem:
    """An answer in a mapped column that is no code or label of its variable."""

    spalte: str
    variable: str
    wert: str
    anzahl: int
    kandidaten: tuple[tuple[str, str], ...]  # (code, label)

    def als_text(self) -> str:
        moeglich = "; ".join(f"{code} = {label}" for code, label in self.kandidaten)
        zeilen = "1 Zeile" if self.anzahl == 1 else f"{self.anzahl} Zeilen"
        return (
            f"Spalte '{self.spalte}' ({self.variable}), Antwort '{self.wert}' ({zeilen}): "
            f"keine Antwort des Codebuchs passt. Nächste Kandidaten: {moeglich}"
        )


# -- profile ------------------------------------------------------------------------------------
@dataclass
class Profil:
    """A confirmed mapping for the exports of one form (one site, one tool).

    ``spalten``: export column → codebook variable (``""`` = leave the column out);
    ``werte``: variable → {answer in the export → codebook code, ``""`` = not answered};
    ``konstanten``: variable → fixed value where the export lacks the column or leaves a cell
    empty (site, wave, format, date); ``datum_aus``: the
    column with the submission time when the export has no date question. Keys are matched
    after the same normalisation as headers, so a re-numbered question still matches. A profile
    holds column names and answer labels, never a response.
    """

    name: str
    werkzeug: Werkzeug = Werkzeug.ANDERES
    standort: str | None = None
    spalten: dict[str, str] = field(default_factory=dict)
    werte: dict[str, dict[str, str]] = field(default_factory=dict)
    konstanten: dict[str, str] = field(default_factory=dict)
    datum_aus: str | None = None

    def __post_init__(self) -> None:
        self.werkzeug = Werkzeug(self.werkzeug)  # the import page may pass the plain value

    def pruefe(self) -> None:
        """Reject names, variables and fixed values the codebook does not know (German)."""
        variablen = {f.name for f in schema.codebuch()}
        offen = [spalte for spalte, variable in self.spalten.items() if variable == OFFEN]
        if offen:
            raise ZuordnungsFehler(
                f"Im Zuordnungsprofil '{self.name}' sind noch {len(offen)} Spalten offen "
                f"(Variable '{OFFEN}'): {', '.join(_kurz(s) for s in offen[:5])}"
                f"{' …' if len(offen) > 5 else ''}. Bitte jeweils eine Variable des Codebuchs "
                'oder "" (Spalte auslassen) eintragen.'
            )
        if not re.fullmatch(r"[A-Za-z0-9ÄÖÜäöüß_. -]{1,64}", self.name or ""):
            raise ZuordnungsFehler(
                f"Ungültiger Profilname '{self.name}' (1–64 Zeichen: Buchstaben, Ziffern, "
                "Leerzeichen, _ . -)."
            )
        unbekannt = sorted(
            {v for v in self.spalten.values() if v and v not in variablen}
            | {v for v in self.werte if v not in variablen}
        )
        if unbekannt:
            raise ZuordnungsFehler(
                f"Das Zuordnungsprofil '{self.name}' nennt Variablen, die es im Codebuch nicht "
                f"gibt: {', '.join(unbekannt)}."
            )
        falsch = sorted(set(self.konstanten) - set(KONSTANTEN_ERLAUBT))
        if falsch:
            raise ZuordnungsFehler(
                f"Das Zuordnungsprofil '{self.name}' setzt feste Werte für {', '.join(falsch)}; "
                f"erlaubt sind nur {', '.join(KONSTANTEN_ERLAUBT)}."
            )

    def als_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "werkzeug": self.werkzeug.value,
            "standort": self.standort,
            "spalten": dict(self.spalten),
            "werte": {v: dict(z) for v, z in self.werte.items()},
            "konstanten": dict(self.konstanten),
            "datum_aus": self.datum_aus,
        }

    def als_json(self) -> str:
        return json.dumps(self.als_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def aus_dict(cls, daten: Mapping[str, Any]) -> Profil:
        """Build and check a profile from parsed JSON; wrong shapes are German errors."""
        if not isinstance(daten, Mapping):
            raise ZuordnungsFehler("Ein Zuordnungsprofil muss ein JSON-Objekt sein.")
        try:
            werkzeug = Werkzeug(str(daten.get("werkzeug") or Werkzeug.ANDERES.value))
        except ValueError:
            erlaubt = ", ".join(w.value for w in Werkzeug)
            raise ZuordnungsFehler(
                f"Unbekanntes Werkzeug '{daten.get('werkzeug')}' im Zuordnungsprofil "
                f"(möglich: {erlaubt})."
            ) from None

        def texte(wert: Any, was: str) -> dict[str, str]:
            if wert is None:
                return {}
            if not isinstance(wert, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in wert.items()
            ):
                raise ZuordnungsFehler(f"'{was}' im Zuordnungsprofil muss Text → Text zuordnen.")
            return dict(wert)

        werte_roh = daten.get("werte") or {}
        if not isinstance(werte_roh, Mapping):
            raise ZuordnungsFehler("'werte' im Zuordnungsprofil muss ein JSON-Objekt sein.")
        standort = daten.get("standort")
        datum_aus = daten.get("datum_aus")
        profil = cls(
            name=str(daten.get("name") or ""),
            werkzeug=werkzeug,
            standort=str(standort).upper() if standort else None,
            spalten={
                k.strip().lower(): v for k, v in texte(daten.get("spalten"), "spalten").items()
            },
            werte={str(v): texte(z, f"werte.{v}") for v, z in werte_roh.items()},
            konstanten=texte(daten.get("konstanten"), "konstanten"),
            datum_aus=str(datum_aus).strip().lower() if datum_aus else None,
        )
        profil.pruefe()
        return profil

    @classmethod
    def aus_json(cls, text: str) -> Profil:
        try:
            daten = json.loads(text)
        except json.JSONDecodeError as fehler:
            raise ZuordnungsFehler(
                f"Das Zuordnungsprofil ist kein gültiges JSON (Zeile {fehler.lineno}: "
                f"{fehler.msg})."
            ) from None
        return cls.aus_dict(daten)


# -- text keys ----------------------------------------------------------------------------------
def textschluessel(text: str, *, nummer_entfernen: bool = True) -> str:
    """Key for comparing headers, wordings and labels.

    Case, umlauts (ä = ae), accents, spaces and line breaks, punctuation, a trailing "*" and a
    leading number like "3. " do not matter – the differences survey tools and site staff
    introduce when they copy the codebook wording into a form.
    """
    schluessel = unicodedata.normalize("NFKC", str(text)).casefold().translate(_UMLAUTE)
    schluessel = "".join(
        zeichen
        for zeichen in unicodedata.normalize("NFKD", schluessel)
        if not unicodedata.combining(zeichen)
    )
    if nummer_entfernen:
        schluessel = _NUMMERIERUNG.sub("", schluessel)
    return _NICHT_ALNUM.sub(" ", schluessel).strip()


def _ohne_umlaut(schluessel: str) -> str:
    """Second key for exports that lost the umlauts ("Haufig" for "Häufig")."""
    return schluessel.replace("ae", "a").replace("oe", "o").replace("ue", "u")


@dataclass(frozen=True, slots=True)
class _Index:
    """Codebook lookup tables, built once."""

    felder: dict[str, Feld]
    exakt: dict[str, frozenset[str]]  # key → variables (name or wording)
    locker: dict[str, frozenset[str]]  # umlaut-free key → variables
    fragen: tuple[tuple[str, str, str], ...]  # (variable, wording key, name key)


@cache
def _index() -> _Index:
    exakt: dict[str, set[str]] = {}
    locker: dict[str, set[str]] = {}
    fragen = []
    for feld in schema.codebuch():
        name_schluessel = textschluessel(feld.name)
        frage_schluessel = textschluessel(feld.frage)
        for schluessel in {name_schluessel, frage_schluessel} - {""}:
            exakt.setdefault(schluessel, set()).add(feld.name)
            locker.setdefault(_ohne_umlaut(schluessel), set()).add(feld.name)
        fragen.append((feld.name, frage_schluessel, name_schluessel))
    return _Index(
        felder={f.name: f for f in schema.codebuch()},
        exakt={k: frozenset(v) for k, v in exakt.items()},
        locker={k: frozenset(v) for k, v in locker.items()},
        fragen=tuple(fragen),
    )


def _varianten(spalte: str) -> list[str]:
    """The header, the statement of a grid "Frage [Aussage]", and each part after a group
    separator ("gruppe/variable", "gruppe-variable", Kobo label paths)."""
    varianten = [spalte]
    if treffer := _KLAMMER.match(spalte):
        varianten.append(treffer.group(2))
    for position, zeichen in enumerate(spalte):
        if zeichen in _TRENNER and spalte[position + 1 :].strip():
            varianten.append(spalte[position + 1 :])
    return varianten


def _exakte_treffer(spalte: str, werkzeug: Werkzeug) -> frozenset[str]:
    """Variables the header names exactly (first variant that matches anything wins)."""
    name = spalte.strip().lower()
    if werkzeug in (Werkzeug.LIMESURVEY, Werkzeug.ANDERES):
        ls = ls_spalten().get(_LS_ALT.sub(r"\1[\2]", name))
        if ls is not None:
            return frozenset({ls[0].name})
    index = _index()
    for variante in _varianten(spalte):
        schluessel = textschluessel(variante)
        if not schluessel:
            continue
        treffer = index.exakt.get(schluessel) or index.locker.get(_ohne_umlaut(schluessel))
        if treffer:
            return treffer
    return frozenset()


def _kandidaten(spalte: str) -> tuple[Kandidat, ...]:
    """The nearest codebook questions (difflib ratio over wording and variable name)."""
    index = _index()
    besten: dict[str, float] = {}
    for variante in _varianten(spalte)[:3]:
        schluessel = textschluessel(variante)
        if not schluessel:
            continue
        for variable, frage, name in index.fragen:
            for vergleich in (frage, name):
                matcher = difflib.SequenceMatcher(None, schluessel, vergleich)
                if matcher.real_quick_ratio() < MIN_AEHNLICHKEIT:
                    continue
                wert = matcher.ratio()
                if wert >= MIN_AEHNLICHKEIT and wert > besten.get(variable, 0.0):
                    besten[variable] = wert
    reihenfolge = sorted(besten.items(), key=lambda paar: (-paar[1], paar[0]))[:MAX_KANDIDATEN]
    return tuple(
        Kandidat(variable, index.felder[variable].frage, round(wert, 2))
        for variable, wert in reihenfolge
    )


# -- answers ------------------------------------------------------------------------------------
Uebersetzer = Callable[[str], tuple[str | None, bool]]  # text → (code, means "not answered")


def _antworten(feld: Feld) -> tuple[tuple[str, str], ...]:
    """(code, label) of a field; yes/no fields without labels get Ja/Nein."""
    if feld.werte:
        return tuple(zip(feld.werte, feld.labels or feld.werte, strict=False))
    if feld.typ is Typ.JA_NEIN:
        return (("ja", "Ja"), ("nein", "Nein"))
    return ()


def _uebersetzer(feld: Feld, werkzeug: Werkzeug, profilwerte: Mapping[str, str]) -> Uebersetzer:
    """Answer text → codebook code for one field: profile, code, tool code, label, "1 – label"."""
    antworten = _antworten(feld)
    nach_schluessel: dict[str, str] = {}
    for code, label in antworten:
        for schluessel in (
            textschluessel(label, nummer_entfernen=False),
            _ohne_umlaut(textschluessel(label, nummer_entfernen=False)),
        ):
            nach_schluessel.setdefault(schluessel, code)
    for code, _ in antworten:  # codes beat labels
        nach_schluessel[textschluessel(code, nummer_entfernen=False)] = code
    if feld.typ is Typ.JA_NEIN:
        for text, code in _JA_NEIN_EXTRA.items():
            nach_schluessel.setdefault(text, code)
    ls_codes: dict[str, str] = {}
    if werkzeug in (Werkzeug.LIMESURVEY, Werkzeug.ANDERES):
        ls_codes = next((codes for f, codes in ls_spalten().values() if f.name == feld.name), {})
    profil = {textschluessel(k, nummer_entfernen=False): v for k, v in profilwerte.items()}
    codes = {code for code, _ in antworten}
    label_von = dict(antworten)

    def uebersetze(text: str) -> tuple[str | None, bool]:
        roh = text.strip()
        schluessel = textschluessel(roh, nummer_entfernen=False)
        if schluessel in profil:
            wert = profil[schluessel]
            return (wert or None), not wert
        if roh in codes:
            return roh, False
        if treffer := _NULLEN.match(roh):
            roh = treffer.group(1)
            if roh in codes:
                return roh, False
        if roh.lower() in ls_codes:
            return ls_codes[roh.lower()], False
        code = nach_schluessel.get(schluessel) or nach_schluessel.get(_ohne_umlaut(schluessel))
        if code is not None:
            return code, False
        if (teile := _WERT_PRAEFIX.match(roh)) and teile.group(1) in codes:
            # "4 – Trifft eher zu", "4 (Trifft eher zu)": number and label must agree
            rest = textschluessel(teile.group(2), nummer_entfernen=False)
            if rest == textschluessel(label_von[teile.group(1)], nummer_entfernen=False):
                return teile.group(1), False
        if schluessel in _FEHLEND or (
            werkzeug is Werkzeug.SOSCI and _SOSCI_FEHLWERT.fullmatch(roh)
        ):
            return None, True
        return entstellt(roh), False

    entstellt = _entstellte_codes(codes)
    return uebersetze


def _entstellte_codes(codes: Iterable[str]) -> Callable[[str], str | None]:
    """Answer names a spreadsheet turned into numbers: "18_26" becomes 1826 when Excel (or
    Kobo's XLS export) types the cell as a number. Taken back only when exactly one code of
    the question gives that number without its "_" – never a guess between two."""
    je_zahl: dict[str, list[str]] = {}
    for code in codes:
        if "_" in code and code.replace("_", "").isdigit():
            je_zahl.setdefault(code.replace("_", ""), []).append(code)

    def zurueck(text: str) -> str | None:
        kandidaten = je_zahl.get(text, [])
        return kandidaten[0] if len(kandidaten) == 1 else None

    return zurueck


def _wert_kandidaten(feld: Feld, wert: str) -> tuple[tuple[str, str], ...]:
    """The nearest answers (code, label) of a field; all of them when none is near."""
    schluessel = textschluessel(wert, nummer_entfernen=False)

    def aehnlichkeit(paar: tuple[str, str]) -> float:
        code, label = paar
        return max(
            difflib.SequenceMatcher(
                None, schluessel, textschluessel(label, nummer_entfernen=False)
            ).ratio(),
            difflib.SequenceMatcher(None, schluessel, code).ratio(),
        )

    antworten = _antworten(feld)
    nahe = [
        p
        for p in sorted(antworten, key=aehnlichkeit, reverse=True)
        if aehnlichkeit(p) >= MIN_AEHNLICHKEIT
    ]
    return tuple(nahe[:MAX_KANDIDATEN]) or antworten


def antwortoptionen(variable: str) -> tuple[tuple[str, str], ...]:
    """(code, label) a variable's answers may be mapped to (import page: label → code choice)."""
    return _antworten(_index().felder[variable])


def variablen() -> list[tuple[str, str]]:
    """(variable, wording) in codebook order: the choices for a column on the import page."""
    return [(feld.name, feld.frage) for feld in schema.codebuch()]


# -- the proposal -------------------------------------------------------------------------------
@dataclass
class Vorschlag:
    """The mapping decided for one export: what the import page shows and the user confirms."""

    werkzeug: Werkzeug
    dateiname: str
    spalten: list[Spaltenzuordnung]
    wertprobleme: list[Wertproblem] = field(default_factory=list)
    fehlend: list[tuple[str, str]] = field(default_factory=list)  # (variable, German reason)
    konstanten: dict[str, str] = field(default_factory=dict)
    datum_aus: str | None = None
    werte: dict[str, dict[str, str]] = field(default_factory=dict)  # the profile's answer maps
    profil: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the export can be mapped without asking anything."""
        return not (
            any(s.status.problem for s in self.spalten) or self.wertprobleme or self.fehlend
        )

    @property
    def zuordnung(self) -> dict[str, str]:
        """Variable → export column, for every unambiguously mapped column."""
        return {
            s.variable: s.spalte
            for s in self.spalten
            if s.status in (Status.ZUGEORDNET, Status.PROFIL) and s.variable
        }

    @property
    def probleme(self) -> list[Spaltenzuordnung]:
        return [s for s in self.spalten if s.status.problem]

    def als_profil(self, name: str, standort: str | None = None) -> Profil:
        """The decisions as a profile to confirm and save (problem columns left out)."""
        spalten = {
            s.spalte: s.variable or ""
            for s in self.spalten
            if s.status in (Status.ZUGEORDNET, Status.PROFIL, Status.IGNORIERT)
        }
        return Profil(
            name=name,
            werkzeug=self.werkzeug,
            standort=standort.upper() if standort else None,
            spalten=spalten,
            werte={v: dict(z) for v, z in self.werte.items()},
            konstanten=dict(self.konstanten),
            datum_aus=self.datum_aus,
        )

    def bericht(self) -> str:
        """German report: every column and answer that is not unambiguous, with candidates."""
        quelle = WERKZEUG_LABELS[self.werkzeug]
        profil = f", Zuordnungsprofil '{self.profil}'" if self.profil else ""
        zeilen = [f"Zuordnung für '{self.dateiname}' ({quelle}{profil})"]
        if self.ok:
            zeilen.append(
                f"Alle {len(self.zuordnung)} Fragen eindeutig zugeordnet – die Datei kann "
                "importiert werden."
            )
            return "\n".join(zeilen)
        zeilen.append(
            "Die Datei kann nicht eindeutig dem Codebuch zugeordnet werden und wird nicht "
            "übernommen (keine Zeile)."
        )
        if self.probleme:
            zeilen.append("Spalten ohne eindeutige Zuordnung:")
            for spalte in self.probleme:
                kandidaten = (
                    "Nächste Kandidaten: " + "; ".join(k.als_text() for k in spalte.kandidaten)
                    if spalte.kandidaten
                    else "Keine ähnliche Frage im Codebuch."
                )
                zeilen.append(f"- Spalte '{_kurz(spalte.spalte)}': {spalte.grund} {kandidaten}")
        if self.wertprobleme:
            zeilen.append("Antworten ohne eindeutige Zuordnung:")
            zeilen.extend(f"- {problem.als_text()}" for problem in self.wertprobleme)
        if self.fehlend:
            zeilen.append("Fehlende Angaben:")
            zeilen.extend(f"- {variable}: {grund}" for variable, grund in self.fehlend)
        zeilen.append(
            "So geht es weiter: die Zuordnung auf der Seite „Datenimport“ bestätigen oder ein "
            "Zuordnungsprofil anlegen (python -m monitor zuordnung DATEI --json PROFIL.json) und "
            "mit 'python -m monitor import DATEI --zuordnung PROFIL' importieren. Spalten, die "
            'nicht übernommen werden sollen, im Profil der Variablen "" zuordnen.'
        )
        return "\n".join(zeilen)


def _kurz(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:89] + "…"


class ZuordnungAbgelehnt(EingabeFehler):
    """The export cannot be mapped unambiguously; nothing was imported."""

    def __init__(self, vorschlag: Vorschlag) -> None:
        self.vorschlag = vorschlag
        super().__init__(vorschlag.bericht())


def schlage_vor(
    tabelle: pd.DataFrame,
    *,
    werkzeug: Werkzeug | str | None = None,
    profil: Profil | None = None,
    dateiname: str = "",
) -> Vorschlag:
    """Decide every column of an export (as read by :mod:`monitor.einlesen`); never raises.

    ``werkzeug`` overrides the detection; ``profil`` adds confirmed decisions (they win over
    automatic ones).
    """
    spalten = [str(s) for s in tabelle.columns]
    werkzeug = _werkzeug(spalten, werkzeug, profil)
    tabelle, beschriftungen = ohne_beschriftungszeile(tabelle, werkzeug)
    profil_spalten = {textschluessel(k): v for k, v in profil.spalten.items()} if profil else {}
    datum_aus = profil.datum_aus if profil else None
    konstanten = dict(profil.konstanten) if profil else {}
    werte = {v: dict(z) for v, z in profil.werte.items()} if profil else {}

    entscheidungen = [
        _entscheide_mit_beschriftung(
            spalte, beschriftungen.get(spalte), werkzeug, profil_spalten, datum_aus
        )
        for spalte in spalten
    ]
    entscheidungen = _doppelte_variablen(entscheidungen)
    vorschlag = Vorschlag(
        werkzeug=werkzeug,
        dateiname=dateiname,
        spalten=entscheidungen,
        konstanten=konstanten,
        datum_aus=datum_aus,
        werte=werte,
        profil=profil.name if profil else None,
    )
    _datum_quelle(vorschlag, spalten)
    _fehlende(vorschlag)
    _wertprobleme(vorschlag, tabelle)
    return vorschlag


def _werkzeug(
    spalten: list[str], werkzeug: Werkzeug | str | None, profil: Profil | None
) -> Werkzeug:
    if werkzeug is not None:
        return Werkzeug(werkzeug)
    if profil is not None and profil.werkzeug is not Werkzeug.ANDERES:
        return profil.werkzeug
    return erkenne_werkzeug(spalten)


def ohne_beschriftungszeile(
    tabelle: pd.DataFrame, werkzeug: Werkzeug
) -> tuple[pd.DataFrame, dict[str, str]]:
    """SoSci Survey can write the variable labels (question title, ": item") as a second
    header row. Recognised by text in the CASE column, which holds numbers in every response;
    returns the table without that row and column → label."""
    namen = {str(s).strip().lower(): s for s in tabelle.columns}
    if werkzeug is not Werkzeug.SOSCI or "case" not in namen or tabelle.empty:
        return tabelle, {}
    erste = tabelle.iloc[0]
    fall = erste[namen["case"]]
    if pd.isna(fall) or str(fall).strip().isdigit():
        return tabelle, {}
    beschriftungen = {str(s): str(erste[s]) for s in tabelle.columns if pd.notna(erste[s])}
    return tabelle.iloc[1:], beschriftungen


def _entscheide_mit_beschriftung(
    spalte: str,
    beschriftung: str | None,
    werkzeug: Werkzeug,
    profil_spalten: Mapping[str, str],
    datum_aus: str | None,
) -> Spaltenzuordnung:
    """Decide by the header; a SoSci variable name (A104_01) says nothing, so an unknown
    column is decided by its label when the export carries labels."""
    nach_name = _entscheide(spalte, werkzeug, profil_spalten, datum_aus)
    if beschriftung is None or nach_name.status is not Status.UNBEKANNT:
        return nach_name
    nach_label = _entscheide(beschriftung, werkzeug, {}, None)
    if nach_label.status in (Status.ZUGEORDNET, Status.MEHRDEUTIG):
        grund = f"über die Variablenbeschriftung „{_kurz(beschriftung)}“"
        return replace(nach_label, spalte=spalte, grund=nach_label.grund or grund)
    return replace(nach_name, kandidaten=nach_label.kandidaten or nach_name.kandidaten)


def sosci_vorschlaege(
    vorschlag: Vorschlag, tabelle: pd.DataFrame
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """What a profile skeleton for a SoSci export proposes, to be confirmed by the user.

    Columns: ``REF`` (the reference in the survey link, e.g. ``?r=KOELN``) → standort and
    ``QUESTNNR`` (one questionnaire per wave) → welle, when the export has no other column and
    no fixed value for them. Answers: SoSci numbers the options of a question 1 … n in the
    order they were entered, so every categorical variable gets 1 → first codebook answer,
    2 → second …; REF values are proposed as site IDs and questionnaire IDs containing t0/t1/t2
    as that wave. Never applied without the confirmed profile: a form whose options were
    entered in another order would otherwise be mapped wrongly.
    """
    if vorschlag.werkzeug is not Werkzeug.SOSCI:
        return {}, {}
    namen = {str(s).strip().lower(): str(s) for s in tabelle.columns}
    tabelle, _ = ohne_beschriftungszeile(tabelle, vorschlag.werkzeug)
    belegt = set(vorschlag.zuordnung) | set(vorschlag.konstanten)
    spalten: dict[str, str] = {}
    werte: dict[str, dict[str, str]] = {}
    for meta, variable in (("ref", "standort"), ("questnnr", "welle")):
        if meta in namen and variable not in belegt:
            spalten[namen[meta]] = variable
            vorkommen = sorted(tabelle[namen[meta]].dropna().astype(str).unique())
            if variable == "standort":
                werte[variable] = {v: v.strip().upper() for v in vorkommen}
            else:
                werte[variable] = {
                    v: next((w for w in schema.WELLEN if w.lower() in v.lower()), OFFEN)
                    for v in vorkommen
                }
    felder = _index().felder
    for variable in [
        *vorschlag.zuordnung,
        *(s.kandidaten[0].variable for s in vorschlag.probleme if s.kandidaten),
    ]:
        antworten = _antworten(felder[variable])
        codes = [code for code, _ in antworten]
        if variable in werte or not codes or all(c.isdigit() for c in codes):
            continue
        werte[variable] = {str(i): code for i, code in enumerate(codes, start=1)}
    return spalten, werte


def schlage_vor_datei(
    quelle: Quelle,
    dateiname: str | None = None,
    *,
    werkzeug: Werkzeug | str | None = None,
    profil: Profil | None = None,
) -> Vorschlag:
    """:func:`schlage_vor` for an uploaded file (bytes or path), read like every import file."""
    inhalt, name = lade_bytes(quelle, dateiname)
    return schlage_vor(lies_bytes(inhalt, name), werkzeug=werkzeug, profil=profil, dateiname=name)


def _entscheide(
    spalte: str, werkzeug: Werkzeug, profil_spalten: Mapping[str, str], datum_aus: str | None
) -> Spaltenzuordnung:
    schluessel = textschluessel(spalte)
    if schluessel in profil_spalten:
        variable = profil_spalten[schluessel]
        if not variable:
            return Spaltenzuordnung(spalte, Status.IGNORIERT, grund="laut Profil ausgelassen")
        return Spaltenzuordnung(spalte, Status.PROFIL, variable, grund="laut Profil")
    if datum_aus and spalte.strip().lower() == datum_aus:
        return Spaltenzuordnung(spalte, Status.ZEITSTEMPEL, "datum", grund="Datum aus Zeitstempel")
    treffer = _exakte_treffer(spalte, werkzeug)
    if len(treffer) == 1:
        return Spaltenzuordnung(spalte, Status.ZUGEORDNET, next(iter(treffer)))
    if treffer:
        index = _index()
        return Spaltenzuordnung(
            spalte,
            Status.MEHRDEUTIG,
            kandidaten=tuple(Kandidat(v, index.felder[v].frage, 1.0) for v in sorted(treffer)),
            grund="passt genau zu mehreren Variablen.",
        )
    if ist_metadaten(spalte, werkzeug):
        if ist_personenbezogen(spalte):  # e-mail, name, phone number of the respondent
            return Spaltenzuordnung(spalte, Status.PERSONENBEZOGEN, grund="personenbezogene Daten")
        return Spaltenzuordnung(spalte, Status.METADATEN, grund="Verwaltungsspalte des Werkzeugs")
    kandidaten = _kandidaten(spalte)
    if ist_personenbezogen(spalte) and not (
        kandidaten and kandidaten[0].aehnlichkeit >= PII_FRAGE_AEHNLICHKEIT
    ):
        return Spaltenzuordnung(spalte, Status.PERSONENBEZOGEN, grund="personenbezogene Daten")
    return Spaltenzuordnung(
        spalte,
        Status.UNBEKANNT,
        kandidaten=kandidaten,
        grund="keine Frage des Codebuchs passt genau.",
    )


def _doppelte_variablen(entscheidungen: list[Spaltenzuordnung]) -> list[Spaltenzuordnung]:
    """Two columns for one variable are a question to the user (unless the profile chose)."""
    je_variable: dict[str, list[int]] = {}
    for i, e in enumerate(entscheidungen):
        if e.status in (Status.ZUGEORDNET, Status.PROFIL) and e.variable:
            je_variable.setdefault(e.variable, []).append(i)
    ergebnis = list(entscheidungen)
    index = _index()
    for variable, positionen in je_variable.items():
        if len(positionen) < 2:
            continue
        aus_profil = [p for p in positionen if entscheidungen[p].status is Status.PROFIL]
        andere = ", ".join(f"'{_kurz(entscheidungen[p].spalte)}'" for p in positionen)
        for p in positionen:
            if len(aus_profil) == 1 and p == aus_profil[0]:
                continue
            ergebnis[p] = Spaltenzuordnung(
                entscheidungen[p].spalte,
                Status.MEHRDEUTIG,
                kandidaten=(Kandidat(variable, index.felder[variable].frage, 1.0),),
                grund=f"mehrere Spalten passen zu '{variable}' ({andere}).",
            )
    return ergebnis


def _datum_quelle(vorschlag: Vorschlag, spalten: list[str]) -> None:
    """Without a date question, the tool's submission time supplies ``datum``."""
    if "datum" in vorschlag.zuordnung or "datum" in vorschlag.konstanten:
        vorschlag.datum_aus = None  # a date question or a fixed date beats the timestamp
        return
    quelle = vorschlag.datum_aus or zeitstempel_spalte(spalten, vorschlag.werkzeug)
    if quelle is None:
        return
    vorschlag.datum_aus = quelle.strip().lower()
    vorschlag.spalten = [
        Spaltenzuordnung(s.spalte, Status.ZEITSTEMPEL, "datum", grund="Datum aus Zeitstempel")
        if s.spalte.strip().lower() == vorschlag.datum_aus
        else s
        for s in vorschlag.spalten
    ]
    if not any(s.status is Status.ZEITSTEMPEL for s in vorschlag.spalten):
        vorschlag.fehlend.append(
            ("datum", f"die Spalte '{quelle}' (Zeitstempel laut Profil) fehlt in der Datei.")
        )
        vorschlag.datum_aus = None


def _fehlende(vorschlag: Vorschlag) -> None:
    vorhanden = set(vorschlag.zuordnung) | set(vorschlag.konstanten)
    if vorschlag.datum_aus:
        vorhanden.add("datum")
    for feld in schema.codebuch():
        if not feld.pflicht or feld.name in vorhanden:
            continue
        if any(v == feld.name for v, _ in vorschlag.fehlend):
            continue
        if feld.name in KONSTANTEN_ERLAUBT:
            grund = (
                f"keine Spalte gefunden – im Zuordnungsprofil einen festen Wert angeben "
                f'(konstanten: {{"{feld.name}": …}}) oder die Spalte zuordnen.'
            )
        else:
            grund = "keine Spalte gefunden – bitte die Spalte im Zuordnungsprofil zuordnen."
        vorschlag.fehlend.append((feld.name, grund))


def _wertprobleme(vorschlag: Vorschlag, tabelle: pd.DataFrame) -> None:
    felder = _index().felder
    for variable, spalte in vorschlag.zuordnung.items():
        feld = felder[variable]
        if not _antworten(feld) and variable not in vorschlag.werte:
            continue
        uebersetze = _uebersetzer(feld, vorschlag.werkzeug, vorschlag.werte.get(variable, {}))
        haeufigkeit = tabelle[spalte].dropna().astype(str).value_counts(sort=False)
        for wert, anzahl in haeufigkeit.items():
            code, fehlt = uebersetze(str(wert))
            if code is None and not fehlt and _antworten(feld):
                vorschlag.wertprobleme.append(
                    Wertproblem(
                        spalte, variable, str(wert), int(anzahl), _wert_kandidaten(feld, str(wert))
                    )
                )
    for variable, wert in vorschlag.konstanten.items():
        feld = felder[variable]
        if not _antworten(feld):
            continue
        code, _ = _uebersetzer(feld, vorschlag.werkzeug, vorschlag.werte.get(variable, {}))(wert)
        if code is None:
            vorschlag.wertprobleme.append(
                Wertproblem("(fester Wert)", variable, wert, 0, _wert_kandidaten(feld, wert))
            )


# -- applying -----------------------------------------------------------------------------------
@dataclass
class Zuordnungsergebnis:
    """The export in the shape of our template (strings, row numbers kept) plus Hinweise."""

    tabelle: pd.DataFrame
    hinweise: list[str]
    vorschlag: Vorschlag


def _je_wert(roh: pd.Series, funktion: Callable[[str], str | None]) -> pd.Series:
    """Apply ``funktion`` once per distinct value (exports have few distinct answers)."""
    codes, eindeutig = pd.factorize(roh)
    ergebnisse = np.array([funktion(str(w)) for w in eindeutig] + [None], dtype=object)
    return pd.Series(ergebnisse[codes], index=roh.index, dtype=object)


def _datumsspalte(roh: pd.Series) -> tuple[pd.Series, str | None]:
    """Dates and timestamps of the tools → ``YYYY-MM-DD`` (unknown forms are left for the check).

    "3/1/2025" is read as month/day unless a value in the column shows day/month (a first part
    above 12); the Hinweis says so, because English-language Google and Microsoft exports use
    month/day while German ones use dots.
    """
    werte = roh.dropna().astype(str).unique()
    us = [t for w in werte if (t := _DATUM_US.match(w.strip()))]
    tag_zuerst = _tag_zuerst(roh)
    hinweis = None
    if us and not tag_zuerst and not all(int(t.group(1)) == int(t.group(2)) for t in us):
        hinweis = (
            f"Datumsangaben der Spalte '{_kurz(str(roh.name))}' wie '{us[0].group(0).split()[0]}' "
            "als Monat/Tag/Jahr gelesen (englisches Format)."
        )

    def umwandeln(text: str) -> str:
        teile = _zerlege_datum(text, tag_zuerst)
        return text.strip() if teile is None else f"{teile[0]:04d}-{teile[1]:02d}-{teile[2]:02d}"

    return _je_wert(roh, umwandeln), hinweis


def _tag_zuerst(roh: pd.Series) -> bool:
    """Whether "3/1/2025" in this column means day/month (a first part above 12 shows it)."""
    werte = roh.dropna().astype(str).unique()
    return any(int(t.group(1)) > 12 for w in werte if (t := _DATUM_US.match(w.strip())))


def _zerlege_datum(text: str, tag_zuerst: bool) -> tuple[int, int, int] | None:
    """(year, month, day) of the tools' date and timestamp forms; None when unknown."""
    text = text.strip()
    if treffer := _DATUM_ISO.match(text) or _DATUM_JMT.match(text):
        j, m, t = treffer.groups()
    elif treffer := _DATUM_DE.match(text):
        t, m, j = treffer.groups()
    elif treffer := _DATUM_US.match(text):
        a, b, j = treffer.groups()
        t, m = (a, b) if tag_zuerst else (b, a)
    else:
        return None
    return (int(j) + 2000 if len(j) == 2 else int(j)), int(m), int(t)


def _eingangszeiten(roh: pd.Series) -> pd.Series:
    """Submission times of the tools as sortable ISO text ("2024-03-05T10:19:30"); None when
    unreadable. Only their order matters (which of two submissions is the latest)."""
    tag_zuerst = _tag_zuerst(roh)

    def umwandeln(text: str) -> str | None:
        datum = _zerlege_datum(text, tag_zuerst)
        if datum is None:
            return None
        stunde = minute = sekunde = 0
        if zeit := _UHRZEIT.search(text.strip(), 6):
            stunde, minute = int(zeit.group(1)), int(zeit.group(2))
            sekunde = int(zeit.group(3) or 0)
            mittag = (zeit.group(4) or "").lower().replace(".", "")
            if mittag in ("am", "pm"):
                stunde = stunde % 12 + (12 if mittag == "pm" else 0)
        return (
            f"{datum[0]:04d}-{datum[1]:02d}-{datum[2]:02d}T{stunde:02d}:{minute:02d}:{sekunde:02d}"
        )

    return _je_wert(roh, umwandeln)


def _zahl(text: str, sosci_fehlend: bool) -> str | None:
    """A number as the check expects it: "50.0000000000" → "50"; SoSci's -9 → missing."""
    text = text.strip()
    if sosci_fehlend and _SOSCI_FEHLWERT.fullmatch(text):
        return None
    return treffer.group(1) if (treffer := _NULLEN.match(text)) else text


def wende_an(
    tabelle: pd.DataFrame,
    profil: Profil | None = None,
    *,
    werkzeug: Werkzeug | str | None = None,
    dateiname: str = "",
) -> Zuordnungsergebnis:
    """Map an export to the template's columns; raises :class:`ZuordnungAbgelehnt` if unsure."""
    vorschlag = schlage_vor(tabelle, werkzeug=werkzeug, profil=profil, dateiname=dateiname)
    if not vorschlag.ok:
        raise ZuordnungAbgelehnt(vorschlag)
    tabelle, _ = ohne_beschriftungszeile(tabelle, vorschlag.werkzeug)
    felder = _index().felder
    hinweise = [
        f"'{dateiname or 'Datei'}' als Export aus {WERKZEUG_LABELS[vorschlag.werkzeug]} erkannt"
        + (f" (Zuordnungsprofil '{vorschlag.profil}')" if vorschlag.profil else "")
        + f": {len(vorschlag.zuordnung)} Spalten dem Codebuch zugeordnet."
    ]
    daten: dict[str, pd.Series] = {}
    fehlend_gezaehlt = 0
    entstellt: dict[str, int] = {}
    for variable, spalte in vorschlag.zuordnung.items():
        feld = felder[variable]
        roh = tabelle[spalte]
        if _antworten(feld) or variable in vorschlag.werte:
            uebersetze = _uebersetzer(feld, vorschlag.werkzeug, vorschlag.werte.get(variable, {}))
            haeufigkeit = roh.dropna().astype(str).value_counts(sort=False)
            fehlend_gezaehlt += sum(
                int(n) for wert, n in haeufigkeit.items() if uebersetze(str(wert))[1]
            )
            zurueck = _entstellte_codes(code for code, _ in _antworten(feld))
            for wert, n in haeufigkeit.items():
                if (code := zurueck(str(wert).strip())) and uebersetze(str(wert))[0] == code:
                    entstellt[f"{str(wert).strip()} → {code}"] = int(n)
            werte = _je_wert(roh, lambda text, u=uebersetze: u(text)[0])
        elif feld.typ is Typ.DATUM:
            werte, hinweis = _datumsspalte(roh)
            hinweise.extend([hinweis] if hinweis else [])
        elif feld.typ in (Typ.GANZZAHL, Typ.ZAHL):
            sosci_fehlend = vorschlag.werkzeug is Werkzeug.SOSCI and (feld.minimum or 0) >= 0
            if sosci_fehlend:  # SoSci's -9 "nicht beantwortet", -1 "weiß nicht" …
                fehlend_gezaehlt += int(roh.str.fullmatch(_SOSCI_FEHLWERT).fillna(False).sum())
            werte = _je_wert(roh, lambda text, s=sosci_fehlend: _zahl(text, s))
        else:
            werte = roh.astype(object)
        daten[variable] = werte.where(werte.notna(), None)
    if vorschlag.datum_aus and "datum" not in daten:
        daten["datum"] = _datum_aus_zeitstempeln(tabelle, vorschlag, dateiname, hinweise)
    for variable, wert in vorschlag.konstanten.items():
        feld = felder[variable]
        if _antworten(feld):
            wert = (
                _uebersetzer(feld, vorschlag.werkzeug, vorschlag.werte.get(variable, {}))(wert)[0]
                or wert
            )
        if variable in daten:
            leer = daten[variable].isna()
            daten[variable] = daten[variable].where(~leer, wert)
            if leer.any():
                hinweise.append(
                    f"Leere Angaben in '{variable}' mit dem festen Wert '{wert}' gefüllt."
                )
        else:
            daten[variable] = pd.Series(wert, index=tabelle.index, dtype=object)
            hinweise.append(f"'{variable}' für alle Zeilen auf den festen Wert '{wert}' gesetzt.")
    reihenfolge = [f.name for f in schema.codebuch() if f.name in daten]
    ergebnis = pd.DataFrame({name: daten[name] for name in reihenfolge}, index=tabelle.index)
    ergebnis.index.name = tabelle.index.name
    for name, werte in _steuerspalten(tabelle, vorschlag.werkzeug).items():
        ergebnis[name] = werte
    if entstellt:
        beispiele = ", ".join(list(entstellt)[:HINWEIS_BEISPIELE])
        hinweise.append(
            f"{sum(entstellt.values())} Antworten, die die Tabellenkalkulation zu Zahlen gemacht "
            f"hatte, zurückgeführt ({beispiele}) – eindeutig, weil nur diese Antwort passt."
        )
    if "code" in ergebnis.columns:
        ergebnis, hinweis = _vereinheitliche_codes(
            ergebnis, _zeilen(ergebnis), leerzeichen_entfernen=True
        )
        hinweise.extend([hinweis] if hinweis else [])
    if fehlend_gezaehlt:
        hinweise.append(
            f"{fehlend_gezaehlt} Antworten wie „keine Antwort“ bzw. negative Fehlwert-Codes "
            "als fehlend (leer) übernommen."
        )
    hinweise.extend(_weggelassen(vorschlag))
    return Zuordnungsergebnis(ergebnis, hinweise, vorschlag)


def _datum_aus_zeitstempeln(
    tabelle: pd.DataFrame, vorschlag: Vorschlag, dateiname: str, hinweise: list[str]
) -> pd.Series:
    """``datum`` from the tool's timestamps: the preferred column, and where a row has none
    there (an unfinished LimeSurvey response has no submitdate) the next one.

    Raises :class:`ZuordnungsFehler` when LimeSurvey wrote 1980-01-01 everywhere: that is how
    it exports a survey with anonymised responses, and the real date is not in the file.
    """
    namen = {str(s).strip().lower(): s for s in tabelle.columns}
    quelle = namen[vorschlag.datum_aus or ""]
    datum, hinweis = _datumsspalte(tabelle[quelle])
    hinweise.append(f"Datum der Befragung aus der Spalte '{quelle}' übernommen.")
    hinweise.extend([hinweis] if hinweis else [])
    for weitere in zeitstempel_spalten(tabelle.columns, vorschlag.werkzeug):
        leer = datum.isna()
        if weitere == quelle or not leer.any():
            continue
        ersatz, _ = _datumsspalte(tabelle[weitere])
        gefuellt = leer & ersatz.notna()
        if gefuellt.any():
            datum = datum.where(~gefuellt, ersatz)
            hinweise.append(
                f"{int(gefuellt.sum())} Zeilen ohne Angabe in '{quelle}': Datum aus "
                f"'{weitere}' übernommen (Zeilen {_zeilenliste(tabelle.index[gefuellt])})."
            )
    if zeitstempel_anonymisiert(vorschlag, tabelle):
        raise ZuordnungsFehler(
            f"'{dateiname or 'Datei'}': Alle Zeitstempel stehen auf dem 01.01.1980 – so "
            "exportiert LimeSurvey Umfragen mit anonymisierten Antworten, das Befragungsdatum "
            "steht also nicht in der Datei; bitte das Datum als festen Wert angeben "
            "(Importseite: Zuordnung bestätigen, fester Wert für „datum“; Kommandozeile: "
            'Zuordnungsprofil mit "konstanten": {"datum": "TT.MM.JJJJ"}) und die Datei erneut '
            "importieren."
        )
    return datum


def zeitstempel_anonymisiert(vorschlag: Vorschlag, tabelle: pd.DataFrame) -> bool:
    """Whether the date would come from LimeSurvey timestamps that all read 01.01.1980 (a
    survey with anonymised responses): then the date must be given as a fixed value."""
    if vorschlag.werkzeug is not Werkzeug.LIMESURVEY or not vorschlag.datum_aus:
        return False
    namen = {str(s).strip().lower(): s for s in tabelle.columns}
    if vorschlag.datum_aus not in namen:
        return False
    werte = tabelle[namen[vorschlag.datum_aus]].dropna().astype(str)
    return bool(len(werte)) and bool(werte.str.startswith(LS_ANONYM_DATUM).all())


def _steuerspalten(tabelle: pd.DataFrame, werkzeug: Werkzeug) -> dict[str, pd.Series]:
    """The tool's submission time and "not finished" flag, for the import's decisions."""
    namen = {str(s).strip().lower(): s for s in tabelle.columns}
    steuer: dict[str, pd.Series] = {}
    zeiten = zeitstempel_spalten(tabelle.columns, werkzeug, EINGANGSZEIT)
    if zeiten:
        eingang = _eingangszeiten(tabelle[zeiten[0]])
        for weitere in zeiten[1:]:
            eingang = eingang.where(eingang.notna(), _eingangszeiten(tabelle[weitere]))
        steuer[EINGANG] = eingang
    for spalte, werte in UNFERTIG.get(werkzeug, ()):
        if spalte in namen:
            roh = tabelle[namen[spalte]]
            unfertig = roh.isin([w for w in werte if w is not None])
            if None in werte:
                unfertig |= roh.isna()
            steuer[UNVOLLSTAENDIG] = pd.Series(
                np.where(unfertig.to_numpy(bool), "ja", None), index=tabelle.index, dtype=object
            )
            break
    return steuer


def _zeilenliste(zeilen: Iterable[Any]) -> str:
    liste = [str(z) for z in zeilen]
    return ", ".join(liste[:HINWEIS_BEISPIELE]) + (" …" if len(liste) > HINWEIS_BEISPIELE else "")


def _zeilen(tabelle: pd.DataFrame) -> np.ndarray:
    if tabelle.index.name == "zeile":
        return tabelle.index.to_numpy(dtype=np.int64)
    return np.arange(2, len(tabelle) + 2, dtype=np.int64)


def _weggelassen(vorschlag: Vorschlag) -> list[str]:
    hinweise = []
    personen = [s.spalte for s in vorschlag.spalten if s.status is Status.PERSONENBEZOGEN]
    hinweise.extend(
        f"Spalte '{_kurz(spalte)}' enthält personenbezogene Daten und wurde nicht übernommen."
        for spalte in personen
    )
    metadaten = [
        s.spalte for s in vorschlag.spalten if s.status in (Status.METADATEN, Status.ZEITSTEMPEL)
    ]
    if metadaten:
        hinweise.append(
            f"{len(metadaten)} Verwaltungsspalten des Werkzeugs nicht übernommen "
            f"({', '.join(_kurz(s) for s in metadaten[:8])}{' …' if len(metadaten) > 8 else ''})."
        )
    ignoriert = [s.spalte for s in vorschlag.spalten if s.status is Status.IGNORIERT]
    if ignoriert:
        hinweise.append(
            f"{len(ignoriert)} Spalten laut Zuordnungsprofil ausgelassen "
            f"({', '.join(_kurz(s) for s in ignoriert[:8])}{' …' if len(ignoriert) > 8 else ''})."
        )
    return hinweise


# -- what the importer calls --------------------------------------------------------------------
def braucht_zuordnung(
    spalten: Iterable[str], art: Art | str | None = None, profil: Profil | None = None
) -> bool:
    """Whether a file must be mapped before the check (a survey tool export, not our template).

    Files of the other kinds, and our own template, pass unchanged – so this costs nothing for
    them. A file of unknown origin counts as a survey export when at least
    :data:`MIN_TREFFER_ANDERES` columns match the codebook exactly.
    """
    namen = [str(s).strip().lower() for s in spalten]
    if art is not None and art_aus_text(art) is not Art.BEFRAGUNG:
        return False
    try:
        erkannt: Art | None = erkenne_art(namen)
    except ArtNichtErkannt:
        erkannt = None
    if erkannt is not None and erkannt is not Art.BEFRAGUNG:
        return False
    if profil is not None:
        return True
    werkzeug = erkenne_werkzeug(namen)
    if werkzeug is Werkzeug.VORLAGE:
        return False
    if werkzeug is not Werkzeug.ANDERES:
        return True
    treffer = sum(1 for name in namen if len(_exakte_treffer(name, werkzeug)) == 1)
    return treffer >= MIN_TREFFER_ANDERES


def bereite_vor(
    tabelle: pd.DataFrame,
    *,
    art: Art | str | None = None,
    profil: Profil | None = None,
    dateiname: str = "",
) -> tuple[pd.DataFrame, list[str]]:
    """The table to validate and the mapping's Hinweise; unchanged when no mapping is needed.

    Raises :class:`ZuordnungAbgelehnt` when a survey export cannot be mapped unambiguously.
    """
    if not braucht_zuordnung(tabelle.columns, art, profil):
        return tabelle, []
    ergebnis = wende_an(tabelle, profil, dateiname=dateiname)
    return ergebnis.tabelle, ergebnis.hinweise

"""Declarative description of the four import file kinds (SPEC §3).

The survey columns are read from ``data/codebuch.csv`` (the single source of the questionnaire);
the other three kinds are small and fixed, so they are declared here. Validation, templates,
the methods page and the database column list all read these declarations, so a new column is
added in one place.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CODEBUCH_PFAD = DATA_DIR / "codebuch.csv"

WELLEN: tuple[str, ...] = ("T0", "T1", "T2")
FORMATE: tuple[str, ...] = ("digital", "hybrid", "praesenz")
FORMAT_LABELS: dict[str, str] = {"digital": "Digital", "hybrid": "Hybrid", "praesenz": "Präsenz"}
BUNDESLAENDER: tuple[str, ...] = (
    "Baden-Württemberg",
    "Bayern",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hessen",
    "Mecklenburg-Vorpommern",
    "Niedersachsen",
    "Nordrhein-Westfalen",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen",
    "Sachsen-Anhalt",
    "Schleswig-Holstein",
    "Thüringen",
)
AKTIVITAET_TYPEN: tuple[str, ...] = (
    "begegnung",
    "workshop",
    "dialog",
    "schulung",
    "oeffentlichkeit",
    "sonstiges",
)
JA_NEIN: tuple[str, ...] = ("ja", "nein")
#: Answers given once at T0 that belong to the person, not the questionnaire: every writer copies
#: them onto the T1/T2 rows of the same (standort, code) (SPEC §3.1), so the engine can group
#: and filter each row by them without a join.
AUS_T0: tuple[str, ...] = ("migrationshintergrund", "vergleichsgruppe")
#: The indicator IDs a Zielwerte file may name (SPEC §4); the indicator registry must match it.
INDIKATOR_IDS: tuple[str, ...] = (
    *(f"A{i}" for i in range(1, 10)),
    *(f"B{i}" for i in range(1, 7)),
    *(f"C{i}" for i in range(1, 7)),
)

#: Column names that look like personal data. They are dropped on import and never stored.
PERSONENBEZOGENE_SPALTEN: frozenset[str] = frozenset(
    {
        "name",
        "vorname",
        "nachname",
        "familienname",
        "e-mail",
        "email",
        "e_mail",
        "mail",
        "telefon",
        "telefonnummer",
        "tel",
        "phone",
        "handy",
        "mobil",
        "adresse",
        "address",
        "anschrift",
        "strasse",
        "straße",
        "ip",
        "ip_adresse",
        "ip-adresse",
        "ipaddress",
        "ip_address",
        "geburtsdatum",
    }
)


class Art(StrEnum):
    """Kind of import file."""

    BEFRAGUNG = "befragung"
    AKTIVITAETEN = "aktivitaeten"
    STANDORTE = "standorte"
    ZIELWERTE = "zielwerte"


class Typ(StrEnum):
    """How a column is parsed and checked."""

    CODE = "code"  # pseudonymous participant code
    STANDORT = "standort"  # site ID, must exist (except in the Standorte file itself)
    KATEGORIE = "kategorie"  # one of ``werte``
    DATUM = "datum"
    GANZZAHL = "ganzzahl"  # integer within [minimum, maximum]
    ZAHL = "zahl"  # decimal number within [minimum, maximum]
    JA_NEIN = "ja_nein"  # stored as BOOLEAN
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Feld:
    """One column of an import file, as data."""

    name: str
    typ: Typ
    pflicht: bool = False
    werte: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    frage: str = ""
    wellen: tuple[str, ...] = WELLEN
    pflicht_welle: str | None = None  # required only at this wave (migrationshintergrund at T0)
    skala: str = ""
    umgepolt: bool = False
    ziel: str = ""
    max_laenge: int | None = None

    @property
    def sql_typ(self) -> str:
        """The DuckDB column type this field is stored as."""
        return {
            Typ.DATUM: "DATE",
            Typ.GANZZAHL: "INTEGER",
            Typ.ZAHL: "DOUBLE",
            Typ.JA_NEIN: "BOOLEAN",
        }.get(self.typ, "VARCHAR")


def _werte_und_labels(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not text:
        return (), ()
    paare = [teil.split("=", 1) for teil in text.split("|")]
    return tuple(p[0].strip() for p in paare), tuple(p[1].strip() for p in paare)


def _feld_aus_codebuch(zeile: dict[str, str]) -> Feld:
    werte, labels = _werte_und_labels(zeile["werte"])
    format_ = zeile["antwortformat"]
    typ = {
        "code": Typ.CODE,
        "standort": Typ.STANDORT,
        "kategorie": Typ.KATEGORIE,
        "datum": Typ.DATUM,
        "likert": Typ.GANZZAHL,
        "zahl": Typ.GANZZAHL,
        "ja_nein": Typ.JA_NEIN,
    }[format_]
    pflicht = zeile["pflicht"]
    return Feld(
        name=zeile["variable"],
        typ=typ,
        pflicht=pflicht == "ja",
        werte=werte,
        labels=labels,
        minimum=float(zeile["min"]) if zeile["min"] else None,
        maximum=float(zeile["max"]) if zeile["max"] else None,
        frage=zeile["frage"],
        wellen=tuple(zeile["welle"].split("|")),
        pflicht_welle=pflicht if pflicht in WELLEN else None,
        skala=zeile["skala"],
        umgepolt=zeile["umgepolt"] == "ja",
        ziel=zeile["ziel"],
        max_laenge=32 if typ is Typ.CODE else None,
    )


@cache
def codebuch() -> tuple[Feld, ...]:
    """The survey variables as declared in ``data/codebuch.csv``."""
    with CODEBUCH_PFAD.open(encoding="utf-8", newline="") as datei:
        return tuple(_feld_aus_codebuch(zeile) for zeile in csv.DictReader(datei))


_F = Feld
_AKTIVITAETEN: tuple[Feld, ...] = (
    _F("aktivitaet_id", Typ.TEXT, pflicht=True, max_laenge=64, frage="Kennung der Aktivität"),
    _F("standort", Typ.STANDORT, pflicht=True, frage="Standort"),
    _F("datum", Typ.DATUM, pflicht=True, frage="Datum"),
    _F("titel", Typ.TEXT, pflicht=True, max_laenge=300, frage="Titel"),
    _F("typ", Typ.KATEGORIE, pflicht=True, werte=AKTIVITAET_TYPEN, frage="Art der Aktivität"),
    _F("format", Typ.KATEGORIE, pflicht=True, werte=FORMATE, frage="Format"),
    _F("dauer_min", Typ.GANZZAHL, minimum=0, frage="Dauer in Minuten"),
    _F("teilnehmende_gesamt", Typ.GANZZAHL, pflicht=True, minimum=0, frage="Teilnehmende gesamt"),
    _F("teilnehmende_mit_mh", Typ.GANZZAHL, minimum=0, frage="davon mit Migrationsgeschichte"),
    _F("teilnehmende_ohne_mh", Typ.GANZZAHL, minimum=0, frage="davon ohne Migrationsgeschichte"),
    _F("neue_teilnehmende", Typ.GANZZAHL, minimum=0, frage="davon zum ersten Mal dabei"),
    _F("teilnehmende_mit_rolle", Typ.GANZZAHL, minimum=0, frage="davon mit Rolle (Moderation …)"),
    _F("oeffentlich", Typ.JA_NEIN, werte=JA_NEIN, frage="Öffentlich sichtbar"),
    _F("reichweite", Typ.GANZZAHL, minimum=0, frage="Erreichtes Publikum (Personen, Aufrufe)"),
)
_STANDORTE: tuple[Feld, ...] = (
    _F(
        "standort",
        Typ.STANDORT,
        pflicht=True,
        frage="Kennung des Standorts (2–12 Zeichen A–Z, 0–9, _)",
    ),
    _F("name", Typ.TEXT, pflicht=True, max_laenge=120, frage="Name"),
    _F("ort", Typ.TEXT, pflicht=True, max_laenge=120, frage="Ort"),
    _F("bundesland", Typ.KATEGORIE, pflicht=True, werte=BUNDESLAENDER, frage="Bundesland"),
    _F("lat", Typ.ZAHL, minimum=47.0, maximum=55.5, frage="Breitengrad"),
    _F("lon", Typ.ZAHL, minimum=5.5, maximum=15.5, frage="Längengrad"),
    _F("start", Typ.DATUM, pflicht=True, frage="Projektstart am Standort"),
)
_ZIELWERTE: tuple[Feld, ...] = (
    _F(
        "indikator",
        Typ.KATEGORIE,
        pflicht=True,
        werte=INDIKATOR_IDS,
        frage="Indikator-ID (z. B. A3)",
    ),
    _F("standort", Typ.STANDORT, frage="Standort (leer = ganzes Projekt)"),
    _F("basiswert", Typ.ZAHL, frage="Ausgangswert"),
    _F("zielwert", Typ.ZAHL, pflicht=True, frage="Zielwert"),
    _F("stichtag", Typ.DATUM, pflicht=True, frage="Bis wann der Zielwert erreicht sein soll"),
    _F(
        "richtung_bestaetigt",
        Typ.JA_NEIN,
        werte=JA_NEIN,
        frage="Zielwert entgegen der Indikatorrichtung ausdrücklich gewollt (ja/nein)",
    ),
)


def felder(art: Art) -> tuple[Feld, ...]:
    """The declared columns of one file kind."""
    if art is Art.BEFRAGUNG:
        return codebuch()
    return {Art.AKTIVITAETEN: _AKTIVITAETEN, Art.STANDORTE: _STANDORTE, Art.ZIELWERTE: _ZIELWERTE}[
        art
    ]


#: The columns that identify a row; re-importing a row with the same key updates it. A
#: questionnaire belongs to its site: the same self-made code at two sites is two persons
#: (migration 0006), so an import of one site can never overwrite another site's row.
SCHLUESSEL: dict[Art, tuple[str, ...]] = {
    Art.BEFRAGUNG: ("standort", "code", "welle"),
    Art.AKTIVITAETEN: ("standort", "aktivitaet_id"),
    Art.STANDORTE: ("standort",),
    Art.ZIELWERTE: ("indikator", "standort"),
}

#: The database table of each kind.
TABELLE: dict[Art, str] = {
    Art.BEFRAGUNG: "befragungen",
    Art.AKTIVITAETEN: "aktivitaeten",
    Art.STANDORTE: "standorte",
    Art.ZIELWERTE: "zielwerte",
}

ART_LABELS: dict[Art, str] = {
    Art.BEFRAGUNG: "Befragung",
    Art.AKTIVITAETEN: "Aktivitäten",
    Art.STANDORTE: "Standorte",
    Art.ZIELWERTE: "Zielwerte",
}


def skalen() -> dict[str, tuple[Feld, ...]]:
    """Scale name → its items, in codebook order."""
    ergebnis: dict[str, list[Feld]] = {}
    for feld in codebuch():
        if feld.skala:
            ergebnis.setdefault(feld.skala, []).append(feld)
    return {name: tuple(items) for name, items in ergebnis.items()}

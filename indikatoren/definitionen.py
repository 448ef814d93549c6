"""Typed, frozen declarations of indicators (DHIS2 / dbt-metrics style).

An indicator is data: what it measures, on which Wirkungstreppe step, in which unit, and which
computation kind the engine applies. The engine in :mod:`indikatoren.engine` turns these
declarations into DuckDB SQL; nothing about a single indicator is hard-coded there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Ziel(StrEnum):
    """The three impact goals (Wirkungsziele) of the funding call."""

    A = "a"
    B = "b"
    C = "c"


ZIEL_NAMEN: dict[Ziel, str] = {
    Ziel.A: "Kontakte",
    Ziel.B: "Kompetenzen",
    Ziel.C: "Partizipation",
}

ZIEL_BESCHREIBUNG: dict[Ziel, str] = {
    Ziel.A: (
        "Mehr soziale Kontakte zwischen Menschen mit und ohne Migrationsgeschichte, Abbau von "
        "Vorurteilen und Reflexion über Werte und Normen des Zusammenlebens."
    ),
    Ziel.B: (
        "Menschen mit und ohne Migrationsgeschichte haben mehr Kompetenzen, und diese sind in "
        "der Öffentlichkeit sichtbarer."
    ),
    Ziel.C: (
        "Menschen kennen und nutzen mehr Beteiligungsmöglichkeiten in Organisationen und haben "
        "mehr Selbstvertrauen, Eigenverantwortung und Engagement."
    ),
}

#: PHINEO-Wirkungstreppe (Univation 2007): step → German wording.
WIRKUNGSTREPPE: dict[int, str] = {
    1: "Aktivitäten finden wie geplant statt",
    2: "Zielgruppen werden erreicht",
    3: "Zielgruppen akzeptieren die Angebote",
    4: "Zielgruppen verändern Bewusstsein und Fähigkeiten",
    5: "Zielgruppen ändern ihr Handeln",
    6: "Lebenslage der Zielgruppen ändert sich",
    7: "Gesellschaft verändert sich",
}


class Berechnung(StrEnum):
    """Computation kinds the engine knows."""

    PERSONEN = "personen"  # distinct participant codes at a wave
    ANTEIL = "anteil"  # share of respondents at a wave meeting a condition
    VORHER_NACHHER = "vorher_nachher"  # paired change of a scale score (T0 → T1/T2)
    VORHER_NACHHER_JA_NEIN = "vorher_nachher_ja_nein"  # paired change of a yes/no item
    AKTIVITAETEN_ANTEIL = "aktivitaeten_anteil"  # share of activities meeting a condition
    AKTIVITAETEN_ANZAHL = "aktivitaeten_anzahl"  # number of activities meeting a condition
    AKTIVITAETEN_SUMME = "aktivitaeten_summe"  # sum of an activity column
    AKTIVITAETEN_RATE = "aktivitaeten_rate"  # per-100 rate of two activity sums


BERECHNUNG_LABEL: dict[Berechnung, str] = {
    Berechnung.PERSONEN: "Anzahl Personen",
    Berechnung.ANTEIL: "Anteil",
    Berechnung.VORHER_NACHHER: "Vorher-Nachher-Veränderung (Mittelwert)",
    Berechnung.VORHER_NACHHER_JA_NEIN: "Vorher-Nachher-Veränderung (Ja/Nein)",
    Berechnung.AKTIVITAETEN_ANTEIL: "Anteil der Aktivitäten",
    Berechnung.AKTIVITAETEN_ANZAHL: "Anzahl Aktivitäten",
    Berechnung.AKTIVITAETEN_SUMME: "Summe aus Aktivitäten",
    Berechnung.AKTIVITAETEN_RATE: "Rate je 100 Teilnahmen",
}

PERSONENBEZOGEN: frozenset[Berechnung] = frozenset(
    {
        Berechnung.PERSONEN,
        Berechnung.ANTEIL,
        Berechnung.VORHER_NACHHER,
        Berechnung.VORHER_NACHHER_JA_NEIN,
    }
)
VORHER_NACHHER_ARTEN: frozenset[Berechnung] = frozenset(
    {Berechnung.VORHER_NACHHER, Berechnung.VORHER_NACHHER_JA_NEIN}
)


class Richtung(StrEnum):
    """Which direction of change counts as progress."""

    HOEHER_BESSER = "hoeher_besser"
    NIEDRIGER_BESSER = "niedriger_besser"


class Quelle(StrEnum):
    """Data source of an indicator."""

    BEFRAGUNG = "Befragung"
    AKTIVITAETEN = "Aktivitäten"


@dataclass(frozen=True, slots=True)
class Messgroesse:
    """A per-questionnaire score: a single item, the mean of a scale, or a count of yes answers.

    ``items`` are codebook variables; reverse-coding comes from the codebook. A scale score needs
    at least two thirds of its items answered (SPEC §3.1).
    """

    name: str
    label: str
    items: tuple[str, ...]
    summe: bool = False  # True: count of "ja" (mean of 0/1 × number of items), e.g. C1 0–8


@dataclass(frozen=True, slots=True)
class Indikator:
    """One indicator, fully described. The registry test checks that no field is empty."""

    id: str
    ziel: Ziel
    name: str
    beschreibung: str  # German: what is measured and how — feeds Methodik page and report
    stufe: int  # Wirkungstreppe step 1–7
    einheit: str
    richtung: Richtung
    quelle: Quelle
    berechnung: Berechnung
    #: Score (PERSONEN: unused; ANTEIL / VORHER_NACHHER*: a Messgroesse name) or activity column.
    messgroesse: str = ""
    #: SQL condition on ``{x}`` (the score / row) that counts into the numerator, static code only.
    bedingung: str = ""
    #: SQL condition an activity must meet to count into the denominator (AKTIVITAETEN_ANTEIL).
    nenner_bedingung: str = ""
    #: Wave of a single-wave indicator (ANTEIL, PERSONEN).
    welle: str = "T1"
    #: Second activity column for rates (denominator) — AKTIVITAETEN_RATE only.
    nenner_spalte: str = ""
    dezimalstellen: int = 1
    #: Counts that accumulate over the project (A1, B3, B6): progress is expected in proportion to
    #: the elapsed time. Levels (shares, changes) are expected near their target much earlier.
    kumulativ: bool = False

    @property
    def personenbezogen(self) -> bool:
        """Whether cells describe persons and are subject to small-cell suppression."""
        return self.berechnung in PERSONENBEZOGEN

    @property
    def vorher_nachher(self) -> bool:
        return self.berechnung in VORHER_NACHHER_ARTEN

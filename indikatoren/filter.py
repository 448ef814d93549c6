"""What a caller (page, CLI, report) asks the engine for: sites, period, format, grouping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Gruppierung(StrEnum):
    """Which breakdown the ``gruppe`` column holds besides ``gesamt``."""

    MH = "mh"
    FORMAT = "format"
    GESCHLECHT = "geschlecht"
    ALTERSGRUPPE = "altersgruppe"


GRUPPIERUNG_LABEL: dict[Gruppierung, str] = {
    Gruppierung.MH: "Migrationsgeschichte",
    Gruppierung.FORMAT: "Format",
    Gruppierung.GESCHLECHT: "Geschlecht",
    Gruppierung.ALTERSGRUPPE: "Altersgruppe",
}

GRUPPEN_LABEL: dict[str, str] = {
    "gesamt": "Gesamt",
    "mit_mh": "mit Migrationsgeschichte",
    "ohne_mh": "ohne Migrationsgeschichte",
    "digital": "Digital",
    "hybrid": "Hybrid",
    "praesenz": "Präsenz",
    "weiblich": "weiblich",
    "maennlich": "männlich",
    "divers": "divers",
    "unter_18": "unter 18",
    "18_26": "18–26",
    "27_49": "27–49",
    "50_plus": "50 und älter",
}


@dataclass(frozen=True, slots=True)
class Filter:
    """Selection for one engine call. Empty tuples mean "all"; hashable, so pages can cache it.

    Dates select questionnaires and activities by their date; a pre/post pair counts when its
    later questionnaire (T1 or T2) lies in the period.
    """

    standorte: tuple[str, ...] = ()
    von: date | None = None
    bis: date | None = None
    formate: tuple[str, ...] = ()
    gruppierung: Gruppierung = Gruppierung.MH
    nach_quartal: bool = False

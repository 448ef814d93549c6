"""The dashboard's colours: one per site, one per group, one per format, and the status colours.

Colour carries identity across pages: Berlin is the same blue in the forest plot, the small
multiples and the map, "mit Migrationsgeschichte" the same blue on every goal page. So colours are
assigned here, once, from stable keys — sites by the sorted list of *all* site IDs (not the
current selection, which would recolour a site whenever the filter changes).

Every colour meant for lines and markers has a contrast of at least 3:1 against the white
background (WCAG 2.1, 1.4.11 non-text contrast); text on a coloured cell is black or white,
whichever contrasts more (:func:`textfarbe`).

Status colours (:data:`STATUS_FARBEN`, defined in :mod:`indikatoren.zielerreichung` so the
Excel and PDF reports share them) are not the old green/red: green "erreicht" and red "kritisch"
look the same olive to people with deuteranopia (ΔE ≈ 18). Blue – light blue – amber – red – grey
stay apart (ΔE ≥ 34 in the Machado et al. 2009 simulation, checked by a test), and status never
relies on colour alone: every status text carries its symbol (:data:`STATUS_SYMBOL`,
:func:`mit_symbol`).
"""

from __future__ import annotations

from collections.abc import Iterable

from indikatoren.filter import GRUPPEN_LABEL
from indikatoren.unterdrueckung import GESAMT
from indikatoren.zielerreichung import STATUS_FARBEN, STATUS_SYMBOL, Status

#: Body text (theme ``textColor``) and secondary text (captions, chart labels): both ≥ 4.5:1 on
#: white and on the sidebar.
TEXTFARBE = "#2F2D2B"
NEBENTEXT = "#4A4D57"

#: Project total / pooled value: a neutral dark grey, never confused with a site or group.
GESAMT_FARBE = "#3B3B3B"
#: Background of cells and markers without data, and of suppressed cells.
KEINE_DATEN_FARBE = STATUS_FARBEN[Status.KEINE_DATEN]
#: Light fills (Wirkungstreppe steps, map land, confidence bands).
HELL = "#E8EDF2"
HELLGRAU = "#F2F2F2"

GRUPPEN_FARBE: dict[str, str] = {
    GESAMT: GESAMT_FARBE,
    "mit_mh": "#0072B2",
    "ohne_mh": "#C26A00",
}
FORMAT_FARBE: dict[str, str] = {
    "digital": "#00805C",
    "hybrid": "#7A5195",
    "praesenz": "#C2185B",
}
#: Sites, in the order of their sorted IDs; repeats after ten sites (colour alone cannot tell
#: 100 sites apart — every chart names the site on its axis or in the hover text as well).
STANDORT_PALETTE: tuple[str, ...] = (
    "#1F77B4",
    "#C26A00",
    "#117733",
    "#AA4499",
    "#0F7F8C",
    "#882255",
    "#8C6D00",
    "#332288",
    "#C2185B",
    "#5D4037",
)
#: Groups without a fixed colour (gender, age group): taken in the order of GRUPPEN_LABEL.
_WEITERE_GRUPPEN: tuple[str, ...] = ("#1F77B4", "#C26A00", "#117733", "#AA4499", "#0F7F8C")


def standort_farben(standort_ids: Iterable[str]) -> dict[str, str]:
    """Site ID → colour, assigned by the sorted order of the IDs given (pass all sites)."""
    return {
        standort: STANDORT_PALETTE[nummer % len(STANDORT_PALETTE)]
        for nummer, standort in enumerate(sorted(set(standort_ids)))
    }


def gruppe_farbe(gruppe: str) -> str:
    """Colour of a group code (gesamt, mit_mh, ohne_mh, a format, a gender or age group)."""
    if gruppe in GRUPPEN_FARBE:
        return GRUPPEN_FARBE[gruppe]
    if gruppe in FORMAT_FARBE:
        return FORMAT_FARBE[gruppe]
    weitere = [g for g in GRUPPEN_LABEL if g not in GRUPPEN_FARBE and g not in FORMAT_FARBE]
    nummer = weitere.index(gruppe) if gruppe in weitere else len(weitere)
    return _WEITERE_GRUPPEN[nummer % len(_WEITERE_GRUPPEN)]


def _status(text: str) -> Status | None:
    """The status of a text with or without its symbol ("auf Kurs", "↗ auf Kurs")."""
    for status, symbol in STATUS_SYMBOL.items():
        if text == status.value or text == f"{symbol} {status.value}":
            return status
    return None


def status_farbe(status: str) -> str:
    """Colour of a status text ("erreicht", "✓ erreicht", …); unknown text counts as no data."""
    gefunden = _status(status)
    return KEINE_DATEN_FARBE if gefunden is None else STATUS_FARBEN[gefunden]


def mit_symbol(status: str) -> str:
    """The status text with its symbol in front ("✓ erreicht"); other text stays as it is."""
    gefunden = _status(status)
    return status if gefunden is None else f"{STATUS_SYMBOL[gefunden]} {gefunden.value}"


def _leuchtdichte(farbe: str) -> float:
    """Relative luminance after WCAG 2.1 of a ``#rrggbb`` colour."""
    kanaele = [int(farbe.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [k / 12.92 if k <= 0.04045 else ((k + 0.055) / 1.055) ** 2.4 for k in kanaele]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def kontrast(vorne: str, hinten: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 … 21)."""
    hell, dunkel = sorted((_leuchtdichte(vorne), _leuchtdichte(hinten)), reverse=True)
    return (hell + 0.05) / (dunkel + 0.05)


def textfarbe(hintergrund: str) -> str:
    """Black or white, whichever is more readable on the given background."""
    schwarz, weiss = "#000000", "#FFFFFF"
    return schwarz if kontrast(schwarz, hintergrund) >= kontrast(weiss, hintergrund) else weiss

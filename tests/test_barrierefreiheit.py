"""Colour accessibility, computed independently of the product's own helpers.

* Contrast (WCAG 2.1, 1.4.3): text ≥ 4.5:1 — the theme's text and accent colour
  (``.streamlit/config.toml``) on every background of the theme, secondary text (captions,
  chart labels) and the text on each status colour.
* Colour blindness: the five status colours must stay apart for people with deuteranopia. Each
  colour is simulated with the matrix of Machado, Oliveira & Fernandes (2009), "A
  Physiologically-based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6),
  severity 1.0, applied to linear RGB; the distance is CIE 1976 ΔE*ab in CIELAB (D65). Every
  pair must differ by ΔE ≥ 30. The old green/red palette fails this (erreicht/kritisch ≈ 18),
  which the test also checks, so the simulation itself is shown to bite.
* Status is not colour alone: every status has its own symbol.

Formulas are written out here (WCAG relative luminance, sRGB → XYZ → Lab), not imported from
``ui.farben``.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path

import pytest

from indikatoren.zielerreichung import Status
from ui.diagramme import GRAU
from ui.farben import NEBENTEXT, STATUS_FARBEN, STATUS_SYMBOL, TEXTFARBE

WURZEL = Path(__file__).resolve().parent.parent
THEMA = tomllib.loads((WURZEL / ".streamlit" / "config.toml").read_text("utf-8"))["theme"]

#: Machado et al. (2009), Table 1, deuteranomaly severity 1.0 (= deuteranopia).
DEUTERANOPIE = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)


def _linear(hexfarbe: str) -> tuple[float, float, float]:
    kanaele = [int(hexfarbe.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (k / 12.92 if k <= 0.04045 else ((k + 0.055) / 1.055) ** 2.4 for k in kanaele)
    return r, g, b


def _kontrast(a: str, b: str) -> float:
    def leuchte(farbe: str) -> float:
        r, g, b_ = _linear(farbe)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hell, dunkel = sorted((leuchte(a), leuchte(b)), reverse=True)
    return (hell + 0.05) / (dunkel + 0.05)


def _lab(linear: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (min(max(k, 0.0), 1.0) for k in linear)
    x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x / 0.95047), f(y / 1.0), f(z / 1.08883)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _deuteranop(farbe: str) -> tuple[float, float, float]:
    rgb = _linear(farbe)
    r, g, b = (sum(m * k for m, k in zip(zeile, rgb, strict=True)) for zeile in DEUTERANOPIE)
    return r, g, b


def delta_e_deuteranopie(a: str, b: str) -> float:
    return math.dist(_lab(_deuteranop(a)), _lab(_deuteranop(b)))


def test_lab_umrechnung_stimmt_mit_bekannten_werten() -> None:
    """Anchors of the conversion: white is L*=100, a*=b*=0; sRGB red is (53,24; 80,09; 67,20)."""
    assert _lab(_linear("#FFFFFF")) == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert _lab(_linear("#FF0000")) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)
    # Machado's matrix leaves grey grey (rows sum to 1).
    assert _deuteranop("#808080") == pytest.approx(_linear("#808080"), abs=1e-3)


def test_statusfarben_bleiben_bei_deuteranopie_unterscheidbar() -> None:
    farben = [STATUS_FARBEN[s] for s in Status]
    abstaende = {
        (a, b): delta_e_deuteranopie(STATUS_FARBEN[a], STATUS_FARBEN[b])
        for a, b in itertools.combinations(Status, 2)
    }
    assert len(set(farben)) == len(farben)
    assert min(abstaende.values()) >= 30, abstaende


def test_alte_gruen_rot_palette_faellt_durch() -> None:
    """The simulation bites: the old green/red of the Excel report (erreicht #1a7f37, kritisch
    #c62828) turn alike (the issue's ΔE ≈ 18)."""
    alt = delta_e_deuteranopie("#1a7f37", "#c62828")
    assert alt == pytest.approx(18.3, abs=0.5)


def test_status_hat_immer_ein_symbol() -> None:
    symbole = [STATUS_SYMBOL[s] for s in Status]
    assert all(symbole) and len(set(symbole)) == len(symbole)


def test_textkontrast_des_themas() -> None:
    sidebar = tomllib.loads((WURZEL / ".streamlit" / "config.toml").read_text("utf-8"))["theme"][
        "sidebar"
    ]
    hintergruende = [
        THEMA["backgroundColor"],
        THEMA["secondaryBackgroundColor"],
        sidebar["backgroundColor"],
        sidebar["secondaryBackgroundColor"],
    ]
    assert TEXTFARBE.upper() == THEMA["textColor"].upper()
    for vorne in (THEMA["textColor"], THEMA["primaryColor"], NEBENTEXT, GRAU):
        for hinten in hintergruende:
            assert _kontrast(vorne, hinten) >= 4.5, (vorne, hinten)


def test_schrift_auf_statusfarben() -> None:
    """Cell text (black or white, the better one) on each status colour ≥ 4.5:1."""
    for status in Status:
        farbe = STATUS_FARBEN[status]
        besser = max(_kontrast("#000000", farbe), _kontrast("#FFFFFF", farbe))
        assert besser >= 4.5, status

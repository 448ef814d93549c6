"""Translation files of the questionnaire (issue 17): complete, consistent, really translated.

The files in ``data/uebersetzungen`` are read as shipped; the list of needed texts comes from
``data/codebuch.csv`` and the page's own texts. A question changed in the codebook without its
translations makes :func:`test_jede_sprache_hat_jeden_text` fail.
"""

from __future__ import annotations

import csv
import re
import unicodedata

import pytest

from monitor import schema
from monitor import uebersetzung as ue

_PLATZHALTER = re.compile(r"\{[a-z_]+\}")


@pytest.mark.parametrize("code", list(ue.SPRACHEN))
def test_jede_sprache_hat_jeden_text(code: str) -> None:
    assert ue.sprache_datei_vorhanden(code), f"{code}.csv fehlt"
    assert ue.fehlende(code) == []


@pytest.mark.parametrize("code", list(ue.SPRACHEN))
def test_keine_veralteten_zeilen_und_gleiche_platzhalter(code: str) -> None:
    benoetigt = set(ue.benoetigte_texte())
    with ue.SPRACHEN[code].datei.open(encoding="utf-8", newline="") as datei:
        zeilen = list(csv.DictReader(datei))
    veraltet = [z["deutsch"] for z in zeilen if z["deutsch"] not in benoetigt]
    assert veraltet == []
    assert len({z["deutsch"] for z in zeilen}) == len(zeilen)  # one row per text
    for zeile in zeilen:
        assert sorted(_PLATZHALTER.findall(zeile["text"])) == sorted(
            _PLATZHALTER.findall(zeile["deutsch"])
        ), zeile


def test_jeder_codebuchtext_der_teilnehmenden_wird_verlangt() -> None:
    texte = set(ue.codebuchtexte())
    for feld in schema.codebuch():
        if feld.name in ("standort", "welle", "datum", "vergleichsgruppe"):
            assert feld.frage not in texte  # set by the link or the import, never shown
            continue
        assert feld.frage in texte
        assert set(feld.labels) <= texte
    assert "Trifft voll und ganz zu" in texte and "Standort" not in texte


def _schrift(text: str) -> set[str]:
    return {unicodedata.name(z, "").split()[0] for z in text if z.isalpha()}


@pytest.mark.parametrize(
    ("code", "schrift"),
    [("ar", "ARABIC"), ("fa", "ARABIC"), ("uk", "CYRILLIC"), ("ru", "CYRILLIC")],
)
def test_uebersetzungen_sind_in_der_richtigen_schrift(code: str, schrift: str) -> None:
    for deutsch, text in ue.uebersetzungen(code).items():
        if deutsch in (ue.T_CODE_ERKLAERUNG,):  # the example code stays in Latin letters
            continue
        assert schrift in _schrift(text), (deutsch, text)


@pytest.mark.parametrize("code", ["en", "tr", "ar", "uk", "ru", "fa", "leicht"])
def test_fragen_sind_wirklich_uebersetzt(code: str) -> None:
    fragen = [f.frage for f in schema.codebuch() if f.frage in ue.codebuchtexte()]
    # already plain German: may stay as they are in Leichte Sprache
    schon_einfach = {"Geschlecht", "Wie alt sind Sie?"} if code == "leicht" else set()
    gleich = [f for f in fragen if ue.uebersetze(code, f) == f and f not in schon_einfach]
    assert gleich == []


def test_sprachen_richtung_und_entwurf() -> None:
    assert {c for c, s in ue.SPRACHEN.items() if s.rtl} == {"ar", "fa"}
    assert {c for c, s in ue.SPRACHEN.items() if not s.entwurf} == {"de", "leicht", "en"}
    assert len(ue.SPRACHEN) == 8


def test_fehlender_text_faellt_zurueck_auf_deutsch() -> None:
    assert ue.uebersetze("en", "Kein Text des Fragebogens") == "Kein Text des Fragebogens"
    assert ue.uebersetze("en", ue.T_SCHRITT, nummer=2, gesamt=9) == "Step 2 of 9"
    assert ue.uebersetze("xx", ue.T_WEITER) == "Weiter"

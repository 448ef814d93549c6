"""The indicator registry is complete, consistent with the codebook and SPEC §4, and tested.

An indicator added to the registry without a hand-worked value in test_katalog_werte.py fails
here, so no indicator reaches the dashboard unchecked.
"""

from __future__ import annotations

import re

import pytest
from test_katalog_werte import ERWARTET

from indikatoren.definitionen import (
    Berechnung,
    Indikator,
    Messgroesse,
    Quelle,
    Richtung,
    Ziel,
)
from indikatoren.katalog import INDIKATOREN, MESSGROESSEN, MESSGROESSEN_NACH_NAME, REGISTER
from monitor import schema

#: SPEC §4 minimum catalogue plus B6 (KONVENTIONEN: Reichweite öffentlicher Aktivitäten).
SPEC_IDS = (
    {f"A{i}" for i in range(1, 10)}
    | {f"B{i}" for i in range(1, 7)}
    | {f"C{i}" for i in range(1, 7)}
)
#: Goal, Wirkungstreppe step(s) and unit per SPEC §4 / KONVENTIONEN (A2 is "2–3").
SPEC_ZIEL_STUFE: dict[str, tuple[str, set[int]]] = {
    "A1": ("a", {2}), "A2": ("a", {2, 3}), "A3": ("a", {3}), "A4": ("a", {5}),
    "A5": ("a", {5}), "A6": ("a", {4}), "A7": ("a", {4}), "A8": ("a", {4}), "A9": ("a", {4}),
    "B1": ("b", {4}), "B2": ("b", {4}), "B3": ("b", {5}), "B4": ("b", {5}), "B5": ("b", {5}),
    "B6": ("b", {5}), "C1": ("c", {4}), "C2": ("c", {5}), "C3": ("c", {5}), "C4": ("c", {4}),
    "C5": ("c", {4}), "C6": ("c", {5}),
}  # fmt: skip
PROZENT = {"A2", "A3", "A4", "A9", "B4", "B5"}
PUNKTE = {"A5", "A6", "A8", "B1", "B2", "C4", "C5"}
BEFRAGUNGSARTEN = {
    Berechnung.ANTEIL,
    Berechnung.VORHER_NACHHER,
    Berechnung.VORHER_NACHHER_JA_NEIN,
}
CODEBUCH = {f.name: f for f in schema.codebuch()}
AKTIVITAET_SPALTEN = {f.name: f for f in schema.felder(schema.Art.AKTIVITAETEN)}
_DEUTSCH = re.compile(r"\b(der|die|das|und|mit|von|den|des|ein|eine|wird|werden|je)\b")


def test_ids_eindeutig_und_wie_spec() -> None:
    ids = [i.id for i in INDIKATOREN]
    assert len(ids) == len(set(ids))
    assert set(REGISTER) == set(ids)
    assert set(ids) >= SPEC_IDS
    assert list(REGISTER) == ids  # catalogue order is the registry order


def test_register_gleich_schema_indikator_ids() -> None:
    """Zielwerte files are checked against schema.INDIKATOR_IDS — it must name the same set."""
    assert tuple(REGISTER) == schema.INDIKATOR_IDS


def test_jedes_indikator_hat_handgerechneten_testwert() -> None:
    fehlend = set(REGISTER) - set(ERWARTET)
    assert not fehlend, f"Ohne handgerechneten Testwert: {sorted(fehlend)}"
    assert set(ERWARTET) <= set(REGISTER)


@pytest.mark.parametrize("ind", INDIKATOREN, ids=lambda i: i.id)
def test_felder_vollstaendig(ind: Indikator) -> None:
    assert re.fullmatch(r"[ABC][1-9]", ind.id)
    assert isinstance(ind.ziel, Ziel)
    assert ind.ziel.value == ind.id[0].lower()
    assert ind.name.strip()
    assert len(ind.beschreibung) >= 60
    assert _DEUTSCH.search(ind.beschreibung), "Beschreibung nicht erkennbar deutsch"
    assert 1 <= ind.stufe <= 7
    assert ind.einheit.strip()
    assert isinstance(ind.richtung, Richtung)
    assert isinstance(ind.quelle, Quelle)
    assert isinstance(ind.berechnung, Berechnung)
    ziel, stufen = SPEC_ZIEL_STUFE[ind.id]
    assert ind.ziel.value == ziel
    assert ind.stufe in stufen


@pytest.mark.parametrize("ind", INDIKATOREN, ids=lambda i: i.id)
def test_datenquelle_passt(ind: Indikator) -> None:
    if ind.berechnung in BEFRAGUNGSARTEN:
        assert ind.quelle is Quelle.BEFRAGUNG
        assert ind.messgroesse in MESSGROESSEN_NACH_NAME
    elif ind.berechnung is Berechnung.PERSONEN:
        assert ind.quelle is Quelle.BEFRAGUNG
        assert ind.welle == "T0"  # A1: distinct codes with a T0 questionnaire
    else:
        assert ind.quelle is Quelle.AKTIVITAETEN
        for spalte in (ind.messgroesse, ind.nenner_spalte):
            if spalte:
                assert spalte in AKTIVITAET_SPALTEN
    if ind.berechnung is Berechnung.ANTEIL:
        assert ind.welle == "T1"
        assert "{x}" in ind.bedingung
    if ind.berechnung is Berechnung.VORHER_NACHHER_JA_NEIN:
        items = MESSGROESSEN_NACH_NAME[ind.messgroesse].items
        assert all(CODEBUCH[i].typ is schema.Typ.JA_NEIN for i in items)


@pytest.mark.parametrize("ind", INDIKATOREN, ids=lambda i: i.id)
def test_einheiten_wie_konventionen(ind: Indikator) -> None:
    if ind.id in PROZENT:
        assert ind.einheit == "%"
    if ind.id in PUNKTE:
        assert "Punkte" in ind.einheit
    if ind.id == "A7":
        assert "0–100" in ind.einheit
    if ind.id in {"C2", "C3"}:
        assert ind.einheit == "Prozentpunkte"
    if ind.id == "C6":
        assert "100" in ind.einheit


@pytest.mark.parametrize("messgroesse", MESSGROESSEN, ids=lambda m: m.name)
def test_items_der_messgroessen_im_codebuch(messgroesse: Messgroesse) -> None:
    assert messgroesse.items
    for item in messgroesse.items:
        assert item in CODEBUCH, f"{messgroesse.name}: {item} fehlt im Codebuch"
    # a multi-item scale uses one codebook scale and nothing else
    if len(messgroesse.items) > 1:
        skalen = {CODEBUCH[i].skala for i in messgroesse.items}
        assert len(skalen) == 1 and "" not in skalen, skalen
        alle = {f.name for f in CODEBUCH.values() if f.skala in skalen}
        assert alle == set(messgroesse.items)


def test_messgroessen_namen_eindeutig() -> None:
    namen = [m.name for m in MESSGROESSEN]
    assert len(namen) == len(set(namen))
    # every Messgroesse is used by some indicator (no dead declarations)
    benutzt = {i.messgroesse for i in INDIKATOREN if i.berechnung in BEFRAGUNGSARTEN}
    assert benutzt == set(namen)

"""Templates: XLSX with dropdowns, instructions and codebook; CSV header; round trip to import."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from monitor import schema
from monitor.einlesen import lies_bytes
from monitor.pruefung import pruefe
from monitor.schema import Art
from monitor.vorlagen import DATEINAMEN, schreibe_vorlagen, textzelle, vorlage_bytes


@pytest.fixture(scope="module")
def vorlagen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    ordner = tmp_path_factory.mktemp("vorlagen") / "unter"
    return {pfad.name: pfad for pfad in schreibe_vorlagen(ordner)}


def test_alle_vorlagen_geschrieben(vorlagen: dict[str, Path]) -> None:
    erwartet = {f"{DATEINAMEN[art]}.{endung}" for art in Art for endung in ("xlsx", "csv")}
    assert set(vorlagen) == erwartet


@pytest.mark.parametrize("art", list(Art))
def test_xlsx_kopf_auswahllisten_und_blaetter(vorlagen: dict[str, Path], art: Art) -> None:
    mappe = openpyxl.load_workbook(vorlagen[f"{DATEINAMEN[art]}.xlsx"])
    assert mappe.sheetnames[:3] == ["Daten", "Anleitung", "Codebuch"]
    daten = mappe["Daten"]
    felder = schema.felder(art)
    kopf = [zelle.value for zelle in daten[1]]
    assert kopf == [f.name for f in felder]

    listen = mappe["Listen"]
    assert listen.sheet_state == "hidden"
    auswahl = {}
    for pruefung in daten.data_validations.dataValidation:
        if pruefung.type != "list":
            continue
        spalte = str(pruefung.sqref).split(":")[0].rstrip("0123456789")
        bereich = pruefung.formula1.split("!")[1].replace("$", "")
        werte = [zelle.value for reihe in listen[bereich] for zelle in reihe]
        auswahl[daten[f"{spalte}1"].value] = tuple(werte)
    assert auswahl == {f.name: f.werte for f in felder if f.werte}
    assert auswahl  # every kind has at least one dropdown


def test_befragung_dropdowns_und_zahlenpruefung(vorlagen: dict[str, Path]) -> None:
    daten = openpyxl.load_workbook(vorlagen["vorlage_befragung.xlsx"])["Daten"]
    pruefungen = daten.data_validations.dataValidation
    ganzzahl = [p for p in pruefungen if p.type == "whole"]
    grenzen = {(p.formula1, p.formula2) for p in ganzzahl}
    assert ("0", "100") in grenzen  # a_thermometer
    assert ("0", "99") in grenzen  # a_neue_kontakte
    likert = [f for f in schema.codebuch() if f.skala and f.typ is schema.Typ.GANZZAHL]
    assert likert and all(f.werte == ("1", "2", "3", "4", "5") for f in likert)  # as dropdown
    assert all(p.showErrorMessage for p in pruefungen)


def test_anleitung_und_codebuch(vorlagen: dict[str, Path]) -> None:
    mappe = openpyxl.load_workbook(vorlagen["vorlage_befragung.xlsx"])
    anleitung = "\n".join(str(z.value) for z in mappe["Anleitung"]["A"] if z.value)
    assert "Eine Zeile = ein ausgefüllter Fragebogen" in anleitung
    assert "TT.MM.JJJJ" in anleitung and "Komma" in anleitung
    assert "KEINE personenbezogenen Daten" in anleitung
    assert "migrationshintergrund (bei Welle T0)" in anleitung
    codebuch = list(mappe["Codebuch"].values)
    assert codebuch[0] == (
        "Variable",
        "Frage / Bedeutung",
        "Erlaubte Werte",
        "Pflicht",
        "Wellen",
        "Format",
    )
    zeilen = {zeile[0]: zeile for zeile in codebuch[1:]}
    assert set(zeilen) == {f.name for f in schema.codebuch()}
    assert zeilen["zufriedenheit"][3:5] == ("nein", "T1")
    assert zeilen["migrationshintergrund"][3] == "bei T0"
    assert "1 = Sehr unzufrieden" in zeilen["zufriedenheit"][2]


@pytest.mark.parametrize("art", list(Art))
def test_csv_kopf_passt(vorlagen: dict[str, Path], art: Art) -> None:
    inhalt = vorlagen[f"{DATEINAMEN[art]}.csv"].read_bytes()
    assert inhalt.startswith(b"\xef\xbb\xbf")
    assert inhalt.decode("utf-8-sig").strip().split(";") == [f.name for f in schema.felder(art)]
    assert inhalt == vorlage_bytes(art, "csv")


def test_ausgefuellte_vorlagen_lassen_sich_pruefen() -> None:
    kopf = vorlage_bytes(Art.STANDORTE, "csv")
    zeile = "KOELN;Haus;Köln;Nordrhein-Westfalen;50,9;6,9;01.02.2025\r\n".encode()
    ergebnis = pruefe(lies_bytes(kopf + zeile, "s.csv"))
    assert ergebnis.ok and ergebnis.art is Art.STANDORTE

    mappe = openpyxl.load_workbook(io.BytesIO(vorlage_bytes(Art.ZIELWERTE)))
    mappe["Daten"].append(["A1", None, None, 100, "31.12.2026"])
    puffer = io.BytesIO()
    mappe.save(puffer)
    ergebnis = pruefe(lies_bytes(puffer.getvalue(), "z.xlsx"))
    assert ergebnis.ok, ergebnis.bericht()
    assert ergebnis.art is Art.ZIELWERTE


def test_freitext_wird_nie_zur_formel() -> None:
    mappe = openpyxl.Workbook()
    textzelle(mappe.active, 1, 1, '=HYPERLINK("http://x","klick")')
    textzelle(mappe.active, 2, 1, "normal")
    puffer = io.BytesIO()
    mappe.save(puffer)
    geladen = openpyxl.load_workbook(io.BytesIO(puffer.getvalue())).active
    assert geladen["A1"].data_type == "s"
    assert geladen["A1"].value == '=HYPERLINK("http://x","klick")'
    assert geladen["A2"].value == "normal"

"""Inventory counts for the overview, including small-cell suppression, on real imported files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from monitor import bestand
from monitor.db import Datenbank, verbinden
from monitor.importieren import importiere

STANDORTE = (
    "standort,name,ort,bundesland,start\n"
    "ALPHA,Treff Alpha,Kassel,Hessen,2026-01-15\n"
    "BETA,Treff Beta,Jena,Thüringen,2026-02-01\n"
)
AKTIVITAETEN = (
    "aktivitaet_id;standort;datum;titel;typ;format;teilnehmende_gesamt\n"
    "a1;ALPHA;03.02.2026;Erzählcafé;begegnung;digital;12\n"
    "a2;ALPHA;10.02.2026;Workshop Moderation;workshop;digital;8\n"
    "a3;ALPHA;17.02.2026;Stadtspaziergang;begegnung;hybrid;15\n"
)


def _befragung() -> str:
    """12 persons at ALPHA: T0 all (8 with, 3 without MH, 1 no answer), T1 7, T2 2."""
    herkunft = ["ja"] * 8 + ["nein"] * 3 + ["keine_angabe"]
    formate = ["digital"] * 6 + ["hybrid"] * 4 + ["praesenz"] + [""]
    zeilen = ["code,standort,welle,datum,format,migrationshintergrund"]
    for i in range(12):
        zeilen.append(f"pers{i:02d},ALPHA,T0,2026-02-01,{formate[i]},{herkunft[i]}")
    for i in range(7):
        zeilen.append(f"pers{i:02d},ALPHA,T1,2026-04-01,{formate[i]},")
    for i in range(2):
        zeilen.append(f"pers{i:02d},ALPHA,T2,2026-08-01,{formate[i]},")
    return "\n".join(zeilen) + "\n"


@pytest.fixture
def db(tmp_path: Path) -> Datenbank:
    dateien = {
        "standorte.csv": STANDORTE,
        "befragung.csv": _befragung(),
        "aktivitaeten.csv": AKTIVITAETEN,
    }
    datenbank = verbinden(tmp_path / "monitor.duckdb")
    for name, inhalt in dateien.items():
        (tmp_path / name).write_text(inhalt, encoding="utf-8")
        importiere(datenbank, tmp_path / name)
    return datenbank


def _zeile(tabelle: pd.DataFrame, standort: str) -> dict[str, object]:
    return tabelle.set_index("Standort-ID").loc[standort].to_dict()


def test_fragebogen_je_standort_unterdrueckt_kleine_und_rueckrechenbare_zellen(
    db: Datenbank,
) -> None:
    tabelle = bestand.fragebogen_je_standort(db, min_personen=5)
    alpha = _zeile(tabelle, "ALPHA")
    assert alpha["Standort"] == "Treff Alpha"
    assert alpha["T0"] == 12 and alpha["Gesamt"] == 21
    assert pd.isna(alpha["T2"])  # 2 persons: primary suppression
    assert pd.isna(alpha["T1"])  # 7 = 21 - 12 - 2 would give T2 away: secondary suppression
    beta = _zeile(tabelle, "BETA")
    assert (beta["T0"], beta["T1"], beta["T2"], beta["Gesamt"]) == (0, 0, 0, 0)

    offen = bestand.fragebogen_je_standort(db, min_personen=1)
    assert _zeile(offen, "ALPHA") | {"Standort": None} == {
        "Standort": None, "T0": 12, "T1": 7, "T2": 2, "Gesamt": 21
    }  # fmt: skip


def test_lange_form_fuer_das_diagramm(db: Datenbank) -> None:
    lang = bestand.fragebogen_je_standort_lang(bestand.fragebogen_je_standort(db, min_personen=1))
    assert list(lang.columns) == ["Standort-ID", "Standort", "Welle", "Fragebögen"]
    assert lang["Fragebögen"].sum() == 21
    assert len(lang) == 6  # 2 sites × 3 waves


def test_teilnehmende_nach_migrationsgeschichte(db: Datenbank) -> None:
    alpha = _zeile(bestand.teilnehmende_je_standort(db, min_personen=5), "ALPHA")
    assert alpha["mit Migrationsgeschichte"] == 8
    assert pd.isna(alpha["ohne Migrationsgeschichte"])
    assert pd.isna(alpha["keine Angabe"])
    assert alpha["Gesamt"] == 12

    offen = _zeile(bestand.teilnehmende_je_standort(db, min_personen=1), "ALPHA")
    assert (offen["ohne Migrationsgeschichte"], offen["keine Angabe"]) == (3, 1)


def test_fragebogen_je_format(db: Datenbank) -> None:
    tabelle = bestand.fragebogen_je_format(db, min_personen=5).set_index("Format")["Fragebögen"]
    # digital: 6 + 6 + 2 = 14, hybrid: 4 + 1 = 5, Präsenz: 1, ohne Angabe: 1
    assert tabelle["Digital"] == 14
    assert tabelle["Hybrid"] == 5
    assert pd.isna(tabelle["Präsenz"]) and pd.isna(tabelle["ohne Angabe"])
    assert tabelle["Gesamt"] == 21


def test_aktivitaeten_werden_nicht_unterdrueckt(db: Datenbank) -> None:
    tabelle = bestand.aktivitaeten_je_standort(db)
    assert _zeile(tabelle, "ALPHA") | {"Standort": None} == {
        "Standort": None, "Digital": 2, "Hybrid": 1, "Präsenz": 0, "Gesamt": 3
    }  # fmt: skip
    assert _zeile(tabelle, "BETA")["Gesamt"] == 0


def test_letzter_import_je_standort(db: Datenbank) -> None:
    tabelle = bestand.letzte_importe(db)
    alpha, beta = _zeile(tabelle, "ALPHA"), _zeile(tabelle, "BETA")
    assert (alpha["Datei"], alpha["Art"], alpha["Importe"]) == (
        "aktivitaeten.csv",
        "Aktivitäten",
        3,
    )
    assert (beta["Datei"], beta["Art"], beta["Importe"]) == ("standorte.csv", "Standorte", 1)
    assert alpha["Letzter Import"] >= beta["Letzter Import"]
    assert not alpha["Demo"]


def test_kennzahlen_und_leere_datenbank(db: Datenbank, tmp_path: Path) -> None:
    kennzahlen = bestand.kennzahlen(db, min_personen=5)
    assert (kennzahlen.standorte, kennzahlen.teilnehmende, kennzahlen.fragebogen) == (2, 12, 21)
    assert (kennzahlen.aktivitaeten, kennzahlen.importe) == (3, 3)
    assert not kennzahlen.demo and not kennzahlen.leer
    assert not bestand.ist_leer(db)

    with verbinden(tmp_path / "leer.duckdb") as leer:
        assert bestand.ist_leer(leer)
        gesamt = bestand.erheben(leer)
        assert gesamt.kennzahlen.leer and gesamt.kennzahlen.standorte == 0
        assert gesamt.fragebogen_je_standort.empty
        assert list(gesamt.fragebogen_je_format["Fragebögen"]) == [0, 0, 0, 0, 0]


def test_direkt_eingefuegte_zeilen_gelten_nicht_als_leer(tmp_path: Path) -> None:
    with verbinden(tmp_path / "direkt.duckdb") as db:
        db.execute(
            "INSERT INTO standorte (standort, name, ort, bundesland, start) VALUES (?, ?, ?, ?, ?)",
            ["GAMMA", "Gamma", "Halle", "Sachsen-Anhalt", "2026-01-01"],
        )
        assert not bestand.ist_leer(db)
        assert bestand.kennzahlen(db).importe == 0

"""The inventory restricted to the sites a session may read (issue 7), on two real imported sites.

Hand counts: see :mod:`hilfen_zwei_standorte`. Every function must return only the allowed
site's rows with exactly its numbers, and a site that does not exist must yield nothing —
never all sites.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hilfen_zwei_standorte import zwei_standorte

from monitor import bestand
from monitor.benutzer import zugriff_fuer
from monitor.db import Datenbank, verbinden


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Datenbank]:
    """One database for the whole module: the tests only read."""
    ordner = tmp_path_factory.mktemp("zwei_standorte")
    datenbank = verbinden(ordner / "monitor.duckdb")
    zwei_standorte(datenbank, ordner)
    yield datenbank
    datenbank.close()


def _zeilen(tabelle: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Site ID → its row without the name (for comparing with hand counts)."""
    return {
        zeile.pop("Standort-ID"): {k: v for k, v in zeile.items() if k != "Standort"}
        for zeile in tabelle.to_dict("records")
    }


# Hand counts per site (see hilfen_zwei_standorte).
FRAGEBOGEN = {
    "KOELN": {"T0": 12, "T1": 8, "T2": 0, "Gesamt": 20},
    "BERLIN": {"T0": 10, "T1": 5, "T2": 0, "Gesamt": 15},
}
TEILNEHMENDE = {
    "KOELN": {
        # wechsel_x has its T0 in BERLIN: at KOELN it is a person of its own without a T0
        # (the questionnaire key is (standort, code, welle)), so "keine Angabe"
        "mit Migrationsgeschichte": 7,
        "ohne Migrationsgeschichte": 4,
        "keine Angabe": 2,
        "Gesamt": 13,
    },
    "BERLIN": {
        "mit Migrationsgeschichte": 6,
        "ohne Migrationsgeschichte": 4,
        "keine Angabe": 0,
        "Gesamt": 10,
    },
}
AKTIVITAETEN = {
    "KOELN": {"Digital": 1, "Hybrid": 1, "Präsenz": 1, "Gesamt": 3},
    "BERLIN": {"Digital": 1, "Hybrid": 0, "Präsenz": 0, "Gesamt": 1},
}
FORMATE = {  # questionnaires per format: Digital, Hybrid, Präsenz, ohne Angabe, Gesamt
    "KOELN": [14, 0, 6, 0, 20],
    "BERLIN": [0, 15, 0, 0, 15],
}
KENNZAHLEN = {  # standorte, teilnehmende, fragebogen, aktivitaeten, importe
    "KOELN": (1, 13, 20, 3, 4),
    "BERLIN": (1, 10, 15, 1, 3),
}
QUARTALE = {
    "KOELN": ["2025-Q1", "2025-Q2"],
    "BERLIN": ["2025-Q1", "2025-Q2", "2025-Q3"],
}
#: Import numbers that wrote rows of the site: standorte (1) and aktivitaeten (4) both sites.
IMPORTE = {"KOELN": {1, 3, 4, 5}, "BERLIN": {1, 2, 4}}


def _kennzahlen(zahlen: bestand.Kennzahlen) -> tuple[object, ...]:
    return (
        zahlen.standorte,
        zahlen.teilnehmende,
        zahlen.fragebogen,
        zahlen.aktivitaeten,
        zahlen.importe,
    )


@pytest.mark.parametrize("standort", ["KOELN", "BERLIN"])
def test_jede_funktion_liefert_nur_den_erlaubten_standort(db: Datenbank, standort: str) -> None:
    nur = [standort]
    assert _zeilen(bestand.fragebogen_je_standort(db, 1, standorte=nur)) == {
        standort: FRAGEBOGEN[standort]
    }
    assert _zeilen(bestand.teilnehmende_je_standort(db, 1, standorte=nur)) == {
        standort: TEILNEHMENDE[standort]
    }
    assert _zeilen(bestand.aktivitaeten_je_standort(db, standorte=nur)) == {
        standort: AKTIVITAETEN[standort]
    }
    formate = bestand.fragebogen_je_format(db, 1, standorte=nur)
    assert list(formate["Fragebögen"]) == FORMATE[standort]
    assert _kennzahlen(bestand.kennzahlen(db, 1, standorte=nur)) == KENNZAHLEN[standort]
    assert bestand.quartale(db, standorte=nur) == QUARTALE[standort]
    assert list(bestand.standortliste(db, standorte=nur)["standort"]) == [standort]
    letzte = bestand.letzte_importe(db, standorte=nur)
    assert list(letzte["Standort-ID"]) == [standort]
    assert int(letzte["Importe"].iloc[0]) == len(IMPORTE[standort])
    assert set(bestand.importprotokoll(db, standorte=nur)["Nr."]) == IMPORTE[standort]

    gesamt = bestand.erheben(db, 1, standorte=nur)
    assert _kennzahlen(gesamt.kennzahlen) == KENNZAHLEN[standort]
    for tabelle in (
        gesamt.fragebogen_je_standort,
        gesamt.teilnehmende_je_standort,
        gesamt.aktivitaeten_je_standort,
        gesamt.letzte_importe,
    ):
        assert list(tabelle["Standort-ID"]) == [standort]


def test_ohne_einschraenkung_alle_standorte_und_personen_nur_einmal(db: Datenbank) -> None:
    # wechsel_x answered at both sites: a code at two sites is two persons (13 + 10 = 23).
    assert _kennzahlen(bestand.kennzahlen(db, 1)) == (2, 23, 35, 4, 5)
    assert _zeilen(bestand.fragebogen_je_standort(db, 1)) == FRAGEBOGEN
    assert _zeilen(bestand.teilnehmende_je_standort(db, 1)) == TEILNEHMENDE
    assert bestand.quartale(db) == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert set(bestand.importprotokoll(db)["Nr."]) == {1, 2, 3, 4, 5}


def test_beide_standorte_gewaehlt_gleicht_ohne_einschraenkung(db: Datenbank) -> None:
    beide = ("KOELN", "BERLIN")  # a tuple, as in Zugriff.standorte
    alle, gewaehlt = bestand.erheben(db, 5), bestand.erheben(db, 5, standorte=beide)
    assert alle.kennzahlen == gewaehlt.kennzahlen
    for name in (
        "fragebogen_je_standort",
        "fragebogen_je_format",
        "teilnehmende_je_standort",
        "aktivitaeten_je_standort",
        "letzte_importe",
    ):
        pd.testing.assert_frame_equal(getattr(alle, name), getattr(gewaehlt, name))
    pd.testing.assert_frame_equal(
        bestand.importprotokoll(db), bestand.importprotokoll(db, standorte=beide)
    )
    pd.testing.assert_frame_equal(
        bestand.standortliste(db), bestand.standortliste(db, standorte=beide)
    )
    assert bestand.quartale(db) == bestand.quartale(db, standorte=beide)


def test_unterdrueckung_wie_bisher_innerhalb_des_standorts(db: Datenbank) -> None:
    koeln = _zeilen(bestand.teilnehmende_je_standort(db, 5, standorte=["KOELN"]))["KOELN"]
    assert koeln["mit Migrationsgeschichte"] == 7 and koeln["Gesamt"] == 13
    assert pd.isna(koeln["ohne Migrationsgeschichte"]) and pd.isna(koeln["keine Angabe"])
    berlin = bestand.kennzahlen(db, 11, standorte=["BERLIN"])
    assert (berlin.teilnehmende, berlin.fragebogen) == (None, 15)  # 10 < 11 is suppressed


def test_importprotokoll_zeigt_keine_zahlen_fremder_standorte(db: Datenbank) -> None:
    protokoll = bestand.importprotokoll(db, min_personen=1, standorte=["KOELN"]).set_index("Nr.")
    assert protokoll.loc[3, "Zeilen"] == 20 and protokoll.loc[3, "neu"] == 20  # KOELN only
    assert protokoll.loc[5, "Zeilen"] == 1  # Zielwerte of KOELN
    for gemischt in (1, 4):  # also wrote BERLIN rows: the per-file counts would reveal them
        assert protokoll.loc[gemischt, ["Zeilen", "neu", "aktualisiert"]].isna().all()
    alle = bestand.importprotokoll(db, min_personen=1).set_index("Nr.")
    assert (alle.loc[1, "Zeilen"], alle.loc[4, "Zeilen"]) == (2, 4)


@pytest.mark.parametrize(
    "standorte",
    [["GIBTSNICHT"], [], (), ["KOELN' OR TRUE --"], ["koeln"]],
    ids=["unbekannt", "leere-liste", "leeres-tupel", "sql-text", "kleingeschrieben"],
)
def test_unbekannter_standort_ergibt_nichts_statt_alles(
    db: Datenbank, standorte: list[str]
) -> None:
    gesamt = bestand.erheben(db, 1, standorte=standorte)
    assert _kennzahlen(gesamt.kennzahlen) == (0, 0, 0, 0, 0)
    assert not gesamt.kennzahlen.demo and gesamt.kennzahlen.leer
    for tabelle in (
        gesamt.fragebogen_je_standort,
        gesamt.teilnehmende_je_standort,
        gesamt.aktivitaeten_je_standort,
        gesamt.letzte_importe,
    ):
        assert tabelle.empty
    assert list(gesamt.fragebogen_je_format["Fragebögen"]) == [0, 0, 0, 0, 0]
    assert bestand.quartale(db, standorte=standorte) == []
    assert bestand.standortliste(db, standorte=standorte).empty
    assert bestand.importprotokoll(db, standorte=standorte).empty


def test_ein_einzelner_text_ist_ein_standort(db: Datenbank) -> None:
    # "KOELN" must not become the sites K, O, E, L, N (and then: nothing).
    zahlen = bestand.kennzahlen(db, 1, standorte="KOELN")  # type: ignore[arg-type]
    assert _kennzahlen(zahlen) == KENNZAHLEN["KOELN"]


def test_zugriff_einer_standortrolle_direkt_verwendbar(db: Datenbank) -> None:
    zugriff = zugriff_fuer("standort", "BERLIN")
    assert (
        _kennzahlen(bestand.kennzahlen(db, 1, standorte=zugriff.standorte))
        == (KENNZAHLEN["BERLIN"])
    )
    # A site role without a site reads nothing; an all-sites role reads everything.
    assert bestand.kennzahlen(db, 1, standorte=zugriff_fuer("standort").standorte).leer
    assert bestand.kennzahlen(db, 1, standorte=zugriff_fuer("evaluation").standorte).standorte == 2


def test_demo_kennzeichen_nur_fuer_die_eigenen_standorte(tmp_path: Path) -> None:
    with verbinden(tmp_path / "demo.duckdb") as db:
        zwei_standorte(db, tmp_path)
        db.execute("UPDATE aktivitaeten SET demo = true WHERE standort = ?", ["BERLIN"])
        assert bestand.kennzahlen(db).demo
        assert bestand.kennzahlen(db, standorte=["BERLIN"]).demo
        assert not bestand.kennzahlen(db, standorte=["KOELN"]).demo
        assert not bestand.hat_demo(db, standorte=["KOELN"])

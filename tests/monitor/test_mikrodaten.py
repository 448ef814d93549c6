"""Pseudonymised microdata export (issue 7): rights, sites, pseudonyms, files, audit, CLI.

Data: two real sites imported from CSV (:mod:`hilfen_zwei_standorte`): 35 questionnaires of 23
persons, KOELN 20, BERLIN 15; the code ``wechsel_x`` has T0 in BERLIN and T1 in KOELN: two persons
(the questionnaire key is standort, code, welle).
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hilfen_zugang import cli, protokoll_eintraege, sitzung
from hilfen_zwei_standorte import CODES, zwei_standorte

from monitor.audit import pruefe_protokoll
from monitor.benutzer import Recht, Zugriff, zugriff_fuer
from monitor.db import Datenbank, verbinden
from monitor.mikrodaten import (
    PSEUDONYM,
    MikrodatenFehler,
    mikrodaten,
    mikrodaten_bytes,
    schreibe_mikrodaten,
    spalten,
)
from monitor.schema import codebuch

#: A site-restricted access that has the right anyway (no role has this today).
NUR_KOELN = Zugriff(frozenset({Recht.MIKRODATEN}), ("KOELN",))


@pytest.fixture(scope="module")
def vorlage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The imported database, built once; each test works on its own copy of the file."""
    ordner = tmp_path_factory.mktemp("vorlage")
    with verbinden(ordner / "monitor.duckdb") as datenbank:
        zwei_standorte(datenbank, ordner)
    return ordner / "monitor.duckdb"


@pytest.fixture
def db(vorlage: Path, tmp_path: Path) -> Iterator[Datenbank]:
    kopie = tmp_path / "monitor.duckdb"
    shutil.copyfile(vorlage, kopie)
    datenbank = verbinden(kopie)
    yield datenbank
    datenbank.close()


def _ohne_komprimierung(inhalt: bytes) -> bytes:
    """All bytes of an XLSX file's parts (a zip), so a search sees the real cell text."""
    with zipfile.ZipFile(io.BytesIO(inhalt)) as mappe:
        return b"".join(mappe.read(name) for name in mappe.namelist())


def test_evaluation_bekommt_alle_zeilen_in_codebuchreihenfolge(db: Datenbank) -> None:
    tabelle = mikrodaten(db, zugriff_fuer("evaluation"))
    assert len(tabelle) == 35
    assert tabelle[PSEUDONYM].nunique() == 23  # wechsel_x at two sites: two persons
    erwartet = [PSEUDONYM if f.name == "code" else f.name for f in codebuch()]
    assert list(tabelle.columns) == spalten() == erwartet
    assert not {"code", "import_id", "demo"} & set(tabelle.columns)
    assert tabelle.groupby("standort").size().to_dict() == {"BERLIN": 15, "KOELN": 20}
    assert tabelle.groupby("welle").size().to_dict() == {"T0": 22, "T1": 13}
    # Values as in the codebook: MH carried over to T1 by the import within the same site only
    # (wechsel_x's T0 is in BERLIN, so its KOELN T1 stays empty), dates as dates.
    koeln_t1 = tabelle[(tabelle["standort"] == "KOELN") & (tabelle["welle"] == "T1")]
    mh = koeln_t1["migrationshintergrund"].astype(object).fillna("leer")
    assert mh.value_counts().to_dict() == {"ja": 7, "leer": 1}
    wechsel_t1 = tabelle[(tabelle["a_thermometer"] == 99) & (tabelle["welle"] == "T1")]
    assert wechsel_t1["standort"].tolist() == ["KOELN"]
    assert wechsel_t1["migrationshintergrund"].isna().all()
    assert set(tabelle["datum"]) == {
        date(2025, 2, 10),
        date(2025, 5, 12),
        date(2025, 3, 3),
        date(2025, 7, 1),
    }


@pytest.mark.parametrize("rolle", ["foerdergeber", "projektleitung", "standort"])
def test_rollen_ohne_recht_werden_abgewiesen(db: Datenbank, tmp_path: Path, rolle: str) -> None:
    standort = "KOELN" if rolle == "standort" else None
    with pytest.raises(MikrodatenFehler, match=r"Keine Berechtigung.*Mikrodaten"):
        mikrodaten(db, zugriff_fuer(rolle, standort))
    ziel = tmp_path / "verboten.csv"
    with pytest.raises(MikrodatenFehler, match="Keine Berechtigung"):
        schreibe_mikrodaten(db, sitzung(rolle, standort), ziel)
    assert not ziel.exists()
    assert protokoll_eintraege(db, "mikrodaten_export") == []


def test_standortbeschraenkter_zugriff_bekommt_nur_seinen_standort(db: Datenbank) -> None:
    tabelle = mikrodaten(db, NUR_KOELN)
    assert len(tabelle) == 20 and set(tabelle["standort"]) == {"KOELN"}
    assert tabelle[PSEUDONYM].nunique() == 13
    # Choosing another site never widens the access; choosing both gives only the own one.
    assert mikrodaten(db, NUR_KOELN, standorte=["BERLIN"]).empty
    assert len(mikrodaten(db, NUR_KOELN, standorte=["KOELN", "BERLIN"])) == 20
    assert mikrodaten(db, Zugriff(frozenset({Recht.MIKRODATEN}), ())).empty


def test_auswahl_nach_standort_und_zeitraum(db: Datenbank) -> None:
    evaluation = zugriff_fuer("evaluation")
    assert len(mikrodaten(db, evaluation, standorte=["berlin"])) == 15
    assert mikrodaten(db, evaluation, standorte=["GIBTSNICHT"]).empty
    ab_april = mikrodaten(db, evaluation, von=date(2025, 4, 1))
    assert len(ab_april) == 13 and set(ab_april["welle"]) == {"T1"}
    bis_maerz = mikrodaten(db, evaluation, bis=date(2025, 3, 3))  # inclusive
    assert len(bis_maerz) == 22 and set(bis_maerz["welle"]) == {"T0"}
    assert len(mikrodaten(db, evaluation, von=date(2025, 5, 12), bis=date(2025, 5, 12))) == 8


def test_nur_freigegebene_quartale_wenn_der_zugriff_es_verlangt(db: Datenbank) -> None:
    from monitor.freigabe import einreichen, freigeben

    for schritt in (einreichen, freigeben):
        schritt(db, sitzung("projektleitung"), "KOELN", "2025-Q1")
    freigegeben = Zugriff(frozenset({Recht.MIKRODATEN}), None, nur_freigegeben=True)
    tabelle = mikrodaten(db, freigegeben)
    assert len(tabelle) == 12
    assert set(tabelle["standort"]) == {"KOELN"} and set(tabelle["welle"]) == {"T0"}


def test_pseudonyme_verknuepfen_wellen_einer_person(db: Datenbank) -> None:
    tabelle = mikrodaten(db, zugriff_fuer("evaluation"))
    # Every person has a thermometer value of their own at every wave: one pseudonym per value
    # and one value per pseudonym means rows link up exactly as the codes do.
    assert (tabelle.groupby(PSEUDONYM)["a_thermometer"].nunique() == 1).all()
    einer = tabelle[tabelle["a_thermometer"] != 99]
    assert (einer.groupby("a_thermometer")[PSEUDONYM].nunique() == 1).all()
    wellen = tabelle.groupby(PSEUDONYM)["welle"].apply(lambda w: "+".join(sorted(w)))
    # KOELN 5 T0 + 7 T0+T1 + wechsel_x T1; BERLIN 5 T0 (with wechsel_x) + 5 T0+T1
    assert wellen.value_counts().to_dict() == {"T0": 10, "T0+T1": 12, "T1": 1}
    # the same code at two sites is two persons (key standort, code, welle): two pseudonyms
    wechsel = tabelle[tabelle["a_thermometer"] == 99]
    assert wechsel[PSEUDONYM].nunique() == 2
    assert sorted(zip(wechsel["welle"], wechsel["standort"], strict=True)) == [
        ("T0", "BERLIN"),
        ("T1", "KOELN"),
    ]
    assert tabelle[PSEUDONYM].str.fullmatch(r"[0-9a-f]{16}").all()


def test_pseudonyme_unterscheiden_sich_zwischen_exporten(db: Datenbank) -> None:
    erster = mikrodaten(db, zugriff_fuer("evaluation"))
    zweiter = mikrodaten(db, zugriff_fuer("evaluation"))
    assert not set(erster[PSEUDONYM]) & set(zweiter[PSEUDONYM])
    # The same person, found by their thermometer value, gets another pseudonym.
    paar = pd.merge(
        erster[erster["welle"] == "T0"],
        zweiter[zweiter["welle"] == "T0"],
        on="a_thermometer",
    )
    assert len(paar) == 22 and (paar[f"{PSEUDONYM}_x"] != paar[f"{PSEUDONYM}_y"]).all()


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_kein_originalcode_in_den_bytes(db: Datenbank, format_: str) -> None:
    inhalt, export = mikrodaten_bytes(db, sitzung("evaluation", name="eva"), format_)
    text = _ohne_komprimierung(inhalt) if format_ == "xlsx" else inhalt
    assert export.zeilen == 35 and export.personen == 23
    for code in CODES:
        assert code.encode("utf-8") not in text
        assert code.upper().encode("utf-8") not in text.upper()
    assert b"BERLIN" in text  # the search does look at the cell text
    for _, details, _ in protokoll_eintraege(db, "mikrodaten_export"):
        assert not any(code in details for code in CODES)


def test_csv_fuer_deutsches_excel(db: Datenbank, tmp_path: Path) -> None:
    ziel = tmp_path / "mikro.csv"
    export = schreibe_mikrodaten(db, sitzung("evaluation"), ziel, "csv", standorte=["KOELN"])
    inhalt = ziel.read_bytes()
    assert inhalt.startswith(b"\xef\xbb\xbf" + b"pseudonym;standort;welle;datum;")
    gelesen = pd.read_csv(ziel, sep=";", encoding="utf-8-sig", dtype=str)
    assert len(gelesen) == export.zeilen == 20
    assert list(gelesen.columns) == spalten()
    assert set(gelesen["standort"]) == {"KOELN"}
    assert set(gelesen["datum"]) == {"2025-02-10", "2025-05-12"}


def test_xlsx_mit_hinweisen_und_codebuch(db: Datenbank, tmp_path: Path) -> None:
    ziel = tmp_path / "mikro.xlsx"
    schreibe_mikrodaten(db, sitzung("evaluation"), ziel, "xlsx", standorte=["BERLIN"])
    mappe = openpyxl.load_workbook(ziel, read_only=True)
    assert mappe.sheetnames == ["Mikrodaten", "Hinweise", "Codebuch"]
    zeilen = list(mappe["Mikrodaten"].iter_rows(values_only=True))
    assert list(zeilen[0]) == spalten() and len(zeilen) == 1 + 15
    assert {z[1] for z in zeilen[1:]} == {"BERLIN"}
    hinweise = dict(mappe["Hinweise"].iter_rows(min_row=2, values_only=True))
    assert hinweise["Standorte"] == "BERLIN"
    assert hinweise["Fragebögen (Zeilen)"] == "15"
    assert "nicht mit anderen Exporten verknüpfen" in hinweise["Pseudonym"]
    codebuch_zeilen = list(mappe["Codebuch"].iter_rows(min_row=2, values_only=True))
    assert [z[0] for z in codebuch_zeilen] == spalten()


def test_export_wird_protokolliert(db: Datenbank, tmp_path: Path) -> None:
    schreibe_mikrodaten(db, sitzung("evaluation", name="eva"), tmp_path / "a.csv")
    schreibe_mikrodaten(
        db, sitzung("admin", name="chefin"), io.BytesIO(), "xlsx", standorte=["KOELN"]
    )
    eintraege = protokoll_eintraege(db, "mikrodaten_export")
    assert [wer for wer, _, _ in eintraege] == ["eva", "chefin"]
    erster, zweiter = (json.loads(details) for _, details, _ in eintraege)
    assert (erster["zeilen"], erster["standorte"], erster["format"]) == (35, "alle", "csv")
    assert erster["datei"] == str(tmp_path / "a.csv")
    assert (zweiter["zeilen"], zweiter["standorte"], zweiter["format"]) == (20, ["KOELN"], "xlsx")
    assert pruefe_protokoll(db) == []


def test_unbekanntes_format_wird_abgewiesen(db: Datenbank) -> None:
    with pytest.raises(MikrodatenFehler, match="Unbekanntes Exportformat 'json'"):
        schreibe_mikrodaten(db, sitzung("evaluation"), io.BytesIO(), "json")  # type: ignore[arg-type]
    assert protokoll_eintraege(db, "mikrodaten_export") == []


def test_kommandozeile_schreibt_datei(
    vorlage: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pfad = tmp_path / "cli.duckdb"
    shutil.copyfile(vorlage, pfad)

    def lauf(*args: str | Path) -> tuple[int, str, str]:
        return cli("mikrodaten", *args, db=pfad, monkeypatch=monkeypatch, capsys=capsys)

    status, aus, err = lauf(tmp_path / "alle.csv")
    assert status == 0, err
    assert "35 Fragebögen von 23 Personen" in aus
    assert len(pd.read_csv(tmp_path / "alle.csv", sep=";", encoding="utf-8-sig")) == 35
    status, _, err = lauf(tmp_path / "koeln.xlsx", "--standort", "koeln", "--von", "01.04.2025")
    assert status == 0, err
    zeilen = list(openpyxl.load_workbook(tmp_path / "koeln.xlsx")["Mikrodaten"].values)
    assert len(zeilen) == 1 + 8 and {z[1] for z in zeilen[1:]} == {"KOELN"}
    status, _, err = lauf(tmp_path / "x.csv", "--standort", "XX")
    assert status == 1 and "Unbekannte Standorte: XX" in err
    status, _, err = lauf(tmp_path / "x.json")
    assert status == 1 and ".csv oder .xlsx" in err
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.json").exists()
    with Datenbank(pfad, read_only=True) as datenbank:
        eintraege = protokoll_eintraege(datenbank, "mikrodaten_export")
    assert [wer for wer, _, _ in eintraege] == ["kommandozeile", "kommandozeile"]
    assert json.loads(eintraege[1][1])["standorte"] == ["KOELN"]

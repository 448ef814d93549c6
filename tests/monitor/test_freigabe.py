"""Approval per site and quarter: workflow, locked quarters in the import, approved-only views."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hilfen_zugang import (
    aktivitaeten_csv,
    befragung_csv,
    cli,
    grunddaten,
    inhalt,
    personen,
    protokoll_eintraege,
    schreibe,
    sitzung,
)

from indikatoren.engine import basis, berechne, nur_zellen
from indikatoren.filter import Filter
from monitor import freigabe as fg
from monitor.benutzer import zugriff_fuer
from monitor.db import Datenbank
from monitor.freigabe import FreigabeFehler, Status
from monitor.importieren import ImportAbgelehnt, importiere, importiere_stapel

BERT = sitzung("standort", "KOELN", "bert")
LEITUNG = sitzung("projektleitung", name="lea")


@pytest.fixture
def daten(db: Datenbank, tmp_path: Path) -> Datenbank:
    grunddaten(db, tmp_path)
    return db


def _sperren(db: Datenbank, standort: str, quartal: str) -> None:
    fg.einreichen(db, LEITUNG, standort, quartal)
    fg.freigeben(db, LEITUNG, standort, quartal)


def test_ablauf_mit_rechten_gruenden_und_protokoll(daten: Datenbank) -> None:
    assert fg.status(daten, "KOELN", "2025-Q1") is Status.ENTWURF
    assert fg.einreichen(daten, BERT, "koeln", " 2025-q1 ") is Status.EINGEREICHT
    with pytest.raises(FreigabeFehler, match="Ihre Rolle darf nicht „freigeben“"):
        fg.freigeben(daten, BERT, "KOELN", "2025-Q1")
    with pytest.raises(FreigabeFehler, match="gehört nicht zu Ihrem Zugang"):
        fg.einreichen(daten, BERT, "BERLIN", "2025-Q1")
    with pytest.raises(FreigabeFehler, match="Begründung"):
        fg.zurueckgeben(daten, LEITUNG, "KOELN", "2025-Q1", "  ")
    assert fg.zurueckgeben(daten, LEITUNG, "KOELN", "2025-Q1", "T1 fehlt") is Status.ZURUECKGEGEBEN
    assert fg.einreichen(daten, BERT, "KOELN", "2025-Q1") is Status.EINGEREICHT
    assert fg.freigeben(daten, LEITUNG, "KOELN", "2025-Q1") is Status.FREIGEGEBEN
    with pytest.raises(FreigabeFehler, match="ist „Freigegeben“"):
        fg.freigeben(daten, LEITUNG, "KOELN", "2025-Q1")
    with pytest.raises(FreigabeFehler, match="ist „Freigegeben“"):
        fg.einreichen(daten, BERT, "KOELN", "2025-Q1")
    with pytest.raises(FreigabeFehler, match="Begründung"):
        fg.wiedereroeffnen(daten, LEITUNG, "KOELN", "2025-Q1", "")
    with pytest.raises(FreigabeFehler, match="Ihre Rolle darf nicht"):
        fg.wiedereroeffnen(daten, BERT, "KOELN", "2025-Q1", "Tippfehler")
    assert fg.wiedereroeffnen(daten, LEITUNG, "KOELN", "2025-Q1", "Nachmeldung") is Status.ENTWURF
    for falsch, meldung in (("2025-Q5", "Ungültiges Quartal"), ("Q1/2025", "Ungültiges Quartal")):
        with pytest.raises(FreigabeFehler, match=meldung):
            fg.einreichen(daten, LEITUNG, "KOELN", falsch)
    with pytest.raises(FreigabeFehler, match="Unbekannter Standort"):
        fg.einreichen(daten, LEITUNG, "HAMBURG", "2025-Q1")

    schritte = [
        (wer, json.loads(d)["aktion"], json.loads(d)["von"], json.loads(d)["nach"], grund)
        for wer, d, grund in protokoll_eintraege(daten, "freigabe")
    ]
    assert schritte == [
        ("bert", "einreichen", "entwurf", "eingereicht", None),
        ("lea", "zurueckgeben", "eingereicht", "zurueckgegeben", "T1 fehlt"),
        ("bert", "einreichen", "zurueckgegeben", "eingereicht", None),
        ("lea", "freigeben", "eingereicht", "freigegeben", None),
        ("lea", "wiedereroeffnen", "freigegeben", "entwurf", "Nachmeldung"),
    ]


def test_import_in_freigegebenes_quartal_wird_abgelehnt_und_aendert_nichts(
    daten: Datenbank, tmp_path: Path
) -> None:
    _sperren(daten, "KOELN", "2025-Q1")
    vorher = inhalt(daten)
    neu = schreibe(
        tmp_path / "nachmeldung.csv", befragung_csv(personen("KOELN", 2, "T0", "2025-03-20", 40))
    )
    with pytest.raises(ImportAbgelehnt) as fehler:
        importiere(daten, neu, benutzer="bert")
    meldung = str(fehler.value)
    assert "Zeile 2, Spalte 'datum'" in meldung and "Zeile 3" in meldung
    assert "KOELN 2025-Q1 ist freigegeben und gesperrt" in meldung
    assert "wiedereröffnet" in meldung
    assert fehler.value.pruefergebnis.fehler_tabelle()["Zeile"].tolist() == [2, 3]
    assert inhalt(daten) == vorher
    assert protokoll_eintraege(daten, "import_abgelehnt")[-1][0] == "bert"

    # an activity dated in the locked quarter, and a stored row moved out of it
    for name, text in (
        ("akt.csv", aktivitaeten_csv([("a9", "KOELN", "2025-01-20", 5)])),
        ("verschoben.csv", aktivitaeten_csv([("a1", "KOELN", "2025-04-02", 10)])),
        ("geaendert.csv", aktivitaeten_csv([("a1", "KOELN", "2025-02-01", 11)])),
    ):
        with pytest.raises(ImportAbgelehnt, match="KOELN 2025-Q1 ist freigegeben"):
            importiere(daten, schreibe(tmp_path / name, text))
    # a batch is one transaction: the good file of the batch is not imported either
    gut = schreibe(tmp_path / "gut.csv", aktivitaeten_csv([("b9", "BERLIN", "2025-02-02", 4)]))
    with pytest.raises(ImportAbgelehnt):
        importiere_stapel(daten, [(gut, None), (neu, None)])
    assert inhalt(daten) == vorher

    # other sites and open quarters stay open
    assert importiere(daten, gut).neu == 1
    offen = aktivitaeten_csv([("a2", "KOELN", "2025-05-01", 13)])
    assert importiere(daten, schreibe(tmp_path / "offen.csv", offen)).aktualisiert == 1

    fg.wiedereroeffnen(daten, LEITUNG, "KOELN", "2025-Q1", "Nachmeldung aus Köln")
    assert importiere(daten, neu).neu == 2


def test_unveraenderte_zeilen_eines_gesperrten_quartals_duerfen_wieder_kommen(
    daten: Datenbank, tmp_path: Path
) -> None:
    """Sites upload their growing export every quarter; old, unchanged rows are no change."""
    _sperren(daten, "KOELN", "2025-Q1")
    _sperren(daten, "KOELN", "2025-Q2")
    alt = personen("KOELN", 12, "T0", "2025-02-10")
    alt_t1 = [(c, s, "T1", "2025-05-12", "") for c, s, *_ in personen("KOELN", 8, "T0", "")]
    neu = personen("KOELN", 3, "T2", "2025-08-10")
    datei = schreibe(tmp_path / "export_q3.csv", befragung_csv(alt + alt_t1 + neu))
    ergebnis = importiere(daten, datei)
    assert (ergebnis.neu, ergebnis.aktualisiert) == (3, 20)
    # the T1 rows keep the migration background taken from T0
    assert (
        daten.scalar(
            "SELECT count(*) FROM befragungen WHERE standort = 'KOELN' AND welle = 'T1' "
            "AND migrationshintergrund IS NULL"
        )
        == 0
    )


def test_uebernahme_des_migrationshintergrunds_in_gesperrte_folgefrageboegen(
    daten: Datenbank, tmp_path: Path
) -> None:
    _sperren(daten, "KOELN", "2025-Q2")  # the T1 questionnaires; T0 (2025-Q1) stays open
    vorher = inhalt(daten)
    korrektur = [("pkoeln0001", "KOELN", "T0", "2025-02-10", "nein")]  # was "ja"
    with pytest.raises(ImportAbgelehnt) as fehler:
        importiere(daten, schreibe(tmp_path / "mh.csv", befragung_csv(korrektur)))
    assert "Spalte 'migrationshintergrund'" in str(fehler.value)
    assert "KOELN 2025-Q2 ist freigegeben" in str(fehler.value)
    assert inhalt(daten) == vorher
    # code 0010 has no T1: its T0 can be corrected
    frei = [("pkoeln0010", "KOELN", "T0", "2025-02-10", "ja")]
    assert importiere(daten, schreibe(tmp_path / "frei.csv", befragung_csv(frei))).aktualisiert == 1


def test_freigegebene_sicht_und_engine_nur_auf_freigegebenen_zellen(daten: Datenbank) -> None:
    assert fg.freigegebene_quartale(daten) == frozenset()
    _sperren(daten, "KOELN", "2025-Q1")
    _sperren(daten, "BERLIN", "2025-Q2")
    assert fg.freigegebene_quartale(daten) == {("KOELN", "2025-Q1"), ("BERLIN", "2025-Q2")}
    assert fg.freigegebene_quartale(daten, ["KOELN"]) == {("KOELN", "2025-Q1")}
    assert fg.freigegebene_quartale(daten, ["x') OR TRUE --"]) == frozenset()
    assert fg.sichtbare_zellen(daten, zugriff_fuer("projektleitung")) is None
    foerder = fg.sichtbare_zellen(daten, zugriff_fuer("foerdergeber"))
    assert foerder == {("KOELN", "2025-Q1"), ("BERLIN", "2025-Q2")}

    ergebnis = berechne(daten, Filter(), zellen=foerder).indikatoren
    a1 = ergebnis[(ergebnis["indikator"] == "A1") & (ergebnis["gruppe"] == "gesamt")]
    werte = dict(zip(a1["standort"], a1["wert"], strict=True))
    assert (werte["gesamt"], werte["KOELN"]) == (12.0, 12.0)
    assert pd.isna(werte["BERLIN"])  # BERLIN's approved quarter holds T1 only: no A1 persons
    grundlage = basis(daten)
    freigegeben = nur_zellen(grundlage, foerder)
    for tabelle in (freigegeben.einzel, freigegeben.aktivitaeten, freigegeben.paare):
        assert set(zip(tabelle["standort"], tabelle["periode"], strict=True)) <= foerder
    assert len(freigegeben.aktivitaeten) == 2  # KOELN a1 (Q1) and BERLIN b2 (Q2)

    # without cells, or with every cell, nothing changes
    alle = frozenset((s, q) for s in ("KOELN", "BERLIN") for q in ("2025-Q1", "2025-Q2"))
    pd.testing.assert_frame_equal(
        berechne(daten).indikatoren, berechne(daten, zellen=alle).indikatoren
    )
    assert nur_zellen(grundlage, alle).einzel.equals(grundlage.einzel)
    assert nur_zellen(grundlage, frozenset()).einzel.empty


def test_freigabestand_fuer_die_seite(daten: Datenbank) -> None:
    fg.einreichen(daten, BERT, "KOELN", "2025-Q1")
    fg.einreichen(daten, LEITUNG, "BERLIN", "2026-Q1")  # a quarter without data yet
    stand = fg.freigabestand(daten)
    zeilen = {
        (z.standort, z.quartal): (z.status_label, z.befragungen, z.aktivitaeten)
        for z in stand.itertuples()
    }
    assert zeilen == {
        ("BERLIN", "2025-Q1"): ("Entwurf", 12, 1),
        ("BERLIN", "2025-Q2"): ("Entwurf", 8, 1),
        ("BERLIN", "2026-Q1"): ("Eingereicht", 0, 0),
        ("KOELN", "2025-Q1"): ("Eingereicht", 12, 1),
        ("KOELN", "2025-Q2"): ("Entwurf", 8, 1),
    }
    assert set(fg.freigabestand(daten, ["KOELN"])["standort"]) == {"KOELN"}
    assert fg.freigabestand(daten, ["' OR 1=1 --"]).empty


def test_cli_freigabe(
    daten: Datenbank, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pfad = daten.pfad
    daten.close()

    def lauf(*args: str) -> tuple[int, str, str]:
        return cli(*args, db=pfad, monkeypatch=monkeypatch, capsys=capsys)

    assert lauf("freigabe", "einreichen", "KOELN", "2025-Q1")[0] == 0
    status, aus, _ = lauf("freigabe", "freigeben", "koeln", "2025-q1")
    assert status == 0 and "KOELN 2025-Q1: Freigegeben." in aus
    status, _, err = lauf("freigabe", "wiedereroeffnen", "KOELN", "2025-Q1")
    assert status == 1 and "Begründung" in err
    status, aus, _ = lauf("freigabe", "liste", "--standort", "KOELN")
    assert status == 0 and "Freigegeben" in aus and "BERLIN" not in aus
    status, _, err = lauf("freigabe", "abnicken", "KOELN", "2025-Q1")
    assert status == 2 and "ungültige Auswahl" in err

"""Audit trail: append-only API, tamper-evident hash chain, and every writer leaves an entry."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pandas as pd
import pytest
from hilfen_zugang import (
    befragung_csv,
    cli,
    grunddaten,
    personen,
    protokoll_eintraege,
    schreibe,
)

from monitor import audit
from monitor.audit import ProtokollFehler, protokoll, protokolliere, pruefe_protokoll
from monitor.db import Datenbank, verbinden
from monitor.demo import entferne_demo, lade_demo
from monitor.importieren import ImportAbgelehnt, importiere
from monitor.zielwerte import speichere_zielwerte


def _eintraege(db: Datenbank) -> list[tuple]:
    return db.rows("SELECT * FROM auditprotokoll ORDER BY id")


def test_api_kann_vergangene_eintraege_nicht_aendern(db: Datenbank) -> None:
    """The module offers appending and reading only; appending never touches an older row."""
    oeffentlich = {
        name
        for name, wert in vars(audit).items()
        if inspect.isfunction(wert)
        and wert.__module__ == audit.__name__
        and not name.startswith("_")
    }
    # appending, reading, checking, and locating/reading the head file (never writing it)
    assert oeffentlich == {
        "protokolliere",
        "protokoll",
        "pruefe_protokoll",
        "kopfdatei",
        "lies_kopf",
    }
    quelltext = inspect.getsource(audit)
    for verboten in ("UPDATE ", "DELETE ", "DROP ", "TRUNCATE", "ON CONFLICT", "REPLACE"):
        assert verboten not in quelltext.upper().replace("REPLACE(TZINFO", "")

    erste = protokolliere(db, "anna", "export", {"art": "excel"}, "Quartalsbericht")
    vorher = _eintraege(db)
    zweite = protokolliere(db, "anna", "export", {"art": "excel"}, "Quartalsbericht")
    assert zweite > erste
    assert _eintraege(db)[: len(vorher)] == vorher  # the old entry is byte for byte the same
    with pytest.raises(ProtokollFehler):
        protokolliere(db, "anna", "irgendwas")
    assert pruefe_protokoll(db) == []


def test_eintrag_im_cursor_teilt_das_schicksal_der_transaktion(db: Datenbank) -> None:
    with pytest.raises(RuntimeError), db.transaction() as cur:
        protokolliere(cur, "anna", "import", {"dateien": ["x.csv"]})
        raise RuntimeError("Import scheitert nach dem Protokolleintrag")
    assert _eintraege(db) == []
    with db.transaction() as cur:
        protokolliere(cur, "anna", "import", {"dateien": ["x.csv"]})
    assert len(_eintraege(db)) == 1


@pytest.mark.parametrize(
    ("manipulation", "befund"),
    [
        ("UPDATE auditprotokoll SET wer = 'jemand' WHERE id = 2", "Nr. 2: Inhalt"),
        ("UPDATE auditprotokoll SET grund = NULL WHERE id = 1", "Nr. 1: Inhalt"),
        ("DELETE FROM auditprotokoll WHERE id = 2", "Nr. 3: Vorgänger"),
        (
            "INSERT INTO auditprotokoll SELECT 4, zeitpunkt, 'x', was, details, grund, "
            "vorgaenger, hash FROM auditprotokoll WHERE id = 1",
            "Nr. 4: Vorgänger",
        ),
    ],
)
def test_veraenderung_mit_sql_faellt_an_der_kette_auf(
    db: Datenbank, manipulation: str, befund: str
) -> None:
    for nummer in range(3):
        protokolliere(db, "anna", "export", {"nummer": nummer}, "Grund")
    assert pruefe_protokoll(db) == []
    db.execute(manipulation)  # DuckDB has no triggers: SQL can change rows, the chain tells
    befunde = pruefe_protokoll(db)
    assert any(befund in text for text in befunde), befunde


@pytest.mark.parametrize(
    ("manipulation", "rest"),
    [
        ("DELETE FROM auditprotokoll WHERE id >= 3", 2),  # the newest entries
        ("DELETE FROM auditprotokoll WHERE id = 4", 3),  # only the newest
        ("DELETE FROM auditprotokoll", 0),  # all of them
    ],
)
def test_abgeschnittenes_ende_faellt_an_der_kopfdatei_auf(
    db: Datenbank,
    manipulation: str,
    rest: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 14, 3: cutting off the newest entries leaves a valid chain; the head file, kept
    outside the table, still tells — also through ``protokoll --pruefen``."""
    for nummer in range(4):
        protokolliere(db, "anna", "export", {"nummer": nummer}, "Grund")
    assert pruefe_protokoll(db) == []
    assert audit.lies_kopf(db.pfad) == {
        "nummer": 4,
        "hash": db.scalar("SELECT hash FROM auditprotokoll WHERE id = 4"),
        "anzahl": 4,
    }
    db.execute(manipulation)
    assert db.scalar("SELECT count(*) FROM auditprotokoll") == rest
    befunde = pruefe_protokoll(db)
    assert len(befunde) == 1 and "Die neuesten Einträge fehlen" in befunde[0], befunde
    assert f"die Tabelle hat {rest} Einträge" in befunde[0]
    code, _, fehler = cli(
        "protokoll", "--pruefen", db=db.pfad, monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 1 and "Die neuesten Einträge fehlen" in fehler


def test_kopfdatei_nur_nach_dem_commit_und_ihr_fehlen_wird_gemeldet(db: Datenbank) -> None:
    protokolliere(db, "anna", "export", {"nummer": 1})
    kopf = audit.lies_kopf(db.pfad)
    with pytest.raises(RuntimeError), db.transaction() as cur:
        protokolliere(cur, "anna", "export", {"nummer": 2})
        raise RuntimeError("zurückgerollt")
    assert audit.lies_kopf(db.pfad) == kopf  # a rolled-back entry never moves the head
    assert pruefe_protokoll(db) == []
    audit.kopfdatei(db.pfad).unlink()
    assert "Kopfdatei" in pruefe_protokoll(db)[0] and "fehlt" in pruefe_protokoll(db)[0]
    audit.kopfdatei(db.pfad).write_text("kaputt", encoding="utf-8")
    assert "beschädigt" in pruefe_protokoll(db)[0]


def test_import_und_abgelehnter_import_werden_protokolliert(db: Datenbank, tmp_path: Path) -> None:
    grunddaten(db, tmp_path)
    importe = protokoll_eintraege(db, "import")
    assert [wer for wer, *_ in importe] == ["system"] * 3
    details = json.loads(importe[1][1])
    assert details["dateien"][0]["datei"] == "befragung.csv"
    assert details["dateien"][0]["zeilen"] == 40 and len(details["dateien"][0]["sha256"]) == 64
    assert "p" + "koeln0001" not in importe[1][1]  # no participant code in the audit trail

    schlecht = schreibe(
        tmp_path / "schlecht.csv", befragung_csv([("abcd", "KOELN", "T9", "2025-01-01", "ja")])
    )
    with pytest.raises(ImportAbgelehnt):
        importiere(db, schlecht, benutzer="bert")
    wer, text, _ = protokoll_eintraege(db, "import_abgelehnt")[0]
    assert wer == "bert"
    assert json.loads(text) == {
        "dateien": ["schlecht.csv"],
        "fehler": 1,
        "fehlerart": "ImportAbgelehnt",
    }
    assert "T9" not in text


def test_demo_und_zielwerte_werden_protokolliert(db: Datenbank) -> None:
    lade_demo(db, teilnehmende=60, benutzer="anna")
    assert protokoll_eintraege(db, "demo_geladen")[0][0] == "anna"
    speichere_zielwerte(
        db,
        "gesamt",
        pd.DataFrame(
            [{"indikator": "A1", "basiswert": None, "zielwert": "500", "stichtag": "31.12.2026"}]
        ),
        benutzer="anna",
        grund="Antrag vom März",
    )
    wer, text, grund = protokoll_eintraege(db, "zielwerte_geaendert")[-1]
    assert (wer, grund) == ("anna", "Antrag vom März")
    assert json.loads(text)["standort"] == "gesamt"
    assert entferne_demo(db, benutzer="anna") > 0
    wer, text, _ = protokoll_eintraege(db, "demo_entfernt")[0]
    assert wer == "anna" and json.loads(text)["zeilen"] > 0
    assert pruefe_protokoll(db) == []


def test_cli_export_und_demo_entfernen_werden_protokolliert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pfad = tmp_path / "export.duckdb"
    with verbinden(pfad) as db:
        lade_demo(db, teilnehmende=60)

    def lauf(*args: str | Path, db: Path = pfad) -> tuple[int, str, str]:
        return cli(*args, db=db, monkeypatch=monkeypatch, capsys=capsys)

    status, _, err = lauf(
        "export", tmp_path / "b.xlsx", "--standort", "D_BERLIN", "--csv", tmp_path / "i.csv"
    )
    assert status == 0, err
    assert lauf("demo", "--entfernen")[0] == 0
    status, aus, _ = lauf("protokoll", "--aktion", "export")
    assert status == 0 and "kommandozeile" in aus and "Export" in aus
    with Datenbank(pfad, read_only=True) as db:
        exporte = protokoll_eintraege(db, "export")
        assert [json.loads(d)["art"] for _, d, _ in exporte] == ["excel", "csv"]
        assert json.loads(exporte[0][1])["standorte"] == ["D_BERLIN"]
        assert protokoll_eintraege(db, "demo_entfernt")[0][0] == "kommandozeile"
    status, aus, _ = lauf("protokoll", "--pruefen")
    assert status == 0 and "unverändert" in aus
    with Datenbank(pfad) as db:
        db.execute("UPDATE auditprotokoll SET wer = 'niemand' WHERE was = 'export'")
    status, _, err = lauf("protokoll", "--pruefen")
    assert status == 1 and "nachträglich verändert" in err
    status, _, err = lauf("export", tmp_path / "b.xlsx", db=tmp_path / "fehlt.duckdb")
    assert status == 1 and "gibt es nicht" in err
    assert not (tmp_path / "fehlt.duckdb").exists()


def test_protokoll_lesen_mit_filtern(db: Datenbank, tmp_path: Path) -> None:
    grunddaten(db, tmp_path)
    protokolliere(db, "anna", "export", {"art": "excel"}, "Bericht für den Beirat")
    protokolliere(db, "bert", "export", {"art": "csv"})
    tabelle = protokoll(db)
    assert list(tabelle.columns) == ["Nr.", "Zeitpunkt", "Wer", "Aktion", "was", "Details", "Grund"]
    assert tabelle["Nr."].is_monotonic_decreasing and len(tabelle) == 5
    assert list(protokoll(db, wer="bert")["Wer"]) == ["bert"]
    assert set(protokoll(db, was="import")["Aktion"]) == {"Import"}
    assert list(protokoll(db, suche="BEIRAT")["Wer"]) == ["anna"]
    assert len(protokoll(db, anzahl=2)) == 2
    assert protokoll(db, wer="x' OR '1'='1").empty  # bound, not formatted
    zusatz = personen("KOELN", 1, "T0", "2025-01-01", 90)
    importiere(db, schreibe(tmp_path / "z.csv", befragung_csv(zusatz)), benutzer="bert")
    assert list(protokoll(db, wer="bert", was="import")["Wer"]) == ["bert"]

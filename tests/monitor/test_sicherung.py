"""Backups (EXPORT/IMPORT DATABASE), the import archive and the rebuild from it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from hilfen_zugang import (
    STANDORTE_CSV,
    befragung_csv,
    cli,
    grunddaten,
    inhalt,
    personen,
    schreibe,
    sitzung,
)

from monitor import benutzer as b
from monitor import freigabe as fg
from monitor.archiv import VERZEICHNIS, archivordner, verzeichnis
from monitor.audit import pruefe_protokoll
from monitor.db import Datenbank, verbinden
from monitor.importieren import ImportAbgelehnt, importiere, importiere_stapel
from monitor.sicherung import SicherungsFehler, neu_aufbauen, sichere, wiederherstellen
from monitor.zielwerte import speichere_zielwerte

ALLE = (
    "importe", "standorte", "befragungen", "aktivitaeten", "zielwerte", "benutzer", "freigaben",
    "anmeldeversuche", "zuordnungsprofile", "schema_migrationen",
)  # fmt: skip
DATEN = ("standorte", "befragungen", "aktivitaeten", "zielwerte")


@pytest.fixture(autouse=True)
def _schnelle_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(b.SCHNELLE_HASHES_VARIABLE, "1")


def _ziele(db: Datenbank, standort: str, zeilen: list[tuple[str, str, str]]) -> None:
    tabelle = pd.DataFrame(
        [{"indikator": i, "basiswert": None, "zielwert": z, "stichtag": s} for i, z, s in zeilen]
    )
    speichere_zielwerte(db, standort, tabelle, benutzer="lea")


@pytest.fixture
def betrieb(db: Datenbank, tmp_path: Path) -> Datenbank:
    """Data, targets edited twice (one removed), a user, an approval, failed logins."""
    grunddaten(db, tmp_path / "..")
    _ziele(db, "KOELN", [("A1", "30", "31.12.2026"), ("A3", "80,5", "31.12.2026")])
    _ziele(db, "KOELN", [("A1", "35", "30.06.2027")])
    b.lege_an(db, "lea", "projektleitung", "ein-langes-passwort")
    b.anmelden(db, "lea", "falsch-falsch-falsch")
    fg.einreichen(db, sitzung("projektleitung", name="lea"), "KOELN", "2025-Q1")
    return db


def _daten_ohne_import_id(db: Datenbank) -> dict[str, list[tuple]]:
    ergebnis = {}
    for tabelle in DATEN:
        spalten = [
            z[0]
            for z in db.rows(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND column_name <> 'import_id' ORDER BY ordinal_position",
                [tabelle],
            )
        ]
        ergebnis[tabelle] = sorted(db.rows(f"SELECT {', '.join(spalten)} FROM {tabelle}"), key=repr)
    return ergebnis


# -- archive ------------------------------------------------------------------------------------
def test_import_archiviert_den_geprueften_inhalt_ohne_personenbezogene_spalten(
    db: Datenbank, tmp_path: Path
) -> None:
    importiere(db, schreibe(tmp_path / "standorte.csv", STANDORTE_CSV))
    text = befragung_csv(personen("KOELN", 3, "T0", "2025-02-10"))
    zeilen = text.splitlines()
    mit_mail = "\n".join(
        [zeilen[0] + ";email"] + [z + f";person{i}@example.org" for i, z in enumerate(zeilen[1:])]
    )
    datei = schreibe(tmp_path / "export.csv", mit_mail + "\n")
    ergebnis = importiere(db, datei)
    sha = hashlib.sha256(datei.read_bytes()).hexdigest()
    archiv = archivordner(db.pfad)
    kopie = archiv / f"{sha}.csv"
    assert kopie.is_file()
    assert b"example.org" not in kopie.read_bytes()  # SPEC §3: personal data is never stored
    assert (
        kopie.read_text(encoding="utf-8")
        .splitlines()[1]
        .startswith("pkoeln0000;KOELN;T0;2025-02-10;")
    )
    eintrag = verzeichnis(archiv)[-1]
    assert eintrag["import_id"] == ergebnis.import_id and eintrag["sha256"] == sha
    assert eintrag["art"] == "befragung" and eintrag["dateiname"] == "export.csv"
    assert eintrag["inhalt_sha256"] == hashlib.sha256(kopie.read_bytes()).hexdigest()

    anzahl = len(verzeichnis(archiv))
    assert importiere(db, datei).bereits_importiert
    schlecht = schreibe(
        tmp_path / "schlecht.csv", befragung_csv([("abcd", "KOELN", "T7", "2025-01-01", "ja")])
    )
    with pytest.raises(ImportAbgelehnt):
        importiere(db, schlecht)
    assert len(verzeichnis(archiv)) == anzahl
    assert not (archiv / f"{hashlib.sha256(schlecht.read_bytes()).hexdigest()}.csv").exists()


def test_neu_aufbauen_aus_dem_archiv(betrieb: Datenbank, tmp_path: Path) -> None:
    # one batch whose Standorte file introduces the site its survey file uses
    standort = schreibe(
        tmp_path / "neu_standort.csv",
        "standort;name;ort;bundesland;start\nHAMBURG;Hafen;Hamburg;Hamburg;2025-03-01\n",
    )
    umfrage = schreibe(
        tmp_path / "hamburg.csv", befragung_csv(personen("HAMBURG", 6, "T0", "2025-03-10"))
    )
    importiere_stapel(betrieb, [(umfrage, None), (standort, None)])
    vorher = _daten_ohne_import_id(betrieb)
    importe_vorher = betrieb.rows("SELECT sha256, art FROM importe ORDER BY import_id")
    ziel = tmp_path / "neu" / "wieder.duckdb"

    ergebnis = neu_aufbauen(archivordner(betrieb.pfad), ziel)
    assert (ergebnis.importe, ergebnis.zielwerte) == (5, 2)
    assert "Benutzer, Freigaben und das Auditprotokoll" in str(ergebnis)
    with verbinden(ziel) as neu:
        assert _daten_ohne_import_id(neu) == vorher
        assert neu.rows("SELECT sha256, art FROM importe ORDER BY import_id") == importe_vorher
        assert importiere(neu, umfrage).bereits_importiert  # original hashes were kept
        assert neu.scalar("SELECT count(*) FROM benutzer") == 0
        assert pruefe_protokoll(neu) == []
        # the rebuilt database has its own archive, again rebuildable
        assert len(verzeichnis(archivordner(ziel))) == 7
    zweit = neu_aufbauen(archivordner(ziel), tmp_path / "zweit.duckdb")
    assert (zweit.importe, zweit.zielwerte) == (5, 2)

    with pytest.raises(SicherungsFehler, match="gibt es schon"):
        neu_aufbauen(archivordner(betrieb.pfad), ziel)


def test_neu_aufbauen_verweigert_ein_verändertes_archiv(betrieb: Datenbank, tmp_path: Path) -> None:
    archiv = archivordner(betrieb.pfad)
    eintrag = next(e for e in verzeichnis(archiv) if e["art"] == "befragung")
    kopie = archiv / eintrag["datei"]
    kopie.write_bytes(kopie.read_bytes().replace(b";4;60", b";5;60", 1))
    with pytest.raises(SicherungsFehler, match="Prüfsumme stimmt nicht"):
        neu_aufbauen(archiv, tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()
    with pytest.raises(SicherungsFehler, match="kein Importarchiv"):
        neu_aufbauen(tmp_path / "leer", tmp_path / "y.duckdb")


# -- backup and restore -------------------------------------------------------------------------
def test_sicherung_und_wiederherstellung_vollstaendig(betrieb: Datenbank, tmp_path: Path) -> None:
    ordner = tmp_path / "Sicherung 'März'"  # a quote in the path must not break the SQL
    sicherung = sichere(betrieb, ordner, benutzer="lea")
    assert sicherung.zeilen["befragungen"] == 40 and sicherung.archivdateien == 5
    assert json.loads((ordner / "sicherung.json").read_text("utf-8"))["zeilen"] == sicherung.zeilen
    vorher = inhalt(betrieb, ALLE)
    protokoll = betrieb.rows("SELECT * FROM auditprotokoll ORDER BY id")
    max_import = betrieb.scalar("SELECT max(import_id) FROM importe")

    ziel = tmp_path / "wieder" / "monitor.duckdb"
    zeilen = wiederherstellen(ordner, ziel)
    assert zeilen == sicherung.zeilen
    with verbinden(ziel) as neu:
        assert inhalt(neu, ALLE) == vorher
        nachher = neu.rows("SELECT * FROM auditprotokoll ORDER BY id")
        assert nachher[: len(protokoll)] == protokoll
        assert nachher[-1][3] == "wiederherstellung"
        assert pruefe_protokoll(neu) == []
        assert b.anmelden(neu, "lea", "ein-langes-passwort") is not None
        assert fg.status(neu, "KOELN", "2025-Q1") is fg.Status.EINGEREICHT
        # sequences continue: a new import gets a new number, the chain grows on
        extra = schreibe(
            tmp_path / "extra.csv", befragung_csv(personen("BERLIN", 1, "T0", "2025-03-01", 70))
        )
        assert importiere(neu, extra).import_id > max_import
        assert pruefe_protokoll(neu) == []
    assert len(verzeichnis(archivordner(ziel))) == len(verzeichnis(archivordner(betrieb.pfad))) + 1

    with pytest.raises(SicherungsFehler, match="nicht leer"):
        sichere(betrieb, ordner)


def test_wiederherstellen_ersetzt_daten_nur_mit_ueberschreiben(
    betrieb: Datenbank,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pfad = betrieb.pfad
    betrieb.close()

    def lauf(*args: str | Path, db: Path = pfad) -> tuple[int, str, str]:
        return cli(*args, db=db, monkeypatch=monkeypatch, capsys=capsys)

    status, aus, _ = lauf("sicherung", tmp_path / "s1")
    assert status == 0 and "Sicherung geschrieben" in aus
    with Datenbank(pfad) as db:  # a later change that the restore must undo
        importiere(
            db,
            schreibe(
                tmp_path / "spaet.csv", befragung_csv(personen("BERLIN", 2, "T0", "2025-03-03", 80))
            ),
        )
        spaeter = inhalt(db)
    status, _, err = lauf("wiederherstellen", tmp_path / "s1")
    assert status == 1 and "enthält Daten" in err and "--ueberschreiben" in err
    with Datenbank(pfad, read_only=True) as db:
        assert inhalt(db) == spaeter
    status, aus, _ = lauf("wiederherstellen", tmp_path / "s1", "--ueberschreiben")
    assert status == 0 and "wiederhergestellt" in aus
    with Datenbank(pfad, read_only=True) as db:
        assert db.scalar("SELECT count(*) FROM befragungen") == 40
    assert any(p.name.startswith("monitor.duckdb.archiv.alt-") for p in tmp_path.iterdir())

    leer = tmp_path / "leer.duckdb"
    verbinden(leer).close()  # exists, migrated, no rows: no option needed
    assert lauf("wiederherstellen", tmp_path / "s1", db=leer)[0] == 0
    status, _, err = lauf("wiederherstellen", tmp_path / "keine", db=tmp_path / "n.duckdb")
    assert status == 1 and "enthält keine Sicherung" in err
    status, _, err = lauf("sicherung", tmp_path / "s1")
    assert status == 1 and "nicht leer" in err
    status, _, err = lauf("sicherung", tmp_path / "s2", db=tmp_path / "fehlt.duckdb")
    assert status == 1 and "gibt es nicht" in err

    neu = tmp_path / "aus_archiv.duckdb"
    status, aus, _ = lauf("neu-aufbauen", neu)
    assert status == 0 and "neu aufgebaut" in aus
    with Datenbank(neu, read_only=True) as db:
        assert db.scalar("SELECT count(*) FROM befragungen") == 40


def test_wiederherstellen_prueft_die_zeilenzahlen(betrieb: Datenbank, tmp_path: Path) -> None:
    ordner = tmp_path / "s"
    sichere(betrieb, ordner)
    meta = json.loads((ordner / "sicherung.json").read_text("utf-8"))
    meta["zeilen"]["befragungen"] += 1
    (ordner / "sicherung.json").write_text(json.dumps(meta), encoding="utf-8")
    ziel = tmp_path / "z.duckdb"
    with pytest.raises(SicherungsFehler, match=r"unvollständig.*befragungen"):
        wiederherstellen(ordner, ziel)
    assert not ziel.exists() and not list(tmp_path.glob("z.duckdb*"))
    assert (ordner / VERZEICHNIS).exists() is False  # the list lives in the archive copy
    assert (ordner / "archiv" / VERZEICHNIS).exists()

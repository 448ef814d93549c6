"""Import: all or nothing, file hash, upsert, migration background takeover, no personal data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from monitor.db import Datenbank
from monitor.einlesen import EinleseFehler
from monitor.importieren import (
    ImportAbgelehnt,
    importiere,
    importiere_stapel,
    pruefe_datei,
    pruefe_stapel,
)
from monitor.schema import Art


def test_standorte_und_befragung_cp1252_semikolon_dezimalkomma(
    db_mit_standorten: Datenbank, schreibe, befragung_kopf
) -> None:
    db = db_mit_standorten
    assert db.rows("SELECT standort, ort, lat, start FROM standorte ORDER BY standort") == [
        ("BERLIN", "Berlin", None, dt.date(2025, 1, 15)),
        ("KOELN", "Köln", 50.94, dt.date(2025, 2, 1)),
    ]
    text = (
        f"{befragung_kopf}\n"
        "abcd1;KOELN;T0;01.03.2025;ja;;50,0\n"
        "abcd2;KOELN;T0;2025-03-02;nein;;70\n"
    )
    ergebnis = importiere(db, schreibe("befragung.csv", text, encoding="cp1252"))
    assert (ergebnis.art, ergebnis.neu, ergebnis.aktualisiert) == (Art.BEFRAGUNG, 2, 0)
    assert not ergebnis.bereits_importiert
    assert "2 neu" in str(ergebnis)
    assert db.rows("SELECT code, datum, a_thermometer, demo FROM befragungen ORDER BY code") == [
        ("abcd1", dt.date(2025, 3, 1), 50, False),
        ("abcd2", dt.date(2025, 3, 2), 70, False),
    ]
    protokoll = db.rows(
        "SELECT dateiname, art, zeilen, neu, aktualisiert, ergebnis, length(sha256) "
        "FROM importe WHERE import_id = ?",
        [ergebnis.import_id],
    )
    assert protokoll == [("befragung.csv", "befragung", 2, 2, 0, "importiert", 64)]


def test_abgelehnte_datei_aendert_nichts(
    db_mit_standorten: Datenbank, schreibe, befragung_kopf, inhalt
) -> None:
    db = db_mit_standorten
    importiere(db, schreibe("gut.csv", f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;ja;;\n"))
    vorher = inhalt(db)
    text = f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;nein;;\nabcd2;HAMBURG;T0;01.03.2025;ja;;\n"
    with pytest.raises(ImportAbgelehnt) as abgelehnt:
        importiere(db, schreibe("schlecht.csv", text))
    pruefung = abgelehnt.value.pruefergebnis
    assert [(f.zeile, f.spalte, f.wert) for f in pruefung.fehler] == [(3, "standort", "HAMBURG")]
    assert "schlecht.csv" in str(abgelehnt.value) and "Zeile 3" in str(abgelehnt.value)
    assert inhalt(db) == vorher
    # unreadable files are rejected the same way
    with pytest.raises(EinleseFehler):
        importiere(db, schreibe("muell.csv", b"\x00\xff\x00garbage"))
    assert inhalt(db) == vorher


def test_gleiche_datei_nochmals_ist_bereits_importiert(
    db_mit_standorten: Datenbank, schreibe, befragung_kopf, inhalt
) -> None:
    db = db_mit_standorten
    pfad = schreibe("b.csv", f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;ja;;\n")
    erstes = importiere(db, pfad)
    vorher = inhalt(db)
    zweites = importiere(db, pfad.read_bytes(), "anderer_name.csv")
    assert zweites.bereits_importiert
    assert zweites.import_id == erstes.import_id
    assert "bereits importiert" in str(zweites)
    assert inhalt(db) == vorher


def test_upsert_aktualisiert_und_ergaenzt(
    db_mit_standorten: Datenbank, schreibe, befragung_kopf
) -> None:
    db = db_mit_standorten
    importiere(db, schreibe("v1.csv", f"{befragung_kopf}\nabcd1;KOELN;T1;01.06.2025;;3;40\n"))
    text = f"{befragung_kopf}\nabcd1;KOELN;T1;01.06.2025;;5;40\nabcd2;BERLIN;T1;02.06.2025;;;\n"
    ergebnis = importiere(db, schreibe("v2.csv", text))
    assert (ergebnis.neu, ergebnis.aktualisiert) == (1, 1)
    assert db.rows("SELECT code, zufriedenheit, import_id FROM befragungen ORDER BY code") == [
        ("abcd1", 5, ergebnis.import_id),
        ("abcd2", None, ergebnis.import_id),
    ]
    # a file without a column leaves that column of existing rows as it is
    ohne = importiere(
        db, schreibe("v3.csv", "code;standort;welle;datum\nabcd1;KOELN;T1;03.06.2025\n")
    )
    assert ohne.aktualisiert == 1
    assert db.rows("SELECT datum, zufriedenheit FROM befragungen WHERE code = 'abcd1'") == [
        (dt.date(2025, 6, 3), 5)
    ]


def test_aktivitaeten_upsert_je_standort(db_mit_standorten: Datenbank, schreibe) -> None:
    kopf = "aktivitaet_id;standort;datum;titel;typ;format;teilnehmende_gesamt;oeffentlich"
    titel = "Begegnung „Straßenfest“ – €"
    erstes = importiere(
        db_mit_standorten,
        schreibe(
            "a.csv",
            f"{kopf}\nx1;KOELN;01.03.2025;{titel};begegnung;praesenz;20;ja\n"
            "x1;BERLIN;01.03.2025;Dialog;dialog;digital;5;nein\n",
            encoding="cp1252",
        ),
    )
    zweites = importiere(
        db_mit_standorten,
        schreibe("b.csv", f"{kopf}\nx1;KOELN;01.03.2025;{titel};begegnung;praesenz;25;ja\n"),
    )
    assert (erstes.neu, zweites.neu, zweites.aktualisiert) == (2, 0, 1)
    assert db_mit_standorten.rows(
        "SELECT standort, titel, teilnehmende_gesamt, oeffentlich FROM aktivitaeten "
        "ORDER BY standort"
    ) == [("BERLIN", "Dialog", 5, False), ("KOELN", titel, 25, True)]


def test_zielwerte_gesamtprojekt(db_mit_standorten: Datenbank, schreibe) -> None:
    text = "indikator;standort;zielwert;stichtag\nA3;;60;31.12.2026\nA3;KOELN;55,5;31.12.2026\n"
    importiere(db_mit_standorten, schreibe("z.csv", text))
    assert db_mit_standorten.rows(
        "SELECT indikator, standort, zielwert FROM zielwerte ORDER BY standort"
    ) == [("A3", "KOELN", 55.5), ("A3", "gesamt", 60.0)]


def test_migrationshintergrund_von_t0_nach_t1_und_zurueck(
    db_mit_standorten: Datenbank, schreibe, befragung_kopf
) -> None:
    db = db_mit_standorten
    t0 = f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;ja;;\n"
    t1 = f"{befragung_kopf}\nabcd1;KOELN;T1;01.06.2025;;4;\nabcd2;KOELN;T1;01.06.2025;;4;\n"
    importiere(db, schreibe("t0.csv", t0))
    ergebnis = importiere(db, schreibe("t1.csv", t1))
    assert any("aus T0" in h for h in ergebnis.hinweise)
    mh = "SELECT code, welle, migrationshintergrund FROM befragungen ORDER BY code, welle"
    assert db.rows(mh) == [
        ("abcd1", "T0", "ja"),
        ("abcd1", "T1", "ja"),
        ("abcd2", "T1", None),
    ]
    # a later T0 import fills the earlier T1 row of that code
    importiere(
        db, schreibe("t0_spaet.csv", f"{befragung_kopf}\nabcd2;KOELN;T0;01.03.2025;nein;;\n")
    )
    assert db.rows(mh)[-1] == ("abcd2", "T1", "nein")


def test_personenbezogene_daten_nie_in_der_datenbankdatei(
    db_mit_standorten: Datenbank, schreibe, befragung_kopf, tmp_path: Path
) -> None:
    db = db_mit_standorten
    geheim = "xq7-geheim.person@example.invalid"
    telefon = "0151-98765432101"
    text = (
        f"{befragung_kopf};E-Mail;Telefonnummer\n"
        f"abcd1;KOELN;T0;01.03.2025;ja;;;{geheim};{telefon}\n"
    )
    ergebnis = importiere(db, schreibe("pii.csv", text))
    assert any("'e-mail' enthält personenbezogene Daten" in h for h in ergebnis.hinweise)
    db.execute("CHECKPOINT")
    pfad = db.pfad
    db.close()
    inhalt = pfad.read_bytes()
    assert b"abcd1" in inhalt  # the survey row itself is in the file
    assert geheim.encode() not in inhalt and telefon.encode() not in inhalt
    wal = Path(f"{pfad}.wal")
    assert not wal.exists() or geheim.encode() not in wal.read_bytes()


def test_xlsx_import(db_mit_standorten: Datenbank, tmp_path: Path) -> None:
    mappe = openpyxl.Workbook()
    ws = mappe.active
    ws.append(["Code", "Standort", "Welle", "Datum", "Migrationshintergrund", "Zufriedenheit"])
    ws.append(["abcd1", "KOELN", "T1", dt.date(2025, 6, 1), None, 4.0])
    mappe.save(tmp_path / "b.xlsx")
    ergebnis = importiere(db_mit_standorten, tmp_path / "b.xlsx")
    assert ergebnis.neu == 1
    assert db_mit_standorten.rows("SELECT datum, zufriedenheit FROM befragungen") == [
        (dt.date(2025, 6, 1), 4)
    ]


def test_stapel_standorte_zuerst_und_alles_oder_nichts(
    db: Datenbank, schreibe, standorte_text, befragung_kopf, inhalt
) -> None:
    befragung = schreibe("b.csv", f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;ja;;\n")
    standorte = schreibe("s.csv", standorte_text)
    # alone, the survey names an unknown site
    assert not pruefe_datei(db, befragung).ok
    assert all(e.ok for e in pruefe_stapel(db, [(befragung, None), (standorte, None)]))
    leer = inhalt(db)
    kaputt = schreibe("z.csv", "indikator;zielwert;stichtag\nZ1;5;31.12.2026\n")
    with pytest.raises(ImportAbgelehnt) as abgelehnt:
        importiere_stapel(db, [(befragung, None), (standorte, None), (kaputt, None)])
    assert abgelehnt.value.pruefergebnis.dateiname == "z.csv"
    assert inhalt(db) == leer  # the valid files of the batch were not imported either
    ergebnisse = importiere_stapel(db, [(befragung, None), (standorte, None)])
    assert [e.art for e in ergebnisse] == [Art.BEFRAGUNG, Art.STANDORTE]
    assert db.scalar("SELECT count(*) FROM befragungen") == 1


def test_pruefen_aendert_nichts_und_demo_markierung(
    db_mit_standorten: Datenbank, schreibe, befragung_kopf, inhalt
) -> None:
    db = db_mit_standorten
    pfad = schreibe("b.csv", f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;ja;;\n")
    vorher = inhalt(db)
    assert pruefe_datei(db, pfad).ok
    assert inhalt(db) == vorher
    ergebnis = importiere(db, pfad, demo=True)
    assert db.rows("SELECT demo FROM befragungen") == [(True,)]
    assert db.scalar("SELECT demo FROM importe WHERE import_id = ?", [ergebnis.import_id])


def test_gleicher_schluessel_in_zwei_dateien_eines_stapels(
    db_mit_standorten: Datenbank, befragung_kopf
) -> None:
    kopf = befragung_kopf.encode()
    erste = kopf + b"\nabcd1;KOELN;T0;01.03.2025;ja;;\nabcd1;KOELN;T1;01.06.2025;;3;\n"
    zweite = kopf + b"\nabcd1;KOELN;T1;02.06.2025;;5;\nabcd1;KOELN;T0;01.03.2025;nein;;\n"
    ergebnisse = importiere_stapel(db_mit_standorten, [(erste, "a.csv"), (zweite, "b.csv")])
    assert [(e.neu, e.aktualisiert) for e in ergebnisse] == [(2, 0), (0, 2)]
    assert str(ergebnisse[1]).startswith("'b.csv' (Befragung): 2 Zeilen importiert – 0 neu")
    assert db_mit_standorten.rows(
        "SELECT welle, migrationshintergrund, zufriedenheit FROM befragungen ORDER BY welle"
    ) == [("T0", "nein", None), ("T1", "nein", 5)]


def test_vergleichsgruppe_gueltig_und_nach_t1_uebernommen(
    db_mit_standorten: Datenbank, schreibe
) -> None:
    """The comparison mark accepts the yes/no spellings of every yes/no column (ja/nein,
    wahr/falsch, true/false, any case), is given at T0 and carried to T1 like the migration
    background; empty = participant."""
    db = db_mit_standorten
    kopf = "code;standort;welle;datum;migrationshintergrund;vergleichsgruppe"
    codes = ("v1", "v2", "v3", "t1", "t2", "t3")
    werte = ("ja", "TRUE", "Wahr", "nein", "", "false")
    t0 = "".join(
        f"vg_{c};KOELN;T0;01.03.2025;nein;{w}\n" for c, w in zip(codes, werte, strict=True)
    )
    importiere(db, schreibe("t0.csv", f"{kopf}\n{t0}"))
    t1 = "".join(f"vg_{c};KOELN;T1;01.06.2025;;\n" for c in codes)
    ergebnis = importiere(db, schreibe("t1.csv", f"{kopf}\n{t1}"))
    assert any("aus T0" in h for h in ergebnis.hinweise)
    erwartet = {"v1": True, "v2": True, "v3": True, "t1": False, "t2": None, "t3": False}
    assert db.rows(
        "SELECT code, welle, vergleichsgruppe FROM befragungen ORDER BY code, welle"
    ) == [(f"vg_{c}", w, erwartet[c]) for c in sorted(codes) for w in ("T0", "T1")]


def test_vergleichsgruppe_ungueltig_deutsch_abgelehnt(
    db_mit_standorten: Datenbank, schreibe, inhalt
) -> None:
    db = db_mit_standorten
    vorher = inhalt(db)
    text = (
        "code;standort;welle;datum;migrationshintergrund;vergleichsgruppe\n"
        "vg_v1;KOELN;T0;01.03.2025;ja;vielleicht\n"
    )
    with pytest.raises(ImportAbgelehnt) as abgelehnt:
        importiere(db, schreibe("vg.csv", text))
    meldung = str(abgelehnt.value)
    assert "vergleichsgruppe" in meldung and "nicht erlaubt (erlaubt: ja, nein)" in meldung
    assert inhalt(db) == vorher

"""Questionnaires are keyed by (standort, code, welle): migration 0006 keeps every row, a code at
two sites is two persons (a Hinweis, never an overwrite), a site coordinator can never change
another site's rows, and the pre-check applies the same rules as the import.

The database before the migration is a copy of ``daten/altbestand_0005.duckdb.gz``, written by
main at schema version 5 (see ``daten/baue_altbestand.py``): two sites KOELN (12 T0, 7 of them
with T1, plus ``wechsel_x`` at T1) and BERLIN (10 T0, 5 T1), activities, targets, a user.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hilfen_zugang import cli, protokoll_eintraege, sitzung

from indikatoren.engine import berechne
from indikatoren.filter import Filter
from indikatoren.unterdrueckung import Schwellen
from monitor import freigabe as fg
from monitor.benutzer import zugriff_fuer
from monitor.db import Datenbank, migrationen, verbinden
from monitor.importieren import (
    ImportAbgelehnt,
    ImportVerweigert,
    _Datei,
    _schreibe,
    importiere,
    pruefe_stapel,
)

ALTBESTAND = Path(__file__).parent / "daten" / "altbestand_0005.duckdb.gz"
KOPF = "code;standort;welle;datum;format;migrationshintergrund;a_thermometer"
LEITUNG = sitzung("projektleitung", name="lea")
ALLE_ZEILEN = Schwellen(min_personen=1, min_paare=1)


def _entpacke(ziel: Path) -> Path:
    with gzip.open(ALTBESTAND, "rb") as quelle, ziel.open("wb") as datei:
        shutil.copyfileobj(quelle, datei)
    return ziel


def _alles(db: Datenbank, ohne: tuple[str, ...] = ("auditprotokoll",)) -> dict[str, list[tuple]]:
    """Every row of every table (the migration's bookkeeping and, unless asked, the audit
    trail – a refusal is audited – aside)."""
    tabellen = [
        name
        for (name,) in db.rows("SELECT table_name FROM information_schema.tables ORDER BY 1")
        if name != "schema_migrationen" and name not in ohne
    ]
    return {t: sorted(db.rows(f"SELECT * FROM {t}"), key=repr) for t in tabellen}


@pytest.fixture
def migriert(tmp_path: Path) -> Iterator[Datenbank]:
    db = verbinden(_entpacke(tmp_path / "alt.duckdb"))
    yield db
    db.close()


def _koeln(db: Datenbank) -> tuple[int, int, int]:
    """KOELN's T0 count and, from the engine, T0 persons and those who reached T1."""
    t0 = db.scalar("SELECT count(*) FROM befragungen WHERE standort = 'KOELN' AND welle = 'T0'")
    vn = berechne(db, Filter(standorte=("KOELN",)), ALLE_ZEILEN).vorher_nachher
    zeile = vn[(vn["standort"] == "KOELN") & (vn["welle"] == "T1")].iloc[0]
    return int(t0), int(zeile["n_t0"]), int(zeile["n_erreicht"])


def test_migration_0006_behaelt_jede_zeile(tmp_path: Path) -> None:
    pfad = _entpacke(tmp_path / "alt.duckdb")
    with Datenbank(pfad) as alt:
        assert alt.schema_version() == 5
        vorher = _alles(alt, ohne=())
        schluessel_alt = alt.rows(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = 'befragungen' AND constraint_type = 'PRIMARY KEY'"
        )
        spalten_alt = [s[0] for s in alt.rows("DESCRIBE befragungen")]
    assert schluessel_alt == [(["code", "welle"],)]
    assert len(vorher["befragungen"]) == 35 and len(vorher["benutzer"]) == 1

    with verbinden(pfad) as db:
        assert db.schema_version() == max(m.version for m in migrationen())
        nachher = _alles(db, ohne=())
        # 0010 (issue 15) adds vergleichsgruppe after migrationshintergrund, empty everywhere
        mh = spalten_alt.index("migrationshintergrund") + 1
        neu = [*spalten_alt[:mh], "vergleichsgruppe", *spalten_alt[mh:]]
        assert [s[0] for s in db.rows("DESCRIBE befragungen")] == neu
        assert db.scalar("SELECT count(vergleichsgruppe) FROM befragungen") == 0
        nachher["befragungen"] = sorted(
            db.rows("SELECT * EXCLUDE (vergleichsgruppe) FROM befragungen"), key=repr
        )
        assert db.rows(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = 'befragungen' AND constraint_type = 'PRIMARY KEY'"
        ) == [(["standort", "code", "welle"],)]
        # 0009 (issue 15) adds richtung_bestaetigt to zielwerte, empty for every existing row
        assert db.scalar("SELECT count(richtung_bestaetigt) FROM zielwerte") == 0
        nachher["zielwerte"] = sorted(
            db.rows("SELECT * EXCLUDE (richtung_bestaetigt) FROM zielwerte"), key=repr
        )
    for tabelle, zeilen in vorher.items():
        assert nachher[tabelle] == zeilen, tabelle


def test_gleicher_code_an_anderem_standort_ueberschreibt_nichts(
    migriert: Datenbank, tmp_path: Path
) -> None:
    assert _koeln(migriert) == (12, 12, 7)
    koeln_zeilen = migriert.rows("SELECT * FROM befragungen WHERE standort = 'KOELN' ORDER BY ALL")
    datei = tmp_path / "berlin.csv"
    datei.write_text(
        f"{KOPF}\nkoeln_p00;BERLIN;T0;2025-03-04;hybrid;nein;33\n"
        "koeln_p00;BERLIN;T1;2025-07-02;hybrid;;34\n",
        encoding="utf-8",
    )
    ergebnis = importiere(migriert, datei, zugriff=zugriff_fuer("standort", "BERLIN"))
    assert (ergebnis.neu, ergebnis.aktualisiert) == (2, 0)
    text = str(ergebnis)
    assert "1 Code kommt auch an einem anderen Standort vor: koeln_p00." in text
    assert "KOELN" not in text  # a site coordinator is not told which site
    assert (
        migriert.rows("SELECT * FROM befragungen WHERE standort = 'KOELN' ORDER BY ALL")
        == koeln_zeilen
    )
    assert _koeln(migriert) == (12, 12, 7)
    assert migriert.rows(
        "SELECT standort, welle, migrationshintergrund, a_thermometer FROM befragungen "
        "WHERE code = 'koeln_p00' ORDER BY ALL"
    ) == [
        ("BERLIN", "T0", "nein", 33),
        ("BERLIN", "T1", "nein", 34),  # MH from the BERLIN T0, not KOELN's "ja"
        ("KOELN", "T0", "ja", 10),
        ("KOELN", "T1", "ja", 10),
    ]
    # the import's audit entry counts the decision
    details = json.loads(protokoll_eintraege(migriert, "import")[-1][1])
    assert details["dateien"][0]["entscheidungen"] == {"codes_an_anderen_standorten": 1}


def test_admin_sieht_den_anderen_standort_im_hinweis(migriert: Datenbank, tmp_path: Path) -> None:
    datei = tmp_path / "berlin.csv"
    datei.write_text(f"{KOPF}\nkoeln_p03;BERLIN;T0;2025-03-04;hybrid;nein;33\n", "utf-8")
    (pruefung,) = pruefe_stapel(migriert, [(datei, None)])
    assert pruefung.ok
    assert any("koeln_p03 (KOELN)" in h for h in pruefung.hinweise)


def test_standort_nutzer_kann_fremde_zeilen_nicht_aendern(
    migriert: Datenbank, tmp_path: Path
) -> None:
    vorher = _alles(migriert)
    datei = tmp_path / "fremd.csv"
    datei.write_text(f"{KOPF}\nkoeln_p00;KOELN;T0;2025-02-10;digital;nein;1\n", "utf-8")
    berlin = zugriff_fuer("standort", "BERLIN")
    (pruefung,) = pruefe_stapel(migriert, [(datei, None)], zugriff=berlin)
    assert not pruefung.ok
    assert (
        pruefung.bericht()
        .splitlines()[1]
        .startswith("Nicht übernommen: 1 Zeile gehört zu einem anderen Standort (KOELN) als Ihrem")
    )
    with pytest.raises(ImportAbgelehnt) as abgelehnt:
        importiere(migriert, datei, zugriff=berlin)
    assert abgelehnt.value.pruefergebnis.ursache == pruefung.ursache
    assert _alles(migriert) == vorher


def test_schreiben_prueft_den_standort_selbst(migriert: Datenbank, tmp_path: Path) -> None:
    """Even a checked file that slipped past every earlier check cannot write a foreign site."""
    datei = tmp_path / "fremd.csv"
    datei.write_text(f"{KOPF}\nkoeln_p00;KOELN;T0;2025-02-10;digital;nein;1\n", "utf-8")
    (pruefung,) = pruefe_stapel(migriert, [(datei, None)])  # unrestricted: passes
    assert pruefung.ok
    vorher = _alles(migriert)
    with (
        pytest.raises(ImportVerweigert, match="nur Daten des eigenen Standorts"),
        migriert.transaction() as cur,
    ):
        _schreibe(
            cur,
            _Datei(b"", "fremd.csv", "x", pruefung),
            False,
            zugriff_fuer("standort", "BERLIN"),
        )
    assert _alles(migriert) == vorher


def test_vorpruefung_kennt_gesperrte_quartale(
    migriert: Datenbank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    fg.einreichen(migriert, LEITUNG, "KOELN", "2025-Q1")
    fg.freigeben(migriert, LEITUNG, "KOELN", "2025-Q1")
    datei = tmp_path / "korrektur.csv"
    datei.write_text(f"{KOPF}\nkoeln_p01;KOELN;T0;2025-02-10;digital;nein;77\n", "utf-8")
    (pruefung,) = pruefe_stapel(migriert, [(datei, None)])
    assert not pruefung.ok
    zweite_zeile = pruefung.bericht().splitlines()[1]
    assert zweite_zeile == (
        "Nicht übernommen: 1 Zeile würde das freigegebene Quartal KOELN 2025-Q1 ändern; die "
        "Projektleitung muss es erst mit Begründung wiedereröffnen, oder Sie nehmen diese "
        "Zeilen aus der Datei."
    )
    with pytest.raises(ImportAbgelehnt) as abgelehnt:
        importiere(migriert, datei)
    assert abgelehnt.value.pruefergebnis.fehler == pruefung.fehler
    # the command line says the same before the import
    pfad = migriert.pfad
    migriert.close()
    status, _, fehler = cli("pruefen", datei, db=pfad, monkeypatch=monkeypatch, capsys=capsys)
    assert status == 1 and zweite_zeile in fehler

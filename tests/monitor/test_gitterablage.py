"""The funder's lattice kept beside the database: same tables, new key on every change."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from indikatoren.engine import basen, nur_zellen
from indikatoren.schutzgitter import schutzgitter
from monitor import freigabe, gitterablage, sicht
from monitor.benutzer import kommandozeilensitzung
from monitor.db import Datenbank
from monitor.demo import lade_demo


@pytest.fixture
def db(tmp_path: Path) -> Datenbank:
    datenbank = Datenbank(tmp_path / "projekt.duckdb")
    datenbank.migrate()
    lade_demo(datenbank)
    sitzung = kommandozeilensitzung()
    for standort in ("D_BERLIN", "D_LEIPZIG"):
        freigabe.einreichen(datenbank, sitzung, standort, "2025-Q2")
        freigabe.freigeben(datenbank, sitzung, standort, "2025-Q2")
    yield datenbank
    datenbank.close()


def _gleich(a, b) -> None:
    assert a.standorte == b.standorte and a.quartale == b.quartale
    for g in a.ergebnisse:
        pd.testing.assert_frame_equal(a.ergebnisse[g].indikatoren, b.ergebnisse[g].indikatoren)
        pd.testing.assert_frame_equal(
            a.ergebnisse[g].vorher_nachher, b.ergebnisse[g].vorher_nachher
        )


def test_gespeichertes_gitter_gleicht_dem_berechneten(db: Datenbank) -> None:
    zellen = freigabe.freigegebene_quartale(db)
    erst = sicht.gitter(db, zellen)
    assert any(gitterablage.ordner(db.pfad).iterdir())
    wieder = sicht.gitter(db, zellen)
    direkt = schutzgitter({g: nur_zellen(b, zellen) for g, b in basen(db).items()})
    _gleich(erst, wieder)
    _gleich(direkt, wieder)
    # only released tables are kept: no number of a suppressed cell in the files
    for g, erg in wieder.ergebnisse.items():
        gesperrt = erg.indikatoren[erg.indikatoren["unterdrueckt"]]
        assert gesperrt[["wert", "n", "zaehler", "nenner"]].isna().all().all(), g


def test_neue_freigabe_und_neue_daten_geben_neuen_schluessel(db: Datenbank) -> None:
    schwellen = sicht.Schwellen()
    zellen = freigabe.freigegebene_quartale(db)
    stand = db.scalar(sicht.DATENSTAND_SQL)
    alt = gitterablage.schluessel(stand, zellen, schwellen)
    sicht.gitter(db, zellen)
    sitzung = kommandozeilensitzung()
    freigabe.einreichen(db, sitzung, "D_BERLIN", "2025-Q3")
    freigabe.freigeben(db, sitzung, "D_BERLIN", "2025-Q3")
    neu_zellen = freigabe.freigegebene_quartale(db)
    assert gitterablage.schluessel(stand, neu_zellen, schwellen) != alt
    db.execute("UPDATE befragungen SET a_thermometer = 50 WHERE standort = 'D_BERLIN'")
    assert gitterablage.schluessel(db.scalar(sicht.DATENSTAND_SQL), zellen, schwellen) != alt
    # the new lattice reflects the new approval: the quarter is offered
    assert "2025-Q3" in sicht.gitter(db, neu_zellen).quartale


def test_kaputte_ablage_wird_neu_berechnet(db: Datenbank) -> None:
    zellen = freigabe.freigegebene_quartale(db)
    erst = sicht.gitter(db, zellen)
    for datei in gitterablage.ordner(db.pfad).rglob("*.parquet"):
        datei.write_bytes(b"kein parquet")
    _gleich(erst, sicht.gitter(db, zellen))
    # and the broken files were replaced: the next read finds a whole lattice again
    schluessel = gitterablage.schluessel(
        db.scalar(sicht.DATENSTAND_SQL), zellen, sicht.Schwellen.aus_umgebung()
    )
    wieder = gitterablage.laden(db.pfad, schluessel)
    assert wieder is not None
    _gleich(erst, replace(wieder, ziele=erst.ziele))

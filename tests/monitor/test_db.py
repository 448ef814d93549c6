"""The database module: idempotent migrations, schema matches the declarations, path rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import schema
from monitor.db import STANDARD_DB, Datenbank, db_pfad, migrationen, verbinden
from monitor.schema import Art


def test_migrationen_zweimal_sind_idempotent(tmp_path: Path) -> None:
    with Datenbank(tmp_path / "m.duckdb") as db:
        erste = db.migrate()
        zweite = db.migrate()
        eintraege = db.rows("SELECT version, name FROM schema_migrationen ORDER BY version")
    assert erste == [m.name for m in migrationen()]
    assert "0001_grundschema" in erste
    assert zweite == []
    assert eintraege == [(m.version, m.name) for m in migrationen()]


def test_verbinden_legt_ordner_an_und_migriert(tmp_path: Path) -> None:
    pfad = tmp_path / "neu" / "unter" / "m.duckdb"
    with verbinden(pfad) as db:
        assert db.schema_version() == max(m.version for m in migrationen())
    assert pfad.exists()


def _spalten(db: Datenbank, tabelle: str) -> list[str]:
    return [
        zeile[0]
        for zeile in db.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position",
            [tabelle],
        )
    ]


@pytest.mark.parametrize("art", list(Art))
def test_deklarierte_spalten_gleich_tabellenspalten(tmp_path: Path, art: Art) -> None:
    """Codebook (survey) and declarations (other kinds) == table columns minus demo/import_id."""
    with verbinden(tmp_path / "m.duckdb") as db:
        spalten = _spalten(db, schema.TABELLE[art])
    assert [s for s in spalten if s not in ("demo", "import_id")] == [
        f.name for f in schema.felder(art)
    ]
    assert spalten[-2:] == ["demo", "import_id"]


def test_codebuch_gleich_befragungstabelle(tmp_path: Path) -> None:
    with verbinden(tmp_path / "m.duckdb") as db:
        spalten = set(_spalten(db, "befragungen")) - {"demo", "import_id"}
    assert spalten == {f.name for f in schema.codebuch()}


def test_db_pfad_vorrang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_DB", raising=False)
    assert db_pfad() == STANDARD_DB
    assert STANDARD_DB.parts[-2:] == ("data", "monitor.duckdb")
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "umgebung.duckdb"))
    assert db_pfad() == tmp_path / "umgebung.duckdb"
    assert db_pfad(tmp_path / "explizit.duckdb") == tmp_path / "explizit.duckdb"
    assert db_pfad(str(tmp_path / "text.duckdb")) == tmp_path / "text.duckdb"


def test_indikator_ids_vollstaendig() -> None:
    assert len(schema.INDIKATOR_IDS) == 21
    assert schema.INDIKATOR_IDS[:2] == ("A1", "A2")
    assert schema.INDIKATOR_IDS[-1] == "C6"
    assert "B6" in schema.INDIKATOR_IDS and "A10" not in schema.INDIKATOR_IDS

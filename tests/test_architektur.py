"""House rules that keep the layers apart (SPEC §2), checked on the source itself.

``indikatoren/`` and ``monitor/`` must run without Streamlit (CLI, report, tests); ``pages/`` stay
thin and never talk to the database directly.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _importe(datei: Path) -> set[str]:
    baum = ast.parse(datei.read_text(encoding="utf-8"))
    namen: set[str] = set()
    for knoten in ast.walk(baum):
        if isinstance(knoten, ast.Import):
            namen |= {alias.name.split(".")[0] for alias in knoten.names}
        elif isinstance(knoten, ast.ImportFrom) and knoten.module:
            namen.add(knoten.module.split(".")[0])
    return namen


@pytest.mark.parametrize("paket", ["indikatoren", "monitor"])
def test_kern_importiert_kein_streamlit(paket: str) -> None:
    dateien = sorted((REPO / paket).rglob("*.py"))
    assert dateien
    verstoesse = [str(d.relative_to(REPO)) for d in dateien if "streamlit" in _importe(d)]
    assert verstoesse == []


def test_seiten_ohne_sql_und_ohne_duckdb() -> None:
    dateien = sorted((REPO / "pages").glob("*.py"))
    assert len(dateien) >= 11
    for datei in dateien:
        assert "duckdb" not in _importe(datei), datei.name
        text = datei.read_text(encoding="utf-8").upper()
        for wort in ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM"):
            assert wort not in text, f"{datei.name}: {wort.strip()}"


#: CSV written elsewhere than :func:`monitor.ausgabe.als_csv`, and why that is safe: the import
#: archive (DuckDB COPY of checked data, read back only by the import, never a download) and
#: the LimeSurvey files of the questionnaire (text from our own codebook, never imported data).
_ANDERE_CSV = {"monitor/archiv.py", "monitor/umfragen/fragebogen_aus.py"}


def test_ein_csv_schreiber_fuer_alle_downloads() -> None:
    """Issue 14, 4: every CSV download and export goes through the one writer that neutralises
    formula starts; a new ``to_csv`` or ``csv.writer`` elsewhere fails here."""
    dateien = [
        d
        for ordner in ("monitor", "ui", "pages", "indikatoren")
        for d in sorted((REPO / ordner).rglob("*.py"))
    ]
    schreiber = {
        str(d.relative_to(REPO))
        for d in dateien
        if any(m in d.read_text(encoding="utf-8") for m in (".to_csv(", "csv.writer(", "COPY ("))
    }
    assert schreiber == {"monitor/ausgabe.py", *_ANDERE_CSV}

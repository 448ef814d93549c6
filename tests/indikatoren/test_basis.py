"""The two-level engine: one DuckDB base per grouping, totals per filter in pandas.

The dashboard relies on ``auswerten(basis(...), filter)`` giving exactly what a direct query for
that filter gives, for any selection of sites, formats and whole quarters.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from indikatoren.engine import auswerten, basis, berechne, sql_zeitraum
from indikatoren.filter import Filter, Gruppierung
from monitor.db import Datenbank, verbinden
from monitor.demo import lade_demo

#: Indicators count participants only: the demo's comparison group (issue 15) is left out.
TEILNEHMENDE = "vergleichsgruppe IS NOT TRUE"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Datenbank:
    db = verbinden(Path(tmp_path_factory.mktemp("basis")) / "demo.duckdb")
    lade_demo(db, seed=7)
    return db


def test_ganze_quartale_brauchen_keine_eigene_abfrage() -> None:
    assert sql_zeitraum(Filter(von=date(2025, 4, 1), bis=date(2025, 12, 31))) == (None, None)
    assert sql_zeitraum(Filter(von=date(2025, 4, 2))) == (date(2025, 4, 2), None)
    assert sql_zeitraum(Filter(bis=date(2026, 2, 27))) == (None, date(2026, 2, 27))


def test_quartalszeitraum_aus_basis_gegen_direkte_abfrage(demo: Datenbank) -> None:
    """Whole quarters are selected from the shared base; counted independently in SQL."""
    filter_ = Filter(von=date(2025, 4, 1), bis=date(2025, 12, 31), formate=("digital",))
    tabelle = auswerten(basis(demo), filter_, heute=date(2026, 6, 30)).indikatoren
    zeile = tabelle[(tabelle["standort"] == "gesamt") & (tabelle["gruppe"] == "gesamt")].set_index(
        "indikator"
    )
    zeitraum = ["2025-04-01", "2025-12-31", "digital"]
    t0 = demo.scalar(
        f"SELECT count(*) FROM befragungen WHERE {TEILNEHMENDE} AND welle = 'T0' "
        "AND datum BETWEEN ? AND ? "
        "AND format = ?",
        zeitraum,
    )
    ja, alle = demo.rows(
        "SELECT count(*) FILTER (WHERE zufriedenheit >= 4), count(zufriedenheit) "
        f"FROM befragungen WHERE {TEILNEHMENDE} AND welle = 'T1' "
        "AND datum BETWEEN ? AND ? AND format = ?",
        zeitraum,
    )[0]
    assert zeile.loc["A1", "wert"] == t0
    assert (zeile.loc["A3", "zaehler"], zeile.loc["A3", "nenner"]) == (ja, alle)


def test_exakte_daten_gehen_an_sql(demo: Datenbank) -> None:
    """A period that does not follow quarter borders is filtered in SQL, to the day."""
    filter_ = Filter(von=date(2025, 5, 17), bis=date(2025, 11, 3))
    tabelle = berechne(demo, filter_).indikatoren
    a1 = tabelle.query("indikator == 'A1' and standort == 'gesamt' and gruppe == 'gesamt'")
    t0 = demo.scalar(
        f"SELECT count(*) FROM befragungen WHERE {TEILNEHMENDE} AND welle = 'T0' "
        "AND datum BETWEEN ? AND ?",
        ["2025-05-17", "2025-11-03"],
    )
    assert a1["wert"].item() == t0


def test_basis_passt_nicht_zum_filter(demo: Datenbank) -> None:
    grundlage = basis(demo, Gruppierung.MH)
    with pytest.raises(ValueError, match="Basis passt nicht"):
        auswerten(grundlage, Filter(gruppierung=Gruppierung.FORMAT))
    with pytest.raises(ValueError, match="Basis passt nicht"):
        auswerten(grundlage, Filter(von=date(2025, 5, 17)))


def test_standortauswahl_summiert_nur_gewaehlte(demo: Datenbank) -> None:
    """'gesamt' of a selection is the sum of the selected sites (A1 counts add up)."""
    tabelle = auswerten(basis(demo), Filter(standorte=("D_BERLIN", "D_LEIPZIG"))).indikatoren
    a1 = tabelle[(tabelle["indikator"] == "A1") & (tabelle["gruppe"] == "gesamt")]
    werte = dict(zip(a1["standort"], a1["wert"], strict=True))
    assert set(werte) == {"gesamt", "D_BERLIN", "D_LEIPZIG"}
    t0 = demo.scalar(
        f"SELECT count(*) FROM befragungen WHERE {TEILNEHMENDE} AND welle = 'T0' "
        "AND standort IN (?, ?)",
        ["D_BERLIN", "D_LEIPZIG"],
    )
    assert werte["gesamt"] == werte["D_BERLIN"] + werte["D_LEIPZIG"] == t0

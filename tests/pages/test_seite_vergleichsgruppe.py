"""Goal pages: "Wirkung im Vergleich zur Vergleichsgruppe" (issue 15), in the real dashboard.

The demo has a small comparison group at D_BERLIN and D_LEIPZIG: the section shows there, with
the DiD of the raw rows (scipy's Welch test, not the engine); a selection without a comparison
group shows no section, and a funder never sees it — while the project lead, on the same data,
does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hilfen_anmeldung import TEST_PASSWORT, anmelden, konto
from scipy import stats
from streamlit.testing.v1 import AppTest

from indikatoren.katalog import REGISTER
from monitor import benutzer, freigabe
from monitor.db import verbinden
from monitor.importieren import importiere
from ui.format import intervall, zahl
from ui.vergleichsgruppe import TITEL

WURZEL = Path(__file__).resolve().parents[2]
DASHBOARD = WURZEL / "dashboard.py"


def _seite(datei: str, app: AppTest | None = None) -> AppTest:
    app = app or AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    app.switch_page(f"pages/{datei}").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _hat_abschnitt(app: AppTest) -> bool:
    return any(s.value == TITEL for s in app.subheader)


def _welch(pfad: Path, standort: str) -> tuple[float, float, float, int, int]:
    """DiD of A7 (thermometer) T0→T1 at one site from the stored rows, with Welch's interval."""
    aenderungen = {}
    with verbinden(pfad) as db:
        for vg in (False, True):
            aenderungen[vg] = [
                float(d)
                for (d,) in db.rows(
                    "SELECT n.a_thermometer - v.a_thermometer FROM befragungen v "
                    "JOIN befragungen n ON n.code = v.code AND n.standort = v.standort "
                    "AND n.welle = 'T1' WHERE v.welle = 'T0' AND v.standort = ? "
                    "AND coalesce(v.vergleichsgruppe, false) = ? "
                    "AND v.a_thermometer IS NOT NULL AND n.a_thermometer IS NOT NULL",
                    [standort, vg],
                )
            ]
    t, v = aenderungen[False], aenderungen[True]
    ci = stats.ttest_ind(t, v, equal_var=False).confidence_interval(0.95)
    return sum(t) / len(t) - sum(v) / len(v), ci.low, ci.high, len(t), len(v)


def test_demo_zeigt_wirkung_mit_welch(demo_db: Path) -> None:
    demo_datei = demo_db
    app = _seite("ziel_a.py")
    assert _hat_abschnitt(app)
    tabelle = next(d.value for d in app.dataframe if "Wirkung (DiD)" in d.value.columns)
    with verbinden(demo_datei) as db:
        name = db.scalar("SELECT name FROM standorte WHERE standort = 'D_BERLIN'")
    zeile = tabelle[
        (tabelle["Indikator"].str.startswith("A7 "))
        & (tabelle["Standort"].str.startswith(name))
        & (tabelle["Welle"] == "T0→T1")
    ].iloc[0]
    did, unten, oben, n_t, n_v = _welch(demo_datei, "D_BERLIN")
    stellen = REGISTER["A7"].dezimalstellen
    assert zeile["Wirkung (DiD)"] == f"{zahl(did, stellen, vorzeichen=True)} Punkte (0–100)"
    assert zeile["95-%-KI"] == intervall(unten, oben, stellen)
    assert (zeile["Paare Teilnehmende"], zeile["Paare Vergleichsgruppe"]) == (zahl(n_t), zahl(n_v))
    assert set(tabelle["Indikator"].str[0]) == {"A"}  # only goal a's indicators here
    # "Wirkung" is said only in this section: the indicator metrics speak of "Veränderung"
    assert not any("Wirkung" in m.label for m in app.metric)


def test_ohne_vergleichsgruppe_kein_abschnitt(demo_db: Path) -> None:
    app = _seite("ziel_b.py")
    assert _hat_abschnitt(app)
    app.sidebar.multiselect(key="f_standorte").set_value(["D_DORTMUND"]).run()
    assert not app.exception
    assert not _hat_abschnitt(app)


@pytest.fixture
def mit_vergleichsgruppe(echt_db: Path, tmp_path: Path) -> Path:
    """Real data, a comparison group of 20 at BERLIN, every quarter approved."""
    datei = tmp_path / "vergleich.csv"
    zeilen = ["code;standort;welle;datum;migrationshintergrund;vergleichsgruppe;a_thermometer"]
    for i in range(20):
        zeilen.append(f"vgl_{i:02d};BERLIN;T0;{3 + i % 9:02d}.06.2025;nein;ja;{40 + i}")
        zeilen.append(f"vgl_{i:02d};BERLIN;T1;{3 + i % 9:02d}.08.2025;;;{42 + i + i % 3}")
    datei.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    konto(echt_db, "leitung", "projektleitung")
    with verbinden(echt_db) as db:
        importiere(db, datei)
        sitzung = benutzer.anmelden(db, "leitung", TEST_PASSWORT)
        assert sitzung is not None
        zellen = db.rows(
            f"SELECT DISTINCT standort, {freigabe.quartal_sql('datum')} FROM befragungen "
            f"UNION SELECT DISTINCT standort, {freigabe.quartal_sql('datum')} FROM aktivitaeten"
        )
        for standort, quartal in sorted(zellen):
            freigabe.einreichen(db, sitzung, standort, quartal)
            freigabe.freigeben(db, sitzung, standort, quartal)
    konto(echt_db, "geldgeber", "foerdergeber")
    return echt_db


@pytest.mark.parametrize(("name", "sieht"), [("leitung", True), ("geldgeber", False)])
def test_foerdergeber_sieht_keinen_vergleich(
    mit_vergleichsgruppe: Path, name: str, sieht: bool
) -> None:
    app = anmelden(AppTest.from_file(str(DASHBOARD), default_timeout=120).run(), name)
    app = _seite("ziel_a.py", app)
    assert _hat_abschnitt(app) is sieht
    assert any(t.value.startswith("Ziel a") for t in app.title)

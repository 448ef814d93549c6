"""App shell: first start on an empty database, empty state, and the Methodik page (AppTest)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from monitor import bestand
from monitor.db import verbinden
from monitor.importieren import importiere

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
TIMEOUT_S = 60  # the first run creates the database and loads the demo data


def _starten() -> AppTest:
    app = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT_S)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _metriken(app: AppTest) -> dict[str, str]:
    return {metrik.label: metrik.value for metrik in app.metric}


def test_erster_start_laedt_demo_daten(db_datei: Path) -> None:
    verbinden(db_datei).close()  # an existing but empty database, as after `monitor init`

    app = _starten()

    assert any("Demo-Daten" in hinweis.value for hinweis in app.info)
    metriken = _metriken(app)
    assert metriken["Standorte"] == "6"
    teilnehmende = int(metriken["Teilnehmende"].replace(".", ""))
    assert 1000 <= teilnehmende <= 1500
    assert int(metriken["Fragebögen"].replace(".", "")) > teilnehmende
    assert int(metriken["Aktivitäten"].replace(".", "")) > 0
    assert len(app.get("plotly_chart")) == 1
    assert not any("Noch keine Daten" in hinweis.value for hinweis in app.info)

    st.cache_resource.clear()
    with verbinden(db_datei) as db:
        assert bestand.hat_demo(db)
        assert (
            db.scalar("SELECT count(*) FROM standorte WHERE standort LIKE 'D\\_%' ESCAPE '\\'") == 6
        )


def test_nur_standort_importiert_zeigt_leeren_zustand(db_datei: Path, tmp_path: Path) -> None:
    datei = tmp_path / "standorte.csv"
    datei.write_text(
        "standort;name;ort;bundesland;start\n"
        "LEIPZIG;Treffpunkt Leipzig;Leipzig;Sachsen;01.03.2026\n",
        encoding="utf-8",
    )
    with verbinden(db_datei) as db:
        importiere(db, datei)

    app = _starten()

    assert any("Noch keine Daten importiert" in hinweis.value for hinweis in app.info)
    assert not any("Demo-Daten" in hinweis.value for hinweis in app.info)
    assert _metriken(app)["Standorte"] == "1"
    assert _metriken(app)["Fragebögen"] == "0"
    standorte = app.dataframe[0].value
    assert list(standorte["Standort-ID"]) == ["LEIPZIG"]
    st.cache_resource.clear()
    with verbinden(db_datei) as db:
        assert not bestand.hat_demo(db)


def test_methodik_zeigt_ziele_und_codebuch(db_datei: Path) -> None:
    app = _starten()
    app.switch_page("pages/methodik.py").run()

    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Methodik"
    unterueberschriften = [kopf.value for kopf in app.subheader]
    assert "a) Kontakte" in unterueberschriften
    assert "c) Partizipation" in unterueberschriften
    variablen = {name for tabelle in app.table for name in tabelle.value["Variable"]}
    assert {"code", "a_thermometer", "b_kompetenz_4", "c_kennt_8"} <= variablen
    fragen = {frage for tabelle in app.table for frage in tabelle.value["Frage"]}
    assert "Heutzutage kann man sich auf niemanden mehr verlassen." in fragen

"""App shell: first start on an empty database, empty state, and the Methodik page (AppTest).

Demo data alone opens without login; real data needs a login, or — without any user — shows
only how to create the first admin (issue 7).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from hilfen_anmeldung import als_admin, konto
from streamlit.testing.v1 import AppTest

from monitor import bestand
from monitor.benutzer import DEMO_BANNER
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
    assert DEMO_BANNER in [hinweis.value for hinweis in app.info]  # open, no login: said so
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


def _nur_standort(db_datei: Path, tmp_path: Path) -> None:
    """Real data, but not a single survey: one site imported from a site list."""
    datei = tmp_path / "standorte.csv"
    datei.write_text(
        "standort;name;ort;bundesland;start\n"
        "LEIPZIG;Treffpunkt Leipzig;Leipzig;Sachsen;01.03.2026\n",
        encoding="utf-8",
    )
    with verbinden(db_datei) as db:
        importiere(db, datei)


def test_echte_daten_ohne_benutzer_zeigen_nur_die_einrichtung(
    db_datei: Path, tmp_path: Path
) -> None:
    _nur_standort(db_datei, tmp_path)

    app = _starten()

    assert [titel.value for titel in app.title] == ["Wirkungsmonitor – Einrichtung"]
    assert "python -m monitor benutzer anlegen NAME --rolle admin --passwort-stdin" in [
        code.value for code in app.code
    ]
    assert not app.metric and not app.dataframe and not app.info  # nothing of the data
    assert not app.sidebar.multiselect

    konto(db_datei, "erster-admin")  # as the instructions say: the next run asks for a login
    app.run()
    assert [titel.value for titel in app.title] == ["Wirkungsmonitor – Anmeldung"]
    assert not app.metric and not app.dataframe
    st.cache_resource.clear()
    with verbinden(db_datei) as db:
        assert not bestand.hat_demo(db)  # and no demo data was mixed in


def test_nur_standort_importiert_zeigt_leeren_zustand(db_datei: Path, tmp_path: Path) -> None:
    _nur_standort(db_datei, tmp_path)

    app = als_admin(AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT_S), db_datei)

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
    variablen = {
        name
        for tabelle in app.table
        if "Variable" in tabelle.value
        for name in tabelle.value["Variable"]
    }
    assert {"code", "a_thermometer", "b_kompetenz_4", "c_kennt_8"} <= variablen
    fragen = {
        frage
        for tabelle in app.table
        if "Frage" in tabelle.value
        for frage in tabelle.value["Frage"]
    }
    rollen = next(t.value for t in app.table if "Rolle" in t.value)
    assert list(rollen["Rolle"]) == [
        "Administration",
        "Projektleitung",
        "Standortkoordination",
        "Evaluation",
        "Fördergeber",
    ]
    assert "Heutzutage kann man sich auf niemanden mehr verlassen." in fragen

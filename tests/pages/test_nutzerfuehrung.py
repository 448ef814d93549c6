"""The site coordinator's start page answers its question (issue 16, point 3), on REAL data.

* values without a target read "kein Zielwert", not "keine Daten", and the page says who sets
  targets;
* the own site stands beside the project (all sites, approved quarters only) — but only once at
  least three sites have approved quarters, else the project total minus the own site would
  give another site's value away;
* no demo banner when the own site's data are real, even though demo sites are in the database.

Expectations come from the imported database (SQL) and an engine call with explicit approved
cells, not from the page's helpers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from hilfen_anmeldung import TEST_PASSWORT, anmelden, konto
from streamlit.testing.v1 import AppTest

from indikatoren.engine import berechne
from indikatoren.filter import Filter
from indikatoren.unterdrueckung import GESAMT
from monitor import benutzer, freigabe
from monitor.benutzer import DEMO_BANNER
from monitor.db import verbinden
from monitor.demo import lade_demo
from ui.format import zahl

WURZEL = Path(__file__).resolve().parents[2]
DASHBOARD = WURZEL / "dashboard.py"
EIGENER = "BERLIN"
STANDORTE = ("BERLIN", "LEIPZIG", "DORTMUND")


def _als_standort(pfad: Path) -> AppTest:
    konto(pfad, "koordination", "standort", EIGENER)
    app = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    anmelden(app, "koordination")
    assert not app.exception, [e.value for e in app.exception]
    return app


def _tabelle(app: AppTest) -> pd.DataFrame:
    tabelle = next(d.value for d in app.dataframe if "Zielerreichung" in d.value.columns)
    return tabelle.data if hasattr(tabelle, "data") else tabelle


def test_ohne_zielwerte_heisst_es_kein_zielwert_und_wer_sie_setzt(echt_db: Path) -> None:
    with verbinden(echt_db) as db:
        db.execute("DELETE FROM zielwerte WHERE standort = ?", [EIGENER])
    app = _als_standort(echt_db)
    tabelle = _tabelle(app)
    mit_wert = tabelle[tabelle["Wert"].str.contains(r"\d")]
    assert len(mit_wert) >= 10  # the site has values …
    assert set(mit_wert["Status"]) == {"○ kein Zielwert"}  # … but no targets
    assert "keine Daten" not in " ".join(mit_wert["Status"])
    hinweis = " ".join(i.value for i in app.info)
    assert f"Für {len(mit_wert)} Indikatoren mit Wert ist kein Zielwert gesetzt" in hinweis
    assert "Projektleitung" in hinweis and "Zielwerte" in hinweis


def test_projektvergleich_erst_ab_drei_freigegebenen_standorten(echt_db: Path) -> None:
    konto(echt_db, "leitung", "projektleitung")
    quartal = "2025-Q2"
    with verbinden(echt_db) as db:
        sitzung = benutzer.anmelden(db, "leitung", TEST_PASSWORT)
        assert sitzung is not None
        for standort in STANDORTE[:2]:
            freigabe.einreichen(db, sitzung, standort, quartal)
            freigabe.freigeben(db, sitzung, standort, quartal)

    zwei = _als_standort(echt_db)
    assert "Projekt" not in _tabelle(zwei).columns
    assert any("mindestens drei Standorte" in c.value for c in zwei.caption)

    with verbinden(echt_db) as db:
        sitzung = benutzer.anmelden(db, "leitung", TEST_PASSWORT)
        assert sitzung is not None
        freigabe.einreichen(db, sitzung, STANDORTE[2], quartal)
        freigabe.freigeben(db, sitzung, STANDORTE[2], quartal)
        zellen = {(s, quartal) for s in STANDORTE}
        projekt = berechne(db, Filter(), zellen=zellen).indikatoren
    a1 = projekt[
        (projekt["indikator"] == "A1")
        & (projekt["standort"] == GESAMT)
        & (projekt["gruppe"] == GESAMT)
        & (projekt["periode"] == GESAMT)
    ].iloc[0]["wert"]

    st.cache_data.clear()  # as the approval page does after a step (the same process)
    drei = _als_standort(echt_db)
    tabelle = _tabelle(drei).set_index("ID")
    spalten = list(tabelle.columns)
    assert spalten.index("Projekt") == spalten.index("Wert") + 1  # beside the own value
    assert tabelle.loc["A1", "Projekt"].startswith(zahl(a1))
    assert tabelle.loc["A1", "Projekt"] != tabelle.loc["A1", "Wert"]


def test_kein_demo_hinweis_fuer_echte_eigene_daten(echt_db: Path) -> None:
    with verbinden(echt_db) as db:
        lade_demo(db)  # demo sites next to the real ones
        demo = db.scalar("SELECT count(*) FROM standorte WHERE demo")
    assert demo > 0
    app = _als_standort(echt_db)
    texte = " ".join(i.value for i in app.info)
    assert DEMO_BANNER not in texte and "Demo-Daten" not in texte

    konto(echt_db, "leitung", "projektleitung")  # sees all sites, demo ones included
    leitung = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    anmelden(leitung, "leitung")
    assert any("Demo-Daten" in i.value for i in leitung.info)


def test_ruecklauf_ueber_hundert_prozent_wird_gewarnt(echt_db: Path) -> None:
    """Activities missing from the documentation: more T0 questionnaires than first-time
    participants. The rate is shown as it is, with a plausibility warning beside it."""
    app = _als_standort(echt_db)
    vorher = next(m.value for m in app.metric if m.label == "Rücklauf Eingangsbefragung")
    assert int(vorher.split("\u00a0")[0]) <= 100
    assert not any("Plausibilität" in w.value for w in app.warning)

    with verbinden(echt_db) as db:
        db.execute("DELETE FROM aktivitaeten WHERE standort = ? AND rowid % 10 <> 0", [EIGENER])
    st.cache_data.clear()
    app = _als_standort(echt_db)
    nachher = next(m.value for m in app.metric if m.label == "Rücklauf Eingangsbefragung")
    assert int(nachher.split("\u00a0")[0].replace(".", "")) > 100
    assert any("Plausibilität" in w.value for w in app.warning)


def test_statusliste_fuer_das_telefon_sagt_kein_zielwert(echt_db: Path) -> None:
    """The phone list of the site comparison counts values without target as such."""
    with verbinden(echt_db) as db:
        db.execute("DELETE FROM zielwerte WHERE standort = ?", [EIGENER])
    app = _als_standort(echt_db)
    app.switch_page("pages/standortvergleich.py").run()
    assert not app.exception, [e.value for e in app.exception]
    liste = "\n".join(m.value for m in app.markdown if m.value.startswith("- **"))
    # the status list's line (the forest plot's list beside it has "…, n = …" lines)
    berlin = next(z for z in liste.splitlines() if "Berlin" in z and "n = " not in z)
    assert "kein Zielwert" in berlin and "keine Daten" not in berlin
    assert "✓" not in berlin and "✕" not in berlin  # no target: no attainment status

"""Logins and roles in the running dashboard (issue 7), driven through the real login form.

The database holds REAL data, not demo data (:mod:`hilfen_echte_daten`: renamed demo tables
imported as CSV files), so the dashboard is in its secure mode. Every login goes through the
form; every expectation is computed independently of the page — the allowed pages as a
hand-written table per role, the key figures by counting the imported CSV rows and by SQL on
the database file, the funder's numbers by an engine call with explicit approved cells.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hilfen_anmeldung import TEST_PASSWORT, anmelden, konto
from hilfen_echte_daten import ERWARTETE_SEITEN, EchteDaten
from streamlit.testing.v1 import AppTest

from indikatoren.engine import berechne
from indikatoren.filter import Filter
from indikatoren.unterdrueckung import GESAMT
from indikatoren.zielerreichung import ziel_zusammenfassung
from monitor import benutzer, freigabe
from monitor.audit import protokoll
from monitor.benutzer import DEMO_BANNER
from monitor.db import verbinden
from monitor.demo import lade_demo
from ui.format import prozent, zahl
from ui.navigation import SEITEN

WURZEL = Path(__file__).resolve().parents[2]
DASHBOARD = WURZEL / "dashboard.py"
TIMEOUT_S = 120

EIGENER = "BERLIN"  # the site of the site coordinator in these tests
ANDERE = ("LEIPZIG", "DORTMUND")
#: How the other sites could show up on a page: ID, name part, place.
ANDERE_TEXTE = ("LEIPZIG", "Leipzig", "DORTMUND", "Dortmund")

ALLE_SEITEN = sorted(p.name for p in (WURZEL / "pages").glob("*.py"))


# The real database: fixtures ``echte_daten`` and ``echt_db`` in conftest.py.


# -- helpers ----------------------------------------------------------------------------------
def _app() -> AppTest:
    return AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT_S)


def _ohne_fehler(app: AppTest) -> AppTest:
    assert not app.exception, [e.value for e in app.exception]
    return app


def _als(pfad: Path, name: str, rolle: str, standort: str | None = None) -> AppTest:
    """A fresh app with ``name`` (created with ``rolle``) logged in through the form."""
    konto(pfad, name, rolle, standort)
    app = _app().run()
    return _ohne_fehler(anmelden(app, name))


def _seite(app: AppTest, datei: str) -> AppTest:
    return _ohne_fehler(app.switch_page(f"pages/{datei}").run())


def _registriert(app: AppTest) -> set[str]:
    """The page files the last run registered with st.navigation (switch_page finds them)."""
    gefunden = set()
    for datei in ALLE_SEITEN:
        try:
            app.switch_page(f"pages/{datei}")
        except ValueError as fehler:
            assert "Could not find a navigation page" in str(fehler)
        else:
            gefunden.add(datei)
    return gefunden


def _texte(app: AppTest) -> str:
    """Everything a user could read on the page: texts, labels, options, tables, charts."""
    teile: list[str] = []
    for art in ("title", "header", "subheader", "markdown", "caption", "code", "text"):
        teile += [str(e.value) for e in getattr(app, art)]
    for art in ("info", "warning", "error", "success"):
        teile += [str(e.value) for e in getattr(app, art)]
    teile += [f"{m.label} {m.value}" for m in app.metric]
    for art in ("selectbox", "multiselect", "radio"):
        for element in getattr(app, art):
            teile += [element.label, *map(str, element.options)]
    teile += [t.label for t in app.tabs] + [e.label for e in app.expander]
    teile += [d.value.to_string() for d in app.dataframe] + [t.value.to_string() for t in app.table]
    teile += [c.proto.spec for c in app.get("plotly_chart")]
    return "\n".join(teile)


def _metriken(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _fehlermeldungen(app: AppTest) -> list[str]:
    return [str(e.value) for e in app.error]


def _anmeldeformular(app: AppTest) -> bool:
    schluessel = {e.key for e in app.text_input}
    return {"anmeldung_name", "anmeldung_passwort"} <= schluessel


def _audit(pfad: Path, was: str) -> pd.DataFrame:
    with verbinden(pfad) as db:
        return protokoll(db, was=was)


def _versuch(app: AppTest, name: str, passwort: str) -> AppTest:
    app.text_input(key="anmeldung_name").input(name)
    app.text_input(key="anmeldung_passwort").input(passwort)
    app.button(key="FormSubmitter:anmeldung-Anmelden").click().run()
    return _ohne_fehler(app)


def _nichts_von_den_daten(app: AppTest, daten: EchteDaten) -> None:
    """No number, table, chart or site of the real data is on the page."""
    assert not app.metric and not app.dataframe and not app.table
    assert not app.get("plotly_chart")
    text = _texte(app)
    for standort in daten.tabellen["standorte"].itertuples():
        assert standort.standort not in text and standort.ort not in text
    assert str(len(daten.tabellen["befragungen"])) not in text
    for datei in ALLE_SEITEN:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(f"pages/{datei}")


# -- 1. secure default ------------------------------------------------------------------------
def test_nur_demo_daten_ohne_benutzer_offen_mit_banner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pfad = tmp_path / "demo.duckdb"
    with verbinden(pfad) as db:
        lade_demo(db, standorte=3, teilnehmende=300)
    monkeypatch.setenv("MONITOR_DB", str(pfad))

    app = _ohne_fehler(_app().run())

    assert DEMO_BANNER in [i.value for i in app.info]
    assert not _anmeldeformular(app)
    assert app.title[0].value == "Übersicht"
    assert _metriken(app)["Standorte"] == "3"
    # The anonymous guest may do everything with demo data except manage users: whoever
    # reached a fresh server could otherwise create the first admin.
    assert _registriert(app) == ERWARTETE_SEITEN["admin"] - {"verwaltung.py"}
    assert "Demo-Modus ohne Anmeldung" in [c.value for c in app.sidebar.caption]


def test_echte_daten_ohne_benutzer_nur_einrichtung(echt_db: Path, echte_daten: EchteDaten) -> None:
    app = _ohne_fehler(_app().run())

    assert [t.value for t in app.title] == ["Wirkungsmonitor – Einrichtung"]
    assert any("benutzer anlegen" in c.value and "--rolle admin" in c.value for c in app.code)
    assert any("noch keine Benutzer" in w.value for w in app.warning)
    assert not _anmeldeformular(app)
    assert not app.sidebar.children or not _texte(app.sidebar)
    _nichts_von_den_daten(app, echte_daten)


def test_echte_daten_mit_benutzern_nur_anmeldung(echt_db: Path, echte_daten: EchteDaten) -> None:
    konto(echt_db, "leitung", "projektleitung")

    app = _ohne_fehler(_app().run())

    assert [t.value for t in app.title] == ["Wirkungsmonitor – Anmeldung"]
    assert _anmeldeformular(app)
    assert not app.code  # the setup command is not shown once users exist
    _nichts_von_den_daten(app, echte_daten)


# -- 2. login, lock-out, logout, locked account --------------------------------------------------
def test_falsches_passwort_wird_abgewiesen_und_protokolliert(echt_db: Path) -> None:
    konto(echt_db, "leitung", "projektleitung")
    app = _app().run()

    _versuch(app, "leitung", "falsches-passwort-1")

    assert _anmeldeformular(app)
    assert _fehlermeldungen(app) == [
        "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch."
    ]
    fehlgeschlagen = _audit(echt_db, "anmeldung_fehlgeschlagen")
    assert list(fehlgeschlagen["Wer"]) == ["leitung"]
    assert json.loads(fehlgeschlagen.iloc[0]["Details"]) == {"fehlversuche": 1}
    assert "falsches-passwort-1" not in fehlgeschlagen.to_string()
    assert _audit(echt_db, "anmeldung").empty

    _versuch(app, "niemand.da", "noch-ein-passwort")  # unknown names: only a short hash
    wer = set(_audit(echt_db, "anmeldung_fehlgeschlagen")["Wer"])
    assert "niemand.da" not in wer and any(w.startswith("unbekannt#") for w in wer)


def test_fuenf_fehlversuche_sperren_auch_das_richtige_passwort(echt_db: Path) -> None:
    konto(echt_db, "leitung", "projektleitung")
    app = _app().run()

    for _ in range(4):
        _versuch(app, "leitung", "falsches-passwort-1")
        assert "gesperrt" not in " ".join(_fehlermeldungen(app))
    _versuch(app, "leitung", "falsches-passwort-1")
    assert "gesperrt" in _fehlermeldungen(app)[0]
    assert re.search(
        r"bis \d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d Uhr gesperrt", _fehlermeldungen(app)[0]
    )

    _versuch(app, "leitung", TEST_PASSWORT)
    assert _anmeldeformular(app) and "gesperrt" in _fehlermeldungen(app)[0]
    assert len(_audit(echt_db, "anmeldung_gesperrt")) == 1
    assert _audit(echt_db, "anmeldung").empty

    # The lock-out ends: move its end into the past, as time would.
    with verbinden(echt_db) as db:
        db.execute(
            "UPDATE anmeldeversuche SET gesperrt_bis = ? WHERE schluessel = ?",
            [datetime.now() - timedelta(seconds=1), "leitung"],
        )
    _versuch(app, "leitung", TEST_PASSWORT)
    assert not _anmeldeformular(app)
    assert app.title[0].value == "Übersicht"
    assert list(_audit(echt_db, "anmeldung")["Wer"]) == ["leitung"]


def test_anmelden_abmelden_und_gesperrtes_konto(echt_db: Path) -> None:
    app = _als(echt_db, "leitung", "projektleitung")
    assert app.title[0].value == "Übersicht"
    assert "Angemeldet: leitung (Projektleitung)" in [c.value for c in app.sidebar.caption]
    assert list(_audit(echt_db, "anmeldung")["Wer"]) == ["leitung"]

    app.sidebar.button(key="abmelden").click().run()
    _ohne_fehler(app)
    assert _anmeldeformular(app) and not app.metric
    assert list(_audit(echt_db, "abmeldung")["Wer"]) == ["leitung"]

    _ohne_fehler(anmelden(app, "leitung"))
    assert app.title[0].value == "Übersicht"
    with verbinden(echt_db) as db:
        benutzer.sperre(db, "leitung", grund="Test")
    app.run()
    _ohne_fehler(app)
    assert _anmeldeformular(app) and not app.metric
    assert any("Sitzung ist abgelaufen" in i.value for i in app.info)

    _versuch(app, "leitung", TEST_PASSWORT)  # a locked account cannot log in again
    assert _anmeldeformular(app)
    assert list(_audit(echt_db, "anmeldung_abgewiesen")["Wer"]) == ["leitung"]


# -- 3. pages per role ------------------------------------------------------------------------
def test_erwartungstabelle_deckt_alle_seiten_ab() -> None:
    """The hand-written table knows every page, so a new page must be placed in it."""
    assert sorted(Path(s.datei).name for s in SEITEN) == ALLE_SEITEN
    assert set(ERWARTETE_SEITEN) == set(benutzer.ROLLEN)
    assert all(seiten <= set(ALLE_SEITEN) for seiten in ERWARTETE_SEITEN.values())


@pytest.mark.parametrize("rolle", list(ERWARTETE_SEITEN))
def test_rolle_sieht_genau_ihre_seiten(echt_db: Path, rolle: str) -> None:
    standort = EIGENER if rolle == "standort" else None
    app = _als(echt_db, f"nutzer.{rolle}", rolle, standort)

    assert _registriert(app) == ERWARTETE_SEITEN[rolle]
    for datei in sorted(set(ALLE_SEITEN) - ERWARTETE_SEITEN[rolle]):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(f"pages/{datei}")
    # Every allowed data page opens for this role (title shown, no exception).
    for datei in ("bericht.py", "datenqualitaet.py") if rolle != "foerdergeber" else ():
        assert _seite(app, datei).title


@pytest.mark.parametrize("datei", ["verwaltung.py", "datenimport.py", "freigaben.py"])
def test_gesperrte_seite_direkt_ausgefuehrt_zeigt_nichts(echt_db: Path, datei: str) -> None:
    """A page file run on its own (Streamlit's pages/ mode) without login shows nothing."""
    konto(echt_db, "leitung", "projektleitung")
    app = AppTest.from_file(str(WURZEL / "pages" / datei), default_timeout=TIMEOUT_S).run()

    _ohne_fehler(app)
    assert [w.value for w in app.warning] == ["Bitte zuerst auf der Startseite anmelden."]
    assert not app.title and not app.dataframe and not app.metric


# -- 4. a site coordinator sees only its site -------------------------------------------------
def _zaehle(pfad: Path, sql: str, standort: str) -> int:
    with verbinden(pfad) as db:
        return int(db.scalar(sql, [standort]))


def test_standort_sieht_nur_den_eigenen_standort(echt_db: Path, echte_daten: EchteDaten) -> None:
    app = _als(echt_db, "koordination", "standort", EIGENER)

    auswahl = app.sidebar.multiselect(key="f_standorte")
    assert list(auswahl.options) == ["Treffpunkt Berlin (Berlin)"]
    metriken = _metriken(app)
    befragungen = echte_daten.tabellen["befragungen"]
    eigene = befragungen[befragungen["standort"] == EIGENER]
    assert metriken["Standorte"] == "1"
    # participants only (issue 15): the demo's comparison group is not counted as such
    vergleich = eigene["vergleichsgruppe"].astype(str).str.lower().isin(["ja", "true"])
    assert vergleich.any()
    assert metriken["Teilnehmende"] == zahl(eigene.loc[~vergleich, "code"].nunique())
    assert metriken["Fragebögen"] == zahl(len(eigene))
    assert metriken["Erreichte Teilnehmende"] == zahl(
        eigene.loc[(eigene["welle"] == "T0") & ~vergleich, "code"].nunique()
    )
    aktivitaeten = echte_daten.tabellen["aktivitaeten"]
    anzahl = int((aktivitaeten["standort"] == EIGENER).sum())
    assert metriken["Aktivitäten"] == metriken["Aktivitäten gesamt"] == zahl(anzahl)
    # The same counts straight from the database file (what was imported, not what was written).
    assert metriken["Fragebögen"] == zahl(
        _zaehle(echt_db, "SELECT count(*) FROM befragungen WHERE standort = ?", EIGENER)
    )
    assert len(befragungen) > len(eigene)  # there is other data to hide
    assert not any(t in _texte(app) for t in ANDERE_TEXTE)

    vergleich = _seite(app, "standortvergleich.py")
    text = _texte(vergleich)
    assert "Berlin" in text
    assert not [t for t in ANDERE_TEXTE if t in text]


def test_standort_sieht_die_ziele_des_eigenen_standorts(echt_db: Path) -> None:
    """Without choosing its site, a site coordinator's goals are judged on its site's targets
    (the project total has no targets for one site's data)."""
    with verbinden(echt_db) as db:
        erwartet = berechne(db, Filter(standorte=(EIGENER,))).indikatoren
    staende = {s.ziel.value: s for s in ziel_zusammenfassung(erwartet, EIGENER)}
    assert all(s.zielerreichung is not None for s in staende.values())

    app = _als(echt_db, "koordination", "standort", EIGENER)

    metriken = _metriken(app)
    for ziel, stand in staende.items():
        assert metriken[f"Zielerreichung Ziel {ziel}"].startswith(prozent(stand.zielerreichung))
    ziel_a = _seite(app, "ziel_a.py")
    assert _metriken(ziel_a)["Zielerreichung Ziel a"] == metriken["Zielerreichung Ziel a"]


def _mit_url_standorten(name: str) -> AppTest:
    """Open a shared link ``?standorte=LEIPZIG,DORTMUND`` and log in as ``name``."""
    app = _app()
    app.query_params["standorte"] = ",".join(ANDERE)
    app.run()
    return _ohne_fehler(anmelden(app, name))


def test_standort_url_mit_anderem_standort_zeigt_ihn_nicht(
    echt_db: Path, echte_daten: EchteDaten
) -> None:
    # Control: the link does select the sites for a role that may see them.
    konto(echt_db, "leitung", "projektleitung")
    assert _mit_url_standorten("leitung").sidebar.multiselect(key="f_standorte").value == list(
        ANDERE
    )

    konto(echt_db, "koordination", "standort", EIGENER)
    app = _mit_url_standorten("koordination")

    assert app.sidebar.multiselect(key="f_standorte").value == []
    assert not [t for t in ANDERE_TEXTE if t in _texte(app)]
    befragungen = echte_daten.tabellen["befragungen"]
    eigene = befragungen[befragungen["standort"] == EIGENER]
    assert _metriken(app)["Fragebögen"] == zahl(len(eigene))
    vergleich = _seite(app, "standortvergleich.py")
    assert not [t for t in ANDERE_TEXTE if t in _texte(vergleich)]


# -- 5. the funder sees approved quarters only --------------------------------------------------
def _a1(ergebnis_indikatoren: pd.DataFrame) -> float:
    zeile = ergebnis_indikatoren[
        (ergebnis_indikatoren["indikator"] == "A1")
        & (ergebnis_indikatoren["standort"] == GESAMT)
        & (ergebnis_indikatoren["gruppe"] == GESAMT)
        & (ergebnis_indikatoren["periode"] == GESAMT)
    ]
    return float(zeile.iloc[0]["wert"])


def test_foerdergeber_ohne_freigabe_sieht_keine_werte(echt_db: Path) -> None:
    app = _als(echt_db, "geldgeber", "foerdergeber")

    assert any("bisher ist keines freigegeben" in i.value for i in app.info)
    assert not [m for m in app.metric if re.search(r"\d", m.value)]
    # Only the approval state per site remains (empty: nothing approved): no indicator, no
    # count, no import times or file names (a funder sees approved aggregates only).
    tabellen = [d.value for d in app.dataframe]
    assert [list(t.columns) for t in tabellen] == [["Standort", "Freigegeben bis"]]
    assert tabellen[0].empty
    assert not app.get("plotly_chart")
    assert any(
        c.value.startswith("Es werden nur freigegebene Quartale gezeigt")
        for c in app.sidebar.caption
    )
    assert "f_freigegeben" not in {t.key for t in app.toggle}


FREIGEGEBEN = ("BERLIN", "2025-Q2")  # the quarter with the most questionnaires of BERLIN


def test_foerdergeber_sieht_genau_das_freigegebene_quartal(echt_db: Path) -> None:
    konto(echt_db, "leitung", "projektleitung")
    with verbinden(echt_db) as db:
        sitzung = benutzer.anmelden(db, "leitung", TEST_PASSWORT)
        assert sitzung is not None
        freigabe.einreichen(db, sitzung, *FREIGEGEBEN)
        freigabe.freigeben(db, sitzung, *FREIGEGEBEN)
        nur_freigegeben = berechne(db, Filter(), zellen={FREIGEGEBEN}).indikatoren
        alles = berechne(db, Filter()).indikatoren
    assert _a1(nur_freigegeben) != _a1(alles)

    app = _als(echt_db, "geldgeber", "foerdergeber")

    assert not any("bisher ist keines freigegeben" in i.value for i in app.info)
    # targets are judged at the end of the last approved quarter, and the page says so
    jahr, q = FREIGEGEBEN[1].split("-Q")
    ende = (pd.Timestamp(int(jahr), 3 * int(q), 1) + pd.offsets.MonthEnd(0)).strftime("%d.%m.%Y")
    assert any(f"Zielstand bewertet zum {ende}" in c.value for c in app.caption)
    assert _metriken(app)["Erreichte Teilnehmende"] == zahl(_a1(nur_freigegeben))
    assert "f_freigegeben" not in {t.key for t in app.toggle}
    ziel_a = _seite(app, "ziel_a.py")
    wert = next(m for m in ziel_a.metric if m.label.startswith("Wert"))
    assert wert.value.startswith(zahl(_a1(nur_freigegeben)))
    assert not wert.value.startswith(zahl(_a1(alles)))


# -- 6. the approval page ---------------------------------------------------------------------
def _schritt(app: AppTest, standort: str, quartal: str) -> AppTest:
    """Choose site and quarter on the Freigaben page."""
    next(s for s in app.selectbox if s.label == "Standort").set_value(standort)
    _ohne_fehler(app.run())
    next(s for s in app.selectbox if s.label == "Quartal").set_value(quartal)
    return _ohne_fehler(app.run())


def _ausfuehren(app: AppTest, aktion: str, grund: str = "") -> AppTest:
    app.radio[0].set_value(aktion)
    app.text_area[0].input(grund)
    app.button(key="FormSubmitter:freigabe_schritt-Ausführen").click().run()
    return _ohne_fehler(app)


def _stand(app: AppTest, quartal: str) -> str:
    tabelle = next(d.value for d in app.dataframe if "Status" in d.value.columns)
    zeile = tabelle[(tabelle["Quartal"] == f"{quartal[-2:]} {quartal[:4]}")]
    return str(zeile.iloc[0]["Status"])


def test_freigabe_einreichen_zurueckgeben_freigeben(echt_db: Path) -> None:
    quartal = "2025-Q3"
    standort = _seite(_als(echt_db, "koordination", "standort", EIGENER), "freigaben.py")
    assert next(s for s in standort.selectbox if s.label == "Standort").options == [
        "Treffpunkt Berlin (Berlin)"
    ]
    _schritt(standort, EIGENER, quartal)
    assert standort.radio[0].options == ["Zur Freigabe einreichen"]
    _ausfuehren(standort, "einreichen")
    assert "Eingereicht" in _stand(standort, quartal)
    _schritt(standort, EIGENER, quartal)
    assert not standort.radio  # the site may not approve its own quarter
    assert any("keinen nächsten Schritt" in i.value for i in standort.info)

    leitung = _seite(_als(echt_db, "leitung", "projektleitung"), "freigaben.py")
    _schritt(leitung, EIGENER, quartal)
    assert set(leitung.radio[0].options) == {
        "Freigeben (sperrt das Quartal)",
        "Zurückgeben (mit Begründung)",
    }
    _ausfuehren(leitung, "zurueckgeben")
    assert "Für „zurückgeben“ ist eine Begründung nötig." in _fehlermeldungen(leitung)
    with verbinden(echt_db) as db:
        assert freigabe.status(db, EIGENER, quartal) is freigabe.Status.EINGEREICHT

    _ausfuehren(leitung, "freigeben")
    assert "Freigegeben" in _stand(leitung, quartal)
    with verbinden(echt_db) as db:
        assert freigabe.status(db, EIGENER, quartal) is freigabe.Status.FREIGEGEBEN
    schritte = _audit(echt_db, "freigabe")
    assert [json.loads(d)["aktion"] for d in schritte["Details"]] == ["freigeben", "einreichen"]
    assert list(schritte["Wer"]) == ["leitung", "koordination"]


# -- 7. the admin page ------------------------------------------------------------------------
def _anlegen(app: AppTest, name: str, passwort: str, wiederholt: str) -> AppTest:
    next(t for t in app.text_input if t.label == "Benutzername").input(name)
    next(s for s in app.selectbox if s.label == "Rolle").set_value("evaluation")
    app.text_input(key="neu_passwort").input(passwort)
    app.text_input(key="neu_passwort_2").input(wiederholt)
    app.button(key="FormSubmitter:benutzer_anlegen-Benutzer anlegen").click().run()
    return _ohne_fehler(app)


def test_verwaltung_benutzer_anlegen_sperren_und_manipuliertes_protokoll(echt_db: Path) -> None:
    app = _seite(_als(echt_db, "chefin", "admin"), "verwaltung.py")
    assert app.title[0].value == "Benutzer und Protokoll"
    assert any("Hash-Kette geprüft" in s.value for s in app.success)

    _anlegen(app, "evaluatorin", "ein-langes-passwort", "ein-anderes-passwort")
    assert "Die beiden Passwörter stimmen nicht überein." in _fehlermeldungen(app)
    with verbinden(echt_db) as db:
        assert benutzer.benutzer(db, "evaluatorin") is None

    _anlegen(app, "evaluatorin", "ein-langes-passwort", "ein-langes-passwort")
    assert "Benutzer 'evaluatorin' angelegt." in [s.value for s in app.success]
    with verbinden(echt_db) as db:
        neu = benutzer.benutzer(db, "evaluatorin")
    assert neu is not None and neu.rolle == "evaluation" and not neu.gesperrt

    next(s for s in app.selectbox if s.label == "Benutzer").set_value("evaluatorin")
    app.button(key="FormSubmitter:benutzer_aendern-Sperren").click().run()
    _ohne_fehler(app)
    with verbinden(echt_db) as db:
        neu = benutzer.benutzer(db, "evaluatorin")
    assert neu is not None and neu.gesperrt

    eintraege = next(d.value for d in app.dataframe if "Aktion" in d.value.columns)
    aktionen = list(eintraege["Aktion"])
    assert {"Benutzer angelegt", "Benutzer gesperrt", "Anmeldung"} <= set(aktionen)
    angelegt = eintraege[eintraege["Aktion"] == "Benutzer angelegt"]
    assert "chefin" in set(angelegt["Wer"])  # created in the dashboard, by the admin
    assert "ein-langes-passwort" not in eintraege.to_string()

    # Someone changes an entry with plain SQL, outside the dashboard.
    with duckdb.connect(str(echt_db)) as con:
        erster = con.execute("SELECT min(id) FROM auditprotokoll").fetchall()[0][0]
        con.execute("UPDATE auditprotokoll SET grund = ? WHERE id = ?", ["nachträglich", erster])
    app.run()
    _ohne_fehler(app)
    fehler = " ".join(_fehlermeldungen(app))
    assert "Das Protokoll wurde außerhalb des Dashboards verändert" in fehler
    assert f"Eintrag Nr. {erster}: Inhalt wurde nachträglich verändert." in fehler
    assert not any("Hash-Kette geprüft" in s.value for s in app.success)

"""The public questionnaire page (issue 17) in AppTest: by link, in German and in Arabic.

The real ``dashboard.py`` with ``?t=TOKEN``; real sites from a CSV import, a real admin account
(so the dashboard itself needs a login) and a real link. The stored row is compared with the
answers typed in, written out by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from hilfen_anmeldung import als_admin, anmelden, konto
from streamlit.testing.v1 import AppTest

from monitor import erhebung
from monitor import uebersetzung as ue
from monitor.db import verbinden
from monitor.importieren import importiere
from ui.fragebogen import PARAMETER

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
STANDORTE = (
    "standort;name;ort;bundesland;start\n"
    "KOELN;Begegnungshaus Köln;Köln;Nordrhein-Westfalen;2025-02-01\n"
    "BERLIN;Kiezprojekt;Berlin;Berlin;2025-01-15\n"
)


@pytest.fixture
def link(db_datei: Path, tmp_path: Path) -> str:
    """Two sites, an admin (the dashboard needs a login) and a T0 link for KOELN."""
    (tmp_path / "standorte.csv").write_text(STANDORTE, encoding="utf-8")
    with verbinden(db_datei) as db:
        importiere(db, tmp_path / "standorte.csv")
    konto(db_datei, "admin")
    with verbinden(db_datei) as db:
        return erhebung.link_anlegen(db, "KOELN", "T0", wer="test")


def _oeffnen(token: str) -> AppTest:
    app = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    app.query_params[PARAMETER] = token
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _klick(app: AppTest, label: str) -> AppTest:
    knopf = [b for b in app.button if b.label == label]
    assert knopf, (label, [b.label for b in app.button])
    knopf[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _ausfuellen(app: AppTest, sprache: str, antworten: dict[str, object]) -> AppTest:
    """Choose the language, agree, type the code twice, answer, go on until the end."""

    def t(text: str) -> str:
        return ue.uebersetze(sprache, text)

    app.button(key=f"sprache_{sprache}").click().run()
    assert app.title[0].value == t(ue.T_TITEL)
    _klick(app, t(ue.T_WEITER))  # without consent: not on
    assert app.error[0].value == t(ue.T_PFLICHT)
    app.checkbox[0].check()
    _klick(app, t(ue.T_WEITER))
    assert app.header[0].value == t(ue.T_CODE)
    app.text_input[0].input("Mü07BE")
    app.text_input[1].input("mu07be")  # a typo: caught
    _klick(app, t(ue.T_WEITER))
    assert app.error[0].value == t(ue.T_CODE_UNGLEICH)
    app.text_input[1].input("mü 07 be")
    _klick(app, t(ue.T_WEITER))
    assert t(ue.T_CODE_GESPEICHERT).format(code="mue07be") in [c.value for c in app.caption]
    for _ in range(20):
        for name, wert in antworten.items():
            radios = [r for r in app.radio if r.key == f"fb_{name}"]
            zahlen = [z for z in app.number_input if z.key == f"fb_{name}"]
            for widget in radios + zahlen:
                widget.set_value(wert)
        labels = [b.label for b in app.button]
        if t(ue.T_ABSENDEN) in labels:
            return _klick(app, t(ue.T_ABSENDEN))
        _klick(app, t(ue.T_WEITER))
        if app.error:  # a screen did not let the participant on
            return app
    raise AssertionError("kein Absenden-Knopf")


ANTWORTEN: dict[str, object] = {
    "migrationshintergrund": "nein",
    "geschlecht": "weiblich",
    "a_kontakt_haeufigkeit": "5",
    "a_thermometer": 80,
    "b_kompetenz_4": "2",
    "c_kennt_1": "ja",
    "c_engagiert": "nein",
}


def _gespeichert(db_datei: Path) -> list[dict[str, object]]:
    st.cache_resource.clear()
    with verbinden(db_datei) as db:
        return db.query(
            "SELECT b.code, b.standort, b.welle, b.datum, b.migrationshintergrund, b.geschlecht, "
            "b.a_kontakt_haeufigkeit, b.a_thermometer, b.b_kompetenz_4, b.c_kennt_1, "
            "b.c_engagiert, b.altersgruppe, i.dateiname FROM befragungen b "
            "JOIN importe i USING (import_id)"
        ).to_dict("records")


def _erwartet(sprache: str) -> dict[str, object]:
    return {
        "code": "mue07be",
        "standort": "KOELN",
        "welle": "T0",
        "datum": pd.Timestamp(date.today()),
        "migrationshintergrund": "nein",
        "geschlecht": "weiblich",
        "a_kontakt_haeufigkeit": 5,
        "a_thermometer": 80,
        "b_kompetenz_4": 2,
        "c_kennt_1": True,
        "c_engagiert": False,
        "altersgruppe": None,
        "dateiname": f"fragebogen-link_KOELN_T0_{sprache}.csv",
    }


@pytest.mark.parametrize("sprache", ["de", "ar"])
def test_fragebogen_per_link_landet_in_der_datenbank(
    link: str, db_datei: Path, sprache: str
) -> None:
    app = _oeffnen(link)
    # nothing of the dashboard: no login form, no navigation, no sidebar
    assert not app.text_input and not app.sidebar.children
    assert [b.label for b in app.button][:3] == ["Deutsch", "Leichte Sprache", "English"]
    assert ue.uebersetze("ar", ue.T_SPRACHE) in app.caption[0].value  # asked in every language
    _ausfuellen(app, sprache, ANTWORTEN)
    assert app.success[0].value == ue.uebersetze(sprache, ue.T_DANKE)
    assert _gespeichert(db_datei) == [_erwartet(sprache)]


def test_arabisch_ist_rechts_nach_links_und_als_entwurf_markiert(link: str) -> None:
    app = _oeffnen(link)
    app.button(key="sprache_ar").click().run()
    assert any("direction: rtl" in str(h.proto.body) for h in app.get("html"))
    assert app.info[0].value == ue.uebersetze("ar", ue.T_ENTWURF)
    assert app.title[0].value != ue.T_TITEL  # really Arabic, not the German fallback


def test_pflichtfrage_haelt_auf(link: str, db_datei: Path) -> None:
    app = _oeffnen(link)
    _ausfuellen(app, "de", {})  # T0 without migrationshintergrund
    assert app.error[0].value == ue.T_PFLICHT
    assert not app.success
    assert _gespeichert(db_datei) == []


@pytest.mark.parametrize("token", ["gefaelscht", "x" * 32])
def test_gefaelschter_link_wird_auf_deutsch_abgewiesen(
    link: str, db_datei: Path, token: str
) -> None:
    app = _oeffnen(token)
    assert [e.value for e in app.error] == [erhebung.UNGUELTIG]
    assert not app.button and not app.text_input and not app.sidebar.children
    assert _gespeichert(db_datei) == []


def test_widerrufener_link_wird_abgewiesen(link: str, db_datei: Path) -> None:
    with verbinden(db_datei) as db:
        erhebung.link_widerrufen(db, "KOELN", "T0", wer="test")
    app = _oeffnen(link)
    assert [e.value for e in app.error] == [erhebung.ABGELAUFEN]
    assert not app.button


def test_datenimport_legt_links_an_die_der_fragebogen_annimmt(link: str, db_datei: Path) -> None:
    """The import page creates a link (URL, QR code, A4 sheet); that URL opens the questionnaire;
    revoking on the page ends it. The project lead sees the inbox."""
    app = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    app.run()
    als_admin(app, db_datei)
    app.switch_page("pages/datenimport.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Fragebogen per Link oder QR-Code" in [h.value for h in app.header]
    standort = next(s for s in app.selectbox if s.label == "Standort")
    standort.set_value("BERLIN")
    next(m for m in app.multiselect if m.label == "Wellen").set_value(["T1"])
    app.button(key="FormSubmitter:erhebung_links-Links anlegen").click().run()
    assert not app.exception, [e.value for e in app.exception]
    urls = [m.value for m in app.markdown if "?t=" in m.value]
    assert len(urls) == 1 and urls[0].startswith("**T1**")
    token = urls[0].split("?t=")[1].rstrip("`")
    assert [e.type for e in app.main.children.values()].count("image") == 1  # the QR code
    assert len(app.get("download_button")) >= 1  # the A4 sheet
    assert "Der Posteingang ist leer." in [i.value for i in app.info]
    with verbinden(db_datei) as db:
        assert erhebung.link_pruefen(db, token).standort == "BERLIN"
    fragebogen = _oeffnen(token)
    assert not fragebogen.error
    app.button(key="FormSubmitter:erhebung_links-Links widerrufen").click().run()
    assert "Links widerrufen" in app.success[0].value
    assert [e.value for e in _oeffnen(token).error] == [erhebung.ABGELAUFEN]


def test_aktivitaet_im_formular_erfassen(link: str, db_datei: Path) -> None:
    """A site coordinator records an activity on the Datenimport page; a wrong count is refused
    with the import's German message and stores nothing."""
    konto(db_datei, "bert", "standort", "KOELN")
    app = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    app.run()
    anmelden(app, "bert")
    app.switch_page("pages/datenimport.py").run()
    assert not app.exception, [e.value for e in app.exception]
    titel = next(t for t in app.text_input if t.label == "Titel")
    titel.input("Sprachcafé")
    zahlen = {z.label: z for z in app.number_input}
    zahlen["Teilnehmende gesamt"].set_value(12)
    zahlen["davon mit Migrationsgeschichte"].set_value(20)
    knopf = "FormSubmitter:aktivitaet_formular-Aktivität speichern"
    app.button(key=knopf).click().run()
    assert "mehr als teilnehmende_gesamt" in app.error[0].value
    zahlen = {z.label: z for z in app.number_input}
    zahlen["davon mit Migrationsgeschichte"].set_value(7)
    app.button(key=knopf).click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Aktivität gespeichert" in s.value for s in app.success)
    st.cache_resource.clear()
    with verbinden(db_datei) as db:
        assert db.rows(
            "SELECT standort, titel, typ, format, teilnehmende_gesamt, teilnehmende_mit_mh "
            "FROM aktivitaeten"
        ) == [("KOELN", "Sprachcafé", "begegnung", "digital", 12, 7)]

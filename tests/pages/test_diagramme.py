"""Unit tests of the figure builders (ui.diagramme), colours (ui.farben), display text
(ui.format) and row slicing (ui.aufbereitung) — no running app needed.

The builders skip plotly's validation for speed, so every test validates the figure it gets
(``go.Figure(fig.to_dict())`` raises on any invalid property).
"""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from indikatoren.definitionen import Ziel
from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.zielerreichung import Status
from ui import aufbereitung as auf
from ui import diagramme
from ui.farben import (
    FORMAT_FARBE,
    GRUPPEN_FARBE,
    STANDORT_PALETTE,
    STATUS_FARBEN,
    gruppe_farbe,
    kontrast,
    standort_farben,
    textfarbe,
)
from ui.format import UNTERDRUECKT, UNTERDRUECKT_PAARE, intervall, mit_einheit, prozent, zahl


def _gueltig(fig: go.Figure) -> dict:
    """The figure as a dict after plotly's full validation (raises if anything is invalid)."""
    daten = fig.to_dict()
    go.Figure(daten)
    assert daten["layout"]["separators"] == ",."
    return daten


def _punkte(zeilen: list[tuple[str, str, float | None, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "zeile": z,
                "serie": s,
                "wert": w,
                "unten": None if w is None else w - 0.1,
                "oben": None if w is None else w + 0.1,
                "unterdrueckt": u,
                "farbe": "#0072B2",
                "n": 40,
            }
            for z, s, w, u in zeilen
        ]
    )


# -- ui.format ------------------------------------------------------------------------------
def test_zahlen_deutsch_und_unterdrueckt_nie_null() -> None:
    assert zahl(1234.56, 1) == "1.234,6"
    assert zahl(0.4, 2, vorzeichen=True) == "+0,40"
    assert zahl(-0.4, 2, vorzeichen=True) == "−0,40"
    assert zahl(None) == UNTERDRUECKT == "< 5"
    assert zahl(float("nan")) != "0"
    assert UNTERDRUECKT_PAARE == "< 10"
    assert mit_einheit(47.26, "%", 1) == "47,3\u00a0%"
    assert mit_einheit(None, "Punkte", 2, paare=True) == "< 10"
    assert intervall(0.31, 0.47, 2) == "[0,31; 0,47]"
    assert intervall(None, 1.0, 2) == "–"
    assert prozent(91.4) == "91\u00a0%"


# -- ui.farben ------------------------------------------------------------------------------
def test_standortfarben_stabil_und_unabhaengig_von_auswahl() -> None:
    alle = ["D_ROSTOCK", "D_BERLIN", "D_ERFURT", "D_LEIPZIG"]
    farben = standort_farben(alle)
    assert farben == standort_farben(list(reversed(alle)))
    assert farben["D_BERLIN"] == STANDORT_PALETTE[0]
    assert len(set(farben.values())) == len(alle)


def test_farben_haben_genug_kontrast_zum_weissen_hintergrund() -> None:
    for farbe in [*STANDORT_PALETTE, *GRUPPEN_FARBE.values(), *FORMAT_FARBE.values()]:
        assert kontrast(farbe, "#FFFFFF") >= 3.0, farbe
    assert gruppe_farbe("mit_mh") != gruppe_farbe("ohne_mh")
    assert gruppe_farbe("digital") == FORMAT_FARBE["digital"]
    assert gruppe_farbe("weiblich") != gruppe_farbe("maennlich")


def test_textfarbe_auf_statusfarben_lesbar() -> None:
    for status in Status:
        hintergrund = STATUS_FARBEN[status]
        assert kontrast(textfarbe(hintergrund), hintergrund) >= 4.0, status
    assert textfarbe(STATUS_FARBEN[Status.KRITISCH]) == "#FFFFFF"
    assert textfarbe(STATUS_FARBEN[Status.VERZUG]) == "#000000"


# -- dot and interval -----------------------------------------------------------------------
def test_punkte_intervalle_zeigt_werte_und_markiert_unterdrueckte_zeilen() -> None:
    daten = _punkte(
        [
            ("Gesamt", "T0→T1", 0.4, False),
            ("Gesamt", "T0→T2", 0.3, False),
            ("mit MG", "T0→T1", 0.5, False),
            ("mit MG", "T0→T2", None, True),
        ]
    )
    fig = diagramme.punkte_intervalle(
        daten,
        zeilen=["Gesamt", "mit MG"],
        serien=["T0→T1", "T0→T2"],
        symbole=diagramme.WELLEN_SYMBOL,
        x_titel="Veränderung (Punkte)",
        einheit="Punkte",
        stellen=2,
        vorzeichen=True,
        markierung=UNTERDRUECKT_PAARE,
    )
    d = _gueltig(fig)
    punkte = [s for s in d["data"] if s.get("mode") == "markers" and s["x"] != [None]]
    assert sorted(x for s in punkte for x in s["x"]) == [0.3, 0.4, 0.5]
    marken = [s for s in d["data"] if s.get("mode") == "text"]
    assert marken[0]["text"] == ["< 10"]
    assert marken[0]["y"][0] == pytest.approx(1 + 0.11)  # the T2 slot of the second row
    legende = [s["name"] for s in d["data"] if s["x"] == [None]]
    assert legende == ["T0→T1", "T0→T2"]
    assert d["layout"]["yaxis"]["ticktext"] == ["Gesamt", "mit MG"]
    assert d["layout"]["xaxis"]["title"]["text"] == "Veränderung (Punkte)"
    intervalle = [s for s in d["data"] if s.get("mode") == "lines"]
    enden = [[x for x in s["x"] if x is not None] for s in intervalle]
    assert enden[0] == pytest.approx([0.3, 0.5, 0.4, 0.6])  # T0→T1: both rows
    assert enden[1] == pytest.approx([0.2, 0.4])  # T0→T2: the suppressed row has none


def test_forest_referenzlinie_und_band() -> None:
    daten = _punkte([("Berlin", "", 50.0, False), ("Erfurt", "", 40.0, False)])
    fig = diagramme.punkte_intervalle(
        daten,
        zeilen=["Berlin", "Erfurt"],
        x_titel="Anteil (%)",
        einheit="%",
        stellen=1,
        referenz=45.0,
        referenz_text="alle gewählten Standorte gepoolt",
        referenz_band=(43.0, 47.0),
    )
    d = _gueltig(fig)
    formen = d["layout"]["shapes"]
    assert {f["type"] for f in formen} == {"rect", "line"}
    assert [f["x0"] for f in formen if f["type"] == "line"] == [45.0]
    assert d["layout"]["annotations"][0]["text"] == "alle gewählten Standorte gepoolt"
    assert d["layout"]["xaxis"]["ticksuffix"] == "\u00a0%"


# -- lines ----------------------------------------------------------------------------------
def test_trendlinien_unterdrueckte_quartale_sind_luecken_nicht_null() -> None:
    daten = pd.DataFrame(
        {
            "periode": ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q1", "2025-Q3"],
            "serie": ["Gesamt", "Gesamt", "Gesamt", "mit MG", "mit MG"],
            "wert": [1.0, np.nan, 3.0, 2.0, 0.0],
            "unten": [0.5, np.nan, 2.5, np.nan, np.nan],
            "oben": [1.5, np.nan, 3.5, np.nan, np.nan],
            "unterdrueckt": [False, True, False, False, False],
        }
    )
    fig = diagramme.trendlinien(
        daten,
        perioden=["2025-Q1", "2025-Q2", "2025-Q3"],
        perioden_text=["Q1 2025", "Q2 2025", "Q3 2025"],
        serien=["Gesamt", "mit MG"],
        farben={"Gesamt": "#3B3B3B", "mit MG": "#0072B2"},
        y_titel="Wert",
        einheit="Punkte",
        stellen=1,
        intervall_fuer="Gesamt",
    )
    d = _gueltig(fig)
    gesamt, mit = d["data"]
    assert gesamt["x"] == ["Q1 2025", "Q2 2025", "Q3 2025"]
    assert gesamt["y"] == [1.0, None, 3.0]
    assert gesamt["connectgaps"] is False
    assert gesamt["error_y"]["array"] == pytest.approx([0.5, None, 0.5], nan_ok=True)
    assert mit["y"] == [2.0, None, 0.0]  # missing quarter: gap; a real 0 stays 0
    assert "nicht ausgewiesen" in gesamt["hovertext"][1]
    assert d["layout"]["xaxis"]["title"]["text"] == "Quartal"


# -- bars -----------------------------------------------------------------------------------
def test_balken_ohne_balken_fuer_unterdrueckte_kategorie() -> None:
    daten = pd.DataFrame(
        {
            "kategorie": ["Gesamt", "mit MG", "ohne MG"],
            "wert": [100.0, 96.0, np.nan],
            "farbe": ["#3B3B3B", "#0072B2", "#C26A00"],
            "unterdrueckt": [False, False, True],
        }
    )
    d = _gueltig(diagramme.balken(daten, x_titel="Personen", einheit="Personen"))
    balken, marken = d["data"]
    assert balken["x"] == [100.0, 96.0, None]
    assert balken["text"][:2] == ["100\u00a0Personen", "96\u00a0Personen"]
    assert marken["y"] == ["ohne MG"] and marken["text"] == ["< 5"]


def test_zielerreichung_balken_in_statusfarben_mit_ziellinie() -> None:
    daten = pd.DataFrame(
        {
            "kategorie": ["A1 Erreichte", "A2 Begegnung", "A3 Zufriedenheit"],
            "zielerreichung": [91.4, 36.0, np.nan],
            "status": ["auf Kurs", "kritisch", "keine Daten"],
        }
    )
    d = _gueltig(diagramme.zielerreichung_balken(daten))
    balken, texte = d["data"]
    assert balken["marker"]["color"][:2] == [
        STATUS_FARBEN[Status.AUF_KURS],
        STATUS_FARBEN[Status.KRITISCH],
    ]
    assert balken["x"] == [91.4, 36.0, None]
    assert texte["text"] == ["91\u00a0% · ↗ auf Kurs", "36\u00a0% · ✕ kritisch", "○ keine Daten"]
    assert min(texte["x"]) > max(x for x in balken["x"] if x is not None)  # beside, not on
    assert d["layout"]["shapes"][0]["x0"] == 100


# -- heat map -------------------------------------------------------------------------------
def test_heatmap_statusfarben_text_und_keine_daten() -> None:
    erreichung = pd.DataFrame(
        {"A1": [97.0, np.nan], "A2": [40.0, 110.0]}, index=["Alle", "Berlin (Berlin)"]
    )
    status = pd.DataFrame(
        {"A1": ["auf Kurs", "keine Daten"], "A2": ["kritisch", "erreicht"]},
        index=erreichung.index,
    )
    d = _gueltig(
        diagramme.zielerreichung_heatmap(erreichung, status, spalten_text={"A1": "A1 – X"})
    )
    karte, texte = d["data"][:2]
    assert karte["z"] == [[1.0, 3.0], [4.0, 0.0]]
    # the symbol before each number: status is not colour alone
    assert texte["text"] == ["↗\u202f97", "✕\u202f40", "○\u202f–", "✓\u202f110"]
    assert "Zielerreichung: 97\u00a0% · ↗ auf Kurs" in karte["hovertext"][0][0]
    assert texte["textfont"]["color"][1] == "#FFFFFF"  # white on red
    assert "A1 – X" in karte["hovertext"][0][0]
    assert [s["name"] for s in d["data"][2:]] == [
        "✓ erreicht",
        "↗ auf Kurs",
        "! Verzug",
        "✕ kritisch",
        "○ keine Daten",
    ]


# -- staircase ------------------------------------------------------------------------------
def test_wirkungstreppe_setzt_indikatoren_auf_ihre_stufe() -> None:
    ziel_a = auf.indikatoren_des_ziels(Ziel.A)
    d = _gueltig(diagramme.wirkungstreppe(ziel_a))
    stufen, punkte = d["data"]
    assert stufen["x"] == list(range(1, 8))
    assert dict(zip(punkte["text"], punkte["x"], strict=True)) == {i.id: i.stufe for i in ziel_a}
    assert "Zielgruppen ändern ihr Handeln" in d["layout"]["xaxis"]["ticktext"][4].replace(
        "<br>", " "
    )
    alle = _gueltig(diagramme.wirkungstreppe(INDIKATOREN))
    assert len(alle["data"][1]["text"]) == len(INDIKATOREN)
    assert alle["layout"]["height"] > d["layout"]["height"]  # nine on step 4 need room


# -- small multiples ------------------------------------------------------------------------
def test_kleine_vielfache_eine_kachel_je_standort_mit_luecken() -> None:
    perioden = ["2025-Q1", "2025-Q2"]
    daten = pd.DataFrame(
        {
            "facette": ["Berlin", "Berlin", "Erfurt", "Erfurt", "Leipzig"],
            "periode": ["2025-Q1", "2025-Q2", "2025-Q1", "2025-Q2", "2025-Q2"],
            "wert": [1.0, 2.0, np.nan, 3.0, 4.0],
            "unterdrueckt": [False, False, True, False, False],
        }
    )
    referenz = pd.DataFrame({"periode": perioden, "wert": [1.5, 2.5]})
    d = _gueltig(
        diagramme.kleine_vielfache(
            daten,
            referenz,
            perioden=perioden,
            perioden_text=["Q1 2025", "Q2 2025"],
            farben={"Berlin": "#1F77B4", "Erfurt": "#C26A00"},
            y_titel="Punkte",
            einheit="Punkte",
            stellen=1,
            spalten=2,
        )
    )
    titel = [a["text"] for a in d["layout"]["annotations"]]
    assert titel == ["Berlin", "Erfurt", "Leipzig"]
    linien = {s["name"]: s for s in d["data"] if s["name"] != "alle gewählten Standorte"}
    assert linien["Erfurt"]["y"] == [None, 3.0]
    assert linien["Leipzig"]["y"] == [None, 4.0]
    assert linien["Erfurt"]["xaxis"] == "x2" and linien["Leipzig"]["yaxis"] == "y3"
    assert linien["Berlin"]["line"]["color"] == "#1F77B4"
    assert sum(s["name"] == "alle gewählten Standorte" for s in d["data"]) == 3


# -- map ------------------------------------------------------------------------------------
def test_karte_offline_mit_umriss_und_standorten() -> None:
    daten = pd.DataFrame(
        {
            "label": ["Berlin", "Erfurt", "Ohne Ort"],
            "kurz": ["Berlin", "Erfurt", "?"],
            "lat": [52.52, 50.98, np.nan],
            "lon": [13.405, 11.03, np.nan],
            "farbe": ["#1F77B4", "#C26A00", "#117733"],
            "groesse": [300, 60, 10],
            "info": ["A5: +0,39 Punkte", "A5: < 10", "–"],
        }
    )
    d = _gueltig(diagramme.standortkarte(daten))
    assert all(s["type"] == "scatter" for s in d["data"])  # no geo trace: no tile download
    umriss = [s for s in d["data"] if s.get("fill") == "toself"]
    assert len(umriss) == 2
    xs = [x for x in umriss[1]["x"] if x is not None]
    assert 5.5 < min(xs) < 6.5 and 14.5 < max(xs) < 15.5  # Germany's west and east ends
    orte = d["data"][-1]
    assert orte["x"] == [13.405, 11.03] and orte["text"] == ["Berlin", "Erfurt"]
    assert orte["marker"]["size"][0] > orte["marker"]["size"][1]
    ratio = d["layout"]["yaxis"]["scaleratio"]
    assert ratio == pytest.approx(1 / math.cos(math.radians(51.2)))


# -- effect grid ----------------------------------------------------------------------------
def test_effekte_raster_eine_kachel_je_indikator() -> None:
    indikatoren = [REGISTER["A5"], REGISTER["C2"]]
    daten = pd.DataFrame(
        {
            "indikator": ["A5", "A5", "C2", "C2"],
            "zeile": ["Digital", "Präsenz", "Digital", "Präsenz"],
            "wert": [0.4, 0.2, 8.0, np.nan],
            "unten": [0.3, 0.0, 4.0, np.nan],
            "oben": [0.5, 0.4, 12.0, np.nan],
            "unterdrueckt": [False, False, False, True],
            "farbe": [FORMAT_FARBE["digital"], FORMAT_FARBE["praesenz"]] * 2,
            "n": [100, 40, 90, np.nan],
        }
    )
    d = _gueltig(
        diagramme.effekte_raster(
            daten, indikatoren=indikatoren, zeilen=["Digital", "Präsenz"], markierung="< 10"
        )
    )
    assert [a["text"] for a in d["layout"]["annotations"]] == [
        "A5 Kontakthäufigkeit",
        "C2 Aktive Beteiligung",
    ]
    assert d["layout"]["xaxis2"]["title"]["text"] == "Prozentpunkte"
    assert len(d["layout"]["shapes"]) == 2 and d["layout"]["shapes"][1]["xref"] == "x2"
    marken = [s for s in d["data"] if s.get("mode") == "text"]
    assert marken[0]["text"] == ["< 10"] and marken[0]["xaxis"] == "x2"


# -- ui.aufbereitung ------------------------------------------------------------------------
def _indikatorzeilen() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indikator": ["A1", "A5", "A5"],
            "standort": ["gesamt", "gesamt", "gesamt"],
            "gruppe": ["gesamt", "gesamt", "mit_mh"],
            "periode": ["gesamt"] * 3,
            "wert": [1463.0, np.nan, 0.41],
            "n": [1463.0, np.nan, 507.0],
            "ci_unten": [np.nan, np.nan, 0.3],
            "ci_oben": [np.nan, np.nan, 0.51],
            "unterdrueckt": [False, True, False],
            "zielwert": [1600.0, 0.4, np.nan],
            "zielerreichung": [91.4, np.nan, np.nan],
            "status": ["auf Kurs", "keine Daten", "keine Daten"],
        }
    )


def test_indikator_tabelle_zeigt_alle_indikatoren_mit_markierung() -> None:
    tabelle = auf.indikator_tabelle(_indikatorzeilen(), {"A1": "steigend"})
    assert list(tabelle["ID"]) == [i.id for i in INDIKATOREN]
    a1 = tabelle.set_index("ID").loc["A1"]
    assert a1["Wert"] == "1.463\u00a0Personen" and a1["Zielerreichung"] == "91\u00a0%"
    assert a1["Trend"] == "↑ steigend" and a1["Status"] == "↗ auf Kurs"
    a5 = tabelle.set_index("ID").loc["A5"]
    assert a5["Wert"] == "< 10" and a5["n"] == "< 10"
    b1 = tabelle.set_index("ID").loc["B1"]
    assert b1["Status"] == "○ keine Daten" and b1["n"] == "0"


def test_status_wert_ohne_zielwert_heisst_kein_zielwert() -> None:
    """A site with values but no targets: "kein Zielwert", not "keine Daten" (issue 16, 3.)."""
    ohne_ziel = pd.Series({"status": "keine Daten", "wert": 86.7, "zielwert": np.nan})
    ohne_wert = pd.Series({"status": "keine Daten", "wert": np.nan, "zielwert": 80.0})
    assert auf.status_text(ohne_ziel) == "○ kein Zielwert"
    assert auf.status_text(ohne_wert) == "○ keine Daten"
    assert auf.status_text(None) == "○ keine Daten"


def test_aktualitaet_markiert_alte_und_fehlende_importe() -> None:
    importe = pd.DataFrame(
        {
            "Standort-ID": ["A", "B", "C"],
            "Standort": ["Alt", "Neu", "Nie"],
            "Letzter Import": [datetime(2025, 1, 2), datetime(2025, 6, 1), None],
            "Datei": ["a.csv", "b.csv", None],
            "Art": ["Befragung", "Befragung", None],
        }
    )
    stand = auf.aktualitaet(importe, date(2025, 6, 30))
    assert list(stand["Aktualität"]) == [
        "⚠ älter als ein Quartal",
        "✓ aktuell",
        "⚠ noch kein Import",
    ]
    assert list(auf.aktualitaet(importe, date(2025, 6, 30), ("B",))["Standort"]) == ["Neu"]


def test_aktualitaet_richtet_sich_nach_dem_neuesten_datendatum() -> None:
    """Imported yesterday, but the newest activity is 18 months old: not "aktuell"."""
    importe = pd.DataFrame(
        {
            "Standort-ID": ["A", "B"],
            "Standort": ["Alte Daten", "Neue Daten"],
            "Letzter Import": [datetime(2025, 6, 29), datetime(2025, 1, 2)],
            "Art": ["Aktivitäten", "Befragung"],
            "Neueste Daten": [date(2023, 12, 31), date(2025, 6, 1)],
        }
    )
    stand = auf.aktualitaet(importe, date(2025, 6, 30))
    assert list(stand["Aktualität"]) == ["⚠ Daten älter als ein Quartal", "✓ aktuell"]
    assert list(stand.columns) == [
        "Standort",
        "Letzter Import",
        "Neueste Daten",
        "Art",
        "Aktualität",
    ]


def test_zieltrend_zaehlt_richtungen_der_indikatoren() -> None:
    trend = auf.zieltrend({"A1": "steigend", "A2": "steigend", "A5": "fallend", "B1": "x"}, Ziel.A)
    assert (trend.steigend, trend.fallend, trend.gleich) == (2, 1, 0)
    assert trend.pfeil == "↑"
    assert auf.zieltrend({}, Ziel.B).pfeil == ""


def test_protokolldetails_ohne_json_und_null() -> None:
    from ui.verwaltungsseite import details_lesbar

    text = '{"benutzer": "anna", "standort": null, "dateien": [{"art": "befragung"}], "neu": true}'
    assert details_lesbar(text) == (
        "benutzer: anna · standort: – · dateien: (art: befragung) · neu: ja"
    )
    assert details_lesbar(None) == "–" and details_lesbar("kein json") == "kein json"


def _wie_bisher(fig: go.Figure) -> dict:
    """The styling as plotly's own update calls do it (the reference for ``_gestaltet``)."""
    from ui.farben import NEBENTEXT, TEXTFARBE
    from ui.klartext import ohne_links

    sauber = ohne_links(fig.to_plotly_json())
    ref = go.Figure(data=sauber["data"], layout=sauber["layout"])
    ref.update_layout(font_color=TEXTFARBE, legend_font_color=TEXTFARBE)
    ref.update_xaxes(tickfont_color=NEBENTEXT, title_font_color=NEBENTEXT)
    ref.update_yaxes(tickfont_color=NEBENTEXT, title_font_color=NEBENTEXT)
    return ref.to_plotly_json()


def test_gestaltung_gleicht_plotlys_update_aufrufen() -> None:
    """The dict-based styling of every chart gives the figure plotly's validated update calls
    give: text colours on every axis of every subplot, axis titles kept, links escaped."""
    from plotly.subplots import make_subplots

    from ui.bausteine import _gestaltet

    einfach = go.Figure(go.Bar(x=["<a href='https://x.de'>Köln</a>", "Bonn"], y=[1, 2]))
    einfach.update_layout(xaxis_title="Standort", yaxis={"title": {"text": "Wert"}})
    raster = make_subplots(rows=2, cols=2, subplot_titles=["A", "B", "C", "D"])
    for nummer in range(4):
        raster.add_trace(
            go.Scatter(x=[1, 2], y=[nummer, 1], name=f"<a href='x'>{nummer}</a>"),
            row=nummer // 2 + 1,
            col=nummer % 2 + 1,
        )
    raster.update_yaxes(title_text="Prozent", row=2, col=1)
    karte = go.Figure(go.Scattergeo(lat=[50.9], lon=[6.9], text=["Köln"]))
    ohne_layout = go.Figure(data=[{"type": "bar", "x": [1], "y": [1]}], _validate=False)
    for fig in (einfach, raster, karte, ohne_layout):
        assert _gestaltet(fig).to_plotly_json() == _wie_bisher(fig)
    beschriftung = _gestaltet(raster).to_plotly_json()
    assert beschriftung["layout"]["yaxis3"]["title"]["text"] == "Prozent"
    assert "&lt;a" in beschriftung["data"][0]["name"]

"""AppTest of the analysis pages — Übersicht, Ziel a–c, Standortvergleich, Formate, Methodik.

Each page runs inside the real ``dashboard.py`` (sidebar filters, demo notice) on demo data and on
an empty database (``conftest.py`` clears the caches around each test); the numbers it shows are
compared with the indicator engine's, and changing a sidebar filter must change them the way the
engine says. Demo data alone opens without login; databases with real data (the empty states)
log in as admin through the real login form (issue 7).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hilfen_anmeldung import als_admin
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects
from streamlit.testing.v1 import AppTest

from indikatoren.engine import Ergebnis, berechne
from indikatoren.filter import Filter, Gruppierung
from indikatoren.katalog import REGISTER
from indikatoren.unterdrueckung import GESAMT
from indikatoren.zielerreichung import REGEL_TEXT, ziel_zusammenfassung
from monitor.bestand import standortliste
from monitor.db import verbinden
from monitor.importieren import importiere
from monitor.schema import FORMAT_LABELS
from ui.aufbereitung import wert_text
from ui.format import prozent, zahl
from ui.seitenleiste import quartal_grenzen

WURZEL = Path(__file__).resolve().parents[2]
DASHBOARD = WURZEL / "dashboard.py"
TIMEOUT_S = 120
KLEIN = "D_ERFURT"  # the demo's smallest site: every one of its quarters is suppressed
MITTEL = "D_BERLIN"  # some of its quarters are released, some suppressed


def _standort_csv(ordner: Path, standort: str = "LEIPZIG") -> Path:
    datei = ordner / f"standort_{standort}.csv"
    datei.write_text(
        "standort;name;ort;bundesland;start\n"
        f"{standort};Treffpunkt {standort.title()};Leipzig;Sachsen;01.03.2026\n",
        encoding="utf-8",
    )
    return datei


@pytest.fixture
def leere_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with one site and nothing else (an empty one would get demo data)."""
    pfad = tmp_path / "leer.duckdb"
    with verbinden(pfad) as db:
        importiere(db, _standort_csv(tmp_path))
    monkeypatch.setenv("MONITOR_DB", str(pfad))
    return pfad


def _erwartet(pfad: Path, filter_: Filter) -> Ergebnis:
    with verbinden(pfad) as db:
        return berechne(db, filter_)


def _seite(datei: str, als_admin_in: Path | None = None) -> AppTest:
    """Run the dashboard and open a page; with ``als_admin_in`` (the database file, which holds
    real data) an admin is created there and logged in through the login form first."""
    app = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT_S)
    if als_admin_in is None:
        app.run()
    else:
        als_admin(app, als_admin_in)
    app.switch_page(f"pages/{datei}").run()
    _ohne_fehler(app)
    return app


def _ohne_fehler(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]


def _neu(app: AppTest) -> AppTest:
    app.run()
    _ohne_fehler(app)
    return app


def _metriken(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _diagramme(app: AppTest) -> list[dict[str, Any]]:
    return [json.loads(d.proto.spec) for d in app.get("plotly_chart")]


def _diagramm(app: AppTest, achsentitel: str) -> dict[str, Any]:
    """The first chart whose x or y axis title contains the text."""
    for fig in _diagramme(app):
        titel = [
            fig["layout"].get(a, {}).get("title", {}).get("text", "") for a in ("xaxis", "yaxis")
        ]
        if any(achsentitel in t for t in titel):
            return fig
    raise AssertionError(f"kein Diagramm mit Achse {achsentitel!r}")


def _punkte(fig: dict[str, Any]) -> list[float]:
    """x values of the dots (marker traces that are not legend stubs)."""
    return [
        x
        for spur in fig["data"]
        if spur.get("mode") == "markers" and spur["x"] != [None]
        for x in spur["x"]
    ]


def _ist_treppe(fig: dict[str, Any]) -> bool:
    """The Wirkungstreppe: a chart of definitions (steps 1–7), not of data."""
    return fig["layout"].get("bargap") == 0 and fig["data"][0]["x"] == list(range(1, 8))


def _tabelle(app: AppTest, spalte: str) -> Any:
    """The first table (st.dataframe) that has the column."""
    return next(t for t in (d.value for d in app.dataframe) if spalte in t.columns)


def _texte(app: AppTest) -> str:
    teile = [*app.markdown, *app.caption, *app.info, *app.warning]
    return "\n".join(str(t.value) for t in teile)


def _zeile(tabelle: Any, indikator: str, standort: str = GESAMT, gruppe: str = GESAMT) -> Any:
    treffer = tabelle[
        (tabelle["indikator"] == indikator)
        & (tabelle["standort"] == standort)
        & (tabelle["gruppe"] == gruppe)
        & (tabelle["periode"] == GESAMT)
    ]
    assert len(treffer) >= 1
    return treffer.iloc[0]


# -- Übersicht --------------------------------------------------------------------------------
def test_uebersicht_zeigt_ziele_kennzahlen_tabelle_und_aktualitaet(demo_db: Path) -> None:
    app = _seite("uebersicht.py")
    erwartet = _erwartet(demo_db, Filter())
    metriken = _metriken(app)

    for stand in ziel_zusammenfassung(erwartet.indikatoren):
        wert = metriken[f"Zielerreichung Ziel {stand.ziel.value}"]
        assert wert.startswith(prozent(stand.zielerreichung))
    assert metriken["Erreichte Teilnehmende"] == zahl(_zeile(erwartet.indikatoren, "A1")["wert"])
    mit_mh = _zeile(erwartet.indikatoren, "A1", gruppe="mit_mh")["wert"]
    assert metriken["davon mit Migrationsgeschichte"] == zahl(mit_mh)
    vn = erwartet.vorher_nachher
    t1 = vn[(vn["standort"] == GESAMT) & (vn["gruppe"] == GESAMT) & (vn["welle"] == "T1")]
    assert metriken["Match-Quote T0→T1"] == prozent(t1.iloc[0]["match_quote"])
    with verbinden(demo_db) as db:
        aktivitaeten = db.scalar("SELECT count(*) FROM aktivitaeten")
    assert metriken["Aktivitäten gesamt"] == zahl(aktivitaeten)
    assert metriken["Standorte"] == "6"  # the inventory, further down

    tabellen = [t.value for t in app.dataframe]
    indikatoren = next(t for t in tabellen if "Zielerreichung" in t.columns)
    assert len(indikatoren) == 21
    a5 = indikatoren.set_index("ID").loc["A5"]
    assert a5["Wert"] == wert_text(REGISTER["A5"], _zeile(erwartet.indikatoren, "A5")["wert"])
    symbol, status = a5["Status"].split(" ", 1)  # the symbol is the second channel
    assert status == _zeile(erwartet.indikatoren, "A5")["status"] and symbol in "✓↗!✕○"
    aktualitaet = next(t for t in tabellen if "Aktualität" in t.columns)
    assert len(aktualitaet) == 6 and set(aktualitaet["Aktualität"]) == {"✓ aktuell"}
    assert _diagramm(app, "Zielerreichung")["data"][0]["y"][0].startswith("A1 ")
    assert any("Noch keine Daten" in i.value for i in app.info) is False


def test_uebersicht_folgt_den_filtern(demo_db: Path) -> None:
    app = _seite("uebersicht.py")
    vorher = _metriken(app)["Erreichte Teilnehmende"]

    app.sidebar.multiselect(key="f_standorte").set_value([KLEIN])
    metriken = _metriken(_neu(app))
    erwartet = _erwartet(demo_db, Filter(standorte=(KLEIN,))).indikatoren
    assert metriken["Erreichte Teilnehmende"] == zahl(_zeile(erwartet, "A1")["wert"])
    assert metriken["Erreichte Teilnehmende"] != vorher
    stand_a = ziel_zusammenfassung(erwartet, KLEIN)[0]
    assert metriken["Zielerreichung Ziel a"].startswith(prozent(stand_a.zielerreichung))

    app.sidebar.selectbox(key="f_gruppe").set_value("format")
    metriken = _metriken(_neu(app))
    assert "davon Digital" in metriken and "davon mit Migrationsgeschichte" not in metriken

    app.sidebar.multiselect(key="f_standorte").set_value([])
    app.sidebar.multiselect(key="f_formate").set_value(["digital"])
    metriken = _metriken(_neu(app))
    with verbinden(demo_db) as db:
        digital = db.scalar("SELECT count(*) FROM aktivitaeten WHERE format = 'digital'")
    assert metriken["Aktivitäten gesamt"] == zahl(digital)
    assert "Aktivitäten Hybrid" not in metriken

    app.sidebar.multiselect(key="f_formate").set_value([])
    zeitraum = app.sidebar.select_slider(key="f_zeitraum")
    assert zeitraum.options[0] == "Q1 2025"  # one quarter format on every page
    erstes, zweites = (f"{text[-4:]}-{text[:2]}" for text in zeitraum.options[:2])
    zeitraum.set_range(erstes, zweites)
    metriken = _metriken(_neu(app))
    von, bis = quartal_grenzen(erstes)[0], quartal_grenzen(zweites)[1]
    erwartet = _erwartet(demo_db, Filter(von=von, bis=bis)).indikatoren
    assert metriken["Erreichte Teilnehmende"] == zahl(_zeile(erwartet, "A1")["wert"])
    # a period: the count A1 is judged against its pro rata target, and the page says so
    a1 = _zeile(erwartet, "A1")
    assert bool(a1["ziel_anteilig"])
    tabelle = next(t.value for t in app.dataframe if "Zielerreichung" in t.value.columns)
    assert tabelle.set_index("ID").loc["A1", "Zielwert"].endswith("(anteilig für den Zeitraum)")
    assert tabelle.set_index("ID").loc["A1", "Status"].split(" ", 1)[1] == a1["status"]
    assert any("anteiligen Zielwert" in c.value for c in app.caption)


# -- goal pages -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("datei", "titel", "erster"),
    [
        ("ziel_a.py", "Ziel a – Kontakte", "A1"),
        ("ziel_b.py", "Ziel b – Kompetenzen", "B1"),
        ("ziel_c.py", "Ziel c – Partizipation", "C1"),
    ],
)
def test_zielseite_zeigt_treppe_reiter_und_ersten_indikator(
    demo_db: Path, datei: str, titel: str, erster: str
) -> None:
    app = _seite(datei)
    assert app.title[0].value == titel
    treppe = next(f for f in _diagramme(app) if _ist_treppe(f))
    ziel = REGISTER[erster].ziel
    ids = [i for i in REGISTER if REGISTER[i].ziel is ziel]
    assert sorted(treppe["data"][1]["text"]) == sorted(ids)
    assert [t.label for t in app.tabs] == [f"{i} {REGISTER[i].name}" for i in ids]
    erwartet = _erwartet(demo_db, Filter()).indikatoren
    ind = REGISTER[erster]
    metrik = next(m for m in app.metric if m.label.startswith(("Wert", "Veränderung")))
    assert metrik.value.startswith(wert_text(ind, _zeile(erwartet, erster)["wert"]).split()[0])
    assert ind.beschreibung in _texte(app)  # the description, in its popover


def test_ziel_a_vorher_nachher_mit_ki_paaren_und_match_quote(demo_db: Path) -> None:
    app = _seite("ziel_a.py")
    app.session_state["ziel_a_reiter"] = "A5 Kontakthäufigkeit"
    metriken = _metriken(_neu(app))
    erwartet = _erwartet(demo_db, Filter())
    a5 = _zeile(erwartet.indikatoren, "A5")
    assert metriken["Veränderung T0→T1 (Projekt, Punkte)"] == zahl(a5["wert"], 2, vorzeichen=True)
    assert metriken["Paare T0→T1"] == zahl(a5["n"])
    vn = erwartet.vorher_nachher
    vn = vn[(vn["indikator"] == "A5") & (vn["standort"] == GESAMT) & (vn["periode"] == GESAMT)]
    t1 = vn[(vn["gruppe"] == GESAMT) & (vn["welle"] == "T1")].iloc[0]
    assert metriken["Match-Quote T0→T1"] == prozent(t1["match_quote"])

    nach_gruppe = _diagramm(app, "Veränderung vorher → nachher")
    assert nach_gruppe["layout"]["yaxis"]["ticktext"] == [
        "Gesamt",
        "mit Migrationsgeschichte",
        "ohne Migrationsgeschichte",
    ]
    freigegeben = vn[~vn["unterdrueckt"]]["differenz"]
    assert sorted(_punkte(nach_gruppe)) == pytest.approx(sorted(freigegeben))
    intervalle = [s for s in nach_gruppe["data"] if s.get("mode") == "lines"]
    enden = [x for s in intervalle for x in s["x"] if x is not None]
    assert min(enden) == pytest.approx(freigegeben.index.map(vn["ci_unten"]).min())
    kennwerte = _tabelle(app, "Match-Quote")
    assert kennwerte.iloc[0]["n Paare"] == zahl(t1["n_paare"])


def test_ziel_a_unterdrueckte_quartale_sind_luecken_nicht_null(demo_db: Path) -> None:
    app = _seite("ziel_a.py")
    app.session_state["ziel_a_reiter"] = "A5 Kontakthäufigkeit"
    app.sidebar.multiselect(key="f_standorte").set_value([MITTEL])
    metriken = _metriken(_neu(app))
    erwartet = _erwartet(demo_db, Filter(standorte=(MITTEL,), nach_quartal=True)).indikatoren
    a5 = _zeile(erwartet, "A5", standort=MITTEL)
    assert metriken["Veränderung T0→T1 (Standort, Punkte)"] == zahl(a5["wert"], 2, vorzeichen=True)

    verlauf = _diagramm(app, "Quartal")
    quartale = erwartet[
        (erwartet["indikator"] == "A5")
        & (erwartet["standort"] == MITTEL)
        & (erwartet["periode"] != GESAMT)
    ]
    perioden = sorted(quartale["periode"].unique())
    namen = {
        "gesamt": "Gesamt",
        "mit_mh": "mit Migrationsgeschichte",
        "ohne_mh": "ohne Migrationsgeschichte",
    }
    linien = {s["name"]: s for s in verlauf["data"]}
    versteckt = quartale[quartale["unterdrueckt"]]
    assert not versteckt.empty, "Testdaten: der Standort hat unterdrückte Quartale"
    for zeile in versteckt.itertuples():
        assert linien[namen[zeile.gruppe]]["y"][perioden.index(zeile.periode)] is None
    frei = quartale[~quartale["unterdrueckt"]]
    assert not frei.empty
    for zeile in frei.itertuples():
        y = linien[namen[zeile.gruppe]]["y"][perioden.index(zeile.periode)]
        assert y == pytest.approx(zeile.wert)
    assert "nicht ausgewiesen" in _texte(app)


def test_ziel_a_kleiner_standort_alle_quartale_unterdrueckt(demo_db: Path) -> None:
    app = _seite("ziel_a.py")
    app.session_state["ziel_a_reiter"] = "A5 Kontakthäufigkeit"
    app.sidebar.multiselect(key="f_standorte").set_value([KLEIN])
    _neu(app)
    assert any("Alle Quartalswerte sind aus Datenschutzgründen" in i.value for i in app.info)
    with pytest.raises(AssertionError):
        _diagramm(app, "Quartal")  # no chart of gaps only
    gruppen = _tabelle(app, "Match-Quote")
    assert "< 10" in set(gruppen["n Paare"])  # small groups of the small site are marked


# -- Standortvergleich ------------------------------------------------------------------------
def _namen(pfad: Path) -> dict[str, str]:
    with verbinden(pfad) as db:
        orte = standortliste(db)
    return {z.standort: f"{z.name} ({z.ort})" for z in orte.itertuples()}


def test_standortvergleich_forest_heatmap_vielfache_karte(demo_db: Path) -> None:
    app = _seite("standortvergleich.py")
    erwartet = _erwartet(demo_db, Filter())
    vn = erwartet.vorher_nachher
    a5 = vn[
        (vn["indikator"] == "A5")
        & (vn["gruppe"] == GESAMT)
        & (vn["welle"] == "T1")
        & (vn["periode"] == GESAMT)
    ]
    namen = _namen(demo_db)
    orte = a5[a5["standort"] != GESAMT].assign(label=lambda t: t["standort"].map(namen))
    orte = orte.sort_values("label")

    forest = _diagramm(app, "Veränderung vorher → nachher")
    meta_zeilen = ["Mittel der Standorte (zufällige Effekte)",
                   "Vorhersage für einen weiteren Standort"]  # fmt: skip
    assert [
        t.split(" (n = ")[0].split(" (6 Standorte)")[0]
        for t in forest["layout"]["yaxis"]["ticktext"]
    ] == [*orte["label"], *meta_zeilen]
    # random-effects pooling of the released site changes, as statsmodels computes it (SE of
    # each site from its t interval: width / (2 · t(0.975; n - 1)))
    frei = orte[~orte["unterdrueckt"]]
    se = (frei["ci_oben"] - frei["ci_unten"]) / (2 * stats.t.ppf(0.975, frei["n_paare"] - 1))
    referenz = combine_effects(frei["differenz"].to_numpy(), (se**2).to_numpy(), method_re="dl")
    zufall = referenz.summary_frame().loc["random effect"]
    punkte = _punkte(forest)
    assert punkte[:-2] == pytest.approx(list(frei["differenz"]))
    assert punkte[-2:] == pytest.approx([zufall["eff"]] * 2)
    linie = next(f for f in forest["layout"]["shapes"] if f["type"] == "line")
    assert linie["x0"] == pytest.approx(a5[a5["standort"] == GESAMT].iloc[0]["differenz"])
    assert "nicht nach Rang" in _texte(app)
    assert f"I² = {round(100 * referenz.i2)} %" in _texte(app)
    assert "Vorhersageintervall für einen weiteren Standort" in _texte(app)
    assert "Zielstand bewertet zum" in _texte(app)  # the heat map's targets: judged when

    heatmap = next(f for f in _diagramme(app) if f["data"][0]["type"] == "heatmap")
    assert len(heatmap["data"][0]["z"]) == 7 and len(heatmap["data"][0]["z"][0]) == 21
    # The same for phones as a list: one line per site (and the total), counts per status.
    # (Each line is its own element, with links to the site's goal pages under it; the forest
    # plot's list beside it has value lines, told apart by having no status word.)
    woerter = ("erreicht", "auf Kurs", "Verzug", "kritisch", "kein Zielwert", "keine Daten")
    zeilen = [
        z
        for m in app.markdown
        if m.value.startswith("- **")
        for z in m.value.splitlines()
        if any(w in z for w in woerter)
    ]
    assert len(zeilen) == 7
    ind = erwartet.indikatoren
    ganz = ind[(ind["gruppe"] == GESAMT) & (ind["periode"] == GESAMT)]
    erster = ganz[ganz["standort"] == sorted(namen, key=namen.get)[0]]
    kritisch = int((erster["status"] == "kritisch").sum())
    zeile = next(z for z in zeilen if namen[sorted(namen, key=namen.get)[0]] in z)
    assert (f"✕ {kritisch} kritisch" in zeile) == (kritisch > 0)
    vielfache = next(f for f in _diagramme(app) if "xaxis6" in f["layout"])
    assert len(vielfache["layout"]["annotations"]) == 6
    karte = _diagramme(app)[-1]
    assert {s["type"] for s in karte["data"]} == {"scatter"}  # drawn offline, no geo tiles
    assert len(karte["data"][-1]["x"]) == 6

    app.selectbox(key="sv_indikator").set_value("A3")
    _neu(app)
    a3 = erwartet.indikatoren
    a3 = a3[
        (a3["indikator"] == "A3")
        & (a3["gruppe"] == GESAMT)
        & (a3["periode"] == GESAMT)
        & (a3["standort"] != GESAMT)
    ]
    a3 = a3.assign(label=a3["standort"].map(namen)).sort_values("label")
    forest = _diagramm(app, "Zufriedenheit (%)")
    assert _punkte(forest) == pytest.approx(list(a3[~a3["unterdrueckt"]]["wert"]))


def test_standortvergleich_folgt_der_standortauswahl(demo_db: Path) -> None:
    app = _seite("standortvergleich.py")
    app.sidebar.multiselect(key="f_standorte").set_value(["D_BERLIN", KLEIN])
    _neu(app)
    forest = _diagramm(app, "Veränderung vorher → nachher")
    # two sites and their random-effects mean (no prediction interval from 2 sites)
    assert len(forest["layout"]["yaxis"]["ticktext"]) == 3
    erwartet = _erwartet(demo_db, Filter(standorte=("D_BERLIN", KLEIN))).vorher_nachher
    gesamt = erwartet[
        (erwartet["indikator"] == "A5")
        & (erwartet["standort"] == GESAMT)
        & (erwartet["gruppe"] == GESAMT)
        & (erwartet["welle"] == "T1")
        & (erwartet["periode"] == GESAMT)
    ].iloc[0]
    linie = next(f for f in forest["layout"]["shapes"] if f["type"] == "line")
    assert linie["x0"] == pytest.approx(gesamt["differenz"])
    assert len(_diagramme(app)[-1]["data"][-1]["x"]) == 2  # two sites on the map


# -- Formate ----------------------------------------------------------------------------------
def test_formate_reichweite_anteile_und_effekte(demo_db: Path) -> None:
    app = _seite("formate.py")
    erwartet = _erwartet(demo_db, Filter(gruppierung=Gruppierung.FORMAT)).indikatoren
    personen = _diagramm(app, "Personen mit Eingangsfragebogen")
    assert personen["data"][0]["y"] == ["Digital", "Hybrid", "Präsenz"]
    assert personen["data"][0]["x"] == pytest.approx(
        [_zeile(erwartet, "A1", gruppe=f)["wert"] for f in ("digital", "hybrid", "praesenz")]
    )
    anteile = _diagramm(app, "Anteil (%)")
    a2 = [_zeile(erwartet, "A2", gruppe=f)["wert"] for f in ("digital", "hybrid", "praesenz")]
    assert all(any(x == pytest.approx(w) for x in _punkte(anteile)) for w in a2)
    effekte = next(f for f in _diagramme(app) if "xaxis11" in f["layout"])
    assert effekte["layout"]["annotations"][0]["text"].startswith("A5 ")
    tabelle = _tabelle(app, "Aktivitäten")
    with verbinden(demo_db) as db:
        digital = db.scalar("SELECT count(*) FROM aktivitaeten WHERE format = 'digital'")
    assert tabelle.iloc[0]["Aktivitäten"] == zahl(digital)
    assert any("So lesen Sie" in e.label for e in app.expander)

    app.sidebar.multiselect(key="f_formate").set_value(["digital", "praesenz"])
    _neu(app)
    personen = _diagramm(app, "Personen mit Eingangsfragebogen")
    assert personen["data"][0]["y"] == [FORMAT_LABELS["digital"], FORMAT_LABELS["praesenz"]]
    effekte = next(f for f in _diagramme(app) if "xaxis11" in f["layout"])
    assert effekte["layout"]["yaxis"]["ticktext"] == ["Digital", "Präsenz"]


# -- Methodik ---------------------------------------------------------------------------------
def test_methodik_definitionen_regeln_und_schwellen(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_MIN_PERSONEN", "7")
    app = _seite("methodik.py")
    koepfe = [k.value for k in app.main.header]
    for kopf in ("Wirkungstreppe", "Indikatoren", "Statistik", "Zielerreichung und Status"):
        assert kopf in koepfe
    assert koepfe[-1] == "Datenschutz"
    uebersicht = _tabelle(app, "Berechnung")
    assert list(uebersicht["ID"]) == list(REGISTER)
    assert uebersicht.set_index("ID").loc["A5", "Stufe"].startswith("5 – Zielgruppen ändern")
    texte = _texte(app)
    assert REGEL_TEXT in texte
    assert "J = 1 - \\frac{3}{4(n-1) - 1}" in texte
    assert "„< 7“" in texte and "„< 10“" in texte
    assert REGISTER["C6"].beschreibung in texte
    # no over-claims (issue 15): no "95 % certainty", no Cohen benchmarks for d_z, "gesichert"
    # only by the Holm-adjusted p, a pre/post change is a change
    assert "wahre Veränderung mit 95 % Sicherheit liegt" not in texte
    assert "Faustregel" not in texte
    assert "Holm-korrigierte" in texte and "d_{av}" in texte
    assert "Veränderung, nicht Wirkung" in texte
    treppe = _diagramme(app)[0]
    assert _ist_treppe(treppe) and len(treppe["data"][1]["text"]) == 21


# -- empty states -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "datei",
    ["uebersicht.py", "ziel_a.py", "standortvergleich.py", "formate.py", "methodik.py"],
)
def test_leere_datenbank_ohne_fehler_mit_hinweis(leere_db: Path, datei: str) -> None:
    app = _seite(datei, leere_db)
    hinweise = " ".join(i.value for i in app.info)
    diagramme = _diagramme(app)
    if datei == "uebersicht.py":
        assert "Noch keine Daten importiert" in hinweise
        assert not diagramme
    elif datei == "methodik.py":
        assert len(diagramme) == 1  # the Wirkungstreppe: definitions, no data needed
    else:
        assert "keine Daten vor" in hinweise
        # At most the staircase of a goal page, which shows definitions, not data.
        assert all(_ist_treppe(f) for f in diagramme)


@pytest.mark.parametrize(
    "datei", ["uebersicht.py", "ziel_b.py", "standortvergleich.py", "formate.py"]
)
def test_auswahl_ohne_daten_zeigt_hinweis_statt_leerer_diagramme(
    demo_datei: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, datei: str
) -> None:
    pfad = tmp_path / "demo_plus.duckdb"
    shutil.copy(demo_datei, pfad)
    with verbinden(pfad) as db:
        importiere(db, _standort_csv(tmp_path, "NEU"))
    monkeypatch.setenv("MONITOR_DB", str(pfad))

    app = _seite(datei, pfad)
    app.sidebar.multiselect(key="f_standorte").set_value(["NEU"])
    _neu(app)

    assert any("keine Daten vor" in i.value for i in app.info)
    assert all(_ist_treppe(f) for f in _diagramme(app))

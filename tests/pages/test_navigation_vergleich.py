"""Navigation of issue 16 on REAL data: drill-down, period-vs-period, Freigaben matrix, one set of
filters per screen.

* A click on a heat-map cell or a map point (plotly selection) and a link of the phone list lead
  to that site's goal page with the site chosen in the sidebar — for every role, and for the
  funder only to selections of the protected lattice. AppTest cannot click into a plotly chart:
  the chart's data (which site and indicator each cell carries) and the mapping of a selection
  to the jump are tested here, the click itself in ``tests/test_browser_navigation.py``.
* A chosen quarter beside the previous quarter and the one a year before: values as an engine
  run of that quarter alone gives them; for the funder exactly the lattice cells, a hidden cell
  stays hidden and gives no difference.
* Freigaben as a site × quarter matrix, expected cells from SQL.

Expected values come from SQL on the database file and from engine/lattice calls with explicit
filters, not from the page helpers.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
from hilfen_anmeldung import TEST_PASSWORT, anmelden, konto
from streamlit.testing.v1 import AppTest

from indikatoren.engine import berechne
from indikatoren.filter import Filter, Gruppierung
from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.unterdrueckung import GESAMT
from monitor import benutzer, freigabe, sicht
from monitor.benutzer import zugriff_fuer
from monitor.db import verbinden
from ui import aufbereitung as auf
from ui.format import zahl
from ui.seitenleiste import quartal_grenzen
from ui.sprung import Sprung, aus_auswahl

WURZEL = Path(__file__).resolve().parents[2]
DASHBOARD = WURZEL / "dashboard.py"
STANDORTE = ("BERLIN", "LEIPZIG", "DORTMUND")


def _ohne_fehler(app: AppTest) -> AppTest:
    assert not app.exception, [e.value for e in app.exception]
    return app


def _als(pfad: Path, name: str, rolle: str, standort: str | None = None) -> AppTest:
    konto(pfad, name, rolle, standort)
    app = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    return _ohne_fehler(anmelden(app, name))


def _freigeben(pfad: Path, zellen: list[tuple[str, str]], *, nur_einreichen: bool = False) -> None:
    konto(pfad, "leitung", "projektleitung")
    with verbinden(pfad) as db:
        sitzung = benutzer.anmelden(db, "leitung", TEST_PASSWORT)
        assert sitzung is not None
        for standort, quartal in zellen:
            freigabe.einreichen(db, sitzung, standort, quartal)
            if not nur_einreichen:
                freigabe.freigeben(db, sitzung, standort, quartal)


def _namen(pfad: Path) -> dict[str, str]:
    with verbinden(pfad) as db:
        tabelle = db.query("SELECT standort, name, ort FROM standorte")
    return {z.standort: f"{z.name} ({z.ort})" for z in tabelle.itertuples()}


# -- Freigaben matrix -------------------------------------------------------------------------
def test_freigaben_als_matrix_standort_mal_quartal(echt_db: Path) -> None:
    _freigeben(echt_db, [("BERLIN", "2025-Q3")])
    _freigeben(echt_db, [("LEIPZIG", "2025-Q2")], nur_einreichen=True)
    app = _als(echt_db, "leitung", "projektleitung")
    _ohne_fehler(app.switch_page("pages/freigaben.py").run())
    matrix = next(d.value for d in app.dataframe if "Standort" in d.value.columns)
    assert "Status" not in matrix.columns  # the matrix, not the long table

    with verbinden(echt_db) as db:
        zellen = db.query(
            """SELECT standort, year(datum) || '-Q' || quarter(datum) AS quartal
               FROM befragungen UNION
               SELECT standort, year(datum) || '-Q' || quarter(datum) FROM aktivitaeten"""
        )
    namen = _namen(echt_db)
    quartale = sorted(set(zellen["quartal"]))
    assert list(matrix.columns) == ["Standort", *[f"{q[5:]} {q[:4]}" for q in quartale]]
    assert list(matrix["Standort"]) == sorted(namen[s] for s in set(zellen["standort"]))
    erwartet = {
        ("BERLIN", "2025-Q3"): "🔒 Freigegeben",
        ("LEIPZIG", "2025-Q2"): "📨 Eingereicht",
    }
    mit_daten = set(zip(zellen["standort"], zellen["quartal"], strict=True))
    for standort in set(zellen["standort"]):
        zeile = matrix[matrix["Standort"] == namen[standort]].iloc[0]
        for quartal in quartale:
            standard = "✏️ Entwurf" if (standort, quartal) in mit_daten else "–"
            assert zeile[f"{quartal[5:]} {quartal[:4]}"] == erwartet.get(
                (standort, quartal), standard
            ), (standort, quartal)
    # status is never colour alone: every cell has its word
    assert all(
        z == "–" or z.split(" ", 1)[1] in {"Entwurf", "Eingereicht", "Freigegeben"}
        for z in matrix.drop(columns="Standort").to_numpy().ravel()
    )


# -- one set of filters per screen ------------------------------------------------------------
@pytest.mark.parametrize("seite", ["bericht.py", "ziel_a.py", "standortvergleich.py"])
def test_keine_seite_wiederholt_die_filter_der_seitenleiste(echt_db: Path, seite: str) -> None:
    app = _als(echt_db, "chefin", "admin")
    _ohne_fehler(app.switch_page(f"pages/{seite}").run())
    seitenleiste = {w.label for w in [*app.sidebar.multiselect, *app.sidebar.select_slider]}
    assert {"Standorte", "Zeitraum (Quartale)"} <= seitenleiste
    hauptteil = {
        w.label
        for w in [
            *app.main.multiselect,
            *app.main.select_slider,
            *app.main.selectbox,
            *app.main.slider,
        ]
    }
    assert not hauptteil & {"Standorte", "Standort", "Zeitraum (Quartale)", "Zeitraum", "Format"}


# -- drill-down -------------------------------------------------------------------------------
def test_auswahl_eines_punkts_wird_zum_sprung() -> None:
    """The selection state as Streamlit hands it over (``on_select="rerun"``, points mode)."""
    zelle = {
        "selection": {
            "points": [
                {
                    "curve_number": 2,
                    "point_number": 45,
                    "point_index": 45,
                    "x": "B2",
                    "y": "Treffpunkt Leipzig (Leipzig)",
                    "customdata": ["LEIPZIG", "B2"],
                }
            ],
            "point_indices": [45],
            "box": [],
            "lasso": [],
        }
    }
    sprung = aus_auswahl(zelle["selection"])
    assert sprung == Sprung("LEIPZIG", "B2")
    assert sprung.seite == str(WURZEL / "pages" / "ziel_b.py")
    assert sprung.abfrage == {"zu": "LEIPZIG", "indikator": "B2"}
    assert Sprung(GESAMT, "C4").seite.endswith("ziel_c.py")
    assert aus_auswahl({"points": [], "box": [], "lasso": []}) is None
    assert aus_auswahl(None) is None
    # a point without site and indicator (e.g. a legend square) is no jump
    assert aus_auswahl({"points": [{"x": "A1", "y": "Gesamt"}]}) is None
    assert aus_auswahl({"points": [{"customdata": ["BERLIN", "Z9"]}]}) is None


def _spuren(app: AppTest) -> list[dict]:
    return [t for c in app.get("plotly_chart") for t in json.loads(c.proto.spec)["data"]]


def test_heatmap_karte_und_telefonliste_tragen_standort_und_indikator(echt_db: Path) -> None:
    app = _als(echt_db, "leitung", "projektleitung")
    _ohne_fehler(app.switch_page("pages/standortvergleich.py").run())
    namen = _namen(echt_db)
    nach_name = {v: k for k, v in namen.items()} | {"Alle gewählten Standorte": GESAMT}
    spuren = _spuren(app)

    zellen = next(t for t in spuren if t.get("name") == "Zelle")
    assert len(zellen["customdata"]) == (len(STANDORTE) + 1) * len(INDIKATOREN)
    for x, y, (standort, indikator) in zip(
        zellen["x"], zellen["y"], zellen["customdata"], strict=True
    ):
        assert indikator == x and standort == nach_name[y]
    heatmap = next(t for t in spuren if t["type"] == "heatmap")
    assert set(heatmap["y"]) == set(zellen["y"])  # every row is clickable

    indikator = app.selectbox(key="sv_indikator").value
    karte = next(t for t in spuren if t.get("customdata") and t.get("name") != "Zelle")
    assert sorted(map(tuple, karte["customdata"])) == sorted((s, indikator) for s in STANDORTE)

    links = [
        (p.proto.label, p.proto.page, parse_qs(p.proto.query_string))
        for p in app.main.get("page_link")
    ]
    for standort in [GESAMT, *STANDORTE]:
        ziele = [(label, page) for label, page, q in links if q.get("zu") == [standort]]
        assert ziele == [
            ("Ziel a", "ziel-a"),
            ("Ziel b", "ziel-b"),
            ("Ziel c", "ziel-c"),
        ], standort


def _springen(app: AppTest, standort: str, indikator: str) -> AppTest:
    """What a click does: the goal page with the jump in the URL (st.switch_page)."""
    app.query_params["zu"] = standort
    app.query_params["indikator"] = indikator
    seite = f"pages/ziel_{REGISTER[indikator].ziel.value}.py"
    return _ohne_fehler(app.switch_page(seite).run())


def _auswahl_text(app: AppTest) -> str:
    return next(c.value for c in app.main.caption if c.value.startswith("Auswahl:"))


def test_sprung_waehlt_den_standort_in_der_seitenleiste(echt_db: Path) -> None:
    app = _als(echt_db, "leitung", "projektleitung")
    _springen(app, "LEIPZIG", "B4")
    assert app.multiselect(key="f_standorte").value == ["LEIPZIG"]
    assert app.title[0].value == "Ziel b – Kompetenzen"
    assert app.session_state["ziel_b_reiter"] == "B4 Öffentlich präsentiert"
    assert _auswahl_text(app).startswith("Auswahl: Treffpunkt Leipzig (Leipzig) ·")
    assert "zu" not in app.query_params and "indikator" not in app.query_params
    assert app.query_params["standorte"] == "LEIPZIG"  # the sidebar mirrors it as usual
    # the total row leads to all sites
    _springen(app, GESAMT, "A1")
    assert app.multiselect(key="f_standorte").value == []
    assert app.title[0].value == "Ziel a – Kontakte"


def test_sprung_nur_zu_standorten_der_rolle(echt_db: Path) -> None:
    app = _als(echt_db, "koordination", "standort", "BERLIN")
    _springen(app, "BERLIN", "C2")
    assert app.multiselect(key="f_standorte").value == ["BERLIN"]
    _springen(app, GESAMT, "C2")
    assert app.multiselect(key="f_standorte").value == []
    _springen(app, "LEIPZIG", "C2")  # not the coordinator's site: ignored, nothing of Leipzig
    assert app.multiselect(key="f_standorte").value == []
    assert "Leipzig" not in " ".join(m.value for m in app.main.markdown)
    assert "zu" not in app.query_params


def test_sprung_des_foerdergebers_bleibt_im_schutzgitter(echt_db: Path) -> None:
    quartal = "2026-Q1"
    _freigeben(echt_db, [(s, q) for s in STANDORTE for q in ("2025-Q4", quartal)])
    app = _als(echt_db, "geld", "foerdergeber")
    app.selectbox(key="f_quartal").set_value(quartal).run()
    _ohne_fehler(app.switch_page("pages/standortvergleich.py").run())
    zellen = next(t for t in _spuren(app) if t.get("name") == "Zelle")
    ziele = {tuple(c) for c in zellen["customdata"]}
    assert {s for s, _ in ziele} == {GESAMT, *STANDORTE}

    for standort, indikator in [("DORTMUND", "A4"), (GESAMT, "B2")]:
        _springen(app, standort, indikator)
        erwartet = "" if standort == GESAMT else standort
        assert app.selectbox(key="f_standort").value == erwartet
        assert app.selectbox(key="f_quartal").value == quartal  # the period stays
        assert not app.warning, [w.value for w in app.warning]  # no refused selection
        # the target is a lattice selection: the funder's own read path answers it
        von, bis = quartal_grenzen(quartal)
        with verbinden(echt_db) as db:
            ziel = Filter(standorte=(standort,) if erwartet else (), von=von, bis=bis)
            sicht.ergebnis(db, zugriff_fuer("foerdergeber"), ziel)


# -- period vs period -------------------------------------------------------------------------
def _vergleich(app: AppTest) -> pd.DataFrame:
    return next(d.value for d in app.main.dataframe if "Veränderung zum Vorquartal" in d.value)


def _zahl(text: str) -> float:
    kern = text.split(" ")[0].replace(".", "").replace(",", ".").replace("−", "-")
    return float(kern)


def test_quartalsvergleich_wie_die_einzelnen_quartale(echt_db: Path) -> None:
    app = _als(echt_db, "leitung", "projektleitung")
    app.select_slider(key="f_zeitraum").set_value(("2026-Q2", "2026-Q2")).run()
    _ohne_fehler(app.switch_page("pages/ziel_a.py").run())
    tabelle = _vergleich(app).set_index("Indikator")
    assert list(tabelle.columns) == [
        "Q2 2026",
        "Vorquartal Q1 2026",
        "Veränderung zum Vorquartal",
        "Vorjahresquartal Q2 2025",
        "Veränderung zum Vorjahresquartal",
    ]
    with verbinden(echt_db) as db:
        je_quartal = {
            q: berechne(db, Filter(von=quartal_grenzen(q)[0], bis=quartal_grenzen(q)[1]))
            for q in ("2026-Q2", "2026-Q1", "2025-Q2")
        }
    geprueft = 0
    for ind in [i for i in INDIKATOREN if i.ziel.value == "a"]:
        zeile = tabelle.loc[f"{ind.id} {ind.name}"]
        werte = {}
        for quartal, spalte in [
            ("2026-Q2", "Q2 2026"),
            ("2026-Q1", "Vorquartal Q1 2026"),
            ("2025-Q2", "Vorjahresquartal Q2 2025"),
        ]:
            z = auf.zeile(je_quartal[quartal].indikatoren, ind.id)
            assert z is not None
            assert zeile[spalte] == auf.wert_text(ind, z["wert"], unterdrueckt=z["unterdrueckt"])
            werte[quartal] = None if z["unterdrueckt"] else float(z["wert"])
        for quartal, spalte in [
            ("2026-Q1", "Veränderung zum Vorquartal"),
            ("2025-Q2", "Veränderung zum Vorjahresquartal"),
        ]:
            if werte["2026-Q2"] is None or werte[quartal] is None:
                assert zeile[spalte] == "–"
                continue
            differenz = werte["2026-Q2"] - werte[quartal]
            assert _zahl(zeile[spalte]) == pytest.approx(
                differenz, abs=0.6 * 10**-ind.dezimalstellen
            )
            geprueft += 1
    assert geprueft >= 6
    # the phone list says the same (the stylesheet shows it instead of the table ≤ 640 px)
    a1 = tabelle.loc["A1 Erreichte Teilnehmende"]
    liste = next(m.value for m in app.main.markdown if m.value.startswith("- **A1 "))
    assert liste.splitlines()[0] == (
        f"- **A1 Erreichte Teilnehmende**: Q2 2026: {a1['Q2 2026']} · Vorquartal Q1 2026: "
        f"{a1['Vorquartal Q1 2026']} (Veränderung {a1['Veränderung zum Vorquartal']}) · "
        f"Vorjahresquartal Q2 2025: {a1['Vorjahresquartal Q2 2025']} (Veränderung "
        f"{a1['Veränderung zum Vorjahresquartal']})"
    )

    # a period of more than one quarter: only the hint, no table
    app.select_slider(key="f_zeitraum").set_value(("2026-Q1", "2026-Q2")).run()
    _ohne_fehler(app)
    assert not any("Veränderung zum Vorquartal" in d.value for d in app.main.dataframe)
    assert any("ein einzelnes Quartal" in c.value for c in app.main.caption)


def test_quartalsvergleich_des_foerdergebers_zeigt_nur_gitterzellen(echt_db: Path) -> None:
    """Both quarters are published lattice cells: the table repeats them — a hidden cell stays
    hidden, gives no difference, and an unapproved comparison quarter shows nothing."""
    _freigeben(echt_db, [(s, q) for s in STANDORTE for q in ("2026-Q1", "2026-Q2")])
    app = _als(echt_db, "geld", "foerdergeber")
    app.selectbox(key="f_quartal").set_value("2026-Q2").run()
    app.selectbox(key="f_standort").set_value("BERLIN").run()
    _ohne_fehler(app.switch_page("pages/ziel_a.py").run())
    tabelle = _vergleich(app).set_index("Indikator")

    funder = zugriff_fuer("foerdergeber")
    with verbinden(echt_db) as db:
        zellen = {
            q: sicht.ergebnis(
                db,
                funder,
                Filter(("BERLIN",), von=quartal_grenzen(q)[0], bis=quartal_grenzen(q)[1]),
            ).indikatoren
            for q in ("2026-Q2", "2026-Q1")
        }
    versteckt = gezeigt = 0
    for ind in [i for i in INDIKATOREN if i.ziel.value == "a"]:
        zeile = tabelle.loc[f"{ind.id} {ind.name}"]
        weg, werte = False, {}
        for quartal, spalte in [("2026-Q2", "Q2 2026"), ("2026-Q1", "Vorquartal Q1 2026")]:
            z = auf.zeile(zellen[quartal], ind.id, "BERLIN")
            assert z is not None
            text = auf.wert_text(
                ind, z["wert"], unterdrueckt=z["unterdrueckt"], grund=z["sperrgrund"]
            )
            assert zeile[spalte] == text
            werte[quartal] = float(z["wert"])
            if z["unterdrueckt"]:
                weg = True
                versteckt += 1
                assert zeile[spalte] in {"< 5", "< 10", "•"}
        if weg:
            assert zeile["Veränderung zum Vorquartal"] == "–"
        else:
            gezeigt += 1
            assert _zahl(zeile["Veränderung zum Vorquartal"]) == pytest.approx(
                werte["2026-Q2"] - werte["2026-Q1"], abs=0.6 * 10**-ind.dezimalstellen
            )
        # 2025-Q2 is not approved: not read, nothing shown
        assert zeile["Vorjahresquartal Q2 2025"] == "–"
        assert zeile["Veränderung zum Vorjahresquartal"] == "–"
    assert versteckt >= 1 and gezeigt >= 1  # tested on hidden and on shown cells


def _ki(unten: float, oben: float, stellen: int) -> str:
    """A 95 % interval as the dashboard writes it: German decimals, the true minus sign."""
    return f"[{zahl(unten, stellen)}; {zahl(oben, stellen)}]".replace("-", "\u2212")


# -- forest plots on phones -------------------------------------------------------------------
def test_forest_plot_als_liste_fuer_das_telefon(echt_db: Path) -> None:
    """Beside the forest plot the same values as a list (the stylesheet shows it ≤ 640 px)."""
    app = _als(echt_db, "leitung", "projektleitung")
    _ohne_fehler(app.switch_page("pages/standortvergleich.py").run())
    ind = REGISTER[app.selectbox(key="sv_indikator").value]
    assert ind.vorher_nachher  # the default is a pre/post change with interval
    zeilen = "\n".join(m.value for m in app.main.markdown if m.value.startswith("- **"))
    zeilen = zeilen.splitlines()
    namen = _namen(echt_db)
    with verbinden(echt_db) as db:
        vn = berechne(db, Filter()).vorher_nachher
    vn = vn[
        (vn["indikator"] == ind.id)
        & (vn["welle"] == "T1")
        & (vn["gruppe"] == GESAMT)
        & (vn["periode"] == GESAMT)
    ].set_index("standort")
    stellen = ind.dezimalstellen
    for standort in STANDORTE:
        z = vn.loc[standort]
        assert not z["unterdrueckt"]
        erwartet = (
            f"- **{namen[standort]}**: {zahl(z['differenz'], stellen, vorzeichen=True)}\xa0"
            f"{ind.einheit} {_ki(z['ci_unten'], z['ci_oben'], stellen)}"
            f", n = {int(z['n_paare'])}"
        )
        assert erwartet in zeilen
    assert zeilen[0].startswith("- **Alle gewählten Standorte**: ")


def test_formate_als_listen_fuer_das_telefon(echt_db: Path) -> None:
    """The two dot-and-interval charts of the Formate page also as lists, value by value."""
    app = _als(echt_db, "leitung", "projektleitung")
    _ohne_fehler(app.switch_page("pages/formate.py").run())
    zeilen = "\n".join(m.value for m in app.main.markdown if m.value.startswith("- **"))
    zeilen = zeilen.splitlines()
    with verbinden(echt_db) as db:
        ergebnis = berechne(db, Filter(gruppierung=Gruppierung.FORMAT))
    ind_tab = ergebnis.indikatoren
    a3 = ind_tab[
        (ind_tab["indikator"] == "A3")
        & (ind_tab["standort"] == GESAMT)
        & (ind_tab["periode"] == GESAMT)
        & (ind_tab["gruppe"] == "praesenz")
    ].iloc[0]
    zeile = next(z for z in zeilen if z.startswith("- **A3 – Zufriedenheit**: "))
    if a3["unterdrueckt"]:
        assert "Präsenz: < 5" in zeile
    else:
        assert (
            f"Präsenz: {zahl(a3['wert'], 1)}\xa0% {_ki(a3['ci_unten'], a3['ci_oben'], 1)}"
            f", n = {int(a3['n'])}"
        ) in zeile
    vn = ergebnis.vorher_nachher
    a5 = vn[
        (vn["indikator"] == "A5")
        & (vn["standort"] == GESAMT)
        & (vn["periode"] == GESAMT)
        & (vn["welle"] == "T1")
        & (vn["gruppe"] == "digital")
    ].iloc[0]
    zeile = next(z for z in zeilen if z.startswith("- **A5 – Kontakthäufigkeit**: "))
    assert not a5["unterdrueckt"]
    assert f"Digital: {zahl(a5['differenz'], 2, vorzeichen=True)}\xa0Punkte" in zeile
    assert f", n = {int(a5['n_paare'])}" in zeile

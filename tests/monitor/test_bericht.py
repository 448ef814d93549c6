"""The Excel report: read back with openpyxl and compared cell by cell with the engine.

One demo project (6 sites, 1 500 persons) plus a hand-made site whose name and activity titles
try formula injection and which has only 3 persons (so its cells must be suppressed). The
workbook is written once per module; every test reads it.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from indikatoren import datenqualitaet as dq
from indikatoren.engine import Ergebnis, berechne
from indikatoren.filter import GRUPPEN_LABEL, Filter
from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.unterdrueckung import Schwellen
from indikatoren.zielerreichung import REGEL_TEXT
from monitor.benutzer import zugriff_fuer
from monitor.bericht import BLATT_NAMEN, bericht_bytes, indikator_csv, schreibe_bericht
from monitor.db import Datenbank, verbinden
from monitor.demo import lade_demo

HEUTE = date(2026, 11, 27)
#: The dashboard's status colours and symbols (issue 16), written out here by hand: blue – light
#: blue – amber – red – grey, never green/red, each with its symbol in the cell text.
STATUS_ERWARTET = {
    "erreicht": ("✓ erreicht", "08519C"),
    "auf Kurs": ("↗ auf Kurs", "6BAED6"),
    "Verzug": ("! Verzug", "F2B134"),
    "kritisch": ("✕ kritisch", "B2182B"),
    "keine Daten": ("○ keine Daten", "D4D4D4"),
}
SCHWELLEN = Schwellen.aus_umgebung()
INJEKTIONEN = ('=HYPERLINK("http://x","y")', "=1+2", "@SUMME(A1:A2)", "+49 170", "-5")
DATENBLAETTER = (
    "Zielerreichung",
    "Ziel a",
    "Ziel b",
    "Ziel c",
    "Vorher-Nachher",
    "Standortvergleich",
    "Formate",
    "Methodik",
)


def _injektionsdaten(db: Datenbank) -> None:
    """Site INJ ('=HYPERLINK…') with 3 persons; site PLUS ('+49 170'). INJ's activities: eight
    ordinary ones and four implausibly large ones titled with formulas, so the titles reach the
    report through the outlier list."""
    titel = ["=1+2", "@SUMME(A1:A2)", "-5", '=HYPERLINK("http://x","y")']
    normal = [10, 11, 12, 10, 11, 12, 10, 11]
    with db.transaction() as cur:
        cur.executemany(
            "INSERT INTO standorte (standort, name, ort, bundesland, start) VALUES (?, ?, ?, ?, ?)",
            [
                ["INJ", INJEKTIONEN[0], "=1+2", "Berlin", date(2025, 1, 6)],
                ["PLUS", "+49 170", "-5", "Berlin", date(2025, 1, 6)],
            ],
        )
        zeilen = [
            [f"n{i}", "INJ", date(2026, 3, 2), "Treffen", "begegnung", "digital", anzahl]
            for i, anzahl in enumerate(normal)
        ]
        zeilen += [
            [f"x{i}", "INJ", date(2026, 3, 9), t, "begegnung", "digital", 300 + i]
            for i, t in enumerate(titel)
        ]
        zeilen += [
            [f"p{i}", "PLUS", date(2026, 4, 1), "-5", "workshop", "hybrid", 9] for i in range(3)
        ]
        cur.executemany(
            "INSERT INTO aktivitaeten (aktivitaet_id, standort, datum, titel, typ, format, "
            "teilnehmende_gesamt) VALUES (?, ?, ?, ?, ?, ?, ?)",
            zeilen,
        )
        cur.executemany(
            "INSERT INTO befragungen (code, standort, welle, datum, format, "
            "migrationshintergrund, zufriedenheit) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[f"inj{i}", "INJ", "T0", date(2026, 2, 2), "digital", "ja", None] for i in range(3)],
        )


@dataclass(frozen=True)
class Bericht:
    db: Datenbank
    pfad: Path
    mappe: Workbook
    ergebnis: Ergebnis
    quartale: Ergebnis


@pytest.fixture(scope="module")
def bericht(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bericht]:
    ordner = tmp_path_factory.mktemp("bericht")
    db = verbinden(ordner / "monitor.duckdb")
    lade_demo(db, seed=42, standorte=6, teilnehmende=1500)
    _injektionsdaten(db)
    pfad = ordner / "bericht.xlsx"
    schreibe_bericht(db, pfad, projektname="Projekt =1+2", heute=HEUTE)
    yield Bericht(
        db=db,
        pfad=pfad,
        mappe=load_workbook(pfad),
        ergebnis=berechne(db, Filter(), SCHWELLEN, HEUTE),
        quartale=berechne(db, Filter(nach_quartal=True), SCHWELLEN, HEUTE),
    )
    db.close()


def _kopf(ws: Worksheet, zeile: int = 1) -> list[Any]:
    return [c.value for c in ws[zeile] if c.value is not None]


def _zeilen(ws: Worksheet, kopfzeile: int = 1) -> list[dict[str, Any]]:
    """Data rows as dicts header → cell (the cell, so types and formats can be checked)."""
    kopf = [c.value for c in ws[kopfzeile]]
    zeilen = []
    for reihe in ws.iter_rows(min_row=kopfzeile + 1):
        if all(c.value is None for c in reihe):
            break
        zeilen.append({k: c for k, c in zip(kopf, reihe, strict=False) if k is not None})
    return zeilen


def _marke(indikator_id: str, grund: str = "") -> str:
    """The mark a suppressed cell must show: "•" when it is hidden to protect another one
    (engine ``sperrgrund`` "sekundaer"), else "< 5" (effects "< 10")."""
    if grund == "sekundaer":
        return "•"
    paare = REGISTER[indikator_id].vorher_nachher
    return f"< {SCHWELLEN.min_paare if paare else SCHWELLEN.min_personen}"


def _pruefe_zelle(zelle: Any, wert: float, unterdrueckt: bool, marke: str) -> None:
    """A released value is the engine's number; a suppressed one the grey text mark."""
    if unterdrueckt:
        assert zelle.value == marke and zelle.data_type == "s", zelle.coordinate
        assert zelle.font.color is not None and zelle.font.color.rgb.endswith("808080")
    elif wert is None or (isinstance(wert, float) and math.isnan(wert)):
        assert zelle.value is None, zelle.coordinate
    else:
        assert isinstance(zelle.value, int | float) and not isinstance(zelle.value, bool)
        assert zelle.value == pytest.approx(float(wert), rel=1e-12, abs=1e-12), zelle.coordinate


# -- structure ----------------------------------------------------------------------------------
def test_blaetter_und_kopfzeilen(bericht: Bericht) -> None:
    m = bericht.mappe
    assert m.sheetnames == list(BLATT_NAMEN)
    assert _kopf(m["Zielerreichung"])[:17] == [
        "ID",
        "Ziel",
        "Indikator",
        "Stufe",
        "Einheit",
        "Richtung",
        "Standort",
        "Basiswert",
        "Zielwert",
        "Stichtag",
        "Ist",
        "Zielerreichung (%)",
        "Status",
        "Zähler",
        "Nenner",
        "n",
        "Hinweis zum Ziel",
    ]
    perioden = sorted(
        set(bericht.quartale.indikatoren["periode"]) - {"gesamt"}
    )  # e.g. 2025-Q1 → "Q1 2025"
    assert _kopf(m["Zielerreichung"])[17:] == [f"{p[5:]} {p[:4]}" for p in perioden]
    for ziel in ("a", "b", "c"):
        assert _kopf(m[f"Ziel {ziel}"]) == [
            "ID",
            "Indikator",
            "Standort-ID",
            "Standort",
            "Gruppe",
            "Einheit",
            "Wert",
            "n",
            "KI unten",
            "KI oben",
            "Zähler",
            "Nenner",
        ]
    assert _kopf(m["Vorher-Nachher"])[7:] == [
        "n Paare",
        "Mittelwert vorher",
        "Mittelwert nachher",
        "Differenz",
        "KI unten",
        "KI oben",
        "d_z",
        "g_z",
        "p",
        "p (Holm)",
        "Personen mit T0",
        "Match-Quote (%)",
        "d_av",
        "d_av KI unten",
        "d_av KI oben",
    ]
    assert _kopf(m["Formate"])[3:] == [
        "Digital",
        "n Digital",
        "Hybrid",
        "n Hybrid",
        "Präsenz",
        "n Präsenz",
        "Gesamt",
        "n Gesamt",
    ]


def test_kopfzeilen_fixiert_mit_autofilter_ohne_verbundene_zellen(bericht: Bericht) -> None:
    for name in DATENBLAETTER:
        ws = bericht.mappe[name]
        assert ws.freeze_panes in ("C2", "D2"), name
        spalten = len(_kopf(ws))
        letzte = 1 + len(_zeilen(ws))
        ende = ws.cell(row=1, column=spalten).column_letter
        assert ws.auto_filter.ref == f"A1:{ende}{letzte}", name
        assert not ws.merged_cells.ranges, name
        assert all(ws.column_dimensions[c].width >= 6 for c in "ABC"), name
    assert bericht.mappe["Zielerreichung"].freeze_panes == "D2"


def test_diagramme_sind_native_excel_diagramme(bericht: Bericht) -> None:
    m = bericht.mappe
    for ziel in ("a", "b", "c"):
        anzahl = sum(1 for i in INDIKATOREN if i.ziel.value == ziel)
        diagramme = m[f"Ziel {ziel}"]._charts
        # one quarterly line and one site bar chart per indicator of the goal
        assert len(diagramme) == 2 * anzahl
        assert {type(d).__name__ for d in diagramme} == {"LineChart", "BarChart"}
        for diagramm in diagramme:
            assert diagramm.series[0].val.numRef.f.startswith("'Diagrammdaten'!")
    assert len(m["Standortvergleich"]._charts) == 1
    assert len(m["Formate"]._charts) == 2
    assert {len(d.series) for d in m["Formate"]._charts} == {3}  # digital, hybrid, Präsenz


def test_diagrammdaten_lassen_unterdrueckte_werte_leer(bericht: Bericht) -> None:
    ws = bericht.mappe["Diagrammdaten"]
    texte = [c.value for reihe in ws.iter_rows(min_row=3) for c in reihe[1:] if c.value]
    assert texte and all(isinstance(t, int | float) or not str(t).startswith("<") for t in texte)
    q = bericht.quartale.indikatoren
    projekt = q[
        (q["standort"] == "gesamt") & (q["gruppe"] == "gesamt") & (q["periode"] != "gesamt")
    ]
    assert projekt["unterdrueckt"].any()  # the demo's last quarters are small
    kopf = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Quartal")
    spalte = 1 + [i.id for i in INDIKATOREN].index("A1") + 1
    for zeile in range(kopf + 1, kopf + 1 + len(set(projekt["periode"]))):
        label = ws.cell(row=zeile, column=1).value
        periode = f"{label[3:]}-{label[:2]}"
        treffer = projekt[(projekt["indikator"] == "A1") & (projekt["periode"] == periode)]
        zelle = ws.cell(row=zeile, column=spalte)
        if bool(treffer["unterdrueckt"].iloc[0]):
            assert zelle.value is None
        else:
            assert zelle.value == pytest.approx(float(treffer["wert"].iloc[0]))


# -- values -------------------------------------------------------------------------------------
def test_ziel_blaetter_zeigen_genau_die_freigegebenen_werte(bericht: Bericht) -> None:
    tabelle = bericht.ergebnis.indikatoren
    unterdrueckte = 0
    for ziel in ("a", "b", "c"):
        zellen = {
            (z["ID"].value, z["Standort-ID"].value, z["Gruppe"].value): z
            for z in _zeilen(bericht.mappe[f"Ziel {ziel}"])
        }
        teil = tabelle[tabelle["ziel"] == ziel]
        assert len(zellen) == len(teil)
        for r in teil.itertuples(index=False):
            zeile = zellen[(r.indikator, r.standort, GRUPPEN_LABEL[r.gruppe])]
            marke = _marke(r.indikator, r.sperrgrund)
            _pruefe_zelle(zeile["Wert"], r.wert, r.unterdrueckt, marke)
            _pruefe_zelle(zeile["n"], r.n, r.unterdrueckt, marke)
            unterdrueckte += bool(r.unterdrueckt)
            if not r.unterdrueckt and not math.isnan(r.ci_unten):
                _pruefe_zelle(zeile["KI unten"], r.ci_unten, False, marke)
    assert unterdrueckte > 0  # INJ (3 persons) and the demo's small site


def test_zahlen_sind_zahlen_mit_deutschen_formaten(bericht: Bericht) -> None:
    zeilen = _zeilen(bericht.mappe["Zielerreichung"])
    a3 = next(
        z for z in zeilen if z["ID"].value == "A3" and z["Standort"].value.startswith("Gesamt")
    )
    assert isinstance(a3["Ist"].value, float) and a3["Ist"].number_format == "#,##0.0"
    assert a3["n"].number_format == "#,##0" and isinstance(a3["n"].value, int | float)
    assert (
        isinstance(a3["Stichtag"].value, datetime) and a3["Stichtag"].number_format == "DD.MM.YYYY"
    )
    assert a3["Zielerreichung (%)"].number_format == "#,##0"
    a5 = next(z for z in zeilen if z["ID"].value == "A5")
    assert a5["Ist"].number_format == "#,##0.00"  # two decimals declared for scale changes
    vn = _zeilen(bericht.mappe["Vorher-Nachher"])
    frei = next(z for z in vn if isinstance(z["d_z"].value, float))
    assert frei["d_z"].number_format == "0.00"
    assert "0.000" in frei["p"].number_format
    assert frei["Match-Quote (%)"].number_format == "#,##0.0"
    # numbers are never stored as text anywhere in the value columns
    for z in vn:
        for spalte in ("n Paare", "Differenz", "Match-Quote (%)"):
            wert = z[spalte].value
            assert wert is None or isinstance(wert, int | float) or wert in ("< 5", "< 10", "•")


def test_zielerreichung_wie_engine_mit_quartalen_und_statusfarben(bericht: Bericht) -> None:
    ws = bericht.mappe["Zielerreichung"]
    zeilen = _zeilen(ws)
    t = bericht.ergebnis.indikatoren
    projekt = t[(t["standort"] == "gesamt") & (t["gruppe"] == "gesamt")]
    assert [z["ID"].value for z in zeilen[: len(INDIKATOREN)]] == [i.id for i in INDIKATOREN]
    q = bericht.quartale.indikatoren
    for zeile, r in zip(zeilen, projekt.itertuples(index=False), strict=False):
        _pruefe_zelle(zeile["Ist"], r.wert, r.unterdrueckt, _marke(r.indikator, r.sperrgrund))
        assert zeile["Status"].value == STATUS_ERWARTET[r.status][0]
        if not math.isnan(r.zielerreichung):
            assert zeile["Zielerreichung (%)"].value == pytest.approx(r.zielerreichung)
        for periode in sorted(set(q["periode"]) - {"gesamt"}):
            quelle = q[
                (q["indikator"] == r.indikator)
                & (q["standort"] == "gesamt")
                & (q["gruppe"] == "gesamt")
                & (q["periode"] == periode)
            ].iloc[0]
            zelle = zeile[f"{periode[5:]} {periode[:4]}"]
            marke = _marke(r.indikator, quelle["sperrgrund"])
            _pruefe_zelle(zelle, quelle["wert"], bool(quelle["unterdrueckt"]), marke)
    # site rows: only sites with a target, each with its own status
    standorte = {z["Standort"].value for z in zeilen[len(INDIKATOREN) :]}
    assert "Zusammenhalt digital Berlin" in standorte and INJEKTIONEN[0] not in standorte
    regeln = {
        regel.formula[0].strip('"'): regel.dxf.fill.fgColor.rgb[-6:]
        for bereich in ws.conditional_formatting
        for regel in bereich.rules
    }
    assert regeln == dict(STATUS_ERWARTET.values())


def test_vorher_nachher_alle_zeilen_wie_engine(bericht: Bericht) -> None:
    zeilen = _zeilen(bericht.mappe["Vorher-Nachher"])
    vn = bericht.ergebnis.vorher_nachher
    assert len(zeilen) == len(vn)
    zellen = {
        (z["ID"].value, z["Standort-ID"].value, z["Gruppe"].value, z["Welle"].value): z
        for z in zeilen
    }
    assert {w for *_, w in zellen} == {"T1", "T2"}
    unterdrueckt = 0
    for r in vn.itertuples(index=False):
        zeile = zellen[(r.indikator, r.standort, GRUPPEN_LABEL[r.gruppe], r.welle)]
        paare = "•" if r.sperrgrund == "sekundaer" else "< 10"
        _pruefe_zelle(zeile["n Paare"], r.n_paare, r.unterdrueckt, paare)
        _pruefe_zelle(zeile["Differenz"], r.differenz, r.unterdrueckt, paare)
        _pruefe_zelle(zeile["Match-Quote (%)"], r.match_quote, r.match_unterdrueckt, "< 5")
        _pruefe_zelle(zeile["p (Holm)"], r.p_holm, r.unterdrueckt, paare)
        if REGISTER[r.indikator].berechnung.value == "vorher_nachher":
            _pruefe_zelle(zeile["g_z"], r.g_z, r.unterdrueckt, paare)
            _pruefe_zelle(zeile["d_av"], r.d_av, r.unterdrueckt, paare)
            _pruefe_zelle(zeile["d_av KI oben"], r.d_av_oben, r.unterdrueckt, paare)
        unterdrueckt += bool(r.unterdrueckt)
    assert unterdrueckt > 0


def test_unterdrueckte_zellen_nie_null(bericht: Bericht) -> None:
    """INJ has 3 persons: its reach (A1) must read "< 5" in every sheet, never 0 or a number."""
    a1 = bericht.ergebnis.indikatoren
    inj = a1[(a1["indikator"] == "A1") & (a1["standort"] == "INJ") & (a1["gruppe"] == "gesamt")]
    assert bool(inj["unterdrueckt"].iloc[0])
    vergleich = {z["Standort-ID"].value: z for z in _zeilen(bericht.mappe["Standortvergleich"])}
    zelle = vergleich["INJ"]["A1 Erreichte Teilnehmende (Personen)"]
    assert zelle.value == "< 5" and zelle.data_type == "s"
    ziel_a = [
        z
        for z in _zeilen(bericht.mappe["Ziel a"])
        if z["Standort-ID"].value == "INJ" and z["ID"].value == "A1"
    ]
    assert ziel_a and all(z["Wert"].value == "< 5" for z in ziel_a)


def test_sekundaer_verborgene_zellen_zeigen_punkt(bericht: Bericht) -> None:
    """Cells hidden to protect others read "•" as on the dashboard, not "< 5" (issue 12, 6).

    Expected from the raw rows: INJ has 3 T0 persons (SQL), so its A1 is a primary small
    cell; the project total is released, so total minus the other sites would give INJ's
    count unless at least one more site's A1 is hidden — that one must be marked "•".
    """
    personen = dict(
        bericht.db.rows(
            "SELECT standort, count(DISTINCT code) FROM befragungen WHERE welle = 'T0' "
            "GROUP BY standort"
        )
    )
    assert personen["INJ"] == 3 and all(n >= 5 for s, n in personen.items() if s != "INJ")
    vergleich = {z["Standort-ID"].value: z for z in _zeilen(bericht.mappe["Standortvergleich"])}
    spalte = "A1 Erreichte Teilnehmende (Personen)"
    assert vergleich["INJ"][spalte].value == "< 5"
    assert isinstance(vergleich["gesamt"][spalte].value, int | float)
    punkte = [s for s, z in vergleich.items() if z[spalte].value == "•"]
    assert punkte and "INJ" not in punkte
    for standort in punkte:  # a large site, hidden only to protect INJ
        assert personen[standort] >= 5
        assert vergleich[standort][spalte].font.color.rgb.endswith("808080")
    # and no sheet calls such a cell "< 5": the Ziel a rows of those sites say "•" as well
    ziel_a = [
        z
        for z in _zeilen(bericht.mappe["Ziel a"])
        if z["Standort-ID"].value in punkte and z["ID"].value == "A1"
        and z["Gruppe"].value == GRUPPEN_LABEL["gesamt"]
    ]  # fmt: skip
    assert ziel_a and all(z["Wert"].value == "•" for z in ziel_a)


def test_formeln_aus_importen_bleiben_text(bericht: Bericht) -> None:
    gefunden: dict[str, int] = {}
    for ws in bericht.mappe.worksheets:
        for reihe in ws.iter_rows():
            for zelle in reihe:
                if zelle.value in INJEKTIONEN or (
                    isinstance(zelle.value, str) and zelle.value.startswith("Projekt =")
                ):
                    assert zelle.data_type == "s", (ws.title, zelle.coordinate)
                    gefunden[zelle.value] = gefunden.get(zelle.value, 0) + 1
    # site names (many sheets), activity titles (outlier list), the project name (cover)
    assert set(INJEKTIONEN) <= set(gefunden)
    assert gefunden[INJEKTIONEN[0]] > 3
    with zipfile.ZipFile(bericht.pfad) as archiv:
        for name in archiv.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archiv.read(name).decode("utf-8")
                assert not re.search(r"<f[ >]", xml), name  # no formula anywhere


def test_filterwerte_werden_als_text_geschrieben(bericht: Bericht) -> None:
    inhalt = bericht_bytes(
        bericht.db,
        Filter(standorte=("=1+2", "INJ"), formate=("digital",)),
        projektname='=HYPERLINK("http://x","y")',
        heute=HEUTE,
    )
    deckblatt = load_workbook(io.BytesIO(inhalt))["Deckblatt"]
    werte: dict[str, Any] = {}
    for zeile in deckblatt.iter_rows(max_col=2):  # first occurrence: the filter block on top
        werte.setdefault(zeile[0].value, zeile[1])
    assert werte["Standorte"].value.startswith("=1+2 (=1+2)")
    assert werte["Standorte"].data_type == "s"
    assert werte["Projekt"].value == INJEKTIONEN[0] and werte["Projekt"].data_type == "s"
    assert werte["Formate"].value == "Digital"


def test_gefilterter_bericht_wie_engine_fuer_denselben_filter(bericht: Bericht) -> None:
    auswahl = Filter(standorte=("D_BERLIN",), von=date(2025, 4, 1), bis=date(2026, 6, 30))
    mappe = load_workbook(io.BytesIO(bericht_bytes(bericht.db, auswahl, heute=HEUTE)))
    ergebnis = berechne(bericht.db, auswahl, SCHWELLEN, HEUTE)
    zeilen = _zeilen(mappe["Ziel b"])
    assert {z["Standort-ID"].value for z in zeilen} == {"gesamt", "D_BERLIN"}
    t = ergebnis.indikatoren
    for z in zeilen:
        gruppe = {v: k for k, v in GRUPPEN_LABEL.items()}[z["Gruppe"].value]
        r = t[
            (t["indikator"] == z["ID"].value)
            & (t["standort"] == z["Standort-ID"].value)
            & (t["gruppe"] == gruppe)
        ].iloc[0]
        marke = _marke(r["indikator"], r["sperrgrund"])
        _pruefe_zelle(z["Wert"], r["wert"], bool(r["unterdrueckt"]), marke)
    deckblatt = {z[0].value: z[1].value for z in mappe["Deckblatt"].iter_rows(max_col=2)}
    assert deckblatt["Zeitraum"] == "01.04.2025 bis 30.06.2026"


def test_datenqualitaet_blatt(bericht: Bericht) -> None:
    ws = bericht.mappe["Datenqualität"]
    texte = [c.value for reihe in ws.iter_rows(max_col=1) for c in reihe if c.value]
    for titel, erklaerung in dq.PRUEFUNGEN.values():
        assert titel in texte and erklaerung in texte
    assert set(ws.tables) == {f"DQ_{k}" for k in dq.PRUEFUNGEN}
    # the outlier list holds activities, never participant codes
    tabelle = ws.tables["DQ_ausreisser"]
    zellen = ws[tabelle.ref]
    assert [c.value for c in zellen[0]] == [
        dq.SPALTEN[s] for s in dq.ausreisser(bericht.db).columns
    ]
    ids = {reihe[0].value for reihe in zellen[1:]}
    assert {"x0", "x1", "x2", "x3"} <= ids
    alle = {c.value for reihe in ws.iter_rows() for c in reihe if isinstance(c.value, str)}
    assert not any(t.startswith(("inj", "demo_")) for t in alle)
    # INJ's 3 T0 persons: suppressed in the funnel, written as the mark
    trichter = ws[ws.tables["DQ_trichter"].ref]
    inj = next(reihe for reihe in trichter if reihe[0].value == "INJ")
    assert inj[2].value == "< 5" and inj[2].data_type == "s"


def test_methodik_aus_den_deklarationen(bericht: Bericht) -> None:
    zeilen = _zeilen(bericht.mappe["Methodik"])
    assert [z["ID"].value for z in zeilen] == [i.id for i in INDIKATOREN]
    for z, ind in zip(zeilen, INDIKATOREN, strict=True):
        assert z["Beschreibung"].value == ind.beschreibung
        assert z["Stufe"].value == ind.stufe
    texte = {c.value for reihe in bericht.mappe["Methodik"].iter_rows() for c in reihe}
    assert REGEL_TEXT in texte
    assert any(isinstance(t, str) and "g_z = d_z · J" in t for t in texte)
    assert not any(isinstance(t, str) and "Effekt (Cohen)" in t for t in texte)
    assert any(isinstance(t, str) and "Holm-korrigierte" in t for t in texte)
    assert any(isinstance(t, str) and "„< 5“" in t for t in texte)


def test_leere_datenbank(tmp_path: Path) -> None:
    db = verbinden(tmp_path / "leer.duckdb")
    try:
        mappe = load_workbook(io.BytesIO(bericht_bytes(db, heute=HEUTE)))
    finally:
        db.close()
    assert mappe.sheetnames == list(BLATT_NAMEN)
    werte = {z[0].value: z[1].value for z in mappe["Deckblatt"].iter_rows(max_col=2)}
    assert werte["Datenstand (letzter Import)"] == "noch kein Import"


def test_schreiben_in_datei_und_strom(bericht: Bericht, tmp_path: Path) -> None:
    strom = io.BytesIO()
    schreibe_bericht(bericht.db, strom, heute=HEUTE)
    aus_strom = load_workbook(io.BytesIO(strom.getvalue()))
    assert aus_strom.sheetnames == bericht.mappe.sheetnames
    assert [c.value for c in aus_strom["Methodik"]["C"]] == [
        c.value for c in bericht.mappe["Methodik"]["C"]
    ]


def test_indikator_csv_fuer_deutsches_excel(bericht: Bericht) -> None:
    inhalt = indikator_csv(bericht.db, Filter(), deutsch=True)
    assert inhalt.startswith(b"\xef\xbb\xbf")
    tabelle = pd.read_csv(io.BytesIO(inhalt), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(tabelle.columns)[:4] == ["indikator", "ziel", "name", "stufe"]
    t = bericht.ergebnis.indikatoren
    assert len(tabelle) == len(t)
    a3 = tabelle[(tabelle["indikator"] == "A3") & (tabelle["standort"] == "gesamt")]
    erwartet = t[(t["indikator"] == "A3") & (t["standort"] == "gesamt") & (t["gruppe"] == "gesamt")]
    assert a3["wert"].iloc[0] == pytest.approx(erwartet["wert"].iloc[0], rel=1e-6)
    versteckt = tabelle[tabelle["unterdrueckt"].astype(str) == "True"]
    assert len(versteckt) > 0 and versteckt["wert"].isna().all()
    text = inhalt.decode("utf-8-sig")
    assert text.splitlines()[0].count(";") >= 10 and re.search(r";\d+,\d+;", text)


def test_libreoffice_oeffnet_und_konvertiert_zu_pdf(bericht: Bericht, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice fehlt: der Bericht muss sich in LibreOffice ohne Reparatur öffnen "
            "lassen. Bitte 'apt-get install libreoffice-calc-nogui' ausführen (.ci/run tut das)."
        )
    profil = tmp_path / "lo-profil"  # own profile: parallel LibreOffice runs must not collide
    ergebnis = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profil.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(bericht.pfad),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ergebnis.returncode == 0, ergebnis.stderr
    pdf = tmp_path / "bericht.pdf"
    assert pdf.exists(), ergebnis.stdout + ergebnis.stderr
    assert pdf.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")
    # printed as set up: every page has "Seite n von m" and its sheet's name in the header;
    # each page of the Standortvergleich (three page widths) repeats the site names
    seiten = _pdf_seiten(pdf)
    assert all(re.search(r"Seite \d+ von \d+", s) for s in seiten)
    vergleich = [  # the table's pages (the chart's page has no unit headers)
        s
        for s in seiten
        if "Standortvergleich" in s.splitlines()[0] and re.search(r"\((%|Punkte|Personen)\)", s)
    ]
    assert len(vergleich) >= 3, [s.splitlines()[0] for s in seiten]
    assert all("Zusammenhalt digital Berlin" in s for s in vergleich)
    assert any(re.search(r"\bC6\b", s) for s in vergleich)  # the last column, too


def _pdf_seiten(pdf: Path) -> list[str]:
    """The text of each page of a PDF (poppler's pdftotext; pages split at form feeds)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [s.strip("\n") for s in text.split("\f") if s.strip()]


@pytest.mark.parametrize("rolle", [None, "foerdergeber"])
def test_druckeinrichtung_jedes_blatts(bericht: Bericht, rolle: str | None) -> None:
    """Every sheet prints on A4 landscape scaled to the page width (wide tables to a few
    widths with their label columns repeated), with header and page numbers — also in the
    funder's protected workbook (whose Datenqualität sheet is a note only)."""
    breiten = {"Zielerreichung": 2, "Standortvergleich": 3, "Diagrammdaten": 3}
    titelspalten = {"Zielerreichung": "$A:$C", "Standortvergleich": "$A:$B"}
    mappe = bericht.mappe
    if rolle is not None:
        inhalt = bericht_bytes(
            bericht.db, projektname="Projekt =1+2", heute=HEUTE, zugriff=zugriff_fuer(rolle)
        )
        mappe = load_workbook(io.BytesIO(inhalt))
    assert mappe.sheetnames == list(BLATT_NAMEN)
    for ws in mappe.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape" and int(ps.paperSize) == 9, ws.title  # 9 = A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(ps.fitToWidth) == breiten.get(ws.title, 1), ws.title
        assert int(ps.fitToHeight) == 0, ws.title  # as many pages down as needed
        assert ws.oddFooter.center.text == "Seite &P von &N", ws.title
        assert ws.oddHeader.right.text == "&A", ws.title
        assert ws.oddHeader.left.text == "Projekt =1+2 – Bericht", ws.title
        if ws.title in titelspalten:
            assert ws.print_title_cols == titelspalten[ws.title]
        if ws.title in DATENBLAETTER:
            assert ws.print_title_rows == "$1:$1", ws.title


def test_kaufmanns_und_in_kopfzeile_bleibt_text(bericht: Bericht) -> None:
    """ "&" starts a control code in Excel's header text: a project name with it is doubled."""
    mappe = load_workbook(io.BytesIO(bericht_bytes(bericht.db, projektname="A & B", heute=HEUTE)))
    assert mappe["Methodik"].oddHeader.left.text == "A && B – Bericht"


def test_bericht_eines_standorts_mit_dessen_zielen(bericht: Bericht) -> None:
    """A single site's report judges the goals by that site's targets (before: "keine Daten"
    for all three goals on the cover, while the dashboard showed the site's attainment)."""
    from indikatoren.zielerreichung import ziel_zusammenfassung

    auswahl = Filter(standorte=("D_BERLIN",))
    mappe = load_workbook(io.BytesIO(bericht_bytes(bericht.db, auswahl, heute=HEUTE)))
    ergebnis = berechne(bericht.db, auswahl, SCHWELLEN, HEUTE)
    erwartet = {s.ziel.value: s for s in ziel_zusammenfassung(ergebnis.indikatoren, "D_BERLIN")}
    zeilen = [
        reihe
        for reihe in mappe["Deckblatt"].iter_rows(max_col=3, values_only=True)
        if isinstance(reihe[0], str) and reihe[0][:3] in ("a) ", "b) ", "c) ")
    ]
    assert len(zeilen) == 3
    for name, erreichung, status in zeilen:
        stand = erwartet[name[0]]
        assert status == STATUS_ERWARTET[str(stand.status)][0] != "○ keine Daten"
        assert erreichung == pytest.approx(stand.zielerreichung)
    texte = [c for r in mappe["Deckblatt"].iter_rows(values_only=True) for c in r if c]
    assert any(str(t).startswith("Stand der Wirkungsziele (Standort") for t in texte)


def test_zeitraum_bericht_misst_zaehlgroessen_am_anteiligen_ziel(bericht: Bericht) -> None:
    """D_BERLIN, 01.04.2025–30.06.2026: A1's target 350 (06.01.2025–31.12.2026, 725 days)
    applies pro rata for the 456 days of the period, and the sheet says so."""
    auswahl = Filter(standorte=("D_BERLIN",), von=date(2025, 4, 1), bis=date(2026, 6, 30))
    mappe = load_workbook(io.BytesIO(bericht_bytes(bericht.db, auswahl, heute=HEUTE)))
    a1 = next(
        z for z in _zeilen(mappe["Zielerreichung"])
        if z["ID"].value == "A1" and z["Standort"].value != "Gesamt (Auswahl)"
    )  # fmt: skip
    assert a1["Zielwert"].value == pytest.approx(350 * 456 / 725)
    assert a1["Basiswert"].value == 0
    assert a1["Hinweis zum Ziel"].value == "Zielwert anteilig für den gewählten Zeitraum"
    assert a1["Zielerreichung (%)"].value == pytest.approx(
        100 * a1["Ist"].value / (350 * 456 / 725)
    )
    deckblatt = {z[0].value: z[1].value for z in mappe["Deckblatt"].iter_rows(max_col=2)}
    assert deckblatt["Stichtag der Bewertung"].date() == date(2026, 6, 30)
    assert "anteiligen Zielwert" in deckblatt["Bewertung der Ziele"]


def test_meta_analyse_blatt_wie_statsmodels(bericht: Bericht) -> None:
    """The sheet pools the released site changes with a DerSimonian–Laird model — checked with
    statsmodels on the engine's site rows — beside the pooled raw-data change."""
    from scipy import stats
    from statsmodels.stats.meta_analysis import combine_effects

    zeilen = _zeilen(bericht.mappe["Meta-Analyse"])
    ids = {i.id for i in INDIKATOREN if i.vorher_nachher}
    assert {(z["ID"].value, z["Welle"].value) for z in zeilen} == {
        (i, w) for i in ids for w in ("T1", "T2")
    }
    vn = bericht.ergebnis.vorher_nachher
    vn = vn[(vn["gruppe"] == "gesamt") & (vn["periode"] == "gesamt")]
    for indikator in ("A5", "C2"):
        zeile = next(z for z in zeilen if z["ID"].value == indikator and z["Welle"].value == "T1")
        teil = vn[(vn["indikator"] == indikator) & (vn["welle"] == "T1")]
        gesamt = teil[teil["standort"] == "gesamt"].iloc[0]
        assert zeile["Veränderung gepoolt (Rohdaten)"].value == pytest.approx(gesamt["differenz"])
        orte = teil[(teil["standort"] != "gesamt") & ~teil["unterdrueckt"]]
        breite = orte["ci_oben"] - orte["ci_unten"]
        if indikator == "A5":  # t intervals: exact SE
            se = breite / (2 * stats.t.ppf(0.975, orte["n_paare"] - 1))
        else:  # Newcombe intervals: SE from the width
            se = breite / (2 * stats.norm.ppf(0.975))
        referenz = combine_effects(orte["differenz"].to_numpy(), (se**2).to_numpy(), method_re="dl")
        zufall = referenz.summary_frame().loc["random effect"]
        assert zeile["Standorte"].value == len(orte)
        assert zeile["Mittel zufällige Effekte"].value == pytest.approx(zufall["eff"])
        assert zeile["KI unten (ZE)"].value == pytest.approx(zufall["ci_low"])
        assert zeile["τ²"].value == pytest.approx(referenz.tau2, abs=1e-12)
        assert zeile["I² (%)"].value == pytest.approx(100 * referenz.i2, abs=1e-9)
        assert zeile["Vorhersage unten"].value < zeile["KI unten (ZE)"].value


# -- comparison group (issue 15) ----------------------------------------------------------------
def _aenderungen_roh(db: Datenbank, standort: str, vergleichsgruppe: bool) -> list[float]:
    """Per-person thermometer change T0→T1 at one site, straight from the stored rows."""
    return [
        float(d)
        for (d,) in db.rows(
            "SELECT n.a_thermometer - v.a_thermometer FROM befragungen v JOIN befragungen n "
            "ON n.code = v.code AND n.standort = v.standort AND n.welle = 'T1' "
            "WHERE v.welle = 'T0' AND v.standort = ? AND coalesce(v.vergleichsgruppe, false) = ? "
            "AND v.a_thermometer IS NOT NULL AND n.a_thermometer IS NOT NULL",
            [standort, vergleichsgruppe],
        )
    ]


def test_blatt_vergleichsgruppe_gegen_scipy(bericht: Bericht) -> None:
    """The demo's comparison group at D_BERLIN: the sheet's A7 row is Welch's test of the
    per-person changes (scipy on the raw rows, not the engine)."""
    from scipy import stats

    ws = bericht.mappe["Vergleichsgruppe"]
    name = bericht.db.scalar("SELECT name FROM standorte WHERE standort = 'D_BERLIN'")
    zeilen = [
        z
        for z in _zeilen(ws)
        if z["ID"].value == "A7" and z["Standort"].value == name and z["Welle"].value == "T0→T1"
    ]
    assert len(zeilen) == 1
    z = zeilen[0]
    teilnehmende = _aenderungen_roh(bericht.db, "D_BERLIN", False)
    vergleich = _aenderungen_roh(bericht.db, "D_BERLIN", True)
    test = stats.ttest_ind(teilnehmende, vergleich, equal_var=False)
    ci = test.confidence_interval(0.95)
    assert z["Paare Teilnehmende"].value == len(teilnehmende)
    assert z["Paare Vergleichsgruppe"].value == len(vergleich) >= SCHWELLEN.min_paare
    assert z["Wirkung (DiD)"].value == pytest.approx(
        sum(teilnehmende) / len(teilnehmende) - sum(vergleich) / len(vergleich)
    )
    assert (z["KI unten"].value, z["KI oben"].value) == pytest.approx((ci.low, ci.high))
    assert z["p (Welch)"].value == pytest.approx(test.pvalue)
    # every shown row has enough pairs in both groups
    for zeile in _zeilen(ws):
        assert zeile["Paare Teilnehmende"].value >= SCHWELLEN.min_paare
        assert zeile["Paare Vergleichsgruppe"].value >= SCHWELLEN.min_paare


def test_vergleichsgruppe_nicht_fuer_foerdergeber(bericht: Bericht) -> None:
    """Aggregated access gets no DiD (no table beside the protected lattice to difference)."""
    from monitor.benutzer import zugriff_fuer
    from monitor.bericht import TEXT_VERGLEICH_GESCHUETZT

    mappe = load_workbook(
        io.BytesIO(bericht_bytes(bericht.db, heute=HEUTE, zugriff=zugriff_fuer("foerdergeber")))
    )
    ws = mappe["Vergleichsgruppe"]
    werte = [c for reihe in ws.iter_rows(values_only=True) for c in reihe if c is not None]
    assert werte == [TEXT_VERGLEICH_GESCHUETZT]

"""Red team: combine everything a funder can get and look for any value of fewer than 5 persons.

Threat model (Methodik): whoever has aggregated access may combine every output their view
can produce — any selection of sites and periods the view accepts, every grouping, the
pre/post table, the Excel report. None of it may give away a count, mean, share, change or
match rate of fewer than ``min_personen`` persons (``min_paare`` pairs).

Each attack only uses published numbers; a recovered count of 1 to threshold − 1 is a leak.
The same attacks run once against the *unprotected* path the funder had before (free
selections computed one table at a time) and must find a leak there — proof that they bite.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from itertools import combinations

import pandas as pd
import pytest
from openpyxl import load_workbook

from indikatoren.engine import berechne
from indikatoren.filter import Filter, Gruppierung
from indikatoren.katalog import REGISTER
from indikatoren.unterdrueckung import GESAMT, Schwellen
from monitor import sicht
from monitor.benutzer import zugriff_fuer
from monitor.freigabe import freigegebene_quartale

from .conftest import FOERDERER, GROESSEN, Projekt, cli

S = Schwellen()
Frage = Callable[..., list[dict] | None]
Ansicht = Callable[[Filter], list[dict] | None]


def _klein(wert: float, schwelle: int) -> bool:
    return 0 < round(wert) < schwelle


def _grenzen(quartal: str) -> tuple[date, date]:
    jahr, q = int(quartal[:4]), int(quartal[-1])
    anfang = date(jahr, 3 * q - 2, 1)
    ende = date(jahr + 1, 1, 1) if q == 4 else date(jahr, 3 * q + 1, 1)
    return anfang, date.fromordinal(ende.toordinal() - 1)


_INDEX: dict[int, tuple[list[dict], dict[tuple[str, str, str], dict]]] = {}


def _n(zeilen: list[dict], indikator: str, standort: str, gruppe: str = GESAMT) -> float | None:
    """The published n of one row (None when suppressed or absent)."""
    eintrag = _INDEX.get(id(zeilen))
    if eintrag is None or eintrag[0] is not zeilen:
        eintrag = (zeilen, {(z["indikator"], z["standort"], z["gruppe"]): z for z in zeilen})
        _INDEX[id(zeilen)] = eintrag
    z = eintrag[1].get((indikator, standort, gruppe))
    return None if z is None or z["unterdrueckt"] else z["n"]


def _zahlen(tabelle: pd.DataFrame) -> pd.DataFrame:
    """Numbers as floats (JSON and records may type an all-empty column differently)."""
    tabelle = tabelle.reset_index(drop=True).copy()
    for spalte in ("wert", "n"):
        tabelle[spalte] = pd.to_numeric(tabelle[spalte], errors="coerce").astype(float)
    tabelle["unterdrueckt"] = tabelle["unterdrueckt"].astype(bool)
    return tabelle


PERSONEN_INDIKATOREN = [
    i.id for i in REGISTER.values() if i.personenbezogen and not i.vorher_nachher
]


# -- the attacks, on any "view" function: selection → released indicator rows (None = refused)
def angriff_standortdifferenz(sicht_: Callable[[Filter], list[dict] | None]) -> list[str]:
    """All sites minus all sites but one (and every other pair of site selections)."""
    lecks = []
    alle = sicht_(Filter())
    assert alle is not None
    for klein in GROESSEN:
        rest = tuple(s for s in GROESSEN if s != klein)
        ohne = sicht_(Filter(standorte=rest))
        if ohne is None:
            continue
        for ind in PERSONEN_INDIKATOREN:
            a, b = _n(alle, ind, GESAMT), _n(ohne, ind, GESAMT)
            if a is not None and b is not None and _klein(a - b, S.min_personen):
                lecks.append(f"{ind} {klein}: {a} − {b}")
    return lecks


def angriff_zeitdifferenz(
    sicht_: Callable[[Filter], list[dict] | None], quartale: tuple[str, ...]
) -> list[str]:
    """Nested periods: a longer period minus a shorter one that it contains, per site."""
    zeitraeume = (
        [(None, None)]
        + [(_grenzen(a)[0], _grenzen(b)[1]) for a, b in combinations(quartale, 2)]
        + [_grenzen(q) for q in quartale]
    )
    ergebnisse = {}
    for standort in GROESSEN:
        for von, bis in zeitraeume:
            ergebnisse[(standort, von, bis)] = sicht_(
                Filter(standorte=(standort,), von=von, bis=bis)
            )
    lecks = []
    for (standort, v1, b1), e1 in ergebnisse.items():
        for (standort2, v2, b2), e2 in ergebnisse.items():
            if standort2 != standort or e1 is None or e2 is None or (v1, b1) == (v2, b2):
                continue
            innen = v1 is None or (v2 is not None and v1 <= v2 and b2 <= b1)
            if not innen:
                continue
            for ind in PERSONEN_INDIKATOREN:
                a, b = _n(e1, ind, standort), _n(e2, ind, standort)
                if a is not None and b is not None and _klein(a - b, S.min_personen):
                    lecks.append(f"{ind} {standort} {v1}–{b1} minus {v2}–{b2}: {a} − {b}")
    return lecks


def angriff_linien(zeilen: list[dict]) -> list[str]:
    """Total minus the published parts, along sites and along groups, per indicator."""
    tabelle = pd.DataFrame(zeilen)
    tabelle = tabelle[tabelle["indikator"].isin(PERSONEN_INDIKATOREN)]
    lecks = []
    for achse, fest in (("standort", "gruppe"), ("gruppe", "standort")):
        for (ind, wert), linie in tabelle.groupby(["indikator", fest]):
            total = linie[linie[achse] == GESAMT]
            teile = linie[linie[achse] != GESAMT]
            if total.empty or total["unterdrueckt"].iloc[0]:
                continue
            # also without hidden parts: persons in no group (e.g. no answer) are the rest
            rest = total["n"].iloc[0] - teile.loc[~teile["unterdrueckt"], "n"].sum()
            if _klein(rest, S.min_personen):
                lecks.append(f"{ind} {fest}={wert}: verdeckte Teile zusammen {rest}")
    return lecks


# -- against the funder's real view -------------------------------------------------------------
def _als_foerderer(frage: Frage) -> Callable[[Filter], list[dict] | None]:
    def sicht_(f: Filter) -> list[dict] | None:
        argumente = [*(["--standort", *f.standorte] if f.standorte else [])]
        if f.von:
            argumente += ["--von", f.von.isoformat(), "--bis", f.bis.isoformat()]
        argumente += ["--gruppierung", f.gruppierung.value]
        return frage("indikatoren", *argumente)

    return sicht_


def test_differenz_ueber_standorte_gibt_nichts_preis(frage: Frage) -> None:
    """Through the CLI exactly as a funder's analyst would run it (``--als``)."""
    assert angriff_standortdifferenz(_als_foerderer(frage)) == []


def test_differenz_ueber_zeitraeume_gibt_nichts_preis(ansicht: Ansicht, projekt: Projekt) -> None:
    assert angriff_zeitdifferenz(ansicht, projekt.quartale) == []


def test_kommandozeile_und_dashboard_geben_dasselbe(frage: Frage, ansicht: Ansicht) -> None:
    for argumente, f in (
        ((), Filter()),
        (("--standort", "K03"), Filter(standorte=("K03",))),
        (("--gruppierung", "altersgruppe"), Filter(gruppierung=Gruppierung.ALTERSGRUPPE)),
        (
            ("--standort", "K07", "--von", "2025-04-01", "--bis", "2025-06-30"),
            Filter(standorte=("K07",), von=date(2025, 4, 1), bis=date(2025, 6, 30)),
        ),
    ):
        json_zeilen = pd.DataFrame(frage("indikatoren", *argumente))
        ansicht_zeilen = pd.DataFrame(ansicht(f))
        spalten = ["indikator", "standort", "gruppe", "wert", "n", "unterdrueckt"]
        pd.testing.assert_frame_equal(
            _zahlen(json_zeilen[spalten]), _zahlen(ansicht_zeilen[spalten]), atol=1e-5
        )


@pytest.mark.parametrize("gruppierung", list(Gruppierung))
def test_summe_minus_veroeffentlichte_teile(ansicht: Ansicht, gruppierung: Gruppierung) -> None:
    """Within every output: hidden cells must hide at least a threshold's worth together."""
    lecks = angriff_linien(ansicht(Filter(gruppierung=gruppierung)))
    for standort in GROESSEN:
        lecks += angriff_linien(ansicht(Filter(standorte=(standort,), gruppierung=gruppierung)))
    assert lecks == []


def test_quartale_summieren_sich_nicht_zu_kleinen_resten(frage: Frage, projekt: Projekt) -> None:
    """Whole period minus the published quarters (each an allowed selection)."""
    lecks = []
    for standort in ["", *GROESSEN]:
        ort = ["--standort", standort] if standort else []
        ganz = frage("indikatoren", *ort)
        quartale = [
            frage(
                "indikatoren",
                *ort,
                "--von",
                _grenzen(q)[0].isoformat(),
                "--bis",
                _grenzen(q)[1].isoformat(),
            )
            for q in projekt.quartale
        ]
        for ind in PERSONEN_INDIKATOREN:
            gesamt = _n(ganz, ind, GESAMT)
            teile = [_n(q, ind, GESAMT) if q is not None else None for q in quartale]
            if gesamt is None or all(t is not None for t in teile):
                continue
            rest = gesamt - sum(t for t in teile if t is not None)
            if _klein(rest, S.min_personen):
                lecks.append(f"{ind} {standort or 'alle'}: {rest}")
    assert lecks == []


def test_jede_zelle_ist_in_jeder_auswahl_gleich(ansicht: Ansicht) -> None:
    """The lattice: a site's row is the same in the all-sites output and in its own."""
    alle = pd.DataFrame(ansicht(Filter()))
    for standort in GROESSEN:
        eigen = pd.DataFrame(ansicht(Filter(standorte=(standort,))))
        eigen = eigen[eigen["standort"] == standort].reset_index(drop=True)
        dort = alle[alle["standort"] == standort].reset_index(drop=True)
        spalten = ["indikator", "gruppe", "wert", "n", "unterdrueckt"]
        pd.testing.assert_frame_equal(_zahlen(eigen[spalten]), _zahlen(dort[spalten]))


def test_gesamtzeilen_gleich_in_allen_gruppierungen(ansicht: Ansicht) -> None:
    gesamt = [
        pd.DataFrame(ansicht(Filter(gruppierung=g))).query("gruppe == 'gesamt'")
        for g in Gruppierung
    ]
    for andere in gesamt[1:]:
        pd.testing.assert_frame_equal(
            gesamt[0][["indikator", "standort", "n", "unterdrueckt"]].reset_index(drop=True),
            andere[["indikator", "standort", "n", "unterdrueckt"]].reset_index(drop=True),
        )


def test_welche_zeilen_es_gibt_verraet_nichts(ansicht: Ansicht) -> None:
    """Every site lists the same groups for every indicator — also with one person (K01)."""
    formen = set()
    for standort in GROESSEN:
        zeilen = pd.DataFrame(ansicht(Filter(standorte=(standort,))))
        formen.add(
            tuple(
                zip(
                    zeilen["indikator"],
                    zeilen["standort"].where(zeilen["standort"] == GESAMT, "S"),
                    zeilen["gruppe"],
                    strict=True,
                )
            )
        )
    assert len(formen) == 1
    gruppen = {g for _, _, g in next(iter(formen))}
    assert {"mit_mh", "ohne_mh"} <= gruppen


def test_anteile_ohne_kleine_zaehler_und_komplemente(ansicht: Ansicht) -> None:
    for standort in ["", *GROESSEN]:
        for z in ansicht(Filter(standorte=(standort,) if standort else ())):
            if z["unterdrueckt"] or REGISTER[z["indikator"]].berechnung.value != "anteil":
                continue
            zaehler, nenner = z["zaehler"], z["nenner"]
            assert not _klein(zaehler, S.min_personen), z
            assert not _klein(nenner - zaehler, S.min_personen), z
            if zaehler in (0, nenner):
                assert nenner >= 2 * S.min_personen, z


def test_zaehlungen_neben_verdeckten_paaren(projekt: Projekt) -> None:
    """Persons with T0, reached and match rate never tell a count the pair row hides."""
    zugriff = zugriff_fuer("foerdergeber")
    db = projekt.db()
    try:
        for standort in ["", *GROESSEN]:
            vn = sicht.ergebnis(
                db, zugriff, Filter(standorte=(standort,) if standort else ())
            ).vorher_nachher
            offen = vn[~vn["match_unterdrueckt"]]
            assert not offen["n_erreicht"].map(lambda x: _klein(x, S.min_paare)).any()
            rest = offen["n_t0"] - offen["n_erreicht"]
            assert not rest.map(lambda x: _klein(x, S.min_personen)).any()
            verdeckt = vn[vn["unterdrueckt"]]
            paare_klein = verdeckt["n_erreicht"].map(
                lambda x: not (isinstance(x, float) and math.isnan(x)) and x < S.min_paare
            )
            assert not paare_klein.any()
    finally:
        db.close()


def test_nicht_erlaubte_auswahl_endet_mit_2(projekt: Projekt) -> None:
    pfad = str(projekt.pfad)
    status, _, fehler = cli(
        "--db", pfad, "indikatoren", "--als", FOERDERER, "--standort", "K01", "K02"
    )
    assert status == 2 and "einzelner Standort" in fehler
    status, _, fehler = cli(
        "--db", pfad, "vorher-nachher", "--als", FOERDERER, "--standort", "K01", "GROSS1"
    )
    assert status == 2
    status, _, fehler = cli(
        "--db",
        pfad,
        "indikatoren",
        "--als",
        FOERDERER,
        "--von",
        "2025-01-01",
        "--bis",
        "2025-06-30",
    )
    assert status == 2 and "Quartal" in fehler
    status, _, fehler = cli("--db", pfad, "indikatoren", "--als", "niemand")
    assert status == 2 and "niemand" in fehler


def test_excel_des_foerderers_zeigt_keine_kleinen_zahlen(projekt: Projekt, tmp_path) -> None:
    """Across every sheet of the funder's workbook: no count of 1–4 persons (1–9 pairs) in a
    count column, and no data-quality counts from unapproved raw rows."""
    ziel = tmp_path / "foerderer.xlsx"
    status, _, fehler = cli("--db", str(projekt.pfad), "export", str(ziel), "--als", FOERDERER)
    assert status == 0, fehler
    mappe = load_workbook(ziel, data_only=True)
    zaehl_kopf = ("n", "n Paare", "Paare", "Personen mit T0", "erreicht", "Anzahl")
    funde = []
    for blatt in mappe.worksheets:
        if blatt.title == "Diagrammdaten":
            continue
        kopf: dict[int, str] = {}
        for zeile in blatt.iter_rows():
            texte = [str(c.value) for c in zeile if isinstance(c.value, str)]
            if any(t in zaehl_kopf for t in texte):
                kopf = {c.column: str(c.value) for c in zeile if isinstance(c.value, str)}
                continue
            for zelle in zeile:
                name = kopf.get(zelle.column, "")
                if name in zaehl_kopf and isinstance(zelle.value, int | float):
                    schwelle = (
                        S.min_paare if "Paar" in name or "erreicht" in name else S.min_personen
                    )
                    if _klein(zelle.value, schwelle):
                        funde.append(f"{blatt.title}!{zelle.coordinate} {name}={zelle.value}")
    assert funde == []
    qualitaet = mappe["Datenqualität"]
    zahlen = [c.value for z in qualitaet.iter_rows() for c in z if isinstance(c.value, int | float)]
    assert zahlen == []


# -- the same attacks bite on the path the funder had before ----------------------------------
def test_angriffe_finden_lecks_ohne_schutzgitter(projekt: Projekt) -> None:
    """Before the lattice, a funder's selection was computed for itself (approved cells, one
    table at a time). The attacks above must find leaks there, or they prove nothing."""
    db = projekt.db()
    try:
        zellen = freigegebene_quartale(db)

        def frei(f: Filter) -> list[dict]:
            tabelle = berechne(db, f, zellen=zellen).indikatoren
            return tabelle.astype(object).where(tabelle.notna(), None).to_dict("records")

        assert angriff_standortdifferenz(frei)
        assert angriff_zeitdifferenz(frei, projekt.quartale)
    finally:
        db.close()

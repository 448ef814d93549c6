"""Small-cell suppression (SPEC §5): primary, secondary, across sites, configurable thresholds.

Besides hand-made cases, a generic checker plays the attacker: starting from the released cells
it repeatedly recovers what subtraction or addition along any line (a total and its parts) gives
away, and asserts that no hidden cell is ever recovered.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest

from indikatoren.engine import Ergebnis, berechne
from indikatoren.filter import Filter
from indikatoren.katalog import REGISTER
from indikatoren.unterdrueckung import GESAMT, Schwellen, primaer, sekundaer, sekundaer_codes

DIMENSIONEN = ["standort", "gruppe", "periode"]


# -- the attacker ---------------------------------------------------------------------------
def _linien(
    tabelle: pd.DataFrame, dimensionen: Sequence[str], schluessel: Sequence[str]
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(total row positions, part row positions) of every line along every dimension."""
    for dim in dimensionen:
        andere = [*schluessel, *(d for d in dimensionen if d != dim)]
        nummer = tabelle.groupby(andere, sort=False, dropna=False).ngroup().to_numpy()
        ist_total = (tabelle[dim] == GESAMT).to_numpy()
        for n in np.unique(nummer):
            zeilen = np.flatnonzero(nummer == n)
            yield zeilen[ist_total[zeilen]], zeilen[~ist_total[zeilen]]


def _leer(tabelle: pd.DataFrame, groesse: str | None) -> np.ndarray:
    """Cells with nobody in them: nothing to protect, so they count as known (value 0)."""
    if groesse is None:
        return np.zeros(len(tabelle), dtype=bool)
    return pd.to_numeric(tabelle[groesse], errors="coerce").fillna(0).to_numpy() <= 0


def einfach_aufdeckbar(
    tabelle: pd.DataFrame,
    dimensionen: Sequence[str],
    schluessel: Sequence[str] = (),
    spalte: str = "unterdrueckt",
    groesse: str | None = None,
) -> list[int]:
    """SPEC rule, one step: a line whose total and all parts but one are released gives the
    remaining part away by subtraction. Returns the hidden rows exposed that way."""
    leer = _leer(tabelle, groesse)
    versteckt = tabelle[spalte].to_numpy(dtype=bool) & ~leer
    offen = []
    for total, teile in _linien(tabelle, dimensionen, schluessel):
        if len(total) and len(teile) and not versteckt[total[0]]:
            verborgen = teile[versteckt[teile]]
            if len(verborgen) == 1:
                offen.append(int(verborgen[0]))
    return offen


def aufdeckbar(
    tabelle: pd.DataFrame,
    dimensionen: Sequence[str],
    schluessel: Sequence[str] = (),
    spalte: str = "unterdrueckt",
    groesse: str | None = None,
) -> list[int]:
    """Chained recovery (needs parts that add up to their total): known total + all parts but
    one known → that part; all parts known → the total. Repeats until nothing new is learnt.
    ``groesse`` (the true n) marks empty cells, which the attacker may take as known."""
    leer = _leer(tabelle, groesse)
    versteckt = tabelle[spalte].to_numpy(dtype=bool)
    bekannt = ~versteckt | leer
    linien = [(t, p) for t, p in _linien(tabelle, dimensionen, schluessel) if len(t) and len(p)]
    neu = True
    while neu:
        neu = False
        for total, teile in linien:
            unbekannt = teile[~bekannt[teile]]
            if bekannt[total[0]] and len(unbekannt) == 1:
                bekannt[unbekannt[0]] = neu = True
            elif not bekannt[total[0]] and len(unbekannt) == 0:
                bekannt[total[0]] = neu = True
    return [int(i) for i in np.flatnonzero(versteckt & bekannt & ~leer)]


def _pruefe_ergebnis(
    ergebnis: Ergebnis,
    roh: Ergebnis,
    dimensionen: Sequence[str] = DIMENSIONEN,
    *,
    mit_match: bool = True,
) -> None:
    """No hidden cell of any person-based table can be recovered (parts must be complete).

    ``roh`` is the same computation without thresholds; it supplies the true n of each cell.
    The match rate rides along on the pre/post rows, so its table only shows the cells that have
    pairs; with quarters (pairs by T1 quarter, match by T0 quarter) that shown table is not
    complete and the attacker's sum rule would not apply — ``mit_match=False`` there.
    """

    def personen(e: Ergebnis) -> pd.DataFrame:
        ind = e.indikatoren
        return ind[ind["indikator"].map(lambda i: REGISTER[i].personenbezogen)]

    def match(e: Ergebnis) -> pd.DataFrame:
        return e.vorher_nachher.drop_duplicates([*dimensionen, "welle"])

    teile = [
        (personen, ["indikator"], "unterdrueckt", "n"),
        (lambda e: e.vorher_nachher, ["indikator", "welle"], "unterdrueckt", "n_paare"),
    ]
    if mit_match:
        teile.append((match, ["welle"], "match_unterdrueckt", "n_t0"))
    for auswahl, schluessel, spalte, groesse in teile:
        schluessel_alle = [*schluessel, *dimensionen]
        wahr = auswahl(roh)[[*schluessel_alle, groesse]].rename(columns={groesse: "_n"})
        tabelle = auswahl(ergebnis).merge(wahr, on=schluessel_alle, validate="one_to_one")
        assert len(tabelle) == len(auswahl(ergebnis))
        assert einfach_aufdeckbar(tabelle, dimensionen, schluessel, spalte, "_n") == []
        offen = aufdeckbar(tabelle, dimensionen, schluessel, spalte, "_n")
        assert offen == [], tabelle.iloc[offen]


# -- data -----------------------------------------------------------------------------------
def _personen(standort: str, mh: str, anzahl: int, *, start: int = 0, **t1: Any) -> list[dict]:
    """``anzahl`` persons with T0 (and T1 at the same site when ``t1`` answers are given)."""
    zeilen = []
    for i in range(start, start + anzahl):
        code = f"{standort.lower()}_{mh}_{i:03d}"
        basis = {"code": code, "standort": standort, "format": "praesenz"}
        zeilen.append({**basis, "welle": "T0", "datum": "2025-02-03", "migrationshintergrund": mh})
        if t1:
            zeilen.append({**basis, "welle": "T1", "datum": "2025-05-05", **t1})
    return zeilen


#: A1 by hand — S1: mit 3, ohne 12 (15); S2: ohne 4; S3: mit 5, ohne 6 (11); S4: mit 6, ohne 7
#: (13); project 43. Everybody answers zufriedenheit = 4 at T1, so A3 has the same n.
SZENARIO = {("S1", "ja"): 3, ("S1", "nein"): 12, ("S2", "nein"): 4, ("S3", "ja"): 5,
            ("S3", "nein"): 6, ("S4", "ja"): 6, ("S4", "nein"): 7}  # fmt: skip


def _szenario_einfuegen(daten: Any) -> None:
    zeilen = []
    for (standort, mh), anzahl in SZENARIO.items():
        zeilen += _personen(standort, mh, anzahl, zufriedenheit=4)
    daten.befragungen(zeilen)


OHNE_SCHWELLEN = Schwellen(min_personen=0, min_paare=0)


@pytest.fixture(scope="module")
def szenario_db(neue_testdaten: Any) -> Any:
    daten = neue_testdaten()
    _szenario_einfuegen(daten)
    return daten.db


@pytest.fixture(scope="module")
def szenario(szenario_db: Any) -> Ergebnis:
    return berechne(szenario_db, filter_=Filter(), schwellen=Schwellen())


def _zelle(ergebnis: Ergebnis, indikator: str, standort: str, gruppe: str) -> pd.Series:
    ind = ergebnis.indikatoren
    zeile = ind[
        (ind["indikator"] == indikator)
        & (ind["standort"] == standort)
        & (ind["gruppe"] == gruppe)
        & (ind["periode"] == GESAMT)
    ]
    assert len(zeile) == 1
    return zeile.iloc[0]


# -- primary --------------------------------------------------------------------------------
@pytest.mark.parametrize("indikator", ["A1", "A3"])
def test_primaer_drei_personen_leer_nicht_null(szenario: Ergebnis, indikator: str) -> None:
    zelle = _zelle(szenario, indikator, "S1", "mit_mh")
    assert zelle["unterdrueckt"]
    for spalte in ("wert", "n", "zaehler", "nenner", "ci_unten", "ci_oben"):
        assert pd.isna(zelle[spalte]), spalte


def test_primaer_hilfsfunktion() -> None:
    n = pd.Series([0, 4, 5, np.nan, 12])
    assert primaer(n, 5).tolist() == [True, True, False, True, False]


@pytest.mark.parametrize(("paare", "unterdrueckt"), [(9, True), (10, False)])
def test_effekte_brauchen_zehn_paare(daten: Any, paare: int, unterdrueckt: bool) -> None:
    daten.befragungen(_personen("EFF", "ja", paare, a_kontakt_haeufigkeit=4))
    daten.db.execute("UPDATE befragungen SET a_kontakt_haeufigkeit = 2 WHERE welle = 'T0'")
    ergebnis = berechne(daten.db, schwellen=Schwellen())
    vn = ergebnis.vorher_nachher
    zeilen = vn[(vn["indikator"] == "A5") & (vn["welle"] == "T1")]
    assert len(zeilen) == 4  # (EFF|gesamt) × (mit_mh|gesamt)
    assert (zeilen["unterdrueckt"] == unterdrueckt).all()
    gesamt = zeilen[(zeilen["standort"] == GESAMT) & (zeilen["gruppe"] == GESAMT)].iloc[0]
    if unterdrueckt:
        for spalte in ("n_paare", "differenz", "ci_unten", "ci_oben", "d_z", "g_z", "p_wert"):
            assert pd.isna(gesamt[spalte]), spalte
        assert pd.isna(_zelle(ergebnis, "A5", GESAMT, GESAMT)["wert"])
    else:
        assert gesamt["n_paare"] == 10
        assert gesamt["differenz"] == pytest.approx(2.0)
        assert _zelle(ergebnis, "A5", GESAMT, GESAMT)["wert"] == pytest.approx(2.0)
    # 9 or 10 persons are enough for a person count (threshold 5)
    assert _zelle(ergebnis, "A1", "EFF", GESAMT)["wert"] == paare
    # The match rate goes with the pairs: 9 of 9 reached would tell the 9 pairs the row hides.
    if unterdrueckt:
        assert pd.isna(gesamt["match_quote"]) and pd.isna(gesamt["n_erreicht"])
        assert gesamt["match_unterdrueckt"]
    else:
        assert gesamt["match_quote"] == pytest.approx(100.0)


# -- secondary ------------------------------------------------------------------------------
def test_sekundaer_zweite_gruppe_im_standort(szenario: Ergebnis) -> None:
    """S1: mit_mh 3 hidden → ohne_mh (12) hidden too, else 15 - 12 = 3; the total 15 shows."""
    for indikator in ("A1", "A3"):
        assert _zelle(szenario, indikator, "S1", "ohne_mh")["unterdrueckt"]
        total = _zelle(szenario, indikator, "S1", GESAMT)
        assert not total["unterdrueckt"]
        assert total["n"] == 15


def test_sekundaer_ueber_standorte(szenario: Ergebnis) -> None:
    """Project 43 shown; S2 (4) hidden → the smallest released site total, S3 (11), hidden
    too; S1 (15) and S4 (13) stay. S3's total hidden → at least one of its parts (5, 6) goes,
    else 5 + 6 would give it back; the mit_mh line (S1 3 hidden) takes S3's 5 as its second
    cell. S4 (6 and 7) is never the smallest candidate and stays complete."""
    a1 = {s: _zelle(szenario, "A1", s, GESAMT) for s in ("S1", "S2", "S3", "S4", GESAMT)}
    assert a1[GESAMT]["wert"] == 43 and not a1[GESAMT]["unterdrueckt"]
    assert a1["S2"]["unterdrueckt"] and a1["S3"]["unterdrueckt"]
    assert a1["S1"]["wert"] == 15 and a1["S4"]["wert"] == 13
    assert _zelle(szenario, "A1", "S3", "mit_mh")["unterdrueckt"]
    assert _zelle(szenario, "A1", "S4", "mit_mh")["wert"] == 6
    assert _zelle(szenario, "A1", "S4", "ohne_mh")["wert"] == 7
    # group totals across sites: mit 3+5+6 = 14, ohne 12+4+6+7 = 29, both released
    assert _zelle(szenario, "A1", GESAMT, "mit_mh")["wert"] == 14
    assert _zelle(szenario, "A1", GESAMT, "ohne_mh")["wert"] == 29


def test_nichts_aufdeckbar_szenario(szenario: Ergebnis, szenario_db: Any) -> None:
    _pruefe_ergebnis(szenario, berechne(szenario_db, schwellen=OHNE_SCHWELLEN))
    assert szenario.indikatoren["unterdrueckt"].any()  # the checker had something to attack


def test_nichts_aufdeckbar_standort_mit_nur_einer_gruppe(daten: Any) -> None:
    """NUR: 9 persons, all without migration background; KLEIN: 3, all with. KLEIN (3) hidden →
    NUR's total hidden as second site; NUR's only group (ohne_mh, 9) equals that total and must
    be hidden too, else 12 - 9 = 3 gives KLEIN away."""
    daten.befragungen(_personen("NUR", "nein", 9) + _personen("KLEIN", "ja", 3))
    ergebnis = berechne(daten.db, schwellen=Schwellen())
    assert _zelle(ergebnis, "A1", GESAMT, GESAMT)["wert"] == 12
    assert _zelle(ergebnis, "A1", "NUR", GESAMT)["unterdrueckt"]
    assert _zelle(ergebnis, "A1", "NUR", "ohne_mh")["unterdrueckt"]
    _pruefe_ergebnis(ergebnis, berechne(daten.db, schwellen=OHNE_SCHWELLEN))


def test_nichts_aufdeckbar_mit_quartalen(daten: Any) -> None:
    """Three dimensions (site × group × quarter): T0 spread over two quarters."""
    zeilen = []
    for (standort, mh), anzahl in SZENARIO.items():
        for i, person in enumerate(_personen(standort, mh, anzahl, zufriedenheit=5)):
            if person["welle"] == "T0" and i % 4 == 0:
                person["datum"] = "2025-04-07"
            zeilen.append(person)
    daten.befragungen(zeilen)
    quartale = Filter(nach_quartal=True)
    ergebnis = berechne(daten.db, quartale, Schwellen())
    assert {"2025-Q1", "2025-Q2", GESAMT} <= set(ergebnis.indikatoren["periode"])
    roh = berechne(daten.db, quartale, OHNE_SCHWELLEN)
    _pruefe_ergebnis(ergebnis, roh, mit_match=False)


# -- sekundaer() on hand-made frames ---------------------------------------------------------
def _tabelle(zeilen: list[tuple], spalten: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(zeilen, columns=[*spalten, "n", "unterdrueckt"])


def test_sekundaer_eine_linie() -> None:
    t = _tabelle(
        [("gesamt", 30, False), ("A", 3, True), ("B", 12, False), ("C", 15, False)], ["standort"]
    )
    assert sekundaer(t, ["standort"], groesse="n").tolist() == [False, True, True, False]


def test_sekundaer_versteckte_summe_nimmt_kleinsten_teil() -> None:
    t = _tabelle([("gesamt", 30, True), ("A", 10, False), ("B", 20, False)], ["standort"])
    assert sekundaer(t, ["standort"], groesse="n").tolist() == [True, True, False]


def test_sekundaer_einziger_teil_einer_versteckten_summe() -> None:
    """A part that equals its hidden total would reveal it."""
    t = _tabelle([("gesamt", 9, True), ("A", 9, False)], ["gruppe"])
    assert sekundaer(t, ["gruppe"], groesse="n").tolist() == [True, True]


def test_sekundaer_einziger_teil_versteckt_dann_summe() -> None:
    t = _tabelle([("gesamt", 3, False), ("A", 3, True)], ["gruppe"])
    assert sekundaer(t, ["gruppe"], groesse="n").tolist() == [True, True]


def test_sekundaer_schon_zwei_versteckt_und_ohne_summe() -> None:
    t = _tabelle(
        [("gesamt", 30, False), ("A", 3, True), ("B", 4, True), ("C", 23, False)], ["standort"]
    )
    assert sekundaer(t, ["standort"], groesse="n").tolist() == [False, True, True, False]
    ohne_summe = _tabelle([("A", 3, True), ("B", 12, False)], ["standort"])
    assert sekundaer(ohne_summe, ["standort"], groesse="n").tolist() == [True, False]


def test_sekundaer_leere_zelle_schuetzt_nicht_und_braucht_keinen_schutz() -> None:
    """An empty cell (n = 0, e.g. a quarter without T1) is hidden by the primary rule, but there
    is nobody to protect: it must not cost a populated neighbour its value — and it cannot
    serve as the second hidden cell either (total - released = the small cell + 0)."""
    ohne_schutzbedarf = _tabelle(
        [("gesamt", 10, False), ("Q1", 0, True), ("Q2", 4, False), ("Q3", 6, False)],
        ["periode"],
    )
    assert sekundaer(ohne_schutzbedarf, ["periode"], groesse="n").tolist() == [
        False, True, False, False,
    ]  # fmt: skip
    schuetzt_nicht = _tabelle(
        [("gesamt", 12, False), ("Q1", 0, True), ("Q2", 3, True), ("Q3", 9, False)], ["periode"]
    )
    assert sekundaer(schuetzt_nicht, ["periode"], groesse="n").tolist() == [
        False, True, True, True,
    ]  # fmt: skip


def test_sekundaer_schluessel_trennt_tabellen() -> None:
    t = pd.DataFrame(
        {
            "indikator": ["X", "X", "X", "Y", "Y", "Y"],
            "standort": ["gesamt", "A", "B"] * 2,
            "n": [20, 3, 17, 20, 8, 12],
            "unterdrueckt": [False, True, False, False, False, False],
        }
    )
    flags = sekundaer(t, ["standort"], groesse="n", schluessel=["indikator"])
    assert flags.tolist() == [False, True, True, False, False, False]
    assert flags.index.equals(t.index)


def test_sekundaer_zwei_dimensionen_von_hand() -> None:
    """The A1 scenario above as a bare frame. Primary: S1 mit 3, S2 ohne 4, S2 total 4. Then,
    line by line: mit_mh across sites has one hidden (S1) → smallest released S3 mit 5; ohne_mh
    has one hidden (S2) → smallest released S3 ohne 6; site totals have one hidden (S2) →
    smallest released S3 11; S1 has one hidden group (mit) → ohne 12. Project and group totals,
    S1's total and all of S4 stay. (S3 ohne would not strictly be needed once S1 ohne is hidden —
    the rule is applied line by line, so it errs on the safe side.)"""
    zeilen = []
    for (standort, mh), n in SZENARIO.items():
        zeilen.append((standort, {"ja": "mit_mh", "nein": "ohne_mh"}[mh], n))
    t = _wuerfel(zeilen)
    flags = sekundaer(t, ["standort", "gruppe"], groesse="n")
    versteckt = {(s, g) for s, g, f in zip(t["standort"], t["gruppe"], flags, strict=True) if f}
    assert versteckt == {
        ("S1", "mit_mh"), ("S1", "ohne_mh"), ("S2", "ohne_mh"), ("S2", "gesamt"),
        ("S3", "gesamt"), ("S3", "mit_mh"), ("S3", "ohne_mh"),
    }  # fmt: skip


def _wuerfel(zeilen: list[tuple], schwelle: int = 5) -> pd.DataFrame:
    """All totals (CUBE) of innermost cells (dim values…, n), with primary flags."""
    summen: dict[tuple, int] = {}
    for *schluessel, n in zeilen:
        for maske in itertools.product((False, True), repeat=len(schluessel)):
            zelle = tuple(GESAMT if m else s for s, m in zip(schluessel, maske, strict=True))
            summen[zelle] = summen.get(zelle, 0) + n
    spalten = DIMENSIONEN[: len(zeilen[0]) - 1]
    t = pd.DataFrame([(*k, n) for k, n in summen.items()], columns=[*spalten, "n"])
    t["unterdrueckt"] = primaer(t["n"], schwelle)
    return t


@pytest.mark.parametrize("dimensionen", [2, 3])
def test_sekundaer_zufallstabellen_nichts_aufdeckbar(dimensionen: int) -> None:
    """Random site × group (× quarter) tables, fixed seed; sites may have a single group."""
    rng = np.random.default_rng(20250 + dimensionen)
    getestet = 0
    for _ in range(120 if dimensionen == 2 else 60):
        zeilen = []
        for s in range(int(rng.integers(2, 6))):
            for g in rng.choice(3, size=int(rng.integers(1, 4)), replace=False):
                if dimensionen == 2:
                    zeilen.append((f"S{s}", f"g{g}", int(rng.integers(1, 16))))
                    continue
                for q in rng.choice(3, size=int(rng.integers(1, 4)), replace=False):
                    zeilen.append((f"S{s}", f"g{g}", f"2025-Q{q + 1}", int(rng.integers(1, 12))))
        t = _wuerfel(zeilen)
        dims = DIMENSIONEN[:dimensionen]
        t["unterdrueckt"] = sekundaer(t, dims, groesse="n")
        assert aufdeckbar(t, dims) == [], t
        getestet += t["unterdrueckt"].any()
    assert getestet > 20  # most tables did have something to protect


# -- configurable thresholds ----------------------------------------------------------------
def test_schwellen_konfigurierbar(szenario: Ergebnis, neue_testdaten: Any) -> None:
    daten = neue_testdaten()
    _szenario_einfuegen(daten)
    locker = berechne(daten.db, schwellen=Schwellen(min_personen=3))
    assert _zelle(locker, "A1", "S1", "mit_mh")["wert"] == 3
    assert _zelle(locker, "A1", "S2", GESAMT)["wert"] == 4
    assert _zelle(szenario, "A1", "S2", GESAMT)["unterdrueckt"]  # default 5


def test_schwellen_aus_umgebung(monkeypatch: pytest.MonkeyPatch, daten: Any) -> None:
    monkeypatch.delenv("MONITOR_MIN_PERSONEN", raising=False)
    monkeypatch.delenv("MONITOR_MIN_PAARE", raising=False)
    assert Schwellen.aus_umgebung() == Schwellen(min_personen=5, min_paare=10)
    monkeypatch.setenv("MONITOR_MIN_PERSONEN", "20")
    monkeypatch.setenv("MONITOR_MIN_PAARE", "3")
    assert Schwellen.aus_umgebung() == Schwellen(min_personen=20, min_paare=3)

    _szenario_einfuegen(daten)
    daten.db.execute(
        "UPDATE befragungen SET a_kontakt_haeufigkeit = CASE welle WHEN 'T0' THEN 1 ELSE 3 END"
    )
    ergebnis = berechne(daten.db)  # no Schwellen given → environment
    assert _zelle(ergebnis, "A1", "S1", GESAMT)["unterdrueckt"]  # 15 < 20
    assert _zelle(ergebnis, "A1", GESAMT, GESAMT)["wert"] == 43
    # S2 has 4 pairs: an effect with the environment's minimum of 3 pairs is released
    a5 = _zelle(ergebnis, "A5", "S2", "ohne_mh")
    assert not a5["unterdrueckt"] and a5["wert"] == pytest.approx(2.0) and a5["n"] == 4


# -- hidden cells must hide enough together (issue 12) ---------------------------------------
def _linie(groessen: list[float], flags: list[bool], schwelle: float = 5) -> list[bool]:
    """One line: row 0 is the total, the others its parts."""
    n = len(groessen)
    return list(
        sekundaer_codes(
            np.array(flags),
            np.array(groessen, dtype=float),
            [np.arange(n)],
            [np.arange(n) == 0],
            schwelle=schwelle,
        )
    )


def test_zwei_kleine_verdeckte_teile_reichen_nicht() -> None:
    """Total 30 = 1 + 2 + 27: hiding 1 and 2 leaves 3 persons recoverable → 27 goes too."""
    assert _linie([30, 1, 2, 27], [False, True, True, False]) == [False, True, True, True]


def test_genug_verdeckte_masse_bleibt_wie_sie_ist() -> None:
    """Total 30 = 3 + 6 + 21: hidden 3 and 6 = 9 ≥ 5 persons — nothing more to hide."""
    assert _linie([30, 3, 6, 21], [False, True, True, False]) == [False, True, True, False]


def test_rest_ohne_gruppe_zaehlt_als_verdeckt() -> None:
    """Total 28 but parts 15 + 9: 4 persons in no group would be total − parts → hide 9."""
    assert _linie([28, 15, 9], [False, False, False]) == [False, False, True]


def test_ein_verdeckter_teil_mit_rest_ist_nicht_allein() -> None:
    """Total 30 = 20 + 7 + 3 in no group: hiding 7 leaves 7 + 3 = 10 mixed — enough."""
    assert _linie([30, 20, 7], [False, False, True]) == [False, False, True]
    # without the rest the single hidden part is total minus the other: the other goes too
    assert _linie([27, 20, 7], [False, False, True]) == [False, True, True]

"""Small-cell suppression — the one place where it happens (SPEC §5).

The engine calls :func:`unterdruecken` on every result table before it leaves ``indikatoren``, so
pages, the CLI and the Excel report only ever see released values.

Primary: a person-based cell with fewer than ``min_personen`` persons (effects: fewer than
``min_paare`` matched pairs) shows no value. Secondary: wherever a total and its parts appear in the
same table (site parts of the project total, group parts of a site, quarter parts of the whole
period), a line in which exactly one part is hidden gets a second cell hidden — the smallest
released part, or the total when there is no other part — so the hidden one cannot be recovered by
subtraction. A total that is hidden while all its parts are released gets its smallest part hidden
for the same reason — also when it has a single part (e.g. a site whose participants all share one
group), since that part equals the total. This repeats until no line changes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

GESAMT = "gesamt"
STANDARD_MIN_PERSONEN = 5
STANDARD_MIN_PAARE = 10


@dataclass(frozen=True, slots=True)
class Schwellen:
    """Suppression thresholds; configurable via environment for a whole installation."""

    min_personen: int = STANDARD_MIN_PERSONEN
    min_paare: int = STANDARD_MIN_PAARE

    @classmethod
    def aus_umgebung(cls) -> Schwellen:
        """Read ``MONITOR_MIN_PERSONEN`` / ``MONITOR_MIN_PAARE`` (defaults 5 and 10)."""
        return cls(
            min_personen=int(os.environ.get("MONITOR_MIN_PERSONEN", STANDARD_MIN_PERSONEN)),
            min_paare=int(os.environ.get("MONITOR_MIN_PAARE", STANDARD_MIN_PAARE)),
        )


def primaer(n: pd.Series, schwelle: int) -> pd.Series:
    """Cells below the threshold (n = 0 included: no persons means no value to show either)."""
    return n.isna() | (n < schwelle)


def sekundaer(
    tabelle: pd.DataFrame,
    dimensionen: Sequence[str],
    *,
    groesse: str,
    spalte: str = "unterdrueckt",
    schluessel: Sequence[str] = (),
) -> pd.Series:
    """Extend the primary flags so no hidden cell can be recovered from a total.

    ``dimensionen`` are hierarchy columns whose value ``"gesamt"`` marks the total of the other
    values; ``groesse`` (n) decides which released part is sacrificed (the smallest, so the least
    information is lost). ``schluessel`` are further columns that separate independent tables
    (e.g. the indicator).
    """
    flags = tabelle[spalte].astype(bool).to_numpy().copy()
    if tabelle.empty:
        return pd.Series(flags, index=tabelle.index)
    groessen = pd.to_numeric(tabelle[groesse], errors="coerce").fillna(0).to_numpy(dtype=float)

    def codes(name: str) -> np.ndarray:
        return pd.factorize(tabelle[name], use_na_sentinel=False)[0]

    ergebnis = sekundaer_codes(
        flags,
        groessen,
        [codes(dim) for dim in dimensionen],
        [(tabelle[dim] == GESAMT).to_numpy() for dim in dimensionen],
        [codes(name) for name in schluessel],
    )
    return pd.Series(ergebnis, index=tabelle.index)


def sekundaer_codes(
    flags: np.ndarray,
    groessen: np.ndarray,
    dimensionen: Sequence[np.ndarray],
    totale: Sequence[np.ndarray],
    schluessel: Sequence[np.ndarray] = (),
    schwelle: np.ndarray | float = 0.0,
    weitere: Sequence[np.ndarray] = (),
) -> np.ndarray:
    """:func:`sekundaer` on integer codes (the engine has them already; no factorising).

    ``dimensionen`` and ``schluessel`` hold one integer code per row and column, ``totale`` marks
    per dimension the rows that are its "gesamt"; ``groessen`` has no NaN. Returns new flags.

    ``schwelle`` (per row or one number) adds the rule that hidden cells must not only hide each
    other: where a line's total is released, the hidden parts together must hold at least the
    threshold — otherwise "total minus published parts" gives the value of a group smaller than
    the threshold (two hidden cells of 1 and 2 persons: their sum is 3 persons' value). Further
    parts are hidden, smallest first, until the hidden sum reaches it.

    ``weitere`` are further counts each row publishes besides ``groessen`` (a share's
    numerator and its complement, the yes answers before and after): the same rules hold for
    each of them — a total's numerator minus the shown parts' numerators must not give a hidden
    group's 1–4 yes answers — with one flag per row for all, until nothing changes.
    """
    flags = np.asarray(flags, dtype=bool).copy()
    if not len(flags):
        return flags
    linien = _linien(dimensionen, schluessel)
    flags = _sekundaer_linien(flags, groessen, linien, totale, schwelle)
    if not weitere:
        return flags
    schwellen = np.broadcast_to(np.asarray(schwelle, dtype=float), flags.shape)
    # Each further count only where it is > 0: a row without it is "empty" for that count
    # (nothing to protect, nothing to sacrifice), and a line whose total is 0 has only empty
    # parts — so leaving those rows out changes no decision and saves most of the work.
    teile = []
    for zaehlung in weitere:
        zaehlung = np.nan_to_num(np.asarray(zaehlung, dtype=float), nan=0.0)
        auswahl = np.flatnonzero(zaehlung > 0)
        teile.append((auswahl, zaehlung[auswahl], [lin[auswahl] for lin in linien]))
    while True:
        vorher = flags.copy()
        for auswahl, zaehlung, teil_linien in teile:
            if len(auswahl):
                flags[auswahl] = _sekundaer_linien(
                    flags[auswahl],
                    zaehlung,
                    teil_linien,
                    [t[auswahl] for t in totale],
                    schwellen[auswahl],
                )
        flags = _sekundaer_linien(flags, groessen, linien, totale, schwelle)
        if (flags == vorher).all():
            return flags


def _linien(
    dimensionen: Sequence[np.ndarray], schluessel: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """Per dimension, the number of each row's line (all other columns equal)."""
    laenge = len(dimensionen[0])
    return [
        _nummern([*schluessel, *(d for j, d in enumerate(dimensionen) if j != i)], laenge)
        for i in range(len(dimensionen))
    ]


def _sekundaer_linien(
    flags: np.ndarray,
    groessen: np.ndarray,
    linien: Sequence[np.ndarray],
    totale: Sequence[np.ndarray],
    schwelle: np.ndarray | float,
) -> np.ndarray:
    flags = flags.copy()
    # An empty cell (n = 0) shows no value, but there is nobody in it to protect, and hiding it
    # protects nobody else: it counts as known. Otherwise an empty quarter or group would force
    # a populated neighbour to be hidden.
    leer = groessen <= 0
    schwellen = np.broadcast_to(np.asarray(schwelle, dtype=float), flags.shape)
    geaendert = True
    while geaendert:
        geaendert = False
        for linie, ist_total in zip(linien, totale, strict=True):
            anzahl = int(linie.max()) + 1
            geschuetzt = flags & ~leer
            teile = np.bincount(linie, weights=~ist_total & ~leer, minlength=anzahl)
            versteckt = np.bincount(linie, weights=~ist_total & geschuetzt, minlength=anzahl)
            hat_total = np.bincount(linie, weights=ist_total, minlength=anzahl) > 0
            total_versteckt = (
                np.bincount(linie, weights=ist_total & geschuetzt, minlength=anzahl) > 0
            )
            verborgen = np.bincount(
                linie, weights=np.where(~ist_total & geschuetzt, groessen, 0.0), minlength=anzahl
            )
            linien_schwelle = np.zeros(anzahl)
            np.maximum.at(linien_schwelle, linie, schwellen)
            # Persons in the total but in no part (e.g. migration background not given): the
            # total minus all parts gives their value, so they count as hidden mass too.
            summe_total = np.bincount(
                linie, weights=np.where(ist_total, groessen, 0.0), minlength=anzahl
            )
            summe_teile = np.bincount(
                linie, weights=np.where(ist_total, 0.0, groessen), minlength=anzahl
            )
            rest = np.where(summe_total - summe_teile > 0.5, summe_total - summe_teile, 0.0)
            masse = verborgen + rest
            zu_wenig = ~total_versteckt & (masse > 0) & (masse < linien_schwelle)
            handeln = (
                hat_total
                & (teile > 0)
                & (
                    # one hidden part alone is total minus the others — unless persons in no
                    # part are mixed into that difference (then the mass rule decides)
                    ((versteckt == 1) & ~total_versteckt & (rest == 0))
                    | (total_versteckt & (versteckt == 0))
                    | zu_wenig
                )
            )
            if not handeln.any():
                continue
            # Lines are disjoint within one dimension, so all acting lines are served at once:
            # the smallest released part (first row on ties), else the line's first total.
            betroffen = handeln[linie]
            offen = np.flatnonzero(betroffen & ~ist_total & ~flags & ~leer)
            reihe = offen[np.lexsort((offen, groessen[offen], linie[offen]))]
            erste = np.ones(len(reihe), dtype=bool)
            erste[1:] = linie[reihe[1:]] != linie[reihe[:-1]]
            ziele = reihe[erste]
            bedient = np.zeros(anzahl, dtype=bool)
            bedient[linie[ziele]] = True
            totalzeilen = np.flatnonzero(ist_total & (handeln & ~bedient)[linie])
            _, erste_total = np.unique(linie[totalzeilen], return_index=True)
            flags[ziele] = True
            flags[totalzeilen[erste_total]] = True
            geaendert = True
    return flags


def _nummern(spalten: list[np.ndarray], laenge: int) -> np.ndarray:
    """Number the lines (all cells that share every column but one dimension).

    Integer codes combined arithmetically: the same numbering as a groupby, without its
    overhead on the tens of thousands of cells a quarterly table has.
    """
    nummer = np.zeros(laenge, dtype=np.int64)
    for codes in spalten:
        codes = np.asarray(codes, dtype=np.int64)
        nummer = nummer * (int(codes.max()) + 1) + codes
    return pd.factorize(nummer)[0]


def anteil_primaer(zaehler: np.ndarray, nenner: np.ndarray, schwelle: int) -> np.ndarray:
    """Shares that would reveal a small group or that a group answered all alike.

    A share is a count beside its complement: "2 of 6" tells that 2 persons have the property,
    and 0 % or 100 % of 6 tells what every one of them answered. Hidden: a numerator or a
    complement of 1 to ``schwelle`` − 1 persons, and 0 % or 100 % in a group of fewer than
    twice the threshold.
    """
    z = np.nan_to_num(np.asarray(zaehler, dtype=float), nan=0.0)
    n = np.nan_to_num(np.asarray(nenner, dtype=float), nan=0.0)
    rest = n - z
    klein = ((z > 0) & (z < schwelle)) | ((rest > 0) & (rest < schwelle))
    gleich = (schwelle > 1) & (n > 0) & ((z == 0) | (rest == 0)) & (n < 2 * schwelle)
    return klein | gleich


def gemeinsam(
    flags: np.ndarray,
    groessen: np.ndarray,
    dimensionen: Sequence[np.ndarray],
    totale: Sequence[np.ndarray],
    tabelle: np.ndarray,
    schwelle: np.ndarray,
    zelle: np.ndarray,
    nur_wert: np.ndarray | None = None,
) -> np.ndarray:
    """Secondary suppression of linked tables at once (the protected lattice of a funder).

    ``tabelle`` numbers the independent tables (indicator × grouping × wave …) whose lines are
    protected by :func:`sekundaer_codes`. Tables are linked where they publish the same number:
    ``zelle`` numbers the cells that are one and the same population (site × group × quarter,
    "gesamt" shared by every grouping). Wherever such a cell holds the same count in two tables,
    hiding it in one and showing it in the other would give the hidden count away — so a hidden
    cell is hidden in every table that holds its count, and the lines are checked again, until
    nothing changes. Empty cells are left out of the linking (there is nobody to protect), and
    so are cells in ``nur_wert``: hidden for what their value tells (a share with a small
    numerator), while their count is no secret.
    """
    flags = np.asarray(flags, dtype=bool).copy()
    if not len(flags):
        return flags
    groessen = np.nan_to_num(np.asarray(groessen, dtype=float), nan=0.0)
    gleich = _nummern([np.asarray(zelle), pd.factorize(groessen)[0]], len(flags))
    belegt = groessen > 0
    bindend = belegt if nur_wert is None else belegt & ~np.asarray(nur_wert, dtype=bool)
    linien = _linien(dimensionen, [tabelle])
    while True:
        flags = _sekundaer_linien(flags, groessen, linien, totale, schwelle)
        verbreitet = np.bincount(gleich, weights=flags & bindend, minlength=int(gleich.max()) + 1)
        neu = flags | ((verbreitet[gleich] > 0) & belegt)
        if (neu == flags).all():
            return flags
        flags = neu

"""The protected lattice: what a view with aggregated access (the funder) may ever see.

Why a lattice: suppression that is correct for one table at a time is broken by combining
tables — all sites minus all sites but one gives that one site; a year minus its other quarters
gives one quarter. So an aggregated view never computes a table for its own selection. It reads
rows of *one* table computed once for all it may select — every site and the whole project,
every group of all four groupings, the whole (approved) period and each quarter — whose
suppression is decided jointly (:func:`indikatoren.unterdrueckung.gemeinsam`): lines along
sites, groups and quarters; the "gesamt" cells shared by the four groupings; every count that
two tables publish for the same cell (persons, pairs, persons with T0, reached). Each cell then
has the same value or the same mark in every selection, so no selection adds an equation that
the table itself does not already protect.

Selections outside the lattice (several sites, a period that is not one quarter or the whole,
a format filter) are refused with a German reason (:class:`AuswahlFehler`). Every row exists
in every selection, whether or not the group has members: which rows exist tells nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from indikatoren.engine import (
    FOLGEWELLEN,
    INDIKATOR_SPALTEN,
    PRIMAER,
    SEKUNDAER,
    VORHER_NACHHER_SPALTEN,
    Basis,
    Ergebnis,
    ausblenden,
    auswerten_roh,
    bewertungstag,
    mit_zielen,
)
from indikatoren.filter import Filter, Gruppierung
from indikatoren.katalog import INDIKATOREN
from indikatoren.unterdrueckung import GESAMT, Schwellen, gemeinsam

#: The groups of each grouping, as the engine labels them (codebook answers).
GRUPPEN: dict[Gruppierung, tuple[str, ...]] = {
    Gruppierung.MH: ("mit_mh", "ohne_mh"),
    Gruppierung.FORMAT: ("digital", "hybrid", "praesenz"),
    Gruppierung.GESCHLECHT: ("divers", "maennlich", "weiblich"),
    Gruppierung.ALTERSGRUPPE: ("18_26", "27_49", "50_plus", "unter_18"),
}


class AuswahlFehler(ValueError):
    """A selection an aggregated view may not make (German message, shown as is)."""


@dataclass(frozen=True, slots=True)
class Schutzgitter:
    """Released (already suppressed) tables of every grouping over the whole lattice."""

    ergebnisse: dict[Gruppierung, Ergebnis]
    ziele: pd.DataFrame
    standorte: tuple[str, ...]
    quartale: tuple[str, ...]


def quartal_von(tag: date) -> str:
    return f"{tag.year}-Q{(tag.month - 1) // 3 + 1}"


def _quartal_grenzen(quartal: str) -> tuple[date, date]:
    jahr, nummer = int(quartal[:4]), int(quartal[-1])
    anfang = date(jahr, 3 * nummer - 2, 1)
    ende = date(jahr + 1, 1, 1) if nummer == 4 else date(jahr, 3 * nummer + 1, 1)
    return anfang, date.fromordinal(ende.toordinal() - 1)


def gewaehltes_quartal(filter_: Filter, quartale: tuple[str, ...] = ()) -> str | None:
    """The one quarter a lattice selection names (None = the whole period).

    Raises :class:`AuswahlFehler` for every selection outside the lattice.
    """
    if filter_.formate:
        raise AuswahlFehler(
            "In dieser geschützten Ansicht lässt sich nicht nach Format filtern. Formate "
            "werden über die Gruppierung „Format“ verglichen – so bleiben kleine Gruppen geschützt."
        )
    if len(filter_.standorte) > 1:
        raise AuswahlFehler(
            "In dieser geschützten Ansicht kann ein einzelner Standort oder das ganze Projekt "
            "gewählt werden, nicht mehrere Standorte zusammen: Aus verschiedenen "
            "Standortgruppen ließen sich sonst die Werte kleiner Standorte zurückrechnen."
        )
    if filter_.von is None and filter_.bis is None:
        return None
    if filter_.von is None or filter_.bis is None:
        raise AuswahlFehler(
            "In dieser geschützten Ansicht gibt es den ganzen Zeitraum oder ein einzelnes "
            "Quartal – bitte beide Grenzen eines Quartals angeben oder keine."
        )
    quartal = quartal_von(filter_.von)
    if (filter_.von, filter_.bis) != _quartal_grenzen(quartal):
        raise AuswahlFehler(
            "In dieser geschützten Ansicht gibt es den ganzen Zeitraum oder ein einzelnes "
            f"Quartal; {filter_.von:%d.%m.%Y}–{filter_.bis:%d.%m.%Y} ist keines. Aus "
            "beliebigen Zeiträumen ließen sich sonst die Werte kleiner Gruppen zurückrechnen."
        )
    if quartale and quartal not in quartale:
        raise AuswahlFehler(
            f"Für das Quartal {quartal[5:]} {quartal[:4]} gibt es in dieser Ansicht keine "
            "freigegebenen Daten."
        )
    return quartal


# -- building the lattice --------------------------------------------------------------------
def _vollstaendig(
    tabelle: pd.DataFrame, spalten: tuple[str, ...], achsen: dict[str, list[str]], erlaubt: Any
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Every row of the lattice, also for groups without members (marked as primary).

    ``achsen`` lists the key columns with their values in output order ("gesamt" first); the
    full product is laid out by integer keys and the computed rows are placed into it, so the
    result is ordered without a sort. ``erlaubt(codes)`` drops the combinations that do not
    exist (activities have no person groups). Also returns each row's integer codes.
    """
    namen = list(achsen)
    groessen = [len(achsen[n]) for n in namen]
    umfang = int(np.prod(groessen))
    schluessel = np.zeros(len(tabelle), dtype=np.int64)
    for name, groesse in zip(namen, groessen, strict=True):
        codes = pd.Index(achsen[name]).get_indexer(tabelle[name].astype(object))
        if (codes < 0).any():
            raise ValueError(f"Unerwarteter Wert in {name} beim Aufbau des Schutzgitters.")
        schluessel = schluessel * groesse + codes
    alle_codes = np.unravel_index(np.arange(umfang), groessen)
    behalten = erlaubt(dict(zip(namen, alle_codes, strict=True)))
    position = np.full(umfang, -1, dtype=np.int64)
    position[schluessel] = np.arange(len(tabelle))
    position = position[behalten]
    vorhanden = position >= 0
    ergebnis: dict[str, Any] = {}
    for name, codes in zip(namen, alle_codes, strict=True):
        ergebnis[name] = pd.array(achsen[name], dtype="str").take(codes[behalten])
    for name in spalten:
        if name in ergebnis:
            continue
        quelle = tabelle[name]
        if name in ("unterdrueckt", "match_unterdrueckt"):
            werte = np.ones(len(position), dtype=bool)
            werte[vorhanden] = quelle.to_numpy(dtype=bool)[position[vorhanden]]
        elif name == "sperrgrund":
            gruende = pd.Index(_GRUENDE)
            nummer = np.full(len(position), _GRUENDE.index(PRIMAER), dtype=np.int64)
            nummer[vorhanden] = gruende.get_indexer(quelle.astype(object))[position[vorhanden]]
            werte = pd.array(_GRUENDE, dtype="str").take(nummer)
        elif name in _STAMM_SPALTEN:
            werte = _STAMM[name].take(alle_codes[0][behalten])
        else:
            werte = np.full(len(position), np.nan)
            werte[vorhanden] = pd.to_numeric(quelle, errors="coerce").to_numpy(dtype=float)[
                position[vorhanden]
            ]
        ergebnis[name] = werte
    codes = {n: c[behalten] for n, c in zip(namen, alle_codes, strict=True)}
    return pd.DataFrame(ergebnis)[list(spalten)], codes


_GRUENDE = ["", PRIMAER, SEKUNDAER]
_STAMM_SPALTEN = ("ziel", "name", "stufe", "einheit")
_STAMM: dict[str, Any] = {
    "ziel": pd.array([str(i.ziel) for i in INDIKATOREN], dtype="str"),
    "name": pd.array([i.name for i in INDIKATOREN], dtype="str"),
    "stufe": np.array([i.stufe for i in INDIKATOREN], dtype=np.int64),
    "einheit": pd.array([i.einheit for i in INDIKATOREN], dtype="str"),
}


def _achsen(
    g: Gruppierung, standorte: Sequence[str], quartale: Sequence[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Key columns and values of the indicator and the pre/post table of grouping ``g``."""
    orte = [GESAMT, *standorte]
    zeiten = [GESAMT, *quartale]
    gruppen = [GESAMT, *GRUPPEN[g]]
    ind = {
        "indikator": [i.id for i in INDIKATOREN],
        "standort": orte,
        "gruppe": gruppen,
        "periode": zeiten,
    }
    vn = {**ind, "welle": list(FOLGEWELLEN)}
    vn = {k: vn[k] for k in ("indikator", "standort", "gruppe", "welle", "periode")}
    return ind, vn


def _erlaubt_ind(g: Gruppierung) -> Any:
    """Indicator rows that exist: person groups for person-based indicators; activities have
    groups only under the grouping "Format"."""
    personen = np.array([i.personenbezogen for i in INDIKATOREN])

    def pruefen(codes: dict[str, np.ndarray]) -> np.ndarray:
        if g is Gruppierung.FORMAT:
            return np.ones(len(codes["indikator"]), dtype=bool)
        return personen[codes["indikator"]] | (codes["gruppe"] == 0)

    return pruefen


def _erlaubt_vn(codes: dict[str, np.ndarray]) -> np.ndarray:
    effekte = np.array([i.vorher_nachher for i in INDIKATOREN])
    return effekte[codes["indikator"]]


@dataclass
class _Eintraege:
    """The protected counts of all tables as one long list for the joint suppression, kept
    as integer codes: table, site, group, quarter, and the cell they describe."""

    teile: list[dict[str, np.ndarray]]

    def dazu(
        self,
        tabelle: np.ndarray,
        codes: dict[str, np.ndarray],
        gruppe_global: np.ndarray,
        groesse: Any,
        flags: Any,
        schwelle: int,
        nur_wert: Any = None,
    ) -> None:
        self.teile.append(
            {
                "tabelle": np.asarray(tabelle, dtype=np.int64),
                "standort": codes["standort"],
                "gruppe": gruppe_global,
                "periode": codes["periode"],
                "groesse": np.nan_to_num(np.asarray(groesse, dtype=float), nan=0.0),
                "flags": np.asarray(flags, dtype=bool),
                "schwelle": np.full(len(gruppe_global), float(schwelle)),
                "nur_wert": np.zeros(len(gruppe_global), dtype=bool)
                if nur_wert is None
                else np.asarray(nur_wert, dtype=bool),
            }
        )

    def loesen(self) -> list[np.ndarray]:
        """Joint flags, returned in the order the parts were added."""
        laengen = [len(t["flags"]) for t in self.teile]
        alle = {k: np.concatenate([t[k] for t in self.teile]) for k in self.teile[0]}
        dims = [alle["standort"], alle["gruppe"], alle["periode"]]
        totale = [d == 0 for d in dims]
        zelle = _zellnummer(*dims)
        flags = gemeinsam(
            alle["flags"],
            alle["groesse"],
            dims,
            totale,
            alle["tabelle"],
            alle["schwelle"],
            zelle,
            alle["nur_wert"],
        )
        return np.split(flags, np.cumsum(laengen)[:-1])


def _zellnummer(standort: np.ndarray, gruppe: np.ndarray, periode: np.ndarray) -> np.ndarray:
    return (standort.astype(np.int64) * 10_000 + gruppe) * 1_000 + periode


def _gruppe_global(g: Gruppierung, gruppe: np.ndarray) -> np.ndarray:
    """Group codes over all groupings: 0 is "gesamt" (the same population in each of them)."""
    nummer = list(Gruppierung).index(g)
    return np.where(gruppe == 0, 0, 1 + 16 * nummer + gruppe)


def _tabelle(g: Gruppierung, art: int, welle: Any, indikator: Any) -> np.ndarray:
    """Integer id of an independent table: grouping × kind × wave × indicator."""
    nummer = list(Gruppierung).index(g)
    return ((nummer * 8 + art) * 4 + np.asarray(welle)) * 64 + np.asarray(indikator)


def schutzgitter(
    grundlagen: dict[Gruppierung, Basis], schwellen: Schwellen | None = None
) -> Schutzgitter:
    """Compute and jointly protect the whole lattice from the bases of all four groupings
    (already restricted to what the view may see, e.g. approved quarters)."""
    schwellen = schwellen or Schwellen.aus_umgebung()
    roh = {
        g: auswerten_roh(grundlagen[g], Filter(gruppierung=g, nach_quartal=True), schwellen)
        for g in Gruppierung
    }

    def werte(spalte: str) -> list[str]:
        tabellen = [t for e in roh.values() for t in (e.indikatoren, e.vorher_nachher)]
        return sorted({str(w) for t in tabellen for w in t[spalte].unique()} - {GESAMT})

    standorte, quartale = werte("standort"), werte("periode")
    eintraege = _Eintraege([])
    tabellen = {}
    personen = np.array([i.personenbezogen and not i.vorher_nachher for i in INDIKATOREN])
    for g, e in roh.items():
        achsen_ind, achsen_vn = _achsen(g, standorte, quartale)
        ind, c_ind = _vollstaendig(e.indikatoren, INDIKATOR_SPALTEN, achsen_ind, _erlaubt_ind(g))
        vn, c_vn = _vollstaendig(e.vorher_nachher, VORHER_NACHHER_SPALTEN, achsen_vn, _erlaubt_vn)
        auswahl = personen[c_ind["indikator"]]
        teil = {k: v[auswahl] for k, v in c_ind.items()}
        eintraege.dazu(
            _tabelle(g, 0, 0, teil["indikator"]),
            teil,
            _gruppe_global(g, teil["gruppe"]),
            ind["n"].to_numpy(dtype=float)[auswahl],
            ind["unterdrueckt"].to_numpy(dtype=bool)[auswahl],
            schwellen.min_personen,
            # a share hidden for its small numerator: the count n itself is no secret
            (ind["sperrgrund"].to_numpy(dtype=object)[auswahl] == PRIMAER)
            & (ind["n"].to_numpy(dtype=float)[auswahl] >= schwellen.min_personen),
        )
        eintraege.dazu(
            _tabelle(g, 1, c_vn["welle"], c_vn["indikator"]),
            c_vn,
            _gruppe_global(g, c_vn["gruppe"]),
            vn["n_paare"].to_numpy(dtype=float),
            vn["unterdrueckt"].to_numpy(dtype=bool),
            schwellen.min_paare,
        )
        # Match counts belong to the cell: every effect indicator's block lists the same cells
        # in the same order; a block without pairs there has no match values (NaN, flagged).
        bloecke = len(np.unique(c_vn["indikator"]))
        zellen = {k: v.reshape(bloecke, -1)[0] for k, v in c_vn.items()} if bloecke else c_vn
        form = (bloecke, -1)
        n_t0 = np.nanmax(vn["n_t0"].to_numpy(dtype=float).reshape(form), axis=0, initial=-1)
        erreicht = np.nanmax(
            vn["n_erreicht"].to_numpy(dtype=float).reshape(form), axis=0, initial=-1
        )
        m_flag = vn["match_unterdrueckt"].to_numpy(dtype=bool).reshape(form).all(axis=0)
        for kennung, groesse, schwelle, nur_wert in (
            (2, erreicht, schwellen.min_paare, None),
            # a rate hidden for few pairs reached does not make its T0 count secret
            (3, n_t0, schwellen.min_personen, n_t0 >= schwellen.min_personen),
        ):
            eintraege.dazu(
                _tabelle(g, kennung, zellen["welle"], 0),
                zellen,
                _gruppe_global(g, zellen["gruppe"]),
                np.maximum(groesse, 0),
                m_flag,
                schwelle,
                nur_wert,
            )
        tabellen[g] = (ind, vn, auswahl, bloecke)
    flags = iter(eintraege.loesen())
    ergebnisse: dict[Gruppierung, Ergebnis] = {}
    for g, (ind, vn, auswahl, bloecke) in tabellen.items():
        _setzen(ind, auswahl, next(flags))
        _setzen(vn, np.ones(len(vn), dtype=bool), next(flags))
        match = next(flags) | next(flags)
        if bloecke:
            vn["match_unterdrueckt"] = vn["match_unterdrueckt"].to_numpy(dtype=bool) | np.tile(
                match, bloecke
            )
        _effekte_uebernehmen(ind, vn)
        ergebnisse[g] = ausblenden(Ergebnis(indikatoren=ind, vorher_nachher=vn))
    ziele = next(iter(grundlagen.values())).ziele
    return Schutzgitter(ergebnisse, ziele, tuple(standorte), tuple(quartale))


def _setzen(tabelle: pd.DataFrame, auswahl: np.ndarray, flags: np.ndarray) -> None:
    alt = tabelle["unterdrueckt"].to_numpy(dtype=bool)
    neu = alt.copy()
    neu[auswahl] = flags | alt[auswahl]
    tabelle["unterdrueckt"] = neu
    # newly hidden cells were released before: hidden to protect others
    tabelle["sperrgrund"] = tabelle["sperrgrund"].mask(neu & ~alt, SEKUNDAER)


def _effekte_uebernehmen(ind: pd.DataFrame, vn: pd.DataFrame) -> None:
    """An effect indicator's row is its T1 pre/post row: it carries the same flag."""
    t1 = vn[vn["welle"] == "T1"]
    schluessel = ["indikator", "standort", "gruppe", "periode"]
    quelle = pd.MultiIndex.from_frame(t1[schluessel])
    ziel = pd.MultiIndex.from_frame(ind[schluessel])
    pos = quelle.get_indexer(ziel)
    treffer = pos >= 0
    flags = ind["unterdrueckt"].to_numpy(dtype=bool).copy()
    grund = ind["sperrgrund"].to_numpy(dtype=object).copy()
    flags[treffer] = t1["unterdrueckt"].to_numpy(dtype=bool)[pos[treffer]]
    grund[treffer] = t1["sperrgrund"].to_numpy(dtype=object)[pos[treffer]]
    ind["unterdrueckt"] = flags
    ind["sperrgrund"] = pd.array(grund, dtype="str")


# -- reading a selection ---------------------------------------------------------------------
def aus_gitter(gitter: Schutzgitter, filter_: Filter, *, heute: date | None = None) -> Ergebnis:
    """The released tables of one lattice selection, shaped as the engine shapes them for the
    same filter (the selected site or quarter also as "gesamt"), with targets."""
    quartal = gewaehltes_quartal(filter_, gitter.quartale)
    erg = gitter.ergebnisse[filter_.gruppierung]
    teile = []
    for tabelle in (erg.indikatoren, erg.vorher_nachher):
        if filter_.standorte:
            ort = tabelle[tabelle["standort"] == filter_.standorte[0]]
            tabelle = pd.concat([ort.assign(standort=GESAMT), ort], ignore_index=True)
        if quartal is not None:
            zeit = tabelle[tabelle["periode"] == quartal]
            tabelle = pd.concat(
                [zeit.assign(periode=GESAMT), zeit]
                if filter_.nach_quartal
                else [zeit.assign(periode=GESAMT)],
                ignore_index=True,
            )
        elif not filter_.nach_quartal:
            tabelle = tabelle[tabelle["periode"] == GESAMT]
        teile.append(tabelle.reset_index(drop=True))
    auswahl = Ergebnis(indikatoren=teile[0], vorher_nachher=teile[1])
    # judged at the end of the lattice's data (for a funder: the last approved quarter)
    heute = bewertungstag(gitter.quartale, filter_, heute)
    return mit_zielen(auswahl, gitter.ziele, filter_, heute)


def ohne_zeilen(gitter: Schutzgitter) -> Schutzgitter:
    """The lattice with no rows (nothing approved yet): every selection shows empty tables."""
    leer = {
        g: replace(e, indikatoren=e.indikatoren.iloc[:0], vorher_nachher=e.vorher_nachher.iloc[:0])
        for g, e in gitter.ergebnisse.items()
    }
    return replace(gitter, ergebnisse=leer)

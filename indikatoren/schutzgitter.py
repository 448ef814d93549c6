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

from dataclasses import dataclass, replace
from datetime import date

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
            f"Für das Quartal {quartal[:4]} {quartal[5:]} gibt es in dieser Ansicht keine "
            "freigegebenen Daten."
        )
    return quartal


# -- building the lattice --------------------------------------------------------------------
def _vollstaendig(
    tabelle: pd.DataFrame,
    spalten: tuple[str, ...],
    schluessel: pd.MultiIndex,
    stamm: pd.DataFrame,
) -> pd.DataFrame:
    """Every row of the lattice, also for groups without members (marked as primary)."""
    index = pd.MultiIndex.from_frame(tabelle[list(schluessel.names)])
    fehlend = schluessel.difference(index)
    if not len(fehlend):
        return tabelle
    neu = fehlend.to_frame(index=False)
    neu = neu.merge(stamm, on="indikator", how="left") if len(stamm.columns) > 1 else neu
    for name in spalten:
        if name not in neu:
            neu[name] = np.nan
    neu["unterdrueckt"] = True
    neu["sperrgrund"] = PRIMAER
    if "match_unterdrueckt" in neu:
        neu["match_unterdrueckt"] = True
    gesamt = pd.concat([tabelle, neu[list(spalten)]], ignore_index=True)
    reihenfolge = {i.id: f"{n:03d}" for n, i in enumerate(INDIKATOREN)}

    def ordnen(spalte: pd.Series) -> pd.Series:
        if spalte.name == "indikator":
            return spalte.map(reihenfolge)
        return spalte.where(spalte != GESAMT, "")  # "gesamt" first, as the engine orders

    return gesamt.sort_values(list(schluessel.names), key=ordnen, ignore_index=True)


def _rahmen(
    g: Gruppierung, standorte: tuple[str, ...], quartale: tuple[str, ...]
) -> tuple[pd.MultiIndex, pd.MultiIndex]:
    """The row keys every selection of the lattice has (indicator and pre/post table)."""
    orte = [GESAMT, *standorte]
    zeiten = [GESAMT, *quartale]
    personen = [GESAMT, *GRUPPEN[g]]
    aktiv = [GESAMT, *GRUPPEN[g]] if g is Gruppierung.FORMAT else [GESAMT]
    zeilen = [
        (i.id, s, gr, p)
        for i in INDIKATOREN
        for s in orte
        for gr in (personen if i.personenbezogen else aktiv)
        for p in zeiten
    ]
    ind = pd.MultiIndex.from_tuples(zeilen, names=["indikator", "standort", "gruppe", "periode"])
    vn = pd.MultiIndex.from_tuples(
        [
            (i.id, s, gr, w, p)
            for i in INDIKATOREN
            if i.vorher_nachher
            for s in orte
            for gr in personen
            for w in FOLGEWELLEN
            for p in zeiten
        ],
        names=["indikator", "standort", "gruppe", "welle", "periode"],
    )
    return ind, vn


def _stamm() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indikator": [i.id for i in INDIKATOREN],
            "ziel": [str(i.ziel) for i in INDIKATOREN],
            "name": [i.name for i in INDIKATOREN],
            "stufe": [i.stufe for i in INDIKATOREN],
            "einheit": [i.einheit for i in INDIKATOREN],
        }
    )


@dataclass
class _Eintraege:
    """The protected counts of all tables as one long list for the joint suppression."""

    teile: list[dict[str, np.ndarray]]

    def dazu(
        self,
        tabelle: str | pd.Series,
        zeilen: pd.DataFrame,
        groesse: np.ndarray,
        flags: np.ndarray,
        schwelle: int,
    ) -> None:
        self.teile.append(
            {
                "tabelle": (tabelle + "|" + zeilen["indikator"].astype(str)).to_numpy(object)
                if "indikator" in zeilen
                else np.full(len(zeilen), tabelle, dtype=object),
                "standort": zeilen["standort"].to_numpy(object),
                "gruppe": zeilen["gruppe"].to_numpy(object),
                "periode": zeilen["periode"].to_numpy(object),
                "groesse": np.nan_to_num(np.asarray(groesse, dtype=float), nan=0.0),
                "flags": np.asarray(flags, dtype=bool),
                "schwelle": np.full(len(zeilen), float(schwelle)),
            }
        )

    def loesen(self) -> list[np.ndarray]:
        """Joint flags, returned in the order the parts were added."""
        laengen = [len(t["flags"]) for t in self.teile]
        alle = {k: np.concatenate([t[k] for t in self.teile]) for k in self.teile[0]}
        dims, totale = [], []
        for dim in ("standort", "gruppe", "periode"):
            dims.append(pd.factorize(alle[dim])[0])
            totale.append(alle[dim] == GESAMT)
        zelle = pd.factorize(
            pd.Series(alle["standort"]) + "|" + alle["gruppe"] + "|" + alle["periode"]
        )[0]
        flags = gemeinsam(
            alle["flags"],
            alle["groesse"],
            dims,
            totale,
            pd.factorize(alle["tabelle"])[0],
            alle["schwelle"],
            zelle,
        )
        return np.split(flags, np.cumsum(laengen)[:-1])


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
    standorte = sorted(
        {s for e in roh.values() for s in e.indikatoren["standort"].unique() if s != GESAMT}
    )
    quartale = sorted(
        {p for e in roh.values() for p in e.indikatoren["periode"].unique() if p != GESAMT}
    )
    stamm = _stamm()
    eintraege = _Eintraege([])
    tabellen: dict[Gruppierung, tuple[pd.DataFrame, pd.DataFrame]] = {}
    personen = {i.id for i in INDIKATOREN if i.personenbezogen and not i.vorher_nachher}
    for g, e in roh.items():
        rahmen_ind, rahmen_vn = _rahmen(g, tuple(standorte), tuple(quartale))
        ind = _vollstaendig(e.indikatoren, INDIKATOR_SPALTEN, rahmen_ind, stamm)
        vn = _vollstaendig(
            e.vorher_nachher, VORHER_NACHHER_SPALTEN, rahmen_vn, stamm[["indikator"]]
        )
        tabellen[g] = (ind, vn)
        auswahl = ind[ind["indikator"].isin(personen)]
        eintraege.dazu(
            f"{g}|E", auswahl, auswahl["n"], auswahl["unterdrueckt"], schwellen.min_personen
        )
        eintraege.dazu(
            f"{g}|P|" + vn["welle"].astype(str),
            vn,
            vn["n_paare"],
            vn["unterdrueckt"],
            schwellen.min_paare,
        )
        zellen = vn.drop_duplicates(["standort", "gruppe", "welle", "periode"])
        for welle in FOLGEWELLEN:
            je = zellen[zellen["welle"] == welle].drop(columns="indikator")
            eintraege.dazu(
                f"{g}|M|{welle}",
                je,
                je["n_erreicht"],
                je["match_unterdrueckt"],
                schwellen.min_paare,
            )
            eintraege.dazu(
                f"{g}|T0|{welle}",
                je,
                je["n_t0"],
                je["match_unterdrueckt"],
                schwellen.min_personen,
            )
    flags = iter(eintraege.loesen())
    ergebnisse: dict[Gruppierung, Ergebnis] = {}
    for g, (ind, vn) in tabellen.items():
        ind, vn = ind.copy(), vn.copy()
        auswahl = ind["indikator"].isin(personen).to_numpy()
        _setzen(ind, auswahl, next(flags))
        _setzen(vn, np.ones(len(vn), dtype=bool), next(flags))
        zellen = vn.drop_duplicates(["standort", "gruppe", "welle", "periode"])
        for _welle in FOLGEWELLEN:
            erreicht, t0 = next(flags), next(flags)
            je = zellen[zellen["welle"] == _welle]
            gesperrt = pd.MultiIndex.from_frame(
                je[["standort", "gruppe", "welle", "periode"]][erreicht | t0]
            )
            im_vn = pd.MultiIndex.from_frame(vn[["standort", "gruppe", "welle", "periode"]])
            vn.loc[im_vn.isin(gesperrt), "match_unterdrueckt"] = True
        _effekte_uebernehmen(ind, vn)
        ergebnisse[g] = ausblenden(Ergebnis(indikatoren=ind, vorher_nachher=vn))
    ziele = next(iter(grundlagen.values())).ziele
    return Schutzgitter(ergebnisse, ziele, tuple(standorte), tuple(quartale))


def _setzen(tabelle: pd.DataFrame, auswahl: np.ndarray, flags: np.ndarray) -> None:
    alt = tabelle["unterdrueckt"].to_numpy(dtype=bool)
    neu = alt.copy()
    neu[auswahl] = flags | alt[auswahl]
    grund = tabelle["sperrgrund"].to_numpy(dtype=object)
    grund = np.where(neu & (grund == ""), SEKUNDAER, grund)
    tabelle["unterdrueckt"] = neu
    tabelle["sperrgrund"] = pd.array(grund, dtype="str")


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

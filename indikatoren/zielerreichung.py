"""Targets, goal attainment and status (SPEC §4), with the rule written for the Methodik page.

Attainment = (Ist − Basiswert) / (Zielwert − Basiswert). Written this way it is direction-aware
by itself: for a "lower is better" indicator the target lies below the baseline, and moving down
counts as progress. A missing baseline counts as 0 (the natural start of counts and changes).

Status compares attainment with the progress one may expect at the reference date:

* cumulative counts (A1, B3, B6) are expected to grow with the elapsed share of the time between
  start and due date;
* levels (shares, pre/post changes) should be half-way from the start and reach the target at the
  due date: expected = 0.5 + 0.5 × elapsed share.

erreicht: attainment ≥ 100 %. auf Kurs: attainment ≥ 90 % of the expected progress.
Verzug: ≥ 60 % of it. kritisch: below that. After the due date an unreached target is Verzug from
90 % attainment on, kritisch below. keine Daten: no target, or no released value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd

from indikatoren.definitionen import Indikator, Richtung, Ziel
from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.unterdrueckung import GESAMT
from monitor.db import Datenbank


class Status(StrEnum):
    ERREICHT = "erreicht"
    AUF_KURS = "auf Kurs"
    VERZUG = "Verzug"
    KRITISCH = "kritisch"
    KEINE_DATEN = "keine Daten"


#: Status colours of every output (dashboard, Excel, PDF), safe for red-green colour blindness:
#: green "erreicht" and red "kritisch" look the same olive with deuteranopia (ΔE ≈ 18), blue –
#: light blue – amber – red – grey stay apart (ΔE ≥ 34 in the Machado et al. 2009 simulation,
#: checked by tests/test_barrierefreiheit.py). Here, not in ``ui``, so that the reports in
#: ``monitor`` use the same palette without importing the dashboard.
STATUS_FARBEN: dict[Status, str] = {
    Status.ERREICHT: "#08519C",
    Status.AUF_KURS: "#6BAED6",
    Status.VERZUG: "#F2B134",
    Status.KRITISCH: "#B2182B",
    Status.KEINE_DATEN: "#D4D4D4",
}
#: The second channel next to the colour: status never relies on colour alone (also on grey
#: print-outs).
STATUS_SYMBOL: dict[Status, str] = {
    Status.ERREICHT: "✓",
    Status.AUF_KURS: "↗",
    Status.VERZUG: "!",
    Status.KRITISCH: "✕",
    Status.KEINE_DATEN: "○",
}
STATUS_REIHENFOLGE: tuple[Status, ...] = (
    Status.ERREICHT,
    Status.AUF_KURS,
    Status.VERZUG,
    Status.KRITISCH,
    Status.KEINE_DATEN,
)

_STATUS_NUMMER: dict[Status, int] = {s: i + 1 for i, s in enumerate(Status)}

AUF_KURS_AB = 0.9
VERZUG_AB = 0.6

REGEL_TEXT = (
    "Zielerreichung = (Ist − Basiswert) / (Zielwert − Basiswert); ohne Basiswert gilt 0. "
    "Erwarteter Fortschritt am Stichtag der Auswertung: bei Zählgrößen (A1, B3, B6) der "
    "vergangene Anteil der Zeit zwischen Start und Zieldatum, bei Anteilen und Veränderungen "
    "50 % plus die Hälfte des vergangenen Zeitanteils. erreicht: Zielerreichung ≥ 100 %. "
    "auf Kurs: mindestens 90 % des erwarteten Fortschritts. Verzug: mindestens 60 %. "
    "kritisch: darunter. Nach dem Zieldatum: Verzug ab 90 % Zielerreichung, sonst kritisch. "
    "keine Daten: kein Zielwert oder kein (freigegebener) Wert. Stichtag der Auswertung ist "
    "das Ende der Daten der jeweiligen Ansicht (bei Fördergebern das Ende des letzten "
    "freigegebenen Quartals), nie ein späterer Tag. Ist ein Zeitraum gewählt, werden "
    "Zählgrößen am anteiligen Zielwert für diesen Zeitraum gemessen. Ein Zielwert auf der "
    "„falschen“ Seite des Basiswerts (bei „höher ist besser“ darunter) wird nur nach "
    "ausdrücklicher Bestätigung gespeichert und bleibt gekennzeichnet; ein früher "
    "gespeicherter, nicht bestätigter wird nicht bewertet (keine Daten)."
)


def bewertungs_text(bewertet_am: date | None, zeitraum: bool = False) -> str:
    """What a view says about when and how its targets were judged (German, one paragraph)."""
    if bewertet_am is None:
        return ""
    text = (
        f"Zielstand bewertet zum {bewertet_am:%d.%m.%Y}, dem Ende der Daten dieser Ansicht "
        "(bei Fördergebern: Ende des letzten freigegebenen Quartals); erwartet wird der "
        "Fortschritt bis zu diesem Tag, nicht bis heute."
    )
    if zeitraum:
        text += (
            " Zählgrößen (A1, B3, B6) werden für den gewählten Zeitraum am anteiligen Zielwert "
            "gemessen (Zielwert × Tage des Zeitraums / Tage bis zum Zieldatum)."
        )
    return text


def gegen_richtung(indikator: Indikator, basiswert: float | None, zielwert: float) -> bool:
    """Whether a target lies on the wrong side of its baseline (missing baseline = 0).

    For "higher is better" a target below the baseline is a planned decline; the attainment
    formula would then count a decline as progress (issue 15: −53 pp read as 88.9 % "auf
    Kurs"). Such a target is refused unless it is explicitly confirmed, and then marked.
    """
    basis = 0.0 if basiswert is None or math.isnan(basiswert) else basiswert
    if indikator.richtung is Richtung.HOEHER_BESSER:
        return zielwert < basis
    return zielwert > basis


def richtungs_grund(indikator: Indikator, basiswert: float | None, zielwert: float) -> str:
    """The German reason shown when a target on the wrong side of the baseline is refused."""
    leer = basiswert is None or math.isnan(basiswert)
    basis = f"{_de(0.0)} (leer = 0)" if leer else _de(basiswert)  # type: ignore[arg-type]
    hoeher = indikator.richtung is Richtung.HOEHER_BESSER
    return (
        f"Zielwert {_de(zielwert)} liegt {'unter' if hoeher else 'über'} dem Basiswert {basis}"
        f", obwohl bei {indikator.id} {'höhere' if hoeher else 'niedrigere'} Werte besser sind – "
        "ein Rückschritt würde so als Fortschritt gezählt. Ist das so gewollt, bitte ausdrücklich "
        "bestätigen (Spalte „richtung_bestaetigt“ = ja bzw. Häkchen „Gegen Richtung bestätigt“)."
    )


def _de(zahl: float) -> str:
    return f"{zahl:g}".replace(".", ",").replace("-", "−")


def erwarteter_fortschritt(
    indikator: Indikator, start: date | None, stichtag: date, heute: date
) -> float:
    """Share of the target one may expect to have reached by ``heute``."""
    if start is None or stichtag <= start:
        anteil = 1.0 if heute >= stichtag else 0.0
    else:
        anteil = min(max((heute - start).days / (stichtag - start).days, 0.0), 1.0)
    return anteil if indikator.kumulativ else 0.5 + 0.5 * anteil


def bewerte(
    indikator: Indikator,
    ist: float | None,
    basiswert: float | None,
    zielwert: float | None,
    start: date | None,
    stichtag: date | None,
    heute: date,
) -> tuple[float | None, Status]:
    """Attainment (fraction, 1.0 = 100 %) and status of one cell."""
    if ist is None or zielwert is None or stichtag is None:
        return None, Status.KEINE_DATEN
    if isinstance(ist, float) and math.isnan(ist):
        return None, Status.KEINE_DATEN
    basis = (
        0.0
        if basiswert is None or (isinstance(basiswert, float) and math.isnan(basiswert))
        else basiswert
    )
    if zielwert == basis:
        vorzeichen = 1 if indikator.richtung is Richtung.HOEHER_BESSER else -1
        erreichung = 1.0 if (ist - zielwert) * vorzeichen >= 0 else 0.0
    else:
        erreichung = (ist - basis) / (zielwert - basis)
    if erreichung >= 1:
        return erreichung, Status.ERREICHT
    if heute > stichtag:
        return erreichung, Status.VERZUG if erreichung >= AUF_KURS_AB else Status.KRITISCH
    erwartet = erwarteter_fortschritt(indikator, start, stichtag, heute)
    if erwartet <= 0:
        return erreichung, Status.AUF_KURS
    verhaeltnis = erreichung / erwartet
    if verhaeltnis >= AUF_KURS_AB:
        return erreichung, Status.AUF_KURS
    if verhaeltnis >= VERZUG_AB:
        return erreichung, Status.VERZUG
    return erreichung, Status.KRITISCH


def zielwerte_laden(db: Datenbank) -> pd.DataFrame:
    """All targets with the start date that applies (the site's, or the earliest for 'gesamt')."""
    return db.query(
        "SELECT z.indikator, z.standort, z.basiswert, z.zielwert, z.stichtag, "
        "coalesce(s.start, (SELECT min(start) FROM standorte)) AS start, "
        "coalesce(z.richtung_bestaetigt, false) AS richtung_bestaetigt "
        "FROM zielwerte z LEFT JOIN standorte s ON s.standort = z.standort "
        "ORDER BY z.indikator, z.standort"
    )


def anteiliges_ziel(
    basiswert: float | None,
    zielwert: float,
    start: date | None,
    stichtag: date,
    von: date | None,
    bis: date | None,
) -> tuple[float, date, date] | None:
    """The share of a cumulative target that falls into the period ``von``–``bis``.

    A count target (e.g. 350 persons by the due date) describes the whole time from the start
    to the due date; a quarter's count compared with it read "33 % kritisch" for a quarter of
    an on-course project. Pro rata: (target − baseline) × overlap days / target days, with the
    overlap of the period and the target time as its own start and due date. None when the
    period lies outside the target time (or there is no start to spread the target over).
    """
    if start is None or stichtag < start:
        return None
    anfang, ende = max(von or start, start), min(bis or stichtag, stichtag)
    if ende < anfang:
        return None
    anteil = ((ende - anfang).days + 1) / ((stichtag - start).days + 1)
    basis = 0.0 if basiswert is None else basiswert
    return (zielwert - basis) * anteil, anfang, ende


def ziele_anhaengen(
    tabelle: pd.DataFrame,
    ziele: pd.DataFrame,
    heute: date,
    von: date | None = None,
    bis: date | None = None,
) -> pd.DataFrame:
    """Add basiswert, zielwert, stichtag, zielerreichung (%), status to an indicator table.

    Targets apply to the whole-period rows of group "gesamt" (targets are set per indicator and
    site, not per group or quarter); other rows get no target and status "keine Daten".
    Targets are looked up by position for those rows only (a merge over the whole, possibly
    quarterly, table cost more than everything else here).

    With a period (``von``/``bis``), cumulative counts are judged against their pro rata target
    for that period (:func:`anteiliges_ziel`); the rows then show that target with baseline 0
    and the period's end as due date, and ``ziel_anteilig`` is set. ``ziel_gegen_richtung``
    marks targets on the wrong side of their baseline, ``ziel_richtung_bestaetigt`` those of
    them confirmed on entry (targets stored before the check may lack the confirmation).
    """
    schluessel = ["indikator", "standort"]
    if "richtung_bestaetigt" not in ziele:
        ziele = ziele.assign(richtung_bestaetigt=False)
    ziele = ziele[
        [*schluessel, "basiswert", "zielwert", "stichtag", "start", "richtung_bestaetigt"]
    ].reset_index(drop=True)
    passend = np.flatnonzero(
        ((tabelle["gruppe"] == GESAMT) & (tabelle["periode"] == GESAMT)).to_numpy()
    )
    position = np.full(len(tabelle), -1, dtype=np.int64)
    if len(ziele) and len(passend):
        # Site IDs and indicator IDs hold no "|", so joined they are a unique text key.
        index = pd.Index(ziele["indikator"].astype(str) + "|" + ziele["standort"].astype(str))
        auszug = tabelle.iloc[passend]
        position[passend] = index.get_indexer(
            auszug["indikator"].astype(str) + "|" + auszug["standort"].astype(str)
        )
    spalten = {
        name: ziele[name].reindex(position).set_axis(tabelle.index)
        for name in ("basiswert", "zielwert", "stichtag", "start", "richtung_bestaetigt")
    }
    erreichung = np.full(len(tabelle), np.nan)
    status = np.zeros(len(tabelle), dtype=np.int64)  # position in STATUS_REIHENFOLGE
    anteilig = np.zeros(len(tabelle), dtype=bool)
    gegen = np.zeros(len(tabelle), dtype=bool)
    mit_ziel = np.flatnonzero(spalten["zielwert"].notna().to_numpy())
    auszug = zip(
        mit_ziel.tolist(),
        tabelle["indikator"].to_numpy()[mit_ziel].tolist(),
        tabelle["unterdrueckt"].to_numpy()[mit_ziel].tolist(),
        tabelle["wert"].to_numpy()[mit_ziel].tolist(),
        *(spalten[n].iloc[mit_ziel].tolist() for n in ("basiswert", "zielwert", "start")),
        spalten["stichtag"].iloc[mit_ziel].tolist(),
        strict=True,
    )
    bestaetigt = spalten.pop("richtung_bestaetigt").fillna(False).astype(bool).to_numpy()
    ersetzt: dict[str, dict[int, object]] = {"basiswert": {}, "zielwert": {}, "stichtag": {}}
    zeitraum = von is not None or bis is not None
    for pos, ind, gesperrt, wert, basiswert, zielwert, start, stichtag in auszug:  # a few hundred
        indikator = REGISTER[ind]
        basis, ziel, tag = _zahl(basiswert), _zahl(zielwert), _datum(stichtag)
        beginn = _datum(start)
        gegen[pos] = ziel is not None and gegen_richtung(indikator, basis, ziel)
        if gegen[pos] and not bestaetigt[pos]:
            # stored before the direction check and never confirmed: not judged (a decline
            # would count as progress), only marked
            status[pos] = _STATUS_NUMMER[Status.KEINE_DATEN]
            continue
        if zeitraum and indikator.kumulativ and ziel is not None and tag is not None:
            teil = anteiliges_ziel(basis, ziel, beginn, tag, von, bis)
            anteilig[pos] = True
            if teil is None:
                ersetzt["zielwert"][pos] = np.nan
                status[pos] = _STATUS_NUMMER[Status.KEINE_DATEN]
                continue
            ziel, beginn, tag = teil
            basis = 0.0
            ersetzt["basiswert"][pos], ersetzt["zielwert"][pos] = basis, ziel
            ersetzt["stichtag"][pos] = pd.Timestamp(tag)
        e, s = bewerte(
            indikator, None if gesperrt else _zahl(wert), basis, ziel, beginn, tag, heute
        )
        erreichung[pos] = np.nan if e is None else 100 * e
        status[pos] = _STATUS_NUMMER[s]
    del spalten["start"]
    for name, werte in ersetzt.items():
        if werte:
            spalte = spalten[name].astype(object if name == "stichtag" else float).copy()
            for pos, wert in werte.items():
                spalte.iloc[pos] = wert
            spalten[name] = spalte.astype(spalten[name].dtype) if name == "stichtag" else spalte
    texte = pd.array([str(Status.KEINE_DATEN), *map(str, Status)], dtype="str")
    return tabelle.assign(
        **spalten,
        zielerreichung=erreichung,
        status=texte.take(status),
        ziel_anteilig=anteilig,
        ziel_gegen_richtung=gegen,
        ziel_richtung_bestaetigt=gegen & bestaetigt,
    )


def _zahl(wert: object) -> float | None:
    if wert is None or (isinstance(wert, float) and math.isnan(wert)) or wert is pd.NA:
        return None
    return float(wert)  # type: ignore[arg-type]


def _datum(wert: object) -> date | None:
    if wert is None or wert is pd.NaT or (isinstance(wert, float) and math.isnan(wert)):
        return None
    if isinstance(wert, pd.Timestamp):
        return wert.date()
    return wert if isinstance(wert, date) else None


@dataclass(frozen=True, slots=True)
class Zielstand:
    """Summary of one impact goal over its indicators that have targets."""

    ziel: Ziel
    zielerreichung: float | None  # mean of capped attainments, in %
    status: Status
    anzahl: dict[Status, int]


def ziel_zusammenfassung(tabelle: pd.DataFrame, standort: str = GESAMT) -> list[Zielstand]:
    """Goal-level summary for a, b and c from an indicator table with targets attached.

    Rule (Methodik page): attainment is the mean of the indicators' attainments, each capped at
    100 % so one over-achiever cannot hide a lagging one. Status: kritisch if at least a third
    of the indicators with data are kritisch; Verzug if at least a third are Verzug or kritisch;
    erreicht if all are erreicht; otherwise auf Kurs; keine Daten if none has data.
    """
    zeilen = tabelle[
        (tabelle["standort"] == standort)
        & (tabelle["gruppe"] == GESAMT)
        & (tabelle["periode"] == GESAMT)
        & tabelle["zielwert"].notna()
    ]
    ergebnis = []
    for ziel in Ziel:
        ids = {i.id for i in INDIKATOREN if i.ziel is ziel}
        teil = zeilen[zeilen["indikator"].isin(ids)]
        anzahl = {s: int((teil["status"] == str(s)).sum()) for s in Status}
        mit_daten = teil[teil["status"] != str(Status.KEINE_DATEN)]
        if mit_daten.empty:
            ergebnis.append(Zielstand(ziel, None, Status.KEINE_DATEN, anzahl))
            continue
        n = len(mit_daten)
        kritisch = anzahl[Status.KRITISCH]
        verzug = anzahl[Status.VERZUG] + kritisch
        if kritisch * 3 >= n:
            status = Status.KRITISCH
        elif verzug * 3 >= n:
            status = Status.VERZUG
        elif anzahl[Status.ERREICHT] == n:
            status = Status.ERREICHT
        else:
            status = Status.AUF_KURS
        mittel = float(np.clip(mit_daten["zielerreichung"].to_numpy(float), None, 100).mean())
        ergebnis.append(Zielstand(ziel, mittel, status, anzahl))
    return ergebnis


def trend(quartale: pd.DataFrame) -> pd.DataFrame:
    """Direction of the last two released quarters per indicator × site × group.

    Returns columns indikator, standort, gruppe, letztes_quartal, vorletztes_quartal, letzter_wert,
    vorletzter_wert, trend ("steigend", "fallend", "gleich" or "" when fewer than two quarters).
    """
    teile = quartale[(quartale["periode"] != GESAMT) & ~quartale["unterdrueckt"]]
    teile = teile[teile["wert"].notna()].sort_values("periode")
    zeilen = []
    for (ind, st, gr), gruppe in teile.groupby(["indikator", "standort", "gruppe"], sort=False):
        if len(gruppe) < 2:
            continue
        letzte, vorletzte = gruppe.iloc[-1], gruppe.iloc[-2]
        diff = float(letzte["wert"]) - float(vorletzte["wert"])
        richtung = "gleich" if abs(diff) < 1e-9 else ("steigend" if diff > 0 else "fallend")
        zeilen.append(
            (
                ind,
                st,
                gr,
                letzte["periode"],
                vorletzte["periode"],
                letzte["wert"],
                vorletzte["wert"],
                richtung,
            )
        )
    return pd.DataFrame(
        zeilen,
        columns=[
            "indikator",
            "standort",
            "gruppe",
            "letztes_quartal",
            "vorletztes_quartal",
            "letzter_wert",
            "vorletzter_wert",
            "trend",
        ],
    )

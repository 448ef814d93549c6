"""Synthetische Demo-Daten: ein realistisches Projekt zum Ausprobieren ohne echte Daten.

Why this module exists: the dashboard must show something meaningful on first start, the
methods and data-quality pages need data with known quirks (a small site, a site with hardly any
people without migration background, a site without effect, an implausible activity count), and
the benchmark needs a large data set of exactly the same shape as real imports.

Design decisions:

* One seeded ``numpy.random.default_rng`` and a fixed project calendar (never today's date), so a
  seed always yields identical tables: tests, screenshots and benchmark runs are reproducible.
* Answers come from a small latent model (person level + wave effect that differs by site,
  format and person, partial fade at T2) rather than independent random numbers, so pre/post
  effects, scale consistency and reverse coding behave like real survey data.
* Everything is vectorised with numpy and written in bulk (a registered DataFrame and one
  ``INSERT … SELECT`` per table) so 100 sites / 100 000 participants load in seconds.
* Every row carries ``demo = true`` and one ``importe`` row documents the load, so
  :func:`entferne_demo` removes exactly the demo data and never a real row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from indikatoren.engine import auswertungstabellen_aufbauen
from monitor.audit import SYSTEM, protokolliere
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler
from monitor.schema import (
    AKTIVITAET_TYPEN,
    FORMATE,
    INDIKATOR_IDS,
    SCHLUESSEL,
    TABELLE,
    WELLEN,
    Art,
    Typ,
    felder,
    skalen,
)

PROJEKT_START = date(2025, 1, 6)
PROJEKT_ENDE = date(2026, 11, 13)
STICHTAG = date(2027, 6, 30)
STICHTAG_FRUEH = date(2026, 12, 31)

#: The designed quirks of the six core sites (tests and docs refer to them by name).
KLEINER_STANDORT = "D_ERFURT"  # about 4 % of participants: group cells there get suppressed
DUENNER_STANDORT = "D_DORTMUND"  # hardly any participants without migration background
STANDORT_OHNE_WIRKUNG = "D_ROSTOCK"  # pre/post effects close to zero
STANDORT_MIT_AUSREISSER = "D_LEIPZIG"  # one activity with an implausible participant count

AUSREISSER_TEILNEHMENDE = 400
MAX_STANDORTE = 999

_ENDE_TAG = (PROJEKT_ENDE - PROJEKT_START).days
_CODE_ZEICHEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_CODE_LAENGE = 10
_STANDORT_ID_MAX = 12


# --------------------------------------------------------------------------------------------
# Standorte
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Ort:
    """A real German city a demo site can sit in (coordinates of the city centre)."""

    kennung: str  # the part of the site ID after "D_"
    ort: str
    bundesland: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class _Profil:
    """How one of the six designed core sites differs from the others."""

    gewicht: float  # relative size (average site = 1)
    start: date
    format_anteile: tuple[float, float, float]  # digital, hybrid, praesenz
    mh_anteile: tuple[float, float, float]  # ja, nein, keine_angabe
    wirkung: float  # multiplies every T0→T1 effect
    abbruch: float  # added to the T0→T1 drop-out probability
    abbruch_mit_mh: float  # extra drop-out for people with migration background
    kohorte_tage: int  # length of one course cohort


_ORTE: tuple[_Ort, ...] = (
    _Ort("BERLIN", "Berlin", "Berlin", 52.5200, 13.4050),
    _Ort("LEIPZIG", "Leipzig", "Sachsen", 51.3397, 12.3731),
    _Ort("DORTMUND", "Dortmund", "Nordrhein-Westfalen", 51.5136, 7.4653),
    _Ort("MANNHEIM", "Mannheim", "Baden-Württemberg", 49.4875, 8.4660),
    _Ort("ROSTOCK", "Rostock", "Mecklenburg-Vorpommern", 54.0924, 12.0991),
    _Ort("ERFURT", "Erfurt", "Thüringen", 50.9848, 11.0299),
    _Ort("HAMBURG", "Hamburg", "Hamburg", 53.5511, 9.9937),
    _Ort("MUENCHEN", "München", "Bayern", 48.1351, 11.5820),
    _Ort("KOELN", "Köln", "Nordrhein-Westfalen", 50.9375, 6.9603),
    _Ort("FRANKFURT", "Frankfurt am Main", "Hessen", 50.1109, 8.6821),
    _Ort("STUTTGART", "Stuttgart", "Baden-Württemberg", 48.7758, 9.1829),
    _Ort("DUESSELD", "Düsseldorf", "Nordrhein-Westfalen", 51.2277, 6.7735),
    _Ort("ESSEN", "Essen", "Nordrhein-Westfalen", 51.4556, 7.0116),
    _Ort("BREMEN", "Bremen", "Bremen", 53.0793, 8.8017),
    _Ort("DRESDEN", "Dresden", "Sachsen", 51.0504, 13.7373),
    _Ort("HANNOVER", "Hannover", "Niedersachsen", 52.3759, 9.7320),
    _Ort("NUERNBERG", "Nürnberg", "Bayern", 49.4521, 11.0767),
    _Ort("DUISBURG", "Duisburg", "Nordrhein-Westfalen", 51.4344, 6.7623),
    _Ort("BOCHUM", "Bochum", "Nordrhein-Westfalen", 51.4818, 7.2162),
    _Ort("BIELEFELD", "Bielefeld", "Nordrhein-Westfalen", 52.0302, 8.5325),
    _Ort("MUENSTER", "Münster", "Nordrhein-Westfalen", 51.9607, 7.6261),
    _Ort("KARLSRUHE", "Karlsruhe", "Baden-Württemberg", 49.0069, 8.4037),
    _Ort("AUGSBURG", "Augsburg", "Bayern", 48.3705, 10.8978),
    _Ort("WIESBADEN", "Wiesbaden", "Hessen", 50.0782, 8.2398),
    _Ort("KASSEL", "Kassel", "Hessen", 51.3127, 9.4797),
    _Ort("MAINZ", "Mainz", "Rheinland-Pfalz", 49.9929, 8.2473),
    _Ort("TRIER", "Trier", "Rheinland-Pfalz", 49.7499, 6.6371),
    _Ort("SAARBRUECK", "Saarbrücken", "Saarland", 49.2402, 6.9969),
    _Ort("KIEL", "Kiel", "Schleswig-Holstein", 54.3233, 10.1228),
    _Ort("LUEBECK", "Lübeck", "Schleswig-Holstein", 53.8655, 10.6866),
    _Ort("MAGDEBURG", "Magdeburg", "Sachsen-Anhalt", 52.1205, 11.6276),
    _Ort("HALLE", "Halle (Saale)", "Sachsen-Anhalt", 51.4969, 11.9688),
    _Ort("POTSDAM", "Potsdam", "Brandenburg", 52.3906, 13.0645),
    _Ort("COTTBUS", "Cottbus", "Brandenburg", 51.7563, 14.3329),
    _Ort("CHEMNITZ", "Chemnitz", "Sachsen", 50.8278, 12.9214),
    _Ort("JENA", "Jena", "Thüringen", 50.9271, 11.5892),
    _Ort("SCHWERIN", "Schwerin", "Mecklenburg-Vorpommern", 53.6355, 11.4012),
    _Ort("BRAUNSCHW", "Braunschweig", "Niedersachsen", 52.2689, 10.5268),
    _Ort("OSNABRUECK", "Osnabrück", "Niedersachsen", 52.2799, 8.0472),
    _Ort("FREIBURG", "Freiburg im Breisgau", "Baden-Württemberg", 47.9990, 7.8421),
)

_PROFILE: tuple[_Profil, ...] = (
    _Profil(1.10, date(2025, 1, 6), (0.65, 0.20, 0.15), (0.50, 0.45, 0.05), 1.15, 0.00, 0.0, 42),
    _Profil(0.95, date(2025, 1, 20), (0.50, 0.30, 0.20), (0.42, 0.53, 0.05), 1.00, 0.02, 0.10, 56),
    _Profil(0.90, date(2025, 2, 3), (0.45, 0.25, 0.30), (0.92, 0.03, 0.05), 0.95, 0.00, 0.0, 49),
    _Profil(1.00, date(2025, 2, 17), (0.55, 0.25, 0.20), (0.48, 0.47, 0.05), 1.05, -0.04, 0.0, 63),
    _Profil(0.85, date(2025, 3, 3), (0.60, 0.25, 0.15), (0.30, 0.65, 0.05), 0.10, 0.05, 0.0, 56),
    _Profil(0.20, date(2025, 3, 17), (0.50, 0.20, 0.30), (0.40, 0.55, 0.05), 0.90, 0.00, 0.0, 70),
)


def standort_id(nummer: int) -> str:
    """ID of the ``nummer``-th demo site (0-based).

    The first 40 sites are the cities in ``_ORTE``; after that the cities are reused with a
    number suffix, and the ID is shortened so it stays within the 12 characters the data
    contract allows (``D_BERLIN_2``, ``D_SAARBRUE_2``).
    """
    ort = _ORTE[nummer % len(_ORTE)]
    runde = nummer // len(_ORTE)
    basis = f"D_{ort.kennung}"
    if runde == 0:
        return basis[:_STANDORT_ID_MAX]
    suffix = f"_{runde + 1}"
    return basis[: _STANDORT_ID_MAX - len(suffix)] + suffix


@dataclass(frozen=True, slots=True)
class _Standorte:
    """Site table plus the hidden parameters the generator uses per site (arrays of length k)."""

    tabelle: pd.DataFrame
    start_tag: np.ndarray  # days since PROJEKT_START
    gewicht: np.ndarray
    format_anteile: np.ndarray  # (k, 3)
    mh_anteile: np.ndarray  # (k, 3)
    wirkung: np.ndarray
    abbruch: np.ndarray
    abbruch_mit_mh: np.ndarray
    kohorte_tage: np.ndarray


def _erzeuge_standorte(rng: np.random.Generator, anzahl: int) -> _Standorte:
    """The six designed core sites first, then further sites with random but plausible traits."""
    kern = min(anzahl, len(_PROFILE))
    weitere = anzahl - kern
    profile = _PROFILE[:kern]

    def plus(kernwerte: list[Any], zufall: np.ndarray) -> np.ndarray:
        return np.concatenate([np.asarray(kernwerte).reshape(kern, *zufall.shape[1:]), zufall])

    start_tag = plus(
        [(p.start - PROJEKT_START).days for p in profile], rng.integers(0, 101, weitere)
    )
    mh_ja = rng.uniform(0.30, 0.60, weitere)
    mh_weitere = np.column_stack([mh_ja, 0.95 - mh_ja, np.full(weitere, 0.05)])
    kohorte_tage = plus([p.kohorte_tage for p in profile], rng.integers(42, 71, weitere))

    orte = [_ORTE[i % len(_ORTE)] for i in range(anzahl)]
    runden = np.arange(anzahl) // len(_ORTE)
    # Reused cities get another neighbourhood: shift the point by up to ~3 km.
    verschiebung = np.where(runden[:, None] > 0, rng.uniform(-0.03, 0.03, (anzahl, 2)), 0.0)
    namen = [
        f"Zusammenhalt digital {o.ort}" + (f" {r + 1}" if r else "")
        for o, r in zip(orte, runden, strict=True)
    ]
    tabelle = pd.DataFrame(
        {
            "standort": [standort_id(i) for i in range(anzahl)],
            "name": namen,
            "ort": [o.ort for o in orte],
            "bundesland": [o.bundesland for o in orte],
            "lat": np.round([o.lat for o in orte] + verschiebung[:, 0], 4),
            "lon": np.round([o.lon for o in orte] + verschiebung[:, 1], 4),
            "start": _als_datum(start_tag),
        }
    )
    return _Standorte(
        tabelle=tabelle,
        start_tag=start_tag,
        gewicht=plus([p.gewicht for p in profile], rng.gamma(6.0, 1 / 6.0, weitere)),
        format_anteile=plus(
            [p.format_anteile for p in profile], rng.dirichlet((11.0, 5.0, 4.0), weitere)
        ),
        mh_anteile=plus([p.mh_anteile for p in profile], mh_weitere),
        wirkung=plus([p.wirkung for p in profile], rng.uniform(0.5, 1.4, weitere)),
        abbruch=plus([p.abbruch for p in profile], rng.uniform(-0.05, 0.05, weitere)),
        abbruch_mit_mh=plus([p.abbruch_mit_mh for p in profile], np.zeros(weitere)),
        kohorte_tage=kohorte_tage,
    )


# --------------------------------------------------------------------------------------------
# Befragungen: latent model
# --------------------------------------------------------------------------------------------
#: Contact-related effects are a bit stronger where people actually meet.
_KONTAKT = (0.80, 1.15, 1.35)
#: T0 has no effect, T1 the full one, T2 keeps about 60 % of it (partial fade).
_WELLENFAKTOR = np.array([0.0, 1.0, 0.6])


@dataclass(frozen=True, slots=True)
class _Item:
    """One Likert or thermometer item of a construct."""

    name: str
    versatz: float = 0.0  # item difficulty relative to the construct mean
    wirkung: float = 0.0  # T0→T1 change at an average site, format and person (item points)
    formatfaktor: tuple[float, float, float] = (1.0, 1.0, 1.0)  # digital, hybrid, praesenz


@dataclass(frozen=True, slots=True)
class _Konstrukt:
    """Items that share one latent person level (a scale, or a single item)."""

    mittel: float
    streuung: float  # between-person standard deviation in item points
    items: tuple[_Item, ...]
    rauschen: float = 0.75  # per answer
    zustand: float = 0.30  # per questionnaire and construct (mood of the day)


def _gleich(
    namen: tuple[str, ...],
    wirkung: float,
    formatfaktor: tuple[float, float, float] = (1.0, 1.0, 1.0),
    versatz: tuple[float, ...] = (),
) -> tuple[_Item, ...]:
    """Items of a construct that all change alike."""
    versatz = versatz or (0.0,) * len(namen)
    return tuple(_Item(n, v, wirkung, formatfaktor) for n, v in zip(namen, versatz, strict=True))


_LIKERT: tuple[_Konstrukt, ...] = (
    _Konstrukt(2.7, 0.9, _gleich(("a_kontakt_haeufigkeit",), 0.40, _KONTAKT)),
    _Konstrukt(
        3.5,
        0.7,
        _gleich(
            ("a_kontakt_qualitaet_1", "a_kontakt_qualitaet_2", "a_kontakt_qualitaet_3"),
            0.28,
            _KONTAKT,
            (0.2, -0.25, 0.0),
        ),
    ),
    # Trust items are generated on the "trust" direction; the codebook's reverse-coded item 2
    # is flipped afterwards, so high trust gives a low answer to item 2.
    _Konstrukt(
        3.1,
        0.7,
        _gleich(
            ("a_vertrauen_1", "a_vertrauen_2", "a_vertrauen_3"), 0.12, versatz=(0.1, 0.0, -0.1)
        ),
    ),
    _Konstrukt(3.55, 0.6, _gleich(("a_werte_1", "a_werte_2"), 0.45, versatz=(0.1, -0.1))),
    _Konstrukt(
        3.7,
        0.6,
        _gleich(("b_selbstwirksamkeit_1", "b_selbstwirksamkeit_2", "b_selbstwirksamkeit_3"), 0.18),
    ),
    _Konstrukt(
        3.2,
        0.75,
        (
            _Item("b_kompetenz_1", 0.2, 0.35, (1.5, 1.0, 0.5)),  # digital: strong in digital
            _Item("b_kompetenz_2", -0.3, 0.30, (0.7, 1.1, 1.3)),  # moderation: in person
            _Item("b_kompetenz_3", 0.3, 0.22),
            _Item("b_kompetenz_4", -0.1, 0.22),
        ),
    ),
    _Konstrukt(3.35, 0.7, _gleich(("b_anerkennung",), 0.28)),
    _Konstrukt(
        3.1, 0.8, _gleich(("c_wirksamkeit_1", "c_wirksamkeit_2"), 0.25, versatz=(0.1, -0.1))
    ),
    _Konstrukt(2.6, 0.7, _gleich(("c_wirksamkeit_3", "c_wirksamkeit_4"), 0.04)),
    _Konstrukt(
        3.5,
        0.7,
        _gleich(("c_verantwortung", "c_engagement_absicht"), 0.25, versatz=(0.1, -0.1)),
    ),
    _Konstrukt(3.9, 0.6, _gleich(("zufriedenheit",), 0.30, (0.9, 1.05, 1.15))),
)


@dataclass(frozen=True, slots=True)
class _JaNein:
    """A yes/no item: base share, effect on the logit, offset for people with MH."""

    name: str
    anteil: float
    wirkung: float
    mh_versatz: float = 0.0


#: Knowing participation opportunities (one shared latent "Kenntnis" level per person).
_KENNTNIS: tuple[_JaNein, ...] = (
    _JaNein("c_kennt_1", 0.72, 0.7),
    _JaNein("c_kennt_2", 0.30, 0.7, mh_versatz=1.0),  # Migrant*innenorganisation
    _JaNein("c_kennt_3", 0.28, 0.7),
    _JaNein("c_kennt_4", 0.42, 0.7),
    _JaNein("c_kennt_5", 0.15, 0.7),
    _JaNein("c_kennt_6", 0.38, 0.7),
    _JaNein("c_kennt_7", 0.30, 0.7, mh_versatz=-0.3),
    _JaNein("c_kennt_8", 0.22, 0.7),
)
#: Taking part and volunteering (one shared latent "Engagement" level per person).
_BETEILIGUNG: tuple[_JaNein, ...] = (
    _JaNein("c_aktiv", 0.38, 0.45),
    _JaNein("c_engagiert", 0.28, 0.45),
)


@dataclass(frozen=True, slots=True)
class _Personen:
    """Per-person traits (arrays of length n)."""

    code: np.ndarray
    standort: np.ndarray  # site index
    format: np.ndarray  # index into FORMATE
    mh: np.ndarray  # index into ("ja", "nein", "keine_angabe")
    geschlecht: np.ndarray
    altersgruppe: np.ndarray
    allgemein: np.ndarray  # general latent factor, correlates all constructs
    wirkung: np.ndarray  # personal responsiveness × site effect


@dataclass(frozen=True, slots=True)
class _Zeilen:
    """One entry per questionnaire: which person, which wave, which day."""

    person: np.ndarray
    welle: np.ndarray  # 0, 1, 2
    tag: np.ndarray  # days since PROJEKT_START


_GESCHLECHT = ("weiblich", "maennlich", "divers", "keine_angabe")
_GESCHLECHT_P = (0.52, 0.43, 0.02, 0.03)
_ALTER = ("unter_18", "18_26", "27_49", "50_plus", "keine_angabe")
_ALTER_P = (0.12, 0.28, 0.38, 0.19, 0.03)
_MH = ("ja", "nein", "keine_angabe")
_MH_JA, _MH_NEIN = _MH.index("ja"), _MH.index("nein")
_DIGITAL = FORMATE.index("digital")
#: Drop-out T0→T1 by format (digital loses most), before site adjustments.
_ABBRUCH_T1 = np.array([0.37, 0.30, 0.25])
_ABBRUCH_T2 = 0.40
_OHNE_T0 = 0.03  # late entrants who missed the entry questionnaire
_FEHLEND_ITEM = 0.03
_FEHLEND_SKALA = 0.015


def _ziehe(rng: np.random.Generator, anteile: np.ndarray) -> np.ndarray:
    """One category per row from row-wise probabilities (vectorised inverse CDF)."""
    kumuliert = np.cumsum(anteile, axis=1)
    kumuliert /= kumuliert[:, -1:]
    u = rng.random(anteile.shape[0])[:, None]
    return (u > kumuliert).sum(axis=1)


def _codes(rng: np.random.Generator, anzahl: int) -> np.ndarray:
    """Unique pseudonymous codes ``demo_`` + 10 alphanumerics (redraws the rare collision)."""
    zeichen = np.frombuffer(_CODE_ZEICHEN.encode("ascii"), dtype=np.uint8)

    def ziehen(n: int) -> np.ndarray:
        roh = zeichen[rng.integers(0, len(zeichen), (n, _CODE_LAENGE))]
        return np.char.add("demo_", roh.view(f"S{_CODE_LAENGE}").ravel().astype(str))

    codes = ziehen(anzahl)
    while True:
        _, erste = np.unique(codes, return_index=True)
        if len(erste) == anzahl:
            return codes
        doppelt = np.setdiff1d(np.arange(anzahl), erste)
        codes[doppelt] = ziehen(len(doppelt))


def _erzeuge_personen(
    rng: np.random.Generator, st: _Standorte, anzahl: int
) -> tuple[_Personen, np.ndarray]:
    """Participants spread unevenly over the sites; returns them and their entry day."""
    k = len(st.gewicht)
    je_standort = rng.multinomial(anzahl, st.gewicht / st.gewicht.sum())
    standort = np.repeat(np.arange(k), je_standort)

    # Entry by cohorts: a course starts every ``kohorte_tage`` days; people join in its first
    # ten days. New people stop joining two months before the end so T1 is still possible.
    start = st.start_tag[standort]
    letzter = _ENDE_TAG - 60
    roh = start + rng.random(anzahl) * (letzter - start)
    laenge = st.kohorte_tage[standort]
    eintritt = start + (roh - start).astype(np.int64) // laenge * laenge
    eintritt = np.minimum(eintritt + rng.integers(0, 10, anzahl), letzter)

    personen = _Personen(
        code=_codes(rng, anzahl),
        standort=standort,
        format=_ziehe(rng, st.format_anteile[standort]),
        mh=_ziehe(rng, st.mh_anteile[standort]),
        geschlecht=rng.choice(len(_GESCHLECHT), anzahl, p=_GESCHLECHT_P),
        altersgruppe=rng.choice(len(_ALTER), anzahl, p=_ALTER_P),
        allgemein=rng.standard_normal(anzahl),
        wirkung=np.clip(rng.normal(1.0, 0.5, anzahl), 0.0, None) * st.wirkung[standort],
    )
    return personen, eintritt


def _erzeuge_wellen(
    rng: np.random.Generator, st: _Standorte, pers: _Personen, eintritt: np.ndarray
) -> _Zeilen:
    """Which questionnaires exist: T0 at entry, T1 6–12 weeks later, T2 3–6 months after T1.

    A wave only exists if its date falls inside the project period and the person did not drop
    out. Drop-out is higher for digital formats, differs by site and, at one site, is higher
    for people with migration background. A few people miss T0 (late entrants).
    """
    n = len(eintritt)
    t1 = eintritt + rng.integers(42, 85, n)
    t2 = t1 + rng.integers(91, 183, n)
    p_abbruch = (
        _ABBRUCH_T1[pers.format]
        + st.abbruch[pers.standort]
        + st.abbruch_mit_mh[pers.standort] * (pers.mh == _MH_JA)
    )
    p_abbruch = np.clip(p_abbruch, 0.05, 0.8)
    ohne_t0 = (rng.random(n) < _OHNE_T0) & (t1 <= _ENDE_TAG)
    hat_t1 = ohne_t0 | ((rng.random(n) >= p_abbruch) & (t1 <= _ENDE_TAG))
    hat_t2 = hat_t1 & (rng.random(n) >= _ABBRUCH_T2) & (t2 <= _ENDE_TAG)
    wellen = [np.flatnonzero(~ohne_t0), np.flatnonzero(hat_t1), np.flatnonzero(hat_t2)]
    tage = [eintritt, t1, t2]
    return _Zeilen(
        person=np.concatenate(wellen),
        welle=np.concatenate([np.full(len(w), i, dtype=np.int8) for i, w in enumerate(wellen)]),
        tag=np.concatenate([t[w] for t, w in zip(tage, wellen, strict=True)]),
    )


def _latent(rng: np.random.Generator, pers: _Personen) -> np.ndarray:
    """A person's level on one construct, correlated with the general factor."""
    return 0.5 * pers.allgemein + np.sqrt(0.75) * rng.standard_normal(len(pers.allgemein))


def _likert_werte(rng: np.random.Generator, pers: _Personen, z: _Zeilen) -> dict[str, np.ndarray]:
    """Likert items of all constructs: person level + wave effect + mood + answer noise."""
    p = z.person
    wellenfaktor = _WELLENFAKTOR[z.welle]
    wirkung = pers.wirkung[p] * wellenfaktor
    fmt = pers.format[p]
    werte: dict[str, np.ndarray] = {}
    for konstrukt in _LIKERT:
        niveau = konstrukt.mittel + konstrukt.streuung * _latent(rng, pers)[p]
        niveau = niveau + rng.normal(0.0, konstrukt.zustand, len(p))
        for item in konstrukt.items:
            effekt = item.wirkung * np.asarray(item.formatfaktor)[fmt] * wirkung
            roh = niveau + item.versatz + effekt + rng.normal(0.0, konstrukt.rauschen, len(p))
            werte[item.name] = np.clip(np.rint(roh), 1, 5).astype(np.int16)
    return werte


def _thermometer(rng: np.random.Generator, pers: _Personen, z: _Zeilen) -> np.ndarray:
    """Feeling thermometer 0–100; about half the answers are rounded to fives, as people do."""
    p = z.person
    effekt = 6.0 * np.asarray((0.85, 1.10, 1.20))[pers.format[p]] * pers.wirkung[p]
    roh = (
        60.0
        + 15.0 * _latent(rng, pers)[p]
        - 4.0 * (pers.mh[p] == _MH_NEIN)
        + effekt * _WELLENFAKTOR[z.welle]
        + rng.normal(0.0, 5.0, len(p))  # mood of the day
        + rng.normal(0.0, 8.0, len(p))  # answer noise
    )
    gerundet = np.where(rng.random(len(p)) < 0.5, np.rint(roh / 5.0) * 5.0, np.rint(roh))
    return np.clip(gerundet, 0, 100).astype(np.int16)


def _ja_nein_werte(
    rng: np.random.Generator, pers: _Personen, z: _Zeilen, gruppe: tuple[_JaNein, ...]
) -> dict[str, np.ndarray]:
    """Yes/no items: stable person propensity per item, so answers rarely flip without cause."""
    p = z.person
    niveau = 0.9 * _latent(rng, pers)
    wirkung = pers.wirkung[p] * _WELLENFAKTOR[z.welle]
    mit_mh = pers.mh[p] == _MH_JA
    werte: dict[str, np.ndarray] = {}
    for item in gruppe:
        stabil = 1.2 * rng.standard_normal(len(pers.allgemein))
        logit = (
            np.log(item.anteil / (1.0 - item.anteil))
            + (niveau + stabil)[p]
            + item.mh_versatz * mit_mh
            + item.wirkung * wirkung
        )
        werte[item.name] = rng.random(len(p)) < 1.0 / (1.0 + np.exp(-logit))
    return werte


def _neue_kontakte(rng: np.random.Generator, pers: _Personen, z: _Zeilen) -> np.ndarray:
    """Count of new contacts: many people none, the others a few, rarely many."""
    p = z.person
    staerke = np.asarray(_KONTAKT)[pers.format[p]] * pers.wirkung[p]
    hat_kontakt = rng.random(len(p)) < np.clip(0.22 + 0.30 * staerke, 0.05, 0.9)
    anzahl = 1 + rng.poisson(rng.gamma(2.0, 0.9 * np.maximum(staerke, 0.2)))
    return np.where(hat_kontakt, np.minimum(anzahl, 99), 0).astype(np.int16)


def _oeffentlich(rng: np.random.Generator, pers: _Personen, z: _Zeilen) -> np.ndarray:
    """Presented in public: likelier in person, and a bit more by T2 (more time to do it)."""
    p = z.person
    faktor = np.asarray((0.8, 1.1, 1.3))[pers.format[p]]
    anteil = 0.12 + 0.22 * faktor * pers.wirkung[p] + 0.05 * (z.welle == 2)
    return rng.random(len(p)) < np.clip(anteil, 0.02, 0.9)


def _als_datum(tage: np.ndarray) -> np.ndarray:
    return np.datetime64(PROJEKT_START, "D") + np.asarray(tage).astype("timedelta64[D]")


def _ganzzahl(werte: np.ndarray, fehlt: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(werte.astype(np.int16), fehlt)


def _kategorie(codes: np.ndarray, kategorien: tuple[str, ...] | list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(kategorien))


def _erzeuge_befragungen(rng: np.random.Generator, st: _Standorte, anzahl: int) -> pd.DataFrame:
    """All questionnaires as one DataFrame with the columns of ``befragungen``."""
    pers, eintritt = _erzeuge_personen(rng, st, anzahl)
    z = _erzeuge_wellen(rng, st, pers, eintritt)
    p = z.person
    zeilen = len(p)

    werte: dict[str, np.ndarray] = {
        **_likert_werte(rng, pers, z),
        "a_thermometer": _thermometer(rng, pers, z),
        "a_neue_kontakte": _neue_kontakte(rng, pers, z),
        "b_oeffentlich": _oeffentlich(rng, pers, z),
        **_ja_nein_werte(rng, pers, z, _KENNTNIS),
        **_ja_nein_werte(rng, pers, z, _BETEILIGUNG),
    }

    codebuch = felder(Art.BEFRAGUNG)
    items = [f for f in codebuch if f.ziel]
    fehlt = {f.name: rng.random(zeilen) < _FEHLEND_ITEM for f in items}
    for skala in skalen().values():  # now and then a whole block is skipped
        ganz = rng.random(zeilen) < _FEHLEND_SKALA
        for f in skala:
            fehlt[f.name] |= ganz
    welle_name = np.asarray(WELLEN)[z.welle]

    spalten: dict[str, Any] = {
        "code": pers.code[p],
        "standort": _kategorie(pers.standort[p], st.tabelle["standort"].tolist()),
        "welle": _kategorie(z.welle, WELLEN),
        "datum": _als_datum(z.tag),
        "format": _kategorie(pers.format[p], FORMATE),
        "migrationshintergrund": _kategorie(pers.mh[p], _MH),
        "vergleichsgruppe": pd.arrays.BooleanArray(np.zeros(zeilen, bool), np.ones(zeilen, bool)),
        "geschlecht": _kategorie(pers.geschlecht[p], _GESCHLECHT),
        "altersgruppe": _kategorie(pers.altersgruppe[p], _ALTER),
    }
    for f in items:
        wert = werte[f.name]
        if f.umgepolt:
            wert = (f.minimum or 0) + (f.maximum or 0) - wert
        maske = fehlt[f.name] | ~np.isin(welle_name, f.wellen)
        if f.typ is Typ.JA_NEIN:
            spalten[f.name] = pd.arrays.BooleanArray(wert.astype(bool), maske)
        else:
            spalten[f.name] = _ganzzahl(wert, maske)
    reihenfolge = [f.name for f in codebuch if f.name in spalten]
    return pd.DataFrame(spalten)[reihenfolge]


#: Sites (the first ones) that also survey a comparison group, and its size per participant.
_VG_STANDORTE = 2
_VG_ANTEIL = 1 / 25


def _erzeuge_vergleichsgruppe(seed: int, st: _Standorte, teilnehmende: int) -> pd.DataFrame:
    """A small comparison group at the first sites (issue 15): people surveyed like the
    participants (same model, same drop-out) but without the project's effect, so the goal pages
    show "Wirkung im Vergleich zur Vergleichsgruppe". It has its own random stream: the
    participants' numbers are the same with or without it."""
    rng = np.random.default_rng([seed, 15])
    orte = min(_VG_STANDORTE, len(st.gewicht))
    gewicht = np.where(np.arange(len(st.gewicht)) < orte, st.gewicht, 0.0)
    ohne_projekt = replace(st, gewicht=gewicht, wirkung=np.zeros_like(st.wirkung))
    vergleich = _erzeuge_befragungen(rng, ohne_projekt, round(teilnehmende * _VG_ANTEIL))
    vergleich["code"] = vergleich["code"].astype(str).str.replace("demo_", "demo_vg_", n=1)
    vergleich["vergleichsgruppe"] = pd.arrays.BooleanArray(
        np.ones(len(vergleich), bool), np.zeros(len(vergleich), bool)
    )
    return vergleich


# --------------------------------------------------------------------------------------------
# Aktivitäten
# --------------------------------------------------------------------------------------------
#: German titles per type and format ("|"-separated), so a "Stadtteilspaziergang" is never
#: digital. Order of the formats as in ``FORMATE``: digital, hybrid, praesenz.
_TITEL: dict[str, tuple[str, str, str]] = {
    "begegnung": (
        "Digitales Erzählcafé|Online-Spieleabend|Virtueller Kochabend|Online-Sprachtandem",
        "Erzählcafé mit Online-Zuschaltung|Hybrider Begegnungsabend|Sprachtandem hybrid",
        "Stadtteilspaziergang|Interkulturelles Kochen|Nachbarschaftsfrühstück|"
        "Gemeinsames Gärtnern im Kiez",
    ),
    "workshop": (
        "Online-Workshop Moderation|Workshop Videoschnitt mit dem Smartphone|"
        "Online-Workshop Projektplanung",
        "Workshop Präsentieren|Workshop Social Media für Vereine",
        "Workshop Moderation|Workshop Projektplanung|Fotoworkshop: Unser Viertel",
    ),
    "dialog": (
        "Online-Dialog: Werte im Alltag|Online-Dialog: Vielfalt in der Nachbarschaft|"
        "Digitale Gesprächsrunde: Was hält uns zusammen?",
        "Dialogabend: Demokratie vor Ort|Gesprächsrunde Zusammenleben (hybrid)",
        "Dialogrunde: Was hält uns zusammen?|Gesprächsabend Religion und Alltag",
    ),
    "schulung": (
        "Schulung Online-Moderation|Schulung Datenschutz im Verein|Einführung in Videokonferenzen",
        "Fortbildung Antirassismus|Schulung Fördermittel für Initiativen",
        "Erste-Hilfe-Kurs für Engagierte|Schulung Vereinsarbeit",
    ),
    "oeffentlichkeit": (
        "Podcast-Veröffentlichung|Livestream: Ergebnisse der Projektgruppe|"
        "Online-Ausstellung: Geschichten aus dem Viertel",
        "Podiumsdiskussion mit Livestream|Projektpräsentation im Rathaus",
        "Präsentation beim Stadtfest|Ausstellung in der Stadtbibliothek|"
        "Infostand beim Nachbarschaftsfest",
    ),
    "sonstiges": (
        "Online-Planungstreffen|Digitales Feedbacktreffen",
        "Planungstreffen der Projektgruppe",
        "Ausflug ins Museum|Sommerfest des Projekts",
    ),
}

#: Per type: share of activities, mean fill of 5–40 places, share with a role, duration range.
_TYP_ANTEIL = np.array([0.30, 0.20, 0.18, 0.12, 0.08, 0.12])
_TYP_FUELLUNG = np.array([0.35, 0.25, 0.30, 0.25, 0.55, 0.20])
_TYP_ROLLE = np.array([0.08, 0.20, 0.12, 0.05, 0.25, 0.15])
_TYP_DAUER = np.array([[90, 180], [120, 240], [60, 120], [90, 240], [60, 300], [60, 120]])
_OEFFENTLICHKEIT = AKTIVITAET_TYPEN.index("oeffentlichkeit")


def _erwartete_teilnehmende(st: _Standorte, teilnehmende: int) -> np.ndarray:
    """Expected participants per site (before the random spread)."""
    return teilnehmende * st.gewicht / st.gewicht.sum()


def _zusatz_aktivitaeten(st: _Standorte, teilnehmende: int) -> np.ndarray:
    """Big sites run more sessions: about 0.65 per expected participant above 400.

    At the default size no site exceeds 400, so every site stays in 60–120; at the benchmark
    size (100 sites, 100 000 participants) this gives roughly one activity per two
    participants, about 50 000.
    """
    erwartet = _erwartete_teilnehmende(st, teilnehmende)
    return np.rint(np.maximum(erwartet - 400.0, 0.0) * 0.65).astype(np.int64)


def _erzeuge_aktivitaeten(
    rng: np.random.Generator, st: _Standorte, teilnehmende: int
) -> pd.DataFrame:
    """Sessions and events of all sites as one DataFrame with the columns of ``aktivitaeten``."""
    je_standort = rng.integers(60, 121, len(st.gewicht)) + _zusatz_aktivitaeten(st, teilnehmende)
    n = int(je_standort.sum())
    standort = np.repeat(np.arange(len(je_standort)), je_standort)
    start = st.start_tag[standort]
    tag = start + (rng.random(n) * (_ENDE_TAG - start + 1)).astype(np.int64)
    ordnung = np.lexsort((tag, standort))  # IDs count up with the date within a site
    tag = tag[ordnung]
    erste = np.repeat(np.cumsum(je_standort) - je_standort, je_standort)
    nummer = np.arange(n) - erste + 1
    zeitanteil = (tag - start) / np.maximum(_ENDE_TAG - start, 1)

    typ = rng.choice(len(AKTIVITAET_TYPEN), n, p=_TYP_ANTEIL / _TYP_ANTEIL.sum())
    fmt = _ziehe(rng, st.format_anteile[standort])

    # Titles: one flat list, indexed by (type, format) block and a random position inside it.
    bloecke = [_TITEL[t][f].split("|") for t in AKTIVITAET_TYPEN for f in range(len(FORMATE))]
    flach = np.array([titel for block in bloecke for titel in block])
    groesse = np.array([len(b) for b in bloecke])
    anfang = np.cumsum(groesse) - groesse
    block = typ * len(FORMATE) + fmt
    titel = flach[anfang[block] + (rng.random(n) * groesse[block]).astype(np.int64)]

    gesamt = 5 + rng.binomial(35, _TYP_FUELLUNG[typ])
    # Mixed groups vary a lot between sessions, so the encounter rate (A2) is far from 100 %.
    mh = st.mh_anteile[standort]
    mh_mittel = mh[:, _MH_JA] / (mh[:, _MH_JA] + mh[:, _MH_NEIN])
    mh_anteil = rng.beta(2.5 * mh_mittel, 2.5 * (1.0 - mh_mittel))
    mit_mh = rng.binomial(gesamt, 0.97 * mh_anteil)
    ohne_mh = rng.binomial(gesamt - mit_mh, 0.95)
    aufteilung_fehlt = rng.random(n) < 0.04
    neu = rng.binomial(gesamt, np.clip(0.65 - 0.5 * zeitanteil, 0.1, 0.7))
    rolle = rng.binomial(gesamt, _TYP_ROLLE[typ] * (0.6 + 0.8 * zeitanteil))
    oeffentlich = (typ == _OEFFENTLICHKEIT) | (rng.random(n) < 0.05)
    reichweite = np.clip(np.rint(rng.lognormal(np.log(180.0), 0.9, n)), 50, 2000)
    dauer = rng.uniform(_TYP_DAUER[typ, 0], _TYP_DAUER[typ, 1])
    dauer = np.rint(dauer * np.where(fmt == _DIGITAL, 0.75, 1.0) / 15.0) * 15.0

    # One data-entry error for the data-quality page: 400 instead of 40 participants.
    ausreisser = _standort_index(st, STANDORT_MIT_AUSREISSER)
    erste_zeile = int(np.cumsum(je_standort)[ausreisser] - je_standort[ausreisser])
    gesamt[erste_zeile + int(rng.integers(0, je_standort[ausreisser]))] = AUSREISSER_TEILNEHMENDE

    ids = st.tabelle["standort"].tolist()
    return pd.DataFrame(
        {
            "aktivitaet_id": np.char.add("AKT-", np.char.zfill(nummer.astype(str), 4)),
            "standort": _kategorie(standort, ids),
            "datum": _als_datum(tag),
            "titel": titel,
            "typ": _kategorie(typ, AKTIVITAET_TYPEN),
            "format": _kategorie(fmt, FORMATE),
            "dauer_min": _ganzzahl(dauer, rng.random(n) < 0.03),
            "teilnehmende_gesamt": gesamt.astype(np.int32),
            "teilnehmende_mit_mh": _ganzzahl(mit_mh, aufteilung_fehlt),
            "teilnehmende_ohne_mh": _ganzzahl(ohne_mh, aufteilung_fehlt),
            "neue_teilnehmende": neu.astype(np.int32),
            "teilnehmende_mit_rolle": rolle.astype(np.int32),
            "oeffentlich": oeffentlich,
            "reichweite": _ganzzahl(reichweite, ~oeffentlich),
        }
    )


def _standort_index(st: _Standorte, standort: str) -> int:
    """Index of a designed core site, or the last site when fewer were generated."""
    ids = st.tabelle["standort"].tolist()
    return ids.index(standort) if standort in ids else len(ids) - 1


# --------------------------------------------------------------------------------------------
# Zielwerte
# --------------------------------------------------------------------------------------------
#: Project-wide demo targets per indicator: (basiswert, zielwert, stichtag). Counts (A1, B3,
#: B6) are given for the default size and scaled with the generated data. Units follow the
#: shared indicator conventions (shares in %, pre/post changes in scale points, C2/C3 in
#: percentage points, C6 per 100 participations).
ZIELE_GESAMT: dict[str, tuple[float | None, float, date]] = {
    "A1": (0.0, 1600.0, STICHTAG_FRUEH),
    "A2": (40.0, 60.0, STICHTAG),
    "A3": (70.0, 80.0, STICHTAG),
    "A4": (None, 50.0, STICHTAG),
    "A5": (0.0, 0.4, STICHTAG),
    "A6": (0.0, 0.3, STICHTAG),
    "A7": (0.0, 6.0, STICHTAG),
    "A8": (0.0, 0.2, STICHTAG),
    "A9": (None, 60.0, STICHTAG),
    "B1": (0.0, 0.25, STICHTAG),
    "B2": (0.0, 0.4, STICHTAG),
    "B3": (0.0, 60.0, STICHTAG_FRUEH),
    "B4": (None, 35.0, STICHTAG),
    "B5": (50.0, 60.0, STICHTAG),
    "B6": (0.0, 20000.0, STICHTAG_FRUEH),
    "C1": (0.0, 1.0, STICHTAG),
    "C2": (0.0, 10.0, STICHTAG),
    "C3": (0.0, 8.0, STICHTAG),
    "C4": (0.0, 0.3, STICHTAG),
    "C5": (0.0, 0.3, STICHTAG),
    "C6": (8.0, 15.0, STICHTAG),
}
#: Indicators that also get a target per site (A1 is replaced by the site's expected size).
ZIELE_STANDORT: tuple[str, ...] = ("A1", "A3", "A5", "B2", "C1", "C6")
_STANDARD_TEILNEHMENDE = 1500
_STANDARD_AKTIVITAETEN = 6 * 90


def _erzeuge_zielwerte(st: _Standorte, teilnehmende: int) -> pd.DataFrame:
    """Project-wide targets for every indicator and per-site targets for a few.

    Count targets scale with the expected (not the drawn) size, so the default project gets
    exactly the documented values.
    """
    erwartet = _erwartete_teilnehmende(st, teilnehmende)
    faktor_personen = teilnehmende / _STANDARD_TEILNEHMENDE
    faktor_aktivitaeten = (
        90 * len(erwartet) + _zusatz_aktivitaeten(st, teilnehmende).sum()
    ) / _STANDARD_AKTIVITAETEN
    skaliert = {"A1": faktor_personen, "B3": faktor_aktivitaeten, "B6": faktor_aktivitaeten}
    zeilen: list[tuple[str, str, float | None, float, date]] = []
    for indikator in INDIKATOR_IDS:
        if indikator not in ZIELE_GESAMT:  # a new indicator without demo target: none, no crash
            continue
        basis, ziel, stichtag = ZIELE_GESAMT[indikator]
        if indikator in skaliert:
            ziel = float(max(10, round(ziel * skaliert[indikator], -1)))
        zeilen.append((indikator, "gesamt", basis, ziel, stichtag))
    for i, standort in enumerate(st.tabelle["standort"]):
        for indikator in ZIELE_STANDORT:
            basis, ziel, stichtag = ZIELE_GESAMT[indikator]
            if indikator == "A1":
                ziel = float(max(10, round(erwartet[i] * 1.07, -1)))
            zeilen.append((indikator, standort, basis, ziel, stichtag))
    tabelle = pd.DataFrame(
        zeilen, columns=["indikator", "standort", "basiswert", "zielwert", "stichtag"]
    )
    tabelle["basiswert"] = tabelle["basiswert"].astype("Float64")
    tabelle["stichtag"] = pd.to_datetime(tabelle["stichtag"])
    return tabelle


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------
class DemoFehler(EingabeFehler, ValueError):
    """Demo data cannot be loaded as asked (bad parameters, a real site uses a demo ID).

    An input rejection with a German message, so the CLI prints it without a traceback.
    """


@dataclass(frozen=True, slots=True)
class DemoDaten:
    """The generated tables, column names as in the database and the import files.

    Kept separate from writing so the benchmark can also export them as import files.
    """

    standorte: pd.DataFrame
    befragungen: pd.DataFrame
    aktivitaeten: pd.DataFrame
    zielwerte: pd.DataFrame
    parameter: str = ""


@dataclass(frozen=True, slots=True)
class DemoErgebnis:
    """What a demo load wrote (counts of rows and distinct participants)."""

    standorte: int
    teilnehmende: int
    befragungen: int
    aktivitaeten: int
    zielwerte: int
    seed: int = 42

    @property
    def zeilen(self) -> int:
        return self.standorte + self.befragungen + self.aktivitaeten + self.zielwerte

    def __str__(self) -> str:
        return (
            f"Demo-Daten geladen (Seed {self.seed}): "
            f"{_anzahl(self.standorte, 'Standort', 'Standorte')}, "
            f"{_anzahl(self.teilnehmende, 'Teilnehmende', 'Teilnehmende')}, "
            f"{_anzahl(self.befragungen, 'Fragebogen', 'Fragebögen')}, "
            f"{_anzahl(self.aktivitaeten, 'Aktivität', 'Aktivitäten')}, "
            f"{_anzahl(self.zielwerte, 'Zielwert', 'Zielwerte')}."
        )


def _anzahl(wert: int, einzahl: str, mehrzahl: str) -> str:
    """``1.500 Fragebögen`` / ``1 Fragebogen``: German thousands dot, as the users read numbers."""
    return f"{wert:,}".replace(",", ".") + " " + (einzahl if wert == 1 else mehrzahl)


def erzeuge_demo(*, seed: int = 42, standorte: int = 6, teilnehmende: int = 1500) -> DemoDaten:
    """Generate the demo tables in memory (deterministic for a seed; nothing is written)."""
    if not 1 <= standorte <= MAX_STANDORTE:
        raise DemoFehler(f"Anzahl der Standorte muss zwischen 1 und {MAX_STANDORTE} liegen.")
    if teilnehmende < 0:
        raise DemoFehler("Anzahl der Teilnehmenden darf nicht negativ sein.")
    rng = np.random.default_rng(seed)
    st = _erzeuge_standorte(rng, standorte)
    befragungen = _erzeuge_befragungen(rng, st, teilnehmende)
    aktivitaeten = _erzeuge_aktivitaeten(rng, st, teilnehmende)
    befragungen = pd.concat(
        [befragungen, _erzeuge_vergleichsgruppe(seed, st, teilnehmende)], ignore_index=True
    )
    return DemoDaten(
        standorte=st.tabelle,
        befragungen=befragungen,
        aktivitaeten=aktivitaeten,
        zielwerte=_erzeuge_zielwerte(st, teilnehmende),
        parameter=f"demo v1 seed={seed} standorte={standorte} teilnehmende={teilnehmende}",
    )


#: Tables that can hold demo rows: the four data tables, then the import log.
_DEMO_TABELLEN: tuple[str, ...] = (*TABELLE.values(), "importe")


def _ganzzahl_aus(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> int:
    """Run a statement that yields one number (a row count, a sequence value).

    ``fetchall`` rather than ``fetchone``: DuckDB refuses further work on a cursor whose
    result was not read to the end.
    """
    zeilen = cur.execute(sql, params).fetchall()
    return int(zeilen[0][0]) if zeilen else 0


def _entferne(cur: duckdb.DuckDBPyConnection) -> int:
    """Delete every demo row inside the caller's transaction; returns how many went."""
    return sum(_ganzzahl_aus(cur, f"DELETE FROM {t} WHERE demo") for t in _DEMO_TABELLEN)


def _einfuegen(
    cur: duckdb.DuckDBPyConnection,
    art: Art,
    daten: pd.DataFrame,
    import_id: int,
    *,
    vorhandene_auslassen: bool = False,
) -> int:
    """Bulk insert: register the DataFrame on the cursor, one INSERT … SELECT, unregister.

    With ``vorhandene_auslassen`` rows whose key already exists are skipped; real targets that
    an operator imported before loading the demo thus win over the demo's own targets.
    """
    tabelle = TABELLE[art]
    sicht = f"_demo_{tabelle}"
    spalten = ", ".join(daten.columns)
    bedingung = ""
    if vorhandene_auslassen:
        gleich = " AND ".join(f"t.{s} = n.{s}" for s in SCHLUESSEL[art])
        bedingung = f" WHERE NOT EXISTS (SELECT 1 FROM {tabelle} t WHERE {gleich})"
    cur.register(sicht, daten)
    try:
        return _ganzzahl_aus(
            cur,
            f"INSERT INTO {tabelle} ({spalten}, demo, import_id) "
            f"SELECT {spalten}, true, ? FROM {sicht} n{bedingung}",
            [import_id],
        )
    finally:
        cur.unregister(sicht)


def lade_demo(
    db: Datenbank,
    *,
    seed: int = 42,
    standorte: int = 6,
    teilnehmende: int = 1500,
    benutzer: str = SYSTEM,
) -> DemoErgebnis:
    """Replace the demo data by a freshly generated synthetic project.

    Old demo rows are removed and the new ones written in the same transaction, so a failure
    leaves the previous state and a repeated load never duplicates anything. Real rows are
    never touched: a real site that already uses a demo ID stops the load, and a real target
    for the same indicator and site is kept instead of the demo's.
    """
    daten = erzeuge_demo(seed=seed, standorte=standorte, teilnehmende=teilnehmende)
    ids = daten.standorte["standort"].tolist()
    with db.transaction() as cur:
        belegt = cur.execute(
            "SELECT standort FROM standorte WHERE NOT demo AND list_contains(?, standort) "
            "ORDER BY standort",
            [ids],
        ).fetchall()
        if belegt:
            namen = ", ".join(z[0] for z in belegt)
            raise DemoFehler(
                f"Demo-Daten nicht geladen: Standort-ID {namen} ist bereits mit echten Daten "
                "belegt."
            )
        _entferne(cur)
        import_id = _ganzzahl_aus(cur, "SELECT nextval('import_id_seq')")
        ergebnis = DemoErgebnis(
            standorte=_einfuegen(cur, Art.STANDORTE, daten.standorte, import_id),
            teilnehmende=int(
                daten.befragungen.loc[
                    ~daten.befragungen["vergleichsgruppe"].fillna(False), "code"
                ].nunique()
            ),
            befragungen=_einfuegen(cur, Art.BEFRAGUNG, daten.befragungen, import_id),
            aktivitaeten=_einfuegen(cur, Art.AKTIVITAETEN, daten.aktivitaeten, import_id),
            zielwerte=_einfuegen(
                cur, Art.ZIELWERTE, daten.zielwerte, import_id, vorhandene_auslassen=True
            ),
            seed=seed,
        )
        cur.execute(
            "INSERT INTO importe (import_id, dateiname, sha256, art, zeilen, neu, aktualisiert, "
            "zeitpunkt, ergebnis, demo) VALUES (?, ?, ?, 'demo', ?, ?, 0, ?, ?, true)",
            [
                import_id,
                f"Demo-Daten (seed {seed})",
                hashlib.sha256(daten.parameter.encode("utf-8")).hexdigest(),
                ergebnis.zeilen,
                ergebnis.zeilen,
                datetime.now(),
                str(ergebnis),
            ],
        )
        auswertungstabellen_aufbauen(cur)  # with the data, in the same transaction
        protokolliere(
            cur, benutzer, "demo_geladen", {"import_id": import_id, "parameter": daten.parameter}
        )
    return ergebnis


def entferne_demo(db: Datenbank, *, benutzer: str = SYSTEM) -> int:
    """Remove every demo row from all tables in one transaction; returns how many went.

    The removal is logged in ``importe`` (art ``demo_entfernt``, not a demo row): the import
    history shows it, and the database no longer counts as never used, so the next start of
    the dashboard does not load the demo data again. ``benutzer`` goes to the audit trail.
    """
    with db.transaction() as cur:
        anzahl = _entferne(cur)
        if anzahl:
            auswertungstabellen_aufbauen(cur)  # with the data, in the same transaction
            jetzt = datetime.now()
            cur.execute(
                "INSERT INTO importe (import_id, dateiname, sha256, art, zeilen, neu, "
                "aktualisiert, zeitpunkt, ergebnis, demo) "
                "VALUES (nextval('import_id_seq'), ?, ?, ?, ?, 0, 0, ?, ?, false)",
                [
                    "Demo-Daten entfernt",
                    hashlib.sha256(f"demo_entfernt {jetzt.isoformat()}".encode()).hexdigest(),
                    "demo_entfernt",
                    anzahl,
                    jetzt,
                    f"{anzahl} Demo-Zeilen entfernt",
                ],
            )
            protokolliere(cur, benutzer, "demo_entfernt", {"zeilen": anzahl}, jetzt=jetzt)
        return anzahl


def hat_daten(db: Datenbank) -> bool:
    """Whether any site or questionnaire exists: at first start, demo data fill an empty DB."""
    return bool(
        db.scalar("SELECT EXISTS (SELECT 1 FROM standorte) OR EXISTS (SELECT 1 FROM befragungen)")
    )

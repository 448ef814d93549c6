"""Leistungsmessung gegen die Budgets aus SPEC §7 (issue 8) – kein Teil des Testlaufs.

Run: ``python benchmarks/run.py [--gross] [--wiederholungen N] [--json PFAD]``.

What it does and why it is built this way:

* It generates the large data set of SPEC §7 (100 sites, about 250 000 questionnaires) with the
  same demo generator the dashboard uses, in a temporary folder, so every run measures the same
  data and nothing touches ``data/monitor.duckdb``. ``--gross`` adds a national set ten times
  larger to show how each step scales with the number of questionnaires.
* Every step is measured several times; the table shows the median (robust against the noise
  of a shared 2-core machine) and the minimum (the best the code can do). The load average is
  recorded next to the numbers, because on a busy machine the medians mean less.
* Memory is the process's peak resident set size during a step: Linux lets a process reset its
  high-water mark (``/proc/self/clear_refs``), which also counts DuckDB's native memory that
  ``tracemalloc`` would not see, and costs nothing while the step runs.
* The engine is compared with a hand-written DuckDB query (the floor) and with the pandas code
  an analyst would write, for three indicators; the three results are checked against the
  engine's numbers, so a fast but wrong engine cannot pass.
* A failing step is written into the table as an error and the run goes on; the exit code is 0
  unless ``--streng`` asks for 1 on any error or exceeded budget.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

WURZEL = Path(__file__).resolve().parent.parent
if str(WURZEL) not in sys.path:  # `python benchmarks/run.py` puts only benchmarks/ on the path
    sys.path.insert(0, str(WURZEL))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from indikatoren import engine  # noqa: E402
from indikatoren.engine import berechne  # noqa: E402
from indikatoren.filter import Filter  # noqa: E402
from indikatoren.katalog import REGISTER  # noqa: E402
from indikatoren.unterdrueckung import GESAMT  # noqa: E402
from monitor.benutzer import gastsitzung  # noqa: E402
from monitor.db import Datenbank, verbinden  # noqa: E402
from monitor.demo import MAX_STANDORTE, STICHTAG, lade_demo  # noqa: E402
from monitor.importieren import importiere  # noqa: E402
from monitor.schema import Art, felder  # noqa: E402
from ui.navigation import Seite  # noqa: E402

ERGEBNIS_ORDNER = WURZEL / "benchmarks" / "ergebnisse"
MIB = 1024 * 1024

#: SPEC §7 budgets (seconds, MiB or factors).
BUDGET_IMPORT_S = 5.0
BUDGET_ENGINE_S = 1.0
BUDGET_ENGINE_ZU_HAND = 2.0  # engine at most 2× the hand-written query
BUDGET_PANDAS_ZU_ENGINE = 5.0  # engine at least 5× faster than pandas
BUDGET_ERSTER_AUFRUF_S = 1.5
BUDGET_FILTERWECHSEL_S = 0.3
BUDGET_BERICHT_S = 5.0
BUDGET_SPEICHER_MIB = 1024.0

#: A step counts as scaling linearly when 10× data costs at most this much more than 10× time.
LINEAR_TOLERANZ = 1.25
#: The three indicators of the engine comparison: a count, a share and a paired change.
VERGLEICHS_INDIKATOREN = ("A1", "A3", "B1")
#: Not a quarter start: the engine aggregates the raw data (exact dates) instead of reading the
#: pre-aggregated tables; before every generated date, so nothing is filtered out.
ROH_AB = date(2000, 1, 2)
SEITEN_TIMEOUT_S = 300  # one script run of a page (the national set is slow)
TITEL_TIMEOUT_S = 120  # until a page shows its title in the browser


# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------
@dataclass
class Messung:
    """One row of the result table; ``schluessel`` is stable across runs for comparisons."""

    schluessel: str
    was: str
    datensatz: str
    einheit: str = "s"  # "s", "MiB" or "x" (a factor)
    werte: list[float] = field(default_factory=list)
    budget: float | None = None
    mindestens: bool = False  # the budget is a lower bound (a speed-up that must be reached)
    spitze_mib: float | None = None  # peak RSS of the process during the step
    zuwachs_mib: float | None = None  # peak RSS above the RSS at the start of the step
    last: float | None = None  # 1-minute load average when the step finished
    fehler: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    min_wert: float | None = None  # for factors: the ratio of the minimums, not min(werte)

    @property
    def median(self) -> float | None:
        return statistics.median(self.werte) if self.werte else None

    @property
    def minimum(self) -> float | None:
        if self.min_wert is not None:
            return self.min_wert
        return min(self.werte) if self.werte else None

    @property
    def auslastung(self) -> float | None:
        """Share of the budget used (> 1 means over budget), for either kind of bound."""
        if self.budget is None or self.median is None or self.median <= 0:
            return None
        return self.budget / self.median if self.mindestens else self.median / self.budget

    @property
    def status(self) -> str:
        if self.fehler:
            return "fehler"
        if self.auslastung is None:
            return "–"
        return "ok" if self.auslastung <= 1.0 else "über"

    def als_json(self) -> dict[str, Any]:
        daten = asdict(self)
        daten.update(
            median=self.median, minimum=self.minimum, auslastung=self.auslastung, status=self.status
        )
        return daten


class Protokoll:
    """Collects the measurements of a run; a failing step becomes an error row, never a crash."""

    def __init__(self) -> None:
        self.messungen: list[Messung] = []

    def neu(self, schluessel: str, was: str, datensatz: str, **art: Any) -> Messung:
        messung = Messung(schluessel, was, datensatz, **art)
        self.messungen.append(messung)
        return messung

    def finde(self, schluessel: str, datensatz: str) -> Messung | None:
        for messung in self.messungen:
            if messung.schluessel == schluessel and messung.datensatz == datensatz:
                return messung
        return None

    @contextlib.contextmanager
    def schritt(self, *messungen: Messung) -> Iterator[None]:
        """Run a step; an exception is recorded on its rows (without values) and swallowed."""
        try:
            yield
        except Exception as fehler:  # the benchmark must go on
            text = f"{type(fehler).__name__}: {fehler}".strip()
            for messung in messungen:
                messung.fehler = messung.fehler or text[:500]
            print(f"  FEHLER: {text[:500]}", file=sys.stderr)
            traceback.print_exc(limit=3, file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Memory (Linux /proc; falls back to getrusage where /proc is missing)
# ---------------------------------------------------------------------------------------------
def _status_kib(feld: str, pid: int | str = "self") -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as datei:
            for zeile in datei:
                if zeile.startswith(feld + ":"):
                    return float(zeile.split()[1])
    except OSError:
        return None
    return None


def _rss_mib() -> float:
    kib = _status_kib("VmRSS")
    if kib is not None:
        return kib / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _spitze_zuruecksetzen() -> float:
    """Reset the peak-RSS mark to the current RSS (Linux ≥ 4.0); returns the current RSS."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w", encoding="ascii") as f:
        f.write("5")
    return _rss_mib()


def _spitze_mib() -> float:
    kib = _status_kib("VmHWM")
    return kib / 1024 if kib is not None else _rss_mib()


def _prozessbaum_rss_mib(pid: int) -> float:
    """RSS of a process and all its descendants (a server may start helper processes)."""
    eltern: dict[int, int] = {}
    for eintrag in Path("/proc").iterdir():
        if not eintrag.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (eintrag / "stat").read_text("ascii", errors="replace")
            eltern[int(eintrag.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    baum, offen = {pid}, [pid]
    while offen:
        aktuell = offen.pop()
        for kind, vater in eltern.items():
            if vater == aktuell and kind not in baum:
                baum.add(kind)
                offen.append(kind)
    return sum((_status_kib("VmRSS", p) or 0.0) for p in baum) / 1024


def messen(
    messung: Messung,
    funktion: Callable[[], Any],
    wiederholungen: int,
    vorbereiten: Callable[[], None] | None = None,
) -> Any:
    """Time ``funktion`` ``wiederholungen`` times (``vorbereiten`` runs untimed before each).

    Returns the last result so the caller can check it.
    """
    ergebnis = None
    for _ in range(wiederholungen):
        if vorbereiten is not None:
            vorbereiten()
        gc.collect()
        start_rss = _spitze_zuruecksetzen()
        beginn = time.perf_counter()
        ergebnis = funktion()
        messung.werte.append(time.perf_counter() - beginn)
        spitze = _spitze_mib()
        messung.spitze_mib = max(messung.spitze_mib or 0.0, spitze)
        messung.zuwachs_mib = max(messung.zuwachs_mib or 0.0, spitze - start_rss)
    messung.last = os.getloadavg()[0]
    return ergebnis


# ---------------------------------------------------------------------------------------------
# Data sets
# ---------------------------------------------------------------------------------------------
@dataclass
class Datensatz:
    """A generated project in its own folder: the database and the files to import."""

    name: str
    ordner: Path
    standorte: int
    teilnehmende: int
    import_zeilen: int
    anzahl: dict[str, int] = field(default_factory=dict)
    erzeugung_s: float = 0.0

    @property
    def db_pfad(self) -> Path:
        return self.ordner / "monitor.duckdb"

    @property
    def standorte_csv(self) -> Path:
        return self.ordner / "standorte.csv"

    @property
    def befragung_csv(self) -> Path:
        return self.ordner / "befragung.csv"

    @property
    def import_vorlage(self) -> Path:
        return self.ordner / "nur_standorte.duckdb"


def als_deutsche_csv(tabelle: pd.DataFrame, pfad: Path) -> None:
    """Write a table as German Excel would: ``;``, decimal comma, DD.MM.YYYY, ja/nein, cp1252."""
    aus = pd.DataFrame(index=tabelle.index)
    for name, spalte in tabelle.items():
        if pd.api.types.is_bool_dtype(spalte):
            aus[name] = spalte.map({True: "ja", False: "nein"})
        elif pd.api.types.is_datetime64_any_dtype(spalte):
            aus[name] = spalte.dt.strftime("%d.%m.%Y")
        else:
            aus[name] = spalte
    aus.to_csv(pfad, sep=";", decimal=",", index=False, encoding="cp1252")


def datensatz_erzeugen(ds: Datensatz, seed: int) -> None:
    """Load the demo project into a fresh database and export the import files from it."""
    ds.ordner.mkdir(parents=True, exist_ok=True)
    beginn = time.perf_counter()
    with verbinden(ds.db_pfad) as db:
        ergebnis = lade_demo(db, seed=seed, standorte=ds.standorte, teilnehmende=ds.teilnehmende)
        standort_spalten = [f.name for f in felder(Art.STANDORTE)]
        befragung_spalten = [f.name for f in felder(Art.BEFRAGUNG)]
        # Column names come from the schema declaration, the sample size is bound.
        standorte = db.query(f"SELECT {', '.join(standort_spalten)} FROM standorte")
        stichprobe = db.query(
            f"SELECT {', '.join(befragung_spalten)} FROM befragungen "
            "ORDER BY hash(code, welle) LIMIT ?",
            [ds.import_zeilen],
        )
    ds.erzeugung_s = time.perf_counter() - beginn
    ds.anzahl = {
        "standorte": ergebnis.standorte,
        "teilnehmende": ergebnis.teilnehmende,
        "befragungen": ergebnis.befragungen,
        "aktivitaeten": ergebnis.aktivitaeten,
        "zielwerte": ergebnis.zielwerte,
    }
    als_deutsche_csv(standorte, ds.standorte_csv)
    als_deutsche_csv(stichprobe.sort_values(["standort", "datum"]), ds.befragung_csv)
    ds.anzahl["import_zeilen"] = len(stichprobe)
    with verbinden(ds.import_vorlage) as db:
        importiere(db, ds.standorte_csv)


# ---------------------------------------------------------------------------------------------
# Step 1: import
# ---------------------------------------------------------------------------------------------
def schritt_import(ds: Datensatz, protokoll: Protokoll, wiederholungen: int) -> None:
    zeilen = ds.anzahl.get("import_zeilen", ds.import_zeilen)
    messung = protokoll.neu(
        "import",
        f"Import Befragung ({_zahl(zeilen)} Zeilen CSV)",
        ds.name,
        budget=BUDGET_IMPORT_S if ds.name == "standard" else None,
    )
    ziel = ds.ordner / "import_ziel.duckdb"
    offen: list[Datenbank] = []

    def vorbereiten() -> None:
        for db in offen:
            db.close()
        offen.clear()
        ziel.unlink(missing_ok=True)
        shutil.copyfile(ds.import_vorlage, ziel)
        offen.append(verbinden(ziel))

    with protokoll.schritt(messung):
        try:
            ergebnis = messen(
                messung, lambda: importiere(offen[0], ds.befragung_csv), wiederholungen, vorbereiten
            )
        finally:
            for db in offen:
                db.close()
            ziel.unlink(missing_ok=True)
        if ergebnis.zeilen != zeilen:
            raise AssertionError(f"{ergebnis.zeilen} statt {zeilen} Zeilen importiert")
        messung.details.update(
            zeilen=zeilen, csv_mib=round(ds.befragung_csv.stat().st_size / MIB, 1)
        )


# ---------------------------------------------------------------------------------------------
# Step 2: engine against a hand-written query and plain pandas
# ---------------------------------------------------------------------------------------------
#: The floor: A1 (T0 count), A3 (share of T1 answers ≥ 4) and B1 (paired T0→T1 change of the
#: ASKU scale score, at least 2 of 3 items) per site × migration group, with totals (CUBE), in
#: one statement. The group of every questionnaire is the T0 answer of the same code (SPEC §3.1);
#: comparison-group people (issue 15) are outside every indicator, as in the engine.
HANDABFRAGE = """
WITH t0 AS (
    SELECT code, migrationshintergrund AS mh FROM befragungen WHERE welle = 'T0'
), bef AS (
    SELECT b.code, b.standort, b.welle, b.zufriedenheit,
           CASE coalesce(t0.mh, b.migrationshintergrund)
                WHEN 'ja' THEN 'mit_mh' WHEN 'nein' THEN 'ohne_mh' END AS gruppe,
           CASE WHEN (b.b_selbstwirksamkeit_1 IS NOT NULL)::INTEGER
                   + (b.b_selbstwirksamkeit_2 IS NOT NULL)::INTEGER
                   + (b.b_selbstwirksamkeit_3 IS NOT NULL)::INTEGER >= 2
                THEN (coalesce(b.b_selbstwirksamkeit_1, 0) + coalesce(b.b_selbstwirksamkeit_2, 0)
                      + coalesce(b.b_selbstwirksamkeit_3, 0))::DOUBLE
                     / ((b.b_selbstwirksamkeit_1 IS NOT NULL)::INTEGER
                        + (b.b_selbstwirksamkeit_2 IS NOT NULL)::INTEGER
                        + (b.b_selbstwirksamkeit_3 IS NOT NULL)::INTEGER)
           END AS sw
    FROM befragungen b LEFT JOIN t0 ON t0.code = b.code
    WHERE b.vergleichsgruppe IS NOT TRUE
), einzeln AS (
    SELECT CASE WHEN grouping(standort) = 1 THEN 'gesamt' ELSE standort END AS standort,
           CASE WHEN grouping(gruppe) = 1 THEN 'gesamt' ELSE gruppe END AS gruppe,
           count(*) FILTER (WHERE welle = 'T0') AS a1,
           count(zufriedenheit) FILTER (WHERE welle = 'T1') AS a3_nenner,
           count(*) FILTER (WHERE welle = 'T1' AND zufriedenheit >= 4) AS a3_zaehler
    FROM bef GROUP BY CUBE (standort, gruppe)
    HAVING grouping(gruppe) = 1 OR gruppe IS NOT NULL
), paare AS (
    SELECT v.standort, coalesce(n.gruppe, v.gruppe) AS gruppe, n.sw - v.sw AS d
    FROM bef v JOIN bef n ON n.code = v.code AND n.standort = v.standort
    WHERE v.welle = 'T0' AND n.welle = 'T1'
), b1 AS (
    SELECT CASE WHEN grouping(standort) = 1 THEN 'gesamt' ELSE standort END AS standort,
           CASE WHEN grouping(gruppe) = 1 THEN 'gesamt' ELSE gruppe END AS gruppe,
           count(d) AS b1_n, avg(d) AS b1
    FROM paare GROUP BY CUBE (standort, gruppe)
    HAVING grouping(gruppe) = 1 OR gruppe IS NOT NULL
)
SELECT standort, gruppe, e.a1, e.a3_nenner, e.a3_zaehler,
       100.0 * e.a3_zaehler / nullif(e.a3_nenner, 0) AS a3, b1.b1_n, b1.b1
FROM einzeln e FULL JOIN b1 USING (standort, gruppe)
"""

_ASKU = ["b_selbstwirksamkeit_1", "b_selbstwirksamkeit_2", "b_selbstwirksamkeit_3"]


def handabfrage(db: Datenbank) -> pd.DataFrame:
    """The three indicators by one hand-written DuckDB statement (the floor)."""
    return db.query(HANDABFRAGE)


def _mit_summen(tabelle: pd.DataFrame, werte: Callable[[Any], pd.DataFrame]) -> pd.DataFrame:
    """Per site × group plus the totals, the way an analyst adds "gesamt" rows in pandas."""
    teile = []
    for ebene in (["standort", "gruppe"], ["standort"], ["gruppe"], []):
        breit = tabelle.assign(**{s: GESAMT for s in ("standort", "gruppe") if s not in ebene})
        gruppiert = breit.groupby(["standort", "gruppe"], dropna=True)
        teile.append(werte(gruppiert).reset_index())
    return pd.concat(teile, ignore_index=True)


def pandas_rechnung(db: Datenbank) -> pd.DataFrame:
    """The three indicators the way an analyst would write them: load everything, group, merge."""
    bef = db.query("SELECT * FROM befragungen")
    bef = bef[~bef["vergleichsgruppe"].fillna(False).astype(bool)]  # participants only
    t0 = bef.loc[bef["welle"] == "T0", ["code", "migrationshintergrund"]]
    bef = bef.merge(t0.rename(columns={"migrationshintergrund": "mh_t0"}), on="code", how="left")
    bef["gruppe"] = (
        bef["mh_t0"].fillna(bef["migrationshintergrund"]).map({"ja": "mit_mh", "nein": "ohne_mh"})
    )
    items = bef[_ASKU].astype("float64")
    bef["sw"] = items.mean(axis=1).where(items.notna().sum(axis=1) >= 2)

    a1 = _mit_summen(bef[bef["welle"] == "T0"], lambda g: g.size().rename("a1"))
    t1 = bef[bef["welle"] == "T1"].assign(
        zufrieden=lambda d: (d["zufriedenheit"] >= 4).fillna(False)
    )
    a3 = _mit_summen(
        t1,
        lambda g: g.agg(a3_nenner=("zufriedenheit", "count"), a3_zaehler=("zufrieden", "sum")),
    )
    a3["a3"] = 100.0 * a3["a3_zaehler"] / a3["a3_nenner"].where(a3["a3_nenner"] > 0)

    spalten = ["code", "standort", "gruppe", "sw"]
    paare = bef.loc[bef["welle"] == "T0", spalten].merge(
        bef.loc[bef["welle"] == "T1", spalten], on=["code", "standort"], suffixes=("_v", "_n")
    )
    paare["gruppe"] = paare["gruppe_n"].fillna(paare["gruppe_v"])
    paare["d"] = paare["sw_n"] - paare["sw_v"]
    b1 = _mit_summen(paare, lambda g: g.agg(b1_n=("d", "count"), b1=("d", "mean")))
    return a1.merge(a3, on=["standort", "gruppe"], how="outer").merge(
        b1, on=["standort", "gruppe"], how="outer"
    )


@contextlib.contextmanager
def nur_indikatoren(ids: tuple[str, ...]) -> Iterator[None]:
    """Let the engine see only some indicators (benchmark-only runtime substitution).

    The engine builds its SQL from the catalogue, so with three declarations it does the work
    of three indicators: the fair counterpart to the three-indicator hand query.
    """
    alle = engine.INDIKATOREN
    engine.INDIKATOREN = tuple(REGISTER[i] for i in ids)
    try:
        yield
    finally:
        engine.INDIKATOREN = alle


class ZeitmessendeDatenbank:
    """Stands in for a :class:`Datenbank` and sums the time spent inside its queries.

    Lets the benchmark split an engine run into DuckDB time and pandas post-processing without
    touching the engine.
    """

    def __init__(self, db: Datenbank) -> None:
        self._db = db
        self.sekunden = 0.0

    def _gemessen(self, methode: str, *argumente: Any) -> Any:
        beginn = time.perf_counter()
        try:
            return getattr(self._db, methode)(*argumente)
        finally:
            self.sekunden += time.perf_counter() - beginn

    def query(self, sql: str, params: Any = None) -> pd.DataFrame:
        return self._gemessen("query", sql, params)

    def rows(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        return self._gemessen("rows", sql, params)

    def scalar(self, sql: str, params: Any = None) -> Any:
        return self._gemessen("scalar", sql, params)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """Time inside a transaction counts as DuckDB time (the engine reads the
        pre-aggregated tables in one; the few pandas steps in between are included)."""
        beginn = time.perf_counter()
        try:
            with self._db.transaction() as cur:
                yield cur
        finally:
            self.sekunden += time.perf_counter() - beginn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


def _engine_werte(indikatoren: pd.DataFrame) -> pd.DataFrame:
    """The engine's cells for the three indicators, one row per site × group (overall period)."""
    zeilen = indikatoren[
        indikatoren["indikator"].isin(VERGLEICHS_INDIKATOREN) & (indikatoren["periode"] == GESAMT)
    ]
    return zeilen[["indikator", "standort", "gruppe", "wert", "n", "unterdrueckt"]]


def vergleichen(engine_zeilen: pd.DataFrame, andere: pd.DataFrame, name: str) -> int:
    """Assert that ``andere`` has the engine's numbers in every released cell; returns the count.

    Suppressed engine cells are skipped (they hold no number), but must exist on both sides.
    """
    spalten = {"A1": ("a1", "a1"), "A3": ("a3", "a3_nenner"), "B1": ("b1", "b1_n")}
    geprueft = 0
    for ind, (wert_spalte, n_spalte) in spalten.items():
        e = engine_zeilen[engine_zeilen["indikator"] == ind].set_index(["standort", "gruppe"])
        a = andere.dropna(subset=[n_spalte])
        a = a[a[n_spalte] > 0].set_index(["standort", "gruppe"])
        fehlend = e.index.difference(a.index)
        if len(fehlend):
            raise AssertionError(f"{name}: {ind} fehlt für {list(fehlend[:5])}")
        frei = e[~e["unterdrueckt"]]
        soll = frei["wert"].astype(float).to_numpy()
        ist = a.loc[frei.index, wert_spalte].astype(float).to_numpy()
        n_soll = frei["n"].astype(float).to_numpy()
        n_ist = a.loc[frei.index, n_spalte].astype(float).to_numpy()
        if not (np.allclose(ist, soll, rtol=1e-9, atol=1e-9) and np.array_equal(n_ist, n_soll)):
            abweichung = np.flatnonzero(~np.isclose(ist, soll, rtol=1e-9, atol=1e-9))
            zeile = frei.index[abweichung[0]] if len(abweichung) else "n"
            raise AssertionError(f"{name}: {ind} weicht ab (erste Zelle {zeile})")
        geprueft += len(frei)
    return geprueft


def schritt_engine(ds: Datensatz, protokoll: Protokoll, wiederholungen: int) -> None:
    standard = ds.name == "standard"
    p = protokoll.neu
    m_engine = p(
        "engine",
        "Engine: alle Indikatoren + Vorher-Nachher, alle Standorte und Gruppen",
        ds.name,
        budget=BUDGET_ENGINE_S if standard else None,
    )
    m_sql = p("engine_sql", "  davon DuckDB-Abfragen (Rest: pandas/scipy)", ds.name)
    m_auswertung = p(
        "engine_auswertung", "  Auswertung aus gecachter Basis, alle Standorte", ds.name
    )
    m_auswertung_standort = p(
        "engine_auswertung_standort", "  Auswertung aus gecachter Basis, ein Standort", ds.name
    )
    m_roh = p(
        "engine_roh",
        "  Engine mit exaktem Zeitraum (aus den Rohdaten, ohne Auswertungstabellen)",
        ds.name,
    )
    m_aufbau = p(
        "auswertungstabellen",
        "  Auswertungstabellen neu aufbauen (alle 4 Gruppierungen; Teil jedes Imports)",
        ds.name,
    )
    m_drei = p("engine_drei", "Engine nur A1, A3, B1 (Katalog auf 3 Indikatoren)", ds.name)
    m_hand = p("handabfrage", "Handgeschriebene DuckDB-Abfrage A1, A3, B1", ds.name)
    m_pandas = p("pandas", "pandas wie ein Analyst (SELECT *, groupby, merge)", ds.name)
    with verbinden(ds.db_pfad) as db:
        with protokoll.schritt(m_engine, m_sql):
            berechne(db, Filter())  # warm-up: first-call costs are not what the budget is about
            uhr = ZeitmessendeDatenbank(db)

            def gemessen() -> engine.Ergebnis:
                uhr.sekunden = 0.0
                ergebnis = berechne(uhr, Filter())  # type: ignore[arg-type]
                m_sql.werte.append(uhr.sekunden)
                return ergebnis

            ergebnis = messen(m_engine, gemessen, wiederholungen)
            m_sql.details["anteil_an_engine"] = round(
                sum(m_sql.werte) / max(sum(m_engine.werte), 1e-9), 3
            )
            m_engine.details["zeilen"] = {
                "indikatoren": len(ergebnis.indikatoren),
                "vorher_nachher": len(ergebnis.vorher_nachher),
            }
            engine_zeilen = _engine_werte(ergebnis.indikatoren)
        with protokoll.schritt(m_auswertung, m_auswertung_standort):
            # The dashboard caches the DuckDB stage (one base per grouping); a change of sites
            # or quarters only repeats the pandas stage. Measured on its own here.
            grundlage = engine.basis(db)
            ein_standort = (str(db.scalar("SELECT min(standort) FROM standorte")),)
            for messung, filter_ in (
                (m_auswertung, Filter()),
                (m_auswertung_standort, Filter(standorte=ein_standort)),
            ):
                engine.auswerten(grundlage, filter_)
                messen(messung, lambda f=filter_: engine.auswerten(grundlage, f), wiederholungen)
        with protokoll.schritt(m_roh):
            # A start date that is not the first day of a quarter forces the raw path (before
            # all data, so the numbers are the same as without a period).
            roh = Filter(von=ROH_AB)
            berechne(db, roh)
            messen(m_roh, lambda: berechne(db, roh), wiederholungen)
        with protokoll.schritt(m_aufbau):

            def aufbauen() -> None:
                with db.transaction() as cur:
                    engine.auswertungstabellen_aufbauen(cur)

            messen(m_aufbau, aufbauen, wiederholungen)
        with protokoll.schritt(m_drei), nur_indikatoren(VERGLEICHS_INDIKATOREN):
            berechne(db, Filter())
            messen(m_drei, lambda: berechne(db, Filter()), wiederholungen)
        with protokoll.schritt(m_hand):
            handabfrage(db)
            hand = messen(m_hand, lambda: handabfrage(db), wiederholungen)
            if m_engine.fehler is None:
                m_hand.details["gepruefte_zellen"] = vergleichen(engine_zeilen, hand, "Handabfrage")
        with protokoll.schritt(m_pandas):
            rechnung = messen(m_pandas, lambda: pandas_rechnung(db), wiederholungen)
            if m_engine.fehler is None:
                m_pandas.details["gepruefte_zellen"] = vergleichen(
                    engine_zeilen, rechnung, "pandas"
                )
    _verhaeltnis(
        protokoll,
        "engine_zu_hand",
        "Engine (alle) / Handabfrage (3 Indikatoren)",
        m_engine,
        m_hand,
        BUDGET_ENGINE_ZU_HAND if standard else None,
    )
    _verhaeltnis(protokoll, "engine_drei_zu_hand", "Engine (3) / Handabfrage (3)", m_drei, m_hand)
    _verhaeltnis(
        protokoll,
        "pandas_zu_engine",
        "pandas (3) / Engine (alle)",
        m_pandas,
        m_engine,
        BUDGET_PANDAS_ZU_ENGINE if standard else None,
        mindestens=True,
    )
    _verhaeltnis(protokoll, "pandas_zu_engine_drei", "pandas (3) / Engine (3)", m_pandas, m_drei)


def _verhaeltnis(
    protokoll: Protokoll,
    schluessel: str,
    was: str,
    zaehler: Messung,
    nenner: Messung,
    budget: float | None = None,
    *,
    mindestens: bool = False,
) -> None:
    """A factor between two timed rows: ratio of the medians (and of the minimums)."""
    messung = protokoll.neu(
        schluessel, was, zaehler.datensatz, einheit="x", budget=budget, mindestens=mindestens
    )
    fehler = zaehler.fehler or nenner.fehler
    if fehler:
        messung.fehler = fehler
        return
    messung.werte = [zaehler.median / nenner.median]  # type: ignore[operator]
    messung.min_wert = zaehler.minimum / nenner.minimum  # type: ignore[operator]


# ---------------------------------------------------------------------------------------------
# Step 3: pages (AppTest, in this process)
# ---------------------------------------------------------------------------------------------
def _oeffne_seite(app: Any, seite: Any) -> None:
    """Select the page for the app's first run, as a browser opening its URL would.

    ``AppTest.switch_page`` before the first run finds a page by its file name; ``st.Page``
    registers it under the hash of its URL path (``ueberblick`` for ``pages/uebersicht.py``),
    so the hash Streamlit computes for the URL path is set as well (a private attribute of
    AppTest). Whether the right page ran is checked afterwards by its title.
    """
    from streamlit.util import calc_hash

    app.switch_page(seite.datei)
    app._page_hash = calc_hash(seite.url_path)


def _gast_seiten(seiten: Sequence[Seite]) -> list[Seite]:
    """The pages the benchmark visits: those of the demo mode's guest (the data set is demo
    data, no login). Only "Benutzer und Protokoll" is left out — it lists users and the audit
    trail, no survey data."""
    gast = gastsitzung().zugriff
    return [seite for seite in seiten if seite.erlaubt(gast)]


def schritt_seiten(ds: Datensatz, protokoll: Protokoll, wiederholungen: int) -> None:
    """First render and two filter changes of every page.

    First render: every cache is cleared (also the cached connection), and a fresh AppTest
    session opens the page directly — what the first visitor of a freshly started server waits
    for. Filter changes follow in the same session with warm caches for everything but the new
    selection: one site, then the grouping "Format" for all sites again.
    """
    import streamlit as st
    from streamlit import config, logger
    from streamlit.testing.v1 import AppTest

    from ui.navigation import SEITEN

    # Clearing caches outside a server makes Streamlit warn on every call; the table is enough.
    config.set_option("logger.level", "error")  # AppTest re-reads the level from the config
    logger.set_log_level("error")
    standard = ds.name == "standard"
    os.environ["MONITOR_DB"] = str(ds.db_pfad)
    dashboard = str(WURZEL / "dashboard.py")
    with verbinden(ds.db_pfad) as db:
        ein_standort = str(db.scalar("SELECT min(standort) FROM standorte"))

    def lauf(app: AppTest) -> None:
        app.run(timeout=SEITEN_TIMEOUT_S)
        if app.exception:
            raise RuntimeError(f"Ausnahme auf der Seite: {app.exception[0].value}")

    def caches_leeren() -> None:
        st.cache_data.clear()
        st.cache_resource.clear()  # closes the cached connection (on_release)

    with contextlib.suppress(Exception):  # imports plotly & co. once, as a running server has
        AppTest.from_file(dashboard, default_timeout=SEITEN_TIMEOUT_S).run()

    for seite in _gast_seiten(SEITEN):
        name = seite.titel
        budget_erster = BUDGET_ERSTER_AUFRUF_S if standard else None
        budget_wechsel = BUDGET_FILTERWECHSEL_S if standard else None
        praefix = f"seite:{seite.url_path}"
        erster = protokoll.neu(
            f"{praefix}:erster_aufruf",
            f"Seite {name}: erster Aufruf",
            ds.name,
            budget=budget_erster,
        )
        standort = protokoll.neu(
            f"{praefix}:filter_standort",
            f"Seite {name}: Filter ein Standort",
            ds.name,
            budget=budget_wechsel,
        )
        gruppe = protokoll.neu(
            f"{praefix}:filter_gruppe",
            f"Seite {name}: Filter Gruppe Format",
            ds.name,
            budget=budget_wechsel,
        )
        for _ in range(wiederholungen):
            caches_leeren()
            app = AppTest.from_file(dashboard, default_timeout=SEITEN_TIMEOUT_S)
            with protokoll.schritt(erster, standort, gruppe):  # no page, no filter change
                _oeffne_seite(app, seite)
                messen(erster, lambda app=app: lauf(app), 1)
                titel = [t.value for t in app.title]
                if seite.titel not in titel:
                    raise RuntimeError(f"falsche Seite geöffnet: {titel}")
            if erster.fehler:
                break
            with protokoll.schritt(standort):
                app.multiselect(key="f_standorte").set_value([ein_standort])
                messen(standort, lambda app=app: lauf(app), 1)
            with protokoll.schritt(gruppe):
                app.multiselect(key="f_standorte").set_value([])
                app.selectbox(key="f_gruppe").set_value("format")
                messen(gruppe, lambda app=app: lauf(app), 1)
    caches_leeren()
    os.environ.pop("MONITOR_DB", None)


def schritt_foerdergeber(ds: Datensatz, protokoll: Protokoll, wiederholungen: int) -> None:
    """The funder's Übersicht: first view (the protected lattice is built from the approved
    quarters), then a change to one site and to one quarter — read from the cached lattice.

    On a copy of the data set (a user there ends the guest mode the other steps measure):
    every quarter up to 2026-Q1 approved, a funder logged in through the real form.
    """
    import streamlit as st
    from streamlit import config, logger
    from streamlit.testing.v1 import AppTest

    from monitor import freigabe
    from monitor.benutzer import kommandozeilensitzung, lege_an

    config.set_option("logger.level", "error")
    logger.set_log_level("error")
    standard = ds.name == "standard"
    kopie = ds.db_pfad.with_name("foerdergeber.duckdb")
    shutil.copyfile(ds.db_pfad, kopie)
    passwort = "benchmark-passwort-1"
    with verbinden(kopie) as db:
        sitzung = kommandozeilensitzung()
        zellen = db.rows(
            f"SELECT DISTINCT standort, {freigabe.quartal_sql('datum')} AS q FROM befragungen "
            "WHERE datum < DATE '2026-04-01'"
        )
        for standort, quartal in zellen:
            freigabe.einreichen(db, sitzung, standort, quartal)
            freigabe.freigeben(db, sitzung, standort, quartal)
        lege_an(db, "foerderung", "foerdergeber", passwort)
        ein_standort = str(db.scalar("SELECT min(standort) FROM standorte"))
        ein_quartal = sorted({q for _, q in zellen})[len({q for _, q in zellen}) // 2]
    os.environ["MONITOR_DB"] = str(kopie)
    dashboard = str(WURZEL / "dashboard.py")
    budget = {"erster": BUDGET_ERSTER_AUFRUF_S, "wechsel": BUDGET_FILTERWECHSEL_S}
    erster = protokoll.neu(
        "foerdergeber:erster_aufruf",
        "Fördergeber Übersicht: erster Aufruf",
        ds.name,
        budget=budget["erster"] if standard else None,
    )
    standort = protokoll.neu(
        "foerdergeber:filter_standort",
        "Fördergeber Übersicht: ein Standort",
        ds.name,
        budget=budget["wechsel"] if standard else None,
    )
    quartal = protokoll.neu(
        "foerdergeber:filter_quartal",
        "Fördergeber Übersicht: ein Quartal",
        ds.name,
        budget=budget["wechsel"] if standard else None,
    )

    def lauf(app: AppTest) -> None:
        app.run(timeout=SEITEN_TIMEOUT_S)
        if app.exception:
            raise RuntimeError(f"Ausnahme auf der Seite: {app.exception[0].value}")

    for _ in range(wiederholungen):
        st.cache_data.clear()
        st.cache_resource.clear()
        app = AppTest.from_file(dashboard, default_timeout=SEITEN_TIMEOUT_S).run()
        app.text_input(key="anmeldung_name").input("foerderung")
        app.text_input(key="anmeldung_passwort").input(passwort)
        app.button(key="FormSubmitter:anmeldung-Anmelden").click()
        with protokoll.schritt(erster, standort, quartal):
            messen(erster, lambda app=app: lauf(app), 1)  # login run = first Übersicht
        if erster.fehler:
            break
        with protokoll.schritt(standort):
            app.selectbox(key="f_standort").set_value(ein_standort)
            messen(standort, lambda app=app: lauf(app), 1)
        with protokoll.schritt(quartal):
            app.selectbox(key="f_standort").set_value("")
            app.selectbox(key="f_quartal").set_value(ein_quartal)
            messen(quartal, lambda app=app: lauf(app), 1)
    st.cache_data.clear()
    st.cache_resource.clear()
    os.environ.pop("MONITOR_DB", None)


# ---------------------------------------------------------------------------------------------
# Step 4: Excel and PDF report
# ---------------------------------------------------------------------------------------------
def schritt_bericht(ds: Datensatz, protokoll: Protokoll, wiederholungen: int) -> None:
    """The Excel report and the PDF Wirkungsbericht (issue 16) of all sites, each its own row."""
    from monitor.bericht import schreibe_bericht
    from monitor.berichtpdf import schreibe_pdf

    for schluessel, was, datei, anfang, schreiben in (
        ("bericht", "Excel-Bericht, alle Standorte", "bericht.xlsx", b"PK", schreibe_bericht),
        (
            "bericht_pdf",
            "PDF-Wirkungsbericht (typst), alle Standorte",
            "bericht.pdf",
            b"%PDF-",
            schreibe_pdf,
        ),
    ):
        messung = protokoll.neu(
            schluessel, was, ds.name, budget=BUDGET_BERICHT_S if ds.name == "standard" else None
        )
        ziel = ds.ordner / datei
        with protokoll.schritt(messung), verbinden(ds.db_pfad) as db:
            messen(
                messung,
                lambda db=db, ziel=ziel, schreiben=schreiben: schreiben(
                    db, ziel, Filter(), heute=STICHTAG
                ),
                wiederholungen,
            )
            if not ziel.read_bytes().startswith(anfang):
                raise AssertionError(f"{was}: {ziel.name} hat das falsche Format")
            messung.details["datei_kib"] = round(ziel.stat().st_size / 1024)


# ---------------------------------------------------------------------------------------------
# Step 5: memory of the running dashboard after visiting every page in a browser
# ---------------------------------------------------------------------------------------------
def schritt_speicher(ds: Datensatz, protokoll: Protokoll) -> None:
    """Start ``streamlit run dashboard.py``, visit every page in Chromium, read the server's RSS.

    Server start, page wait and shutdown are the browser test's own helpers, so the benchmark
    visits the pages exactly as that test does.
    """
    import pytest
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from tests import test_browser
    from tests.test_browser import (
        CHROMIUM_ARGS,
        _beenden,
        _freier_port,
        _warten_auf_server,
        _warten_bis_fertig,
    )
    from ui import navigation

    # The browser test allows 90 s per page; a page of the national set may need longer.
    test_browser.SEITE_TIMEOUT_MS = SEITEN_TIMEOUT_S * 1000

    # The server reads the page list from disk now; read it the same way (it may have changed
    # since the AppTest step imported it, e.g. while someone edits the pages).
    seiten = _gast_seiten(importlib.reload(navigation).SEITEN)

    budget = BUDGET_SPEICHER_MIB if ds.name == "standard" else None
    messung = protokoll.neu(
        "dashboard_speicher",
        "Speicher des Dashboard-Prozesses nach allen Seiten",
        ds.name,
        einheit="MiB",
        budget=budget,
    )
    spitze = protokoll.neu(
        "dashboard_speicher_spitze",
        "  Spitze des Dashboard-Prozesses (VmHWM) beim Besuch",
        ds.name,
        einheit="MiB",
        budget=budget,
    )
    with protokoll.schritt(messung, spitze):
        chromium = shutil.which("chromium")
        if chromium is None:
            raise RuntimeError("Chromium fehlt (apt-get install -y chromium)")
        port = _freier_port()
        url = f"http://127.0.0.1:{port}"
        log = ds.ordner / "streamlit.log"
        with log.open("wb") as ausgabe:
            prozess = subprocess.Popen(
                [
                    *(sys.executable, "-m", "streamlit", "run", "dashboard.py"),
                    *("--server.headless", "true", "--server.address", "127.0.0.1"),
                    *("--server.port", str(port), "--browser.gatherUsageStats", "false"),
                ],
                cwd=WURZEL,
                env={**os.environ, "MONITOR_DB": str(ds.db_pfad)},
                stdout=ausgabe,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        verlauf: dict[str, float] = {}
        beginn = time.perf_counter()
        try:
            try:
                _warten_auf_server(url, prozess, log)
            except pytest.fail.Exception as fehler:  # a failed test there, an error row here
                raise RuntimeError(str(fehler)[:300]) from None
            verlauf["start"] = round(_prozessbaum_rss_mib(prozess.pid), 1)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1440, "height": 1000})
                    for seite in seiten:
                        page.goto(f"{url}/{seite.adresse}", timeout=SEITEN_TIMEOUT_S * 1000)
                        try:
                            page.locator("h1", has_text=seite.titel).first.wait_for(
                                timeout=TITEL_TIMEOUT_S * 1000
                            )
                            _warten_bis_fertig(page)
                        except PlaywrightTimeout:
                            raise RuntimeError(
                                f"Seite '{seite.titel}' nicht fertig nach {SEITEN_TIMEOUT_S} s"
                            ) from None
                        verlauf[seite.url_path] = round(_prozessbaum_rss_mib(prozess.pid), 1)
                finally:
                    browser.close()
            messung.werte = [_prozessbaum_rss_mib(prozess.pid)]
        finally:
            # Kept also when a page fails: how far the visit got and what it cost until then.
            hochwasser = _status_kib("VmHWM", prozess.pid)
            if hochwasser:
                spitze.werte = [hochwasser / 1024]
            messung.details.update(verlauf_mib=verlauf, besuch_s=time.perf_counter() - beginn)
            _beenden(prozess)
        messung.last = spitze.last = os.getloadavg()[0]


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------
def _zahl(wert: float, stellen: int = 0) -> str:
    """German number: thousands dot, decimal comma."""
    text = f"{wert:,.{stellen}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _wert_text(wert: float | None, einheit: str) -> str:
    if wert is None or math.isnan(wert):
        return "–"
    if einheit == "x":
        return f"{_zahl(wert, 2)}×"
    if einheit == "MiB":
        return f"{_zahl(wert)} MiB"
    return f"{_zahl(wert, 3)} s"


def _budget_text(messung: Messung) -> str:
    if messung.budget is None:
        return "–"
    zeichen = "≥" if messung.mindestens else ("≤" if messung.einheit == "x" else "<")
    einheit = {"x": "×", "MiB": " MiB", "s": " s"}[messung.einheit]
    return f"{zeichen} {_zahl(messung.budget, 1).removesuffix(',0')}{einheit}"


def tabelle(messungen: list[Messung]) -> str:
    """The one result table (plain text, also pasted into benchmarks/README.md)."""
    kopf = ["Was", "Median", "Min", "Budget", "Anteil", "Speicher +", "Status"]
    zeilen = []
    for m in messungen:
        anteil = "–" if m.auslastung is None else f"{_zahl(100 * m.auslastung)} %"
        speicher = "–" if m.zuwachs_mib is None else f"{_zahl(m.zuwachs_mib)} MiB"
        status = m.status if not m.fehler else f"fehler: {m.fehler[:60]}"
        zeilen.append(
            [
                m.was,
                _wert_text(m.median, m.einheit),
                _wert_text(m.minimum, m.einheit),
                _budget_text(m),
                anteil,
                speicher,
                status,
            ]
        )
    return _ausrichten(kopf, zeilen)


def _ausrichten(kopf: list[str], zeilen: list[list[str]]) -> str:
    """Markdown-compatible table with padded columns (readable in a terminal and a README)."""
    breiten = [max(len(z[i]) for z in [kopf, *zeilen]) for i in range(len(kopf))]
    rechts = {1, 2, 4, 5}

    def zeile(werte: list[str]) -> str:
        teile = [
            w.rjust(b) if i in rechts else w.ljust(b)
            for i, (w, b) in enumerate(zip(werte, breiten, strict=True))
        ]
        return "| " + " | ".join(teile) + " |"

    trenner = (
        "|"
        + "|".join(
            "-" * (b + 1) + ":" if i in rechts else "-" * (b + 2) for i, b in enumerate(breiten)
        )
        + "|"
    )
    return "\n".join([zeile(kopf), trenner, *(zeile(z) for z in zeilen)])


def skalierung(protokoll: Protokoll, standard: Datensatz, national: Datensatz) -> list[dict]:
    """Per step: how much longer the 10× data set takes (linear = about the data factor)."""
    daten_faktor = national.anzahl["befragungen"] / standard.anzahl["befragungen"]
    ergebnisse = []
    for m in protokoll.messungen:
        if m.datensatz != "standard" or m.einheit == "x":
            continue
        gross = protokoll.finde(m.schluessel, "national")
        if gross is None or m.median is None or gross.median is None or m.median <= 0:
            continue
        faktor = gross.median / m.median
        if m.schluessel == "import":  # the national import file is larger by its own factor
            bezug = gross.details.get("zeilen", 1) / max(m.details.get("zeilen", 1), 1)
        else:
            bezug = daten_faktor
        ergebnisse.append(
            {
                "schluessel": m.schluessel,
                "was": m.was,
                "standard": m.median,
                "national": gross.median,
                "einheit": m.einheit,
                "faktor": faktor,
                "datenfaktor": bezug,
                "linear": faktor <= LINEAR_TOLERANZ * bezug,
            }
        )
    return ergebnisse


def skalierungstabelle(zeilen: list[dict]) -> str:
    kopf = ["Was", "Standard", "National", "Zeitfaktor", "Datenfaktor", "Bewertung"]
    inhalt = [
        [
            z["was"],
            _wert_text(z["standard"], z["einheit"]),
            _wert_text(z["national"], z["einheit"]),
            f"{_zahl(z['faktor'], 1)}×",
            f"{_zahl(z['datenfaktor'], 1)}×",
            "höchstens linear" if z["linear"] else "überlinear",
        ]
        for z in zeilen
    ]
    return _ausrichten(kopf, inhalt)


def _last_text(last: tuple[float, float, float]) -> str:
    return " / ".join(_zahl(x, 2) for x in last)


def _datensatz_text(ds: Datensatz) -> str:
    a = ds.anzahl
    return (
        f"{ds.name}: {_zahl(a['standorte'])} Standorte, {_zahl(a['teilnehmende'])} Teilnehmende, "
        f"{_zahl(a['befragungen'])} Fragebögen, {_zahl(a['aktivitaeten'])} Aktivitäten "
        f"(erzeugt in {_zahl(ds.erzeugung_s, 1)} s)"
    )


def _code_stand() -> dict[str, Any]:
    """Commit and uncommitted files of the measured checkout, so runs can be attributed."""

    def git(*argumente: str) -> str:
        try:
            return subprocess.run(
                ["git", *argumente], cwd=WURZEL, capture_output=True, text=True, check=True
            ).stdout.rstrip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    geaendert = [z[3:] for z in git("status", "--porcelain").splitlines() if z[:2].strip()]
    return {"commit": git("rev-parse", "--short", "HEAD"), "geaendert": geaendert}


def _versionen() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versionen = {"python": platform.python_version()}
    for paket in ("duckdb", "pandas", "numpy", "streamlit", "openpyxl", "scipy"):
        with contextlib.suppress(PackageNotFoundError):
            versionen[paket] = version(paket)
    return versionen


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
SCHRITTE = ("import", "engine", "seiten", "foerdergeber", "bericht", "speicher")


def argumente(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Leistungsmessung des Wirkungsmonitors gegen die Budgets aus SPEC §7."
    )
    parser.add_argument(
        "--gross", action="store_true", help="zusätzlich ein zehnmal größerer Datensatz"
    )
    parser.add_argument("--wiederholungen", type=int, default=5, help="Läufe je Messung (5)")
    parser.add_argument(
        "--wiederholungen-gross",
        type=int,
        default=None,
        help="Läufe je Messung beim großen Datensatz (Standard: wie --wiederholungen, höchstens 3)",
    )
    parser.add_argument("--json", type=Path, default=None, help="Ergebnisdatei (JSON)")
    parser.add_argument("--standorte", type=int, default=100, help="Standorte (100)")
    parser.add_argument(
        "--teilnehmende",
        type=int,
        default=127_000,
        help="Teilnehmende der Demo (127.000 ergibt etwa 250.000 Fragebögen)",
    )
    parser.add_argument("--import-zeilen", type=int, default=100_000, help="Zeilen der CSV")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--schritte",
        default=",".join(SCHRITTE),
        help=f"Auswahl, kommagetrennt (Standard: alle: {','.join(SCHRITTE)})",
    )
    parser.add_argument(
        "--ordner",
        type=Path,
        default=None,
        help="Arbeitsordner (Standard: temporär, wird gelöscht)",
    )
    parser.add_argument(
        "--streng",
        action="store_true",
        help="Exit-Code 1, wenn ein Schritt fehlschlägt oder ein Budget überschreitet",
    )
    args = parser.parse_args(argv)
    unbekannt = set(args.schritte.split(",")) - set(SCHRITTE)
    if unbekannt:
        parser.error(f"unbekannte Schritte: {', '.join(sorted(unbekannt))}")
    if args.wiederholungen < 1:
        parser.error("--wiederholungen muss mindestens 1 sein")
    return args


def ausfuehren(ds: Datensatz, protokoll: Protokoll, schritte: set[str], n: int) -> None:
    print(f"\nDatensatz {_datensatz_text(ds)}", flush=True)
    ablauf: list[tuple[str, str, Callable[[], None]]] = [
        ("import", "Import", lambda: schritt_import(ds, protokoll, n)),
        ("engine", "Engine, Handabfrage, pandas", lambda: schritt_engine(ds, protokoll, n)),
        ("seiten", "Seiten (AppTest)", lambda: schritt_seiten(ds, protokoll, n)),
        (
            "foerdergeber",
            "Übersicht des Fördergebers",
            lambda: schritt_foerdergeber(ds, protokoll, n),
        ),
        ("bericht", "Excel-Bericht", lambda: schritt_bericht(ds, protokoll, n)),
        ("speicher", "Dashboard im Browser (Speicher)", lambda: schritt_speicher(ds, protokoll)),
    ]
    for name, text, schritt in ablauf:
        if name in schritte:
            print(f"  {text} …", flush=True)
            schritt()


def main(argv: list[str] | None = None) -> int:
    args = argumente(argv)
    schritte = set(args.schritte.split(","))
    beginn = datetime.now()
    last_vorher = os.getloadavg()
    print(
        f"Leistungsmessung Wirkungsmonitor – {beginn:%d.%m.%Y %H:%M}, {os.cpu_count()} Kerne, "
        f"Last (1/5/15 min): {_last_text(last_vorher)}",
        flush=True,
    )
    arbeitsordner = args.ordner or Path(tempfile.mkdtemp(prefix="wirkungsmonitor-bench-"))
    protokoll = Protokoll()
    datensaetze = [
        Datensatz(
            "standard",
            arbeitsordner / "standard",
            args.standorte,
            args.teilnehmende,
            args.import_zeilen,
        )
    ]
    if args.gross:
        datensaetze.append(
            Datensatz(
                "national",
                arbeitsordner / "national",
                # The demo's site IDs allow at most 999 sites: 10× 100 sites becomes 999.
                min(args.standorte * 10, MAX_STANDORTE),
                args.teilnehmende * 10,
                args.import_zeilen * 10,
            )
        )
    n_gross = args.wiederholungen_gross or min(args.wiederholungen, 3)
    try:
        for ds in datensaetze:
            if ds.name == "national":
                print("\nNationaler Datensatz wird erzeugt …", flush=True)
            erzeugung = protokoll.neu("datensatz", "Datensatz erzeugen", ds.name)
            with protokoll.schritt(erzeugung):
                datensatz_erzeugen(ds, args.seed)
                erzeugung.werte = [ds.erzeugung_s]
            if erzeugung.fehler:
                continue
            ausfuehren(
                ds, protokoll, schritte, args.wiederholungen if ds.name == "standard" else n_gross
            )
    finally:
        if args.ordner is None:
            shutil.rmtree(arbeitsordner, ignore_errors=True)

    last_nachher = os.getloadavg()
    dauer = (datetime.now() - beginn).total_seconds()
    standard = [m for m in protokoll.messungen if m.datensatz == "standard"]
    print(f"\nErgebnis ({_datensatz_text(datensaetze[0])}; {args.wiederholungen} Wiederholungen)")
    print(tabelle(standard))
    skal: list[dict] = []
    if args.gross and all(ds.anzahl for ds in datensaetze):
        skal = skalierung(protokoll, datensaetze[0], datensaetze[1])
        print(f"\nSkalierung ({_datensatz_text(datensaetze[1])}; {n_gross} Wiederholungen)")
        print(skalierungstabelle(skal))
    gleich = [m for m in standard if m.schluessel in ("handabfrage", "pandas")]
    if gleich and all(m.fehler is None and "gepruefte_zellen" in m.details for m in gleich):
        zellen = gleich[0].details["gepruefte_zellen"]
        print(
            f"\nPrüfung: Handabfrage und pandas liefern dieselben Zahlen wie die Engine "
            f"({', '.join(VERGLEICHS_INDIKATOREN)}; {_zahl(zellen)} freigegebene Zellen) – OK"
        )
    print(
        f"\nLast vorher: {_last_text(last_vorher)}, nachher: {_last_text(last_nachher)} "
        f"(1/5/15 min, {os.cpu_count()} Kerne); Dauer {_zahl(dauer)} s"
    )

    ziel = args.json or ERGEBNIS_ORDNER / f"{beginn:%Y%m%d-%H%M%S}.json"
    ziel.parent.mkdir(parents=True, exist_ok=True)
    bericht = {
        "zeitpunkt": beginn.isoformat(timespec="seconds"),
        "dauer_s": round(dauer, 1),
        "code": _code_stand(),
        "rechner": {
            "kerne": os.cpu_count(),
            "system": platform.platform(),
            "versionen": _versionen(),
        },
        "last": {"vorher": list(last_vorher), "nachher": list(last_nachher)},
        "parameter": {
            "wiederholungen": args.wiederholungen,
            "wiederholungen_gross": n_gross if args.gross else None,
            "seed": args.seed,
            "schritte": sorted(schritte),
        },
        "datensaetze": {
            ds.name: {**ds.anzahl, "erzeugung_s": round(ds.erzeugung_s, 2)} for ds in datensaetze
        },
        "messungen": [m.als_json() for m in protokoll.messungen],
        "skalierung": skal,
    }
    ziel.write_text(json.dumps(bericht, ensure_ascii=False, indent=2, default=str), "utf-8")
    print(f"Ergebnisse gespeichert: {ziel}")

    if args.streng and any(m.status in ("fehler", "über") for m in protokoll.messungen):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

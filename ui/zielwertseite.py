"""The Zielwerte page's table: every indicator of one site with its target, editable.

One row per indicator (not per existing target) so the lead sees at a glance which indicators
have no target yet, and the current value beside the field where the target is typed. Numbers
are edited as text: users type "12,5" the German way, and the cells are then checked by the same
rules as a Zielwerte import file (:mod:`monitor.zielwerte`), including its German messages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from indikatoren.definitionen import Indikator
from indikatoren.katalog import INDIKATOREN, REGISTER
from monitor.pruefung import Pruefergebnis
from monitor.zielwerte import EINGABE_SPALTEN, als_text
from ui.aufbereitung import zeile
from ui.farben import status_farbe, textfarbe
from ui.format import HILFE_UNTERDRUECKT, UNTERDRUECKT, UNTERDRUECKT_PAARE, prozent, zahl

LEER = "–"
EINGABE = {"basiswert": "Basiswert", "zielwert": "Zielwert", "stichtag": "Stichtag"}
BESTAETIGT = "Gegen Richtung bestätigt"
SPALTEN_KONFIG: dict[str, Any] = {
    "ID": st.column_config.TextColumn(width="small"),
    "Basiswert": st.column_config.TextColumn(
        help="Ausgangswert vor Projektbeginn (leer = 0). Dezimalkomma erlaubt.",
        alignment="right",
    ),
    "Zielwert": st.column_config.TextColumn(
        help="Wert, der bis zum Stichtag erreicht sein soll. Leer lassen = kein Zielwert.",
        alignment="right",
    ),
    "Stichtag": st.column_config.DateColumn(
        help="Bis wann der Zielwert erreicht sein soll.", format="DD.MM.YYYY"
    ),
    "Ist-Wert": st.column_config.TextColumn(
        help=f"Aktueller Wert über den ganzen Zeitraum. {HILFE_UNTERDRUECKT}",
        alignment="right",
    ),
    BESTAETIGT: st.column_config.CheckboxColumn(
        help="Nur ankreuzen, wenn der Zielwert absichtlich auf der „schlechten“ Seite des "
        "Basiswerts liegt (z. B. ein erwarteter Rückgang). Sonst wird ein solcher Zielwert "
        "abgelehnt, weil ein Rückschritt als Fortschritt zählen würde."
    ),
    "Zielerreichung": st.column_config.TextColumn(alignment="right"),
    "Status": st.column_config.TextColumn(),
}
GESPERRT = ["ID", "Indikator", "Einheit", "Ist-Wert", "Zielerreichung", "Status"]


def _ist(ind: Indikator, zeile: pd.Series | None) -> str:
    """The current value in the indicator's unit (shown in its own column), changes signed."""
    if zeile is None or (pd.isna(zeile["wert"]) and not zeile["unterdrueckt"]):
        return LEER
    if zeile["unterdrueckt"]:
        return UNTERDRUECKT_PAARE if ind.vorher_nachher else UNTERDRUECKT
    return zahl(float(zeile["wert"]), ind.dezimalstellen, vorzeichen=ind.vorher_nachher)


def editor_tabelle(ziele: pd.DataFrame, indikatoren: pd.DataFrame, standort: str) -> pd.DataFrame:
    """The editor's rows: all indicators in catalogue order, targets as editable text.

    ``ziele`` are the stored targets of ``standort`` (:func:`monitor.zielwerte.zielwerte`),
    ``indikatoren`` the engine's released table (its whole-period "gesamt" group rows carry the
    current value, attainment and status).
    """
    gespeichert = {z["indikator"]: z for z in ziele.to_dict("records")}
    zeilen = []
    for ind in INDIKATOREN:
        ziel = gespeichert.get(ind.id, {})
        ist = zeile(indikatoren, ind.id, standort)
        erreichung = None if ist is None or not ziel else ist["zielerreichung"]
        stichtag = ziel.get("stichtag")
        status = str(ist["status"]) if ziel and ist is not None else LEER
        zeilen.append(
            {
                "ID": ind.id,
                "Indikator": ind.name,
                "Einheit": ind.einheit,
                "Basiswert": als_text(ziel.get("basiswert")) or "",
                "Zielwert": als_text(ziel.get("zielwert")) or "",
                "Stichtag": None if stichtag is None else pd.Timestamp(stichtag).date(),
                BESTAETIGT: bool(ziel.get("richtung_bestaetigt", False)),
                "Ist-Wert": _ist(ind, ist),
                "Zielerreichung": prozent(erreichung),
                "Status": status,
            }
        )
    tabelle = pd.DataFrame(zeilen)
    tabelle["Stichtag"] = pd.to_datetime(tabelle["Stichtag"]).dt.date
    return tabelle


def _status_stil(status: object) -> str:
    if status == LEER:
        return ""
    farbe = status_farbe(str(status))
    return f"background-color: {farbe}; color: {textfarbe(farbe)}"


def mit_farben(tabelle: pd.DataFrame) -> Styler:
    """The editor table with each status cell on its status colour (the word stays)."""
    return tabelle.style.map(_status_stil, subset=["Status"])


def _text(wert: object) -> str | None:
    """An editor cell as the text a file cell would hold (empty → None)."""
    if wert is None or (not isinstance(wert, str) and pd.isna(wert)):  # type: ignore[arg-type]
        return None
    if isinstance(wert, datetime):
        wert = wert.date()
    if isinstance(wert, date):
        return wert.isoformat()
    text = str(wert).strip()
    return text or None


def aus_editor(bearbeitet: pd.DataFrame) -> pd.DataFrame:
    """The edited rows that hold a target, as text cells for :mod:`monitor.zielwerte`.

    A row whose three fields are all empty has no target (and loses one it had). The index is
    the editor's row position, named ``zeile``, so errors point back to the indicator.
    """
    eingabe = pd.DataFrame(
        {
            "indikator": bearbeitet["ID"].map(_text),
            **{name: bearbeitet[label].map(_text) for name, label in EINGABE.items()},
            "richtung_bestaetigt": [
                "ja" if h is True else None
                for h in bearbeitet.get(BESTAETIGT, pd.Series(False, bearbeitet.index))
            ],
        },
        index=pd.RangeIndex(len(bearbeitet), name="zeile"),
    )
    belegt = eingabe[list(EINGABE)].notna().any(axis=1)
    return eingabe.loc[belegt, list(EINGABE_SPALTEN)]


def fehler_tabelle(pruefung: Pruefergebnis) -> pd.DataFrame:
    """The errors of a rejected save, named by indicator and field instead of file row."""
    zeilen = []
    for fehler in pruefung.fehler:
        indikator = INDIKATOREN[fehler.zeile].id if 0 <= fehler.zeile < len(INDIKATOREN) else ""
        zeilen.append(
            {
                "Indikator": f"{indikator} {REGISTER[indikator].name}" if indikator else LEER,
                "Feld": {**EINGABE, "richtung_bestaetigt": BESTAETIGT}.get(
                    fehler.spalte, fehler.spalte
                ),
                "Eingabe": fehler.wert or "(leer)",
                "Grund": fehler.grund,
            }
        )
    return pd.DataFrame(zeilen, columns=["Indikator", "Feld", "Eingabe", "Grund"])

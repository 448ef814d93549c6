"""The Bericht page's pieces: the report's filter from the user's choice, the downloads, a preview.

The Excel workbook is :func:`monitor.bericht.bericht_bytes` — the same workbook as
``python -m monitor export`` — built only when the button is clicked (Streamlit calls the data
function on demand), so choosing sites or quarters stays fast even for a large project.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pandas as pd
import streamlit as st

from indikatoren.definitionen import ZIEL_NAMEN
from indikatoren.filter import Filter
from indikatoren.unterdrueckung import GESAMT
from monitor.ausgabe import INDIKATOR_JSON, als_csv
from monitor.benutzer import Sitzung, Zugriff
from monitor.bericht import bericht_bytes, protokolliere_export
from monitor.berichtpdf import pdf_bytes
from monitor.db import Datenbank
from monitor.mikrodaten import mikrodaten_bytes
from ui import webserver
from ui.aufbereitung import indikator_tabelle
from ui.seitenleiste import quartal_von

MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME_CSV = "text/csv"
MIME_PDF = "application/pdf"
ZIEL_AUSWAHL: dict[str, str] = {
    ziel.value: f"{ziel.value}) {name}" for ziel, name in ZIEL_NAMEN.items()
}


def excel(db: Datenbank, filter_: Filter, zugriff: Zugriff, akteur: str) -> Callable[[], bytes]:
    """The report workbook within the session's access, built (and audited) when the download
    is clicked."""

    def erzeugen() -> bytes:
        inhalt = bericht_bytes(db, filter_, zugriff=zugriff)
        protokolliere_export(db, akteur, "excel", filter_, dateiname(filter_, "xlsx"))
        return inhalt

    return webserver.fuer_diese_anmeldung(erzeugen)


def pdf(db: Datenbank, filter_: Filter, zugriff: Zugriff, akteur: str) -> Callable[[], bytes]:
    """The PDF Wirkungsbericht within the session's access — built from the same protected
    tables as the workbook (:func:`monitor.berichtpdf.pdf_bytes`) — and audited, on click."""

    def erzeugen() -> bytes:
        inhalt = pdf_bytes(db, filter_, zugriff=zugriff, als=akteur)
        protokolliere_export(db, akteur, "pdf", filter_, dateiname(filter_, "pdf"))
        return inhalt

    return webserver.fuer_diese_anmeldung(erzeugen)


def _je_ziel(indikatoren: pd.DataFrame, ziele: Sequence[str]) -> pd.DataFrame:
    """Indicator rows of the chosen goals, for the whole selection and each site (all groups)."""
    return indikatoren[indikatoren["ziel"].isin(list(ziele))]


def mikrodaten(db: Datenbank, sitzung: Sitzung, filter_: Filter) -> Callable[[], bytes]:
    """Pseudonymised microdata (CSV) of the selection, built and audited only when the
    download is clicked (:func:`monitor.mikrodaten.mikrodaten_bytes` checks the right)."""
    return webserver.fuer_diese_anmeldung(
        lambda: mikrodaten_bytes(
            db,
            sitzung,
            "csv",
            standorte=filter_.standorte or None,
            von=filter_.von,
            bis=filter_.bis,
        )[0]
    )


def csv_tabelle(indikatoren: pd.DataFrame, ziele: Sequence[str]) -> bytes:
    """The indicator table (keys as ``indikatoren --format csv``) for German Excel."""
    return als_csv(_je_ziel(indikatoren, ziele)[list(INDIKATOR_JSON)], deutsch=True)


def csv(
    db: Datenbank, indikatoren: pd.DataFrame, ziele: Sequence[str], filter_: Filter, akteur: str
) -> Callable[[], bytes]:
    """The indicator CSV of :func:`csv_tabelle`, audited when the download is clicked."""

    def erzeugen() -> bytes:
        inhalt = csv_tabelle(indikatoren, ziele)
        protokolliere_export(db, akteur, "csv", filter_, dateiname(filter_, "csv"))
        return inhalt

    return webserver.fuer_diese_anmeldung(erzeugen)


def dateiname(filter_: Filter, endung: str, heute: date | None = None) -> str:
    """``wirkungsbericht_2026-11-27.xlsx`` (or ``.pdf``); with the period when one is chosen."""
    teile = ["wirkungsbericht" if endung in ("xlsx", "pdf") else "indikatoren"]
    if filter_.von and filter_.bis:
        teile.append(f"{quartal_von(filter_.von)}_bis_{quartal_von(filter_.bis)}")
    teile.append((heute or date.today()).isoformat())
    return "_".join(teile) + f".{endung}"


VORSCHAU_KONFIG = {
    spalte: st.column_config.TextColumn(alignment="right")
    for spalte in ("Wert", "n", "Zielwert", "Zielerreichung")
}


def vorschau(
    indikatoren: pd.DataFrame, ziele: Sequence[str], standort: str = GESAMT
) -> pd.DataFrame:
    """Whole-selection values of the chosen goals with target status (what the report leads with).

    The same display table as the goal pages (:func:`ui.aufbereitung.indikator_tabelle`);
    ``standort``: the one chosen site, whose own targets apply (the total of a single site has
    no project-wide target and read "keine Daten").
    """
    tabelle = indikator_tabelle(indikatoren, {}, standort).drop(columns=["Trend"])
    return tabelle[tabelle["Ziel"].isin(list(ziele))].reset_index(drop=True)

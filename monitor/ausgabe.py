"""Render released engine tables for people and programs: text table, CSV, JSON (SPEC §6).

Only what :mod:`indikatoren.engine` released reaches this module; suppressed cells arrive as
NaN with ``unterdrueckt`` set, and are written as ``null`` (JSON), empty (CSV) or the marker
"< 5" / "< 10" (text), never as 0.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from indikatoren.engine import VORHER_NACHHER_JSON
from indikatoren.katalog import REGISTER
from indikatoren.unterdrueckung import Schwellen

#: Keys and order of ``indikatoren --format json`` (SPEC §6).
INDIKATOR_JSON: tuple[str, ...] = (
    "indikator",
    "ziel",
    "name",
    "stufe",
    "standort",
    "gruppe",
    "wert",
    "einheit",
    "n",
    "zaehler",
    "nenner",
    "ci_unten",
    "ci_oben",
    "basiswert",
    "zielwert",
    "zielerreichung",
    "status",
    "unterdrueckt",
)

_GANZZAHLIG = {"n", "zaehler", "nenner", "stufe", "n_paare", "n_t0", "n_erreicht"}
#: p values keep every digit: rounded to 6 places, a p of 3e-9 would read as 0 ("certain").
_VOLL_GENAU = {"p_wert", "p_holm"}


def _json_wert(spalte: str, wert: Any) -> Any:
    if wert is None or wert is pd.NA or wert is pd.NaT:
        return None
    if isinstance(wert, float) and math.isnan(wert):
        return None
    if hasattr(wert, "item"):  # numpy scalar
        wert = wert.item()
    if spalte in _GANZZAHLIG and isinstance(wert, float) and wert.is_integer():
        return int(wert)
    if isinstance(wert, float):
        return wert if spalte in _VOLL_GENAU else round(wert, 6)
    if hasattr(wert, "isoformat"):
        return wert.isoformat()
    return wert


def als_json(tabelle: pd.DataFrame, schluessel: tuple[str, ...]) -> str:
    """A JSON array, one object per row, exactly the given keys in that order."""
    objekte = [
        {k: _json_wert(k, zeile[k]) for k in schluessel}
        for zeile in tabelle[list(schluessel)].to_dict("records")
    ]
    return json.dumps(objekte, ensure_ascii=False, indent=2)


def als_csv(tabelle: pd.DataFrame, *, deutsch: bool = False) -> bytes:
    """CSV bytes — THE one CSV writer of every download and export (pages, CLI, microdata).

    ``deutsch``: ';' separated, decimal comma, UTF-8 with BOM for German Excel. Every column
    that is not numeric, boolean or a date — whatever its dtype (pandas 3 gives text the
    ``str`` dtype, older code ``object``, tables may carry ``category``) — and every header is
    passed through :func:`_csv_text`, so no cell starts a spreadsheet formula
    (``tests/test_architektur.py`` keeps other CSV writers out).
    """
    daten = tabelle.copy()
    daten.columns = [_csv_text(str(name)) for name in daten.columns]
    for nummer, (_, spalte) in enumerate(daten.items()):
        if pd.api.types.is_float_dtype(spalte):
            if daten.columns[nummer] not in _VOLL_GENAU:
                daten.isetitem(nummer, spalte.round(6))  # as in JSON: no float noise
        elif not (
            pd.api.types.is_numeric_dtype(spalte)
            or pd.api.types.is_bool_dtype(spalte)
            or pd.api.types.is_datetime64_any_dtype(spalte)
        ):
            daten.isetitem(nummer, spalte.astype(object).map(_csv_text))
    # CRLF line ends (RFC 4180) also make the csv module quote a field with a lone CR, which
    # would otherwise split the row in a spreadsheet.
    if deutsch:
        text = daten.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
        return text.encode("utf-8-sig")
    return daten.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


#: First characters a spreadsheet treats as the start of a formula (OWASP: CSV injection).
FORMELANFAENGE = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(wert: Any) -> Any:
    """Neutralise cell text that a spreadsheet would run as a formula (OWASP CSV injection):
    a leading apostrophe makes it plain text. Non-text values (numbers in a mixed column,
    missing values) stay as they are."""
    if isinstance(wert, str) and wert.startswith(FORMELANFAENGE):
        return "'" + wert
    return wert


def zahl_de(wert: Any, stellen: int = 1) -> str:
    """German number format: 1.234,5 — empty for missing."""
    if wert is None or (isinstance(wert, float) and math.isnan(wert)) or wert is pd.NA:
        return ""
    text = f"{float(wert):,.{stellen}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


#: The mark of a cell hidden to protect another (secondary suppression): not a small cell.
SEKUNDAER_MARKE = "•"


def markierung(schwellen: Schwellen | None = None, *, paare: bool = False) -> str:
    """The marker shown instead of a suppressed value."""
    schwellen = schwellen or Schwellen.aus_umgebung()
    return f"< {schwellen.min_paare if paare else schwellen.min_personen}"


def _stellen(datensatz: dict[str, Any], spalte: str, standard: int) -> int:
    """Decimals of the indicator's own declaration for its values (counts without decimals)."""
    indikator = REGISTER.get(str(datensatz.get("indikator")))
    if indikator and spalte in ("wert", "ci_unten", "ci_oben", "zielwert", "basiswert"):
        return indikator.dezimalstellen
    return standard


def als_text(
    tabelle: pd.DataFrame,
    spalten: dict[str, tuple[str, int]],
    *,
    paare: bool = False,
) -> str:
    """A plain text table for the terminal. ``spalten``: column → (header, decimals)."""
    marke = markierung(paare=paare)
    zeilen = [[kopf for kopf, _ in spalten.values()]]
    zahlen = {"wert", "n", "zaehler", "nenner", "ci_unten", "ci_oben", "differenz", "n_paare"}
    for datensatz in tabelle.to_dict("records"):
        zeile = []
        for spalte, (_, stellen) in spalten.items():
            wert = datensatz.get(spalte)
            if datensatz.get("unterdrueckt") and spalte in zahlen | set(VORHER_NACHHER_JSON[4:13]):
                zeichen = SEKUNDAER_MARKE if datensatz.get("sperrgrund") == "sekundaer" else marke
                zeile.append(zeichen if spalte in ("wert", "differenz", "n", "n_paare") else "")
            elif spalte in _VOLL_GENAU and isinstance(wert, float) and wert < 0.001:
                zeile.append("< 0,001")
            elif isinstance(wert, float | int) and not isinstance(wert, bool):
                zeile.append(zahl_de(wert, _stellen(datensatz, spalte, stellen)))
            elif wert is None or (isinstance(wert, float) and math.isnan(wert)):
                zeile.append("")
            else:
                zeile.append(str(wert))
        zeilen.append(zeile)
    breiten = [max(len(z[i]) for z in zeilen) for i in range(len(spalten))]
    ausgabe = []
    for nummer, zeile in enumerate(zeilen):
        ausgabe.append(
            "  ".join(
                text.ljust(breite) for text, breite in zip(zeile, breiten, strict=True)
            ).rstrip()
        )
        if nummer == 0:
            ausgabe.append("  ".join("-" * breite for breite in breiten))
    return "\n".join(ausgabe)

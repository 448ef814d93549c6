"""Plotly figure builders for the analysis pages — plain functions, no Streamlit.

Each builder takes a small, already released table (values, intervals, suppression flags from
:mod:`indikatoren`) and returns a ``go.Figure`` with German axis titles, German number format
(``separators=",."``), readable font sizes and the colours of :mod:`ui.farben`. Building the
figures apart from the pages lets unit tests look at traces and numbers directly.

Display rules shared by all builders:

* an estimate with uncertainty is a dot with its 95 % interval (never a bar alone);
* a suppressed cell never becomes 0: lines get a gap, dot charts and bars show the mark
  ("< 5" / "< 10") in grey where the value would be;
* sites are listed by name, not ranked.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from indikatoren.definitionen import WIRKUNGSTREPPE, Indikator
from indikatoren.zielerreichung import STATUS_REIHENFOLGE
from ui.farben import (
    GESAMT_FARBE,
    HELL,
    HELLGRAU,
    NEBENTEXT,
    STATUS_SYMBOL,
    TEXTFARBE,
    mit_symbol,
    status_farbe,
    textfarbe,
)
from ui.format import NBSP, UNTERDRUECKT, zahl

SCHRIFT = 14
GRAU = "#6B6B6B"
KARTE = Path(__file__).resolve().parent.parent / "data" / "karte_deutschland.json"
#: Plot config for st.plotly_chart: no logo, no selection tools (nothing here is selectable).
KONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}
#: Marker symbols of the follow-up waves (colour is taken by the group or site).
WELLEN_SYMBOL: dict[str, str] = {"T0→T1": "circle", "T0→T2": "diamond"}


def _grundlayout(hoehe: int, legende: bool = True) -> dict[str, Any]:
    """The shared layout as a plain dict (for figures built in one go, without update calls)."""
    return {
        "separators": ",.",
        "height": hoehe,
        "font": {"size": SCHRIFT},
        "margin": {"l": 10, "r": 20, "t": 40 if legende else 20, "b": 10},
        "showlegend": legende,
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "title": {"text": ""},
        },
        "hoverlabel": {"font": {"size": 13}},
    }


_ART = {
    "bar": "Balkendiagramm",
    "scatter": "Punkt- oder Liniendiagramm",
    "heatmap": "Farbraster",
    "choropleth": "Karte",
    "scattergeo": "Karte",
}


def _titeltext(titel: Any) -> str:
    if isinstance(titel, dict):
        return str(titel.get("text") or "")
    return "" if titel is None else str(getattr(titel, "text", "") or "")


def alternativtext(fig: go.Figure) -> str:
    """A short German text alternative for a chart (screen readers; WCAG 1.1.1).

    Says what kind of chart it is, what the axes show and which series it has; the numbers
    themselves stand in the page's tables and in the hover texts.
    """
    layout = fig.layout
    arten = [str(spur.type or "scatter") for spur in fig.data]
    art = _ART.get(max(set(arten), key=arten.count) if arten else "", "Diagramm")
    teile = [art]
    titel = _titeltext(layout.title)
    if titel:
        teile[0] += f" „{titel}“"
    for achse, name in ((layout.xaxis, "waagerecht"), (layout.yaxis, "senkrecht")):
        text = _titeltext(achse.title) if achse is not None else ""
        if text:
            teile.append(f"{name}: {text}")
    reihen = [str(spur.name) for spur in fig.data if spur.name and spur.showlegend is not False]
    if reihen:
        teile.append("Reihen: " + ", ".join(dict.fromkeys(reihen)))
    return "; ".join(teile) + "."


def _figur(spuren: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure from plain trace and layout dicts, without plotly's per-value validation.

    Validation of long arrays (colours, hover texts of a hundred sites) cost more than the
    rest of a page; the builders are checked instead by the unit tests, which validate every
    figure they produce (``go.Figure(fig.to_dict())``).
    """
    return go.Figure(data=spuren, layout=layout, _validate=False)


def _liste(werte: Any) -> list[Any]:
    """Numbers for a JSON trace: NaN → None (a gap), numpy scalars → Python floats."""
    return [None if w is None or pd.isna(w) else float(w) for w in werte]


def _text(wert: float, einheit: str, stellen: int, vorzeichen: bool) -> str:
    return zahl(wert, stellen, vorzeichen=vorzeichen) + (f"{NBSP}{einheit}" if einheit else "")


def _bereich(werte: Sequence[float]) -> tuple[float, float] | None:
    endlich = [float(w) for w in werte if w is not None and not pd.isna(w)]
    return (min(endlich), max(endlich)) if endlich else None


# -- dot and interval -------------------------------------------------------------------------
def punkte_intervalle(
    daten: pd.DataFrame,
    *,
    zeilen: Sequence[str],
    x_titel: str,
    einheit: str,
    stellen: int,
    vorzeichen: bool = False,
    serien: Sequence[str] = ("",),
    symbole: Mapping[str, str] | None = None,
    referenz: float | None = 0.0,
    referenz_text: str = "",
    referenz_band: tuple[float, float] | None = None,
    markierung: str = UNTERDRUECKT,
    zeilen_text: Mapping[str, str] | None = None,
    serien_farben: Mapping[str, str] | None = None,
) -> go.Figure:
    """Dot-and-interval chart: one row per category (top to bottom in ``zeilen`` order).

    ``daten`` columns: zeile, serie, wert, unten, oben, unterdrueckt, farbe (and optionally n).
    Several ``serien`` (e.g. the waves T0→T1 and T0→T2) sit side by side within a row and are
    told apart by marker symbol; colour belongs to the row's group or site — or, with
    ``serien_farben``, to the series (e.g. one colour per format). ``referenz`` draws a
    vertical line (0 for changes, the pooled value in a forest plot), ``referenz_band`` its
    interval. A suppressed row shows ``markierung`` at the reference position instead of a dot.
    """
    symbole = dict(symbole or {})
    zeilen_text = dict(zeilen_text or {})
    position = {z: nummer for nummer, z in enumerate(zeilen)}
    abstand = 0.22 if len(serien) > 1 else 0.0
    versatz = {s: (k - (len(serien) - 1) / 2) * abstand for k, s in enumerate(serien)}
    daten = daten[daten["zeile"].isin(position)].copy()
    daten["y"] = daten["zeile"].map(position) + daten["serie"].map(versatz).fillna(0.0)
    versteckt_maske = daten["unterdrueckt"].astype(bool) | daten["wert"].isna()
    sichtbar, versteckt = daten[~versteckt_maske], daten[versteckt_maske]
    spuren: list[dict[str, Any]] = []
    formen: list[dict[str, Any]] = []
    anmerkungen: list[dict[str, Any]] = []
    if referenz_band is not None and not any(pd.isna(w) for w in referenz_band):
        formen.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": float(referenz_band[0]),
                "x1": float(referenz_band[1]),
                "y0": 0,
                "y1": 1,
                "fillcolor": HELLGRAU,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    for serie in serien:
        teil = sichtbar[sichtbar["serie"] == serie]
        spuren += _intervalle(teil, teil["y"])
        if teil.empty:
            continue
        spuren.append(
            {
                "type": "scatter",
                "x": _liste(teil["wert"]),
                "y": _liste(teil["y"]),
                "mode": "markers",
                "marker": {
                    "color": teil["farbe"].tolist(),
                    "size": 12,
                    "symbol": symbole.get(serie, "circle"),
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                "name": serie or "Wert",
                "hovertext": [
                    _hover_punkt(z, serie, einheit, stellen, vorzeichen, zeilen_text)
                    for z in teil.itertuples(index=False)
                ],
                "hoverinfo": "text",
                "showlegend": False,
            }
        )
    if len(serien) > 1:
        for serie in serien:
            spuren.append(
                {
                    "type": "scatter",
                    "x": [None],
                    "y": [None],
                    "mode": "markers",
                    "marker": {
                        "color": (serien_farben or {}).get(serie, GRAU),
                        "size": 11,
                        "symbol": symbole.get(serie, "circle"),
                    },
                    "name": serie,
                }
            )
    if not versteckt.empty:
        bereich = _bereich([*sichtbar["unten"], *sichtbar["oben"], *sichtbar["wert"]])
        x_mark = referenz if referenz is not None else (sum(bereich) / 2 if bereich else 0.0)
        spuren.append(
            {
                "type": "scatter",
                "x": [float(x_mark)] * len(versteckt),
                "y": _liste(versteckt["y"]),
                "mode": "text",
                "text": [markierung] * len(versteckt),
                "textfont": {"color": GRAU, "size": SCHRIFT - 1},
                "hovertext": [
                    f"{zeilen_text.get(z, z)}{' · ' + s if s else ''}: aus Datenschutzgründen "
                    "nicht ausgewiesen"
                    for z, s in zip(versteckt["zeile"], versteckt["serie"], strict=True)
                ],
                "hoverinfo": "text",
                "showlegend": False,
                "name": "nicht ausgewiesen",
            }
        )
    if referenz is not None:
        formen.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": float(referenz),
                "x1": float(referenz),
                "y0": 0,
                "y1": 1,
                "line": {
                    "color": GESAMT_FARBE,
                    "width": 1.5,
                    "dash": "dash" if referenz_text else "dot",
                },
            }
        )
        if referenz_text:
            anmerkungen.append(
                {
                    "x": float(referenz),
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "yanchor": "bottom",
                    "text": referenz_text,
                    "showarrow": False,
                    "font": {"size": SCHRIFT - 2, "color": GESAMT_FARBE},
                }
            )
    hoehe = max(200, 90 + int(34 * len(zeilen) * (1 + 0.35 * (len(serien) - 1))))
    layout = _grundlayout(hoehe, legende=len(serien) > 1)
    layout.update(
        {
            "shapes": formen,
            "annotations": anmerkungen,
            "xaxis": {
                "title": {"text": x_titel},
                "zeroline": False,
                "ticksuffix": f"{NBSP}%" if einheit == "%" else "",
            },
            "yaxis": {
                "tickvals": list(range(len(zeilen))),
                "ticktext": [zeilen_text.get(z, z) for z in zeilen],
                # Fixed, not autorange: plotly pads an autorange by a share of its length,
                # which for a hundred sites left an empty band of several rows at the top.
                "range": [len(zeilen) - 0.5, -0.5],
                "showgrid": False,
                "zeroline": False,
            },
        }
    )
    if referenz_text:
        layout["margin"]["t"] = max(layout["margin"]["t"], 46)
    return _figur(spuren, layout)


def _intervalle(punkte: pd.DataFrame, y: pd.Series, **achsen: str) -> list[dict[str, Any]]:
    """The 95 % intervals of dots as horizontal lines, one trace per colour.

    All intervals of one colour go into one trace, separated by gaps (None), which keeps a
    forest plot of a hundred sites at a handful of traces. ``achsen``: xaxis/yaxis of a panel.
    """
    mit_ki = punkte["unten"].notna() & punkte["oben"].notna()
    spuren = []
    for farbe, gruppe in punkte[mit_ki].groupby("farbe", sort=False):
        x = np.column_stack([gruppe["unten"], gruppe["oben"], np.full(len(gruppe), np.nan)])
        hoehe = np.repeat(y[gruppe.index].to_numpy(dtype=float), 3)
        hoehe[2::3] = np.nan
        spuren.append(
            {
                "type": "scatter",
                "x": _liste(x.ravel()),
                "y": _liste(hoehe),
                **achsen,
                "mode": "lines",
                "line": {"color": farbe, "width": 3},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    return spuren


def _hover_punkt(
    z: Any,
    serie: str,
    einheit: str,
    stellen: int,
    vorzeichen: bool,
    zeilen_text: Mapping[str, str] | None,
) -> str:
    kopf = (zeilen_text or {}).get(z.zeile, z.zeile) + (f" · {serie}" if serie else "")
    text = f"<b>{kopf}</b><br>{_text(z.wert, einheit, stellen, vorzeichen)}"
    if not pd.isna(z.unten) and not pd.isna(z.oben):
        text += f"<br>95-%-KI: {zahl(z.unten, stellen)} bis {zahl(z.oben, stellen)}"
    n = getattr(z, "n", None)
    if n is not None and not pd.isna(n):
        text += f"<br>n = {zahl(n)}"
    return text


# -- lines over quarters ----------------------------------------------------------------------
def _null_linie(achse: str) -> dict[str, Any]:
    """A dotted line at 0 across the plot (x = 0 or y = 0)."""
    linie = {"type": "line", "line": {"color": GRAU, "width": 1, "dash": "dot"}}
    if achse == "x":
        return {**linie, "xref": "x", "yref": "paper", "x0": 0, "x1": 0, "y0": 0, "y1": 1}
    return {**linie, "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 0, "y1": 0}


def trendlinien(
    daten: pd.DataFrame,
    *,
    perioden: Sequence[str],
    perioden_text: Sequence[str],
    serien: Sequence[str],
    farben: Mapping[str, str],
    y_titel: str,
    einheit: str,
    stellen: int,
    vorzeichen: bool = False,
    intervall_fuer: str | None = None,
) -> go.Figure:
    """Quarterly values as lines, one per series (group); suppressed quarters are gaps.

    ``daten`` columns: periode, serie, wert, unten, oben, unterdrueckt. A quarter without a
    released value is ``None`` on the line — plotly leaves a gap (``connectgaps=False``), so a
    hidden quarter can never look like 0. The series ``intervall_fuer`` gets its 95 % interval
    as error bars.
    """
    achse = list(perioden_text)
    spuren: list[dict[str, Any]] = []
    for serie in serien:
        teil = daten[daten["serie"] == serie].set_index("periode").reindex(list(perioden))
        frei = ~teil["unterdrueckt"].fillna(True).astype(bool) & teil["wert"].notna()
        spur: dict[str, Any] = {
            "type": "scatter",
            "x": achse,
            "y": _liste(teil["wert"].where(frei)),
            "mode": "lines+markers",
            "name": serie,
            "line": {"color": farben.get(serie, GESAMT_FARBE), "width": 3},
            "marker": {"size": 8},
            "connectgaps": False,
            "hovertext": [
                f"<b>{serie}</b> · {q}<br>"
                + (_text(w, einheit, stellen, vorzeichen) if ok else "nicht ausgewiesen")
                for q, w, ok in zip(achse, teil["wert"], frei, strict=True)
            ],
            "hoverinfo": "text",
        }
        if serie == intervall_fuer and teil["unten"].notna().any():
            spur["error_y"] = {
                "type": "data",
                "array": _liste((teil["oben"] - teil["wert"]).where(frei)),
                "arrayminus": _liste((teil["wert"] - teil["unten"]).where(frei)),
                "thickness": 1.2,
                "width": 4,
                "color": farben.get(serie, GESAMT_FARBE),
            }
        spuren.append(spur)
    layout = _grundlayout(340)
    layout.update(
        {
            "xaxis": {
                "title": {"text": "Quartal"},
                "type": "category",
                "categoryorder": "array",
                "categoryarray": achse,
            },
            "yaxis": {
                "title": {"text": y_titel},
                "ticksuffix": f"{NBSP}%" if einheit == "%" else "",
            },
            "shapes": [_null_linie("y")] if vorzeichen else [],
        }
    )
    return _figur(spuren, layout)


# -- bars (counts: no interval) ---------------------------------------------------------------
def _balkenfigur(
    kategorien: list[str],
    werte: pd.Series,
    farben: list[str],
    texte: list[str],
    leer_text: str,
    leer: pd.Series,
    *,
    x_titel: str,
    x_bereich: list[float],
    hover: str,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Horizontal bars plus a grey text where a row has no bar (suppressed or no data)."""
    spuren: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": _liste(werte),
            "y": kategorien,
            "orientation": "h",
            "marker": {"color": farben},
            "text": texte,
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": hover,
            "showlegend": False,
        }
    ]
    if leer.any():
        spuren.append(
            {
                "type": "scatter",
                "x": [0.0] * int(leer.sum()),
                "y": [k for k, x in zip(kategorien, leer, strict=True) if x],
                "mode": "text",
                "text": [leer_text] * int(leer.sum()),
                "textposition": "middle right",
                "textfont": {"color": GRAU},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    layout = _grundlayout(max(160, 70 + 30 * len(kategorien)), legende=False)
    layout.update(
        {
            "xaxis": {"title": {"text": x_titel}, "range": x_bereich},
            "yaxis": {
                "autorange": "reversed",
                "type": "category",
                "categoryorder": "array",
                "categoryarray": kategorien,
            },
        }
    )
    return spuren, layout


def balken(
    daten: pd.DataFrame,
    *,
    x_titel: str,
    einheit: str = "",
    stellen: int = 0,
    markierung: str = UNTERDRUECKT,
) -> go.Figure:
    """Horizontal bars for counts and rates (which have no interval), one per row.

    ``daten`` columns: kategorie, wert, farbe, unterdrueckt — in display order, top first. A
    suppressed row gets no bar but the mark at 0.
    """
    frei = ~daten["unterdrueckt"].astype(bool) & daten["wert"].notna()
    oben = _bereich(daten["wert"].where(frei).tolist())
    spuren, layout = _balkenfigur(
        daten["kategorie"].tolist(),
        daten["wert"].where(frei),
        daten["farbe"].tolist(),
        [
            _text(w, einheit, stellen, False) if ok else ""
            for w, ok in zip(daten["wert"], frei, strict=True)
        ],
        markierung,
        ~frei,
        x_titel=x_titel,
        x_bereich=[0, (oben[1] if oben and oben[1] > 0 else 1) * 1.45],
        hover="<b>%{y}</b><br>%{text}<extra></extra>",
    )
    return _figur(spuren, layout)


def zielerreichung_balken(daten: pd.DataFrame) -> go.Figure:
    """Attainment per indicator as bars in status colours, with the 100 % target line.

    ``daten`` columns: kategorie, zielerreichung (%), status — top first. The numbers stand in
    a column right of all bars (never on top of the target line); indicators without a target
    or value say "keine Daten" there.
    """
    mit = daten["zielerreichung"].notna()
    hoechste = daten["zielerreichung"].max(skipna=True)
    oben = max(120.0, min((0.0 if pd.isna(hoechste) else float(hoechste)) + 10, 200.0))
    kategorien = daten["kategorie"].tolist()
    spuren: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": _liste(daten["zielerreichung"].where(mit).clip(upper=oben)),
            "y": kategorien,
            "orientation": "h",
            "marker": {"color": [status_farbe(s) for s in daten["status"]]},
            "customdata": [
                f"{zahl(w)}{NBSP}% · {mit_symbol(s)}" if m else mit_symbol(s)
                for w, s, m in zip(daten["zielerreichung"], daten["status"], mit, strict=True)
            ],
            "hovertemplate": "<b>%{y}</b><br>Zielerreichung %{customdata}<extra></extra>",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": [oben + 4] * len(kategorien),
            "y": kategorien,
            "mode": "text",
            "text": [
                f"{zahl(w)}{NBSP}% · {mit_symbol(s)}" if m else mit_symbol(s)
                for w, s, m in zip(daten["zielerreichung"], daten["status"], mit, strict=True)
            ],
            "textposition": "middle right",
            "textfont": {"color": [TEXTFARBE if m else NEBENTEXT for m in mit]},
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    layout = _grundlayout(max(200, 70 + 28 * len(kategorien)), legende=False)
    layout.update(
        {
            "xaxis": {
                "title": {"text": "Zielerreichung (% des Ziels)"},
                "range": [0, oben + 55],
                "tickvals": list(range(0, int(oben) + 1, 20)),
                "ticksuffix": f"{NBSP}%",
            },
            "yaxis": {
                "autorange": "reversed",
                "type": "category",
                "categoryorder": "array",
                "categoryarray": kategorien,
            },
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": 100,
                    "x1": 100,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": GESAMT_FARBE, "width": 1.5, "dash": "dash"},
                }
            ],
            "annotations": [
                {
                    "x": 100,
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "yanchor": "bottom",
                    "text": "Ziel",
                    "showarrow": False,
                }
            ],
        }
    )
    return _figur(spuren, layout)


# -- heat map ---------------------------------------------------------------------------------
def zielerreichung_heatmap(
    erreichung: pd.DataFrame,
    status: pd.DataFrame,
    *,
    spalten_text: Mapping[str, str],
    zeilen_kennung: Sequence[str] | None = None,
) -> go.Figure:
    """Attainment (% of target) as a grid rows × indicators, cells in status colours.

    ``erreichung`` and ``status`` share index (row labels, e.g. sites) and columns (indicator
    IDs). The colour is the status, the text the attainment; cells without target or value are
    grey and read "–". Text is black or white per cell for contrast.

    ``zeilen_kennung`` (the rows' site IDs) makes the cells clickable: a heat map itself cannot
    be selected in plotly, so an invisible square marker sits on every cell, carrying
    ``customdata`` ``[site, indicator]`` for the selection event (:mod:`ui.sprung`).
    """
    reihenfolge = list(STATUS_REIHENFOLGE)
    nummer_von = {str(st): k for k, st in enumerate(reihenfolge)}
    status_werte = status.to_numpy(dtype=object)
    codes = np.vectorize(lambda s: nummer_von.get(s, 4), otypes=[float])(status_werte)
    skala = []
    for nummer, st in enumerate(reihenfolge):
        skala += [[nummer / len(reihenfolge), status_farbe(st)]]
        skala += [[(nummer + 1) / len(reihenfolge), status_farbe(st)]]
    zeilen, spalten = list(erreichung.index), list(erreichung.columns)
    werte = erreichung.to_numpy(dtype=float)
    zahlen = np.where(
        np.isnan(werte),
        "–",
        np.char.replace(np.char.mod("%.0f", np.nan_to_num(werte)).astype(str), "-", "−"),
    )
    texte = np.where(np.isnan(werte), "–", np.char.add(zahlen.astype(str), f"{NBSP}%"))
    # Status is never colour alone: each cell starts with its symbol (✓ ↗ ! ✕ ○); the cell
    # leaves out the "%" (the caption says it) so that symbol and number fit 21 columns.
    symbole = np.vectorize(
        lambda s: STATUS_SYMBOL.get(reihenfolge[nummer_von.get(s, 4)], ""), otypes=[object]
    )(status_werte)
    zellen = np.char.add(np.char.add(symbole.astype(str), "\u202f"), zahlen.astype(str))
    namen = np.array([spalten_text.get(s, s) for s in spalten], dtype=object)
    hover = (
        "<b>"
        + np.array(zeilen, dtype=object)[:, None]
        + "</b><br>"
        + namen[None, :]
        + "<br>Zielerreichung: "
        + texte.astype(object)
        + " · "
        + np.vectorize(mit_symbol, otypes=[object])(status_werte.astype(str))
    )
    textfarben = {str(st): textfarbe(status_farbe(st)) for st in reihenfolge}
    gitter_x, gitter_y = np.meshgrid(np.arange(len(spalten)), np.arange(len(zeilen)))
    spuren: list[dict[str, Any]] = [
        {
            "type": "heatmap",
            "z": codes.tolist(),
            "x": spalten,
            "y": zeilen,
            "zmin": 0,
            "zmax": len(reihenfolge),
            "colorscale": skala,
            "showscale": False,
            "xgap": 2,
            "ygap": 2,
            "hovertext": hover.tolist(),
            "hoverinfo": "skip" if zeilen_kennung is not None else "text",
        },
        {
            "type": "scatter",
            "x": np.array(spalten, dtype=object)[gitter_x.ravel()].tolist(),
            "y": np.array(zeilen, dtype=object)[gitter_y.ravel()].tolist(),
            "mode": "text",
            "text": zellen.ravel().tolist(),
            "textfont": {
                "color": [textfarben.get(s, "#000000") for s in status_werte.ravel()],
                "size": SCHRIFT - 3,
            },
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    if zeilen_kennung is not None:
        # Clickable cells: transparent squares (hover and selection need a point, and a heat
        # map has none that plotly can select). Hover moves here with a wide hover distance,
        # so the whole cell answers.
        kennung = np.array(list(zeilen_kennung), dtype=object)
        spuren.append(
            {
                "type": "scatter",
                "x": np.array(spalten, dtype=object)[gitter_x.ravel()].tolist(),
                "y": np.array(zeilen, dtype=object)[gitter_y.ravel()].tolist(),
                "mode": "markers",
                "marker": {"symbol": "square", "size": 22, "color": "rgba(0,0,0,0)"},
                "customdata": np.stack(
                    [kennung[gitter_y.ravel()], np.array(spalten, dtype=object)[gitter_x.ravel()]],
                    axis=1,
                ).tolist(),
                "hovertext": hover.ravel().tolist(),
                "hoverinfo": "text",
                "selected": {"marker": {"opacity": 0}},
                "unselected": {"marker": {"opacity": 0}},
                "showlegend": False,
                "name": "Zelle",
            }
        )
    for st in reihenfolge:  # legend: one square per status
        spuren.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "marker": {"symbol": "square", "size": 14, "color": status_farbe(st)},
                "name": mit_symbol(str(st)),
            }
        )
    layout = _grundlayout(max(240, 110 + 26 * len(zeilen)))
    layout.update(
        {
            "xaxis": {"side": "top", "type": "category", "showgrid": False},
            "yaxis": {"autorange": "reversed", "type": "category", "showgrid": False},
            "legend": {**layout["legend"], "y": -0.02, "yanchor": "top"},
            "margin": {**layout["margin"], "t": 30, "b": 40},
            "hoverdistance": 60,
        }
    )
    return _figur(spuren, layout)


# -- Wirkungstreppe ---------------------------------------------------------------------------
_TREPPENABSCHNITT = {1: "Output", 2: "Output", 3: "Output", 4: "Outcome", 5: "Outcome"}


def wirkungstreppe(indikatoren: Sequence[Indikator], farbe: str = "#0072B2") -> go.Figure:
    """The PHINEO staircase (steps 1–7) with the given indicators placed on their step.

    Steps that hold an indicator are drawn darker; the step wording is the hover text and,
    wrapped, the axis label. Steps 1–3 are output, 4–6 outcome, 7 impact.
    """
    stufen = list(range(1, 8))
    belegt = {s: [i for i in indikatoren if i.stufe == s] for s in stufen}
    x, y, text, hover = [], [], [], []
    for s in stufen:
        for k, ind in enumerate(belegt[s]):
            x.append(s)
            y.append(s + 0.45 + 0.62 * k)
            text.append(ind.id)
            hover.append(f"<b>{ind.id} – {ind.name}</b><br>Stufe {s}: {WIRKUNGSTREPPE[s]}")
    spuren: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": stufen,
            "y": stufen,
            "width": 0.98,
            "marker": {
                "color": [HELL if belegt[s] else HELLGRAU for s in stufen],
                "line": {"color": "#B8C4D0", "width": 1},
            },
            "hovertext": [f"Stufe {s}: {WIRKUNGSTREPPE[s]}" for s in stufen],
            "hoverinfo": "text",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": x,
            "y": y,
            "mode": "markers+text",
            "text": text,
            "textposition": "middle center",
            "textfont": {"color": "#FFFFFF", "size": SCHRIFT - 2},
            "marker": {"color": farbe, "size": 30, "symbol": "square"},
            "hovertext": hover,
            "hoverinfo": "text",
            "showlegend": False,
        },
    ]
    anmerkungen: list[dict[str, Any]] = [
        {
            "x": s,
            "y": 0.35,
            "text": f"<b>{s}</b>",
            "showarrow": False,
            "font": {"size": SCHRIFT, "color": GRAU},
        }
        for s in stufen
    ]
    for name, (von, bis) in {"Output": (1, 3), "Outcome": (4, 6), "Impact": (7, 7)}.items():
        anmerkungen.append(
            {
                "x": (von + bis) / 2,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "text": name,
                "showarrow": False,
                "font": {"size": SCHRIFT - 2, "color": GRAU},
            }
        )
    oben = max(7.6, max(y, default=7.0) + 0.6)
    layout = _grundlayout(int(120 + 38 * oben), legende=False)
    layout.update(
        {
            "bargap": 0,
            "annotations": anmerkungen,
            "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
            "xaxis": {
                "tickvals": stufen,
                "ticktext": [_umbrechen(WIRKUNGSTREPPE[s], 16) for s in stufen],
                "tickfont": {"size": SCHRIFT - 3},
                "showgrid": False,
            },
            "yaxis": {"visible": False, "range": [0, oben]},
        }
    )
    return _figur(spuren, layout)


def _umbrechen(text: str, breite: int) -> str:
    """Wrap a label at word boundaries with <br> (plotly does not wrap axis labels)."""
    zeilen: list[str] = []
    for wort in text.split():
        if zeilen and len(zeilen[-1]) + 1 + len(wort) <= breite:
            zeilen[-1] += " " + wort
        else:
            zeilen.append(wort)
    return "<br>".join(zeilen)


# -- small multiples --------------------------------------------------------------------------
def _raster(
    anzahl: int, spalten: int, titel: Sequence[str], *, abstand_x: float, abstand_y: float
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Layout of a grid of panels (axes + title annotations) built as one plain dict.

    ``make_subplots`` does the same but validates every step; for a few dozen panels that
    alone took a noticeable part of a page's time budget. Returns the layout and, per panel,
    its (x, y) axis references ("x2", "y2").
    """
    reihen = max(1, math.ceil(anzahl / spalten))
    breite = (1 - abstand_x * (spalten - 1)) / spalten
    hoehe = (1 - abstand_y * (reihen - 1)) / reihen
    layout: dict[str, Any] = {"annotations": []}
    achsen = []
    for nummer in range(anzahl):
        reihe, spalte = divmod(nummer, spalten)
        suffix = "" if nummer == 0 else str(nummer + 1)
        x0 = spalte * (breite + abstand_x)
        y1 = 1 - reihe * (hoehe + abstand_y)
        layout[f"xaxis{suffix}"] = {
            "domain": [max(0.0, x0), min(1.0, x0 + breite)],
            "anchor": f"y{suffix}",
            "showticklabels": reihe == reihen - 1 or nummer + spalten >= anzahl,
        }
        layout[f"yaxis{suffix}"] = {
            "domain": [max(0.0, y1 - hoehe), min(1.0, y1)],
            "anchor": f"x{suffix}",
            "showticklabels": spalte == 0,
        }
        if nummer:
            layout[f"xaxis{suffix}"]["matches"] = "x"
        layout["annotations"].append(
            {
                "text": titel[nummer],
                "x": x0 + breite / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": SCHRIFT - 2},
            }
        )
        achsen.append((f"x{suffix}", f"y{suffix}"))
    return layout, achsen


def kleine_vielfache(
    daten: pd.DataFrame,
    referenz: pd.DataFrame | None,
    *,
    perioden: Sequence[str],
    perioden_text: Sequence[str],
    farben: Mapping[str, str],
    y_titel: str,
    einheit: str,
    stellen: int,
    vorzeichen: bool = False,
    spalten: int = 4,
) -> go.Figure:
    """One small line chart per site (facet), shared axes, the project line in grey in each.

    ``daten`` columns: facette (site label, in display order), periode, wert, unterdrueckt;
    ``referenz``: periode, wert (the pooled value per quarter) or None. Suppressed quarters
    are gaps.
    """
    facetten = list(dict.fromkeys(daten["facette"]))
    spalten = min(spalten, max(1, len(facetten)))
    reihen = max(1, math.ceil(len(facetten) / spalten))
    layout, achsen = _raster(
        len(facetten),
        spalten,
        [_kurz(f, 38) for f in facetten],
        abstand_x=0.03,
        abstand_y=min(0.1, 0.45 / reihen),
    )
    achse = list(perioden_text)
    ref_werte = None
    if referenz is not None and not referenz.empty:
        ref = referenz.set_index("periode").reindex(list(perioden))
        ref_werte = [None if pd.isna(w) else float(w) for w in ref["wert"]]
    # One matrix facet × quarter instead of a reindex per facet (a hundred sites add up).
    zeile = daten["facette"].map({f: k for k, f in enumerate(facetten)}).to_numpy()
    spalte = daten["periode"].map({q: k for k, q in enumerate(perioden)})
    bekannt = spalte.notna().to_numpy()
    werte = np.full((len(facetten), len(perioden)), np.nan)
    frei_daten = ~daten["unterdrueckt"].fillna(True).astype(bool) & daten["wert"].notna()
    werte[zeile[bekannt], spalte[bekannt].astype(int)] = daten["wert"].where(frei_daten)[bekannt]
    spuren: list[dict[str, Any]] = []
    for nummer, facette in enumerate(facetten):
        x_ref, y_ref = achsen[nummer]
        if ref_werte is not None:
            spuren.append(
                {
                    "type": "scatter",
                    "x": achse,
                    "y": ref_werte,
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "mode": "lines",
                    "line": {"color": "#A0A0A0", "width": 1.5, "dash": "dash"},
                    "name": "alle gewählten Standorte",
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
        reihe = werte[nummer]
        spuren.append(
            {
                "type": "scatter",
                "x": achse,
                "y": _liste(reihe),
                "xaxis": x_ref,
                "yaxis": y_ref,
                "mode": "lines+markers",
                "line": {"color": farben.get(facette, GESAMT_FARBE), "width": 2.5},
                "marker": {"size": 5},
                "connectgaps": False,
                "showlegend": False,
                "name": facette,
                "hovertext": [
                    f"<b>{facette}</b> · {q}<br>"
                    + (
                        "nicht ausgewiesen"
                        if np.isnan(w)
                        else _text(float(w), einheit, stellen, vorzeichen)
                    )
                    for q, w in zip(achse, reihe, strict=True)
                ],
                "hoverinfo": "text",
            }
        )
    for name, achse_layout in layout.items():
        if name.startswith("xaxis"):
            achse_layout.update(
                {
                    "type": "category",
                    "categoryorder": "array",
                    "categoryarray": achse,
                    "tickangle": -45,
                }
            )
        elif name.startswith("yaxis"):
            achse_layout.update({"zeroline": vorzeichen})
            if name != "yaxis":
                achse_layout["matches"] = "y"
            if einheit == "%":
                achse_layout["ticksuffix"] = f"{NBSP}%"
    layout["yaxis"]["title"] = {"text": y_titel}
    return _figur(spuren, {**_grundlayout(110 + 170 * reihen, legende=False), **layout})


def _kurz(text: str, laenge: int) -> str:
    return text if len(text) <= laenge else text[: laenge - 1] + "…"


# -- map --------------------------------------------------------------------------------------
@cache
def _umriss() -> dict[str, Any]:
    """Outlines of Germany and its neighbours (Natural Earth, shipped in data/ — no download)."""
    return json.loads(KARTE.read_text(encoding="utf-8"))


def standortkarte(daten: pd.DataFrame, *, beschriften: bool | None = None) -> go.Figure:
    """Sites on an outline map of Germany, drawn from shipped coordinates (works offline).

    ``daten`` columns: label, lat, lon, farbe, groesse (n, for the marker area), info (hover
    line), optionally kurz (the short text written beside the marker, e.g. the town).
    Latitude is stretched by 1/cos(51°) so Germany keeps its shape (equirectangular projection
    around its middle latitude).
    """
    spuren: list[dict[str, Any]] = []
    for deutschland in (False, True):
        x: list[float | None] = []
        y: list[float | None] = []
        for land in _umriss()["laender"]:
            if (land["land"] == "Deutschland") is not deutschland:
                continue
            for ring in land["ringe"]:
                x += [punkt[0] for punkt in ring] + [None]
                y += [punkt[1] for punkt in ring] + [None]
        spuren.append(
            {
                "type": "scatter",
                "x": x,
                "y": y,
                "mode": "lines",
                "fill": "toself",
                "fillcolor": HELL if deutschland else "#F7F7F7",
                "line": {"color": "#8A9BB0" if deutschland else "#D0D0D0", "width": 1},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    orte = daten.dropna(subset=["lat", "lon"])
    if not orte.empty:
        n = pd.to_numeric(orte["groesse"], errors="coerce").fillna(0).to_numpy(dtype=float)
        groesse = 9 + 21 * np.sqrt(n / n.max()) if n.max() > 0 else np.full(len(orte), 12.0)
        beschriften = len(orte) <= 15 if beschriften is None else beschriften
        spuren.append(
            {
                "type": "scatter",
                "x": _liste(orte["lon"]),
                "y": _liste(orte["lat"]),
                "mode": "markers+text" if beschriften else "markers",
                "text": orte.get("kurz", orte["label"]).tolist() if beschriften else None,
                "textposition": "top center",
                "textfont": {"size": SCHRIFT - 2},
                "marker": {
                    "color": orte["farbe"].tolist(),
                    "size": groesse.tolist(),
                    "line": {"color": "#FFFFFF", "width": 1.5},
                    "opacity": 0.9,
                },
                "hovertext": [
                    f"<b>{name}</b><br>{info}"
                    for name, info in zip(orte["label"], orte["info"], strict=True)
                ],
                "hoverinfo": "text",
                "showlegend": False,
                # [site, indicator] for a click (selection event) that opens the goal page
                "customdata": orte[["standort", "indikator"]].to_numpy(dtype=object).tolist()
                if {"standort", "indikator"} <= set(orte.columns)
                else None,
                "selected": {"marker": {"opacity": 0.9}},
                "unselected": {"marker": {"opacity": 0.9}},
            }
        )
    layout = _grundlayout(620, legende=False)
    layout.update(
        {
            "xaxis": {"visible": False, "range": [5.4, 15.6], "fixedrange": True},
            "yaxis": {
                "visible": False,
                "range": [47.1, 55.2],
                "scaleanchor": "x",
                "scaleratio": 1 / math.cos(math.radians(51.2)),
                "fixedrange": True,
            },
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "plot_bgcolor": "#FFFFFF",
        }
    )
    return _figur(spuren, layout)


# -- effects per format -----------------------------------------------------------------------
def effekte_raster(
    daten: pd.DataFrame,
    *,
    indikatoren: Sequence[Indikator],
    zeilen: Sequence[str],
    spalten: int = 3,
    markierung: str = UNTERDRUECKT,
) -> go.Figure:
    """Small dot-and-interval charts, one per indicator, rows = categories (e.g. formats).

    ``daten`` columns: indikator, zeile, wert, unten, oben, unterdrueckt, farbe, n. Each panel
    has its own x axis (units differ: scale points, thermometer points, percentage points) and
    a dotted zero line; a suppressed row shows the mark at 0.
    """
    spalten = min(spalten, max(1, len(indikatoren)))
    reihen = max(1, math.ceil(len(indikatoren) / spalten))
    layout, achsen = _raster(
        len(indikatoren),
        spalten,
        [_kurz(f"{i.id} {i.name}", 36) for i in indikatoren],
        abstand_x=0.05,
        abstand_y=min(0.16, 0.8 / reihen),
    )
    position = {z: k for k, z in enumerate(zeilen)}
    spuren: list[dict[str, Any]] = []
    formen: list[dict[str, Any]] = []
    for nummer, ind in enumerate(indikatoren):
        x_ref, y_ref = achsen[nummer]
        suffix = x_ref[1:]
        layout[f"xaxis{suffix}"].update(
            {"title": {"text": ind.einheit, "font": {"size": SCHRIFT - 3}}, "zeroline": False}
        )
        layout[f"xaxis{suffix}"].pop("matches", None)
        layout[f"xaxis{suffix}"]["showticklabels"] = True
        teil = daten[(daten["indikator"] == ind.id) & daten["zeile"].isin(position)]
        frei = teil[~teil["unterdrueckt"].astype(bool) & teil["wert"].notna()]
        spuren += _intervalle(frei, frei["zeile"].map(position), xaxis=x_ref, yaxis=y_ref)
        if not frei.empty:
            spuren.append(
                {
                    "type": "scatter",
                    "x": frei["wert"].tolist(),
                    "y": frei["zeile"].map(position).tolist(),
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "mode": "markers",
                    "marker": {
                        "color": frei["farbe"].tolist(),
                        "size": 11,
                        "line": {"color": "#FFFFFF", "width": 1},
                    },
                    "hovertext": [
                        _hover_punkt(z, "", ind.einheit, ind.dezimalstellen, True, None)
                        for z in frei.itertuples(index=False)
                    ],
                    "hoverinfo": "text",
                    "showlegend": False,
                }
            )
        versteckt = teil[teil["unterdrueckt"].astype(bool) | teil["wert"].isna()]
        if not versteckt.empty:
            spuren.append(
                {
                    "type": "scatter",
                    "x": [0.0] * len(versteckt),
                    "y": versteckt["zeile"].map(position).tolist(),
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "mode": "text",
                    "text": [markierung] * len(versteckt),
                    "textfont": {"color": GRAU},
                    "hovertext": "aus Datenschutzgründen nicht ausgewiesen",
                    "hoverinfo": "text",
                    "showlegend": False,
                }
            )
        formen.append(
            {
                "type": "line",
                "x0": 0,
                "x1": 0,
                "xref": x_ref,
                "y0": 0,
                "y1": 1,
                "yref": f"{y_ref} domain",
                "line": {"color": GRAU, "width": 1, "dash": "dot"},
            }
        )
    layout["shapes"] = formen
    for name, achse_layout in layout.items():
        if name.startswith("yaxis"):
            achse_layout.update(
                {
                    "tickvals": list(range(len(zeilen))),
                    "ticktext": list(zeilen),
                    "range": [len(zeilen) - 0.5, -0.5],
                    "showgrid": False,
                }
            )
            if name != "yaxis":
                achse_layout["matches"] = "y"
    return _figur(spuren, {**_grundlayout(90 + 190 * reihen, legende=False), **layout})

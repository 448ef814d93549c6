"""Imported text is shown as plain text in charts: no clickable links from data (issue 14, 8).

Why: plotly renders a small HTML subset in every text of a figure — labels, hover texts,
category names, legends — including ``<a href=…>``. A site named
``<a href="https://…">Köln</a>`` would become a link in a chart that funders open. Our own
figures use ``<br>`` and ``<b>`` but never links, so every ``<a`` tag in a figure is escaped
(``&lt;a``, which plotly shows as the literal text) right before the figure is drawn.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import plotly.graph_objects as go

_LINK = re.compile(r"<(/?a)(?=[\s>/]|$)", re.IGNORECASE)


def ohne_links(wert: Any) -> Any:
    """``wert`` with every ``<a`` / ``</a`` tag in any string escaped (nested lists, dicts,
    arrays of text); other values are returned unchanged."""
    if isinstance(wert, str):
        return _LINK.sub(r"&lt;\1", wert) if "<" in wert else wert
    if isinstance(wert, dict):
        return {schluessel: ohne_links(inhalt) for schluessel, inhalt in wert.items()}
    if isinstance(wert, list | tuple):
        return [ohne_links(inhalt) for inhalt in wert]
    if isinstance(wert, np.ndarray) and wert.dtype.kind in "OUS":
        return np.array([ohne_links(inhalt) for inhalt in wert.ravel()], dtype=object).reshape(
            wert.shape
        )
    return wert


def figur(fig: go.Figure) -> go.Figure:
    """The figure with links from data made plain text (rebuilt without re-validation)."""
    sauber = ohne_links(fig.to_plotly_json())
    return go.Figure(data=sauber["data"], layout=sauber["layout"], _validate=False)

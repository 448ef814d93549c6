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


#: Invisible word joiner: breaks a link pattern without changing what a reader sees.
WORTVERBINDER = "\u2060"
_VERWEIS = re.compile(r"(\]\s*)(\()|(?<=[A-Za-z])(:)(?=//)|(?<=www)(\.)|(@)", re.IGNORECASE)


def ohne_verweise(text: str) -> str:
    """``text`` for Markdown (page texts, captions, lists): no link can form from it.

    Streamlit's Markdown turns ``[x](https://…)``, bare ``https://…``/``www.…`` addresses and
    e-mail addresses into links. A word joiner inside ``](``, before ``://``, after ``www`` and
    before ``@`` breaks each pattern; it is invisible, so the name reads the same — also in
    charts and tables, where the same label is used.
    """
    return _VERWEIS.sub(_gebrochen, text)


def _gebrochen(treffer: re.Match[str]) -> str:
    teile = [teil for teil in treffer.groups() if teil]
    # "](" → "]⁠(" ; ":", "." or "@" → "⁠:" …
    return WORTVERBINDER.join(teile) if len(teile) == 2 else WORTVERBINDER + teile[0]


def figur(fig: go.Figure) -> go.Figure:
    """The figure with links from data made plain text (rebuilt without re-validation)."""
    sauber = ohne_links(fig.to_plotly_json())
    return go.Figure(data=sauber["data"], layout=sauber["layout"], _validate=False)

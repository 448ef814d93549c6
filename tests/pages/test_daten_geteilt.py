"""The shared result cache (ui.daten): pages get their own copies of a shared result."""

from __future__ import annotations

import pandas as pd

from indikatoren.engine import Ergebnis
from ui.daten import _kopie


def test_seite_aendert_nur_ihre_kopie() -> None:
    """A page that adds a column, overwrites values or drops rows in its result leaves the
    shared cached object (seen by every other session) exactly as it was."""
    geteilt = Ergebnis(
        indikatoren=pd.DataFrame({"indikator": ["A1", "A2"], "wert": [50.0, 60.0]}),
        vorher_nachher=pd.DataFrame({"indikator": ["A1"], "n_paare": [12]}),
    )
    vorher = (geteilt.indikatoren.copy(), geteilt.vorher_nachher.copy())
    seite = _kopie(geteilt)
    seite.indikatoren["status"] = "erreicht"
    seite.indikatoren.loc[0, "wert"] = 99.0
    seite.vorher_nachher.loc[0, "n_paare"] = 99
    pd.testing.assert_frame_equal(geteilt.indikatoren, vorher[0])
    pd.testing.assert_frame_equal(geteilt.vorher_nachher, vorher[1])
    assert seite.indikatoren.loc[0, "wert"] == 99.0

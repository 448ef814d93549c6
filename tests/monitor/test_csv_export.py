"""Issue 14, 4: the one CSV writer neutralises formula starts in every text column, whatever its
dtype (pandas 3 ``str``, ``object``, ``category``), and in the headers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from monitor.ausgabe import FORMELANFAENGE, als_csv

ANGRIFFE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\tx", "\rx", "=HYPERLINK(1)"]


def _zellen(inhalt: bytes, deutsch: bool) -> list[list[str]]:
    text = inhalt.decode("utf-8-sig" if deutsch else "utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if deutsch else ","))


@pytest.mark.parametrize("deutsch", [True, False])
@pytest.mark.parametrize("dtype", ["str", "object", "category", "string[python]"])
def test_keine_zelle_beginnt_eine_formel(dtype: str, deutsch: bool) -> None:
    tabelle = pd.DataFrame(
        {
            "Text": pd.Series(ANGRIFFE, dtype=dtype),
            "Zahl": [-1.5, 2.0, -3.25, 4.0, 5.0, 6.0, 7.0],
            "=Kopf": ["a"] * len(ANGRIFFE),
        }
    )
    zeilen = _zellen(als_csv(tabelle, deutsch=deutsch), deutsch)
    assert zeilen[0] == ["Text", "Zahl", "'=Kopf"]
    texte = [z[0] for z in zeilen[1:]]
    assert texte == ["'" + a for a in ANGRIFFE]
    assert not any(t.startswith(FORMELANFAENGE) for z in zeilen for t in z[::2])
    # numbers stay numbers (a negative number is not text, so not prefixed)
    assert [z[1] for z in zeilen[1:3]] == (["-1,5", "2,0"] if deutsch else ["-1.5", "2.0"])


def test_pandas_3_gibt_text_den_str_dtype() -> None:
    """The reason the old check (dtype == object) let formulas through."""
    assert pd.DataFrame({"a": ["=1"]})["a"].dtype != object
    zeilen = _zellen(als_csv(pd.DataFrame({"a": ["=1", None]}), deutsch=True), True)
    assert zeilen[1:] == [["'=1"], [""]]

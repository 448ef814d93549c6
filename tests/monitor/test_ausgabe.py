"""monitor.ausgabe: p values keep their digits in JSON and CSV and read "< 0,001" as text."""

from __future__ import annotations

import io
import json

import pandas as pd

from monitor import ausgabe

_SCHLUESSEL = ("indikator", "differenz", "p_wert")


def _tabelle() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indikator": ["A5", "A7", "C2"],
            "differenz": [0.123456789, 1.0, -2.5],
            "p_wert": [3.2e-9, 0.0004, 0.21875],
            "unterdrueckt": [False, False, False],
        }
    )


def test_json_p_wert_volle_genauigkeit() -> None:
    zeilen = json.loads(ausgabe.als_json(_tabelle(), _SCHLUESSEL))
    assert [z["p_wert"] for z in zeilen] == [3.2e-9, 0.0004, 0.21875]
    assert zeilen[0]["p_wert"] > 0  # rounded to 6 places it was 0.0
    assert zeilen[0]["differenz"] == 0.123457  # other numbers stay rounded


def test_csv_p_wert_volle_genauigkeit() -> None:
    for deutsch, trenner, dezimal in ((False, ",", "."), (True, ";", ",")):
        text = ausgabe.als_csv(_tabelle(), deutsch=deutsch).decode("utf-8-sig")
        gelesen = pd.read_csv(io.StringIO(text), sep=trenner, decimal=dezimal)
        assert gelesen["p_wert"].tolist() == [3.2e-9, 0.0004, 0.21875]
        assert gelesen["differenz"].iloc[0] == 0.123457


def test_text_p_wert_unter_promille() -> None:
    text = ausgabe.als_text(_tabelle(), {"indikator": ("ID", 0), "p_wert": ("p", 3)})
    zeilen = text.splitlines()
    assert "< 0,001" in zeilen[-3] and "< 0,001" in zeilen[-2]
    assert "0,219" in zeilen[-1]
    assert "0,000" not in text

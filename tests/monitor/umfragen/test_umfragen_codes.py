"""Self-generated codes: normalised at every import, near-duplicates reported, never merged."""

from __future__ import annotations

import pytest

from monitor.db import Datenbank
from monitor.importieren import importiere
from monitor.pruefung import normalisiere_code
from monitor.umfragen.codes import aehnliche_codes, aehnliche_codes_je_standort

KOPF = "code;standort;welle;datum;migrationshintergrund;a_thermometer"


@pytest.mark.parametrize(
    ("roh", "leerzeichen", "erwartet"),
    [
        ("MÜ07be", False, "mue07be"),
        ("Öz07ßa", False, "oez07ssa"),
        ("José-12", False, "jose-12"),
        ("MU 07 BE", True, "mu07be"),
        ("MU 07 BE", False, "mu 07 be"),  # the template keeps rejecting inner spaces
        ("ab_c-d", False, "ab_c-d"),
    ],
)
def test_normalisiere_code(roh: str, leerzeichen: bool, erwartet: str) -> None:
    assert normalisiere_code(roh, leerzeichen_entfernen=leerzeichen) == erwartet


def test_codes_verschiedener_schreibweisen_finden_ueber_die_wellen_zusammen(
    db_mit_standorten: Datenbank, schreibe
) -> None:
    db = db_mit_standorten
    t0 = importiere(db, schreibe("t0.csv", f"{KOPF}\nMÜ07be;KOELN;T0;01.03.2025;ja;40\n"))
    t1 = importiere(db, schreibe("t1.csv", f"{KOPF}\nmue07BE;KOELN;T1;01.06.2025;;60\n"))
    assert db.rows("SELECT code, welle, migrationshintergrund FROM befragungen ORDER BY welle") == [
        ("mue07be", "T0", "ja"),
        ("mue07be", "T1", "ja"),  # one person: the T1 row takes over T0's answer
    ]
    for ergebnis in (t0, t1):
        assert any("1 Code vereinheitlicht" in h and "Zeilen 2" in h for h in ergebnis.hinweise)


def test_aehnliche_codes_je_standort_werden_gemeldet_nicht_zusammengefuehrt(
    db_mit_standorten: Datenbank, schreibe
) -> None:
    db = db_mit_standorten
    assert aehnliche_codes(db).empty
    assert aehnliche_codes_je_standort(db).empty
    assert list(aehnliche_codes(db).columns) == [
        "standort",
        "code_1",
        "code_2",
        "abstand",
        "wellen_1",
        "wellen_2",
    ]
    zeilen = [
        "mue07be;KOELN;T0",
        "mue07bf;KOELN;T1",  # one letter replaced
        "abcd12;KOELN;T0",
        "abdc12;KOELN;T1",  # two neighbours swapped
        "xyz123;KOELN;T0",
        "xyz1234;KOELN;T1",  # one letter more
        "qrst99;KOELN;T0",
        "qrst99;KOELN;T1",  # the same code: a proper pair, no finding
        "mue07bg;BERLIN;T0",  # near a KOELN code, but another site
        "mue07bh;BERLIN;T0",
        "zzzz11;KOELN;T0",
        "zzyy11;KOELN;T0",  # two edits apart
    ]
    text = KOPF + "\n" + "\n".join(f"{z};01.03.2025;ja;50" for z in zeilen) + "\n"
    importiere(db, schreibe("codes.csv", text))
    paare = aehnliche_codes(db)
    assert [tuple(z) for z in paare.itertuples(index=False)] == [
        ("BERLIN", "mue07bg", "mue07bh", 1, "T0", "T0"),
        ("KOELN", "abcd12", "abdc12", 1, "T0", "T1"),
        ("KOELN", "mue07be", "mue07bf", 1, "T0", "T1"),
        ("KOELN", "xyz123", "xyz1234", 1, "T0", "T1"),
    ]
    assert db.scalar("SELECT count(DISTINCT code) FROM befragungen") == 11  # nothing merged
    assert aehnliche_codes(db, ["koeln"])["standort"].unique().tolist() == ["KOELN"]
    zaehlung = aehnliche_codes_je_standort(db)
    assert [tuple(z) for z in zaehlung.itertuples(index=False)] == [("BERLIN", 1), ("KOELN", 3)]
    assert list(zaehlung.columns) == ["standort", "paare"]  # counts only, no code

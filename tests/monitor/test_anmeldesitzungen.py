"""Remembered logins: a reload keeps the login through a random token, stored only as a hash."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from monitor import benutzer as b
from monitor.db import Datenbank

PASSWORT = "korrekt-pferd-batterie"


@pytest.fixture(autouse=True)
def _schnelle_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(b.SCHNELLE_HASHES_VARIABLE, "1")


@pytest.fixture
def angemeldet(db: Datenbank) -> tuple[Datenbank, b.Sitzung, str]:
    b.lege_an(db, "berta", "standort", PASSWORT, "KOELN")
    sitzung = b.anmelden(db, "berta", PASSWORT)
    assert sitzung is not None
    return db, sitzung, b.sitzung_merken(db, sitzung)


def test_token_fuehrt_zur_selben_anmeldung(angemeldet: tuple[Datenbank, b.Sitzung, str]) -> None:
    db, _, token = angemeldet
    wieder = b.sitzung_aus_token(db, token)
    assert wieder is not None
    assert (wieder.name, wieder.rolle, wieder.standort) == ("berta", "standort", "KOELN")
    assert wieder.zugriff.standorte == ("KOELN",)
    assert len(token) >= 40  # 32 random bytes, URL-safe


def test_nur_der_hash_steht_in_der_datenbank(
    angemeldet: tuple[Datenbank, b.Sitzung, str], tmp_path: Path
) -> None:
    db, _, token = angemeldet
    gespeichert = db.rows("SELECT token_hash FROM anmeldesitzungen")
    assert gespeichert == [(hashlib.sha256(token.encode()).hexdigest(),)]
    db.execute("CHECKPOINT")
    for datei in tmp_path.rglob("*.duckdb*"):
        assert token.encode() not in datei.read_bytes()


def test_falsches_abgelaufenes_oder_leeres_token_gilt_nicht(
    angemeldet: tuple[Datenbank, b.Sitzung, str],
) -> None:
    db, sitzung, token = angemeldet
    assert b.sitzung_aus_token(db, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert b.sitzung_aus_token(db, "") is None
    assert b.sitzung_aus_token(db, "x" * 500) is None
    spaeter = sitzung.angemeldet_am + b.SITZUNG_MAX_DAUER + timedelta(seconds=1)
    assert b.sitzung_aus_token(db, token, jetzt=spaeter) is None
    kurz_davor = sitzung.angemeldet_am + b.SITZUNG_MAX_DAUER - timedelta(seconds=1)
    assert b.sitzung_aus_token(db, token, jetzt=kurz_davor) is not None


def test_sperre_passwort_und_abmelden_beenden_das_token(
    angemeldet: tuple[Datenbank, b.Sitzung, str],
) -> None:
    db, _, token = angemeldet
    b.sperre(db, "berta")
    assert b.sitzung_aus_token(db, token) is None
    b.entsperre(db, "berta")
    assert b.sitzung_aus_token(db, token) is None  # changed after the login: log in again

    neu = b.anmelden(db, "berta", PASSWORT)
    assert neu is not None
    zweites = b.sitzung_merken(db, neu)
    assert b.sitzung_aus_token(db, zweites) is not None
    b.abmelden(db, neu, zweites)
    assert b.sitzung_aus_token(db, zweites) is None
    assert db.scalar("SELECT count(*) FROM anmeldesitzungen WHERE name = 'berta'") == 1


def test_abgelaufene_zeilen_werden_beim_naechsten_merken_entfernt(db: Datenbank) -> None:
    b.lege_an(db, "carl", "admin", PASSWORT)
    alt = b.Sitzung("carl", "admin", None, datetime.now() - timedelta(days=2))
    b.sitzung_merken(db, alt)
    assert db.scalar("SELECT count(*) FROM anmeldesitzungen") == 1
    b.sitzung_merken(db, b.Sitzung("carl", "admin", None, datetime.now()))
    assert db.scalar("SELECT count(*) FROM anmeldesitzungen") == 1


def test_gastsitzung_wird_nicht_gemerkt(db: Datenbank) -> None:
    with pytest.raises(ValueError, match="Gastsitzung"):
        b.sitzung_merken(db, b.gastsitzung())


def test_ueberall_abmelden_beendet_jedes_token_des_benutzers(
    angemeldet: tuple[Datenbank, b.Sitzung, str],
) -> None:
    """Issue 14, 7: two browsers (two tokens) of berta and one of anna; "überall abmelden" in
    one of berta's ends both of hers and leaves anna's."""
    db, sitzung, erstes = angemeldet
    zweites = b.sitzung_merken(db, sitzung)
    b.lege_an(db, "anna", "admin", PASSWORT)
    anna = b.anmelden(db, "anna", PASSWORT)
    assert anna is not None
    annas = b.sitzung_merken(db, anna)
    b.abmelden(db, sitzung, erstes, ueberall=True)
    assert b.sitzung_aus_token(db, erstes) is None and b.sitzung_aus_token(db, zweites) is None
    assert b.sitzung_aus_token(db, annas) is not None
    details = db.scalar("SELECT details FROM auditprotokoll WHERE was = 'abmeldung'")
    assert details == '{"ueberall": true}'

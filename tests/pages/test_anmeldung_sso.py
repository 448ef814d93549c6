"""Single sign-on is offered only when ``[auth]`` is configured; password login works either way."""

from __future__ import annotations

from pathlib import Path

from hilfen_anmeldung import konto
from streamlit.testing.v1 import AppTest

from monitor.db import verbinden
from monitor.demo import lade_demo

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
SSO = "Mit Single Sign-on anmelden"


def _anmeldeseite(db_datei: Path, secrets: dict[str, object] | None = None) -> AppTest:
    with verbinden(db_datei) as db:
        lade_demo(db)
    konto(db_datei, "anna")
    app = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    for schluessel, wert in (secrets or {}).items():
        app.secrets[schluessel] = wert
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert [t.value for t in app.title] == ["Wirkungsmonitor – Anmeldung"]
    return app


def test_ohne_auth_abschnitt_kein_sso_knopf(db_datei: Path) -> None:
    app = _anmeldeseite(db_datei)
    assert SSO not in [b.label for b in app.button]
    assert not app.metric  # nothing of the data before a login


def test_mit_auth_abschnitt_sso_knopf_neben_passwort(db_datei: Path) -> None:
    app = _anmeldeseite(
        db_datei,
        {
            "auth": {
                "redirect_uri": "http://localhost:8501/oauth2callback",
                "cookie_secret": "x" * 32,
                "client_id": "wirkungsmonitor",
                "client_secret": "geheim",
                "server_metadata_url": "https://sso.example.org/.well-known/openid-configuration",
            }
        },
    )
    assert SSO in [b.label for b in app.button]
    assert app.text_input(key="anmeldung_passwort") is not None
    assert not app.metric

"""Logins for the page tests: accounts in the test's database file, the real login form.

Real data (not demo data) needs a login (issue 7), so page tests on real data log in through the
same form a user fills in; nothing about the session is faked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from streamlit.testing.v1 import AppTest

from monitor import benutzer
from monitor.db import verbinden

#: Password of every test account (the rules want at least 10 characters).
TEST_PASSWORT = "test-passwort-123"


def konto(pfad: Path, name: str, rolle: str = "admin", standort: str | None = None) -> str:
    """Create a user in the database file unless it exists; returns the name."""
    with verbinden(pfad) as db:
        if benutzer.benutzer(db, name) is None:
            benutzer.lege_an(db, name, rolle, TEST_PASSWORT, standort)
    return name


def anmelden(app: AppTest, name: str, passwort: str = TEST_PASSWORT) -> AppTest:
    """Log in through the real login form of ``app`` (which must show it)."""
    if not app.text_input:
        app.run()
    app.text_input(key="anmeldung_name").input(name)
    app.text_input(key="anmeldung_passwort").input(passwort)
    app.button(key="FormSubmitter:anmeldung-Anmelden").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def als_admin(app: AppTest, pfad: Path) -> AppTest:
    """Make sure an admin exists and log ``app`` in as it (real data needs a login)."""
    return anmelden(app, konto(pfad, "test-admin"))


def alle_seiten(app: AppTest) -> Iterator[str]:
    """Open every page the logged-in role has, one after the other (no exception on any);
    yields each page's file while ``app`` shows it."""
    from ui.navigation import SEITEN

    for seite in SEITEN:
        try:
            app.switch_page(seite.datei).run()
        except ValueError:
            continue  # not registered for this role
        assert not app.exception, [e.value for e in app.exception]
        yield seite.datei

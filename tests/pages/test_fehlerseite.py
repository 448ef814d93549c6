"""Issue 14, 6 and 11: no traceback on a page — a German message with a reference number, the
details only in the server log; a German page while another program holds the database."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ui import fehler

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"


def _alles(app: AppTest) -> str:
    return "\n".join(
        str(e.value) for art in ("markdown", "error", "title", "exception") for e in app.get(art)
    )


@pytest.fixture(autouse=True)
def _wie_im_betrieb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fehler.ANZEIGEN_IM_TEST, "1")


def test_kaputte_datenbank_zeigt_deutsche_meldung_mit_referenz(
    db_datei: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_datei.write_bytes(b"keine DuckDB-Datei, sondern Text" * 100)
    with caplog.at_level(logging.ERROR, logger="wirkungsmonitor"):
        app = AppTest.from_file(str(DASHBOARD), default_timeout=60).run()
    assert not app.exception
    meldung = app.error[0].value
    assert meldung.startswith(fehler.UNERWARTET) and "Referenz: **" in meldung
    referenz = meldung.split("Referenz: **")[1].split("**")[0]
    sichtbar = _alles(app)
    assert str(db_datei.parent) not in sichtbar and "Traceback" not in sichtbar
    assert "duckdb" not in sichtbar.lower()
    # the details are in the server log, under the same number
    eintrag = next(r for r in caplog.records if referenz in r.getMessage())
    assert eintrag.exc_info is not None


def test_datenbank_von_anderem_programm_belegt(db_datei: Path) -> None:
    halter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db_datei)!r}); print('ok', flush=True);"
            " time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert halter.stdout is not None and halter.stdout.readline().strip() == "ok"
        app = AppTest.from_file(str(DASHBOARD), default_timeout=60).run()
    finally:
        halter.kill()
        halter.wait()
    assert not app.exception
    assert app.error[0].value.startswith(fehler.BELEGT)
    assert str(db_datei) not in _alles(app)


def test_schwere_datenbankfehler_auf_deutsch() -> None:
    assert fehler.deutscher_text(duckdb.FatalException("FATAL Error: failed to checkpoint")) == (
        fehler.SCHWER
    )
    assert (
        fehler.deutscher_text(
            duckdb.InvalidInputException(
                "database has been invalidated because of a previous fatal"
            )
        )
        == fehler.SCHWER
    )
    assert fehler.deutscher_text(OSError(28, "No space left on device")) == fehler.VOLL
    assert fehler.deutscher_text(ValueError("x")) == fehler.UNERWARTET

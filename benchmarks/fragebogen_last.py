"""Load test of the questionnaire by link (issue 17): N phones answer at once.

``streamlit run dashboard.py`` on the demo data; N browser sessions (headless Chromium, 390 px,
one context each) open the same T1 link, go through every screen, wait for each other and press
"Absenden" at the same moment. Measured: the time from the click to the thank-you page
(median, p95, max), how many questionnaires arrived (0 lost, 0 doubled), and the time the
dashboard's start page needs to render in another session while the burst runs.

    python benchmarks/fragebogen_last.py                  # 50 sessions
    python benchmarks/fragebogen_last.py --sitzungen 10   # quicker

Not part of the test run (it takes minutes); the result goes to stdout and, with ``--json``,
to a file. The figures of the last run are in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
if str(WURZEL) not in sys.path:
    sys.path.insert(0, str(WURZEL))

from monitor import erhebung  # noqa: E402
from monitor import uebersetzung as ue  # noqa: E402
from monitor.db import verbinden  # noqa: E402
from monitor.demo import lade_demo  # noqa: E402

STANDORT, WELLE = "D_BERLIN", "T1"
TIMEOUT_MS = int(os.environ.get("FRAGEBOGEN_LAST_TIMEOUT_MS", "300000"))


_FERTIG = """() => document.querySelector('[data-testid="stApp"]')
                 ?.getAttribute('data-test-script-state') === 'notRunning'"""


async def _fertig(page: object) -> None:
    """Wait until the script run is over (else a click may hit the previous screen's button)."""
    await page.wait_for_function(_FERTIG, timeout=TIMEOUT_MS)  # type: ignore[attr-defined]


async def _weiter(page: object, text: str) -> None:
    await page.get_by_role("button", name=text, exact=True).click()  # type: ignore[attr-defined]


async def _sitzung(
    browser: object, url: str, nummer: int, alle_bereit: asyncio.Barrier, zeiten: list[float]
) -> None:
    kontext = await browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = await kontext.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(url)
    await page.get_by_role("button", name="Deutsch", exact=True).click()
    await page.get_by_text(ue.T_ZUSTIMMEN).click()
    await _weiter(page, ue.T_WEITER)
    await page.get_by_role("textbox", name=ue.T_CODE_WIEDERHOLEN).wait_for()
    await _fertig(page)
    code = f"last{nummer:04d}"
    await page.get_by_role("textbox", name=ue.T_CODE, exact=True).fill(code)
    await page.get_by_role("textbox", name=ue.T_CODE_WIEDERHOLEN).fill(code)
    await _weiter(page, ue.T_WEITER)
    bloecke = erhebung.bloecke(WELLE)
    for schritt in range(len(bloecke)):
        schritt_text = ue.T_SCHRITT.format(nummer=schritt + 3, gesamt=len(bloecke) + 2)
        await page.get_by_text(schritt_text).wait_for()
        await _fertig(page)
        zufrieden = page.locator('[data-testid="stRadio"]').filter(
            has_text="Wie zufrieden sind Sie insgesamt"
        )
        if await zufrieden.count():
            await zufrieden.get_by_text("Eher zufrieden", exact=True).click()
        if schritt < len(bloecke) - 1:
            await _weiter(page, ue.T_WEITER)
    await alle_bereit.wait()
    beginn = time.perf_counter()
    await _weiter(page, ue.T_ABSENDEN)
    await page.get_by_text(ue.T_DANKE).wait_for()
    zeiten.append(time.perf_counter() - beginn)
    await kontext.close()


async def _dashboard_messen(browser: object, url: str, warten: float) -> float:
    """Render time of the dashboard's start page (demo guest) while the burst runs."""
    await asyncio.sleep(warten)
    kontext = await browser.new_context(viewport={"width": 1440, "height": 1000})  # type: ignore[attr-defined]
    page = await kontext.new_page()
    beginn = time.perf_counter()
    await page.goto(url, timeout=TIMEOUT_MS)
    await page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)
    await _fertig(page)
    dauer = time.perf_counter() - beginn
    await kontext.close()
    return dauer


async def _lauf(url: str, link: str, sitzungen: int) -> dict[str, object]:
    from playwright.async_api import async_playwright

    sys.path.insert(0, str(WURZEL / "tests"))
    from test_browser import CHROMIUM_ARGS

    zeiten: list[float] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        ruhe = await _dashboard_messen(browser, url, 0)
        alle_bereit = asyncio.Barrier(sitzungen + 1)

        async def sitzung(nummer: int) -> None:
            try:
                await _sitzung(browser, link, nummer, alle_bereit, zeiten)
            except BaseException:
                await alle_bereit.abort()  # the others must not wait for this one forever
                raise

        aufgaben = [asyncio.create_task(sitzung(i)) for i in range(sitzungen)]
        vorbereitung = time.perf_counter()
        await alle_bereit.wait()
        vorbereitung = time.perf_counter() - vorbereitung
        unter_last = asyncio.create_task(_dashboard_messen(browser, url, 0.2))
        await asyncio.gather(*aufgaben)
        dashboard = await unter_last
        await browser.close()
    zeiten.sort()
    return {
        "sitzungen": sitzungen,
        "vorbereitung_s": round(vorbereitung, 1),
        "absenden_bis_danke_median_s": round(statistics.median(zeiten), 2),
        "absenden_bis_danke_p95_s": round(zeiten[max(0, int(len(zeiten) * 0.95) - 1)], 2),
        "absenden_bis_danke_max_s": round(zeiten[-1], 2),
        "dashboard_ruhe_s": round(ruhe, 2),
        "dashboard_unter_last_s": round(dashboard, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sitzungen", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(WURZEL / "tests"))
    import test_browser

    with tempfile.TemporaryDirectory() as ordner:
        pfad = Path(ordner) / "monitor.duckdb"
        with verbinden(pfad) as db:
            lade_demo(db)
            token = erhebung.link_anlegen(db, STANDORT, WELLE, wer="benchmark")
            vorher = db.scalar("SELECT count(*) FROM befragungen")
        umgebung = {**os.environ, "MONITOR_DB": str(pfad)}
        with test_browser.streamlit_laeuft(Path(ordner), umgebung) as url:
            ergebnis = asyncio.run(_lauf(url, erhebung.adresse(url, token), args.sitzungen))
        with verbinden(pfad) as db:
            angekommen = db.scalar("SELECT count(*) FROM befragungen WHERE code LIKE 'last%'")
            verschieden = db.scalar(
                "SELECT count(DISTINCT code) FROM befragungen WHERE code LIKE 'last%'"
            )
            importe = db.scalar("SELECT count(*) FROM importe WHERE dateiname LIKE 'fragebogen%'")
            ergebnis["zeilen_vorher"] = vorher
        ergebnis["verloren"] = args.sitzungen - angekommen
        ergebnis["doppelt"] = angekommen - verschieden
        ergebnis["importe"] = importe
    for name, wert in ergebnis.items():
        print(f"{name:32} {wert}")
    if args.json:
        args.json.write_text(json.dumps(ergebnis, indent=2), encoding="utf-8")
    return 0 if ergebnis["verloren"] == 0 and ergebnis["doppelt"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

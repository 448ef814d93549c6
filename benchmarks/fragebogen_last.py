"""Load test of the questionnaire by link (issue 17): N phones answer at once.

``streamlit run dashboard.py`` on the demo data serves the light questionnaire page
(:mod:`ui.fragebogen_web`) next to the dashboard. Two bursts against the same server:

* **browser**: N sessions in one headless Chromium (one context each, 390 px) open the same T1
  link, choose German, agree, type the code twice, answer every question block by block
  (JavaScript: one block per screen), wait for each other and press "Absenden" at the same
  moment. Measured: click → thank-you page (median, p95, max).
* **protocol**: N HTTP clients (threads, ``urllib``) fetch the form and post a complete
  questionnaire at the same moment – the server's share without N browsers' CPU on the same
  two cores.

Both: the dashboard process's CPU seconds during the burst (the server's share on a shared
machine; includes the dashboard page measured meanwhile), how many questionnaires arrived
(rows counted in the database after the server stopped: 0 lost, 0 doubled), the dashboard's
start page (a real Chromium page load until Streamlit's
script run is over) before and during the burst, and the machine's load average.

    python benchmarks/fragebogen_last.py                  # 50 + 50
    python benchmarks/fragebogen_last.py --sitzungen 10   # quicker
    python benchmarks/fragebogen_last.py --nur-protokoll  # without the browser burst

Not part of the test run (it takes minutes); the figures of the last run are in
``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
for pfad in (WURZEL, WURZEL / "tests"):
    if str(pfad) not in sys.path:
        sys.path.insert(0, str(pfad))

import test_browser  # noqa: E402

from monitor import erhebung  # noqa: E402
from monitor import uebersetzung as ue  # noqa: E402
from monitor.db import verbinden  # noqa: E402
from monitor.demo import lade_demo  # noqa: E402

STANDORT, WELLE = "D_BERLIN", "T1"
TIMEOUT_MS = int(os.environ.get("FRAGEBOGEN_LAST_TIMEOUT_MS", "300000"))
#: Code prefixes of the two bursts (counted separately in the database).
BROWSER, PROTOKOLL = "brow", "prot"

#: Answers every question of the visible block (radio: an answer that depends on the session;
#: numbers: a value in range) – the click on "Weiter" is a real click.
_BLOCK_BEANTWORTEN = """(nummer) => {
  const teil = [...document.querySelectorAll('section')].find(s => !s.hidden);
  teil.querySelectorAll('fieldset').forEach((f, i) => {
    const knoepfe = f.querySelectorAll('input[type=radio]');
    knoepfe[(nummer + i) % knoepfe.length].checked = true;
  });
  teil.querySelectorAll('input[type=number]').forEach(z => { z.value = String(z.min || 0); });
}"""


def _perzentil(werte: list[float], anteil: float) -> float:
    """Nearest-rank percentile (p95 of 50 values = the 48th smallest)."""
    geordnet = sorted(werte)
    return geordnet[max(0, math.ceil(round(anteil * len(geordnet), 6)) - 1)]


def _zusammenfassen(name: str, zeiten: list[float]) -> dict[str, float]:
    return {
        f"{name}_median_s": round(statistics.median(zeiten), 2),
        f"{name}_p95_s": round(_perzentil(zeiten, 0.95), 2),
        f"{name}_max_s": round(max(zeiten), 2),
    }


def _server_cpu(url: str) -> float:
    """CPU seconds (user + system) the dashboard process has used so far (Linux ``/proc``):
    the server's own share, whatever else the shared machine runs."""
    port = url.rsplit(":", 1)[1]
    for eintrag in Path("/proc").iterdir():
        try:
            aufruf = (eintrag / "cmdline").read_bytes().split(b"\0")
            if b"streamlit" in b" ".join(aufruf) and port.encode() in aufruf:
                felder = (eintrag / "stat").read_text().rsplit(")", 1)[1].split()
                return (int(felder[11]) + int(felder[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return float("nan")


def _last() -> str:
    return " / ".join(f"{wert:.1f}" for wert in os.getloadavg())


async def _sitzung(
    browser: object, link: str, nummer: int, alle_bereit: asyncio.Barrier, zeiten: list[float]
) -> None:
    kontext = await browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = await kontext.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(link)
    await page.get_by_role("link", name="Deutsch", exact=True).click()
    await page.get_by_text(ue.T_ZUSTIMMEN).click()
    weiter = page.get_by_role("button", name=ue.T_WEITER, exact=True)
    await weiter.click()
    code = f"{BROWSER}{nummer:04d}"
    await page.get_by_role("textbox", name=ue.T_CODE, exact=True).fill(code)
    await page.get_by_role("textbox", name=ue.T_CODE_WIEDERHOLEN).fill(code)
    await weiter.click()
    absenden = page.get_by_role("button", name=ue.T_ABSENDEN, exact=True)
    for _ in erhebung.bloecke(WELLE):
        await page.evaluate(_BLOCK_BEANTWORTEN, nummer)
        if await absenden.is_visible():
            break
        await weiter.click()
    await alle_bereit.wait()
    beginn = time.perf_counter()
    await absenden.click()
    await page.get_by_text(ue.T_DANKE).wait_for()
    zeiten.append(time.perf_counter() - beginn)
    await kontext.close()


async def _dashboard_messen(browser: object, url: str, warten: float) -> float:
    """Load time of the dashboard's start page (demo guest) until its script run is over."""
    await asyncio.sleep(warten)
    kontext = await browser.new_context(viewport={"width": 1440, "height": 1000})  # type: ignore[attr-defined]
    page = await kontext.new_page()
    beginn = time.perf_counter()
    await page.goto(url, timeout=TIMEOUT_MS)
    await page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)
    await page.wait_for_function(
        """() => document.querySelector('[data-testid="stApp"]')
                 ?.getAttribute('data-test-script-state') === 'notRunning'""",
        timeout=TIMEOUT_MS,
    )
    dauer = time.perf_counter() - beginn
    await kontext.close()
    return dauer


def _formular(nummer: int) -> dict[str, str]:
    """A complete T1 questionnaire as the form posts it."""
    code = f"{PROTOKOLL}{nummer:04d}"
    formular = {"s": "de", "zustimmung": "ja", "code": code, "code2": code}
    for feld in erhebung.fragen(WELLE):
        if feld.name != "code":
            werte = feld.werte or (str(int(feld.minimum or 0)),)
            formular[feld.name] = werte[nummer % len(werte)]
    return formular


def _protokoll_sitzung(
    link: str, nummer: int, alle_bereit: threading.Barrier, zeiten: list[float]
) -> None:
    ziel = link.replace("/?t=", "/fragebogen?t=")
    with urllib.request.urlopen(f"{ziel}&s=de", timeout=TIMEOUT_MS / 1000) as antwort:
        antwort.read()
    daten = urllib.parse.urlencode(_formular(nummer)).encode()
    alle_bereit.wait()
    beginn = time.perf_counter()
    with urllib.request.urlopen(
        urllib.request.Request(ziel, data=daten), timeout=TIMEOUT_MS / 1000
    ) as antwort:
        text = antwort.read().decode()
    if ue.T_DANKE not in text:
        raise RuntimeError(f"Sitzung {nummer}: keine Dankeseite")
    zeiten.append(time.perf_counter() - beginn)


async def _lauf(url: str, link: str, sitzungen: int, mit_browser: bool) -> dict[str, object]:
    from playwright.async_api import async_playwright

    ergebnis: dict[str, object] = {"sitzungen": sitzungen, "last_vorher": _last()}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=test_browser.CHROMIUM_ARGS
        )
        await _dashboard_messen(browser, url, 0)  # the first start (demo data, caches)
        ergebnis["dashboard_ruhe_s"] = round(await _dashboard_messen(browser, url, 0), 2)

        # protocol burst: N threads post at once
        zeiten: list[float] = []
        bereit = threading.Barrier(sitzungen + 1)
        faeden = [
            threading.Thread(target=_protokoll_sitzung, args=(link, i, bereit, zeiten))
            for i in range(sitzungen)
        ]
        for faden in faeden:
            faden.start()
        await asyncio.to_thread(bereit.wait)
        cpu = _server_cpu(url)
        unter_last = asyncio.create_task(_dashboard_messen(browser, url, 0.05))
        await asyncio.to_thread(lambda: [faden.join() for faden in faeden])
        ergebnis["server_cpu_protokoll_s"] = round(_server_cpu(url) - cpu, 2)
        ergebnis["last_protokoll"] = _last()
        ergebnis["dashboard_waehrend_protokoll_s"] = round(await unter_last, 2)
        ergebnis.update(_zusammenfassen("protokoll_absenden_bis_danke", zeiten))

        if mit_browser:
            zeiten = []
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
            ergebnis["browser_vorbereitung_s"] = round(time.perf_counter() - vorbereitung, 1)
            cpu = _server_cpu(url)
            unter_last = asyncio.create_task(_dashboard_messen(browser, url, 0.05))
            await asyncio.gather(*aufgaben)
            ergebnis["server_cpu_browser_s"] = round(_server_cpu(url) - cpu, 2)
            ergebnis["last_browser"] = _last()
            ergebnis["dashboard_waehrend_browser_s"] = round(await unter_last, 2)
            ergebnis.update(_zusammenfassen("browser_absenden_bis_danke", zeiten))
        await browser.close()
    return ergebnis


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sitzungen", type=int, default=50)
    parser.add_argument("--nur-protokoll", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as ordner:
        pfad = Path(ordner) / "monitor.duckdb"
        with verbinden(pfad) as db:
            lade_demo(db)
            token = erhebung.link_anlegen(db, STANDORT, WELLE, wer="benchmark")
        umgebung = {**os.environ, "MONITOR_DB": str(pfad)}
        with test_browser.streamlit_laeuft(Path(ordner), umgebung) as url:
            ergebnis = asyncio.run(
                _lauf(url, erhebung.adresse(url, token), args.sitzungen, not args.nur_protokoll)
            )
        ergebnis["kerne"] = os.cpu_count()
        fehlerfrei = True
        with verbinden(pfad) as db:
            for art in (PROTOKOLL, *(() if args.nur_protokoll else (BROWSER,))):
                zeilen, codes = db.rows(
                    "SELECT count(*), count(DISTINCT code) FROM befragungen WHERE code LIKE ?",
                    [f"{art}%"],
                )[0]
                ergebnis[f"{art}_verloren"] = args.sitzungen - codes
                ergebnis[f"{art}_doppelt"] = zeilen - codes
                fehlerfrei = fehlerfrei and zeilen == codes == args.sitzungen
            ergebnis["importe"] = db.scalar(
                "SELECT count(*) FROM importe WHERE dateiname LIKE 'fragebogen%'"
            )
    for name, wert in ergebnis.items():
        print(f"{name:40} {wert}")
    if args.json:
        args.json.write_text(json.dumps(ergebnis, indent=2), encoding="utf-8")
    return 0 if fehlerfrei else 1


if __name__ == "__main__":
    sys.exit(main())

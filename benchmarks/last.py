"""Lasttest: viele Sitzungen zugleich im echten Dashboard (Issue 14, 12) – kein Teil des Testlaufs.

Run: ``python benchmarks/last.py [--sitzungen 20] [--dauer 180] [--denkzeit 5] [--db PFAD]``.

Why it is built this way:

* **Real protocol** (default): each session is a websocket client (:mod:`benchmarks.protokoll`)
  that sends what a browser tab sends – the login form's values, then a navigation click as a
  rerun on that page's script hash – and waits for ``script_finished``. The server does exactly
  the work a browser causes; no Chromium competes with it for the two cores.
* **Real browsers** (``--browser``): each session is its own Chromium context (own cookies)
  driven by Playwright: it logs in through the form and then clicks through the pages of its
  sidebar. The time is from the click until the page is finished (``data-test-script-state``
  back at ``notRunning``); on one machine it includes the browsers' share of the cores.
* **All roles**: sessions are spread over admin, projektleitung, standort, evaluation and
  foerdergeber (one account per session), each seeing only the pages of its role.
* **The 100-site set** of ``benchmarks/run.py`` (``lade_demo`` with 100 sites, 127 000
  participants) is generated into ``--db`` if that file does not exist yet.
* **CPU per page run** is the server process's user+system time (``/proc/<pid>/stat``) during
  the run divided by the number of page runs; the load average is printed alongside.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
if str(WURZEL) not in sys.path:
    sys.path.insert(0, str(WURZEL))

from playwright.async_api import Browser, Page, async_playwright  # noqa: E402

from benchmarks.protokoll import AUSLOESER, Sitzung  # noqa: E402
from monitor.benutzer import SCHNELLE_HASHES_VARIABLE, lege_an  # noqa: E402
from monitor.db import verbinden  # noqa: E402
from monitor.demo import lade_demo  # noqa: E402

ROLLEN = ("admin", "projektleitung", "standort", "evaluation", "foerdergeber")
PASSWORT = "last-passwort-123"
FERTIG = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-testid="stStatusWidgetRunningIcon"]') === null;
}"""
LAEUFT = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null && app.getAttribute('data-test-script-state') === 'running';
}"""


@dataclass
class Messung:
    """Page runs per page title, errors, and what went wrong."""

    zeiten: dict[str, list[float]] = field(default_factory=dict)
    fehler: list[str] = field(default_factory=list)


def datensatz(pfad: Path, standorte: int, teilnehmende: int, sitzungen: int) -> None:
    """The 100-site set plus one account per session (created once)."""
    if not pfad.exists():
        print(f"Erzeuge {standorte} Standorte, {teilnehmende} Teilnehmende …", flush=True)
        with verbinden(pfad) as db:
            lade_demo(db, seed=42, standorte=standorte, teilnehmende=teilnehmende)
    with verbinden(pfad) as db:
        standort = db.scalar("SELECT min(standort) FROM standorte")
        for nummer in range(sitzungen):
            rolle = ROLLEN[nummer % len(ROLLEN)]
            name = f"last.{rolle}.{nummer}"
            if not db.scalar("SELECT count(*) FROM benutzer WHERE name = ?", [name]):
                lege_an(db, name, rolle, PASSWORT, standort if rolle == "standort" else None)


def _rss_mb(pid: int) -> float:
    for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
        if zeile.startswith("VmRSS:"):
            return round(int(zeile.split()[1]) / 1024, 1)
    return float("nan")


def _cpu_s(pid: int) -> float:
    felder = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(felder[11]) + int(felder[12])) / os.sysconf("SC_CLK_TCK")


async def _fertig(page: Page) -> None:
    with contextlib.suppress(Exception):  # a fast run may be over before we look
        await page.wait_for_function(LAEUFT, timeout=1500)
    await page.wait_for_function(FERTIG, timeout=120_000)


async def sitzung(
    browser: Browser, url: str, nummer: int, ende: float, denkzeit: float, messung: Messung
) -> None:
    """A person in a real Chromium window (``--browser``)."""
    rolle = ROLLEN[nummer % len(ROLLEN)]
    kontext = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await kontext.new_page()
    page.set_default_timeout(180_000)
    zufall = random.Random(nummer)
    try:
        await asyncio.sleep(nummer * 1.5)  # ramp-up: people do not all arrive in one second
        await page.goto(url)
        await page.get_by_label("Benutzername").fill(f"last.{rolle}.{nummer}")
        await page.get_by_label("Passwort", exact=True).fill(PASSWORT)
        beginn = time.monotonic()
        await page.get_by_role("button", name="Anmelden").click()
        await page.get_by_text("Angemeldet:").wait_for(timeout=120_000)
        await _fertig(page)
        messung.zeiten.setdefault("Anmeldung → Übersicht", []).append(time.monotonic() - beginn)
        while time.monotonic() < ende:
            await asyncio.sleep(denkzeit)
            links = page.locator('[data-testid="stSidebarNavLink"]')
            anzahl = await links.count()
            if not anzahl:
                messung.fehler.append(f"{rolle}: keine Navigation")
                break
            link = links.nth(zufall.randrange(anzahl))
            titel = (await link.inner_text()).strip().splitlines()[-1]
            beginn = time.monotonic()
            try:
                await link.click()
                await _fertig(page)
            except Exception as fehler:
                messung.fehler.append(f"{rolle} {titel}: {type(fehler).__name__}")
                continue
            messung.zeiten.setdefault(titel, []).append(time.monotonic() - beginn)
            if await page.locator('[data-testid="stException"]').count():
                messung.fehler.append(f"{rolle} {titel}: Exception auf der Seite")
    except Exception as fehler:
        messung.fehler.append(f"{rolle}: {type(fehler).__name__}: {str(fehler)[:120]}")
    finally:
        await kontext.close()


async def protokoll_sitzung(
    url: str, nummer: int, ende: float, denkzeit: float, messung: Messung
) -> None:
    """A person at protocol level (default): the browser's websocket messages, no drawing."""
    rolle = ROLLEN[nummer % len(ROLLEN)]
    zufall = random.Random(nummer)
    tab = Sitzung(url)
    try:
        await asyncio.sleep(nummer * 1.5)  # ramp-up: people do not all arrive in one second
        await tab.oeffnen()
        werte: dict[str, object] = {
            tab.kennung("text_input", "Benutzername"): f"last.{rolle}.{nummer}",
            tab.kennung("text_input", "Passwort"): PASSWORT,
            tab.kennung("button", "Anmelden"): AUSLOESER,
        }
        lauf = await tab.lauf(werte=werte)
        if not tab.seiten or lauf.fehler:
            messung.fehler.append(f"{rolle}: Anmeldung fehlgeschlagen {lauf.fehler}")
            return
        messung.zeiten.setdefault("Anmeldung → Übersicht", []).append(lauf.dauer_s)
        while time.monotonic() < ende:
            await asyncio.sleep(denkzeit)
            titel = zufall.choice(sorted(tab.seiten))
            lauf = await tab.lauf(seite=tab.seiten[titel])
            messung.zeiten.setdefault(titel, []).append(lauf.dauer_s)
            messung.fehler.extend(f"{rolle} {titel}: {f}" for f in lauf.fehler)
            if lauf.ende != "ok":
                messung.fehler.append(f"{rolle} {titel}: {lauf.ende}")
    except Exception as fehler:
        messung.fehler.append(f"{rolle}: {type(fehler).__name__}: {str(fehler)[:120]}")
    finally:
        await tab.schliessen()


def _quantil(werte: list[float], q: float) -> float:
    if len(werte) == 1:
        return werte[0]
    return statistics.quantiles(werte, n=100, method="inclusive")[int(q * 100) - 1]


async def seitenkosten(pid: int, url: str, wiederholungen: int = 5) -> dict[str, float]:
    """Server CPU seconds per run of each page, one session alone (a projektleitung login sees
    every analysis page; the admin pages are added by an admin session)."""
    kosten: dict[str, float] = {}
    for rolle, nummer in (("projektleitung", 1), ("admin", 0)):
        tab = Sitzung(url)
        await tab.oeffnen()
        await tab.lauf(
            werte={
                tab.kennung("text_input", "Benutzername"): f"last.{rolle}.{nummer}",
                tab.kennung("text_input", "Passwort"): PASSWORT,
                tab.kennung("button", "Anmelden"): AUSLOESER,
            }
        )
        for titel, seite in sorted(tab.seiten.items()):
            if titel in kosten:
                continue
            await tab.lauf(seite=seite)  # first run fills the caches
            vorher = _cpu_s(pid)
            for _ in range(wiederholungen):
                await tab.lauf(seite=seite)
            kosten[titel] = round((_cpu_s(pid) - vorher) / wiederholungen, 3)
        await tab.schliessen()
    return kosten


async def _unter_last(
    pid: int,
    person: Callable[[int, float, float, Messung], Awaitable[None]],
    args: argparse.Namespace,
    messung: Messung,
) -> tuple[float, float]:
    """Warm up with one session, then all sessions at once; server CPU seconds and duration."""
    await person(0, time.monotonic() + 1, 0, Messung())  # opens the database, fills caches
    cpu_vorher, beginn = _cpu_s(pid), time.monotonic()
    ende = beginn + args.dauer
    await asyncio.gather(*(person(n, ende, args.denkzeit, messung) for n in range(args.sitzungen)))
    return _cpu_s(pid) - cpu_vorher, time.monotonic() - beginn


async def lauf(args: argparse.Namespace) -> dict[str, object]:
    port = args.port
    url = f"http://127.0.0.1:{port}"
    umgebung = {**os.environ, "MONITOR_DB": str(args.db), SCHNELLE_HASHES_VARIABLE: "1"}
    log = open(Path(tempfile.gettempdir()) / "wirkungsmonitor-last.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", args.skript, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=WURZEL, env=umgebung, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    messung = Messung()
    kosten: dict[str, float] = {}
    try:
        time.sleep(8)
        if args.browser:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path=args.chromium, args=["--disable-gpu", "--no-sandbox"]
                )

                def person(n: int, ende: float, denkzeit: float, m: Messung) -> Awaitable[None]:
                    return sitzung(browser, url, n, ende, denkzeit, m)

                cpu, dauer = await _unter_last(server.pid, person, args, messung)
                await browser.close()
        else:
            kosten = await seitenkosten(server.pid, url)

            def person(n: int, ende: float, denkzeit: float, m: Messung) -> Awaitable[None]:
                return protokoll_sitzung(url, n, ende, denkzeit, m)

            cpu, dauer = await _unter_last(server.pid, person, args, messung)
        speicher = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    alle = [z for werte in messung.zeiten.values() for z in werte]
    seiten = {
        titel: {
            "n": len(werte),
            "p50_s": round(statistics.median(werte), 2),
            "p95_s": round(_quantil(werte, 0.95), 2),
        }
        for titel, werte in sorted(messung.zeiten.items())
    }
    return {
        "art": "Browser" if args.browser else "Protokoll",
        "sitzungen": args.sitzungen,
        "denkzeit_s": args.denkzeit,
        "dauer_s": round(dauer, 1),
        "seitenlaeufe": len(alle),
        "p50_s": round(statistics.median(alle), 2) if alle else None,
        "p95_s": round(_quantil(alle, 0.95), 2) if alle else None,
        "fehler": len(messung.fehler),
        "fehlerliste": messung.fehler[:20],
        "server_cpu_s": round(cpu, 1),
        "cpu_je_seitenlauf_s": round(cpu / len(alle), 3) if alle else None,
        "server_kerne_ausgelastet": round(cpu / dauer, 2),
        "last_1_5_15": os.getloadavg(),
        "seiten": seiten,
        "cpu_s_je_seite_allein": kosten,
        "server_rss_mb_am_ende": speicher,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Lasttest mit vielen Browser-Sitzungen")
    parser.add_argument("--sitzungen", type=int, default=20)
    parser.add_argument("--dauer", type=float, default=180.0, help="Sekunden unter Last")
    parser.add_argument("--denkzeit", type=float, default=5.0)
    parser.add_argument("--standorte", type=int, default=100)
    parser.add_argument("--teilnehmende", type=int, default=127_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "last.duckdb")
    parser.add_argument("--skript", default="dashboard.py", help="dashboard.py oder server.py")
    parser.add_argument("--port", type=int, default=8611)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--browser", action="store_true", help="echte Chromium-Fenster statt Protokoll-Sitzungen"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    datensatz(args.db, args.standorte, args.teilnehmende, args.sitzungen)
    ergebnis = asyncio.run(lauf(args))
    text = json.dumps(ergebnis, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

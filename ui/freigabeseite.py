"""The Freigaben page's pieces: the state table and which steps a session may take where.

The rules themselves (states, rights, reasons, the lock) live in :mod:`monitor.freigabe`; this
module only turns them into choices, so the page never offers a step that would be refused.
"""

from __future__ import annotations

import pandas as pd

from monitor.benutzer import Sitzung, Zugriff
from monitor.db import Datenbank
from monitor.freigabe import UEBERGAENGE, Aktion, FreigabeFehler, Status, freigeben
from ui.format import quartal as quartal_text

AKTION_LABEL: dict[Aktion, str] = {
    Aktion.EINREICHEN: "Zur Freigabe einreichen",
    Aktion.FREIGEBEN: "Freigeben (sperrt das Quartal)",
    Aktion.ZURUECKGEBEN: "Zurückgeben (mit Begründung)",
    Aktion.WIEDEREROEFFNEN: "Wiedereröffnen (mit Begründung)",
}

STATUS_SYMBOL: dict[Status, str] = {
    Status.ENTWURF: "✏️",
    Status.EINGEREICHT: "📨",
    Status.FREIGEGEBEN: "🔒",
    Status.ZURUECKGEGEBEN: "↩️",
}


def moegliche_aktionen(zugriff: Zugriff, status: Status) -> list[Aktion]:
    """The steps this session may take from ``status`` (right and state both fit)."""
    return [
        aktion
        for aktion, schritt in UEBERGAENGE.items()
        if status in schritt.von and zugriff.darf(schritt.recht)
    ]


def eingereichte(stand: pd.DataFrame) -> list[tuple[str, str]]:
    """(standort, quartal) of every submitted quarter, for "approve all"."""
    offen = stand[stand["status"] == Status.EINGEREICHT.value]
    return list(zip(offen["standort"], offen["quartal"], strict=True))


def alle_freigeben(db: Datenbank, sitzung: Sitzung, zellen: list[tuple[str, str]]) -> int:
    """Approve each submitted quarter (each step checked and audited on its own); returns how
    many were approved. A quarter whose state changed meanwhile is left as it is."""
    freigegeben = 0
    for standort, quartal in zellen:
        try:
            freigeben(db, sitzung, standort, quartal)
        except FreigabeFehler:
            continue
        freigegeben += 1
    return freigegeben


def matrix(stand: pd.DataFrame, namen: dict[str, str]) -> pd.DataFrame:
    """The states as a site × quarter grid (rows sites by name, columns quarters oldest first),
    each cell symbol and word — status is never colour alone. "–": the site has neither data
    nor a state in that quarter."""
    tabelle = stand.assign(
        Standort=stand["standort"].map(lambda s: namen.get(s, s)),
        zelle=[
            f"{STATUS_SYMBOL[Status(s)]} {label}"
            for s, label in zip(stand["status"], stand["status_label"], strict=True)
        ],
    )
    gitter = tabelle.pivot(index="Standort", columns="quartal", values="zelle")
    gitter = gitter.reindex(columns=sorted(gitter.columns)).sort_index()
    gitter.columns = [quartal_text(q) for q in gitter.columns]
    return gitter.fillna("–").reset_index()


def anzeige(stand: pd.DataFrame, namen: dict[str, str]) -> pd.DataFrame:
    """The state table with German headers, newest quarter first."""
    tabelle = stand.sort_values(["quartal", "standort"], ascending=[False, True])
    return pd.DataFrame(
        {
            "Standort": tabelle["standort"].map(lambda s: namen.get(s, s)),
            "Quartal": tabelle["quartal"].map(quartal_text),
            "Status": [
                f"{STATUS_SYMBOL[Status(s)]} {label}"
                for s, label in zip(tabelle["status"], tabelle["status_label"], strict=True)
            ],
            "Fragebögen": tabelle["befragungen"],
            "Aktivitäten": tabelle["aktivitaeten"],
            "Begründung": tabelle["grund"],
            "Geändert von": tabelle["geaendert_von"],
            "Geändert am": tabelle["geaendert_am"],
        }
    )

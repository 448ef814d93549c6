"""Reach of the activities in a selection: how many took place, per format, and who came.

The indicator engine answers the impact questions; the overview and the format comparison also
need the plain activity counts behind them ("how many digital sessions were there?") for the
same selection of sites, period and formats the sidebar sets. One small grouped query, no
person data: activity rows are aggregate reports by the sites (events, not persons), so nothing
here is subject to small-cell suppression — the same rule as the inventory in
:mod:`monitor.bestand`.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from indikatoren.filter import Filter
from indikatoren.unterdrueckung import GESAMT
from monitor.db import Datenbank
from monitor.freigabe import quartal_sql
from monitor.schema import FORMATE

REICHWEITE_SPALTEN: tuple[str, ...] = (
    "format",
    "aktivitaeten",
    "teilnahmen",
    "neue_teilnehmende",
    "oeffentlich",
    "reichweite",
)


def aktivitaeten_nach_format(
    db: Datenbank, filter_: Filter, zellen: Collection[tuple[str, str]] | None = None
) -> pd.DataFrame:
    """Per format (and ``gesamt``, last): activities, participations, first-time participants,
    public activities and their reach, for the filter's sites, period and formats.

    Every format the filter allows appears, with zeros when it had no activity, so a chart of
    the three formats never silently drops one. ``zellen`` restricts the rows to these
    (standort, quartal) cells, e.g. approved quarters (None = all).
    """
    bedingungen = ["TRUE"]
    parameter: dict[str, object] = {}
    if filter_.standorte:
        bedingungen.append("list_contains($standorte, standort)")
        parameter["standorte"] = list(filter_.standorte)
    if filter_.von:
        bedingungen.append("datum >= $von")
        parameter["von"] = filter_.von
    if filter_.bis:
        bedingungen.append("datum <= $bis")
        parameter["bis"] = filter_.bis
    if filter_.formate:
        bedingungen.append("list_contains($formate, format)")
        parameter["formate"] = list(filter_.formate)
    if zellen is not None:
        bedingungen.append(f"list_contains($zellen, standort || '|' || {quartal_sql('datum')})")
        parameter["zellen"] = [f"{standort}|{quartal}" for standort, quartal in zellen]
    roh = db.query(
        "SELECT format, count(*) AS aktivitaeten, "
        "coalesce(sum(teilnehmende_gesamt), 0) AS teilnahmen, "
        "coalesce(sum(neue_teilnehmende), 0) AS neue_teilnehmende, "
        "count(*) FILTER (WHERE oeffentlich) AS oeffentlich, "
        "coalesce(sum(reichweite) FILTER (WHERE oeffentlich), 0) AS reichweite "
        f"FROM aktivitaeten WHERE {' AND '.join(bedingungen)} GROUP BY format",
        parameter,
    )
    formate = [f for f in FORMATE if not filter_.formate or f in filter_.formate]
    tabelle = (
        roh.set_index("format")
        .reindex(formate)
        .fillna(0)
        .astype("int64")
        .rename_axis("format")
        .reset_index()
    )
    summe = tabelle.drop(columns="format").sum().to_frame().T
    summe.insert(0, "format", GESAMT)
    return pd.concat([tabelle, summe], ignore_index=True)[list(REICHWEITE_SPALTEN)]

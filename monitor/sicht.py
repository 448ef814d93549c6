"""What one session may see of the indicators — the one path for dashboard, CLI and report.

Every released table a person gets goes through :func:`ergebnis`: narrowed to the session's
sites, to approved quarters where its role demands it, and — for aggregated access (the
funder) — read from the jointly protected lattice (:mod:`indikatoren.schutzgitter`) instead of
being computed for the selection. The CLI's ``--als NAME`` and the dashboard call the same
function, so an admin can check exactly what a funder receives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial

from indikatoren.engine import DATENSTAND_SQL, Ergebnis, basen, berechne, nur_zellen
from indikatoren.filter import Filter
from indikatoren.schutzgitter import Schutzgitter, aus_gitter, gewaehltes_quartal, schutzgitter
from indikatoren.unterdrueckung import Schwellen
from indikatoren.zielerreichung import zielwerte_laden
from monitor import gitterablage
from monitor.benutzer import Zugriff, beschraenke_filter
from monitor.db import Datenbank
from monitor.freigabe import sichtbare_zellen


def gitter(
    db: Datenbank,
    zellen: frozenset[tuple[str, str]] | None,
    schwellen: Schwellen | None = None,
) -> Schutzgitter:
    """The protected lattice over the given (standort, quartal) cells (None = all data).

    Computing it costs about a second on a national project, so the released tables are kept
    beside the database file (:mod:`monitor.gitterablage`) under a key of everything they
    depend on — the raw data's fingerprint, the cells, the thresholds, the code. Any change
    gives a new key; an unreadable or foreign file is computed anew. Targets are read fresh.
    """
    schwellen = schwellen or Schwellen.aus_umgebung()
    schluessel = gitterablage.schluessel(db.scalar(DATENSTAND_SQL), zellen, schwellen)
    gespeichert = gitterablage.laden(db.pfad, schluessel)
    if gespeichert is not None:
        return replace(gespeichert, ziele=zielwerte_laden(db))
    grundlagen = basen(db)
    if zellen is not None:
        grundlagen = {g: nur_zellen(b, zellen) for g, b in grundlagen.items()}
    neu = schutzgitter(grundlagen, schwellen)
    gitterablage.speichern(db.pfad, schluessel, neu)
    return neu


def ansicht(
    db: Datenbank, zugriff: Zugriff | None, *, schwellen: Schwellen | None = None
) -> Callable[..., Ergebnis]:
    """:func:`ergebnis` prepared for many selections of one session (the report's three, an
    analyst's hundred): the protected lattice is computed once and every selection read from it.
    """
    if zugriff is None or not zugriff.geschuetzt:
        return partial(ergebnis, db, zugriff, schwellen=schwellen)
    vorrat = gitter(db, sichtbare_zellen(db, zugriff), schwellen)

    def lesen(filter_: Filter, *, heute: date | None = None) -> Ergebnis:
        return aus_gitter(vorrat, beschraenke_filter(filter_, zugriff), heute=heute)

    return lesen


def ergebnis(
    db: Datenbank,
    zugriff: Zugriff | None,
    filter_: Filter,
    *,
    schwellen: Schwellen | None = None,
    heute: date | None = None,
) -> Ergebnis:
    """Released tables for ``filter_`` as ``zugriff`` may see them (None = everything).

    Raises :class:`indikatoren.schutzgitter.AuswahlFehler` for a selection an aggregated view
    may not make.
    """
    if zugriff is None:
        return berechne(db, filter_, schwellen, heute)
    filter_ = beschraenke_filter(filter_, zugriff)
    zellen = sichtbare_zellen(db, zugriff)
    if zugriff.geschuetzt:
        gewaehltes_quartal(filter_)  # refuse a selection outside the lattice before computing
        return aus_gitter(gitter(db, zellen, schwellen), filter_, heute=heute)
    return berechne(db, filter_, schwellen, heute, zellen=zellen)

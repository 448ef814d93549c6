"""First start: open (create, migrate) the database and fill an empty one with demo data.

``streamlit run dashboard.py`` on a fresh checkout must open on meaningful numbers without any
further step, so a database that holds nothing at all — no rows and no import ever — gets the
synthetic demo data (marked ``demo``, removable with one command). A database that has seen
any real import is never touched, so demo rows are never mixed into real data behind the
operator's back.
"""

from __future__ import annotations

import logging
import os
import threading

from monitor import archiv, bestand, demo
from monitor.db import Datenbank, verbinden

# Streamlit may run the first script runs of several browser sessions at once; two threads must
# not both find the database empty and both load demo data.
_ERSTSTART = threading.Lock()
_LOG = logging.getLogger(__name__)


#: How long a page waits for the database while another program (a CLI import) writes.
WARTEN_S = float(os.environ.get("MONITOR_WARTEN_S_DASHBOARD", "10"))


def bereitstellen(pfad: str | os.PathLike[str] | None = None) -> Datenbank:
    """Open the project database (``--db`` > ``MONITOR_DB`` > default) ready for the dashboard.

    Opened ``kurz`` (:class:`~monitor.db.Datenbank`): the dashboard holds the file only while
    it reads or writes, so every CLI command works while it runs. Idempotent: a second call
    finds data and only opens the database.
    """
    db = verbinden(pfad, kurz=True, warten_s=WARTEN_S)
    with _ERSTSTART:
        if bestand.ist_leer(db):
            demo.lade_demo(db)
        # Archive and database list the same imports (a crash before a commit can leave a
        # list line behind); what is found goes to the server log.
        befund = str(archiv.abgleichen(db))
        if befund:
            _LOG.warning("Importarchiv abgeglichen: %s", befund)
    return db

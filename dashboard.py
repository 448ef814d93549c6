"""Streamlit entry point: page config, login, navigation over ``pages/``, the sidebar filters.

Run with ``streamlit run dashboard.py``. The database is ``MONITOR_DB`` or ``data/monitor.duckdb``;
an empty database is filled with demo data on first start (:mod:`monitor.start`), so the
dashboard always opens on something meaningful. Who may see what is decided first, on every
run (:mod:`ui.zugang`); only the pages of the session's role are registered. A questionnaire
link (``?t=TOKEN``) shows the public questionnaire alone (:mod:`ui.fragebogen`).
"""

import streamlit as st

from ui import daten, deutsch, fehler, fragebogen, navigation, seitenleiste, zugang

st.set_page_config(page_title="Wirkungsmonitor", layout="wide", page_icon="📊")
deutsch.einrichten()  # lang="de", Streamlit's own texts in German, print stylesheet

with fehler.abgesichert():  # no traceback on a page: German message + reference number
    db = daten.datenbank()
    if fragebogen.aufgerufen():  # a questionnaire link (?t=…): that page alone, no login
        fragebogen.zeigen(db)
        st.stop()
    sitzung = zugang.sitzung_sichern(db)
    if sitzung is not None:
        seite = navigation.navigation(sitzung.zugriff)
        zugang.seitenleiste(db, sitzung)
        seitenleiste.filter_anzeigen(daten.quartale(), daten.standortnamen(), sitzung.zugriff)
        daten.demo_hinweis(sitzung)
        daten.freigabe_hinweis()
        seite.run()

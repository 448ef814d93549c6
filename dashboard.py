"""Streamlit entry point: page config, login, navigation over ``pages/``, the sidebar filters.

Run with ``streamlit run dashboard.py``. The database is ``MONITOR_DB`` or ``data/monitor.duckdb``;
an empty database is filled with demo data on first start (:mod:`monitor.start`), so the
dashboard always opens on something meaningful. Who may see what is decided first, on every
run (:mod:`ui.zugang`); only the pages of the session's role are registered.

Two ways this file is loaded (issue 17, load of the public questionnaire):

* ``streamlit run dashboard.py`` finds ``app = st.App(...)`` below (Streamlit 1.67 looks for it
  in the file's syntax tree) and starts uvicorn, which *imports* this file as module
  ``dashboard``: then only the ASGI app is built – the light questionnaire page
  (:mod:`ui.fragebogen_web`, plain HTML at ``/fragebogen?t=TOKEN`` and old ``/?t=TOKEN``
  links) next to Streamlit, in the same process and from the same start command.
* Streamlit *runs* this file as the dashboard script for every browser session (as
  ``__main__``, also in ``AppTest.from_file``): then the dashboard below runs. A questionnaire
  link that still reaches Streamlit (AppTest, an app started another way) gets the Streamlit
  version of the questionnaire (:mod:`ui.fragebogen`).
"""

import streamlit as st

if __name__ == "__main__":  # a script run of Streamlit: the dashboard
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
else:  # imported by uvicorn (``streamlit run dashboard.py``): the web app around the script
    from ui import fragebogen_web

    app = st.App("dashboard.py", routes=fragebogen_web.ROUTEN, middleware=fragebogen_web.MIDDLEWARE)

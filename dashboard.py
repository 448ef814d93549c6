"""Streamlit entry point: page config, navigation over ``pages/``, the demo-data notice.

Run with ``streamlit run dashboard.py``. The database is ``MONITOR_DB`` or ``data/monitor.duckdb``;
an empty database is filled with demo data on first start (:mod:`monitor.start`), so the
dashboard always opens on something meaningful.
"""

import streamlit as st

from ui import daten, navigation, seitenleiste

st.set_page_config(page_title="Wirkungsmonitor", layout="wide", page_icon="📊")

seite = navigation.navigation()
seitenleiste.filter_anzeigen(daten.quartale(), daten.standortnamen())
daten.demo_hinweis()
seite.run()

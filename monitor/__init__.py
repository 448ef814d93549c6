"""Kern des Wirkungsmonitors ohne Oberfläche: Datenbank, Import, Demo-Daten, Bericht, CLI.

Nothing in this package imports streamlit, so the CLI, the tests and the Excel report run
without a browser session.
"""

"""Zielwerte: view and edit targets and baselines per indicator, for a site or the whole project.

Thin page: the table comes from :mod:`ui.zielwertseite`, checking and saving (one transaction,
same rules as a Zielwerte import file) from :mod:`monitor.zielwerte`.
"""

import streamlit as st

from indikatoren.filter import Filter
from indikatoren.unterdrueckung import GESAMT
from indikatoren.zielerreichung import REGEL_TEXT, bewertungs_text
from monitor.benutzer import Recht
from monitor.zielwerte import ZielwerteAbgelehnt, speichere_zielwerte, zielwerte
from ui import daten, rueckmeldung, zielwertseite, zugang
from ui.format import tabelle

zugriff = zugang.verlangen(Recht.ZIELWERTE)
st.title("Zielwerte")
st.caption(
    "Ziel- und Basiswerte je Indikator – für das ganze Projekt oder einen Standort. Zahlen mit "
    "Dezimalkomma (z. B. 12,5); Zielwert leeren entfernt den Zielwert. Ist-Wert und Status: "
    "ganzer Zeitraum, alle Formate (unabhängig von den Filtern links)."
)
rueckmeldung.zeigen("zielwerte")

db = daten.datenbank()
namen = daten.standortnamen()
standort = st.selectbox(
    "Zielwerte für",
    [GESAMT, *namen] if zugriff.standorte is None else list(namen),
    format_func=lambda s: "Ganzes Projekt" if s == GESAMT else namen.get(s, s),
    key="zw_standort",
)
version = st.session_state.setdefault("zw_version", 0)
ergebnis = daten.ergebnis(Filter())
ansicht = zielwertseite.editor_tabelle(zielwerte(db, standort), ergebnis.indikatoren, standort)
st.caption(bewertungs_text(ergebnis.bewertet_am))

with st.form("zw_formular", border=False):
    bearbeitet = st.data_editor(
        zielwertseite.mit_farben(ansicht),
        key=f"zw_editor_{standort}_{version}",
        column_config=zielwertseite.SPALTEN_KONFIG,
        disabled=zielwertseite.GESPERRT,
        hide_index=True,
        num_rows="fixed",
        height="content",
    )
    with st.container(horizontal=True):
        speichern = st.form_submit_button("Speichern", type="primary", icon=":material/save:")
        verwerfen = st.form_submit_button("Änderungen verwerfen", icon=":material/undo:")

if verwerfen:
    st.session_state["zw_version"] = version + 1
    st.rerun()
if speichern:
    try:
        ergebnis = speichere_zielwerte(
            db, standort, zielwertseite.aus_editor(bearbeitet), benutzer=zugang.akteur()
        )
    except ZielwerteAbgelehnt as abgelehnt:
        anzahl = abgelehnt.pruefergebnis.fehler_gesamt
        st.error(
            f"Nicht gespeichert – {anzahl} {'Eingabe ist' if anzahl == 1 else 'Eingaben sind'} "
            "ungültig. Bitte korrigieren; Ihre Eingaben bleiben stehen, in der Datenbank hat "
            "sich nichts geändert.",
            icon=":material/error:",
        )
        tabelle(zielwertseite.fehler_tabelle(abgelehnt.pruefergebnis))
    else:
        st.session_state["zw_version"] = version + 1
        rueckmeldung.neu_aufbauen("zielwerte", str(ergebnis))

with st.expander("Wie werden Zielerreichung und Status berechnet?"):
    st.write(REGEL_TEXT)
    st.write(
        "Viele Zielwerte auf einmal lassen sich über die Vorlage „Zielwerte“ auf der Seite "
        "Datenimport einlesen."
    )

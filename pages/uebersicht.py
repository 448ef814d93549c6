"""Übersicht: which data the project holds — per site, wave and format — and when it arrived.

A thin page: every number comes from :mod:`monitor.bestand` (suppressed there), cached by
:mod:`ui.daten`; this file only arranges and labels.
"""

import plotly.express as px
import streamlit as st

from monitor.bestand import fragebogen_je_standort_lang
from monitor.schema import WELLEN
from ui import daten
from ui.format import LEGENDE_UNTERDRUECKT, tabelle, zahl

# Waves as one hue getting lighter over time: order, not judgement (no red for T2).
WELLEN_FARBEN = ["#1b4f72", "#3c8dbc", "#9ecae1"]

st.title("Übersicht")
st.caption("Datenbestand des Projekts: Befragungen, Teilnehmende und Aktivitäten je Standort.")

bestand = daten.bestand()
kennzahlen = bestand.kennzahlen

spalten = st.columns(4)
spalten[0].metric("Standorte", zahl(kennzahlen.standorte))
spalten[1].metric("Teilnehmende", zahl(kennzahlen.teilnehmende), help="Verschiedene Codes")
spalten[2].metric("Fragebögen", zahl(kennzahlen.fragebogen), help="Alle Wellen (T0, T1, T2)")
spalten[3].metric("Aktivitäten", zahl(kennzahlen.aktivitaeten))

if kennzahlen.leer:
    st.info(
        "Noch keine Daten importiert – es liegen weder Befragungen noch Aktivitäten vor. "
        "So geht es los: Vorlagen erzeugen mit `python -m monitor vorlagen ORDNER`, ausfüllen, "
        "prüfen mit `python -m monitor pruefen DATEI` und einlesen mit "
        "`python -m monitor import DATEI`.",
        icon=":material/upload_file:",
    )
    if kennzahlen.standorte:
        st.subheader("Angelegte Standorte")
        tabelle(bestand.letzte_importe)
    st.stop()

st.subheader("Fragebögen je Standort und Welle")
diagramm = px.bar(
    fragebogen_je_standort_lang(bestand.fragebogen_je_standort),
    x="Standort",
    y="Fragebögen",
    color="Welle",
    barmode="group",
    category_orders={"Welle": list(WELLEN)},
    color_discrete_sequence=WELLEN_FARBEN,
)
diagramm.update_layout(
    xaxis_title=None,
    yaxis_title="Anzahl Fragebögen",
    legend_title_text="Welle",
    separators=",.",
    margin={"t": 10},
)
st.plotly_chart(diagramm, config={"displaylogo": False})
st.caption("T0 = Beginn, T1 = Ende des Angebots, T2 = Nachbefragung nach 3–6 Monaten.")
tabelle(bestand.fragebogen_je_standort)

st.subheader("Teilnehmende je Standort")
st.caption("Verschiedene Codes; die Migrationsgeschichte stammt aus dem Eingangsfragebogen (T0).")
tabelle(bestand.teilnehmende_je_standort)

links, rechts = st.columns([1, 2])
with links:
    st.subheader("Fragebögen je Format")
    tabelle(bestand.fragebogen_je_format)
with rechts:
    st.subheader("Aktivitäten je Standort und Format")
    tabelle(bestand.aktivitaeten_je_standort)

st.subheader("Letzter Import je Standort")
tabelle(bestand.letzte_importe)
st.caption(LEGENDE_UNTERDRUECKT)

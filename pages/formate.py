"""Formate: digital, hybrid, Präsenz — does cohesion grow "trotz Distanz"?

Reach, mixing and satisfaction, and pre/post effects per format. One engine run grouped by
format (the sidebar's grouping does not apply here: this page is about formats), plus the
activity counts; the figures come from :mod:`ui.vergleich`.
"""

from dataclasses import replace

import streamlit as st

from indikatoren.filter import Gruppierung
from monitor.schema import FORMATE
from ui import aufbereitung as auf
from ui import bausteine, daten, vergleich
from ui.format import tabelle
from ui.seitenleiste import aktueller_filter

st.title("Formate")
st.markdown(
    "Die Kernfrage des Programms: Gelingt Zusammenhalt auch **trotz Distanz**? Diese Seite "
    "stellt digitale, hybride und Präsenz-Angebote nebeneinander – wen sie erreichen, wie "
    "gemischt die Gruppen sind und was sich bei den Teilnehmenden verändert."
)
filter_ = aktueller_filter()
st.caption(bausteine.auswahl_text(filter_, daten.standortnamen()) + " (hier stets nach Format)")
ergebnis = daten.ergebnis(replace(filter_, gruppierung=Gruppierung.FORMAT))
reichweite = daten.reichweite(filter_)
formate = [f for f in FORMATE if not filter_.formate or f in filter_.formate]
if not auf.hat_werte(auf.gesamtzeitraum(ergebnis.indikatoren)):
    bausteine.keine_daten()
    st.stop()

with st.expander("So lesen Sie diese Seite", icon=":material/help:"):
    st.markdown(
        "- **Punkte mit Linie:** Der Punkt ist der Wert, die Linie das 95-%-Konfidenzintervall – "
        "der Bereich, in dem der wahre Wert sehr wahrscheinlich liegt.\n"
        "- **Überlappen sich die Linien zweier Formate, ist ein Unterschied nicht belegt.** Erst "
        "wenn sie deutlich auseinanderliegen, unterscheiden sich die Formate wirklich.\n"
        "- **Veränderungen** rechts der gepunkteten Nulllinie sind Zuwächse vom Beginn (T0) bis "
        "zum Ende (T1) eines Angebots.\n"
        "- **Kein Kausalvergleich:** Wer ein digitales Angebot wählt, unterscheidet sich oft von "
        "denen in Präsenz (Alter, Wohnort, Vorerfahrung). Unterschiede zeigen, *wo* genauer "
        "hinzusehen ist – nicht, dass das Format allein sie verursacht."
    )

st.header("Reichweite")
links, rechts = st.columns(2)
with links:
    st.markdown("**Erreichte Teilnehmende nach Format**")
    bausteine.diagramm(vergleich.format_personen(ergebnis, formate))
with rechts:
    st.markdown("**Aktivitäten nach Format**")
    bausteine.diagramm(vergleich.format_aktivitaeten(reichweite))
tabelle(vergleich.reichweite_tabelle(reichweite))
st.caption(
    "Teilnehmende: verschiedene Personen mit Eingangsfragebogen im jeweiligen Format. "
    "Aktivitäten, Teilnahmen und Reichweite stammen aus der Aktivitätsdokumentation."
)

st.header("Durchmischung, Zufriedenheit und Sichtbarkeit")
bausteine.diagramm_oder_liste(
    vergleich.format_anteile(ergebnis, formate),
    vergleich.format_anteile_liste(ergebnis, formate),
    key="anteile",
)
st.caption(
    "A2 Begegnungsquote: Anteil der Aktivitäten, in denen Menschen mit und ohne "
    "Migrationsgeschichte jeweils mindestens 20 % stellen. Die übrigen Anteile beziehen sich "
    "auf die Befragten am Ende des Angebots (T1). Intervalle: Wilson, 95 %."
)

st.header("Veränderungen vorher → nachher nach Format")
bausteine.diagramm_oder_liste(
    vergleich.format_effekte(ergebnis, formate),
    vergleich.format_effekte_liste(ergebnis, formate),
    key="effekte",
)
st.caption(
    "Mittlere Veränderung von T0 zu T1 bei denselben Personen (gepaarte Messung) mit "
    "95-%-Konfidenzintervall; jede Kachel hat ihre eigene Einheit. C2 und C3 in "
    "Prozentpunkten."
)
bausteine.legende_unterdrueckung()

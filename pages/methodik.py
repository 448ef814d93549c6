"""Methodik: goals, Wirkungstreppe, indicator definitions, statistics, status and privacy rules,
and the questionnaire (codebook) — in German, for readers who are not statisticians.

Everything shown is read from the declarations (``data/codebuch.csv``, ``indikatoren``), so the
page cannot drift from what the import checks and the engine computes.
"""

import streamlit as st

from indikatoren.definitionen import ZIEL_BESCHREIBUNG, ZIEL_NAMEN
from ui import methodik
from ui.format import codebuch_tabelle

st.title("Methodik")
st.markdown(
    "Der Wirkungsmonitor verfolgt, ob ein Projekt im Förderaufruf *Gesellschaftlichen "
    "Zusammenhalt stärken trotz Distanz* seine drei Wirkungsziele erreicht. Grundlage sind "
    "Befragungen der Teilnehmenden zu Beginn (T0), am Ende des Angebots (T1) und nach drei bis "
    "sechs Monaten (T2) sowie die Dokumentation der Aktivitäten an jedem Standort."
)

st.header("Wirkungsziele")
MESSUNG = {
    "a": "Gemessen über Kontakthäufigkeit und -qualität, neue Kontakte zur jeweils anderen "
    "Gruppe, das Gefühlsthermometer (Haltung gegenüber der anderen Gruppe), generalisiertes "
    "Vertrauen (KUSIV3) und die Reflexion über Werte; dazu die Zusammensetzung der Aktivitäten.",
    "b": "Gemessen über allgemeine Selbstwirksamkeit (ASKU), selbst eingeschätzte Kompetenzen, "
    "öffentliche Präsentation eigener Arbeiten und erlebte Anerkennung; dazu öffentliche "
    "Aktivitäten und ihre Reichweite.",
    "c": "Gemessen über die Kenntnis von acht Arten von Beteiligungsmöglichkeiten, aktive "
    "Beteiligung und freiwilliges Engagement, politische Selbstwirksamkeit (PEKS), Verantwortung "
    "und Engagementabsicht; dazu die Übernahme von Rollen in Aktivitäten.",
}
for ziel, name in ZIEL_NAMEN.items():
    st.subheader(f"{ziel.value}) {name}")
    st.markdown(f"{ZIEL_BESCHREIBUNG[ziel]}\n\n{MESSUNG[ziel.value]}")

methodik.wirkungstreppe()
methodik.indikatoren()
methodik.statistik()
methodik.zielerreichung()

st.header("Befragung")
st.markdown(
    "Alle Aussagen werden auf einer Skala von 1 = *trifft gar nicht zu* bis 5 = *trifft voll "
    "und ganz zu* beantwortet, sofern nicht anders angegeben. Ein Skalenwert ist der Mittelwert "
    "seiner Fragen (umgepolte Fragen vorher umgedreht) und wird nur gebildet, wenn mindestens "
    "zwei Drittel der Fragen beantwortet sind. Die Wellen eines Menschen werden über seinen "
    "selbst erzeugten, pseudonymen Code verbunden."
)
st.subheader("Allgemeine Angaben")
st.table(codebuch_tabelle(""), hide_index=True)
for ziel, name in ZIEL_NAMEN.items():
    st.subheader(f"Fragen zu Ziel {ziel.value}) {name}")
    st.table(codebuch_tabelle(ziel.value), hide_index=True)

methodik.unterdrueckung()

"""Freigaben: a site submits a quarter, the project lead approves it (locked) or returns it.

Thin page: states and rules come from :mod:`monitor.freigabe` (every step checked and audited
there), the choices from :mod:`ui.freigabeseite`. Approved quarters are what funders see.
"""

import streamlit as st

from monitor.benutzer import Recht
from monitor.einlesen import EingabeFehler
from monitor.freigabe import STATUS_LABEL, Status, aendere_status, freigabestand
from ui import daten, freigabeseite, rueckmeldung, zugang
from ui.format import anzahl
from ui.format import quartal as quartal_text

zugriff = zugang.verlangen(Recht.EINREICHEN, Recht.FREIGEBEN)
st.title("Freigaben")
st.caption(
    "Je Standort und Quartal: Entwurf → Eingereicht → Freigegeben (gesperrt) oder Zurückgegeben "
    "mit Begründung. Freigegebene Quartale sehen Fördergeber; Importe, die dort etwas ändern "
    "würden, werden abgelehnt. Wiedereröffnen braucht eine Begründung. Jeder Schritt steht im "
    "Auditprotokoll."
)
rueckmeldung.zeigen("freigaben")
db = daten.datenbank()
namen = daten.standortnamen()
stand = freigabestand(db, zugriff.standorte)
if stand.empty:
    st.info("Noch keine Daten – nach dem ersten Import erscheinen hier die Quartale.")
    st.stop()

zaehlung = stand["status"].value_counts()
for spalte, status in zip(st.columns(len(Status)), Status, strict=True):
    spalte.metric(STATUS_LABEL[status], f"{int(zaehlung.get(status.value, 0)):n}")

st.subheader("Schritt ausführen")
links, mitte = st.columns(2)
standort = links.selectbox(
    "Standort", sorted(stand["standort"].unique()), format_func=lambda s: namen.get(s, s)
)
quartale = stand.loc[stand["standort"] == standort, "quartal"].tolist()
quartal = mitte.selectbox("Quartal", quartale[::-1], format_func=quartal_text)
status = Status(
    stand.loc[(stand["standort"] == standort) & (stand["quartal"] == quartal)].iloc[0]["status"]
)
aktionen = freigabeseite.moegliche_aktionen(zugriff, status)
st.write(f"Aktueller Status: **{STATUS_LABEL[status]}**")
if not aktionen:
    st.info("Für diesen Status gibt es für Ihre Rolle keinen nächsten Schritt.")
else:
    with st.form("freigabe_schritt"):
        aktion = st.radio("Schritt", aktionen, format_func=freigabeseite.AKTION_LABEL.get)
        grund = st.text_area("Begründung", help="Pflicht beim Zurückgeben und Wiedereröffnen.")
        if st.form_submit_button("Ausführen", type="primary"):
            try:
                neu = aendere_status(db, zugang.sitzung(), standort, quartal, aktion, grund)
            except EingabeFehler as fehler:
                st.error(str(fehler), icon=":material/error:")
            else:
                rueckmeldung.neu_aufbauen(
                    "freigaben",
                    f"{namen.get(standort, standort)} {quartal_text(quartal)}: "
                    f"{STATUS_LABEL[neu]}.",
                )

offen = freigabeseite.eingereichte(stand)
if offen and zugriff.darf(Recht.FREIGEBEN):
    st.subheader("Alle eingereichten Quartale freigeben")
    st.caption(", ".join(f"{namen.get(s, s)} {quartal_text(q)}" for s, q in offen))
    knopf = anzahl(len(offen), "eingereichtes Quartal", "eingereichte Quartale")
    if st.button(f"{knopf} freigeben", icon=":material/done_all:"):
        menge = freigabeseite.alle_freigeben(db, zugang.sitzung(), offen)
        rueckmeldung.neu_aufbauen(
            "freigaben", f"{anzahl(menge, 'Quartal', 'Quartale')} freigegeben und gesperrt."
        )

st.subheader("Stand je Standort und Quartal")
st.dataframe(freigabeseite.matrix(stand, namen), hide_index=True)
st.caption(
    "Zeilen: Standorte, Spalten: Quartale. "
    + " · ".join(f"{freigabeseite.STATUS_SYMBOL[s]} {STATUS_LABEL[s]}" for s in Status)
    + " · – keine Daten in diesem Quartal."
)
with st.expander("Alle Quartale mit Begründung, Fallzahlen und letzter Änderung"):
    st.dataframe(freigabeseite.anzeige(stand, namen), hide_index=True)

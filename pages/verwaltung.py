"""Benutzer und Protokoll (admin only): manage users, read and check the audit trail.

Thin page: every change goes through :mod:`monitor.benutzer` (rules, hashing, audit entry in the
same transaction), the trail through :mod:`monitor.audit`; forms come from
:mod:`ui.verwaltungsseite`. The trail is append-only — this page only reads it.
"""

import streamlit as st

from monitor.audit import protokoll, pruefe_protokoll
from monitor.ausgabe import als_csv
from monitor.benutzer import Recht, benutzerliste
from ui import daten, rueckmeldung, verwaltungsseite, zugang
from ui.format import tabelle

zugang.verlangen(Recht.BENUTZER)
st.title("Benutzer und Protokoll")
rueckmeldung.zeigen("verwaltung")
db = daten.datenbank()

st.header("Benutzer")
liste = benutzerliste(db)
if liste.empty:
    st.info(
        "Noch keine Benutzer: das Dashboard ist im Demo-Modus offen. Sobald der erste Benutzer "
        "angelegt ist, braucht jeder Besuch eine Anmeldung – legen Sie zuerst sich selbst als "
        "Admin an."
    )
else:
    tabelle(liste)
neu, aendern = st.tabs(["Benutzer anlegen", "Sperren, entsperren, Passwort"])
with neu:
    verwaltungsseite.anlegen_formular(db, daten.standortnamen())
with aendern:
    verwaltungsseite.aendern_formular(db, liste["Name"].tolist())

st.header("Auditprotokoll")
befunde = pruefe_protokoll(db)
if befunde:
    st.error(
        "Das Protokoll wurde außerhalb des Dashboards verändert:\n\n- " + "\n- ".join(befunde),
        icon=":material/gpp_bad:",
    )
else:
    st.success(
        "Hash-Kette geprüft: kein Eintrag verändert oder gelöscht.", icon=":material/verified_user:"
    )
auswahl = verwaltungsseite.protokoll_filter()
eintraege = protokoll(db, **auswahl)
if eintraege.empty:
    st.info("Keine Einträge für diese Auswahl.")
else:
    anzeige = eintraege.drop(columns="was")
    tabelle(verwaltungsseite.protokoll_anzeige(anzeige))
    st.download_button(
        "Auswahl als CSV",
        als_csv(anzeige, deutsch=True),
        file_name="auditprotokoll.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )

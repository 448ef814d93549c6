"""Datenimport: upload CSV/XLSX, see the check report, import all rows or none; templates and
questionnaires, import history, removing the demo data.

Thin page: checking, importing and templates live in :mod:`ui.importseite` (bytes + file name
in, :mod:`monitor.importieren` underneath); exports of survey tools get their mapping table from
:mod:`ui.zuordnungsseite` and are checked and imported with the confirmed profile. After an
import every cached result is cleared so all pages show the new numbers.
"""

import streamlit as st

from monitor import bestand
from monitor.benutzer import Recht
from monitor.demo import entferne_demo
from monitor.einlesen import EingabeFehler
from ui import daten, erhebungsseite, importseite, rueckmeldung, zugang, zuordnungsseite
from ui.format import LEGENDE_UNTERDRUECKT, anzahl, tabelle

zugriff = zugang.verlangen(Recht.IMPORT)
st.title("Datenimport")
st.caption(
    "Befragungen, Aktivitäten, Standorte oder Zielwerte als CSV oder Excel-Datei einlesen. "
    "Jede Datei wird zuerst geprüft; importiert wird nur, wenn alle Zeilen aller Dateien in "
    "Ordnung sind – sonst ändert sich nichts. Exporte aus KoboToolbox, LimeSurvey, Microsoft "
    "Forms, Google Forms und SoSci Survey werden erkannt und dem Codebuch zugeordnet. Namen, "
    "E-Mail-Adressen und ähnliche Spalten werden nie gespeichert."
)
rueckmeldung.zeigen("datenimport")
if zugang.ist_gast():
    st.warning(
        "Demo-Modus ohne Anmeldung: Sobald echte Daten importiert sind, zeigt das Dashboard aus "
        "Datenschutzgründen nichts mehr, bis auf dem Server ein Admin angelegt ist "
        "(`python -m monitor benutzer anlegen NAME --rolle admin --passwort-stdin`). Am besten "
        "den Admin vor dem ersten echten Import anlegen.",
        icon=":material/shield_lock:",
    )
db = daten.datenbank()

wahl = st.selectbox(
    "Art der Datei", list(importseite.ART_AUSWAHL), format_func=importseite.ART_AUSWAHL.get
)
runde = st.session_state.setdefault("import_runde", 0)
dateien = st.file_uploader(
    "Dateien (CSV oder Excel)",
    type=list(importseite.ENDUNGEN),
    accept_multiple_files=True,
    key=f"import_dateien_{runde}",
    help="Mehrere Dateien werden zusammen geprüft und zusammen importiert.",
)
uploads = [importseite.Upload(d.name, d.getvalue()) for d in dateien or []]
art = importseite.art_wahl(wahl)

if uploads:
    zuordnung = zuordnungsseite.zuordnungen_zeigen(db, uploads, art, daten.standortnamen())
    optionen = importseite.optionen_waehlen()
    pruefung = importseite.gepruefte_uploads(
        db, uploads, art, zuordnung, zugriff=zugriff, optionen=optionen
    )
    if pruefung.lesefehler:
        st.error(pruefung.lesefehler, icon=":material/error:")
    for nummer, ergebnis in enumerate(pruefung.pruefungen):
        importseite.pruefbericht_zeigen(ergebnis, pruefung.vorschau[nummer], nummer)
    if st.button("Importieren", type="primary", disabled=not pruefung.ok, icon=":material/input:"):
        try:
            ergebnisse = importseite.importiere_uploads(
                db,
                uploads,
                art,
                zuordnung,
                benutzer=zugang.akteur(),
                zugriff=zugriff,
                optionen=optionen,
            )
        except EingabeFehler as fehler:
            importseite.ablehnung_zeigen(fehler)
        else:
            importseite.vergessen()
            st.session_state["import_runde"] = runde + 1
            rueckmeldung.neu_aufbauen("datenimport", importseite.zusammenfassung(ergebnisse))

erhebungsseite.aktivitaet_formular(db, zugriff, daten.standortnamen())

st.header("Vorlagen")
st.caption(
    "Leere Vorlagen mit allen Spalten; die Excel-Vorlage hat Auswahllisten und eine Anleitung."
)
importseite.vorlagen_knoepfe()

st.subheader("Fragebögen für Umfragewerkzeuge")
st.caption(
    "Aus dem Codebuch erzeugt, damit der Wortlaut überall gleich ist: das XLSForm lässt sich in "
    "KoboToolbox oder ODK hochladen, die LimeSurvey-Datei unter „Umfrage importieren“; die "
    "Druckfassung je Welle dient für Papier und als Vorlage für Microsoft Forms und Google Forms "
    "– Fragen bitte wörtlich übernehmen, dann wird der Export ohne Nacharbeit zugeordnet."
)
importseite.fragebogen_knoepfe()
importseite.links_knoepfe(
    sorted(daten.standortnamen()) if zugriff.standorte is None else list(zugriff.standorte)
)
erhebungsseite.abschnitt(db, zugriff, daten.standortnamen())

st.header("Bisherige Importe")
protokoll = bestand.importprotokoll(db, standorte=zugriff.standorte)
if protokoll.empty:
    st.info("Noch nichts importiert.")
else:
    tabelle(protokoll)
    st.caption(LEGENDE_UNTERDRUECKT)

if zugriff.darf(Recht.ALLE_STANDORTE) and daten.bestand().kennzahlen.demo:
    st.header("Demo-Daten entfernen")
    st.write(
        "Entfernt alle Demo-Standorte, -Befragungen, -Aktivitäten und -Zielwerte in einem "
        "Schritt; echte Daten bleiben unverändert. Das Entfernen wird im Importprotokoll "
        "vermerkt, danach lädt das Dashboard keine Demo-Daten mehr."
    )
    sicher = st.checkbox("Ja, alle Demo-Daten entfernen", key="demo_bestaetigt")
    if st.button("Demo-Daten entfernen", disabled=not sicher, icon=":material/delete:"):
        entfernt = entferne_demo(db, benutzer=zugang.akteur())
        st.session_state.pop("demo_bestaetigt", None)
        rueckmeldung.neu_aufbauen(
            "datenimport", f"Demo-Daten entfernt ({anzahl(entfernt, 'Zeile', 'Zeilen')})."
        )

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
from monitor.schema import ART_LABELS, Art
from ui import daten, importseite, rueckmeldung, zugang, zuordnungsseite
from ui.format import LEGENDE_UNTERDRUECKT, tabelle

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
    pruefung = importseite.gepruefte_uploads(db, uploads, art, zuordnung)
    if pruefung.lesefehler:
        st.error(pruefung.lesefehler, icon=":material/error:")
    for nummer, ergebnis in enumerate(pruefung.pruefungen):
        importseite.pruefbericht_zeigen(ergebnis, pruefung.vorschau[nummer], nummer)
    if st.button("Importieren", type="primary", disabled=not pruefung.ok, icon=":material/input:"):
        try:
            ergebnisse = importseite.importiere_uploads(
                db, uploads, art, zuordnung, benutzer=zugang.akteur(), zugriff=zugriff
            )
        except EingabeFehler as fehler:
            st.error(f"Nicht importiert, nichts wurde geändert:\n\n{fehler}")
        else:
            importseite.vergessen()
            st.session_state["import_runde"] = runde + 1
            rueckmeldung.neu_aufbauen("datenimport", importseite.zusammenfassung(ergebnisse))

st.header("Vorlagen")
st.caption(
    "Leere Vorlagen mit allen Spalten; die Excel-Vorlage hat Auswahllisten und eine Anleitung."
)
for spalte, vorlage_art in zip(st.columns(len(Art)), Art, strict=True):
    spalte.markdown(f"**{ART_LABELS[vorlage_art]}**")
    for format_, mime in (("xlsx", importseite.MIME_XLSX), ("csv", importseite.MIME_CSV)):
        spalte.download_button(
            f"{format_.upper()}-Vorlage",
            importseite.vorlage(vorlage_art, format_),
            file_name=importseite.vorlage_dateiname(vorlage_art, format_),
            mime=mime,
            key=f"vorlage_{vorlage_art.value}_{format_}",
            icon=":material/download:",
            on_click="ignore",
        )

st.subheader("Fragebögen für Umfragewerkzeuge")
st.caption(
    "Aus dem Codebuch erzeugt, damit der Wortlaut überall gleich ist: das XLSForm lässt sich in "
    "KoboToolbox oder ODK hochladen, die LimeSurvey-Datei unter „Umfrage importieren“; die "
    "Druckfassung je Welle dient für Papier und als Vorlage für Microsoft Forms und Google Forms "
    "– Fragen bitte wörtlich übernehmen, dann wird der Export ohne Nacharbeit zugeordnet."
)
for spalte, (werkzeug, dateien) in zip(
    st.columns(len(importseite.FRAGEBOEGEN)), importseite.FRAGEBOEGEN, strict=True
):
    spalte.markdown(f"**{werkzeug}**")
    for schluessel, beschriftung, mime in dateien:
        name = importseite.fragebogen_dateiname(schluessel)
        spalte.download_button(
            beschriftung,
            importseite.frageboegen()[name],
            file_name=name,
            mime=mime,
            key=f"fragebogen_{schluessel}",
            icon=":material/download:",
            on_click="ignore",
        )

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
        rueckmeldung.neu_aufbauen("datenimport", f"Demo-Daten entfernt ({entfernt} Zeilen).")

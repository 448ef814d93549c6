"""Bericht: the Excel report, the PDF Wirkungsbericht and the indicator CSV for the sidebar's
selection.

Thin page: the workbook is the one of ``python -m monitor export`` (:mod:`monitor.bericht`), the
preview comes from :mod:`ui.berichtseite`. Sites, period and formats are the sidebar's (one set
of filters per screen); the page only chooses the goals of the preview and the CSV.
"""

import streamlit as st

from indikatoren.zielerreichung import bewertungs_text
from monitor.benutzer import Recht
from ui import bausteine, berichtseite, daten, zugang
from ui.format import LEGENDE_UNTERDRUECKT
from ui.seitenleiste import aktueller_filter
from ui.zielseite import bezugsstandort

zugriff = zugang.verlangen(Recht.EXPORT)
st.title("Bericht")
st.caption(
    "Excel-Bericht für Projektleitung, Fördergeber und Evaluation: Zielerreichung, "
    "Wirkungsziele mit Diagrammen, Vorher-Nachher, Standorte, Formate, Datenqualität und "
    "Methodik. Der PDF-Wirkungsbericht fasst Zielstand, Standortvergleich und Methodik zum "
    "Lesen und Weitergeben zusammen. Kleine Zellen sind in beiden wie im Dashboard unterdrückt."
)

db = daten.datenbank()
# One set of filters per screen: the report covers the sidebar's selection (sites, period,
# formats), as every other page does — for the protected view that is a lattice selection.
filter_ = aktueller_filter()
st.caption(
    f"Auswahl wie in der Seitenleiste: {bausteine.auswahl_text(filter_, daten.standortnamen())}"
)
ziele = st.multiselect(
    "Wirkungsziele (Vorschau und CSV-Tabelle)",
    list(berichtseite.ZIEL_AUSWAHL),
    default=list(berichtseite.ZIEL_AUSWAHL),
    format_func=berichtseite.ZIEL_AUSWAHL.get,
    help="Der Excel-Bericht enthält immer alle drei Wirkungsziele.",
)

knoepfe = st.container(horizontal=True)
knoepfe.download_button(
    "Excel-Bericht herunterladen",
    berichtseite.excel(db, filter_, zugriff, zugang.akteur()),
    file_name=berichtseite.dateiname(filter_, "xlsx"),
    mime=berichtseite.MIME_XLSX,
    type="primary",
    icon=":material/download:",
    on_click="ignore",
)
knoepfe.download_button(
    "PDF-Wirkungsbericht herunterladen",
    berichtseite.pdf(db, filter_, zugriff, zugang.akteur()),
    file_name=berichtseite.dateiname(filter_, "pdf"),
    mime=berichtseite.MIME_PDF,
    icon=":material/picture_as_pdf:",
    on_click="ignore",
)
ergebnis = daten.ergebnis(filter_)
indikatoren = ergebnis.indikatoren
knoepfe.download_button(
    "Indikatoren als CSV (Excel, deutsch)",
    berichtseite.csv(db, indikatoren, ziele, filter_, zugang.akteur()),
    file_name=berichtseite.dateiname(filter_, "csv"),
    mime=berichtseite.MIME_CSV,
    icon=":material/table:",
    on_click="ignore",
    disabled=not ziele,
)

if zugriff.darf(Recht.MIKRODATEN):
    st.download_button(
        "Pseudonymisierte Mikrodaten (CSV)",
        berichtseite.mikrodaten(db, zugang.sitzung(), filter_),
        file_name=berichtseite.dateiname(filter_, "csv").replace("indikatoren", "mikrodaten"),
        mime=berichtseite.MIME_CSV,
        icon=":material/dataset:",
        on_click="ignore",
        help="Fragebögen der Auswahl ohne Unterdrückung; Codes durch Pseudonyme ersetzt, die "
        "nur innerhalb dieser Datei gleich bleiben. Nur für die Evaluation; jeder Export wird "
        "protokolliert.",
    )

st.subheader("Vorschau: Indikatoren der Auswahl")
if not ziele:
    st.info("Bitte mindestens ein Wirkungsziel wählen.")
else:
    st.dataframe(
        berichtseite.vorschau(indikatoren, ziele, bezugsstandort(filter_)),
        hide_index=True,
        column_config=berichtseite.VORSCHAU_KONFIG,
    )
    st.caption(LEGENDE_UNTERDRUECKT)
    st.caption(bewertungs_text(ergebnis.bewertet_am, bool(filter_.von or filter_.bis)))

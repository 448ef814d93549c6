"""Übersicht: are we on track toward goals a–c? Key figures, all indicators, data freshness.

A thin page: numbers come from one cached engine run for the sidebar's filter (the quarterly
run — its whole-period rows are the released values, its quarters give the trend arrows), the
cached inventory and the activity counts; the parts are drawn by :mod:`ui.ueberblick`.
"""

import pandas as pd
import streamlit as st

from indikatoren.unterdrueckung import GESAMT
from indikatoren.zielerreichung import bewertungs_text, ziel_zusammenfassung
from ui import aufbereitung as auf
from ui import bausteine, daten, diagramme, ueberblick, zugang
from ui.format import tabelle
from ui.seitenleiste import aktueller_filter
from ui.zielseite import bezugsstandort

st.title("Übersicht")
filter_ = aktueller_filter()
namen = daten.standortnamen()
st.caption(bausteine.auswahl_text(filter_, namen))
bestand = daten.bestand()

if bestand.kennzahlen.leer:
    ueberblick.bestand_kennzahlen(bestand)
    st.info(
        "Noch keine Daten importiert – es liegen weder Befragungen noch Aktivitäten vor. "
        "Daten lassen sich auf der Seite „Datenimport“ einlesen oder auf der Kommandozeile: "
        "Vorlagen erzeugen mit `python -m monitor vorlagen ORDNER`, ausfüllen, prüfen mit "
        "`python -m monitor pruefen DATEI` und einlesen mit `python -m monitor import DATEI`.",
        icon=":material/upload_file:",
    )
    if bestand.kennzahlen.standorte:
        st.subheader("Angelegte Standorte")
        tabelle(bestand.letzte_importe)
    st.stop()

ergebnis = daten.ergebnis(filter_, nach_quartal=True)
ganz = auf.gesamtzeitraum(ergebnis.indikatoren)
bezug = bezugsstandort(filter_)
if not auf.hat_werte(ganz):
    bausteine.keine_daten()
else:
    st.header("Wirkungsziele auf einen Blick")
    richtungen = auf.trend_je_indikator(auf.trends(ergebnis.indikatoren, bezug))
    for spalte, stand in zip(st.columns(3), ziel_zusammenfassung(ganz, bezug), strict=True):
        with spalte:
            bausteine.zielkachel(stand, auf.zieltrend(richtungen, stand.ziel))
    st.caption(bewertungs_text(ergebnis.bewertet_am, bool(filter_.von or filter_.bis)))
    if len(filter_.standorte) > 1:
        st.caption(
            "Für eine Auswahl mehrerer Standorte gibt es keinen gemeinsamen Zielwert – die "
            "Zielerreichung je Standort zeigt die Seite „Standortvergleich“."
        )
    uebersicht = auf.indikator_tabelle(ganz, richtungen, bezug)
    projekt = daten.projektwerte() if bezug != GESAMT else None
    if projekt is not None:
        uebersicht = auf.mit_projektwert(uebersicht, projekt)
    erreichung = ganz[(ganz["standort"] == bezug) & (ganz["gruppe"] == "gesamt")]
    balken = uebersicht[["ID", "Indikator", "Status"]].merge(
        erreichung[["indikator", "zielerreichung"]], left_on="ID", right_on="indikator"
    )
    st.subheader("Zielerreichung je Indikator")
    bausteine.diagramm(
        diagramme.zielerreichung_balken(
            pd.DataFrame(
                {
                    "kategorie": balken["ID"] + " " + balken["Indikator"],
                    "zielerreichung": balken["zielerreichung"],
                    "status": balken["Status"],
                }
            )
        )
    )
    st.caption(bausteine.status_legende())
    ueberblick.ziel_und_projekt_hinweise(
        uebersicht, bezug, projekt is not None, namen.get(bezug, bezug)
    )

    st.header("Kennzahlen")
    ueberblick.kennzahlen(ergebnis, daten.reichweite(filter_), filter_, bezug)

    st.header("Alle Indikatoren")
    ueberblick.indikator_tabelle(uebersicht)
    bausteine.legende_unterdrueckung()

st.header("Aktualität der Daten je Standort")
if zugang.zugriff().geschuetzt:
    st.caption("Bis zu welchem Quartal die Daten jedes Standorts freigegeben sind.")
    tabelle(daten.freigabe_stand())
    st.stop()
ueberblick.aktualitaet_anzeigen(bestand.letzte_importe, filter_)

st.header("Datenbestand")
if daten.nur_freigegeben():
    st.caption(
        "Der Datenbestand umfasst auch nicht freigegebene Quartale und wird deshalb nur ohne "
        "den Filter „Nur freigegebene Quartale“ gezeigt."
    )
    st.stop()
st.caption("Alle Daten in der Datenbank, unabhängig von der Auswahl in der Seitenleiste.")
ueberblick.bestand_kennzahlen(bestand)
bestand_details = st.expander(
    "Fragebögen, Teilnehmende und Aktivitäten je Standort",
    key="ue_bestand",
    on_change="rerun",
)
if bestand_details.open:  # drawn only when opened: with 100 sites it is a large chart
    with bestand_details:
        ueberblick.bestand_anzeigen(bestand)

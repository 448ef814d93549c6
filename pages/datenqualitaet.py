"""Datenqualität: which sites report, how complete the questionnaires are, who stays from T0 to
T2, contradictions, near-duplicate participant codes and implausible activity counts — for the
sidebar's sites, period, formats (near-duplicate codes: sites only, across all periods).

Thin page: the checks and their German explanations come from
:mod:`indikatoren.datenqualitaet` (suppressed there), layout helpers from :mod:`ui.qualitaetseite`.
"""

import streamlit as st

from indikatoren.datenqualitaet import PRUEFUNGEN
from monitor.benutzer import Recht
from ui import bausteine, daten, qualitaetseite, zugang
from ui.format import LEGENDE_UNTERDRUECKT
from ui.seitenleiste import aktueller_filter

zugang.verlangen(Recht.ZEILENLISTEN)
st.title("Datenqualität")
filter_ = aktueller_filter()
pruefung = qualitaetseite.datenqualitaet(filter_)
namen = daten.standortnamen()
st.caption(
    f"Stand {pruefung.stichtag:%d.%m.%Y}; es gelten die Filter der Seitenleiste (Zeitraum, "
    f"Standorte, Format). {LEGENDE_UNTERDRUECKT}"
)


def abschnitt(schluessel: str) -> None:
    titel, erklaerung = PRUEFUNGEN[schluessel]
    st.subheader(titel, help=erklaerung)


abschnitt("meldestand")
if pruefung.meldestand.empty:
    st.info("Noch keine Standorte angelegt – zuerst eine Standorte-Datei importieren.")
    st.stop()
stumm = pruefung.meldestand[~pruefung.meldestand["gemeldet"]]
quartal = f"{pruefung.quartal_von:%d.%m.%Y}–{pruefung.quartal_bis:%d.%m.%Y}"
if stumm.empty:
    st.success(f"Alle Standorte haben im letzten vollen Quartal ({quartal}) Daten geliefert.")
else:
    liste = ", ".join(namen.get(s, s) for s in stumm["standort"])
    st.warning(
        f"Keine Daten im letzten vollen Quartal ({quartal}): {liste}", icon=":material/warning:"
    )
qualitaetseite.zeigen(pruefung.meldestand, namen)

keine_befragung = (
    pruefung.trichter.empty or not (pruefung.vollstaendigkeit["fragebogen"] != 0).any()
)
if keine_befragung:
    st.info("Im gewählten Ausschnitt liegen keine Fragebögen vor.")
else:
    abschnitt("vollstaendigkeit")
    qualitaetseite.zeigen(pruefung.vollstaendigkeit, namen)

    abschnitt("trichter")
    links, rechts = st.columns(2)
    for spalte, diagramm in (
        (links, qualitaetseite.trichter_diagramm(pruefung.trichter)),
        (rechts, qualitaetseite.quoten_diagramm(pruefung.trichter, namen)),
    ):
        if diagramm is not None:
            with spalte:
                bausteine.diagramm(diagramm)
    qualitaetseite.zeigen(pruefung.trichter, namen)

    abschnitt("attrition")
    qualitaetseite.zeigen(pruefung.attrition, namen)

    abschnitt("ausgangswerte")
    auffaellig = pruefung.ausgangswerte[pruefung.ausgangswerte["warnung"]]
    if not auffaellig.empty:
        st.warning(
            "Ausgangswerte von Gebliebenen und Ausgefallenen unterscheiden sich um mehr als "
            f"0,2 Standardabweichungen: {qualitaetseite.ausgangswerte_liste(auffaellig, namen)}",
            icon=":material/warning:",
        )
    qualitaetseite.zeigen(pruefung.ausgangswerte, namen)

    abschnitt("konsistenz")
    befunde = pruefung.konsistenz
    if befunde["unterdrueckt"].any() or (befunde["anzahl"].fillna(0) > 0).any():
        qualitaetseite.zeigen(befunde, namen)
    else:
        st.success("Keine Widersprüche gefunden.")

    st.subheader(qualitaetseite.AEHNLICHE_CODES_TITEL, help=qualitaetseite.AEHNLICHE_CODES_HILFE)
    # On request: comparing every pair of codes is the slowest check on large projects.
    if not st.toggle("Ähnliche Codes suchen", key="aehnliche_codes_suchen"):
        st.caption("Vergleicht alle Codes je Standort paarweise; bei großen Projekten dauert das.")
    elif (je_standort := qualitaetseite.aehnliche_codes_je_standort(filter_.standorte)).empty:
        st.success("Keine ähnlichen Codes innerhalb eines Standorts gefunden.")
    else:
        st.dataframe(je_standort, hide_index=True)
        st.caption(
            "Nichts wurde zusammengeführt. Die Codepaare selbst gleicht die "
            "Standortkoordination mit ihren Unterlagen ab; sie sieht nur die ihres Standorts, "
            "Fördergeber sehen diese Seite nicht."
        )
        with st.expander("Codepaare"):
            if not qualitaetseite.codes_im_klartext():
                st.caption(
                    "Codes pseudonymisiert; im Klartext sieht sie nur die Standortkoordination."
                )
            st.dataframe(qualitaetseite.aehnliche_codepaare(filter_.standorte), hide_index=True)

abschnitt("ausreisser")
if pruefung.ausreisser.empty:
    st.success("Keine auffälligen Teilnehmendenzahlen.")
else:
    qualitaetseite.zeigen(pruefung.ausreisser, namen)

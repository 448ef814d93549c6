"""Standortvergleich: sites side by side for any indicator — with uncertainty, not as a ranking.

Forest plot of site values against the pooled value, heat map of attainment (indicator × site),
quarterly trends per site as small multiples, and a map drawn from shipped outlines (no tile
download). All numbers come from the one cached engine run of the sidebar's filter; the slicing
lives in :mod:`ui.vergleich`.
"""

import streamlit as st

from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.zielerreichung import bewertungs_text
from ui import aufbereitung as auf
from ui import bausteine, daten, sprung, vergleich
from ui.farben import standort_farben
from ui.seitenleiste import aktueller_filter

st.title("Standortvergleich")
filter_ = aktueller_filter()
namen = daten.standortnamen()
st.caption(bausteine.auswahl_text(filter_, namen))
ergebnis = daten.ergebnis(filter_, nach_quartal=True)
if not auf.hat_werte(auf.gesamtzeitraum(ergebnis.indikatoren)):
    bausteine.keine_daten()
    st.stop()

standorte = daten.standorte()
farben = standort_farben(standorte["standort"])
links, rechts = st.columns([3, 2], vertical_alignment="bottom")
auswahl = links.selectbox(
    "Indikator",
    options=[i.id for i in INDIKATOREN],
    format_func=auf.indikator_auswahl_label,
    index=4,
    key="sv_indikator",
)
ind = REGISTER[auswahl]
welle = "T1"
if ind.vorher_nachher:
    welle = (
        rechts.segmented_control(
            "Vergleich",
            options=["T1", "T2"],
            default="T1",
            key="sv_welle",
            format_func=lambda w: f"vorher → nachher (T0→{w})",
            required=True,
        )
        or "T1"
    )
with rechts:
    bausteine.beschreibung(ind)
werte = vergleich.standortwerte(ind, ergebnis, welle)

st.subheader(f"{ind.id} {ind.name} je Standort")
if not auf.hat_werte(werte.assign(n=werte["n"].fillna(0))):
    st.info(f"Für {ind.id} liegen in dieser Auswahl keine Werte je Standort vor.")
else:
    bausteine.diagramm_oder_liste(
        vergleich.forest(ind, werte, namen, farben),
        vergleich.forest_liste(werte, namen),
        key="forest",
    )
    st.caption(
        "Standorte nach Namen sortiert, nicht nach Rang: Bei den oft kleinen Fallzahlen "
        "überlappen sich die 95-%-Intervalle meist – eine Rangliste würde Unterschiede "
        "vortäuschen, die die Daten nicht belegen. Die gestrichelte Linie ist der gepoolte "
        "Wert aller gewählten Standorte (grau hinterlegt: sein Intervall)."
        if ind.berechnung not in auf.SUMMEN
        else "Standorte nach Namen sortiert. Zählgrößen haben kein Intervall, und die "
        "Projektsumme ist kein Vergleichswert für einen einzelnen Standort."
    )
    meta = vergleich.standort_meta(ind, werte)
    if meta is not None:
        st.caption(vergleich.meta_text(ind, meta))

st.subheader("Zielerreichung je Standort und Indikator")
karte_ziel = vergleich.heatmap(ergebnis, namen)
if karte_ziel is None:
    st.info("Keine Zielwerte oder Werte für diese Auswahl.")
else:
    # Wide screens and print: the heat map; phones: the same as a list (CSS picks one).
    # A click on a cell opens that site's goal page (ui.sprung); the list links the same way.
    with st.container(key="wm_breit"):
        sprung.springen(
            sprung.aus_auswahl(bausteine.diagramm(karte_ziel, key="sv_heatmap", anklickbar=True))
        )
        st.caption(
            "Zellen: Symbol und Zielerreichung in % des Ziels, Farbe: Status. „○ –“ (grau): "
            "kein Zielwert oder kein ausgewiesener Wert. Eine angeklickte Zelle öffnet die "
            "Zielseite dieses Standorts beim Indikator. " + bausteine.status_legende()
        )
    with st.container(key="wm_schmal"):
        for standort, zeile in vergleich.status_liste(ergebnis, namen):
            st.markdown(zeile)
            sprung.ziel_links(standort)
        st.caption(bausteine.status_legende())
    st.caption(bewertungs_text(ergebnis.bewertet_am, bool(filter_.von or filter_.bis)))

st.subheader(f"Verlauf je Standort: {ind.id} {ind.name}")
vielfache, anzahl = vergleich.vielfache(ind, ergebnis, namen, farben)
if vielfache is None:
    st.info("Noch keine Quartalswerte je Standort für diese Auswahl.")
else:
    bausteine.diagramm(vielfache)
    hinweis = "Gestrichelt: alle gewählten Standorte. Lücken: Quartal nicht ausgewiesen."
    if anzahl > vergleich.MAX_FACETTEN:
        hinweis += (
            f" Gezeigt werden die ersten {vergleich.MAX_FACETTEN} von {anzahl} Standorten "
            "(alphabetisch) – für andere bitte Standorte in der Seitenleiste wählen."
        )
    st.caption(hinweis)

st.subheader("Karte der Standorte")
karte, ohne_koordinaten = vergleich.karte(ind, werte, standorte, namen, farben)
sprung.springen(sprung.aus_auswahl(bausteine.diagramm(karte, key="sv_karte", anklickbar=True)))
st.caption(
    f"Kreisfläche ~ Fallzahl von {ind.id}; Farbe wie in den Diagrammen oben; ein angeklickter "
    f"Standort öffnet seine Zielseite bei {ind.id}. Umrisse: "
    "Natural Earth (gemeinfrei)."
    + (f" Ohne Koordinaten: {', '.join(ohne_koordinaten)}." if ohne_koordinaten else "")
)
bausteine.legende_unterdrueckung()

"""Parts of the overview page: key figures, the indicator table, data freshness, the inventory.

Kept out of ``pages/uebersicht.py`` so the page reads as a list of sections. Every number comes
from the released engine result, the cached inventory (:mod:`monitor.bestand`) or the activity
counts (:mod:`monitor.reichweite`).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.express as px
import streamlit as st

from indikatoren.engine import Ergebnis
from indikatoren.filter import GRUPPIERUNG_LABEL, Filter
from indikatoren.unterdrueckung import GESAMT
from monitor.bestand import Bestand, fragebogen_je_standort_lang
from monitor.schema import FORMAT_LABELS, WELLEN
from ui import aufbereitung as auf
from ui import bausteine
from ui.farben import status_farbe, textfarbe
from ui.format import LEGENDE_UNTERDRUECKT, UNTERDRUECKT, anzahl, prozent, tabelle, zahl

# Waves as one hue getting lighter over time: order, not judgement (no red for T2).
WELLEN_FARBEN = ["#1b4f72", "#3c8dbc", "#9ecae1"]


def bestand_kennzahlen(bestand: Bestand) -> None:
    """Headline counts of the database (all data, independent of the filter)."""
    kennzahlen = bestand.kennzahlen
    spalten = st.columns(4)
    spalten[0].metric("Standorte", zahl(kennzahlen.standorte))
    spalten[1].metric("Teilnehmende", zahl(kennzahlen.teilnehmende), help="Verschiedene Codes")
    spalten[2].metric("Fragebögen", zahl(kennzahlen.fragebogen), help="Alle Wellen (T0, T1, T2)")
    spalten[3].metric("Aktivitäten", zahl(kennzahlen.aktivitaeten))


def bestand_anzeigen(bestand: Bestand) -> None:
    """The inventory: questionnaires per site and wave, participants, activities per site."""
    st.markdown("**Fragebögen je Standort und Welle**")
    diagramm = px.bar(
        fragebogen_je_standort_lang(bestand.fragebogen_je_standort),
        x="Standort",
        y="Fragebögen",
        color="Welle",
        barmode="group",
        category_orders={"Welle": list(WELLEN)},
        color_discrete_sequence=WELLEN_FARBEN,
    )
    diagramm.update_layout(
        xaxis_title=None,
        yaxis_title="Anzahl Fragebögen",
        legend_title_text="Welle",
        separators=",.",
        margin={"t": 10},
        font={"size": 14},
    )
    bausteine.diagramm(diagramm)
    st.caption("T0 = Beginn, T1 = Ende des Angebots, T2 = Nachbefragung nach 3–6 Monaten.")
    tabelle(bestand.fragebogen_je_standort)
    st.markdown("**Teilnehmende je Standort**")
    st.caption("Verschiedene Codes; die Migrationsgeschichte stammt aus dem Eingangsfragebogen.")
    tabelle(bestand.teilnehmende_je_standort)
    links, rechts = st.columns([1, 2])
    with links:
        st.markdown("**Fragebögen je Format**")
        tabelle(bestand.fragebogen_je_format)
    with rechts:
        st.markdown("**Aktivitäten je Standort und Format**")
        tabelle(bestand.aktivitaeten_je_standort)
    st.caption(LEGENDE_UNTERDRUECKT)


def kennzahlen(
    ergebnis: Ergebnis, reichweite: pd.DataFrame, filter_: Filter, bezug: str = GESAMT
) -> None:
    """Reach, activities per format, response and match rates for the selection."""
    ganz = auf.gesamtzeitraum(ergebnis.indikatoren)
    a1 = ganz[(ganz["indikator"] == "A1") & (ganz["standort"] == bezug)]
    gruppen = [g for g in auf.gruppenfolge(a1["gruppe"]) if g != GESAMT]
    st.markdown(
        f"**Erreichte Teilnehmende** (Eingangsfragebogen T0) nach "
        f"{GRUPPIERUNG_LABEL[filter_.gruppierung]}"
    )
    spalten = st.columns(1 + max(len(gruppen), 1))
    for spalte, gruppe in zip(spalten, [GESAMT, *gruppen], strict=False):
        zeile = a1[a1["gruppe"] == gruppe]
        wert = None if zeile.empty else zeile.iloc[0]["wert"]
        spalte.metric(
            "Erreichte Teilnehmende" if gruppe == GESAMT else f"davon {auf.gruppe_label(gruppe)}",
            zahl(wert),
        )
    st.markdown("**Aktivitäten nach Format**")
    spalten = st.columns(len(reichweite))
    for spalte, zeile in zip(spalten, reichweite.itertuples(index=False), strict=True):
        name = (
            "Aktivitäten gesamt"
            if zeile.format == GESAMT
            else f"Aktivitäten {FORMAT_LABELS[zeile.format]}"
        )
        spalte.metric(
            name,
            zahl(zeile.aktivitaeten),
            help=f"{zahl(zeile.teilnahmen)} Teilnahmen, davon {zahl(zeile.neue_teilnehmende)} "
            "erstmals Teilnehmende",
        )
    st.markdown("**Rücklauf und Match-Quoten**")
    spalten = st.columns(3)
    gesamt_a1 = a1[a1["gruppe"] == GESAMT]
    neue = int(reichweite.loc[reichweite["format"] == GESAMT, "neue_teilnehmende"].sum())
    ruecklauf_quote: float | None = None
    if gesamt_a1.empty or gesamt_a1.iloc[0]["unterdrueckt"]:
        ruecklauf = f"n {UNTERDRUECKT}"  # "< 5" alone in a % field reads "less than 5 %"
    else:
        ruecklauf_quote = 100 * gesamt_a1.iloc[0]["wert"] / neue if neue else None
        ruecklauf = "–" if ruecklauf_quote is None else prozent(ruecklauf_quote)
    spalten[0].metric(
        "Rücklauf Eingangsbefragung",
        ruecklauf,
        help="Personen mit Eingangsfragebogen (T0) je 100 erstmals Teilnehmende laut "
        "Aktivitätsdokumentation – ein Näherungswert, denn wer an mehreren Standorten "
        "teilnimmt, zählt dort jeweils neu.",
    )
    if ruecklauf_quote is not None and ruecklauf_quote > 100:
        spalten[0].warning(
            "Plausibilität: mehr Eingangsfragebögen als erstmals Teilnehmende laut "
            "Aktivitätsdokumentation. Vermutlich fehlen Aktivitäten oder deren Zahl neuer "
            "Teilnehmender – bitte die Aktivitätsdaten prüfen.",
            icon=":material/warning:",
        )
    vn = ergebnis.vorher_nachher
    for spalte, welle in zip(spalten[1:], ("T1", "T2"), strict=True):
        zeile = vn[
            (vn["standort"] == bezug)
            & (vn["gruppe"] == GESAMT)
            & (vn["periode"] == GESAMT)
            & (vn["welle"] == welle)
        ].head(1)
        quote = (
            "–"
            if zeile.empty
            else f"n {UNTERDRUECKT}"
            if zeile.iloc[0]["match_unterdrueckt"]
            else prozent(zeile.iloc[0]["match_quote"])
        )
        spalte.metric(
            f"Match-Quote T0→{welle}",
            quote,
            help=f"Anteil der Personen mit T0-Fragebogen, die auch zu {welle} am selben Standort "
            "geantwortet haben (gleicher Code).",
        )


def ziel_und_projekt_hinweise(
    uebersicht: pd.DataFrame, bezug: str, projekt_da: bool, standortname: str
) -> None:
    """Context for one site's view: who sets the missing targets, and the project comparison."""
    ohne_ziel = int(uebersicht["Status"].str.endswith(auf.KEIN_ZIELWERT).sum())
    if ohne_ziel:
        st.info(
            f"Für {anzahl(ohne_ziel, 'Indikator', 'Indikatoren')} mit Wert ist kein Zielwert "
            "gesetzt („kein Zielwert“), deshalb gibt es dort keine Zielerreichung. Zielwerte "
            "legt die Projektleitung fest – auf der Seite „Zielwerte“ oder als Zielwert-Datei "
            "im Datenimport.",
            icon=":material/flag:",
        )
    if bezug == GESAMT:
        return
    if projekt_da:
        st.caption(
            f"Spalte „{auf.PROJEKT_SPALTE}“: derselbe Indikator über alle Standorte und alle "
            "freigegebenen Quartale, so geschützt wie für Fördergeber – zum Vergleich mit "
            f"{standortname}."
        )
    else:
        st.caption(
            "Der Vergleich mit dem ganzen Projekt erscheint, sobald mindestens drei Standorte "
            "freigegebene Quartale haben (sonst ließe sich ein anderer Standort herausrechnen)."
        )


def _status_stil(status: str) -> str:
    farbe = status_farbe(status)
    return f"background-color: {farbe}; color: {textfarbe(farbe)}"


def indikator_tabelle(daten: pd.DataFrame) -> None:
    """All indicators with value, interval, n, target, attainment, status (coloured) and trend."""
    daten = daten.drop(columns="Ziel")  # the ID's letter names the goal; the room is needed
    st.dataframe(
        daten.style.map(_status_stil, subset=["Status"]),
        hide_index=True,
        height=35 * (len(daten) + 1) + 3,  # every indicator visible, no inner scrolling
        column_config={
            "ID": st.column_config.TextColumn(width=40, help="Der Buchstabe nennt das Ziel"),
            "Stufe": st.column_config.NumberColumn(width=50, help="Stufe der Wirkungstreppe"),
            "Indikator": st.column_config.TextColumn(width=230),
            "Zielwert": st.column_config.TextColumn(width=115),
            "Zielerreichung": st.column_config.TextColumn(width=90),
            "Status": st.column_config.TextColumn(width=80),
            auf.PROJEKT_SPALTE: st.column_config.TextColumn(
                width=110, help="Alle Standorte, nur freigegebene Quartale"
            ),
            "Wert": st.column_config.TextColumn(
                width=125,
                help="Anteile in %, Veränderungen vorher → nachher (T0→T1) mit Vorzeichen. "
                f"„{UNTERDRUECKT}“: aus Datenschutzgründen nicht ausgewiesen.",
            ),
            "95-%-KI": st.column_config.TextColumn(width=100, help="95-%-Konfidenzintervall"),
            "n": st.column_config.TextColumn(width=60, help="Personen, Paare bzw. Aktivitäten"),
            "Trend": st.column_config.TextColumn(
                width=85, help="Richtung vom vorletzten zum letzten Quartal"
            ),
        },
    )


def aktualitaet_anzeigen(letzte_importe: pd.DataFrame, filter_: Filter) -> None:
    """Last import per site, flagged when older than a quarter (or missing)."""
    stand = auf.aktualitaet(letzte_importe, date.today(), filter_.standorte)
    veraltet = int(stand["Aktualität"].str.startswith("⚠").sum())
    if veraltet:
        st.warning(
            f"{anzahl(veraltet, 'Standort', 'Standorte')} ohne neue Daten in den letzten drei "
            "Monaten (nach dem neuesten Befragungs- oder Aktivitätsdatum).",
            icon=":material/schedule:",
        )
    tabelle(stand)

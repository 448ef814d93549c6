"""The page of one impact goal (a, b or c): status, Wirkungstreppe, and each indicator in detail.

The three goal pages are one call each (``zeige_ziel(Ziel.A)``). All numbers come from one
cached engine run per filter (the quarterly one, whose whole-period rows are the same released
values as a plain run), so switching between the goal pages, the overview and the site
comparison costs no further computation.

Per indicator (one lazy tab each — only the open tab is drawn): the project value with its
interval and n, the result by group, the quarterly trend, and the result per site.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indikatoren.definitionen import ZIEL_BESCHREIBUNG, ZIEL_NAMEN, Berechnung, Indikator, Ziel
from indikatoren.engine import Ergebnis
from indikatoren.filter import Filter
from indikatoren.unterdrueckung import GESAMT
from indikatoren.zielerreichung import bewertungs_text, ziel_zusammenfassung
from ui import aufbereitung as auf
from ui import bausteine, daten, diagramme, periodenvergleich, sprung, vergleich
from ui.farben import GESAMT_FARBE, gruppe_farbe, standort_farben
from ui.format import UNTERDRUECKT, UNTERDRUECKT_PAARE, anzahl, intervall, prozent, zahl
from ui.seitenleiste import aktueller_filter
from ui.vergleichsgruppe import zeige_wirkung

#: Sites shown in the per-site chart before it goes into a collapsed expander.
OFFENE_STANDORTE = 12


def bezugsstandort(filter_: Filter) -> str:
    """Whose values and targets the page headline shows: the one chosen site, else the total.

    Decided on the filter narrowed to the session's sites: a site coordinator reads only its
    own site, so its pages show that site's targets without it being chosen in the sidebar
    (the total has no targets for a single site's data: every goal showed "keine Daten").
    """
    standorte = daten.eigener_filter(filter_).standorte
    return standorte[0] if len(standorte) == 1 else GESAMT


def zeige_ziel(ziel: Ziel) -> None:
    """Draw the whole goal page for the sidebar's current filter."""
    st.title(f"Ziel {ziel.value} – {ZIEL_NAMEN[ziel]}")
    st.markdown(ZIEL_BESCHREIBUNG[ziel])
    filter_ = aktueller_filter()
    namen = daten.standortnamen()
    st.caption(bausteine.auswahl_text(filter_, namen))
    ergebnis = daten.ergebnis(filter_, nach_quartal=True)
    indikatoren = auf.indikatoren_des_ziels(ziel)
    ids = [i.id for i in indikatoren]
    ganz = auf.gesamtzeitraum(ergebnis.indikatoren)
    bezug = bezugsstandort(filter_)

    links, rechts = st.columns([1, 2], gap="large")
    with links:
        st.subheader("Stand des Ziels")
        stand = next(s for s in ziel_zusammenfassung(ganz, bezug) if s.ziel is ziel)
        trends = auf.trends(ergebnis.indikatoren, bezug)
        bausteine.zielkachel(stand, auf.zieltrend(auf.trend_je_indikator(trends), ziel))
        st.caption(bewertungs_text(ergebnis.bewertet_am, bool(filter_.von or filter_.bis)))
        if len(filter_.standorte) > 1:
            st.caption(
                "Für eine Auswahl mehrerer Standorte gibt es keinen gemeinsamen Zielwert; "
                "die Zielerreichung je Standort zeigt die Seite „Standortvergleich“."
            )
    with rechts:
        st.subheader("Wirkungstreppe")
        bausteine.diagramm(diagramme.wirkungstreppe(indikatoren))
        st.caption(
            "Stufen 1–3: Leistungen (Output), 4–6: Wirkungen bei den Zielgruppen (Outcome), "
            "7: gesellschaftliche Wirkung (Impact). Die Kästchen zeigen, auf welcher Stufe "
            "die Indikatoren dieses Ziels messen."
        )

    if not auf.hat_werte(ganz[ganz["indikator"].isin(ids)]):
        bausteine.keine_daten()
        return
    periodenvergleich.zeigen(indikatoren, filter_, bezug)
    st.subheader("Indikatoren")
    reiter = st.tabs(
        [sprung.reiter_titel(i) for i in indikatoren],
        key=sprung.reiter_schluessel(ziel),
        on_change="rerun",
    )
    for tab, ind in zip(reiter, indikatoren, strict=True):
        if tab.open is False:
            continue
        with tab:
            zeige_indikator(ind, ergebnis, filter_, namen)
    bausteine.legende_unterdrueckung()
    zeige_wirkung(ziel, filter_, namen)


def zeige_indikator(
    ind: Indikator, ergebnis: Ergebnis, filter_: Filter, namen: dict[str, str]
) -> None:
    """Everything about one indicator for the current selection."""
    kopf, info = st.columns([4, 1], vertical_alignment="center")
    kopf.markdown(f"#### {ind.id} – {ind.name}")
    with info:
        bausteine.beschreibung(ind)
    bezug = bezugsstandort(filter_)
    tabelle = ergebnis.indikatoren[ergebnis.indikatoren["indikator"] == ind.id]
    ganz = auf.gesamtzeitraum(tabelle)
    zeile = auf.zeile(ganz, ind.id, bezug)
    if zeile is None or not auf.hat_werte(ganz):
        st.info(f"Für {ind.id} liegen in dieser Auswahl keine Werte vor.")
        return
    _kennzahlen(ind, zeile, ergebnis.vorher_nachher, bezug)

    gruppen = auf.gruppenfolge(ganz["gruppe"])
    links, rechts = st.columns([3, 2], gap="medium")
    with links:
        st.markdown("**Nach Gruppen**")
        if ind.vorher_nachher:
            vn = auf.vorher_nachher_zeilen(
                ergebnis.vorher_nachher, ind.id, standort=bezug, gruppe=None
            )
            bausteine.diagramm(_vn_nach_gruppe(ind, vn, gruppen))
        else:
            bausteine.diagramm(_wert_nach_gruppe(ind, ganz[ganz["standort"] == bezug], gruppen))
    with rechts:
        st.markdown("**Fallzahlen**")
        if ind.vorher_nachher:
            kennwerte = auf.kennwerte_tabelle(vn, ind)
            st.dataframe(
                kennwerte[["Gruppe", "Welle", "n Paare", "Match-Quote"]],
                hide_index=True,
                column_config={
                    "n Paare": st.column_config.TextColumn(help="Gepaarte Fragebögen T0 und T1/T2"),
                    "Match-Quote": st.column_config.TextColumn(
                        help="Anteil der Personen mit T0-Fragebogen, die auch zu T1 bzw. T2 "
                        "am selben Standort geantwortet haben"
                    ),
                },
            )
        else:
            gruppen_tabelle = _gruppen_tabelle(ind, ganz[ganz["standort"] == bezug])
            if ind.berechnung not in auf.MIT_INTERVALL:
                gruppen_tabelle = gruppen_tabelle.drop(columns="95-%-KI")
            st.dataframe(gruppen_tabelle, hide_index=True)
    if ind.vorher_nachher:
        with st.expander("Alle Kennwerte: Mittelwerte vorher/nachher, Effektstärke, p-Wert"):
            st.dataframe(kennwerte, hide_index=True)
            st.caption(
                "g_z: Effektstärke (Hedges' g für gepaarte Messungen; um 0,2 klein, 0,5 mittel, "
                "0,8 groß). p: Wahrscheinlichkeit eines mindestens so großen Unterschieds, wenn "
                "sich in Wahrheit nichts verändert hätte (gepaarter t-Test bzw. McNemar-Test)."
            )

    st.markdown("**Verlauf nach Quartalen**")
    quartale = auf.quartalszeilen(tabelle[tabelle["standort"] == bezug])
    if not auf.hat_werte(quartale):
        st.info(
            "Alle Quartalswerte sind aus Datenschutzgründen nicht ausgewiesen – je Quartal zu "
            "wenige Personen bzw. Paare. Der Wert für den ganzen Zeitraum steht oben."
            if quartale["unterdrueckt"].any()
            else "Noch keine Quartalswerte für diese Auswahl."
        )
    else:
        perioden = auf.perioden(quartale)
        bausteine.diagramm(
            diagramme.trendlinien(
                quartale.rename(columns={"ci_unten": "unten", "ci_oben": "oben"}).assign(
                    serie=quartale["gruppe"].map(auf.gruppe_label)
                ),
                perioden=perioden,
                perioden_text=auf.quartal_labels(perioden),
                serien=[auf.gruppe_label(g) for g in gruppen],
                farben={auf.gruppe_label(g): gruppe_farbe(g) for g in gruppen},
                y_titel=auf.achsentitel(ind),
                einheit=ind.einheit,
                stellen=ind.dezimalstellen,
                vorzeichen=ind.vorher_nachher,
                intervall_fuer=auf.gruppe_label(GESAMT),
            )
        )
        st.caption(
            "Lücken in einer Linie sind Quartale, deren Wert aus Datenschutzgründen nicht "
            "ausgewiesen wird (zu wenige Personen) – nicht 0."
            + (
                " Vorher-Nachher-Werte zählen im Quartal des Nachher-Fragebogens."
                if ind.vorher_nachher
                else ""
            )
        )
    _je_standort(ind, ergebnis, ganz, namen)


def _kennzahlen(ind: Indikator, zeile: pd.Series, vorher_nachher: pd.DataFrame, bezug: str) -> None:
    wer = "Projekt" if bezug == GESAMT else "Standort"
    spalten = st.columns(4)
    wert = auf.wert_text(ind, zeile["wert"], unterdrueckt=zeile["unterdrueckt"])
    if ind.einheit != "%":
        # The unit goes into the label: "123.195 Personen" would not fit the big number.
        wer = f"{wer}, {ind.einheit}"
        wert = wert.removesuffix(ind.einheit).strip()
    titel = f"Veränderung T0→T1 ({wer})" if ind.vorher_nachher else f"Wert ({wer})"
    spalten[0].metric(titel, wert)
    ki = intervall(zeile["ci_unten"], zeile["ci_oben"], ind.dezimalstellen)
    spalten[1].metric(
        "95-%-Konfidenzintervall",
        ki if ind.berechnung in auf.MIT_INTERVALL else "– (Zählgröße)",
        help="Bereich, in dem der wahre Wert mit 95 % Sicherheit liegt. Anteile: Wilson-"
        "Intervall; Veränderungen: t-Verteilung der gepaarten Differenzen.",
    )
    if ind.vorher_nachher:
        vn = auf.vorher_nachher_zeilen(vorher_nachher, ind.id, standort=bezug)
        t1 = vn[vn["welle"] == "T1"]
        n_text = UNTERDRUECKT_PAARE if zeile["unterdrueckt"] else zahl(zeile["n"])
        spalten[2].metric("Paare T0→T1", n_text)
        quote = (
            UNTERDRUECKT
            if t1.empty or t1.iloc[0]["match_unterdrueckt"]
            else prozent(t1.iloc[0]["match_quote"])
        )
        spalten[3].metric(
            "Match-Quote T0→T1",
            quote,
            help="Anteil der Personen mit Eingangsfragebogen (T0), die auch am Ende (T1) am "
            "selben Standort geantwortet haben.",
        )
    else:
        spalten[2].metric(
            "n",
            UNTERDRUECKT if zeile["unterdrueckt"] else zahl(zeile["n"]),
            help=_N_HILFE[ind.berechnung],
        )
        spalten[3].metric(
            "Zielerreichung",
            prozent(zeile["zielerreichung"]),
            help=f"Status: {auf.status_text(zeile)}. Zielerreichung = (Ist − Basiswert) / "
            "(Zielwert − Basiswert).",
        )
    if not pd.isna(zeile["zielwert"]):
        # The baseline belongs beside the attainment: 74 % against a target of 80 % is 41 %
        # of the way only because the way started at 70 %.
        basis = zeile.get("basiswert")
        basis_text = "0 (kein Basiswert)" if pd.isna(basis) else auf.wert_text(ind, basis)
        st.markdown(
            f"Basiswert {basis_text} → Zielwert {auf.wert_text(ind, zeile['zielwert'])} bis "
            f"{pd.Timestamp(zeile['stichtag']):%d.%m.%Y} · Ist {auf.wert_text(ind, zeile['wert'])}"
            f" · Zielerreichung {prozent(zeile['zielerreichung'])} · "
            f"{bausteine.status_chip(str(zeile['status']))}",
            unsafe_allow_html=True,
        )
    elif not pd.isna(zeile["wert"]):
        st.caption(
            f"{auf.status_text(zeile)}: für diesen Indikator ist hier kein Zielwert gesetzt. "
            "Zielwerte legt die Projektleitung fest (Seite „Zielwerte“)."
        )


_N_HILFE: dict[Berechnung, str] = {
    Berechnung.PERSONEN: "Verschiedene Personen mit Eingangsfragebogen (T0)",
    Berechnung.ANTEIL: "Befragte mit Antwort (Nenner des Anteils)",
    Berechnung.AKTIVITAETEN_ANTEIL: "Aktivitäten mit Angaben (Nenner des Anteils)",
    Berechnung.AKTIVITAETEN_ANZAHL: "Anzahl der Aktivitäten",
    Berechnung.AKTIVITAETEN_SUMME: "Aktivitäten mit Angabe",
    Berechnung.AKTIVITAETEN_RATE: "Teilnahmen (Nenner der Rate)",
    Berechnung.VORHER_NACHHER: "Paare",
    Berechnung.VORHER_NACHHER_JA_NEIN: "Paare",
}


def _vn_nach_gruppe(ind: Indikator, vn: pd.DataFrame, gruppen: list[str]) -> go.Figure:
    zeilen = [auf.gruppe_label(g) for g in gruppen]
    return _wellen_punkte(
        ind,
        vn,
        zeile=vn["gruppe"].map(auf.gruppe_label),
        farbe=vn["gruppe"].map(gruppe_farbe),
        zeilen=zeilen,
    )


def _wellen_punkte(
    ind: Indikator,
    vn: pd.DataFrame,
    *,
    zeile: pd.Series,
    farbe: pd.Series,
    zeilen: list[str],
    **referenz: Any,
) -> go.Figure:
    """Pre/post changes T0→T1 and T0→T2 side by side per row (group or site)."""
    return diagramme.punkte_intervalle(
        auf.punkte(vn, zeile=zeile, serie="T0→" + vn["welle"].astype(str), farbe=farbe),
        zeilen=zeilen,
        serien=list(diagramme.WELLEN_SYMBOL),
        symbole=diagramme.WELLEN_SYMBOL,
        x_titel=auf.achsentitel(ind),
        einheit=ind.einheit,
        stellen=ind.dezimalstellen,
        vorzeichen=True,
        markierung=UNTERDRUECKT_PAARE,
        **referenz,
    )


def _wert_nach_gruppe(ind: Indikator, ganz: pd.DataFrame, gruppen: list[str]) -> go.Figure:
    reihen = ganz.set_index("gruppe").reindex(gruppen).reset_index()
    if ind.berechnung in auf.MIT_INTERVALL:
        gesamt = reihen[reihen["gruppe"] == GESAMT]
        punkte = auf.punkte(
            reihen,
            zeile=reihen["gruppe"].map(auf.gruppe_label),
            farbe=reihen["gruppe"].map(gruppe_farbe),
        )
        return diagramme.punkte_intervalle(
            punkte,
            zeilen=[auf.gruppe_label(g) for g in gruppen],
            x_titel=auf.achsentitel(ind),
            einheit=ind.einheit,
            stellen=ind.dezimalstellen,
            referenz=None if gesamt.empty else gesamt.iloc[0]["wert"],
        )
    return diagramme.balken(
        pd.DataFrame(
            {
                "kategorie": reihen["gruppe"].map(auf.gruppe_label),
                "wert": reihen["wert"],
                "farbe": reihen["gruppe"].map(gruppe_farbe),
                "unterdrueckt": reihen["unterdrueckt"].fillna(True),
            }
        ),
        x_titel=auf.achsentitel(ind),
        einheit=ind.einheit,
        stellen=ind.dezimalstellen,
    )


def _gruppen_tabelle(ind: Indikator, ganz: pd.DataFrame) -> pd.DataFrame:
    reihen = ganz.set_index("gruppe").reindex(auf.gruppenfolge(ganz["gruppe"])).reset_index()
    return pd.DataFrame(
        {
            "Gruppe": reihen["gruppe"].map(auf.gruppe_label),
            "Wert": [
                auf.wert_text(ind, w, unterdrueckt=bool(u))
                for w, u in zip(reihen["wert"], reihen["unterdrueckt"], strict=True)
            ],
            "95-%-KI": [
                intervall(a, b, ind.dezimalstellen)
                for a, b in zip(reihen["ci_unten"], reihen["ci_oben"], strict=True)
            ],
            "n": [
                UNTERDRUECKT if u else zahl(n)
                for n, u in zip(reihen["n"], reihen["unterdrueckt"], strict=True)
            ],
        }
    )


def _je_standort(
    ind: Indikator, ergebnis: Ergebnis, ganz: pd.DataFrame, namen: dict[str, str]
) -> None:
    """Result per site (sorted by name), pooled value as the reference line."""
    orte = ganz[(ganz["standort"] != GESAMT) & (ganz["gruppe"] == GESAMT)]
    if orte.empty:
        return
    farben = standort_farben(daten.standorte()["standort"])
    orte = orte.assign(label=orte["standort"].map(lambda s: auf.standort_label(namen, s)))
    orte = orte.sort_values("label")
    with st.expander(
        f"Ergebnis je Standort ({anzahl(len(orte), 'Standort', 'Standorte')}, nach Namen sortiert)",
        expanded=len(orte) <= OFFENE_STANDORTE,
    ):
        gesamt = auf.zeile(ganz, ind.id)
        if ind.vorher_nachher:
            vn = ergebnis.vorher_nachher
            vn = vn[
                (vn["indikator"] == ind.id)
                & (vn["periode"] == GESAMT)
                & (vn["gruppe"] == GESAMT)
                & (vn["standort"] != GESAMT)
            ]
            vn = vn.assign(label=vn["standort"].map(lambda s: auf.standort_label(namen, s)))
            punkte = auf.punkte(
                vn, zeile=vn["label"], serie="T0→" + vn["welle"].astype(str), farbe=GESAMT_FARBE
            )
            fig = _wellen_punkte(
                ind,
                vn,
                zeile=vn["label"],
                farbe=vn["standort"].map(farben).fillna(GESAMT_FARBE),
                zeilen=list(orte["label"]),
                referenz=None if gesamt is None else gesamt["wert"],
                referenz_text="gesamt (T0→T1)",
                referenz_band=None if gesamt is None else (gesamt["ci_unten"], gesamt["ci_oben"]),
            )
        elif ind.berechnung in auf.MIT_INTERVALL:
            punkte = auf.punkte(
                orte, zeile=orte["label"], farbe=orte["standort"].map(farben).fillna(GESAMT_FARBE)
            )
            fig = diagramme.punkte_intervalle(
                punkte,
                zeilen=list(orte["label"]),
                x_titel=auf.achsentitel(ind),
                einheit=ind.einheit,
                stellen=ind.dezimalstellen,
                referenz=None if gesamt is None else gesamt["wert"],
                referenz_text="gesamt",
                referenz_band=None if gesamt is None else (gesamt["ci_unten"], gesamt["ci_oben"]),
            )
        else:
            punkte = auf.punkte(orte, zeile=orte["label"], farbe=GESAMT_FARBE)
            fig = diagramme.balken(
                pd.DataFrame(
                    {
                        "kategorie": orte["label"],
                        "wert": orte["wert"],
                        "farbe": orte["standort"].map(farben).fillna(GESAMT_FARBE),
                        "unterdrueckt": orte["unterdrueckt"],
                    }
                ),
                x_titel=auf.achsentitel(ind),
                einheit=ind.einheit,
                stellen=ind.dezimalstellen,
            )
        # Phones: the same values as a list (a forest plot of many sites is unreadable there).
        bausteine.diagramm_oder_liste(
            fig, vergleich.werte_liste(punkte, list(orte["label"])), key="standorte"
        )
        st.caption(
            "Nach Standortnamen sortiert, nicht nach Rang. Überlappende Intervalle bedeuten: "
            "Der Unterschied zwischen zwei Standorten ist mit diesen Fallzahlen nicht belegt."
            if ind.berechnung in auf.MIT_INTERVALL
            else "Nach Standortnamen sortiert. Zählgrößen haben kein Konfidenzintervall."
        )

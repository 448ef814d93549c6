"""Data preparation for the comparisons: sites (forest plot, heat map, small multiples, map)
and formats (reach, shares, pre/post effects).

Each function slices the released engine result of the current filter and hands a small table
to a builder in :mod:`ui.diagramme`. Sites are always in name order and keep their colour from
:func:`ui.farben.standort_farben` (assigned over *all* sites, so a filter never recolours one).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indikatoren.definitionen import Berechnung, Indikator
from indikatoren.engine import Ergebnis
from indikatoren.katalog import INDIKATOREN, REGISTER
from indikatoren.statistik import Metaanalyse, standort_metaanalyse
from indikatoren.unterdrueckung import GESAMT
from indikatoren.zielerreichung import Status
from monitor.schema import FORMAT_LABELS
from ui import aufbereitung as auf
from ui import diagramme
from ui.farben import FORMAT_FARBE, GESAMT_FARBE, STATUS_SYMBOL, mit_symbol
from ui.format import UNTERDRUECKT, UNTERDRUECKT_PAARE, intervall, zahl

#: The small multiples show at most this many sites (more facets are unreadable and slow).
MAX_FACETTEN = 24


def standortwerte(ind: Indikator, ergebnis: Ergebnis, welle: str) -> pd.DataFrame:
    """Whole-period values of one indicator per site and for the total (``standort`` gesamt).

    The dot table of :func:`ui.aufbereitung.punkte` plus ``standort``. Pre/post indicators take
    the chosen follow-up wave from the pre/post table (n = pairs), all others the indicator
    table.
    """
    if ind.vorher_nachher:
        vn = ergebnis.vorher_nachher
        teil = vn[
            (vn["indikator"] == ind.id)
            & (vn["periode"] == GESAMT)
            & (vn["gruppe"] == GESAMT)
            & (vn["welle"] == welle)
        ]
    else:
        ganz = auf.gesamtzeitraum(ergebnis.indikatoren)
        teil = ganz[(ganz["indikator"] == ind.id) & (ganz["gruppe"] == GESAMT)]
    return auf.punkte(teil, zeile=teil["standort"], farbe=GESAMT_FARBE).assign(
        standort=teil["standort"]
    )


def _mit_labels(werte: pd.DataFrame, namen: dict[str, str]) -> pd.DataFrame:
    orte = werte[werte["standort"] != GESAMT]
    orte = orte.assign(label=orte["standort"].map(lambda s: auf.standort_label(namen, s)))
    return orte.sort_values("label", kind="stable")


#: Row labels of the random-effects summary under the sites of a forest plot.
META_ZEILE = "Mittel der Standorte (zufällige Effekte)"
VORHERSAGE_ZEILE = "Vorhersage für einen weiteren Standort"


def standort_meta(ind: Indikator, werte: pd.DataFrame) -> Metaanalyse | None:
    """Random-effects pooling of the released site changes of a pre/post indicator."""
    if not ind.vorher_nachher:
        return None
    orte = werte[(werte["standort"] != GESAMT) & ~werte["unterdrueckt"]]
    return standort_metaanalyse(
        orte["wert"], orte["unten"], orte["oben"], orte["n"],
        t_intervall_=ind.berechnung is Berechnung.VORHER_NACHHER,
    )  # fmt: skip


def meta_text(ind: Indikator, meta: Metaanalyse) -> str:
    """The meta-analysis in one German sentence for the caption under the forest plot."""
    st = ind.dezimalstellen
    text = (
        f"Zufällige Effekte (DerSimonian–Laird) über {meta.k} Standorte: mittlere Veränderung "
        f"{zahl(meta.mittel, st, vorzeichen=True)} {intervall(meta.unten, meta.oben, st)}, "
        f"τ² = {zahl(meta.tau2, 2)}, I² = {zahl(100 * meta.i2, 0)} % "
        "(Anteil der Streuung zwischen Standorten, der nicht Zufall ist)"
    )
    if pd.notna(meta.vorhersage_unten):
        text += (
            "; Vorhersageintervall für einen weiteren Standort "
            f"{intervall(meta.vorhersage_unten, meta.vorhersage_oben, st)}"
        )
    return text + "."


def forest(
    ind: Indikator,
    werte: pd.DataFrame,
    namen: dict[str, str],
    farben: dict[str, str],
) -> go.Figure:
    """Site values with 95 % intervals against the pooled value (vertical line and band).

    Pre/post indicators get two summary rows below the sites: the random-effects mean of the
    site changes with its CI, and the prediction interval for a further site.
    """
    orte = _mit_labels(werte, namen)
    meta = standort_meta(ind, werte)
    if meta is not None:
        zusatz = pd.DataFrame(
            {
                "label": [META_ZEILE, VORHERSAGE_ZEILE],
                "wert": [meta.mittel, meta.mittel],
                "unten": [meta.unten, meta.vorhersage_unten],
                "oben": [meta.oben, meta.vorhersage_oben],
                "unterdrueckt": [False, False],
                "n": [float(meta.k), float(meta.k)],
                "standort": [GESAMT, GESAMT],
            }
        )
        zusatz = zusatz[zusatz["unten"].notna()]
        orte = pd.concat([orte, zusatz], ignore_index=True)
    gesamt = werte[werte["standort"] == GESAMT]
    summe = ind.berechnung in auf.SUMMEN
    referenz = None if gesamt.empty or summe else gesamt.iloc[0]["wert"]
    marke = UNTERDRUECKT_PAARE if ind.vorher_nachher else UNTERDRUECKT
    n_text = {
        label: f"{label} (n = {marke if u else zahl(n)})"
        if label not in (META_ZEILE, VORHERSAGE_ZEILE)
        else f"{label} ({zahl(n)} Standorte)"
        for label, n, u in zip(orte["label"], orte["n"], orte["unterdrueckt"], strict=True)
    }
    return diagramme.punkte_intervalle(
        orte.assign(
            zeile=orte["label"],
            serie="",
            farbe=orte["standort"].map(farben).fillna(GESAMT_FARBE),
        ),
        zeilen=list(orte["label"]),
        zeilen_text=n_text,
        x_titel=auf.achsentitel(ind),
        einheit=ind.einheit,
        stellen=ind.dezimalstellen,
        vorzeichen=ind.vorher_nachher,
        referenz=None if referenz is None or pd.isna(referenz) else float(referenz),
        referenz_text="alle gewählten Standorte (gepoolt)" if referenz is not None else "",
        referenz_band=None
        if gesamt.empty or summe
        else (gesamt.iloc[0]["unten"], gesamt.iloc[0]["oben"]),
        markierung=marke,
    )


def werte_liste(punkte: pd.DataFrame, zeilen: list[str]) -> list[str]:
    """A dot-and-interval chart as a list for phones: one markdown line per row label of
    ``zeilen`` (order kept) with value, 95 % interval and n — per series (e.g. T0→T1, T0→T2, or
    the formats) when the chart has several. Readable at 390 px, where a forest plot's labels
    squeeze the plot to nothing. Each value is written as its indicator's (column
    ``indikator`` of :func:`ui.aufbereitung.punkte`); suppressed values keep their mark, no n."""
    liste = []
    for label in zeilen:
        teil = punkte[punkte["zeile"] == label]
        angaben = []
        for zeile in teil.itertuples(index=False):
            ind = REGISTER[str(zeile.indikator)]
            text = auf.wert_text(ind, zeile.wert, unterdrueckt=bool(zeile.unterdrueckt))
            if not zeile.unterdrueckt and not pd.isna(zeile.wert):
                if ind.berechnung in auf.MIT_INTERVALL:
                    text += f" {intervall(zeile.unten, zeile.oben, ind.dezimalstellen)}"
                if ind.berechnung not in auf.SUMMEN:  # a count is its own n
                    # ", n = …", not " (n = …)": "] (" after an interval reads like a link
                    text += f", n = {zahl(zeile.n)}"
            serie = str(zeile.serie)
            angaben.append(f"{serie}: {text}" if serie else text)
        if angaben:
            liste.append(f"- **{label}**: " + "; ".join(angaben))
    return liste


def forest_liste(werte: pd.DataFrame, namen: dict[str, str]) -> list[str]:
    """:func:`forest` as a list for phones: the pooled value first, then the sites by name."""
    orte = _mit_labels(werte, namen)
    gesamt = auf.standort_label(namen, GESAMT)
    punkte = werte.assign(zeile=werte["standort"].map(lambda s: auf.standort_label(namen, s)))
    return werte_liste(punkte, [gesamt, *orte["label"]])


def heatmap(ergebnis: Ergebnis, namen: dict[str, str]) -> go.Figure | None:
    """Attainment of every indicator at every site (and the total), in status colours."""
    ganz = auf.gesamtzeitraum(ergebnis.indikatoren)
    teil = ganz[ganz["gruppe"] == GESAMT]
    if teil.empty:
        return None
    teil = teil.assign(label=teil["standort"].map(lambda s: auf.standort_label(namen, s)))
    gesamt = auf.standort_label(namen, GESAMT)
    reihen = [gesamt, *sorted(set(teil["label"]) - {gesamt})]
    spalten = [i.id for i in INDIKATOREN]
    erreichung = teil.pivot(index="label", columns="indikator", values="zielerreichung")
    status = teil.pivot(index="label", columns="indikator", values="status")
    erreichung = erreichung.reindex(index=reihen, columns=spalten)
    status = status.reindex(index=reihen, columns=spalten).fillna("keine Daten")
    kennung = dict(zip(teil["label"], teil["standort"], strict=True))
    return diagramme.zielerreichung_heatmap(
        erreichung,
        status,
        spalten_text={i.id: f"{i.id} – {i.name}" for i in INDIKATOREN},
        zeilen_kennung=[kennung.get(r, GESAMT) for r in reihen],
    )


def status_liste(ergebnis: Ergebnis, namen: dict[str, str]) -> list[tuple[str, str]]:
    """The heat map as a list for narrow screens: per site the count of indicators per status
    (with symbols) and which ones are critical — (site ID, one markdown line) each, readable at
    390 px; the page puts the links to the site's goal pages under each line."""
    ganz = auf.gesamtzeitraum(ergebnis.indikatoren)
    teil = ganz[ganz["gruppe"] == GESAMT]
    # One pass over the table (100 sites × 21 indicators), not one filter per site.
    status = teil["status"].astype(str)
    ohne_ziel = teil["zielwert"].isna() & teil["wert"].notna()
    texte = status.map(mit_symbol).where(
        ~(ohne_ziel & (status == Status.KEINE_DATEN.value)),
        f"{STATUS_SYMBOL[Status.KEINE_DATEN]} {auf.KEIN_ZIELWERT}",
    )
    zaehlungen = texte.groupby(teil["standort"]).value_counts()
    kritische = teil.loc[status == Status.KRITISCH.value].groupby("standort")["indikator"]
    kritisch_je_ort = {ort: ", ".join(sorted(ids)) for ort, ids in kritische}
    folge = [f"{STATUS_SYMBOL[s]} {s.value}" for s in Status if s is not Status.KEINE_DATEN]
    folge += [f"{STATUS_SYMBOL[Status.KEINE_DATEN]} {auf.KEIN_ZIELWERT}"]
    folge += [f"{STATUS_SYMBOL[Status.KEINE_DATEN]} {Status.KEINE_DATEN.value}"]
    orte = set(teil["standort"])
    zeilen = []
    for standort in [GESAMT, *sorted(orte - {GESAMT}, key=lambda s: namen.get(s, s))]:
        if standort not in orte:
            continue
        anzahl = zaehlungen[standort]
        zaehlung = " · ".join(
            f"{text.split(' ', 1)[0]} {int(anzahl[text])} {text.split(' ', 1)[1]}"
            for text in folge
            if text in anzahl.index
        )
        kritisch = kritisch_je_ort.get(standort, "")
        zeile = f"- **{auf.standort_label(namen, standort)}**: {zaehlung}"
        zeilen.append((standort, zeile + (f" — kritisch: {kritisch}" if kritisch else "")))
    return zeilen


def vielfache(
    ind: Indikator, ergebnis: Ergebnis, namen: dict[str, str], farben: dict[str, str]
) -> tuple[go.Figure | None, int]:
    """Quarterly trend per site (whole-group values); returns the figure and the site count."""
    tabelle = ergebnis.indikatoren
    teil = tabelle[(tabelle["indikator"] == ind.id) & (tabelle["gruppe"] == GESAMT)]
    teil = auf.quartalszeilen(teil)  # after the cheap cuts: sorting 50 000 rows is not
    orte = teil[teil["standort"] != GESAMT]
    if not auf.hat_werte(orte):
        return None, 0
    # Facet titles are narrow: the site's name without the place in brackets — unless two
    # sites share a name, then both keep the full label.
    voll = orte["standort"].map(lambda s: auf.standort_label(namen, s))
    kurz = voll.str.split(" (", regex=False).str[0]
    standorte_je_name = orte["standort"].groupby(kurz).nunique()
    orte = orte.assign(facette=voll.where(kurz.map(standorte_je_name) > 1, kurz))
    alle = sorted(orte["facette"].unique())
    orte = orte[orte["facette"].isin(alle[:MAX_FACETTEN])].sort_values(["facette", "periode"])
    perioden = auf.perioden(teil)
    referenz = teil[(teil["standort"] == GESAMT) & ~teil["unterdrueckt"]]
    label_farbe = dict(
        zip(orte["facette"], orte["standort"].map(farben).fillna(GESAMT_FARBE), strict=True)
    )
    fig = diagramme.kleine_vielfache(
        orte,
        referenz[["periode", "wert"]],
        perioden=perioden,
        perioden_text=auf.quartal_labels(perioden),
        farben=label_farbe,
        y_titel=ind.einheit,
        einheit=ind.einheit,
        stellen=ind.dezimalstellen,
        vorzeichen=ind.vorher_nachher,
    )
    return fig, len(alle)


def karte(
    ind: Indikator,
    werte: pd.DataFrame,
    standorte: pd.DataFrame,
    namen: dict[str, str],
    farben: dict[str, str],
) -> tuple[go.Figure, list[str]]:
    """The sites on a map of Germany; marker area ~ n, hover shows the indicator value.

    Returns the figure and the names of sites without coordinates (to be named in a caption).
    """
    orte = standorte[standorte["standort"].isin(set(werte["standort"]))]
    daten = orte.merge(werte, on="standort", how="left")
    info = [
        f"{ind.id}: {auf.wert_text(ind, w, unterdrueckt=bool(u))}"
        for w, u in zip(daten["wert"], daten["unterdrueckt"].fillna(True), strict=True)
    ]
    fig = diagramme.standortkarte(
        pd.DataFrame(
            {
                "label": daten["standort"].map(lambda s: auf.standort_label(namen, s)),
                "kurz": daten["ort"].fillna(daten["standort"]),
                "lat": daten["lat"],
                "lon": daten["lon"],
                "farbe": daten["standort"].map(farben).fillna(GESAMT_FARBE),
                "groesse": daten["n"].where(~daten["unterdrueckt"].fillna(True).astype(bool)),
                "info": info,
                "standort": daten["standort"],
                "indikator": ind.id,
            }
        )
    )
    ohne = [
        auf.standort_label(namen, s)
        for s, lat, lon in zip(daten["standort"], daten["lat"], daten["lon"], strict=True)
        if pd.isna(lat) or pd.isna(lon)
    ]
    return fig, ohne


# -- formats ----------------------------------------------------------------------------------
#: Shares that answer "does the format reach, mix and satisfy?" — all in %, so one axis fits.
FORMAT_ANTEILE: tuple[str, ...] = ("A2", "A3", "A4", "A9", "B4", "B5")


def format_personen(ergebnis: Ergebnis, formate: list[str]) -> go.Figure:
    """A1 per format: persons with an entry questionnaire who took part in that format."""
    ganz = auf.gesamtzeitraum(ergebnis.indikatoren)
    a1 = ganz[(ganz["indikator"] == "A1") & (ganz["standort"] == GESAMT)]
    a1 = a1.set_index("gruppe").reindex(formate)
    return diagramme.balken(
        pd.DataFrame(
            {
                "kategorie": [FORMAT_LABELS[f] for f in formate],
                "wert": a1["wert"].to_numpy(),
                "farbe": [FORMAT_FARBE[f] for f in formate],
                "unterdrueckt": a1["unterdrueckt"].fillna(True).to_numpy(),
            }
        ),
        x_titel="Personen mit Eingangsfragebogen (T0)",
    )


def format_aktivitaeten(reichweite: pd.DataFrame) -> go.Figure:
    """Activities per format (events: never suppressed)."""
    teil = reichweite[reichweite["format"] != GESAMT]
    return diagramme.balken(
        pd.DataFrame(
            {
                "kategorie": [FORMAT_LABELS[f] for f in teil["format"]],
                "wert": teil["aktivitaeten"].to_numpy(dtype=float),
                "farbe": [FORMAT_FARBE[f] for f in teil["format"]],
                "unterdrueckt": False,
            }
        ),
        x_titel="Aktivitäten",
    )


def reichweite_tabelle(reichweite: pd.DataFrame) -> pd.DataFrame:
    """Activities, participations, first-timers, public activities and reach per format."""
    return pd.DataFrame(
        {
            "Format": [FORMAT_LABELS.get(f, "Gesamt") for f in reichweite["format"]],
            "Aktivitäten": reichweite["aktivitaeten"],
            "Teilnahmen": reichweite["teilnahmen"],
            "erstmals Teilnehmende": reichweite["neue_teilnehmende"],
            "öffentliche Aktivitäten": reichweite["oeffentlich"],
            "Reichweite öffentlich": reichweite["reichweite"],
        }
    )


def _format_anteile_punkte(ergebnis: Ergebnis, formate: list[str]) -> pd.DataFrame:
    ganz = auf.gesamtzeitraum(ergebnis.indikatoren)
    teil = ganz[
        ganz["indikator"].isin(FORMAT_ANTEILE)
        & (ganz["standort"] == GESAMT)
        & ganz["gruppe"].isin(formate)
    ]
    return auf.punkte(
        teil,
        zeile=teil["indikator"].map(auf.indikator_auswahl_label),
        serie=teil["gruppe"].map(FORMAT_LABELS),
        farbe=teil["gruppe"].map(FORMAT_FARBE),
    )


def format_anteile(ergebnis: Ergebnis, formate: list[str]) -> go.Figure:
    """Shares (mixing, satisfaction, new contacts, …) per format with Wilson intervals."""
    return diagramme.punkte_intervalle(
        _format_anteile_punkte(ergebnis, formate),
        zeilen=[auf.indikator_auswahl_label(i) for i in FORMAT_ANTEILE],
        serien=[FORMAT_LABELS[f] for f in formate],
        serien_farben={FORMAT_LABELS[f]: FORMAT_FARBE[f] for f in formate},
        x_titel="Anteil (%)",
        einheit="%",
        stellen=1,
        referenz=None,
    )


def format_anteile_liste(ergebnis: Ergebnis, formate: list[str]) -> list[str]:
    """:func:`format_anteile` as a list for phones: per indicator the value of each format."""
    return werte_liste(
        _format_anteile_punkte(ergebnis, formate),
        [auf.indikator_auswahl_label(i) for i in FORMAT_ANTEILE],
    )


def _format_effekte_teil(ergebnis: Ergebnis, formate: list[str], welle: str) -> pd.DataFrame:
    vn = ergebnis.vorher_nachher
    return vn[
        (vn["periode"] == GESAMT)
        & (vn["standort"] == GESAMT)
        & (vn["welle"] == welle)
        & vn["gruppe"].isin(formate)
    ]


def format_effekte(ergebnis: Ergebnis, formate: list[str], welle: str = "T1") -> go.Figure:
    """Pre/post change per format, one small dot-and-interval panel per indicator."""
    teil = _format_effekte_teil(ergebnis, formate, welle)
    return diagramme.effekte_raster(
        auf.punkte(
            teil, zeile=teil["gruppe"].map(FORMAT_LABELS), farbe=teil["gruppe"].map(FORMAT_FARBE)
        ),
        indikatoren=[i for i in INDIKATOREN if i.vorher_nachher],
        zeilen=[FORMAT_LABELS[f] for f in formate],
        markierung=UNTERDRUECKT_PAARE,
    )


def format_effekte_liste(ergebnis: Ergebnis, formate: list[str], welle: str = "T1") -> list[str]:
    """:func:`format_effekte` as a list for phones: per indicator the change of each format."""
    teil = _format_effekte_teil(ergebnis, formate, welle)
    punkte = auf.punkte(
        teil,
        zeile=teil["indikator"].map(auf.indikator_auswahl_label),
        serie=teil["gruppe"].map(FORMAT_LABELS),
        farbe="",
    )
    return werte_liste(
        punkte, [auf.indikator_auswahl_label(i.id) for i in INDIKATOREN if i.vorher_nachher]
    )

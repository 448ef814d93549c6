"""The Datenqualität page's pieces: cached checks, German tables, the T0 → T1 → T2 funnel.

The numbers come released from :mod:`indikatoren.datenqualitaet` (small person counts already
hidden). Here a hidden cell becomes the suppression mark and a cell that is simply empty (a share
of zero questionnaires) a dash, so "too few persons" is never confused with "nothing there".
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indikatoren import datenqualitaet as dq
from indikatoren.filter import Filter
from indikatoren.unterdrueckung import GESAMT
from monitor.db import Datenbank
from monitor.umfragen import codes
from ui import daten, klartext, zugang
from ui.format import UNTERDRUECKT, p_wert, zahl

LEER = "–"
#: Decimal places per column; columns not listed are counts (0 places) or text.
STELLEN: dict[str, int] = {
    "anteil_ziel_a": 1,
    "anteil_ziel_b": 1,
    "anteil_ziel_c": 1,
    "anteil_mh_bekannt": 1,
    "quote_t1": 1,
    "quote_t2": 1,
    "ausfall_mit": 1,
    "ausfall_ohne": 1,
    "differenz_pp": 1,
    "mittel_mit": 2,
    "mittel_ohne": 2,
    "std_differenz": 2,
    "median": 1,
    "mad": 1,
    "z_wert": 1,
}
WELLEN_FARBEN = ("#1b4f72", "#3c8dbc", "#9ecae1")  # as on the overview: order, not judgement


@st.cache_data(ttl=daten.CACHE_TTL, max_entries=32, show_spinner="Daten werden geprüft …")
def _pruefen(
    _db: Datenbank,
    pfad: str,
    standorte: tuple[str, ...],
    von: date | None,
    bis: date | None,
    formate: tuple[str, ...],
) -> dq.Datenqualitaet:
    return dq.pruefen(_db, Filter(standorte, von, bis, formate))


def datenqualitaet(filter_: Filter) -> dq.Datenqualitaet:
    """All checks for the sidebar's sites, period and formats, within the session's sites
    (cached; cleared after imports)."""
    filter_ = daten.eigener_filter(filter_)
    return _pruefen(
        daten.datenbank(),
        daten.aktueller_pfad(),
        filter_.standorte,
        filter_.von,
        filter_.bis,
        filter_.formate,
    )


def _zelle(wert: object, stellen: int, verborgen: bool) -> str:
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if wert is None or pd.isna(wert):  # type: ignore[call-overload]
        return UNTERDRUECKT if verborgen else LEER
    if isinstance(wert, pd.Timestamp | date):
        return wert.strftime("%d.%m.%Y")
    if isinstance(wert, int | float):
        return zahl(float(wert), stellen)
    return str(wert)


def anzeige(tabelle: pd.DataFrame, namen: Mapping[str, str]) -> pd.DataFrame:
    """A check table with German headers and formatted cells, ready for ``st.dataframe``.

    Site IDs become names ("Gesamt" for the total), "befund" keys their labels; the internal
    ``unterdrueckt`` flag decides whether an empty cell is hidden or just empty, and is dropped.
    """
    verborgen = (
        tabelle["unterdrueckt"].to_numpy(bool)
        if "unterdrueckt" in tabelle
        else [False] * len(tabelle)
    )
    ergebnis = pd.DataFrame(index=tabelle.index)
    for spalte in tabelle.columns:
        if spalte == "unterdrueckt" or (spalte == "name" and "standort" in tabelle):
            continue
        werte = tabelle[spalte]
        if spalte == "standort":
            ergebnis["Standort"] = werte.map(lambda s: "Gesamt" if s == GESAMT else namen.get(s, s))
        elif spalte == "welle":
            ergebnis[dq.SPALTEN[spalte]] = werte.replace({GESAMT: "alle"})
        elif spalte == "befund":
            ergebnis[dq.SPALTEN[spalte]] = werte.map(dq.BEFUNDE).fillna(werte)
        elif spalte == "p_wert":  # "< 0,001", never "0,000"
            ergebnis[dq.SPALTEN[spalte]] = [
                UNTERDRUECKT if v and pd.isna(w) else p_wert(w)
                for w, v in zip(werte, verborgen, strict=True)
            ]
        else:
            stellen = STELLEN.get(spalte, 0)
            ergebnis[dq.SPALTEN.get(spalte, spalte)] = [
                _zelle(w, stellen, v) for w, v in zip(werte, verborgen, strict=True)
            ]
    return ergebnis.reset_index(drop=True)


def ausgangswerte_liste(auffaellig: pd.DataFrame, namen: Mapping[str, str]) -> str:
    """The flagged baseline differences as one German list ("A5 T0→T1 Berlin: d = 0,31")."""
    return "; ".join(
        f"{z.indikator} T0→{z.welle} "
        f"{'alle Standorte' if z.standort == GESAMT else namen.get(z.standort, z.standort)}: "
        f"d = {zahl(float(z.std_differenz), 2)}"
        for z in auffaellig.itertuples(index=False)
    )


def zeigen(tabelle: pd.DataFrame, namen: Mapping[str, str]) -> None:
    """Show a check table; number columns right-aligned."""
    formatiert = anzeige(tabelle, namen)
    zahlen = {
        dq.SPALTEN.get(s, s)
        for s in tabelle.columns
        if pd.api.types.is_numeric_dtype(tabelle[s]) and not pd.api.types.is_bool_dtype(tabelle[s])
    }
    st.dataframe(
        formatiert,
        hide_index=True,
        column_config={s: st.column_config.TextColumn(alignment="right") for s in zahlen},
    )


def trichter_diagramm(trichter: pd.DataFrame) -> go.Figure | None:
    """Funnel T0 → T1 → T2 of the total row; ``None`` when there is no T0 person to show."""
    gesamt = trichter[trichter["standort"] == GESAMT]
    if gesamt.empty:
        return None
    zeile = gesamt.iloc[0]
    stufen = [
        ("T0 Eingangsbefragung", zeile["n_t0"]),
        ("T1 Abschlussbefragung", zeile["erreicht_t1"]),
        ("T2 Nachbefragung", zeile["erreicht_t2"]),
    ]
    if pd.isna(stufen[0][1]) or stufen[0][1] == 0:
        return None
    sichtbar = [(name, wert) for name, wert in stufen if pd.notna(wert)]
    abbildung = go.Figure(
        go.Funnel(
            y=[name for name, _ in sichtbar],
            x=[wert for _, wert in sichtbar],
            textinfo="value+percent initial",
            texttemplate="%{value:,.0f} Personen (%{percentInitial:.0%})",
            marker={"color": list(WELLEN_FARBEN[: len(sichtbar)])},
            connector={"fillcolor": "#e8eef4"},
        )
    )
    abbildung.update_layout(
        separators=",.", margin={"t": 10, "b": 10, "l": 10, "r": 10}, height=260
    )
    return klartext.figur(abbildung)


#: Above this many sites the per-site bars would be unreadable; the table below lists them all.
MAX_STANDORTE_DIAGRAMM = 30


def quoten_diagramm(trichter: pd.DataFrame, namen: Mapping[str, str]) -> go.Figure | None:
    """Match rates T1 and T2 per site as horizontal grouped bars (hidden rates left out)."""
    orte = trichter[trichter["standort"] != GESAMT]
    if orte.empty or len(orte) > MAX_STANDORTE_DIAGRAMM:
        return None
    beschriftung = [namen.get(s, s) for s in orte["standort"]]
    abbildung = go.Figure()
    for welle, spalte, farbe in (
        ("T1", "quote_t1", WELLEN_FARBEN[1]),
        ("T2", "quote_t2", WELLEN_FARBEN[2]),
    ):
        abbildung.add_bar(
            name=f"Match-Quote {welle}",
            y=beschriftung,
            x=orte[spalte],
            orientation="h",
            marker_color=farbe,
            hovertemplate="%{y}: %{x:.1f} %<extra>" + welle + "</extra>",
        )
    abbildung.update_layout(
        barmode="group",
        separators=",.",
        xaxis={"title": "Prozent der Personen mit T0", "range": [0, 100]},
        yaxis={"autorange": "reversed"},
        margin={"t": 10, "b": 10, "l": 10, "r": 10},
        height=120 + 44 * len(orte),
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    return klartext.figur(abbildung)


# -- near-duplicate participant codes -----------------------------------------------------------
AEHNLICHE_CODES_TITEL = "Ähnliche Teilnehmenden-Codes"
AEHNLICHE_CODES_HILFE = (
    "Selbst erzeugte Codes werden bei jeder Befragung neu gebildet; ein Tippfehler trennt eine "
    "Person in zwei und ihr Vorher-Nachher-Paar geht verloren. Groß- und Kleinschreibung, "
    "Leerzeichen und Umlaute gleicht der Import schon an. Gezählt werden Paare verschiedener "
    "Codes eines Standorts, die sich in genau einem Zeichen unterscheiden (eines mehr, weniger, "
    "anders oder zwei vertauscht). Sie werden nie automatisch zusammengeführt: ob zwei Codes "
    "dieselbe Person sind, kann nur der Standort anhand seiner Unterlagen klären. Es gilt nur "
    "die Standortauswahl der Seitenleiste, über alle Zeiträume und Formate."
)
AEHNLICHE_CODES_SPALTEN: dict[str, str] = {
    "standort": "Standort",
    "paare": "Paare ähnlicher Codes",
    "code_1": "Code 1",
    "wellen_1": "Wellen von Code 1",
    "code_2": "Code 2",
    "wellen_2": "Wellen von Code 2",
    "abstand": "Abweichende Zeichen",
}


@st.cache_data(ttl=daten.CACHE_TTL, max_entries=16, show_spinner=False)
def _aehnliche_je_standort(_db: Datenbank, pfad: str, standorte: tuple[str, ...]) -> pd.DataFrame:
    return codes.aehnliche_codes_je_standort(_db, standorte)


@st.cache_data(ttl=daten.CACHE_TTL, max_entries=16, show_spinner=False)
def _aehnliche_paare(_db: Datenbank, pfad: str, standorte: tuple[str, ...]) -> pd.DataFrame:
    return codes.aehnliche_codes(_db, standorte)


def aehnliche_codes_je_standort(standorte: tuple[str, ...]) -> pd.DataFrame:
    """Counts of near-duplicate code pairs per site, with German headers (no code in it)."""
    standorte = daten.eigener_filter(Filter(standorte=standorte)).standorte
    tabelle = _aehnliche_je_standort(daten.datenbank(), daten.aktueller_pfad(), standorte)
    return _deutsch(tabelle)


#: Key of the pseudonyms of :func:`aehnliche_codepaare`, new with every server start: codes are
#: short and guessable, so a plain hash could be reversed by trying all codes; a secret key
#: cannot. Within one run the same code always gets the same pseudonym (chains stay visible).
_PSEUDONYM_SCHLUESSEL = secrets.token_bytes(32)


def _pseudonym(code: str) -> str:
    zeichen = hmac.new(_PSEUDONYM_SCHLUESSEL, code.encode("utf-8"), hashlib.sha256).hexdigest()
    return "P-" + zeichen[:8].upper()


def codes_im_klartext() -> bool:
    """Whether this session owns the codes it sees: only a site coordination (one site) does.

    Self-made codes are quasi-identifiers; project leads, evaluators and admins see every site
    and get pseudonyms instead (issue 14).
    """
    return zugang.zugriff().standorte is not None


def aehnliche_codepaare(standorte: tuple[str, ...]) -> pd.DataFrame:
    """The code pairs: in plain text for the site coordination, pseudonymised for everyone
    else (:func:`codes_im_klartext`), so no raw code reaches another role's browser."""
    standorte = daten.eigener_filter(Filter(standorte=standorte)).standorte
    tabelle = _aehnliche_paare(daten.datenbank(), daten.aktueller_pfad(), standorte)
    tabelle = tabelle[["standort", "code_1", "wellen_1", "code_2", "wellen_2"]]
    if not codes_im_klartext():
        tabelle = tabelle.assign(
            code_1=tabelle["code_1"].map(_pseudonym), code_2=tabelle["code_2"].map(_pseudonym)
        )
    return _deutsch(tabelle)


def _deutsch(tabelle: pd.DataFrame) -> pd.DataFrame:
    namen = daten.standortnamen()
    tabelle = tabelle.assign(standort=tabelle["standort"].map(lambda s: namen.get(s, s)))
    return tabelle.rename(columns=AEHNLICHE_CODES_SPALTEN)

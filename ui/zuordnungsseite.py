"""The survey-tool part of the Datenimport page: confirm how an export maps onto the codebook.

:mod:`monitor.umfragen.zuordnung` only takes exact matches, because a "close enough" guess could
swap two items that differ in one word. Whatever it cannot decide, the site decides here, once:
the proposal is shown as a table (export column → codebook variable, a selectbox per row),
unknown answer labels get a choice of the variable's answers, and site, wave and format get a
fixed value where the export has no such question. The choices become a
:class:`~monitor.umfragen.zuordnung.Profil`; the check and the import run with exactly that
profile, so the table shows what will be imported. Saved per site and tool, the profile is
pre-selected for the next export of the same form: next month's file imports with one click.

Widget state: every widget key starts with the file's content hash and the chosen saved profile,
so switching the profile (or the file) starts from that profile's decisions instead of mixing
them with edits made for another one. The table's edits are read from the session before the
table is drawn, so its status column already shows the effect of the user's choices.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st

from monitor import schema
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler, lies_bytes
from monitor.schema import Art
from monitor.umfragen.erkennung import WERKZEUG_LABELS, Werkzeug
from monitor.umfragen.profile import profile, speichere_profil
from monitor.umfragen.zuordnung import (
    Profil,
    Spaltenzuordnung,
    Status,
    Vorschlag,
    Wertproblem,
    antwortoptionen,
    braucht_zuordnung,
    schlage_vor,
    textschluessel,
    variablen,
    zeitstempel_anonymisiert,
)
from ui import rueckmeldung
from ui.format import NBSP
from ui.importseite import Upload

#: Option value of the variable selectbox for "leave this column out".
NICHT_UEBERNEHMEN = "(nicht übernehmen)"
#: Option value of an answer selectbox for "this answer means: not answered".
KEINE_ANTWORT = "(keine Antwort)"
#: Option value of the saved-profile selectbox for "no profile, decide anew".
OHNE_PROFIL = ""
#: Fixed values the page offers when the export has no such column (SPEC §3.1 needs site, wave).
KONSTANTEN: tuple[str, ...] = ("standort", "welle", "format")
KONSTANTEN_LABELS: dict[str, str] = {
    "standort": "Standort",
    "welle": "Welle (Befragungszeitpunkt)",
    "format": "Format des Angebots",
    "datum": "Datum der Befragung",
}
#: Columns that never reach the codebook: listed, not offered in the table.
WEGGELASSEN: dict[Status, str] = {
    Status.PERSONENBEZOGEN: "Personenbezogen, werden nie gespeichert",
    Status.METADATEN: "Verwaltungsspalten des Werkzeugs",
    Status.ZEITSTEMPEL: "Zeitstempel, liefert das Datum der Befragung",
}
SPALTE = "Spalte in der Datei"
#: Width of the first column in pixels (the browser test clicks the cell right of it).
BREITE_SPALTE = 250
VARIABLE = "Variable im Codebuch"
STATUS = "Status"
KANDIDATEN = "Nächste Kandidaten"
_TABELLEN = "_zuordnung_tabellen"
_FRAGEN: dict[str, str] = dict(variablen())


@dataclass(frozen=True, slots=True)
class Export:
    """An uploaded file that is a survey-tool export: it needs a mapping before the check."""

    name: str
    sha256: str
    tabelle: pd.DataFrame
    #: Every uploaded name of this content (the same export uploaded twice is mapped once).
    namen: tuple[str, ...] = ()

    @property
    def schluessel(self) -> str:
        """Prefix of this file's widget keys (equal files share their decisions)."""
        return f"zo_{self.sha256[:16]}"


def exporte(uploads: Sequence[Upload], art: Art | None) -> list[Export]:
    """The uploads that are survey-tool exports, in upload order.

    Each file is read once per content and kind, since Streamlit reruns the page on every choice
    in the mapping table; only exports are kept in the session (a large template is not). An
    unreadable file is left to the check, which reports it.
    """
    gemerkt: dict[tuple[str, Art | None], pd.DataFrame | None] = st.session_state.get(_TABELLEN, {})
    aktuell: dict[tuple[str, Art | None], pd.DataFrame | None] = {}
    for upload in uploads:
        schluessel = (upload.sha256, art)
        if schluessel not in gemerkt:
            try:
                tabelle = lies_bytes(upload.inhalt, upload.name)
            except EingabeFehler:
                tabelle = None
            gemerkt[schluessel] = (
                tabelle if tabelle is not None and braucht_zuordnung(tabelle.columns, art) else None
            )
        aktuell[schluessel] = gemerkt[schluessel]
    st.session_state[_TABELLEN] = aktuell
    namen: dict[str, list[str]] = {}
    for upload in uploads:
        namen.setdefault(upload.sha256, []).append(upload.name)
    return [
        Export(gleiche[0], sha256, tabelle, tuple(gleiche))
        for sha256, gleiche in namen.items()
        if (tabelle := aktuell[(sha256, art)]) is not None
    ]


# -- pure helpers (tested without a browser) ----------------------------------------------------
def standort_der_datei(vorschlag: Vorschlag, tabelle: pd.DataFrame) -> str | None:
    """The one site a file names in its site column (None: no such column, or several sites)."""
    spalte = vorschlag.zuordnung.get("standort")
    if spalte is None:
        return None
    werte = {str(w).strip().upper() for w in tabelle[spalte].dropna()} - {""}
    return next(iter(werte)) if len(werte) == 1 else None


def fragespalten(vorschlag: Vorschlag) -> list[Spaltenzuordnung]:
    """The columns a user decides on: everything but bookkeeping, personal data, timestamps.

    Open columns come first (then file order): an export has some 40 questions, and the one that
    needs a decision must not hide below the table's fold.
    """
    spalten = [s for s in vorschlag.spalten if s.status not in WEGGELASSEN]
    return sorted(spalten, key=lambda s: not s.status.problem)


def passendes_profil(gespeichert: Sequence[Profil], vorschlag: Vorschlag) -> str | None:
    """The saved profile made for exactly this form: it names every question column, no other.

    Only a profile that fits exactly, and only when just one does, is pre-selected: the T0 and
    the T1 form of one site share most questions, and a wrong fixed wave would be imported
    without a word.
    """
    spalten = {textschluessel(s.spalte) for s in fragespalten(vorschlag)}
    passend = [p.name for p in gespeichert if {textschluessel(k) for k in p.spalten} == spalten]
    return passend[0] if len(passend) == 1 else None


def variable_text(variable: str) -> str:
    """How a variable appears in the selectbox: its name and the start of its wording."""
    if variable == NICHT_UEBERNEHMEN:
        return "– nicht übernehmen –"
    frage = " ".join(_FRAGEN.get(variable, "").split())
    frage = frage if len(frage) <= 60 else frage[:59] + "…"
    return f"{variable} – {frage}" if frage else variable


def kandidaten_text(spalte: Spaltenzuordnung) -> str:
    """The nearest variables with their similarity; for an ambiguous column also why."""
    kandidaten = "; ".join(
        f"{k.variable} ({round(k.aehnlichkeit * 100)}{NBSP}%)" for k in spalte.kandidaten
    )
    if spalte.status is Status.MEHRDEUTIG and spalte.grund.startswith("mehrere Spalten"):
        return spalte.grund.rstrip(".")
    return kandidaten


def grundtabelle(vorschlag: Vorschlag) -> pd.DataFrame:
    """The editable table of a proposal: one row per question column, undecided rows empty."""
    zeilen = fragespalten(vorschlag)
    return pd.DataFrame(
        {
            SPALTE: [" ".join(s.spalte.split()) for s in zeilen],
            VARIABLE: pd.Series(
                [
                    NICHT_UEBERNEHMEN
                    if s.status is Status.IGNORIERT
                    else (None if s.status.problem else s.variable)
                    for s in zeilen
                ],
                dtype=object,
            ),
            STATUS: [""] * len(zeilen),
            KANDIDATEN: [kandidaten_text(s) for s in zeilen],
        }
    )


def mit_aenderungen(tabelle: pd.DataFrame, zustand: Mapping[str, object] | None) -> pd.DataFrame:
    """The table with the data editor's edits (its session state) applied to the variable column."""
    ergebnis = tabelle.copy()
    bearbeitet = (zustand or {}).get("edited_rows", {}) or {}
    for zeile, werte in bearbeitet.items():  # type: ignore[union-attr]
        if VARIABLE in werte and 0 <= int(zeile) < len(ergebnis):
            ergebnis.loc[int(zeile), VARIABLE] = werte[VARIABLE]
    return ergebnis


def spaltenwahl(vorschlag: Vorschlag, tabelle: pd.DataFrame) -> dict[str, str]:
    """Export column → variable ("" = leave out) for every decided row; undecided rows stay open."""
    gewaehlt = {}
    for spalte, variable in zip(fragespalten(vorschlag), tabelle[VARIABLE], strict=True):
        if variable is None or pd.isna(variable) or variable == "":
            continue
        gewaehlt[spalte.spalte] = "" if variable == NICHT_UEBERNEHMEN else str(variable)
    return gewaehlt


def status_text(spalte: Spaltenzuordnung, von_hand: bool, aus_profil: bool) -> str:
    """German status of one row after the user's choices (the profile is named above it)."""
    if spalte.status is Status.MEHRDEUTIG:
        return "⚠ mehrdeutig – bitte wählen"
    if spalte.status is Status.UNBEKANNT:
        return "⚠ unbekannt – bitte wählen"
    if spalte.status is Status.IGNORIERT:
        return "– nicht übernommen"
    if von_hand:
        return "✓ von Hand gewählt"
    if spalte.status is Status.PROFIL and aus_profil:
        return "✓ laut Profil"
    return "✓ automatisch erkannt"


def offene_punkte(vorschlag: Vorschlag) -> list[str]:
    """What still keeps the export from being imported, as short German phrases."""
    punkte = []
    if spalten := len(vorschlag.probleme):
        punkte.append(f"{spalten} {'Spalte' if spalten == 1 else 'Spalten'} ohne Variable")
    if antworten := len(vorschlag.wertprobleme):
        punkte.append(f"{antworten} {'Antwort' if antworten == 1 else 'Antworten'} ohne Code")
    punkte.extend(f"Angabe „{variable}“ fehlt" for variable, _ in vorschlag.fehlend)
    return punkte


def standard_name(werkzeug: Werkzeug, standort: str | None, welle: str | None) -> str:
    """Default profile name: site, tool and, for one form per wave, the wave (KOELN_msforms_T0)."""
    return "_".join(teil for teil in (standort or "PROJEKT", werkzeug.value, welle) if teil)


# -- drawing ------------------------------------------------------------------------------------
def _profilwahl(export: Export, gespeichert: list[Profil], vorschlag: Vorschlag) -> Profil | None:
    """The saved profile to start from (pre-selected when exactly one fits the file)."""
    namen = [p.name for p in gespeichert]
    schluessel = f"{export.schluessel}_profil"
    if st.session_state.get(schluessel, OHNE_PROFIL) not in [OHNE_PROFIL, *namen]:
        del st.session_state[schluessel]  # the profile was renamed or deleted meanwhile
    if schluessel not in st.session_state:
        st.session_state[schluessel] = passendes_profil(gespeichert, vorschlag) or OHNE_PROFIL
    name = st.selectbox(
        "Gespeichertes Zuordnungsprofil",
        [OHNE_PROFIL, *namen],
        format_func=lambda n: n or "keines – Zuordnung neu festlegen",
        key=schluessel,
        help=(
            "Ein gespeichertes Profil übernimmt alle Entscheidungen eines früheren Exports "
            "desselben Formulars. Passt ein Profil genau zu den Spalten dieser Datei, ist es "
            "schon gewählt – dann genügt „Importieren“."
        ),
        disabled=not namen,
    )
    return next((p for p in gespeichert if p.name == name), None)


def _konstanten(
    schluessel: str, offen: Sequence[str], vorgabe: Mapping[str, str], standorte: Mapping[str, str]
) -> dict[str, str]:
    """Fixed values for site, wave, format (and date) the export has no column for."""
    if not offen:
        return {}
    st.markdown("**Feste Werte** – die Datei hat dafür keine Spalte; sie gelten für alle Zeilen:")
    gewaehlt: dict[str, str] = {}
    pflicht = {f.name: f.pflicht for f in schema.codebuch()}
    for spalte, variable in zip(st.columns(len(KONSTANTEN) + 1), offen, strict=False):
        key = f"{schluessel}_fest_{variable}"
        if variable == "datum":
            wert = spalte.date_input(
                KONSTANTEN_LABELS[variable],
                value=date.fromisoformat(vorgabe["datum"]) if vorgabe.get("datum") else None,
                key=key,
                format="DD.MM.YYYY",
            )
            if wert is not None:
                gewaehlt[variable] = wert.isoformat()
            continue
        optionen = dict(standorte) if variable == "standort" else dict(antwortoptionen(variable))
        auswahl = ["", *optionen]
        wert = spalte.selectbox(
            KONSTANTEN_LABELS[variable],
            auswahl,
            index=auswahl.index(vorgabe[variable]) if vorgabe.get(variable) in optionen else 0,
            format_func=lambda w, o=optionen: o.get(w, w) if w else "– bitte wählen –",
            key=key,
            help=None if pflicht[variable] else "Freiwillige Angabe.",
        )
        if wert:
            gewaehlt[variable] = wert
    return gewaehlt


def _antwortwahl(
    schluessel: str, probleme: Sequence[Wertproblem], vorgabe: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """A code for every answer label the codebook does not know (candidates first)."""
    werte = {variable: dict(zuordnung) for variable, zuordnung in vorgabe.items()}
    gesehen: set[tuple[str, str]] = set()
    eindeutig = []
    for problem in probleme:  # "(fester Wert)" rows come from the selectboxes above: valid
        kennung = (problem.variable, textschluessel(problem.wert, nummer_entfernen=False))
        if problem.anzahl > 0 and kennung not in gesehen:
            gesehen.add(kennung)
            eindeutig.append(problem)
    if not eindeutig:
        return werte
    st.markdown("**Unbekannte Antworten** – welcher Antwort des Codebuchs entsprechen sie?")
    spalten = st.columns(2)
    for nummer, problem in enumerate(eindeutig):
        optionen = dict(antwortoptionen(problem.variable))
        reihenfolge = [code for code, _ in problem.kandidaten]
        reihenfolge += [code for code in optionen if code not in reihenfolge]
        zeilen = "1 Zeile" if problem.anzahl == 1 else f"{problem.anzahl} Zeilen"
        kennung = hashlib.sha1(problem.wert.encode("utf-8")).hexdigest()[:12]
        wahl = spalten[nummer % 2].selectbox(
            f"{problem.variable}: „{problem.wert}“ ({zeilen})",
            ["", *reihenfolge, KEINE_ANTWORT],
            format_func=lambda c, o=optionen: (
                "– bitte wählen –"
                if c == ""
                else ("keine Antwort (leer lassen)" if c == KEINE_ANTWORT else f"{c} = {o[c]}")
            ),
            key=f"{schluessel}_antwort_{problem.variable}_{kennung}",
            help=f"Spalte „{' '.join(problem.spalte.split())}“; die nächsten Kandidaten "
            "stehen oben in der Liste.",
        )
        if wahl:
            werte.setdefault(problem.variable, {})[problem.wert] = (
                "" if wahl == KEINE_ANTWORT else wahl
            )
    return werte


def _speichern(db: Datenbank, profil: Profil, wahl_schluessel: str, name_schluessel: str) -> None:
    """Button callback: store the profile and continue from it (before the page reruns).

    The name is read from the session, not from the arguments: a name typed and then saved with
    one click reaches the callback only through the widget state.
    """
    profil = replace(profil, name=str(st.session_state.get(name_schluessel) or profil.name).strip())
    try:
        speichere_profil(db, profil)
    except EingabeFehler as fehler:
        st.session_state[f"{wahl_schluessel}_fehler"] = str(fehler)
        return
    st.session_state[wahl_schluessel] = profil.name
    rueckmeldung.merken(
        "datenimport",
        f"Zuordnungsprofil „{profil.name}“ gespeichert. Beim nächsten Export dieses Formulars "
        "ist es schon gewählt; auf der Kommandozeile: python -m monitor import DATEI "
        f'--zuordnung "{profil.name}"',
    )


def _weggelassen_zeigen(vorschlag: Vorschlag) -> None:
    for status, titel in WEGGELASSEN.items():
        spalten = [" ".join(s.spalte.split()) for s in vorschlag.spalten if s.status is status]
        if spalten:
            st.caption(f"Nicht übernommen – {titel}: {', '.join(spalten)}")


def zuordnungen_zeigen(
    db: Datenbank, uploads: Sequence[Upload], art: Art | None, standorte: Mapping[str, str]
) -> dict[str, Profil]:
    """The mapping of every survey-tool export among the uploads; file name → its profile.

    ``standorte``: site ID → label, the choices for a fixed site.
    """
    zuordnung: dict[str, Profil] = {}
    for export in exporte(uploads, art):
        zuordnung |= dict.fromkeys(export.namen, zuordnung_zeigen(db, export, standorte))
    return zuordnung


def zuordnung_zeigen(db: Datenbank, export: Export, standorte: Mapping[str, str]) -> Profil:
    """Draw the mapping of one export and return the profile the check and import must use.

    ``standorte``: site ID → label, the choices for a fixed site.
    """
    tabelle, name = export.tabelle, export.name
    automatisch = schlage_vor(tabelle, dateiname=name)
    werkzeug = automatisch.werkzeug
    st.subheader(f"Zuordnung: {name}")
    st.caption(
        f"Export aus **{WERKZEUG_LABELS[werkzeug]}** erkannt. Bitte prüfen, welche Frage des "
        "Codebuchs jede Spalte enthält; offene Spalten (⚠) brauchen eine Entscheidung. Die "
        "Zuordnung lässt sich als Profil speichern – der nächste Export desselben Formulars "
        "wird dann in einem Schritt importiert."
    )
    standort_datei = standort_der_datei(automatisch, tabelle)
    gespeichert = profile(db, standort_datei, werkzeug)
    basis_profil = _profilwahl(export, gespeichert, automatisch)
    basis = automatisch
    if basis_profil is not None:
        basis = schlage_vor(tabelle, profil=basis_profil, dateiname=name)
    schluessel = f"{export.schluessel}_{basis_profil.name if basis_profil else 'neu'}"
    editor = f"{schluessel}_tabelle"

    # 1. the user's column choices (read before drawing, so the status column is current)
    grund = grundtabelle(basis)
    gewaehlt = mit_aenderungen(grund, st.session_state.get(editor))
    von_hand = {
        spalte.spalte
        for spalte, alt, neu in zip(
            fragespalten(basis), grund[VARIABLE], gewaehlt[VARIABLE], strict=True
        )
        if alt != neu and not (pd.isna(alt) and pd.isna(neu))
    }
    profil = Profil(
        name=basis_profil.name if basis_profil else "neu",
        werkzeug=werkzeug,
        standort=standort_datei,
        spalten=spaltenwahl(basis, gewaehlt),
        werte=dict(basis_profil.werte) if basis_profil else {},
        datum_aus=basis_profil.datum_aus if basis_profil else None,
    )
    platz_tabelle = st.container()  # drawn last: its status shows every choice below
    # 2. fixed values where no column holds site, wave, format (date: without any timestamp)
    nur_spalten = schlage_vor(tabelle, profil=profil, dateiname=name)
    offen = [v for v in KONSTANTEN if v not in nur_spalten.zuordnung]
    if "datum" not in nur_spalten.zuordnung and (
        not nur_spalten.datum_aus or zeitstempel_anonymisiert(nur_spalten, tabelle)
    ):
        offen.append("datum")  # also when LimeSurvey wrote 01.01.1980 (anonymised survey)
    konstanten = _konstanten(
        schluessel, offen, basis_profil.konstanten if basis_profil else {}, standorte
    )
    profil = replace(profil, konstanten=konstanten)
    # 3. answers the codebook does not know, once columns and fixed values are decided
    mit_werten = schlage_vor(tabelle, profil=profil, dateiname=name)
    profil = replace(profil, werte=_antwortwahl(schluessel, mit_werten.wertprobleme, profil.werte))
    ergebnis = schlage_vor(tabelle, profil=profil, dateiname=name)

    nach_spalte = {s.spalte: s for s in ergebnis.spalten}
    grund[STATUS] = [
        status_text(nach_spalte[s.spalte], s.spalte in von_hand, basis_profil is not None)
        for s in fragespalten(basis)
    ]
    with platz_tabelle:
        st.data_editor(
            grund,
            key=editor,
            hide_index=True,
            num_rows="fixed",
            disabled=[SPALTE, STATUS, KANDIDATEN],
            height=min(38 + 35 * len(grund), 460),
            placeholder="– bitte wählen –",
            column_config={
                SPALTE: st.column_config.TextColumn(SPALTE, width=BREITE_SPALTE),
                VARIABLE: st.column_config.SelectboxColumn(
                    VARIABLE,
                    options=[NICHT_UEBERNEHMEN, *_FRAGEN],
                    format_func=variable_text,
                    width=270,
                    help="Welche Frage des Codebuchs steht in dieser Spalte? "
                    "„nicht übernehmen“ lässt die Spalte aus.",
                ),
                STATUS: st.column_config.TextColumn(STATUS, width=175),
                KANDIDATEN: st.column_config.TextColumn(
                    KANDIDATEN, help="Ähnlichste Fragen des Codebuchs (Ähnlichkeit des Wortlauts)"
                ),
            },
        )
        _weggelassen_zeigen(ergebnis)

    standort = konstanten.get("standort") or standort_datei
    vorschlag_name = (
        basis_profil.name
        if basis_profil
        else standard_name(werkzeug, standort, konstanten.get("welle"))
    )
    links, rechts = st.columns([3, 1], vertical_alignment="bottom")
    name_schluessel = f"{schluessel}_name_{vorschlag_name}"  # a new default replaces the field
    profilname = links.text_input(
        "Name des Zuordnungsprofils",
        value=vorschlag_name,
        key=name_schluessel,
        help="Gespeichert für Standort und Werkzeug; ein vorhandenes Profil gleichen Namens "
        "wird ersetzt.",
    ).strip()
    fertig = ergebnis.als_profil(profilname or vorschlag_name, standort)
    wahl_schluessel = f"{export.schluessel}_profil"
    rechts.button(
        "Zuordnung speichern",
        key=f"{schluessel}_speichern",
        icon=":material/save:",
        disabled=not ergebnis.ok,
        on_click=_speichern,
        args=(db, fertig, wahl_schluessel, name_schluessel),
        help=None if ergebnis.ok else "Erst speicherbar, wenn nichts mehr offen ist.",
    )
    if fehler := st.session_state.pop(f"{wahl_schluessel}_fehler", None):
        st.error(fehler, icon=":material/error:")
    if ergebnis.ok:
        st.success(
            f"Alle {len(ergebnis.zuordnung)} Spalten eindeutig zugeordnet.",
            icon=":material/check:",
        )
    else:
        st.warning(
            "Noch offen: " + "; ".join(offene_punkte(ergebnis)) + ". Solange wird nichts "
            "importiert.",
            icon=":material/warning:",
        )
    if basis_profil is None or fertig.als_dict() != basis_profil.als_dict():
        # not (yet) a saved profile: the check's report and the import notes name none
        return replace(fertig, name="")
    return fertig

"""The Datenimport page's logic: check uploaded files, import them, templates, demo removal.

Everything here works on bytes plus a file name — exactly what ``st.file_uploader`` delivers and
what :mod:`monitor.importieren` accepts — so the page stays a thin layout and these functions
can be tested with real files. A check is kept in the session per set of files (by content
hash): Streamlit reruns the page on every click, and a 100 000-row survey should be read once,
not on every rerun.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
import streamlit as st

from monitor import schema
from monitor.ausgabe import als_csv
from monitor.benutzer import Zugriff
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler, lies_bytes
from monitor.importieren import ImportAbgelehnt, Importergebnis, importiere_stapel, pruefe_stapel
from monitor.pruefung import (
    DOPPELTE_ABLEHNEN,
    DOPPELTE_NEUESTE,
    ArtNichtErkannt,
    Importoptionen,
    Pruefergebnis,
    ist_personenbezogen,
)
from monitor.schema import ART_LABELS, Art
from monitor.umfragen import fragebogen_aus
from monitor.umfragen.zuordnung import Profil, ZuordnungAbgelehnt
from monitor.vorlagen import DATEINAMEN, vorlage_bytes
from ui.format import tabelle

#: File endings the uploader accepts (what :mod:`monitor.einlesen` reads).
ENDUNGEN: tuple[str, ...] = ("csv", "txt", "xlsx", "xlsm")
VORSCHAU_ZEILEN = 10
AUTOMATISCH = "automatisch"
ART_AUSWAHL: dict[str, str] = {AUTOMATISCH: "automatisch erkennen"} | {
    art.value: label for art, label in schema.ART_LABELS.items()
}
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME_CSV = "text/csv"
_SITZUNG = "_importpruefung"
#: Questionnaires generated from the codebook, per tool: heading, then (key in
#: fragebogen_aus.DATEINAMEN, button, MIME) per file.
FRAGEBOEGEN: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("KoboToolbox / ODK", (("xlsform", "XLSForm", MIME_XLSX),)),
    (
        "LimeSurvey",
        (
            ("limesurvey", "Fragebogen (.txt)", "text/plain"),
            ("limesurvey_zuordnung", "Spaltenliste (.csv)", MIME_CSV),
        ),
    ),
    (
        "Druckfassung – Papier, Microsoft Forms, Google Forms, SoSci",
        tuple((welle, f"{welle} (HTML)", "text/html") for welle in schema.WELLEN),
    ),
)
#: The CLI's hint for a fixed value in the mapping report; the page has a selectbox for it.
_KONSTANTE_CLI = re.compile(r"im Zuordnungsprofil einen festen Wert angeben \(konstanten: [^)]*\)")
#: Every column name our templates declare ("name" of a site is no personal data).
_DEKLARIERT = frozenset(feld.name for art in Art for feld in schema.felder(art))


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: its name as the user sees it and its content."""

    name: str
    inhalt: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.inhalt).hexdigest()


@dataclass
class Stapelpruefung:
    """The check of all uploaded files together (a Standorte file may introduce sites)."""

    pruefungen: list[Pruefergebnis] = field(default_factory=list)
    #: A file that cannot be read or whose kind is unclear: German message, nothing checked.
    lesefehler: str | None = None
    #: The first rows of each file as read (index = row in the file), in upload order.
    vorschau: list[pd.DataFrame] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.lesefehler is None and all(p.ok for p in self.pruefungen)

    @property
    def fehler_gesamt(self) -> int:
        return sum(p.fehler_gesamt for p in self.pruefungen)


def art_wahl(schluessel: str) -> Art | None:
    """The kind chosen in the select box; ``None`` = detect from the columns."""
    return None if schluessel == AUTOMATISCH else Art(schluessel)


def _markdown(bericht: str) -> str:
    """A multi-line German report as Markdown: one paragraph per line, "- " lines as a list."""
    zeilen = bericht.replace("*", "\\*").replace("_", "\\_").splitlines()
    teile: list[str] = []
    liste_davor = False
    for zeile in zeilen:
        liste = zeile.startswith("- ")
        teile.append(("\n" if liste and liste_davor else "\n\n") + zeile)
        liste_davor = liste
    return "".join(teile).strip()


def _meldung(fehler: EingabeFehler) -> str:
    text = str(fehler)
    if isinstance(fehler, ZuordnungAbgelehnt):
        zeilen = [
            _KONSTANTE_CLI.sub("oben unter „Feste Werte“ einen Wert wählen", z)
            for z in fehler.vorschlag.bericht().splitlines()
            if not z.startswith("So geht es")
        ]
        zeilen.append(
            "So geht es weiter: oben in der Zuordnung die offenen Spalten, Antworten und festen "
            "Werte wählen."
        )
        return _markdown("\n".join(zeilen))
    if isinstance(fehler, ArtNichtErkannt):
        text = text.replace(" (z. B. --art befragung)", "") + (
            " Tipp: Die Art lässt sich oben unter „Art der Datei“ auswählen."
        )
    return text


def zeilen_text(anzahl: int) -> str:
    """ "1 Datenzeile" / "1.234 Datenzeilen"."""
    menge = f"{anzahl:,}".replace(",", ".")
    return f"{menge} {'Datenzeile' if anzahl == 1 else 'Datenzeilen'}"


def ohne_personenbezug(tabelle: pd.DataFrame) -> pd.DataFrame:
    """The preview without columns that look like personal data (they are never stored either)."""
    weg = [
        spalte
        for spalte in tabelle.columns
        if str(spalte) not in _DEKLARIERT and ist_personenbezogen(str(spalte))
    ]
    return tabelle.drop(columns=weg)


def pruefe_uploads(
    db: Datenbank,
    uploads: Sequence[Upload],
    art: Art | None,
    zuordnung: Mapping[str, Profil] | None = None,
    *,
    zugriff: Zugriff | None = None,
    optionen: Importoptionen | None = None,
) -> Stapelpruefung:
    """Check the files against the database (changes nothing) and read a preview of each.

    ``zuordnung``: file name → the mapping profile confirmed for that survey-tool export. The
    check applies every rule of the import – the session's site rights (``zugriff``), locked
    quarters and the chosen ``optionen`` – so "bereit zum Import" holds.
    """
    try:
        pruefungen = pruefe_stapel(
            db,
            [(u.inhalt, u.name) for u in uploads],
            art,
            zuordnung=zuordnung,
            zugriff=zugriff,
            optionen=optionen,
        )
    except EingabeFehler as fehler:
        return Stapelpruefung(lesefehler=_meldung(fehler))
    vorschau = [
        ohne_personenbezug(lies_bytes(u.inhalt, u.name).head(VORSCHAU_ZEILEN)) for u in uploads
    ]
    return Stapelpruefung(pruefungen, vorschau=vorschau)


def gepruefte_uploads(
    db: Datenbank,
    uploads: Sequence[Upload],
    art: Art | None,
    zuordnung: Mapping[str, Profil] | None = None,
    *,
    zugriff: Zugriff | None = None,
    optionen: Importoptionen | None = None,
) -> Stapelpruefung:
    """:func:`pruefe_uploads`, remembered in the session while files, mappings, options and
    access stay the same."""
    profile = tuple(sorted((name, p.als_json()) for name, p in (zuordnung or {}).items()))
    schluessel = (tuple((u.name, u.sha256) for u in uploads), art, profile, zugriff, optionen)
    gemerkt = st.session_state.get(_SITZUNG)
    if gemerkt is None or gemerkt[0] != schluessel:
        gemerkt = (
            schluessel,
            pruefe_uploads(db, uploads, art, zuordnung, zugriff=zugriff, optionen=optionen),
        )
        st.session_state[_SITZUNG] = gemerkt
    return gemerkt[1]


def vergessen() -> None:
    """Drop the remembered check (after an import the database and so the check changed)."""
    st.session_state.pop(_SITZUNG, None)


def importiere_uploads(
    db: Datenbank,
    uploads: Sequence[Upload],
    art: Art | None,
    zuordnung: Mapping[str, Profil] | None = None,
    *,
    benutzer: str,
    zugriff: Zugriff,
    optionen: Importoptionen | None = None,
) -> list[Importergebnis]:
    """Import all files in one transaction — all rows of all files, or nothing — as
    ``benutzer`` (audit trail) within ``zugriff`` (a site coordinator: own site only).

    Raises :class:`monitor.importieren.ImportAbgelehnt` (or another
    :class:`~monitor.einlesen.EingabeFehler`) when anything is wrong; then nothing changed.
    Survey-tool exports are imported with the profile of ``zuordnung`` (file name → profile).
    """
    return importiere_stapel(
        db,
        [(u.inhalt, u.name) for u in uploads],
        art,
        zuordnung=zuordnung,
        benutzer=benutzer,
        zugriff=zugriff,
        optionen=optionen,
    )


def optionen_waehlen() -> Importoptionen:
    """The import's decisions as two switches (the CLI's --doppelte / --unvollstaendige)."""
    with st.expander("Entscheidungen beim Import"):
        streng = st.checkbox(
            "Doppelte Fragebögen ablehnen",
            help="Ohne Haken gilt bei mehreren Fragebögen desselben Standorts, Codes und "
            "derselben Welle der zuletzt eingereichte; die anderen nennt der Prüfbericht. Mit "
            "Haken wird die Datei dann abgelehnt.",
            key="import_doppelte_ablehnen",
        )
        unvollstaendig = st.checkbox(
            "Unvollständige Antworten übernehmen",
            help="Antworten, die im Umfragewerkzeug nicht abgeschlossen wurden (LimeSurvey "
            "ohne Absendedatum, SoSci FINISHED = 0), werden sonst übersprungen und im "
            "Prüfbericht genannt.",
            key="import_unvollstaendige",
        )
    return Importoptionen(
        doppelte=DOPPELTE_ABLEHNEN if streng else DOPPELTE_NEUESTE,
        unvollstaendige_aufnehmen=unvollstaendig,
    )


def ablehnung_zeigen(fehler: EingabeFehler) -> None:
    """A refused import: per file first cause and fix in one sentence, then the rows."""
    if not isinstance(fehler, ImportAbgelehnt):
        st.error(f"Nicht importiert, nichts wurde geändert. {_meldung(fehler)}")
        return
    for pruefung in fehler.abgelehnt:
        st.error(
            f"**{pruefung.dateiname}** – nicht importiert, nichts wurde geändert. "
            f"{pruefung.ursache}",
            icon=":material/error:",
        )
        tabelle(pruefung.fehler_tabelle())


def zusammenfassung(ergebnisse: Sequence[Importergebnis]) -> str:
    """German summary of an import for the success message (one paragraph per file)."""
    return "\n\n".join(str(e).replace("\n- ", "  \n– ") for e in ergebnisse)


def fehler_csv(pruefung: Pruefergebnis) -> bytes:
    """The error table (Zeile, Spalte, Wert, Grund) as CSV for German Excel."""
    return als_csv(pruefung.fehler_tabelle(), deutsch=True)


def fehlerbericht_dateiname(pruefung: Pruefergebnis) -> str:
    stamm = pruefung.dateiname.rsplit(".", 1)[0] or "datei"
    return f"pruefbericht_{stamm}.csv"


@cache
def vorlage(art: Art, format_: str) -> bytes:
    """An empty template (cached: it never changes while the program runs)."""
    return vorlage_bytes(art, "xlsx" if format_ == "xlsx" else "csv")


def vorlage_dateiname(art: Art, format_: str) -> str:
    return f"{DATEINAMEN[art]}.{format_}"


@cache
def frageboegen() -> dict[str, bytes]:
    """The questionnaires generated from the codebook, file name → content (cached)."""
    return fragebogen_aus.frageboegen()


def fragebogen_dateiname(art: str) -> str:
    """File name of a questionnaire ("xlsform", "limesurvey", … or a wave)."""
    return fragebogen_aus.DATEINAMEN[art]


def pruefbericht_zeigen(ergebnis: Pruefergebnis, vorschau: pd.DataFrame, nummer: int) -> None:
    """The check report of one file: verdict, error table with CSV download, notes, preview.

    ``nummer`` (the file's position in the upload) keeps widget keys apart for equal files.
    """
    st.subheader(f"{ergebnis.dateiname} – {schema.ART_LABELS[ergebnis.art]}")
    if ergebnis.ok:
        st.success(
            f"{zeilen_text(ergebnis.zeilen)}, keine Fehler – bereit zum Import.",
            icon=":material/check:",
        )
    else:
        st.error(
            f"{ergebnis.ursache}\n\n{ergebnis.fehler_gesamt} Fehler in "
            f"{zeilen_text(ergebnis.zeilen)} – so wird die Datei nicht übernommen.",
            icon=":material/error:",
        )
        tabelle(ergebnis.fehler_tabelle())
        if ergebnis.fehler_gesamt > len(ergebnis.fehler):
            st.caption(f"Gezeigt werden die ersten {len(ergebnis.fehler)} Fehler.")
        st.download_button(
            "Prüfbericht als CSV herunterladen",
            fehler_csv(ergebnis),
            file_name=fehlerbericht_dateiname(ergebnis),
            mime=MIME_CSV,
            icon=":material/download:",
            on_click="ignore",
            key=f"pruefbericht_{nummer}",
        )
    for hinweis in ergebnis.hinweise:
        st.warning(hinweis, icon=":material/info:")
    with st.expander(f"Vorschau: die ersten {VORSCHAU_ZEILEN} Zeilen der Datei"):
        st.dataframe(vorschau.rename_axis("Zeile"))


def links_zip(standorte: Sequence[str], kobo: str | None, limesurvey: str | None) -> bytes:
    """Links, QR codes (PNG, SVG), A4 sheets and print versions per site and wave as a ZIP.

    Raises :class:`monitor.umfragen.fragebogen_aus.LinkFehler` for an address that is no
    http(s) address.
    """
    dateien = fragebogen_aus.frageboegen(standorte, kobo=kobo, limesurvey=limesurvey)
    allgemein = set(fragebogen_aus.DATEINAMEN.values())
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as archiv:
        for name, inhalt in dateien.items():
            if name not in allgemein:
                archiv.writestr(name, inhalt)
    return puffer.getvalue()


def links_knoepfe(standorte: Sequence[str]) -> None:
    """Survey links with site and wave in them, and their QR codes, for the given sites."""
    if not standorte:
        return
    st.markdown("**Links und QR-Codes je Standort und Welle**")
    spalte_kobo, spalte_ls = st.columns(2)
    kobo = spalte_kobo.text_input(
        "Enketo-Adresse des Kobo-Formulars",
        placeholder="https://ee.kobotoolbox.org/x/…",
        key="link_kobo",
    )
    limesurvey = spalte_ls.text_input(
        "Adresse der LimeSurvey-Umfrage",
        placeholder="https://…/index.php/123456",
        key="link_limesurvey",
    )
    if not (kobo.strip() or limesurvey.strip()):
        st.caption(
            "Mit der Adresse des Formulars entsteht je Standort und Welle ein Link, der Standort "
            "und Befragungszeitpunkt selbst einträgt, dazu ein QR-Code und ein A4-Blatt zum "
            "Ausdrucken."
        )
        return
    try:
        inhalt = links_zip(standorte, kobo.strip() or None, limesurvey.strip() or None)
    except fragebogen_aus.LinkFehler as fehler:
        st.error(str(fehler), icon=":material/error:")
        return
    st.download_button(
        "Links, QR-Codes und Druckfassungen (ZIP)",
        inhalt,
        file_name="befragungslinks.zip",
        mime="application/zip",
        icon=":material/qr_code_2:",
        on_click="ignore",
        key="links_zip",
    )


def vorlagen_knoepfe() -> None:
    """Download buttons for the empty templates, one column per kind of file."""
    for spalte, vorlage_art in zip(st.columns(len(Art)), Art, strict=True):
        spalte.markdown(f"**{ART_LABELS[vorlage_art]}**")
        for format_, mime in (("xlsx", MIME_XLSX), ("csv", MIME_CSV)):
            spalte.download_button(
                f"{format_.upper()}-Vorlage",
                vorlage(vorlage_art, format_),
                file_name=vorlage_dateiname(vorlage_art, format_),
                mime=mime,
                key=f"vorlage_{vorlage_art.value}_{format_}",
                icon=":material/download:",
                on_click="ignore",
            )


def fragebogen_knoepfe() -> None:
    """Download buttons for the questionnaires, one column per survey tool."""
    for spalte, (werkzeug, dateien) in zip(st.columns(len(FRAGEBOEGEN)), FRAGEBOEGEN, strict=True):
        spalte.markdown(f"**{werkzeug}**")
        for schluessel, beschriftung, mime in dateien:
            name = fragebogen_dateiname(schluessel)
            spalte.download_button(
                beschriftung,
                frageboegen()[name],
                file_name=name,
                mime=mime,
                key=f"fragebogen_{schluessel}",
                icon=":material/download:",
                on_click="ignore",
            )

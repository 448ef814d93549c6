"""Languages of the questionnaire: every text comes from ``data/uebersetzungen/<sprache>.csv``.

Why files beside the codebook: the people the call is about often answer better in Arabic,
Turkish, Ukrainian, Russian, Farsi/Dari, English or Leichte Sprache, and a translator must be
able to work on a plain table without touching code. Each file has one row per German text
(column ``deutsch``, the key) and its translation (``text``). The key is the German text
itself, so changing a question in the codebook makes every translation of it missing, and the
test ``tests/monitor/test_uebersetzung.py`` fails until the translations follow. Answer codes
are the same in every language; only labels are translated.

Languages not yet checked by native speakers are shipped as drafts (:attr:`Sprache.entwurf`):
the page and the print sheet say so.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from monitor import schema

ORDNER = schema.DATA_DIR / "uebersetzungen"


@dataclass(frozen=True, slots=True)
class Sprache:
    """One shipped language: its code (file name), its own name, German name, direction."""

    code: str
    name: str
    name_deutsch: str
    rtl: bool = False
    entwurf: bool = False

    @property
    def datei(self) -> Path:
        return ORDNER / f"{self.code}.csv"


SPRACHEN: dict[str, Sprache] = {
    s.code: s
    for s in (
        Sprache("de", "Deutsch", "Deutsch"),
        Sprache("leicht", "Leichte Sprache", "Leichte Sprache"),
        Sprache("en", "English", "Englisch"),
        Sprache("ar", "العربية", "Arabisch", rtl=True, entwurf=True),
        Sprache("tr", "Türkçe", "Türkisch", entwurf=True),
        Sprache("uk", "Українська", "Ukrainisch", entwurf=True),
        Sprache("ru", "Русский", "Russisch", entwurf=True),
        Sprache("fa", "فارسی / دری", "Farsi/Dari", rtl=True, entwurf=True),
    )
}

#: Texts of the page itself (not in the codebook). ``{…}`` placeholders stay untranslated.
T_TITEL = "Fragebogen zur Projektwirkung"
T_SPRACHE = "Bitte wählen Sie Ihre Sprache."
T_ENTWURF = (
    "Diese Übersetzung ist ein Entwurf und wird noch von Muttersprachler*innen geprüft. "
    "Die Antwortmöglichkeiten bedeuten in jeder Sprache dasselbe."
)
T_DATENSCHUTZ = "Datenschutz"
T_WER = (
    "Wer ist verantwortlich? {verantwortlich}. Die Befragung gehört zum Projekt am Standort "
    "{standort}."
)
T_WAS = (
    "Was wird gespeichert? Nur Ihre Antworten und Ihr selbst gebildeter Code. Wir fragen nicht "
    "nach Ihrem Namen und speichern keine IP-Adresse."
)
T_WARUM = (
    "Warum? Das Projekt prüft mit den Antworten, ob es seine Ziele erreicht. Ergebnisse werden "
    "nur zusammengefasst gezeigt, nie einzelne Antworten; auch der Fördergeber erhält nur "
    "zusammengefasste Ergebnisse. Die Teilnahme ist freiwillig; "
    "Rechtsgrundlage ist Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)."
)
T_WIE_LANGE = (
    "Wie lange? Bis zum Ende der Auswertung des Projekts. Danach werden die Antworten gelöscht."
)
T_RECHTE = (
    "Ihre Rechte: Auskunft, Berichtigung, Löschung, Einschränkung, Datenübertragbarkeit und "
    "Widerspruch; Sie können "
    "Ihre Einwilligung jederzeit widerrufen und sich bei einer Datenschutz-Aufsichtsbehörde "
    "beschweren. Wenden Sie sich dafür mit Ihrem Code an die Mitarbeitenden vor Ort."
)
T_ZUSTIMMEN = "Ich habe den Hinweis gelesen und möchte teilnehmen."
T_WEITER = "Weiter"
T_ZURUECK = "Zurück"
T_ABSENDEN = "Absenden"
T_SCHRITT = "Schritt {nummer} von {gesamt}"
T_CODE = "Ihr Code"
T_CODE_ERKLAERUNG = (
    "Bilden Sie Ihren Code so: die ersten zwei Buchstaben des Vornamens Ihrer Mutter, Ihr "
    "Geburtstag (zwei Ziffern), die ersten zwei Buchstaben Ihres Geburtsorts. Beispiel: Maria, "
    "7. Mai, Berlin → MA07BE. So passen Ihre Fragebögen zusammen, ohne dass jemand Ihren Namen "
    "kennt."
)
T_CODE_WIEDERHOLEN = "Code noch einmal eingeben"
T_CODE_UNGLEICH = "Die beiden Eingaben stimmen nicht überein. Bitte prüfen Sie Ihren Code."
T_CODE_UNGUELTIG = "Der Code braucht 4 bis 32 Zeichen: Buchstaben, Ziffern, - oder _."
T_CODE_GESPEICHERT = "Ihr Code wird so gespeichert: {code}"
T_PFLICHT = "Bitte beantworten Sie diese Frage."
T_FREIWILLIG = "Wenn Sie eine Frage nicht beantworten möchten, lassen Sie sie einfach leer."
T_ZAHL = "Bitte eine ganze Zahl von {min} bis {max}."
T_FEHLER = "Bitte prüfen Sie die markierten Antworten."
T_DANKE = "Vielen Dank! Ihre Antworten sind gespeichert."
T_SCHLIESSEN = "Sie können dieses Fenster jetzt schließen."
T_NICHT_GESPEICHERT = (
    "Ihre Antworten konnten nicht gespeichert werden. Bitte wenden Sie sich an die "
    "Mitarbeitenden vor Ort."
)
T_UEBER_SIE = "Über Sie"
T_KONTAKTE = "Kontakte"
T_FAEHIGKEITEN = "Fähigkeiten"
T_MITMACHEN = "Mitmachen"
#: Default for ``{verantwortlich}`` when the operator set no name (``MONITOR_VERANTWORTLICH``).
T_TRAEGER = "Der Träger des Projekts an diesem Standort (Kontakt über die Mitarbeitenden vor Ort)"

SEITENTEXTE: tuple[str, ...] = (
    T_TITEL,
    T_SPRACHE,
    T_ENTWURF,
    T_DATENSCHUTZ,
    T_WER,
    T_WAS,
    T_WARUM,
    T_WIE_LANGE,
    T_RECHTE,
    T_ZUSTIMMEN,
    T_WEITER,
    T_ZURUECK,
    T_ABSENDEN,
    T_SCHRITT,
    T_CODE,
    T_CODE_ERKLAERUNG,
    T_CODE_WIEDERHOLEN,
    T_CODE_UNGLEICH,
    T_CODE_UNGUELTIG,
    T_CODE_GESPEICHERT,
    T_PFLICHT,
    T_FREIWILLIG,
    T_ZAHL,
    T_FEHLER,
    T_DANKE,
    T_SCHLIESSEN,
    T_NICHT_GESPEICHERT,
    T_UEBER_SIE,
    T_KONTAKTE,
    T_FAEHIGKEITEN,
    T_MITMACHEN,
    T_TRAEGER,
)

#: Codebook variables the page never shows (the link and the server set them).
_NICHT_GEFRAGT = frozenset({"standort", "welle", "datum", "vergleichsgruppe"})


def codebuchtexte() -> tuple[str, ...]:
    """Every codebook text a participant can see: questions and answer labels, no duplicates."""
    texte: dict[str, None] = {}
    for feld in schema.codebuch():
        if feld.name in _NICHT_GEFRAGT:
            continue
        texte[feld.frage] = None
        for label in feld.labels:
            texte[label] = None
    return tuple(texte)


def benoetigte_texte() -> tuple[str, ...]:
    """What every shipped language must translate: the page's texts and the codebook's."""
    return tuple(dict.fromkeys((*SEITENTEXTE, *codebuchtexte())))


@cache
def _tabelle(code: str) -> dict[str, str]:
    sprache = SPRACHEN[code]
    if not sprache.datei.exists():
        return {}
    with sprache.datei.open(encoding="utf-8", newline="") as datei:
        return {
            zeile["deutsch"]: zeile["text"].strip()
            for zeile in csv.DictReader(datei)
            if (zeile.get("text") or "").strip()
        }


def sprache_datei_vorhanden(code: str) -> bool:
    return SPRACHEN[code].datei.is_file()


def uebersetzungen(code: str) -> dict[str, str]:
    """German text → translation for one language (German itself maps to its own file)."""
    return _tabelle(code)


def fehlende(code: str) -> list[str]:
    """The German texts a language has no entry for (the completeness test uses this)."""
    vorhanden = uebersetzungen(code)
    return [text for text in benoetigte_texte() if text not in vorhanden]


def uebersetze(sprache: str, deutsch: str, /, **werte: object) -> str:
    """The text in a language, German when missing; placeholders filled after translating."""
    text = uebersetzungen(sprache).get(deutsch, deutsch) if sprache in SPRACHEN else deutsch
    return text.format(**werte) if werte else text

"""Questionnaires generated from the codebook: XLSForm, LimeSurvey structure, printable HTML.

Sites should not retype item wordings into their survey tool: every copy is a chance to change
a word, and a changed word is a different question (and, for the import, an unmatched column).
So every questionnaire a site needs is generated from ``data/codebuch.csv``:

- ``fragebogen_kobo.xlsx`` – an XLSForm (sheets survey, choices, settings) for KoboToolbox and
  ODK: field names are the codebook variables, ``welle`` is a choice and wave-bound questions
  carry a relevance, so an export needs no mapping at all.
- ``fragebogen_limesurvey.txt`` – LimeSurvey's tab-separated survey structure ("Umfrage
  importieren", .txt); codes follow :mod:`.limesurvey`, and ``limesurvey_zuordnung.csv`` lists
  every response-export column with its variable and answer codes.
- ``fragebogen_T0.html`` … – one printable questionnaire per wave, with the codebook wording and
  answer boxes; for paper and as the text to copy into Microsoft Forms or Google Forms (the
  import matches those exports by exactly this wording).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import segno
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from indikatoren.definitionen import ZIEL_NAMEN, Ziel
from monitor import schema
from monitor.pruefung import CODE_MAX, CODE_MIN
from monitor.schema import CODEBUCH_PFAD, Feld, Typ
from monitor.umfragen.limesurvey import LsFrage, ls_fragen, unterfrage_code
from monitor.vorlagen import textzelle

TITEL = "Wirkungsmonitor – Befragung"
FORM_ID = "wirkungsmonitor_befragung"
DATEINAMEN: dict[str, str] = {
    "xlsform": "fragebogen_kobo.xlsx",
    "limesurvey": "fragebogen_limesurvey.txt",
    "limesurvey_zuordnung": "limesurvey_zuordnung.csv",
    **{welle: f"fragebogen_{welle}.html" for welle in schema.WELLEN},
}

#: How participants build their self-generated code; shown wherever the code is asked.
CODE_HINWEIS = (
    "So bilden Sie Ihren Code: die ersten zwei Buchstaben des Vornamens Ihrer Mutter, dann "
    "Ihr Geburtstag als zwei Ziffern, dann die ersten zwei Buchstaben Ihres Geburtsorts – "
    "z. B. MA07BE. Bitte bilden Sie den Code bei jeder Befragung genauso; Groß- und "
    "Kleinschreibung sind egal. Ihr Name wird nirgends gespeichert."
)
STANDORT_HINWEIS = (
    "Kennung Ihres Standorts, z. B. KOELN (vom Projekt vorgegeben; 2–12 Zeichen: A–Z, 0–9, _)."
)
_ABSCHNITTE: dict[str, str] = {
    "": "Angaben zur Befragung",
    **{ziel.value: f"Teil {ziel.value.upper()} – {ZIEL_NAMEN[ziel]}" for ziel in Ziel},
}
#: The code rule of every generated form: the import's length (monitor.pruefung.CODE_MIN …
#: CODE_MAX); umlauts and spaces are allowed because the import normalises them.
_CODE_REGEX = f"^[A-Za-zÄÖÜäöüß0-9 _-]{{{CODE_MIN},{CODE_MAX}}}$"
_STANDORT_REGEX = "^[A-Z0-9_]{2,12}$"
#: Site and wave come from the survey link, never from the participant (typos and wrong waves
#: would end up in the data): hidden fields in the XLSForm (Enketo ``d[...]`` parameters),
#: hidden questions in LimeSurvey (URL parameters), pre-printed on paper.
AUS_DEM_LINK: tuple[str, ...] = ("standort", "welle")
#: Hidden like those, but optional: a comparison group's own links set ``vergleichsgruppe=ja``;
#: participants' links leave it empty (empty = participant). Never asked, never printed.
AUS_DEM_LINK_FREIWILLIG: tuple[str, ...] = ("vergleichsgruppe",)
_VERSTECKT: tuple[str, ...] = (*AUS_DEM_LINK, *AUS_DEM_LINK_FREIWILLIG)
LINK_FEHLT = (
    "Dieser Link ist unvollständig (Standort oder Befragungszeitpunkt fehlt). Bitte den Link "
    "oder QR-Code Ihres Standorts verwenden."
)
#: The two free-text questions: (hint, regular expression, message when it does not match).
_TEXTFRAGEN: dict[Typ, tuple[str, str, str]] = {
    Typ.CODE: (
        CODE_HINWEIS,
        _CODE_REGEX,
        f"Bitte den Code aus {CODE_MIN} bis {CODE_MAX} Buchstaben oder Ziffern eingeben.",
    ),
    Typ.STANDORT: (
        STANDORT_HINWEIS,
        _STANDORT_REGEX,
        "Bitte die Standort-Kennung in Großbuchstaben eingeben.",
    ),
}


def _codebuch_version() -> str:
    """Short hash of the codebook: the form version changes exactly when the codebook does."""
    return "cb" + hashlib.sha256(CODEBUCH_PFAD.read_bytes()).hexdigest()[:10]


def _abschnitte() -> Iterator[tuple[str, list[Feld]]]:
    """Codebook fields grouped by goal (general questions first), in codebook order."""
    gruppen: dict[str, list[Feld]] = {}
    for feld in schema.codebuch():
        gruppen.setdefault(feld.ziel, []).append(feld)
    for ziel in _ABSCHNITTE:
        if ziel in gruppen:
            yield ziel, gruppen[ziel]


def _nur_wellen(feld: Feld) -> tuple[str, ...] | None:
    """The waves a wave-bound question is asked at; None when asked at every wave."""
    return None if set(feld.wellen) == set(schema.WELLEN) else feld.wellen


def _antworten(feld: Feld) -> tuple[tuple[str, str], ...]:
    return tuple(zip(feld.werte, feld.labels or feld.werte, strict=False))


# -- XLSForm ------------------------------------------------------------------------------------
_SURVEY_SPALTEN = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "default",
)


def _listenname(feld: Feld, listen: dict[tuple[tuple[str, str], ...], str]) -> str:
    """One choice list per distinct answer set, named after its first variable."""
    return listen.setdefault(_antworten(feld), feld.name)


def _xls_zeile(feld: Feld, listen: dict[tuple[tuple[str, str], ...], str]) -> dict[str, str]:
    if feld.name in _VERSTECKT:  # filled from the link: d[/form/allgemein/standort]=KOELN
        return {"type": "hidden", "name": feld.name}
    zeile = {"name": feld.name, "label": feld.frage}
    if wellen := _nur_wellen(feld):
        zeile["relevant"] = " or ".join(f"${{welle}} = '{w}'" for w in wellen)
    if feld.pflicht or feld.pflicht_welle:
        zeile["required"] = "yes"
    if feld.typ in _TEXTFRAGEN:
        hinweis, muster, meldung = _TEXTFRAGEN[feld.typ]
        bedingung = f"regex(., '{muster}')"
        if feld.typ is Typ.CODE:  # a hidden field cannot stop a submission; the code can
            bedingung += "".join(f" and ${{{name}}} != ''" for name in AUS_DEM_LINK)
            meldung = f"{meldung} {LINK_FEHLT}"
        zeile |= {
            "type": "text",
            "hint": hinweis,
            "constraint": bedingung,
            "constraint_message": meldung,
        }
    elif feld.typ is Typ.DATUM:
        zeile |= {"type": "date", "default": "today()"}
    elif feld.werte:
        zeile["type"] = f"select_one {_listenname(feld, listen)}"
        if feld.typ is Typ.GANZZAHL:
            zeile["appearance"] = "likert"
    elif feld.typ in (Typ.GANZZAHL, Typ.ZAHL):
        unten, oben = feld.minimum, feld.maximum
        zeile |= {
            "type": "integer" if feld.typ is Typ.GANZZAHL else "decimal",
            "constraint": f". >= {unten:g} and . <= {oben:g}",
            "constraint_message": f"Bitte eine Zahl von {unten:g} bis {oben:g} eingeben.",
        }
    else:
        zeile["type"] = "text"
    return zeile


def xlsform_bytes() -> bytes:
    """The XLSForm (KoboToolbox / ODK) as XLSX bytes: sheets survey, choices, settings."""
    listen: dict[tuple[tuple[str, str], ...], str] = {}
    zeilen: list[dict[str, str]] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
    ]
    for ziel, felder in _abschnitte():
        gruppe = f"ziel_{ziel}" if ziel else "allgemein"
        zeilen.append({"type": "begin_group", "name": gruppe, "label": _ABSCHNITTE[ziel]})
        zeilen.extend(_xls_zeile(feld, listen) for feld in felder)
        zeilen.append({"type": "end_group", "name": gruppe})

    mappe = Workbook()
    survey = mappe.active
    assert survey is not None
    survey.title = "survey"
    _tabelle(survey, _SURVEY_SPALTEN, [[z.get(s, "") for s in _SURVEY_SPALTEN] for z in zeilen])
    choices = mappe.create_sheet("choices")
    _tabelle(
        choices,
        ("list_name", "name", "label"),
        [[name, code, label] for antworten, name in listen.items() for code, label in antworten],
    )
    settings = mappe.create_sheet("settings")
    _tabelle(
        settings,
        ("form_title", "form_id", "version"),
        [[TITEL, FORM_ID, _codebuch_version()]],
    )
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def _tabelle(blatt: Worksheet, kopf: tuple[str, ...], zeilen: list[list[str]]) -> None:
    """Header in bold, then the rows; every cell as text (never a formula)."""
    for spalte, titel in enumerate(kopf, start=1):
        textzelle(blatt, 1, spalte, titel).font = Font(bold=True)
    for nummer, zeile in enumerate(zeilen, start=2):
        for spalte, wert in enumerate(zeile, start=1):
            if wert:
                textzelle(blatt, nummer, spalte, wert)


# -- LimeSurvey ---------------------------------------------------------------------------------
_LS_SPALTEN = (
    "id",
    "related_id",
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "encrypted",
    "other",
    "default",
    "same_default",
    "same_script",
    "min_num_value_n",
    "max_num_value_n",
    "num_value_int_only",
    "hidden",
)
_LS_SPRACHE = "de"
#: An equation question stores the survey date: a survey with anonymised responses gets
#: 1980-01-01 as submitdate from LimeSurvey, so the date must be an answer of its own.
_LS_DATUM_GLEICHUNG = "{date('Y-m-d')}"
_ARRAY_TEXT = {
    Typ.GANZZAHL: "Wie sehr treffen die folgenden Aussagen auf Sie zu?",
    Typ.JA_NEIN: "Bitte wählen Sie jeweils Ja oder Nein.",
}


def _ls_zeile(**zellen: str) -> list[str]:
    namen = {"klasse": "class", "typ": "type/scale"}
    benannt = {namen.get(k, k): v for k, v in zellen.items()}
    return [benannt.get(spalte, "") for spalte in _LS_SPALTEN]


def _ls_relevanz(feld: Feld) -> str:
    if not (wellen := _nur_wellen(feld)):
        return "1"
    return " or ".join(f'(welle.NAOK == "{w}")' for w in wellen)


def _ls_frage(frage: LsFrage) -> list[list[str]]:
    feld = frage.felder[0]
    frage_zeile = {
        "klasse": "Q",
        "name": frage.code,
        "relevance": _ls_relevanz(feld),
        "text": feld.frage,
        "language": _LS_SPRACHE,
        "mandatory": "Y" if feld.pflicht or feld.pflicht_welle else "N",
    }
    unterfragen: list[list[str]] = []
    if frage.ist_array:
        frage_zeile |= {"typ": "F", "text": _ARRAY_TEXT[feld.typ]}
        unterfragen = [
            _ls_zeile(klasse="SQ", name=unterfrage_code(i), text=f.frage, language=_LS_SPRACHE)
            for i, f in enumerate(frage.felder, start=1)
        ]
    elif feld.typ in _TEXTFRAGEN:
        hinweis, muster, _ = _TEXTFRAGEN[feld.typ]
        frage_zeile |= {"typ": "S", "help": hinweis, "validation": f"/{muster}/"}
    elif frage.antworten:
        frage_zeile["typ"] = "L"
    else:
        frage_zeile |= {
            "typ": "N",
            "min_num_value_n": f"{feld.minimum:g}",
            "max_num_value_n": f"{feld.maximum:g}",
            "num_value_int_only": "1",
        }
    if feld.name in _VERSTECKT:  # prefilled from the link (?standort=KOELN&welle=T0)
        frage_zeile |= {"hidden": "1", "mandatory": "N"}
    zeilen = [_ls_zeile(**frage_zeile), *unterfragen]
    zeilen += [
        _ls_zeile(klasse="A", typ="0", name=code, text=label, language=_LS_SPRACHE)
        for code, _, label in frage.antworten
    ]
    return zeilen


def limesurvey_txt() -> bytes:
    """LimeSurvey's tab-separated survey structure (UTF-8 with BOM), for "Umfrage importieren".

    Anonymised, with date stamps (``submitdate`` is the survey date) and without IP address or
    referrer, so the response export carries no personal data by design.
    """
    zeilen = [list(_LS_SPALTEN)]
    zeilen += [
        _ls_zeile(klasse="S", name=name, text=wert)
        for name, wert in (
            ("language", _LS_SPRACHE),
            ("format", "G"),
            ("anonymized", "Y"),
            ("datestamp", "Y"),
            ("ipaddr", "N"),
            ("refurl", "N"),
        )
    ]
    zeilen.append(_ls_zeile(klasse="SL", name="surveyls_title", text=TITEL, language=_LS_SPRACHE))
    fragen_je_feld = {frage.felder[0].name: frage for frage in ls_fragen()}
    for nummer, (ziel, felder) in enumerate(_abschnitte(), start=1):
        zeilen.append(
            _ls_zeile(
                klasse="G",
                typ=str(nummer),
                name=_ABSCHNITTE[ziel],
                relevance="1",
                language=_LS_SPRACHE,
            )
        )
        for feld in felder:
            if feld.name in fragen_je_feld:
                zeilen += _ls_frage(fragen_je_feld[feld.name])
            elif feld.name == "datum":
                zeilen.append(
                    _ls_zeile(
                        klasse="Q",
                        typ="*",
                        name="datum",
                        relevance="1",
                        text=_LS_DATUM_GLEICHUNG,
                        language=_LS_SPRACHE,
                        mandatory="N",
                        hidden="1",
                    )
                )
    puffer = io.StringIO()
    csv.writer(puffer, delimiter="\t", lineterminator="\n").writerows(zeilen)
    return ("\ufeff" + puffer.getvalue()).encode("utf-8")


def limesurvey_zuordnung_csv() -> bytes:
    """Response-export column → variable and answer codes (';', UTF-8 with BOM, for Excel)."""
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    schreiber.writerow(["limesurvey_spalte", "variable", "frage", "antwortcodes"])
    for frage in ls_fragen():
        codes = "|".join(f"{code}={wert}" for code, wert, _ in frage.antworten)
        for spalte, feld in frage.spalten().items():
            schreiber.writerow([spalte, feld.name, feld.frage, codes])
    schreiber.writerow(["datum", "datum", "Datum der Befragung (Gleichungsfrage)", ""])
    schreiber.writerow(["submitdate", "datum", "Abschlusszeitpunkt (wenn datum fehlt)", ""])
    return puffer.getvalue().encode("utf-8-sig")


# -- printable HTML -----------------------------------------------------------------------------
_CSS = """
@page { size: A4; margin: 16mm 15mm; }
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 11pt; color: #000; max-width: 180mm;
       margin: 0 auto; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #444; break-after: avoid;
     page-break-after: avoid; }
.abschnitt-anfang { break-inside: avoid; page-break-inside: avoid; }
.text { break-after: avoid; page-break-after: avoid; }
.vorgabe { font-size: 12pt; margin: 2mm 0 4mm; }
.codekaesten { display: inline-flex; gap: 1.5mm; align-items: flex-end; margin: 1mm 0; }
.codekaesten .box { display: inline-block; width: 8mm; height: 9mm; border: 1px solid #000; }
.codekaesten .gruppe { display: inline-flex; gap: 1mm; flex-direction: column;
                       align-items: center; font-size: 8pt; margin-right: 3mm; }
.codekaesten .boxen { display: inline-flex; gap: 1mm; }
.einleitung { border: 1px solid #999; padding: 3mm; margin: 3mm 0; }
.frage { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
.text { font-weight: 600; }
.hinweis { font-size: 9.5pt; color: #333; margin: 1mm 0; }
.optionen { margin: 1mm 0 0; padding: 0; list-style: none; }
.optionen li { display: inline-block; margin: 0 6mm 1mm 0; }
.kasten { display: inline-block; width: 3.6mm; height: 3.6mm; border: 1px solid #000;
          vertical-align: -0.6mm; margin-right: 1.5mm; }
.kasten.an { background: #000; }
.feld { display: inline-block; min-width: 55mm; border-bottom: 1px solid #000; height: 6mm; }
.feld.kurz { min-width: 18mm; }
table.matrix { border-collapse: collapse; width: 100%; margin: 1mm 0 4mm; break-inside: avoid;
               page-break-inside: avoid; }
table.matrix th, table.matrix td { border: 1px solid #999; padding: 1.5mm; font-size: 9.5pt; }
table.matrix th { font-weight: 600; text-align: center; vertical-align: bottom; }
table.matrix td.kreuz { text-align: center; width: 16mm; }
@media print { .nicht-drucken { display: none; } }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _kasten(an: bool = False) -> str:
    return f'<span class="kasten{" an" if an else ""}"></span>'


def _blockweise(felder: list[Feld]) -> Iterator[list[Feld]]:
    """Consecutive items of one scale with the same answers form one matrix."""
    i = 0
    while i < len(felder):
        block = [felder[i]]
        while (
            felder[i].skala
            and i + len(block) < len(felder)
            and felder[i + len(block)].skala == felder[i].skala
            and felder[i + len(block)].werte == felder[i].werte
        ):
            block.append(felder[i + len(block)])
        yield block
        i += len(block)


#: The boxes of the printed code: (caption, number of boxes), as :data:`CODE_HINWEIS` explains.
_CODE_KAESTEN: tuple[tuple[str, int], ...] = (
    ("Vorname der Mutter", 2),
    ("Geburtstag", 2),
    ("Geburtsort", 2),
)


def _code_kaesten() -> str:
    box = '<span class="box"></span>'
    gruppen = "".join(
        f'<span class="gruppe"><span class="boxen">{box * anzahl}</span>{_e(beschriftung)}</span>'
        for beschriftung, anzahl in _CODE_KAESTEN
    )
    return f'<div class="codekaesten">{gruppen}</div>'


def _html_feld(feld: Feld, nummer: int, welle: str) -> str:
    kopf = f'<p class="text">{nummer}. {_e(feld.frage)}</p>'
    if feld.typ is Typ.CODE:
        inhalt = f'<p class="hinweis">{_e(CODE_HINWEIS)}</p>{_code_kaesten()}'
    elif feld.typ in _TEXTFRAGEN:
        hinweis = _TEXTFRAGEN[feld.typ][0]
        inhalt = f'<p class="hinweis">{_e(hinweis)}</p><span class="feld"></span>'
    elif feld.typ is Typ.DATUM:
        inhalt = '<span class="feld kurz"></span>.<span class="feld kurz"></span>.' + (
            '<span class="feld kurz"></span>'
        )
    elif feld.werte:
        optionen = "".join(
            f"<li>{_kasten(feld.name == 'welle' and code == welle)}{_e(label)}</li>"
            for code, label in _antworten(feld)
        )
        inhalt = f'<ul class="optionen">{optionen}</ul>'
    else:
        bereich = f"{feld.minimum:g} bis {feld.maximum:g}" if feld.maximum is not None else ""
        inhalt = f'<span class="feld kurz"></span> <span class="hinweis">({_e(bereich)})</span>'
    return f'<div class="frage">{kopf}{inhalt}</div>'


def _html_matrix(block: list[Feld], start: int) -> str:
    antworten = _antworten(block[0])
    kopf = "".join(f"<th>{_e(label)}</th>" for _, label in antworten)
    zeilen = "".join(
        f"<tr><td>{start + i}. {_e(feld.frage)}</td>"
        + "".join(f'<td class="kreuz">{_kasten()}</td>' for _ in antworten)
        + "</tr>"
        for i, feld in enumerate(block)
    )
    text = _ARRAY_TEXT.get(block[0].typ, "")
    return (
        f'<p class="text">{_e(text)}</p><table class="matrix">'
        f"<thead><tr><th></th>{kopf}</tr></thead><tbody>{zeilen}</tbody></table>"
    )


def fragebogen_html(welle: str, standort: str | None = None) -> str:
    """The printable German questionnaire of one wave (only the questions asked then).

    Site and wave are pre-printed, never asked (``standort`` None: a line the project fills
    in before copying). Participants see no variable names and no codebook hash (the version
    is a ``meta`` element for staff); a heading never stands alone at the end of a page.
    """
    if welle not in schema.WELLEN:
        raise ValueError(f"Unbekannte Welle '{welle}'.")
    welle_feld = next(f for f in schema.codebuch() if f.name == "welle")
    welle_label = dict(_antworten(welle_feld))[welle]
    ort = _e(standort) if standort else '<span class="feld kurz"></span>'
    teile = [
        "<!DOCTYPE html>",
        '<html lang="de"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="codebuch-stand" content="{_codebuch_version()}">',
        f"<title>Fragebogen {_e(welle_label)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Fragebogen – {_e(welle_label)}</h1>",
        f'<p class="vorgabe">Standort: <strong>{ort}</strong> · Befragungszeitpunkt: '
        f"<strong>{_e(welle_label)}</strong></p>",
        '<div class="einleitung"><p>Vielen Dank, dass Sie mitmachen! Ihre Angaben sind '
        "freiwillig. Wir fragen nicht nach Ihrem Namen; der persönliche Code verbindet Ihre "
        "Antworten zu Beginn und am Ende des Angebots, ohne dass jemand erfährt, wer Sie sind. "
        "Bitte kreuzen Sie bei jeder Frage eine Antwort an.</p></div>",
    ]
    nummer = 1
    for ziel, felder in _abschnitte():
        gefragt = [f for f in felder if welle in f.wellen and f.name not in _VERSTECKT]
        if not gefragt:
            continue
        bloecke = []
        for block in _blockweise(gefragt):
            if len(block) > 1:
                bloecke.append(_html_matrix(block, nummer))
            else:
                bloecke.append(_html_feld(block[0], nummer, welle))
            nummer += len(block)
        # the heading and the first question stay on one page
        teile.append(
            f'<div class="abschnitt-anfang"><h2>{_e(_ABSCHNITTE[ziel])}</h2>{bloecke[0]}</div>'
        )
        teile.extend(bloecke[1:])
    teile.append("<p>Vielen Dank für Ihre Antworten!</p></body></html>")
    return "\n".join(teile)


# -- links and QR codes per site and wave -------------------------------------------------------
WERKZEUG_NAMEN = {"kobo": "KoboToolbox / Enketo", "limesurvey": "LimeSurvey"}
#: The root element of the XForm pyxform builds from our XLSForm (no "name" setting): the
#: start of every Enketo ``d[...]`` path.
XFORM_WURZEL = "data"


class LinkFehler(ValueError):
    """A survey base address that is no http(s) address (German message)."""


@dataclass(frozen=True, slots=True)
class Umfragelink:
    """The survey link of one site and wave: site and wave are filled in by the link."""

    standort: str
    welle: str
    werkzeug: str  # key of WERKZEUG_NAMEN
    url: str


def _basis(url: str) -> str:
    teile = urlsplit(url.strip())
    if teile.scheme not in ("http", "https") or not teile.netloc:
        raise LinkFehler(f"'{url}' ist keine Internetadresse (erwartet https://…).")
    return url.strip()


def umfrage_links(
    standorte: Iterable[str], *, kobo: str | None = None, limesurvey: str | None = None
) -> list[Umfragelink]:
    """One link per site, wave and tool given.

    ``kobo``: the form's Enketo address (e.g. ``https://ee.kobotoolbox.org/x/AbCd1234``); the
    hidden fields are prefilled with Enketo's ``d[/form/group/field]=value`` parameters.
    ``limesurvey``: the survey address (``https://…/index.php/123456``); LimeSurvey prefills
    a question from a URL parameter named by its question code (``standort``, ``welle``).
    """
    links = []
    for standort in sorted({s.strip().upper() for s in standorte}):
        for welle in schema.WELLEN:
            werte = {"standort": standort, "welle": welle}
            if kobo:
                parameter = "&".join(
                    f"d[/{XFORM_WURZEL}/allgemein/{name}]={quote(wert)}"
                    for name, wert in werte.items()
                )
                links.append(Umfragelink(standort, welle, "kobo", f"{_basis(kobo)}?{parameter}"))
            if limesurvey:
                basis = _basis(limesurvey)
                trenner = "&" if "?" in basis else "?"
                parameter = "&".join(f"{name}={quote(wert)}" for name, wert in werte.items())
                links.append(
                    Umfragelink(
                        standort, welle, "limesurvey", f"{basis}{trenner}lang=de&{parameter}"
                    )
                )
    return links


def qr_svg(url: str) -> str:
    """The QR code of a link as SVG (segno; error correction M survives a smudged print)."""
    return segno.make(url, error="m").svg_inline(scale=3)


def qr_png(url: str) -> bytes:
    puffer = io.BytesIO()
    segno.make(url, error="m").save(puffer, kind="png", scale=8, border=4)
    return puffer.getvalue()


def linkblatt_html(standort: str, links: Iterable[Umfragelink]) -> str:
    """An A4 sheet per site: for each wave and tool the QR code and the link to hand out."""
    eigene = [link for link in links if link.standort == standort]
    karten = "".join(
        f'<div class="karte"><h2>{_e(link.welle)} – {_e(WERKZEUG_NAMEN[link.werkzeug])}</h2>'
        f'{qr_svg(link.url)}<p class="link">{_e(link.url)}</p></div>'
        for link in eigene
    )
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>Befragungslinks {_e(standort)}</title><style>"
        "@page { size: A4; margin: 15mm; } body { font-family: Arial, sans-serif; }"
        ".karte { display: inline-block; width: 85mm; margin: 0 4mm 6mm 0; "
        "vertical-align: top; break-inside: avoid; page-break-inside: avoid; }"
        ".karte h2 { font-size: 12pt; margin: 0 0 2mm; } .link { font-size: 7pt; "
        "word-break: break-all; }</style></head><body>"
        f"<h1>Befragung – Standort {_e(standort)}</h1><p>Standort und Befragungszeitpunkt "
        "stehen im Link; bitte für jeden Zeitpunkt den passenden Code scannen lassen.</p>"
        f"{karten}</body></html>"
    )


def links_csv(links: Iterable[Umfragelink]) -> bytes:
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    schreiber.writerow(["standort", "welle", "werkzeug", "link"])
    schreiber.writerows([[k.standort, k.welle, k.werkzeug, k.url] for k in links])
    return puffer.getvalue().encode("utf-8-sig")


# -- all of them --------------------------------------------------------------------------------
def frageboegen(
    standorte: Iterable[str] = (), *, kobo: str | None = None, limesurvey: str | None = None
) -> dict[str, bytes]:
    """File name → content of every generated questionnaire (CLI and import page).

    With ``standorte``: also the print version per site and wave (site pre-printed) and, with
    a Kobo or LimeSurvey address, ``links.csv``, a QR code per link (PNG and SVG) and an A4
    sheet per site to print.
    """
    inhalte = {
        DATEINAMEN["xlsform"]: xlsform_bytes(),
        DATEINAMEN["limesurvey"]: limesurvey_txt(),
        DATEINAMEN["limesurvey_zuordnung"]: limesurvey_zuordnung_csv(),
    }
    for welle in schema.WELLEN:
        inhalte[DATEINAMEN[welle]] = fragebogen_html(welle).encode("utf-8")
    orte = sorted({s.strip().upper() for s in standorte})
    for standort in orte:
        for welle in schema.WELLEN:
            inhalte[f"fragebogen_{standort}_{welle}.html"] = fragebogen_html(
                welle, standort
            ).encode("utf-8")
    links = umfrage_links(orte, kobo=kobo, limesurvey=limesurvey)
    if links:
        inhalte["links.csv"] = links_csv(links)
        for link in links:
            stamm = f"qr_{link.standort}_{link.welle}_{link.werkzeug}"
            inhalte[f"{stamm}.png"] = qr_png(link.url)
            inhalte[f"{stamm}.svg"] = qr_svg(link.url).encode("utf-8")
        for standort in orte:
            inhalte[f"links_{standort}.html"] = linkblatt_html(standort, links).encode("utf-8")
    return inhalte


def schreibe_frageboegen(
    ordner: str | os.PathLike[str],
    standorte: Iterable[str] = (),
    *,
    kobo: str | None = None,
    limesurvey: str | None = None,
) -> list[Path]:
    """Write every questionnaire into ``ordner`` (created if missing); returns the paths."""
    ziel = Path(ordner)
    ziel.mkdir(parents=True, exist_ok=True)
    pfade = []
    for name, inhalt in frageboegen(standorte, kobo=kobo, limesurvey=limesurvey).items():
        pfad = ziel / name
        pfad.write_bytes(inhalt)
        pfade.append(pfad)
    return pfade

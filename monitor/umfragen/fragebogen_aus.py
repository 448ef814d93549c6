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
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from indikatoren.definitionen import ZIEL_NAMEN, Ziel
from monitor import schema
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
_CODE_REGEX = "^[A-Za-zÄÖÜäöüß0-9 _-]{4,40}$"
_STANDORT_REGEX = "^[A-Z0-9_]{2,12}$"
#: The two free-text questions: (hint, regular expression, message when it does not match).
_TEXTFRAGEN: dict[Typ, tuple[str, str, str]] = {
    Typ.CODE: (
        CODE_HINWEIS,
        _CODE_REGEX,
        "Bitte den Code aus 4 bis 32 Buchstaben oder Ziffern eingeben.",
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
    zeile = {"name": feld.name, "label": feld.frage}
    if wellen := _nur_wellen(feld):
        zeile["relevant"] = " or ".join(f"${{welle}} = '{w}'" for w in wellen)
    if feld.pflicht or feld.pflicht_welle:
        zeile["required"] = "yes"
    if feld.typ in _TEXTFRAGEN:
        hinweis, muster, meldung = _TEXTFRAGEN[feld.typ]
        zeile |= {
            "type": "text",
            "hint": hinweis,
            "constraint": f"regex(., '{muster}')",
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
)
_LS_SPRACHE = "de"
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
    schreiber.writerow(["submitdate", "datum", "Abschlusszeitpunkt (Datum der Befragung)", ""])
    return puffer.getvalue().encode("utf-8-sig")


# -- printable HTML -----------------------------------------------------------------------------
_CSS = """
@page { size: A4; margin: 16mm 15mm; }
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 11pt; color: #000; max-width: 180mm;
       margin: 0 auto; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #444; }
.einleitung { border: 1px solid #999; padding: 3mm; margin: 3mm 0; }
.frage { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
.text { font-weight: 600; }
.variable { font-size: 8pt; color: #666; font-weight: normal; }
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


def _html_feld(feld: Feld, nummer: int, welle: str) -> str:
    kopf = (
        f'<p class="text">{nummer}. {_e(feld.frage)} '
        f'<span class="variable">[{_e(feld.name)}]</span></p>'
    )
    if feld.typ in _TEXTFRAGEN:
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
        f"<tr><td>{start + i}. {_e(feld.frage)} "
        f'<span class="variable">[{_e(feld.name)}]</span></td>'
        + "".join(f'<td class="kreuz">{_kasten()}</td>' for _ in antworten)
        + "</tr>"
        for i, feld in enumerate(block)
    )
    text = _ARRAY_TEXT.get(block[0].typ, "")
    return (
        f'<p class="text">{_e(text)}</p><table class="matrix">'
        f"<thead><tr><th></th>{kopf}</tr></thead><tbody>{zeilen}</tbody></table>"
    )


def fragebogen_html(welle: str) -> str:
    """The printable German questionnaire of one wave (only the questions asked then)."""
    if welle not in schema.WELLEN:
        raise ValueError(f"Unbekannte Welle '{welle}'.")
    welle_feld = next(f for f in schema.codebuch() if f.name == "welle")
    welle_label = dict(_antworten(welle_feld))[welle]
    teile = [
        "<!DOCTYPE html>",
        '<html lang="de"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Fragebogen {_e(welle_label)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Fragebogen – {_e(welle_label)}</h1>",
        '<div class="einleitung"><p>Vielen Dank, dass Sie mitmachen! Ihre Angaben sind '
        "freiwillig. Wir fragen nicht nach Ihrem Namen; der persönliche Code verbindet Ihre "
        "Antworten zu Beginn und am Ende des Angebots, ohne dass jemand erfährt, wer Sie sind. "
        "Bitte kreuzen Sie bei jeder Frage eine Antwort an.</p>"
        f'<p class="hinweis">Codebuch-Stand {_codebuch_version()} · Die Zeichen in eckigen '
        "Klammern sind die Variablennamen für die Dateneingabe.</p></div>",
    ]
    nummer = 1
    for ziel, felder in _abschnitte():
        gefragt = [f for f in felder if welle in f.wellen]
        if not gefragt:
            continue
        teile.append(f"<h2>{_e(_ABSCHNITTE[ziel])}</h2>")
        for block in _blockweise(gefragt):
            if len(block) > 1:
                teile.append(_html_matrix(block, nummer))
            else:
                teile.append(_html_feld(block[0], nummer, welle))
            nummer += len(block)
    teile.append("<p>Vielen Dank für Ihre Antworten!</p></body></html>")
    return "\n".join(teile)


# -- all of them --------------------------------------------------------------------------------
def frageboegen() -> dict[str, bytes]:
    """File name → content of every generated questionnaire (CLI and import page)."""
    inhalte = {
        DATEINAMEN["xlsform"]: xlsform_bytes(),
        DATEINAMEN["limesurvey"]: limesurvey_txt(),
        DATEINAMEN["limesurvey_zuordnung"]: limesurvey_zuordnung_csv(),
    }
    for welle in schema.WELLEN:
        inhalte[DATEINAMEN[welle]] = fragebogen_html(welle).encode("utf-8")
    return inhalte


def schreibe_frageboegen(ordner: str | os.PathLike[str]) -> list[Path]:
    """Write every questionnaire into ``ordner`` (created if missing); returns the paths."""
    ziel = Path(ordner)
    ziel.mkdir(parents=True, exist_ok=True)
    pfade = []
    for name, inhalt in frageboegen().items():
        pfad = ziel / name
        pfad.write_bytes(inhalt)
        pfade.append(pfad)
    return pfade

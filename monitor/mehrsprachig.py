"""The questionnaire in every language outside the dashboard: XLSForm and print version.

Why: a site that does use KoboToolbox/ODK, or paper, must offer the same languages as the
link questionnaire, with the same answer codes. Both are built from the same translation files
(:mod:`monitor.uebersetzung`):

* :func:`xlsform_mehrsprachig` takes the German XLSForm of :mod:`monitor.umfragen.fragebogen_aus`
  unchanged and adds ``label::Sprache (code)``, ``hint::…`` and ``constraint_message::…``
  columns (XLSForm's language convention), German being the default language. Texts outside
  the translation files (section titles, the site and wave questions of the tool form) stay
  German in every language.
* :func:`druckfassung_html` prints one wave in one language: privacy notice, code, every
  question block of the link questionnaire with tick boxes; right to left for Arabic and Farsi,
  and the draft note for draft languages.
"""

from __future__ import annotations

import html
import io

from openpyxl import load_workbook

from monitor import erhebung
from monitor import uebersetzung as ue
from monitor.umfragen.fragebogen_aus import CODE_HINWEIS, xlsform_bytes

#: Texts of the tool form that say the same as a text of the translation files.
_GLEICHBEDEUTEND = {CODE_HINWEIS: ue.T_CODE_ERKLAERUNG}
_UEBERSETZT = ("label", "hint", "constraint_message")


#: XLSForm wants an IANA language subtag in brackets; Leichte Sprache has none of its own.
_IANA = {"leicht": "de"}


def sprachspalte(code: str) -> str:
    """XLSForm's language label, e.g. ``Deutsch (de)``, ``Leichte Sprache (de)``."""
    return f"{ue.SPRACHEN[code].name_deutsch} ({_IANA.get(code, code)})"


def _text(code: str, deutsch: str) -> str:
    schluessel = _GLEICHBEDEUTEND.get(deutsch, deutsch)
    uebersetzt = ue.uebersetzungen(code).get(schluessel)
    return uebersetzt if uebersetzt is not None else deutsch


def xlsform_mehrsprachig() -> bytes:
    """The XLSForm with every shipped language (German default), as XLSX bytes."""
    mappe = load_workbook(io.BytesIO(xlsform_bytes()))
    for name in ("survey", "choices"):
        blatt = mappe[name]
        kopf = [zelle.value for zelle in blatt[1]]
        for spalte in _UEBERSETZT:
            if spalte not in kopf:
                continue
            nummer = kopf.index(spalte) + 1
            blatt.cell(1, nummer).value = f"{spalte}::{sprachspalte('de')}"
            for code in ue.SPRACHEN:
                if code == "de":
                    continue
                neu = blatt.max_column + 1
                blatt.cell(1, neu).value = f"{spalte}::{sprachspalte(code)}"
                for zeile in range(2, blatt.max_row + 1):
                    deutsch = blatt.cell(zeile, nummer).value
                    if deutsch:
                        blatt.cell(zeile, neu).value = _text(code, str(deutsch))
    einstellungen = mappe["settings"]
    spalte = einstellungen.max_column + 1
    einstellungen.cell(1, spalte).value = "default_language"
    einstellungen.cell(2, spalte).value = sprachspalte("de")
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


_STIL = """
body { font-family: sans-serif; max-width: 46rem; margin: 1.5rem auto; color: #111; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.5rem; }
.frage { page-break-inside: avoid; margin: .8rem 0; }
.antwort { display: inline-block; margin: .2rem 1.2rem .2rem 0; }
.feld { display: inline-block; min-width: 12rem; border-bottom: 1px solid #000; height: 1.4rem; }
.hinweis { font-size: .9rem; color: #333; }
"""


def druckfassung_html(welle: str, code: str) -> str:
    """The printable questionnaire of one wave in one language (answer codes as on the page)."""
    sprache = ue.SPRACHEN[code]

    def t(text: str, **werte: object) -> str:
        return html.escape(ue.uebersetze(code, text, **werte))

    teile = [f"<h1>{t(ue.T_TITEL)} – {html.escape(welle)}</h1>"]
    if sprache.entwurf:
        teile.append(f'<p class="hinweis">{t(ue.T_ENTWURF)}</p>')
    teile.append(f"<h2>{t(ue.T_DATENSCHUTZ)}</h2>")
    verantwortlich = ue.uebersetze(code, ue.T_TRAEGER)
    teile.append(f"<p>{t(ue.T_WER, verantwortlich=verantwortlich, standort='…')}</p>")
    teile += [f"<p>{t(text)}</p>" for text in (ue.T_WAS, ue.T_WARUM, ue.T_WIE_LANGE, ue.T_RECHTE)]
    teile.append(f"<h2>{t(ue.T_CODE)}</h2><p>{t(ue.T_CODE_ERKLAERUNG)}</p>")
    teile.append('<p><span class="feld"></span></p>')
    teile.append(f'<p class="hinweis">{t(ue.T_FREIWILLIG)}</p>')
    for titel, felder in erhebung.bloecke(welle):
        teile.append(f"<h2>{t(titel)}</h2>")
        for feld in felder:
            pflicht = " *" if erhebung.ist_pflicht(feld, welle) else ""
            teile.append(f'<div class="frage"><p><strong>{t(feld.frage)}{pflicht}</strong></p>')
            if feld.werte:
                teile += [
                    f'<span class="antwort">☐ {t(label)}</span>'
                    for label in (feld.labels or feld.werte)
                ]
            else:
                teile.append('<span class="feld"></span>')
            teile.append("</div>")
    richtung = "rtl" if sprache.rtl else "ltr"
    return (
        f'<!DOCTYPE html><html lang="{code if code != "leicht" else "de"}" dir="{richtung}">'
        f'<head><meta charset="utf-8"><title>{t(ue.T_TITEL)}</title><style>{_STIL}</style>'
        f"</head><body>{''.join(teile)}</body></html>"
    )

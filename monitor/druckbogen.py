"""QR codes (PNG and SVG) and one printable A4 sheet per site for the questionnaire links.

Why: "a new site can collect T0 and T1 with nothing but printed QR codes and phones". The
sheet is plain HTML with the QR codes inline as SVG (sharp at any print size, no PDF library);
it is printed from any browser on A4. It names the languages of the questionnaire and says
which are drafts, as the page does.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno

from monitor.uebersetzung import SPRACHEN

#: Error correction "M" (15 %): survives a crease or a stain on a printed poster.
FEHLERKORREKTUR = "m"


@dataclass(frozen=True, slots=True)
class LinkAusgabe:
    """One new link to hand out: site, wave, URL, until when."""

    standort: str
    standortname: str
    welle: str
    url: str
    gueltig_bis: date


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error=FEHLERKORREKTUR, micro=False)


def qr_png(url: str) -> bytes:
    """The QR code of a link as PNG bytes (for showing and downloading in the dashboard)."""
    puffer = io.BytesIO()
    _qr(url).save(puffer, kind="png", scale=10, border=4)
    return puffer.getvalue()


def schreibe_qr(ordner: Path, link: LinkAusgabe) -> tuple[Path, Path]:
    """Write ``<STANDORT>_<WELLE>.png`` and ``.svg``; returns both paths."""
    ordner.mkdir(parents=True, exist_ok=True)
    code = _qr(link.url)
    png = ordner / f"{link.standort}_{link.welle}.png"
    svg = ordner / f"{link.standort}_{link.welle}.svg"
    code.save(png, kind="png", scale=10, border=4)
    code.save(svg, kind="svg", scale=10, border=4, title=f"{link.standort} {link.welle}")
    return png, svg


_STIL = """
@page { size: A4; margin: 15mm; }
body { font-family: sans-serif; color: #111; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
.welle { page-break-inside: avoid; border: 1px solid #999; padding: 6mm; margin: 0 0 6mm; }
.welle svg { width: 60mm; height: 60mm; float: left; margin-right: 6mm; }
.welle p { margin: 0 0 2mm; }
.url { font-family: monospace; font-size: 9pt; word-break: break-all; }
.entwurf { font-size: 9pt; color: #444; }
.clear { clear: both; }
"""

_WELLEN_TEXT = {
    "T0": "T0 – zu Beginn des Angebots",
    "T1": "T1 – am Ende des Angebots",
    "T2": "T2 – Nachbefragung nach 3–6 Monaten",
}


def druckbogen_html(standortname: str, links: list[LinkAusgabe]) -> str:
    """The A4 sheet of one site: a QR code with its URL per wave, languages, draft note."""
    sprachen = ", ".join(f"{s.name}{' (Entwurf)' if s.entwurf else ''}" for s in SPRACHEN.values())
    entwuerfe = ", ".join(s.name_deutsch for s in SPRACHEN.values() if s.entwurf)
    bloecke = []
    for link in links:
        svg = _qr(link.url).svg_inline(scale=4, border=4)
        bloecke.append(
            f'<div class="welle">{svg}'
            f"<p><strong>{html.escape(_WELLEN_TEXT.get(link.welle, link.welle))}</strong></p>"
            "<p>Mit dem Handy scannen und den Fragebogen ausfüllen – anonym, etwa 10 Minuten.</p>"
            f"<p>Sprachen: {html.escape(sprachen)}</p>"
            f'<p class="url">{html.escape(link.url)}</p>'
            f"<p>Gültig bis {link.gueltig_bis:%d.%m.%Y}</p>"
            '<div class="clear"></div></div>'
        )
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>Fragebogen – {html.escape(standortname)}</title><style>{_STIL}</style>"
        f"</head><body><h1>Fragebogen – {html.escape(standortname)}</h1>"
        + "".join(bloecke)
        + f'<p class="entwurf">Die Übersetzungen ({html.escape(entwuerfe)}) sind Entwürfe und '
        "werden noch von Muttersprachler*innen geprüft.</p></body></html>"
    )


def schreibe_druckboegen(ordner: Path, links: list[LinkAusgabe]) -> list[Path]:
    """QR codes for every link and one ``bogen_<STANDORT>.html`` per site; returns the sheets."""
    je_standort: dict[str, list[LinkAusgabe]] = {}
    for link in links:
        schreibe_qr(ordner, link)
        je_standort.setdefault(link.standort, []).append(link)
    boegen = []
    for standort, eigene in je_standort.items():
        pfad = ordner / f"bogen_{standort}.html"
        pfad.write_text(druckbogen_html(eigene[0].standortname, eigene), encoding="utf-8")
        boegen.append(pfad)
    return boegen

"""The PDF Wirkungsbericht for project leads and funders (issue 16), typeset with typst.

What it holds: a cover (project, view, selection, data status, "bewertet am"), the status of
the impact goals a–c with a bar chart of each goal's indicators, the site comparison and the
methods in plain German.

Why it is built the way it is:

* **Protected like the view it is made from.** Every number comes from the same released
  tables as the Excel report (:func:`monitor.bericht._daten_erheben`, which reads through
  :func:`monitor.sicht.ansicht`): for a funder the jointly protected lattice, for project roles
  their sites and approved quarters. Nothing here touches the engine or the database tables
  of answers. A suppressed cell reads "< 5" / "< 10" (too few persons / pairs) or "•" (hidden
  to protect another cell), never 0.
* **Data text cannot become markup.** Site names and other imported text reach typst only as
  string literals (:func:`typst_text`), which typst shows verbatim: a site called ``#eval(…)``
  or ``*x*`` prints exactly so. Text inside the SVG charts is XML-escaped.
* **No network, reproducible.** The ``typst`` package has the compiler built in; only its
  embedded fonts are used (no system fonts, no packages from the typst registry), so the same
  data give the same PDF on every machine.
* **Status never by colour alone**: every status shows its symbol (✓ ↗ ! ✕ ○) and word beside
  the colour-blind-safe colour (:data:`indikatoren.zielerreichung.STATUS_FARBEN`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

import pandas as pd

from indikatoren.definitionen import ZIEL_BESCHREIBUNG, ZIEL_NAMEN, Indikator, Ziel
from indikatoren.engine import SEKUNDAER
from indikatoren.katalog import INDIKATOREN
from indikatoren.unterdrueckung import GESAMT, Schwellen
from indikatoren.zielerreichung import (
    REGEL_TEXT,
    STATUS_FARBEN,
    STATUS_SYMBOL,
    Status,
    bewertungs_text,
    ziel_zusammenfassung,
)
from monitor.ausgabe import SEKUNDAER_MARKE, markierung, zahl_de
from monitor.benutzer import Zugriff
from monitor.bericht import FOERDERAUFRUF, STATISTIK_REGELN, _Daten, _daten_erheben
from monitor.bestand import hat_demo
from monitor.db import Datenbank

#: Embedded typst fonts only (see the module docstring); DejaVu Sans Mono has the symbols.
SCHRIFTEN = ("Libertinus Serif", "DejaVu Sans Mono")
#: PDF/A-2a (archivable, tagged) and PDF/UA-1 (accessible: structure, language, alt texts).
#: typst refuses to compile a document that breaks them, e.g. an image without alt text.
PDF_STANDARDS = ["a-2a", "ua-1"]
KEIN_WERT = "–"
KEIN_ZIELWERT = "kein Zielwert"
_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def typst_text(text: object) -> str:
    """``text`` as a typst string literal: shown verbatim, never read as markup or code.

    Inside a string literal only backslash and double quote are special (plus line breaks,
    written as escapes); control characters are dropped.
    """
    roh = _STEUERZEICHEN.sub("", str(text))
    roh = roh.replace("\\", "\\\\").replace('"', '\\"')
    roh = roh.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return '"' + roh.replace("\n", "\\n") + '"'


def zahl(wert: Any, stellen: int = 1) -> str:
    """German number with a real minus sign ("−0,1"); "–" for no value."""
    if wert is None or wert is pd.NA or (isinstance(wert, float) and math.isnan(wert)):
        return KEIN_WERT
    text = zahl_de(wert, stellen)
    return "−" + text[1:] if text.startswith("-") else text


def _prozent(wert: Any) -> str:
    return KEIN_WERT if _leer(wert) else f"{zahl(wert, 0)}\u00a0%"


def _leer(wert: Any) -> bool:
    return wert is None or wert is pd.NA or (isinstance(wert, float) and math.isnan(wert))


def status_text(status: str) -> str:
    """ "✓ erreicht" — the symbol beside the word, so status never relies on colour."""
    return f"{STATUS_SYMBOL[Status(status)]} {status}"


def _marke(zeile: dict[str, Any], schwellen: Schwellen, indikator: Indikator) -> str:
    """The mark of a suppressed cell: "•" hidden to protect another, else "< 5" / "< 10"."""
    if zeile.get("sperrgrund") == SEKUNDAER:
        return SEKUNDAER_MARKE
    return markierung(schwellen, paare=indikator.vorher_nachher)


def _datum(tag: date | datetime | None) -> str:
    if tag is None or tag is pd.NaT:
        return KEIN_WERT
    if isinstance(tag, datetime):
        return tag.strftime("%d.%m.%Y, %H:%M Uhr")
    return tag.strftime("%d.%m.%Y")


# -- SVG charts --------------------------------------------------------------------------------
_SVG_SCHRIFT = "'Libertinus Serif', 'DejaVu Sans Mono'"


def balken_svg(zeilen: Sequence[tuple[str, float | None, str, str]]) -> str:
    """Horizontal bars of goal attainment (0–100 %, longer bars cut at 120 %).

    ``zeilen``: (label, attainment in % or None, status, text beside the bar). The bar has the
    status colour, the text beside it the symbol and number, so the chart reads in grey too.
    """
    links, breite, zeile_h, oben = 190.0, 220.0, 18.0, 14.0
    hoehe = oben + zeile_h * len(zeilen) + 18
    gesamt_breite = links + breite * 1.2 + 110
    skala = breite / 100
    teile = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{gesamt_breite:.0f}" '
        f'height="{hoehe:.0f}" viewBox="0 0 {gesamt_breite:.0f} {hoehe:.0f}" '
        f'font-family="{_SVG_SCHRIFT}" font-size="9">'
    ]
    unten = oben + zeile_h * len(zeilen)
    for prozent in (0, 50, 100):
        x = links + prozent * skala
        strich = "#4A4D57" if prozent == 100 else "#BBBBBB"
        teile.append(
            f'<line x1="{x:.1f}" y1="{oben - 4:.1f}" x2="{x:.1f}" y2="{unten:.1f}" '
            f'stroke="{strich}" stroke-width="{1 if prozent == 100 else 0.5}"/>'
            f'<text x="{x:.1f}" y="{unten + 11:.1f}" text-anchor="middle" fill="#4A4D57">'
            f"{prozent}\u00a0%</text>"
        )
    for nummer, (label, wert, status, text) in enumerate(zeilen):
        y = oben + nummer * zeile_h
        teile.append(
            f'<text x="{links - 6:.1f}" y="{y + 12:.1f}" text-anchor="end" fill="#2F2D2B">'
            f"{escape(label)}</text>"
        )
        laenge = 0.0 if wert is None else min(max(wert, 0.0), 120.0) * skala
        farbe = STATUS_FARBEN[Status(status)]
        if laenge > 0:
            teile.append(
                f'<rect x="{links:.1f}" y="{y + 3:.1f}" width="{laenge:.1f}" height="12" '
                f'fill="{farbe}" stroke="#2F2D2B" stroke-width="0.4"/>'
            )
        symbol = STATUS_SYMBOL[Status(status)]
        rest = text.removeprefix(symbol)
        teile.append(
            f'<text x="{links + laenge + 4:.1f}" y="{y + 12:.1f}" fill="#2F2D2B">'
            f"<tspan font-family=\"'DejaVu Sans Mono'\">{escape(symbol)}</tspan>"
            f"{escape(rest)}</text>"
        )
    teile.append("</svg>")
    return "".join(teile)


def _bild(svg: str, alt: str) -> str:
    return f'#figure(image(bytes({typst_text(svg)}), format: "svg", alt: {typst_text(alt)}))\n'


# -- typst building blocks ---------------------------------------------------------------------
def _tabelle(
    kopf: Sequence[str],
    zeilen: Iterable[Sequence[str | tuple[str, str]]],
    spalten: str,
    *,
    rechts: Sequence[int] = (),
) -> str:
    """A typst table; a cell is text or (text, fill colour). Header repeated on every page."""
    ausrichtung = ", ".join("right" if i in rechts else "left" for i in range(len(kopf)))
    teile = [
        f"#table(columns: {spalten}, align: ({ausrichtung},), inset: 3pt, stroke: 0.4pt + "
        'rgb("#999999"),\n  table.header('
        + ", ".join(f"strong({typst_text(k)})" for k in kopf)
        + "),\n"
    ]
    for zeile in zeilen:
        zellen = []
        for zelle in zeile:
            if isinstance(zelle, tuple):
                text, farbe = zelle
                schrift = "white" if _dunkel(farbe) else "black"
                zellen.append(
                    f"table.cell(fill: rgb({typst_text(farbe)}), "
                    f"text(fill: {schrift}, {typst_text(text)}))"
                )
            else:
                zellen.append(typst_text(zelle))
        teile.append("  " + ", ".join(zellen) + ",\n")
    teile.append(")\n")
    return "".join(teile)


def _dunkel(farbe: str) -> bool:
    r, g, b = (int(farbe.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b < 150


def _absatz(text: str) -> str:
    return f"#par({typst_text(text)})\n"


def _ueberschrift(text: str, ebene: int = 1) -> str:
    return f"#heading(level: {ebene}, {typst_text(text)})\n"


def _ziel_label(ziel: Ziel) -> str:
    return f"{ziel.value}) {ZIEL_NAMEN[ziel]}"


# -- sections ----------------------------------------------------------------------------------
def _sicht_text(zugriff: Zugriff | None, als: str | None) -> str:
    wer = f" ({als})" if als else ""
    if zugriff is None:
        return "vollständige Sicht (Kommandozeile ohne Benutzer): alle Standorte und Quartale"
    if zugriff.geschuetzt:
        return (
            f"geschützte, zusammengefasste Sicht{wer}: nur freigegebene Quartale, Werte aus der "
            "gemeinsam geschützten Tabelle"
        )
    teile = [f"projektinterne Sicht{wer}"]
    if zugriff.standorte is not None:
        teile.append(f"Standorte {', '.join(zugriff.standorte)}")
    if zugriff.nur_freigegeben:
        teile.append("nur freigegebene Quartale")
    return ", ".join(teile)


def _deckblatt(
    db: Datenbank, d: _Daten, projektname: str, heute: date, sicht_text: str, geschuetzt: bool
) -> str:
    f = d.filter_
    if f.von or f.bis:
        zeitraum = (
            f"{_datum(f.von) if f.von else 'Beginn'} bis {_datum(f.bis) if f.bis else 'heute'}"
        )
    else:
        zeitraum = "gesamter Datenbestand"
    if f.standorte:
        standorte = "; ".join(f"{s} ({d.name(s)})" for s in f.standorte)
    else:
        standorte = f"alle ({len(d.namen)} Standorte)"
    if geschuetzt:  # import times are no data of an approved quarter
        datenstand = "in dieser geschützten Fassung nicht ausgewiesen"
    else:
        letzter = db.scalar("SELECT max(zeitpunkt) FROM importe")
        datenstand = f"letzter Import {_datum(letzter)}" if letzter else "noch kein Import"
    angaben = [
        ("Projekt", projektname),
        ("Förderaufruf", FOERDERAUFRUF),
        ("Sicht", sicht_text),
        ("Standorte", standorte),
        ("Zeitraum", zeitraum),
        ("Datenstand", datenstand),
        ("Bewertet am", _datum(d.haupt.bewertet_am or d.stichtag)),
        ("Erstellt am", _datum(heute)),
    ]
    teile = [
        f'#align(center, text(size: 22pt, weight: "bold", {typst_text(projektname)}))\n',
        '#align(center, text(size: 16pt, "Wirkungsbericht"))\n#v(1.5em)\n',
        "#table(columns: (9em, 1fr), stroke: none, inset: 4pt,\n",
    ]
    for name, wert in angaben:
        teile.append(f"  strong({typst_text(name)}), {typst_text(wert)},\n")
    teile.append(")\n")
    teile.append(_absatz(bewertungs_text(d.haupt.bewertet_am, bool(f.von or f.bis))))
    if hat_demo(db, standorte=list(d.namen) or None):
        teile.append(_absatz("Hinweis: Der Bericht enthält Demo-Daten (erfundene Beispieldaten)."))
    teile.append(_absatz(_legende(d.schwellen)))
    return "".join(teile)


def _legende(s: Schwellen) -> str:
    return (
        f"Zeichen: „< {s.min_personen}“ = aus Datenschutzgründen nicht ausgewiesen, weniger als "
        f"{s.min_personen} Personen (bei Vorher-Nachher-Veränderungen „< {s.min_paare}“: "
        f"weniger als {s.min_paare} Paare); „{SEKUNDAER_MARKE}“ = ausgeblendet, damit sich ein "
        f"kleiner Wert nicht zurückrechnen lässt; „{KEIN_WERT}“ = kein Wert. Keines davon ist 0. "
        "Status: ✓ erreicht, ↗ auf Kurs, ! Verzug, ✕ kritisch, ○ keine Daten bzw. kein Zielwert."
    )


def _ziele(d: _Daten) -> str:
    t = d.haupt.indikatoren
    t = t[(t["standort"] == d.bezug) & (t["gruppe"] == GESAMT) & (t["periode"] == GESAMT)]
    zeilen_von = {str(z["indikator"]): z for z in t.to_dict("records")}
    wessen = "ganzes Projekt bzw. Auswahl" if d.bezug == GESAMT else f"Standort {d.name(d.bezug)}"
    teile = [_ueberschrift(f"Stand der Wirkungsziele ({wessen})")]
    staende = ziel_zusammenfassung(d.haupt.indikatoren, d.bezug)
    teile.append(
        _tabelle(
            ["Wirkungsziel", "Zielerreichung", "Status", "Indikatoren mit Zielwert"],
            (
                [
                    _ziel_label(st.ziel),
                    _prozent(st.zielerreichung),
                    (status_text(st.status), STATUS_FARBEN[st.status]),
                    str(sum(st.anzahl.values())),
                ]
                for st in staende
            ),
            "(1fr, auto, auto, auto)",
            rechts=(1, 3),
        )
    )
    teile.append(_absatz("Regel: " + REGEL_TEXT))
    for ziel in Ziel:
        teile.append(_ueberschrift(f"Wirkungsziel {_ziel_label(ziel)}", 2))
        teile.append(_absatz(ZIEL_BESCHREIBUNG[ziel]))
        balken: list[tuple[str, float | None, str, str]] = []
        tabelle: list[list[str | tuple[str, str]]] = []
        for ind in (i for i in INDIKATOREN if i.ziel is ziel):
            z = zeilen_von.get(ind.id, {})
            aus = bool(z.get("unterdrueckt", False))
            marke = _marke(z, d.schwellen, ind) if aus else ""
            hat_ziel = not _leer(z.get("zielwert"))
            status = str(z.get("status") or Status.KEINE_DATEN)
            erreichung = None if _leer(z.get("zielerreichung")) else float(z["zielerreichung"])
            wort = status_text(status) if hat_ziel else f"○ {KEIN_ZIELWERT}"
            ist = marke or zahl(z.get("wert"), ind.dezimalstellen)
            if hat_ziel:
                neben = marke or (_prozent(erreichung) if erreichung is not None else KEIN_WERT)
                balken.append(
                    (f"{ind.id} {ind.name}"[:42], erreichung, status, f"{wort} · {neben}")
                )
            tabelle.append(
                [
                    ind.id,
                    ind.name,
                    ind.einheit,
                    zahl(z.get("basiswert"), ind.dezimalstellen),
                    zahl(z.get("zielwert"), ind.dezimalstellen),
                    ist,
                    marke or zahl(z.get("n"), 0),
                    _prozent(erreichung) if hat_ziel and not marke else (marke or KEIN_WERT),
                    (wort, STATUS_FARBEN[Status(status)]),
                ]
            )
        if balken:
            alt = f"Balkendiagramm Zielerreichung Ziel {ziel.value}: " + "; ".join(
                f"{label}: {text}" for label, _, _, text in balken
            )
            teile.append(_bild(balken_svg(balken), alt))
        else:
            teile.append(_absatz("Für dieses Ziel sind keine Zielwerte gesetzt."))
        teile.append(
            _tabelle(
                ["ID", "Indikator", "Einheit", "Basis", "Ziel", "Ist", "n", "Erreichung", "Status"],
                tabelle,
                "(auto, 1fr, auto, auto, auto, auto, auto, auto, auto)",
                rechts=(3, 4, 5, 6, 7),
            )
        )
    return "".join(teile)


def _standorte(d: _Daten) -> str:
    """Sites × goals: each site's goal attainment and status against its own targets."""
    t = d.haupt.indikatoren
    t = t[(t["standort"] != GESAMT) & (t["gruppe"] == GESAMT) & (t["periode"] == GESAMT)]
    standorte = sorted(set(t["standort"]))
    teile = [_ueberschrift("Standortvergleich")]
    if not standorte:
        teile.append(_absatz("In dieser Auswahl gibt es keine Standorte mit Werten."))
        return "".join(teile)
    teile.append(
        _absatz(
            "Zielerreichung je Standort und Wirkungsziel, gemessen an den Zielwerten des "
            "Standorts (Mittel seiner Indikatoren mit Zielwert, je höchstens 100 %). "
            f"„○ {KEIN_ZIELWERT}“: Für den Standort sind zu diesem Ziel keine Zielwerte gesetzt."
        )
    )
    gruppen = {s: teil for s, teil in t[t["zielwert"].notna()].groupby("standort", sort=False)}
    zeilen = []
    for standort in standorte:
        teil = gruppen.get(standort)
        zeile: list[str | tuple[str, str]] = [standort, d.name(standort)]
        if teil is None:
            farbe = STATUS_FARBEN[Status.KEINE_DATEN]
            zeile += [(f"○ {KEIN_ZIELWERT}", farbe)] * len(Ziel)
        else:
            for st in ziel_zusammenfassung(teil, standort):
                if sum(st.anzahl.values()) == 0:
                    text = f"○ {KEIN_ZIELWERT}"
                elif st.zielerreichung is None:
                    text = status_text(st.status)
                else:
                    text = f"{status_text(st.status)} · {_prozent(st.zielerreichung)}"
                zeile.append((text, STATUS_FARBEN[st.status]))
        zeilen.append(zeile)
    teile.append(
        _tabelle(
            ["ID", "Standort", *(f"Ziel {_ziel_label(z)}" for z in Ziel)],
            zeilen,
            "(auto, 1fr, auto, auto, auto)",
        )
    )
    return "".join(teile)


def _methodik(d: _Daten) -> str:
    s = d.schwellen
    teile = [_ueberschrift("Methodik in Kürze")]
    regeln = [
        *(
            (titel, text)
            for titel, text in STATISTIK_REGELN
            if titel != "Meta-Analyse der Standorte"
        ),
        (
            "Schutz kleiner Zahlen",
            f"Werte, die auf weniger als {s.min_personen} Personen beruhen (Vorher-Nachher: "
            f"weniger als {s.min_paare} Paare), werden nicht gezeigt. Ließe sich ein solcher "
            "Wert aus einer Summe zurückrechnen, werden weitere Werte ausgeblendet („•“). "
            "Fördergeber erhalten nur Auswahlen aus einer gemeinsam geschützten Tabelle (ein "
            "Standort oder alle, ganzer freigegebener Zeitraum oder ein Quartal), so dass sich "
            "auch durch Vergleich mehrerer Berichte kein kleiner Wert ergibt. Dieser Bericht ist "
            "genauso geschützt wie die Ansicht, aus der er erstellt wurde.",
        ),
    ]
    for titel, text in regeln:
        teile.append(f"#par([#strong({typst_text(titel)}): #{typst_text(text)}])\n")
    return "".join(teile)


def _quelltext(
    db: Datenbank,
    d: _Daten,
    projektname: str,
    heute: date,
    zugriff: Zugriff | None,
    als: str | None,
) -> str:
    kopf = (
        f"#set document(title: {typst_text(projektname + ' – Wirkungsbericht')}, "
        'author: "Wirkungsmonitor")\n'
        f'#set text(lang: "de", font: ({", ".join(typst_text(x) for x in SCHRIFTEN)}), '
        "size: 10pt)\n"
        '#set page(paper: "a4", margin: (x: 2cm, y: 2.2cm), '
        f"header: align(right, text(size: 8pt, {typst_text(projektname + ' – Wirkungsbericht')})), "
        'footer: context align(center, text(size: 8pt, "Seite " + '
        'str(counter(page).get().first()) + " von " + str(counter(page).final().first()))))\n'
        "#set par(justify: false, spacing: 0.9em)\n"
        '#set heading(numbering: "1.1")\n'
        "#show heading.where(level: 1): it => { pagebreak(weak: true); it }\n"
    )
    return "".join(
        [
            kopf,
            _deckblatt(
                db,
                d,
                projektname,
                heute,
                _sicht_text(zugriff, als),
                zugriff is not None and zugriff.geschuetzt,
            ),
            _ziele(d),
            _standorte(d),
            _methodik(d),
        ]
    )


# -- public API --------------------------------------------------------------------------------
def pdf_bytes(
    db: Datenbank,
    filter_: Any = None,
    *,
    projektname: str = "Wirkungsmonitor",
    heute: date | None = None,
    zugriff: Zugriff | None = None,
    als: str | None = None,
) -> bytes:
    """The PDF Wirkungsbericht of the selection as ``zugriff`` sees it (None = everything).

    ``als`` names the user on the cover ("Sicht"); ``heute`` as in
    :func:`monitor.bericht.bericht_bytes` (creation date and reference date of the status).
    Raises :class:`indikatoren.schutzgitter.AuswahlFehler` for a selection a protected view may
    not make, exactly like the Excel report.
    """
    import typst

    schwellen = Schwellen.aus_umgebung()
    daten = _daten_erheben(db, filter_, heute, schwellen, zugriff, vollstaendig=False)
    quelle = _quelltext(db, daten, projektname, heute or date.today(), zugriff, als)
    zeit = datetime.combine(heute or date.today(), datetime.min.time(), tzinfo=UTC)
    return typst.compile(
        quelle.encode("utf-8"),
        ignore_system_fonts=True,
        timestamp=zeit,
        pdf_standards=PDF_STANDARDS,
    )


def schreibe_pdf(
    db: Datenbank,
    ziel: Path | BinaryIO,
    filter_: Any = None,
    **optionen: Any,
) -> None:
    """Write :func:`pdf_bytes` to a file or stream."""
    inhalt = pdf_bytes(db, filter_, **optionen)
    if isinstance(ziel, str | Path):
        Path(ziel).write_bytes(inhalt)
    else:
        ziel.write(inhalt)

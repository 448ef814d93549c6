"""Commands of the questionnaire in the monitor (issue 17): ``links`` and ``eingang``.

``links`` hands out one URL per site and wave with its QR code and an A4 sheet per site.
Tokens are stored only as hashes, so a URL can be shown only when it is created: an existing
active link is listed (site, wave, valid until) and replaced only with ``--neu``, which makes
the old printed codes invalid — on purpose, that is how a leaked link is withdrawn.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from monitor import erhebung, schema
from monitor.audit import KOMMANDOZEILE
from monitor.cli import CliFehler, _datum, befehl, bekannte_standorte, datenbank
from monitor.druckbogen import LinkAusgabe, schreibe_druckboegen

#: Where the dashboard is reachable for participants (the links point there).
URL_VARIABLE = "MONITOR_URL"
STANDARD_URL = "http://localhost:8501"


def _links_argumente(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--standort", nargs="+", default=[], metavar="ID", help="nur diese")
    parser.add_argument(
        "--welle", nargs="+", default=[], choices=schema.WELLEN, help="nur diese Wellen"
    )
    parser.add_argument(
        "--basis-url",
        help=f"Adresse des Dashboards für Teilnehmende (sonst {URL_VARIABLE} oder {STANDARD_URL})",
    )
    parser.add_argument("--gueltig-bis", type=_datum, help="letzter gültiger Tag (JJJJ-MM-TT)")
    parser.add_argument(
        "--ordner", help="Ordner für QR-Codes und Druckbögen (sonst fragebogen-links/ bei der DB)"
    )
    parser.add_argument(
        "--neu",
        action="store_true",
        help="auch für Standorte/Wellen mit gültigem Link einen neuen anlegen (der alte wird "
        "ungültig)",
    )
    parser.add_argument(
        "--widerrufen", action="store_true", help="die Links der Auswahl widerrufen"
    )


@befehl(
    "links",
    "Fragebogen-Links je Standort und Welle anlegen (URL, QR-Code PNG/SVG, A4-Druckbogen), "
    "auflisten oder widerrufen",
    _links_argumente,
)
def _links(args: argparse.Namespace) -> int:
    with datenbank(args) as db:
        assert db is not None
        standorte = bekannte_standorte(args.standort, db) or tuple(
            zeile[0] for zeile in db.rows("SELECT standort FROM standorte ORDER BY standort")
        )
        if not standorte:
            raise CliFehler(
                "In der Datenbank gibt es noch keine Standorte – zuerst eine Standortliste "
                "importieren (python -m monitor import standorte.csv)."
            )
        wellen = tuple(args.welle) or schema.WELLEN
        if args.widerrufen:
            for standort in standorte:
                for welle in wellen:
                    anzahl = erhebung.link_widerrufen(db, standort, welle, wer=KOMMANDOZEILE)
                    if anzahl:
                        print(f"{standort} {welle}: Link widerrufen.")
            return 0
        basis = args.basis_url or os.environ.get(URL_VARIABLE) or STANDARD_URL
        if "localhost" in basis or "127.0.0.1" in basis:
            print(
                f"Hinweis: Die Links zeigen auf {basis} – das erreichen Handys nicht. Für echte "
                f"Befragungen --basis-url oder {URL_VARIABLE} auf die öffentliche Adresse setzen.",
                file=sys.stderr,
            )
        aktiv = {
            (link.standort, link.welle): link for link in erhebung.links(db, standorte, wellen)
        }
        neu: list[LinkAusgabe] = []
        for standort in standorte:
            name = erhebung.standortname(db, standort)
            for welle in wellen:
                vorhanden = aktiv.get((standort, welle))
                if vorhanden and not args.neu:
                    print(
                        f"{standort} {welle}: gültiger Link vorhanden (bis "
                        f"{vorhanden.gueltig_bis:%d.%m.%Y}); die Adresse ist nur als Hash "
                        "gespeichert – mit --neu einen neuen anlegen (der alte wird ungültig)."
                    )
                    continue
                token = erhebung.link_anlegen(
                    db, standort, welle, gueltig_bis=args.gueltig_bis, wer=KOMMANDOZEILE
                )
                link = erhebung.link_pruefen(db, token)
                neu.append(
                    LinkAusgabe(
                        standort, name, welle, erhebung.adresse(basis, token), link.gueltig_bis
                    )
                )
                print(f"{standort} {welle}: {neu[-1].url}")
        if neu:
            ordner = Path(args.ordner) if args.ordner else db.pfad.parent / "fragebogen-links"
            boegen = schreibe_druckboegen(ordner, neu)
            print(
                f"QR-Codes (PNG, SVG) und {len(boegen)} Druckbogen/-bögen in '{ordner}'. "
                "Die Adressen werden nicht gespeichert: diese Dateien gut aufbewahren."
            )
    return 0


def _eingang_argumente(parser: argparse.ArgumentParser) -> None:
    gruppe = parser.add_mutually_exclusive_group()
    gruppe.add_argument("--uebernehmen", type=int, metavar="NR", help="Eintrag importieren")
    gruppe.add_argument("--verwerfen", type=int, metavar="NR", help="Eintrag verwerfen")


@befehl(
    "eingang",
    "Posteingang der Fragebogen-Links (gesperrtes Quartal, Code schon vorhanden): auflisten, "
    "übernehmen oder verwerfen",
    _eingang_argumente,
)
def _eingang(args: argparse.Namespace) -> int:
    with datenbank(args) as db:
        assert db is not None
        if args.uebernehmen or args.verwerfen:
            nummer = args.uebernehmen or args.verwerfen
            print(
                erhebung.eingang_erledigen(
                    db, nummer, uebernehmen=bool(args.uebernehmen), wer=KOMMANDOZEILE
                )
            )
            return 0
        offen = erhebung.eingang(db)
        if offen.empty:
            print("Der Posteingang ist leer.")
        for zeile in offen.itertuples():
            print(
                f"Nr. {zeile.id}: {zeile.standort} {zeile.welle}, eingegangen "
                f"{zeile.eingegangen_am:%d.%m.%Y %H:%M} – {zeile.grund}"
            )
    return 0


def _sprachen_argumente(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ordner", metavar="ORDNER", help="Zielordner (wird angelegt)")


@befehl(
    "fragebogen-sprachen",
    "Fragebogen in allen Sprachen schreiben: mehrsprachiges XLSForm (KoboToolbox/ODK) und "
    "Druckfassung je Welle und Sprache (HTML)",
    _sprachen_argumente,
)
def _fragebogen_sprachen(args: argparse.Namespace) -> int:
    from monitor.mehrsprachig import druckfassung_html, xlsform_mehrsprachig
    from monitor.uebersetzung import SPRACHEN

    ordner = Path(args.ordner)
    ordner.mkdir(parents=True, exist_ok=True)
    (ordner / "fragebogen_kobo_mehrsprachig.xlsx").write_bytes(xlsform_mehrsprachig())
    for welle in schema.WELLEN:
        for code in SPRACHEN:
            (ordner / f"fragebogen_{welle}_{code}.html").write_text(
                druckfassung_html(welle, code), encoding="utf-8"
            )
    entwuerfe = ", ".join(s.name_deutsch for s in SPRACHEN.values() if s.entwurf)
    print(
        f"XLSForm mit {len(SPRACHEN)} Sprachen und {len(schema.WELLEN) * len(SPRACHEN)} "
        f"Druckfassungen in '{ordner}'. Entwürfe (vor dem Einsatz von Muttersprachler*innen "
        f"prüfen lassen): {entwuerfe}."
    )
    return 0

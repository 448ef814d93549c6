"""Operating commands: users, approvals, audit trail, backups, microdata export (issue 7).

Registered into :data:`monitor.cli.BEFEHLE` when the parser is built, like every command. A
password is only ever read from standard input (``--passwort-stdin``; typed hidden at a
terminal), never from the command line, where the process list and the shell history would
keep it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from monitor.cli import (
    CliFehler,
    _Parser,
    auswahl_argumente,
    befehl,
    bekannte_standorte,
    datenbank,
    db_pfad,
)


def _passwort() -> str:
    """One password from stdin: a line when piped, hidden input twice at a terminal."""
    if sys.stdin is None:
        raise CliFehler("Kein Passwort: die Standardeingabe ist geschlossen.")
    if sys.stdin.isatty():
        erstes = getpass.getpass("Neues Passwort: ")
        if getpass.getpass("Passwort wiederholen: ") != erstes:
            raise CliFehler("Die beiden Eingaben stimmen nicht überein; nichts geändert.")
        return erstes
    return sys.stdin.readline().rstrip("\r\n")


def datenbank_muss_existieren(args: argparse.Namespace) -> None:
    """Stop with the usual message when the database file does not exist (never create it).

    Reading commands here still open the file writable: that migrates an older database, whose
    tables of users, approvals and audit trail would be missing otherwise.
    """
    if not db_pfad(args.db).exists():
        with datenbank(args, schreiben=False):
            pass  # raises the German "gibt es nicht" message


def _unterbefehle(parser: argparse.ArgumentParser, ziel: str) -> argparse._SubParsersAction:
    return parser.add_subparsers(
        title="Aktionen", dest=ziel, metavar="AKTION", required=True, parser_class=_Parser
    )


def _passwort_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passwort-stdin",
        action="store_true",
        required=True,
        help="Passwort von der Standardeingabe lesen (mindestens 10 Zeichen)",
    )


# -- benutzer -----------------------------------------------------------------------------------
def _benutzer_argumente(parser: argparse.ArgumentParser) -> None:
    from monitor.benutzer import ROLLEN

    aktionen = _unterbefehle(parser, "aktion")
    anlegen = aktionen.add_parser("anlegen", help="Benutzer anlegen")
    anlegen.add_argument("name", metavar="NAME")
    anlegen.add_argument("--rolle", required=True, choices=list(ROLLEN), help="Rolle")
    anlegen.add_argument("--standort", metavar="ID", help="Standort (nur Rolle 'standort')")
    _passwort_argument(anlegen)
    aktionen.add_parser("liste", help="alle Benutzer zeigen (ohne Passwörter)")
    for name, hilfe in (
        ("sperren", "Benutzer sperren (keine Anmeldung mehr, offene Sitzungen enden)"),
        ("entsperren", "Benutzer entsperren (hebt auch die Sperre nach Fehlversuchen auf)"),
    ):
        teil = aktionen.add_parser(name, help=hilfe)
        teil.add_argument("name", metavar="NAME")
        teil.add_argument("--grund", metavar="TEXT", help="Begründung (Auditprotokoll)")
    passwort = aktionen.add_parser("passwort", help="neues Passwort setzen")
    passwort.add_argument("name", metavar="NAME")
    _passwort_argument(passwort)


@befehl(
    "benutzer",
    "Benutzer anlegen, auflisten, sperren, entsperren, Passwort setzen",
    _benutzer_argumente,
)
def _benutzer(args: argparse.Namespace) -> int:
    from monitor import benutzer as b

    if args.aktion == "liste" and not db_pfad(args.db).exists():
        print("Keine Benutzer angelegt.")
        return 0
    with datenbank(args) as db:
        assert db is not None
        if args.aktion == "liste":
            tabelle = b.benutzerliste(db)
            if tabelle.empty:
                print("Keine Benutzer angelegt.")
                return 0
            tabelle["Standort"] = tabelle["Standort"].fillna("–")
            tabelle["Gesperrt"] = tabelle["Gesperrt"].map({True: "ja", False: "nein"})
            for spalte in ("Angelegt", "Geändert"):
                tabelle[spalte] = tabelle[spalte].dt.strftime("%d.%m.%Y %H:%M")
            print(tabelle.to_string(index=False))
            return 0
        if args.aktion == "anlegen":
            neu = b.lege_an(db, args.name, args.rolle, _passwort(), args.standort)
            print(
                f"Benutzer '{neu.name}' angelegt (Rolle {b.ROLLEN[neu.rolle].bezeichnung}"
                + (f", Standort {neu.standort})." if neu.standort else ").")
            )
            if neu.standort and not db.scalar(
                "SELECT count(*) FROM standorte WHERE standort = ?", [neu.standort]
            ):
                print(
                    f"Hinweis: Standort {neu.standort} ist noch nicht in der Datenbank; der "
                    "Benutzer sieht Daten, sobald die Standorte importiert sind.",
                    file=sys.stderr,
                )
        elif args.aktion == "sperren":
            print(f"Benutzer '{b.sperre(db, args.name, grund=args.grund).name}' gesperrt.")
        elif args.aktion == "entsperren":
            print(f"Benutzer '{b.entsperre(db, args.name, grund=args.grund).name}' entsperrt.")
        elif args.aktion == "passwort":
            print(f"Passwort für '{b.setze_passwort(db, args.name, _passwort()).name}' geändert.")
    return 0


# -- freigabe -----------------------------------------------------------------------------------
def _freigabe_argumente(parser: argparse.ArgumentParser) -> None:
    from monitor.freigabe import Aktion

    aktionen = _unterbefehle(parser, "aktion")
    liste = aktionen.add_parser("liste", help="Freigabestand je Standort und Quartal")
    liste.add_argument("--standort", nargs="+", metavar="ID", help="nur diese Standorte")
    for aktion in Aktion:
        teil = aktionen.add_parser(aktion.value, help=f"Quartal: {aktion.value}")
        teil.add_argument("standort", metavar="STANDORT")
        teil.add_argument("quartal", metavar="QUARTAL", help="z. B. 2025-Q1")
        teil.add_argument(
            "--grund", metavar="TEXT", help="Begründung (zurückgeben, wiedereröffnen)"
        )


@befehl(
    "freigabe",
    "Quartale je Standort einreichen, freigeben, zurückgeben, wiedereröffnen",
    _freigabe_argumente,
)
def _freigabe(args: argparse.Namespace) -> int:
    from monitor import freigabe
    from monitor.benutzer import kommandozeilensitzung

    datenbank_muss_existieren(args)
    with datenbank(args) as db:
        assert db is not None
        if args.aktion == "liste":
            standorte = [s.strip().upper() for s in args.standort] if args.standort else None
            tabelle = freigabe.freigabestand(db, standorte)
            if tabelle.empty:
                print("Noch keine Daten und keine Freigaben.")
                return 0
            spalten = [
                "standort",
                "quartal",
                "status_label",
                "befragungen",
                "aktivitaeten",
                "grund",
            ]
            zeigen = (
                tabelle[spalten]
                .fillna("")
                .set_axis(
                    ["Standort", "Quartal", "Status", "Fragebögen", "Aktivitäten", "Begründung"],
                    axis=1,
                )
            )
            print(zeigen.to_string(index=False))
            return 0
        neu = freigabe.aendere_status(
            db, kommandozeilensitzung(), args.standort, args.quartal, args.aktion, args.grund
        )
    print(
        f"{args.standort.strip().upper()} {args.quartal.strip().upper()}: "
        f"{freigabe.STATUS_LABEL[neu]}."
    )
    return 0


# -- protokoll ----------------------------------------------------------------------------------
def _protokoll_argumente(parser: argparse.ArgumentParser) -> None:
    from monitor.audit import AKTIONEN

    parser.add_argument("--anzahl", type=int, default=50, metavar="N", help="neueste N (50)")
    parser.add_argument("--wer", metavar="NAME", help="nur Einträge dieses Benutzers")
    parser.add_argument("--aktion", choices=list(AKTIONEN), help="nur diese Aktion")
    parser.add_argument(
        "--pruefen",
        action="store_true",
        help="Hash-Kette und Kopfdatei prüfen (Exit-Status 1, wenn ein Eintrag verändert, "
        "eingefügt oder am Ende gelöscht wurde)",
    )


@befehl("protokoll", "Auditprotokoll lesen oder auf Veränderungen prüfen", _protokoll_argumente)
def _protokoll(args: argparse.Namespace) -> int:
    from monitor.audit import lies_kopf, protokoll, pruefe_protokoll

    datenbank_muss_existieren(args)
    with datenbank(args) as db:
        assert db is not None
        if args.pruefen:
            befunde = pruefe_protokoll(db)
            for befund in befunde:
                print(befund, file=sys.stderr)
            if befunde:
                return 1
            anzahl = db.scalar("SELECT count(*) FROM auditprotokoll")
            print(
                f"Auditprotokoll unverändert ({anzahl} Einträge, Hash-Kette vollständig, "
                "neuester Eintrag laut Kopfdatei vorhanden)."
            )
            kopf = lies_kopf(db.pfad)
            if kopf:
                print(
                    f"Kopf: Nr. {kopf['nummer']}, {kopf['anzahl']} Einträge, SHA-256 "
                    f"{kopf['hash']} – außerhalb des Servers notieren, um später auch ein "
                    "Neuberechnen der Kette zu erkennen."
                )
            return 0
        tabelle = protokoll(db, wer=args.wer, was=args.aktion, anzahl=args.anzahl)
    if tabelle.empty:
        print("Keine Einträge.")
        return 0
    tabelle["Zeitpunkt"] = tabelle["Zeitpunkt"].dt.strftime("%d.%m.%Y %H:%M:%S")
    zeigen = tabelle[["Nr.", "Zeitpunkt", "Wer", "Aktion", "Details", "Grund"]].fillna("")
    print(zeigen.to_string(index=False, max_colwidth=80))
    return 0


# -- sicherung ----------------------------------------------------------------------------------
def _ordner_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ordner", metavar="ORDNER", help="Ordner der Sicherung")


@befehl(
    "sicherung",
    "vollständige Sicherung (Daten, Benutzer, Freigaben, Protokoll, Importarchiv) in einen "
    "leeren Ordner schreiben",
    _ordner_argument,
)
def _sicherung(args: argparse.Namespace) -> int:
    from monitor.sicherung import sichere

    datenbank_muss_existieren(args)
    with datenbank(args) as db:
        assert db is not None
        print(sichere(db, args.ordner))
    return 0


def _wiederherstellen_argumente(parser: argparse.ArgumentParser) -> None:
    _ordner_argument(parser)
    parser.add_argument(
        "--ueberschreiben",
        action="store_true",
        help="eine Datenbank mit Daten ersetzen (sonst wird abgebrochen)",
    )


@befehl(
    "wiederherstellen",
    "Sicherung in die Datenbank (--db) einspielen; eine Datenbank mit Daten nur mit "
    "--ueberschreiben",
    _wiederherstellen_argumente,
)
def _wiederherstellen(args: argparse.Namespace) -> int:
    from monitor.sicherung import wiederherstellen

    ziel = db_pfad(args.db)
    zeilen = wiederherstellen(args.ordner, ziel, ueberschreiben=args.ueberschreiben)
    print(
        f"Sicherung '{args.ordner}' in '{ziel}' wiederhergestellt: {len(zeilen)} Tabellen, "
        f"{sum(zeilen.values())} Zeilen."
    )
    return 0


def _neu_aufbauen_argumente(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ziel", metavar="ZIEL", help="neue Datenbankdatei (darf nicht existieren)")
    parser.add_argument(
        "--archiv",
        metavar="ORDNER",
        help="Importarchiv (Standard: das Archiv neben der Datenbank von --db)",
    )


@befehl(
    "neu-aufbauen",
    "neue Datenbank aus dem Importarchiv aufbauen (alle Importe in ihrer Reihenfolge)",
    _neu_aufbauen_argumente,
)
def _neu_aufbauen(args: argparse.Namespace) -> int:
    from monitor.archiv import archivordner
    from monitor.sicherung import neu_aufbauen

    datenbank = db_pfad(args.db)
    quelle = Path(args.archiv) if args.archiv else archivordner(datenbank)
    print(neu_aufbauen(quelle, args.ziel, datenbank=datenbank))
    return 0


# -- mikrodaten ---------------------------------------------------------------------------------
def _mikrodaten_argumente(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "datei", metavar="DATEI", help="Zieldatei: .csv (für deutsches Excel) oder .xlsx"
    )
    auswahl_argumente(parser)


@befehl(
    "mikrodaten",
    "pseudonymisierte Mikrodaten (ein Fragebogen je Zeile) für die Evaluation schreiben; "
    "das Pseudonym ist in jeder Datei neu",
    _mikrodaten_argumente,
)
def _mikrodaten(args: argparse.Namespace) -> int:
    from monitor.benutzer import kommandozeilensitzung
    from monitor.mikrodaten import EXPORTFORMATE, schreibe_mikrodaten

    ziel = Path(args.datei)
    format_ = ziel.suffix.lower().lstrip(".")
    if format_ not in EXPORTFORMATE:
        raise CliFehler(f"Die Mikrodaten werden als .csv oder .xlsx geschrieben, nicht '{ziel}'.")
    datenbank_muss_existieren(args)  # opened writable (audit entry), but never created here
    with datenbank(args) as db:
        assert db is not None
        standorte = bekannte_standorte(args.standort, db) or None
        try:
            export = schreibe_mikrodaten(
                db,
                kommandozeilensitzung(),
                ziel,
                format_,
                standorte=standorte,
                von=args.von,
                bis=args.bis,
            )
        except OSError as fehler:
            raise CliFehler(
                f"Die Mikrodaten können nicht nach '{ziel}' geschrieben werden: {fehler.strerror}."
            ) from None
    print(
        f"Mikrodaten geschrieben: {ziel} ({export.zeilen} Fragebögen von {export.personen} "
        "Personen). Die Datei ist vertraulich; das Pseudonym gilt nur in dieser Datei."
    )
    return 0

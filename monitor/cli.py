"""Command line: ``python -m monitor [--db PATH] BEFEHL …`` (SPEC §6).

Each command is one function plus one entry in :data:`BEFEHLE` (via :func:`befehl`), so later
commands (indikatoren, vorher-nachher, export) are added without touching the rest. Exit
status: 0 done, 1 input rejected (German report on stderr, never a traceback), 2 wrong usage.
argparse's own English messages are translated in :meth:`_Parser.error`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from monitor.schema import Art

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from indikatoren.engine import Ergebnis
    from indikatoren.filter import Filter
    from monitor.benutzer import Zugriff
    from monitor.db import Datenbank
    from monitor.pruefung import Importoptionen
    from monitor.umfragen.zuordnung import Profil

#: Set to 1 to see the traceback of an unexpected internal error (for developers).
DEBUG_VARIABLE = "MONITOR_DEBUG"


class CliFehler(Exception):
    """A German message for the user (exit status 1); raised by the commands themselves."""


class AufrufFehler(CliFehler):
    """A call that the named user may not make (exit status 2, like any wrong usage)."""


class DatenbankFehler(CliFehler):
    """The database file cannot be opened (locked by the dashboard, not a DuckDB file …)."""


def db_pfad(explizit: str | None) -> Path:
    """:func:`monitor.db.db_pfad`, imported late: usage errors and --help stay fast."""
    from monitor.db import db_pfad as aufloesen

    return aufloesen(explizit)


# -- argparse in German -------------------------------------------------------------------------
_UEBERSETZUNGEN: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", r"folgende Angaben fehlen: \1"),
    (r"unrecognized arguments: (.*)", r"unbekannte Angaben: \1"),
    (r"ambiguous option: (\S+) could match (.*)", r"mehrdeutige Option \1 (passt zu \2)"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"ungültige Auswahl \1 (möglich: \2)"),
    (r"expected one argument", r"erwartet einen Wert"),
    (r"expected at least one argument", r"erwartet mindestens einen Wert"),
    (r"invalid \w+ value: (.*)", r"ungültiger Wert \1"),
    (r"not allowed with argument (.*)", r"nicht zusammen mit \1 erlaubt"),
    (r"^argument (\S+): ", r"Angabe \1: "),
)


def _auf_deutsch(meldung: str) -> str:
    for muster, ersatz in _UEBERSETZUNGEN:
        meldung = re.sub(muster, ersatz, meldung)
    return meldung


class _Format(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "Aufruf: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """ArgumentParser with German help headings and error messages (exit status 2)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Format)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumente"
        self._optionals.title = "Optionen"
        self.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen und beenden")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Fehler: {_auf_deutsch(message)}\n")


def _ganzzahl(minimum: int | None = None) -> Callable[[str], int]:
    def umwandeln(text: str) -> int:
        try:
            wert = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' ist keine ganze Zahl") from None
        if minimum is not None and wert < minimum:
            raise argparse.ArgumentTypeError(f"muss mindestens {minimum} sein, nicht {wert}")
        return wert

    return umwandeln


# -- command table ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Befehl:
    """One subcommand: its arguments and the function that runs it (returns the exit code)."""

    name: str
    hilfe: str
    ausfuehren: Callable[[argparse.Namespace], int]
    argumente: Callable[[argparse.ArgumentParser], None] | None = None


BEFEHLE: dict[str, Befehl] = {}


def befehl(
    name: str, hilfe: str, argumente: Callable[[argparse.ArgumentParser], None] | None = None
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Register a subcommand: ``@befehl("name", "Hilfetext", argumente=...)`` on a function."""

    def registrieren(
        funktion: Callable[[argparse.Namespace], int],
    ) -> Callable[[argparse.Namespace], int]:
        BEFEHLE[name] = Befehl(name, hilfe, funktion, argumente)
        return funktion

    return registrieren


@contextmanager
def datenbank(
    args: argparse.Namespace, *, schreiben: bool = True, muss_existieren: bool = True
) -> Iterator[Datenbank | None]:
    """Open the database of ``--db`` / ``MONITOR_DB`` / default with German errors.

    Writing opens migrate the schema first. Read-only use never creates a file; with
    ``muss_existieren=False`` a missing file yields ``None``.
    """
    import duckdb

    from monitor.db import Datenbank

    pfad = db_pfad(args.db)
    if not schreiben and not pfad.exists():
        if not muss_existieren:
            yield None
            return
        raise DatenbankFehler(
            f"Die Datenbank '{pfad}' gibt es nicht. Zuerst 'python -m monitor init' oder "
            "'python -m monitor demo' ausführen."
        )
    try:
        db = Datenbank(pfad, read_only=not schreiben, warten_s=WARTEN_S)
        if schreiben:
            db.migrate()
    except duckdb.Error as fehler:
        raise DatenbankFehler(_db_meldung(pfad, fehler)) from None
    except OSError as fehler:
        raise DatenbankFehler(
            f"Die Datenbank '{pfad}' kann nicht angelegt werden: {fehler.strerror}."
        ) from None
    try:
        yield db
    finally:
        db.close()


#: How long a command waits for the database while the dashboard (which holds it only while a
#: page reads or writes) or another command uses it.
WARTEN_S = float(os.environ.get("MONITOR_WARTEN_S", "30"))


def _db_meldung(pfad: Path, fehler: duckdb.Error) -> str:
    text = str(fehler)
    if "lock" in text.lower():
        return (
            f"Die Datenbank '{pfad}' war {WARTEN_S:.0f} s lang von einem anderen Programm belegt "
            "(z. B. einem zweiten Import oder einem Dashboard älterer Version, das sie dauernd "
            "offen hält). Bitte später erneut versuchen."
        )
    return f"Die Datenbank '{pfad}' kann nicht geöffnet werden: {text.splitlines()[0]}"


def _dateien(pfade: Sequence[str]) -> list[tuple[Path, None]]:
    return [(Path(pfad), None) for pfad in pfade]


def _art_argumente(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dateien", nargs="+", metavar="DATEI", help="CSV- oder XLSX-Datei(en)")
    parser.add_argument(
        "--art",
        choices=[art.value for art in Art],
        help="Art der Datei (ohne Angabe: aus den Spalten erkannt)",
    )
    parser.add_argument(
        "--zuordnung",
        metavar="PROFIL",
        help="Zuordnungsprofil für Exporte aus Umfragewerkzeugen: Name eines gespeicherten "
        "Profils oder Pfad zu einer .json-Datei",
    )
    parser.add_argument(
        "--doppelte",
        choices=["neueste", "ablehnen"],
        default="neueste",
        help="mehrere Fragebögen desselben Standorts, Codes und derselben Welle: den zuletzt "
        "eingereichten übernehmen und die anderen nennen (neueste, Standard) oder die Datei "
        "ablehnen",
    )
    parser.add_argument(
        "--unvollstaendige",
        choices=["ueberspringen", "aufnehmen"],
        default="ueberspringen",
        help="im Umfragewerkzeug nicht abgeschlossene Antworten überspringen und nennen "
        "(Standard) oder aufnehmen",
    )


def _optionen(args: argparse.Namespace) -> Importoptionen:
    """The import's decisions chosen on the command line."""
    from monitor.pruefung import Importoptionen

    return Importoptionen(
        doppelte=args.doppelte, unvollstaendige_aufnehmen=args.unvollstaendige == "aufnehmen"
    )


def _profil(db: Datenbank | None, angabe: str | None) -> Profil | None:
    """The mapping profile named by ``--zuordnung`` (None without the option)."""
    if not angabe:
        return None
    from monitor.umfragen.profile import finde_profil

    return finde_profil(db, angabe)


# -- commands -----------------------------------------------------------------------------------
@befehl("init", "Datenbank anlegen oder auf den neuesten Stand bringen (mehrfach ausführbar)")
def _init(args: argparse.Namespace) -> int:
    import duckdb

    from monitor.db import Datenbank

    pfad = db_pfad(args.db)
    try:
        with Datenbank(pfad, warten_s=WARTEN_S) as db:
            angewendet = db.migrate()
            version = db.schema_version()
    except duckdb.Error as fehler:
        raise DatenbankFehler(_db_meldung(pfad, fehler)) from None
    if angewendet:
        print(f"Datenbank '{pfad}': Migrationen ausgeführt: {', '.join(angewendet)}.")
    else:
        print(f"Datenbank '{pfad}' ist aktuell (Schema-Version {version}), nichts zu tun.")
    return 0


def _demo_argumente(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=_ganzzahl(), default=42, help="Zufallsstartwert (42)")
    parser.add_argument(
        "--standorte", type=_ganzzahl(1), default=6, metavar="K", help="Anzahl Standorte (6)"
    )
    parser.add_argument(
        "--teilnehmende",
        type=_ganzzahl(1),
        default=1500,
        metavar="M",
        help="Anzahl Teilnehmende (1500)",
    )
    parser.add_argument(
        "--entfernen",
        action="store_true",
        help="alle Demo-Daten in einem Schritt entfernen (echte Daten bleiben)",
    )


@befehl("demo", "synthetische Demo-Daten laden (als Demo markiert)", _demo_argumente)
def _demo(args: argparse.Namespace) -> int:
    from monitor.audit import KOMMANDOZEILE
    from monitor.demo import entferne_demo, lade_demo  # lazy: only this command needs them

    with datenbank(args) as db:
        assert db is not None
        if args.entfernen:
            anzahl = entferne_demo(db, benutzer=KOMMANDOZEILE)
            print(f"Demo-Daten entfernt: {anzahl} Zeilen. Echte Daten sind unverändert.")
            return 0
        ergebnis = lade_demo(
            db,
            seed=args.seed,
            standorte=args.standorte,
            teilnehmende=args.teilnehmende,
            benutzer=KOMMANDOZEILE,
        )
    print(ergebnis)
    return 0


@befehl(
    "pruefen", "Datei(en) nur prüfen und den Prüfbericht ausgeben; ändert nichts", _art_argumente
)
def _pruefen(args: argparse.Namespace) -> int:
    from monitor.importieren import pruefe_stapel

    with datenbank(args, schreiben=False, muss_existieren=False) as db:
        ergebnisse = pruefe_stapel(
            db,
            _dateien(args.dateien),
            args.art,
            zuordnung=_profil(db, args.zuordnung),
            optionen=_optionen(args),
        )
    if db is None:
        print(
            f"Hinweis: keine Datenbank '{db_pfad(args.db)}' gefunden – Standorte werden nur "
            "gegen Standorte-Dateien dieses Aufrufs geprüft.",
            file=sys.stderr,
        )
    for ergebnis in ergebnisse:
        print(ergebnis.bericht(), file=sys.stdout if ergebnis.ok else sys.stderr)
    return 0 if all(ergebnis.ok for ergebnis in ergebnisse) else 1


@befehl("import", "Datei(en) prüfen und dann alle Zeilen oder keine importieren", _art_argumente)
def _import(args: argparse.Namespace) -> int:
    from monitor.audit import KOMMANDOZEILE
    from monitor.importieren import ImportAbgelehnt, importiere_stapel

    with datenbank(args) as db:
        assert db is not None
        try:
            ergebnisse = importiere_stapel(
                db,
                _dateien(args.dateien),
                args.art,
                zuordnung=_profil(db, args.zuordnung),
                benutzer=KOMMANDOZEILE,
                optionen=_optionen(args),
            )
        except ImportAbgelehnt as abgelehnt:
            print(abgelehnt, file=sys.stderr)
            print("Es wurde nichts importiert.", file=sys.stderr)
            return 1
    for ergebnis in ergebnisse:
        print(ergebnis)
    return 0


def _vorlagen_argumente(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ordner", metavar="ORDNER", help="Zielordner (wird angelegt)")
    parser.add_argument(
        "--standort",
        action="append",
        metavar="ID",
        help="Druckfassung und Links für diesen Standort (mehrfach möglich; ohne Angabe: die "
        "Standorte der Datenbank, falls vorhanden)",
    )
    parser.add_argument(
        "--kobo-link",
        metavar="URL",
        help="Enketo-Adresse des Kobo-Formulars: je Standort und Welle ein Link mit "
        "vorausgefüllten versteckten Feldern und QR-Code",
    )
    parser.add_argument(
        "--limesurvey-link",
        metavar="URL",
        help="Adresse der LimeSurvey-Umfrage: je Standort und Welle ein Link mit "
        "URL-Parametern und QR-Code",
    )


@befehl(
    "vorlagen",
    "leere Importvorlagen (XLSX mit Auswahllisten, CSV) und Fragebögen aus dem Codebuch "
    "schreiben (XLSForm für KoboToolbox/ODK, LimeSurvey, Druckfassung je Welle)",
    _vorlagen_argumente,
)
def _vorlagen(args: argparse.Namespace) -> int:
    from monitor.umfragen.fragebogen_aus import LinkFehler, schreibe_frageboegen
    from monitor.vorlagen import schreibe_vorlagen

    standorte = [s.strip().upper() for s in args.standort or []]
    if not standorte:
        from monitor.importieren import bekannte_standorte

        with datenbank(args, schreiben=False, muss_existieren=False) as db:
            standorte = sorted(bekannte_standorte(db))
    try:
        pfade = schreibe_vorlagen(args.ordner)
        frageboegen = schreibe_frageboegen(
            args.ordner, standorte, kobo=args.kobo_link, limesurvey=args.limesurvey_link
        )
    except LinkFehler as fehler:
        raise CliFehler(str(fehler)) from None
    except OSError as fehler:
        raise CliFehler(
            f"Die Vorlagen können nicht nach '{args.ordner}' geschrieben werden: {fehler.strerror}."
        ) from None
    print(f"{len(pfade)} Vorlagen geschrieben nach '{args.ordner}':")
    for pfad in pfade:
        print(f"  {pfad.name}")
    print(f"{len(frageboegen)} Fragebögen aus dem Codebuch geschrieben:")
    for pfad in frageboegen:
        print(f"  {pfad.name}")
    return 0


def _zuordnung_argumente(parser: argparse.ArgumentParser) -> None:
    from monitor.umfragen.erkennung import Werkzeug

    parser.add_argument("datei", metavar="DATEI", help="Export aus dem Umfragewerkzeug")
    parser.add_argument(
        "--zuordnung", metavar="PROFIL", help="vorhandenes Profil (Name oder .json) als Ausgang"
    )
    parser.add_argument(
        "--werkzeug",
        choices=[w.value for w in Werkzeug if w is not Werkzeug.VORLAGE],
        help="Werkzeug angeben statt es aus den Spalten zu erkennen",
    )
    parser.add_argument(
        "--standort", metavar="ID", help="fester Standort, wenn die Datei keinen hat"
    )
    parser.add_argument(
        "--welle", choices=["T0", "T1", "T2"], help="feste Welle, wenn die Datei keine hat"
    )
    parser.add_argument(
        "--name", metavar="NAME", help="Name des Profils (Standard: STANDORT_werkzeug)"
    )
    parser.add_argument("--json", metavar="PFAD", help="Profil als JSON-Datei schreiben")
    parser.add_argument(
        "--speichern",
        action="store_true",
        help="Profil in der Datenbank speichern (nur wenn alles eindeutig ist)",
    )


@befehl(
    "zuordnung",
    "Export eines Umfragewerkzeugs dem Codebuch zuordnen: Bericht, Profil als JSON oder speichern",
    _zuordnung_argumente,
)
def _zuordnung(args: argparse.Namespace) -> int:
    from monitor.einlesen import lies_tabelle
    from monitor.umfragen.profile import speichere_profil
    from monitor.umfragen.zuordnung import OFFEN, Profil, schlage_vor, sosci_vorschlaege

    tabelle = lies_tabelle(args.datei)
    with datenbank(args, schreiben=args.speichern, muss_existieren=False) as db:
        ausgang = _profil(db, args.zuordnung)
        if args.standort or args.welle:
            ausgang = ausgang or Profil(name="neu", werkzeug=args.werkzeug or "anderes")
            if args.standort:
                ausgang.konstanten["standort"] = args.standort.strip().upper()
                ausgang.standort = ausgang.standort or args.standort.strip().upper()
            if args.welle:
                ausgang.konstanten["welle"] = args.welle
        vorschlag = schlage_vor(
            tabelle, werkzeug=args.werkzeug, profil=ausgang, dateiname=Path(args.datei).name
        )
        standort = args.standort or (ausgang.standort if ausgang else None)
        name = args.name or (ausgang.name if args.zuordnung and ausgang else None)
        name = name or f"{standort or 'PROJEKT'}_{vorschlag.werkzeug.value}"
        profil = vorschlag.als_profil(name, standort)
        print(vorschlag.bericht(), file=sys.stdout if vorschlag.ok else sys.stderr)
        print("Spalten:")
        for spalte in vorschlag.spalten:
            ziel = f" → {spalte.variable}" if spalte.variable else ""
            print(f"  '{' '.join(spalte.spalte.split())[:70]}'{ziel} ({spalte.status.value})")
        if args.json:
            daten = profil.als_dict()
            daten["spalten"].update({s.spalte: OFFEN for s in vorschlag.probleme})
            spalten_vorschlag, werte_vorschlag = sosci_vorschlaege(vorschlag, tabelle)
            daten["spalten"].update(spalten_vorschlag)
            for variable, zuordnung in werte_vorschlag.items():
                daten["werte"].setdefault(variable, zuordnung)
            if spalten_vorschlag or werte_vorschlag:
                print(
                    "Vorgeschlagen (bitte prüfen): "
                    + ", ".join(f"{s} → {v}" for s, v in spalten_vorschlag.items())
                    + (", " if spalten_vorschlag else "")
                    + f"Antwortnummern 1 … n für {len(werte_vorschlag)} Variablen "
                    "(in der Reihenfolge des Codebuchs)."
                )
            try:
                Path(args.json).write_text(
                    json.dumps(daten, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
            except OSError as fehler:
                raise CliFehler(
                    f"Die Profildatei '{args.json}' kann nicht geschrieben werden: "
                    f"{fehler.strerror}."
                ) from None
            offen = len(vorschlag.probleme)
            print(
                f"Profil '{name}' nach '{args.json}' geschrieben"
                + (f"; {offen} Spalten mit '{OFFEN}' bitte zuordnen." if offen else ".")
            )
        if args.speichern:
            if not vorschlag.ok:
                raise CliFehler(
                    f"Profil '{name}' nicht gespeichert: die Zuordnung ist noch nicht eindeutig."
                )
            assert db is not None
            speichere_profil(db, profil)
            print(
                f"Zuordnungsprofil '{name}' gespeichert. Import: python -m monitor import "
                f'DATEI --zuordnung "{name}"'
            )
    return 0 if vorschlag.ok else 1


# -- evaluations ----------------------------------------------------------------------------
def _datum(text: str) -> date:
    """Accept YYYY-MM-DD or DD.MM.YYYY (as in the import files)."""
    for muster in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, muster).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)")


def _filter_argumente(parser: argparse.ArgumentParser, *, zeitraum: bool = True) -> None:
    parser.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="Ausgabeformat: table (Text), csv oder json (Standard: table)",
    )
    parser.add_argument(
        "--deutsch",
        action="store_true",
        help="CSV für deutsches Excel: Semikolon, Dezimalkomma, UTF-8 mit BOM",
    )
    parser.add_argument(
        "--standort", nargs="+", metavar="ID", default=[], help="nur diese Standorte"
    )
    if zeitraum:
        parser.add_argument("--von", type=_datum, metavar="DATUM", help="ab diesem Datum")
        parser.add_argument("--bis", type=_datum, metavar="DATUM", help="bis zu diesem Datum")
    parser.add_argument(
        "--gruppierung",
        choices=["mh", "format", "geschlecht", "altersgruppe"],
        default="mh",
        help="Gruppen neben 'gesamt' (Standard: mh = mit/ohne Migrationsgeschichte)",
    )
    _als_argument(parser)


def _als_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--als",
        metavar="BENUTZERNAME",
        help="genau die Sicht dieses Benutzers im Dashboard (Rechte, freigegebene Quartale, "
        "Schutz kleiner Zellen)",
    )


def _sicht_zugriff(args: argparse.Namespace, db: Datenbank) -> Zugriff | None:
    """The access of ``--als NAME`` (None without it: the operator's full view)."""
    if not getattr(args, "als", None):
        return None
    from monitor.benutzer import benutzer, zugriff_fuer

    konto = benutzer(db, args.als)
    if konto is None:
        raise AufrufFehler(f"Einen Benutzer '{args.als}' gibt es nicht (siehe 'benutzer liste').")
    if konto.gesperrt:
        raise AufrufFehler(f"Der Benutzer '{args.als}' ist gesperrt und sieht nichts.")
    return zugriff_fuer(konto.rolle, konto.standort)


def _sicht(args: argparse.Namespace, db: Datenbank, filter_: Filter) -> Ergebnis:
    """The released tables as ``--als`` sees them; a selection that user may not make exits 2."""
    from indikatoren.schutzgitter import AuswahlFehler
    from monitor import sicht

    zugriff = _sicht_zugriff(args, db)
    if zugriff is not None and zugriff.standorte is not None:
        fremd = [s for s in filter_.standorte if s not in zugriff.standorte]
        if fremd:
            raise AufrufFehler(f"'{args.als}' darf die Standorte {', '.join(fremd)} nicht sehen.")
    try:
        return sicht.ergebnis(db, zugriff, filter_)
    except AuswahlFehler as fehler:
        raise AufrufFehler(f"Diese Auswahl ist für '{args.als}' nicht möglich. {fehler}") from None


def _vorher_nachher_argumente(parser: argparse.ArgumentParser) -> None:
    _filter_argumente(parser, zeitraum=False)
    parser.add_argument(
        "--welle", choices=["T1", "T2"], help="nur T0→T1 oder T0→T2 (Standard: beide)"
    )


def bekannte_standorte(angaben: Sequence[str], db: Datenbank) -> tuple[str, ...]:
    """The ``--standort`` values, normalised; a German error names any unknown site."""
    standorte = tuple(s.strip().upper() for s in angaben)
    if standorte:
        bekannt = {zeile[0] for zeile in db.rows("SELECT standort FROM standorte")}
        unbekannt = [s for s in standorte if s not in bekannt]
        if unbekannt:
            raise CliFehler(
                f"Unbekannte Standorte: {', '.join(unbekannt)}. "
                f"Vorhanden: {', '.join(sorted(bekannt)) or 'keine'}."
            )
    return standorte


def _engine_filter(args: argparse.Namespace, db: Datenbank) -> Filter:
    from indikatoren.filter import Filter, Gruppierung

    return Filter(
        standorte=bekannte_standorte(args.standort, db),
        von=getattr(args, "von", None),
        bis=getattr(args, "bis", None),
        gruppierung=Gruppierung(args.gruppierung),
    )


def _ausgeben(
    tabelle: pd.DataFrame,
    args: argparse.Namespace,
    json_schluessel: tuple[str, ...],
    text_spalten: dict[str, tuple[str, int]],
    *,
    paare: bool,
) -> None:
    from monitor import ausgabe

    if args.format == "json":
        print(ausgabe.als_json(tabelle, json_schluessel))
    elif args.format == "csv":
        sys.stdout.buffer.write(
            ausgabe.als_csv(tabelle[list(json_schluessel)], deutsch=args.deutsch)
        )
        sys.stdout.flush()
    else:
        print(ausgabe.als_text(tabelle, text_spalten, paare=paare))


@befehl(
    "indikatoren",
    "alle Indikatoren je Standort und Gruppe (unterdrückt, mit Zielerreichung)",
    _filter_argumente,
)
def _indikatoren(args: argparse.Namespace) -> int:
    from monitor import ausgabe

    with datenbank(args, schreiben=False) as db:
        assert db is not None
        tabelle = _sicht(args, db, _engine_filter(args, db)).indikatoren
    _ausgeben(
        tabelle,
        args,
        ausgabe.INDIKATOR_JSON,
        {
            "indikator": ("ID", 0),
            "name": ("Indikator", 0),
            "standort": ("Standort", 0),
            "gruppe": ("Gruppe", 0),
            "wert": ("Wert", 2),
            "einheit": ("Einheit", 0),
            "n": ("n", 0),
            "ci_unten": ("KI unten", 2),
            "ci_oben": ("KI oben", 2),
            "zielwert": ("Zielwert", 2),
            "zielerreichung": ("Erreichung %", 0),
            "status": ("Status", 0),
        },
        paare=False,
    )
    return 0


@befehl(
    "vorher-nachher",
    "gepaarte Vorher-Nachher-Vergleiche (T0→T1, T0→T2) mit KI, d_z, g_z und p",
    _vorher_nachher_argumente,
)
def _vorher_nachher(args: argparse.Namespace) -> int:
    from monitor import ausgabe

    with datenbank(args, schreiben=False) as db:
        assert db is not None
        tabelle = _sicht(args, db, _engine_filter(args, db)).vorher_nachher
    if args.welle:
        tabelle = tabelle[tabelle["welle"] == args.welle]
    _ausgeben(
        tabelle,
        args,
        ausgabe.VORHER_NACHHER_JSON,
        {
            "indikator": ("ID", 0),
            "standort": ("Standort", 0),
            "gruppe": ("Gruppe", 0),
            "welle": ("Welle", 0),
            "n_paare": ("Paare", 0),
            "mittel_vorher": ("vorher", 2),
            "mittel_nachher": ("nachher", 2),
            "differenz": ("Differenz", 2),
            "ci_unten": ("KI unten", 2),
            "ci_oben": ("KI oben", 2),
            "d_z": ("d_z", 2),
            "g_z": ("g_z", 2),
            "p_wert": ("p", 3),
            "p_holm": ("p Holm", 3),
            "match_quote": ("Match %", 0),
        },
        paare=True,
    )
    return 0


def auswahl_argumente(parser: argparse.ArgumentParser) -> None:
    """``--standort ID ...``, ``--von DATUM``, ``--bis DATUM`` of the exporting commands."""
    parser.add_argument(
        "--standort", nargs="+", metavar="ID", default=[], help="nur diese Standorte"
    )
    parser.add_argument("--von", type=_datum, metavar="DATUM", help="ab diesem Datum")
    parser.add_argument("--bis", type=_datum, metavar="DATUM", help="bis zu diesem Datum")


def _export_argumente(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("datei", metavar="DATEI.xlsx", help="Zieldatei des Excel-Berichts")
    auswahl_argumente(parser)
    parser.add_argument(
        "--csv",
        metavar="DATEI.csv",
        help="zusätzlich die Indikatortabelle als CSV für deutsches Excel schreiben",
    )
    _als_argument(parser)


@contextmanager
def _bericht_auswahl(
    args: argparse.Namespace, endung: str, art: str
) -> Iterator[tuple[Datenbank, Filter, Zugriff | None, Path]]:
    """What the report commands share: the target's ending, the database (opened writable for
    the audit entry, never created), the selection, ``--als`` (a selection that user may not
    make exits 2) and a German error when the file cannot be written."""
    from monitor.cli_betrieb import datenbank_muss_existieren

    ziel = Path(args.datei)
    if ziel.suffix.lower() != endung:
        raise CliFehler(
            f"Der Bericht wird als {art} geschrieben: '{ziel}' muss auf {endung} enden."
        )
    args.gruppierung = "mh"
    datenbank_muss_existieren(args)
    with datenbank(args) as db:
        assert db is not None
        filter_ = _engine_filter(args, db)
        zugriff = _sicht_zugriff(args, db)
        if zugriff is not None:
            _sicht(args, db, filter_)  # refuses a selection this user may not make (exit 2)
        try:
            yield db, filter_, zugriff, ziel
        except OSError as fehler:
            raise CliFehler(
                f"Der Bericht kann nicht nach '{fehler.filename or ziel}' geschrieben werden: "
                f"{fehler.strerror}."
            ) from None


@befehl(
    "export", "Excel-Bericht für die Evaluation schreiben (wie im Dashboard)", _export_argumente
)
def _export(args: argparse.Namespace) -> int:
    from monitor.audit import KOMMANDOZEILE
    from monitor.bericht import indikator_csv, protokolliere_export, schreibe_bericht

    with _bericht_auswahl(args, ".xlsx", "Excel-Datei") as (db, filter_, zugriff, ziel):
        schreibe_bericht(db, ziel, filter_, zugriff=zugriff)
        protokolliere_export(db, KOMMANDOZEILE, "excel", filter_, str(ziel))
        if args.csv:
            Path(args.csv).write_bytes(indikator_csv(db, filter_, deutsch=True, zugriff=zugriff))
            protokolliere_export(db, KOMMANDOZEILE, "csv", filter_, str(args.csv))
    print(f"Excel-Bericht geschrieben: {ziel}")
    if args.csv:
        print(f"Indikatortabelle (CSV für deutsches Excel) geschrieben: {args.csv}")
    return 0


def _bericht_pdf_argumente(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("datei", metavar="DATEI.pdf", help="Zieldatei des PDF-Wirkungsberichts")
    auswahl_argumente(parser)
    _als_argument(parser)


@befehl(
    "bericht-pdf",
    "PDF-Wirkungsbericht für Projektleitung und Fördergeber schreiben (wie im Dashboard)",
    _bericht_pdf_argumente,
)
def _bericht_pdf(args: argparse.Namespace) -> int:
    from monitor.audit import KOMMANDOZEILE
    from monitor.bericht import protokolliere_export
    from monitor.berichtpdf import schreibe_pdf

    with _bericht_auswahl(args, ".pdf", "PDF-Datei") as (db, filter_, zugriff, ziel):
        schreibe_pdf(db, ziel, filter_, zugriff=zugriff, als=args.als)
        protokolliere_export(db, KOMMANDOZEILE, "pdf", filter_, str(ziel))
    print(f"PDF-Wirkungsbericht geschrieben: {ziel}")
    return 0


# -- entry point --------------------------------------------------------------------------------
def baue_parser() -> argparse.ArgumentParser:
    """The full parser: global ``--db`` plus one subparser per registered command."""
    parser = _Parser(
        prog="python -m monitor",
        description="Wirkungsmonitor – Datenbank, Import und Auswertungen auf der Kommandozeile.",
        epilog=(
            "Datenbank: --db schlägt die Umgebungsvariable MONITOR_DB, diese schlägt "
            "data/monitor.duckdb.\nExit-Status: 0 fertig, 1 Eingabe abgelehnt, 2 falscher Aufruf."
        ),
    )
    parser.add_argument("--db", metavar="PFAD", help="Datenbankdatei (DuckDB)")
    # registers benutzer, freigabe, sicherung, … and links, eingang
    from monitor import cli_betrieb, cli_erhebung  # noqa: F401

    unter = parser.add_subparsers(
        title="Befehle", dest="befehl", metavar="BEFEHL", required=True, parser_class=_Parser
    )
    for eintrag in BEFEHLE.values():
        teil = unter.add_parser(eintrag.name, help=eintrag.hilfe, description=eintrag.hilfe)
        if eintrag.argumente:
            eintrag.argumente(teil)
        teil.set_defaults(ausfuehren=eintrag.ausfuehren)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status instead of raising (tracebacks never reach users)."""
    args = baue_parser().parse_args(argv)
    try:
        return int(args.ausfuehren(args))
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except AufrufFehler as fehler:
        print(f"Fehler: {fehler}", file=sys.stderr)
        return 2
    except Exception as fehler:
        meldung = _meldung(fehler)
        if meldung is None:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            meldung = (
                f"Unerwarteter Fehler ({type(fehler).__name__}): {fehler}\n"
                f"Details mit {DEBUG_VARIABLE}=1 erneut aufrufen."
            )
        print(meldung, file=sys.stderr)
        return 1


def _meldung(fehler: Exception) -> str | None:
    """The German message for a rejected input, or None for an unexpected internal error."""
    import duckdb

    from monitor.einlesen import EingabeFehler

    if isinstance(fehler, EingabeFehler | CliFehler):
        return f"Fehler: {fehler}"
    if isinstance(fehler, duckdb.Error):
        return f"Fehler in der Datenbank: {str(fehler).splitlines()[0]}"
    return None

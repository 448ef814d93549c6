"""Pseudonymised microdata for the evaluation: one row per questionnaire (person × wave).

The external evaluation needs row-level answers to run its own analyses (multilevel models,
attrition, item statistics), which aggregated tables cannot replace. This is the most sensitive
thing the monitor hands out, so:

* **Only with :attr:`Recht.MIKRODATEN`** (roles evaluation and admin); every other access gets
  a German refusal, and every export is audited (who, how many rows, which sites, format).
* **Only the sites the access may read**, restricted in SQL with the same bound condition as
  the inventory (:func:`monitor.bestand.standort_bedingung`); with ``nur_freigegeben`` only
  approved quarters.
* **A fresh pseudonym per export.** The participant code is typed by the person from facts of
  their life (mother's first name, birthday …), so it must not leave the database. It is
  replaced by HMAC-SHA256 under a random key drawn for this export only and then forgotten:
  within one file T0, T1 and T2 of a person share a pseudonym, but two exports cannot be linked
  to each other, and without the key nothing leads back to the code (a plain hash could be
  reversed by trying all plausible codes).
* **No administrative or free-text columns**: no import number, no demo flag, no text field of
  the codebook (there is none today; the rule keeps it so). Personal columns are never stored.

Columns follow the codebook order with the codebook's variable names as headers, ``code``
replaced by ``pseudonym``; answers are the codebook's values (yes/no as "ja"/"nein"), so the
codebook (also a sheet of the Excel file) explains every cell.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, Literal

import pandas as pd

from monitor.audit import protokolliere
from monitor.ausgabe import als_csv
from monitor.benutzer import Recht, Sitzung, Zugriff
from monitor.bericht import _Mappe
from monitor.bestand import standort_bedingung
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler
from monitor.freigabe import quartal_sql, sichtbare_zellen
from monitor.schema import Feld, Typ, codebuch

PSEUDONYM = "pseudonym"
#: Hex characters kept of the HMAC: 64 bits, collisions are checked anyway.
PSEUDONYM_LAENGE = 16
EXPORTFORMATE: tuple[str, ...] = ("csv", "xlsx")
Exportformat = Literal["csv", "xlsx"]

KEIN_RECHT = (
    "Keine Berechtigung für den Export pseudonymisierter Mikrodaten. Diesen Export dürfen nur "
    "die Rollen Evaluation und Administration."
)


class MikrodatenFehler(EingabeFehler):
    """A refused microdata export (German message, shown as is); nothing was written."""


@dataclass(frozen=True, slots=True)
class Mikrodatenexport:
    """What one export wrote (for the confirmation message and the audit entry)."""

    zeilen: int
    personen: int
    #: The sites exported, or None for "all sites" (an unrestricted access that chose none).
    standorte: tuple[str, ...] | None
    format: str


def _felder() -> tuple[Feld, ...]:
    """Codebook fields that may leave the database (no free text), in codebook order."""
    return tuple(f for f in codebuch() if f.typ is not Typ.TEXT)


def spalten() -> list[str]:
    """The export's column names: codebook order, ``code`` replaced by ``pseudonym``."""
    return [PSEUDONYM if f.typ is Typ.CODE else f.name for f in _felder()]


def erlaubte_standorte(
    zugriff: Zugriff, standorte: Sequence[str] | None = None
) -> tuple[str, ...] | None:
    """The sites to export: the chosen ones the access may read (None = all, only when the
    access is unrestricted and none were chosen). Never widens: a chosen site outside the
    access is dropped, and if none remains the result is empty (selects nothing)."""
    if isinstance(standorte, str):
        standorte = [standorte]
    gewaehlt = None if standorte is None else tuple(str(s).strip().upper() for s in standorte)
    if zugriff.standorte is None:
        return gewaehlt
    if gewaehlt is None:
        return tuple(zugriff.standorte)
    return tuple(s for s in gewaehlt if zugriff.darf_standort(s))


def _pseudonyme(codes: pd.Series) -> pd.Series:
    """Code → pseudonym under a key that exists only during this call."""
    eindeutig = codes.drop_duplicates().tolist()
    while True:
        schluessel = secrets.token_bytes(32)

        def pseudonym(code: str, schluessel: bytes = schluessel) -> str:
            digest = hmac.new(schluessel, code.encode("utf-8"), hashlib.sha256).hexdigest()
            return digest[:PSEUDONYM_LAENGE]

        zuordnung = {code: pseudonym(code) for code in eindeutig}
        if len(set(zuordnung.values())) == len(zuordnung):  # 64 bits: practically always
            return codes.map(zuordnung)


def mikrodaten(
    db: Datenbank,
    zugriff: Zugriff,
    *,
    standorte: Sequence[str] | None = None,
    von: date | None = None,
    bis: date | None = None,
) -> pd.DataFrame:
    """The pseudonymised questionnaire rows the access may export (see the module text).

    ``standorte`` narrows the export (never beyond the access), ``von``/``bis`` the
    questionnaire date (inclusive). Rows are sorted by site, pseudonym and wave, so neither the
    order of the codes nor of the import shows through. Raises :class:`MikrodatenFehler`
    without :attr:`Recht.MIKRODATEN`.
    """
    if not zugriff.darf(Recht.MIKRODATEN):
        raise MikrodatenFehler(KEIN_RECHT)
    felder = _felder()
    auswahl = ", ".join(f'"{f.name}"' for f in felder)
    bedingung, parameter = standort_bedingung(erlaubte_standorte(zugriff, standorte))
    bedingungen = [
        bedingung,
        "(?::DATE IS NULL OR datum >= ?::DATE)",
        "(?::DATE IS NULL OR datum <= ?::DATE)",
    ]
    parameter += [von, von, bis, bis]
    zellen = sichtbare_zellen(db, zugriff)
    if zellen is not None:  # approved quarters only
        bedingungen.append(
            f"list_contains(?::VARCHAR[], standort || '|' || {quartal_sql('datum')})"
        )
        parameter.append(sorted(f"{s}|{q}" for s, q in zellen))
    tabelle = db.query(
        f"SELECT {auswahl} FROM befragungen WHERE {' AND '.join(bedingungen)}", parameter
    )
    for feld in felder:
        spalte = feld.name
        if feld.typ is Typ.CODE:
            # a person is a code at one site (key standort, code, welle): the same code at two
            # sites gets two pseudonyms, so nobody links two different people
            tabelle[spalte] = _pseudonyme(
                tabelle["standort"].astype(str) + "\x1f" + tabelle[spalte].astype(str)
            )
        elif feld.typ is Typ.JA_NEIN:
            tabelle[spalte] = tabelle[spalte].map({True: "ja", False: "nein"}).astype(object)
        elif feld.typ in (Typ.GANZZAHL, Typ.ZAHL):
            tabelle[spalte] = tabelle[spalte].astype("Int64" if feld.typ is Typ.GANZZAHL else float)
        elif feld.typ is Typ.DATUM:
            tabelle[spalte] = pd.to_datetime(tabelle[spalte]).dt.date
    tabelle = tabelle.rename(columns={f.name: PSEUDONYM for f in felder if f.typ is Typ.CODE})
    reihenfolge = [s for s in ("standort", PSEUDONYM, "welle") if s in tabelle.columns]
    return tabelle.sort_values(reihenfolge, kind="stable").reset_index(drop=True)[spalten()]


# -- files --------------------------------------------------------------------------------------
def _hinweise(
    sitzung: Sitzung, export: Mikrodatenexport, von: date | None, bis: date | None
) -> list[tuple[str, str]]:
    standorte = "alle" if export.standorte is None else ", ".join(export.standorte) or "keine"
    zeitraum = (
        f"{von.strftime('%d.%m.%Y') if von else 'Beginn'} bis "
        f"{bis.strftime('%d.%m.%Y') if bis else 'heute'}"
    )
    return [
        ("Erstellt am", datetime.now().strftime("%d.%m.%Y %H:%M")),
        ("Erstellt von", sitzung.name),
        ("Standorte", standorte),
        ("Zeitraum (Befragungsdatum)", zeitraum),
        ("Fragebögen (Zeilen)", str(export.zeilen)),
        ("Personen (Pseudonyme)", str(export.personen)),
        (
            "Pseudonym",
            "Ersetzt den Teilnahmecode. Innerhalb dieser Datei verknüpft es T0, T1 und T2 "
            "derselben Person; bei jedem Export wird es neu gebildet, lässt sich nicht auf den "
            "Code zurückführen und nicht mit anderen Exporten verknüpfen.",
        ),
        (
            "Werte",
            "Wie im Codebuch (Blatt „Codebuch“, Datei data/codebuch.csv); leere Zelle = keine "
            "Angabe. Ja/Nein-Fragen als „ja“/„nein“.",
        ),
        (
            "Vertraulich",
            "Nur für die Evaluation. Nicht weitergeben, nicht mit anderen Daten zusammenführen, "
            "nach Abschluss löschen. Kleine Zellen sind hier nicht unterdrückt: Tabellen daraus "
            "vor einer Veröffentlichung schützen (mindestens 5 Personen je Zelle).",
        ),
    ]


def _xlsx(tabelle: pd.DataFrame, hinweise: list[tuple[str, str]]) -> bytes:
    """Workbook with the sheets Mikrodaten, Hinweise and Codebuch (text never a formula)."""
    mappe = _Mappe("Wirkungsmonitor")
    mappe.wb.properties.title = "Wirkungsmonitor – pseudonymisierte Mikrodaten"
    daten = mappe.blatt("Mikrodaten", [18 if s == PSEUDONYM else 12 for s in tabelle.columns])
    daten.schreibe(list(tabelle.columns), "kopf")
    stile = ["datum_links" if s == "datum" else "text" for s in tabelle.columns]
    for zeile in tabelle.itertuples(index=False, name=None):
        daten.schreibe(zeile, stile)
    daten.tabelle_einrichten(1, len(tabelle.columns), "C2")
    blatt = mappe.blatt("Hinweise", [28, 100])
    blatt.schreibe(["Pseudonymisierte Mikrodaten – Wirkungsmonitor", ""], ["titel", "text"])
    for titel, text in hinweise:
        blatt.schreibe([titel, text], ["fett", "umbruch"])
    buch = mappe.blatt("Codebuch", [26, 70, 12, 60])
    buch.schreibe(["Variable", "Frage", "Wellen", "Werte"], "kopf")
    for feld in _felder():
        werte = " | ".join(
            f"{w} = {label}" for w, label in zip(feld.werte, feld.labels, strict=True)
        )
        if not werte and feld.minimum is not None:
            werte = f"{feld.minimum:g} bis {feld.maximum:g}"
        name = PSEUDONYM if feld.typ is Typ.CODE else feld.name
        frage = (
            "Pseudonym des Teilnahmecodes (nur in dieser Datei gültig)"
            if name == PSEUDONYM
            else feld.frage
        )
        buch.schreibe([name, frage, ", ".join(feld.wellen), werte], "umbruch")
    buch.tabelle_einrichten(1, 4, "B2")
    return mappe.speichern()


def schreibe_mikrodaten(
    db: Datenbank,
    sitzung: Sitzung,
    ziel: Path | BinaryIO,
    format: Exportformat = "csv",
    *,
    standorte: Sequence[str] | None = None,
    von: date | None = None,
    bis: date | None = None,
) -> Mikrodatenexport:
    """Write the microdata of the session's access to ``ziel`` and audit the export.

    CSV is for German Excel (``;``, UTF-8 with BOM); XLSX adds the sheets Hinweise and
    Codebuch. The file is built in memory first, so a refusal or error writes nothing; the
    audit entry follows the successful write.
    """
    if format not in EXPORTFORMATE:
        raise MikrodatenFehler(
            f"Unbekanntes Exportformat '{format}' (möglich: {', '.join(EXPORTFORMATE)})."
        )
    zugriff = sitzung.zugriff
    tabelle = mikrodaten(db, zugriff, standorte=standorte, von=von, bis=bis)
    export = Mikrodatenexport(
        zeilen=len(tabelle),
        personen=int(tabelle[PSEUDONYM].nunique()),
        standorte=erlaubte_standorte(zugriff, standorte),
        format=format,
    )
    if format == "csv":
        inhalt = als_csv(tabelle, deutsch=True)
    else:
        inhalt = _xlsx(tabelle, _hinweise(sitzung, export, von, bis))
    if isinstance(ziel, str | Path):
        Path(ziel).write_bytes(inhalt)
    else:
        ziel.write(inhalt)
    protokolliere(
        db,
        sitzung.name,
        "mikrodaten_export",
        {
            "zeilen": export.zeilen,
            "personen": export.personen,
            "standorte": "alle" if export.standorte is None else list(export.standorte),
            "format": format,
            "von": von,
            "bis": bis,
            "datei": str(ziel) if isinstance(ziel, str | Path) else None,
        },
    )
    return export


def mikrodaten_bytes(
    db: Datenbank,
    sitzung: Sitzung,
    format: Exportformat = "csv",
    *,
    standorte: Sequence[str] | None = None,
    von: date | None = None,
    bis: date | None = None,
) -> tuple[bytes, Mikrodatenexport]:
    """:func:`schreibe_mikrodaten` into memory, e.g. for a download button (also audited)."""
    puffer = io.BytesIO()
    export = schreibe_mikrodaten(db, sitzung, puffer, format, standorte=standorte, von=von, bis=bis)
    return puffer.getvalue(), export

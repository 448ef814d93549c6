"""Realistic survey-tool exports, written by the tests from the codebook as each tool would.

One set of answers (:func:`antworten`) is written as our own CSV template and as the export of
each tool – its headers, bookkeeping columns, label texts, date formats and encodings – so a
test can import both and demand identical rows and indicators.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterator

import openpyxl
import pandas as pd

from indikatoren.engine import berechne
from monitor import schema
from monitor.db import Datenbank
from monitor.schema import Feld, Typ
from monitor.umfragen.erkennung import Werkzeug
from monitor.umfragen.limesurvey import ls_fragen
from monitor.umfragen.zuordnung import Profil

STANDORTE = ("KOELN", "BERLIN")
FELDER: tuple[Feld, ...] = schema.codebuch()
FELD: dict[str, Feld] = {f.name: f for f in FELDER}
#: Unique strings that stand for personal data in the exports; they must never be stored.
PII_MARKE = "zqxpii"

Zeile = dict[str, str]


def antworten() -> list[Zeile]:
    """24 persons at two sites, T0 and T1 (4 per site also T2), some answers left out."""
    rng = random.Random(20250301)
    zeilen: list[Zeile] = []
    for standort in STANDORTE:
        for i in range(12):
            code = f"{'mü' if i == 0 else 'ma'}{i:02d}{standort[:2].lower()}"
            wellen = ("T0", "T1", "T2") if i < 4 else ("T0", "T1")
            for nummer, welle in enumerate(wellen):
                datum = dt.date(2025, 3 + 3 * nummer, 1 + i)
                zeile = {"code": code, "standort": standort, "welle": welle}
                zeile["datum"] = datum.isoformat()
                for feld in FELDER[4:]:
                    if welle not in feld.wellen or feld.name == "vergleichsgruppe":
                        continue  # not asked (everyone here is a participant)
                    if feld.name != "migrationshintergrund" and rng.random() < 0.07:
                        continue  # not answered
                    if feld.werte:
                        auswahl = feld.werte
                        if feld.skala and welle != "T0":
                            auswahl = feld.werte[1:]  # a little better after the offer
                        zeile[feld.name] = rng.choice(auswahl)
                    elif feld.typ is Typ.JA_NEIN:
                        zeile[feld.name] = rng.choice(("ja", "nein"))
                    else:
                        zeile[feld.name] = str(rng.randint(int(feld.minimum), int(feld.maximum)))
                zeilen.append(zeile)
    return zeilen


def datum(zeile: Zeile) -> dt.date:
    return dt.date.fromisoformat(zeile["datum"])


def label(feld: Feld, code: str) -> str:
    return feld.labels[feld.werte.index(code)] if feld.labels else code


def als_label(name: str, wert: str | None) -> str:
    """An answer as the label text a form tool exports (numbers stay numbers)."""
    if wert is None:
        return ""
    feld = FELD[name]
    return label(feld, wert) if feld.werte else wert


def vorlage_csv(zeilen: list[Zeile]) -> bytes:
    """Our own template: codebook names, codes, ';', UTF-8."""
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\n")
    schreiber.writerow([f.name for f in FELDER])
    schreiber.writerows([[z.get(f.name, "") for f in FELDER] for z in zeilen])
    return puffer.getvalue().encode("utf-8")


def _xlsx(kopf: list[str], zeilen: list[list[object]], blatt: str = "Sheet1") -> bytes:
    mappe = openpyxl.Workbook()
    tabelle = mappe.active
    assert tabelle is not None
    tabelle.title = blatt
    tabelle.append(kopf)
    for zeile in zeilen:
        tabelle.append(zeile)
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def _csv(kopf: list[str], zeilen: list[list[str]], trenner: str = ",", **optionen) -> str:
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=trenner, lineterminator="\r\n", **optionen)
    schreiber.writerow(kopf)
    schreiber.writerows(zeilen)
    return puffer.getvalue()


# -- Google Forms -------------------------------------------------------------------------------
GRID_FRAGE = "Wie sehr treffen die folgenden Aussagen auf Sie zu?"


def google_kopf(feld: Feld, nummer: int) -> str:
    """Numbered titles, '*' on required ones, double spaces; one scale as a grid."""
    if feld.skala == "kontaktqualitaet":
        return f"{GRID_FRAGE} [{feld.frage}]"
    titel = feld.frage.replace(" ", "  ", 1) if nummer % 4 == 0 else feld.frage
    return f"{nummer}. {titel}" + (" *" if feld.pflicht else "")


#: Not asked in a form built from the print version: the date (timestamp) and the comparison
#: group (never asked of respondents; set by the import or a comparison group's link).
NICHT_IM_FORMULAR = ("datum", "vergleichsgruppe")


def google_koepfe() -> dict[str, str]:
    """Variable → the column header of the Google export (no date question)."""
    fragen = [f for f in FELDER if f.name not in NICHT_IM_FORMULAR]
    return {f.name: google_kopf(f, n) for n, f in enumerate(fragen, start=1)}


def google_forms_csv(zeilen: list[Zeile], *, aus_forms: bool = False) -> bytes:
    """Google Forms → Google Sheets → CSV (UTF-8, ','), German locale; date from Zeitstempel.

    ``aus_forms``: "Download responses (.csv)" straight from Google Forms instead: the header
    is "Timestamp"/"Email Address" and the time reads "2024/03/05 10:19:30 AM GMT+1".
    """
    fragen = [f for f in FELDER if f.name not in NICHT_IM_FORMULAR]
    stempel_kopf = (
        ["Timestamp", "Email Address"] if aus_forms else ["Zeitstempel", "E-Mail-Adresse"]
    )
    kopf = [*stempel_kopf, *google_koepfe().values()]
    daten = []
    for i, z in enumerate(zeilen):
        d = datum(z)
        stempel = f"{d.day:02d}.{d.month:02d}.{d.year} 10:{i % 60:02d}:07"
        if aus_forms:
            stunde = 1 + i % 12
            mittag = "AM" if i % 2 else "PM"
            stempel = f"{d.year}/{d.month:02d}/{d.day:02d} {stunde}:{i % 60:02d}:07 {mittag} GMT+1"
        werte = []
        for feld in fragen:
            if feld.name == "code":
                # participants type their code as they like: upper case and spaces at T1
                werte.append(
                    z["code"].upper().replace("0", " 0") if z["welle"] == "T1" else z["code"]
                )
            elif feld.name == "standort":
                werte.append(z["standort"])
            else:
                werte.append(als_label(feld.name, z.get(feld.name)))
        daten.append([stempel, f"person{i}.{PII_MARKE}@beispiel.de", *werte])
    return _csv(kopf, daten).encode("utf-8")


# -- Microsoft Forms ----------------------------------------------------------------------------
def ms_kopf(feld: Feld) -> str:
    """Question titles with a line break in long ones and a trailing space."""
    text = feld.frage
    if len(text) > 60:
        mitte = text.index(" ", len(text) // 2)
        text = text[:mitte] + "\n" + text[mitte + 1 :]
    return text + " "


def ms_forms_xlsx(
    zeilen: list[Zeile], welle: str, fertig: list[dt.datetime] | None = None
) -> bytes:
    """One Microsoft Forms form per wave (no wave question): XLSX as Forms writes it.

    ``fertig``: the "Fertigstellungszeit" of each row of that wave (date-time cells)."""
    fragen = [f for f in FELDER if f.name not in ("welle", "datum") and welle in f.wellen]
    kopf = [
        "ID",
        "Startzeit",
        "Fertigstellungszeit",
        "E-Mail",
        "Name",
        "Zeitpunkt der letzten Änderung",
    ] + [ms_kopf(f) for f in fragen]
    daten: list[list[object]] = []
    for i, z in enumerate(z for z in zeilen if z["welle"] == welle):
        d = datum(z)
        werte: list[object] = []
        for feld in fragen:
            wert = z.get(feld.name)
            if feld.name == "code":
                werte.append(wert.upper())
            elif feld.werte or feld.typ is not Typ.GANZZAHL or wert is None:
                werte.append(als_label(feld.name, wert) or None)
            else:
                werte.append(int(wert))
        daten.append(
            [
                i + 1,
                dt.datetime(d.year, d.month, d.day, 9, 58, 1),
                fertig[i] if fertig else dt.datetime(d.year, d.month, d.day, 10, 7, 45),
                f"anna{i}.{PII_MARKE}@beispiel.de",
                f"Anna {PII_MARKE.capitalize()} {i}",
                None,
                *werte,
            ]
        )
    return _xlsx(kopf, daten, blatt="Formular1")


# -- KoboToolbox --------------------------------------------------------------------------------
KOBO_METADATEN_VORN = ["start", "end"]
KOBO_METADATEN_HINTEN = [
    "__version__",
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "_tags",
    "_index",
]


def kobo_gruppe(feld: Feld) -> str:
    """The group of our XLSForm a field sits in."""
    return f"ziel_{feld.ziel}" if feld.ziel else "allgemein"


def _kobo_zeilen(
    zeilen: list[Zeile], labels: bool, eingaenge: list[str] | None = None
) -> Iterator[list[str]]:
    for i, z in enumerate(zeilen):
        d = datum(z)
        werte = [
            (als_label(f.name, z.get(f.name)) if labels and f.werte else z.get(f.name, ""))
            for f in FELDER
        ]
        eingang = eingaenge[i] if eingaenge else f"{d.isoformat()}T09:10:02"
        yield [
            f"{d.isoformat()}T10:00:00.000+01:00",
            f"{d.isoformat()}T10:09:31.412+01:00",
            *werte,
            "vH7mWhTnsUqx3oKvcJ8a5A",
            f"uuid:7f3c2a9e-0000-4000-8000-{i:012d}",
            str(1000 + i),
            f"7f3c2a9e-0000-4000-8000-{i:012d}",
            eingang,
            "",
            "",
            "submitted_via_web",
            "koeln_erhebung",
            "",
            str(i + 1),
        ]


def kobo_xlsx(
    zeilen: list[Zeile], eingaenge: list[str] | None = None, *, typisiert: bool = False
) -> bytes:
    """KoboToolbox XLS export: XML names, group prefixes 'gruppe/variable', values as names.

    ``eingaenge``: the ``_submission_time`` of each row (ISO, as Kobo stores it). ``typisiert``:
    the export option "Store date and number responses as text" switched off. formpack then
    turns every value Python's ``int()``/``float()`` accepts into a number – including choice
    names, and Python reads "18_26" as 1826 – and ``_submission_time`` into a date-time cell
    (formpack ``FormField.try_get_number``, ``SubmissionTimeCopyField.format``).
    """
    kopf = [
        *KOBO_METADATEN_VORN,
        *(f"{kobo_gruppe(f)}/{f.name}" for f in FELDER),
        *KOBO_METADATEN_HINTEN,
    ]
    zeilen_roh: list[list[object]] = list(_kobo_zeilen(zeilen, False, eingaenge))
    if typisiert:
        eingang = (
            len(KOBO_METADATEN_VORN) + len(FELDER) + KOBO_METADATEN_HINTEN.index("_submission_time")
        )
        for zeile in zeilen_roh:
            for i, wert in enumerate(zeile):
                if i == eingang:
                    zeile[i] = dt.datetime.fromisoformat(str(wert))
                elif len(KOBO_METADATEN_VORN) <= i < len(KOBO_METADATEN_VORN) + len(FELDER):
                    zeile[i] = als_zahl_wie_python(str(wert))
    return _xlsx(kopf, zeilen_roh, blatt="Wirkungsmonitor")


def als_zahl_wie_python(text: str) -> object:
    """A text as a number when Python's int() or float() accepts it (finite), else the text."""
    for umwandeln in (int, float):
        try:
            zahl = umwandeln(text)
        except ValueError:
            continue
        return zahl if zahl == zahl and abs(zahl) != float("inf") else text
    return text


def kobo_csv_labels(zeilen: list[Zeile]) -> bytes:
    """KoboToolbox CSV export: ';', group separator '-', values as labels."""
    kopf = [
        *KOBO_METADATEN_VORN,
        *(f"{kobo_gruppe(f)}-{f.name}" for f in FELDER),
        *KOBO_METADATEN_HINTEN,
    ]
    return _csv(kopf, list(_kobo_zeilen(zeilen, labels=True)), trenner=";").encode("utf-8")


# -- LimeSurvey ---------------------------------------------------------------------------------
LS_METADATEN = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]


#: What LimeSurvey stores as every date of a survey with anonymised responses.
LS_ANONYM = "1980-01-01 00:00:00"


def _ls_tabelle(
    zeilen: list[Zeile],
    volltext: bool,
    anonymisiert: bool = False,
    unfertig: frozenset[int] = frozenset(),
) -> tuple[list[str], list[list[str]]]:
    """``anonymisiert``: LimeSurvey writes 1980-01-01 00:00:00 into every date column.
    ``unfertig``: rows (positions) not submitted – empty submitdate, lastpage short of the
    end; datestamp (last action) and startdate are still there."""
    fragen = ls_fragen()
    kopf = list(LS_METADATEN)
    for frage in fragen:
        kopf.extend(frage.spalten())
    daten = []
    for i, z in enumerate(zeilen):
        d = datum(z)
        stempel = LS_ANONYM if anonymisiert else f"{d.isoformat()} 10:07:45"
        start = LS_ANONYM if anonymisiert else f"{d.isoformat()} 09:58:01"
        werte = [
            str(i + 1),
            "" if i in unfertig else stempel,
            "3" if i in unfertig else "5",
            "de",
            str(48213 + i),
            start,
            stempel,
        ]
        for frage in fragen:
            codes = {wert: (text if volltext else code) for code, wert, text in frage.antworten}
            for feld in frage.felder:
                wert = z.get(feld.name)
                if wert is None:
                    werte.append("Keine Antwort" if volltext and frage.antworten else "")
                elif frage.antworten:
                    werte.append(codes[wert])
                elif feld.typ is Typ.GANZZAHL:
                    werte.append(f"{wert}.0000000000")
                else:
                    werte.append(wert)
        daten.append(werte)
    return kopf, daten


def limesurvey_csv(
    zeilen: list[Zeile], *, anonymisiert: bool = False, unfertig: frozenset[int] = frozenset()
) -> bytes:
    """LimeSurvey response export: question codes, CODE[SQ], answer codes, all quoted."""
    kopf, daten = _ls_tabelle(zeilen, False, anonymisiert, unfertig)
    return _csv(kopf, daten, quoting=csv.QUOTE_ALL).encode("utf-8")


def limesurvey_xlsx_volltext(zeilen: list[Zeile]) -> bytes:
    """LimeSurvey response export as XLSX with full answer texts ("Keine Antwort")."""
    kopf, daten = _ls_tabelle(zeilen, volltext=True)
    return _xlsx(kopf, daten, blatt="results")


# -- SoSci Survey -------------------------------------------------------------------------------
SOSCI_VORN = ["CASE", "SERIAL", "REF", "QUESTNNR", "MODE", "STARTED"]
SOSCI_HINTEN = [
    "TIME001",
    "TIME002",
    "TIME003",
    "TIME_SUM",
    "MAILSENT",
    "LASTDATA",
    "FINISHED",
    "Q_VIEWER",
    "LASTPAGE",
    "MAXPAGE",
    "MISSING",
    "MISSREL",
    "TIME_RSI",
    "DEG_TIME",
]


def sosci_variablen() -> dict[str, str]:
    """Codebook variable → SoSci variable (questions A101…, scale items A104_01 …)."""
    ergebnis: dict[str, str] = {}
    frage, skala, item = 100, None, 0
    for feld in FELDER:
        if feld.name in ("welle", "datum", "vergleichsgruppe"):
            continue  # wave from QUESTNNR, date from STARTED; the comparison mark not asked
        if feld.skala and feld.skala == skala:
            item += 1
        else:
            frage, skala, item = frage + 1, feld.skala or None, 1
        ergebnis[feld.name] = f"A{frage}_{item:02d}" if feld.skala else f"A{frage}"
    return ergebnis


def sosci_codes(feld: Feld) -> dict[str, str]:
    """Codebook code → SoSci's numeric code (1, 2, … in codebook order; Likert as is)."""
    if feld.name == "standort":
        return {s: str(i) for i, s in enumerate(STANDORTE, start=1)}
    if feld.typ is Typ.GANZZAHL:
        return {w: w for w in feld.werte}
    return {w: str(i) for i, w in enumerate(feld.werte, start=1)}


#: SoSci's German labels of its bookkeeping variables (second header row, if chosen).
SOSCI_META_LABELS = {
    "CASE": "Interview-Nummer (fortlaufend)",
    "SERIAL": "Seriennummer (sofern verwendet)",
    "REF": "Referenz (sofern im Link angegeben)",
    "QUESTNNR": "Fragebogen, der im Interview verwendet wurde",
    "MODE": "Interview-Modus",
    "STARTED": "Zeitpunkt zu dem das Interview begonnen hat (Europe/Berlin)",
    "FINISHED": "Wurde die letzte Seite erreicht?",
    "LASTDATA": "Zeitpunkt als der Datensatz das letzte mal geändert wurde",
}


def sosci_label(feld: Feld) -> str:
    """SoSci's variable label: the question title, for a scale item "Skala: Item"."""
    if feld.skala:
        return f"{feld.skala.replace('_', ' ').capitalize()}: {feld.frage}"
    return feld.frage


def sosci_csv(
    zeilen: list[Zeile],
    *,
    kodierung: str = "utf-8",
    unfertig: frozenset[int] = frozenset(),
    beschriftungen: bool = False,
    standort_aus_ref: bool = False,
) -> bytes:
    """SoSci Survey CSV (tab, with BOM): numeric codes, -9 for 'nicht beantwortet'.

    ``kodierung`` "utf-16" gives SoSci's UTF-16 download (little endian with BOM);
    ``unfertig``: rows (positions) with FINISHED = 0 (the respondent left before the end);
    ``beschriftungen``: the download option with variable labels as a second header row;
    ``standort_aus_ref``: no site question – the site comes from the survey link's reference
    (``?r=KOELN``, stored in REF) and the wave from the questionnaire ID ("wirkung_t1").
    """
    variablen = sosci_variablen()
    if standort_aus_ref:
        variablen.pop("standort")
    kopf = [*SOSCI_VORN, *variablen.values(), *SOSCI_HINTEN]
    daten = []
    if beschriftungen:
        daten.append(
            [SOSCI_META_LABELS.get(s, s) for s in SOSCI_VORN]
            + [sosci_label(FELD[name]) for name in variablen]
            + [SOSCI_META_LABELS.get(s, s) for s in SOSCI_HINTEN]
        )
    for i, z in enumerate(zeilen):
        d = datum(z)
        werte = []
        for name in variablen:
            feld, wert = FELD[name], z.get(name)
            if wert is None:
                werte.append("-9" if name != "code" else "")
            elif feld.werte or name == "standort":
                werte.append(sosci_codes(feld)[wert])
            else:
                werte.append(wert)
        ref, fragebogen = "", z["welle"].lower()
        if standort_aus_ref:
            ref, fragebogen = z["standort"], f"wirkung_{z['welle'].lower()}"
        vorn = [str(200 + i), "", ref, fragebogen, "interview", f"{d.isoformat()} 09:58:01"]
        fertig = "0" if i in unfertig else "1"
        hinten = ["120", "95", "44", "259", "", f"{d.isoformat()} 10:02:20", fertig, "0", "3", "3"]
        daten.append([*vorn, *werte, *hinten, "0", "0", "12", "4"])
    text = "\ufeff" + _csv(kopf, daten, trenner="\t")
    return text.encode("utf-16-le" if kodierung == "utf-16" else kodierung)


def sosci_profil() -> Profil:
    """The mapping a site confirms once for its SoSci questionnaire."""
    variablen = sosci_variablen()
    werte = {
        name: {soSci: code for code, soSci in sosci_codes(FELD[name]).items()}
        for name in variablen
        if (FELD[name].werte and not FELD[name].skala) or name == "standort"
    }
    werte["welle"] = {"t0": "T0", "t1": "T1", "t2": "T2"}
    for name in variablen:  # yes/no scale items (c_kennt_…) are numbered 1 = ja, 2 = nein
        if FELD[name].werte == ("ja", "nein"):
            werte[name] = {"1": "ja", "2": "nein"}
    return Profil(
        name="BERLIN_sosci",
        werkzeug=Werkzeug.SOSCI,
        spalten={"questnnr": "welle", **{sosci.lower(): name for name, sosci in variablen.items()}},
        werte=werte,
    )


STANDORTE_CSV = (
    "standort;name;ort;bundesland;start\n"
    "KOELN;Begegnungshaus Köln;Köln;Nordrhein-Westfalen;01.02.2025\n"
    "BERLIN;Kiezprojekt;Berlin;Berlin;2025-01-15\n"
)


def indikatoren(db: Datenbank) -> pd.DataFrame:
    """The released indicator values in a fixed order, to compare an export with the template."""
    tabelle = berechne(db).indikatoren
    return (
        tabelle[["indikator", "standort", "gruppe", "periode", "wert", "n"]]
        .sort_values(["indikator", "standort", "gruppe", "periode"])
        .reset_index(drop=True)
    )

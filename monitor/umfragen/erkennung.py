"""Tell the survey tool from an export's column names, and which columns are its metadata.

Every tool adds its own bookkeeping columns (submission time, response ID, IP address, page
timings …). They are never data of the questionnaire and some are personal data, so they are
dropped before the mapping even looks at them. Column names arrive lower-cased and trimmed from
:mod:`monitor.einlesen`; every rule here is written for that form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class Werkzeug(StrEnum):
    """Where a survey file comes from."""

    VORLAGE = "vorlage"  # our own CSV/XLSX template: no mapping needed
    KOBO = "kobo"  # KoboToolbox and ODK Central
    LIMESURVEY = "limesurvey"
    MSFORMS = "msforms"
    GOOGLEFORMS = "googleforms"
    SOSCI = "sosci"
    ANDERES = "anderes"  # unknown tool: headers matched by variable name or question wording


WERKZEUG_LABELS: dict[Werkzeug, str] = {
    Werkzeug.VORLAGE: "Importvorlage",
    Werkzeug.KOBO: "KoboToolbox / ODK",
    Werkzeug.LIMESURVEY: "LimeSurvey",
    Werkzeug.MSFORMS: "Microsoft Forms",
    Werkzeug.GOOGLEFORMS: "Google Forms",
    Werkzeug.SOSCI: "SoSci Survey",
    Werkzeug.ANDERES: "anderes Werkzeug",
}

#: Bookkeeping columns per tool (lower-cased). Dropped, never stored.
METADATEN: dict[Werkzeug, frozenset[str]] = {
    Werkzeug.KOBO: frozenset(
        {
            "start",
            "end",
            "today",
            "deviceid",
            "username",
            "phonenumber",
            "simserial",
            "subscriberid",
            "audit",
            "instanceid",
            # ODK Central CSV
            "submissiondate",
            "key",
            "submitterid",
            "submittername",
            "attachmentspresent",
            "attachmentsexpected",
            "status",
            "reviewstate",
            "edits",
            "formversion",
        }
    ),
    Werkzeug.LIMESURVEY: frozenset(
        {
            "id",
            "submitdate",
            "lastpage",
            "startlanguage",
            "seed",
            "startdate",
            "datestamp",
            "token",
            "refurl",
            "ipaddr",
            "interviewtime",
            # headings exported as full text (German interface)
            "antwort id",
            "datum abgeschickt",
            "letzte seite",
            "start-sprache",
            "zufallsstartwert",
            "datum gestartet",
            "datum letzte aktivität",
            "zugangsschlüssel",
            "ip-adresse",
            "verweis-url",
            "gesamtzeit",
        }
    ),
    Werkzeug.MSFORMS: frozenset(
        {
            "id",
            "startzeit",
            "fertigstellungszeit",
            "e-mail",
            "email",
            "name",
            "zeitpunkt der letzten änderung",
            "start time",
            "completion time",
            "last modified time",
            "gesamtpunktzahl",
            "total points",
            "quiz feedback",
        }
    ),
    Werkzeug.GOOGLEFORMS: frozenset(
        {
            "zeitstempel",
            "timestamp",
            "e-mail-adresse",
            "email address",
            "e-mail",
            "email",
            "punktzahl",
            "score",
            "name",
        }
    ),
    Werkzeug.SOSCI: frozenset(
        {
            "case",
            "serial",
            "ref",
            "questnnr",
            "mode",
            "started",
            "finished",
            "lastpage",
            "maxpage",
            "missing",
            "missrel",
            "deg_time",
            "lastdata",
            "q_viewer",
            "mailsent",
            "duration",
        }
    ),
}

#: Metadata recognised by pattern: Kobo's ``_…``/``meta/…``, LimeSurvey's timings, SoSci's TIME*.
_METADATEN_MUSTER: dict[Werkzeug, re.Pattern[str]] = {
    Werkzeug.KOBO: re.compile(r"^(?:_.*|(?:meta|formhub)[/\-.].*)$"),
    Werkzeug.LIMESURVEY: re.compile(r"^(?:grouptime\d+|.+time)$"),
    Werkzeug.SOSCI: re.compile(r"^time(?:_?\w*)$"),
}

#: Columns with the submission time, in order of preference: the survey date when the export has
#: no date question (SPEC §3.1 requires ``datum``).
ZEITSTEMPEL: dict[Werkzeug, tuple[str, ...]] = {
    Werkzeug.KOBO: ("end", "_submission_time", "submissiondate", "start", "today"),
    Werkzeug.LIMESURVEY: ("submitdate", "datestamp", "startdate", "datum abgeschickt"),
    Werkzeug.MSFORMS: ("fertigstellungszeit", "completion time", "startzeit", "start time"),
    Werkzeug.GOOGLEFORMS: ("zeitstempel", "timestamp"),
    Werkzeug.SOSCI: ("started", "lastdata"),
}

#: Columns with the time the tool received a response, in order of preference: which of two
#: submissions of one person and wave is the latest (:mod:`monitor.pruefung`).
EINGANGSZEIT: dict[Werkzeug, tuple[str, ...]] = {
    Werkzeug.KOBO: ("_submission_time", "submissiondate", "end"),
    Werkzeug.LIMESURVEY: ("submitdate", "datum abgeschickt", "datestamp"),
    Werkzeug.MSFORMS: ("fertigstellungszeit", "completion time"),
    Werkzeug.GOOGLEFORMS: ("zeitstempel", "timestamp"),
    Werkzeug.SOSCI: ("lastdata", "started"),
}

#: Columns that say a response is not finished: LimeSurvey leaves ``submitdate`` empty, SoSci
#: writes FINISHED = 0. (Column, values meaning "not finished"; None = an empty cell.)
UNFERTIG: dict[Werkzeug, tuple[tuple[str, frozenset[str | None]], ...]] = {
    Werkzeug.LIMESURVEY: (
        ("submitdate", frozenset({None})),
        ("datum abgeschickt", frozenset({None})),
    ),
    Werkzeug.SOSCI: (("finished", frozenset({"0", "FALSE", "false"})),),
}

_KOBO_MARKER = frozenset(
    {
        "_id",
        "_uuid",
        "_submission_time",
        "_index",
        "_validation_status",
        "__version__",
        "_xform_id_string",
        "meta/instanceid",
        "meta-instanceid",
        "formhub/uuid",
    }
)
_LIMESURVEY_MARKER = (
    frozenset({"submitdate", "lastpage", "startlanguage", "seed"}),
    frozenset({"datum abgeschickt", "letzte seite", "start-sprache", "zufallsstartwert"}),
)
_SOSCI_MARKER = frozenset({"case", "serial", "ref", "questnnr", "mode", "started"})


def erkenne_werkzeug(spalten: Iterable[str]) -> Werkzeug:
    """The tool an export comes from, told by its bookkeeping columns.

    Our own template is recognised by ``code`` + ``welle`` without any tool's markers; a file
    without markers and without those columns is ``ANDERES`` (matched by wording).
    """
    namen = {str(spalte).strip().lower() for spalte in spalten}
    if namen & _KOBO_MARKER or {"submissiondate", "key"} <= namen:
        return Werkzeug.KOBO
    if any(len(namen & marker) >= 2 for marker in _LIMESURVEY_MARKER):
        return Werkzeug.LIMESURVEY
    if {"startzeit", "fertigstellungszeit"} <= namen or {"start time", "completion time"} <= namen:
        return Werkzeug.MSFORMS
    if namen & {"zeitstempel", "timestamp"}:
        return Werkzeug.GOOGLEFORMS
    if len(namen & _SOSCI_MARKER) >= 3:
        return Werkzeug.SOSCI
    if {"code", "welle"} <= namen:
        return Werkzeug.VORLAGE
    return Werkzeug.ANDERES


def ist_metadaten(spalte: str, werkzeug: Werkzeug) -> bool:
    """Whether a (lower-cased) column is the tool's bookkeeping, not a question."""
    name = spalte.strip().lower()
    if name in METADATEN.get(werkzeug, frozenset()):
        return True
    muster = _METADATEN_MUSTER.get(werkzeug)
    return bool(muster and muster.match(name))


def zeitstempel_spalte(spalten: Iterable[str], werkzeug: Werkzeug) -> str | None:
    """The export's submission-time column (source of ``datum`` without a date question)."""
    return next(iter(zeitstempel_spalten(spalten, werkzeug)), None)


def zeitstempel_spalten(
    spalten: Iterable[str],
    werkzeug: Werkzeug,
    reihenfolge: dict[Werkzeug, tuple[str, ...]] = ZEITSTEMPEL,
) -> list[str]:
    """Every timestamp column of the export, in order of preference (row-wise fallbacks)."""
    namen = {str(spalte).strip().lower(): str(spalte) for spalte in spalten}
    return [namen[k] for k in reihenfolge.get(werkzeug, ()) if k in namen]

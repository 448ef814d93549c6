"""LimeSurvey question and answer codes derived from the codebook, both ways.

LimeSurvey allows question codes of 1–20 letters and digits starting with a letter (no
underscore) and answer codes of at most 5 letters and digits, so most codebook names cannot be
used as they are. The codes are derived here by one deterministic rule, used by the generated
survey structure (:mod:`.fragebogen_aus`) and by the import of LimeSurvey response exports
(:mod:`.zuordnung`), so the two can never disagree:

- Scale items with the same answers and waves become one array question (type F) named after
  the scale, e.g. ``kontaktqualitaet``; its items are the subquestions ``SQ001``, ``SQ002`` …,
  exported as ``kontaktqualitaet[SQ001]``.
- Other variables keep their name in camel case (``a_kontakt_haeufigkeit`` →
  ``aKontaktHaeufigkeit``), cut to 20 characters.
- Answer codes stay as in the codebook when LimeSurvey allows them (``1``…``5``, ``ja``,
  ``T0``); otherwise a list gets ``A1``, ``A2`` … in codebook order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from monitor import schema
from monitor.schema import Feld, Typ

MAX_FRAGECODE = 20
_ANTWORTCODE = re.compile(r"[A-Za-z0-9]{1,5}")

#: Variables the LimeSurvey structure does not ask: the date comes from ``submitdate``.
NICHT_GEFRAGT: frozenset[str] = frozenset({"datum"})


@dataclass(frozen=True, slots=True)
class LsFrage:
    """One LimeSurvey question: a single variable, or an array of scale items."""

    code: str
    felder: tuple[Feld, ...]
    antworten: tuple[tuple[str, str, str], ...]  # (LimeSurvey code, codebook value, label)

    @property
    def ist_array(self) -> bool:
        return len(self.felder) > 1

    def spalten(self) -> dict[str, Feld]:
        """Response-export column (as LimeSurvey writes it) → codebook field."""
        if not self.ist_array:
            return {self.code: self.felder[0]}
        return {f"{self.code}[{unterfrage_code(i)}]": f for i, f in enumerate(self.felder, 1)}


def unterfrage_code(nummer: int) -> str:
    """LimeSurvey's own default subquestion code: SQ001, SQ002 …"""
    return f"SQ{nummer:03d}"


def fragecode(name: str) -> str:
    """``a_kontakt_haeufigkeit`` → ``aKontaktHaeufigkeit`` (letters and digits, ≤ 20)."""
    teile = [teil for teil in name.split("_") if teil]
    code = teile[0] + "".join(teil[:1].upper() + teil[1:] for teil in teile[1:])
    code = re.sub(r"[^A-Za-z0-9]", "", code)
    if not code[:1].isalpha():
        code = "q" + code
    return code[:MAX_FRAGECODE]


def _antworten(feld: Feld) -> tuple[tuple[str, str, str], ...]:
    werte = feld.werte or (("ja", "nein") if feld.typ is Typ.JA_NEIN else ())
    labels = feld.labels or werte
    eigene = all(_ANTWORTCODE.fullmatch(wert) for wert in werte)
    return tuple(
        (wert if eigene else f"A{i}", wert, label)
        for i, (wert, label) in enumerate(zip(werte, labels, strict=False), start=1)
    )


@cache
def ls_fragen() -> tuple[LsFrage, ...]:
    """The questions of the LimeSurvey structure, in codebook order."""
    fragen: list[LsFrage] = []
    felder = [f for f in schema.codebuch() if f.name not in NICHT_GEFRAGT]
    i = 0
    while i < len(felder):
        feld = felder[i]
        gruppe = [feld]
        if feld.skala:
            while (
                i + len(gruppe) < len(felder)
                and felder[i + len(gruppe)].skala == feld.skala
                and felder[i + len(gruppe)].werte == feld.werte
                and felder[i + len(gruppe)].wellen == feld.wellen
            ):
                gruppe.append(felder[i + len(gruppe)])
        code = fragecode(feld.skala if len(gruppe) > 1 else feld.name)
        fragen.append(LsFrage(code, tuple(gruppe), _antworten(feld)))
        i += len(gruppe)
    codes = [frage.code.lower() for frage in fragen]
    if len(set(codes)) != len(codes):  # the codebook must keep the rule unambiguous
        raise RuntimeError("LimeSurvey-Fragecodes aus dem Codebuch sind nicht eindeutig.")
    return tuple(fragen)


@cache
def ls_spalten() -> dict[str, tuple[Feld, dict[str, str]]]:
    """Lower-cased response-export column → (field, LimeSurvey answer code → codebook value)."""
    ergebnis: dict[str, tuple[Feld, dict[str, str]]] = {}
    for frage in ls_fragen():
        antworten = {code.lower(): wert for code, wert, _ in frage.antworten}
        for spalte, feld in frage.spalten().items():
            ergebnis[spalte.lower()] = (feld, antworten)
    return ergebnis

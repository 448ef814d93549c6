"""Questionnaires out of the codebook: XLSForm through pyxform, LimeSurvey structure, print HTML."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import defusedxml.ElementTree as ET
import openpyxl
import pytest
from pyxform.xls2xform import convert

from monitor import schema
from monitor.umfragen.fragebogen_aus import (
    AUS_DEM_LINK,
    CODE_HINWEIS,
    FORM_ID,
    fragebogen_html,
    limesurvey_txt,
    limesurvey_zuordnung_csv,
    xlsform_bytes,
)
from monitor.umfragen.limesurvey import ls_spalten

XF = "{http://www.w3.org/2002/xforms}"
FELD = {f.name: f for f in schema.codebuch()}


@pytest.fixture(scope="module")
def xform() -> tuple[ET.Element, list[str]]:
    """The XLSForm converted to XForm XML by pyxform (no ODK Validate, no Java)."""
    warnungen: list[str] = []
    ergebnis = convert(xlsform=xlsform_bytes(), warnings=warnungen, file_type=".xlsx")
    return ET.fromstring(ergebnis.xform), warnungen


def test_xlsform_blaetter_und_feldnamen() -> None:
    mappe = openpyxl.load_workbook(io.BytesIO(xlsform_bytes()))
    assert mappe.sheetnames == ["survey", "choices", "settings"]
    survey = list(mappe["survey"].values)
    kopf = survey[0]
    namen = [dict(zip(kopf, zeile, strict=True))["name"] for zeile in survey[1:]]
    assert [n for n in namen if n in FELD] == [f.name for f in schema.codebuch()]
    settings = dict(zip(*list(mappe["settings"].values), strict=True))
    assert settings["form_id"] == FORM_ID and str(settings["version"]).startswith("cb")


def test_xlsform_durch_pyxform(xform: tuple[ET.Element, list[str]]) -> None:
    wurzel, warnungen = xform
    assert warnungen == []
    binds = {b.get("nodeset").rsplit("/", 1)[1]: b for b in wurzel.iter(f"{XF}bind")}
    assert set(FELD) <= set(binds)
    assert binds["a_thermometer"].get("type") == "int"
    assert binds["a_thermometer"].get("constraint") == ". >= 0 and . <= 100"
    assert binds["a_neue_kontakte"].get("constraint") == ". >= 0 and . <= 99"
    # wave-bound questions are only shown at their waves
    assert "'T1'" in binds["zufriedenheit"].get("relevant")
    assert "'T0'" not in binds["zufriedenheit"].get("relevant")
    assert "'T1'" in binds["a_neue_kontakte"].get("relevant")
    assert "'T2'" in binds["a_neue_kontakte"].get("relevant")
    assert "'T0'" in binds["migrationshintergrund"].get("relevant")
    assert binds["migrationshintergrund"].get("required") == "true()"
    assert binds["a_vertrauen_1"].get("relevant") is None  # asked at every wave
    for name in ("code", "datum"):
        assert binds[name].get("required") == "true()"
    assert "regex" in binds["code"].get("constraint")
    # site and wave: hidden fields (a bind, no control), filled from the link
    for name in AUS_DEM_LINK:
        assert binds[name].get("type") == "string" and binds[name].get("required") is None
        assert not [e for e in wurzel.iter() if (e.get("ref") or "").endswith(f"/{name}")]
        assert f"/allgemein/{name}  != ''" in binds["code"].get("constraint")

    text = ET.tostring(wurzel, encoding="unicode")
    assert CODE_HINWEIS in text  # the German hint on building the code
    assert 'value="today()"' in text  # date defaults to the day of the interview
    # Likert as select_one with the codebook labels, in order (pyxform: secondary instance)
    frage = next(
        e for e in wurzel.iter(f"{XF}select1") if e.get("ref").endswith("/a_kontakt_qualitaet_1")
    )
    assert frage.get("appearance") == "likert"
    assert frage.find(f"{XF}label").text == FELD["a_kontakt_qualitaet_1"].frage

    def liste(select1: ET.Element) -> list[tuple[str, str]]:
        name = re.search(r"instance\('([^']+)'\)", select1.find(f"{XF}itemset").get("nodeset"))
        instanz = next(i for i in wurzel.iter(f"{XF}instance") if i.get("id") == name.group(1))
        return [
            (i.find(f"{XF}name").text, i.find(f"{XF}label").text) for i in instanz.iter(f"{XF}item")
        ]

    assert liste(frage) == list(
        zip(FELD["a_kontakt_qualitaet_1"].werte, FELD["a_kontakt_qualitaet_1"].labels, strict=True)
    )
    geschlecht = next(
        e for e in wurzel.iter(f"{XF}select1") if e.get("ref").endswith("/migrationshintergrund")
    )
    assert [code for code, _ in liste(geschlecht)] == list(FELD["migrationshintergrund"].werte)


def _tsv() -> list[dict[str, str]]:
    text = limesurvey_txt().decode("utf-8")
    assert text.startswith("\ufeffid\trelated_id\tclass\ttype/scale\tname")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter="\t"))


def test_limesurvey_codes_sind_erlaubt() -> None:
    zeilen = _tsv()
    fragen = [z for z in zeilen if z["class"] == "Q"]
    codes = [z["name"] for z in fragen]
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,19}", c) for c in codes), codes
    assert len({c.lower() for c in codes}) == len(codes)
    assert all(re.fullmatch(r"[A-Za-z0-9]{1,5}", z["name"]) for z in zeilen if z["class"] == "A")
    assert all(re.fullmatch(r"SQ\d{3}", z["name"]) for z in zeilen if z["class"] == "SQ")
    typen = {z["name"]: z["type/scale"] for z in fragen}
    assert typen["kontaktqualitaet"] == "F" and typen["aThermometer"] == "N"
    assert typen["welle"] == "L" and typen["code"] == "S"
    relevanz = {z["name"]: z["relevance"] for z in fragen}
    assert relevanz["zufriedenheit"] == '(welle.NAOK == "T1")'
    assert relevanz["vertrauen"] == "1"  # an array asked at every wave
    assert relevanz["aNeueKontakte"] == '(welle.NAOK == "T1") or (welle.NAOK == "T2")'
    einstellungen = {z["name"]: z["text"] for z in zeilen if z["class"] == "S"}
    assert einstellungen["anonymized"] == "Y" and einstellungen["ipaddr"] == "N"
    # every item wording is the codebook's
    texte = {z["text"] for z in zeilen if z["class"] in ("Q", "SQ")}
    assert {f.frage for f in schema.codebuch() if f.name != "datum"} <= texte


def test_limesurvey_zuordnung_deckt_jede_variable() -> None:
    text = limesurvey_zuordnung_csv().decode("utf-8-sig")
    zeilen = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    spalten = {z["limesurvey_spalte"].lower(): z["variable"] for z in zeilen}
    assert {v for v in spalten.values()} == set(FELD)
    assert spalten["kontaktqualitaet[sq002]"] == "a_kontakt_qualitaet_2"
    assert spalten["submitdate"] == "datum" and spalten["datum"] == "datum"
    assert {k: f.name for k, (f, _) in ls_spalten().items()} == {
        k: v for k, v in spalten.items() if k not in ("submitdate", "datum")
    }
    format_ = next(z for z in zeilen if z["variable"] == "format")
    assert format_["antwortcodes"] == "A1=digital|A2=hybrid|A3=praesenz"


class _Pruefer(HTMLParser):
    """Collects text and checks that every opened element is closed (print layout intact)."""

    LEER = frozenset({"meta", "br", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.offen: list[str] = []
        self.text: list[str] = []
        self.kaesten = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.LEER:
            self.offen.append(tag)
        if tag == "span" and "kasten" in (dict(attrs).get("class") or ""):
            self.kaesten += 1

    def handle_endtag(self, tag: str) -> None:
        assert self.offen and self.offen.pop() == tag, tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("welle", ["T0", "T1", "T2"])
def test_druckfassung_je_welle(welle: str) -> None:
    seite = fragebogen_html(welle)
    pruefer = _Pruefer()
    pruefer.feed(seite)
    assert pruefer.offen == []
    text = " ".join(pruefer.text)
    for feld in schema.codebuch():
        if feld.name in AUS_DEM_LINK:
            continue  # pre-printed, not asked (see test_druckfassung_ohne_interna)
        gefragt = welle in feld.wellen
        assert (feld.frage in text) is gefragt, (feld.name, welle)
        if gefragt and feld.labels and feld.name != "welle":
            assert all(label in text for label in feld.labels), feld.name
    assert "@page" in seite and "@media print" in seite
    assert CODE_HINWEIS in text
    assert pruefer.kaesten > 100

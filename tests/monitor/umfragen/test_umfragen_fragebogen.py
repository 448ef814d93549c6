"""Questionnaires out of the codebook: XLSForm through pyxform, LimeSurvey structure, print HTML."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import defusedxml.ElementTree as ET
import openpyxl
import pytest
from pyxform.xls2xform import convert

from monitor import schema
from monitor.pruefung import CODE_MAX, CODE_MIN, CODE_MUSTER
from monitor.umfragen.fragebogen_aus import (
    AUS_DEM_LINK,
    AUS_DEM_LINK_FREIWILLIG,
    CODE_HINWEIS,
    FORM_ID,
    LinkFehler,
    fragebogen_html,
    limesurvey_txt,
    limesurvey_zuordnung_csv,
    umfrage_links,
    xlsform_bytes,
)
from monitor.umfragen.limesurvey import ls_spalten
from tests.monitor.test_cli import monitor  # the CLI as a real subprocess

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
        if feld.name in AUS_DEM_LINK_FREIWILLIG:
            assert feld.frage not in text  # the comparison mark is never printed
            continue
        gefragt = welle in feld.wellen
        assert (feld.frage in text) is gefragt, (feld.name, welle)
        if gefragt and feld.labels and feld.name != "welle":
            assert all(label in text for label in feld.labels), feld.name
    assert "@page" in seite and "@media print" in seite
    assert CODE_HINWEIS in text
    assert pruefer.kaesten > 100


# -- site and wave from the link; one code rule everywhere --------------------------------------
ENKETO = "https://ee.kobotoolbox.org/x/AbCd1234"
LIMESURVEY = "https://umfrage.example.org/index.php/123456"


@pytest.mark.parametrize("laenge", [3, 4, 5, 31, 32, 33, 40])
def test_codelaenge_im_formular_wie_im_import(xform, laenge: int) -> None:
    """The XLSForm constraint (as pyxform writes it), the LimeSurvey validation and the
    import accept exactly the same code lengths."""
    wurzel, _ = xform
    binds = {b.get("nodeset").rsplit("/", 1)[1]: b for b in wurzel.iter(f"{XF}bind")}
    form_regex = re.search(r"regex\(\., '([^']+)'\)", binds["code"].get("constraint")).group(1)
    ls_regex = next(z["validation"] for z in _tsv() if z["name"] == "code").strip("/")
    code = ("ab12cd" * 10)[:laenge]
    import_ok = re.fullmatch(CODE_MUSTER, code) is not None
    assert (re.fullmatch(form_regex, code) is not None) is import_ok
    assert (re.fullmatch(ls_regex, code) is not None) is import_ok
    assert import_ok is (CODE_MIN <= laenge <= CODE_MAX)


def test_enketo_link_fuellt_genau_die_versteckten_felder(xform) -> None:
    """Every d[...] path of the link is the nodeset pyxform gives the hidden field."""
    wurzel, _ = xform
    nodesets = {
        b.get("nodeset").rsplit("/", 1)[1]: b.get("nodeset") for b in wurzel.iter(f"{XF}bind")
    }
    links = umfrage_links(["koeln", "BERLIN"], kobo=ENKETO)
    assert [(k.standort, k.welle) for k in links] == [
        (s, w) for s in ("BERLIN", "KOELN") for w in schema.WELLEN
    ]
    link = next(k for k in links if (k.standort, k.welle) == ("KOELN", "T1"))
    parameter = parse_qs(urlsplit(link.url).query)
    assert parameter == {
        f"d[{nodesets['standort']}]": ["KOELN"],
        f"d[{nodesets['welle']}]": ["T1"],
    }
    assert link.url.startswith(ENKETO + "?")


def test_limesurvey_link_nennt_die_versteckten_fragen() -> None:
    fragen = {z["name"]: z for z in _tsv() if z["class"] == "Q"}
    for name in AUS_DEM_LINK:
        assert fragen[name]["hidden"] == "1" and fragen[name]["mandatory"] == "N"
    assert fragen["datum"]["type/scale"] == "*" and fragen["datum"]["hidden"] == "1"
    (link,) = [k for k in umfrage_links(["KOELN"], limesurvey=LIMESURVEY) if k.welle == "T2"]
    parameter = parse_qs(urlsplit(link.url).query)
    assert parameter == {"lang": ["de"], "standort": ["KOELN"], "welle": ["T2"]}
    assert set(parameter) - {"lang"} <= set(fragen)  # URL parameters are question codes
    welle_codes = [z["name"] for z in _tsv() if z["class"] == "A"]
    assert "T2" in welle_codes  # the wave's answer code itself
    with pytest.raises(LinkFehler, match="keine Internetadresse"):
        umfrage_links(["KOELN"], limesurvey="umfrage.example.org")


def test_druckfassung_ohne_interna_mit_codekaesten_und_vorgedrucktem_standort() -> None:
    seite = fragebogen_html("T1", "KOELN")
    pruefer = _Pruefer()
    pruefer.feed(seite)
    text = " ".join(pruefer.text)
    sichtbar = text.split("@media print", 1)[-1]  # after the style sheet
    assert re.search(r"Standort:\s*KOELN", sichtbar)
    assert "T1 – Ende des Angebots" in sichtbar
    for feld in schema.codebuch():
        if "_" in feld.name:
            assert feld.name not in sichtbar, feld.name  # no variable names
    assert "[" not in sichtbar  # no "[variable]" hints
    stand = re.search(r'<meta name="codebuch-stand" content="(cb[0-9a-f]{10})">', seite)
    assert stand and stand.group(1) not in sichtbar
    assert seite.count('class="box"') == 6  # 2 letters, 2 digits, 2 letters
    # no orphan headings: each heading shares an unbreakable block with its first question
    assert "break-after: avoid" in seite
    assert seite.count("<h2>") == seite.count('<div class="abschnitt-anfang"><h2>') >= 3
    assert "Befragungszeitpunkt" in sichtbar and "T0 – Beginn" not in sichtbar


def test_vorlagen_mit_links_und_qr(tmp_path: Path) -> None:
    ordner = tmp_path / "vorlagen"
    lauf = monitor(
        "vorlagen",
        ordner,
        "--standort",
        "koeln",
        "--kobo-link",
        ENKETO,
        "--limesurvey-link",
        LIMESURVEY,
        db=tmp_path / "nie.duckdb",
    )
    assert lauf.returncode == 0, lauf.stderr
    zeilen = list(
        csv.DictReader(io.StringIO((ordner / "links.csv").read_text("utf-8-sig")), delimiter=";")
    )
    assert len(zeilen) == 6 and {z["werkzeug"] for z in zeilen} == {"kobo", "limesurvey"}
    for welle in schema.WELLEN:
        assert (ordner / f"fragebogen_KOELN_{welle}.html").exists()
        png = (ordner / f"qr_KOELN_{welle}_kobo.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert (ordner / f"qr_KOELN_{welle}_limesurvey.svg").read_text().startswith("<svg")
    blatt = (ordner / "links_KOELN.html").read_text("utf-8")
    assert blatt.count("<svg") == 6 and "@page { size: A4" in blatt
    falsch = monitor(
        "vorlagen", ordner, "--standort", "X1", "--kobo-link", "ftp://x", db=tmp_path / "n.duckdb"
    )
    assert falsch.returncode != 0 and "keine Internetadresse" in falsch.stderr

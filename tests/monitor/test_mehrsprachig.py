"""The questionnaire in every language outside the dashboard (issue 17): XLSForm and print.

The XLSForm is converted by pyxform (the converter KoboToolbox and ODK use); the expected
texts are read from the shipped translation files, the structure from the codebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest
from pyxform.xls2xform import convert

from monitor import erhebung, schema
from monitor import uebersetzung as ue
from monitor.cli import main
from monitor.mehrsprachig import druckfassung_html, sprachspalte, xlsform_mehrsprachig
from monitor.umfragen.fragebogen_aus import xlsform_bytes

XF = "{http://www.w3.org/2002/xforms}"


@pytest.fixture(scope="module")
def xform() -> ET.Element:
    warnungen: list[str] = []
    ergebnis = convert(xlsform=xlsform_mehrsprachig(), warnings=warnungen, file_type=".xlsx")
    assert warnungen == []
    return ET.fromstring(ergebnis.xform)


def _gerade(text: str) -> str:
    """pyxform writes typographic apostrophes (’) as straight ones (')."""
    return text.replace("’", "'")


def _texte(wurzel: ET.Element, sprache: str) -> dict[str, str]:
    uebersetzung = next(
        t for t in wurzel.iter(f"{XF}translation") if t.get("lang") == sprachspalte(sprache)
    )
    return {
        text.get("id"): "".join(text.find(f"{XF}value").itertext())
        for text in uebersetzung.iter(f"{XF}text")
        if text.find(f"{XF}value") is not None
    }


def test_xlsform_hat_jede_sprache_und_deutsch_als_standard(xform: ET.Element) -> None:
    sprachen = {t.get("lang") for t in xform.iter(f"{XF}translation")}
    assert sprachen == {sprachspalte(code) for code in ue.SPRACHEN}
    standard = [t for t in xform.iter(f"{XF}translation") if t.get("default")]
    assert [t.get("lang") for t in standard] == ["Deutsch (de)"]


@pytest.mark.parametrize("sprache", ["ar", "uk", "leicht", "en"])
def test_xlsform_fragen_und_antworten_uebersetzt(xform: ET.Element, sprache: str) -> None:
    texte = set(_texte(xform, sprache).values())
    for feld in erhebung.fragen("T0"):
        if feld.name == "code":
            continue
        assert _gerade(ue.uebersetze(sprache, feld.frage)) in texte, feld.name
        for label in feld.labels:
            assert _gerade(ue.uebersetze(sprache, label)) in texte, (feld.name, label)
    assert _gerade(ue.uebersetze(sprache, ue.T_CODE_ERKLAERUNG)) in texte  # the code hint


def test_gleiche_felder_und_antwortcodes_wie_das_deutsche_xlsform(xform: ET.Element) -> None:
    """Adding languages changes no question, rule or answer code of the German form."""
    deutsch = ET.fromstring(convert(xlsform=xlsform_bytes(), warnings=[], file_type=".xlsx").xform)

    def binds(wurzel: ET.Element) -> list[dict[str, str]]:
        """Every rule of every field; the message becomes a reference to its translations."""
        return [
            {k: v for k, v in b.attrib.items() if not k.endswith("constraintMsg")}
            for b in wurzel.iter(f"{XF}bind")
        ]

    def codes(wurzel: ET.Element) -> list[str | None]:
        return [n.text for item in wurzel.iter(f"{XF}item") for n in item.iter(f"{XF}name")]

    assert binds(xform) == binds(deutsch)
    assert codes(xform) == codes(deutsch)
    gewaehlt = {w for f in schema.codebuch() if f.name != "welle" for w in f.werte}
    assert gewaehlt <= set(codes(xform))  # the wave comes from the link (hidden field)


@pytest.mark.parametrize("sprache", list(ue.SPRACHEN))
def test_druckfassung_je_sprache(sprache: str) -> None:
    text = druckfassung_html("T1", sprache)
    s = ue.SPRACHEN[sprache]
    assert f'dir="{"rtl" if s.rtl else "ltr"}"' in text
    assert (ue.uebersetze(sprache, ue.T_ENTWURF) in text) is s.entwurf
    fragen = [f for _, felder in erhebung.bloecke("T1") for f in felder]
    for feld in fragen:
        frage = ue.uebersetze(sprache, feld.frage)
        assert frage.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#x27;") in text
    # T1 asks satisfaction, not the migration background (that comes from T0)
    assert any(f.name == "zufriedenheit" for f in fragen)
    assert not any(f.name == "migrationshintergrund" for f in fragen)
    assert len(re.findall("☐", text)) == sum(len(f.werte) for f in fragen)


def test_cli_schreibt_alle_sprachen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fragebogen-sprachen", str(tmp_path / "aus")]) == 0
    dateien = sorted(p.name for p in (tmp_path / "aus").iterdir())
    assert "fragebogen_kobo_mehrsprachig.xlsx" in dateien
    assert len([d for d in dateien if d.endswith(".html")]) == 3 * len(ue.SPRACHEN)
    assert "Arabisch" in capsys.readouterr().out

"""Declarative validation: every rule reports row (as in the file), column, value and reason."""

from __future__ import annotations

import pandas as pd
import pytest

from monitor import schema
from monitor.einlesen import lies_tabelle
from monitor.pruefung import (
    DOPPELTE_ABLEHNEN,
    ArtNichtErkannt,
    Fehler,
    Importoptionen,
    Pruefergebnis,
    erkenne_art,
    ist_personenbezogen,
    pruefe,
)
from monitor.schema import Art

STANDORTE = {"KOELN", "BERLIN"}


@pytest.fixture
def pruefe_text(schreibe):
    """Write the text as a real CSV file, read it and check it against the two known sites."""

    def pruefen(
        text: str,
        art: Art | None = None,
        encoding: str = "utf-8",
        optionen: Importoptionen | None = None,
    ) -> Pruefergebnis:
        tabelle = lies_tabelle(schreibe("datei.csv", text, encoding=encoding))
        return pruefe(
            tabelle, art, dateiname="datei.csv", bekannte_standorte=STANDORTE, optionen=optionen
        )

    return pruefen


def _gruende(ergebnis: Pruefergebnis) -> set[tuple[int, str, str]]:
    return {(f.zeile, f.spalte, f.wert) for f in ergebnis.fehler}


def _fehler(ergebnis: Pruefergebnis, zeile: int, spalte: str) -> Fehler:
    treffer = [f for f in ergebnis.fehler if f.zeile == zeile and f.spalte == spalte]
    assert treffer, f"kein Fehler in Zeile {zeile}, Spalte {spalte}: {ergebnis.bericht()}"
    return treffer[0]


def test_gueltige_befragung_wird_kanonisch_und_typisiert(pruefe_text, befragung_kopf) -> None:
    text = (
        f"{befragung_kopf};b_oeffentlich;format\n"
        "abcd1;koeln;t0;01.03.2025; Ja ;;55;;Präsenz\n"
        "abcd1;KOELN;T1;2025-06-30;;4;60,0;NEIN;digital\n"
    )
    ergebnis = pruefe_text(text)
    assert ergebnis.ok, ergebnis.bericht()
    assert ergebnis.art is Art.BEFRAGUNG and ergebnis.zeilen == 2
    daten = ergebnis.daten
    assert daten["standort"].tolist() == ["KOELN", "KOELN"]
    assert daten["welle"].tolist() == ["T0", "T1"]
    assert daten.loc[2, "migrationshintergrund"] == "ja"
    assert daten["format"].tolist() == ["praesenz", "digital"]
    assert daten["datum"].tolist() == [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-06-30")]
    assert daten["a_thermometer"].tolist() == [55, 60]
    assert str(daten["zufriedenheit"].dtype) == "Int64"
    assert daten["b_oeffentlich"].isna().tolist() == [True, False]
    assert not daten.loc[3, "b_oeffentlich"]
    assert "Keine Fehler" in ergebnis.bericht()


@pytest.mark.parametrize(
    ("zeile", "spalte", "wert", "grund"),
    [
        ("abcd1;KOELN;T5;01.03.2025;ja;;", "welle", "T5", "erlaubt: T0, T1, T2"),
        (
            "abcd1;KOELN;T0;01.03.2025;vielleicht;;",
            "migrationshintergrund",
            "vielleicht",
            "nicht erlaubt",
        ),
        ("abcd1;KOELN;T1;01.03.2025;;6;", "zufriedenheit", "6", "1–5"),
        ("abcd1;KOELN;T1;01.03.2025;;0;", "zufriedenheit", "0", "1–5"),
        ("abcd1;KOELN;T0;01.03.2025;ja;;101", "a_thermometer", "101", "0–100"),
        ("abcd1;KOELN;T0;01.03.2025;ja;;-1", "a_thermometer", "-1", "0–100"),
        ("abcd1;KOELN;T0;01.03.2025;ja;;warm", "a_thermometer", "warm", "keine Zahl"),
        ("abcd1;KOELN;T1;01.03.2025;;3,5;", "zufriedenheit", "3,5", "keine ganze Zahl"),
        ("abcd1;KOELN;T0;31.02.2025;ja;;", "datum", "31.02.2025", "ungültiges Datum"),
        ("abcd1;KOELN;T0;2025/03/01;ja;;", "datum", "2025/03/01", "JJJJ-MM-TT oder TT.MM.JJJJ"),
        ("abcd1;KOELN;T0;01.03.1899;ja;;", "datum", "01.03.1899", "unplausibles Datum"),
        ("ab;KOELN;T0;01.03.2025;ja;;", "code", "ab", "4–32 Zeichen"),
        ("abc d;KOELN;T0;01.03.2025;ja;;", "code", "abc d", "ungültiger Code"),
        ("x" * 33 + ";KOELN;T0;01.03.2025;ja;;", "code", "x" * 33, "ungültiger Code"),
        ("abcd1;KÖLN;T0;01.03.2025;ja;;", "standort", "KÖLN", "ungültige Standort-Kennung"),
        ("abcd1;HAMBURG;T0;01.03.2025;ja;;", "standort", "HAMBURG", "unbekannter Standort"),
        ("abcd1;KOELN;T0;;ja;;", "datum", "", "Pflichtangabe fehlt"),
        ("abcd1;KOELN;T0;01.03.2025;;;", "migrationshintergrund", "", "bei Welle T0 fehlt"),
    ],
)
def test_einzelne_fehler_nennen_zeile_spalte_wert_grund(
    pruefe_text, befragung_kopf, zeile: str, spalte: str, wert: str, grund: str
) -> None:
    text = f"{befragung_kopf}\nabcd9;BERLIN;T0;01.03.2025;nein;;\n{zeile}\n"
    ergebnis = pruefe_text(text)
    assert not ergebnis.ok
    fehler = _fehler(ergebnis, 3, spalte)
    assert fehler.wert == wert
    assert grund in fehler.grund
    assert all(f.zeile != 2 for f in ergebnis.fehler), "die gültige Zeile hat keine Fehler"
    bericht = ergebnis.bericht()
    assert "datei.csv" in bericht and f"Zeile 3, Spalte '{spalte}'" in bericht
    if wert:
        assert f"Wert '{wert}'" in bericht


def test_alle_fehler_werden_gesammelt_und_zeilen_stimmen(pruefe_text, befragung_kopf) -> None:
    text = (
        f"{befragung_kopf}\n"
        "abcd1;KOELN;T0;01.03.2025;ja;;\n"
        "\n"  # blank line: still counts as a row in the file
        "abcd2;XX_1;T9;32.01.2025;;;\n"
        "abcd1;KOELN;T0;02.03.2025;nein;;\n"
    )
    ergebnis = pruefe_text(text, optionen=Importoptionen(doppelte=DOPPELTE_ABLEHNEN))
    assert {("4", "standort"), ("4", "welle"), ("4", "datum")} <= {
        (str(f.zeile), f.spalte) for f in ergebnis.fehler
    }
    doppelt = _fehler(ergebnis, 5, "standort, code, welle")
    assert doppelt.wert == "KOELN / abcd1 / T0"
    assert "Zeile 2" in doppelt.grund
    assert ergebnis.fehler_gesamt == len(ergebnis.fehler) == 4
    tabelle = ergebnis.fehler_tabelle()
    assert list(tabelle.columns) == ["Zeile", "Spalte", "Wert", "Grund"]
    assert tabelle["Zeile"].tolist() == [4, 4, 4, 5]


def test_fehlende_pflichtspalten(pruefe_text) -> None:
    ergebnis = pruefe_text("code;welle;migrationshintergrund\nabcd1;T0;ja\n", Art.BEFRAGUNG)
    fehlend = {f.spalte for f in ergebnis.fehler if f.grund == "Pflichtspalte fehlt"}
    assert fehlend == {"standort", "datum"}
    assert all(f.zeile == 1 for f in ergebnis.fehler)


def test_migrationshintergrund_spalte_fehlt_bei_t0(pruefe_text) -> None:
    ergebnis = pruefe_text("code;standort;welle;datum\nabcd1;KOELN;T0;01.03.2025\n")
    assert _fehler(ergebnis, 1, "migrationshintergrund").grund.startswith("Spalte fehlt")
    nur_t1 = pruefe_text("code;standort;welle;datum\nabcd1;KOELN;T1;01.03.2025\n")
    assert nur_t1.ok, nur_t1.bericht()


def test_wellenfremde_angabe_ist_nur_hinweis(pruefe_text, befragung_kopf) -> None:
    ergebnis = pruefe_text(f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;ja;5;\n")
    assert ergebnis.ok
    hinweis = next(h for h in ergebnis.hinweise if "zufriedenheit" in h)
    assert "T0" in hinweis and "Zeilen 2" in hinweis
    assert ergebnis.daten.loc[2, "zufriedenheit"] == 5


def test_viele_fehler_werden_im_bericht_gekappt(pruefe_text, befragung_kopf) -> None:
    zeilen = "".join(f"abcd{i};KOELN;T7;01.03.2025;ja;;\n" for i in range(80))
    ergebnis = pruefe_text(f"{befragung_kopf}\n{zeilen}")
    assert ergebnis.fehler_gesamt == 80
    bericht = ergebnis.bericht(max_fehler=50)
    assert "… und 30 weitere" in bericht
    assert bericht.count("Spalte 'welle'") == 50


def test_personenbezogene_spalten_werden_verworfen(pruefe_text, befragung_kopf) -> None:
    text = (
        f"{befragung_kopf};E-Mail-Adresse;Telefonnummer;IP-Adresse;Vorname;email;bemerkung\n"
        "abcd1;KOELN;T0;01.03.2025;ja;;;a@b.de;0151;1.2.3.4;Anna;x@y.de;egal\n"
    )
    ergebnis = pruefe_text(text)
    assert ergebnis.ok
    for spalte in ("e-mail-adresse", "telefonnummer", "ip-adresse", "vorname", "email"):
        assert (
            f"Spalte '{spalte}' enthält personenbezogene Daten und wurde nicht übernommen."
            in ergebnis.hinweise
        )
    assert "Unbekannte Spalte 'bemerkung' wurde ignoriert." in ergebnis.hinweise
    assert list(ergebnis.daten.columns) == befragung_kopf.split(";")
    assert "a@b.de" not in ergebnis.daten.to_csv()


def test_deklarierte_spalten_gewinnen_gegen_pii_muster(pruefe_text) -> None:
    standorte = pruefe_text(
        "Standort;Name;Ort;Bundesland;Start;Telefon\n"
        "KOELN;Haus Köln;Köln;nordrhein-westfalen;01.02.2025;0221\n"
    )
    assert standorte.ok, standorte.bericht()
    assert standorte.daten.loc[2, "name"] == "Haus Köln"
    assert standorte.daten.loc[2, "bundesland"] == "Nordrhein-Westfalen"
    assert any("'telefon'" in h and "personenbezogen" in h for h in standorte.hinweise)


@pytest.mark.parametrize(
    ("spalte", "erwartet"),
    [
        ("E-Mail", True),
        ("E-Mail-Adresse", True),
        ("Telefonnummer", True),
        ("IP-Adresse", True),
        ("Nachname", True),
        ("Name", True),
        ("Straße", True),
        ("geburtsdatum", True),
        ("titel", False),
        ("typ", False),
        ("bemerkung", False),
        ("standortname", False),
    ],
)
def test_pii_erkennung(spalte: str, erwartet: bool) -> None:
    assert ist_personenbezogen(spalte) is erwartet


def test_aktivitaeten_regeln(pruefe_text) -> None:
    kopf = (
        "aktivitaet_id;standort;datum;titel;typ;format;teilnehmende_gesamt;"
        "teilnehmende_mit_mh;teilnehmende_ohne_mh;neue_teilnehmende;teilnehmende_mit_rolle;"
        "oeffentlich;reichweite;dauer_min"
    )
    text = (
        f"{kopf}\n"
        "a1;KOELN;01.03.2025;Begegnung „Straßenfest“ – €;Begegnung;präsenz;20;8;10;5;2;ja;1000;90\n"
        "a2;KOELN;02.03.2025;Workshop;workshop;digital;10;8;5;11;12;vielleicht;-3;zwei\n"
        "a1;KOELN;03.03.2025;doppelt;dialog;hybrid;5;;;;;;;\n"
        "a1;BERLIN;03.03.2025;andere Stadt;dialog;hybrid;5;;;;;;1.000;\n"
    )
    ergebnis = pruefe_text(text, encoding="cp1252")
    assert ergebnis.art is Art.AKTIVITAETEN
    assert _fehler(ergebnis, 3, "teilnehmende_mit_mh + teilnehmende_ohne_mh").wert == "8 + 5 > 10"
    assert _fehler(ergebnis, 3, "neue_teilnehmende").wert == "11 > 10"
    assert _fehler(ergebnis, 3, "teilnehmende_mit_rolle").wert == "12 > 10"
    assert "erlaubt: ja, nein" in _fehler(ergebnis, 3, "oeffentlich").grund
    assert _fehler(ergebnis, 3, "reichweite").grund == "darf nicht negativ sein"
    assert _fehler(ergebnis, 3, "dauer_min").grund == "keine Zahl"
    assert "Zeile 2" in _fehler(ergebnis, 4, "standort, aktivitaet_id").grund
    assert "Tausendertrennzeichen" in _fehler(ergebnis, 5, "reichweite").grund
    assert not [f for f in ergebnis.fehler if f.zeile == 2], ergebnis.bericht()
    assert ergebnis.daten.loc[2, "titel"] == "Begegnung „Straßenfest“ – €"
    assert ergebnis.daten.loc[2, "typ"] == "begegnung"


def test_zielwerte_indikator_und_gesamtprojekt(pruefe_text) -> None:
    text = (
        "indikator;standort;basiswert;zielwert;stichtag\n"
        "a3;;40,5;60;31.12.2026\n"
        "B6;KOELN;;1.5;2026-12-31\n"
        "X9;KOELN;;10;2026-12-31\n"
        "A3;gesamt;;70;2026-12-31\n"
    )
    ergebnis = pruefe_text(text)
    assert ergebnis.art is Art.ZIELWERTE
    assert _fehler(ergebnis, 4, "indikator").wert == "X9"
    doppelt = _fehler(ergebnis, 5, "indikator, standort")
    assert "Zeile 2" in doppelt.grund
    assert len(ergebnis.fehler) == 2
    assert ergebnis.daten.loc[2, "standort"] == "gesamt"
    assert ergebnis.daten.loc[2, "indikator"] == "A3"
    assert ergebnis.daten.loc[2, "basiswert"] == 40.5
    assert ergebnis.daten.loc[3, "zielwert"] == 1.5


def test_zielwerte_ohne_standortspalte_gelten_fuers_projekt(pruefe_text) -> None:
    ergebnis = pruefe_text("indikator;zielwert;stichtag\nA1;100;31.12.2026\n")
    assert ergebnis.ok
    assert ergebnis.daten.loc[2, "standort"] == "gesamt"


def test_standorte_datei_braucht_keine_bekannten_standorte(pruefe_text, standorte_text) -> None:
    ergebnis = pruefe_text(standorte_text.replace("KOELN", "NEU_1"))
    assert ergebnis.ok, ergebnis.bericht()
    assert ergebnis.daten.loc[2, "lat"] == pytest.approx(50.94)
    doppelt = pruefe_text(standorte_text + standorte_text.splitlines()[1] + "\n")
    assert "Zeile 2" in _fehler(doppelt, 4, "standort").grund
    falsch = pruefe_text(standorte_text.replace("Berlin;;;", "Bayern-Nord;;;"))
    assert "nicht erlaubt" in _fehler(falsch, 3, "bundesland").grund


def test_standort_aus_demselben_stapel_ist_bekannt(schreibe, befragung_kopf) -> None:
    tabelle = lies_tabelle(schreibe("b.csv", f"{befragung_kopf}\nabcd1;NEU;T0;01.03.2025;ja;;\n"))
    ohne = pruefe(tabelle, bekannte_standorte=STANDORTE)
    mit = pruefe(tabelle, bekannte_standorte=STANDORTE, standorte_im_stapel={"NEU"})
    assert not ohne.ok and mit.ok


@pytest.mark.parametrize(
    ("spalten", "art"),
    [
        (["code", "welle", "standort"], Art.BEFRAGUNG),
        (["aktivitaet_id", "standort"], Art.AKTIVITAETEN),
        (["indikator", "zielwert"], Art.ZIELWERTE),
        (["standort", "bundesland", "name"], Art.STANDORTE),
    ],
)
def test_art_erkennung(spalten: list[str], art: Art) -> None:
    assert erkenne_art(spalten) is art


def test_art_nicht_erkennbar_oder_mehrdeutig() -> None:
    with pytest.raises(ArtNichtErkannt, match="nicht erkennbar"):
        erkenne_art(["foo", "bar"], "x.csv")
    with pytest.raises(ArtNichtErkannt, match="nicht eindeutig"):
        erkenne_art(["code", "welle", "bundesland"])


def test_art_explizit_als_text(pruefe_text) -> None:
    ergebnis = pruefe_text("standort;bundesland\nKOELN;Berlin\n", "zielwerte")
    assert ergebnis.art is Art.ZIELWERTE
    assert {f.spalte for f in ergebnis.fehler} >= {"indikator", "zielwert", "stichtag"}


def test_jede_deklaration_hat_einen_pruefpfad() -> None:
    """Every declared column type is handled (a new Typ would otherwise slip through)."""
    for art in Art:
        for feld in schema.felder(art):
            assert feld.typ in schema.Typ
            if feld.typ in (schema.Typ.KATEGORIE, schema.Typ.JA_NEIN):
                assert feld.werte, feld.name


def test_antwortlabels_und_dezimalpunkt_werden_verstanden(pruefe_text, standorte_text) -> None:
    ergebnis = pruefe_text(
        "code;standort;welle;datum;migrationshintergrund;a_vertrauen_1;geschlecht\n"
        "abcd1;KOELN;T0;01.03.2025;Keine Angabe;Trifft eher zu;Männlich\n"
    )
    assert ergebnis.ok, ergebnis.bericht()
    assert ergebnis.daten.loc[2, "a_vertrauen_1"] == 4
    assert ergebnis.daten.loc[2, "migrationshintergrund"] == "keine_angabe"
    assert ergebnis.daten.loc[2, "geschlecht"] == "maennlich"
    punkt = pruefe_text(standorte_text.replace("50,94;6,96", "50.940;6.960"))
    assert punkt.ok and punkt.daten.loc[2, "lat"] == pytest.approx(50.94)


@pytest.mark.parametrize("zahl", ["9223372036854775808", "99999999999999999999999", "2147483648"])
def test_riesige_zahl_ist_eine_fehlerzeile_kein_absturz(pruefe_text, zahl: str) -> None:
    """≥ 2^63 (or beyond DuckDB's INTEGER) used to crash deep in pandas; now a report row."""
    text = (
        "aktivitaet_id;standort;datum;titel;typ;format;teilnehmende_gesamt\n"
        f"a1;KOELN;2025-03-01;Fest;begegnung;digital;{zahl}\n"
        "a2;KOELN;2025-03-02;Fest;begegnung;digital;12\n"
    )
    ergebnis = pruefe_text(text)
    fehler = _fehler(ergebnis, 2, "teilnehmende_gesamt")
    assert fehler.wert == zahl and "Zahl zu groß" in fehler.grund
    assert ergebnis.fehler_gesamt == 1


def test_viele_unbekannte_spalten_ein_hinweis(pruefe_text, befragung_kopf) -> None:
    extra = ";".join(f"notiz_{i}" for i in range(40))
    text = f"{befragung_kopf};{extra}\nabcd1;KOELN;T0;01.03.2025;ja;;{';' * 40}\n"
    ergebnis = pruefe_text(text)
    assert ergebnis.ok, ergebnis.bericht()
    assert [h for h in ergebnis.hinweise if "unbekannt" in h.lower()] == [
        "40 unbekannte Spalten wurden ignoriert ('notiz_0', 'notiz_1', 'notiz_2', 'notiz_3', "
        "'notiz_4' …)."
    ]


def test_jede_ablehnung_beginnt_mit_ursache_und_abhilfe(pruefe_text, befragung_kopf) -> None:
    fehlt = pruefe_text("code;standort;datum\nabcd1;KOELN;01.03.2025\n", Art.BEFRAGUNG)
    assert fehlt.bericht().splitlines()[1] == (
        "Nicht übernommen: die Pflichtspalte(n) welle fehlen; bitte die Kopfzeile mit der "
        "Importvorlage vergleichen (Tippfehler, andere Spaltennamen) oder einen Export eines "
        "Umfragewerkzeugs mit einem Zuordnungsprofil importieren."
    )
    werte = pruefe_text(f"{befragung_kopf}\nabcd1;KOELN;T7;01.03.2025;ja;;\n")
    zeile = werte.bericht().splitlines()[1]
    assert zeile.startswith("Nicht übernommen: 1 Zeile enthält Werte, die nicht zum Codebuch")
    assert "Spalte welle" in zeile and "Zeile 2" in zeile

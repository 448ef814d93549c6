"""Mapping decisions: unknown and ambiguous headers, unknown labels, profiles, storage."""

from __future__ import annotations

import pandas as pd
import pytest
from umfrage_exporte import (
    FELD,
    Zeile,
    google_forms_csv,
    google_koepfe,
    ms_forms_xlsx,
)

from monitor.db import Datenbank
from monitor.einlesen import lies_bytes
from monitor.importieren import importiere, pruefe_datei
from monitor.umfragen.erkennung import Werkzeug, erkenne_werkzeug
from monitor.umfragen.profile import (
    finde_profil,
    lade_profil,
    loesche_profil,
    profile,
    speichere_profil,
)
from monitor.umfragen.zuordnung import (
    OFFEN,
    Profil,
    Status,
    ZuordnungAbgelehnt,
    ZuordnungsFehler,
    antwortoptionen,
    schlage_vor,
    schlage_vor_datei,
    textschluessel,
    variablen,
    wende_an,
)


def _google_tabelle(zeilen: list[Zeile], ersetzen: dict[str, str]) -> pd.DataFrame:
    """A Google export whose headers are changed like a site edits its form."""
    text = google_forms_csv(zeilen).decode("utf-8")
    for alt, neu in ersetzen.items():
        assert alt in text
        text = text.replace(alt, neu, 1)
    return lies_bytes(text.encode("utf-8"), "google.csv")


def test_erkennung_aus_den_spalten() -> None:
    assert erkenne_werkzeug(["start", "end", "_uuid", "gruppe/code"]) is Werkzeug.KOBO
    assert erkenne_werkzeug(["submissiondate", "key", "meta-instanceid"]) is Werkzeug.KOBO
    assert erkenne_werkzeug(["id", "submitdate", "lastpage", "startlanguage"]) is (
        Werkzeug.LIMESURVEY
    )
    assert erkenne_werkzeug(["id", "startzeit", "fertigstellungszeit", "e-mail"]) is (
        Werkzeug.MSFORMS
    )
    assert erkenne_werkzeug(["start time", "completion time"]) is Werkzeug.MSFORMS
    assert erkenne_werkzeug(["zeitstempel", "frage"]) is Werkzeug.GOOGLEFORMS
    assert erkenne_werkzeug(["case", "serial", "questnnr", "a101"]) is Werkzeug.SOSCI
    assert erkenne_werkzeug(["code", "welle", "standort"]) is Werkzeug.VORLAGE
    assert erkenne_werkzeug(["frage 1", "frage 2"]) is Werkzeug.ANDERES


def test_textschluessel_toleriert_nummer_stern_umbruch_umlaute() -> None:
    frage = FELD["a_kontakt_haeufigkeit"].frage
    varianten = [
        f"3. {frage} *",
        f"3) {frage.upper()}",
        frage.replace(" ", "\n", 3).replace(" ", "  ", 2),
        frage.replace("ä", "ae"),
        frage.replace("ä", "a"),  # umlaut lost on the way
    ]
    tabelle = pd.DataFrame({v.lower(): ["Oft"] for v in varianten[:4]})
    for variante in varianten[:4]:
        assert textschluessel(variante) == textschluessel(frage)
    einzeln = schlage_vor(pd.DataFrame({varianten[4].lower(): ["Oft"]}))
    assert einzeln.spalten[0].variable == "a_kontakt_haeufigkeit"
    doppelt = schlage_vor(tabelle)  # four columns for one question: ambiguous
    assert {s.status for s in doppelt.spalten} == {Status.MEHRDEUTIG}


def test_unbekannte_und_mehrdeutige_spalten_werden_mit_kandidaten_gemeldet(
    zeilen: list[Zeile],
) -> None:
    koepfe = google_koepfe()
    haeufigkeit = koepfe["a_kontakt_haeufigkeit"]
    persoenlich = koepfe["a_kontakt_qualitaet_2"]
    tabelle = _google_tabelle(
        zeilen,
        {
            # reworded: no exact match
            haeufigkeit: "9. Wie oft hatten Sie in den letzten vier Wochen Kontakt mit Menschen "
            "der anderen Gruppe?",
            # the same statement twice: which column is the answer?
            persoenlich: f"10. {FELD['a_kontakt_qualitaet_1'].frage} *",
        },
    )
    vorschlag = schlage_vor(tabelle, dateiname="google.csv")
    assert not vorschlag.ok
    probleme = {s.spalte: s for s in vorschlag.probleme}
    unbekannt = next(s for s in probleme.values() if s.status is Status.UNBEKANNT)
    assert unbekannt.spalte.startswith("9. wie oft hatten sie")
    assert unbekannt.kandidaten[0].variable == "a_kontakt_haeufigkeit"
    mehrdeutig = [s for s in probleme.values() if s.status is Status.MEHRDEUTIG]
    assert len(mehrdeutig) == 2
    assert all(s.kandidaten[0].variable == "a_kontakt_qualitaet_1" for s in mehrdeutig)

    bericht = vorschlag.bericht()
    assert "wird nicht übernommen (keine Zeile)" in bericht
    assert "Spalte '9. wie oft hatten sie" in bericht
    assert "Nächste Kandidaten: a_kontakt_haeufigkeit („Wie häufig hatten Sie" in bericht
    assert "mehrere Spalten passen zu 'a_kontakt_qualitaet_1'" in bericht
    assert "--zuordnung PROFIL" in bericht


def test_unbekannte_antworten_werden_mit_kandidaten_gemeldet(
    zeilen: list[Zeile], db_mit_standorten: Datenbank, inhalt
) -> None:
    export = google_forms_csv(zeilen).decode("utf-8")
    export = export.replace('"Teils, teils"', "teilweise", 1).replace(",Männlich,", ",Mann,", 1)
    vorher = inhalt(db_mit_standorten)
    with pytest.raises(ZuordnungAbgelehnt) as abgelehnt:
        importiere(db_mit_standorten, export.encode("utf-8"), "google.csv")
    assert inhalt(db_mit_standorten) == vorher  # nothing imported
    probleme = {(p.variable, p.wert): p for p in abgelehnt.value.vorschlag.wertprobleme}
    assert sorted(wert for _, wert in probleme) == ["Mann", "teilweise"]
    assert ("geschlecht", "Mann") in probleme
    assert probleme[("geschlecht", "Mann")].kandidaten[0] == ("maennlich", "Männlich")
    text = str(abgelehnt.value)
    assert "Antworten ohne eindeutige Zuordnung:" in text
    assert "Antwort 'Mann' (1 Zeile)" in text and "maennlich = Männlich" in text

    # the confirmed label map in a profile imports the same file
    teilweise = next(p.variable for p in probleme.values() if p.wert == "teilweise")
    profil = abgelehnt.value.vorschlag.als_profil("KOELN_google", "KOELN")
    profil.werte = {"geschlecht": {"Mann": "maennlich"}, teilweise: {"teilweise": "3"}}
    ergebnis = importiere(db_mit_standorten, export.encode("utf-8"), "google.csv", zuordnung=profil)
    assert ergebnis.neu == len(zeilen)


def test_fehlende_pflichtspalten_ohne_festen_wert(zeilen: list[Zeile]) -> None:
    tabelle = lies_bytes(ms_forms_xlsx(zeilen, "T1"), "t1.xlsx")
    vorschlag = schlage_vor(tabelle.drop(columns=["standort"]))
    assert dict(vorschlag.fehlend).keys() == {"standort", "welle"}
    mit_werten = schlage_vor(
        tabelle.drop(columns=["standort"]),
        profil=Profil("x", Werkzeug.MSFORMS, konstanten={"standort": "KOELN", "welle": "T1"}),
    )
    assert mit_werten.ok, mit_werten.bericht()
    ergebnis = wende_an(
        tabelle.drop(columns=["standort"]),
        Profil("x", Werkzeug.MSFORMS, konstanten={"standort": "KOELN", "welle": "T1"}),
    )
    assert set(ergebnis.tabelle["standort"]) == {"KOELN"}
    assert set(ergebnis.tabelle["welle"]) == {"T1"}
    assert list(ergebnis.tabelle.index[:2]) == [2, 3]  # rows as in the file, for the report
    falsch = schlage_vor(tabelle, profil=Profil("y", Werkzeug.MSFORMS, konstanten={"welle": "T7"}))
    assert [(p.variable, p.wert) for p in falsch.wertprobleme] == [("welle", "T7")]


def test_kobo_kopfzeilen_als_labels_mit_gruppenpfad() -> None:
    angenehm = FELD["a_kontakt_qualitaet_1"].frage
    verein = FELD["c_kennt_1"].frage  # contains "dem/der": not a group separator
    tabelle = pd.DataFrame(
        {
            f"Teil A – Kontakte/{angenehm}".lower(): ["Trifft eher zu"],
            f"Teil C – Partizipation/{verein}".lower(): ["Ja"],
            "_uuid": ["x"],
        }
    )
    vorschlag = schlage_vor(tabelle)
    assert vorschlag.werkzeug is Werkzeug.KOBO
    assert vorschlag.zuordnung == {
        "a_kontakt_qualitaet_1": f"Teil A – Kontakte/{angenehm}".lower(),
        "c_kennt_1": f"Teil C – Partizipation/{verein}".lower(),
    }


def test_eigene_vorlage_und_andere_arten_bleiben_unberuehrt(
    db_mit_standorten: Datenbank, befragung_kopf: str
) -> None:
    pruefung = pruefe_datei(
        db_mit_standorten,
        f"{befragung_kopf}\nabcd1;KOELN;T0;01.03.2025;ja;;50\n".encode(),
        "vorlage.csv",
    )
    assert pruefung.ok and not any("erkannt" in h for h in pruefung.hinweise)


def test_profil_json_und_datenbank(db: Datenbank, tmp_path) -> None:
    profil = Profil(
        "KOELN_google",
        Werkzeug.GOOGLEFORMS,
        standort="KOELN",
        spalten={"wie oft kontakt?": "a_kontakt_haeufigkeit", "bemerkungen": ""},
        werte={"geschlecht": {"Mann": "maennlich"}},
        konstanten={"standort": "KOELN"},
        datum_aus="zeitstempel",
    )
    assert Profil.aus_json(profil.als_json()) == profil
    speichere_profil(db, profil)
    speichere_profil(db, Profil("BERLIN_kobo", Werkzeug.KOBO, standort="BERLIN"))
    speichere_profil(db, Profil("projekt_limesurvey", Werkzeug.LIMESURVEY))
    assert lade_profil(db, "KOELN_google") == profil
    assert [p.name for p in profile(db, standort="koeln")] == [
        "KOELN_google",
        "projekt_limesurvey",
    ]
    assert [p.name for p in profile(db, werkzeug="kobo")] == ["BERLIN_kobo"]
    profil.konstanten["welle"] = "T1"
    speichere_profil(db, profil)  # update
    assert lade_profil(db, "KOELN_google").konstanten == {"standort": "KOELN", "welle": "T1"}

    datei = tmp_path / "profil.json"
    datei.write_text(profil.als_json(), encoding="utf-8")
    assert finde_profil(db, str(datei)) == profil
    assert finde_profil(db, "KOELN_google") == profil
    assert loesche_profil(db, "BERLIN_kobo") and not loesche_profil(db, "BERLIN_kobo")
    with pytest.raises(ZuordnungsFehler, match=r"gibt es nicht .*KOELN_google"):
        lade_profil(db, "BERLIN_kobo")


@pytest.mark.parametrize(
    ("daten", "meldung"),
    [
        ({"name": "a", "spalten": {"x": "gibtsnicht"}}, "nicht gibt: gibtsnicht"),
        ({"name": "a", "spalten": {"x": OFFEN}}, "noch 1 Spalten offen"),
        ({"name": "a", "werkzeug": "qualtrics"}, "Unbekanntes Werkzeug 'qualtrics'"),
        ({"name": "a", "konstanten": {"code": "abcd"}}, "erlaubt sind nur standort"),
        ({"name": "a", "werte": {"geschlecht": ["m"]}}, "muss Text → Text zuordnen"),
        ({"name": ""}, "Ungültiger Profilname"),
    ],
)
def test_ungueltige_profile(daten: dict, meldung: str) -> None:
    with pytest.raises(ZuordnungsFehler, match=meldung):
        Profil.aus_dict(daten)
    with pytest.raises(ZuordnungsFehler, match="kein gültiges JSON"):
        Profil.aus_json("{kaputt")


def test_schnittstelle_fuer_die_importseite(zeilen: list[Zeile]) -> None:
    export = ms_forms_xlsx(zeilen, "T0")
    vorschlag = schlage_vor_datei(export, "Befragung T0.xlsx")
    assert vorschlag.werkzeug is Werkzeug.MSFORMS and vorschlag.dateiname == "Befragung T0.xlsx"
    assert [v for v, _ in vorschlag.fehlend] == ["welle"]
    assert {s.spalte: s.status for s in vorschlag.spalten}["e-mail"] is Status.PERSONENBEZOGEN
    assert vorschlag.datum_aus == "fertigstellungszeit"

    profil = vorschlag.als_profil("KOELN_msforms_T0", "koeln")
    profil.konstanten["welle"] = "T0"
    profil.werte["geschlecht"] = {"Keine Angabe": ""}  # "" = not answered
    assert profil.standort == "KOELN" and profil.datum_aus == "fertigstellungszeit"
    assert profil.spalten["standort"] == "standort"
    bestaetigt = schlage_vor_datei(export, "Befragung T0.xlsx", profil=profil)
    assert bestaetigt.ok, bestaetigt.bericht()
    assert bestaetigt.zuordnung["geschlecht"] == "geschlecht"
    ergebnis = wende_an(lies_bytes(export, "t0.xlsx"), profil)
    assert "keine_angabe" not in set(ergebnis.tabelle["geschlecht"].dropna())

    assert antwortoptionen("geschlecht")[1] == ("maennlich", "Männlich")
    assert antwortoptionen("b_oeffentlich") == (("ja", "Ja"), ("nein", "Nein"))
    assert antwortoptionen("a_thermometer") == ()
    assert variablen()[0] == ("code", FELD["code"].frage) and len(variablen()) == len(FELD)

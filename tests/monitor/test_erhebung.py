"""Questionnaire links and submissions (issue 17): tokens, refusals, the import path, the inbox.

Real DuckDB files in tmp_path; the sites come from a real CSV import. Expected rows are
written out by hand from the answers given, never read back from the code under test.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hilfen_zugang import DATENTABELLEN, inhalt, sitzung

from monitor import erhebung
from monitor import freigabe as fg
from monitor.audit import protokoll, pruefe_protokoll
from monitor.cli import main
from monitor.db import Datenbank
from monitor.erhebung import AntwortenFehlerhaft, Ergebnis, LinkFehler, LinkUngueltig

LEITUNG = sitzung("projektleitung", name="lea")


def tabelleninhalt(db: Datenbank) -> dict[str, list[tuple]]:
    """Every row of the data tables and of the inbox (to prove that nothing was stored)."""
    return inhalt(db, (*DATENTABELLEN, "erhebung_eingang"))


HEUTE = date(2026, 3, 10)  # 2026-Q1

ANTWORTEN_T0: dict[str, object] = {
    "code": "Mü07BE",
    "format": "praesenz",
    "migrationshintergrund": "ja",
    "geschlecht": "divers",
    "a_kontakt_haeufigkeit": 4,
    "a_thermometer": 75,
    "b_kompetenz_2": 2,
    "c_kennt_3": True,
    "c_aktiv": False,
}


def _link(db: Datenbank, standort: str = "KOELN", welle: str = "T0") -> str:
    return erhebung.link_anlegen(
        db, standort, welle, gueltig_bis=HEUTE + timedelta(days=30), wer="lea", heute=HEUTE
    )


def test_link_wird_nur_als_hash_gespeichert_und_protokolliert(db_mit_standorten: Datenbank):
    token = _link(db_mit_standorten)
    assert len(token) >= 32
    gespeichert = db_mit_standorten.rows("SELECT * FROM erhebungslinks")
    assert len(gespeichert) == 1
    assert token not in repr(gespeichert)
    assert gespeichert[0][0] == erhebung.token_hash(token)
    eintraege = protokoll(db_mit_standorten)
    angelegt = eintraege[eintraege["was"] == "erhebungslink_angelegt"]
    assert len(angelegt) == 1
    assert json.loads(angelegt["Details"].iloc[0])["standort"] == "KOELN"
    assert token not in eintraege.to_csv()
    assert pruefe_protokoll(db_mit_standorten) == []


def test_neuer_link_widerruft_den_alten(db_mit_standorten: Datenbank):
    alt = _link(db_mit_standorten)
    neu = _link(db_mit_standorten)
    with pytest.raises(LinkUngueltig, match="abgelaufen oder wurde zurückgezogen"):
        erhebung.link_pruefen(db_mit_standorten, alt, heute=HEUTE)
    assert erhebung.link_pruefen(db_mit_standorten, neu, heute=HEUTE).standort == "KOELN"


def test_link_fuer_unbekannten_standort_oder_vergangenes_datum(db_mit_standorten: Datenbank):
    with pytest.raises(LinkFehler, match="Den Standort 'HAMBURG' gibt es nicht"):
        erhebung.link_anlegen(db_mit_standorten, "HAMBURG", "T0", wer="lea")
    with pytest.raises(LinkFehler, match="Unbekannte Welle 'T9'"):
        erhebung.link_anlegen(db_mit_standorten, "KOELN", "T9", wer="lea")
    with pytest.raises(LinkFehler, match="in der Vergangenheit"):
        erhebung.link_anlegen(
            db_mit_standorten, "KOELN", "T0", gueltig_bis=date(2020, 1, 1), wer="lea"
        )


def test_einreichen_speichert_die_zeile_wie_ein_import(db_mit_standorten: Datenbank):
    token = _link(db_mit_standorten)
    ergebnis = erhebung.einreichen(
        db_mit_standorten, token, {**ANTWORTEN_T0, "name": "Max Muster"}, sprache="ar", heute=HEUTE
    )
    assert ergebnis.ergebnis is Ergebnis.GESPEICHERT
    zeilen = db_mit_standorten.query(
        "SELECT code, standort, welle, datum, format, migrationshintergrund, geschlecht, "
        "a_kontakt_haeufigkeit, a_thermometer, b_kompetenz_2, c_kennt_3, c_aktiv, zufriedenheit "
        "FROM befragungen"
    )
    assert zeilen.to_dict("records") == [
        {
            "code": "mue07be",  # the import's code rules: lower case, ü → ue
            "standort": "KOELN",
            "welle": "T0",
            "datum": pd_timestamp("2026-03-10"),
            "format": "praesenz",
            "migrationshintergrund": "ja",
            "geschlecht": "divers",
            "a_kontakt_haeufigkeit": 4,
            "a_thermometer": 75,
            "b_kompetenz_2": 2,
            "c_kennt_3": True,
            "c_aktiv": False,
            "zufriedenheit": None,
        }
    ]
    quelle = db_mit_standorten.rows(
        "SELECT dateiname, zeilen FROM importe WHERE art = ?", ["befragung"]
    )
    assert quelle == [("fragebogen-link_KOELN_T0_ar.csv", 1)]
    # nothing beyond the codebook: the name is nowhere in the database
    assert "Max Muster" not in repr(tabelleninhalt(db_mit_standorten))
    assert "Max Muster" not in protokoll(db_mit_standorten).to_csv()


def pd_timestamp(text: str) -> object:
    import pandas as pd

    return pd.Timestamp(text)


@pytest.mark.parametrize(
    ("token", "meldung"),
    [
        ("gefaelscht-abcdefghijklmnopqrstuvwxyz012345", "ungültig"),
        ("", "ungültig"),
        (None, "ungültig"),
    ],
)
def test_gefaelschter_token_speichert_nichts(
    db_mit_standorten: Datenbank, token: str | None, meldung: str
):
    _link(db_mit_standorten)
    vorher = tabelleninhalt(db_mit_standorten)
    with pytest.raises(LinkUngueltig, match=meldung):
        erhebung.einreichen(db_mit_standorten, token, ANTWORTEN_T0, heute=HEUTE)
    assert tabelleninhalt(db_mit_standorten) == vorher


def test_abgelaufener_und_widerrufener_link_speichert_nichts(db_mit_standorten: Datenbank):
    token = _link(db_mit_standorten)
    vorher = tabelleninhalt(db_mit_standorten)
    with pytest.raises(LinkUngueltig, match="abgelaufen"):
        erhebung.einreichen(
            db_mit_standorten, token, ANTWORTEN_T0, heute=HEUTE + timedelta(days=31)
        )
    # the last valid day still works for the check …
    assert erhebung.link_pruefen(db_mit_standorten, token, heute=HEUTE + timedelta(days=30))
    assert erhebung.link_widerrufen(db_mit_standorten, "KOELN", "T0", wer="lea") == 1
    with pytest.raises(LinkUngueltig, match="zurückgezogen"):
        erhebung.einreichen(db_mit_standorten, token, ANTWORTEN_T0, heute=HEUTE)
    assert tabelleninhalt(db_mit_standorten) == vorher
    assert "erhebungslink_widerrufen" in set(protokoll(db_mit_standorten)["was"])


def test_regelverstoss_wird_abgelehnt(db_mit_standorten: Datenbank):
    token = _link(db_mit_standorten)
    vorher = tabelleninhalt(db_mit_standorten)
    with pytest.raises(AntwortenFehlerhaft, match="a_thermometer"):
        erhebung.einreichen(
            db_mit_standorten, token, {**ANTWORTEN_T0, "a_thermometer": 150}, heute=HEUTE
        )
    with pytest.raises(AntwortenFehlerhaft, match="migrationshintergrund"):
        ohne_mh = {k: v for k, v in ANTWORTEN_T0.items() if k != "migrationshintergrund"}
        erhebung.einreichen(db_mit_standorten, token, ohne_mh, heute=HEUTE)
    assert tabelleninhalt(db_mit_standorten) == vorher


def test_pruefe_antworten_meldet_die_regeln_des_codebuchs(db_mit_standorten: Datenbank):
    link = erhebung.link_pruefen(db_mit_standorten, _link(db_mit_standorten), heute=HEUTE)
    assert erhebung.pruefe_antworten(link, {"code": "ma07be"}) == []
    fehler = erhebung.pruefe_antworten(link, {"code": "ab", "a_kontakt_haeufigkeit": 9})
    assert {f.spalte for f in fehler} == {"code", "a_kontakt_haeufigkeit"}


def test_doppelt_absenden_speichert_einmal_und_fremder_code_geht_in_den_eingang(
    db_mit_standorten: Datenbank,
):
    token = _link(db_mit_standorten)
    assert erhebung.einreichen(db_mit_standorten, token, ANTWORTEN_T0, heute=HEUTE).ergebnis is (
        Ergebnis.GESPEICHERT
    )
    zweimal = erhebung.einreichen(db_mit_standorten, token, ANTWORTEN_T0, heute=HEUTE)
    assert zweimal.ergebnis is Ergebnis.BEREITS
    anders = erhebung.einreichen(
        db_mit_standorten, token, {**ANTWORTEN_T0, "a_thermometer": 10}, heute=HEUTE
    )
    assert anders.ergebnis is Ergebnis.POSTEINGANG
    assert "schon einen Fragebogen" in anders.grund
    # the stored questionnaire is not overwritten by the public link
    assert db_mit_standorten.rows("SELECT a_thermometer FROM befragungen") == [(75,)]
    offen = erhebung.eingang(db_mit_standorten)
    assert list(offen["id"]) == [anders.eingang_id]
    gespeichert = json.loads(
        db_mit_standorten.scalar(
            "SELECT zeile FROM erhebung_eingang WHERE id = ?", [anders.eingang_id]
        )
    )
    assert gespeichert["a_thermometer"] == "10" and gespeichert["code"] == "mue07be"
    # the project lead takes it over on purpose
    erhebung.eingang_erledigen(db_mit_standorten, anders.eingang_id, uebernehmen=True, wer="lea")
    assert db_mit_standorten.rows("SELECT a_thermometer FROM befragungen") == [(10,)]
    assert erhebung.eingang(db_mit_standorten).empty


def test_gesperrtes_quartal_geht_in_den_posteingang(db_mit_standorten: Datenbank):
    token = _link(db_mit_standorten)
    erhebung.einreichen(db_mit_standorten, token, {**ANTWORTEN_T0, "code": "zz01aa"}, heute=HEUTE)
    fg.einreichen(db_mit_standorten, LEITUNG, "KOELN", "2026-Q1")
    fg.freigeben(db_mit_standorten, LEITUNG, "KOELN", "2026-Q1")
    ergebnis = erhebung.einreichen(db_mit_standorten, token, ANTWORTEN_T0, heute=HEUTE)
    assert ergebnis.ergebnis is Ergebnis.POSTEINGANG
    assert "freigegeben und gesperrt" in ergebnis.grund
    assert db_mit_standorten.rows("SELECT code FROM befragungen") == [("zz01aa",)]
    assert "erhebung_eingang" in set(protokoll(db_mit_standorten)["was"])
    with pytest.raises(Exception, match="freigegeben und gesperrt"):
        erhebung.eingang_erledigen(
            db_mit_standorten, ergebnis.eingang_id or 0, uebernehmen=True, wer="lea"
        )
    erhebung.eingang_erledigen(
        db_mit_standorten, ergebnis.eingang_id or 0, uebernehmen=False, wer="lea"
    )
    assert erhebung.eingang(db_mit_standorten).empty
    assert len(erhebung.eingang(db_mit_standorten, offen=False)) == 1


def test_fragen_und_bloecke_folgen_der_welle():
    t0 = {f.name for f in erhebung.fragen("T0")}
    t1 = {f.name for f in erhebung.fragen("T1")}
    assert "migrationshintergrund" in t0 and "migrationshintergrund" not in t1
    assert "zufriedenheit" in t1 and "zufriedenheit" not in t0
    assert not t0 & {"standort", "welle", "datum"}
    for welle in ("T0", "T1", "T2"):
        bloecke = erhebung.bloecke(welle)
        gezeigt = [f.name for _, felder in bloecke for f in felder]
        assert sorted(gezeigt) == sorted(f.name for f in erhebung.fragen(welle) if f.name != "code")
        assert all(1 <= len(felder) <= erhebung.BLOCK_MAX for _, felder in bloecke)


def test_cli_links_schreibt_urls_qr_codes_und_druckbogen(
    db_mit_standorten: Datenbank, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    pfad = db_mit_standorten.pfad
    db_mit_standorten.close()
    ordner = tmp_path / "links"
    argumente = ["--db", str(pfad), "links", "--welle", "T0", "T1", "--ordner", str(ordner)]
    assert main([*argumente, "--basis-url", "https://monitor.example.org/"]) == 0
    ausgabe = capsys.readouterr().out
    urls = dict(zeile.split(": ", 1) for zeile in ausgabe.splitlines() if "?t=" in zeile)
    assert sorted(urls) == ["BERLIN T0", "BERLIN T1", "KOELN T0", "KOELN T1"]
    assert all(url.startswith("https://monitor.example.org/?t=") for url in urls.values())
    for name in ("KOELN_T0", "KOELN_T1", "BERLIN_T0", "BERLIN_T1"):
        assert (ordner / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert "<svg" in (ordner / f"{name}.svg").read_text(encoding="utf-8")
    bogen = (ordner / "bogen_KOELN.html").read_text(encoding="utf-8")
    assert "Begegnungshaus Köln" in bogen and bogen.count("<svg") == 2
    assert "Entwurf" in bogen and "العربية" in bogen
    with Datenbank(pfad) as db:
        tokens = {name: url.split("?t=")[1] for name, url in urls.items()}
        for name, token in tokens.items():
            link = erhebung.link_pruefen(db, token)
            assert f"{link.standort} {link.welle}" == name
    # a second run does not replace valid links without --neu …
    assert main([*argumente]) == 0
    assert "?t=" not in capsys.readouterr().out
    # … and --widerrufen ends them
    assert main(["--db", str(pfad), "links", "--standort", "KOELN", "--widerrufen"]) == 0
    assert "KOELN T0: Link widerrufen." in capsys.readouterr().out
    with Datenbank(pfad) as db:
        with pytest.raises(LinkUngueltig):
            erhebung.link_pruefen(db, tokens["KOELN T0"])
        assert erhebung.link_pruefen(db, tokens["BERLIN T0"]).standort == "BERLIN"


def test_gleichzeitiges_absenden_verliert_und_verdoppelt_nichts(db_mit_standorten: Datenbank):
    """45 people press "Absenden" at the same moment (threads, as Streamlit's sessions are):
    each gets its own outcome, no row is lost, doubled or mixed up with another's answers."""
    import threading

    koeln, berlin = _link(db_mit_standorten), _link(db_mit_standorten, "BERLIN")
    auftraege: list[tuple[str, dict[str, object]]] = [
        (
            koeln if i % 2 else berlin,
            {"code": f"pers{i:03d}", "migrationshintergrund": "ja", "a_thermometer": i},
        )
        for i in range(40)
    ]
    doppelt = {"code": "doppelt1", "migrationshintergrund": "nein", "a_thermometer": 50}
    auftraege += [(koeln, doppelt), (koeln, dict(doppelt))]  # double tap
    auftraege += [
        (koeln, {**doppelt, "code": "anders01"}),
        (koeln, {**doppelt, "code": "anders01", "a_thermometer": 7}),
    ]
    auftraege += [(koeln, {**doppelt, "code": "falsch01", "a_thermometer": 150})]
    start = threading.Barrier(len(auftraege))
    ergebnisse: dict[int, object] = {}

    def senden(nummer: int, token: str, antworten: dict[str, object]) -> None:
        start.wait()
        try:
            ergebnisse[nummer] = erhebung.einreichen(
                db_mit_standorten, token, antworten, heute=HEUTE
            ).ergebnis
        except AntwortenFehlerhaft:
            ergebnisse[nummer] = "fehler"

    faeden = [
        threading.Thread(target=senden, args=(i, token, antworten))
        for i, (token, antworten) in enumerate(auftraege)
    ]
    for faden in faeden:
        faden.start()
    for faden in faeden:
        faden.join(timeout=120)
    assert [ergebnisse[i] for i in range(40)] == [Ergebnis.GESPEICHERT] * 40
    assert sorted(map(str, (ergebnisse[40], ergebnisse[41]))) == ["bereits", "gespeichert"]
    assert sorted(map(str, (ergebnisse[42], ergebnisse[43]))) == ["gespeichert", "posteingang"]
    assert ergebnisse[44] == "fehler"
    zeilen = dict(
        db_mit_standorten.rows(
            "SELECT code, a_thermometer FROM befragungen WHERE code LIKE 'pers%'"
        )
    )
    assert zeilen == {f"pers{i:03d}": i for i in range(40)}
    standorte = dict(
        db_mit_standorten.rows("SELECT code, standort FROM befragungen WHERE code LIKE 'pers%'")
    )
    assert standorte == {f"pers{i:03d}": "KOELN" if i % 2 else "BERLIN" for i in range(40)}
    assert db_mit_standorten.scalar("SELECT count(*) FROM befragungen") == 42
    assert len(erhebung.eingang(db_mit_standorten)) == 1
    # batched: fewer imports than stored questionnaires
    assert (
        db_mit_standorten.scalar(
            "SELECT count(*) FROM importe WHERE dateiname LIKE 'fragebogen-link%'"
        )
        < 42
    )


def test_aktivitaet_erfassen_wie_ein_import(db_mit_standorten: Datenbank):
    from monitor.benutzer import zugriff_fuer
    from monitor.importieren import ImportAbgelehnt, ImportVerweigert

    koeln = zugriff_fuer("standort", "KOELN")
    werte = {
        "standort": "KOELN",
        "datum": date(2026, 3, 2),
        "titel": "Nachbarschaftscafé",
        "typ": "begegnung",
        "format": "praesenz",
        "teilnehmende_gesamt": 18,
        "teilnehmende_mit_mh": 9,
        "teilnehmende_ohne_mh": 8,
        "reichweite": None,
        "oeffentlich": True,
        "name_der_leitung": "Frau X",  # not an activity column: dropped
    }
    kennung = erhebung.aktivitaet_erfassen(db_mit_standorten, werte, wer="bert", zugriff=koeln)
    assert db_mit_standorten.rows(
        "SELECT aktivitaet_id, standort, datum, titel, typ, format, teilnehmende_gesamt, "
        "teilnehmende_mit_mh, teilnehmende_ohne_mh, reichweite, oeffentlich FROM aktivitaeten"
    ) == [
        (
            kennung,
            "KOELN",
            date(2026, 3, 2),
            "Nachbarschaftscafé",
            "begegnung",
            "praesenz",
            18,
            9,
            8,
            None,
            True,
        )
    ]
    assert kennung.startswith("F-")
    assert "Frau X" not in repr(tabelleninhalt(db_mit_standorten))
    vorher = tabelleninhalt(db_mit_standorten)
    with pytest.raises(ImportAbgelehnt, match="mehr als teilnehmende_gesamt"):
        erhebung.aktivitaet_erfassen(
            db_mit_standorten, {**werte, "teilnehmende_mit_mh": 15}, wer="bert", zugriff=koeln
        )
    with pytest.raises(ImportAbgelehnt, match="Pflicht"):
        erhebung.aktivitaet_erfassen(
            db_mit_standorten, {**werte, "titel": ""}, wer="bert", zugriff=koeln
        )
    with pytest.raises(ImportAbgelehnt, match="nur Daten Ihres Standorts"):
        erhebung.aktivitaet_erfassen(
            db_mit_standorten, {**werte, "standort": "BERLIN"}, wer="bert", zugriff=koeln
        )
    with pytest.raises(ImportVerweigert):
        erhebung.aktivitaet_erfassen(
            db_mit_standorten, werte, wer="f", zugriff=zugriff_fuer("foerdergeber")
        )
    assert tabelleninhalt(db_mit_standorten) == vorher


def test_cli_links_ohne_standorte_sagt_was_zu_tun_ist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert main(["--db", str(tmp_path / "leer.duckdb"), "links"]) == 1
    assert "noch keine Standorte" in capsys.readouterr().err

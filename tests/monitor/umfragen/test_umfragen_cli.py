"""CLI: questionnaires from `vorlagen`, a mapping profile built once and re-used next month."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from umfrage_exporte import STANDORTE_CSV, Zeile, google_forms_csv, google_koepfe

from tests.monitor.test_cli import monitor  # the CLI as a real subprocess, MONITOR_DB set


def test_vorlagen_schreibt_auch_frageboegen(tmp_path: Path) -> None:
    ordner = tmp_path / "vorlagen"
    lauf = monitor("vorlagen", ordner, db=tmp_path / "nie.duckdb")
    assert lauf.returncode == 0, lauf.stderr
    assert "8 Vorlagen" in lauf.stdout and "6 Fragebögen" in lauf.stdout
    for name in (
        "fragebogen_kobo.xlsx",
        "fragebogen_limesurvey.txt",
        "limesurvey_zuordnung.csv",
        "fragebogen_T0.html",
        "fragebogen_T1.html",
        "fragebogen_T2.html",
        "vorlage_befragung.csv",
    ):
        assert (ordner / name).stat().st_size > 100, name
    assert not (tmp_path / "nie.duckdb").exists()


def _export(zeilen: list[Zeile], welle: str, umformuliert: str) -> bytes:
    """A site's Google export of one wave, with one question worded in its own way."""
    text = google_forms_csv([z for z in zeilen if z["welle"] == welle]).decode("utf-8")
    return text.replace(google_koepfe()["a_kontakt_haeufigkeit"], umformuliert, 1).encode()


def test_profil_einmal_bestaetigen_und_beim_naechsten_export_wiederverwenden(
    tmp_path: Path, zeilen: list[Zeile]
) -> None:
    db = tmp_path / "cli.duckdb"
    eigene_frage = "9. Wie oft hatten Sie Kontakt mit Menschen der anderen Gruppe?"
    maerz = tmp_path / "Antworten_Maerz.csv"
    maerz.write_bytes(_export(zeilen, "T0", eigene_frage))
    juni = tmp_path / "Antworten_Juni.csv"
    juni.write_bytes(_export(zeilen, "T1", eigene_frage))
    standorte = tmp_path / "standorte.csv"
    standorte.write_text(STANDORTE_CSV, encoding="utf-8")
    assert monitor("import", standorte, db=db).returncode == 0

    # without a profile: rejected with the column and its candidates, nothing imported
    lauf = monitor("import", maerz, db=db)
    assert lauf.returncode == 1
    assert "Spalte '9. wie oft hatten sie kontakt" in lauf.stderr
    assert "Nächste Kandidaten: a_kontakt_haeufigkeit" in lauf.stderr

    # propose a profile as JSON, decide the open column, save it under a name
    profil_json = tmp_path / "koeln_google.json"
    lauf = monitor("zuordnung", maerz, "--standort", "KOELN", "--json", profil_json, db=db)
    assert lauf.returncode == 1 and "1 Spalten mit '?' bitte zuordnen" in lauf.stdout
    profil = json.loads(profil_json.read_text(encoding="utf-8"))
    offen = [spalte for spalte, variable in profil["spalten"].items() if variable == "?"]
    assert offen == [eigene_frage.lower()]
    profil["spalten"][offen[0]] = "a_kontakt_haeufigkeit"
    profil_json.write_text(json.dumps(profil, ensure_ascii=False), encoding="utf-8")
    lauf = monitor(
        "zuordnung", maerz, "--zuordnung", profil_json, "--name", "KOELN_google", "--speichern",
        db=db,
    )  # fmt: skip
    assert lauf.returncode == 0, lauf.stderr
    assert "Zuordnungsprofil 'KOELN_google' gespeichert" in lauf.stdout

    # this month and next month: one step each
    assert monitor("pruefen", maerz, "--zuordnung", "KOELN_google", db=db).returncode == 0
    lauf = monitor("import", maerz, "--zuordnung", "KOELN_google", db=db)
    assert lauf.returncode == 0, lauf.stderr
    assert "Zuordnungsprofil 'KOELN_google'" in lauf.stdout
    lauf = monitor("import", juni, "--zuordnung", "KOELN_google", db=db)
    assert lauf.returncode == 0, lauf.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        anzahl = con.execute(
            "SELECT welle, count(*), count(a_kontakt_haeufigkeit) FROM befragungen "
            "GROUP BY welle ORDER BY welle"
        ).fetchall()
        gespeichert = con.execute(
            "SELECT name, standort, werkzeug FROM zuordnungsprofile"
        ).fetchall()
    erwartet = [(welle, sum(z["welle"] == welle for z in zeilen)) for welle in ("T0", "T1")]
    assert [(w, n) for w, n, _ in anzahl] == erwartet
    assert all(beantwortet > 0 for _, _, beantwortet in anzahl)
    assert gespeichert == [("KOELN_google", "KOELN", "googleforms")]

    # a JSON file works as well; an unknown profile name is a German error
    lauf = monitor("pruefen", juni, "--zuordnung", profil_json, db=db)
    assert lauf.returncode == 0, lauf.stderr
    lauf = monitor("import", juni, "--zuordnung", "gibtsnicht", db=db)
    assert lauf.returncode == 1
    assert "Zuordnungsprofil 'gibtsnicht' gibt es nicht (gespeichert: KOELN_google)" in lauf.stderr

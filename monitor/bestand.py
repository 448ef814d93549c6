"""Inventory of what the database holds: counts per site, wave, format, and the last import.

The overview page needs to answer "did our data arrive?" before any indicator is read, and the
first start needs to know whether the database is empty (then demo data is loaded). Everything
is aggregated in DuckDB; only small tables come back, with German column labels, so a page can
show them as they are.

Counts of persons and questionnaires are subject to small-cell suppression (SPEC §5) here, in
the computation layer, with the same rules as the indicator engine
(:mod:`indikatoren.unterdrueckung`): a count of 1 to ``min_personen - 1`` becomes ``<NA>``, and a
row that shows parts with their total gets a second part hidden when exactly one is hidden. A 0
stays 0 — in an inventory "no T2 questionnaires yet" is the information, and it describes nobody.
Activity counts describe events, not persons, and are shown as they are.

Every function takes ``standorte`` (``None`` = all sites): the sites the session may read
(:attr:`monitor.benutzer.Zugriff.standorte`). The restriction is applied in the SQL itself, as a
bound list (:func:`standort_bedingung`), so rows of other sites never leave the database — a
page that forgets to filter cannot show them, and a site that does not exist selects nothing,
never all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from indikatoren.unterdrueckung import GESAMT as _TOTAL
from indikatoren.unterdrueckung import Schwellen, primaer, sekundaer
from monitor.db import Datenbank
from monitor.schema import ART_LABELS, FORMAT_LABELS, FORMATE, WELLEN, Art

MH_LABELS: dict[str, str] = {
    "ja": "mit Migrationsgeschichte",
    "nein": "ohne Migrationsgeschichte",
    "keine_angabe": "keine Angabe",
}
OHNE_ANGABE = "ohne Angabe"
GESAMT = "Gesamt"

#: The sites a caller may read: ``None`` = all, else these IDs (empty = none).
Standorte = Sequence[str] | None


def standort_bedingung(standorte: Standorte, spalte: str = "standort") -> tuple[str, list[object]]:
    """SQL condition "``spalte`` is one of the allowed sites" and its two bound parameters.

    The one place the site restriction is written: ``NULL`` (all sites) and the list are both
    bound, never formatted into the SQL. An empty list matches no row. A single string is one
    site, not a sequence of one-letter sites.
    """
    if isinstance(standorte, str):
        standorte = [standorte]
    auswahl = None if standorte is None else [str(s) for s in standorte]
    return f"(?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], {spalte}))", [auswahl, auswahl]


# Sites from the site table, plus any site only referenced by data rows (defensive: the import
# checks references, but rows that arrived another way must not vanish from the inventory).
_ORTE_SQL = """
    SELECT standort, coalesce(name, standort) AS name FROM (
        SELECT standort, name FROM standorte
        UNION ALL
        SELECT DISTINCT standort, NULL FROM befragungen
        WHERE standort NOT IN (SELECT standort FROM standorte)
        UNION ALL
        SELECT DISTINCT standort, NULL FROM aktivitaeten
        WHERE standort NOT IN (SELECT standort FROM standorte)
          AND standort NOT IN (SELECT standort FROM befragungen)
    )
    ORDER BY standort
"""

# Which import wrote which site's rows (import_id of the current rows of every data table).
_ZUORDNUNG_SQL = """
    SELECT DISTINCT standort, import_id FROM befragungen WHERE import_id IS NOT NULL
    UNION
    SELECT DISTINCT standort, import_id FROM aktivitaeten WHERE import_id IS NOT NULL
    UNION
    SELECT standort, import_id FROM standorte WHERE import_id IS NOT NULL
    UNION
    SELECT standort, import_id FROM zielwerte WHERE import_id IS NOT NULL
"""


@dataclass(frozen=True, slots=True)
class Kennzahlen:
    """Headline numbers of the inventory; ``None`` = suppressed (too few persons)."""

    standorte: int
    teilnehmende: int | None
    fragebogen: int | None
    aktivitaeten: int
    importe: int
    demo: bool

    @property
    def leer(self) -> bool:
        """No questionnaires and no activities: nothing to show beyond the site list."""
        return self.fragebogen == 0 and self.aktivitaeten == 0


@dataclass(frozen=True, slots=True)
class Bestand:
    """Everything the overview shows, computed in one go so a page can cache it as one value."""

    kennzahlen: Kennzahlen
    fragebogen_je_standort: pd.DataFrame
    fragebogen_je_format: pd.DataFrame
    teilnehmende_je_standort: pd.DataFrame
    aktivitaeten_je_standort: pd.DataFrame
    letzte_importe: pd.DataFrame


def _schwelle(min_personen: int | None) -> int:
    return Schwellen.aus_umgebung().min_personen if min_personen is None else min_personen


def _schuetzen(breit: pd.DataFrame, teile: list[str], min_personen: int) -> pd.DataFrame:
    """Add a ``Gesamt`` column and suppress the person counts of every row (parts + total)."""
    breit = breit.reset_index(drop=True)
    lang = (
        breit[teile]
        .reset_index(names="zeile")
        .melt(id_vars="zeile", var_name="teil", value_name="n")
    )
    summen = pd.DataFrame(
        {"zeile": breit.index, "teil": _TOTAL, "n": breit[teile].sum(axis=1).to_numpy()}
    )
    lang = pd.concat([lang, summen], ignore_index=True)
    lang["unterdrueckt"] = (lang["n"] > 0) & primaer(lang["n"], min_personen)
    versteckt = sekundaer(lang, ["teil"], groesse="n", schluessel=["zeile"])
    lang["n"] = lang["n"].astype("Int64").mask(versteckt)
    ergebnis = lang.pivot(index="zeile", columns="teil", values="n").reindex(
        index=breit.index, columns=[*teile, _TOTAL]
    )
    geschuetzt = breit.drop(columns=teile)
    for spalte in teile:
        geschuetzt[spalte] = ergebnis[spalte].astype("Int64")
    geschuetzt[GESAMT] = ergebnis[_TOTAL].astype("Int64")
    return geschuetzt


def bekannte_standorte(db: Datenbank, standorte: Standorte = None) -> pd.DataFrame:
    """Every known site (site table, plus sites only data rows name): standort, name."""
    bedingung, parameter = standort_bedingung(standorte)
    return db.query(
        f"SELECT standort, name FROM ({_ORTE_SQL}) WHERE {bedingung} ORDER BY standort", parameter
    )


def _je_standort(
    db: Datenbank,
    lang: pd.DataFrame,
    schluessel: Sequence[str],
    labels: dict[str, str],
    standorte: Standorte = None,
) -> pd.DataFrame:
    """Long counts (standort, schluessel, n) → one row per known site, one column per key.

    Driven by the site list, so a site without rows shows zeros instead of going missing.
    """
    orte = bekannte_standorte(db, standorte)
    zahlen = (
        lang.pivot_table(index="standort", columns="schluessel", values="n", aggfunc="sum")
        if not lang.empty
        else pd.DataFrame()
    )
    zahlen = zahlen.reindex(index=orte["standort"], columns=list(schluessel)).fillna(0)
    breit = pd.DataFrame({"Standort-ID": orte["standort"], "Standort": orte["name"]})
    for key in schluessel:
        breit[labels.get(key, key)] = zahlen[key].to_numpy().astype(int)
    return breit.reset_index(drop=True)


def fragebogen_je_standort(
    db: Datenbank, min_personen: int | None = None, *, standorte: Standorte = None
) -> pd.DataFrame:
    """Questionnaires per site and wave: Standort-ID, Standort, T0, T1, T2, Gesamt."""
    bedingung, parameter = standort_bedingung(standorte)
    lang = db.query(
        "SELECT standort, welle AS schluessel, count(*) AS n FROM befragungen "
        f"WHERE {bedingung} GROUP BY ALL",
        parameter,
    )
    breit = _je_standort(db, lang, WELLEN, {}, standorte)
    return _schuetzen(breit, list(WELLEN), _schwelle(min_personen))


def fragebogen_je_standort_lang(breit: pd.DataFrame) -> pd.DataFrame:
    """The wide site × wave table as long rows (Standort, Welle, Fragebögen) for a chart.

    Suppressed cells become NaN (float), which plotting libraries leave out as a missing bar.
    """
    lang = breit.melt(
        id_vars=["Standort-ID", "Standort"],
        value_vars=list(WELLEN),
        var_name="Welle",
        value_name="Fragebögen",
    )
    lang["Fragebögen"] = lang["Fragebögen"].astype("float64")
    return lang


def fragebogen_je_format(
    db: Datenbank, min_personen: int | None = None, *, standorte: Standorte = None
) -> pd.DataFrame:
    """Questionnaires per format (all readable sites and waves): Format, Fragebögen; last row
    Gesamt."""
    bedingung, parameter = standort_bedingung(standorte)
    zahlen = dict(
        db.rows(
            f"SELECT coalesce(format, ?), count(*) FROM befragungen WHERE {bedingung} GROUP BY ALL",
            [OHNE_ANGABE, *parameter],
        )
    )
    schluessel = [*FORMATE, OHNE_ANGABE]
    zeile = pd.DataFrame({FORMAT_LABELS.get(s, s): [int(zahlen.get(s, 0))] for s in schluessel})
    geschuetzt = _schuetzen(zeile, list(zeile.columns), _schwelle(min_personen))
    return geschuetzt.T.reset_index().set_axis(["Format", "Fragebögen"], axis=1)


def teilnehmende_je_standort(
    db: Datenbank, min_personen: int | None = None, *, standorte: Standorte = None
) -> pd.DataFrame:
    """Distinct participants per site by migration background (taken from the code's T0 row).

    Columns: Standort-ID, Standort, mit / ohne Migrationsgeschichte, keine Angabe, Gesamt. A code
    without a T0 questionnaire counts as "keine Angabe" (SPEC §3.1: T1/T2 take it from T0).
    Restricted to ``standorte``, only their participants are counted. A person is a code at one
    site (the questionnaire key is (standort, code, welle)): the same code at another site is
    another person, so the answer comes from the T0 row of the same site only – which also
    keeps a site's numbers the same in every role's view.
    """
    bedingung, parameter = standort_bedingung(standorte)
    lang = db.query(
        f"""
        WITH herkunft AS (
            SELECT standort, code, any_value(migrationshintergrund) AS mh
            FROM befragungen WHERE welle = ? GROUP BY standort, code
        ),
        personen AS (SELECT DISTINCT standort, code FROM befragungen WHERE {bedingung})
        SELECT p.standort, coalesce(h.mh, ?) AS schluessel, count(*) AS n
        FROM personen p LEFT JOIN herkunft h USING (standort, code)
        GROUP BY ALL
        """,
        [WELLEN[0], *parameter, "keine_angabe"],
    )
    breit = _je_standort(db, lang, list(MH_LABELS), MH_LABELS, standorte)
    return _schuetzen(breit, list(MH_LABELS.values()), _schwelle(min_personen))


def aktivitaeten_je_standort(db: Datenbank, *, standorte: Standorte = None) -> pd.DataFrame:
    """Activities per site and format: Standort-ID, Standort, Digital, Hybrid, Präsenz, Gesamt.

    Activities are events, not persons, so nothing is suppressed.
    """
    bedingung, parameter = standort_bedingung(standorte)
    lang = db.query(
        "SELECT standort, format AS schluessel, count(*) AS n FROM aktivitaeten "
        f"WHERE {bedingung} GROUP BY ALL",
        parameter,
    )
    breit = _je_standort(db, lang, FORMATE, FORMAT_LABELS, standorte)
    teile = [FORMAT_LABELS[f] for f in FORMATE]
    breit[teile] = breit[teile].astype("Int64")
    breit[GESAMT] = breit[teile].sum(axis=1).astype("Int64")
    return breit


def _art_labels(arten: pd.Series) -> pd.Series:
    """Kind keys of ``importe`` ("befragung", "demo" …) as the German labels users read."""
    labels = {art.value: label for art, label in ART_LABELS.items()} | {
        "demo": "Demo-Daten",
        "demo_entfernt": "Demo-Daten entfernt",
    }
    return arten.map(lambda art: labels.get(art, art), na_action="ignore")


def letzte_importe(db: Datenbank, *, standorte: Standorte = None) -> pd.DataFrame:
    """Per site the newest import that touched its rows (sites, surveys, activities, targets).

    Columns: Standort-ID, Standort, Letzter Import (timestamp), Datei, Art, Importe (number of
    distinct imports), Demo (the site is demo data), Neueste Daten (the latest questionnaire or
    activity date — freshness is about the data, not about when a file was read in). Sites
    never imported show empty cells.
    """
    bedingung, parameter = standort_bedingung(standorte)
    tabelle = db.query(
        f"""
        WITH orte AS (SELECT * FROM ({_ORTE_SQL}) WHERE {bedingung}),
        zuordnung AS ({_ZUORDNUNG_SQL}),
        je_standort AS (
            SELECT z.standort,
                   max(i.zeitpunkt) AS zeitpunkt,
                   arg_max(i.dateiname, i.zeitpunkt) AS dateiname,
                   arg_max(i.art, i.zeitpunkt) AS art,
                   count(DISTINCT i.import_id) AS importe
            FROM zuordnung z JOIN importe i USING (import_id)
            GROUP BY z.standort
        ),
        daten AS (
            SELECT standort, max(datum) AS datum FROM (
                SELECT standort, datum FROM befragungen
                UNION ALL
                SELECT standort, datum FROM aktivitaeten
            ) GROUP BY standort
        )
        SELECT o.standort AS "Standort-ID", o.name AS "Standort",
               j.zeitpunkt AS "Letzter Import", j.dateiname AS "Datei", j.art AS "Art",
               coalesce(j.importe, 0) AS "Importe",
               coalesce(s.demo, false) AS "Demo",
               d.datum AS "Neueste Daten"
        FROM orte o
        LEFT JOIN je_standort j USING (standort)
        LEFT JOIN standorte s USING (standort)
        LEFT JOIN daten d USING (standort)
        ORDER BY o.standort
        """,
        parameter,
    )
    tabelle["Art"] = _art_labels(tabelle["Art"])
    tabelle["Importe"] = tabelle["Importe"].astype("Int64")
    return tabelle


def hat_demo(db: Datenbank, *, standorte: Standorte = None) -> bool:
    """Whether any demo row is present (the dashboard then shows a notice on every page)."""
    bedingung, parameter = standort_bedingung(standorte)
    return bool(
        db.scalar(
            f"""
            SELECT EXISTS (SELECT 1 FROM standorte WHERE demo AND {bedingung})
                OR EXISTS (SELECT 1 FROM befragungen WHERE demo AND {bedingung})
                OR EXISTS (SELECT 1 FROM aktivitaeten WHERE demo AND {bedingung})
                OR EXISTS (SELECT 1 FROM zielwerte WHERE demo AND {bedingung})
            """,
            parameter * 4,
        )
    )


def ist_leer(db: Datenbank) -> bool:
    """True when the database holds no rows at all and nothing was ever imported.

    This is the condition for loading demo data at first start: an operator who imported
    anything (even only a site list) never gets demo data mixed in.
    """
    return not db.scalar(
        """
        SELECT EXISTS (SELECT 1 FROM importe)
            OR EXISTS (SELECT 1 FROM standorte)
            OR EXISTS (SELECT 1 FROM befragungen)
            OR EXISTS (SELECT 1 FROM aktivitaeten)
            OR EXISTS (SELECT 1 FROM zielwerte)
        """
    )


def _importe_der_standorte(standorte: Standorte) -> tuple[str, list[object]]:
    """SQL condition on ``importe.import_id``: the import wrote rows of an allowed site (all
    imports when unrestricted, also those whose rows were overwritten since)."""
    bedingung, parameter = standort_bedingung(standorte)
    return (
        f"(?::VARCHAR[] IS NULL OR import_id IN "
        f"(SELECT import_id FROM ({_ZUORDNUNG_SQL}) WHERE {bedingung}))",
        [parameter[0], *parameter],
    )


def kennzahlen(
    db: Datenbank, min_personen: int | None = None, *, standorte: Standorte = None
) -> Kennzahlen:
    """Headline numbers: sites, participants, questionnaires, activities, real imports, demo.

    Restricted to ``standorte``, participants are the distinct codes per site (a code at two
    sites is two persons, as in the questionnaire key) within those sites — comparison-group
    people are not participants (issue 15), their questionnaires still count as questionnaires —
    and imports are the real imports that wrote rows of them.
    """
    bedingung, parameter = standort_bedingung(standorte)
    von_importen, import_parameter = _importe_der_standorte(standorte)
    standortzahl, personen, fragebogen, aktivitaeten, importe = db.rows(
        f"""
        SELECT (SELECT count(*) FROM ({_ORTE_SQL}) WHERE {bedingung}),
               (SELECT count(DISTINCT (standort, code)) FROM befragungen
                WHERE {bedingung} AND vergleichsgruppe IS NOT TRUE),
               (SELECT count(*) FROM befragungen WHERE {bedingung}),
               (SELECT count(*) FROM aktivitaeten WHERE {bedingung}),
               (SELECT count(*) FROM importe WHERE NOT demo AND {von_importen})
        """,
        parameter * 4 + import_parameter,
    )[0]
    schwelle = _schwelle(min_personen)

    def geschuetzt(wert: int) -> int | None:
        return None if 0 < wert < schwelle else int(wert)

    return Kennzahlen(
        standorte=int(standortzahl),
        teilnehmende=geschuetzt(personen),
        fragebogen=geschuetzt(fragebogen),
        aktivitaeten=int(aktivitaeten),
        importe=int(importe),
        demo=hat_demo(db, standorte=standorte),
    )


def erheben(
    db: Datenbank, min_personen: int | None = None, *, standorte: Standorte = None
) -> Bestand:
    """The whole inventory for the overview page (of the sites the session may read)."""
    schwelle = _schwelle(min_personen)
    return Bestand(
        kennzahlen=kennzahlen(db, schwelle, standorte=standorte),
        fragebogen_je_standort=fragebogen_je_standort(db, schwelle, standorte=standorte),
        fragebogen_je_format=fragebogen_je_format(db, schwelle, standorte=standorte),
        teilnehmende_je_standort=teilnehmende_je_standort(db, schwelle, standorte=standorte),
        aktivitaeten_je_standort=aktivitaeten_je_standort(db, standorte=standorte),
        letzte_importe=letzte_importe(db, standorte=standorte),
    )


def quartale(db: Datenbank, *, standorte: Standorte = None) -> list[str]:
    """Every quarter ("2025-Q1") from the first to the last questionnaire or activity date.

    The sidebar's period filter offers exactly these, so a user cannot pick an empty range.
    """
    bedingung, parameter = standort_bedingung(standorte)
    erster, letzter = db.rows(
        f"SELECT min(d), max(d) FROM (SELECT datum AS d FROM befragungen WHERE {bedingung} "
        f"UNION ALL SELECT datum FROM aktivitaeten WHERE {bedingung})",
        parameter * 2,
    )[0]
    if erster is None:
        return []
    ergebnis = []
    jahr, quartal = erster.year, (erster.month - 1) // 3 + 1
    while (jahr, quartal) <= (letzter.year, (letzter.month - 1) // 3 + 1):
        ergebnis.append(f"{jahr}-Q{quartal}")
        jahr, quartal = (jahr + 1, 1) if quartal == 4 else (jahr, quartal + 1)
    return ergebnis


def standortliste(db: Datenbank, *, standorte: Standorte = None) -> pd.DataFrame:
    """Sites with ID, name and place, for filters and labels (small table, no person data)."""
    bedingung, parameter = standort_bedingung(standorte)
    return db.query(
        "SELECT standort, name, ort, bundesland, lat, lon, start FROM standorte "
        f"WHERE {bedingung} ORDER BY standort",
        parameter,
    )


def importprotokoll(
    db: Datenbank,
    anzahl: int = 200,
    min_personen: int | None = None,
    *,
    standorte: Standorte = None,
) -> pd.DataFrame:
    """The newest imports (files, demo loads, target edits in the dashboard), newest first.

    Columns: Nr., Zeitpunkt, Datei, Art, Zeilen, neu, aktualisiert, Ergebnis, Demo. Only file
    names and counts, never row content. The counts of a survey import are questionnaires, so
    they are suppressed like the inventory's (a small file would otherwise reveal the count the
    overview hides); Zeilen is the total of neu and aktualisiert.

    Restricted to ``standorte``: only imports whose rows (still in the database) belong to one
    of those sites. The stored counts are per file, so an import that also wrote rows of other
    sites shows no counts (they would reveal the other sites' numbers).
    """
    von_importen, import_parameter = _importe_der_standorte(standorte)
    fremd, fremd_parameter = standort_bedingung(standorte)
    tabelle = db.query(
        'SELECT import_id AS "Nr.", zeitpunkt AS "Zeitpunkt", dateiname AS "Datei", '
        'art AS "Art", neu AS "neu", aktualisiert AS "aktualisiert", '
        'ergebnis AS "Ergebnis", demo AS "Demo", '
        f"import_id IN (SELECT import_id FROM ({_ZUORDNUNG_SQL}) WHERE NOT {fremd}) "
        'AS "fremd" '
        f"FROM importe WHERE {von_importen} "
        "ORDER BY zeitpunkt DESC, import_id DESC LIMIT ?",
        [*fremd_parameter, *import_parameter, anzahl],
    )
    teile = ["neu", "aktualisiert"]
    fremd = tabelle.pop("fremd").to_numpy(dtype=bool)
    personen = (tabelle["Art"] == Art.BEFRAGUNG.value).to_numpy()
    geschuetzt = _schuetzen(tabelle, teile, _schwelle(min_personen))
    offen = tabelle[teile].astype("Int64")
    for spalte in teile:
        geschuetzt[spalte] = geschuetzt[spalte].where(personen, offen[spalte])
    geschuetzt["Zeilen"] = geschuetzt[GESAMT].where(personen, offen.sum(axis=1))
    geschuetzt["Art"] = _art_labels(geschuetzt["Art"])
    geschuetzt["Nr."] = geschuetzt["Nr."].astype("Int64")
    geschuetzt.loc[fremd, ["Zeilen", *teile]] = pd.NA
    spalten = ["Nr.", "Zeitpunkt", "Datei", "Art", "Zeilen", *teile, "Ergebnis", "Demo"]
    return geschuetzt[spalten]

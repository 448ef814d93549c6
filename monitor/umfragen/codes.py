"""Near-duplicate participant codes within a site, for the data-quality page.

Self-generated codes are rebuilt by the participant at every wave; one mistyped letter splits a
person into two and loses the pre/post pair. The import normalises case, spaces and umlauts
(:func:`monitor.pruefung.normalisiere_code`) but never merges two different codes: whether
"mue07be" and "mue07bf" are one person only the site can tell. So these pairs are reported,
never merged silently.

Privacy: :func:`aehnliche_codes` returns the codes themselves. Only the coordinator of that site
(Standortkoordination) may see them, to check the paper or tool records; the funder role gets
:func:`aehnliche_codes_je_standort` (counts per site) at most. The pages decide by role; this
module does not know roles.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from monitor.db import Datenbank

#: Edit distance (Damerau–Levenshtein: insert, delete, replace, swap two neighbours) up to which
#: two codes count as near-duplicates.
MAX_ABSTAND = 1

_SPALTEN = ["standort", "code_1", "code_2", "abstand", "wellen_1", "wellen_2"]


def aehnliche_codes(db: Datenbank, standorte: Sequence[str] = ()) -> pd.DataFrame:
    """Pairs of different codes of one site at edit distance ≤ :data:`MAX_ABSTAND`.

    Columns: standort, code_1, code_2 (code_1 < code_2), abstand, wellen_1, wellen_2 (the waves
    each code has, e.g. "T0" and "T1, T2" – a T0-only and a T1-only code next to each other is
    the typical typo). Candidates come from a shared deletion variant (each code with one
    character removed), so the work grows with the number of codes, not with its square; the
    exact distance is then checked by DuckDB.
    """
    filter_sql, werte = "", []
    if standorte:
        filter_sql = f" WHERE standort IN ({', '.join('?' for _ in standorte)})"
        werte = [s.upper() for s in standorte]
    sql = f"""
        WITH codes AS (
            SELECT standort, code, string_agg(DISTINCT welle, ', ' ORDER BY welle) AS wellen
            FROM befragungen{filter_sql}
            GROUP BY standort, code
        ),
        varianten AS (
            SELECT standort, code, code AS variante FROM codes
            UNION
            SELECT standort, code, substr(code, 1, i) || substr(code, i + 2) AS variante
            FROM codes, unnest(range(length(code))) AS t(i)
        ),
        paare AS (
            SELECT DISTINCT a.standort, a.code AS code_1, b.code AS code_2
            FROM varianten a JOIN varianten b
              ON a.standort = b.standort AND a.variante = b.variante AND a.code < b.code
        )
        SELECT p.standort, p.code_1, p.code_2,
               damerau_levenshtein(p.code_1, p.code_2) AS abstand,
               c1.wellen AS wellen_1, c2.wellen AS wellen_2
        FROM paare p
        JOIN codes c1 ON c1.standort = p.standort AND c1.code = p.code_1
        JOIN codes c2 ON c2.standort = p.standort AND c2.code = p.code_2
        WHERE damerau_levenshtein(p.code_1, p.code_2) <= ?
        ORDER BY p.standort, p.code_1, p.code_2
    """
    tabelle = db.query(sql, [*werte, MAX_ABSTAND])
    return (
        tabelle[_SPALTEN].reset_index(drop=True)
        if len(tabelle)
        else pd.DataFrame({spalte: pd.Series(dtype=object) for spalte in _SPALTEN})
    )


def aehnliche_codes_je_standort(db: Datenbank, standorte: Sequence[str] = ()) -> pd.DataFrame:
    """Count of near-duplicate pairs per site (standort, paare) – no code leaves this function.

    Sites without such pairs are not listed.
    """
    paare = aehnliche_codes(db, standorte)
    return (
        paare.groupby("standort", as_index=False)
        .size()
        .rename(columns={"size": "paare"})
        .astype({"paare": "int64"})
    )

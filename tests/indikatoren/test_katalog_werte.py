"""Every indicator of the catalogue against a value worked out by hand (not by the engine).

The data set is small on purpose, so that each expected value below can be checked with pencil
and paper; the arithmetic is written next to it. Three sites:

* BER: ber_b1..b3 with migration background (mit_mh), ber_b4..b5 without (ohne_mh), all with T0
  and T1; ber_x3 (mit_mh) only T0 (drop-out). ber_b1..b3 also answered T2.
* HAM: ham_h1..h2 mit_mh, ham_h3..h4 ohne_mh (T0 and T1); ham_x4 T0 only with
  migrationshintergrund = keine_angabe (counts in totals, in no group); ham_x1 only T1 (no T0,
  no migration background known) — counts in T1 shares, never in a pair.
* MUC: muc_m1..m2 ohne_mh (T0 and T1); muc_x2 ohne_mh has T0 at MUC but T1 at BER — it must NOT
  pair (SPEC §5: same site), its T1 counts at BER. A questionnaire is keyed by (standort, code,
  welle) (migration 0006): muc_x2 at BER is another person than muc_x2 at MUC, so its BER T1 has
  no migration background (no T0 at BER) and counts only in totals, like ham_x1.

T1/T2 questionnaires carry no migrationshintergrund (the codebook asks it at T0 only; SPEC §3.1:
"at T1/T2 taken over from the same code's T0"). T0 questionnaires carry decoy answers for the
T1-only questions (a wave mix-up would change the expected shares), and wirksamkeit items 3–4
(external efficacy) move strongly, so including them in C4 would be visible.

11 matched T0→T1 pairs: BER 5 (mit 3, ohne 2), HAM 4 (mit 2, ohne 2), MUC 2 (ohne 2). Items that
are missing are placed so every site×group cell keeps ≥ 2 valid pairs for every indicator, so with
Schwellen(min_personen=1, min_paare=2) nothing is suppressed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from indikatoren.engine import Ergebnis, berechne
from indikatoren.filter import Filter
from indikatoren.unterdrueckung import Schwellen

T0, T1, T2 = "2025-02-10", "2025-05-12", "2025-09-15"
KEINE_UNTERDRUECKUNG = Schwellen(min_personen=1, min_paare=2)

#: code → (site, migrationshintergrund at T0) of the 11 pair persons.
PAARE: dict[str, tuple[str, str]] = {
    "ber_b1": ("BER", "ja"),
    "ber_b2": ("BER", "ja"),
    "ber_b3": ("BER", "ja"),
    "ber_b4": ("BER", "nein"),
    "ber_b5": ("BER", "nein"),
    "ham_h1": ("HAM", "ja"),
    "ham_h2": ("HAM", "ja"),
    "ham_h3": ("HAM", "nein"),
    "ham_h4": ("HAM", "nein"),
    "muc_m1": ("MUC", "nein"),
    "muc_m2": ("MUC", "nein"),
}

# -- pre/post answers: code → (T0, T1); a tuple of items for scales -------------------------
# A5 a_kontakt_haeufigkeit. Differences: b1 +2, b2 0, b3 +1, b4 +1, b5 0, h1 +2, h2 0, h3 +2,
# h4 -1, m1 +1, m2 +2 → Σ = 10, n = 11 → 10/11 = 0.909091.
# BER (b1..b5) 4/5 = 0.8; HAM 3/4 = 0.75; MUC 3/2 = 1.5; mit_mh (b1,b2,b3,h1,h2) 5/5 = 1.0;
# ohne_mh (b4,b5,h3,h4,m1,m2) 5/6 = 0.833333. Before Σ 25/11, after Σ 35/11.
HAEUFIGKEIT = {
    "ber_b1": (2, 4), "ber_b2": (3, 3), "ber_b3": (1, 2), "ber_b4": (2, 3), "ber_b5": (4, 4),
    "ham_h1": (1, 3), "ham_h2": (2, 2), "ham_h3": (3, 5), "ham_h4": (2, 1),
    "muc_m1": (3, 4), "muc_m2": (2, 4),
}  # fmt: skip
A5_DIFFERENZEN = [2, 0, 1, 1, 0, 2, 0, 2, -1, 1, 2]

# A6 kontaktqualitaet (3 items, ≥ 2 answered). b1 3→4 (+1); b2 3→(4+5)/2=4.5 (+1.5, 2 of 3);
# b3 T1 only 1 of 3 answered → no score → pair not counted; b4 2→3 (+1); b5 4→4 (0);
# h1 (1+2+3)/3=2→3 (+1); h2 (3+3)/2=3→3 (0); h3 2→4 (+2); h4 3→2 (-1); m1 3→4 (+1);
# m2 2→(2+3+4)/3=3 (+1). Σ = 1+1.5+1+0+1+0+2-1+1+1 = 7.5, n = 10 → 0.75.
# (BER, mit_mh): b1, b2 → 2.5/2 = 1.25 with n = 2.
QUALITAET = {
    "ber_b1": ((3, 3, 3), (4, 4, 4)),
    "ber_b2": ((2, 3, 4), (4, None, 5)),
    "ber_b3": ((3, 4, 5), (None, None, 4)),
    "ber_b4": ((2, 2, 2), (3, 3, 3)),
    "ber_b5": ((4, 4, 4), (4, 4, 4)),
    "ham_h1": ((1, 2, 3), (3, 3, 3)),
    "ham_h2": ((3, 3, None), (3, 3, 3)),
    "ham_h3": ((2, 2, 2), (4, 4, 4)),
    "ham_h4": ((3, 3, 3), (2, 2, 2)),
    "muc_m1": ((3, 3, 3), (4, 4, 4)),
    "muc_m2": ((2, 2, 2), (2, 3, 4)),
}

# A7 a_thermometer (0–100). +20, 0, +15, +10, -10, +20, +10, +10, 0, +10, +15 → Σ 100, n 11 →
# 9.090909.
THERMOMETER = {
    "ber_b1": (50, 70), "ber_b2": (60, 60), "ber_b3": (40, 55), "ber_b4": (70, 80),
    "ber_b5": (50, 40), "ham_h1": (30, 50), "ham_h2": (55, 65), "ham_h3": (80, 90),
    "ham_h4": (50, 50), "muc_m1": (65, 75), "muc_m2": (45, 60),
}  # fmt: skip

# A8 vertrauen, KUSIV3, item 2 reverse-coded (6 - x), ≥ 2 of 3 answered.
# b1 (3+3+3)/3=3 → (4+[6-2]+4)/3=4: +1          b2 (2+[6-4]+2)/3=2 → (3+4)/2=3.5: +1.5
# b3 (4+5+4)/3=13/3 → (5+5+5)/3=5: +2/3          b4 (3+1+3)/3=7/3 → 3: +2/3
# b5 (2+4+2)/3=8/3 → 8/3: 0                       h1 (1+1+1)/3=1 → (2+2+2)/3=2: +1
# h2 3 → 3: 0                                     h3 (4+4+4)/3=4 → (5+5+5)/3=5: +1
# h4 ([6-3]+3)/2=3 → (2+2+2)/3=2: -1              m1 3 → (4+3+4)/3=11/3: +2/3
# m2 (2+2+2)/3=2 → 3: +1
# Σ = 1+1.5+1-1+1+1 + 3·(2/3) = 6.5, n = 11 → 0.590909. (Without reverse-coding b1 alone
# would change: T1 (4+2+4)/3.)
VERTRAUEN = {
    "ber_b1": ((3, 3, 3), (4, 2, 4)),
    "ber_b2": ((2, 4, 2), (3, None, 4)),
    "ber_b3": ((4, 1, 4), (5, 1, 5)),
    "ber_b4": ((3, 5, 3), (3, 3, 3)),
    "ber_b5": ((2, 2, 2), (2, 2, 2)),
    "ham_h1": ((1, 5, 1), (2, 4, 2)),
    "ham_h2": ((3, 3, 3), (3, 3, 3)),
    "ham_h3": ((4, 2, 4), (5, 1, 5)),
    "ham_h4": ((None, 3, 3), (2, 4, 2)),
    "muc_m1": ((3, 3, 3), (4, 3, 4)),
    "muc_m2": ((2, 4, 2), (3, 3, 3)),
}

# B1 selbstwirksamkeit (ASKU, 3 items). b1 3→4 +1; b2 2→3 +1; b3 3→3 0; b4 4→(4+5)/2=4.5 +0.5;
# b5 (2+3+4)/3=3→3 0; h1 1→2 +1; h2 3→4 +1; h3 4→3 -1; h4 2→3 +1; m1 (3+4+5)/3=4→5 +1; m2 2→2 0.
# Σ = 5.5, n = 11 → 0.5.
SELBSTWIRKSAMKEIT = {
    "ber_b1": ((3, 3, 3), (4, 4, 4)),
    "ber_b2": ((2, 2, 2), (3, 3, 3)),
    "ber_b3": ((3, 3, 3), (3, 3, 3)),
    "ber_b4": ((4, 4, 4), (4, 5, None)),
    "ber_b5": ((2, 3, 4), (3, 3, 3)),
    "ham_h1": ((1, 1, 1), (2, 2, 2)),
    "ham_h2": ((3, 3, 3), (4, 4, 4)),
    "ham_h3": ((4, 4, 4), (3, 3, 3)),
    "ham_h4": ((2, 2, 2), (3, 3, 3)),
    "muc_m1": ((3, 4, 5), (5, 5, 5)),
    "muc_m2": ((2, 2, 2), (2, 2, 2)),
}

# B2 kompetenz (4 items, ≥ 3 answered). b1 2→(3+3+3)/3=3 +1 (3 of 4); b2 3→4 +1;
# b3 T0 only 2 of 4 → no score → pair not counted; b4 (1+2+3)/3=2→3 +1; b5 3→3 0; h1 2→4 +2;
# h2 3→3 0; h3 2→(2+3+4+5)/4=3.5 +1.5; h4 4→4 0; m1 2→3 +1; m2 3→4 +1.
# Σ = 8.5, n = 10 → 0.85.
KOMPETENZ = {
    "ber_b1": ((2, 2, 2, 2), (3, 3, 3, None)),
    "ber_b2": ((3, 3, 3, 3), (4, 4, 4, 4)),
    "ber_b3": ((2, 3, None, None), (3, 3, 3, 3)),
    "ber_b4": ((1, 2, 3, None), (3, 3, 3, 3)),
    "ber_b5": ((3, 3, 3, 3), (3, 3, 3, 3)),
    "ham_h1": ((2, 2, 2, 2), (4, 4, 4, 4)),
    "ham_h2": ((3, 3, 3, 3), (3, 3, 3, 3)),
    "ham_h3": ((2, 2, 2, 2), (2, 3, 4, 5)),
    "ham_h4": ((4, 4, 4, 4), (4, 4, 4, 4)),
    "muc_m1": ((2, 2, 2, 2), (3, 3, 3, 3)),
    "muc_m2": ((3, 3, 3, 3), (4, 4, 4, 4)),
}

# C1 kenntnis: J = ja, N = nein, - = missing; count = share of ja among answered × 8, only with
# ≥ 6 of 8 answered. b1 2→4 +2; b2 3/6·8=4 → 5 +1; b3 T0 only 5 answered → no score → not
# counted; b4 1 → 3/7·8=24/7 +17/7; b5 4→4 0; h1 0→2 +2; h2 3→3 0; h3 2→5 +3; h4 6→5 -1;
# m1 1→3 +2; m2 2→2 0. Σ = 9 + 17/7 = 80/7, n = 10 → 8/7 = 1.142857.
KENNTNIS = {
    "ber_b1": ("JJNNNNNN", "JJJJNNNN"),
    "ber_b2": ("JJJNNN--", "JJJJJNNN"),
    "ber_b3": ("JJJJJ---", "JJJJNNNN"),
    "ber_b4": ("JNNNNNNN", "JJJNNNN-"),
    "ber_b5": ("JJJJNNNN", "NNNNJJJJ"),
    "ham_h1": ("NNNNNNNN", "JJNNNNNN"),
    "ham_h2": ("JJJNNNNN", "NNNNNJJJ"),
    "ham_h3": ("JJNNNNNN", "JJJJJNNN"),
    "ham_h4": ("JJJJJJNN", "JJJJJNNN"),
    "muc_m1": ("JNNNNNNN", "JJJNNNNN"),
    "muc_m2": ("JJNNNNNN", "NNNNNNJJ"),
}

# C2 c_aktiv (paired ja/nein). b1 nein→ja (b); b2 ja→ja; b3 missing→ja (not counted);
# b4 nein→nein; b5 ja→nein (c); h1, h2 nein→ja (b); h3 ja→ja; h4 nein→nein; m1 nein→ja (b);
# m2 ja→ja. n = 10, b = 4, c = 1 → 100·(4-1)/10 = +30 Prozentpunkte; before 4/10 = 40 %,
# after 7/10 = 70 %; exact McNemar p = 2·P(X ≤ 1 | 5, ½) = 2·6/32 = 0.375.
AKTIV = {
    "ber_b1": ("nein", "ja"), "ber_b2": ("ja", "ja"), "ber_b3": (None, "ja"),
    "ber_b4": ("nein", "nein"), "ber_b5": ("ja", "nein"), "ham_h1": ("nein", "ja"),
    "ham_h2": ("nein", "ja"), "ham_h3": ("ja", "ja"), "ham_h4": ("nein", "nein"),
    "muc_m1": ("nein", "ja"), "muc_m2": ("ja", "ja"),
}  # fmt: skip

# C3 c_engagiert. b = b2, b4, b5, h3, m1 (nein→ja) = 5; c = h1 (ja→nein) = 1; n = 11 →
# 100·4/11 = 36.363636 Prozentpunkte; McNemar p = 2·P(X ≤ 1 | 6, ½) = 2·7/64 = 0.21875.
ENGAGIERT = {
    "ber_b1": ("ja", "ja"), "ber_b2": ("nein", "ja"), "ber_b3": ("nein", "nein"),
    "ber_b4": ("nein", "ja"), "ber_b5": ("nein", "ja"), "ham_h1": ("ja", "nein"),
    "ham_h2": ("nein", "nein"), "ham_h3": ("nein", "ja"), "ham_h4": ("ja", "ja"),
    "muc_m1": ("nein", "ja"), "muc_m2": ("nein", "nein"),
}  # fmt: skip

# C4 wirksamkeit intern (items 1–2, both needed; items 3–4 go 1→5 for everybody and must not
# count). b1 2→3 +1; b2 3.5→4 +0.5; b3 T1 1 of 2 → not counted; b4 2.5→3 +0.5; b5 4→4 0;
# h1 1→2 +1; h2 3→4 +1; h3 2→2 0; h4 3→4.5 +1.5; m1 2→3 +1; m2 4→3 -1.
# Σ = 5.5, n = 10 → 0.55.
WIRKSAMKEIT = {
    "ber_b1": ((2, 2), (3, 3)),
    "ber_b2": ((3, 4), (4, 4)),
    "ber_b3": ((3, 3), (4, None)),
    "ber_b4": ((2, 3), (3, 3)),
    "ber_b5": ((4, 4), (4, 4)),
    "ham_h1": ((1, 1), (2, 2)),
    "ham_h2": ((3, 3), (4, 4)),
    "ham_h3": ((2, 2), (2, 2)),
    "ham_h4": ((3, 3), (4, 5)),
    "muc_m1": ((2, 2), (3, 3)),
    "muc_m2": ((4, 4), (3, 3)),
}

# C5 mean of c_verantwortung and c_engagement_absicht. b1 3→4 +1; b2 (2+4)/2=3→4 +1; b3 0;
# b4 4→5 +1; b5 0; h1 2→3.5 +1.5; h2 0; h3 0; h4 2→4 +2; m1 3→4 +1; m2 5→4 -1.
# Σ = 6.5, n = 11 → 0.590909.
VERANTWORTUNG = {
    "ber_b1": ((3, 3), (4, 4)),
    "ber_b2": ((2, 4), (4, 4)),
    "ber_b3": ((3, 3), (3, 3)),
    "ber_b4": ((4, 4), (5, 5)),
    "ber_b5": ((3, 3), (3, 3)),
    "ham_h1": ((2, 2), (3, 4)),
    "ham_h2": ((3, 3), (3, 3)),
    "ham_h3": ((4, 4), (4, 4)),
    "ham_h4": ((2, 2), (4, 4)),
    "muc_m1": ((3, 3), (4, 4)),
    "muc_m2": ((5, 5), (4, 4)),
}

# -- single-wave T1 answers (T1 respondents: the 11 pair persons + ham_x1 + muc_x2 at BER) ------
# columns: zufriedenheit, a_neue_kontakte, (a_werte_1, a_werte_2), b_oeffentlich, b_anerkennung
T1_ANTWORTEN: dict[str, tuple[Any, Any, tuple[Any, Any], Any, Any]] = {
    "ber_b1": (5, 2, (4, 4), "ja", 4),
    "ber_b2": (4, 0, (5, 3), "nein", 2),
    "ber_b3": (3, 1, (4, None), "ja", 5),
    "ber_b4": (None, None, (3, 4), "nein", 3),
    "ber_b5": (2, 3, (5, 5), "nein", 4),
    "ham_h1": (4, 0, (2, 3), "ja", 1),
    "ham_h2": (5, 1, (4, 5), "nein", 5),
    "ham_h3": (3, None, (3, 3), "nein", 4),
    "ham_h4": (4, 5, (4, 4), "nein", 2),
    "muc_m1": (5, 0, (5, 4), None, 3),
    "muc_m2": (3, 1, (1, 2), "nein", None),
    "ham_x1": (1, 2, (4, 4), "ja", 5),
    "muc_x2": (4, 1, (3, 5), "nein", 2),
}
# A3 zufriedenheit ≥ 4: answered by all but b4 → n = 12; yes: b1, b2, h1, h2, h4, m1, x2 = 7
#    → 7/12 = 58.333 %. BER (b1 b2 b3 b5 x2): 3/5 = 60 %; HAM (h1 h2 h3 h4 x1): 3/5 = 60 %;
#    MUC (m1 m2): 1/2 = 50 %. The mean of the site shares (60+60+50)/3 = 56.667 % is wrong:
#    rates are pooled. mit_mh (b1 b2 b3 h1 h2): 4/5 = 80 %; ohne_mh (b5 h3 h4 m1 m2): 2/5 =
#    40 % (x1 and x2 at BER have no known group, count only in totals); (BER, ohne_mh) b5: 0/1.
# A4 a_neue_kontakte ≥ 1: answered by all but b4, h3 → n = 11; yes: b1 b3 b5 h2 h4 m2 x1 x2 = 8
#    → 8/11 = 72.727 %.
# A9 mean(a_werte_1, a_werte_2) ≥ 4, both needed: b3 has 1 of 2 → n = 12; yes: b1 (4), b2 (4),
#    b5 (5), h2 (4.5), h4 (4), m1 (4.5), x1 (4), x2 (4) = 8 → 8/12 = 66.667 % (b4 3.5, h1 2.5,
#    h3 3, m2 1.5 are below).
# B4 b_oeffentlich = ja: m1 missing → n = 12; yes: b1 b3 h1 x1 = 4 → 4/12 = 33.333 %.
# B5 b_anerkennung ≥ 4: m2 missing → n = 12; yes: b1 b3 b5 h2 h3 x1 = 6 → 6/12 = 50 %.
#    (At T0 everybody answered 5 — counting T0 would give a different share.)

# -- activities -----------------------------------------------------------------------------
AKTIVITAETEN: list[dict[str, Any]] = [
    # BER: a1 2/10 mit = exactly 20 % → mixed; a2 3/15 = exactly 20 % → mixed; a3 1/10 → not.
    dict(aktivitaet_id="a1", standort="BER", teilnehmende_gesamt=10, teilnehmende_mit_mh=2,
         teilnehmende_ohne_mh=8, teilnehmende_mit_rolle=1, oeffentlich="nein"),
    dict(aktivitaet_id="a2", standort="BER", teilnehmende_gesamt=15, teilnehmende_mit_mh=3,
         teilnehmende_ohne_mh=12, teilnehmende_mit_rolle=3, oeffentlich="ja", reichweite=120),
    dict(aktivitaet_id="a3", standort="BER", teilnehmende_gesamt=10, teilnehmende_mit_mh=1,
         teilnehmende_ohne_mh=9, teilnehmende_mit_rolle=None, oeffentlich="ja",
         reichweite=None),
    # HAM: h1 10/10 → mixed; h2 no composition → not in A2's denominator; h3 6 and 3 of 12
    # (3 ≥ 2.4) → mixed. h2 oeffentlich unknown → not public.
    dict(aktivitaet_id="h1", standort="HAM", teilnehmende_gesamt=20, teilnehmende_mit_mh=10,
         teilnehmende_ohne_mh=10, teilnehmende_mit_rolle=4, oeffentlich="ja", reichweite=300),
    dict(aktivitaet_id="h2", standort="HAM", teilnehmende_gesamt=8, teilnehmende_mit_rolle=2),
    dict(aktivitaet_id="h3", standort="HAM", teilnehmende_gesamt=12, teilnehmende_mit_mh=6,
         teilnehmende_ohne_mh=3, teilnehmende_mit_rolle=0, oeffentlich="nein"),
    # MUC: m1 0 mit of 5 → not mixed; m2 nobody came (total 0) → not in A2's denominator.
    dict(aktivitaet_id="m1", standort="MUC", teilnehmende_gesamt=5, teilnehmende_mit_mh=0,
         teilnehmende_ohne_mh=5, teilnehmende_mit_rolle=1, oeffentlich="ja", reichweite=50),
    dict(aktivitaet_id="m2", standort="MUC", teilnehmende_gesamt=0, teilnehmende_mit_mh=0,
         teilnehmende_ohne_mh=0, teilnehmende_mit_rolle=0, oeffentlich="nein"),
]  # fmt: skip
# A2 BER 2/3 = 66.667 %; HAM 2/2 = 100 %; MUC 0/1 = 0 %; pooled 4/6 = 66.667 % (the mean of the
#    site shares, 55.556 %, is wrong).
# B3 public activities: a2, a3, h1, m1 = 4 (BER 2, HAM 1, MUC 1).
# B6 reach of public activities: 120 + 300 + 50 = 470 (a3 unknown); n = 3 with reach.
# C6 100·Σrolle/Σgesamt over activities with both: BER (a1, a2) 100·4/25 = 16;
#    HAM 100·(4+2+0)/40 = 15; MUC 100·(1+0)/5 = 20; pooled 100·11/70 = 15.714286 (the mean of
#    the site rates, 17.0, is wrong).

#: Expected value, standort "gesamt", gruppe "gesamt", periode "gesamt" — every indicator.
ERWARTET: dict[str, float] = {
    "A1": 14,  # T0 codes: BER b1-b5 + x3 = 6, HAM h1-h4 + x4 = 5, MUC m1 m2 + x2 = 3
    "A2": 100 * 4 / 6,
    "A3": 100 * 7 / 12,
    "A4": 100 * 8 / 11,
    "A5": 10 / 11,
    "A6": 7.5 / 10,
    "A7": 100 / 11,
    "A8": 6.5 / 11,
    "A9": 100 * 8 / 12,
    "B1": 5.5 / 11,
    "B2": 8.5 / 10,
    "B3": 4,
    "B4": 100 * 4 / 12,
    "B5": 100 * 6 / 12,
    "B6": 470,
    "C1": 8 / 7,
    "C2": 30.0,
    "C3": 100 * 4 / 11,
    "C4": 5.5 / 10,
    "C5": 6.5 / 11,
    "C6": 100 * 11 / 70,
}
#: n of the same cells (persons, pairs, activities, reach entries, participations).
ERWARTET_N: dict[str, int] = {
    "A1": 14, "A2": 6, "A3": 12, "A4": 11, "A5": 11, "A6": 10, "A7": 11, "A8": 11, "A9": 12,
    "B1": 11, "B2": 10, "B3": 4, "B4": 12, "B5": 12, "B6": 3,
    "C1": 10, "C2": 10, "C3": 11, "C4": 10, "C5": 11, "C6": 70,
}  # fmt: skip

#: (indikator, standort, gruppe) → hand value, for sites and groups.
ERWARTET_ZELLEN: dict[tuple[str, str, str], float] = {
    ("A1", "BER", "gesamt"): 6,
    ("A1", "HAM", "gesamt"): 5,  # x4 (keine_angabe) counts in the total …
    ("A1", "HAM", "mit_mh"): 2,
    ("A1", "HAM", "ohne_mh"): 2,  # … but in no group
    ("A1", "MUC", "gesamt"): 3,
    ("A1", "BER", "mit_mh"): 4,  # b1 b2 b3 x3
    ("A1", "gesamt", "mit_mh"): 6,  # 4 + 2
    ("A1", "gesamt", "ohne_mh"): 7,  # BER 2 + HAM 2 + MUC 3
    ("A2", "BER", "gesamt"): 100 * 2 / 3,
    ("A2", "HAM", "gesamt"): 100.0,
    ("A2", "MUC", "gesamt"): 0.0,
    ("A3", "BER", "gesamt"): 60.0,
    ("A3", "HAM", "gesamt"): 60.0,
    ("A3", "MUC", "gesamt"): 50.0,
    ("A3", "gesamt", "mit_mh"): 80.0,
    ("A3", "gesamt", "ohne_mh"): 40.0,
    ("A3", "BER", "ohne_mh"): 0.0,  # b5 (2); x2's T0 is at MUC: no group at BER
    ("A5", "BER", "gesamt"): 0.8,
    ("A5", "HAM", "gesamt"): 0.75,
    ("A5", "MUC", "gesamt"): 1.5,
    ("A5", "gesamt", "mit_mh"): 1.0,
    ("A5", "gesamt", "ohne_mh"): 5 / 6,
    ("A6", "BER", "mit_mh"): 1.25,
    ("A9", "BER", "gesamt"): 80.0,  # b1 b2 b5 x2 of b1 b2 b4 b5 x2
    ("A9", "HAM", "gesamt"): 60.0,  # h2 h4 x1 of h1..h4 x1
    ("B3", "BER", "gesamt"): 2,
    ("B3", "HAM", "gesamt"): 1,
    ("B6", "BER", "gesamt"): 120,
    ("B6", "HAM", "gesamt"): 300,
    ("B6", "MUC", "gesamt"): 50,
    ("C6", "BER", "gesamt"): 16.0,
    ("C6", "HAM", "gesamt"): 15.0,
    ("C6", "MUC", "gesamt"): 20.0,
}


def _befragungen(items: Any, kennt: Any) -> list[dict[str, Any]]:
    """All questionnaire rows of the data set described in the module docstring."""
    zeilen: dict[tuple[str, str], dict[str, Any]] = {}

    def zeile(code: str, welle: str, standort: str, **werte: Any) -> dict[str, Any]:
        z = zeilen.setdefault(
            (code, welle),
            {"code": code, "welle": welle, "standort": standort, "format": "praesenz"},
        )
        z["datum"] = {"T0": T0, "T1": T1, "T2": T2}[welle]
        z.update(werte)
        return z

    for code, (standort, mh) in PAARE.items():
        # decoys at T0 for the T1-only questions; anerkennung 5 at T0 for everybody
        zeile(code, "T0", standort, migrationshintergrund=mh, zufriedenheit=1,
              a_neue_kontakte=0, b_oeffentlich="nein", b_anerkennung=5,
              **items("a_werte", 1, 1), **items("c_wirksamkeit", None, None, 1, 1))  # fmt: skip
        zeile(code, "T1", standort, **items("c_wirksamkeit", None, None, 5, 5))
        for welle, wert in zip(("T0", "T1"), HAEUFIGKEIT[code], strict=True):
            zeilen[(code, welle)]["a_kontakt_haeufigkeit"] = wert
        for welle, wert in zip(("T0", "T1"), THERMOMETER[code], strict=True):
            zeilen[(code, welle)]["a_thermometer"] = wert
        for welle, wert in zip(("T0", "T1"), AKTIV[code], strict=True):
            zeilen[(code, welle)]["c_aktiv"] = wert
        for welle, wert in zip(("T0", "T1"), ENGAGIERT[code], strict=True):
            zeilen[(code, welle)]["c_engagiert"] = wert
        for welle, muster in zip(("T0", "T1"), KENNTNIS[code], strict=True):
            zeilen[(code, welle)].update(kennt(muster))
        for stamm, tabelle in (
            ("a_kontakt_qualitaet", QUALITAET),
            ("a_vertrauen", VERTRAUEN),
            ("b_selbstwirksamkeit", SELBSTWIRKSAMKEIT),
            ("b_kompetenz", KOMPETENZ),
        ):
            for welle, werte in zip(("T0", "T1"), tabelle[code], strict=True):
                zeilen[(code, welle)].update(items(stamm, *werte))
        for welle, (w1, w2) in zip(("T0", "T1"), WIRKSAMKEIT[code], strict=True):
            zeilen[(code, welle)].update(c_wirksamkeit_1=w1, c_wirksamkeit_2=w2)
        for welle, (v, e) in zip(("T0", "T1"), VERANTWORTUNG[code], strict=True):
            zeilen[(code, welle)].update(c_verantwortung=v, c_engagement_absicht=e)

    # persons without a pair
    zeile("ber_x3", "T0", "BER", migrationshintergrund="ja", a_kontakt_haeufigkeit=3,
          a_thermometer=20, b_anerkennung=5)  # fmt: skip
    zeile("ham_x4", "T0", "HAM", migrationshintergrund="keine_angabe", a_kontakt_haeufigkeit=1,
          b_anerkennung=5)  # fmt: skip
    zeile("ham_x1", "T1", "HAM", a_kontakt_haeufigkeit=5, a_thermometer=100, c_aktiv="ja")
    zeile("muc_x2", "T0", "MUC", migrationshintergrund="nein", a_kontakt_haeufigkeit=1,
          a_thermometer=0, c_aktiv="nein", b_anerkennung=5)  # fmt: skip
    zeile("muc_x2", "T1", "BER", a_kontakt_haeufigkeit=5, a_thermometer=100, c_aktiv="ja")

    for code, (zuf, neu, werte, oeff, anerk) in T1_ANTWORTEN.items():
        zeilen[(code, "T1")].update(
            zufriedenheit=zuf, a_neue_kontakte=neu, b_oeffentlich=oeff, b_anerkennung=anerk,
            **items("a_werte", *werte),
        )  # fmt: skip

    # T2 (follow-up) for ber_b1..b3 only: contact frequency and thermometer, plus decoys for
    # the T1-only shares (T2 answers must not enter A3/A4/A9/B4/B5).
    # A5 T0→T2: b1 2→5 +3, b2 3→4 +1, b3 1→1 0 → 4/3. A7 T0→T2: +25, -5, +20 → 40/3.
    for code, haeufigkeit, thermometer in (
        ("ber_b1", 5, 75),
        ("ber_b2", 4, 55),
        ("ber_b3", 1, 60),
    ):
        zeile(code, "T2", "BER", a_kontakt_haeufigkeit=haeufigkeit, a_thermometer=thermometer,
              zufriedenheit=1, a_neue_kontakte=0, b_oeffentlich="nein", b_anerkennung=1,
              **items("a_werte", 1, 1))  # fmt: skip
    return list(zeilen.values())


@pytest.fixture(scope="module")
def ergebnis(neue_testdaten: Any) -> Ergebnis:
    daten = neue_testdaten()
    daten.standorte(["BER", "HAM", "MUC"])
    daten.befragungen(_befragungen(daten.items, daten.kennt))
    daten.aktivitaeten([{**a, "datum": T1} for a in AKTIVITAETEN])
    return berechne(daten.db, filter_=Filter(), schwellen=KEINE_UNTERDRUECKUNG)


def _zeile(tabelle: pd.DataFrame, **schluessel: str) -> pd.Series:
    auswahl = tabelle
    for spalte, wert in schluessel.items():
        auswahl = auswahl[auswahl[spalte] == wert]
    assert len(auswahl) == 1, f"{schluessel}: {len(auswahl)} Zeilen"
    return auswahl.iloc[0]


def _gesamt(
    ergebnis: Ergebnis, indikator: str, standort: str = "gesamt", gruppe: str = "gesamt"
) -> pd.Series:
    return _zeile(
        ergebnis.indikatoren,
        indikator=indikator,
        standort=standort,
        gruppe=gruppe,
        periode="gesamt",
    )


@pytest.mark.parametrize("indikator", sorted(ERWARTET))
def test_gesamtwert_wie_von_hand(ergebnis: Ergebnis, indikator: str) -> None:
    zeile = _gesamt(ergebnis, indikator)
    assert not zeile["unterdrueckt"]
    assert zeile["wert"] == pytest.approx(ERWARTET[indikator], rel=1e-9)
    assert zeile["n"] == ERWARTET_N[indikator]


@pytest.mark.parametrize("zelle", sorted(ERWARTET_ZELLEN), ids=lambda z: "-".join(z))
def test_standort_und_gruppenwerte_wie_von_hand(
    ergebnis: Ergebnis, zelle: tuple[str, str, str]
) -> None:
    indikator, standort, gruppe = zelle
    zeile = _gesamt(ergebnis, indikator, standort, gruppe)
    assert not zeile["unterdrueckt"]
    assert zeile["wert"] == pytest.approx(ERWARTET_ZELLEN[zelle], rel=1e-9)


def test_nichts_unterdrueckt_und_alle_standorte_vorhanden(ergebnis: Ergebnis) -> None:
    tabelle = ergebnis.indikatoren
    assert not tabelle["unterdrueckt"].any()
    assert set(tabelle["standort"]) == {"gesamt", "BER", "HAM", "MUC"}
    assert set(tabelle["periode"]) == {"gesamt"}
    # MUC has only persons without migration background; activities have no groups under MH
    personen = tabelle[tabelle["indikator"] == "A1"]
    assert set(personen["gruppe"]) == {"gesamt", "mit_mh", "ohne_mh"}
    assert set(tabelle[tabelle["indikator"] == "B3"]["gruppe"]) == {"gesamt"}
    assert set(tabelle["indikator"]) == set(ERWARTET)


def test_gepoolte_raten_nicht_gemittelt(ergebnis: Ergebnis) -> None:
    """SPEC §4: rates are pooled from numerator and denominator, never averaged across sites."""
    for indikator, gemittelt in (("A2", (200 / 3 + 100 + 0) / 3), ("A3", 170 / 3), ("C6", 17.0)):
        gesamt = _gesamt(ergebnis, indikator)
        assert gesamt["wert"] == pytest.approx(100 * gesamt["zaehler"] / gesamt["nenner"])
        assert gesamt["wert"] != pytest.approx(gemittelt, abs=0.5)
    a3 = _gesamt(ergebnis, "A3")
    assert (a3["zaehler"], a3["nenner"]) == (7, 12)
    c6 = _gesamt(ergebnis, "C6")
    assert (c6["zaehler"], c6["nenner"]) == (11, 70)


def test_anteil_mit_wilson_intervall(ergebnis: Ergebnis) -> None:
    a3 = _gesamt(ergebnis, "A3")
    ci = stats.binomtest(7, 12).proportion_ci(confidence_level=0.95, method="wilson")
    assert a3["ci_unten"] == pytest.approx(100 * ci.low)
    assert a3["ci_oben"] == pytest.approx(100 * ci.high)
    # counts get no CI (SPEC §5)
    assert math.isnan(_gesamt(ergebnis, "A1")["ci_unten"])
    assert math.isnan(_gesamt(ergebnis, "B3")["ci_oben"])


def test_vorher_nachher_einzelheiten(ergebnis: Ergebnis) -> None:
    vn = ergebnis.vorher_nachher
    a5 = _zeile(vn, indikator="A5", standort="gesamt", gruppe="gesamt", welle="T1")
    assert a5["n_paare"] == 11
    assert a5["mittel_vorher"] == pytest.approx(25 / 11)
    assert a5["mittel_nachher"] == pytest.approx(35 / 11)
    referenz = stats.ttest_1samp(A5_DIFFERENZEN, 0.0)
    ci = referenz.confidence_interval(0.95)
    assert a5["differenz"] == pytest.approx(np.mean(A5_DIFFERENZEN))
    assert (a5["ci_unten"], a5["ci_oben"]) == pytest.approx((ci.low, ci.high))
    assert a5["p_wert"] == pytest.approx(referenz.pvalue)
    # the indicator row carries the same CI
    zeile = _gesamt(ergebnis, "A5")
    assert (zeile["ci_unten"], zeile["ci_oben"]) == pytest.approx((ci.low, ci.high))

    c1 = _zeile(vn, indikator="C1", standort="gesamt", gruppe="gesamt", welle="T1")
    assert c1["mittel_vorher"] == pytest.approx(25 / 10)  # 2+4+1+4+0+3+2+6+1+2
    assert c1["mittel_nachher"] == pytest.approx((33 + 24 / 7) / 10)

    c2 = _zeile(vn, indikator="C2", standort="gesamt", gruppe="gesamt", welle="T1")
    assert (c2["n_paare"], c2["mittel_vorher"], c2["mittel_nachher"]) == pytest.approx(
        (10, 40.0, 70.0)
    )
    assert c2["differenz"] == pytest.approx(30.0)
    assert c2["p_wert"] == pytest.approx(0.375)
    c3 = _zeile(vn, indikator="C3", standort="gesamt", gruppe="gesamt", welle="T1")
    assert c3["p_wert"] == pytest.approx(0.21875)

    a6 = _zeile(vn, indikator="A6", standort="BER", gruppe="mit_mh", welle="T1")
    assert a6["n_paare"] == 2


def test_folgebefragung_t2(ergebnis: Ergebnis) -> None:
    vn = ergebnis.vorher_nachher
    t2 = vn[vn["welle"] == "T2"]
    a7 = _zeile(t2, indikator="A7", standort="gesamt", gruppe="gesamt")
    assert (a7["n_paare"], a7["differenz"]) == pytest.approx((3, 40 / 3))
    a5 = _zeile(t2, indikator="A5", standort="BER", gruppe="mit_mh")
    assert (a5["n_paare"], a5["differenz"]) == pytest.approx((3, 4 / 3))
    # T2 never feeds the indicator table's pre/post value (that is T0→T1)
    assert _gesamt(ergebnis, "A7")["wert"] == pytest.approx(100 / 11)


def test_match_quote_je_standort(ergebnis: Ergebnis) -> None:
    """T0 codes that reached T1 at the same site: BER 5/6, HAM 4/5, MUC 2/3 (x2 moved)."""
    vn = ergebnis.vorher_nachher
    erwartet = {"BER": (6, 5), "HAM": (5, 4), "MUC": (3, 2), "gesamt": (14, 11)}
    for standort, (n_t0, n_erreicht) in erwartet.items():
        zeile = _zeile(vn, indikator="A5", standort=standort, gruppe="gesamt", welle="T1")
        assert (zeile["n_t0"], zeile["n_erreicht"]) == (n_t0, n_erreicht)
        assert zeile["match_quote"] == pytest.approx(100 * n_erreicht / n_t0)
    t2 = _zeile(vn, indikator="A5", standort="BER", gruppe="gesamt", welle="T2")
    assert (t2["n_t0"], t2["n_erreicht"]) == (6, 3)

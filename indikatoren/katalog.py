"""The indicator catalogue for goals a–c (SPEC §4) and the explicit registry.

Adding an indicator: declare it here, add it to ``INDIKATOREN``, and add its hand-worked expected
value to ``tests/indikatoren/test_katalog_werte.py`` — the registry test fails until all three
are done.
"""

from __future__ import annotations

from types import MappingProxyType

from indikatoren.definitionen import (
    Berechnung,
    Indikator,
    Messgroesse,
    Quelle,
    Richtung,
    Ziel,
)

_M = Messgroesse
MESSGROESSEN: tuple[Messgroesse, ...] = (
    _M("zufriedenheit", "Zufriedenheit (1–5)", ("zufriedenheit",)),
    _M("neue_kontakte", "Neue Kontakte (Anzahl)", ("a_neue_kontakte",)),
    _M("kontakt_haeufigkeit", "Kontakthäufigkeit (1–5)", ("a_kontakt_haeufigkeit",)),
    _M(
        "kontaktqualitaet",
        "Kontaktqualität (1–5)",
        ("a_kontakt_qualitaet_1", "a_kontakt_qualitaet_2", "a_kontakt_qualitaet_3"),
    ),
    _M("thermometer", "Gefühlsthermometer (0–100)", ("a_thermometer",)),
    _M("vertrauen", "Vertrauen KUSIV3 (1–5)", ("a_vertrauen_1", "a_vertrauen_2", "a_vertrauen_3")),
    _M("werte", "Reflexion über Werte (1–5)", ("a_werte_1", "a_werte_2")),
    _M(
        "selbstwirksamkeit",
        "Selbstwirksamkeit ASKU (1–5)",
        ("b_selbstwirksamkeit_1", "b_selbstwirksamkeit_2", "b_selbstwirksamkeit_3"),
    ),
    _M(
        "kompetenz",
        "Kompetenzen (1–5)",
        ("b_kompetenz_1", "b_kompetenz_2", "b_kompetenz_3", "b_kompetenz_4"),
    ),
    _M("oeffentlich", "Öffentlich präsentiert (ja/nein)", ("b_oeffentlich",)),
    _M("anerkennung", "Anerkennung (1–5)", ("b_anerkennung",)),
    _M(
        "kenntnis",
        "Bekannte Beteiligungsmöglichkeiten (0–8)",
        tuple(f"c_kennt_{i}" for i in range(1, 9)),
        summe=True,
    ),
    _M("aktiv", "Aktive Beteiligung (ja/nein)", ("c_aktiv",)),
    _M("engagiert", "Freiwilliges Engagement (ja/nein)", ("c_engagiert",)),
    _M(
        "wirksamkeit_intern",
        "Politische Selbstwirksamkeit intern, PEKS (1–5)",
        ("c_wirksamkeit_1", "c_wirksamkeit_2"),
    ),
    _M(
        "verantwortung_engagement",
        "Verantwortung und Engagementabsicht (1–5)",
        ("c_verantwortung", "c_engagement_absicht"),
    ),
)

_H = Richtung.HOEHER_BESSER
_BEF = Quelle.BEFRAGUNG
_AKT = Quelle.AKTIVITAETEN
_VN = Berechnung.VORHER_NACHHER
_PAARE = (
    " Gezählt werden nur Personen mit Fragebogen zu T0 und T1 am selben Standort (gepaarte "
    "Vorher-Nachher-Messung); der Wert ist die mittlere Veränderung mit 95-%-Konfidenzintervall."
)
_SKALA = (
    " Ein Skalenwert wird nur gebildet, wenn mindestens zwei Drittel der Fragen beantwortet sind."
)

A1 = Indikator(
    id="A1",
    ziel=Ziel.A,
    name="Erreichte Teilnehmende",
    beschreibung=(
        "Anzahl verschiedener Personen (pseudonyme Codes), die einen Eingangsfragebogen (T0) "
        "ausgefüllt haben, getrennt nach Migrationsgeschichte. Jede Person zählt einmal, auch "
        "wenn sie mehrere Angebote besucht."
    ),
    stufe=2,
    einheit="Personen",
    richtung=_H,
    quelle=_BEF,
    berechnung=Berechnung.PERSONEN,
    welle="T0",
    dezimalstellen=0,
    kumulativ=True,
)
A2 = Indikator(
    id="A2",
    ziel=Ziel.A,
    name="Begegnungsquote",
    beschreibung=(
        "Anteil der Aktivitäten, bei denen sowohl Menschen mit als auch ohne Migrationsgeschichte "
        "jeweils mindestens 20 % der Teilnehmenden ausmachen. Zähler: solche gemischten "
        "Aktivitäten; Nenner: alle Aktivitäten mit Angaben zur Zusammensetzung."
    ),
    stufe=3,
    einheit="%",
    richtung=_H,
    quelle=_AKT,
    berechnung=Berechnung.AKTIVITAETEN_ANTEIL,
    bedingung=(
        "teilnehmende_gesamt > 0 AND teilnehmende_mit_mh >= 0.2 * teilnehmende_gesamt "
        "AND teilnehmende_ohne_mh >= 0.2 * teilnehmende_gesamt"
    ),
    nenner_bedingung="teilnehmende_mit_mh IS NOT NULL AND teilnehmende_ohne_mh IS NOT NULL "
    "AND teilnehmende_gesamt > 0",
)
A3 = Indikator(
    id="A3",
    ziel=Ziel.A,
    name="Zufriedenheit",
    beschreibung=(
        "Anteil der Befragten am Ende des Angebots (T1), die mit dem Angebot eher oder sehr "
        "zufrieden sind (Wert 4 oder 5 auf der Skala 1–5). Nenner: alle T1-Befragten mit Antwort."
    ),
    stufe=3,
    einheit="%",
    richtung=_H,
    quelle=_BEF,
    berechnung=Berechnung.ANTEIL,
    messgroesse="zufriedenheit",
    bedingung="{x} >= 4",
)
A4 = Indikator(
    id="A4",
    ziel=Ziel.A,
    name="Neue Kontakte",
    beschreibung=(
        "Anteil der T1-Befragten, die durch das Projekt mindestens eine Person der jeweils "
        "anderen Gruppe kennengelernt haben, mit der sie auch außerhalb des Projekts Kontakt "
        "haben (auch online)."
    ),
    stufe=5,
    einheit="%",
    richtung=_H,
    quelle=_BEF,
    berechnung=Berechnung.ANTEIL,
    messgroesse="neue_kontakte",
    bedingung="{x} >= 1",
)
A5 = Indikator(
    id="A5",
    ziel=Ziel.A,
    name="Kontakthäufigkeit",
    beschreibung=(
        "Veränderung der Häufigkeit von Kontakten mit Menschen der jeweils anderen Gruppe in den "
        "letzten vier Wochen, persönlich oder online (1 = nie … 5 = sehr oft)." + _PAARE
    ),
    stufe=5,
    einheit="Punkte",
    richtung=_H,
    quelle=_BEF,
    berechnung=_VN,
    messgroesse="kontakt_haeufigkeit",
    dezimalstellen=2,
)
A6 = Indikator(
    id="A6",
    ziel=Ziel.A,
    name="Kontaktqualität",
    beschreibung=(
        "Veränderung der Qualität dieser Kontakte: Mittelwert aus drei Aussagen (angenehm, "
        "persönlich, auf Augenhöhe; 1–5)." + _SKALA + _PAARE
    ),
    stufe=4,
    einheit="Punkte",
    richtung=_H,
    quelle=_BEF,
    berechnung=_VN,
    messgroesse="kontaktqualitaet",
    dezimalstellen=2,
)
A7 = Indikator(
    id="A7",
    ziel=Ziel.A,
    name="Haltung gegenüber der anderen Gruppe",
    beschreibung=(
        "Veränderung auf dem Gefühlsthermometer gegenüber der jeweils anderen Gruppe (0 = sehr "
        "kalt, 50 = neutral, 100 = sehr warm). Ein Anstieg zeigt den Abbau von Vorurteilen."
        + _PAARE
    ),
    stufe=4,
    einheit="Punkte (0–100)",
    richtung=_H,
    quelle=_BEF,
    berechnung=_VN,
    messgroesse="thermometer",
)
A8 = Indikator(
    id="A8",
    ziel=Ziel.A,
    name="Vertrauen (KUSIV3)",
    beschreibung=(
        "Veränderung des allgemeinen Vertrauens in andere Menschen, Kurzskala KUSIV3 (GESIS): "
        "Mittelwert aus drei Aussagen, die zweite Aussage ('Heutzutage kann man sich auf niemanden "
        "mehr verlassen') wird umgepolt." + _SKALA + _PAARE
    ),
    stufe=4,
    einheit="Punkte",
    richtung=_H,
    quelle=_BEF,
    berechnung=_VN,
    messgroesse="vertrauen",
    dezimalstellen=2,
)
A9 = Indikator(
    id="A9",
    ziel=Ziel.A,
    name="Reflexion über Werte und Normen",
    beschreibung=(
        "Anteil der T1-Befragten, deren Mittelwert aus zwei Aussagen zur Auseinandersetzung mit "
        "Werten und Regeln des Zusammenlebens mindestens 4 (eher oder voll zutreffend) beträgt."
        + _SKALA
    ),
    stufe=4,
    einheit="%",
    richtung=_H,
    quelle=_BEF,
    berechnung=Berechnung.ANTEIL,
    messgroesse="werte",
    bedingung="{x} >= 4",
)
B1 = Indikator(
    id="B1",
    ziel=Ziel.B,
    name="Selbstwirksamkeit (ASKU)",
    beschreibung=(
        "Veränderung der allgemeinen Selbstwirksamkeit, Kurzskala ASKU (GESIS): Mittelwert aus "
        "drei Aussagen (1–5)." + _SKALA + _PAARE
    ),
    stufe=4,
    einheit="Punkte",
    richtung=_H,
    quelle=_BEF,
    berechnung=_VN,
    messgroesse="selbstwirksamkeit",
    dezimalstellen=2,
)
B2 = Indikator(
    id="B2",
    ziel=Ziel.B,
    name="Kompetenzen",
    beschreibung=(
        "Veränderung der selbst eingeschätzten Kompetenzen: Mittelwert aus vier Aussagen "
        "(digital, Moderation/Präsentation, interkulturell, Projektorganisation; 1–5)."
        + _SKALA
        + _PAARE
    ),
    stufe=4,
    einheit="Punkte",
    richtung=_H,
    quelle=_BEF,
    berechnung=_VN,
    messgroesse="kompetenz",
    dezimalstellen=2,
)
B3 = Indikator(
    id="B3",
    ziel=Ziel.B,
    name="Öffentliche Aktivitäten",
    beschreibung=(
        "Anzahl der öffentlich sichtbaren Aktivitäten (z. B. Präsentationen, Ausstellungen, "
        "Beiträge in Medien oder online), in denen Teilnehmende ihre Kompetenzen zeigen. Die "
        "erreichte Reichweite steht in B6."
    ),
    stufe=5,
    einheit="Aktivitäten",
    richtung=_H,
    quelle=_AKT,
    berechnung=Berechnung.AKTIVITAETEN_ANZAHL,
    bedingung="oeffentlich",
    dezimalstellen=0,
    kumulativ=True,
)
B4 = Indikator(
    id="B4",
    ziel=Ziel.B,
    name="Öffentlich präsentiert",
    beschreibung=(
        "Anteil der T1-Befragten, die eigene Arbeiten oder Ergebnisse öffentlich vorgestellt "
        "haben (Veranstaltung, Medien, online)."
    ),
    stufe=5,
    einheit="%",
    richtung=_H,
    quelle=_BEF,
    berechnung=Berechnung.ANTEIL,
    messgroesse="oeffentlich",
    bedingung="{x}",
)
B5 = Indikator(
    id="B5",
    ziel=Ziel.B,
    name="Anerkennung",
    beschreibung=(
        "Anteil der T1-Befragten, die der Aussage 'Meine Fähigkeiten werden von anderen "
        "wahrgenommen und anerkannt' eher oder voll zustimmen (4 oder 5)."
    ),
    stufe=5,
    einheit="%",
    richtung=_H,
    quelle=_BEF,
    berechnung=Berechnung.ANTEIL,
    messgroesse="anerkennung",
    bedingung="{x} >= 4",
)
B6 = Indikator(
    id="B6",
    ziel=Ziel.B,
    name="Reichweite öffentlicher Aktivitäten",
    beschreibung=(
        "Summe des erreichten Publikums (Besuchende, Aufrufe) aller öffentlich sichtbaren "
        "Aktivitäten. Mehrfachzählungen derselben Person sind möglich."
    ),
    stufe=5,
    einheit="Personen/Aufrufe",
    richtung=_H,
    quelle=_AKT,
    berechnung=Berechnung.AKTIVITAETEN_SUMME,
    messgroesse="reichweite",
    bedingung="oeffentlich",
    dezimalstellen=0,
    kumulativ=True,
)
C1 = Indikator(
    id="C1",
    ziel=Ziel.C,
    name="Kenntnis von Beteiligungsmöglichkeiten",
    beschreibung=(
        "Veränderung der Zahl bekannter Beteiligungsmöglichkeiten (0–8: Verein, "
        "Migrant*innenorganisation, Jugendverband, Eltern-/Schülervertretung, Integrationsbeirat, "
        "Bürgerinitiative, Partei/Jugendparlament, Online-Beteiligung). Fehlen einzelne Antworten, "
        "wird der Anteil der bekannten unter den beantworteten auf 8 hochgerechnet."
        + _SKALA
        + _PAARE
    ),
    stufe=4,
    einheit="Anzahl (0–8)",
    richtung=_H,
    quelle=_BEF,
    berechnung=_VN,
    messgroesse="kenntnis",
    dezimalstellen=2,
)
C2 = Indikator(
    id="C2",
    ziel=Ziel.C,
    name="Aktive Beteiligung",
    beschreibung=(
        "Anteil der Personen, die in den letzten 12 Monaten aktiv in einer Organisation oder "
        "Gruppe mitgemacht haben, vor (T0) und nach (T1) dem Angebot bei denselben Personen. Der "
        "Wert ist die Veränderung in Prozentpunkten; getestet mit dem McNemar-Test."
    ),
    stufe=5,
    einheit="Prozentpunkte",
    richtung=_H,
    quelle=_BEF,
    berechnung=Berechnung.VORHER_NACHHER_JA_NEIN,
    messgroesse="aktiv",
)
C3 = Indikator(
    id="C3",
    ziel=Ziel.C,
    name="Freiwilliges Engagement",
    beschreibung=(
        "Anteil der Personen, die in den letzten 12 Monaten freiwillig und unbezahlt Aufgaben "
        "übernommen haben, vor (T0) und nach (T1) dem Angebot bei denselben Personen. Der Wert ist "
        "die Veränderung in Prozentpunkten; getestet mit dem McNemar-Test."
    ),
    stufe=5,
    einheit="Prozentpunkte",
    richtung=_H,
    quelle=_BEF,
    berechnung=Berechnung.VORHER_NACHHER_JA_NEIN,
    messgroesse="engagiert",
)
C4 = Indikator(
    id="C4",
    ziel=Ziel.C,
    name="Politische Selbstwirksamkeit (intern)",
    beschreibung=(
        "Veränderung der internen politischen Selbstwirksamkeit, Kurzskala PEKS (GESIS), Aussagen "
        "1 und 2: politische Fragen verstehen und sich an Gesprächen darüber beteiligen." + _PAARE
    ),
    stufe=4,
    einheit="Punkte",
    richtung=_H,
    quelle=_BEF,
    berechnung=_VN,
    messgroesse="wirksamkeit_intern",
    dezimalstellen=2,
)
C5 = Indikator(
    id="C5",
    ziel=Ziel.C,
    name="Verantwortung und Engagementabsicht",
    beschreibung=(
        "Veränderung des Mittelwerts aus 'Ich übernehme Verantwortung für Aufgaben in einer "
        "Gruppe' und 'Ich habe vor, mich (weiter) zu engagieren' (1–5)." + _PAARE
    ),
    stufe=4,
    einheit="Punkte",
    richtung=_H,
    quelle=_BEF,
    berechnung=_VN,
    messgroesse="verantwortung_engagement",
    dezimalstellen=2,
)
C6 = Indikator(
    id="C6",
    ziel=Ziel.C,
    name="Rollenübernahme",
    beschreibung=(
        "Teilnehmende, die eine Rolle übernommen haben (moderiert, mitorganisiert, präsentiert), "
        "je 100 Teilnahmen an Aktivitäten. Nur Aktivitäten mit Angabe zur Rollenübernahme zählen."
    ),
    stufe=5,
    einheit="je 100 Teilnahmen",
    richtung=_H,
    quelle=_AKT,
    berechnung=Berechnung.AKTIVITAETEN_RATE,
    messgroesse="teilnehmende_mit_rolle",
    nenner_spalte="teilnehmende_gesamt",
)

#: The explicit registry, in catalogue order.
INDIKATOREN: tuple[Indikator, ...] = (
    A1, A2, A3, A4, A5, A6, A7, A8, A9,
    B1, B2, B3, B4, B5, B6,
    C1, C2, C3, C4, C5, C6,
)  # fmt: skip

REGISTER: MappingProxyType[str, Indikator] = MappingProxyType({i.id: i for i in INDIKATOREN})
MESSGROESSEN_NACH_NAME: MappingProxyType[str, Messgroesse] = MappingProxyType(
    {m.name: m for m in MESSGROESSEN}
)


def indikator(indikator_id: str) -> Indikator:
    """Look an indicator up by ID (KeyError with a German message if unknown)."""
    try:
        return REGISTER[indikator_id]
    except KeyError:
        raise KeyError(f"Unbekannter Indikator: {indikator_id}") from None

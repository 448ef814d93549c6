"""Sections of the Methodik page, written for readers who are not statisticians.

Definitions are read from the declarations (:mod:`indikatoren.katalog`), thresholds from
:class:`indikatoren.unterdrueckung.Schwellen`, the status rule from
:data:`indikatoren.zielerreichung.REGEL_TEXT` — so the page cannot drift from what the engine
computes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indikatoren.definitionen import BERECHNUNG_LABEL, WIRKUNGSTREPPE, ZIEL_NAMEN, Ziel
from indikatoren.katalog import INDIKATOREN
from indikatoren.unterdrueckung import Schwellen
from indikatoren.zielerreichung import AUF_KURS_AB, REGEL_TEXT, VERZUG_AB, Status
from monitor.benutzer import ROLLEN
from ui import bausteine, diagramme
from ui.aufbereitung import indikatoren_des_ziels
from ui.bausteine import RICHTUNG_TEXT


def indikator_uebersicht() -> pd.DataFrame:
    """All indicators with their declared properties (one row each)."""
    return pd.DataFrame(
        [
            {
                "ID": i.id,
                "Indikator": i.name,
                "Ziel": f"{i.ziel.value}) {ZIEL_NAMEN[i.ziel]}",
                "Stufe": f"{i.stufe} – {WIRKUNGSTREPPE[i.stufe]}",
                "Einheit": i.einheit,
                "Richtung": RICHTUNG_TEXT[i.richtung],
                "Quelle": i.quelle.value,
                "Berechnung": BERECHNUNG_LABEL[i.berechnung],
            }
            for i in INDIKATOREN
        ]
    )


def wirkungstreppe() -> None:
    st.header("Wirkungstreppe")
    st.markdown(
        "Die Wirkungstreppe (PHINEO) ordnet, *wie weit* eine Wirkung reicht: von Aktivitäten, "
        "die stattfinden (Stufe 1), über Menschen, die erreicht werden und die Angebote "
        "annehmen (2–3), bis zu veränderten Einstellungen und Fähigkeiten (4), verändertem "
        "Handeln (5), einer veränderten Lebenslage (6) und einer veränderten Gesellschaft (7). "
        "Stufen 1–3 beschreiben Leistungen (Output), 4–6 Wirkungen bei den Zielgruppen "
        "(Outcome), 7 gesellschaftliche Wirkung (Impact). Jeder Indikator misst auf einer Stufe:"
    )
    bausteine.diagramm(diagramme.wirkungstreppe(INDIKATOREN))
    st.markdown(
        "\n".join(f"{stufe}. {text}" for stufe, text in WIRKUNGSTREPPE.items())
        + "\n\nStufen 6 und 7 lassen sich in der Laufzeit eines Projekts kaum messen; kein "
        "Indikator beansprucht sie."
    )


def indikatoren() -> None:
    st.header("Indikatoren")
    st.markdown(
        "Jeder Indikator ist einmal festgelegt und wird für jeden Standort, das ganze Projekt, "
        "jede Gruppe und jedes Quartal gleich berechnet. Anteile werden aus Zähler und Nenner "
        "zusammengefasst, nie als Durchschnitt der Standortwerte."
    )
    uebersicht = indikator_uebersicht()
    st.dataframe(uebersicht, hide_index=True, height=35 * (len(uebersicht) + 1) + 3)
    for ziel in Ziel:
        with st.expander(f"Definitionen zu Ziel {ziel.value}) {ZIEL_NAMEN[ziel]}"):
            for ind in indikatoren_des_ziels(ziel):
                st.markdown(
                    f"**{ind.id} – {ind.name}**  \n{ind.beschreibung}  \n"
                    f"*Stufe {ind.stufe} ({WIRKUNGSTREPPE[ind.stufe]}) · Einheit: {ind.einheit}, "
                    f"{RICHTUNG_TEXT[ind.richtung]} · Quelle: {ind.quelle.value} · "
                    f"Berechnung: {BERECHNUNG_LABEL[ind.berechnung]}*"
                )


def statistik() -> None:
    st.header("Statistik")
    st.markdown(
        """
**Veränderung, nicht Wirkung.** Ein Vorher-Nachher-Vergleich zeigt, wie sich dieselben Personen
verändert haben – nicht, was das Projekt *bewirkt* hat. Ohne Vergleichsgruppe lässt sich nicht
trennen, was ohnehin geschehen wäre: Zeit und Reifung, Ereignisse außerhalb des Projekts, die
Rückkehr auffällig hoher oder niedriger Anfangswerte zur Mitte und die Auswahl derer, die bis
zur zweiten Befragung dabeigeblieben sind. Deshalb heißt es hier durchgehend „Veränderung“.

**Wirkung – nur mit Vergleichsgruppe.** Befragt ein Standort zusätzlich eine Vergleichsgruppe
(Personen, die nicht am Projekt teilnehmen; in der Importdatei `vergleichsgruppe` = ja, zu T0
erfasst und auf T1/T2 übertragen), schätzt deren Veränderung, was sich in derselben Zeit ohnehin
verändert hat. Die **Wirkung** ist dann die Differenz der Differenzen: Veränderung der
Teilnehmenden minus Veränderung der Vergleichsgruppe – gültig unter der Annahme, dass sich beide
Gruppen ohne das Projekt gleich entwickelt hätten (parallele Trends). Das 95-%-Intervall folgt
für Punktwerte Welch (Standardfehler $\\sqrt{se_1^2 + se_2^2}$, Freiheitsgrade nach
Welch–Satterthwaite), für Ja/Nein-Indikatoren der MOVER-Methode (Zou & Donner 2008) aus den
Newcombe-Intervallen beider Gruppen. Gezeigt wird sie auf den Zielseiten („Wirkung im Vergleich
zur Vergleichsgruppe“) und im Excel-Bericht nur, wo beide Gruppen mindestens so viele Paare haben
wie die Unterdrückungsschwelle verlangt; „gesamt“ fasst die Standorte mit Vergleichsgruppe
zusammen. Alle anderen Werte – Indikatoren, Zielwerte, Vergleiche – beziehen sich nur auf die
Teilnehmenden; Personen der Vergleichsgruppe zählen dort nicht mit. In der zusammengefassten
Ansicht der Fördergeber wird der Vergleich nicht ausgewiesen.

**Vorher-Nachher-Vergleiche (gepaarte Messung).** Verglichen werden nur Personen, die am selben
Standort sowohl zu Beginn (T0) als auch am Ende (T1) bzw. bei der Nachbefragung (T2) geantwortet
haben – verbunden über ihren pseudonymen Code. Ausgewiesen werden die Zahl der Paare *n*, der
Mittelwert vorher und nachher und die mittlere Veränderung $\\bar d$ (Mittel der Differenzen
nachher − vorher) mit $\\bar d \\pm t_{0{,}975;\\,n-1} \\cdot s_d / \\sqrt{n}$ ($s_d$:
Standardabweichung der Differenzen) und dem p-Wert des gepaarten t-Tests.

**Was das 95-%-Konfidenzintervall sagt.** Das Verfahren liefert bei wiederholten Erhebungen in
95 % der Fälle ein Intervall, das den wahren Wert enthält. Das einzelne Intervall zeigt die
Werte, die mit den Daten gut vereinbar sind; dass der wahre Wert „mit 95 % Sicherheit“ darin
liegt, sagt es nicht. Breite Intervalle heißen: Die Daten lassen vieles offen.

**p-Wert und „statistisch gesichert“.** Auf einer Zielseite stehen viele Tests nebeneinander;
bei 10 Tests ohne jede echte Veränderung fiele im Mittel jeder zweite Blick auf mindestens
einen „signifikanten“ Zufallsbefund. Deshalb steht neben dem rohen p der **Holm-korrigierte
p-Wert**, korrigiert über die Vorher-Nachher-Indikatoren desselben Ziels in derselben Zelle
(Standort, Gruppe, Welle). Als statistisch gesichert gilt eine Veränderung nur, wenn der
korrigierte Wert unter 0,05 liegt. p-Werte unter 0,001 erscheinen als „< 0,001“; in CSV und
JSON stehen sie mit allen Stellen.

**Effektstärken: welche wofür.** $d_z = \\bar d / s_d$ teilt durch die Streuung der
*Differenzen*; mit Korrektur für kleine Gruppen $g_z = d_z \\cdot J$,
$J = 1 - \\frac{3}{4(n-1) - 1}$. $d_z$ wächst, je stärker vorher und nachher zusammenhängen,
und ist darum nur mit anderen gepaarten $d_z$ vergleichbar (etwa für die Planung von
Fallzahlen). **$d_{av}$** teilt durch die Streuung der *Einzelmessungen*
($\\sqrt{(s^2_{vorher} + s^2_{nachher})/2}$, Bonett 2008; Lakens 2013) und steht mit
95-%-Intervall daneben: Sie ist die Zahl für Vergleiche mit anderen Programmen, Studien und
Meta-Analysen. Cohens Faustwerte (0,2 / 0,5 / 0,8) stammen aus Vergleichen zweier Gruppen und
gelten für $d_z$ nicht; auch für $d_{av}$ sind sie nur ein grober Anhalt – aussagekräftiger ist
der Vergleich mit ähnlichen Projekten.

**Ja/Nein-Fragen vorher und nachher** (C2, C3): Anteil „ja“ vorher und nachher bei denselben
Personen, Differenz in Prozentpunkten mit Intervall nach Newcombe (1998, Hybrid-Score-Intervall
für gepaarte Anteile: Wilson-Intervalle der beiden Anteile, verbunden unter Berücksichtigung der
Korrelation); der p-Wert aus dem exakten McNemar-Test, der nur die Personen zählt, deren Antwort
sich geändert hat. Beide passen in der Regel zusammen; nur bei sehr wenigen Wechslern (etwa 0
gegen 4) kann das Intervall die 0 knapp ausschließen, während der exakte Test – bekanntermaßen
vorsichtig – noch keinen gesicherten Unterschied zeigt. Maßgeblich ist der (korrigierte) p-Wert.

**Anteile** (z. B. Zufriedenheit): Intervall nach Wilson, das auch bei kleinen Zahlen und
Anteilen nahe 0 % oder 100 % verlässlich ist. **Zählgrößen** (Teilnehmende, Aktivitäten) haben
kein Intervall.

**Match-Quote.** Neben jedem Vorher-Nachher-Ergebnis steht, welcher Anteil der Personen mit
Eingangsfragebogen (T0) auch zu T1 bzw. T2 am selben Standort geantwortet hat. Ist sie niedrig,
beruht das Ergebnis auf einer möglicherweise besonderen Teilgruppe (z. B. den Motivierteren).

**Standortvergleiche** zeigen Werte mit Intervallen in alphabetischer Reihenfolge, nicht als
Rangliste: Bei kleinen Fallzahlen überlappen die Intervalle meist, eine Rangfolge wäre Zufall.
Bei Vorher-Nachher-Indikatoren steht unter den Standorten eine **Meta-Analyse mit zufälligen
Effekten** (DerSimonian–Laird): das Mittel der Standortveränderungen mit Intervall, $\\tau^2$
(wie stark die wahren Veränderungen zwischen Standorten schwanken), $I^2$ (welcher Anteil der
sichtbaren Unterschiede nicht Zufall ist) und das Vorhersageintervall für einen weiteren,
ähnlichen Standort. Der gepoolte Wert aus den Rohdaten (gestrichelte Linie) zählt jede Person
gleich, das Mittel der zufälligen Effekte gibt kleinen Standorten mehr Gewicht.
"""
    )


def unterdrueckung() -> None:
    schwellen = Schwellen.aus_umgebung()
    st.header("Datenschutz")
    st.markdown(
        f"""
- Teilnehmende erscheinen nur unter ihrem **pseudonymen Code**; Namen, E-Mail-Adressen,
  Telefonnummern, Anschriften und IP-Adressen werden beim Import verworfen und nie gespeichert.
- **Kleine Zellen werden unterdrückt:** Ein Wert, der auf weniger als
  **{schwellen.min_personen} Personen** beruht, wird nicht angezeigt, sondern als
  „< {schwellen.min_personen}“ markiert – das ist nicht dasselbe wie 0.
  Vorher-Nachher-Veränderungen brauchen mindestens **{schwellen.min_paare} Paare**, sonst
  steht dort „< {schwellen.min_paare}“. In Verlaufsdiagrammen bleibt ein solches Quartal eine
  Lücke.
- **Zweite Unterdrückung („•“):** Stehen eine Summe und ihre Teile nebeneinander (etwa alle
  Standorte und das Projekt, oder „mit“ und „ohne Migrationsgeschichte“ und gesamt) und wäre
  nur ein Teil verborgen, ließe er sich durch Abziehen zurückrechnen. Dann wird ein weiterer
  Teil mit verborgen – der kleinste, damit möglichst wenig verloren geht – und zwar so viele,
  bis die verborgenen Teile zusammen mindestens {schwellen.min_personen} Personen umfassen.
  Solche Zellen sind nicht klein; sie tragen das Zeichen „•“. „–“ heißt: kein Wert vorhanden.
- **Anteile** verraten auch, wie viele *nicht* zustimmen: Ein Anteil wird nur gezeigt, wenn
  weder die Zustimmenden noch die anderen 1 bis {schwellen.min_personen - 1} Personen sind;
  0 % und 100 % („alle haben gleich geantwortet“) erst ab {2 * schwellen.min_personen}
  Personen. Die Match-Quote (wer von T0 auch T1 erreichte) ist ebenso geschützt und verschwindet
  mit den Vorher-Nachher-Werten, deren Paarzahl sie sonst verriete.
- Das gilt überall gleich: im Dashboard, auf der Kommandozeile und im Excel-Bericht, weil die
  Unterdrückung schon bei der Berechnung geschieht.
- **Schutz gegen Kombinieren (Fördergeber):** Wer nur zusammengefasste Zahlen sieht,
  könnte Auswertungen gegeneinander abziehen – alle Standorte minus alle außer einem ergäbe
  den einen. Wir gehen davon aus, dass jemand *alles* kombiniert, was seine Ansicht hergibt:
  jede Auswahl von Standorten und Zeiträumen, jede Gruppierung, jede Seite, jeden Download.
  Deshalb rechnet die geschützte Ansicht nie für eine Auswahl neu. Sie liest aus **einer**
  Tabelle, die alles umfasst, was gewählt werden kann – jeder Standort und das ganze
  Projekt, alle Gruppen der vier Gruppierungen, der ganze freigegebene Zeitraum und jedes
  Quartal – und die als Ganzes geschützt ist: entlang der Standorte, der Gruppen und der
  Quartale; dieselbe Zählung (Personen, Paare, Personen mit T0) ist überall gleich verborgen.
  Gewählt werden können deshalb nur ein Standort oder alle und der ganze Zeitraum oder ein
  Quartal; andere Auswahlen (mehrere Standorte, eigene Zeiträume, Formatfilter) lehnt sie mit
  Begründung ab. Jede Gruppe steht in jeder Ansicht, auch wenn niemand dazugehört – dann
  heißt es „< {schwellen.min_personen}“ –, sodass schon das Fehlen einer Zeile nichts verrät.
  Der Excel-Bericht für Fördergeber entsteht aus derselben Tabelle und enthält keine
  Datenqualitätszählungen. Eine Prüfung im Programm (Red-Team-Tests) greift das mit Standorten
  von 1 bis 12 Personen an. Was der Schutz nicht leisten kann: Wer ein Mitglied einer Gruppe
  kennt und selbst befragt wurde, erfährt über seine eigenen Antworten nichts Neues; und
  innerhalb des Projekts (Projektleitung, Evaluation, Standort) gelten freie Filter.
  Administratoren prüfen mit `python -m monitor indikatoren --als NAME`, was jemand sieht.
- **Wer was sieht**, regeln Rollen. Eine Standortkoordination sieht nur ihren Standort,
  Fördergeber nur freigegebene Quartale. Jede Anmeldung, jeder Import und jeder Export
  steht im Auditprotokoll.
"""
    )
    st.table(
        pd.DataFrame(
            {
                "Rolle": [rolle.bezeichnung for rolle in ROLLEN.values()],
                "Sieht und darf": [rolle.beschreibung for rolle in ROLLEN.values()],
            }
        ),
        hide_index=True,
    )


def zielerreichung() -> None:
    st.header("Zielerreichung und Status")
    st.markdown(
        "Für jeden Indikator können Zielwerte festgelegt werden – für das ganze Projekt und je "
        "Standort, mit Basiswert und Stichtag. Daraus ergeben sich Zielerreichung und Status:"
    )
    st.info(REGEL_TEXT, icon=":material/rule:")
    st.markdown(
        f"""
In Zahlen: *auf Kurs* heißt mindestens {AUF_KURS_AB * 100:.0f} % des bis heute erwartbaren
Fortschritts, *Verzug* mindestens {VERZUG_AB * 100:.0f} %. Status-Farben:
{", ".join(bausteine.status_chip(str(s)) for s in Status)}.

**Ein Wirkungsziel als Ganzes** (Übersicht, Zielseiten): Die Zielerreichung ist der Mittelwert
der Indikatoren mit Zielwert, jeder höchstens mit 100 % gezählt – so verdeckt ein übererfüllter
Indikator keinen zurückliegenden. Status *kritisch*, wenn mindestens ein Drittel der
Indikatoren kritisch ist; *Verzug*, wenn mindestens ein Drittel in Verzug oder kritisch ist;
*erreicht*, wenn alle erreicht sind; sonst *auf Kurs*. Der **Trendpfeil** zeigt, ob die meisten
Indikatoren vom vorletzten zum letzten Quartal gestiegen (↑) oder gefallen (↓) sind.
""",
        unsafe_allow_html=True,
    )

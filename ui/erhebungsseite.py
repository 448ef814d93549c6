"""The questionnaire links and the inbox on the Datenimport page (issue 17).

The same as ``python -m monitor links`` / ``eingang``: create links (shown once, with QR code
and the A4 sheet to download), list and revoke them; the project lead works through the inbox.
Everything goes through :mod:`monitor.erhebung`; no SQL here.
"""

from __future__ import annotations

import os
from datetime import date

import pandas as pd
import streamlit as st

from monitor import erhebung, schema
from monitor.benutzer import Recht, Zugriff
from monitor.db import Datenbank
from monitor.druckbogen import LinkAusgabe, druckbogen_html, qr_png
from monitor.einlesen import EingabeFehler
from ui import rueckmeldung, zugang
from ui.format import tabelle

#: Session-state key of the links created in this session (shown once, never stored).
_NEUE_LINKS = "_erhebung_neue_links"


def _basis_url() -> str:
    """Where participants reach this dashboard: ``MONITOR_URL``, else the address in use."""
    if os.environ.get("MONITOR_URL"):
        return os.environ["MONITOR_URL"]
    url = st.context.url or "http://localhost:8501"
    return url.split("?", 1)[0].rsplit("/", 1)[0] if url.count("/") > 2 else url


def abschnitt(db: Datenbank, zugriff: Zugriff, standortnamen: dict[str, str]) -> None:
    """Links of the sites this session may import for, and (project lead) the inbox."""
    st.header("Fragebogen per Link oder QR-Code")
    st.caption(
        "Teilnehmende scannen den QR-Code mit dem Handy und füllen den Fragebogen aus – ohne "
        "Umfragewerkzeug, in acht Sprachen. Standort und Welle stehen im Link. Die Adresse wird "
        "nur beim Anlegen gezeigt (gespeichert ist nur ein Hash): QR-Codes und Druckbogen "
        "gleich herunterladen."
    )
    erlaubt = [s for s in standortnamen if zugriff.standorte is None or s in zugriff.standorte]
    aktive = erhebung.links(db, erlaubt)
    if aktive:
        tabelle(
            pd.DataFrame(
                [
                    {
                        "Standort": standortnamen.get(link.standort, link.standort),
                        "Welle": link.welle,
                        "gültig bis": f"{link.gueltig_bis:%d.%m.%Y}",
                        "angelegt von": link.angelegt_von,
                    }
                    for link in aktive
                ]
            )
        )
    with st.form("erhebung_links", enter_to_submit=False):
        standort = st.selectbox("Standort", erlaubt, format_func=lambda s: standortnamen.get(s, s))
        wellen = st.multiselect("Wellen", list(schema.WELLEN), default=["T0", "T1"])
        gueltig_bis = st.date_input(
            "Gültig bis", value=date.today() + erhebung.STANDARD_GUELTIGKEIT, format="DD.MM.YYYY"
        )
        basis = st.text_input("Adresse des Dashboards für Teilnehmende", value=_basis_url())
        spalten = st.columns(2)
        anlegen = spalten[0].form_submit_button("Links anlegen", type="primary")
        widerrufen = spalten[1].form_submit_button("Links widerrufen")
    if (anlegen or widerrufen) and standort:
        try:
            if widerrufen:
                for welle in wellen:
                    erhebung.link_widerrufen(db, standort, welle, wer=zugang.akteur())
                st.success("Links widerrufen; ihre QR-Codes funktionieren nicht mehr.")
            else:
                st.session_state[_NEUE_LINKS] = [
                    LinkAusgabe(
                        standort,
                        standortnamen.get(standort, standort),
                        welle,
                        erhebung.adresse(
                            basis,
                            erhebung.link_anlegen(
                                db, standort, welle, gueltig_bis=gueltig_bis, wer=zugang.akteur()
                            ),
                        ),
                        gueltig_bis,
                    )
                    for welle in wellen
                ]
        except EingabeFehler as fehler:
            st.error(str(fehler))
    neue: list[LinkAusgabe] = st.session_state.get(_NEUE_LINKS, [])
    if neue:
        st.download_button(
            "Druckbogen (A4, HTML) herunterladen",
            druckbogen_html(neue[0].standortname, neue),
            file_name=f"fragebogen_{neue[0].standort}.html",
            mime="text/html",
            icon=":material/print:",
        )
        for link in neue:
            st.write(f"**{link.welle}** – `{link.url}`")
            st.image(qr_png(link.url), width=180)
    if zugriff.darf(Recht.FREIGEBEN):
        _posteingang(db)


def _posteingang(db: Datenbank) -> None:
    st.subheader("Posteingang")
    st.caption(
        "Fragebögen, die nicht direkt übernommen wurden: das Quartal war freigegeben, oder der "
        "Code hatte in dieser Welle schon einen Fragebogen. Übernehmen importiert den Eintrag "
        "(ein gesperrtes Quartal vorher wiedereröffnen), Verwerfen legt ihn ab."
    )
    offen = erhebung.eingang(db)
    if offen.empty:
        st.info("Der Posteingang ist leer.")
        return
    tabelle(
        offen[["id", "standort", "welle", "eingegangen_am", "grund"]].rename(
            columns={
                "id": "Nr.",
                "standort": "Standort",
                "welle": "Welle",
                "eingegangen_am": "Eingegangen",
                "grund": "Grund",
            }
        )
    )
    with st.form("erhebung_eingang", enter_to_submit=False):
        nummer = st.selectbox("Eintrag Nr.", list(offen["id"]))
        spalten = st.columns(2)
        uebernehmen = spalten[0].form_submit_button("Übernehmen", type="primary")
        verwerfen = spalten[1].form_submit_button("Verwerfen")
    if uebernehmen or verwerfen:
        try:
            meldung = erhebung.eingang_erledigen(
                db, int(nummer), uebernehmen=uebernehmen, wer=zugang.akteur()
            )
        except EingabeFehler as fehler:
            st.error(str(fehler))
        else:
            st.success(meldung)


#: Activity kinds with German labels for the form (codes as in the import template).
TYP_LABELS = {
    "begegnung": "Begegnung",
    "workshop": "Workshop",
    "dialog": "Dialog",
    "schulung": "Schulung",
    "oeffentlichkeit": "Öffentlichkeitsarbeit",
    "sonstiges": "Sonstiges",
}


def aktivitaet_formular(db: Datenbank, zugriff: Zugriff, standortnamen: dict[str, str]) -> None:
    """Record one activity in under a minute; the activity import's checks decide."""
    st.header("Aktivität erfassen")
    st.caption(
        "Eine Veranstaltung direkt eintragen statt eine Datei hochzuladen – mit denselben "
        "Prüfungen wie der Import von Aktivitäten."
    )
    erlaubt = [s for s in standortnamen if zugriff.standorte is None or s in zugriff.standorte]
    with st.form("aktivitaet_formular", enter_to_submit=False):
        spalten = st.columns(2)
        standort = spalten[0].selectbox(
            "Standort", erlaubt, format_func=lambda s: standortnamen.get(s, s)
        )
        datum = spalten[1].date_input("Datum", value=date.today(), format="DD.MM.YYYY")
        titel = st.text_input("Titel", max_chars=300)
        spalten = st.columns(2)
        typ = spalten[0].selectbox("Art", list(TYP_LABELS), format_func=TYP_LABELS.get)
        format_ = spalten[1].selectbox(
            "Format", list(schema.FORMATE), format_func=schema.FORMAT_LABELS.get
        )
        spalten = st.columns(3)
        gesamt = spalten[0].number_input("Teilnehmende gesamt", min_value=0, step=1, value=None)
        mit_mh = spalten[1].number_input(
            "davon mit Migrationsgeschichte", min_value=0, step=1, value=None
        )
        ohne_mh = spalten[2].number_input(
            "davon ohne Migrationsgeschichte", min_value=0, step=1, value=None
        )
        spalten = st.columns(2)
        reichweite = spalten[0].number_input(
            "Reichweite (Publikum, Aufrufe)", min_value=0, step=1, value=None
        )
        oeffentlich = spalten[1].checkbox("Öffentlich sichtbar")
        gespeichert = st.form_submit_button("Aktivität speichern", type="primary")
    if not gespeichert:
        return
    try:
        kennung = erhebung.aktivitaet_erfassen(
            db,
            {
                "standort": standort,
                "datum": datum,
                "titel": titel,
                "typ": typ,
                "format": format_,
                "teilnehmende_gesamt": gesamt,
                "teilnehmende_mit_mh": mit_mh,
                "teilnehmende_ohne_mh": ohne_mh,
                "reichweite": reichweite,
                "oeffentlich": oeffentlich,
            },
            wer=zugang.akteur(),
            zugriff=zugriff,
        )
    except EingabeFehler as fehler:
        st.error(f"Nicht gespeichert, nichts wurde geändert:\n\n{fehler}")
    else:
        rueckmeldung.neu_aufbauen("datenimport", f"Aktivität gespeichert ({kennung}).")

"""The admin page's forms: create users, lock/unlock them, set passwords, filter the audit trail.

Each form hands its input to :mod:`monitor.benutzer`, which checks it (German errors shown as
they are) and audits the change with the admin's name. Passwords are typed twice and never
shown, stored in the session or logged.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Any

import pandas as pd
import streamlit as st

from monitor.audit import AKTIONEN
from monitor.benutzer import (
    ROLLEN,
    BenutzerFehler,
    entsperre,
    lege_an,
    setze_passwort,
    sperre,
)
from monitor.db import Datenbank
from ui import rueckmeldung, zugang


def _passwoerter(schluessel: str) -> str | None:
    """Two password fields; the password when both agree, else an error and None."""
    erstes = st.text_input("Passwort (mindestens 10 Zeichen)", type="password", key=schluessel)
    zweites = st.text_input("Passwort wiederholen", type="password", key=f"{schluessel}_2")
    if erstes != zweites:
        st.error("Die beiden Passwörter stimmen nicht überein.")
        return None
    return erstes


def _ausfuehren(text: str, schritt: Any, *args: Any, **kwargs: Any) -> None:
    """Run one change; German error on refusal, else a message and a fresh page."""
    try:
        schritt(*args, von=zugang.akteur(), **kwargs)
    except BenutzerFehler as fehler:
        st.error(str(fehler), icon=":material/error:")
    else:
        rueckmeldung.neu_aufbauen("verwaltung", text)


def anlegen_formular(db: Datenbank, namen: dict[str, str]) -> None:
    """Create a user: name, role, site (site roles only), password twice."""
    with st.form("benutzer_anlegen", clear_on_submit=False):
        name = st.text_input(
            "Benutzername", help="Kleinbuchstaben, Ziffern, . _ @ -; z. B. die E-Mail-Adresse."
        )
        rolle = st.selectbox(
            "Rolle",
            list(ROLLEN),
            format_func=lambda r: f"{ROLLEN[r].bezeichnung} – {ROLLEN[r].beschreibung}",
        )
        standort = st.selectbox(
            "Standort (nur für Standortkoordination)",
            [None, *namen],
            format_func=lambda s: "–" if s is None else namen.get(s, s),
        )
        passwort = _passwoerter("neu_passwort")
        if st.form_submit_button("Benutzer anlegen", type="primary") and passwort is not None:
            _ausfuehren(
                f"Benutzer '{name.strip().lower()}' angelegt.",
                lege_an,
                db,
                name,
                rolle,
                passwort,
                standort,
            )


def aendern_formular(db: Datenbank, namen: list[str]) -> None:
    """Lock, unlock or set a new password for an existing user."""
    if not namen:
        st.caption("Noch keine Benutzer.")
        return
    with st.form("benutzer_aendern"):
        name = st.selectbox("Benutzer", namen)
        grund = st.text_input("Begründung (für Sperren und Entsperren)")
        passwort = _passwoerter("aendern_passwort")
        sperren, entsperren, neues = st.columns(3)
        if sperren.form_submit_button("Sperren", icon=":material/lock:"):
            _ausfuehren(f"'{name}' gesperrt.", sperre, db, name, grund=grund or None)
        if entsperren.form_submit_button("Entsperren", icon=":material/lock_open:"):
            _ausfuehren(f"'{name}' entsperrt.", entsperre, db, name, grund=grund or None)
        if neues.form_submit_button("Passwort setzen", icon=":material/password:") and passwort:
            _ausfuehren(f"Passwort von '{name}' geändert.", setze_passwort, db, name, passwort)


def _wert_text(wert: Any) -> str:
    if wert is None:
        return "–"
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, dict):
        return "(" + _details_text(wert) + ")"
    if isinstance(wert, list):
        return ", ".join(_wert_text(w) for w in wert) or "–"
    return str(wert)


def _details_text(details: dict[str, Any]) -> str:
    return " · ".join(f"{schluessel}: {_wert_text(wert)}" for schluessel, wert in details.items())


def details_lesbar(text: object) -> str:
    """An audit entry's JSON details as German-readable text: "rolle: admin · standort: –".

    Raw JSON showed ``null`` and braces to people who never asked for JSON; the CSV export
    keeps the original.
    """
    if not isinstance(text, str) or not text.strip():
        return "–"
    try:
        inhalt = json.loads(text)
    except ValueError:
        return text
    return _details_text(inhalt) if isinstance(inhalt, dict) else _wert_text(inhalt)


def protokoll_anzeige(eintraege: pd.DataFrame) -> pd.DataFrame:
    """The audit entries for the screen: readable details, "–" for an empty reason."""
    return eintraege.assign(
        Details=eintraege["Details"].map(details_lesbar),
        Grund=eintraege["Grund"].fillna("–").replace("", "–"),
    )


def protokoll_filter() -> dict[str, Any]:
    """Filter widgets for the audit trail; returns keyword arguments of
    :func:`monitor.audit.protokoll`."""
    wer, was, zeitraum, suche = st.columns([1, 1, 1.2, 1])
    zeitraum_wert = zeitraum.date_input("Zeitraum", value=(), format="DD.MM.YYYY")
    von = bis = None
    if isinstance(zeitraum_wert, tuple) and len(zeitraum_wert) == 2:
        von = datetime.combine(zeitraum_wert[0], time.min)
        bis = datetime.combine(zeitraum_wert[1], time.max)
    return {
        "wer": wer.text_input("Wer", placeholder="alle").strip().lower() or None,
        "was": was.selectbox(
            "Aktion", [None, *AKTIONEN], format_func=lambda a: "alle" if a is None else AKTIONEN[a]
        ),
        "von": von,
        "bis": bis,
        "suche": suche.text_input("Suche in Details und Begründung").strip() or None,
    }

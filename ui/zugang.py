"""Who is using the dashboard: login form, session check on every run, the session's access.

Why here and how:

* ``dashboard.py`` calls :func:`sitzung_sichern` before anything else on every run. It decides
  by :func:`monitor.benutzer.zugangsmodus`: demo data only and no users → the open guest session
  with a banner; real data but no users → only the instructions for the first admin; users →
  a valid login is required. A stored session is re-checked on every run
  (:func:`monitor.benutzer.pruefe_sitzung`), so locking an account or changing its role ends
  its sessions at the next click.
* The data layer (:mod:`ui.daten`) asks :func:`zugriff` for every read, so the rules hold even
  when a page file is run on its own (Streamlit's ``pages/`` folder mode, a test): without a
  valid session there is no access, except the guest of the open demo mode.
* Pages a role may not use are not registered with ``st.navigation`` at all, and each such
  page also calls :func:`verlangen` first — a URL to it shows nothing of it.
* Optional single sign-on: when ``.streamlit/secrets.toml`` has an ``[auth]`` section,
  ``st.login`` is offered; role and site still come from the user table
  (:func:`monitor.benutzer.anmelden_sso`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import NoReturn

import streamlit as st
import streamlit.components.v1 as components
from streamlit.errors import StreamlitAPIException, StreamlitSecretNotFoundError

from monitor import benutzer
from monitor.benutzer import Recht, Sitzung, Zugangsmodus, Zugriff
from monitor.db import Datenbank
from ui import webserver
from ui.navigation import gewuenschte_adresse

#: Session-state key of the logged-in :class:`~monitor.benutzer.Sitzung`.
SITZUNG = "_sitzung"
#: Session-state key of the remembered-login token (:func:`monitor.benutzer.sitzung_merken`).
_TOKEN = "_sitzung_token"
#: Session-state key: the cookie must be written ("setzen") or deleted ("loeschen") on this run.
_COOKIE_AUFTRAG = "_cookie_auftrag"
#: Name of the browser cookie that keeps a login over a reload or a new tab.
COOKIE = webserver.COOKIE
#: Widget key of the sidebar switch "only approved quarters" (roles that may choose).
NUR_FREIGEGEBEN = "f_freigegeben"


def _sso_eingerichtet() -> bool:
    """Whether Streamlit's OIDC login is configured (an ``[auth]`` section in the secrets)."""
    try:
        return "auth" in st.secrets
    except (StreamlitSecretNotFoundError, OSError, ValueError):
        return False  # no, unreadable or malformed secrets: no SSO, the password login works


def _gueltige_sitzung(db: Datenbank, modus: Zugangsmodus) -> Sitzung | None:
    """The stored session if it is still valid in this mode (guest only in the demo mode).

    A new browser session (reload, new tab) has nothing stored; then the login cookie, if any,
    is looked up (:func:`monitor.benutzer.sitzung_aus_token`).
    """
    if modus is Zugangsmodus.OFFEN_DEMO:
        return benutzer.gastsitzung()
    if modus is not Zugangsmodus.ANMELDUNG:
        return None
    gespeichert: Sitzung | None = st.session_state.get(SITZUNG)
    if gespeichert is not None:
        gemerkt = st.session_state.get(_TOKEN)
        if not gemerkt:
            return benutzer.pruefe_sitzung(db, gespeichert)
        # The token is checked on every run: a logout in another tab of this browser (same
        # token) or "überall abmelden" elsewhere ends this session too.
        aus_token = benutzer.sitzung_aus_token(db, gemerkt)
        return aus_token if aus_token is not None and aus_token.name == gespeichert.name else None
    token = st.context.cookies.get(COOKIE)
    if isinstance(token, str) and token and st.session_state.get(_COOKIE_AUFTRAG) != "loeschen":
        sitzung = benutzer.sitzung_aus_token(db, token)
        if sitzung is not None:
            st.session_state[_TOKEN] = token
        return sitzung
    return None


def _cookie_schreiben() -> None:
    """Write or delete the login cookie in the browser, once, when a login or logout asked for
    it. Under ``server.py`` the server sets it HttpOnly (:mod:`ui.webserver`). Otherwise
    (``streamlit run dashboard.py``) Streamlit cannot set cookies from Python, and a
    zero-height component sets it from a script for the app's own origin (SameSite=Strict;
    Secure over https) — readable by scripts of the page, the documented limit of that mode.
    The value is a random token, never data."""
    auftrag = st.session_state.pop(_COOKIE_AUFTRAG, None)
    if auftrag is None:
        return
    token = st.session_state.get(_TOKEN, "") if auftrag == "setzen" else ""
    if webserver.server_setzt_cookies():
        # Under server.py the server sets the cookie HttpOnly: the page only posts a one-time
        # code (never the token) to the server's route (ui.webserver).
        if token:
            ziel, inhalt = "api/sitzung", webserver.uebergabe(token)
        else:
            ziel, inhalt = "api/abmelden", ""
        components.html(
            "<script>"
            f"window.parent.fetch(new URL('/{ziel}', window.parent.location.origin),"
            f" {{method: 'POST', body: '{inhalt}', credentials: 'same-origin'}});"
            "</script>",
            height=0,
        )
        return
    dauer = int(benutzer.SITZUNG_MAX_DAUER.total_seconds()) if token else 0
    components.html(
        "<script>"
        f"var c = '{COOKIE}={token}; path=/; max-age={dauer}; SameSite=Strict';"
        "if (window.parent.location.protocol === 'https:') { c += '; Secure'; }"
        "window.parent.document.cookie = c;"
        "</script>",
        height=0,
    )


#: Environment variable naming the header a reverse proxy puts the visitor's address in (e.g.
#: ``X-Real-IP``). Only set it behind such a proxy: otherwise a visitor could forge the header.
CLIENT_HEADER_VARIABLE = "MONITOR_CLIENT_HEADER"


def _client() -> str | None:
    """This browser's throttling key (:func:`monitor.benutzer.client_schluessel`).

    Behind a reverse proxy the connection comes from the proxy, so the address it forwards is
    used when :data:`CLIENT_HEADER_VARIABLE` names the header; without a known address (a
    local connection) there is no per-client throttle, the per-name one still holds.
    """
    header = os.environ.get(CLIENT_HEADER_VARIABLE, "").strip()
    adresse = st.context.headers.get(header) if header else st.context.ip_address
    if not isinstance(adresse, str):  # no connection (a test run) or no such header
        return None
    return benutzer.client_schluessel(adresse.split(",")[0].strip())


def _sperrhinweis(db: Datenbank, name: str) -> str:
    bis = benutzer.anmeldesperre(db, name, client=_client())
    if bis is None:
        return "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch."
    return (
        "Zu viele Fehlversuche – die Anmeldung ist bis "
        f"{bis:%d.%m.%Y, %H:%M:%S} Uhr gesperrt. Bitte danach erneut versuchen."
    )


def _anmeldeformular(db: Datenbank) -> None:
    """The login page: name and password (and SSO when configured)."""
    st.title("Wirkungsmonitor – Anmeldung")
    st.write(
        "Dieses Dashboard enthält pseudonymisierte Befragungsdaten. Bitte mit dem Benutzerkonto "
        "anmelden, das die Projektleitung für Sie angelegt hat."
    )
    if st.session_state.pop("_abgelaufen", False):
        st.info("Ihre Sitzung ist abgelaufen oder Ihr Konto wurde geändert. Bitte neu anmelden.")
    with st.form("anmeldung"):
        name = st.text_input("Benutzername", key="anmeldung_name", autocomplete="username")
        passwort = st.text_input(
            "Passwort", type="password", key="anmeldung_passwort", autocomplete="current-password"
        )
        senden = st.form_submit_button("Anmelden", type="primary", icon=":material/login:")
    if senden:
        sitzung = (
            benutzer.anmelden(db, name, passwort, client=_client()) if name and passwort else None
        )
        if sitzung is None:
            st.error(_sperrhinweis(db, name), icon=":material/lock:")
        else:
            _angemeldet(db, sitzung)
    if _sso_eingerichtet():
        st.divider()
        if st.user.get("is_logged_in", False):
            sitzung = benutzer.anmelden_sso(db, str(st.user.get("email") or ""))
            if sitzung is None:
                st.error(
                    "Ihr Konto beim Anmeldedienst ist hier keinem Benutzer zugeordnet. Bitte die "
                    "Projektleitung, ein Konto mit Ihrer E-Mail-Adresse als Namen anzulegen."
                )
                st.button("Beim Anmeldedienst abmelden", on_click=st.logout)
            else:
                _angemeldet(db, sitzung)
        else:
            st.button("Mit Single Sign-on anmelden", on_click=st.login, icon=":material/key:")


def _angemeldet(db: Datenbank, sitzung: Sitzung) -> None:
    """Keep a fresh login in this browser session and (via cookie) over reloads; show the app."""
    st.session_state[SITZUNG] = sitzung
    st.session_state[_TOKEN] = benutzer.sitzung_merken(db, sitzung)
    st.session_state[_COOKIE_AUFTRAG] = "setzen"
    st.rerun()


def _einrichtung() -> None:
    from ui import rueckmeldung  # late: it imports ui.daten, which imports this module

    st.title("Wirkungsmonitor – Einrichtung")
    rueckmeldung.zeigen("datenimport")  # the guest's import that switched to this mode
    text, befehl, rest = benutzer.EINRICHTUNG_TEILE
    st.warning(text, icon=":material/shield_lock:")
    st.code(befehl, language="bash")
    st.write(rest)


def sitzung_sichern(db: Datenbank) -> Sitzung | None:
    """Check who is using the app on this run; None = not logged in (a page was drawn instead).

    Draws the login form or the setup instructions as a single hidden page when there is no
    valid session, so ``st.navigation`` still runs (without it Streamlit would fall back to
    serving every file in ``pages/`` on its own).
    """
    modus = benutzer.zugangsmodus(db)
    sitzung = _gueltige_sitzung(db, modus)
    if sitzung is None:
        if st.session_state.pop(SITZUNG, None) is not None:
            st.session_state["_abgelaufen"] = True
        webserver.sitzung_merken(None)
        _cookie_schreiben()
        if modus is Zugangsmodus.EINRICHTUNG:
            inhalt, titel = _einrichtung, "Einrichtung"
        else:
            inhalt, titel = (lambda: _anmeldeformular(db)), "Anmeldung"
        seiten = [st.Page(inhalt, title=titel, url_path=titel.lower(), default=True)]
        # Any other address shows the same form under that address (no English "Page not
        # found" dialog); after the login the rerun lands on that page if the role has it.
        adresse = gewuenschte_adresse(nur_getippt=True)
        if adresse and adresse != titel.lower() and "/" not in adresse:
            seiten.append(st.Page(inhalt, title=titel, url_path=adresse, visibility="hidden"))
        st.navigation(seiten, position="hidden").run()
        return None
    st.session_state[SITZUNG] = sitzung
    _cookie_schreiben()
    # Downloads made in this browser session are served only to this login (ui.webserver).
    webserver.sitzung_merken(st.session_state.get(_TOKEN))
    return sitzung


def abmelden(db: Datenbank, ueberall: bool = False) -> None:
    """End the session (audited) and forget it: in every tab of this browser, and with
    ``ueberall`` in every browser of this user."""
    sitzung: Sitzung | None = st.session_state.pop(SITZUNG, None)
    token = st.session_state.pop(_TOKEN, None)
    st.session_state[_COOKIE_AUFTRAG] = "loeschen"
    if sitzung is not None:
        benutzer.abmelden(db, sitzung, token, ueberall=ueberall)


def seitenleiste(db: Datenbank, sitzung: Sitzung) -> None:
    """Who is logged in, and the logout button (not for the guest of the demo mode)."""
    with st.sidebar:
        if sitzung.gast:
            st.caption("Demo-Modus ohne Anmeldung")
            return
        st.caption(f"Angemeldet: {sitzung.bezeichnung}")
        st.button(
            "Abmelden",
            on_click=abmelden,
            args=(db,),
            icon=":material/logout:",
            key="abmelden",
            help="Meldet Sie in allen Tabs dieses Browsers ab.",
        )
        st.button(
            "Überall abmelden",
            on_click=abmelden,
            args=(db, True),
            icon=":material/devices_off:",
            key="ueberall_abmelden",
            help="Meldet Sie in allen Browsern und auf allen Geräten ab.",
        )


def sitzung() -> Sitzung | None:
    """The session of this run as checked by :func:`sitzung_sichern` (None = nobody)."""
    return st.session_state.get(SITZUNG)


def _zum_start() -> None:
    """A page file run on its own — Streamlit does that for the first request after a start
    when the address names a file in ``pages/`` — goes to ``dashboard.py`` instead, which
    checks the login and registers the role's pages. Where that is impossible (a test runs the
    file alone), the caller's checks decide."""
    try:
        st.switch_page("dashboard.py")
    except StreamlitAPIException:
        return


def _keinen_zugang(text: str) -> NoReturn:
    st.warning(text, icon=":material/lock:")
    st.stop()


def zugriff() -> Zugriff:
    """The current session's access; stops the page with a notice when there is none.

    Reads the session stored by :func:`sitzung_sichern`; a page run without it (directly from
    ``pages/``) gets nothing — except in the open demo mode, which needs no login.
    """
    aktuelle = sitzung()
    if aktuelle is None:
        _zum_start()
        from ui import daten  # late: daten imports this module

        if benutzer.zugangsmodus(daten.datenbank()) is not Zugangsmodus.OFFEN_DEMO:
            _keinen_zugang("Bitte zuerst auf der Startseite anmelden.")
        aktuelle = benutzer.gastsitzung()
    eigener = aktuelle.zugriff
    if st.session_state.get(NUR_FREIGEGEBEN) and not eigener.nur_freigegeben:
        return replace(eigener, nur_freigegeben=True)
    return eigener


def verlangen(*rechte: Recht) -> Zugriff:
    """Stop the page unless the session has at least one of ``rechte`` (defence in depth)."""
    aktueller = zugriff()
    if not any(aktueller.darf(recht) for recht in rechte):
        _keinen_zugang("Diese Seite ist für Ihre Rolle nicht freigeschaltet.")
    return aktueller


def ist_gast() -> bool:
    """Whether this is the anonymous visitor of the open demo mode."""
    aktuelle = sitzung()
    return aktuelle is not None and aktuelle.gast


def akteur() -> str:
    """The name written into the audit trail for actions of this session."""
    aktuelle = sitzung()
    return aktuelle.name if aktuelle is not None else benutzer.GAST

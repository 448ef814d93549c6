"""The dashboard's web server for production (``streamlit run server.py``): what Streamlit's
defaults leave open, closed on the server side (issue 14, 7 and the deployment notes).

Why a separate entry point: Streamlit 1.67 can serve the script as an ASGI app (``st.App``)
with own routes and middleware; ``dashboard.py`` alone (``streamlit run dashboard.py``, the
tests, development) keeps working without them. With ``server.py``:

* **HttpOnly login cookie, set by the server.** After a login the page gets a one-time code
  (:func:`uebergabe`, valid 60 s, usable once); a tiny script posts it to
  ``/api/sitzung``, whose response sets the cookie ``HttpOnly; SameSite=Strict`` (``Secure``
  behind https). Page scripts never see the token. ``/api/abmelden`` deletes the cookie.
* **Downloads only for the login that made them.** ``/media/…`` (files of
  ``st.download_button``) is answered only for a request whose login cookie belongs to a
  browser session that holds that file (:func:`sitzung_merken` records which login each
  Streamlit session runs under; Streamlit's media manager knows which session made which
  file). Another logged-in user who learned the address gets 403, as does everyone once the
  login ended. In the open demo mode (no accounts) files stay public, like the demo itself.
* **Security headers** on every response (frame-ancestors, no MIME sniffing, no referrer to
  other sites) and **``/_stcore/metrics`` closed** (404).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from monitor import benutzer
from monitor.db import Datenbank, db_pfad, verbinden

#: Set by ``server.py``: the login cookie is set by :func:`sitzung_setzen`, not by a script.
SERVER_COOKIES = "MONITOR_SERVER_COOKIES"
COOKIE = "wirkungsmonitor_sitzung"
#: How long a one-time code may wait for its request.
UEBERGABE_GUELTIG_S = 60

_UEBERGABEN: dict[str, tuple[str, float]] = {}
_SPERRE = threading.Lock()

#: Headers on every HTTP response. A full script CSP does not fit Streamlit (inline styles,
#: component iframes); frame-ancestors keeps other sites from framing the dashboard.
SICHERHEITSKOPFZEILEN: dict[str, str] = {
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
GESPERRT = ("/_stcore/metrics",)


def server_setzt_cookies() -> bool:
    """Whether the dashboard runs under ``server.py`` (cookie by the server)."""
    return os.environ.get(SERVER_COOKIES) == "1"


def uebergabe(token: str) -> str:
    """A one-time code that :func:`sitzung_setzen` exchanges for the HttpOnly cookie."""
    code = secrets.token_urlsafe(24)
    jetzt = time.monotonic()
    with _SPERRE:
        for alt in [c for c, (_, bis) in _UEBERGABEN.items() if bis < jetzt]:
            del _UEBERGABEN[alt]
        _UEBERGABEN[code] = (token, jetzt + UEBERGABE_GUELTIG_S)
    return code


def _einloesen(code: str) -> str | None:
    with _SPERRE:
        eintrag = _UEBERGABEN.pop(code, None)
    if eintrag is None or eintrag[1] < time.monotonic():
        return None
    return eintrag[0]


def _sicher(request: Request) -> bool:
    """https, directly or behind a proxy that says so."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def sitzung_setzen(request: Request) -> Response:
    """``POST /api/sitzung`` with a one-time code as body → the HttpOnly login cookie."""
    token = _einloesen((await request.body()).decode("ascii", "replace").strip())
    if token is None:
        return PlainTextResponse("Code ungültig oder abgelaufen.", status_code=403)
    antwort = PlainTextResponse("ok")
    antwort.set_cookie(
        COOKIE,
        token,
        max_age=int(benutzer.SITZUNG_MAX_DAUER.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=_sicher(request),
    )
    antwort.headers["Cache-Control"] = "no-store"
    return antwort


async def sitzung_loeschen(request: Request) -> Response:
    """``POST /api/abmelden`` → the login cookie is deleted (the login itself ended already)."""
    antwort = PlainTextResponse("ok")
    antwort.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return antwort


ROUTEN = [
    Route("/api/sitzung", sitzung_setzen, methods=["POST"]),
    Route("/api/abmelden", sitzung_loeschen, methods=["POST"]),
]

#: Which login (SHA-256 of its token) each Streamlit browser session runs under.
_LOGIN_JE_SITZUNG: dict[str, str] = {}


def _fingerabdruck(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sitzung_merken(token: str | None) -> None:
    """Record the login this browser session runs under (None: logged out), from a script run."""
    kontext = get_script_run_ctx()
    if kontext is None:
        return
    with _SPERRE:
        if token:
            _LOGIN_JE_SITZUNG[kontext.session_id] = _fingerabdruck(token)
        else:
            _LOGIN_JE_SITZUNG.pop(kontext.session_id, None)


#: Files made on click (deferred downloads): SHA-256 of the content → logins that made it.
#: Streamlit stores those files without a session, so the owner is recorded here.
_ERZEUGT: OrderedDict[str, set[str]] = OrderedDict()
_ERZEUGT_HOECHSTENS = 2000


def fuer_diese_anmeldung(erzeugen: Callable[[], bytes]) -> Callable[[], bytes]:
    """``erzeugen`` for a download made on click, with the file bound to this login: what it
    produces may be fetched only with the login cookie of the session that offered it."""
    kontext = get_script_run_ctx()
    with _SPERRE:
        login = _LOGIN_JE_SITZUNG.get(kontext.session_id) if kontext is not None else None

    def gebunden() -> bytes:
        inhalt = erzeugen()
        if login is not None:
            schluessel = hashlib.sha256(inhalt).hexdigest()
            with _SPERRE:
                _ERZEUGT.setdefault(schluessel, set()).add(login)
                _ERZEUGT.move_to_end(schluessel)
                while len(_ERZEUGT) > _ERZEUGT_HOECHSTENS:
                    _ERZEUGT.popitem(last=False)
        return inhalt

    return gebunden


def _inhaber(datei: str) -> set[str]:
    """The logins (fingerprints) allowed to fetch media file ``datei``.

    Files given to a download button directly belong to the browser sessions that show them
    (Streamlit's media manager: session → element → file id); files made on click belong to
    the login recorded by :func:`fuer_diese_anmeldung` for their content. Unknown files, and
    files of sessions that ended, have no owner.
    """
    if not Runtime.exists():
        return set()
    verwalter = Runtime.instance().media_file_mgr
    with verwalter._lock:
        sitzungen = {
            sitzung
            for sitzung, dateien in verwalter._files_by_session_and_coord.items()
            if datei in dateien.values()
        }
    try:
        inhalt = verwalter._storage.get_file(datei).content
    except Exception:  # MediaFileStorageError: no such file
        inhalt = None
    with _SPERRE:
        logins = {_LOGIN_JE_SITZUNG[s] for s in sitzungen if s in _LOGIN_JE_SITZUNG}
        if inhalt is not None:
            logins |= _ERZEUGT.get(hashlib.sha256(inhalt).hexdigest(), set())
    return logins


_DB: Datenbank | None = None
_DB_SPERRE = threading.Lock()


def _darf_laden(cookie: str | None, pfad: str) -> bool:
    """Whether a request may fetch a download: open demo mode, or a valid login cookie of a
    login whose browser session made the file."""
    global _DB
    with _DB_SPERRE:
        if _DB is None:
            _DB = verbinden(db_pfad(), kurz=True, warten_s=5)
    if benutzer.zugangsmodus(_DB) is benutzer.Zugangsmodus.OFFEN_DEMO:
        return True
    if not cookie or benutzer.sitzung_aus_token(_DB, str(cookie)) is None:
        return False
    datei = pfad.rsplit("/", 1)[-1].split(".", 1)[0]
    return _fingerabdruck(str(cookie)) in _inhaber(datei)


Empfangen = Callable[[], Awaitable[MutableMapping[str, Any]]]
Senden = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class Schutz:
    """ASGI middleware: headers on every response, metrics closed, downloads only logged in."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(
        self, scope: MutableMapping[str, Any], receive: Empfangen, send: Senden
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pfad = str(scope.get("path", ""))
        if pfad.rstrip("/").endswith(GESPERRT):
            await PlainTextResponse("Nicht gefunden.", status_code=404)(scope, receive, send)
            return
        if "/media/" in pfad and not _darf_laden(Request(scope).cookies.get(COOKIE), pfad):
            antwort = PlainTextResponse("Bitte anmelden.", status_code=403)
            await antwort(scope, receive, send)
            return

        async def mit_kopfzeilen(nachricht: MutableMapping[str, Any]) -> None:
            if nachricht["type"] == "http.response.start":
                kopf = list(nachricht.get("headers", []))
                vorhanden = {k.lower() for k, _ in kopf}
                for name, wert in SICHERHEITSKOPFZEILEN.items():
                    if name.lower().encode() not in vorhanden:
                        kopf.append((name.lower().encode(), wert.encode()))
                nachricht["headers"] = kopf
            await send(nachricht)

        await self.app(scope, receive, mit_kopfzeilen)

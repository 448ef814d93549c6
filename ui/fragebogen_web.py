"""The public questionnaire as a light HTML page: ``/fragebogen?t=TOKEN`` (and old ``/?t=TOKEN``).

Why not the Streamlit page (:mod:`ui.fragebogen`) for participants: at an event 200 people
answer at once. A Streamlit session costs a 2 MB React bundle, a websocket and a script run per
screen in the one dashboard process; 10 browser sessions already needed 4.9 s (p95) from
"Absenden" to the thank-you page on the 2-core machine, and the dashboard slowed down with them.
This page is plain server-rendered HTML (a few kB, no framework), sent by the same process and
the same start command (``streamlit run dashboard.py`` builds an ``st.App`` with these routes,
see ``dashboard.py``); a questionnaire costs two requests: the form, and its submission.

What it keeps from the Streamlit page, because it uses the same parts:

* the token decides site and wave (:func:`monitor.erhebung.link_pruefen`); forged, expired or
  revoked links get a German refusal (HTTP 404/410) and nothing is stored;
* every text from :mod:`monitor.uebersetzung` (language chosen first; ``lang`` and ``dir`` of
  the page are the chosen language's; draft languages say so), the Art. 13 notice with consent
  before the first question, the participant code typed twice and normalised like the import;
* the submission goes through :func:`monitor.erhebung.einreichen` – the import's checks, keys,
  lock/inbox, archive, audit and the group commit of simultaneous submissions. Its rule errors
  are shown next to the field in the chosen language, with every answer kept. The database
  work runs in threads of its own pool (:data:`GLEICHZEITIG`), never in the event loop.

No cookies and no session: the language and the answers travel in the form. An identical
second submission (double tap, reload) is stored once by the import path. Nothing about the
browser is read (no IP address, no user agent; uvicorn's access log is off). With JavaScript
one block per screen with a progress bar; without it every block on one page.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import os
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import quote

import anyio
import anyio.to_thread
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from monitor import erhebung
from monitor import uebersetzung as ue
from monitor.einlesen import EingabeFehler
from monitor.erhebung import AntwortenFehlerhaft, Erhebungslink, LinkUngueltig
from monitor.pruefung import Fehler, normalisiere_code
from monitor.schema import Feld
from ui.webserver import SICHERHEITSKOPFZEILEN

#: URL parameter that carries the token (also read by the Streamlit page).
PARAMETER = "t"
#: Whom the privacy notice names as responsible: name and contact of the organisation, set by
#: the operator (Art. 13 GDPR); without it a translated general statement is shown.
VERANTWORTLICH_VARIABLE = "MONITOR_VERANTWORTLICH"

#: The page's path; old printed links (``/?t=TOKEN``) are answered by the same handler.
PFAD = "/fragebogen"
#: Form field of the chosen language (also a URL parameter on the language screen).
SPRACHFELD = "s"
ZUSTIMMUNG, CODE, CODE_WIEDERHOLT = "zustimmung", "code", "code2"
#: Key of an error that belongs to no single field (shown above the form).
ALLGEMEIN = ""
#: More form fields than a questionnaire has are refused by the form parser.
MAX_FELDER = 200
#: ``lang`` of the page per language (Leichte Sprache is German).
HTML_SPRACHE = {"leicht": "de"}

_STIL = """
*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#2F2D2B;
background:#fff}
main{max-width:40rem;margin:0 auto;padding:1rem 1rem 4rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.3rem;margin:1.5rem 0 .5rem}
section{border-top:1px solid #ddd;padding-top:.5rem}
.js section{border:0}
fieldset{border:0;margin:0 0 1.2rem;padding:0}
legend{font-weight:600;margin-bottom:.3rem;padding:0}
label.wahl{display:flex;align-items:center;gap:.6rem;min-height:44px;padding:.3rem .5rem;
border:1px solid #ccc;border-radius:8px;margin:.35rem 0;cursor:pointer}
label.wahl input{width:1.4rem;height:1.4rem;flex:none;margin:0}
label.feld{display:block;font-weight:600;margin:.8rem 0 .3rem}
input[type=text],input[type=number]{width:100%;min-height:48px;font-size:1.1rem;padding:.4rem .6rem;
border:1px solid #888;border-radius:8px}
button,a.knopf{display:block;width:100%;min-height:48px;font-size:1.1rem;border-radius:8px;
padding:.6rem 1rem;margin:.5rem 0;text-align:center;text-decoration:none;cursor:pointer;
border:1px solid #C53948;background:#fff;color:#8f1f2c}
button.haupt{background:#C53948;color:#fff}
.knoepfe{display:flex;gap:.6rem}.knoepfe button{flex:1}
.hinweis{background:#eef4fb;border-radius:8px;padding:.6rem .8rem}
.fehler{color:#a0001c;font-weight:600}
.fehler:empty{display:none}
.erfolg{background:#e8f5ea;border-radius:8px;padding:.8rem;font-size:1.15rem}
.klein{color:#555;font-size:.95rem}
.balken{height:10px;background:#eee;border-radius:5px;overflow:hidden}
.balken span{display:block;height:100%;background:#C53948;width:0}
[hidden]{display:none!important}
"""

#: One block per screen (progress bar, per-screen check of required answers, number ranges and
#: the repeated code); without JavaScript the form is one page and the server checks it.
_SKRIPT = """
(function(){
var f=document.getElementById('fb');if(!f)return;
var d=f.dataset,teile=[].slice.call(f.querySelectorAll('section')),n=teile.length,i=0;
var leiste=document.getElementById('fortschritt'),text=document.getElementById('schritttext');
document.documentElement.className='js';leiste.hidden=false;
function norm(s){return s.normalize('NFKC').toLowerCase().replace(/ä/g,'ae').replace(/ö/g,'oe')
.replace(/ü/g,'ue').replace(/ß/g,'ss').normalize('NFKD').replace(/[\\u0300-\\u036f]/g,'')
.replace(/\\s+/g,'');}
function zeigen(k){i=k;teile.forEach(function(t,j){t.hidden=j!==k;});
leiste.querySelector('span').style.width=Math.round(100*k/n)+'%';
text.textContent=d.schritt.replace('{nummer}',k+1).replace('{gesamt}',n);
var c=document.getElementById('codeform');if(c)c.textContent=norm(f.elements.code.value);
window.scrollTo(0,0);}
function melden(name,t){var e=document.getElementById('fehler_'+name);
if(e)e.textContent=t;return !t;}
function pruefen(t){var gut=true;
t.querySelectorAll('[data-name]').forEach(function(g){var name=g.dataset.name,t2='';
var el=f.elements[name];
if(name==='code'){var a=norm(f.elements.code.value),b=norm(f.elements.code2.value);
 t2=!a?d.pflicht:(a!==b?d.ungleich:'');}
else if(el&&el.type==='checkbox'){t2=el.checked?'':d.pflicht;}
else if(el&&el.type==='number'){var v=el.value.trim();
 if(v===''){t2=g.dataset.pflicht?d.pflicht:'';}
 else if(!/^-?\\d+$/.test(v)||+v<+el.min||+v>+el.max){t2=g.dataset.zahl;}}
else if(g.dataset.pflicht){t2=g.querySelector('input:checked')?'':d.pflicht;}
gut=melden(name,t2)&&gut;});return gut;}
teile.forEach(function(t,k){var z=document.createElement('div');z.className='knoepfe';
if(k>0){var b=document.createElement('button');b.type='button';b.textContent=d.zurueck;
 b.onclick=function(){zeigen(k-1);};z.appendChild(b);}
if(k<n-1){var w=document.createElement('button');w.type='button';w.className='haupt';
 w.textContent=d.weiter;w.onclick=function(){if(pruefen(t))zeigen(k+1);};z.appendChild(w);}
else{var s=t.querySelector('button[type=submit]');z.appendChild(s);}
t.appendChild(z);});
var erster=teile.findIndex(function(t){return [].some.call(t.querySelectorAll('.fehler'),
function(e){return e.textContent;});});
f.addEventListener('submit',function(){var s=f.querySelector('button[type=submit]');
setTimeout(function(){s.disabled=true;},0);});
zeigen(erster<0?0:erster);
})();
"""


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


#: Only our own inline style and script run (by hash); the form posts only to this server.
KOPFZEILEN = {
    **SICHERHEITSKOPFZEILEN,
    "Content-Security-Policy": (
        f"default-src 'none'; style-src {_hash(_STIL)}; script-src {_hash(_SKRIPT)}; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
    ),
    "Cache-Control": "no-store",
}


def verantwortlich(sprache: str) -> str:
    """Who the privacy notice names: the operator's setting, else the translated default."""
    return os.environ.get(VERANTWORTLICH_VARIABLE) or ue.uebersetze(sprache, ue.T_TRAEGER)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _seite(titel: str, inhalt: str, sprache: str = "de") -> str:
    """A whole HTML page in a language (``lang`` and ``dir`` of the language itself)."""
    rtl = ue.SPRACHEN[sprache].rtl if sprache in ue.SPRACHEN else False
    return (
        f'<!doctype html><html lang="{_e(HTML_SPRACHE.get(sprache, sprache))}" '
        f'dir="{"rtl" if rtl else "ltr"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<title>{_e(titel)}</title><style>{_STIL}</style></head><body><main>"
        f"{inhalt}</main></body></html>"
    )


def _ablehnung(meldung: str) -> str:
    """The German refusal for a forged, expired or revoked link (nothing else on the page)."""
    return _seite(
        "Fragebogen", f'<h1>Fragebogen</h1><p class="fehler" role="alert">{_e(meldung)}</p>'
    )


def _ziel(token: str) -> str:
    """The form's address, relative: works under ``/fragebogen`` and for old ``/?t=`` links."""
    return f"{PFAD.lstrip('/')}?{PARAMETER}={quote(token, safe='')}"


def _sprachwahl(token: str) -> str:
    anfragen = "".join(
        f'<p class="klein" lang="{_e(HTML_SPRACHE.get(code, code))}" '
        f'dir="{"rtl" if sprache.rtl else "ltr"}">{_e(ue.uebersetze(code, ue.T_SPRACHE))}</p>'
        for code, sprache in ue.SPRACHEN.items()
        if code not in ("de", "leicht")
    )
    knoepfe = "".join(
        f'<a class="knopf" lang="{_e(HTML_SPRACHE.get(code, code))}" '
        f'href="{_e(_ziel(token))}&amp;{SPRACHFELD}={_e(code)}">{_e(sprache.name)}</a>'
        for code, sprache in ue.SPRACHEN.items()
    )
    return _seite(
        ue.T_TITEL, f"<h1>{_e(ue.T_TITEL)}</h1><p>{_e(ue.T_SPRACHE)}</p>{anfragen}{knoepfe}"
    )


def _danke(sprache: str) -> str:
    def t(text: str) -> str:
        return _e(ue.uebersetze(sprache, text))

    return _seite(
        ue.uebersetze(sprache, ue.T_TITEL),
        f'<h1>{t(ue.T_TITEL)}</h1><p class="erfolg" role="status">{t(ue.T_DANKE)}</p>'
        f"<p>{t(ue.T_SCHLIESSEN)}</p>",
        sprache,
    )


def _fehlertext(fehler: Mapping[str, str], name: str) -> str:
    return f'<p class="fehler" id="fehler_{_e(name)}" role="alert">{_e(fehler.get(name, ""))}</p>'


def _frage(
    feld: Feld, welle: str, sprache: str, werte: Mapping[str, str], fehler: Mapping[str, str]
) -> str:
    """One question: radio buttons for the codebook's answers, else a whole-number field."""
    pflicht = erhebung.ist_pflicht(feld, welle)
    frage = ue.uebersetze(sprache, feld.frage) + (" *" if pflicht else "")
    wert = werte.get(feld.name, "")
    name = _e(feld.name)
    attribute = f'data-name="{name}"' + (' data-pflicht="1"' if pflicht else "")
    if feld.werte:
        labels = dict(zip(feld.werte, feld.labels or feld.werte, strict=False))
        optionen = "".join(
            f'<label class="wahl"><input type="radio" name="{name}" value="{_e(code)}"'
            f"{' checked' if code == wert else ''}> "
            f"{_e(ue.uebersetze(sprache, labels[code]))}</label>"
            for code in feld.werte
        )
        return (
            f"<fieldset {attribute}><legend>{_e(frage)}</legend>{optionen}"
            f"{_fehlertext(fehler, feld.name)}</fieldset>"
        )
    minimum = int(feld.minimum) if feld.minimum is not None else 0
    maximum = int(feld.maximum) if feld.maximum is not None else 999999
    hinweis = ue.uebersetze(sprache, ue.T_ZAHL, min=minimum, max=maximum)
    return (
        f'<div {attribute} data-zahl="{_e(hinweis)}"><label class="feld" for="f_{name}">'
        f'{_e(frage)}</label><input type="number" inputmode="numeric" id="f_{name}" '
        f'name="{name}" min="{minimum}" max="{maximum}" step="1" value="{_e(wert)}" '
        f'aria-describedby="h_{name}"><p class="klein" id="h_{name}">{_e(hinweis)}</p>'
        f"{_fehlertext(fehler, feld.name)}</div>"
    )


def _formular(
    standort: str,
    link: Erhebungslink,
    token: str,
    sprache: str,
    werte: Mapping[str, str],
    fehler: Mapping[str, str],
) -> str:
    """The whole questionnaire: notice + consent, code, every block (one ``section`` each)."""

    def t(text: str, **platzhalter: object) -> str:
        return _e(ue.uebersetze(sprache, text, **platzhalter))

    teile = [
        f"<section><h2>{t(ue.T_DATENSCHUTZ)}</h2>"
        f"<p>{t(ue.T_WER, verantwortlich=verantwortlich(sprache), standort=standort)}</p>"
        + "".join(
            f"<p>{t(text)}</p>" for text in (ue.T_WAS, ue.T_WARUM, ue.T_WIE_LANGE, ue.T_RECHTE)
        )
        + f'<div data-name="{ZUSTIMMUNG}"><label class="wahl"><input type="checkbox" '
        f'name="{ZUSTIMMUNG}" value="ja"{" checked" if werte.get(ZUSTIMMUNG) == "ja" else ""}> '
        f"{t(ue.T_ZUSTIMMEN)}</label>{_fehlertext(fehler, ZUSTIMMUNG)}</div></section>",
        f"<section><h2>{t(ue.T_CODE)}</h2><p>{t(ue.T_CODE_ERKLAERUNG)}</p>"
        f'<div data-name="{CODE}"><label class="feld" for="f_code">{t(ue.T_CODE)}</label>'
        f'<input type="text" id="f_code" name="{CODE}" maxlength="32" autocomplete="off" '
        f'autocapitalize="off" spellcheck="false" value="{_e(werte.get(CODE, ""))}">'
        f'<label class="feld" for="f_code2">{t(ue.T_CODE_WIEDERHOLEN)}</label>'
        f'<input type="text" id="f_code2" name="{CODE_WIEDERHOLT}" maxlength="32" '
        f'autocomplete="off" autocapitalize="off" spellcheck="false" '
        f'value="{_e(werte.get(CODE_WIEDERHOLT, ""))}">{_fehlertext(fehler, CODE)}</div></section>',
    ]
    platzhalter = "\ue000"
    gespeichert = normalisiere_code(werte.get(CODE, ""), leerzeichen_entfernen=True)
    code_zeile = t(ue.T_CODE_GESPEICHERT, code=platzhalter).replace(
        platzhalter, f'<b id="codeform">{_e(gespeichert)}</b>'
    )
    for nummer, (titel, felder) in enumerate(erhebung.bloecke(link.welle)):
        teile.append(
            f"<section><h2>{t(titel)}</h2>"
            + (f'<p class="klein">{code_zeile}</p>' if nummer == 0 else "")
            + f'<p class="klein">{t(ue.T_FREIWILLIG)}</p>'
            + "".join(_frage(feld, link.welle, sprache, werte, fehler) for feld in felder)
            + "</section>"
        )
    teile[-1] = teile[-1].replace(
        "</section>", f'<button type="submit" class="haupt">{t(ue.T_ABSENDEN)}</button></section>'
    )
    daten_attribute = " ".join(
        f'data-{name}="{t(text)}"'
        for name, text in (
            ("schritt", ue.T_SCHRITT),
            ("weiter", ue.T_WEITER),
            ("zurueck", ue.T_ZURUECK),
            ("pflicht", ue.T_PFLICHT),
            ("ungleich", ue.T_CODE_UNGLEICH),
        )
    )
    entwurf = (
        f'<p class="hinweis" role="note">{t(ue.T_ENTWURF)}</p>'
        if ue.SPRACHEN[sprache].entwurf
        else ""
    )
    oben = (
        f'<p class="fehler" role="alert">{t(fehler[ALLGEMEIN])}</p>' if ALLGEMEIN in fehler else ""
    )
    if fehler and not oben:
        oben = f'<p class="fehler" role="alert">{t(ue.T_FEHLER)}</p>'
    inhalt = (
        f"<h1>{t(ue.T_TITEL)}</h1>{entwurf}"
        '<div id="fortschritt" hidden><div class="balken"><span></span></div>'
        '<p id="schritttext" class="klein" aria-live="polite"></p></div>'
        f'{oben}<form id="fb" method="post" action="{_e(_ziel(token))}" novalidate '
        f'{daten_attribute}><input type="hidden" name="{SPRACHFELD}" value="{_e(sprache)}">'
        + "".join(teile)
        + f"</form><script>{_SKRIPT}</script>"
    )
    return _seite(ue.uebersetze(sprache, ue.T_TITEL), inhalt, sprache)


def _vorpruefen(
    link: Erhebungslink, felder: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Answers (codebook variables only) and the German texts of what is missing on the form.

    Only what the import cannot know is checked here (consent, the code typed twice, required
    answers left empty); the codebook's rules are the import's, in :func:`erhebung.einreichen`.
    """
    antworten: dict[str, str] = {}
    fehler: dict[str, str] = {}
    if felder.get(ZUSTIMMUNG) != "ja":
        fehler[ZUSTIMMUNG] = ue.T_PFLICHT
    code = normalisiere_code(felder.get(CODE, ""), leerzeichen_entfernen=True)
    if not code:
        fehler[CODE] = ue.T_PFLICHT
    elif code != normalisiere_code(felder.get(CODE_WIEDERHOLT, ""), leerzeichen_entfernen=True):
        fehler[CODE] = ue.T_CODE_UNGLEICH
    antworten[CODE] = code
    for feld in erhebung.fragen(link.welle):
        if feld.name == CODE:
            continue
        wert = felder.get(feld.name, "").strip()
        if wert:
            antworten[feld.name] = wert
        elif erhebung.ist_pflicht(feld, link.welle):
            fehler[feld.name] = ue.T_PFLICHT
    return antworten, fehler


def _regelfehler(link: Erhebungslink, gefunden: list[Fehler]) -> dict[str, str]:
    """The import's rule errors as the page's texts, by field (code and numbers specific)."""
    felder = {feld.name: feld for feld in erhebung.fragen(link.welle)}
    fehler: dict[str, str] = {}
    for einzeln in gefunden:
        feld = felder.get(einzeln.spalte)
        if einzeln.spalte == CODE:
            fehler[CODE] = ue.T_CODE_UNGUELTIG
        elif feld is not None and not feld.werte and feld.minimum is not None:
            fehler[feld.name] = ue.T_ZAHL
        elif feld is not None:
            fehler[feld.name] = ue.T_FEHLER
        else:
            fehler[ALLGEMEIN] = ue.T_FEHLER
    return fehler or {ALLGEMEIN: ue.T_FEHLER}


def _uebersetzt(link: Erhebungslink, sprache: str, fehler: Mapping[str, str]) -> dict[str, str]:
    felder = {feld.name: feld for feld in erhebung.fragen(link.welle)}
    ergebnis = {}
    for name, text in fehler.items():
        feld = felder.get(name)
        if text == ue.T_ZAHL and feld is not None:
            ergebnis[name] = ue.uebersetze(
                sprache, text, min=int(feld.minimum or 0), max=int(feld.maximum or 0)
            )
        else:
            ergebnis[name] = ue.uebersetze(sprache, text)
    return ergebnis


def bearbeiten(methode: str, token: str | None, felder: Mapping[str, str]) -> tuple[str, int]:
    """One request of the page as (HTML, status); blocking database work, run in a thread.

    The dashboard's shared connection and cache are imported here, not at the top: uvicorn
    imports this module (through ``dashboard.py``) before Streamlit's runtime exists, and
    Streamlit's cache decorators would warn about that at every start.
    """
    from ui import daten
    from ui.fragebogen import zahlen_auffrischen

    db = daten.datenbank()
    try:
        link = erhebung.link_pruefen(db, token)
    except LinkUngueltig as ungueltig:
        return _ablehnung(str(ungueltig)), 410 if str(ungueltig) == erhebung.ABGELAUFEN else 404
    assert token is not None
    sprache = felder.get(SPRACHFELD, "")
    if sprache not in ue.SPRACHEN:
        return _sprachwahl(token), 200
    standort = erhebung.standortname(db, link.standort)
    if methode != "POST":
        return _formular(standort, link, token, sprache, {}, {}), 200
    antworten, fehler = _vorpruefen(link, felder)
    status = 422
    if fehler:  # show the codebook's rules too, so one round trip names every problem
        regeln = erhebung.pruefe_antworten(link, antworten) if antworten[CODE] else []
        fehler = {**_regelfehler(link, regeln), **fehler} if regeln else fehler
    else:
        try:
            erhebung.einreichen(db, token, antworten, sprache=sprache)
        except LinkUngueltig as ungueltig:  # revoked while the form was open
            return _ablehnung(str(ungueltig)), 410
        except AntwortenFehlerhaft as abgelehnt:
            fehler = _regelfehler(link, abgelehnt.fehler)
        except EingabeFehler:
            fehler, status = {ALLGEMEIN: ue.T_NICHT_GESPEICHERT}, 503
        else:
            zahlen_auffrischen()
            return _danke(sprache), 200
    werte = {name: felder.get(name, "") for name in (*antworten, ZUSTIMMUNG, CODE_WIEDERHOLT)}
    werte[CODE] = felder.get(CODE, "")
    return _formular(
        standort, link, token, sprache, werte, _uebersetzt(link, sprache, fehler)
    ), status


#: Threads for the page's database work, apart from the server's shared pool (40 threads):
#: a submission waits in its thread for the group commit, and 50 waiting submissions must
#: neither make the 41st wait for a free thread (it would miss the batch) nor block the
#: threads Streamlit's own file responses use.
GLEICHZEITIG = 250
_GRENZE: list[anyio.CapacityLimiter] = []


def _grenze() -> anyio.CapacityLimiter:
    if not _GRENZE:  # created in the event loop that serves the requests
        _GRENZE.append(anyio.CapacityLimiter(GLEICHZEITIG))
    return _GRENZE[0]


async def seite(request: Request) -> Response:
    """``GET`` (language choice, form) and ``POST`` (submission) of the questionnaire."""
    felder: dict[str, str] = {SPRACHFELD: request.query_params.get(SPRACHFELD, "")}
    if request.method == "POST":
        async with request.form(max_fields=MAX_FELDER, max_files=0) as formular:
            felder = {name: wert for name, wert in formular.items() if isinstance(wert, str)}
    token = request.query_params.get(PARAMETER)
    arbeit = functools.partial(bearbeiten, request.method, token, felder)
    inhalt, status = await anyio.to_thread.run_sync(arbeit, limiter=_grenze())
    return HTMLResponse(inhalt, status_code=status, headers=KOPFZEILEN)


Empfangen = Callable[[], Awaitable[MutableMapping[str, Any]]]
Senden = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class AlteLinks:
    """ASGI middleware: ``/?t=TOKEN`` (links and QR codes printed before the light page) is
    answered by the light page itself, without loading the Streamlit app first."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(
        self, scope: MutableMapping[str, Any], receive: Empfangen, send: Senden
    ) -> None:
        if (
            scope["type"] == "http"
            and scope.get("path") == "/"
            and PARAMETER in Request(scope).query_params
        ):
            scope = {**scope, "path": PFAD, "raw_path": PFAD.encode()}
        await self.app(scope, receive, send)


ROUTEN = [Route(PFAD, seite, methods=["GET", "POST"])]
MIDDLEWARE = [Middleware(AlteLinks)]

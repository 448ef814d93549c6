"""The public questionnaire as a Streamlit page (``/?t=TOKEN`` when it reaches Streamlit).

Participants normally never see this page: ``streamlit run dashboard.py`` (and ``server.py``)
answer questionnaire links with the light HTML page of :mod:`ui.fragebogen_web`, before
Streamlit is involved, because Streamlit sessions could not carry an event's load (10 browsers:
p95 4.9 s from "Absenden" to the thank-you page; figures in ``benchmarks/README.md``). This
page stays for the script run itself – ``AppTest`` and any start without the ``st.App``
wrapper – and shares its building blocks with the light page (:func:`verantwortlich`,
:func:`zahlen_auffrischen`). Each screen is a form, so one script run per screen.

What it guarantees:

* ``dashboard.py`` calls :func:`zeigen` before the login whenever ``t`` is in the URL; this page
  registers itself as the only, hidden page (no navigation, no sidebar, no data shown back).
* Everything a participant reads comes from :mod:`monitor.uebersetzung`; right-to-left for
  Arabic and Farsi; draft languages say so. The answer codes are those of the codebook.
* Every screen is checked with the import's own rules (:func:`monitor.erhebung.pruefe_antworten`)
  and the submission goes through the import path (:func:`monitor.erhebung.einreichen`).
* Nothing about the browser (no IP address, no user agent) is read or passed on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import streamlit as st

from monitor import erhebung
from monitor import uebersetzung as ue
from monitor.db import Datenbank
from monitor.einlesen import EingabeFehler
from monitor.erhebung import AntwortenFehlerhaft, Erhebungslink, LinkUngueltig
from monitor.pruefung import normalisiere_code
from monitor.schema import Feld, Typ
from ui import daten
from ui.fragebogen_web import PARAMETER, verantwortlich

#: Session-state key of this page's progress (never the database, never the token twice).
ZUSTAND = "_fragebogen"

_STIL = """
<style>
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"] { display: none !important; }
.block-container { max-width: 40rem; padding: 1rem 1rem 4rem; }
h1 { font-size: 1.8rem !important; }
[data-testid="stRadioOption"] { min-height: 2.75rem; padding: .35rem 0; align-items: center;
  font-size: 1.05rem; }
[data-testid="stRadioOption"] p { font-size: 1.05rem; }
[data-testid="stBaseButton-primary"], [data-testid="stBaseButton-secondary"],
[data-testid="stBaseButton-secondaryFormSubmit"], [data-testid="stBaseButton-primaryFormSubmit"]
{ min-height: 3rem; }
input { font-size: 1.1rem !important; min-height: 2.75rem; }
</style>
"""
_RTL = """
<style>
[data-testid="stMain"] { direction: rtl; text-align: right; }
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { text-align: right !important; }
</style>
"""


@dataclass
class Zustand:
    """Where the participant is: screen number, language, answers so far (codebook values)."""

    schritt: int = 0
    sprache: str | None = None
    antworten: dict[str, object] = field(default_factory=dict)
    fertig: bool = False


def aufgerufen() -> bool:
    """Whether this run is a questionnaire link (then :func:`zeigen` is all that runs)."""
    return PARAMETER in st.query_params


def zeigen(db: Datenbank) -> None:
    """The whole questionnaire as the single hidden page of this run."""

    st.set_page_config(page_title=ue.T_TITEL, layout="centered", page_icon="📝")

    def fragebogen() -> None:
        _ablauf(db, st.query_params.get(PARAMETER))

    st.navigation(
        [st.Page(fragebogen, title=ue.T_TITEL, url_path="fragebogen", default=True)],
        position="hidden",
    ).run()


def _t(zustand: Zustand, text: str, **werte: object) -> str:
    return ue.uebersetze(zustand.sprache or "de", text, **werte)


def _ablauf(db: Datenbank, token: str | None) -> None:
    st.html(_STIL)
    try:
        link = erhebung.link_pruefen(db, token)
    except LinkUngueltig as fehler:
        st.title("Fragebogen")
        st.error(str(fehler))
        return
    zustand: Zustand = st.session_state.setdefault(ZUSTAND, Zustand())
    sprache = ue.SPRACHEN.get(zustand.sprache or "")
    if sprache is not None and sprache.rtl:
        st.html(_RTL)
    if zustand.fertig:
        st.title(_t(zustand, ue.T_TITEL))
        st.success(_t(zustand, ue.T_DANKE))
        st.write(_t(zustand, ue.T_SCHLIESSEN))
        return
    if sprache is None:
        _sprachwahl(zustand)
        return
    st.title(_t(zustand, ue.T_TITEL))
    if sprache.entwurf:
        st.info(_t(zustand, ue.T_ENTWURF))
    bloecke = erhebung.bloecke(link.welle)
    gesamt = len(bloecke) + 2  # privacy notice, code, question blocks
    st.progress(
        zustand.schritt / gesamt,
        text=_t(zustand, ue.T_SCHRITT, nummer=zustand.schritt + 1, gesamt=gesamt),
    )
    if zustand.schritt == 0:
        _datenschutz(db, link, zustand)
    elif zustand.schritt == 1:
        _code(link, zustand)
    else:
        _block(db, token, link, zustand, bloecke)


def _sprachwahl(zustand: Zustand) -> None:
    st.title(ue.T_TITEL)
    st.write(ue.T_SPRACHE)
    # the same request in the other languages, for those who do not read German
    st.caption(
        " · ".join(
            ue.uebersetze(code, ue.T_SPRACHE)
            for code in ue.SPRACHEN
            if code not in ("de", "leicht")
        )
    )
    for sprache in ue.SPRACHEN.values():
        if st.button(sprache.name, key=f"sprache_{sprache.code}", width="stretch"):
            zustand.sprache = sprache.code
            st.rerun()


def _datenschutz(db: Datenbank, link: Erhebungslink, zustand: Zustand) -> None:
    st.header(_t(zustand, ue.T_DATENSCHUTZ))
    standort = erhebung.standortname(db, link.standort)
    st.write(
        _t(
            zustand,
            ue.T_WER,
            verantwortlich=verantwortlich(zustand.sprache or "de"),
            standort=standort,
        )
    )
    for text in (ue.T_WAS, ue.T_WARUM, ue.T_WIE_LANGE, ue.T_RECHTE):
        st.write(_t(zustand, text))
    with st.form("datenschutz", enter_to_submit=False):
        zugestimmt = st.checkbox(_t(zustand, ue.T_ZUSTIMMEN))
        if st.form_submit_button(_t(zustand, ue.T_WEITER), type="primary", width="stretch"):
            if zugestimmt:
                zustand.schritt = 1
                st.rerun()
            st.error(_t(zustand, ue.T_PFLICHT))


def _code(link: Erhebungslink, zustand: Zustand) -> None:
    st.header(_t(zustand, ue.T_CODE))
    st.write(_t(zustand, ue.T_CODE_ERKLAERUNG))
    vorher = str(zustand.antworten.get("code", ""))
    with st.form("code", enter_to_submit=False):
        code = st.text_input(_t(zustand, ue.T_CODE), value=vorher, max_chars=32)
        wiederholt = st.text_input(_t(zustand, ue.T_CODE_WIEDERHOLEN), value=vorher, max_chars=32)
        spalten = st.columns(2)
        zurueck = spalten[0].form_submit_button(_t(zustand, ue.T_ZURUECK), width="stretch")
        weiter = spalten[1].form_submit_button(
            _t(zustand, ue.T_WEITER), type="primary", width="stretch"
        )
    if zurueck:
        zustand.schritt = 0
        st.rerun()
    if not weiter:
        return
    gespeichert = normalisiere_code(code, leerzeichen_entfernen=True)
    if gespeichert != normalisiere_code(wiederholt, leerzeichen_entfernen=True):
        st.error(_t(zustand, ue.T_CODE_UNGLEICH))
    elif not gespeichert or erhebung.pruefe_antworten(link, {"code": gespeichert}):
        st.error(_t(zustand, ue.T_CODE_UNGUELTIG))
    else:
        zustand.antworten["code"] = gespeichert
        zustand.schritt = 2
        st.rerun()


def _frage(feld: Feld, zustand: Zustand, welle: str) -> object:
    """One question's widget; returns its current value (None = not answered)."""
    frage = _t(zustand, feld.frage) + (" *" if erhebung.ist_pflicht(feld, welle) else "")
    alt = zustand.antworten.get(feld.name)
    if feld.werte:
        werte = list(feld.werte)
        labels = dict(zip(feld.werte, feld.labels or feld.werte, strict=False))
        index = werte.index(_als_wert(feld, alt)) if _als_wert(feld, alt) in werte else None
        gewaehlt = st.radio(
            frage,
            werte,
            index=index,
            format_func=lambda w: _t(zustand, labels[w]),
            key=f"fb_{feld.name}",
        )
        if gewaehlt is not None and feld.typ is Typ.GANZZAHL:
            return int(gewaehlt)
        if gewaehlt is not None and feld.typ is Typ.JA_NEIN:
            return gewaehlt == "ja"
        return gewaehlt
    minimum = int(feld.minimum) if feld.minimum is not None else None
    maximum = int(feld.maximum) if feld.maximum is not None else None
    hilfe = (
        _t(zustand, ue.T_ZAHL, min=minimum, max=maximum)
        if minimum is not None and maximum is not None
        else None
    )
    wert = st.number_input(
        frage,
        min_value=minimum,
        max_value=maximum,
        value=alt if isinstance(alt, int) else None,
        step=1,
        help=hilfe,
        key=f"fb_{feld.name}",
    )
    return None if wert is None else int(wert)


def _als_wert(feld: Feld, wert: object) -> str | None:
    if wert is None:
        return None
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    return str(wert)


def _block(
    db: Datenbank,
    token: str | None,
    link: Erhebungslink,
    zustand: Zustand,
    bloecke: list[tuple[str, tuple[Feld, ...]]],
) -> None:
    nummer = zustand.schritt - 2
    titel, felder = bloecke[nummer]
    letzter = nummer == len(bloecke) - 1
    st.header(_t(zustand, titel))
    if nummer == 0:
        st.caption(_t(zustand, ue.T_CODE_GESPEICHERT, code=zustand.antworten.get("code", "")))
    st.caption(_t(zustand, ue.T_FREIWILLIG))
    with st.form(f"block_{nummer}", enter_to_submit=False):
        werte = {feld.name: _frage(feld, zustand, link.welle) for feld in felder}
        spalten = st.columns(2)
        zurueck = spalten[0].form_submit_button(_t(zustand, ue.T_ZURUECK), width="stretch")
        weiter = spalten[1].form_submit_button(
            _t(zustand, ue.T_ABSENDEN if letzter else ue.T_WEITER), type="primary", width="stretch"
        )
    for name, wert in werte.items():
        if wert is None:
            zustand.antworten.pop(name, None)
        else:
            zustand.antworten[name] = wert
    if zurueck:
        zustand.schritt -= 1
        st.rerun()
    if not weiter:
        return
    fehlend = [f for f in felder if erhebung.ist_pflicht(f, link.welle) and werte[f.name] is None]
    # the last screen is checked by the submission itself (one check less under load)
    fehler = [] if letzter else erhebung.pruefe_antworten(link, zustand.antworten)
    if fehlend or fehler:
        st.error(_t(zustand, ue.T_PFLICHT if fehlend else ue.T_FEHLER))
        return
    if not letzter:
        zustand.schritt += 1
        st.rerun()
    try:
        erhebung.einreichen(db, token, zustand.antworten, sprache=zustand.sprache or "de")
    except LinkUngueltig as ungueltig:
        st.error(str(ungueltig))
        return
    except AntwortenFehlerhaft:
        st.error(_t(zustand, ue.T_FEHLER))
        return
    except EingabeFehler:
        st.error(_t(zustand, ue.T_NICHT_GESPEICHERT))
        return
    zahlen_auffrischen()
    zustand.fertig = True
    zustand.antworten = {}
    st.rerun()


#: Cached dashboard results are cleared at most this often by submissions (seconds): new
#: answers show on the goal pages within a minute, and 200 people answering at an event do
#: not make every dashboard view recompute 200 times.
AUFFRISCHEN_ALLE_S = 60.0
_zuletzt_aufgefrischt = [0.0]


def zahlen_auffrischen() -> None:
    """Clear the dashboard's cached numbers after a submission, at most once a minute."""
    if time.monotonic() - _zuletzt_aufgefrischt[0] >= AUFFRISCHEN_ALLE_S:
        _zuletzt_aufgefrischt[0] = time.monotonic()
        daten.cache_leeren()

"""A Streamlit client at protocol level for the load tests (:mod:`benchmarks.last`).

Why: with real Chromium windows on the same 2-core machine the browsers, not the server, use
most of the CPU (issue 14, item 12: "protocol level, like a real browser's websocket"). This
client speaks what the browser's JavaScript speaks – one websocket to ``/_stcore/stream``,
``BackMsg`` protobufs up, ``ForwardMsg`` protobufs down – and nothing else:

* a page run is ``rerun_script`` with the page's script hash and the widget values, exactly as
  the browser sends it for a click on a navigation link or a form button;
* it reports the ForwardMsgs it already holds (``cached_message_hashes``), as the browser does,
  so the server sends references instead of repeating large figures;
* a run ends with ``script_finished``; its time is from sending until then.

It renders nothing: the server's work (script run, figures, dataframes, serialisation) is the
same as for a browser, the browser's own drawing time is not part of the figure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

#: ``script_finished`` values that end a run (ForwardMsg.ScriptFinishedStatus).
_ENDE = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "Kompilierfehler",
    ForwardMsg.FINISHED_EARLY_FOR_RERUN: "abgebrochen",
}


#: Value for a button in :meth:`Sitzung.lauf`: "this button was clicked".
AUSLOESER = object()


@dataclass
class Element:
    """One widget or text element of the last run, as far as the load test needs it."""

    art: str
    kennung: str
    text: str
    formular: str = ""


@dataclass
class Lauf:
    """What one script run sent: its elements, pages, errors and duration."""

    dauer_s: float = 0.0
    elemente: list[Element] = field(default_factory=list)
    seiten: dict[str, str] = field(default_factory=dict)  # title → page script hash
    fehler: list[str] = field(default_factory=list)
    ende: str = ""
    bytes_empfangen: int = 0


def _element(delta_element: object) -> Element | None:
    art = delta_element.WhichOneof("type")  # type: ignore[attr-defined]
    if art is None:
        return None
    inhalt = getattr(delta_element, art)
    kennung = getattr(inhalt, "id", "") if hasattr(inhalt, "id") else ""
    text = ""
    for name in ("label", "body", "message"):
        if hasattr(inhalt, name) and isinstance(getattr(inhalt, name), str):
            text = getattr(inhalt, name)
            if text:
                break
    formular = getattr(inhalt, "form_id", "") if hasattr(inhalt, "form_id") else ""
    return Element(art=art, kennung=kennung, text=text, formular=formular)


class Sitzung:
    """One browser tab's websocket session with the dashboard."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/").replace("http://", "ws://") + "/_stcore/stream"
        self.verbindung: websockets.ClientConnection | None = None
        self.zwischenspeicher: set[str] = set()
        self.seiten: dict[str, str] = {}
        self.seite = ""
        self.letzter: Lauf | None = None

    async def oeffnen(self) -> Lauf:
        """Connect and run the start page (what opening the address in a browser does)."""
        self.verbindung = await websockets.connect(
            self.url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=60,
            ping_interval=None,  # a browser sends no websocket pings either
        )
        return await self.lauf()

    async def schliessen(self) -> None:
        if self.verbindung is not None:
            await self.verbindung.close()

    async def lauf(
        self, *, seite: str | None = None, werte: dict[str, object] | None = None
    ) -> Lauf:
        """One script run, optionally on page ``seite`` (hash), with widget values ``werte``."""
        assert self.verbindung is not None
        if seite is not None:
            self.seite = seite
        nachricht = BackMsg()
        zustand = nachricht.rerun_script
        zustand.query_string = ""
        zustand.page_script_hash = self.seite
        zustand.cached_message_hashes.extend(sorted(self.zwischenspeicher))
        for kennung, wert in (werte or {}).items():
            widget = zustand.widget_states.widgets.add()
            widget.id = kennung
            if wert is AUSLOESER:
                widget.trigger_value = True
            elif isinstance(wert, bool):
                widget.bool_value = wert
            elif isinstance(wert, int):
                widget.int_value = wert
            else:
                widget.string_value = str(wert)
        beginn = time.monotonic()
        await self.verbindung.send(nachricht.SerializeToString())
        ergebnis = Lauf()
        while True:
            roh = await self.verbindung.recv()
            ergebnis.bytes_empfangen += len(roh)
            antwort = ForwardMsg()
            antwort.ParseFromString(roh)
            if antwort.hash:
                self.zwischenspeicher.add(antwort.hash)
            art = antwort.WhichOneof("type")
            if art == "delta" and antwort.delta.WhichOneof("type") == "new_element":
                element = _element(antwort.delta.new_element)
                if element is not None:
                    ergebnis.elemente.append(element)
                    if element.art == "exception":
                        ergebnis.fehler.append("Exception: " + element.text[:100])
            elif art == "navigation":
                self.seiten = {
                    s.page_name: s.page_script_hash for s in antwort.navigation.app_pages
                }
                if not self.seite:
                    self.seite = antwort.navigation.page_script_hash
            elif art == "page_not_found":
                ergebnis.fehler.append("Seite nicht gefunden")
            elif art == "script_finished":
                ergebnis.ende = _ENDE.get(antwort.script_finished, str(antwort.script_finished))
                if ergebnis.ende != "abgebrochen":
                    break
        ergebnis.dauer_s = time.monotonic() - beginn
        ergebnis.seiten = dict(self.seiten)
        self.letzter = ergebnis
        return ergebnis

    def kennung(self, art: str, text: str) -> str:
        """The widget id of the last run's element of ``art`` labelled ``text``."""
        assert self.letzter is not None
        for element in self.letzter.elemente:
            if element.art == art and element.text == text:
                return element.kennung
        raise LookupError(f"kein {art} „{text}“ im letzten Lauf")

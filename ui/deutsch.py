"""German throughout: ``lang="de"``, Streamlit's own English texts replaced, print and mobile CSS.

Why a script: Streamlit has no interface language. Its frontend writes English texts of its own
("Upload", "50MB per file", "Select all", "No results", "Download as CSV", the plotly toolbar,
"Skip to main content", …) and serves ``<html lang="en">``, which makes screen readers speak
German text with English rules. The parts we control (labels, placeholders, our own tables) are
German in Python; for the rest :func:`einrichten` installs one small script in the page (once
per browser tab) that sets ``lang="de"`` and replaces exactly the known English texts — visible
text, tooltips (``title``/``data-title``), ``aria-label`` and ``placeholder`` — whenever
Streamlit draws them. The list :data:`UEBERSETZUNGEN` is also what the browser test looks for,
so a Streamlit update that brings a new English text fails a test instead of reaching users.

The CSS next to it: a print stylesheet (no sidebar, no toolbars, charts and tables not cut) and
darker captions (Streamlit's grey #808495 on white is 3.7:1, below WCAG AA 4.5:1).
"""

from __future__ import annotations

import json

import streamlit as st

#: Streamlit's English default texts (exact, after trimming) → German.
UEBERSETZUNGEN: dict[str, str] = {
    "Skip to main content": "Zum Inhalt springen",
    "Page not found": "Seite nicht gefunden",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "Die aufgerufene Seite gibt es nicht. Die Startseite wird angezeigt."
    ),
    "View less": "Weniger anzeigen",
    "Select all": "Alle auswählen",
    "No results": "Keine Treffer",
    "No options to select": "Keine Auswahl möglich",
    "Clear all": "Alle entfernen",
    "Clear": "Leeren",
    "Choose an option": "Bitte wählen",
    "Choose options": "Bitte wählen",
    "Upload": "Hochladen",
    "Browse files": "Dateien auswählen",
    "Drag and drop files here": "Dateien hierher ziehen",
    "Drag and drop file here": "Datei hierher ziehen",
    "Remove file": "Datei entfernen",
    "Download as CSV": "Als CSV herunterladen",
    "Download as PNG": "Als PNG herunterladen",
    "Search": "Suchen",
    "Fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild schließen",
    "Exit fullscreen": "Vollbild beenden",
    "Show/hide columns": "Spalten ein-/ausblenden",
    "Show data": "Daten anzeigen",
    "Copy to clipboard": "In die Zwischenablage kopieren",
    "Copy column name": "Spaltennamen kopieren",
    "Sort ascending": "Aufsteigend sortieren",
    "Sort descending": "Absteigend sortieren",
    "Autosize": "Breite anpassen",
    "Pin column": "Spalte fixieren",
    "Unpin column": "Spalte lösen",
    "Hide column": "Spalte ausblenden",
    "Format": "Format",
    "Running...": "Läuft …",
    "Stop": "Anhalten",
    "Rerun": "Neu laden",
    "Loading...": "Lädt …",
    "Please wait...": "Bitte warten …",
    "Connecting": "Verbinde …",
    "Press Enter to apply": "Mit Eingabetaste übernehmen",
    "Press Enter to submit form": "Mit Eingabetaste absenden",
    "Show password": "Passwort anzeigen",
    "Hide password": "Passwort verbergen",
    "Open sidebar": "Seitenleiste öffnen",
    "Close sidebar": "Seitenleiste schließen",
    "Expand sidebar": "Seitenleiste ausklappen",
    "Collapse sidebar": "Seitenleiste einklappen",
    "Main menu": "Hauptmenü",
    "Print": "Drucken",
    "Settings": "Einstellungen",
    "About": "Über",
    "Close": "Schließen",
    "Previous month.": "Vorheriger Monat",
    "Next month.": "Nächster Monat",
    "Select a date.": "Datum wählen",
    # plotly's toolbar (``data-title`` tooltips)
    "Download plot as a PNG": "Diagramm als PNG herunterladen",
    "Download plot": "Diagramm herunterladen",
    "Zoom": "Zoomen",
    "Pan": "Verschieben",
    "Box Select": "Rechteck auswählen",
    "Lasso Select": "Lasso-Auswahl",
    "Zoom in": "Vergrößern",
    "Zoom out": "Verkleinern",
    "Autoscale": "Automatisch skalieren",
    "Reset axes": "Achsen zurücksetzen",
    "Reset view": "Ansicht zurücksetzen",
    "Toggle Spike Lines": "Hilfslinien ein/aus",
    "Show closest data on hover": "Nächsten Wert zeigen",
    "Compare data on hover": "Werte vergleichen",
    "Produced with Plotly.js": "Erstellt mit Plotly.js",
    "Double-click to zoom back out": "Doppelklick zoomt zurück",
    "Click to enter Colorscale title": "",
    "Click to enter Plot title": "",
    "DD.MM.YYYY": "TT.MM.JJJJ",
    "dd.mm.yyyy": "tt.mm.jjjj",
    "YYYY/MM/DD": "JJJJ/MM/TT",
}

#: English texts with a number in them: regular expression → German replacement (JS syntax).
MUSTER: dict[str, str] = {
    r"^View (\d+) more$": "$1 weitere anzeigen",
    r"^Select (\d+) matches$": "$1 Treffer auswählen",
    r"^Add: (.*)$": "Hinzufügen: $1",
    r"^(\d+)\s?MB per file(.*)$": "höchstens $1 MB je Datei$2",
    r"^You can only select up to (\d+) options?\. Remove an option first\.$": (
        "Höchstens $1 auswählbar. Bitte erst eine Auswahl entfernen."
    ),
}

#: Visible English texts the browser test refuses on any page (the list above, plus words
#: that show a missing value or an untranslated default).
VERBOTENE_TEXTE: tuple[str, ...] = (
    *(text for text in UEBERSETZUNGEN if text not in {"Format", "Zoom", "Pan", "Stop"}),
    "View 1 more",
    "more",
    "per file",
    "Page not found",
    "None",
    "null",
    "NaN",
    "nan %",
)

_SKRIPT = r"""
(function () {
  var w = window.parent || window;
  var doc = w.document;
  doc.documentElement.setAttribute('lang', 'de');
  if (w.__wmDeutsch) { w.__wmDeutsch(doc.body); return; }
  var texte = __TEXTE__;
  var muster = Object.entries(__MUSTER__).map(function (e) { return [new RegExp(e[0]), e[1]]; });
  var attribute = ['title', 'aria-label', 'placeholder', 'data-title', 'alt'];
  var teil = '[dDmMyY]{2}[./-][dDmMyY]{2}[./-][dDmMyY]{2,4}';
  var datumsmaske = new RegExp('^' + teil + '(\\s*[–-]\\s*' + teil + ')?$');
  function deutsch(text) {
    var kern = text.trim();
    if (!kern) { return null; }
    if (datumsmaske.test(kern)) {
      // date placeholders: dd.mm.yyyy → TT.MM.JJJJ (also ranges "… – …")
      return text.replace(kern, kern.replace(/[dD]/g, 'T').replace(/[mM]/g, 'M')
        .replace(/[yY]/g, 'J'));
    }
    if (Object.prototype.hasOwnProperty.call(texte, kern)) {
      return text.replace(kern, texte[kern]);
    }
    for (var i = 0; i < muster.length; i++) {
      if (muster[i][0].test(kern)) {
        return text.replace(kern, kern.replace(muster[i][0], muster[i][1]));
      }
    }
    return null;
  }
  function knoten(n) {
    if (n.nodeType === 3) {
      var p = n.parentElement;
      if (p && p.closest('[data-testid="stIconMaterial"], code, pre, textarea')) { return; }
      var neu = deutsch(n.nodeValue);
      if (neu !== null && neu !== n.nodeValue) { n.nodeValue = neu; }
      return;
    }
    if (n.nodeType !== 1) { return; }
    for (var a = 0; a < attribute.length; a++) {
      var wert = n.getAttribute(attribute[a]);
      if (wert) {
        var uebersetzt = deutsch(wert);
        if (uebersetzt !== null && uebersetzt !== wert) {
          n.setAttribute(attribute[a], uebersetzt);
        }
      }
    }
  }
  function alles(wurzel) {
    if (!wurzel) { return; }
    knoten(wurzel);
    var gang = doc.createTreeWalker(wurzel, 5);
    while (gang.nextNode()) { knoten(gang.currentNode); }
  }
  w.__wmDeutsch = alles;
  alles(doc.body);
  new w.MutationObserver(function (liste) {
    if (doc.documentElement.getAttribute('lang') !== 'de') {
      doc.documentElement.setAttribute('lang', 'de');
    }
    liste.forEach(function (m) {
      if (m.type === 'characterData') { knoten(m.target); }
      else if (m.type === 'attributes') { knoten(m.target); }
      else { m.addedNodes.forEach(alles); }
    });
  }).observe(doc.documentElement, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: attribute.concat(['lang'])
  });
})();
"""

#: Print: only the content, in full. Screen: darker secondary text (≥ 4.5:1 on white and on the
#: light sidebar), no plotly logo.
_CSS = """
<style>
[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] p,
[data-testid="stMetricLabel"], .stCaption { color: #4A4D57 !important; }
.modebar-btn--logo { display: none !important; }
/* Text alternatives of charts: read by screen readers, not shown (and no gap in the layout). */
.wm-sr { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; margin: 0; }
[data-testid="stElementContainer"]:has(.wm-sr) { position: absolute !important; width: 1px;
  height: 1px; overflow: hidden; }
[class*="st-key-wm_schmal"] { display: none !important; }
@media (max-width: 640px) {
  [class*="st-key-wm_breit"] { display: none !important; }
  [class*="st-key-wm_schmal"] { display: flex !important; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
  .js-plotly-plot .modebar-container { display: none !important; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stElementToolbar"], .modebar-container,
  [data-testid="stDownloadButton"], [data-testid="stBaseButton-secondary"],
  [data-testid="stFileUploader"], iframe[height="0"], .wm-nicht-drucken,
  [role="dialog"], [data-baseweb="modal"] {
    display: none !important;
  }
  [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] {
    margin: 0 !important; padding: 0 !important; max-width: 100% !important;
    overflow: visible !important; height: auto !important;
  }
  /* Charts keep the width they were drawn with on screen (plotly does not re-draw for
     print): the page is laid out as on a wide screen and scaled onto A4 instead. */
  [data-testid="stMainBlockContainer"] { zoom: 0.6; }
  [data-testid="stAppScrollToBottomContainer"], [data-testid="stApp"] {
    overflow: visible !important; height: auto !important; position: static !important;
  }
  [data-testid="stPlotlyChart"], [data-testid="stVegaLiteChart"], [data-testid="stImage"],
  [data-testid="stMetric"], [data-testid="stAlert"], [data-testid="stTable"] tr,
  [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; page-break-inside: avoid; }
  [data-testid="stTable"] table { width: 100% !important; table-layout: auto; }
  [data-testid="stTable"] td, [data-testid="stTable"] th { white-space: normal !important;
    word-break: break-word; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  [data-testid="stExpanderDetails"] { display: block !important; }
}
</style>
"""


def skript() -> str:
    """The translation script with its word lists filled in (also run by the browser test)."""
    return _SKRIPT.replace("__TEXTE__", json.dumps(UEBERSETZUNGEN, ensure_ascii=False)).replace(
        "__MUSTER__", json.dumps(MUSTER, ensure_ascii=False)
    )


def einrichten() -> None:
    """Install the CSS and the translation script on this run (first thing in ``dashboard.py``).

    Cheap on every run: the script returns at once when the browser tab already has it, and
    then only rescans the page.
    """
    st.html(_CSS)
    st.html(f"<script>{skript()}</script>", unsafe_allow_javascript=True)

"""Ziel c – Partizipation: status, Wirkungstreppe and every indicator of the goal in detail.

Thin page: the rendering is shared by all three goals in :mod:`ui.zielseite`.
"""

from indikatoren.definitionen import Ziel
from ui.zielseite import zeige_ziel

zeige_ziel(Ziel.C)

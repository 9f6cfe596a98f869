"""The notes on the answers a tab shows, under the tab's content (nothing when there are none)."""

from __future__ import annotations

from textual.widget import Widget

from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.notes import NoteLine
from tui.widgets.text import LazyPane, heading, para


class NotesBox(LazyPane):
    def __init__(self, lines: list[NoteLine], texts: Texts, tab: str) -> None:
        super().__init__(id=f"{tab}-notes")
        self.lines = lines
        self.texts = texts

    def build(self) -> list[Widget]:
        # Nothing at all (not even an empty line) when no one has written a note here.
        self.display = bool(self.lines)
        if not self.lines:
            return []
        out: list[Widget] = [heading(self.texts(s.NOTES_HEADING))]
        for line in self.lines:
            out.append(para(f"✎ {line.item} — {line.byline}", "muted"))
            out.append(para(line.text, "words"))
        return out

"""Overview: participants (role, language, channel, consent), what is due, a timeline."""

from __future__ import annotations

from textual.widget import Widget

from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.overview import OverviewView
from tui.widgets.text import LazyPane, bullets, heading, para

MAX_EVENTS = 40


class OverviewPane(LazyPane):
    def __init__(self, view: OverviewView, texts: Texts) -> None:
        super().__init__(id="overview-pane")
        self.view = view
        self.texts = texts

    def build(self) -> list[Widget]:
        view, texts = self.view, self.texts
        people = bullets(
            f"{p.name} · {p.role} · {p.language} · {p.channel} · {p.consent}"
            for p in view.participants
        )
        events = [f"{e.when}  {e.text}" for e in view.timeline[:MAX_EVENTS]]
        return [
            para(view.next_meeting, "lead"),
            heading(texts(s.OV_PARTICIPANTS)),
            people,
            heading(texts(s.OV_DUE)),
            bullets(view.due),
            heading(texts(s.OV_TIMELINE)),
            para("\n".join(events) or texts(s.NOTHING_YET)),
        ]

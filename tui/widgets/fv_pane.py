"""Familieveiledning: «før neste møte», the weekly usefulness trend, check-ins week by week."""

from __future__ import annotations

from textual.widget import Widget

from tui import strings as s
from tui.action_texts import B_COURSES as COURSE_HEADING
from tui.i18n import Texts
from tui.viewmodels.fv import AssignmentLine, FvView, checkin_text
from tui.widgets.text import LazyPane, heading, muted, para


def assignment_text(line: AssignmentLine, texts: Texts) -> str:
    """The assignment, its check-in's state in words, and the answers that came back."""
    lines = [line.heading, f"  {line.text}", f"  → {line.status}"]
    if line.answers is not None:
        lines += checkin_text(line.answers, texts).splitlines()[2:]
    return "\n".join(lines)


class FvPane(LazyPane):
    def __init__(self, view: FvView, texts: Texts) -> None:
        super().__init__(id="fv-pane")
        self.view = view
        self.texts = texts

    def build(self) -> list[Widget]:
        t, view = self.texts, self.view
        if not view.checkins and not view.weeks and not view.assignments and not view.courses:
            return [muted(t(s.NOTHING_YET))]
        out: list[Widget] = []
        if view.courses:
            out.append(heading(t(COURSE_HEADING)))
            out += [para(text) for text in view.courses]
        if view.assignments:
            out.append(heading(t(s.FV_BEFORE_MEETING)))
            out += [para(assignment_text(x, t), "words") for x in view.assignments]
        elif view.checkins:
            out += [
                heading(t(s.FV_BEFORE_MEETING)),
                para(checkin_text(view.checkins[0], t), "words"),
            ]
        out.append(heading(t(s.FV_TREND)))
        if view.weeks:
            numbers = "  ".join(f"{w.week}: {w.mean:.1f}" for w in view.weeks)
            out += [para(view.spark, "spark"), para(numbers)]
        else:
            out.append(muted(t(s.FV_NO_WEEKLY)))
        if view.checkins:
            out.append(heading(t(s.FV_CHECKINS)))
            out += [para(checkin_text(c, t), "words") for c in view.checkins]
        return out

"""Evaluering: the three questions with the answers in the person's words, and the decision."""

from __future__ import annotations

from textual.widget import Widget

from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.evaluation import EvaluationView
from tui.widgets.text import LazyPane, heading, muted, para


class EvaluationPane(LazyPane):
    def __init__(self, views: list[EvaluationView], texts: Texts) -> None:
        super().__init__(id="evaluation-pane")
        self.views = views
        self.texts = texts

    def build(self) -> list[Widget]:
        t = self.texts
        if not self.views:
            return [muted(t(s.NOTHING_YET))]
        out: list[Widget] = []
        for view in self.views:
            title = f"{view.name} · {view.when}" + (f" · {view.measure}" if view.measure else "")
            out.append(heading(title))
            for question, answer in view.answers:
                out.append(para(question, "subheading"))
                out.append(para(f"«{answer}»" if answer else "–", "words"))
            out.append(para(f"{t(s.EVAL_DECISION)}: {view.decision}", "lead"))
            if view.note:
                out.append(para(f"{t(s.EVAL_NOTE)}: «{view.note}»"))
        return out

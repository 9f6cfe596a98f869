"""Evaluering: the answers to the three questions (verbatim) and the recorded decision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from companion.access import Audience, field_visible
from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile

DECISIONS = {
    "ended": s.DEC_ENDED,
    "continue_as_is": s.DEC_AS_IS,
    "continue_adjusted": s.DEC_ADJUSTED,
    "goals_changed": s.DEC_GOALS,
    "other_measures": s.DEC_OTHER,
}
QUESTIONS = (
    ("goal_reached", s.EVAL_GOAL),
    ("implemented", s.EVAL_IMPLEMENTED),
    ("way_forward", s.EVAL_WAY_FORWARD),
)


@dataclass(frozen=True)
class EvaluationView:
    name: str
    when: str
    measure: str
    answers: tuple[tuple[str, str], ...]
    """(question, answer in the person's words)."""
    decision: str
    note: str


def evaluation_view(
    data: Mapping[str, Any],
    params: Mapping[str, Any],
    name: str,
    when: str,
    a: Audience,
    texts: Texts,
) -> EvaluationView:
    def text(field: str) -> str:
        value = data.get(field)
        return str(value) if value is not None and field_visible(data, field, a) else ""

    decision = data.get("decision")
    return EvaluationView(
        name=name,
        when=when,
        measure=str(params.get("measure") or ""),
        answers=tuple((texts(q), text(f)) for f, q in QUESTIONS),
        decision=texts(DECISIONS[decision])
        if decision in DECISIONS and field_visible(data, "decision", a)
        else texts(s.EVAL_NO_DECISION),
        note=text("note"),
    )


def evaluation_views(case_file: CaseFile, texts: Texts) -> list[EvaluationView]:
    views = []
    for person in case_file.people:
        params = {session.id: session.params for session in person.sessions}
        for result in reversed(person.all_of("evaluation")):
            views.append(
                evaluation_view(
                    result.data,
                    params.get(result.session_id, {}),
                    person.name,
                    texts.date(result.updated_at),
                    case_file.audience,
                    texts,
                )
            )
    return views

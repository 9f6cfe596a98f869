"""A tiltaksplan draft as Markdown and as a self-contained HTML page."""

from __future__ import annotations

import html

from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.plan import Delmal, Plan

_DELMAL_LABELS = (
    ("tiltak", s.PLAN_TILTAK),
    ("hvem_ma_inn", s.PLAN_HVEM),
    ("bv_oppgaver", s.PLAN_BV),
    ("ungdommens_oppgaver", s.PLAN_UNGDOM),
    ("tidspunkt_for_evaluering", s.PLAN_EVALUERING),
)
DELMAL_LABELS = _DELMAL_LABELS
"""A Delmål's fields and their labels, in the form's order (also used by the case report)."""


def _delmal_md(delmal: Delmal, n: int, texts: Texts) -> list[str]:
    lines = [f"#### {texts(s.PLAN_DELMAL_N, n=n)}: {delmal.text}", ""]
    lines += [f"- **{texts(label)}:** {getattr(delmal, name)}" for name, label in _DELMAL_LABELS]
    return [*lines, ""]


def to_markdown(plan: Plan, name: str, texts: Texts, note: str = "") -> str:
    """The plan as Markdown, one section per filled Hovedmål."""
    lines = [f"# {texts(s.PLAN_FOR, name=name)}", "", f"_{texts(s.PLAN_DRAFT_NOTE)}_", ""]
    if note:
        lines += [note, ""]
    for n, goal in enumerate(plan.filled(), 1):
        lines += [f"## {texts(s.PLAN_HOVEDMAL_N, n=n)}: {goal.text}", ""]
        lines += [f"- **{texts(s.PLAN_VARIGHET)}:** {goal.varighet}"]
        if goal.theme:
            lines += [f"- {texts(s.PLAN_THEME_HINT, theme=goal.theme)}"]
        lines.append("")
        for m, delmal in enumerate((d for d in goal.delmal if not d.empty), 1):
            lines += _delmal_md(delmal, m, texts)
    return "\n".join(lines).rstrip() + "\n"


_STYLE = (
    "body{font-family:sans-serif;max-width:50rem;margin:2rem auto;line-height:1.4}"
    "table{border-collapse:collapse;width:100%;margin-bottom:1rem}"
    "th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#eee;width:30%}"
)


def _row(label: str, value: str) -> str:
    return f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"


def to_html(plan: Plan, name: str, texts: Texts, note: str = "") -> str:
    """The plan as one HTML page (no scripts, no external files); every value is escaped."""
    title = html.escape(texts(s.PLAN_FOR, name=name))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(texts.locale)}"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        f"<p><em>{html.escape(texts(s.PLAN_DRAFT_NOTE))}</em></p>",
    ]
    if note:
        parts.append(f"<p>{html.escape(note)}</p>")
    for n, goal in enumerate(plan.filled(), 1):
        parts.append(
            f"<h2>{html.escape(texts(s.PLAN_HOVEDMAL_N, n=n))}: {html.escape(goal.text)}</h2>"
        )
        parts.append("<table>" + _row(texts(s.PLAN_VARIGHET), goal.varighet) + "</table>")
        for m, delmal in enumerate((d for d in goal.delmal if not d.empty), 1):
            head = f"{texts(s.PLAN_DELMAL_N, n=m)}: {delmal.text}"
            rows = "".join(_row(texts(label), getattr(delmal, f)) for f, label in _DELMAL_LABELS)
            parts.append(f"<h3>{html.escape(head)}</h3><table>{rows}</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"

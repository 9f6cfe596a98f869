"""A case report for a meeting or the file: Markdown and one self-contained HTML page.

Built only from the view-models the tabs use, so it shows exactly what the viewer may see:
each field follows the participant's own choice for the audience (``field_visible``), and a
hidden field is named as hidden, never printed. The network map is embedded (SVG in the HTML
page, PNG as a data URI in the Markdown), so each file stands alone. Exports are audited.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from companion.access import CaseGuard
from companion.accounts import Viewer
from companion.network_map import map_labels
from companion.network_map.png import render_png
from companion.network_map.svg import render_svg
from companion.services import Services
from companion.staff import StaffCases
from tui import strings as s
from tui.data import TuiData
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile, CaseFiles
from tui.viewmodels.evaluation import evaluation_views
from tui.viewmodels.fv import assignments_of, checkin_text, fv_view
from tui.viewmodels.hevd import hevd_views
from tui.viewmodels.houses import houses_views
from tui.viewmodels.network import network_views
from tui.viewmodels.overview import overview
from tui.viewmodels.plan_editor import PlanEditor, slug
from tui.viewmodels.plan_export import DELMAL_LABELS

Kind = Literal["h2", "h3", "p", "muted", "list", "picture"]


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str = ""
    items: tuple[str, ...] = ()
    svg: str = ""
    png: bytes = b""


@dataclass(frozen=True)
class Report:
    title: str
    made: str
    blocks: tuple[Block, ...]


def _quoted(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(f"«{w}»" for w in words)


def _overview(case_file: CaseFile, services: Services, t: Texts) -> list[Block]:
    view = overview(case_file, services.content.flows, t)
    out = [Block("h2", t(s.TAB_OVERVIEW))]
    if view.next_meeting:
        out.append(Block("p", view.next_meeting))
    out.append(Block("h3", t(s.OV_PARTICIPANTS)))
    out.append(
        Block(
            "list",
            items=tuple(
                " · ".join(x for x in (p.name, p.role, p.language, p.channel, p.consent) if x)
                for p in view.participants
            ),
        )
    )
    if view.due:
        out += [Block("h3", t(s.OV_DUE)), Block("list", items=view.due)]
    return out


def _hevd(case_file: CaseFile, t: Texts) -> list[Block]:
    out = [Block("h2", t(s.TAB_HEVD))]
    views = hevd_views(case_file)
    if not views:
        out.append(Block("muted", t(s.NOTHING_YET)))
    for view in views:
        hidden = Block("muted", t(s.HIDDEN, name=view.name))
        out += [Block("h3", view.name), Block("p", t(s.HEVD_THEMES))]
        out.append(
            hidden
            if view.themes is None
            else Block("list", items=_quoted(x[0] for x in view.themes))
        )
        out.append(Block("p", t(s.HEVD_TOP)))
        if view.top is None:
            out.append(hidden)
        else:
            out.append(
                Block(
                    "list",
                    items=tuple(
                        f"«{top.text}»: {' → '.join(str(r) for r in top.ratings) or t(s.HEVD_NO_RATING)}"
                        for top in view.top
                    ),
                )
            )
        out.append(Block("p", t(s.HEVD_NOT_WANTED)))
        out.append(
            hidden if view.not_wanted is None else Block("list", items=_quoted(view.not_wanted))
        )
    return out


def _plan(
    services: Services, data: TuiData, viewer: Viewer, case_file: CaseFile, t: Texts
) -> list[Block]:
    out = [Block("h2", t(s.TAB_PLAN))]
    editor = PlanEditor(services, data.plans, viewer, case_file, t)
    if editor.person is None:
        return [*out, Block("muted", t(s.PLAN_NO_YOUTH))]
    if not editor.editable:
        return [*out, Block("muted", t(s.PLAN_OWNER_ONLY))]
    plan = editor.load().plan
    goals = plan.filled()
    if not goals:
        out.append(Block("muted", t(s.NOTHING_YET)))
    for n, goal in enumerate(goals, 1):
        out.append(Block("h3", f"{t(s.PLAN_HOVEDMAL_N, n=n)}: {goal.text}"))
        out.append(Block("p", f"{t(s.PLAN_VARIGHET)}: {goal.varighet}"))
        for m, delmal in enumerate((d for d in goal.delmal if not d.empty), 1):
            out.append(Block("p", f"{t(s.PLAN_DELMAL_N, n=m)}: {delmal.text}"))
            out.append(
                Block(
                    "list",
                    items=tuple(
                        f"{t(label)}: {getattr(delmal, name)}" for name, label in DELMAL_LABELS
                    ),
                )
            )
    return out


def _network(case_file: CaseFile, t: Texts) -> list[Block]:
    out = [Block("h2", t(s.TAB_NETWORK))]
    views = network_views(case_file, t.localizer, t.locale)
    if not views:
        out.append(Block("muted", t(s.NET_NONE)))
    for view in views:
        out.append(Block("h3", view.name))
        if view.people is None:
            out.append(Block("muted", t(s.HIDDEN, name=view.name)))
            continue
        if view.people:
            labels = map_labels(t.localizer, t.locale, "family" if view.family else "youth")
            out.append(
                Block(
                    "picture",
                    t(s.TAB_NETWORK),
                    svg=render_svg(view.people, labels),
                    png=render_png(view.people, labels, size=800),
                )
            )
        out.append(Block("p", t(s.NET_LIST)))
        out.append(
            Block(
                "list",
                items=tuple(f"{p.name} – {p.category}, {p.ring}, {p.quality}" for p in view.lines),
            )
        )
        if view.could_help:
            out += [Block("p", t(s.NET_COULD_HELP)), Block("list", items=(f"«{view.could_help}»",))]
        if view.more_contact:
            out += [Block("p", t(s.NET_MORE_CONTACT)), Block("list", items=view.more_contact)]
    return out


def _houses(case_file: CaseFile, t: Texts) -> list[Block]:
    out = [Block("h2", t(s.TAB_HOUSES))]
    views = houses_views(case_file, t)
    if not views:
        out.append(Block("muted", t(s.NOTHING_YET)))
    for view in views:
        out.append(Block("h3", f"{view.name} – {view.heading}"))
        for house in view.houses:
            out.append(Block("p", house.title))
            if house.words is None:
                out.append(Block("muted", t(s.HIDDEN, name=view.name)))
                continue
            out.append(Block("list", items=_quoted(house.words) or (t(s.HOUSE_EMPTY),)))
            out.append(Block("muted", " · ".join(x for x in (house.how, house.who) if x)))
        if view.change_rating is not None:
            out.append(Block("p", t(s.HOUSE_RATING, value=view.change_rating)))
        if view.changed:
            out += [Block("p", t(s.HOUSE_CHANGED)), Block("list", items=_quoted(view.changed))]
    return out


def _fv(services: Services, case_file: CaseFile, t: Texts) -> list[Block]:
    out = [Block("h2", t(s.TAB_FV))]
    view = fv_view(case_file, t, assignments_of(services, case_file))
    if view.courses:
        out.append(Block("list", items=view.courses))
    if view.spark:
        out.append(Block("p", view.spark))
    if not view.checkins and not view.courses:
        out.append(Block("muted", t(s.NOTHING_YET)))
    for checkin in view.checkins:
        lines = (line.strip() for line in checkin_text(checkin, t).splitlines())
        out.append(Block("list", items=tuple(line for line in lines if line)))
    return out


def _evaluation(case_file: CaseFile, t: Texts) -> list[Block]:
    out = [Block("h2", t(s.TAB_EVALUATION))]
    views = evaluation_views(case_file, t)
    if not views:
        out.append(Block("muted", t(s.NOTHING_YET)))
    for view in views:
        out.append(Block("h3", f"{view.name} – {view.when}"))
        if view.measure:
            out.append(Block("p", view.measure))
        out.append(
            Block("list", items=tuple(f"{q}: «{a}»" if a else f"{q}: –" for q, a in view.answers))
        )
        out.append(Block("p", f"{t(s.EVAL_DECISION)}: {view.decision}"))
        if view.note:
            out.append(Block("p", f"{t(s.EVAL_NOTE)}: «{view.note}»"))
    return out


def build_report(
    services: Services, data: TuiData, viewer: Viewer, case_file: CaseFile, texts: Texts
) -> Report:
    """Every tab's content as this viewer sees it, in the tabs' order."""
    t = texts
    blocks = [
        *_overview(case_file, services, t),
        *_hevd(case_file, t),
        *_plan(services, data, viewer, case_file, t),
        *_network(case_file, t),
        *_houses(case_file, t),
        *_fv(services, case_file, t),
        *_evaluation(case_file, t),
    ]
    made = t(
        s.REPORT_MADE,
        when=t.datetime(services.clock.now()),
        who=viewer.display_name,
    )
    return Report(t(s.REPORT_TITLE, title=case_file.case.title), made, tuple(blocks))


def _md_escape(text: str) -> str:
    # Participants' words are text, never Markdown: a leading «#» or «-» stays a character.
    return "".join(f"\\{c}" if c in "\\`*_[]<>#|" else c for c in text)


def to_markdown(report: Report) -> str:
    lines = [f"# {_md_escape(report.title)}", "", f"_{_md_escape(report.made)}_", ""]
    for block in report.blocks:
        if block.kind == "h2":
            lines += [f"## {_md_escape(block.text)}", ""]
        elif block.kind == "h3":
            lines += [f"### {_md_escape(block.text)}", ""]
        elif block.kind == "list":
            lines += [*(f"- {_md_escape(item)}" for item in block.items), ""]
        elif block.kind == "picture":
            data = base64.b64encode(block.png).decode("ascii")
            lines += [f"![{_md_escape(block.text)}](data:image/png;base64,{data})", ""]
        elif block.kind == "muted":
            lines += [f"_{_md_escape(block.text)}_", ""]
        else:
            lines += [_md_escape(block.text), ""]
    return "\n".join(lines).rstrip() + "\n"


_STYLE = (
    "body{font-family:sans-serif;max-width:50rem;margin:2rem auto;line-height:1.4}"
    ".muted{color:#555;font-style:italic}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}"
)


def to_html(report: Report, locale: str) -> str:
    """One page, no scripts and no external files; every text is escaped."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(locale)}"><head><meta charset="utf-8">',
        f"<title>{e(report.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(report.title)}</h1>",
        f'<p class="muted">{e(report.made)}</p>',
    ]
    for block in report.blocks:
        if block.kind in ("h2", "h3"):
            parts.append(f"<{block.kind}>{e(block.text)}</{block.kind}>")
        elif block.kind == "list":
            parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in block.items) + "</ul>")
        elif block.kind == "picture":
            svg = block.svg[block.svg.find("<svg") :]  # drop the XML prolog inside HTML
            parts.append(f'<figure role="img" aria-label="{e(block.text)}">{svg}</figure>')
        elif block.kind == "muted":
            parts.append(f'<p class="muted">{e(block.text)}</p>')
        else:
            parts.append(f"<p>{e(block.text)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def export_case_report(
    services: Services,
    data: TuiData,
    viewer: Viewer,
    case_id: str,
    texts: Texts,
    directory: Path,
) -> list[Path]:
    """Write ``sak-….md`` and ``sak-….html``; ``AccessDenied`` unless the viewer may open it."""
    case = CaseGuard(services.directory, services.audit, viewer).case(case_id)
    case_file = CaseFiles(services, data, viewer).load(case)
    report = build_report(services, data, viewer, case_file, texts)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = services.clock.now().strftime("%Y%m%d-%H%M")
    base = directory / f"sak-{slug(case.title)}-{stamp}"
    markdown, page = base.with_suffix(".md"), base.with_suffix(".html")
    markdown.write_text(to_markdown(report), encoding="utf-8")
    page.write_text(to_html(report, texts.locale), encoding="utf-8")
    StaffCases(services, viewer).record_export(case.id, "report", 2)
    return [markdown, page]

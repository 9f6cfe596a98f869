"""Samtaler: every conversation as question → answer lines with times; voice marked 🎤.

The stored answers are the record (what was accepted, when, how); the questions are read back
from the flow definitions. Raw conversations are for the case's kontaktperson only: they hold
words a participant may have kept from everyone else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from companion.flows import Flow, Session
from companion.flows.ports import Localizer
from companion.ports import ConversationStore, Flag, StoredAnswer
from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
STATUS = {
    "waiting": s.STATUS_WAITING,
    "paused": s.STATUS_PAUSED,
    "completed": s.STATUS_COMPLETED,
    "stopped": s.STATUS_STOPPED,
    "expired": s.STATUS_EXPIRED,
    "failed": s.STATUS_FAILED,
}


@dataclass(frozen=True)
class Line:
    at: str
    question: str
    answer: str
    mark: str
    """``🎤 tale, sikkerhet 0.82`` for voice, ``(hoppet over)`` … or empty."""


@dataclass(frozen=True)
class Conversation:
    session_id: str
    heading: str
    lines: tuple[Line, ...]


def flow_title(flows: Mapping[str, Flow], flow_id: str, localizer: Localizer, locale: str) -> str:
    flow = flows.get(flow_id)
    return localizer.text(locale, f"{flow_id}::title", flow.title) if flow else flow_id


def _node(node_id: str | None) -> str | None:
    """A stored node id without the item suffix a collect adds (``ask_themes#2``)."""
    return None if node_id is None else node_id.split("#", 1)[0]


def _question(flow: Flow | None, node_id: str | None, localizer: Localizer, locale: str) -> str:
    node_id = _node(node_id)
    if flow is None or node_id is None or not flow.has_node(node_id):
        return node_id or ""
    node = flow.node(node_id)
    prop = "prompt" if getattr(node, "prompt", None) else "text"
    source = getattr(node, prop, None) or node_id
    text = localizer.text(locale, f"{flow.id}:{node_id}:{prop}", source)
    return _PLACEHOLDER.sub("…", text).replace("\n", " ").strip()


def _label(
    flow: Flow | None, node_id: str | None, value: str, localizer: Localizer, locale: str
) -> str:
    node_id = _node(node_id)
    if flow is None or node_id is None or not flow.has_node(node_id):
        return value
    for option in getattr(flow.node(node_id), "options", ()) or ():
        if option.value == value:
            return localizer.text(locale, f"{flow.id}:{node_id}:options.{value}", option.label)
    return value


def answer_text(
    value: Any, flow: Flow | None, node_id: str | None, localizer: Localizer, locale: str
) -> str:
    if isinstance(value, dict):
        return str(value.get("text", value.get("value", "")))
    if isinstance(value, list):
        return ", ".join(answer_text(v, flow, node_id, localizer, locale) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nei"
    return _label(flow, node_id, "" if value is None else str(value), localizer, locale)


def _mark(answer: StoredAnswer, texts: Texts) -> str:
    if answer.source == "voice":
        if answer.confidence is None:
            return texts(s.TR_VOICE_PLAIN)
        return texts(s.TR_VOICE, confidence=f"{answer.confidence:.2f}")
    return texts(s.TR_SKIPPED) if answer.source == "skipped" else ""


def conversation(
    session: Session,
    answers: list[StoredAnswer],
    name: str,
    flows: Mapping[str, Flow],
    texts: Texts,
    flags: Sequence[Flag] = (),
) -> Conversation:
    loc, locale = texts.localizer, texts.locale
    status = texts(STATUS[session.status]) if session.status in STATUS else session.status
    heading = texts(
        s.TR_SESSION,
        flow=flow_title(flows, session.flow_id, loc, locale),
        name=name,
        when=texts.datetime(session.created_at),
        status=status,
    )
    lines = []
    for answer in answers:
        flow = flows.get(answer.flow_id)
        lines.append(
            Line(
                at=texts.datetime(answer.at),
                question=_question(flow, answer.node_id, loc, locale),
                answer=answer_text(answer.value, flow, answer.node_id, loc, locale),
                mark=_mark(answer, texts),
            )
        )
    for flag in flags:
        words = texts(s.FLAG_TRIGGER, words=flag.trigger) if flag.trigger else flag.reason
        lines.append(Line(texts.datetime(flag.at), f"⚠ {texts(s.FLAGS_TITLE)}", words, ""))
    return Conversation(session.id, heading, tuple(lines))


def conversations(
    case_file: CaseFile, store: ConversationStore, flows: Mapping[str, Flow], texts: Texts
) -> list[Conversation] | None:
    """Newest first; None when the viewer is not the case's kontaktperson."""
    if case_file.audience != "kontaktperson":
        return None
    found = [(session, person) for person in case_file.people for session in person.sessions]
    found.sort(key=lambda pair: pair[0].created_at, reverse=True)
    return [
        conversation(
            session,
            store.answers_for(session.id),
            person.name,
            flows,
            texts,
            [f for f in person.flags if f.session_id == session.id],
        )
        for session, person in found
    ]

"""Meldinger: the case inbox as lines to read, and whom a reply can go to."""

from __future__ import annotations

from dataclasses import dataclass

from companion.case_messages import MAX_REPLY, ReplyRejected, ThreadMessage
from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile


@dataclass(frozen=True)
class MessageLine:
    """One message: a header line (time, first name, marks) and the words verbatim."""

    header: str
    text: str
    incoming: bool


@dataclass(frozen=True)
class Recipient:
    participant_id: str
    label: str


def message_lines(thread: list[ThreadMessage], texts: Texts) -> list[MessageLine]:
    """Oldest first, so the newest is last, next to the reply box."""
    lines = []
    for message in thread:
        marks = []
        if message.unread:
            marks.append(texts(s.MSG_UNREAD))
        if not message.incoming and not message.delivered:
            marks.append(texts(s.MSG_WAITING))
        arrow = "›" if message.incoming else "‹"
        header = f"{texts.datetime(message.at)}  {arrow} {message.sender}"
        if marks:
            header += f"  ({', '.join(marks)})"
        lines.append(MessageLine(header, message.text, message.incoming))
    return lines


def recipients(case_file: CaseFile, thread: list[ThreadMessage]) -> list[Recipient]:
    """People with a reachable chat; whoever wrote last comes first (the usual answer)."""
    reachable = [p for p in case_file.people if p.channels]
    last = next((m.participant_id for m in reversed(thread) if m.incoming), None)
    reachable.sort(key=lambda p: p.participant.id != last)
    return [Recipient(p.participant.id, p.name) for p in reachable]


def rejection_text(error: ReplyRejected, name: str, texts: Texts) -> str:
    """What the caseworker reads when a reply cannot go (their text stays in the box)."""
    if error.reason == "too_long":
        return texts(s.MSG_TOO_LONG, max=MAX_REPLY)
    if error.reason == "stopped":
        return texts(s.MSG_STOPPED, name=name)
    if error.reason == "no_chat":
        return texts(s.MSG_NO_CHAT, name=name)
    return texts(s.MSG_EMPTY_REPLY)

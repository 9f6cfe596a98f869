"""Samtaler: each conversation's questions and answers with times; voice marked 🎤."""

from __future__ import annotations

from textual.widget import Widget

from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.transcripts import Conversation
from tui.widgets.text import LazyPane, heading, muted, para


def conversation_text(conversation: Conversation) -> str:
    lines = []
    for line in conversation.lines:
        mark = f"  [{line.mark}]" if line.mark else ""
        lines.append(f"{line.at}  {line.question}")
        lines.append(f"    › {line.answer}{mark}")
    return "\n".join(lines)


class TranscriptsPane(LazyPane):
    def __init__(self, conversations: list[Conversation] | None, texts: Texts) -> None:
        super().__init__(id="transcripts-pane")
        self.conversations = conversations
        self.texts = texts

    def build(self) -> list[Widget]:
        t = self.texts
        if self.conversations is None:
            return [muted(t(s.TR_ONLY_KP))]
        if not self.conversations:
            return [muted(t(s.NOTHING_YET))]
        out: list[Widget] = []
        for conversation in self.conversations:
            out.append(heading(conversation.heading))
            out.append(para(conversation_text(conversation) or "–", "words"))
        return out

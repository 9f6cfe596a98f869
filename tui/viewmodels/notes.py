"""Notes on answers: which items a tab shows (what a note can be attached to) and its notes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from companion.flows import Flow
from companion.ports import Note
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.transcripts import flow_title

TAB_RESULTS: dict[str, tuple[str, ...] | None] = {
    "hevd": ("hevd",),
    "plan": ("tiltaksplan", "hevd"),
    "network": ("network",),
    "houses": ("houses",),
    "fv": ("checkin", "weekly"),
    "evaluation": ("evaluation",),
    "messages": (),
}
"""Result names each tab shows; a tab not listed (overview, samtaler) shows every result.

Messages are not answers: notes there would be notes on a conversation between people."""


@dataclass(frozen=True)
class NoteItem:
    """One answer or result item a note can be attached to."""

    subject: str
    participant_id: str | None
    label: str


@dataclass(frozen=True)
class NoteLine:
    item: str
    text: str
    byline: str


def note_items(
    case_file: CaseFile, tab: str, flows: Mapping[str, Flow], texts: Texts
) -> list[NoteItem]:
    """The tab's results, newest first: «Sara – Hvordan går det … (12.11.2026)»."""
    names = TAB_RESULTS.get(tab)
    found = []
    for person in case_file.people:
        for name, results in person.results.items():
            if names is not None and name not in names:
                continue
            for result in results:
                title = flow_title(flows, result.flow_id, texts.localizer, texts.locale)
                label = f"{person.name} – {title} ({texts.date(result.updated_at.date())})"
                found.append(
                    (
                        result.updated_at,
                        NoteItem(f"{result.session_id}/{name}", person.participant.id, label),
                    )
                )
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [item for _, item in found]


def note_lines(
    notes: list[Note], items: list[NoteItem], authors: Mapping[str, str], texts: Texts
) -> list[NoteLine]:
    """The notes on this tab's items, oldest first, each with who wrote it and when."""
    labels = {item.subject: item.label for item in items}
    return [
        NoteLine(
            labels[note.subject],
            note.text,
            f"{authors.get(note.author_id, '?')}, {texts.datetime(note.at)}",
        )
        for note in notes
        if note.subject in labels
    ]

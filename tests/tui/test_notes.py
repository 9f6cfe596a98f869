"""Notes on answers: N on a tab, the note shown under it with who and when; access and audit."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from companion.access import AccessDenied
from companion.accounts import Viewer
from companion.case_notes import MAX_NOTE, NoteRejected, case_notes
from companion.ports import Participant
from companion.services import Services
from tui.screens.case import CaseScreen
from tui.screens.note import NoteScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def text_of(screen) -> str:
    return "\n".join(str(w.content) for w in screen.query(Static).results(Static))


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def test_note_on_a_hevd_answer(make, services: Services, people) -> None:
    """2, then n: the note is saved on Sara's HEVD answer and shown in the tab, with Ali's name."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("2", "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("enter")  # empty: refused, the screen stays
        await pilot.pause()
        assert "Skriv noe før du lagrer." in text_of(app.screen)
        await type_text(pilot, "Ta opp jobbønsket på møtet")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        shown = text_of(app.screen)
        assert "Notater" in shown
        assert "Ta opp jobbønsket på møtet" in shown
        assert "✎ Sara (demo) – " in shown and "Ali (demo), 23.11.2026" in shown
    notes = services.notes.notes_in_case(people["sara"].case_id)
    assert [(n.text, n.participant_id) for n in notes] == [
        ("Ta opp jobbønsket på møtet", people["sara"].id)
    ]
    assert notes[0].subject.endswith("/hevd")
    added = [e for e in services.audit.entries() if e.action == "note.added"]
    assert len(added) == 1 and "jobb" not in str(added[0].details)


async def test_a_too_long_note_keeps_the_text(make, services: Services) -> None:
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2", "n")
        await pilot.pause()
        box = app.screen.query_one("#note-text", Input)
        box.value = "x" * (MAX_NOTE + 1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert "for langt" in text_of(app.screen)
        assert box.value == "x" * (MAX_NOTE + 1)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)


def test_another_caseworker_cannot_read_or_write_notes(
    services: Services, people: dict[str, Participant], ali: Viewer, eva: Viewer
) -> None:
    sara = people["sara"]
    case_notes(services, ali).add(sara.case_id, sara.id, "s1/hevd", "Husk å spørre")
    notes = case_notes(services, eva)
    with pytest.raises(AccessDenied):
        notes.notes(sara.case_id)
    with pytest.raises(AccessDenied):
        notes.add(sara.case_id, sara.id, "s1/hevd", "Hei")
    assert len(services.notes.notes_in_case(sara.case_id)) == 1


def test_a_note_must_name_a_participant_of_the_case(
    services: Services, people: dict[str, Participant], ali: Viewer
) -> None:
    sara, omar = people["sara"], people["omar"]
    assert sara.case_id != omar.case_id
    with pytest.raises(NoteRejected):
        case_notes(services, ali).add(sara.case_id, omar.id, "s1/houses", "Feil sak")
    assert services.notes.notes_in_case(sara.case_id) == []

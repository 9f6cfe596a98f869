"""NoteStore contract: notes on answers, per case, oldest first; unknown cases refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.flows.fakes import SequentialIds
from companion.memory_store import MemoryDirectoryStore, MemoryNoteStore
from companion.ports import NoteStore, UnknownReference
from companion.store.notes import SqliteNoteStore
from tests.store.support import Stores


def note_store(stores: Stores) -> NoteStore:
    if stores.db is None:
        assert isinstance(stores.directory, MemoryDirectoryStore)
        return MemoryNoteStore(
            clock=stores.clock, ids=SequentialIds("n"), directory=stores.directory
        )
    return SqliteNoteStore(stores.db, clock=stores.clock, ids=SequentialIds("n"))


def test_notes_come_back_per_case_in_order(stores: Stores) -> None:
    worker = stores.directory.add_caseworker("kari", "Kari", "caseworker", "!")
    case = stores.directory.add_case(worker.id, "Sak A")
    other = stores.directory.add_case(worker.id, "Sak B")
    youth = stores.directory.add_participant(case.id, "youth", "Sara")
    notes = note_store(stores)
    first = notes.add_note(case.id, youth.id, "s1/hevd/theme:0", worker.id, "Ta opp på møtet")
    stores.clock.advance(timedelta(minutes=1))
    second = notes.add_note(case.id, None, "s2/houses", worker.id, "Spør om drømmehuset")
    notes.add_note(other.id, None, "s3/hevd", worker.id, "Annen sak")
    found = notes.notes_in_case(case.id)
    assert found == [first, second]
    assert (found[0].participant_id, found[0].subject, found[0].text) == (
        youth.id,
        "s1/hevd/theme:0",
        "Ta opp på møtet",
    )
    assert found[0].author_id == worker.id and found[0].at < found[1].at
    assert notes.notes_in_case("no-such-case") == []


def test_a_note_on_an_unknown_case_is_refused(stores: Stores) -> None:
    worker = stores.directory.add_caseworker("kari", "Kari", "caseworker", "!")
    notes = note_store(stores)
    with pytest.raises(UnknownReference):
        notes.add_note("no-such-case", None, "s1/hevd", worker.id, "Hei")

"""Contract: ``record_consent`` and ``ErasureStore`` behave the same in the fake, SQLite and
SQLCipher (#8)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.flows import Engine
from companion.flows.inputs import text
from companion.memory_store import (
    MemoryConversationStore,
    MemoryDirectoryStore,
    MemoryErasure,
    MemoryInboxStore,
    MemoryOutboxStore,
)
from companion.outbox import text_entry
from companion.ports import ErasureStore, UnknownReference
from companion.store.erasure import SqliteErasure
from tests.store.support import Stores


def erasure(stores: Stores) -> ErasureStore:
    if stores.db is not None:
        return SqliteErasure(stores.db, clock=stores.clock)
    assert isinstance(stores.conversations, MemoryConversationStore)
    assert isinstance(stores.directory, MemoryDirectoryStore)
    assert isinstance(stores.inbox, MemoryInboxStore)
    assert isinstance(stores.outbox, MemoryOutboxStore)
    return MemoryErasure(stores.conversations, stores.directory, stores.inbox, stores.outbox)


def _people(stores: Stores) -> tuple[str, str, str]:
    d = stores.directory
    worker = d.add_caseworker("kari", "Kari", "caseworker", "x")
    case = d.add_case(worker.id, "Familien Fjell")
    sara = d.add_participant(case.id, "youth", "Sara")
    omar = d.add_participant(case.id, "child", "Omar")
    return case.id, sara.id, omar.id


def test_a_recorded_consent_counts_like_one_from_a_flow(stores: Stores) -> None:
    _case, sara, _omar = _people(stores)
    stores.conversations.record_consent(sara, "companion_use", "v1", True, "Greit?")
    stores.clock.advance(timedelta(minutes=1))
    withdrawn = stores.conversations.record_consent(sara, "companion_use", "v1", False, "Nei")
    found = stores.conversations.consents_for(sara)
    assert [(c.granted, c.version) for c in found] == [(True, "v1"), (False, "v1")]
    assert found[-1] == withdrawn


def test_erasing_one_person_leaves_the_others(stores: Stores, engine: Engine) -> None:
    case, sara, omar = _people(stores)
    for who in (sara, omar):
        sprint = engine.start(next(iter(engine.flows)), participant_id=who)
        stores.conversations.record_sprint(None, sprint.session, sprint.events)
        if sprint.session.is_resumable:
            nxt = engine.resume(sprint.session, text(f"svar fra {who}"))
            stores.conversations.record_sprint(sprint.session, nxt.session, nxt.events)
        stores.conversations.add_flag(who, "high", "safety_path", trigger=f"ord fra {who}")
        stores.inbox.add_message(case, who, "in", f"melding fra {who}")
    stores.directory.link_channel(sara, "telegram", "1")
    stores.outbox.enqueue([text_entry("telegram", "1", "hei", participant_id=sara)])
    counts = erasure(stores).erase_participant(sara)
    assert counts["sessions"] == 1 and counts["flags"] == 1 and counts["messages"] == 1
    assert counts["channel_links"] == 1 and counts["outbox"] == 1
    assert stores.conversations.sessions_for(sara) == []
    assert stores.conversations.open_flags(sara) == []
    assert stores.inbox.messages_for(sara) == []
    assert stores.outbox.items("telegram") == []
    person = stores.directory.get_participant(sara)
    assert person is not None and person.erased_at is not None and person.display_name != "Sara"
    assert len(stores.conversations.sessions_for(omar)) == 1
    assert len(stores.conversations.open_flags(omar)) == 1
    assert len(stores.inbox.messages_for(omar)) == 1
    again = erasure(stores).erase_participant(sara)  # idempotent
    assert sum(again.values()) == 0
    erasure(stores).compact()
    with pytest.raises(UnknownReference):
        erasure(stores).erase_participant("nobody")

"""Delivery contract: idempotent inputs, the transactional outbox, inbox, invites, reachability."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.flows import Engine
from companion.flows.inputs import text
from companion.ports import (
    AlreadyExists,
    DuplicateInput,
    OutboxEntry,
    Participant,
    StaleSession,
    UnknownReference,
)
from tests.store.support import Stores


def entry(words: str, chat: str = "42") -> OutboxEntry:
    return OutboxEntry(
        channel="telegram", chat_id=chat, kind="text", payload={"text": words}, participant_id="p1"
    )


def participant(stores: Stores) -> Participant:
    kari = stores.directory.add_caseworker("kari", "Kari", "caseworker", "x")
    case = stores.directory.add_case(kari.id, "Familien Fjell")
    return stores.directory.add_participant(case.id, "youth", "Sara")


def test_record_sprint_enqueues_replies_with_the_input_key(stores: Stores, engine: Engine) -> None:
    """The sprint, its input key and its replies are stored together."""
    start = engine.start("tour", participant_id="p1")
    stores.conversations.record_sprint(
        None, start.session, start.events, input_key="telegram:1", outbox=[entry("Hei")]
    )
    assert stores.outbox.processed("telegram:1")
    assert not stores.outbox.processed("telegram:2")
    [item] = stores.outbox.pending("telegram")
    assert (item.chat_id, item.kind, item.payload, item.status) == (
        "42",
        "text",
        {"text": "Hei"},
        "pending",
    )
    assert item.created_at.tzinfo is not None


def test_a_duplicate_input_writes_nothing(stores: Stores, engine: Engine) -> None:
    """A second sprint with a processed input key changes no session and enqueues nothing."""
    start = engine.start("tour", participant_id="p1")
    stores.conversations.record_sprint(None, start.session, start.events, input_key="k1")
    named = engine.resume(start.session, text("Mia"))
    with pytest.raises(DuplicateInput):
        stores.conversations.record_sprint(
            start.session, named.session, named.events, input_key="k1", outbox=[entry("x")]
        )
    assert stores.conversations.get_session(start.session.id) == start.session
    assert stores.conversations.answers_for(start.session.id) == []
    assert stores.outbox.items() == []


def test_a_stale_sprint_marks_no_input_and_enqueues_nothing(stores: Stores, engine: Engine) -> None:
    """When the session changed meanwhile, neither the key nor the replies are written."""
    start = engine.start("tour", participant_id="p1")
    stores.conversations.record_sprint(None, start.session, start.events)
    first = engine.resume(start.session, text("Mia"))
    second = engine.resume(start.session, text("Ola"))
    stores.conversations.record_sprint(start.session, first.session, first.events)
    with pytest.raises(StaleSession):
        stores.conversations.record_sprint(
            start.session, second.session, second.events, input_key="k2", outbox=[entry("x")]
        )
    assert not stores.outbox.processed("k2")
    assert stores.outbox.items() == []


def test_enqueue_is_idempotent_by_key(stores: Stores) -> None:
    """enqueue with a processed key raises DuplicateInput and adds nothing."""
    stores.outbox.enqueue([entry("a")], input_key="k")
    with pytest.raises(DuplicateInput):
        stores.outbox.enqueue([entry("b")], input_key="k")
    stores.outbox.enqueue([entry("c")])
    assert [i.payload["text"] for i in stores.outbox.items()] == ["a", "c"]


def test_outbox_rows_move_from_pending_to_sent_or_failed(stores: Stores) -> None:
    """Progress, retries, sent and failed rows; sent and failed rows keep no payload."""
    stores.outbox.enqueue([entry("a"), entry("b"), entry("c", chat="7"), entry("d", chat="7")])
    a, b, c, d = stores.outbox.pending("telegram")
    assert stores.outbox.pending("other") == []
    stores.outbox.mark_progress(a.id, 1, message_id=99)
    stores.outbox.mark_sent(a.id)
    later = stores.clock.now() + timedelta(seconds=5)
    stores.outbox.mark_retry(b.id, "network", later)
    stores.outbox.mark_failed(c.id, "400")
    assert stores.outbox.fail_pending("telegram", "7", "blocked") == 1
    rows = {i.id: i for i in stores.outbox.items("telegram")}
    assert (rows[a.id].status, rows[a.id].progress, rows[a.id].message_id) == ("sent", 1, 99)
    assert rows[a.id].payload == {} and rows[a.id].sent_at is not None
    assert (rows[b.id].status, rows[b.id].attempts, rows[b.id].not_before) == ("pending", 1, later)
    assert (rows[c.id].status, rows[c.id].error, rows[c.id].payload) == ("failed", "400", {})
    assert (rows[d.id].status, rows[d.id].error) == ("failed", "blocked")
    assert [i.id for i in stores.outbox.pending("telegram")] == [b.id]


def test_rate_limit_counter_counts_within_a_window(stores: Stores) -> None:
    """hit counts events per key and starts again once the window has passed."""
    window = timedelta(hours=1)
    assert [stores.outbox.hit("k", window) for _ in range(3)] == [1, 2, 3]
    assert stores.outbox.hit("other", window) == 1
    stores.clock.advance(timedelta(hours=2))
    assert stores.outbox.hit("k", window) == 1


def test_inbox_message_with_reply_and_key(stores: Stores) -> None:
    """A message in, its auto-reply and its input key commit together; duplicates do nothing."""
    sara = participant(stores)
    message = stores.inbox.add_message(
        sara.case_id, sara.id, "in", "Kan vi flytte møtet?", input_key="t:5", outbox=[entry("ok")]
    )
    with pytest.raises(DuplicateInput):
        stores.inbox.add_message(sara.case_id, sara.id, "in", "igjen", input_key="t:5")
    assert stores.inbox.messages_for(sara.id) == [message]
    assert stores.inbox.messages_in_case(sara.case_id) == [message]
    assert len(stores.outbox.items()) == 1
    reply = stores.inbox.add_message(sara.case_id, sara.id, "out", "Ja!", author="kari")
    stores.inbox.mark_delivered(reply.id)
    stores.inbox.mark_read(message.id)
    got = {m.id: m for m in stores.inbox.messages_for(sara.id)}
    assert got[reply.id].delivered_at is not None and got[reply.id].author == "kari"
    assert got[message.id].read_at is not None and got[message.id].delivered_at is None


def test_inbox_message_needs_a_case(stores: Stores) -> None:
    """A message for an unknown case is refused and its input key is not marked."""
    with pytest.raises(UnknownReference):
        stores.inbox.add_message("nope", None, "in", "hei", input_key="t:9")
    assert not stores.outbox.processed("t:9")


def test_held_inputs_are_taken_once(stores: Stores) -> None:
    """A held text comes back once, only for its participant."""
    stores.inbox.hold("h1", "p1", "s1", "kanskje", input_key="t:1", outbox=[entry("?")])
    assert stores.outbox.processed("t:1")
    assert stores.inbox.take_held("h1", "p2") is None
    assert stores.inbox.take_held("h1", "p1") == ("s1", "kanskje")
    assert stores.inbox.take_held("h1", "p1") is None


def test_add_flag_outside_a_sprint(stores: Stores) -> None:
    """A flag raised by the host (not a flow) is open until acknowledged."""
    flag = stores.conversations.add_flag("p1", "high", "unreachable", trigger=None)
    assert stores.conversations.open_flags("p1") == [flag]
    assert flag.session_id is None
    stores.conversations.acknowledge_flag(flag.id)
    assert stores.conversations.open_flags("p1") == []


def test_participant_settings_and_reachability(stores: Stores) -> None:
    """Locale, voice and stopped messages change; a link is marked (un)reachable once."""
    sara = participant(stores)
    assert sara.messages_stopped is False
    changed = stores.directory.update_participant(sara.id, locale="nn", messages_stopped=True)
    assert (changed.locale, changed.voice, changed.messages_stopped) == ("nn", False, True)
    assert stores.directory.get_participant(sara.id) == changed
    with pytest.raises(UnknownReference):
        stores.directory.update_participant("nobody", voice=True)
    link = stores.directory.link_channel(sara.id, "telegram", "42")
    assert link.unreachable_at is None
    assert stores.directory.set_reachable("telegram", "42", False) is True
    assert stores.directory.set_reachable("telegram", "42", False) is False
    [stored] = stores.directory.links_for(sara.id)
    assert stored.unreachable_at is not None
    assert stores.directory.set_reachable("telegram", "42", True) is True
    assert stores.directory.links_for(sara.id)[0].unreachable_at is None
    assert stores.directory.set_reachable("telegram", "404", False) is False


def test_invites_redeem_once_before_expiry(stores: Stores) -> None:
    """An invite is redeemed once; an expired or unknown code gives None."""
    sara = participant(stores)
    kari = stores.directory.get_caseworker_by_username("kari")
    assert kari is not None
    now = stores.clock.now()
    invite = stores.directory.add_invite(sara.id, "h1", kari.id, now + timedelta(days=7))
    old = stores.directory.add_invite(sara.id, "h2", kari.id, now + timedelta(seconds=1))
    with pytest.raises(AlreadyExists):
        stores.directory.add_invite(sara.id, "h1", kari.id, now + timedelta(days=7))
    with pytest.raises(UnknownReference):
        stores.directory.add_invite("nobody", "h3", kari.id, now + timedelta(days=7))
    assert stores.directory.invites_for(sara.id) == [invite, old]
    later = now + timedelta(minutes=1)
    redeemed = stores.directory.redeem_invite("h1", later)
    assert redeemed is not None and redeemed.redeemed_at == later
    assert stores.directory.redeem_invite("h1", later) is None
    assert stores.directory.redeem_invite("h2", later) is None
    assert stores.directory.redeem_invite("unknown", later) is None


def test_open_assignments_for_a_participant(stores: Stores) -> None:
    """Open assignments of one participant, oldest first (written by the TUI)."""
    from companion.ports import Assignment

    sara = participant(stores)
    now = stores.clock.now()
    rows = [
        Assignment(
            id="a1",
            case_id=sara.case_id,
            participant_id=sara.id,
            meeting_no=1,
            component="rutiner",
            text="Lag en kveldsrutine",
            assigned_at=now,
        ),
        Assignment(
            id="a2",
            case_id=sara.case_id,
            participant_id=sara.id,
            meeting_no=2,
            component="ros",
            text="Gi ros tre ganger",
            assigned_at=now,
            status="done",
        ),
    ]
    if stores.db is None:
        stores.inbox.assignments.extend(rows)  # type: ignore[attr-defined]
    else:
        from companion.store.converters import to_row

        for row in rows:
            stores.db.table("assignments").insert(to_row(row))
    assert [a.id for a in stores.inbox.open_assignments(sara.id)] == ["a1"]
    assert stores.inbox.open_assignments("nobody") == []


def test_pending_after_an_id_gives_only_newer_rows(stores: Stores) -> None:
    """A sender that knows the rows up to an id asks only for the newer ones."""
    stores.outbox.enqueue([entry("a"), entry("b")])
    a, b = stores.outbox.pending("telegram")
    stores.outbox.enqueue([entry("c")])
    assert [i.payload["text"] for i in stores.outbox.pending("telegram", after=b.id)] == ["c"]
    assert [i.id for i in stores.outbox.pending("telegram", after=a.id)][0] == b.id
    assert stores.outbox.pending("telegram", limit=1, after=0) == [a]


def test_mark_all_sent_marks_a_batch_at_once(stores: Stores) -> None:
    """Rows sent together are marked together, each with its calls and last message id."""
    stores.outbox.enqueue([entry("a"), entry("b"), entry("c")])
    a, b, c = stores.outbox.pending("telegram")
    stores.outbox.mark_progress(b.id, 1, message_id=7)
    stores.outbox.mark_all_sent([(a.id, 1, 41), (b.id, 2, None)])
    rows = {i.id: i for i in stores.outbox.items("telegram")}
    assert (rows[a.id].status, rows[a.id].progress, rows[a.id].message_id) == ("sent", 1, 41)
    assert (rows[b.id].status, rows[b.id].progress, rows[b.id].message_id) == ("sent", 2, 7)
    assert rows[a.id].payload == {} and rows[b.id].sent_at is not None
    assert [i.id for i in stores.outbox.pending("telegram")] == [c.id]
    stores.outbox.mark_all_sent([])  # nothing to mark is fine


def test_first_enqueued_gives_one_writes_rows_and_their_sending(stores: Stores) -> None:
    """The rows of the first write at or after a moment, for one chat only: how a channel
    finds out whether (and when) what a session asked then reached the person."""
    stores.outbox.enqueue([entry("earlier")])
    since = stores.clock.now()
    assert stores.outbox.first_enqueued("telegram", "42", since) == []
    stores.outbox.enqueue([entry("other chat", chat="7")])
    stores.outbox.enqueue([entry("answered"), entry("next question")])
    stores.outbox.enqueue([entry("later")])
    first = stores.outbox.first_enqueued("telegram", "42", since)
    assert [i.payload for i in first] == [{"text": "answered"}, {"text": "next question"}]
    assert {i.status for i in first} == {"pending"}
    for item in first:
        stores.outbox.mark_sent(item.id)
    sent = stores.outbox.first_enqueued("telegram", "42", since)
    assert [i.status for i in sent] == ["sent", "sent"]
    assert all(i.sent_at is not None and i.sent_at > since for i in sent)
    assert stores.outbox.first_enqueued("telegram", "7", since)[0].payload == {"text": "other chat"}
    assert stores.outbox.first_enqueued("other", "42", since) == []

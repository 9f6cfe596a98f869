"""ConversationStore contract: sessions, answers, results, consents and flags."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from companion.flows import Engine, Session, Sprint
from companion.flows.inputs import choice, text
from companion.ports import StaleSession
from tests.store.support import Stores


def record(stores: Stores, previous: Sprint | None, sprint: Sprint) -> Sprint:
    """Store ``sprint`` as the successor of ``previous`` and hand it back, for chaining."""
    stores.conversations.record_sprint(
        previous.session if previous else None, sprint.session, sprint.events
    )
    return sprint


def parent_to_the_end(stores: Stores, engine: Engine, participant: str = "p1") -> Sprint:
    """Run the parent flow to its end (mood 3, consent yes, help now yes), storing each sprint."""
    sprint = record(stores, None, engine.start("parent", participant_id=participant))
    for value in ("3", "yes", "yes"):
        sprint = record(stores, sprint, engine.resume(sprint.session, choice(value)))
    return sprint


def with_timeout(session: Session, at: datetime) -> Session:
    """The same session with a timeout on its wait (the sample flows have none)."""
    data = session.model_dump()
    assert data["wait"] is not None
    return Session.model_validate({**data, "wait": {**data["wait"], "timeout_at": at}})


def test_session_round_trips(stores: Stores, engine: Engine) -> None:
    """A stored session comes back equal, after the start and after a resume."""
    start = record(stores, None, engine.start("tour", participant_id="p1"))
    assert stores.conversations.get_session(start.session.id) == start.session
    named = record(stores, start, engine.resume(start.session, text("Mia")))
    assert stores.conversations.get_session(start.session.id) == named.session


def test_unknown_session_is_none(stores: Stores) -> None:
    """Asking for a session that was never stored gives None."""
    assert stores.conversations.get_session("nope") is None


def test_answers_are_kept_in_order(stores: Stores, engine: Engine) -> None:
    """Each accepted answer becomes one row, ordered by seq, with where it came from."""
    sprint = record(stores, None, engine.start("tour", participant_id="p1"))
    for words in ("Mia", "skole", "venner"):
        sprint = record(stores, sprint, engine.resume(sprint.session, text(words)))
    answers = stores.conversations.answers_for(sprint.session.id)
    assert [(a.seq, a.key, a.value) for a in answers] == [
        (1, "tour.name", "Mia"),
        (2, "tour.themes#1", "skole"),
        (3, "tour.themes#2", "venner"),
    ]
    assert all(a.source == "typed" and a.flow_id == "tour" for a in answers)
    assert answers[0].node_id == "name"
    assert answers[0].at.tzinfo is not None


def test_replaying_a_sprint_adds_nothing(stores: Stores, engine: Engine) -> None:
    """Recording the same sprint twice is a no-op: no duplicate answers, consents or flags."""
    start = engine.start("parent", participant_id="p1")
    record(stores, None, start)
    record(stores, None, start)
    sprint = start
    for value in ("3", "yes", "yes"):
        following = engine.resume(sprint.session, choice(value))
        record(stores, sprint, following)
        record(stores, sprint, following)
        sprint = following
    assert len(stores.conversations.answers_for(sprint.session.id)) == 3
    assert len(stores.conversations.consents_for("p1")) == 1
    assert len(stores.conversations.open_flags("p1")) == 1
    assert stores.conversations.get_session(sprint.session.id) == sprint.session


def test_concurrent_write_is_stale_and_writes_nothing(stores: Stores, engine: Engine) -> None:
    """Two resumes of the same session: the second to store gets StaleSession, and no trace."""
    start = record(stores, None, engine.start("tour", participant_id="p1"))
    first = engine.resume(start.session, text("Mia"))
    second = engine.resume(start.session, text("Ola"))
    record(stores, start, first)
    with pytest.raises(StaleSession):
        record(stores, start, second)
    assert stores.conversations.get_session(start.session.id) == first.session
    answers = stores.conversations.answers_for(start.session.id)
    assert [a.value for a in answers] == ["Mia"]
    results = stores.conversations.results_for("p1")
    assert [r.data for r in results["tour"]] == [{"name": "Mia"}]


def test_starting_a_session_twice_is_stale(stores: Stores, engine: Engine) -> None:
    """A new session (previous=None) must not overwrite a stored one with the same id."""
    record(stores, None, engine.start("tour", participant_id="p1", session_id="same"))
    again = engine.start("tour", participant_id="p2", session_id="same")
    with pytest.raises(StaleSession):
        record(stores, None, again)
    stored = stores.conversations.get_session("same")
    assert stored is not None
    assert stored.participant_id == "p1"


def test_a_session_never_stored_cannot_be_continued(stores: Stores, engine: Engine) -> None:
    """A previous session that is not in the store makes the write stale."""
    start = engine.start("tour", participant_id="p1")
    with pytest.raises(StaleSession):
        record(stores, start, engine.resume(start.session, text("Mia")))
    assert stores.conversations.get_session(start.session.id) is None


def test_previous_must_be_the_same_session(stores: Stores, engine: Engine) -> None:
    """Passing another session as ``previous`` is a programming error."""
    one = record(stores, None, engine.start("tour"))
    other = engine.start("tour")
    with pytest.raises(ValueError, match="is not session"):
        stores.conversations.record_sprint(one.session, other.session, other.events)


def test_open_session_is_the_latest_waiting_one(stores: Stores, engine: Engine) -> None:
    """open_session skips finished sessions, honours the flow filter and the participant."""
    parent_to_the_end(stores, engine, "p1")
    tour = record(stores, None, engine.start("tour", participant_id="p1"))
    assert stores.conversations.open_session("p1") == tour.session
    assert stores.conversations.open_session("p1", flow_id="tour") == tour.session
    assert stores.conversations.open_session("p1", flow_id="parent") is None
    assert stores.conversations.open_session("p2") is None
    later = record(stores, None, engine.start("tour", participant_id="p1"))
    assert stores.conversations.open_session("p1") == later.session


def test_sessions_for_lists_every_session_oldest_first(stores: Stores, engine: Engine) -> None:
    """sessions_for includes finished sessions, in the order they were created."""
    done = parent_to_the_end(stores, engine, "p1")
    tour = record(stores, None, engine.start("tour", participant_id="p1"))
    record(stores, None, engine.start("tour", participant_id="p2"))
    assert stores.conversations.sessions_for("p1") == [done.session, tour.session]


def test_due_sessions_by_timeout_and_expiry(stores: Stores, engine: Engine) -> None:
    """Waiting sessions are due when their timeout or expiry has passed, earliest first."""
    first = engine.start("tour", participant_id="p1").session
    now = first.created_at + timedelta(hours=1)
    timed_out = with_timeout(first, now - timedelta(minutes=5))
    later = with_timeout(engine.start("tour", participant_id="p2").session, now)
    not_yet = with_timeout(engine.start("tour", participant_id="p3").session, now + timedelta(1))
    quiet = engine.start("tour", participant_id="p4").session
    for session in (later, quiet, not_yet, timed_out):
        stores.conversations.record_sprint(None, session, ())
    parent_to_the_end(stores, engine, "p5")

    assert stores.conversations.due_sessions(now) == [timed_out, later]
    assert stores.conversations.due_sessions(now, limit=1) == [timed_out]
    # Past every expiry, all waiting sessions are due; the completed parent session is not.
    due = stores.conversations.due_sessions(now + timedelta(days=365))
    assert {s.participant_id for s in due} == {"p1", "p2", "p3", "p4"}


def test_due_sessions_needs_an_aware_time(stores: Stores) -> None:
    """A naive datetime is refused rather than compared wrongly."""
    with pytest.raises(ValueError, match="timezone"):
        stores.conversations.due_sessions(datetime(2026, 1, 5, 9, 0))


def test_consents_and_flags_come_from_events(stores: Stores, engine: Engine) -> None:
    """ConsentRecorded and FlagRaised events become consent and flag records."""
    end = parent_to_the_end(stores, engine, "p1")
    [consent] = stores.conversations.consents_for("p1")
    assert (consent.consent, consent.version, consent.granted) == ("onboarding", "v1", True)
    assert consent.text == "Er det greit?"
    assert consent.session_id == end.session.id
    [flag] = stores.conversations.open_flags("p1")
    assert (flag.severity, flag.reason, flag.acknowledged_at) == ("high", "asked_for_help", None)
    assert flag.session_id == end.session.id
    assert stores.conversations.open_flags() == [flag]
    assert stores.conversations.open_flags("p2") == []
    assert stores.conversations.consents_for("p2") == []


def test_acknowledged_flags_are_no_longer_open(stores: Stores, engine: Engine) -> None:
    """acknowledge_flag closes one flag and leaves the others open."""
    parent_to_the_end(stores, engine, "p1")
    parent_to_the_end(stores, engine, "p2")
    first, second = stores.conversations.open_flags()
    stores.conversations.acknowledge_flag(first.id)
    stores.conversations.acknowledge_flag("unknown")
    assert stores.conversations.open_flags() == [second]


def test_results_by_name_one_per_session(stores: Stores, engine: Engine) -> None:
    """results_for groups the latest result of each session by result name."""
    parent_to_the_end(stores, engine, "p1")
    tour = record(stores, None, engine.start("tour", participant_id="p1"))
    record(stores, tour, engine.resume(tour.session, text("Mia")))
    results = stores.conversations.results_for("p1")
    assert sorted(results) == ["child", "tour"]
    assert [r.data for r in results["child"]] == [{"mood": 3}]
    assert [r.data for r in results["tour"]] == [{"name": "Mia"}]
    assert results["tour"][0].flow_id == "tour"
    assert stores.conversations.results_for("p2") == {}

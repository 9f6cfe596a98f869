"""Consent with its version and time, withdrawal that stops every message (core, not only the
bot), and deletion requests that reach the caseworker (#8)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bots.telegram import texts
from bots.telegram.core import BotCore
from bots.telegram.sender import Sender
from companion.access import AccessDenied
from companion.accounts import Viewer
from companion.data_rights import WITHDRAWN, DataRights, erasure_store, undeliverable
from companion.inbox import Inbox
from companion.outbox import text_entry
from companion.participants import CONSENT, SendError, has_consent, send_flow
from companion.ports import UnknownReference
from companion.services import Services
from tests.bots.support import Chat, memory, youth
from tests.reminders.support import family, oslo, world


@pytest.fixture
def chat() -> Chat:
    return Chat(BotCore(memory()))


def onboarded(chat: Chat) -> str:
    sara = youth(chat.services)
    chat.command("start", chat.services.invites.create(sara.id).code)
    chat.press("Ja, det er greit")
    chat.press("Bokmål")
    chat.press("Nei")
    return sara.id


def _send(services: Services, pid: str, flow: str = "hevd") -> None:
    send_flow(
        pid,
        flow,
        engine=services.engine,
        directory=services.directory,
        conversations=services.conversations,
        audit=services.audit,
        actor="test",
    )


def test_onboarding_consent_is_stored_with_its_text_version_and_time(chat: Chat) -> None:
    pid = onboarded(chat)
    [consent] = chat.services.conversations.consents_for(pid)
    assert (consent.consent, consent.granted) == (CONSENT, True)
    assert consent.version == "2026-11-draft-1"
    assert "svarene og meldingene dine lagres" in consent.text
    assert consent.at == chat.services.clock.now() or consent.at <= chat.services.clock.now()


def test_withdraw_command_records_a_no_and_stops_flows_and_replies(chat: Chat) -> None:
    s = chat.services
    pid = onboarded(chat)
    _send(s, pid)
    chat.flush()
    chat.command("withdraw")
    assert chat.last_text() == texts.CONSENT_WITHDRAWN[1]
    latest = s.conversations.consents_for(pid)[-1]
    assert (latest.granted, latest.version) == (False, "2026-11-draft-1")
    assert not has_consent(s.conversations, pid)
    assert s.directory.get_participant(pid).messages_stopped  # type: ignore[union-attr]
    assert s.conversations.open_session(pid).status == "paused"  # type: ignore[union-attr]
    assert s.audit.entries()[-1].action == "consent.withdrawn"
    with pytest.raises(SendError):
        _send(s, pid, "ukesjekk")
    # A caseworker's reply enqueued afterwards is not delivered: the core says why.
    s.outbox.enqueue([text_entry("telegram", "4242", "Hei Sara", participant_id=pid)])
    [row] = s.outbox.pending("telegram")
    assert undeliverable(row, s.directory, s.conversations) == WITHDRAWN


def test_the_sender_gives_up_rows_the_core_refuses_without_calling_telegram(chat: Chat) -> None:
    s = chat.services
    pid = onboarded(chat)
    chat.command("withdraw")
    s.outbox.enqueue([text_entry("telegram", "4242", "Hei igjen", participant_id=pid)])
    [queued] = s.outbox.pending("telegram")
    core = chat.core
    sender = Sender(
        None,  # type: ignore[arg-type]  # never reached: the row is refused first
        s.outbox,
        s.clock,
        expand=core.expand,
        on_blocked=lambda item: None,
        undeliverable=core.undeliverable,
    )
    asyncio.run(sender.step())
    [row] = [i for i in s.outbox.items("telegram") if i.id == queued.id]
    assert (row.status, row.error) == ("failed", WITHDRAWN)
    assert sender.sent == 0


def test_saying_yes_again_after_a_withdrawal_lets_messages_through(chat: Chat) -> None:
    s = chat.services
    pid = onboarded(chat)
    chat.command("withdraw")
    chat.command("start")
    chat.press("Ja, det er greit")
    assert has_consent(s.conversations, pid)
    s.outbox.enqueue([text_entry("telegram", "4242", "Velkommen tilbake", participant_id=pid)])
    row = s.outbox.pending("telegram")[-1]
    assert undeliverable(row, s.directory, s.conversations) is None


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_reminders_after_a_withdrawal_are_skipped_and_recorded(kind: str, tmp_path: Path) -> None:
    w = world(kind, tmp_path, oslo(2026, 3, 16, 12))
    nadia = family(w.services)
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen")
    kari = w.services.directory.get_caseworker_by_username("kari")
    assert kari is not None
    DataRights(w.services, Viewer.of(kari)).withdraw_consent(nadia.id)
    when = oslo(2026, 3, 16, 12)
    while when < oslo(2026, 3, 25, 12):
        when += timedelta(minutes=30)
        w.at(when)
    done = w.reminders.store.reminders_for(nadia.id)
    assert done and {r.status for r in done} == {"skipped"}
    assert [i for i in w.outbox(4242) if i.kind == "text"] == []
    if w.services.db is not None:
        w.services.db.close()


def test_a_caseworker_records_a_withdrawal_only_in_their_own_cases() -> None:
    s = memory()
    sara = youth(s)
    kari = s.directory.get_caseworker_by_username("kari")
    other = s.directory.add_caseworker("ola", "Ola", "caseworker", "x")
    assert kari is not None
    with pytest.raises(AccessDenied):
        DataRights(s, Viewer.of(other)).withdraw_consent(sara.id)
    assert s.conversations.consents_for(sara.id) == []
    DataRights(s, Viewer.of(kari)).withdraw_consent(sara.id)
    entry = s.audit.entries()[-1]
    assert (entry.actor, entry.action) == ("kari", "consent.withdrawn")


def test_a_deletion_request_raises_a_flag_and_only_the_case_may_confirm(chat: Chat) -> None:
    s = chat.services
    pid = onboarded(chat)
    chat.command("delete")
    [_flag] = [f for f in s.conversations.open_flags(pid) if f.reason == "deletion_requested"]
    other = s.directory.add_caseworker("ola", "Ola", "caseworker", "x")
    with pytest.raises(AccessDenied):
        DataRights(s, Viewer.of(other)).confirm_deletion(pid)
    assert s.conversations.sessions_for(pid)
    kari = s.directory.get_caseworker_by_username("kari")
    assert kari is not None
    counts = DataRights(s, Viewer.of(kari)).confirm_deletion(pid)
    assert counts["sessions"] >= 1 and counts["channel_links"] == 1
    assert s.conversations.open_flags(pid) == []
    assert s.directory.participant_by_channel("telegram", "4242") is None
    # Anything still queued for them is refused, whatever its kind.
    s.outbox.enqueue([text_entry("telegram", "4242", "Hei", participant_id=pid)])
    assert undeliverable(s.outbox.pending("telegram")[-1], s.directory, s.conversations)
    # The same person writing again is a stranger now; nothing of theirs comes back.
    chat.text("hei")
    assert s.conversations.sessions_for(pid) == []
    with pytest.raises(UnknownReference):
        erasure_store(s).erase_participant("nobody")


def test_inbox_of_an_erased_person_is_empty(chat: Chat) -> None:
    s = chat.services
    pid = onboarded(chat)
    person = s.directory.get_participant(pid)
    assert person is not None
    s.inbox_store.add_message(person.case_id, pid, "in", "Et hemmelig ord")
    assert isinstance(s.inbox, Inbox)
    kari = s.directory.get_caseworker_by_username("kari")
    assert kari is not None
    DataRights(s, Viewer.of(kari)).confirm_deletion(pid)
    assert s.inbox_store.messages_for(pid) == []
    assert s.inbox_store.messages_in_case(person.case_id) == []


def test_deletion_removes_the_persons_kept_voice_notes_only(tmp_path: Path) -> None:
    s = memory()
    sara = youth(s)
    s.directory.link_channel(sara.id, "telegram", "4242")
    voice = tmp_path / "voice"
    voice.mkdir()
    (voice / "telegram-4242-7.oga").write_bytes(b"OggS")
    (voice / "telegram-5555-8.oga").write_bytes(b"OggS")
    kari = s.directory.get_caseworker_by_username("kari")
    assert kari is not None
    counts = DataRights(s, Viewer.of(kari), audio_dir=voice).confirm_deletion(sara.id)
    assert counts["audio"] == 1
    assert sorted(p.name for p in voice.iterdir()) == ["telegram-5555-8.oga"]

"""Reminders through the real bot (PTB over loopback HTTP, the real sender) to the Bot API
stand-in: the dispatcher runs inside the bot; «senere» and «stopp» from the chat; a check-in
answered with buttons; a 429 storm; a blocked chat (403)."""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from companion.ports import NewReminder
from companion.reminders import ReminderPlan, Reminders
from companion.reminders.summary import before_next_meeting
from companion.reminders.telegram import BotReminders, reminders
from companion.voice import Voice
from companion.voice.backends.espeak import EspeakTextToSpeech
from companion.voice.fakes import FakeSpeechToText
from tests.bots.live import USER, Live, live_bot
from tests.bots.support import run
from tests.reminders.support import family


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def attached(live: Live) -> BotReminders:
    found = reminders(live.app)
    assert found is not None and found.task is not None
    return found


def ready(live: Live, pid: str) -> Reminders:
    """Reminders for a participant whose quiet hours are off (the test runs at any hour)."""
    service = attached(live).reminders
    service.set_preferences(pid, quiet_hours=("00:00", "00:00"))
    return service


def remind_now(service: Reminders, pid: str, key: str) -> None:
    """An assignment reminder due now (as if its day-after time had come)."""
    participant = service.participant(pid)
    assignment = service.store.add_assignment(
        participant.case_id, pid, 1, "se_det_positive", f"Ros barnet ({key})"
    )
    service.store.schedule(
        [
            NewReminder(
                participant_id=pid,
                kind="assignment",
                due_at=service.now(),
                idempotency_key=key,
                assignment_id=assignment.id,
            )
        ]
    )


async def dispatch(live: Live, timeout: float = 10.0) -> None:
    """Wake the bot's dispatcher, wait until nothing is due, then until everything is sent."""
    bot = attached(live)
    assert bot.task is not None
    store = bot.reminders.store
    deadline = asyncio.get_running_loop().time() + timeout
    bot.task.wake()
    await asyncio.sleep(0.05)
    while store.due_reminders(bot.reminders.now(), 1):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("reminders still due")
        bot.task.wake()
        await asyncio.sleep(0.02)
    await live.flush()


def test_a_check_in_now_is_answered_with_buttons_and_lands_on_the_assignment(
    tmp_path: Path,
) -> None:
    """The acceptance path: a caseworker gives an assignment with the check-in «now»; the bot
    delivers it; the parent answers; «før neste møte» shows the answers."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard(name="Nadia")
            service = attached(live).reminders
            assignment, [checkin] = service.give_assignment(
                pid, 1, "se_det_positive", plan=ReminderPlan(checkin_now=True)
            )
            assert checkin.kind == "checkin"
            await dispatch(live)
            assert "«Se det positive og gi ros»" in live.last().text
            assert live.last().text.endswith("Fikk du prøvd det?")
            await live.press("Delvis")
            await live.say("Han smilte")
            await live.say("Å huske det")
            await live.say("Han ryddet")
            await live.say("Nei")
            assert live.last().text.startswith("Takk for at du svarte!")
            [item] = before_next_meeting(pid, service.store, live.services.conversations)
            assert item.assignment.id == assignment.id
            assert item.state == "answered"
            assert item.answers["tried"] == "partly"
            assert item.answers["went_well"] == "Han smilte"

    run(scenario())


def test_later_and_stop_from_the_chat(tmp_path: Path) -> None:
    """«senere» brings the reminder back later; «stopp» stops the next one; both are handled
    before the bot's inbox (nothing reaches the caseworker as a message)."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard(name="Nadia")
            service = ready(live, pid)
            remind_now(service, pid, "first")
            await dispatch(live)
            assert live.last().text.startswith("Hei Nadia! En liten påminnelse")
            assert "Ros barnet (first)" in live.last().text
            await live.say("senere")
            assert live.last().text.startswith("Greit! Jeg minner deg på det igjen")
            [again] = [r for r in service.store.reminders_for(pid) if r.payload.get("snooze_of")]
            assert again.status == "pending"
            assert (
                timedelta(hours=1, minutes=59) < again.due_at - service.now() <= timedelta(hours=2)
            )
            await live.say("stopp")
            assert live.last().text.startswith("Greit. Du får ingen flere påminnelser")
            remind_now(service, pid, "second")
            await dispatch(live)
            second = [r for r in service.store.reminders_for(pid) if r.idempotency_key == "second"]
            assert (second[0].status, second[0].note) == ("skipped", "stopped")
            assert live.services.inbox_store.messages_for(pid) == []
            await live.say("start")
            assert live.last().text.startswith("Fint! Nå får du påminnelser")

    run(scenario())


def test_a_429_storm_delivers_every_reminder_exactly_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            users = [USER + n for n in range(4)]
            pids = [await live.onboard(user, f"P{n}") for n, user in enumerate(users)]
            for pid in pids:
                service = ready(live, pid)
                for n in range(2):
                    remind_now(service, pid, f"{pid}:{n}")
            before = len(live.standin.calls("sendMessage"))
            live.standin.fail_next("sendMessage", 429, retry_after=1, count=3)
            await dispatch(live, timeout=20)
            calls = live.standin.calls("sendMessage")[before:]
            refused = [c for c in calls if not c.ok]
            assert len(refused) == 3
            delivered = Counter(
                (c.text or "").split("(")[1].split(")")[0]
                for c in calls
                if c.ok and "Ros barnet" in (c.text or "")
            )
            assert delivered == Counter({f"{pid}:{n}": 1 for pid in pids for n in range(2)})

    run(scenario())


def test_a_blocked_chat_is_flagged_and_later_reminders_are_skipped(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard(name="Nadia")
            service = ready(live, pid)
            live.standin.block(USER)
            remind_now(service, pid, "first")
            await dispatch(live)
            [link] = live.services.directory.links_for(pid)
            assert link.unreachable_at is not None
            [flag] = live.services.conversations.open_flags(pid)
            assert (flag.severity, flag.reason) == ("high", "unreachable")
            remind_now(service, pid, "second")
            await dispatch(live)
            found = {
                r.idempotency_key: (r.status, r.note) for r in service.store.reminders_for(pid)
            }
            assert found == {"first": ("sent", "enqueued"), "second": ("skipped", "unreachable")}

    run(scenario())


def test_with_real_limits_no_429(tmp_path: Path) -> None:
    """The stand-in enforces 1/s per chat and 30/s overall; the sender keeps them."""

    async def scenario() -> None:
        async with live_bot(
            tmp_path, enforce_rate_limits=True, bot_chat_interval=1.0, bot_global_rate=30.0
        ) as live:
            pid = family(live.services, "Nadia", chat=USER).id  # consented without the chat
            await live.say("hei")  # the chat exists once the person wrote (a message in)
            service = ready(live, pid)
            for n in range(3):
                remind_now(service, pid, f"r{n}")
            await dispatch(live, timeout=20)
            sent = live.standin.calls("sendMessage", USER)
            texts = [c for c in sent if "Ros barnet" in (c.text or "")]
            assert [c.ok for c in texts] == [True, True, True]
            assert all(c.ok for c in sent)

    run(scenario())


def test_the_bot_can_leave_dispatching_to_another_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``COMPANION_REMINDERS_IN_BOT=0``: no dispatcher task in the bot (``companion reminders
    run`` does it), but «stopp» from the chat still works."""
    monkeypatch.setenv("COMPANION_REMINDERS_IN_BOT", "0")

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            found = reminders(live.app)
            assert found is not None and found.task is None
            pid = await live.onboard(name="Nadia")
            await live.say("stopp")
            stopped = live.services.directory.get_participant(pid)
            assert stopped is not None and stopped.messages_stopped

    run(scenario())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_with_voice_on_a_reminder_arrives_as_a_voice_note_too(tmp_path: Path) -> None:
    """Voice on: the reminder comes as text and as an OGG voice note espeak-ng spoke, through
    the real sender and the stand-in."""

    async def scenario() -> None:
        voice = Voice(FakeSpeechToText(), EspeakTextToSpeech())
        async with live_bot(tmp_path, voice=voice) as live:
            pid = live.participant("Nadia")
            code = live.services.invites.create(pid).code
            await live.say(f"/start {code}")
            await live.press("Ja, det er greit")
            await live.press("Bokmål")
            await live.press("Ja")  # voice on
            before = len(live.standin.calls("sendVoice", USER))
            service = ready(live, pid)
            remind_now(service, pid, "spoken")
            await dispatch(live)
            texts = [m for m in live.bot_messages() if m.kind == "text"]
            assert "Ros barnet (spoken)" in texts[-1].text
            assert live.last().kind == "voice"
            [call] = live.standin.calls("sendVoice", USER)[before:]
            assert int(call.params.get("duration") or 0) >= 1  # real audio, not a stub
            assert live.last().file_id is not None

    run(scenario())

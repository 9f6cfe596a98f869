"""The same words sent again because no reply came (issue #9): a repeat is not a new answer.

Words that equal the previous answer and were written before the next question reached the
chat are not stored; the same words written after it was shown are an answer like any other.
First through ``BotCore`` on the in-memory stores (fixed clock), then through PTB's real HTTP
stack against the stand-in (real clock, message dates set as Telegram would), across a restart.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bots.telegram.core import BotCore
from bots.telegram.standin import BotApiStandIn
from bots.telegram.translate import Incoming
from companion.services import Services
from tests.bots.live import USER, Live, live_bot
from tests.bots.support import Chat, memory, run
from tests.bots.test_core import onboarded, start_hevd

THEME = "Å ha et sted å bo"
MORE = "Er det noe mer?"


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
def services() -> Services:
    return memory()


@pytest.fixture
def chat(services: Services) -> Chat:
    return Chat(BotCore(services))


def themes(services: Services, pid: str) -> list[str]:
    session = services.conversations.open_session(pid)
    assert session is not None
    return [t["text"] for t in session.results["hevd"]["themes"]]


def at_themes(chat: Chat) -> str:
    """Sara, onboarded, at HEVD's «what is important to you?» (a collect question)."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    chat.press("Ja, jeg vet noe")
    return pid


# --- BotCore, in memory -----------------------------------------------------------------------


def test_the_answer_again_while_the_next_question_is_unsent_is_not_stored(chat: Chat) -> None:
    """The bot has stored the answer, but its reply has not gone out yet: the same words again
    store nothing, and the question (already on its way) is not sent twice."""
    pid = at_themes(chat)
    written = chat.services.clock.now()
    chat.core.handle(
        Incoming(next(chat.updates), USER, USER, "text", text=THEME, written_at=written)
    )
    assert chat.services.outbox.pending("telegram"), "the next question is not sent yet"
    count = len(chat.shown)
    retry = next(chat.updates)
    chat.core.handle(Incoming(retry, USER, USER, "text", text=THEME, written_at=written))
    chat.flush()
    assert themes(chat.services, pid) == [THEME]
    assert chat.services.outbox.processed(f"telegram:{retry}")
    assert [t for t in chat.texts(count) if MORE in t] == [MORE], "asked once"


def test_the_answer_again_written_before_the_question_came_shows_it_again(chat: Chat) -> None:
    """Written before the next question reached the chat (a slow bot): nothing stored, the
    question shown again, with its buttons, and no other words."""
    pid = at_themes(chat)
    written = chat.services.clock.now()
    chat.text(THEME, written_at=written)
    assert chat.last_text() == MORE
    count = len(chat.shown)
    chat.text(f"  {THEME.upper()} ", written_at=written)  # case and spacing do not matter
    assert themes(chat.services, pid) == [THEME]
    assert chat.texts(count) == [MORE]
    assert "Nei, det er alt" in chat.buttons(chat.last_with_buttons())
    chat.press("Nei, det er alt")  # and the conversation goes on
    assert themes(chat.services, pid) == [THEME]


def test_the_same_words_after_the_question_was_shown_are_an_answer(chat: Chat) -> None:
    """A person may well give the same words to the next question: once it was shown, they
    are stored (and so are other words, or words without a date, whenever written)."""
    pid = at_themes(chat)
    early = chat.services.clock.now()
    chat.text(THEME, written_at=early)
    chat.text(THEME, written_at=chat.services.clock.now())
    assert themes(chat.services, pid) == [THEME, THEME]
    chat.text("Fullføre skolen", written_at=early)  # not the previous answer
    chat.text("Fullføre skolen")  # no date: unsure, so an answer
    assert themes(chat.services, pid) == [THEME, THEME, "Fullføre skolen", "Fullføre skolen"]


def test_the_same_second_counts_as_after(chat: Chat) -> None:
    """Telegram dates messages in whole seconds: written in the second the question went out
    may be after it, so it is an answer."""
    pid = at_themes(chat)
    chat.text(THEME, written_at=chat.services.clock.now())
    [sent] = [i for i in chat.services.outbox.items("telegram") if i.sent_at][-1:]
    assert sent.sent_at is not None
    same_second = sent.sent_at.replace(microsecond=0)
    chat.text(THEME, written_at=same_second)
    assert themes(chat.services, pid) == [THEME, THEME]


# --- PTB's real stack against the stand-in ----------------------------------------------------


async def at_themes_live(live: Live) -> str:
    pid = await live.onboard()
    await live.send_flow(pid)
    await live.press("Ja, jeg vet noe")
    return pid


def test_live_a_retyped_answer_is_caught_and_a_later_one_stored(tmp_path: Path) -> None:
    """Through PTB: the same words dated before the question was sent show it again and store
    nothing; the same words sent now (after it was shown) are the next answer."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await at_themes_live(live)
            before = int(time.time()) - 1  # the person's clock second before the answer
            await live.act(live.standin.send_text(USER, THEME, date=before))
            assert live.last().text == MORE
            asked = len(live.bot_messages())
            await live.act(live.standin.send_text(USER, THEME, date=before))
            assert themes(live.services, pid) == [THEME]
            again = live.bot_messages()[asked:]
            assert [m.text for m in again] == [MORE] and again[0].buttons
            await live.say(THEME)  # written now: after the question was shown
            assert themes(live.services, pid) == [THEME, THEME]
            assert live.last().text == MORE

    run(scenario())


def test_live_a_retyped_answer_across_a_restart_is_stored_once(tmp_path: Path) -> None:
    """The answer is stored but its reply is stuck (429) when the bot stops; the person,
    hearing nothing, writes the same words again. The next bot, reading only the database,
    stores them once and the conversation goes on."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin:
            async with live_bot(tmp_path, standin=standin) as live:
                pid = await at_themes_live(live)
                written = int(time.time()) - 1
                standin.fail_next("sendMessage", 429, retry_after=30)
                await live.act(standin.send_text(USER, THEME, date=written), drain=False)
                while not [c for c in standin.calls("sendMessage") if not c.ok]:
                    await asyncio.sleep(0.01)
                assert live.services.outbox.pending("telegram"), "the reply waits behind a 429"
            await standin.send_text(USER, THEME, date=written)
            async with live_bot(tmp_path, standin=standin) as again:
                await again.idle()
                assert again.services.outbox.pending("telegram") == []
                assert themes(again.services, pid) == [THEME]
                assert again.last().text == MORE
                await again.press("Nei, det er alt")
                assert again.last().text.startswith("Er det noe du ikke synes det er viktig")
                assert themes(again.services, pid) == [THEME]

    run(scenario())


def test_written_at_is_read_from_the_message_date() -> None:
    """``incoming`` keeps Telegram's ``date`` (whole seconds, UTC) for the core."""
    from telegram import Chat as TgChat
    from telegram import Message, Update, User

    when = datetime(2026, 11, 23, 6, 0, 5, tzinfo=UTC)
    message = Message(
        1, when, TgChat(USER, "private"), from_user=User(USER, "Sara", False), text=THEME
    )
    from bots.telegram.translate import incoming

    item = incoming(Update(7, message=message))
    assert item is not None and item.written_at == when

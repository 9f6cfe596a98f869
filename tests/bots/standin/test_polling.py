"""A real PTB Application long-polls the stand-in: commands, buttons, edits, redelivery, stop."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram.error import BadRequest, Conflict

from bots.telegram.standin import BotApiStandIn

USER = 4242


def test_start_with_payload_reaches_command_handler_with_args(run, polling, small_bot) -> None:
    """A deep-link '/start CODE' carries the bot_command entity, so PTB passes CODE as args."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, polling(standin, small_bot.handlers()):
            await standin.send_text(USER, "/start AbC-12_x")
            reply = await standin.wait_for(lambda call: call.method == "sendMessage")
            assert small_bot.start_args == [["AbC-12_x"]]
            assert reply.chat_id == USER
            assert reply.text == "Hei! Kode: AbC-12_x"
            assert reply.result["from"]["username"] == standin.bot_username
            assert [m.text for m in standin.chat(USER)] == [
                "/start AbC-12_x",
                "Hei! Kode: AbC-12_x",
            ]

    run(scenario())


def test_keyboard_round_trip_answers_and_edits(run, polling, small_bot) -> None:
    """Pressing a button sends a callback_query; the edit shows the choice and drops the keys."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, polling(standin, small_bot.handlers()):
            await standin.send_text(USER, "/start")
            question = await standin.wait_for(lambda call: call.method == "sendMessage")
            shown = standin.chat(USER)[-1]
            assert shown.buttons == [[("Ja", "yes")], [("Nei", "no")]]

            await standin.press(USER, question.message_id, "no")
            answer = await standin.wait_for(lambda call: call.method == "answerCallbackQuery")
            edit = await standin.wait_for(lambda call: call.method == "editMessageText")
            await standin.wait_idle()

            assert answer.ok
            assert edit.message_id == question.message_id
            edited = standin.chat(USER)[-1]
            assert (edited.text, edited.buttons, edited.edited) == ("Du valgte: no", [], True)
            assert edit.result["entities"] == [{"type": "bold", "offset": 11, "length": 2}]

    run(scenario())


def test_press_only_works_on_buttons_the_person_sees(run, polling, small_bot) -> None:
    """After the edit removed the keyboard, pressing it again is impossible for a person."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, polling(standin, small_bot.handlers()):
            await standin.send_text(USER, "/start")
            question = await standin.wait_for(lambda call: call.method == "sendMessage")
            await standin.press(USER, question.message_id, "yes")
            await standin.wait_for(lambda call: call.method == "editMessageText")
            with pytest.raises(LookupError):
                await standin.press(USER, question.message_id, "yes")
            with pytest.raises(LookupError):
                await standin.press(USER, 999, "yes")

    run(scenario())


def test_edit_is_reflected_in_chat_and_identical_edit_is_refused(run, bot_for) -> None:
    """editMessageText changes what the person sees; the same content again is 'not modified'."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            sent = await bot.send_message(USER, "Spørsmål 1")
            await bot.edit_message_text(
                "Spørsmål 1 (besvart)", chat_id=USER, message_id=sent.message_id
            )
            assert [m.text for m in standin.chat(USER)] == ["hei", "Spørsmål 1 (besvart)"]
            with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
                await bot.edit_message_text(
                    "Spørsmål 1 (besvart)", chat_id=USER, message_id=sent.message_id
                )
            with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
                await bot.edit_message_text("x", chat_id=USER, message_id=1)
            with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
                await bot.edit_message_text("x", chat_id=USER, message_id=99)
            assert await bot.delete_message(USER, sent.message_id)
            assert [m.message_id for m in standin.chat(USER)] == [1]

    run(scenario())


def test_duplicate_update_id_is_delivered_again(run, polling, small_bot) -> None:
    """inject() with an explicit update_id redelivers an update the bot already processed."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, polling(standin, small_bot.handlers()):
            first = await standin.send_text(USER, "/start ONE")
            await standin.wait_for(lambda call: call.method == "sendMessage")
            original = {
                "update_id": first,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": USER, "type": "private", "first_name": "Testa"},
                    "from": {"id": USER, "is_bot": False, "first_name": "Testa"},
                    "text": "/start ONE",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                },
            }
            assert standin.inject(original) == first
            await standin.wait_for(lambda call: call.method == "sendMessage")
            later = await standin.send_text(USER, "/start TWO")
            await standin.wait_for(lambda call: call.method == "sendMessage")
            await standin.wait_idle()
            assert small_bot.update_ids == [first, first, later]
            assert later == first + 1
            # The redelivered message is the same message: the chat does not grow from it.
            assert [m.text for m in standin.chat(USER) if not m.from_bot] == [
                "/start ONE",
                "/start TWO",
            ]

    run(scenario())


def test_stop_wakes_a_pending_long_poll_at_once(run, bot_for) -> None:
    """A 30 s getUpdates returns as soon as the stand-in stops, so teardown is quick."""

    async def scenario() -> None:
        standin = BotApiStandIn()
        await standin.start()
        async with bot_for(standin) as bot:
            poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
            await asyncio.sleep(0.2)
            assert not poll.done()
            began = time.monotonic()
            await standin.stop()
            assert await poll == ()
            assert time.monotonic() - began < 2

    run(scenario())


def test_application_teardown_is_quick_with_a_long_poll_timeout(run, polling, small_bot) -> None:
    """Stopping a polling Application (30 s poll timeout) and the stand-in takes under 2 s."""

    async def scenario() -> float:
        # Leaving the block stops the Application, then the stand-in.
        async with (
            BotApiStandIn() as standin,
            polling(standin, small_bot.handlers(), poll_timeout=30),
        ):
            await standin.send_text(USER, "/start")
            await standin.wait_for(lambda call: call.method == "sendMessage")
            await asyncio.sleep(0.2)  # the next long poll is now pending
            return time.monotonic()

    teardown_began = run(scenario())
    assert time.monotonic() - teardown_began < 2


def test_newer_get_updates_ends_an_older_one_with_conflict(run, bot_for) -> None:
    """Like Telegram, a second getUpdates terminates the first with 409 Conflict."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as old, bot_for(standin) as new:
            first = asyncio.create_task(old.get_updates(timeout=20, read_timeout=30))
            await asyncio.sleep(0.2)
            assert await new.get_updates(timeout=0) == ()
            with pytest.raises(Conflict, match="terminated by other getUpdates request"):
                await first

    run(scenario())


def test_get_updates_honours_offset_and_limit(run, bot_for) -> None:
    """Updates stay until an offset confirms them; limit caps a batch."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            ids = [await standin.send_text(USER, f"m{n}") for n in range(3)]
            batch = await bot.get_updates(limit=2)
            assert [u.update_id for u in batch] == ids[:2]
            assert [u.update_id for u in await bot.get_updates()] == ids
            rest = await bot.get_updates(offset=ids[1] + 1)
            assert [u.message.text for u in rest] == ["m2"]
            assert await bot.get_updates(offset=ids[2] + 1) == ()
            await standin.wait_idle()

    run(scenario())


def test_long_poll_wakes_on_a_new_update(run, bot_for) -> None:
    """A waiting getUpdates returns the new update at once, not at its timeout."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            poll = asyncio.create_task(bot.get_updates(timeout=20, read_timeout=30))
            await asyncio.sleep(0.1)
            began = time.monotonic()
            await standin.send_text(USER, "hallo")
            updates = await poll
            assert [u.message.text for u in updates] == ["hallo"]
            assert time.monotonic() - began < 1

    run(scenario())


def test_edit_reply_markup_replaces_and_removes_the_keyboard(run, bot_for) -> None:
    """editMessageReplyMarkup swaps the buttons the person sees, or removes them."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            first = InlineKeyboardMarkup([[InlineKeyboardButton("1", callback_data="1")]])
            second = InlineKeyboardMarkup([[InlineKeyboardButton("2", callback_data="2")]])
            sent = await bot.send_message(USER, "Velg", reply_markup=first)
            await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=second)
            assert standin.chat(USER)[-1].buttons == [[("2", "2")]]
            with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
                await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=second)
            await bot.edit_message_reply_markup(USER, sent.message_id)
            shown = standin.chat(USER)[-1]
            assert (shown.text, shown.buttons, shown.edited) == ("Velg", [], True)

    run(scenario())

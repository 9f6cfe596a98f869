"""The stand-in refuses what Telegram refuses, and PTB raises the matching exceptions."""

from __future__ import annotations

import re
from typing import Any, cast

import httpx
import pytest
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest, InvalidToken

from bots.telegram.standin import BotApiStandIn

USER = 4242


def _keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d or "x", callback_data=d)] for d in data])


def test_text_limit_is_4096_characters_after_parsing(run, bot_for) -> None:
    """4096 characters pass (also inside markup), 4097 raise BadRequest 'message is too long'."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            await bot.send_message(USER, "x" * 4096)
            await bot.send_message(USER, "<b>" + "æ" * 4096 + "</b>", parse_mode="HTML")
            with pytest.raises(BadRequest, match=r"(?i)message is too long"):
                await bot.send_message(USER, "x" * 4097)
            with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
                await bot.send_message(USER, "  \n ")
            refused = standin.calls("sendMessage")[-1]
            assert (refused.ok, refused.error) == (False, "Bad Request: message text is empty")
            assert len(standin.chat(USER)) == 3

    run(scenario())


def test_callback_data_is_limited_to_64_bytes(run, bot_for) -> None:
    """64 bytes pass (32 'ø' are 64 bytes), 65 raise BUTTON_DATA_INVALID, empty is a text button."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            await bot.send_message(USER, "ok", reply_markup=_keyboard("a" * 64, "ø" * 32))
            with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
                await bot.send_message(USER, "for lang", reply_markup=_keyboard("a" * 65))
            with pytest.raises(BadRequest, match=r"(?i)Text buttons are unallowed"):
                await bot.send_message(USER, "tom", reply_markup=_keyboard(""))

    run(scenario())


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ({"inline_keyboard": [{"text": "a", "callback_data": "a"}]}, "Array of Arrays"),
        ({"inline_keyboard": [[{"callback_data": "a"}]]}, 'find field "text"'),
        ({"inline_keyboard": [[{"text": "a"}]]}, "Text buttons are unallowed"),
        ({"inline_keyboard": [[{"text": "a", "callback_data": "a"}] * 9]}, "REPLY_MARKUP_TOO_LONG"),
        ({"inline_keyboard": [[{"text": "a", "url": "javascript:x"}]]}, "BUTTON_URL_INVALID"),
        ({"something": True}, "can't parse reply keyboard markup"),
    ],
)
def test_keyboard_shape_is_checked(run, bot_for, markup, error) -> None:
    """Malformed inline keyboards are refused with Telegram's descriptions."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            with pytest.raises(BadRequest, match=r"(?i)" + re.escape(error)):
                # A raw dict goes out JSON-encoded like any markup; PTB's types would not allow it.
                await bot.send_message(USER, "x", reply_markup=cast(Any, markup))

    run(scenario())


@pytest.mark.parametrize(
    ("text", "parse_mode", "error"),
    [
        ("Hei<br>du", "HTML", 'Unsupported start tag "br" at byte offset 3'),
        ("<b>fet <i>og</b> kursiv</i>", "HTML", 'expected "</i>", found "</b>"'),
        ("<b>aldri lukket", "HTML", 'start tag "b"'),
        ("slutt</b>", "HTML", "Unexpected end tag"),
        ("<span>x</span>", "HTML", 'must have class "tg-spoiler"'),
        ("Ferdig.", "MarkdownV2", "Character '.' is reserved"),
        ("1-2", "MarkdownV2", "Character '-' is reserved"),
        ("*fet", "MarkdownV2", "Can't find end of Bold entity at byte offset 0"),
        ("hei", "Rot13", "unsupported parse_mode"),
    ],
)
def test_bad_markup_raises_bad_request(run, bot_for, text, parse_mode, error) -> None:
    """Unknown or unbalanced HTML tags and unescaped MarkdownV2 characters are refused."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            with pytest.raises(BadRequest, match=r"(?i)can't parse entities|parse_mode"):
                await bot.send_message(USER, text, parse_mode=parse_mode)
            # PTB re-cases the description; the stand-in's own record keeps Telegram's text.
            assert error in str(standin.calls("sendMessage")[-1].error)

    run(scenario())


def test_good_markup_yields_entities(run, bot_for) -> None:
    """Correct HTML and MarkdownV2 are accepted and come back as plain text plus entities."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            html = await bot.send_message(
                USER,
                'Ring <b>116 111</b> &amp; <a href="https://116111.no">les mer</a>',
                parse_mode="HTML",
            )
            assert html.text == "Ring 116 111 & les mer"
            assert [(e.type, e.offset, e.length) for e in html.entities] == [
                ("bold", 5, 7),
                ("text_link", 15, 7),
            ]
            md = await bot.send_message(
                USER, r"Klokka er 12\.00 \- *ferdig*\!", parse_mode="MarkdownV2"
            )
            assert md.text == "Klokka er 12.00 - ferdig!"
            assert [(e.type, e.offset, e.length) for e in md.entities] == [("bold", 18, 6)]

    run(scenario())


def test_unknown_chat_and_chat_actions(run, bot_for) -> None:
    """The bot cannot start conversations; sendChatAction knows Telegram's action names."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            with pytest.raises(BadRequest, match=r"(?i)chat not found"):
                await bot.send_message(777, "hei")
            await standin.send_text(USER, "hei")
            assert await bot.send_chat_action(USER, "typing")
            with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
                await bot.send_chat_action(USER, "dancing")

    run(scenario())


def test_callback_query_can_be_answered_once(run, bot_for) -> None:
    """A second answer to the same callback query is refused like an expired one."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            sent = await bot.send_message(USER, "Velg", reply_markup=_keyboard("a"))
            await standin.press(USER, sent.message_id, "a")
            (update,) = await bot.get_updates(offset=-1)
            assert update.callback_query.message.message_id == sent.message_id
            assert await bot.answer_callback_query(update.callback_query.id, text="Takk")
            with pytest.raises(BadRequest, match=r"(?i)query is too old"):
                await bot.answer_callback_query(update.callback_query.id)

    run(scenario())


def test_commands_are_stored_per_scope_and_language(run, bot_for) -> None:
    """setMyCommands/getMyCommands keep one list per scope and language_code, no fallback."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            nb = [BotCommand("start", "Start"), BotCommand("hjelp", "Hjelp")]
            en = [BotCommand("start", "Start"), BotCommand("help", "Help")]
            assert await bot.set_my_commands(nb, language_code="nb")
            assert await bot.set_my_commands(en, language_code="en")
            await bot.set_my_commands(nb[:1], scope=BotCommandScopeChat(USER), language_code="nb")
            assert await bot.get_my_commands(language_code="en") == tuple(en)
            assert await bot.get_my_commands(language_code="nn") == ()
            assert await bot.get_my_commands(
                scope=BotCommandScopeChat(USER), language_code="nb"
            ) == tuple(nb[:1])
            assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == ()
            assert standin.commands("nb") == [c.to_dict() for c in nb]
            with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
                await bot.set_my_commands([BotCommand("Start-Now", "x")])
            with pytest.raises(BadRequest, match=r"(?i)invalid language code"):
                await bot.set_my_commands(nb, language_code="norsk")

    run(scenario())


def test_wrong_token_is_invalid_and_unknown_method_is_400(run, bot_for) -> None:
    """A wrong token is 401 (PTB: InvalidToken); an unknown method is 400 in Telegram's envelope."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin:
            with pytest.raises(InvalidToken):
                async with bot_for(standin, token="999:WRONG"):
                    pass  # entering calls getMe
            async with httpx.AsyncClient() as client:
                response = await client.post(f"{standin.base_url}{standin.token}/sendPigeon")
                assert response.status_code == 400
                body = response.json()
                assert body["ok"] is False and body["error_code"] == 400
                json_body = await client.post(f"{standin.base_url}{standin.token}/getMe", json={})
                assert json_body.json()["result"]["username"] == "companion_test_bot"
                missing = await client.get(f"{standin.base_file_url}{standin.token}/voice/nope.oga")
                assert missing.status_code == 404

    run(scenario())

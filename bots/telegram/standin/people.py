"""What a person does, as the updates Telegram would send the bot."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from bots.telegram.standin.markup import utf16_len

JSONDict = dict[str, Any]

# Telegram marks /commands at the start of a word (optionally /cmd@botname) as bot_command.
_COMMAND_RE = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])")


def person(user_id: int, first_name: str, language_code: str) -> JSONDict:
    """A Telegram `User` for a person."""
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name,
        "language_code": language_code,
    }


def private_chat(user: JSONDict) -> JSONDict:
    """The private `Chat` between the bot and this person."""
    return {"id": user["id"], "first_name": user["first_name"], "type": "private"}


def text_content(text: str) -> JSONDict:
    """A text message's content with the bot_command entities PTB's CommandHandler needs."""
    content: JSONDict = {"text": text}
    entities = [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND_RE.finditer(text)
    ]
    if entities:
        content["entities"] = entities
    return content


def callback_query(user: JSONDict, message: JSONDict, data: str) -> JSONDict:
    """A button press: id, from, the full message, chat_instance and data."""
    return {
        "id": str(secrets.randbits(63)),
        "from": user,
        "message": message,
        "chat_instance": str(-(10**12) - int(message["chat"]["id"])),
        "data": data,
    }


def membership_change(user: JSONDict, bot: JSONDict, old: str, new: str) -> JSONDict:
    """A `my_chat_member` update body: the person blocked (kicked) or unblocked the bot."""

    def member(status: str) -> JSONDict:
        body: JSONDict = {"status": status, "user": bot}
        if status == "kicked":
            body["until_date"] = 0
        return body

    return {
        "chat": private_chat(user),
        "from": user,
        "date": int(time.time()),
        "old_chat_member": member(old),
        "new_chat_member": member(new),
    }

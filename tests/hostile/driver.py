"""Driving the real bot (PTB over loopback HTTP against the stand-in) with hostile updates.

``Probe`` wraps a ``Live`` bot: it sends one hostile update, waits until the bot is done with
it, and reports what the bot said; every failure logged by the bot's error handler is kept so
a test can assert there were none.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

from bots.telegram.app import runtime
from bots.telegram.standin import ChatMessage
from bots.telegram.standin.people import text_content
from tests.bots.live import USER, Live

_message_ids = itertools.count(10_000)


class Failures(logging.Handler):
    """Collects ERROR records (the bot's error handler logs every failed update there)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()}" for r in self.records]


def person(user: int) -> dict[str, Any]:
    return {"id": user, "is_bot": False, "first_name": "Testa", "language_code": "nb"}


def message_update(user: int, text: str) -> dict[str, Any]:
    """A private text message as Telegram would send it (bot_command entities included when
    the text can be measured in UTF-16, i.e. has no lone surrogates)."""
    try:
        content = text_content(text)
    except UnicodeEncodeError:
        content = {"text": text}
    return {
        "message": {
            "message_id": next(_message_ids),
            "date": 0,
            "chat": {"id": user, "type": "private", "first_name": "Testa"},
            "from": person(user),
            **content,
        }
    }


def callback_update(
    live: Live, user: int, data: str, message: ChatMessage | None
) -> dict[str, Any]:
    """A button press with any ``data`` on ``message`` (or on no message at all)."""
    query: dict[str, Any] = {
        "id": f"q{next(_message_ids)}",
        "from": person(user),
        "chat_instance": "ci",
        "data": data,
    }
    if message is not None:
        query["message"] = {
            "message_id": message.message_id,
            "date": 0,
            "chat": {"id": user, "type": "private", "first_name": "Testa"},
            "from": {"id": live.standin.bot_id, "is_bot": True, "first_name": "Bot"},
            "text": message.text,
        }
    return {"callback_query": query}


@dataclass
class Probe:
    """Sends hostile updates to a live bot, one at a time."""

    live: Live
    failures: Failures = field(default_factory=Failures)

    def __post_init__(self) -> None:
        logging.getLogger().addHandler(self.failures)

    def close(self) -> None:
        logging.getLogger().removeHandler(self.failures)

    @property
    def handled(self) -> int:
        return runtime(self.live.app).core.handled

    async def send(self, update: dict[str, Any], user: int = USER) -> list[ChatMessage]:
        """Inject ``update``; the bot messages it caused (the bot must handle it)."""
        before = len(self.live.bot_messages(user))
        await self.live.act(self.live.standin.inject(update))
        return self.live.bot_messages(user)[before:]

    async def text(self, text: str, user: int = USER) -> list[ChatMessage]:
        return await self.send(message_update(user, text), user)

    async def dropped_or_handled(self, update: dict[str, Any], user: int = USER) -> int:
        """Inject ``update`` that the bot may drop before it reaches the core; wait until the
        stand-in saw it confirmed and the bot went quiet. How many updates the core handled."""
        before = self.handled
        update_id = self.live.standin.inject(update)
        state = self.live.standin._state
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            with state.lock:
                pending = [p.update_id for p in state.updates._pending]
            if update_id not in pending:
                break
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"update {update_id} was never confirmed")
            await asyncio.sleep(0.01)
        await self.live.idle()
        return self.handled - before

    async def still_answers(self, user: int = USER) -> str:
        """A normal message after the hostile ones gets its normal answer: the text of it."""
        replies = await self.text("Hei, dette er en vanlig melding.", user)
        assert replies, "the bot did not answer a normal message after hostile input"
        return replies[-1].text


def table_counts(live: Live) -> dict[str, int]:
    """Rows per table in the bot's database (the same encrypted file, read through its
    own connection): what a hostile case may or may not have added."""
    db = live.services.db
    names = [
        str(row[0])
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        if not str(row[0]).startswith("sqlite_")
    ]
    return {name: int(db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]) for name in names}

"""Helpers for the bot tests: people in a case, and a chat driven through ``BotCore`` directly."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from bots.telegram.core import BotCore, Outcome
from bots.telegram.translate import Incoming
from companion.config import Settings
from companion.flows.fakes import FixedClock, SequentialIds
from companion.ports import Participant
from companion.services import Services, memory_services

SECRET = "test-secret-" + "x" * 24
USER = 4242


def settings(**changes: Any) -> Settings:
    return Settings(bot_secret=SECRET, **changes)  # type: ignore[arg-type]


def memory(**changes: Any) -> Services:
    """Services on the in-memory fakes with a fixed clock (Monday 2026-01-05 10:00 Oslo)."""
    return memory_services(settings(**changes), clock=FixedClock(), ids=SequentialIds())


def youth(services: Services, name: str = "Sara") -> Participant:
    """A caseworker «kari» with one case and one youth in it."""
    kari = services.directory.get_caseworker_by_username("kari")
    if kari is None:
        kari = services.directory.add_caseworker("kari", "Kari", "caseworker", "x")
    case = services.directory.add_case(kari.id, "Familien Fjell")
    return services.directory.add_participant(case.id, "youth", name)


@dataclass
class Chat:
    """One Telegram user talking to ``BotCore`` (no PTB, no HTTP); sent rows are marked sent."""

    core: BotCore
    user: int = USER
    updates: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    shown: list[dict[str, Any]] = field(default_factory=list)
    """Every API call made for this chat, in order ({"method", "params"})."""
    volatile: list[dict[str, Any]] = field(default_factory=list)

    @property
    def services(self) -> Services:
        return self.core.services

    def _do(self, **fields: Any) -> Outcome:
        fields.setdefault("update_id", next(self.updates))
        fields.setdefault("user_id", self.user)
        fields.setdefault("chat_id", self.user)
        outcome = self.core.handle(Incoming(**fields))
        self.volatile.extend(c.payload() for c in outcome.volatile)
        self.flush()
        return outcome

    def flush(self) -> list[dict[str, Any]]:
        """Expand and 'send' every pending row (as the sender would), oldest first."""
        new = []
        for item in self.services.outbox.pending("telegram", limit=1000):
            for call in self.core.expand(item):
                new.append(call.payload())
            self.core.delivered(item)
            self.services.outbox.mark_sent(item.id)
        self.shown.extend(new)
        return new

    def text(self, words: str, **fields: Any) -> Outcome:
        return self._do(kind="text", text=words, **fields)

    def command(self, name: str, args: str = "", **fields: Any) -> Outcome:
        text = f"/{name} {args}".strip()
        return self._do(kind="command", command=name, args=args, text=text, **fields)

    def press(self, label: str, *, message: dict[str, Any] | None = None, **fields: Any) -> Outcome:
        """Press the button labelled ``label`` on the last message that has buttons."""
        message = message or self.last_with_buttons()
        params = message["params"]
        for row in params["reply_markup"]["inline_keyboard"]:
            for button in row:
                if button["text"] == label:
                    return self.press_data(button["callback_data"], params, **fields)
        raise AssertionError(f"no button {label!r} in {self.buttons(message)}")

    def press_data(self, data: str, params: dict[str, Any] | None = None, **fields: Any) -> Outcome:
        params = params or self.last_with_buttons()["params"]
        return self._do(
            kind="callback",
            callback_id=f"cb{len(self.shown)}",
            callback_data=data,
            message_id=fields.pop("message_id", 100),
            message_text=params.get("text"),
            **fields,
        )

    def last_with_buttons(self) -> dict[str, Any]:
        for call in reversed(self.shown):
            markup = call["params"].get("reply_markup") or {}
            if call["method"] == "sendMessage" and markup.get("inline_keyboard"):
                return call
        raise AssertionError("no message with buttons")

    @staticmethod
    def buttons(call: dict[str, Any]) -> list[str]:
        markup = call["params"].get("reply_markup") or {}
        return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]

    def texts(self, since: int = 0) -> list[str]:
        return [
            c["params"]["text"]
            for c in self.shown[since:]
            if c["method"] in ("sendMessage", "editMessageText")
        ]

    def last_text(self) -> str:
        return self.texts()[-1]


def run(scenario: Coroutine[Any, Any, Any], timeout: float = 45) -> Any:
    """Run one async scenario in a fresh event loop, with a time limit."""
    return asyncio.run(asyncio.wait_for(scenario, timeout))

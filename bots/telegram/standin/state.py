"""What the stand-in remembers: chats and their messages, the bot's calls, and the whole state."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bots.telegram.standin.errors import bad_request
from bots.telegram.standin.files import FileStore
from bots.telegram.standin.limits import RATE_LIMITED_METHODS, Faults, RateLimiter
from bots.telegram.standin.profile import CommandStore
from bots.telegram.standin.signals import Notifier
from bots.telegram.standin.updates import UpdateQueue
from bots.telegram.standin.webhook import Webhook

JSONDict = dict[str, Any]
Button = tuple[str, str | None]


@dataclass(frozen=True)
class SentCall:
    """One Bot API call the bot made, as the stand-in received and answered it."""

    method: str
    chat_id: int | None
    text: str | None
    """`text` or `caption` exactly as sent (markup not parsed)."""
    reply_markup: JSONDict | None
    message_id: int | None
    """The message sent, or the message an edit/delete/action targets."""
    params: JSONDict
    """All parameters, with JSON, integer and boolean fields decoded."""
    files: dict[str, bytes] = field(default_factory=dict)
    ok: bool = True
    error: str | None = None
    """Telegram's description when the stand-in refused the call."""
    result: Any = None
    """The `result` the bot received (a Message dict for sends and edits)."""


@dataclass(frozen=True)
class ChatMessage:
    """One message as the person sees it now (edits applied, deleted ones gone)."""

    message_id: int
    from_bot: bool
    text: str
    """The text, or a media message's caption ("" when none), with markup parsed away."""
    buttons: list[list[Button]]
    """Inline keyboard rows of (text, callback_data); callback_data is None for URL buttons."""
    kind: str = "text"
    """"text", "voice", "photo", "document" or "other"."""
    file_id: str | None = None
    edited: bool = False


class Chats:
    """Chats, people and messages; callers hold the state lock."""

    def __init__(self, bot_user: JSONDict) -> None:
        self.bot_user = bot_user
        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._last_message_id: dict[int, int] = {}
        self._open_queries: set[str] = set()

    def remember(self, update: JSONDict) -> None:
        """Learn the chats, messages and callback queries an incoming update carries."""
        for kind in ("message", "edited_message", "callback_query", "my_chat_member"):
            body = update.get(kind)
            if not isinstance(body, dict):
                continue
            if kind == "callback_query":
                self._open_queries.add(str(body.get("id")))
                body = body.get("message")
                if not isinstance(body, dict):
                    continue
            chat = body.get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                self._chats.setdefault(chat["id"], copy.deepcopy(chat))
                if kind == "message" and isinstance(body.get("message_id"), int):
                    self._store(chat["id"], body)

    def has_chat(self, chat_id: int) -> bool:
        """Whether anyone in this chat has talked to the bot."""
        return chat_id in self._chats

    def chat(self, chat_id: int) -> JSONDict:
        """The `Chat` object, or 400 'chat not found' (the bot cannot start conversations)."""
        if chat_id not in self._chats:
            raise bad_request("chat not found")
        return copy.deepcopy(self._chats[chat_id])

    def add_chat(self, chat: JSONDict) -> None:
        """Remember a chat a person opened."""
        self._chats.setdefault(chat["id"], copy.deepcopy(chat))

    def add_message(
        self, chat_id: int, sender: JSONDict, content: JSONDict, date: int | None = None
    ) -> JSONDict:
        """Store a new message from `sender` (written at `date`, default now); a copy of it."""
        message_id = self._last_message_id.get(chat_id, 0) + 1
        message = {
            "message_id": message_id,
            "from": copy.deepcopy(sender),
            "chat": self.chat(chat_id),
            "date": int(time.time()) if date is None else date,
            **copy.deepcopy(content),
        }
        self._store(chat_id, message)
        return copy.deepcopy(message)

    def _store(self, chat_id: int, message: JSONDict) -> None:
        """Keep a message once, and keep message ids increasing per chat."""
        messages = self._messages.setdefault(chat_id, {})
        message_id = int(message["message_id"])
        if message_id not in messages:  # a redelivered update changes nothing
            messages[message_id] = copy.deepcopy(message)
        self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """The live stored message (callers copy before handing it out)."""
        return self._messages.get(chat_id, {}).get(message_id)

    def delete(self, chat_id: int, message_id: int) -> bool:
        """Remove a message; False if there was none."""
        return self._messages.get(chat_id, {}).pop(message_id, None) is not None

    def answer_query(self, query_id: str) -> bool:
        """Close an open callback query; False if unknown or already answered."""
        if query_id in self._open_queries:
            self._open_queries.discard(query_id)
            return True
        return False

    def view(self, chat_id: int) -> list[ChatMessage]:
        """The chat as the person sees it now."""
        return [
            _chat_message(message, self.bot_user["id"])
            for message in self._messages.get(chat_id, {}).values()
        ]


def _chat_message(message: JSONDict, bot_id: int) -> ChatMessage:
    """A stored Message as the person sees it."""
    kind, file_id = "other", None
    if "text" in message:
        kind = "text"
    elif "voice" in message:
        kind, file_id = "voice", message["voice"]["file_id"]
    elif "photo" in message:
        kind, file_id = "photo", message["photo"][-1]["file_id"]
    elif "document" in message:
        kind, file_id = "document", message["document"]["file_id"]
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return ChatMessage(
        message_id=message["message_id"],
        from_bot=(message.get("from") or {}).get("id") == bot_id,
        text=message.get("text") or message.get("caption") or "",
        buttons=[[(b["text"], b.get("callback_data")) for b in row] for row in rows],
        kind=kind,
        file_id=file_id,
        edited="edit_date" in message,
    )


class CallLog:
    """The bot's calls in order, plus what `wait_for` and `wait_idle` need."""

    def __init__(self, lock: threading.RLock, notifier: Notifier) -> None:
        self._lock = lock
        self.notifier = notifier
        self._calls: list[SentCall] = []
        self._open: list[SentCall] = []
        """Successful calls no `take` returned yet, in order: what `take` looks through (every
        waiter looks after every call, so scanning the whole log grew with its square)."""
        self.in_flight = 0
        self.last_activity = time.monotonic()

    def begin(self) -> None:
        """A call arrived and is being answered."""
        with self._lock:
            self.in_flight += 1
            self.last_activity = time.monotonic()

    def touch(self) -> None:
        """Something happened that `wait_idle` should wait out."""
        with self._lock:
            self.last_activity = time.monotonic()

    def record(self, call: SentCall | None) -> None:
        """A call was answered (None: not one worth recording)."""
        with self._lock:
            self.in_flight -= 1
            self.last_activity = time.monotonic()
            if call is not None:
                self._calls.append(call)
                if call.ok:
                    self._open.append(call)
        self.notifier.notify()

    def select(self, method: str | None, chat_id: int | None) -> list[SentCall]:
        """Calls, optionally only one method (any letter case) and/or one chat."""
        with self._lock:
            return [
                call
                for call in self._calls
                if (method is None or call.method.lower() == method.lower())
                and (chat_id is None or call.chat_id == chat_id)
            ]

    def take(self, predicate: Callable[[SentCall], bool]) -> SentCall | None:
        """The earliest successful call matching `predicate` not returned before."""
        with self._lock:
            for index, call in enumerate(self._open):
                if predicate(call):
                    del self._open[index]
                    return call
        return None


@dataclass
class StandInState:
    """Everything the stand-in knows; Bot API methods read and change it under `lock`."""

    token: str
    bot_user: JSONDict
    enforce_rate_limits: bool
    lock: threading.RLock = field(default_factory=threading.RLock)
    update_signal: Notifier = field(default_factory=Notifier)
    call_signal: Notifier = field(default_factory=Notifier)
    files: FileStore = field(default_factory=FileStore)
    commands: CommandStore = field(default_factory=CommandStore)
    faults: Faults = field(default_factory=Faults)
    rate: RateLimiter = field(default_factory=RateLimiter)
    webhook: Webhook = field(default_factory=Webhook)
    stopping: bool = False

    def __post_init__(self) -> None:
        self.chats = Chats(self.bot_user)
        self.calls = CallLog(self.lock, self.call_signal)
        self.updates = UpdateQueue(self.update_signal)

    def admit(self, method: str, chat_id: int) -> None:
        """Flood control for one message to `chat_id`, when enforced."""
        if self.enforce_rate_limits and method.lower() in RATE_LIMITED_METHODS:
            self.rate.admit(chat_id)

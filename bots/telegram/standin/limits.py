"""Faults on demand (fail_next, block) and Telegram's flood limits."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from bots.telegram.standin.errors import ApiError, for_status, forbidden, too_many_requests

# The methods Telegram's flood control counts here: messages that land in a chat.
RATE_LIMITED_METHODS = frozenset(
    {"sendmessage", "sendvoice", "senddocument", "sendphoto", "editmessagetext"}
)
PER_CHAT_PER_SECOND = 1
OVERALL_PER_SECOND = 30


class Faults:
    """Failures the test asked for: the next calls of a method, or every call to a chat."""

    def __init__(self) -> None:
        self._planned: dict[str, deque[ApiError]] = {}
        self._blocked: set[int] = set()

    def fail_next(self, method: str, status: int, retry_after: int, count: int) -> None:
        """Answer the next `count` calls of `method` with `status`."""
        queue = self._planned.setdefault(method.lower(), deque())
        queue.extend(for_status(status, retry_after) for _ in range(count))

    def planned_failure(self, method: str) -> ApiError | None:
        """The planned failure for this call, if any (consumes it)."""
        queue = self._planned.get(method.lower())
        return queue.popleft() if queue else None

    def block(self, chat_id: int) -> None:
        """The person blocked the bot."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The person unblocked the bot."""
        self._blocked.discard(chat_id)

    def is_blocked(self, chat_id: int) -> bool:
        """Whether the person in this chat has blocked the bot."""
        return chat_id in self._blocked

    def check_chat(self, chat_id: int | None) -> None:
        """403 for a chat whose person blocked the bot."""
        if chat_id is not None and chat_id in self._blocked:
            raise forbidden("bot was blocked by the user")


class RateLimiter:
    """Sliding one-second windows: 1 message per chat and 30 overall, else 429."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._per_chat: dict[int, deque[float]] = {}
        self._overall: deque[float] = deque()

    def admit(self, chat_id: int) -> None:
        """Count one message to `chat_id`, or refuse it with 429 and `retry_after`."""
        now = self._clock()
        chat = self._per_chat.setdefault(chat_id, deque())
        for window in (chat, self._overall):
            while window and now - window[0] >= 1.0:
                window.popleft()
        for window, limit in ((chat, PER_CHAT_PER_SECOND), (self._overall, OVERALL_PER_SECOND)):
            if len(window) >= limit:
                # Telegram's retry_after is whole seconds, never 0.
                raise too_many_requests(max(1, math.ceil(1.0 - (now - window[0]))))
        chat.append(now)
        self._overall.append(now)

"""The update queue and getUpdates long polling."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bots.telegram.standin.errors import conflict

if TYPE_CHECKING:
    from bots.telegram.standin.params import Params
    from bots.telegram.standin.signals import Notifier
    from bots.telegram.standin.state import StandInState

JSONDict = dict[str, Any]

# What Telegram sends when allowed_updates is empty: everything except these three.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass(eq=False)
class Pending:
    """An update Telegram holds until the bot confirms it."""

    update: JSONDict
    redelivery: bool
    """Injected with an explicit update_id: delivered once even below the bot's offset."""
    delivered: bool = False

    @property
    def update_id(self) -> int:
        """The update's id."""
        return int(self.update["update_id"])

    @property
    def kind(self) -> str:
        """The update type, e.g. "message" (what allowed_updates filters on)."""
        return next((key for key in self.update if key != "update_id"), "")


class UpdateQueue:
    """Updates waiting for getUpdates or the webhook; callers hold the state lock."""

    def __init__(self, signal: Notifier) -> None:
        self._signal = signal
        self._pending: list[Pending] = []
        self._next_id = 1
        self._allowed: frozenset[str] = frozenset()
        self.poll_generation = 0
        self.poll_end_reason = ""

    def push(self, update: JSONDict) -> int:
        """Queue an update (numbering it unless it has an update_id) and wake pollers."""
        update = copy.deepcopy(update)
        redelivery = isinstance(update.get("update_id"), int)
        if not redelivery:
            update = {"update_id": self._next_id, **update}
        self._next_id = max(self._next_id, int(update["update_id"]) + 1)
        self._pending.append(Pending(update, redelivery))
        self._signal.notify()
        return int(update["update_id"])

    def set_allowed(self, allowed: list[Any]) -> None:
        """Remember allowed_updates (an empty list means Telegram's default set)."""
        self._allowed = frozenset(str(kind) for kind in allowed)

    def _is_allowed(self, item: Pending) -> bool:
        """Whether allowed_updates lets this update through."""
        if self._allowed:
            return item.kind in self._allowed
        return item.kind not in _NOT_BY_DEFAULT

    def confirm(self, offset: int) -> None:
        """Forget what `offset` confirms, as getUpdates does."""
        before = len(self._pending)
        if offset < 0:
            # A negative offset keeps only the last -offset updates.
            self._pending = self._pending[offset:]
        else:
            self._pending = [
                item
                for item in self._pending
                if item.update_id >= offset or (item.redelivery and not item.delivered)
            ]
        if len(self._pending) != before:
            self._signal.notify()

    def take(self, limit: int) -> list[JSONDict]:
        """Up to `limit` updates for getUpdates; they stay queued until confirmed."""
        self._drop_disallowed()
        batch: list[Pending] = []
        for item in self._pending[:limit]:
            # A redelivered update travels alone: the offset the bot derives from it must not
            # confirm the newer updates around it.
            if item.redelivery and batch:
                break
            batch.append(item)
            if item.redelivery:
                break
        for item in batch:
            item.delivered = True
        return [copy.deepcopy(item.update) for item in batch]

    def first(self) -> Pending | None:
        """The next update for the webhook."""
        self._drop_disallowed()
        return self._pending[0] if self._pending else None

    def discard(self, item: Pending) -> None:
        """Forget an update the webhook accepted."""
        if item in self._pending:
            self._pending.remove(item)
            self._signal.notify()

    def clear(self) -> None:
        """Drop every pending update (drop_pending_updates)."""
        self._pending.clear()
        self._signal.notify()

    def __len__(self) -> int:
        """How many updates wait for delivery or confirmation."""
        return len(self._pending)

    def _drop_disallowed(self) -> None:
        """Forget updates allowed_updates filters out, as Telegram never sends them."""
        self._pending = [item for item in self._pending if self._is_allowed(item)]

    def end_polls(self, reason: str) -> int:
        """End any pending long poll with 409 `reason`; returns the new poll generation."""
        self.poll_generation += 1
        self.poll_end_reason = reason
        self._signal.notify()
        return self.poll_generation


async def get_updates(state: StandInState, params: Params) -> list[JSONDict]:
    """getUpdates: confirm by offset, then answer at once or long-poll until `timeout`."""
    offset = params.integer("offset")
    limit = params.integer("limit")
    limit = 100 if limit is None or not 1 <= limit <= 100 else limit
    timeout = max(0.0, params.number("timeout") or 0.0)
    allowed = params.json_value("allowed_updates")
    with state.lock:
        if state.webhook.url:
            raise conflict(
                "can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )
        if isinstance(allowed, list):
            state.updates.set_allowed(allowed)
        if offset is not None:
            state.updates.confirm(offset)
        # Telegram ends an older pending getUpdates when a newer one arrives.
        generation = state.updates.end_polls(
            "terminated by other getUpdates request; make sure that only one bot instance is running"
        )
    deadline = time.monotonic() + timeout
    while True:
        seen = state.update_signal.version
        with state.lock:
            if state.stopping:
                return []
            if state.updates.poll_generation != generation:
                raise conflict(state.updates.poll_end_reason)
            batch = state.updates.take(limit)
        remaining = deadline - time.monotonic()
        if batch or remaining <= 0:
            return batch
        await state.update_signal.wait(seen, remaining)


ASYNC_METHODS = {"getUpdates": get_updates}

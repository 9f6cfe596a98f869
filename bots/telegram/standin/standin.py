"""`BotApiStandIn`: a local Telegram Bot API for tests and the demo."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from bots.telegram.standin import people, validation
from bots.telegram.standin.files import voice_json
from bots.telegram.standin.messages import bot_sender
from bots.telegram.standin.server import build_app
from bots.telegram.standin.state import ChatMessage, SentCall, StandInState
from bots.telegram.standin.webhook import deliver_forever

JSONDict = dict[str, Any]
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_THREAD_TIMEOUT = 10.0


class BotApiStandIn:
    """A faithful local Bot API on 127.0.0.1: PTB talks to it over real HTTP.

    Inject what a person does (`send_text`, `press`, `send_voice`, `inject`), observe what the
    bot did (`calls`, `chat`, `wait_for`, `wait_idle`) and cause faults (`fail_next`, `block`).
    """

    def __init__(
        self,
        token: str = "123456:TEST",  # noqa: S107 - a test token; the stand-in is offline
        *,
        enforce_rate_limits: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "companion_test_bot",
        bot_name: str = "Companion (test)",
    ) -> None:
        if host not in _LOOPBACK:
            raise ValueError(f"the stand-in only listens on this machine, not on {host!r}")
        prefix = token.split(":", 1)[0]
        bot_user = {
            "id": int(prefix) if prefix.isdigit() else 1,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._state = StandInState(token, bot_user, enforce_rate_limits)
        self._host = host
        self._port = port
        self._people: dict[int, JSONDict] = {}
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None
        self.idle_quiet_period = 0.25
        """Seconds without calls after which `wait_idle` considers the bot done."""

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on host:port (port 0 picks a free one) and start webhook delivery."""
        if self._runner is not None:
            raise RuntimeError("the stand-in is already running")
        with self._state.lock:
            self._state.stopping = False
        # The short shutdown timeout is only a backstop: stop() wakes long polls first.
        runner = web.AppRunner(build_app(self._state), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except OSError:
            await runner.cleanup()  # e.g. the port is taken: leave nothing half-open
            raise
        self._port = int(runner.addresses[0][1])
        self._runner = runner
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._webhook_task = asyncio.create_task(
            deliver_forever(self._state, self._session), name="standin-webhook"
        )

    async def stop(self) -> None:
        """Answer pending long polls at once, stop delivering and close the server."""
        with self._state.lock:
            self._state.stopping = True
        self._state.update_signal.notify()
        self._state.call_signal.notify()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiStandIn:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """Where the stand-in listens, e.g. http://127.0.0.1:PORT."""
        if self._runner is None:
            raise RuntimeError("start the stand-in first")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder().base_file_url(...)` (PTB appends the token)."""
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        """The only token the stand-in accepts."""
        return self._state.token

    @property
    def bot_username(self) -> str:
        """The bot's username, as getMe reports it."""
        return str(self._state.bot_user["username"])

    @property
    def bot_id(self) -> int:
        """The bot's user id (the token's numeric prefix)."""
        return int(self._state.bot_user["id"])

    # --- what a person does -------------------------------------------------------------------

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Testa",
        language_code: str = "nb",
        date: int | None = None,
    ) -> int:
        """The person writes `text` (a /command gets its bot_command entity); returns update_id.

        `date`: when they wrote it (Unix seconds, as Telegram's `date`; default now), e.g. a
        message written offline or delivered late."""
        return self.send_text_sync(
            user_id, text, first_name=first_name, language_code=language_code, date=date
        )

    def send_text_sync(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Testa",
        language_code: str = "nb",
        date: int | None = None,
    ) -> int:
        """`send_text` for code without an event loop (thread-safe)."""
        if not text.strip() or len(text) > validation.MAX_TEXT:
            raise ValueError(
                "a person can only send 1..4096 characters (clients split longer text)"
            )
        with self._state.lock:
            user = self._person(user_id, first_name, language_code)
            return self._message_from(user, people.text_content(text), date)

    async def press(self, user_id: int, message_id: int, callback_data: str) -> int:
        """The person presses the button with `callback_data` on a bot message; returns update_id.

        Only buttons the person can see now can be pressed (LookupError otherwise); use
        `inject` for forged or outdated callback data.
        """
        return self.press_sync(user_id, message_id, callback_data)

    def press_sync(self, user_id: int, message_id: int, callback_data: str) -> int:
        """`press` for code without an event loop (thread-safe)."""
        with self._state.lock:
            message = self._state.chats.message(user_id, message_id)
            if message is None:
                raise LookupError(f"chat {user_id} shows no message {message_id}")
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            if callback_data not in [button.get("callback_data") for row in rows for button in row]:
                raise LookupError(f"message {message_id} shows no button {callback_data!r}")
            query = people.callback_query(self._person(user_id), dict(message), callback_data)
            return self._queue({"callback_query": query})

    async def send_voice(self, user_id: int, ogg: bytes, duration: int) -> int:
        """The person records a voice note; the bot can getFile and download it."""
        return self.send_voice_sync(user_id, ogg, duration)

    def send_voice_sync(self, user_id: int, ogg: bytes, duration: int) -> int:
        """`send_voice` for code without an event loop (thread-safe)."""
        with self._state.lock:
            stored = self._state.files.add(ogg, kind="voice", mime_type="audio/ogg")
            user = self._person(user_id)
            return self._message_from(user, {"voice": voice_json(stored, duration)})

    def inject(self, update: JSONDict) -> int:
        """Queue a raw update; an explicit update_id is kept (redelivery), else one is assigned."""
        with self._state.lock:
            return self._queue(update)

    def _person(
        self, user_id: int, first_name: str | None = None, language_code: str | None = None
    ) -> JSONDict:
        """The person's User, remembering name and language from their last message."""
        known = self._people.get(user_id, people.person(user_id, "Testa", "nb"))
        user = people.person(
            user_id, first_name or known["first_name"], language_code or known["language_code"]
        )
        self._people[user_id] = user
        return user

    def _message_from(self, user: JSONDict, content: JSONDict, date: int | None = None) -> int:
        """Store a person's message in their chat and queue its update."""
        chat_id = int(user["id"])
        self._state.chats.add_chat(people.private_chat(user))
        if self._state.faults.is_blocked(chat_id):
            # Writing to the bot means the person unblocked it, which Telegram announces first.
            self._state.faults.unblock(chat_id)
            change = people.membership_change(user, bot_sender(self._state), "kicked", "member")
            self._queue({"my_chat_member": change})
        message = self._state.chats.add_message(chat_id, user, content, date)
        return self._queue({"message": message})

    def _queue(self, update: JSONDict) -> int:
        """Learn the chats an update mentions and queue it for getUpdates or the webhook."""
        self._state.chats.remember(update)
        return self._state.updates.push(update)

    # --- what the bot did ---------------------------------------------------------------------

    def calls(self, method: str | None = None, chat_id: int | None = None) -> list[SentCall]:
        """The bot's calls in order (getUpdates left out; refused calls have ok=False)."""
        return self._state.calls.select(method, chat_id)

    def chat(self, chat_id: int) -> list[ChatMessage]:
        """The chat as the person sees it now: edits applied, deleted messages gone."""
        with self._state.lock:
            return self._state.chats.view(chat_id)

    def commands(
        self, language_code: str = "", scope: JSONDict | None = None
    ) -> list[dict[str, str]]:
        """The command list setMyCommands stored for this language and scope."""
        with self._state.lock:
            return self._state.commands.get(validation.command_scope(scope), language_code)

    async def wait_for(
        self, predicate: Callable[[SentCall], bool], timeout: float = 5.0
    ) -> SentCall:
        """The earliest successful call matching `predicate` that no earlier wait_for returned."""
        signal = self._state.call_signal
        deadline = time.monotonic() + timeout
        while True:
            seen = signal.version
            found = self._state.calls.take(predicate)
            if found is not None:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                made = ", ".join(call.method for call in self.calls()[-10:]) or "none"
                raise TimeoutError(f"no matching call within {timeout}s (last calls: {made})")
            await signal.wait(seen, remaining)

    async def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until every update is confirmed and the bot made no call for a quiet period."""
        deadline = time.monotonic() + timeout
        while True:
            with self._state.lock:
                pending = len(self._state.updates)
                in_flight = self._state.calls.in_flight
                quiet_for = time.monotonic() - self._state.calls.last_activity
            if not pending and not in_flight and quiet_for >= self.idle_quiet_period:
                return
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"not idle after {timeout}s: {pending} unconfirmed updates, "
                    f"{in_flight} calls in flight"
                )
            # Idle means nothing happens, so there is no event to wait on: poll briefly.
            await asyncio.sleep(0.02)

    # --- faults and limits --------------------------------------------------------------------

    def fail_next(
        self, method: str, status: int = 429, retry_after: int = 1, count: int = 1
    ) -> None:
        """Answer the next `count` calls of `method` with `status` (429 carries retry_after)."""
        with self._state.lock:
            self._state.faults.fail_next(method, status, retry_after, count)

    def block(self, chat_id: int) -> int:
        """The person blocks the bot: later calls to the chat answer 403; returns the update_id
        of the `my_chat_member` update Telegram sends about it."""
        with self._state.lock:
            self._state.faults.block(chat_id)
            user = self._person(chat_id)
            change = people.membership_change(user, bot_sender(self._state), "member", "kicked")
            return self._queue({"my_chat_member": change})

    def unblock(self, chat_id: int) -> None:
        """The person unblocks the bot (writing to it again does this too)."""
        with self._state.lock:
            self._state.faults.unblock(chat_id)

    # --- threads ------------------------------------------------------------------------------

    def run_in_thread(self) -> None:
        """Serve from a daemon thread with its own event loop (phone simulator, demo)."""
        if self._thread is not None:
            raise RuntimeError("the stand-in already runs in a thread")
        loop = asyncio.new_event_loop()
        started = threading.Event()
        failures: list[BaseException] = []

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:
                failures.append(exc)
                loop.close()
                return
            finally:
                started.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        thread = threading.Thread(target=serve, name="bot-api-standin", daemon=True)
        thread.start()
        started.wait(_THREAD_TIMEOUT)
        if failures:
            thread.join(_THREAD_TIMEOUT)
            raise failures[0]
        self._thread, self._thread_loop = thread, loop

    def stop_thread(self) -> None:
        """Stop a stand-in started with `run_in_thread` and wait for its thread."""
        thread, loop = self._thread, self._thread_loop
        if thread is None or loop is None:
            return
        asyncio.run_coroutine_threadsafe(self.stop(), loop).result(_THREAD_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_THREAD_TIMEOUT)
        self._thread = self._thread_loop = None

"""A local stand-in for the Telegram Bot API, for tests and the offline demo.

PTB talks to it over real HTTP on 127.0.0.1::

    async with BotApiStandIn(token="123456:TEST") as standin:
        app = (
            ApplicationBuilder().token(standin.token)
            .base_url(standin.base_url).base_file_url(standin.base_file_url).build()
        )
        await standin.send_text(42, "/start CODE")
        reply = await standin.wait_for(lambda call: call.method == "sendMessage")

Behaviour worth knowing when writing tests against it:

- `calls()` lists every call in order except getUpdates; refused calls are there too, with
  `ok=False` and Telegram's `error`. `wait_for` only matches successful calls, and never returns
  the same call twice.
- The bot cannot start conversations: sending to a chat nobody has written from is 400
  "chat not found", as in Telegram.
- `press` only presses buttons the person can see now (LookupError otherwise); send forged or
  outdated callback data with `inject`.
- editMessageText without reply_markup removes the inline keyboard, as Telegram does.
- An update injected with an explicit update_id is delivered once more even below the bot's
  offset (a redelivery), alone in its getUpdates batch.
- `block` queues the `my_chat_member` update Telegram sends; the person writing again unblocks.
- PTB 22 warns when `RetryAfter.retry_after` is read as seconds; set `PTB_TIMEDELTA=1`.
"""

from __future__ import annotations

from bots.telegram.standin.standin import BotApiStandIn
from bots.telegram.standin.state import ChatMessage, SentCall

__all__ = ["BotApiStandIn", "ChatMessage", "SentCall"]

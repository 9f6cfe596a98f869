"""Webhook mode: setWebhook/deleteWebhook/getWebhookInfo and POSTing updates to the bot."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from bots.telegram.standin import validation
from bots.telegram.standin.errors import Described

if TYPE_CHECKING:
    from bots.telegram.standin.params import Params
    from bots.telegram.standin.state import StandInState
    from bots.telegram.standin.updates import Pending

_LOG = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
_FIRST_RETRY = 0.05
_LAST_RETRY = 1.0


@dataclass
class Webhook:
    """The webhook as setWebhook left it ("" url: none, updates go to getUpdates)."""

    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


def set_webhook(state: StandInState, params: Params) -> Described:
    """setWebhook: deliver updates by POST from now on (an empty url removes the webhook)."""
    url = params.string("url") or ""
    secret = params.string("secret_token") or None
    if url:
        validation.webhook_url(url)
    validation.secret_token(secret)
    allowed = params.json_value("allowed_updates")
    if isinstance(allowed, list):
        state.updates.set_allowed(allowed)
    if params.flag("drop_pending_updates"):
        state.updates.clear()
    was_set = bool(state.webhook.url)
    state.webhook.url = url
    state.webhook.secret_token = secret if url else None
    state.webhook.max_connections = params.integer("max_connections") or 40
    if url:
        state.updates.end_polls("terminated by setWebhook request")
        return Described(True, "Webhook was set")
    return Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")


def delete_webhook(state: StandInState, params: Params) -> Described:
    """deleteWebhook: back to getUpdates, optionally dropping what is pending."""
    if params.flag("drop_pending_updates"):
        state.updates.clear()
    was_set = bool(state.webhook.url)
    state.webhook.url = ""
    state.webhook.secret_token = None
    state.update_signal.notify()
    return Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")


def get_webhook_info(state: StandInState, params: Params) -> dict[str, Any]:
    """getWebhookInfo: the current webhook and its last delivery error."""
    hook = state.webhook
    info: dict[str, Any] = {
        "url": hook.url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }
    if hook.url:
        info["max_connections"] = hook.max_connections
        info["ip_address"] = "127.0.0.1"
    if hook.last_error_date is not None:
        info["last_error_date"] = hook.last_error_date
        info["last_error_message"] = hook.last_error_message
    return info


METHODS = {
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}


async def deliver_forever(state: StandInState, session: aiohttp.ClientSession) -> None:
    """POST pending updates to the webhook one at a time, in order, retrying until accepted."""
    retry = _FIRST_RETRY
    while True:
        seen = state.update_signal.version
        with state.lock:
            if state.stopping:
                return
            url, secret = state.webhook.url, state.webhook.secret_token
            item = state.updates.first() if url else None
        if item is None:
            await state.update_signal.wait(seen, 1.0)
            continue
        error = await _post(session, url, secret, item)
        with state.lock:
            if error is None:
                state.updates.discard(item)
                retry = _FIRST_RETRY
                continue
            state.webhook.last_error_date = int(time.time())
            state.webhook.last_error_message = error
        _LOG.debug("webhook delivery of update %s failed: %s", item.update_id, error)
        # Like Telegram, keep the update and try again later, backing off.
        await asyncio.sleep(retry)
        retry = min(retry * 2, _LAST_RETRY)


async def _post(
    session: aiohttp.ClientSession, url: str, secret: str | None, item: Pending
) -> str | None:
    """POST one update; None when the bot answered 2xx, else Telegram's error text."""
    headers = {"Content-Type": "application/json"}
    if secret:
        headers[SECRET_HEADER] = secret
    try:
        async with session.post(url, data=json.dumps(item.update), headers=headers) as response:
            await response.read()
            if 200 <= response.status < 300:
                return None
            return f"Wrong response from the webhook: {response.status} {response.reason}"
    except (aiohttp.ClientError, TimeoutError) as exc:
        return f"Connection failed: {type(exc).__name__}"

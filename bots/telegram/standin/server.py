"""The HTTP side: routes, token check, faults, dispatch, recording and Telegram's JSON envelope."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from aiohttp import web

from bots.telegram.standin import files, media, messages, profile, updates, webhook
from bots.telegram.standin.errors import ApiError, Described, bad_request
from bots.telegram.standin.params import MAX_UPLOAD_BYTES, Params, read_params
from bots.telegram.standin.state import SentCall, StandInState

_LOG = logging.getLogger(__name__)

SyncMethod = Callable[[StandInState, Params], Any]
AsyncMethod = Callable[[StandInState, Params], Awaitable[Any]]

# Method names are case-insensitive in the Bot API; keys are lower case.
SYNC_METHODS: dict[str, tuple[str, SyncMethod]] = {
    name.lower(): (name, method)
    for table in (profile.METHODS, messages.METHODS, media.METHODS, files.METHODS, webhook.METHODS)
    for name, method in table.items()
}
ASYNC_METHODS: dict[str, tuple[str, AsyncMethod]] = {
    name.lower(): (name, method) for name, method in updates.ASYNC_METHODS.items()
}
# Polling is transport, not something the bot "did"; recording it would bury the real calls.
_UNRECORDED = frozenset({"getupdates"})


def build_app(state: StandInState) -> web.Application:
    """The aiohttp application serving `/bot<token>/<method>` and `/file/bot<token>/<path>`."""
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
    app.router.add_route("*", "/bot{token}/{method}", partial(_api, state))
    app.router.add_get("/file/bot{token}/{path:.+}", partial(_download, state))
    app.router.add_route("*", "/{tail:.*}", _not_found)
    return app


async def _api(state: StandInState, request: web.Request) -> web.Response:
    """One Bot API call, answered in Telegram's envelope and recorded for the test."""
    key = request.match_info["method"].lower()
    name = (SYNC_METHODS.get(key) or ASYNC_METHODS.get(key) or (request.match_info["method"],))[0]
    recorded = key not in _UNRECORDED
    if recorded:
        state.calls.begin()
    params = Params({}, {})
    call: SentCall | None = None
    try:
        try:
            if request.match_info["token"] != state.token:
                raise ApiError(401, "Unauthorized")
            params = await read_params(request)
            result = await _dispatch(state, key, name, params)
        except ApiError as exc:
            call = _sent_call(name, params, None, exc.description)
            return web.json_response(exc.payload(), status=exc.status)
        except Exception as exc:
            # A bug in the stand-in must surface in the test, not hang it.
            _LOG.exception("stand-in failed on %s", name)
            call = _sent_call(name, params, None, f"Internal Server Error: {exc!r}")
            body = {"ok": False, "error_code": 500, "description": call.error}
            return web.json_response(body, status=500)
        payload: dict[str, Any] = {"ok": True, "result": result}
        if isinstance(result, Described):
            payload = {"ok": True, "result": result.result, "description": result.description}
            result = result.result
        if key == "getupdates" and result:
            state.calls.touch()  # the bot just got work: not idle yet
        call = _sent_call(name, params, result, None)
        return web.json_response(payload)
    finally:
        if recorded:
            state.calls.record(call)


async def _dispatch(state: StandInState, key: str, name: str, params: Params) -> Any:
    """Planned faults and blocked chats first, then the method itself."""
    with state.lock:
        if key not in SYNC_METHODS and key not in ASYNC_METHODS:
            # Telegram answers 404 here, but PTB maps 404 to InvalidToken; 400 reads truer.
            raise bad_request(f'method "{name}" is not implemented by the stand-in')
        failure = state.faults.planned_failure(key)
        if failure is not None:
            raise failure
        chat_id = params.values.get("chat_id")
        if isinstance(chat_id, int) or (isinstance(chat_id, str) and chat_id.lstrip("-").isdigit()):
            state.faults.check_chat(int(chat_id))
        if key in SYNC_METHODS:
            return SYNC_METHODS[key][1](state, params)
    return await ASYNC_METHODS[key][1](state, params)


def _sent_call(name: str, params: Params, result: Any, error: str | None) -> SentCall:
    """The record of one call."""
    decoded = params.decoded()
    chat_id = decoded.get("chat_id")
    text = decoded.get("text", decoded.get("caption"))
    markup = decoded.get("reply_markup")
    message_id = decoded.get("message_id")
    if isinstance(result, dict) and isinstance(result.get("message_id"), int):
        message_id = result["message_id"]
    return SentCall(
        method=name,
        chat_id=chat_id if isinstance(chat_id, int) else None,
        text=text if isinstance(text, str) else None,
        reply_markup=markup if isinstance(markup, dict) else None,
        message_id=message_id if isinstance(message_id, int) else None,
        params=decoded,
        files={part: upload.data for part, upload in params.uploads.items()},
        ok=error is None,
        error=error,
        result=result,
    )


async def _download(state: StandInState, request: web.Request) -> web.Response:
    """GET /file/bot<token>/<file_path>: the bytes getFile pointed at."""
    if request.match_info["token"] != state.token:
        return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
    stored = state.files.at_path(request.match_info["path"])
    if stored is None:
        return await _not_found(request)
    return web.Response(body=stored.data, content_type="application/octet-stream")


async def _not_found(request: web.Request) -> web.Response:
    """Anything else: Telegram's JSON 404."""
    return web.json_response(
        {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
    )

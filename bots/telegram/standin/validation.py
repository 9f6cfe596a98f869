"""Telegram's limits on what a bot sends: text, captions, keyboards, commands, webhooks."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from bots.telegram.standin.errors import bad_request
from bots.telegram.standin.markup import Entity, parse, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
# Telegram refuses bigger inline keyboards with REPLY_MARKUP_TOO_LONG.
MAX_BUTTONS_PER_ROW = 8
MAX_BUTTONS = 100
MAX_COMMANDS = 100

_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_SCOPE_TYPES = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def formatted_text(
    text: str | None, parse_mode: str | None, entities: Any
) -> tuple[str, list[Entity]]:
    """A message text parsed and trimmed like Telegram; 1..4096 characters after parsing."""
    plain, found = _formatted(text or "", parse_mode, entities)
    if not plain:
        raise bad_request("message text is empty")
    # tdlib counts characters (code points) for this limit, not UTF-16 units or bytes.
    if len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return plain, found


def caption(
    text: str | None, parse_mode: str | None, entities: Any
) -> tuple[str | None, list[Entity]]:
    """An optional media caption: at most 1024 characters after parsing."""
    if not text:
        return None, []
    plain, found = _formatted(text, parse_mode, entities)
    if len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return plain or None, found


def _formatted(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[Entity]]:
    """Parse markup (or take explicit entities), then strip outer whitespace as Telegram does."""
    if parse_mode:
        plain, found = parse(text, parse_mode)
    else:
        plain, found = text, _explicit_entities(entities)
    stripped = plain.strip()
    shift = utf16_len(plain[: len(plain) - len(plain.lstrip())])
    end = utf16_len(stripped)
    kept: list[Entity] = []
    for entity in found:
        start = max(0, entity["offset"] - shift)
        stop = min(end, entity["offset"] + entity["length"] - shift)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


def _explicit_entities(entities: Any) -> list[Entity]:
    """Entities the bot passed itself (no parse_mode)."""
    if entities is None:
        return []
    if not isinstance(entities, list) or not all(
        isinstance(e, dict)
        and isinstance(e.get("type"), str)
        and isinstance(e.get("offset"), int)
        and isinstance(e.get("length"), int)
        for e in entities
    ):
        raise bad_request("can't parse entities JSON object")
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """A validated reply_markup; inline keyboards come back normalized as Telegram echoes them."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _inline_keyboard(markup["inline_keyboard"])}
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        _reply_keyboard(markup["keyboard"])
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _inline_keyboard(rows: Any) -> list[list[dict[str, Any]]]:
    """Inline keyboard rows: arrays of buttons, each with text and exactly one action."""
    if not isinstance(rows, list):
        raise bad_request('field "inline_keyboard" must be of type Array')
    if not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" must be of type Array of Arrays')
    if sum(len(row) for row in rows) > MAX_BUTTONS or any(
        len(row) > MAX_BUTTONS_PER_ROW for row in rows
    ):
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    return [[_inline_button(button) for button in row] for row in rows]


def _inline_button(button: Any) -> dict[str, Any]:
    """One inline button, with the fields Telegram echoes back."""
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise bad_request(prefix + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request(prefix + "Text must be non-empty")
    # An empty callback_data counts as no action at all, as in tdlib.
    actions = [key for key in _BUTTON_ACTIONS if button.get(key) not in (None, "")]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if data is not None:
        if not isinstance(data, str):
            raise bad_request(prefix + 'Field "callback_data" must be of type String')
        if len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and (
        not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https", "tg")
    ):
        raise bad_request("BUTTON_URL_INVALID")
    return {key: button[key] for key in ("text", *actions)}


def _reply_keyboard(rows: Any) -> None:
    """A reply keyboard: rows of strings or objects with non-empty text."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" must be of type Array of Arrays')
    for row in rows:
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text:
                raise bad_request("can't parse keyboard button: Text must be non-empty")


def callback_answer_text(text: str | None) -> None:
    """answerCallbackQuery text: at most 200 characters."""
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")


def chat_action(action: str | None) -> None:
    """sendChatAction accepts only Telegram's action names."""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")


def bot_commands(commands: Any) -> list[dict[str, str]]:
    """setMyCommands: up to 100 commands of [a-z0-9_]{1,32} with 1..256-character descriptions."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked: list[dict[str, str]] = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand: object expected")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND_RE.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": name, "description": description})
    return checked


def command_scope(scope: Any) -> dict[str, Any]:
    """A BotCommandScope (default when absent), with only the fields that identify it."""
    if scope is None:
        return {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
        raise bad_request("unsupported bot command scope type")
    required = _SCOPE_TYPES[scope["type"]]
    for name in required:
        if scope.get(name) in (None, ""):
            raise bad_request(f"{name} is empty")
    return {"type": scope["type"], **{name: _chat_or_user_id(scope[name]) for name in required}}


def _chat_or_user_id(value: Any) -> Any:
    """An id as an int whether it came as a number or a numeric string."""
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value


def language_code(code: str | None) -> str:
    """A two-letter ISO 639-1 code, or "" for all languages."""
    if code and not _LANGUAGE_RE.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code or ""


def webhook_url(url: str) -> None:
    """A webhook URL; the stand-in only ever connects to this machine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: invalid webhook URL specified")
    if parts.hostname not in _LOOPBACK_HOSTS:
        raise bad_request("bad webhook: the stand-in only delivers to 127.0.0.1")


def secret_token(token: str | None) -> None:
    """setWebhook secret_token: 1..256 of A-Z, a-z, 0-9, _ and -."""
    if token is not None and not _SECRET_RE.fullmatch(token):
        raise bad_request("secret token contains unallowed characters")

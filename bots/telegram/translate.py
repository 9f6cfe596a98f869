"""Pure translation between Telegram and the engine (G21): no network, no store, no clock.

- ``incoming(update)``: a PTB ``Update`` → an ``Incoming`` (plain data the core understands);
- ``incoming_json(update)``: the same straight from the Bot API's JSON object (the bot's own
  getUpdates loop: no PTB objects built), None for anything malformed;
- ``to_input(incoming)``: → an engine ``Input``;
- ``render_events(events, ctx)``: engine events → Bot API calls (``ApiCall``): plain text (no
  ``parse_mode``, so nothing needs escaping), split under 4096 characters, the question's
  buttons as an inline keyboard with signed ``callback_data``;
- ``chosen_edit`` / ``multi_keyboard``: what a pressed button changes in the chat;
- ``voice_prompt`` / ``spoken``: a prompt also as a voice note (synthesized when sent).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from telegram import Message, Update
from telegram import Voice as TelegramVoice
from telegram.warnings import PTBDeprecationWarning

from bots.telegram import texts
from bots.telegram.callbacks import Signer, session_binding
from companion.flows import events as ev
from companion.flows.inputs import Command, CommandInput, Input, TextInput
from companion.outbox import shown_events

MAX_TEXT = 4096
"""Telegram's limit for one message, in characters (UTF-16 code units; see ``_units``)."""
MAX_LABEL = 60
"""Longer option labels are shortened on the button and listed in full in the message."""

Say = Callable[[tuple[str, str]], str]
"""A bot text (``N_`` pair) in the person's language."""

ENGINE_COMMANDS = {
    "help": Command.HELP,
    "pause": Command.PAUSE,
    "continue": Command.CONTINUE,
    "back": Command.BACK,
    "skip": Command.SKIP,
    "sos": Command.URGENT,
    "urgent": Command.URGENT,
}


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call: the method and its parameters, JSON-ready (stored in the outbox)."""

    method: str
    params: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        return {"method": self.method, "params": self.params}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ApiCall:
        return cls(method=str(payload["method"]), params=dict(payload["params"]))


IncomingKind = Literal["text", "command", "callback", "voice", "other"]


@dataclass(frozen=True)
class VoiceNote:
    """A voice note as Telegram describes it; the audio stays with Telegram until fetched."""

    file_id: str
    duration: float = 0.0
    """Seconds, as the person's app claims (decoding checks again)."""
    file_size: int | None = None
    mime_type: str | None = None


@dataclass(frozen=True)
class Heard:
    """What listening to a voice note gave: the words, or the friendly reason there are none."""

    text: str = ""
    confidence: float | None = None
    problem: tuple[str, str] | None = None
    """An ``N_`` message for the person (nothing is stored then)."""
    values: tuple[tuple[str, str], ...] = ()
    """Placeholders in ``problem`` (``{max_seconds}`` …)."""


@dataclass(frozen=True)
class Incoming:
    """What a person did, as plain data: a text, a /command, a button press, a voice note."""

    update_id: int
    user_id: int
    chat_id: int
    kind: IncomingKind
    text: str = ""
    command: str | None = None
    args: str = ""
    callback_id: str | None = None
    callback_data: str | None = None
    message_id: int | None = None
    """The message a pressed button sits on."""
    message_text: str | None = None
    language_code: str | None = None
    note: VoiceNote | None = None
    heard: Heard | None = None
    """Set by the handler once the voice note was listened to."""
    written_at: datetime | None = None
    """When the person sent the message, as Telegram says (whole seconds; None for a press)."""


def incoming(update: Update) -> Incoming | None:
    """The person's action in a private chat; None for anything else (groups, edits …)."""
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is not None and message.chat.type != "private":
            return None
        return Incoming(
            update_id=update.update_id,
            user_id=query.from_user.id,
            chat_id=message.chat.id if message is not None else query.from_user.id,
            kind="callback",
            callback_id=query.id,
            callback_data=query.data or "",
            message_id=message.message_id if message is not None else None,
            message_text=message.text if isinstance(message, Message) else None,
            language_code=query.from_user.language_code,
        )
    message = update.message
    if message is None or message.from_user is None or message.chat.type != "private":
        return None
    text = message.text
    return _said(
        update.update_id,
        message.from_user.id,
        message.chat.id,
        message.from_user.language_code,
        message.date,
        text,
        ((e.type, e.offset, e.length) for e in message.entities),
        voice_note(message.voice) if text is None and message.voice is not None else None,
    )


def incoming_json(update: Mapping[str, Any]) -> Incoming | None:
    """The person's action in a private chat, from the update as the Bot API sends it (JSON
    object); None for anything else (groups, edits …) and for anything malformed.

    The same ``Incoming`` as ``incoming(Update.de_json(update, bot))`` (without a ``Defaults``
    time zone), at a fraction of the cost: no PTB object is built. Every field read must have
    its Bot API type (an integer id is an ``int``, not a bool, and fits in 64 bits; a date is
    between 1970 and 9999), else the update is dropped; fields not read are not looked at.
    """
    try:
        return _from_json(update)
    except (KeyError, TypeError, ValueError, AttributeError):  # _Malformed is a ValueError
        return None


Entity = tuple[str, int, int]
"""A message entity as plain data: ``(type, offset, length)``, offsets in UTF-16 units."""


def _said(
    update_id: int,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    written_at: datetime | None,
    text: str | None,
    entities: Iterable[Entity],
    note: VoiceNote | None,
) -> Incoming | None:
    """A message as an ``Incoming`` (both paths): text or /command, a voice note, or other."""
    if text is None:
        kind: IncomingKind = "other" if note is None else "voice"
        return Incoming(
            update_id=update_id,
            user_id=user_id,
            chat_id=chat_id,
            kind=kind,
            note=note,
            language_code=language_code,
            written_at=written_at,
        )
    clean = as_delivered(text)
    if clean is None:
        return None
    command = _command_in(text, entities)
    return Incoming(
        update_id=update_id,
        user_id=user_id,
        chat_id=chat_id,
        kind="text" if command is None else "command",
        text=clean,
        command=None if command is None else command[0],
        args="" if command is None else as_delivered(command[1]) or "",
        language_code=language_code,
        written_at=written_at,
    )


# --- the Bot API's JSON -----------------------------------------------------------------------


class _Malformed(ValueError):
    """A field the translation reads is missing or not of its Bot API type."""


_INT64 = 1 << 63
_LAST_DATE = 253402300799
"""9999-12-31 23:59:59 UTC: the last second a ``datetime`` holds."""


def _int(value: object) -> int:
    """An integer as the Bot API sends one (a bool is not one); SQLite stores 64 bits."""
    if type(value) is not int or not -_INT64 <= value < _INT64:
        raise _Malformed
    return value


def _seconds(value: object) -> float:
    """A claimed duration, whatever it says (decoding measures the audio itself): a lie
    must not drop a person's voice note."""
    if type(value) is float:
        return value
    return float(_int(value))


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise _Malformed
    return value


def _optional_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _object(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Malformed
    return value


def _from_json(update: Mapping[str, Any]) -> Incoming | None:
    if not isinstance(update, dict | Mapping):  # a dict (from JSON) is checked fastest
        return None
    update_id = _int(update.get("update_id"))
    query = update.get("callback_query")
    if query is not None:
        return _press_json(update_id, _object(query))
    if update.get("message") is None:
        return None  # edits, channel posts, polls … are not a person's new input
    message = _object(update["message"])
    sender = message.get("from")
    chat = _object(message.get("chat"))
    if sender is None or _str(chat.get("type")) != "private":
        return None
    sender = _object(sender)
    text = _optional_str(message.get("text"))
    voice = message.get("voice") if text is None else None
    date = _int(message.get("date"))
    if not 0 <= date <= _LAST_DATE:
        raise _Malformed
    return _said(
        update_id,
        _int(sender.get("id")),
        _int(chat.get("id")),
        _optional_str(sender.get("language_code")),
        datetime.fromtimestamp(date, UTC),
        text,
        () if text is None else _entities_json(message.get("entities")),
        None if voice is None else _voice_json(_object(voice)),
    )


def _press_json(update_id: int, query: dict[str, Any]) -> Incoming | None:
    """A button press: on a message in a private chat, or (``message`` missing) one too old."""
    user = _object(query.get("from"))
    user_id = _int(user.get("id"))
    chat_id, message_id, message_text = user_id, None, None
    message = query.get("message")
    if message is not None:
        message = _object(message)
        chat = _object(message.get("chat"))
        if _str(chat.get("type")) != "private":
            return None
        chat_id, message_id = _int(chat.get("id")), _int(message.get("message_id"))
        # PTB 22 parses a press's message as a ``Message`` even when it is inaccessible (date
        # 0), so ``incoming`` keeps its text; an inaccessible message simply has none.
        message_text = _optional_str(message.get("text"))
    return Incoming(
        update_id=update_id,
        user_id=user_id,
        chat_id=chat_id,
        kind="callback",
        callback_id=_str(query.get("id")),
        callback_data=_optional_str(query.get("data")) or "",
        message_id=message_id,
        message_text=message_text,
        language_code=_optional_str(user.get("language_code")),
    )


def _entities_json(entities: object) -> list[Entity]:
    if entities is None:
        return []
    if not isinstance(entities, list):
        raise _Malformed
    return [
        (_str(e.get("type")), _int(e.get("offset")), _int(e.get("length")))
        for e in map(_object, entities)
    ]


def _voice_json(voice: dict[str, Any]) -> VoiceNote:
    size = voice.get("file_size")
    return VoiceNote(
        _str(voice.get("file_id")),
        _seconds(voice.get("duration")),
        None if size is None else _int(size),
        _optional_str(voice.get("mime_type")),
    )


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 control characters but newline and tab: an escape sequence in a message would
otherwise reach the caseworker's terminal (the TUI passes ESC through: OSC 52 can write the
clipboard, CSI can redraw the screen)."""


def as_delivered(text: str) -> str | None:
    """``text`` safe to store and show, or None when only a forged update could carry it.

    Control characters become spaces (they may separate words the safety lexicon looks for; a
    carriage return becomes a newline). Telegram sends valid UTF-8 of
    at most ``MAX_TEXT`` units: a lone surrogate (``\\ud800`` in the JSON) cannot be stored in
    SQLite, so it becomes U+FFFD; anything longer, or nothing but control characters, is dropped.
    """
    if len(text) > 2 * MAX_TEXT:  # too long even if every "\r\n" became "\n": skip the work
        return None
    clean = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    clean = _CONTROL.sub(" ", clean.replace("\r\n", "\n").replace("\r", "\n"))
    if not clean.strip() or _units(clean) > MAX_TEXT:
        return None
    return clean


def voice_note(voice: TelegramVoice) -> VoiceNote:
    """The note's id, claimed length, size and type (PTB 22 durations may be timedeltas)."""
    with warnings.catch_warnings():  # PTB 22 warns unless PTB_TIMEDELTA=1
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        duration = voice.duration
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration)
    return VoiceNote(voice.file_id, seconds, voice.file_size, voice.mime_type)


WORD_COMMANDS = {
    "min data": "mydata",
    "mine data": "mydata",
    "my data": "mydata",
    "trekk samtykke": "withdraw",
    "trekk samtykket": "withdraw",
    "trekk tilbake samtykket": "withdraw",
    "withdraw consent": "withdraw",
}
"""Plain words the onboarding text promises work like the command (in nb, nn and en)."""


def _command(message: Message) -> tuple[str, str] | None:
    """``("start", "CODE")`` for ``/start CODE`` (``/start@bot`` too), else None."""
    return _command_in(message.text or "", ((e.type, e.offset, e.length) for e in message.entities))


def _command_in(text: str, entities: Iterable[Entity]) -> tuple[str, str] | None:
    """The command and its arguments in ``text``: a ``bot_command`` entity at its start or the
    words of ``WORD_COMMANDS``. The entity's length (UTF-16 units) cuts the Python string as it
    always has: a command is ASCII, so that is where the command ends."""
    for kind, offset, length in entities:
        if kind == "bot_command" and offset == 0:
            name = text[1:length].split("@")[0].lower()
            return name, text[length:].strip()
    word = " ".join(text.casefold().strip(" .!?").split())
    if word in WORD_COMMANDS:
        return WORD_COMMANDS[word], ""
    return None


def to_input(item: Incoming, urgent_labels: Sequence[str] = ()) -> Input:
    """An engine input: the «I need help now» button or ``/sos`` is URGENT, text is text."""
    if item.kind == "command" and item.command in ENGINE_COMMANDS:
        return CommandInput(command=ENGINE_COMMANDS[item.command])
    if item.text.strip().casefold() in {label.casefold() for label in urgent_labels}:
        return CommandInput(command=Command.URGENT)
    return TextInput(text=item.text)


# --- text ------------------------------------------------------------------------------------


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji can count as two)."""
    return len(text.encode("utf-16-le")) // 2


_SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+")


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` units, cut between paragraphs, else lines, else sentences,
    else words, and only as a last resort inside a word. Nothing but whitespace is lost."""
    text = text.strip()
    if not text:
        return []
    if _units(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", None, " "):
        parts = _SENTENCE_END.split(text) if separator is None else text.split(separator)
        joiner = " " if separator is None else separator
        if len(parts) > 1:
            return _pack([p for p in parts if p.strip()], joiner, limit)
    return _hard_split(text, limit)


def _pack(parts: list[str], joiner: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{joiner}{part}" if current else part
        if _units(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current.strip())
        if _units(part) <= limit:
            current = part
        else:
            *whole, current = split_text(part, limit)
            pieces.extend(whole)
    if current.strip():
        pieces.append(current.strip())
    return pieces


def _hard_split(text: str, limit: int) -> list[str]:
    pieces, current = [], ""
    for char in text:
        if _units(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def send_text(
    chat_id: int | str, text: str, reply_markup: dict[str, Any] | None = None
) -> list[ApiCall]:
    """``sendMessage`` calls for ``text``; the keyboard goes on the last piece."""
    pieces = split_text(text)
    calls = [ApiCall("sendMessage", {"chat_id": chat_id, "text": piece}) for piece in pieces]
    if calls and reply_markup is not None:
        calls[-1].params["reply_markup"] = reply_markup
    return calls


# --- flows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What rendering needs besides the events: where, in which language, how to sign."""

    chat_id: int | str
    say: Say
    signer: Signer
    session_id: str | None = None
    seq: int = 0
    node_id: str | None = None
    reply_keyboard: dict[str, Any] | None = None
    """Put on the last message when it has no buttons (the «Jeg trenger hjelp nå» button)."""
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def binding(self) -> str:
        return session_binding(self.session_id or "", self.node_id)


def urgent_keyboard(label: str) -> dict[str, Any]:
    """The persistent reply keyboard with one button that sends the URGENT words."""
    return {"keyboard": [[{"text": label}]], "resize_keyboard": True, "is_persistent": True}


def event_text(event: Any) -> str:
    """What the person reads for one event (a failed flow's technical reason left out)."""
    text: str = getattr(event, "text", "") or ""
    if isinstance(event, ev.FlowEnded) and event.outcome == "failed":
        text = "\n".join(line for line in text.splitlines() if not line.startswith("["))
    return text.strip()


def render_events(events: Sequence[Any], ctx: Context, mask: int = 0) -> list[ApiCall]:
    """The sprint as messages: its texts joined into as few messages as fit (Telegram allows
    about one message per second per chat), the question's buttons on the last one."""
    shown = shown_events(events)
    parts: list[str] = []
    keyboard: dict[str, Any] | None = None
    for event in shown:
        if isinstance(event, ev.QuestionAsked):
            text, keyboard = question_message(event, ctx, mask)
        else:
            text, keyboard = event_text(event), None
        if text:
            parts.append(text)
    return send_text(ctx.chat_id, "\n\n".join(parts), keyboard or ctx.reply_keyboard)


def question_message(
    question: ev.QuestionAsked, ctx: Context, mask: int = 0
) -> tuple[str, dict[str, Any] | None]:
    """The question's text and inline keyboard (None when it takes only words)."""
    text = event_text(question)
    if not question.buttons:
        return text, None
    long = any(len(b.label) > MAX_LABEL for b in question.buttons)
    if long:
        listing = "\n".join(f"{i}. {b.label}" for i, b in enumerate(question.buttons, 1))
        text = f"{text}\n\n{listing}"
    if question.multiple:
        return text, multi_keyboard(question, ctx, mask)
    labels = [_label(b.label, i, long) for i, b in enumerate(question.buttons, 1)]
    data = [
        ctx.signer.sign("c", ctx.seq, str(i), ctx.binding) for i in range(len(question.buttons))
    ]
    buttons = [{"text": t, "callback_data": d} for t, d in zip(labels, data, strict=True)]
    return text, {"inline_keyboard": _rows(buttons, question.kind)}


def multi_keyboard(question: ev.QuestionAsked, ctx: Context, mask: int) -> dict[str, Any]:
    """Toggle buttons (✓ when chosen) and «Ferdig»; each button carries the selection it makes."""
    long = any(len(b.label) > MAX_LABEL for b in question.buttons)
    rows = []
    for i, button in enumerate(question.buttons):
        label = _label(button.label, i + 1, long)
        chosen = bool(mask >> i & 1)
        data = ctx.signer.sign("t", ctx.seq, f"{mask ^ (1 << i):x}", ctx.binding)
        rows.append([{"text": f"✓ {label}" if chosen else label, "callback_data": data}])
    done = ctx.signer.sign("d", ctx.seq, f"{mask:x}", ctx.binding)
    rows.append([{"text": ctx.say(texts.MULTI_DONE), "callback_data": done}])
    return {"inline_keyboard": rows}


def _label(label: str, number: int, numbered: bool) -> str:
    if not numbered:
        return label
    short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"
    return f"{number}. {short}"


def _rows(buttons: list[dict[str, str]], kind: str) -> list[list[dict[str, str]]]:
    """Numbers and short labels side by side (five a row), two short ones in a row, else one
    button a row so long labels can be read."""
    labels = [b["text"] for b in buttons]
    if kind == "scale" or all(len(label) <= 3 for label in labels):
        return [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    if len(buttons) == 2 and sum(len(label) for label in labels) <= 30:
        return [buttons]
    return [[b] for b in buttons]


def chosen_edit(
    chat_id: int | str, message_id: int, message_text: str | None, label: str
) -> ApiCall:
    """Show what was chosen under the question and take the buttons away."""
    if message_text:
        text = f"{message_text}\n\n{label}"
        if _units(text) <= MAX_TEXT:
            return ApiCall(
                "editMessageText", {"chat_id": chat_id, "message_id": message_id, "text": text}
            )
    return remove_keyboard(chat_id, message_id)


def remove_keyboard(chat_id: int | str, message_id: int) -> ApiCall:
    return ApiCall("editMessageReplyMarkup", {"chat_id": chat_id, "message_id": message_id})


def answer_callback(callback_id: str, text: str | None = None) -> ApiCall:
    params: dict[str, Any] = {"callback_query_id": callback_id}
    if text:
        params["text"] = text[:200]
    return ApiCall("answerCallbackQuery", params)


def signed_buttons(
    ctx: Context, kind: str, options: Sequence[tuple[str, str]], binding: str, seq: int = 0
) -> dict[str, Any]:
    """A one-button-a-row inline keyboard of (argument, label) options."""
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": ctx.signer.sign(kind, seq, arg, binding)}]
            for arg, label in options
        ]
    }


VOICE_FILENAME = "prompt.ogg"


def voice_prompt(chat_id: int | str, text: str, language: str) -> ApiCall:
    """A ``sendVoice`` of ``text`` spoken in ``language``; the sender synthesizes it when sending
    (``{"speak": …}`` instead of the audio keeps the outbox small and the cache useful)."""
    voice = {"speak": text, "language": language, "filename": VOICE_FILENAME}
    return ApiCall("sendVoice", {"chat_id": chat_id, "voice": voice})


def spoken(calls: Sequence[ApiCall]) -> str:
    """What a voice note of these messages says: their texts, then the labels of their buttons."""
    parts: list[str] = []
    for call in calls:
        if call.method != "sendMessage":
            continue
        parts.append(str(call.params.get("text", "")))
        rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        labels = [str(b.get("text", "")) for row in rows for b in row]
        if labels and not all(label.isdigit() for label in labels):
            parts.append(". ".join(labels) + ".")
    return "\n\n".join(p for p in parts if p.strip())


def bot_commands(say: Say) -> list[dict[str, str]]:
    """The command menu (setMyCommands) in one language."""
    return [
        {"command": name, "description": say(message)[:256]}
        for name, message in texts.COMMANDS.items()
    ]

"""``incoming_json``: the Bot API's JSON straight to an ``Incoming``, exactly as PTB would give it.

The bot's own getUpdates loop hands raw update dicts to ``incoming_json``; the webhook path still
has PTB ``Update`` objects for ``incoming``. Both must agree on every update Telegram can send,
and the JSON path must never raise on what Telegram would never send.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Bot, Update

from bots.telegram import translate as tr

BOT = Bot("123:abc")
"""Only for ``de_json`` (no request is made)."""

DATE = 1_764_000_000
USER = {"id": 42, "is_bot": False, "first_name": "Sara", "language_code": "nn"}
PRIVATE = {"id": 42, "type": "private", "first_name": "Sara"}
BOT_USER = {"id": 1, "is_bot": True, "first_name": "Bot", "username": "SomeBot"}


def units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts entity offsets and lengths."""
    return len(text.encode("utf-16-le")) // 2


def message(text: str | None = None, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": 11,
        "date": DATE,
        "chat": PRIVATE,
        "from": USER,
        **fields,
    }
    if text is not None:
        body["text"] = text
    return body


def command(text: str, name: str, offset: int = 0) -> dict[str, Any]:
    """A text message with a ``bot_command`` entity for ``name`` at ``offset`` (UTF-16 units)."""
    entity = {"type": "bot_command", "offset": offset, "length": units(name)}
    return message(text, entities=[entity])


def bot_message(**content: Any) -> dict[str, Any]:
    """A message the bot sent to Sara (what a button sits on)."""
    return {"message_id": 9, "date": DATE, "chat": PRIVATE, "from": BOT_USER, **content}


def press(**fields: Any) -> dict[str, Any]:
    return {"id": "4382", "from": USER, "chat_instance": "-77", "data": "c.3.0.abc", **fields}


UPDATES: dict[str, dict[str, Any]] = {
    "text": {"message": message("Hei, jeg heter Sara 🙂")},
    "start with a code": {"message": command("/start AbC-12_x", "/start")},
    "start@bot with a code": {"message": command("/start@SomeBot AbC-12_x", "/start@SomeBot")},
    "a word command": {"message": message("Min data!")},
    "sos without a language": {
        "message": {
            **command("/SOS", "/SOS"),
            "from": {"id": 42, "is_bot": False, "first_name": "S"},
        }
    },
    "emoji in the args": {"message": command("/start 👋🏽😀 KODE", "/start")},
    "an entity over an emoji": {
        # The entity counts UTF-16 units, the string code points: the same cut on both paths.
        "message": {
            **message("/start😀 x"),
            "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
        }
    },
    "a command after emoji": {"message": command("😀😀 /help me", "/help", offset=5)},
    "bold text then a command": {
        "message": {
            **message("Hei /help"),
            "entities": [
                {"type": "bold", "offset": 0, "length": 3},
                {"type": "bot_command", "offset": 4, "length": 5},
            ],
        }
    },
    "control characters": {"message": message("hei\x1b[2J\r\nder\x07 og\rher\x9b")},
    "only control characters": {"message": message("\x1b\x07")},
    "a lone surrogate": {"message": message("hei \ud83d der")},
    "4096 units of emoji": {"message": message("😀" * 2048)},
    "4097 characters": {"message": message("a" * 4097)},
    "voice": {
        "message": message(
            voice={
                "file_id": "AwACAgQ",
                "file_unique_id": "AgAD",
                "duration": 3,
                "mime_type": "audio/ogg",
                "file_size": 9_999,
            }
        )
    },
    "voice, bare": {
        "message": message(voice={"file_id": "f", "file_unique_id": "u", "duration": 0})
    },
    "sticker": {
        "message": message(
            sticker={
                "file_id": "s",
                "file_unique_id": "su",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        )
    },
    "photo with a caption": {
        "message": message(
            photo=[{"file_id": "p", "file_unique_id": "pu", "width": 90, "height": 90}],
            caption="/start not a command",
        )
    },
    "press on a message": {
        "callback_query": press(
            message=bot_message(
                text="Spørsmål?",
                reply_markup={"inline_keyboard": [[{"text": "Ja", "callback_data": "x"}]]},
            )
        )
    },
    "press on a photo": {
        "callback_query": press(
            message=bot_message(
                photo=[{"file_id": "p", "file_unique_id": "pu", "width": 9, "height": 9}]
            )
        )
    },
    "press without a message": {"callback_query": press(inline_message_id="AAE")},
    "press without data": {"callback_query": {**press(game_short_name="g"), "data": None}},
    "press on an inaccessible message": {
        "callback_query": press(message={"message_id": 9, "date": 0, "chat": PRIVATE})
    },
    "press in a group": {
        "callback_query": press(
            message={
                "message_id": 9,
                "date": DATE,
                "chat": {"id": -100, "type": "supergroup", "title": "G"},
                "text": "x",
            }
        )
    },
    "group message": {
        "message": {**message("hei"), "chat": {"id": -5, "type": "group", "title": "G"}}
    },
    "private message without from": {"message": {"message_id": 1, "date": DATE, "chat": PRIVATE}},
    "edited message": {"edited_message": message("hei igjen", edit_date=DATE + 5)},
    "channel post": {
        "channel_post": {
            "message_id": 3,
            "date": DATE,
            "chat": {"id": -1001, "type": "channel", "title": "C"},
            "text": "news",
        }
    },
    "poll answer": {
        "poll_answer": {
            "poll_id": "p",
            "user": USER,
            "option_ids": [0],
            "option_persistent_ids": ["a"],
        },
    },
}


def ptb(data: dict[str, Any]) -> tr.Incoming | None:
    return tr.incoming(Update.de_json(copy.deepcopy(data), BOT))


@pytest.mark.parametrize("name", list(UPDATES))
def test_json_gives_what_ptb_gives(name: str) -> None:
    """For every kind of update Telegram sends, the JSON path equals ``incoming(de_json(…))``."""
    data = {"update_id": 700_001, **UPDATES[name]}
    before = copy.deepcopy(data)
    assert tr.incoming_json(data) == ptb(data)
    assert data == before  # nothing is changed in place


def test_json_results_are_what_the_core_expects() -> None:
    """Spot checks of the table (so equality is not just None == None)."""
    got = {name: tr.incoming_json({"update_id": 1, **data}) for name, data in UPDATES.items()}
    start = got["start@bot with a code"]
    assert start is not None and (start.kind, start.command, start.args) == (
        "command",
        "start",
        "AbC-12_x",
    )
    assert start.written_at is not None and start.written_at.timestamp() == DATE
    assert start.written_at.utcoffset() is not None
    words = got["a word command"]
    assert words is not None and (words.kind, words.command) == ("command", "mydata")
    emoji = got["emoji in the args"]
    assert emoji is not None and emoji.args == "👋🏽😀 KODE"
    voice = got["voice"]
    assert voice is not None and voice.note == tr.VoiceNote("AwACAgQ", 3.0, 9_999, "audio/ogg")
    clean = got["control characters"]
    assert clean is not None and clean.text == "hei [2J\nder  og\nher "
    pressed = got["press on a message"]
    assert pressed is not None and (pressed.message_id, pressed.message_text) == (9, "Spørsmål?")
    old = got["press on an inaccessible message"]
    assert old is not None and (old.chat_id, old.message_id, old.message_text) == (42, 9, None)
    bare = got["press without a message"]
    assert bare is not None and (bare.chat_id, bare.message_id) == (42, None)
    assert got["sticker"] is not None and got["sticker"].kind == "other"
    for dropped in ("4097 characters", "group message", "edited message", "channel post"):
        assert got[dropped] is None, dropped


def test_incoming_and_the_command_helper_still_agree_on_hand_built_updates() -> None:
    """``incoming`` (webhook path) and ``incoming_json`` share ``_said`` and ``_command_in``."""
    assert tr._command_in("/start@SomeBot  X ", [("bot_command", 0, 14)]) == ("start", "X")
    assert tr._command_in("Trekk  samtykket.", []) == ("withdraw", "")
    assert tr._command_in("x /help", [("bot_command", 2, 5)]) is None


def test_incoming_keeps_hand_built_updates_as_they_are() -> None:
    """``incoming`` reads the PTB objects (not ``update.to_dict()``, which would round the date
    to whole seconds, drop a missing one and cost ten times more): a hand-built webhook update
    keeps its exact ``date``."""
    from datetime import UTC, datetime

    from telegram import Chat, Message, User

    when = datetime(2026, 1, 1, 8, 30, 5, 250_000, tzinfo=UTC)
    user = User(42, "Sara", False)
    for date in (when, None):
        built = Message(1, date, Chat(42, "private"), from_user=user, text="hei")  # type: ignore[arg-type]
        item = tr.incoming(Update(7, message=built))
        assert item is not None and (item.kind, item.written_at) == ("text", date)


def junk_leaf() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=2**62, max_value=2**70),
        st.floats(allow_nan=True),
        st.text(max_size=8),
        st.binary(max_size=4),
    )


JUNK = st.recursive(
    junk_leaf(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)

GOOD_INT = 5
HOSTILE: list[Any] = [
    None,
    [],
    "update",
    {},
    {"update_id": "5", "message": message("hei")},
    {"update_id": True, "message": message("hei")},
    {"update_id": 2**64, "message": message("hei")},
    {"update_id": 5.0, "message": message("hei")},
    {"update_id": GOOD_INT, "message": "hei"},
    {"update_id": GOOD_INT, "message": ["hei"]},
    {"update_id": GOOD_INT, "message": {**message("hei"), "from": "Sara"}},
    {"update_id": GOOD_INT, "message": {**message("hei"), "from": {"id": "42"}}},
    {"update_id": GOOD_INT, "message": {**message("hei"), "from": {"id": True}}},
    {"update_id": GOOD_INT, "message": {**message("hei"), "from": {"id": -(2**63) - 1}}},
    {"update_id": GOOD_INT, "message": {**message("hei"), "from": {**USER, "language_code": 7}}},
    {"update_id": GOOD_INT, "message": {k: v for k, v in message("hei").items() if k != "chat"}},
    {"update_id": GOOD_INT, "message": {**message("hei"), "chat": {"id": 42, "type": 5}}},
    {"update_id": GOOD_INT, "message": {**message("hei"), "chat": {"id": 42}}},
    {"update_id": GOOD_INT, "message": {**message("hei"), "chat": {"id": [42], "type": "private"}}},
    {"update_id": GOOD_INT, "message": {**message("hei"), "chat": {"type": {"a": [1, {}]}}}},
    {"update_id": GOOD_INT, "message": message(text=5)},  # type: ignore[arg-type]
    {"update_id": GOOD_INT, "message": message(text=b"hei")},  # type: ignore[arg-type]
    {"update_id": GOOD_INT, "message": message("/start", entities="bot_command")},
    {"update_id": GOOD_INT, "message": message("/start", entities=[1])},
    {"update_id": GOOD_INT, "message": message("/start", entities=[{"type": "bot_command"}])},
    {
        "update_id": GOOD_INT,
        "message": message(
            "/start", entities=[{"type": "bot_command", "offset": "0", "length": 6}]
        ),
    },
    {
        "update_id": GOOD_INT,
        "message": message(
            "/start", entities=[{"type": "bot_command", "offset": True, "length": 6}]
        ),
    },
    {"update_id": GOOD_INT, "message": message("hei", date="1764000000")},
    {"update_id": GOOD_INT, "message": message("hei", date=1.5)},
    {"update_id": GOOD_INT, "message": message("hei", date=-1)},
    {"update_id": GOOD_INT, "message": message("hei", date=10**20)},
    {"update_id": GOOD_INT, "message": message("hei", date=None)},
    {"update_id": GOOD_INT, "message": message(voice="f")},
    {"update_id": GOOD_INT, "message": message(voice={})},
    {"update_id": GOOD_INT, "message": message(voice={"file_id": "f", "duration": 10**400})},
    {"update_id": GOOD_INT, "message": message(voice={"file_id": 1, "duration": 2})},
    {
        "update_id": GOOD_INT,
        "message": message(voice={"file_id": "f", "duration": 2, "file_size": "big"}),
    },
    {"update_id": GOOD_INT, "callback_query": "press"},
    {"update_id": GOOD_INT, "callback_query": {**press(), "from": None}},
    {"update_id": GOOD_INT, "callback_query": {**press(), "from": {"id": 2**63}}},
    {"update_id": GOOD_INT, "callback_query": {**press(), "id": 4382}},
    {"update_id": GOOD_INT, "callback_query": {**press(), "data": ["c"]}},
    {"update_id": GOOD_INT, "callback_query": press(message="Spørsmål?")},
    {"update_id": GOOD_INT, "callback_query": press(message={"message_id": 9, "date": 0})},
    {
        "update_id": GOOD_INT,
        "callback_query": press(message={"message_id": "9", "date": 1, "chat": PRIVATE}),
    },
    {
        "update_id": GOOD_INT,
        "callback_query": press(message={"message_id": 9, "date": 1, "chat": PRIVATE, "text": 3}),
    },
]


@pytest.mark.parametrize("data", HOSTILE, ids=range(len(HOSTILE)))
def test_malformed_updates_are_dropped_without_raising(data: Any) -> None:
    """Wrong types, missing keys, bools for ids, huge numbers, nested junk: None, no exception."""
    assert tr.incoming_json(data) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["update_id", "message", "callback_query"]), JUNK))
def test_junk_never_raises(data: dict[str, Any]) -> None:
    """Generated junk in the places the translation looks: None or an Incoming, never a crash."""
    result = tr.incoming_json(data)
    assert result is None or isinstance(result, tr.Incoming)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into nested dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


def with_junk(data: Any, path: tuple[Any, ...], junk: Any) -> Any:
    changed = copy.deepcopy(data)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = junk
    return changed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(UPDATES)), st.data(), JUNK)
def test_one_junk_field_in_a_real_update(name: str, data: st.DataObject, junk: Any) -> None:
    """A real update with one field replaced by junk: never raises, and when the JSON path
    still accepts it, PTB (when it can parse it at all) gives the same."""
    update = {"update_id": 700_001, **UPDATES[name]}
    path = data.draw(st.sampled_from(paths(update)))
    changed = with_junk(update, path, junk)
    got = tr.incoming_json(changed)
    if got is None:
        return
    try:
        expected = ptb(changed)
    except Exception:  # PTB cannot parse it (a field it checks but the bot does not read)
        return
    assert got == expected


SWAPS: list[Any] = [None, "", "private", "bot_command", 0, 1, -1, True, 1.5, 2**63, [], {}, [{}]]


def test_every_field_swapped_for_junk_in_turn() -> None:
    """Each field of each real update replaced by each of a few wrong values: never raises, and
    whenever both paths accept the result, they agree (the check the property test samples)."""
    agreed = 0
    for name, data in UPDATES.items():
        update = {"update_id": 700_001, **data}
        for path in paths(update):
            for junk in SWAPS:
                changed = with_junk(update, path, junk)
                got = tr.incoming_json(changed)
                if got is None:
                    continue
                try:
                    expected = ptb(changed)
                except Exception:  # PTB cannot parse it: a field the bot does not read
                    continue
                assert got == expected, (name, path, junk)
                agreed += 1
    assert agreed > 1000  # the comparison really ran


@pytest.mark.parametrize("duration", [-5, 0, 2.5, 10**6])
def test_a_lying_duration_keeps_the_voice_note(duration: float) -> None:
    """Decoding measures the audio; what the app claims must not drop the note."""
    item = tr.incoming_json(
        {"update_id": 1, "message": message(voice={"file_id": "f", "duration": duration})}
    )
    assert item is not None and item.kind == "voice" and item.note is not None
    assert item.note.duration == float(duration)

"""Pure translation: updates in, engine inputs out; engine events in, Bot API calls out."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bots.telegram import translate as tr
from bots.telegram.callbacks import Signer, parse
from companion.flows import events as ev
from companion.flows.inputs import Command, CommandInput, TextInput
from tests.bots.support import SECRET

SIGNER = Signer(SECRET.encode())


def ctx(**changes: Any) -> tr.Context:
    values: dict[str, Any] = {
        "chat_id": 7,
        "say": lambda message: message[1],
        "signer": SIGNER,
        "session_id": "s1",
        "seq": 3,
        "node_id": "q",
    }
    return tr.Context(**{**values, **changes})


def question(*labels: str, kind: str = "choice", **changes: Any) -> ev.QuestionAsked:
    buttons = tuple(ev.Button(value=f"v{i}", label=label) for i, label in enumerate(labels))
    return ev.QuestionAsked(
        flow_id="f", node_id="q", kind=kind, text="Spørsmål?", buttons=buttons, **changes
    )


def update(data: dict[str, Any]) -> Update:
    return Update.de_json({"update_id": 5, **data}, None)


USER = {"id": 42, "is_bot": False, "first_name": "Sara", "language_code": "nn"}
PRIVATE = {"id": 42, "type": "private", "first_name": "Sara"}


# --- Update -> Incoming -> Input ------------------------------------------------------------


def test_start_with_a_code_is_a_command_with_args() -> None:
    """A deep link's /start CODE becomes command 'start' with the code as args."""
    item = tr.incoming(
        update(
            {
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": PRIVATE,
                    "from": USER,
                    "text": "/start@companion_bot AbC-12_x",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 20}],
                }
            }
        )
    )
    assert item is not None
    assert (item.kind, item.command, item.args) == ("command", "start", "AbC-12_x")
    assert (item.update_id, item.user_id, item.chat_id, item.language_code) == (5, 42, 42, "nn")


def test_plain_text_and_voice_and_photos() -> None:
    """Text is text; a voice note and anything else are recognised as such."""
    base = {"message_id": 1, "date": 0, "chat": PRIVATE, "from": USER}
    text = tr.incoming(update({"message": {**base, "text": "hei"}}))
    voice = tr.incoming(
        update(
            {"message": {**base, "voice": {"file_id": "f", "file_unique_id": "u", "duration": 2}}}
        )
    )
    sticker = tr.incoming(
        update({"message": {**base, "contact": {"phone_number": "1", "first_name": "A"}}})
    )
    assert text is not None and (text.kind, text.text) == ("text", "hei")
    assert voice is not None and voice.kind == "voice"
    assert sticker is not None and sticker.kind == "other"


def test_group_chats_and_edits_are_ignored() -> None:
    """Only private chats count; edited messages are not new input."""
    group = {"id": -5, "type": "group", "title": "G"}
    base = {"message_id": 1, "date": 0, "from": USER, "text": "hei"}
    assert tr.incoming(update({"message": {**base, "chat": group}})) is None
    assert (
        tr.incoming(update({"edited_message": {**base, "chat": PRIVATE, "edit_date": 1}})) is None
    )


def test_a_button_press_carries_its_message() -> None:
    """A callback_query keeps its id, data and the message text it sat on."""
    item = tr.incoming(
        update(
            {
                "callback_query": {
                    "id": "q1",
                    "from": USER,
                    "chat_instance": "c",
                    "data": "c.3.0.abc",
                    "message": {
                        "message_id": 9,
                        "date": 0,
                        "chat": PRIVATE,
                        "from": {"id": 1, "is_bot": True, "first_name": "Bot"},
                        "text": "Spørsmål?",
                    },
                }
            }
        )
    )
    assert item is not None
    assert (item.kind, item.callback_id, item.callback_data) == ("callback", "q1", "c.3.0.abc")
    assert (item.message_id, item.message_text, item.chat_id) == (9, "Spørsmål?", 42)


def test_the_help_button_and_sos_are_urgent() -> None:
    """The «Jeg trenger hjelp nå» button text and /sos become Command.URGENT."""
    press = tr.Incoming(update_id=1, user_id=1, chat_id=1, kind="text", text="Jeg trenger hjelp nå")
    sos = tr.Incoming(update_id=1, user_id=1, chat_id=1, kind="command", command="sos", text="/sos")
    words = tr.Incoming(update_id=1, user_id=1, chat_id=1, kind="text", text="hei")
    urgent = CommandInput(command=Command.URGENT)
    assert tr.to_input(press, ["Jeg trenger hjelp nå"]) == urgent
    assert tr.to_input(sos) == urgent
    assert tr.to_input(words) == TextInput(text="hei")


# --- splitting -------------------------------------------------------------------------------


def test_short_text_is_one_piece() -> None:
    """Text under the limit is sent as it is."""
    assert tr.split_text("  Hei!  ") == ["Hei!"]
    assert tr.split_text("") == []


def test_long_text_is_cut_between_paragraphs() -> None:
    """Paragraphs stay whole when they fit; every piece is within the limit."""
    paragraphs = [f"Avsnitt {i}. " + "ord " * 150 for i in range(12)]
    pieces = tr.split_text("\n\n".join(paragraphs))
    assert len(pieces) > 1
    assert all(len(p) <= tr.MAX_TEXT for p in pieces)
    assert all(p.startswith("Avsnitt") for p in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(" ".join(paragraphs).split())


def test_a_giant_paragraph_is_cut_between_sentences_then_words() -> None:
    """One paragraph over the limit is cut at sentence ends, and a giant word at the limit."""
    sentences = " ".join(f"Setning nummer {i} er her." for i in range(400))
    pieces = tr.split_text(sentences)
    assert all(len(p) <= tr.MAX_TEXT for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    word = "a" * 9000
    assert [len(p) for p in tr.split_text(word)] == [4096, 4096, 808]


def test_emoji_count_as_telegram_counts_them() -> None:
    """The limit is in UTF-16 units, so 3000 emoji (6000 units) need two messages."""
    pieces = tr.split_text("😄" * 3000)
    assert len(pieces) == 2
    assert all(len(p.encode("utf-16-le")) // 2 <= tr.MAX_TEXT for p in pieces)


# --- rendering -------------------------------------------------------------------------------


def test_a_sprint_becomes_one_message_with_the_buttons_last() -> None:
    """Messages and the question are joined; the signed keyboard is on the message."""
    events = [
        ev.MessageCreated(flow_id="f", text="Hei!"),
        ev.AnswerRecorded(flow_id="f", key="k", value=1, source="typed"),
        question("Ja", "Nei", kind="yes_no"),
        ev.WaitStarted(flow_id="f", expires_at=None),  # type: ignore[arg-type]
    ]
    [call] = tr.render_events(events, ctx())
    assert call.method == "sendMessage"
    assert call.params["text"] == "Hei!\n\nSpørsmål?"
    assert "parse_mode" not in call.params
    [row] = call.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in row] == ["Ja", "Nei"]
    for index, button in enumerate(row):
        pressed = parse(button["callback_data"])
        assert pressed is not None and (pressed.kind, pressed.index) == ("c", index)
        assert SIGNER.verify(pressed, 3, "s:s1:q")
        assert len(button["callback_data"].encode()) <= 64


def test_scales_are_rows_of_five_and_long_options_are_listed() -> None:
    """1–10 as two rows; long labels are shortened on the buttons and listed in the text."""
    scale = tr.render_events([question(*map(str, range(1, 11)), kind="scale")], ctx())
    rows = scale[0].params["reply_markup"]["inline_keyboard"]
    assert [len(r) for r in rows] == [5, 5]
    long = "Å ha et sted å bo når jeg flytter hjemmefra neste år, helst nær skolen"
    [call] = tr.render_events([question(long, "Kort")], ctx())
    labels = [r[0]["text"] for r in call.params["reply_markup"]["inline_keyboard"]]
    assert labels[0].startswith("1. Å ha et sted") and labels[0].endswith("…")
    assert labels[1] == "2. Kort"
    assert f"1. {long}" in call.params["text"]


def test_multiple_choice_toggles_and_done() -> None:
    """Each toggle carries the selection it makes; chosen ones are ticked; «Ferdig» last."""
    multi = question("A", "B", "C", kind="multi_choice", multiple=True, max_choices=2)
    markup = tr.multi_keyboard(multi, ctx(), mask=0b010)
    rows = markup["inline_keyboard"]
    assert [r[0]["text"] for r in rows] == ["A", "✓ B", "C", "Ferdig"]
    masks = [parse(r[0]["callback_data"]) for r in rows]
    assert [(m.kind, m.mask) for m in masks if m] == [
        ("t", 0b011),
        ("t", 0b000),
        ("t", 0b110),
        ("d", 0b010),
    ]


def test_a_failed_flow_hides_its_technical_reason() -> None:
    """The engine's «[reason]» line is for the logs of a developer, not for the person."""
    ended = ev.FlowEnded(flow_id="f", outcome="failed", text="Beklager.\n[loop at node x]")
    [call] = tr.render_events([ended], ctx(reply_keyboard={"remove_keyboard": True}))
    assert call.params["text"] == "Beklager."
    assert call.params["reply_markup"] == {"remove_keyboard": True}


def test_long_texts_become_several_messages_with_the_keyboard_on_the_last() -> None:
    """A reply over 4096 characters is split; only the last piece has the buttons."""
    events = [ev.MessageCreated(flow_id="f", text="Ord. " * 1500), question("Ja", "Nei")]
    calls = tr.render_events(events, ctx())
    assert len(calls) == 2
    assert all(len(c.params["text"]) <= 4096 for c in calls)
    assert "reply_markup" not in calls[0].params
    assert calls[1].params["reply_markup"]["inline_keyboard"]


def test_chosen_edit_shows_the_choice_or_just_drops_the_buttons() -> None:
    """The question gets «✓ label» under it; if that would be too long, only the keys go."""
    edit = tr.chosen_edit(7, 9, "Spørsmål?", "✓ Ja")
    assert edit == tr.ApiCall(
        "editMessageText", {"chat_id": 7, "message_id": 9, "text": "Spørsmål?\n\n✓ Ja"}
    )
    too_long = tr.chosen_edit(7, 9, "x" * 4096, "✓ Ja")
    assert too_long == tr.ApiCall("editMessageReplyMarkup", {"chat_id": 7, "message_id": 9})


def test_command_menu_descriptions() -> None:
    """Every command has a short description for setMyCommands."""
    commands = tr.bot_commands(lambda message: message[1])
    names = [c["command"] for c in commands]
    assert names[:3] == ["start", "help", "menu"] and "mydata" in names and "delete" in names
    assert all(0 < len(c["description"]) <= 256 for c in commands)


@pytest.mark.parametrize(
    "payload", [{"method": "sendMessage", "params": {"chat_id": 1, "text": "x"}}]
)
def test_api_calls_round_trip_through_the_outbox_payload(payload: dict[str, Any]) -> None:
    """An ApiCall survives being stored as JSON in the outbox."""
    assert tr.ApiCall.from_payload(payload).payload() == payload


def test_my_data_words_work_like_the_command() -> None:
    """«min data», «mine data» and "my data" (as the onboarding text says) ask for the copy."""
    from telegram import Chat, Message, User

    from bots.telegram.translate import _command

    user = User(id=1, first_name="Testa", is_bot=False)
    for words in ("min data", "Mine data!", "my  data"):
        message = Message(1, None, Chat(1, "private"), from_user=user, text=words)  # type: ignore[arg-type]
        assert _command(message) == ("mydata", "")
    other = Message(1, None, Chat(1, "private"), from_user=user, text="min dag var fin")  # type: ignore[arg-type]
    assert _command(other) is None

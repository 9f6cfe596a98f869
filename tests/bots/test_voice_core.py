"""Voice in ``BotCore`` and ``translate`` without PTB or HTTP: when to listen, what a heard note
does, and prompts as voice notes for people who asked for them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from telegram import Update

from bots.telegram import texts
from bots.telegram import translate as tr
from bots.telegram.core import BotCore
from companion.flows import messages as engine_texts
from companion.participants import send_flow
from companion.ports import OutboxEntry
from companion.voice import Voice
from companion.voice import messages as voice_texts
from companion.voice.fakes import FakeSpeechToText, FakeTextToSpeech
from tests.bots.support import Chat, memory, youth

NOTE = tr.VoiceNote("file-1", 2.0, 1000, "audio/ogg")


@pytest.fixture
def chat() -> Chat:
    return Chat(BotCore(memory(), voice=Voice(FakeSpeechToText(), FakeTextToSpeech())))


def onboard(chat: Chat, voice: str = "Nei") -> str:
    pid = youth(chat.services).id
    chat.command("start", chat.services.invites.create(pid).code)
    for label in ("Ja, det er greit", "Bokmål", voice):
        chat.press(label)
    return pid


def hevd(chat: Chat, pid: str) -> None:
    s = chat.services
    send_flow(
        pid,
        "hevd",
        engine=s.engine,
        directory=s.directory,
        conversations=s.conversations,
        audit=s.audit,
        actor="test",
    )
    chat.flush()


def voice_item(chat: Chat, heard: tr.Heard | None = None, **fields: Any) -> tr.Incoming:
    return tr.Incoming(
        update_id=fields.pop("update_id", 900),
        user_id=chat.user,
        chat_id=chat.user,
        kind="voice",
        note=NOTE,
        heard=heard,
        **fields,
    )


def test_the_core_listens_only_where_words_are_wanted(chat: Chat) -> None:
    """Not for strangers, before consent, outside a flow or at buttons; yes at a words question
    and at its read-back."""
    assert chat.core.listening(voice_item(chat)) is None  # a stranger
    pid = youth(chat.services).id
    chat.command("start", chat.services.invites.create(pid).code)
    assert chat.core.listening(voice_item(chat)) is None  # before consent
    for label in ("Ja, det er greit", "Bokmål", "Nei"):
        chat.press(label)
    assert chat.core.listening(voice_item(chat)) is None  # outside a flow
    hevd(chat, pid)
    assert chat.core.listening(voice_item(chat)) is None  # a yes/no question
    chat.press("Ja, jeg vet noe")
    assert chat.core.listening(voice_item(chat)) == "nb"
    chat.core.handle(voice_item(chat, tr.Heard(text="Skolen"), update_id=901))
    chat.flush()
    assert chat.last_text() == engine_texts.VOICE_HEARD[1].format(text="Skolen")
    assert chat.core.listening(voice_item(chat, update_id=902)) == "nb"
    assert chat.core.listening(voice_item(chat, update_id=901)) is None  # already handled


def test_a_heard_note_is_read_back_and_the_buttons_belong_to_the_read_back(chat: Chat) -> None:
    """The read-back's own buttons answer it (not the words question's «done» button)."""
    pid = onboard(chat)
    hevd(chat, pid)
    chat.press("Ja, jeg vet noe")
    chat.core.handle(voice_item(chat, tr.Heard(text="Skolen", confidence=0.7)))
    chat.flush()
    chat.press(engine_texts.VOICE_YES[1])
    session = chat.services.conversations.open_session(pid)
    assert session is not None
    [answer] = [
        a for a in chat.services.conversations.answers_for(session.id) if a.source == "voice"
    ]
    assert (answer.value, answer.confidence) == ("Skolen", 0.7)


def test_a_problem_is_said_kindly_and_nothing_changes(chat: Chat) -> None:
    """A refused note: its message (placeholders filled in), the wait unchanged."""
    pid = onboard(chat)
    hevd(chat, pid)
    chat.press("Ja, jeg vet noe")
    before = chat.services.conversations.open_session(pid)
    heard = tr.Heard(problem=voice_texts.TOO_LONG, values=(("max_seconds", "120"),))
    chat.core.handle(voice_item(chat, heard))
    chat.flush()
    assert chat.last_text() == voice_texts.TOO_LONG[1].format(max_seconds="120")
    assert chat.services.conversations.open_session(pid) == before


def test_with_voice_on_a_sent_flow_also_speaks_its_prompt(chat: Chat) -> None:
    """Voice on: the prompt's text and its button labels in a ``sendVoice`` to synthesize."""
    pid = onboard(chat, voice="Ja")
    hevd(chat, pid)
    [voice] = [c for c in chat.shown if c["method"] == "sendVoice"]
    spoken = voice["params"]["voice"]
    assert spoken["language"] == "nb"
    assert spoken["speak"].startswith("Hei! Nå skal vi snakke om det som er viktig for deg.")
    assert spoken["speak"].endswith("Ja, jeg vet noe. Jeg vet ikke helt.")
    chat.press("Ja, jeg vet noe")
    assert chat.shown[-1]["method"] == "sendVoice"


def reminder_row(chat: Chat, pid: str, text: str, speak: str | None) -> None:
    """A text row as the reminder dispatcher writes it (``speak``: the participant's language
    when their voice was on)."""
    payload: dict[str, Any] = {"text": text, "reminder_id": "r1"}
    if speak is not None:
        payload["speak"] = speak
    entry = OutboxEntry(
        channel="telegram",
        chat_id=str(chat.user),
        kind="text",
        payload=payload,
        participant_id=pid,
    )
    chat.services.outbox.enqueue([entry])
    chat.flush()


def test_with_voice_on_a_reminder_also_arrives_as_a_voice_note(chat: Chat) -> None:
    """A reminder marked ``speak`` comes as text, then as a voice note of the same words in
    the participant's language; rows without ``speak`` (a caseworker's reply) stay text."""
    pid = onboard(chat, voice="Ja")
    count = len(chat.shown)
    reminder = "Hei Sara! En liten påminnelse: møte tirsdag kl. 14."
    reminder_row(chat, pid, reminder, speak="nb")
    sent, voiced = chat.shown[count:]
    assert (sent["method"], sent["params"]["text"]) == ("sendMessage", reminder)
    assert voiced["method"] == "sendVoice"
    assert voiced["params"]["voice"]["speak"] == reminder
    assert voiced["params"]["voice"]["language"] == "nb"
    count = len(chat.shown)
    reminder_row(chat, pid, "Svar fra Kari", speak=None)
    assert [c["method"] for c in chat.shown[count:]] == ["sendMessage"]


def test_a_reminder_is_not_spoken_once_voice_is_off(chat: Chat) -> None:
    """Voice turned off between the dispatch and the sending: text only."""
    pid = onboard(chat, voice="Ja")
    chat.command("voice", "off")
    count = len(chat.shown)
    reminder_row(chat, pid, "Hei Sara! En liten påminnelse.", speak="nb")
    assert [c["method"] for c in chat.shown[count:]] == ["sendMessage"]


def test_without_a_voice_nothing_is_spoken() -> None:
    """A core without ``Voice``: prompts stay text even with the setting on."""
    chat = Chat(BotCore(memory()))
    pid = onboard(chat, voice="Ja")
    hevd(chat, pid)
    assert not [c for c in chat.shown if c["method"] == "sendVoice"]
    chat.core.handle(voice_item(chat))
    chat.flush()
    assert chat.last_text() == texts.VOICE_NOT_YET[1]


def test_a_telegram_voice_note_becomes_a_note() -> None:
    """The file id, the claimed seconds (timedelta or int), the size and the type."""
    update = Update.de_json(
        {
            "update_id": 7,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 42, "type": "private", "first_name": "S"},
                "from": {"id": 42, "is_bot": False, "first_name": "S"},
                "voice": {
                    "file_id": "f",
                    "file_unique_id": "u",
                    "duration": 3,
                    "mime_type": "audio/ogg",
                    "file_size": 999,
                },
            },
        },
        None,
    )
    item = tr.incoming(update)
    assert item is not None and item.note == tr.VoiceNote("f", 3.0, 999, "audio/ogg")
    assert timedelta(seconds=item.note.duration) == timedelta(seconds=3)


def test_spoken_skips_number_buttons() -> None:
    """A scale's numbers are not read out; words on buttons are."""
    scale = {"inline_keyboard": [[{"text": str(n), "callback_data": "x"} for n in range(1, 6)]]}
    words = {"inline_keyboard": [[{"text": "Ja", "callback_data": "a"}]]}
    calls = [
        tr.ApiCall("sendMessage", {"chat_id": 1, "text": "Hvor viktig?", "reply_markup": scale}),
        tr.ApiCall("sendMessage", {"chat_id": 1, "text": "Greit?", "reply_markup": words}),
    ]
    assert tr.spoken(calls) == "Hvor viktig?\n\nGreit?\n\nJa."
    prompt = tr.voice_prompt(1, "Hei", "nn")
    assert prompt.params["voice"]["speak"] == "Hei"

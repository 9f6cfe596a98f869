"""Voice notes in the real bot over loopback HTTP (fake engines): heard, read back, confirmed,
stored; bad audio refused kindly; prompts also spoken when voice is on."""

from __future__ import annotations

import base64
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bots.telegram import texts
from bots.telegram.app import build_application, running, runtime
from bots.telegram.standin import BotApiStandIn
from companion.flows import messages as engine_texts
from companion.voice import AudioLimits, Transcript, Voice
from companion.voice import audio as codec
from companion.voice import messages as voice_texts
from companion.voice.backends.none import NoSpeechToText
from companion.voice.cache import CachedTextToSpeech
from companion.voice.fakes import TEXT_TAG, FakeSpeechToText, FakeTextToSpeech, voice_note
from tests.bots.live import QUIET, USER, Live, live_settings, open_services
from tests.bots.support import run

THEME = "Å ha et sted å bo"
HEARD = engine_texts.VOICE_HEARD[1].format(text=THEME)


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def fake_voice(**changes: Any) -> Voice:
    """Fake engines that hear the text a fake note carries and speak tones carrying theirs."""
    stt = changes.pop("stt", FakeSpeechToText())
    tts = changes.pop("tts", CachedTextToSpeech(FakeTextToSpeech()))
    return Voice(stt, tts, **changes)


@asynccontextmanager
async def voiced_bot(tmp_path: Path, voice: Voice | None = None) -> AsyncIterator[Live]:
    """The live harness with a ``Voice`` wired into the composition root."""
    async with BotApiStandIn() as standin:
        standin.idle_quiet_period = QUIET
        settings = live_settings(tmp_path, standin)
        services = open_services(settings)
        app = build_application(
            settings,
            services,
            base_url=standin.base_url,
            base_file_url=standin.base_file_url,
            voice=voice or fake_voice(),
        )
        try:
            async with running(app):
                yield Live(standin, app, services)
        finally:
            services.db.close()


async def at_themes(live: Live, user: int = USER, name: str = "Sara") -> str:
    """Onboarded, HEVD sent, «Ja, jeg vet noe» pressed: the words question waits."""
    pid = await live.onboard(user, name)
    await live.send_flow(pid)
    await live.press("Ja, jeg vet noe", user)
    return pid


async def speak(live: Live, audio: bytes, seconds: int = 2, user: int = USER) -> None:
    await live.act(live.standin.send_voice(user, audio, seconds))


def answers(live: Live, pid: str) -> list[Any]:
    session = live.services.conversations.sessions_for(pid)[-1]
    return [a for a in live.services.conversations.answers_for(session.id) if a.source == "voice"]


def test_a_voice_note_is_read_back_and_stored_only_once_confirmed(tmp_path: Path) -> None:
    """Voice note → typing… → «Jeg hørte: …» with three buttons → Ja → stored as voice."""

    async def scenario() -> None:
        async with voiced_bot(tmp_path) as live:
            pid = await at_themes(live)
            await speak(live, voice_note(THEME))
            assert live.last().text == HEARD
            labels = [t for row in live.last().buttons for t, _ in row]
            assert labels == [
                engine_texts.VOICE_YES[1],
                engine_texts.VOICE_RETRY[1],
                engine_texts.VOICE_TYPE[1],
            ]
            assert live.standin.calls("getFile")
            assert live.standin.calls("sendChatAction")[0].params["action"] == "typing"
            assert answers(live, pid) == []
            await live.press(engine_texts.VOICE_YES[1])
            [answer] = answers(live, pid)
            assert (answer.value, answer.confidence) == (THEME, 0.9)
            assert not (tmp_path / "audio").exists()  # nothing kept without keep_audio

    run(scenario())


def test_retry_or_type_instead_stores_nothing(tmp_path: Path) -> None:
    """«Nei, prøv igjen» and «Jeg skriver heller» ask again; a typed answer then counts."""

    async def scenario() -> None:
        async with voiced_bot(tmp_path) as live:
            pid = await at_themes(live)
            await speak(live, voice_note("feil ord"))
            await live.press(engine_texts.VOICE_RETRY[1])
            assert live.last().text.startswith(engine_texts.VOICE_RETRY_NOTE[1])
            await speak(live, voice_note("feil igjen"))
            await live.press(engine_texts.VOICE_TYPE[1])
            assert live.last().text.startswith(engine_texts.VOICE_TYPE_NOTE[1])
            assert answers(live, pid) == []
            await live.say(THEME)
            session = live.services.conversations.sessions_for(pid)[-1]
            stored = live.services.conversations.answers_for(session.id)
            assert [a.value for a in stored if a.source == "typed"][-1] == THEME

    run(scenario())


def test_keep_audio_keeps_the_note(tmp_path: Path) -> None:
    """Only with ``keep_audio`` is the note written (under the database's folder)."""

    async def scenario() -> None:
        async with voiced_bot(tmp_path, fake_voice(keep_audio=True)) as live:
            await at_themes(live)
            note = voice_note(THEME)
            await speak(live, note)
            [kept] = (tmp_path / "audio").iterdir()
            assert kept.read_bytes() == note

    run(scenario())


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    ("audio", "seconds", "expected", "fetched"),
    [
        (b"OggS" + bytes(range(256)) * 8, 2, voice_texts.CORRUPT[1], True),
        (b"", 0, voice_texts.EMPTY[1], False),
        (PNG, 2, voice_texts.NOT_AUDIO[1], True),
        (b"OggS", 600, voice_texts.TOO_LONG[1].format(max_seconds="120"), False),
    ],
    ids=["corrupt", "empty", "not-audio", "ten-minutes"],
)
def test_bad_audio_gets_a_friendly_message_and_nothing_is_stored(
    tmp_path: Path, audio: bytes, seconds: int, expected: str, fetched: bool
) -> None:
    """Corrupt, empty, non-audio and too long notes: one kind sentence; the wait is unchanged."""

    async def scenario() -> None:
        async with voiced_bot(tmp_path) as live:
            pid = await at_themes(live)
            before = live.services.conversations.open_session(pid)
            await speak(live, audio, seconds)
            assert live.last().text == expected
            assert bool(live.standin.calls("getFile")) is fetched
            assert live.services.conversations.open_session(pid) == before
            assert answers(live, pid) == []

    run(scenario())


def test_a_note_longer_than_it_claims_is_refused_by_decoding(tmp_path: Path) -> None:
    """The app's claimed length is not trusted: decoding counts the real seconds."""

    async def scenario() -> None:
        limits = AudioLimits(max_seconds=1.0)
        voice = fake_voice(stt=FakeSpeechToText(limits=limits), limits=limits)
        async with voiced_bot(tmp_path, voice) as live:
            pid = await at_themes(live)
            await speak(live, voice_note("x" * 60), 1)  # about 3.6 s of audio
            assert live.last().text == voice_texts.TOO_LONG[1].format(max_seconds="1")
            assert answers(live, pid) == []

    run(scenario())


@pytest.mark.parametrize(
    ("stt", "expected"),
    [
        (FakeSpeechToText(languages=("en",)), voice_texts.LANGUAGE_UNAVAILABLE[1]),
        (NoSpeechToText(), voice_texts.UNAVAILABLE[1]),
    ],
    ids=["language", "no-stt"],
)
def test_without_speech_recognition_the_person_is_asked_to_type(
    tmp_path: Path, stt: Any, expected: str
) -> None:
    """No engine for Bokmål, or none at all: «skriv heller», and the audio is never fetched."""

    async def scenario() -> None:
        async with voiced_bot(tmp_path, fake_voice(stt=stt)) as live:
            await at_themes(live)
            await speak(live, voice_note(THEME))
            assert live.last().text == expected
            assert not live.standin.calls("getFile")

    run(scenario())


def test_voice_notes_nobody_should_hear(tmp_path: Path) -> None:
    """A stranger's note is not fetched; outside a flow and at buttons: say what works."""

    async def scenario() -> None:
        async with voiced_bot(tmp_path) as live:
            await speak(live, voice_note("hei"), user=777)
            assert live.last(777).text == texts.UNKNOWN_USER[1]
            pid = await live.onboard()
            await speak(live, voice_note("hei"))
            assert live.last().text == texts.VOICE_OUTSIDE_FLOW[1]
            await live.send_flow(pid)
            await speak(live, voice_note("ja"))
            assert live.last().text.startswith(texts.VOICE_USE_BUTTONS[1])
            assert live.last().buttons
            assert not live.standin.calls("getFile")

    run(scenario())


def test_a_redelivered_voice_update_is_heard_once(tmp_path: Path) -> None:
    """The same update_id again (after a crash): not fetched, not heard, nothing changes."""

    async def scenario() -> None:
        stt = FakeSpeechToText()
        async with voiced_bot(tmp_path, fake_voice(stt=stt)) as live:
            pid = await at_themes(live)
            handled = runtime(live.app).core.handled
            update_id = await live.standin.send_voice(USER, voice_note(THEME), 2)
            await live.idle(handled=handled + 1)
            [mine] = [m for m in live.standin.chat(USER) if m.kind == "voice"]
            before = live.services.conversations.open_session(pid)
            message = {
                "message_id": mine.message_id,
                "date": 0,
                "chat": {"id": USER, "type": "private", "first_name": "Testa"},
                "from": {"id": USER, "is_bot": False, "first_name": "Testa"},
                "voice": {"file_id": mine.file_id, "file_unique_id": "u", "duration": 2},
            }
            await live.act(live.standin.inject({"update_id": update_id, "message": message}))
            assert len(stt.calls) == 1
            assert live.services.conversations.open_session(pid) == before

    run(scenario())


class GatedSpeechToText(FakeSpeechToText):
    """Hears only once ``gate`` opens: a slow engine."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def transcribe(self, audio: bytes, language: str) -> Transcript:
        self.gate.wait(10)
        return super().transcribe(audio, language)


def test_others_are_answered_while_a_note_is_heard(tmp_path: Path) -> None:
    """Transcription runs off the event loop: another person gets replies meanwhile."""

    async def scenario() -> None:
        stt = GatedSpeechToText()
        async with voiced_bot(tmp_path, fake_voice(stt=stt)) as live:
            await at_themes(live)
            await live.onboard(5151, "Nora")
            await live.standin.send_voice(USER, voice_note(THEME), 2)
            await live.standin.wait_for(lambda c: c.method == "sendChatAction")
            await live.say("/menu", 5151)
            assert live.last(5151).text.startswith(texts.MENU_NOTHING[1])
            assert live.last().text != HEARD
            stt.gate.set()
            await live.standin.wait_for(lambda c: c.text == HEARD, timeout=10)

    run(scenario())


def test_with_voice_on_prompts_also_come_as_voice_notes(tmp_path: Path) -> None:
    """Voice chosen in onboarding: each prompt is also a playable OGG/Opus note (synthesized
    once per text, then cached); the buttons still work."""

    async def scenario() -> None:
        tts = FakeTextToSpeech()
        async with voiced_bot(tmp_path, fake_voice(tts=CachedTextToSpeech(tts))) as live:
            pids = []
            for user, name in ((USER, "Sara"), (5151, "Nora")):
                pid = live.participant(name)
                code = live.services.invites.create(pid).code
                await live.say(f"/start {code}", user)
                await live.press("Ja, det er greit", user)
                await live.press("Bokmål", user)
                await live.press("Ja", user)
                participant = live.services.directory.get_participant(pid)
                assert participant is not None and participant.voice
                await live.send_flow(pid)
                pids.append(pid)
            [sent, _other] = live.standin.calls("sendVoice")
            assert sent.ok and sent.params["duration"] >= 1
            spoken = codec.tags(sent.files["voice"])[TEXT_TAG]
            question = live.with_buttons()
            assert spoken.startswith(question.text)
            assert "Ja, jeg vet noe." in spoken
            assert len(tts.calls) == 1  # the second person got the cached note
            kinds = [m.kind for m in live.standin.chat(USER) if m.from_bot][-2:]
            assert kinds == ["text", "voice"]
            await live.press("Ja, jeg vet noe", message=question)
            assert live.standin.calls("sendVoice")[-1].chat_id == USER
            assert live.services.conversations.open_session(pids[0]) is not None

    run(scenario())

"""The phone demo hears with real faster-whisper when set-up installed a model, else a fake."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bots.telegram.phone.demo import demo_voice
from bots.telegram.phone.notes import record
from companion.voice import audio as codec
from companion.voice.fakes import TEXT_TAG, FakeSpeechToText
from tests.voice import support as s

BASE = {"COMPANION_TTS": "none"}


@s.needs_espeak
@s.needs_whisper
@pytest.mark.slow
def test_the_demo_hears_the_phones_notes_with_whisper(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(s.ROOT)
    env = {**BASE, "COMPANION_WHISPER_MODEL": s.WHISPER_MODEL}
    with caplog.at_level(logging.INFO, logger="bots.telegram.phone.demo"):
        voice = demo_voice(env)
    assert voice.stt.engine.startswith("faster-whisper:")  # type: ignore[attr-defined]
    assert "voice in: faster-whisper" in caplog.text
    note, _ = record("I want to finish school", "en")  # the phone's espeak-ng note
    heard = voice.transcribe_note(note, "en")
    assert s.word_error_rate("I want to finish school", heard.text) <= 0.2
    # The audio is heard, not the words the phone tags its notes with (the fake reads those).
    pcm = codec.decode(note)
    retagged = codec.encode_ogg_opus(pcm, tags={TEXT_TAG: "Jeg vil ikke svare"})
    assert "Jeg" not in voice.transcribe_note(retagged, "en").text


def test_without_a_model_the_demo_says_it_uses_a_stand_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)  # no var/models here
    with caplog.at_level(logging.INFO, logger="bots.telegram.phone.demo"):
        voice = demo_voice(BASE)
    assert isinstance(voice.stt, FakeSpeechToText)
    assert "no whisper model" in caplog.text
    assert voice.transcribe_note(record("Å ha et sted å bo", "nb")[0], "nb").text == (
        "Å ha et sted å bo"
    )


def test_a_broken_model_falls_back_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.INFO, logger="bots.telegram.phone.demo"):
        voice = demo_voice({**BASE, "COMPANION_WHISPER_MODEL": str(tmp_path / "nope")})
    assert isinstance(voice.stt, FakeSpeechToText)
    assert "faster-whisper is unavailable (COMPANION_WHISPER_MODEL:" in caplog.text


def test_a_named_recogniser_is_used_as_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    voice = demo_voice({**BASE, "COMPANION_STT": "none"})
    assert not voice.can_listen("nb")


@s.needs_espeak
@s.needs_whisper
@pytest.mark.slow
def test_the_phone_demo_reads_back_what_whisper_heard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """make demo → phone: «🎤 Lydmelding» → espeak-ng Bokmål → faster-whisper → «Jeg hørte: …»."""
    from bots.telegram.phone.app import PhoneApp
    from bots.telegram.phone.demo import PhoneDemo
    from companion.flows import messages as engine_texts
    from tests.bots.support import run
    from tests.bots.test_phone import FAST, SIZE, Phone

    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    voice = demo_voice({**BASE, "COMPANION_WHISPER_MODEL": s.WHISPER_MODEL})
    said = "Kan vi ta en pause?"

    async def scenario() -> None:
        with PhoneDemo(directory=tmp_path, changes=FAST, voice=voice) as demo:
            demo.standin.idle_quiet_period = 0.08
            app = PhoneApp(demo.link, prefill=demo.prefill, audio_dir=tmp_path / "voice")
            async with app.run_test(size=SIZE) as pilot:
                phone = Phone(demo, app, pilot)
                await phone.act(lambda: pilot.click("#send"))
                await phone.press("Ja, det er greit")
                await phone.press("Bokmål")
                await phone.press("Nei")
                await phone.shows("Vet du om noe som er viktig for deg nå?")
                await phone.press("Ja, jeg vet noe")
                await phone.say(said, via="#voice")
                await phone.shows("Jeg hørte: «")
                [read_back] = [t for t in phone.texts() if t.startswith("Jeg hørte: «")]
                # espeak-ng's Bokmål is hard for base: it hears «kan vi tå innpåser».
                assert "kan vi" in read_back.lower(), read_back
                await phone.press(engine_texts.VOICE_RETRY[1])  # the person can say it again
                await phone.shows(engine_texts.VOICE_RETRY_NOTE[1])

    run(scenario(), timeout=90)

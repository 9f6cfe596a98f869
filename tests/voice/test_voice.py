"""The ``Voice`` facade end to end with real audio: espeak-ng → OGG/Opus → pocketsphinx → text."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from companion.voice import (
    CorruptAudio,
    NoSpeech,
    TooLarge,
    Voice,
    VoiceSettings,
    VoiceUnavailable,
    build_voice,
)
from companion.voice import audio as codec
from companion.voice.backends.none import NoSpeechToText, NoTextToSpeech
from companion.voice.fakes import FakeSpeechToText, FakeTextToSpeech, voice_note
from tests.voice import support as s


@pytest.fixture(scope="module")
def voice(tmp_path_factory: pytest.TempPathFactory) -> Voice:
    if not s.HAS_ESPEAK:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng, or make sysdeps)")
    grammar = s.grammar_file(tmp_path_factory.mktemp("grammar"))
    return build_voice(VoiceSettings(stt_grammar=grammar))


@pytest.mark.slow
@pytest.mark.parametrize("sentence", s.SENTENCES)
def test_spoken_sentence_comes_back_exactly(voice: Voice, sentence: str) -> None:
    note = voice.speak(sentence, "en-US")
    info = codec.probe(note)
    assert (info.container, info.codec) == ("ogg", "opus")
    assert 0.3 <= info.duration <= 0.8 * len(sentence.split()) + 1
    transcript = voice.transcribe_note(note, "en")
    assert transcript.text == sentence
    assert transcript.confidence == 1.0
    assert transcript.engine == "pocketsphinx:grammar"


def test_norwegian_prompt_is_spoken(voice: Voice) -> None:
    note = voice.speak(s.NORWEGIAN, "nb")
    assert codec.probe(note).codec == "opus"
    assert voice.speak(s.NORWEGIAN, "nb") is note  # from the cache


def test_norwegian_voice_note_is_declined_by_the_english_model(voice: Voice) -> None:
    with pytest.raises(VoiceUnavailable) as caught:
        voice.transcribe_note(voice.speak(s.NORWEGIAN, "nb"), "nb")
    assert caught.value.message_id == "voice:unavailable:language"


def test_silence_is_no_speech(voice: Voice) -> None:
    with pytest.raises(NoSpeech) as caught:
        voice.transcribe_note(codec.encode_ogg_opus(codec.Pcm(bytes(32_000))), "en")
    assert caught.value.message_id == "voice:error:no_speech"


def test_transcription_leaves_the_event_loop_free(voice: Voice) -> None:
    notes = [s.spoken(x) for x in s.SENTENCES[:3]]

    async def main() -> tuple[list[str], float]:
        gaps = [0.0]

        async def ticker() -> None:
            last = time.perf_counter()
            while True:
                await asyncio.sleep(0.002)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        beat = asyncio.create_task(ticker())
        heard = await asyncio.gather(*(voice.transcribe_note_async(n, "en") for n in notes))
        beat.cancel()
        return [t.text for t in heard], max(gaps)

    texts, longest_pause = asyncio.run(main())
    assert texts == list(s.SENTENCES[:3])
    assert longest_pause < 0.5  # other chats would still get answers


def test_speak_async(voice: Voice) -> None:
    note = asyncio.run(voice.speak_async("Yes.", "en"))
    assert codec.probe(note).codec == "opus"


def test_size_is_checked_before_the_engine_runs() -> None:
    stt = FakeSpeechToText()
    voice = Voice(stt, FakeTextToSpeech(), codec.AudioLimits(max_bytes=100))
    with pytest.raises(TooLarge):
        voice.transcribe_note(voice_note("Hei"), "nb")
    assert stt.calls == []


def test_audio_is_deleted_after_transcription(tmp_path: Path) -> None:
    voice = Voice(FakeSpeechToText(), FakeTextToSpeech())
    note = tmp_path / "note.oga"
    note.write_bytes(voice_note("Jeg vil snakke med mamma"))
    assert voice.transcribe_file(note, "nb").text == "Jeg vil snakke med mamma"
    assert not note.exists()


def test_audio_is_deleted_even_when_it_was_unusable(tmp_path: Path) -> None:
    voice = Voice(FakeSpeechToText(), FakeTextToSpeech())
    note = tmp_path / "note.oga"
    note.write_bytes(s.corrupt_ogg())
    with pytest.raises(CorruptAudio):
        voice.transcribe_file(note, "nb")
    assert not note.exists()


def test_keep_audio_keeps_it(tmp_path: Path) -> None:
    voice = Voice(FakeSpeechToText(), FakeTextToSpeech(), keep_audio=True)
    note = tmp_path / "note.oga"
    note.write_bytes(voice_note("Hei"))
    asyncio.run(voice.transcribe_file_async(note, "nb"))
    assert note.exists()


def test_fake_notes_round_trip_through_the_fakes() -> None:
    voice = Voice(FakeSpeechToText(), FakeTextToSpeech())
    transcript = voice.transcribe_note(voice.speak("Skolen var fin i dag.", "nb"), "nb")
    assert transcript.text == "Skolen var fin i dag." and transcript.engine == "fake"


def test_voice_off_declines_politely() -> None:
    voice = Voice(NoSpeechToText(), NoTextToSpeech())
    with pytest.raises(VoiceUnavailable) as heard:
        voice.transcribe_note(voice_note("Hei"), "nb")
    assert heard.value.message == ("voice:unavailable", heard.value.message[1])
    assert "Skriv heller" in heard.value.message[1]
    with pytest.raises(VoiceUnavailable) as spoken:
        voice.speak("Hei", "nb")
    assert spoken.value.message_id == "voice:unavailable:speech"

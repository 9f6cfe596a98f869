"""SpeechToText contract: the fake and every real backend hear, measure and refuse alike."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from companion.voice import audio as codec
from companion.voice.errors import (
    CorruptAudio,
    EmptyAudio,
    LanguageUnavailable,
    NotAudio,
    TooLarge,
    TooLong,
)
from companion.voice.fakes import tone
from tests.voice import support as s
from tests.voice.conftest import SttCase


def heard_right(case: SttCase, sentence: str, text: str) -> bool:
    if case.exact:
        return text == sentence
    return s.word_error_rate(sentence, text) <= 0.5


@pytest.mark.parametrize("sentence", s.SENTENCES[:3])
def test_hears_a_sentence(stt_case: SttCase, sentence: str) -> None:
    note = stt_case.note(sentence)
    transcript = stt_case.stt.transcribe(note, stt_case.language)
    assert heard_right(stt_case, sentence, transcript.text), transcript
    assert 0.0 <= transcript.confidence <= 1.0
    assert transcript.confidence > 0
    assert transcript.duration == pytest.approx(codec.decode(note).duration, abs=0.05)
    assert transcript.engine


def test_silence_is_heard_as_nothing(stt_case: SttCase) -> None:
    silence = codec.encode_ogg_opus(codec.Pcm(bytes(2 * 16_000 * 2)))
    transcript = stt_case.stt.transcribe(silence, stt_case.language)
    assert transcript.text == ""
    assert transcript.confidence == 0.0
    assert transcript.duration == pytest.approx(2.0, abs=0.05)


def test_supports_its_language_and_refuses_others(stt_case: SttCase) -> None:
    assert stt_case.stt.supports(stt_case.language)
    assert not stt_case.stt.supports("xx")
    with pytest.raises(LanguageUnavailable):
        stt_case.stt.transcribe(stt_case.note(s.SENTENCES[0]), "xx")


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: b"", EmptyAudio),
        (lambda: s.TEXT, NotAudio),
        (lambda: s.PNG, NotAudio),
        (lambda: s.RANDOM, NotAudio),
        (s.corrupt_ogg, CorruptAudio),
        (lambda: s.beheaded_ogg(s.silent_ogg(10)), CorruptAudio),
        (lambda: s.silent_ogg(30), TooLong),
        (lambda: s.wav_file(bytes(2_100_000), 8_000), TooLarge),
    ],
    ids=["empty", "text", "png", "random", "corrupt", "beheaded", "too-long", "too-large"],
)
def test_refuses_unusable_audio(stt_case: SttCase, make: object, error: type[Exception]) -> None:
    assert callable(make)
    with pytest.raises(error):
        stt_case.stt.transcribe(make(), stt_case.language)


def test_reads_wav_too(stt_case: SttCase) -> None:
    pcm = codec.decode(stt_case.note(s.SENTENCES[0]))
    wav = s.wav_file(pcm.samples, pcm.rate)
    transcript = stt_case.stt.transcribe(wav, stt_case.language)
    assert transcript.duration == pytest.approx(pcm.duration, abs=0.05)


@pytest.mark.slow
def test_serves_several_threads_at_once(stt_case: SttCase) -> None:
    sentences = s.SENTENCES[:4]
    notes = [stt_case.note(x) for x in sentences]
    with ThreadPoolExecutor(4) as pool:
        heard = list(pool.map(lambda n: stt_case.stt.transcribe(n, stt_case.language), notes))
    for sentence, transcript in zip(sentences, heard, strict=True):
        assert heard_right(stt_case, sentence, transcript.text), transcript


def test_a_tone_is_not_speech(stt_case: SttCase) -> None:
    note = codec.encode_ogg_opus(tone(1.5))
    transcript = stt_case.stt.transcribe(note, stt_case.language)
    assert transcript.duration == pytest.approx(1.5, abs=0.05)
    assert len(transcript.text.split()) <= 3

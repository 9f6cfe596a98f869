"""TextToSpeech contract: the fake and every real backend give playable OGG/Opus voice notes."""

from __future__ import annotations

import pytest

from companion.voice import audio as codec
from companion.voice.errors import LanguageUnavailable
from tests.voice.conftest import TtsCase


def test_speaks_valid_ogg_opus_of_plausible_length(tts_case: TtsCase) -> None:
    note = tts_case.tts.synthesize(tts_case.sentence, tts_case.language)
    info = codec.probe(note)
    assert (info.container, info.codec, info.rate, info.channels) == ("ogg", "opus", 48_000, 1)
    words = len(tts_case.sentence.split())
    # Speech runs at roughly 2–4 words a second; allow slow voices and pauses.
    assert 0.15 * words <= info.duration <= 1.0 * words + 1.0, info
    assert len(note) < 40_000 * max(1.0, info.duration)  # about 32 kbit/s


def test_the_note_decodes_for_listening(tts_case: TtsCase) -> None:
    note = tts_case.tts.synthesize(tts_case.sentence, tts_case.language)
    pcm = codec.decode(note)
    assert pcm.rate == 16_000 and pcm.duration > 0.5


def test_blank_text_is_refused(tts_case: TtsCase) -> None:
    with pytest.raises(ValueError, match="nothing to say"):
        tts_case.tts.synthesize("  \n", tts_case.language)


def test_supports_its_language_and_refuses_others(tts_case: TtsCase) -> None:
    assert tts_case.tts.supports(tts_case.language)
    assert not tts_case.tts.supports("xx")
    with pytest.raises(LanguageUnavailable):
        tts_case.tts.voice_for("xx")
    with pytest.raises(LanguageUnavailable):
        tts_case.tts.synthesize(tts_case.sentence, "xx")


def test_voice_for_names_a_stable_voice(tts_case: TtsCase) -> None:
    first = tts_case.tts.voice_for(tts_case.language)
    assert first and first == tts_case.tts.voice_for(tts_case.language)


def test_same_text_about_the_same_audio(tts_case: TtsCase) -> None:
    # Piper's neural voice varies a little from run to run; the others are bit-exact.
    a = tts_case.tts.synthesize(tts_case.sentence, tts_case.language)
    b = tts_case.tts.synthesize(tts_case.sentence, tts_case.language)
    assert codec.probe(a).duration == pytest.approx(codec.probe(b).duration, rel=0.15)

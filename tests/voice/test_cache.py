"""The prompt cache: by (text, language, voice), in memory and optionally on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.voice.cache import CachedTextToSpeech, TtsCache, cache_key
from companion.voice.fakes import FakeTextToSpeech
from tests.voice import support as s


def test_a_hit_returns_identical_bytes_without_the_engine() -> None:
    engine = FakeTextToSpeech()
    tts = CachedTextToSpeech(engine)
    first = tts.synthesize("Hei, Anna!", "nb")
    second = tts.synthesize("Hei, Anna!", "nb")
    assert second == first
    assert engine.calls == [("Hei, Anna!", "nb")]


@s.needs_espeak
def test_a_hit_with_espeak(monkeypatch: pytest.MonkeyPatch) -> None:
    from companion.voice.backends import espeak

    tts = CachedTextToSpeech(espeak.EspeakTextToSpeech())
    first = tts.synthesize("Hvordan har du det?", "nb")
    monkeypatch.setattr("companion.voice.backends.espeak.subprocess.run", _no_engine)
    assert tts.synthesize("Hvordan har du det?", "nb") == first


def _no_engine(*args: object, **kwargs: object) -> None:
    raise AssertionError("the engine ran again")


def test_language_and_voice_are_part_of_the_key() -> None:
    engine = FakeTextToSpeech()
    tts = CachedTextToSpeech(engine)
    for language in ("nb", "nn", "en", "nb"):
        tts.synthesize("Ja", language)
    assert [c[1] for c in engine.calls] == ["nb", "nn", "en"]
    assert cache_key("Ja", "nb", "espeak-ng:nb") != cache_key("Ja", "nb", "piper:talesyntese")


def test_least_recently_used_goes_first() -> None:
    engine = FakeTextToSpeech()
    tts = CachedTextToSpeech(engine, TtsCache(max_items=2))
    for text in ("en", "to", "en", "tre", "en", "to"):
        tts.synthesize(text, "nb")
    assert [c[0] for c in engine.calls] == ["en", "to", "tre", "to"]
    assert len(tts.cache) == 2


def test_a_folder_keeps_notes_across_restarts(tmp_path: Path) -> None:
    first_engine, second_engine = FakeTextToSpeech(), FakeTextToSpeech()
    note = CachedTextToSpeech(first_engine, TtsCache(directory=tmp_path)).synthesize("Hei", "nb")
    again = CachedTextToSpeech(second_engine, TtsCache(directory=tmp_path)).synthesize("Hei", "nb")
    assert again == note and second_engine.calls == []
    assert [p.suffix for p in tmp_path.iterdir()] == [".ogg"]


def test_zero_items_keeps_nothing_in_memory() -> None:
    engine = FakeTextToSpeech()
    tts = CachedTextToSpeech(engine, TtsCache(max_items=0))
    tts.synthesize("Hei", "nb")
    tts.synthesize("Hei", "nb")
    assert len(engine.calls) == 2


def test_blank_text_never_reaches_the_cache() -> None:
    with pytest.raises(ValueError, match="nothing to say"):
        CachedTextToSpeech(FakeTextToSpeech()).synthesize(" ", "nb")

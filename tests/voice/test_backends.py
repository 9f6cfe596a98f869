"""What each backend does beyond the contract: voices, grammars, language tags, messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from companion.i18n.extract import PYTHON_KEYWORDS
from companion.voice import errors
from companion.voice.backends.fallback import FallbackTextToSpeech
from companion.voice.backends.none import NoSpeechToText, NoTextToSpeech
from companion.voice.backends.piper import voice_languages
from companion.voice.backends.pocketsphinx import PocketsphinxSpeechToText, jsgf, normalize
from companion.voice.backends.whisper import FasterWhisperSpeechToText, missing_files
from companion.voice.fakes import FakeTextToSpeech
from tests.voice import support as s


@s.needs_espeak
@pytest.mark.parametrize(
    ("language", "voice"),
    [
        ("nb", "nb"),
        ("no", "nb"),
        ("nn", "nb"),  # espeak-ng 1.51 has no Nynorsk voice
        ("nb-NO", "nb"),
        ("en", "en-gb"),
        ("en-US", "en-us"),
        ("en_GB", "en-gb"),
        ("smj", "smj"),  # Lule Sámi
    ],
)
def test_espeak_voice_for_each_language(language: str, voice: str) -> None:
    from companion.voice.backends.espeak import EspeakTextToSpeech

    assert EspeakTextToSpeech().voice_for(language) == f"espeak-ng:{voice}"


@s.needs_espeak
def test_espeak_is_deterministic_and_reads_text_safely() -> None:
    from companion.voice.backends.espeak import EspeakTextToSpeech

    tts = EspeakTextToSpeech()
    assert tts.synthesize("Hei på deg!", "nb") == tts.synthesize("Hei på deg!", "nb")
    tts.synthesize("-v en --help «æøå» <speak>", "nb")  # on stdin: never taken as options


def test_grammar_sentences_come_back_as_written() -> None:
    assert normalize("Can we take a BREAK?!") == "can we take a break"
    grammar = jsgf(["yes", "no thanks"])
    assert grammar.startswith("#JSGF V1.0;") and "( no thanks ) | ( yes )" in grammar


def test_grammar_with_unknown_words_is_refused() -> None:
    with pytest.raises(ValueError, match="skolen"):
        PocketsphinxSpeechToText(["Skolen er fin"])


@s.needs_espeak
@pytest.mark.slow
def test_pocketsphinx_without_grammar_hears_roughly() -> None:
    stt = PocketsphinxSpeechToText()
    transcript = stt.transcribe(s.spoken("I would like to talk to my mother."), "en")
    assert transcript.engine == "pocketsphinx:lm"
    assert transcript.text and 0.0 <= transcript.confidence <= 1.0


@pytest.mark.parametrize(
    ("ours", "whisper"),
    [("nb", "no"), ("nn", "no"), ("no", "no"), ("nb-NO", "no"), ("en", "en"), ("sv", "sv")],
)
def test_whisper_is_always_told_the_language(ours: str, whisper: str) -> None:
    assert FasterWhisperSpeechToText._whisper_language(ours) == whisper


def test_whisper_model_files(tmp_path: Path) -> None:
    assert missing_files(tmp_path / "nope") == ["model.bin", "config.json", "tokenizer.json"]
    for name in ("model.bin", "config.json"):
        (tmp_path / name).write_bytes(b"")
    assert missing_files(tmp_path) == ["tokenizer.json"]


@pytest.mark.parametrize(
    ("config", "speaks"),
    [
        ({"language": {"code": "nb_NO", "family": "nb"}}, {"nb", "nn", "no", "nb-no"}),
        ({"language": {"code": "no_NO", "family": "no"}}, {"nb", "nn", "no", "no-no"}),
        ({"language": {"code": "en_US", "family": "en"}}, {"en", "en-us"}),
        ({"espeak": {"voice": "sv"}}, {"sv"}),
    ],
)
def test_piper_voice_languages(config: dict[str, object], speaks: set[str]) -> None:
    assert speaks <= voice_languages(config)
    assert "xx" not in voice_languages(config)


def test_fallback_speaks_with_the_first_that_can() -> None:
    nb, many = FakeTextToSpeech(["nb", "nn", "no"]), FakeTextToSpeech(["nb", "en", "se"])
    tts = FallbackTextToSpeech(nb, many)
    tts.synthesize("Hei", "nb")
    tts.synthesize("Hello", "en")
    assert nb.calls == [("Hei", "nb")] and many.calls == [("Hello", "en")]
    assert tts.supports("se") and not tts.supports("xx")


def test_none_backends_decline() -> None:
    assert not NoSpeechToText().supports("nb") and not NoTextToSpeech().supports("nb")
    with pytest.raises(errors.SpeechUnavailable):
        NoTextToSpeech().voice_for("nb")
    with pytest.raises(ValueError, match="nothing to say"):
        NoTextToSpeech().synthesize("", "nb")


ERRORS = [
    errors.EmptyAudio,
    errors.CorruptAudio,
    errors.NotAudio,
    errors.TooLong,
    errors.TooLarge,
    errors.NoSpeech,
    errors.VoiceUnavailable,
    errors.LanguageUnavailable,
    errors.SpeechUnavailable,
]


def test_every_error_has_a_catalog_message() -> None:
    messages = Path(errors.__file__).with_name("messages.py")
    found = {
        (context, text)
        for _, text, _, context in extract_from_file(
            "python", str(messages), keywords=PYTHON_KEYWORDS
        )
        if isinstance(text, str)
    }
    assert found, "N_ is not extracted"
    ids = set()
    for error in ERRORS:
        context, text = error.message
        assert (context, text) in found
        assert context.startswith("voice:") and "\n" not in text and len(text) <= 120
        ids.add(context)
    assert len(ids) == len(ERRORS)


def test_message_placeholders_are_in_params() -> None:
    error = errors.TooLong("700 s > 120 s", max_seconds="120")
    assert error.message[1].format(**error.params).startswith("Lydmeldingen er for lang")
    assert error.message_id == "voice:error:too_long" and str(error) == "700 s > 120 s"
    assert str(errors.NotAudio()) == errors.NotAudio.message[1]

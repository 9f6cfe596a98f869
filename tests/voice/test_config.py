"""Voice settings come from one place; a missing model is one line naming its setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.config import ConfigError
from companion.voice import (
    VoiceConfigError,
    VoiceSettings,
    build_voice,
    load_voice_settings,
    models,
)
from companion.voice.backends.none import NoSpeechToText, NoTextToSpeech
from companion.voice.cache import CachedTextToSpeech
from companion.voice.config import whisper_model
from tests.voice import support as s


def test_defaults_work_offline_with_nothing_configured() -> None:
    settings = load_voice_settings({})
    assert settings == VoiceSettings()
    assert (settings.stt, settings.tts, settings.keep_audio) == ("pocketsphinx", "espeak", False)
    assert settings.limits.max_seconds == 120


def test_every_setting_has_its_variable(tmp_path: Path) -> None:
    env = {
        "COMPANION_STT": "faster-whisper",
        "COMPANION_WHISPER_MODEL": str(tmp_path),
        "COMPANION_WHISPER_COMPUTE": "int8_float32",
        "COMPANION_WHISPER_THREADS": "2",
        "COMPANION_WHISPER_BEAM": "1",
        "COMPANION_STT_GRAMMAR": "g.txt",
        "COMPANION_TTS": "piper",
        "COMPANION_PIPER_VOICE": "v.onnx",
        "COMPANION_ESPEAK_SPEED": "150",
        "COMPANION_TTS_CACHE_ITEMS": "10",
        "COMPANION_TTS_CACHE_DIR": "cache",
        "COMPANION_VOICE_MAX_SECONDS": "60",
        "COMPANION_VOICE_MAX_BYTES": "1000000",
        "COMPANION_KEEP_AUDIO": "yes",
    }
    settings = load_voice_settings(env)
    assert settings.whisper_model_dir == tmp_path and settings.whisper_threads == 2
    assert settings.piper_voice == Path("v.onnx") and settings.keep_audio
    assert settings.limits.max_seconds == 60 and settings.limits.max_bytes == 1_000_000
    assert load_voice_settings(env, stt="none").stt == "none"


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"COMPANION_STT": "whisper"}, "COMPANION_STT"),
        ({"COMPANION_TTS": "festival"}, "COMPANION_TTS"),
        ({"COMPANION_VOICE_MAX_SECONDS": "two"}, "COMPANION_VOICE_MAX_SECONDS"),
        ({"COMPANION_VOICE_MAX_BYTES": "-1"}, "COMPANION_VOICE_MAX_BYTES"),
        ({"COMPANION_KEEP_AUDIO": "maybe"}, "COMPANION_KEEP_AUDIO"),
    ],
)
def test_a_bad_value_names_its_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(VoiceConfigError) as caught:
        load_voice_settings(env)
    assert str(caught.value).startswith(names) and "\n" not in str(caught.value)


def _startup_error(tmp_path: Path, **settings: object) -> str:
    with pytest.raises(VoiceConfigError) as caught:
        build_voice(VoiceSettings.model_validate(settings))
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    assert isinstance(caught.value, ConfigError)  # the CLI prints it as one line
    return message


def test_whisper_without_a_model_names_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no var/models here: set-up installed nothing
    message = _startup_error(tmp_path, stt="faster-whisper")
    assert message.startswith("COMPANION_WHISPER_MODEL is not set") and "docs/voice.md" in message


def _broken_model(directory: Path, size: int = 1000) -> Path:
    """A model directory whose small files are right but whose model.bin is garbage."""
    directory.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (directory / name).write_text("{}", encoding="utf-8")
    with (directory / "model.bin").open("wb") as model:
        model.write(b"not a model")
        model.truncate(size)
    return directory


@pytest.mark.slow
def test_whisper_with_a_corrupt_model_names_the_setting(tmp_path: Path) -> None:
    model = _broken_model(tmp_path / "nb-whisper")
    message = _startup_error(tmp_path, stt="faster-whisper", whisper_model_dir=model)
    assert message.startswith("COMPANION_WHISPER_MODEL: ")


@pytest.mark.slow
def test_a_corrupt_installed_model_names_the_setting_and_the_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    model = _broken_model(tmp_path / models.default_whisper_model(), models.WHISPER_BASE_SIZE)
    (model / models.STAMP).write_text(models.WHISPER_BASE_SHA256, encoding="ascii")
    message = _startup_error(tmp_path, stt="faster-whisper")
    assert message.startswith(
        "COMPANION_WHISPER_MODEL (not set; using var/models/faster-whisper-base): "
    )


@s.needs_whisper
@pytest.mark.slow
def test_the_installed_base_model_is_used_when_the_setting_is_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not models.whisper_model_installed(s.ROOT / models.default_whisper_model()):
        pytest.skip("make setup installed no faster-whisper base (COMPANION_WHISPER_MODEL is used)")
    monkeypatch.chdir(s.ROOT)
    settings = load_voice_settings({"COMPANION_STT": "faster-whisper"})
    assert whisper_model(settings) == models.default_whisper_model()
    voice = build_voice(settings.model_copy(update={"tts": "none"}))
    assert voice.stt.engine == "faster-whisper:faster-whisper-base"
    assert voice.can_listen("nb") and voice.can_listen("nn") and voice.can_listen("en")
    other = Path("/srv/nb-whisper")
    assert whisper_model(settings.model_copy(update={"whisper_model_dir": other})) == other


def test_whisper_with_a_missing_directory(tmp_path: Path) -> None:
    message = _startup_error(tmp_path, stt="faster-whisper", whisper_model_dir=tmp_path / "nope")
    assert message.startswith("COMPANION_WHISPER_MODEL:") and "not a directory" in message


def test_whisper_with_an_incomplete_directory(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"")
    message = _startup_error(tmp_path, stt="faster-whisper", whisper_model_dir=tmp_path)
    assert "config.json, tokenizer.json" in message and "model.bin" not in message


def test_piper_without_a_voice_names_the_setting(tmp_path: Path) -> None:
    message = _startup_error(tmp_path, tts="piper")
    assert message.startswith("COMPANION_PIPER_VOICE is not set")


def test_piper_voice_without_its_json(tmp_path: Path) -> None:
    voice = tmp_path / "nb_NO-talesyntese-medium.onnx"
    voice.write_bytes(b"")
    message = _startup_error(tmp_path, tts="piper", piper_voice=voice)
    assert message.startswith("COMPANION_PIPER_VOICE:") and ".onnx.json does not exist" in message


def test_grammar_file_missing_or_with_unknown_words(tmp_path: Path) -> None:
    message = _startup_error(tmp_path, stt_grammar=tmp_path / "nope.txt")
    assert message.startswith("COMPANION_STT_GRAMMAR: cannot read")
    grammar = tmp_path / "g.txt"
    grammar.write_text("Skolen var fin i dag\n", encoding="utf-8")
    message = _startup_error(tmp_path, stt_grammar=grammar)
    assert message == "COMPANION_STT_GRAMMAR: not in the pocketsphinx dictionary: skolen, var"


def test_espeak_missing_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    message = _startup_error(tmp_path, stt="none")
    assert "apt-get install espeak-ng" in message and "COMPANION_TTS=none" in message


def test_none_and_none_declines_both_ways() -> None:
    voice = build_voice(VoiceSettings(stt="none", tts="none"))
    assert isinstance(voice.stt, NoSpeechToText) and isinstance(voice.tts, NoTextToSpeech)
    assert not voice.can_listen("nb") and not voice.can_speak("nb")


@s.needs_espeak
def test_default_build_listens_in_english_and_speaks_norwegian(tmp_path: Path) -> None:
    voice = build_voice(
        VoiceSettings(stt_grammar=s.grammar_file(tmp_path), tts_cache_dir=tmp_path / "c")
    )
    assert isinstance(voice.tts, CachedTextToSpeech)
    assert voice.can_listen("en") and not voice.can_listen("nb")
    assert voice.can_speak("nb") and voice.can_speak("nn") and voice.can_speak("en")
    assert voice.description == "voice in: pocketsphinx, voice out: espeak"


@s.needs_whisper
@pytest.mark.slow
def test_whisper_from_the_environment_variable() -> None:
    voice = build_voice(
        load_voice_settings({"COMPANION_WHISPER_MODEL": s.WHISPER_MODEL}, stt="faster-whisper")
    )
    assert voice.can_listen("en")


@s.needs_piper
@pytest.mark.slow
def test_piper_falls_back_to_espeak_for_other_languages() -> None:
    voice = build_voice(load_voice_settings({"COMPANION_PIPER_VOICE": s.PIPER_VOICE}, tts="piper"))
    assert voice.tts.voice_for("smj").startswith("espeak-ng:")
    assert any(voice.tts.voice_for(x).startswith("piper:") for x in ("nb", "en"))

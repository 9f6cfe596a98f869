"""Voice settings in one place (environment ``COMPANION_STT`` …) and ``build_voice``."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from companion.voice import audio as codec
from companion.voice.backends.none import NoSpeechToText, NoTextToSpeech
from companion.voice.cache import CachedTextToSpeech, TtsCache
from companion.voice.errors import VoiceConfigError
from companion.voice.facade import Voice
from companion.voice.ports import SpeechToText, TextToSpeech

T = TypeVar("T")
DOCS = "see docs/voice.md"
EXTRA = "pip install 'companion[voice]'"

ENV: dict[str, str] = {
    "stt": "COMPANION_STT",
    "whisper_model_dir": "COMPANION_WHISPER_MODEL",
    "whisper_compute_type": "COMPANION_WHISPER_COMPUTE",
    "whisper_threads": "COMPANION_WHISPER_THREADS",
    "whisper_beam_size": "COMPANION_WHISPER_BEAM",
    "stt_grammar": "COMPANION_STT_GRAMMAR",
    "tts": "COMPANION_TTS",
    "piper_voice": "COMPANION_PIPER_VOICE",
    "espeak_speed": "COMPANION_ESPEAK_SPEED",
    "tts_cache_items": "COMPANION_TTS_CACHE_ITEMS",
    "tts_cache_dir": "COMPANION_TTS_CACHE_DIR",
    "max_seconds": "COMPANION_VOICE_MAX_SECONDS",
    "max_bytes": "COMPANION_VOICE_MAX_BYTES",
    "keep_audio": "COMPANION_KEEP_AUDIO",
}
"""Each setting's environment variable (the names error messages use)."""


class VoiceSettings(BaseModel):
    """Which engines listen and speak, where their models are, and the limits on voice notes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stt: Literal["pocketsphinx", "faster-whisper", "none"] = "pocketsphinx"
    whisper_model_dir: Path | None = None
    """A CTranslate2 Whisper model directory (NB-Whisper converted; never downloaded)."""
    whisper_compute_type: str = "int8"
    whisper_threads: int = Field(default=0, ge=0)
    """CPU threads for Whisper; 0: one per core, at most 4."""
    whisper_beam_size: int = Field(default=5, ge=1)
    stt_grammar: Path | None = None
    """pocketsphinx only: a file of expected sentences, one a line; the result is then exact."""
    tts: Literal["espeak", "piper", "none"] = "espeak"
    piper_voice: Path | None = None
    """A Piper voice ``.onnx`` with its ``.onnx.json`` beside it."""
    espeak_speed: int | None = Field(default=None, ge=80, le=450)
    """Words per minute for espeak-ng (its default is 175)."""
    tts_cache_items: int = Field(default=256, ge=0)
    tts_cache_dir: Path | None = None
    max_seconds: float = Field(default=codec.DEFAULT_MAX_SECONDS, gt=0)
    max_bytes: int = Field(default=codec.DEFAULT_MAX_BYTES, gt=0)
    keep_audio: bool = False
    """Keep voice notes after transcription (needs consent and follows retention); off by default."""

    @property
    def limits(self) -> codec.AudioLimits:
        return codec.AudioLimits(self.max_seconds, self.max_bytes)


def load_voice_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> VoiceSettings:
    """Settings from the environment, then ``overrides``; a bad value names its variable."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {f: env[name] for f, name in ENV.items() if env.get(name, "").strip()}
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return VoiceSettings.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        raise VoiceConfigError(
            f"{ENV.get(field, field)}: {first['msg']} (got {first.get('input')!r})"
        ) from None


def build_voice(settings: VoiceSettings | None = None) -> Voice:
    """The configured engines behind a ``Voice``; ``VoiceConfigError`` names a missing piece."""
    settings = settings or load_voice_settings()
    stt = _build_stt(settings)
    tts = _build_tts(settings)
    description = f"voice in: {settings.stt}, voice out: {settings.tts}"
    return Voice(stt, tts, settings.limits, settings.keep_audio, description)


def _build_stt(settings: VoiceSettings) -> SpeechToText:
    if settings.stt == "none":
        return NoSpeechToText()
    if settings.stt == "faster-whisper":
        return _faster_whisper(settings)
    return _pocketsphinx(settings)


def _pocketsphinx(settings: VoiceSettings) -> SpeechToText:
    grammar: list[str] = []
    if settings.stt_grammar is not None:
        grammar = _read_lines(settings.stt_grammar, ENV["stt_grammar"])
    from companion.voice.backends.pocketsphinx import PocketsphinxSpeechToText

    return _guarded(
        lambda: PocketsphinxSpeechToText(grammar, settings.limits),
        f"{ENV['stt']}=pocketsphinx needs the pocketsphinx package",
        ENV["stt_grammar"],
    )


def whisper_model(settings: VoiceSettings) -> Path | None:
    """``COMPANION_WHISPER_MODEL`` when set, else the base model set-up installed (if it did)."""
    if settings.whisper_model_dir is not None:
        return settings.whisper_model_dir
    from companion.voice.models import default_whisper_model, whisper_model_installed

    return default_whisper_model() if whisper_model_installed() else None


def _faster_whisper(settings: VoiceSettings) -> SpeechToText:
    name = ENV["whisper_model_dir"]
    model = whisper_model(settings)
    if model is None:
        raise VoiceConfigError(
            f"{name} is not set and set-up installed no model: faster-whisper needs a "
            f"converted model directory ({DOCS})"
        )
    if settings.whisper_model_dir is None:
        name = f"{name} (not set; using {model})"
    from companion.voice.backends.whisper import FasterWhisperSpeechToText, missing_files

    if not model.is_dir():
        raise VoiceConfigError(f"{name}: {model} is not a directory ({DOCS})")
    missing = missing_files(model)
    if missing:
        raise VoiceConfigError(f"{name}: {model} lacks {', '.join(missing)} ({DOCS})")
    return _guarded(
        lambda: FasterWhisperSpeechToText(
            model,
            settings.limits,
            compute_type=settings.whisper_compute_type,
            cpu_threads=settings.whisper_threads,
            beam_size=settings.whisper_beam_size,
        ),
        f"{ENV['stt']}=faster-whisper needs the voice extra: {EXTRA}",
        name,
    )


def _build_tts(settings: VoiceSettings) -> TextToSpeech:
    if settings.tts == "none":
        return NoTextToSpeech()
    engine = _piper(settings) if settings.tts == "piper" else _espeak(settings)
    cache = TtsCache(settings.tts_cache_items, settings.tts_cache_dir)
    return CachedTextToSpeech(engine, cache)


def _espeak(settings: VoiceSettings) -> TextToSpeech:
    espeak = _espeak_if_installed(settings)
    if espeak is None:
        raise VoiceConfigError(
            f"{ENV['tts']}=espeak needs the espeak-ng program (apt-get install espeak-ng), "
            f"or set {ENV['tts']}=none"
        )
    return espeak


def _espeak_if_installed(settings: VoiceSettings) -> TextToSpeech | None:
    from companion.voice.backends.espeak import EspeakTextToSpeech

    try:
        return EspeakTextToSpeech(speed=settings.espeak_speed)
    except FileNotFoundError:
        return None


def _piper(settings: VoiceSettings) -> TextToSpeech:
    name = ENV["piper_voice"]
    voice = settings.piper_voice
    if voice is None:
        raise VoiceConfigError(f"{name} is not set: Piper needs a voice .onnx file ({DOCS})")
    from companion.voice.backends.fallback import FallbackTextToSpeech
    from companion.voice.backends.piper import PiperTextToSpeech, config_path

    for path in (voice, config_path(voice)):
        if not path.is_file():
            raise VoiceConfigError(f"{name}: {path} does not exist ({DOCS})")
    piper: TextToSpeech = _guarded(
        lambda: PiperTextToSpeech(voice),
        f"{ENV['tts']}=piper needs the voice extra: {EXTRA}",
        name,
    )
    espeak = _espeak_if_installed(settings)
    return piper if espeak is None else FallbackTextToSpeech(piper, espeak)


def _guarded(build: Callable[[], T], missing_package: str, setting: str) -> T:
    """Run ``build``; a missing package or a broken model becomes one line naming the setting."""
    try:
        return build()
    except ImportError as error:
        raise VoiceConfigError(f"{missing_package} ({error.name or error})") from None
    except (OSError, ValueError, RuntimeError) as error:
        raise VoiceConfigError(f"{setting}: {error}") from None


def _read_lines(path: Path, setting: str) -> list[str]:
    """Non-empty lines that are not ``#`` comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise VoiceConfigError(f"{setting}: cannot read {path} ({error.strerror})") from None
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]

"""Voice in and out: voice notes become text, prompts become voice notes, all offline.

Front ends use ``build_voice(load_voice_settings())`` and the ``Voice`` facade; engines sit
behind the ``SpeechToText`` and ``TextToSpeech`` ports (see docs/voice.md).
"""

from __future__ import annotations

from companion.voice.audio import AudioLimits
from companion.voice.config import VoiceSettings, build_voice, load_voice_settings
from companion.voice.errors import (
    AudioError,
    CorruptAudio,
    EmptyAudio,
    LanguageUnavailable,
    NoSpeech,
    NotAudio,
    SpeechUnavailable,
    TooLarge,
    TooLong,
    VoiceConfigError,
    VoiceError,
    VoiceUnavailable,
)
from companion.voice.facade import Voice
from companion.voice.ports import SpeechToText, TextToSpeech, Transcript

__all__ = [
    "AudioError",
    "AudioLimits",
    "CorruptAudio",
    "EmptyAudio",
    "LanguageUnavailable",
    "NoSpeech",
    "NotAudio",
    "SpeechToText",
    "SpeechUnavailable",
    "TextToSpeech",
    "TooLarge",
    "TooLong",
    "Transcript",
    "Voice",
    "VoiceConfigError",
    "VoiceError",
    "VoiceSettings",
    "VoiceUnavailable",
    "build_voice",
    "load_voice_settings",
]

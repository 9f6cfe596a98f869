"""The voice ports: speech to text and text to speech, each a small Protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Transcript:
    """What a speech-to-text engine heard in one voice note."""

    text: str
    """The words heard; ``""`` when none were."""
    confidence: float
    """0.0 … 1.0, the engine's own estimate (comparable within one engine only)."""
    duration: float
    """Seconds of audio."""
    engine: str
    """Which engine and model, e.g. ``pocketsphinx:grammar`` or ``faster-whisper:nb-whisper-base``."""


@runtime_checkable
class SpeechToText(Protocol):
    """Turns a voice note (OGG/Opus, WAV, …) into text in a given language; never auto-detects."""

    def supports(self, language: str) -> bool:
        """Whether ``transcribe`` can listen in ``language`` (``nb``, ``nn``, ``en``, …)."""
        ...

    def transcribe(self, audio: bytes, language: str) -> Transcript:
        """Raise ``AudioError`` for unusable audio, ``VoiceUnavailable`` for a language it lacks."""
        ...


@runtime_checkable
class TextToSpeech(Protocol):
    """Turns text into an OGG/Opus voice note (48 kHz mono), ready for Telegram ``sendVoice``."""

    def supports(self, language: str) -> bool:
        """Whether ``synthesize`` can speak ``language``."""
        ...

    def voice_for(self, language: str) -> str:
        """The voice used for ``language`` (part of the cache key); ``VoiceUnavailable`` if none."""
        ...

    def synthesize(self, text: str, language: str) -> bytes:
        """Raise ``ValueError`` for blank text, ``VoiceUnavailable`` when it cannot speak."""
        ...

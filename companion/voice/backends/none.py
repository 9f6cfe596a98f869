"""The ``none`` backends: voice declined politely, so the person types or reads instead."""

from __future__ import annotations

from companion.voice.errors import SpeechUnavailable, VoiceUnavailable
from companion.voice.ports import Transcript


class NoSpeechToText:
    """Never listens: every voice note gets «skriv heller» (``VoiceUnavailable``)."""

    engine = "none"

    def supports(self, language: str) -> bool:
        return False

    def transcribe(self, audio: bytes, language: str) -> Transcript:
        raise VoiceUnavailable("voice input is off (COMPANION_STT=none)")


class NoTextToSpeech:
    """Never speaks: prompts go as text only (``SpeechUnavailable``)."""

    def supports(self, language: str) -> bool:
        return False

    def voice_for(self, language: str) -> str:
        raise SpeechUnavailable("voice output is off (COMPANION_TTS=none)")

    def synthesize(self, text: str, language: str) -> bytes:
        if not text.strip():
            raise ValueError("nothing to say")
        raise SpeechUnavailable("voice output is off (COMPANION_TTS=none)")

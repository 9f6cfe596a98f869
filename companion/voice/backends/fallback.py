"""A voice that speaks one language well (Piper), backed by one that speaks many (espeak-ng)."""

from __future__ import annotations

from companion.voice.ports import TextToSpeech


class FallbackTextToSpeech:
    """``primary`` where it supports the language, else ``secondary``."""

    def __init__(self, primary: TextToSpeech, secondary: TextToSpeech) -> None:
        self.primary = primary
        self.secondary = secondary

    def supports(self, language: str) -> bool:
        return self.primary.supports(language) or self.secondary.supports(language)

    def voice_for(self, language: str) -> str:
        return self._pick(language).voice_for(language)

    def synthesize(self, text: str, language: str) -> bytes:
        return self._pick(language).synthesize(text, language)

    def _pick(self, language: str) -> TextToSpeech:
        return self.primary if self.primary.supports(language) else self.secondary

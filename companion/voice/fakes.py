"""Fakes for the voice ports that make and read real OGG/Opus (text in the Opus tags)."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable

from companion.voice import audio as codec
from companion.voice.errors import LanguageUnavailable
from companion.voice.ports import Transcript

TEXT_TAG = "COMPANION_TEXT"
LANGUAGES = ("nb", "nn", "no", "en")
SECONDS_PER_CHARACTER = 0.06
TONE_RATE = 16_000


def _tag(language: str) -> str:
    return language.lower().replace("_", "-").split("-")[0]


class FakeTextToSpeech:
    """A tone of about 60 ms per character, carrying its text; counts its calls."""

    def __init__(self, languages: Iterable[str] = LANGUAGES) -> None:
        self.languages = frozenset(languages)
        self.calls: list[tuple[str, str]] = []

    def supports(self, language: str) -> bool:
        return _tag(language) in self.languages

    def voice_for(self, language: str) -> str:
        if not self.supports(language):
            raise LanguageUnavailable(f"fake TTS has no {language!r}")
        return f"fake:{_tag(language)}"

    def synthesize(self, text: str, language: str) -> bytes:
        if not text.strip():
            raise ValueError("nothing to say")
        self.voice_for(language)
        self.calls.append((text, language))
        seconds = min(60.0, max(0.5, SECONDS_PER_CHARACTER * len(text)))
        return codec.encode_ogg_opus(tone(seconds), tags={TEXT_TAG: text})


class FakeSpeechToText:
    """Hears a fake note's tagged text, else ``default``; limits and errors as the real ones."""

    def __init__(
        self,
        default: str = "",
        confidence: float = 0.9,
        languages: Iterable[str] = LANGUAGES,
        limits: codec.AudioLimits | None = None,
    ) -> None:
        self.default = default
        self.confidence = confidence
        self.languages = frozenset(languages)
        self.limits = limits or codec.AudioLimits()
        self.calls: list[str] = []
        self.engine = "fake"

    def supports(self, language: str) -> bool:
        return _tag(language) in self.languages

    def transcribe(self, audio: bytes, language: str) -> Transcript:
        if not self.supports(language):
            raise LanguageUnavailable(f"fake STT has no {language!r}")
        self.calls.append(language)
        pcm = codec.decode(audio, self.limits)
        text = codec.tags(audio).get(TEXT_TAG, self.default)
        return Transcript(text, self.confidence if text else 0.0, pcm.duration, self.engine)


def tone(seconds: float, frequency: float = 440.0, rate: int = TONE_RATE) -> codec.Pcm:
    """A quiet sine tone as PCM (fades in and out so it starts and ends in silence)."""
    count = int(seconds * rate)
    fade = max(1, rate // 50)
    samples = array(
        "h",
        (
            int(
                3000
                * min(1.0, i / fade, (count - i) / fade)
                * math.sin(math.tau * frequency * i / rate)
            )
            for i in range(count)
        ),
    )
    return codec.Pcm(samples.tobytes(), rate)


def voice_note(text: str, language: str = "nb") -> bytes:
    """A fake voice note (OGG/Opus) that ``FakeSpeechToText`` hears as ``text``."""
    return FakeTextToSpeech().synthesize(text, language)

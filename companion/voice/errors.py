"""Voice errors: each carries one friendly message (context, Bokmål text) for the front end."""

from __future__ import annotations

from typing import ClassVar

from companion.config import ConfigError
from companion.voice import messages as m


class VoiceError(Exception):
    """A voice note or prompt could not be handled; ``message`` says so to the person."""

    message: ClassVar[tuple[str, str]] = m.UNAVAILABLE

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(detail or self.message[1])
        self.detail = detail
        self.params = params

    @property
    def message_id(self) -> str:
        """The catalog context of the friendly message (``voice:error:…``)."""
        return self.message[0]


class AudioError(VoiceError):
    """The audio itself is unusable; nothing is stored."""

    message = m.CORRUPT


class EmptyAudio(AudioError):
    """No bytes, or a container without a single sample."""

    message = m.EMPTY


class CorruptAudio(AudioError):
    """Looks like audio but does not decode."""

    message = m.CORRUPT


class NotAudio(AudioError):
    """Not an audio file at all (a picture, text, random bytes)."""

    message = m.NOT_AUDIO


class TooLong(AudioError):
    """Longer than ``max_seconds``."""

    message = m.TOO_LONG


class TooLarge(AudioError):
    """More bytes than ``max_bytes``."""

    message = m.TOO_LARGE


class NoSpeech(AudioError):
    """Valid audio in which no words were recognised."""

    message = m.NO_SPEECH


class VoiceUnavailable(VoiceError):
    """This deployment does not listen (or speak); the person should type instead."""

    message = m.UNAVAILABLE


class LanguageUnavailable(VoiceUnavailable):
    """The backend has no model or voice for this language."""

    message = m.LANGUAGE_UNAVAILABLE


class SpeechUnavailable(VoiceUnavailable):
    """Text-to-speech is off or failed; the text is sent without a voice note."""

    message = m.SPEECH_UNAVAILABLE


class VoiceConfigError(ConfigError):
    """A voice setting is wrong or its model is missing; the one-line message names the setting."""

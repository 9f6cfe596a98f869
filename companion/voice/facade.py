"""``Voice``: what a front end calls to hear a voice note and to speak a prompt."""

from __future__ import annotations

import asyncio
from pathlib import Path

from companion.voice import audio as codec
from companion.voice.errors import NoSpeech
from companion.voice.ports import SpeechToText, TextToSpeech, Transcript


class Voice:
    """Speech in and out with limits and data minimisation; blocking work has ``*_async`` twins."""

    def __init__(
        self,
        stt: SpeechToText,
        tts: TextToSpeech,
        limits: codec.AudioLimits | None = None,
        keep_audio: bool = False,
        description: str = "",
    ) -> None:
        self.stt = stt
        self.tts = tts
        self.limits = limits or codec.AudioLimits()
        self.keep_audio = keep_audio
        self.description = description

    def can_listen(self, language: str) -> bool:
        """Whether a voice note in ``language`` can be transcribed (else: «skriv heller»)."""
        return self.stt.supports(language)

    def can_speak(self, language: str) -> bool:
        """Whether prompts in ``language`` can be sent as voice notes."""
        return self.tts.supports(language)

    def transcribe_note(self, audio: bytes, language: str) -> Transcript:
        """The words in a voice note; ``NoSpeech`` when none, other ``VoiceError``s as raised."""
        self.limits.check_size(len(audio))
        transcript = self.stt.transcribe(audio, language)
        if not transcript.text.strip():
            raise NoSpeech(f"{transcript.engine} heard nothing in {transcript.duration:.1f} s")
        return transcript

    def transcribe_file(self, path: Path, language: str) -> Transcript:
        """Like ``transcribe_note`` for a downloaded file, deleted afterwards unless ``keep_audio``."""
        try:
            size = path.stat().st_size
            self.limits.check_size(size)
            return self.transcribe_note(path.read_bytes(), language)
        finally:
            if not self.keep_audio:
                path.unlink(missing_ok=True)

    def speak(self, text: str, language: str) -> bytes:
        """``text`` as an OGG/Opus voice note; ``VoiceUnavailable`` when it cannot be spoken."""
        return self.tts.synthesize(text, language)

    async def transcribe_note_async(self, audio: bytes, language: str) -> Transcript:
        """``transcribe_note`` in a worker thread, so the event loop keeps serving others."""
        return await asyncio.to_thread(self.transcribe_note, audio, language)

    async def transcribe_file_async(self, path: Path, language: str) -> Transcript:
        return await asyncio.to_thread(self.transcribe_file, path, language)

    async def speak_async(self, text: str, language: str) -> bytes:
        return await asyncio.to_thread(self.speak, text, language)

"""Text to speech with the espeak-ng program (Debian package): robotic, instant, always there."""

from __future__ import annotations

import shutil
import subprocess
import threading

from companion.voice import audio as codec
from companion.voice.errors import LanguageUnavailable, SpeechUnavailable

ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "en": "en-gb", "eng": "en-gb"}
"""Our tags → espeak voices (British English, as the app's English formats are)."""
FALLBACK = {"nn": "nb"}
"""Used when espeak has no voice of its own for the language (1.51 has no Nynorsk)."""
TIMEOUT = 60.0


class EspeakTextToSpeech:
    """``espeak-ng -v VOICE --stdout``, text on stdin; WAV decoded by PyAV, not by its header."""

    def __init__(self, binary: str = "espeak-ng", speed: int | None = None) -> None:
        found = shutil.which(binary)
        if found is None:
            raise FileNotFoundError(f"{binary} is not installed")
        self.binary = found
        self.speed = speed
        self._voices: frozenset[str] | None = None
        self._lock = threading.Lock()

    def supports(self, language: str) -> bool:
        return self._voice(language) is not None

    def voice_for(self, language: str) -> str:
        voice = self._voice(language)
        if voice is None:
            raise LanguageUnavailable(f"espeak-ng has no voice for {language!r}")
        return f"espeak-ng:{voice}"

    def synthesize(self, text: str, language: str) -> bytes:
        if not text.strip():
            raise ValueError("nothing to say")
        voice = self.voice_for(language).split(":", 1)[1]
        command = [self.binary, "-v", voice, "-b", "1", "--stdout"]
        if self.speed:
            command += ["-s", str(self.speed)]
        try:
            done = subprocess.run(
                command, input=text.encode(), capture_output=True, timeout=TIMEOUT, check=True
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise SpeechUnavailable(f"espeak-ng failed: {error}") from None
        # The streamed WAV header claims a bogus length; PyAV decodes what is really there.
        return codec.to_ogg_opus(done.stdout, codec.AudioLimits(max_seconds=3600, max_bytes=2**31))

    def voices(self) -> frozenset[str]:
        """The language names ``espeak-ng --voices`` lists (asked once)."""
        with self._lock:
            if self._voices is None:
                out = subprocess.run(
                    [self.binary, "--voices"], capture_output=True, text=True, check=False
                ).stdout
                rows = (line.split() for line in out.splitlines()[1:])
                self._voices = frozenset(row[1].lower() for row in rows if len(row) > 1)
            return self._voices

    def _voice(self, language: str) -> str | None:
        tag = language.lower().replace("_", "-")
        voices = self.voices()
        for candidate in (ALIASES.get(tag, tag), tag.split("-")[0]):
            candidate = ALIASES.get(candidate, candidate)
            if candidate in voices:
                return candidate
            fallback = FALLBACK.get(candidate)
            if fallback in voices:
                return fallback
        return None

"""Text to speech with a Piper voice (``.onnx`` + ``.onnx.json``) given by path; natural, one language."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from companion.voice import audio as codec
from companion.voice.errors import LanguageUnavailable, SpeechUnavailable

NORWEGIAN = frozenset({"nb", "nn", "no", "nob", "nno"})


def config_path(voice: Path) -> Path:
    """Piper's convention: ``voice.onnx`` beside ``voice.onnx.json``."""
    return voice.with_name(voice.name + ".json")


def voice_languages(config: dict[str, Any]) -> frozenset[str]:
    """The tags a voice speaks, from its config (a Norwegian voice reads nb, nn and no)."""
    language = config.get("language") or {}
    code = str(language.get("code") or config.get("espeak", {}).get("voice") or "").lower()
    family = str(language.get("family") or code.replace("_", "-").split("-")[0])
    tags = {family, code.replace("_", "-")} - {""}
    return frozenset(tags | NORWEGIAN) if tags & NORWEGIAN else frozenset(tags)


class PiperTextToSpeech:
    """Loads the voice at start (a broken file fails then, not at the first prompt)."""

    def __init__(self, voice: Path, config: Path | None = None) -> None:
        from piper import PiperVoice

        config = config or config_path(voice)
        for path in (voice, config):
            if not path.is_file():
                raise FileNotFoundError(f"{path} does not exist")
        self.name = f"piper:{voice.name.removesuffix('.onnx')}"
        self.languages = voice_languages(json.loads(config.read_text(encoding="utf-8")))
        self._voice = PiperVoice.load(voice, config_path=config)
        self._lock = threading.Lock()

    def supports(self, language: str) -> bool:
        tag = language.lower().replace("_", "-")
        return tag in self.languages or tag.split("-")[0] in self.languages

    def voice_for(self, language: str) -> str:
        if not self.supports(language):
            raise LanguageUnavailable(f"{self.name} does not speak {language!r}")
        return self.name

    def synthesize(self, text: str, language: str) -> bytes:
        if not text.strip():
            raise ValueError("nothing to say")
        self.voice_for(language)
        with self._lock:
            chunks = list(self._voice.synthesize(text))
        if not chunks:
            raise SpeechUnavailable(f"{self.name} produced no audio")
        pcm = codec.Pcm(b"".join(c.audio_int16_bytes for c in chunks), chunks[0].sample_rate)
        return codec.encode_ogg_opus(pcm)

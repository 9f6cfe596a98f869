"""Speech to text with faster-whisper and a local CTranslate2 model (NB-Whisper for Norwegian)."""

from __future__ import annotations

import math
import os
import threading
from pathlib import Path
from typing import Any

from companion.voice import audio as codec
from companion.voice.errors import LanguageUnavailable
from companion.voice.ports import Transcript

MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")
"""Without ``tokenizer.json`` faster-whisper would fetch one from a model hub: refused."""
WHISPER_LANGUAGE = {"nb": "no", "nn": "no", "no": "no", "nob": "no", "nno": "no", "eng": "en"}
"""Our tags → Whisper's; NB-Whisper writes Bokmål for ``no`` (its best-trained task)."""


def missing_files(model_dir: Path) -> list[str]:
    """The files a converted model directory lacks (all of them if it is not a directory)."""
    if not model_dir.is_dir():
        return list(MODEL_FILES)
    return [name for name in MODEL_FILES if not (model_dir / name).is_file()]


class FasterWhisperSpeechToText:
    """Greedy-stable, offline Whisper: language always given, temperature 0, VAD, int8 on CPU."""

    def __init__(
        self,
        model_dir: Path,
        limits: codec.AudioLimits | None = None,
        compute_type: str = "int8",
        cpu_threads: int = 0,
        beam_size: int = 5,
    ) -> None:
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import _LANGUAGE_CODES

        missing = missing_files(model_dir)
        if missing:
            raise FileNotFoundError(f"{model_dir} lacks {', '.join(missing)}")
        self.limits = limits or codec.AudioLimits()
        self.beam_size = beam_size
        self.engine = f"faster-whisper:{model_dir.name}"
        self._model: Any = WhisperModel(
            str(model_dir),
            device="cpu",
            compute_type=compute_type,
            cpu_threads=cpu_threads or min(4, os.cpu_count() or 1),
            local_files_only=True,
        )
        known = _LANGUAGE_CODES if self._model.model.is_multilingual else ("en",)
        self.languages = frozenset(str(code) for code in known)
        self._lock = threading.Lock()

    def supports(self, language: str) -> bool:
        return self._whisper_language(language) in self.languages

    def transcribe(self, audio: bytes, language: str) -> Transcript:
        if not self.supports(language):
            raise LanguageUnavailable(f"{self.engine} has no {language!r}")
        pcm = codec.decode(audio, self.limits)
        samples = _float_samples(pcm)
        with self._lock:
            segments, _info = self._model.transcribe(
                samples,
                language=self._whisper_language(language),
                task="transcribe",
                beam_size=self.beam_size,
                temperature=0.0,
                vad_filter=True,
                condition_on_previous_text=False,
            )
            heard = [(s.text.strip(), s.avg_logprob, s.end - s.start) for s in segments]
        text = " ".join(t for t, _, _ in heard if t)
        return Transcript(text, _confidence(heard) if text else 0.0, pcm.duration, self.engine)

    @staticmethod
    def _whisper_language(language: str) -> str:
        tag = language.lower().replace("_", "-").split("-")[0]
        return WHISPER_LANGUAGE.get(tag, tag)


def _float_samples(pcm: codec.Pcm) -> Any:
    """16 kHz PCM as the float32 array Whisper reads."""
    import numpy as np

    return np.frombuffer(pcm.samples, dtype="<i2").astype(np.float32) / 32768.0


def _confidence(heard: list[tuple[str, float, float]]) -> float:
    """exp(mean token log-probability), weighted by segment length: 0.0 … 1.0."""
    weight = sum(max(d, 0.01) for _, _, d in heard)
    mean = sum(lp * max(d, 0.01) for _, lp, d in heard) / weight
    return min(1.0, max(0.0, math.exp(mean)))

"""Speech to text with pocketsphinx's en-US model: exact with a grammar of expected sentences."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from companion.voice import audio as codec
from companion.voice.errors import LanguageUnavailable
from companion.voice.ports import Transcript

SEARCH = "expected"
CHUNK = 8_000
"""Bytes of 16 kHz PCM fed at a time (0.25 s)."""
WORD = re.compile(r"[a-z0-9']+")


class PocketsphinxSpeechToText:
    """English only (the model the wheel ships); ``grammar`` limits it to those sentences."""

    def __init__(
        self,
        grammar: Sequence[str] = (),
        limits: codec.AudioLimits | None = None,
        languages: Iterable[str] = ("en",),
    ) -> None:
        self.limits = limits or codec.AudioLimits()
        self.languages = frozenset(languages)
        self.sentences = {normalize(s): s.strip() for s in grammar if normalize(s)}
        self.engine = "pocketsphinx:grammar" if self.sentences else "pocketsphinx:lm"
        self._lock = threading.Lock()
        if self.sentences:
            self._check_words()

    def supports(self, language: str) -> bool:
        return language.lower() in self.languages

    def transcribe(self, audio: bytes, language: str) -> Transcript:
        if not self.supports(language):
            raise LanguageUnavailable(f"pocketsphinx has no model for {language!r}")
        pcm = codec.decode(audio, self.limits)
        speech = codec.trim_silence(pcm)
        if not speech.samples:
            return Transcript("", 0.0, pcm.duration, self.engine)
        with self._lock:
            text, confidence = self._recognize(speech.samples)
        return Transcript(self.sentences.get(text, text), confidence, pcm.duration, self.engine)

    def _recognize(self, samples: bytes) -> tuple[str, float]:
        # A fresh decoder per note: its running normalisation must not carry over between people.
        decoder = self._decoder()
        decoder.start_utt()
        # The decoder holds the GIL while it works: small pieces let an event loop run between.
        for offset in range(0, len(samples), CHUNK):
            decoder.process_raw(samples[offset : offset + CHUNK])
        decoder.end_utt()
        hyp = decoder.hyp()
        if hyp is None or not hyp.hypstr.strip():
            return "", 0.0
        text = " ".join(hyp.hypstr.split())
        if self.sentences:
            return text, 1.0 if text in self.sentences else 0.0
        return text, min(1.0, max(0.0, float(hyp.prob)))

    def _decoder(self) -> Any:
        from pocketsphinx import Decoder

        if not self.sentences:
            return Decoder(loglevel="FATAL")
        # Without filler words and the lattice pass, espeak's clear speech decodes exactly.
        decoder = Decoder(lm=None, loglevel="FATAL", fsgusefiller=False, bestpath=False)
        decoder.add_jsgf_string(SEARCH, jsgf(self.sentences).encode())
        decoder.activate_search(SEARCH)
        return decoder

    def _check_words(self) -> None:
        from pocketsphinx import Decoder

        decoder = Decoder(lm=None, loglevel="FATAL")
        words = {w for s in self.sentences for w in s.split()}
        unknown = sorted(w for w in words if decoder.lookup_word(w) is None)
        if unknown:
            raise ValueError(f"not in the pocketsphinx dictionary: {', '.join(unknown)}")


def normalize(sentence: str) -> str:
    """Lower-case words without punctuation, the way the decoder writes them."""
    return " ".join(WORD.findall(sentence.lower()))


def jsgf(sentences: Iterable[str]) -> str:
    """A JSGF grammar whose only public rule is one of ``sentences`` (normalized)."""
    alternatives = " | ".join(f"( {s} )" for s in sorted(sentences))
    return f"#JSGF V1.0;\ngrammar {SEARCH};\npublic <sentence> = {alternatives};\n"

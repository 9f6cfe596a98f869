"""Voice speed: how many times faster than real time each available engine runs, on
espeak-ng speech clips of 5, 30 and 120 s, and the p95 of a whole 5 s voice note through
``Voice.transcribe_note`` (decode + recognise). ``× real time`` = audio seconds / wall seconds;
2× means a note is done in half its length (the target for faster-whisper, issue 7).

    .venv/bin/python -m bench.voice            # full run, prints figures
    .venv/bin/python -m bench.voice --quick    # 5 s clips only
    COMPANION_WHISPER_MODEL=/srv/models/nb-whisper-base-verbatim .venv/bin/python -m bench.voice
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

from bench.figures import Figure
from companion.voice import Voice, VoiceError
from companion.voice import audio as codec
from companion.voice.backends.none import NoTextToSpeech
from companion.voice.ports import SpeechToText, TextToSpeech

BENCH = "voice"
SENTENCES = (
    "I would like to talk to my mother.",
    "I feel safe at home.",
    "We went to the cinema on Saturday.",
    "Can we take a break?",
    "School was good today.",
    "My friend lives next door.",
    "I do not want to answer that.",
)
TARGET = 2.0
"""faster-whisper: p95 under half the audio's length."""
LIMITS = codec.AudioLimits(max_seconds=130, max_bytes=50_000_000)


@cache
def clip(seconds: int) -> bytes:
    """``seconds`` of espeak-ng English speech (the sentences over and over) as OGG/Opus."""
    pieces: list[bytes] = []
    total = 0
    while total < seconds * codec.STT_RATE * 2:
        for sentence in SENTENCES:
            wav = subprocess.run(
                ["espeak-ng", "-v", "en-us", "--stdout", sentence], capture_output=True, check=True
            ).stdout
            piece = codec.decode(wav, LIMITS).samples + bytes(codec.STT_RATE // 2)  # 0.25 s pause
            pieces.append(piece)
            total += len(piece)
    pcm = b"".join(pieces)[: seconds * codec.STT_RATE * 2]
    return codec.encode_ogg_opus(codec.Pcm(pcm))


def speed(work: Callable[[], object], seconds: float, repeats: int = 1) -> float:
    """Audio seconds per wall second, best of ``repeats``."""
    best = math.inf
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return seconds / best


def p95_speed(voice: Voice, note: bytes, seconds: float, runs: int) -> float:
    """Audio seconds / the 95th-percentile latency of a whole note through the facade."""
    latencies = []
    for _ in range(runs):
        started = time.perf_counter()
        with contextlib.suppress(VoiceError):  # hearing nothing took its time too
            voice.transcribe_note(note, "en")
        latencies.append(time.perf_counter() - started)
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0]
    return seconds / p95


def stt_figures(
    name: str, stt: SpeechToText, lengths: tuple[int, ...], runs: int, target: float | None
) -> list[Figure]:
    figures = []
    for seconds in lengths:
        value = speed(
            partial(stt.transcribe, clip(seconds), "en"), seconds, 3 if seconds <= 30 else 1
        )
        figures.append(
            Figure(
                BENCH,
                f"{name}: {seconds} s clip",
                value,
                "× real time",
                None,
                f"RTF {1 / value:.3f}",
            )
        )
    voice = Voice(stt, NoTextToSpeech(), LIMITS)
    value = p95_speed(voice, clip(5), 5, runs)
    figures.append(
        Figure(
            BENCH, f"{name}: 5 s note, p95", value, "× real time", target, f"p95 {5 / value:.2f} s"
        )
    )
    return figures


def whisper_figures(lengths: tuple[int, ...], runs: int) -> list[Figure]:
    model = os.environ.get("COMPANION_WHISPER_MODEL", "").strip()
    if not model:
        note = "not measured: no model configured (COMPANION_WHISPER_MODEL)"
        return [Figure(BENCH, "faster-whisper: 5 s note, p95", math.nan, "× real time", None, note)]
    from companion.voice.backends.whisper import FasterWhisperSpeechToText

    threads = int(os.environ.get("COMPANION_WHISPER_THREADS", "0") or 0)
    stt = FasterWhisperSpeechToText(Path(model), LIMITS, cpu_threads=threads)
    return stt_figures(f"faster-whisper ({Path(model).name}, int8)", stt, lengths, runs, TARGET)


def tts_figures(quick: bool) -> list[Figure]:
    from companion.voice.backends.espeak import EspeakTextToSpeech

    text = " ".join(SENTENCES * (1 if quick else 3))
    figures = []
    engines: list[tuple[str, TextToSpeech]] = [("espeak-ng", EspeakTextToSpeech())]
    piper = os.environ.get("COMPANION_PIPER_VOICE", "").strip()
    if piper:
        from companion.voice.backends.piper import PiperTextToSpeech

        engines.append((f"piper ({Path(piper).name})", PiperTextToSpeech(Path(piper))))
    for name, engine in engines:
        seconds = codec.probe(engine.synthesize(text, "en")).duration
        value = speed(partial(engine.synthesize, text, "en"), seconds, repeats=3)
        figures.append(
            Figure(BENCH, f"{name}: speak {seconds:.0f} s, to OGG/Opus", value, "× real time")
        )
    return figures


def codec_figures(seconds: int) -> list[Figure]:
    note = clip(seconds)
    pcm = codec.decode(note, LIMITS)
    return [
        Figure(
            BENCH,
            f"codec: decode {seconds} s OGG/Opus → 16 kHz",
            speed(lambda: codec.decode(note, LIMITS), seconds, 3),
            "× real time",
        ),
        Figure(
            BENCH,
            f"codec: encode {seconds} s → OGG/Opus 48 kHz",
            speed(lambda: codec.encode_ogg_opus(pcm), seconds, 3),
            "× real time",
        ),
    ]


def run(quick: bool = False) -> list[Figure]:
    if shutil.which("espeak-ng") is None:
        return [
            Figure(BENCH, "voice", math.nan, "", None, "not measured: espeak-ng is not installed")
        ]
    from companion.voice.backends.pocketsphinx import PocketsphinxSpeechToText

    lengths = (5,) if quick else (5, 30, 120)
    runs = 5 if quick else 20
    figures = codec_figures(lengths[-1])
    figures += stt_figures(
        "pocketsphinx grammar", PocketsphinxSpeechToText(SENTENCES, LIMITS), lengths, runs, None
    )
    figures += stt_figures(
        "pocketsphinx generic LM", PocketsphinxSpeechToText((), LIMITS), lengths, runs, None
    )
    figures += whisper_figures(lengths, runs)
    figures += tts_figures(quick)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for figure in run(args.quick):
        print(figure.line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

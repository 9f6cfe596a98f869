"""Voice speed: how many times faster than real time each available engine runs, on
espeak-ng speech clips of 5, 30 and 120 s, and the p95 of a whole 5 s voice note through
``Voice.transcribe_note`` (decode + recognise). ``× real time`` = audio seconds / wall seconds;
2× means a note is done in half its length (the target for faster-whisper, issue 7). For
faster-whisper also the p95 from a voice note's arrival to the bot's read-back through the
bot and the Bot API stand-in (``bench/voice_bot.py``), as a share of the note's length
(target ≤ 0.5). The model is ``COMPANION_WHISPER_MODEL``, else faster-whisper base as
``make setup`` installs it (var/models).

    PTB_TIMEDELTA=1 .venv/bin/python -m bench.voice            # full run, prints figures
    PTB_TIMEDELTA=1 .venv/bin/python -m bench.voice --quick    # 5 s clips, 6 notes
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
"""faster-whisper: p95 under half the audio's length (× real time ≥ 2)."""
TARGET_SHARE = 50.0
"""faster-whisper through the bot: p95 of latency / note length at most 50 %."""
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
    return seconds / p95(latencies)


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


NORWEGIAN = (
    "Kan vi ta en pause?",
    "Vi var på kino på lørdag, og det var gøy.",
    "Jeg vil gjerne snakke med mamma.",
    "Skolen var fin i dag.",
    "Vennen min bor i huset ved siden av.",
    "Jeg har det bra hjemme.",
)
NOTE_LENGTHS = (3, 5, 8, 12, 20)
"""Seconds; voice notes from youths are mostly short, a few run longer."""


@cache
def norwegian_note(seconds: int) -> bytes:
    """``seconds`` of espeak-ng Bokmål (the sentences over and over) as a voice note."""
    from companion.voice.backends.espeak import EspeakTextToSpeech

    tts = EspeakTextToSpeech()
    pieces: list[bytes] = []
    total = 0
    while total < seconds * codec.STT_RATE * 2:
        for sentence in NORWEGIAN:
            piece = codec.decode(tts.synthesize(sentence, "nb"), LIMITS).samples
            pieces.append(piece + bytes(codec.STT_RATE // 2))
            total += len(pieces[-1])
    return codec.encode_ogg_opus(codec.Pcm(b"".join(pieces)[: seconds * codec.STT_RATE * 2]))


def p95(values: list[float]) -> float:
    """The 95th percentile, interpolated within the values (never above the largest)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def bot_figures(name: str, stt: SpeechToText, count: int) -> list[Figure]:
    """Voice note received → «Jeg hørte: …» sent, through the bot and the stand-in."""
    from bench.voice_bot import run_latencies

    lengths = [NOTE_LENGTHS[i % len(NOTE_LENGTHS)] for i in range(count)]
    notes = [(norwegian_note(n), n) for n in lengths]
    load = os.getloadavg()[0]
    latencies = run_latencies(stt, notes)
    shares = [spent / n for spent, n in zip(latencies, lengths, strict=True)]
    return [
        Figure(
            BENCH,
            f"{name}: note → read-back, p95",
            100 * p95(shares),
            "% of note length",
            TARGET_SHARE,
            f"{count} Norwegian notes of {min(lengths)}–{max(lengths)} s; latency p95 "
            f"{p95(latencies):.2f} s, median {statistics.median(latencies):.2f} s, "
            f"max {max(latencies):.2f} s; load average {load:.1f} at start",
            higher_is_better=False,
        )
    ]


def whisper_figures(lengths: tuple[int, ...], runs: int, notes: int) -> list[Figure]:
    from companion.voice import load_voice_settings
    from companion.voice.config import whisper_model

    settings = load_voice_settings()
    model = whisper_model(settings)
    if model is None:
        note = (
            "not measured: no model (make setup installs faster-whisper base; "
            "or set COMPANION_WHISPER_MODEL)"
        )
        return [Figure(BENCH, "faster-whisper: 5 s note, p95", math.nan, "× real time", None, note)]
    from companion.voice.backends.whisper import FasterWhisperSpeechToText

    stt = FasterWhisperSpeechToText(
        model,
        LIMITS,
        compute_type=settings.whisper_compute_type,
        cpu_threads=settings.whisper_threads,
        beam_size=settings.whisper_beam_size,
    )
    prefix = "" if "whisper" in model.name else "faster-whisper "
    name = f"{prefix}{model.name} ({settings.whisper_compute_type})"
    return stt_figures(name, stt, lengths, runs, TARGET) + bot_figures(name, stt, notes)


def tts_figures(quick: bool) -> list[Figure]:
    from companion.voice.backends.espeak import EspeakTextToSpeech
    from companion.voice.models import piper_voice

    text = " ".join(SENTENCES * (1 if quick else 3))
    figures = []
    engines: list[tuple[str, TextToSpeech]] = [("espeak-ng", EspeakTextToSpeech())]
    packaged = piper_voice()  # the English voice make setup installs
    piper = os.environ.get("COMPANION_PIPER_VOICE", "").strip() or str(packaged or "")
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
    figures += whisper_figures(lengths, runs, 6 if quick else 20)
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

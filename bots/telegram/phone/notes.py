"""Voice notes on the simulated phone: record one from typed words, play one the bot sent."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

from companion.voice import VoiceError
from companion.voice import audio as codec
from companion.voice.fakes import TEXT_TAG, voice_note

PLAYERS = (("paplay",), ("aplay", "-q"), ("afplay",))
"""Programs that play a WAV file, tried in order."""


def record(text: str, language: str) -> tuple[bytes, int]:
    """``text`` as a voice note (espeak-ng's voice when installed, else a tone) and its seconds.

    The words also ride along in the note's tags, so the demo's stand-in recogniser hears
    exactly what was typed; a real recogniser listens to the audio."""
    try:
        from companion.voice.backends.espeak import EspeakTextToSpeech

        spoken = EspeakTextToSpeech().synthesize(text, language)
        pcm = codec.decode(spoken, codec.AudioLimits(max_seconds=600, max_bytes=2**30))
        audio = codec.encode_ogg_opus(pcm, tags={TEXT_TAG: text})
    except (FileNotFoundError, VoiceError):
        audio = voice_note(text, language)
    return audio, max(1, round(codec.duration(audio)))


def play(audio: bytes, keep_in: Path) -> str:
    """Play a voice note on this machine, or save it; says which happened."""
    keep_in.mkdir(parents=True, exist_ok=True)
    for command in PLAYERS:
        if shutil.which(command[0]) is None:
            continue
        playing = keep_in / "playing.wav"
        playing.write_bytes(wav(codec.decode(audio, codec.AudioLimits(max_seconds=600))))
        subprocess.Popen(  # a fixed player on a file we just wrote
            [*command, str(playing)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        return f"▶ {command[0]}"
    path = keep_in / f"note-{len(list(keep_in.glob('*.ogg'))) + 1}.ogg"
    path.write_bytes(audio)
    return f"lagret: {path}"


def wav(pcm: codec.Pcm) -> bytes:
    """16-bit mono PCM as a WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(pcm.rate)
        out.writeframes(pcm.samples)
    return buffer.getvalue()


def heard_in(audio: bytes) -> str:
    """The words a note carries in its tags (fake voices tag what they say), else ""."""
    try:
        return codec.tags(audio).get(TEXT_TAG, "")
    except VoiceError:
        return ""

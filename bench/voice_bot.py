"""Voice note received → read-back sent, through the real bot (PTB over loopback HTTP) and the
Bot API stand-in, with a real recogniser: the latency issue 7's target is about.

One fictitious person on an encrypted database, consented, at a free-text question; they send
``len(notes)`` Norwegian espeak-ng voice notes of mixed lengths, one after the other. The clock
starts when the stand-in has the note (as Telegram would) and stops when the bot's
``sendMessage`` with «Jeg hørte: …» arrives; it includes getUpdates, getFile, the download,
decoding, recognition and the read-back's database commit.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.bot_throughput import our_bot
from bots.telegram.standin import BotApiStandIn
from bots.telegram.standin.state import SentCall
from companion.voice import Voice
from companion.voice.backends.none import NoTextToSpeech
from companion.voice.ports import SpeechToText

USER = 7007
FLOW_ID = "voicebench"
FLOW = f"""spec_version: 1
id: {FLOW_ID}
title: Ett spørsmål
audience: [youth]
default_result: {FLOW_ID}
results:
  {FLOW_ID}:
    fields:
      svar: {{type: text}}
entry: q1
nodes:
  - {{type: question, kind: text, id: q1, prompt: "Fortell med egne ord.", save: {{field: svar}}, next: done}}
  - {{type: end, id: done, text: "Takk!"}}
"""
HEARD = "Jeg hørte"


async def latencies(stt: SpeechToText, notes: Sequence[tuple[bytes, int]]) -> list[float]:
    """Seconds from each note's arrival at the stand-in to its read-back, in order."""
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        voice = Voice(stt, NoTextToSpeech(), getattr(stt, "limits", None))
        async with our_bot(Path(tmp), [USER], flow_id=FLOW_ID, flow=FLOW, voice=voice) as (
            standin,
            _services,
            _runtime,
        ):
            for _ in standin.calls("sendMessage", USER):  # only new replies from here
                await standin.wait_for(_reply)
            return [await _one(standin, note, seconds) for note, seconds in notes]


def _reply(call: SentCall) -> bool:
    return call.method == "sendMessage" and call.chat_id == USER


async def _one(standin: BotApiStandIn, note: bytes, seconds: int) -> float:
    """One note: the latency of its read-back (a new note while one waits is a new take)."""
    started = time.perf_counter()
    await standin.send_voice(USER, note, seconds)
    call = await standin.wait_for(_reply, timeout=300)
    elapsed = time.perf_counter() - started
    if not (call.text or "").startswith(HEARD):
        raise RuntimeError(f"expected a read-back, the bot said: {(call.text or '')[:60]!r}")
    await standin.wait_idle(30)
    return elapsed


def run_latencies(stt: SpeechToText, notes: Sequence[tuple[bytes, int]]) -> list[float]:
    return asyncio.run(latencies(stt, notes))

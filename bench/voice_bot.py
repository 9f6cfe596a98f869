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
import secrets
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr

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
    from bots.telegram.app import build_application, running, runtime
    from companion.config import Settings
    from companion.participants import send_flow
    from companion.services import build_services

    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        pack = Path(tmp) / "pack"
        (pack / "flows").mkdir(parents=True)
        (pack / "flows" / f"{FLOW_ID}.flow.yaml").write_text(FLOW, encoding="utf-8")
        async with BotApiStandIn() as standin:
            settings = Settings(
                db_path=Path(tmp) / "voice.db",
                db_key=SecretStr(secrets.token_hex(32)),
                telegram_token=SecretStr(standin.token),
                telegram_bot_username=standin.bot_username,
                bot_chat_interval=0.0,
                bot_global_rate=100_000.0,
                content_dirs=(pack,),
            )
            services = build_services(settings, migrate_now=True)
            worker = services.directory.add_caseworker("bench", "Bench", "caseworker", "x")
            case = services.directory.add_case(worker.id, "Benk")
            pid = services.directory.add_participant(case.id, "youth", "Stemme").id
            services.directory.link_channel(pid, "telegram", str(USER))
            _consent(services, pid)
            voice = Voice(stt, NoTextToSpeech(), getattr(stt, "limits", None))
            app = build_application(
                settings,
                services,
                base_url=standin.base_url,
                base_file_url=standin.base_file_url,
                voice=voice,
            )
            try:
                async with running(app, poll_timeout=1):
                    core = runtime(app).core
                    await standin.send_text(USER, "/start")
                    await _until(lambda: core.handled >= 1)
                    send_flow(
                        pid,
                        FLOW_ID,
                        engine=services.engine,
                        directory=services.directory,
                        conversations=services.conversations,
                        audit=services.audit,
                        actor="bench",
                    )
                    runtime(app).sender.wake()
                    await runtime(app).sender.idle(60)
                    await standin.wait_idle(30)
                    for _ in standin.calls("sendMessage", USER):  # only new replies from here
                        await standin.wait_for(_reply)
                    return [await _one(standin, note, seconds) for note, seconds in notes]
            finally:
                services.db.close()


def _consent(services: Any, pid: str) -> None:
    """Onboarding answered yes, Bokmål, no spoken prompts (through the engine: not measured)."""
    from companion.flows.inputs import ChoiceInput

    flows = services.channel_flows
    sprint = flows.start("onboarding", participant_id=pid, locale="nb")
    while sprint.session.is_resumable and sprint.question is not None:
        buttons = sprint.question.buttons
        chosen = next((b for b in buttons if b.label == "Nei"), buttons[0])
        sprint = flows.resume(sprint.session, ChoiceInput(values=(chosen.value,)))


async def _until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not get ready in time")
        await asyncio.sleep(0.01)


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

"""``companion phone``: the real bot on the demo database, against the Bot API stand-in, with a
simulated phone for the fictitious youth «Sara (demo)» (or the parent «Nadia (demo)»).

The stand-in and the bot each run in a thread with their own event loop; the phone (Textual)
runs in the main thread. The demo also plays the caseworker: once the person has redeemed the
invite and consented, it sends them their flow (HEVD for Sara), as a caseworker would from the
TUI, first stopping a conversation the demo data left waiting for them. When a caseworker has
set up reminders for the person (e.g. a home assignment with its check-in «now» from the TUI),
those come instead: the bot's reminder dispatcher starts once the person is in this run's chat
(before that the chat does not exist on the stand-in, so a reminder would be refused).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bots.telegram.app import build_application, runtime
from bots.telegram.phone.bot_thread import BotApp, BotThread
from bots.telegram.phone.link import ChatLink
from bots.telegram.standin import BotApiStandIn
from companion import participants as people
from companion.config import Settings
from companion.demo import DEMO_DIR, FICTITIOUS, demo_settings
from companion.demo_data import seed_demo
from companion.flows.inputs import Command, CommandInput
from companion.reminders import telegram as bot_reminders
from companion.reminders.runner import DispatchTask
from companion.reminders.service import reminder_store
from companion.services import Services, build_services
from companion.voice import Voice, VoiceConfigError, build_voice, load_voice_settings
from companion.voice.cache import CachedTextToSpeech
from companion.voice.config import whisper_model
from companion.voice.fakes import FakeSpeechToText, FakeTextToSpeech
from companion.voice.ports import SpeechToText

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """Someone from the demo's fictitious case who can hold the phone."""

    key: str
    user_id: int
    first_name: str
    flow: str


PEOPLE = {
    "sara": Person("sara", 1001, "Sara", "hevd"),
    "nadia": Person("nadia", 1002, "Nadia", "fv_checkin"),
}
CASEWORKER_POLL = 0.3
"""Seconds between the demo caseworker's looks at the person's state."""


def demo_voice(env: dict[str, str] | None = None) -> Voice:
    """The configured voice out (espeak-ng by default). Voice in: what ``COMPANION_STT`` names
    when set; else faster-whisper with the base model ``make setup`` installed, so the phone's
    espeak-ng notes get a real read-back; else (no model) a stand-in that hears the words the
    phone put in its notes. The log says which."""
    env = dict(os.environ if env is None else env)
    try:
        configured: Voice | None = build_voice(load_voice_settings(env))
    except VoiceConfigError as error:
        log.warning("voice as configured is unavailable (%s); the demo uses stand-ins", error)
        configured = None
    stt = configured.stt if configured and env.get("COMPANION_STT") else _demo_stt(env)
    tts = configured.tts if configured and configured.can_speak("nb") else None
    return Voice(
        stt,
        tts or CachedTextToSpeech(FakeTextToSpeech()),
        configured.limits if configured else None,
        description="demo voice",
    )


def _demo_stt(env: dict[str, str]) -> SpeechToText:
    """Real faster-whisper when a model is installed (or named), else the tag-reading fake."""
    try:
        settings = load_voice_settings(env, stt="faster-whisper", tts="none")
        if whisper_model(settings) is None:
            log.info("voice in: a stand-in that reads the phone's notes (no whisper model)")
            return FakeSpeechToText()
        stt = build_voice(settings).stt
    except VoiceConfigError as error:
        log.warning("voice in: a stand-in, faster-whisper is unavailable (%s)", error)
        return FakeSpeechToText()
    log.info("voice in: faster-whisper (%s); read-backs are what it heard", whisper_model(settings))
    return stt


@dataclass
class PhoneDemo:
    """Stand-in + bot + an invite for one demo person; ``with PhoneDemo() as demo: …``."""

    directory: Path = DEMO_DIR
    who: str = "sara"
    changes: dict[str, Any] = field(default_factory=dict)
    """Setting overrides (tests: ``bot_chat_interval=0``)."""
    voice: Voice | None = None
    standin: BotApiStandIn = field(default_factory=BotApiStandIn)
    person: Person = field(init=False)
    link: ChatLink = field(init=False)
    settings: Settings = field(init=False)
    participant_id: str = field(init=False)
    code: str = field(init=False)
    earlier: frozenset[str] = frozenset()
    """The person's sessions from before this run."""
    services: Services | None = None
    bot: BotThread | None = None
    sent_flow: bool = False
    dispatch: DispatchTask | None = None
    """The bot's reminder dispatcher, held back until the person is in the chat."""

    def __enter__(self) -> PhoneDemo:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def prefill(self) -> str:
        return f"/start {self.code}"

    def start(self) -> None:
        os.environ.setdefault("PTB_TIMEDELTA", "1")
        self.person = PEOPLE[self.who]
        self.standin.run_in_thread()
        try:
            self._continue_update_ids()
            self.settings = self._settings()
            locale = self._invite()
            self.link = ChatLink(self.standin, self.person.user_id, self.person.first_name, locale)
            self.bot = BotThread(self._build, chores=(self._caseworker,))
            self.bot.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.bot is not None:
            self.bot.stop()
            self.bot = None
        if self.services is not None:
            self.services.db.close()
            self.services = None
        self.standin.stop_thread()

    def _continue_update_ids(self) -> None:
        """Number this run's updates after every earlier run's, as Telegram does.

        The bot remembers the update ids it processed (a redelivery changes nothing); a fresh
        stand-in counts from 1 again, so its updates would look like old ones on the demo's
        database. An update the bot does not subscribe to, with an id from the clock, moves
        the stand-in's numbering on (the stand-in drops it unsent)."""
        first = time.time_ns() // 1_000_000
        self.standin.inject({"update_id": first, "my_chat_member": {}})

    def _settings(self) -> Settings:
        base = demo_settings(self.directory)
        update = {
            "telegram_token": SecretStr(self.standin.token),
            "telegram_bot_username": self.standin.bot_username,
            **self.changes,
        }
        return base.model_copy(update=update)

    def _invite(self) -> str:
        """Seed the fictitious case once, and invite the person: returns their language."""
        services = build_services(self.settings, migrate_now=True)
        try:
            participant = seed_demo(services)[self.person.key]
            self.participant_id = participant.id
            self.code = services.invites.create(participant.id).code
            sessions = services.conversations.sessions_for(participant.id)
            self.earlier = frozenset(s.id for s in sessions)
            return participant.locale
        finally:
            services.db.close()

    def _build(self) -> BotApp:
        """Runs in the bot's thread: its own services (database connection) and Application."""
        self.services = build_services(self.settings)
        app = build_application(
            self.settings,
            self.services,
            base_url=self.standin.base_url,
            base_file_url=self.standin.base_file_url,
            voice=self.voice or demo_voice(),
        )
        attached = bot_reminders.reminders(app)
        if attached is not None and attached.task is not None:
            self.dispatch, attached.task = attached.task, None
        return app

    async def _caseworker(self, app: BotApp) -> None:
        """Once the person has consented, send their flow (once per run), then rest."""
        while not self.sent_flow:
            await asyncio.sleep(CASEWORKER_POLL)
            try:
                self.sent_flow = self._send_flow_when_ready()
            except people.SendError as error:
                log.info("demo caseworker waits: %s", error)
            if self.sent_flow:
                self._start_reminders(app)
                runtime(app).sender.wake()

    def _start_reminders(self, app: BotApp) -> None:
        """Runs in the bot's loop: the dispatcher starts (and stops with the bot)."""
        attached = bot_reminders.reminders(app)
        if attached is None or self.dispatch is None:
            return
        attached.task, self.dispatch = self.dispatch, None
        attached.task.start()
        attached.task.wake()

    def waiting_reminders(self) -> bool:
        """Whether a reminder a caseworker set up for the person is due (it comes instead)."""
        if self.services is None:
            return False
        now = self.services.clock.now()
        pending = reminder_store(self.services).reminders_for(self.participant_id, status="pending")
        return any(r.due_at <= now for r in pending)

    def _send_flow_when_ready(self) -> bool:
        s = self.services
        pid = self.participant_id
        if s is None or not any(not m.from_bot for m in self.link.messages()):
            return False  # the person has not written in this run: the chat does not exist
        if not people.has_consent(s.conversations, pid):
            return False
        waiting = [x for x in s.conversations.sessions_for(pid) if x.is_resumable]
        if any(x.id not in self.earlier for x in waiting):
            return False  # this run's onboarding (or flow) is still going
        if any(x.flow_id == self.person.flow for x in waiting):
            return True  # the flow is open from an earlier run: it goes on where they stopped
        for stale in waiting:
            log.info("demo caseworker stops session %s to send %s", stale.id, self.person.flow)
            s.flows.resume(stale.id, CommandInput(command=Command.STOP))
        if self.waiting_reminders():
            log.info("demo caseworker leaves it to the reminders set up for the person")
            return True
        people.send_flow(
            pid,
            self.person.flow,
            engine=s.engine,
            directory=s.directory,
            conversations=s.conversations,
            audit=s.audit,
            actor="demo",
        )
        return True


def run_phone(who: str = "sara", directory: Path = DEMO_DIR) -> int:
    """``companion phone``: the phone simulator on the demo (no Telegram account needed)."""
    if os.environ.get("COMPANION_TELEGRAM_TOKEN"):
        print(
            "companion phone: a bot token is configured; use `companion bot run` and a real "
            "Telegram app (the phone simulator runs only without COMPANION_TELEGRAM_TOKEN)"
        )
        return 2
    directory.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=directory / "phone.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from bots.telegram.phone.app import PhoneApp

    with PhoneDemo(directory=directory, who=who) as demo:
        name = f"{demo.person.first_name} (demo)"
        app = PhoneApp(
            demo.link,
            prefill=demo.prefill,
            subtitle=f"{name} · {FICTITIOUS}",
            audio_dir=directory / "voice",
        )
        app.run()
    print(f"companion phone: the answers are in {demo.settings.db_path}")
    return 0

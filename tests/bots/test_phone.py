"""The phone simulator (headless Pilot) against the real bot and the stand-in: the demo's
journey from the invite to a completed HEVD in the database, voice notes both ways."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input

from bots.telegram.app import runtime
from bots.telegram.phone.app import PhoneApp
from bots.telegram.phone.bubbles import Bubble, ChatButton, PlayButton
from bots.telegram.phone.demo import PhoneDemo
from companion.demo import demo_settings, participant_named
from companion.flows import messages as engine_texts
from companion.services import build_services
from companion.voice import Voice
from companion.voice.cache import CachedTextToSpeech
from companion.voice.fakes import FakeSpeechToText, FakeTextToSpeech
from tests.bots.support import run

SIZE = (100, 40)
FAST = {"bot_chat_interval": 0.0, "bot_global_rate": 1000.0}


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def fake_voice() -> Voice:
    return Voice(FakeSpeechToText(), CachedTextToSpeech(FakeTextToSpeech()))


class Phone:
    """Drives the PhoneApp like a person, waiting for the bot after each step."""

    def __init__(self, demo: PhoneDemo, app: PhoneApp, pilot: Pilot[None]) -> None:
        self.demo, self.app, self.pilot = demo, app, pilot

    def handled(self) -> int:
        assert self.demo.bot is not None and self.demo.bot.app is not None
        return runtime(self.demo.bot.app).core.handled

    async def act(self, action: Callable[[], Awaitable[Any]]) -> None:
        before = self.handled()
        await action()
        await self.until(lambda: self.handled() > before)
        await self.settle()

    async def settle(self) -> None:
        """The bot has sent everything, and the phone shows it."""
        await self.demo.standin.wait_idle(30)
        await self.app.refresh_chat()
        await self.pilot.pause()

    async def until(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"not shown in time; last: {self.texts()[-3:]}")
            await asyncio.sleep(0.02)

    async def shows(self, text: str) -> None:
        """Wait until a message containing ``text`` is on the screen."""

        async def refreshed() -> None:
            await self.app.refresh_chat()

        deadline = time.monotonic() + 10
        while not any(text in t for t in self.texts()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} not shown; last: {self.texts()[-3:]}")
            await refreshed()
            await asyncio.sleep(0.05)
        await self.pilot.pause()

    def texts(self) -> list[str]:
        return [b.message.text for b in self.app.query(Bubble)]

    async def press(self, label: str) -> None:
        """Click the newest inline button with this label."""
        await self.settle()
        found = [b for b in self.app.query(ChatButton) if str(b.label) == label]
        assert found, f"no button {label!r}"
        button = max(found, key=lambda b: b.message_id)
        self.app.screen.scroll_to_widget(button, animate=False)
        await self.pilot.pause()
        await self.act(lambda: self.pilot.click(button))

    async def say(self, text: str, via: str = "#send") -> None:
        """Type ``text`` and send it (``#voice``: as a voice note).

        The button is pressed as Textual presses it on a click (``Button.press``), not by
        clicking screen coordinates: on a busy machine a click can land while the chat above
        is still being laid out, and then nothing is sent at all."""
        self.app.query_one("#text", Input).value = text

        async def press() -> None:
            self.app.query_one(via, Button).press()
            await self.pilot.pause()

        await self.act(press)


def stored_hevd(directory: Path) -> dict[str, Any]:
    """Sara's newest HEVD result in the demo database."""
    services = build_services(demo_settings(directory))
    try:
        sara = participant_named(services, "Sara")
        found = services.conversations.results_for(sara)["hevd"]
        return dict(max(found, key=lambda r: r.updated_at).data)
    finally:
        services.db.close()


def test_the_demo_journey_from_invite_to_a_stored_hevd(tmp_path: Path) -> None:
    """/start CODE prefilled → consent → HEVD on buttons and words → the answers are stored."""

    async def scenario() -> None:
        with PhoneDemo(directory=tmp_path, changes=FAST, voice=fake_voice()) as demo:
            demo.standin.idle_quiet_period = 0.08
            app = PhoneApp(demo.link, prefill=demo.prefill, audio_dir=tmp_path / "voice")
            async with app.run_test(size=SIZE) as pilot:
                phone = Phone(demo, app, pilot)
                assert app.query_one("#text", Input).value.startswith("/start ")
                await phone.act(lambda: pilot.click("#send"))
                await phone.press("Ja, det er greit")
                await phone.press("Bokmål")
                await phone.press("Nei")
                await phone.shows("Vet du om noe som er viktig for deg nå?")
                await phone.press("Ja, jeg vet noe")
                for theme in ("Å ha et sted å bo", "Fullføre skolen"):
                    await phone.say(theme)
                await phone.press("Nei, det er alt")
                await phone.say("Matlaging")
                await phone.press("Nei, ingenting")
                await phone.press("Å ha et sted å bo")
                await phone.press("Fullføre skolen")
                await phone.press("Ferdig")
                await phone.press("7")
                await phone.press("4")
                await phone.press("Ja, det stemmer")
                await phone.press("Bare kontaktpersonen min")
                await phone.shows("Takk! Det du har skrevet er lagret.")
                assert app.keyboard  # the «Jeg trenger hjelp nå» row
        data = stored_hevd(tmp_path)
        assert [t["text"] for t in data["themes"]] == ["Å ha et sted å bo", "Fullføre skolen"]
        assert data["not_wanted"] == [{"text": "Matlaging"}]

    run(scenario(), timeout=90)


def test_a_voice_note_from_the_phone_is_read_back_and_prompts_can_be_heard(
    tmp_path: Path,
) -> None:
    """Voice on: prompts arrive as playable notes; «🎤 Lydmelding» gets «Jeg hørte: …»."""

    async def scenario() -> None:
        with PhoneDemo(directory=tmp_path, changes=FAST, voice=fake_voice()) as demo:
            demo.standin.idle_quiet_period = 0.08
            app = PhoneApp(demo.link, prefill=demo.prefill, audio_dir=tmp_path / "voice")
            async with app.run_test(size=SIZE) as pilot:
                phone = Phone(demo, app, pilot)
                await phone.act(lambda: pilot.click("#send"))
                await phone.press("Ja, det er greit")
                await phone.press("Bokmål")
                await phone.press("Ja")
                await phone.shows("Vet du om noe som er viktig for deg nå?")
                await phone.until(lambda: bool(app.query(PlayButton)))
                await phone.press("Ja, jeg vet noe")
                await phone.say("Å ha et sted å bo", via="#voice")
                heard = engine_texts.VOICE_HEARD[1].format(text="Å ha et sted å bo")
                await phone.shows(heard)
                assert any("🎤" in str(s.render()) for s in app.query("Bubble.me Static"))
                await phone.press(engine_texts.VOICE_YES[1])
                play = app.query(PlayButton).last()
                app.screen.scroll_to_widget(play, animate=False)
                await pilot.pause()
                await pilot.click(play)
                await phone.until(lambda: any((tmp_path / "voice").glob("*")))

    run(scenario(), timeout=60)


def test_running_the_demo_again_continues_where_the_person_stopped(tmp_path: Path) -> None:
    """Same demo database, new stand-in: /start picks up the open conversation."""

    async def scenario() -> None:
        for round_ in range(2):
            with PhoneDemo(directory=tmp_path, changes=FAST, voice=fake_voice()) as demo:
                demo.standin.idle_quiet_period = 0.08
                app = PhoneApp(demo.link, prefill=demo.prefill)
                async with app.run_test(size=SIZE) as pilot:
                    phone = Phone(demo, app, pilot)
                    await phone.act(lambda: pilot.click("#send"))
                    if round_ == 0:
                        await phone.press("Ja, det er greit")
                        await phone.press("Bokmål")
                        await phone.press("Nei")
                        await phone.shows("Vet du om noe som er viktig for deg nå?")
                        await phone.press("Ja, jeg vet noe")
                    await phone.shows("Hva er viktig for deg?")

    run(scenario(), timeout=60)

"""Real audio end to end: espeak-ng speaks an English sentence, the person sends it as a
Telegram voice note through the stand-in, pocketsphinx (with a grammar) hears it, the bot reads
it back, the person confirms, and the stored answer is exactly the sentence, marked as voice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bots.telegram.app import build_application, running
from bots.telegram.standin import BotApiStandIn
from companion.voice import Voice
from companion.voice import audio as codec
from companion.voice.backends.espeak import EspeakTextToSpeech
from companion.voice.backends.pocketsphinx import PocketsphinxSpeechToText
from tests.bots.live import QUIET, USER, Live, live_settings, open_services
from tests.bots.support import run

SENTENCE = "I want to finish school"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def press_first(live: Live) -> None:
    """Press the first button of the newest keyboard, whatever its English label."""
    message = live.with_buttons()
    label = message.buttons[0][0][0]
    await live.press(label, message=message)


def test_espeak_to_pocketsphinx_through_the_bot(tmp_path: Path) -> None:
    """espeak-ng → OGG/Opus → voice note → pocketsphinx grammar → read-back → confirmed."""
    tts = EspeakTextToSpeech()
    note = tts.synthesize(SENTENCE, "en")
    seconds = round(codec.duration(note))

    async def scenario() -> None:
        voice = Voice(PocketsphinxSpeechToText([SENTENCE]), tts)
        async with BotApiStandIn() as standin:
            standin.idle_quiet_period = QUIET
            settings = live_settings(tmp_path, standin)
            services = open_services(settings)
            app = build_application(
                settings,
                services,
                base_url=standin.base_url,
                base_file_url=standin.base_file_url,
                voice=voice,
            )
            try:
                async with running(app):
                    live = Live(standin, app, services)
                    pid = live.participant("Sam")
                    code = services.invites.create(pid).code
                    await live.say(f"/start {code}")
                    await live.press("Ja, det er greit")
                    await live.press("English")
                    await live.press("Nei")  # onboarding ends in the language it began in
                    await live.send_flow(pid)
                    await press_first(live)  # «yes, I know something»
                    await live.act(standin.send_voice(USER, note, max(1, seconds)))
                    assert SENTENCE in live.last().text
                    await press_first(live)  # «yes, that's right»
                    session = services.conversations.sessions_for(pid)[-1]
                    [answer] = [
                        a
                        for a in services.conversations.answers_for(session.id)
                        if a.source == "voice"
                    ]
                    assert answer.value == SENTENCE
                    assert answer.confidence == 1.0
                    [result] = services.conversations.results_for(pid)["hevd"]
                    assert result.data["themes"] == [{"text": SENTENCE, "source": "voice"}]
            finally:
                services.db.close()

    run(scenario())

"""Issue #6's acceptance, end to end on the demo's encrypted database: in the TUI (Pilot) the
demo caseworker gives Nadia a home assignment with its check-in «now»; the phone simulator's
bot (PTB over loopback HTTP against the Bot API stand-in, the reminder dispatcher inside it)
delivers it once she has joined the chat; she answers on the phone; the TUI's «før neste møte»
shows her answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select, Static

from bots.telegram.phone.app import PhoneApp
from bots.telegram.phone.demo import PhoneDemo
from companion.demo import demo_settings
from companion.demo_data import seed_demo
from companion.reminders.service import reminder_store
from companion.services import build_services
from tests.bots.support import run
from tests.bots.test_phone import FAST, SIZE, Phone, fake_voice
from tui.app import CompanionApp, make_app
from tui.screens.actions import AssignmentScreen
from tui.screens.case import CaseScreen


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def tui(directory: Path) -> CompanionApp:
    settings = demo_settings(directory)
    services = build_services(settings, migrate_now=True)
    seed_demo(services)
    return make_app(
        settings, services, login_as="ali.demo", export_dir=directory / "exports", poll_seconds=60
    )


async def family_case(app: CompanionApp, pilot) -> CaseScreen:
    await pilot.press("slash", "o", "m", "a", "r", "enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CaseScreen)
    return app.screen


def fv_text(app: CompanionApp) -> str:
    return "\n".join(str(w.content) for w in app.screen.query("#fv-pane Static").results(Static))


def test_an_assignment_now_reaches_the_phone_and_the_answers_come_back(tmp_path: Path) -> None:
    async def scenario() -> None:
        caseworker = tui(tmp_path)
        async with caseworker.run_test(size=(120, 40)) as pilot:
            await family_case(caseworker, pilot)
            await pilot.press("a", "enter")
            await pilot.pause()
            form = caseworker.screen
            assert isinstance(form, AssignmentScreen)
            form.query_one("#component", Select).value = "se_det_positive"
            form.query_one("#when", Select).value = "now"
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("6")
            await pilot.pause()
            assert "Oppfølgingen sendes" in fv_text(caseworker)
        caseworker.ctx.services.db.close()

        with PhoneDemo(directory=tmp_path, who="nadia", changes=FAST, voice=fake_voice()) as demo:
            demo.standin.idle_quiet_period = 0.08
            app = PhoneApp(demo.link, prefill=demo.prefill, audio_dir=tmp_path / "voice")
            async with app.run_test(size=SIZE) as pilot:
                phone = Phone(demo, app, pilot)
                await phone.act(lambda: pilot.click("#send"))
                await phone.press("Ja, det er greit")
                await phone.press("Bokmål")
                await phone.press("Nei")
                await phone.shows("Fikk du prøvd det?")
                assert any("«Se det positive og gi ros»" in t for t in phone.texts())
                await phone.press("Delvis")
                for words in ("Han smilte", "Å huske det", "Han ryddet", "Nei"):
                    await phone.say(words)
                await phone.shows("Takk for at du svarte!")
            assert demo.services is not None
            sent = reminder_store(demo.services).reminders_for(demo.participant_id)
            assert [(r.kind, r.status) for r in sent] == [("checkin", "sent")]
            sessions = demo.services.conversations.sessions_for(demo.participant_id)
            new = [x for x in sessions if x.id not in demo.earlier and x.flow_id == "fv_checkin"]
            [assignment] = reminder_store(demo.services).assignments_for(demo.participant_id)
            assert [x.id for x in new] == [assignment.checkin_session_id]  # no second check-in

        caseworker = tui(tmp_path)
        async with caseworker.run_test(size=(120, 40)) as pilot:
            await family_case(caseworker, pilot)
            await pilot.press("6")
            await pilot.pause()
            shown = fv_text(caseworker)
            assert "Møte 1 · Nadia (demo) · Se det positive og gi ros" in shown
            assert "Oppfølgingen er besvart" in shown
            assert "Prøvd: delvis" in shown
            assert "Gikk bra: «Han smilte»" in shown
        caseworker.ctx.services.db.close()

    run(scenario(), timeout=120)

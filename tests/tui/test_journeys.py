"""Journeys through the running app (headless Pilot): the issue's acceptance path."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from tui.app import CompanionApp
from tui.screens.case import CaseScreen
from tui.screens.cases import CasesScreen
from tui.screens.flags import FlagsScreen
from tui.screens.login import LoginScreen
from tui.screens.worker_led import WorkerLedScreen
from tui.widgets.flag_banner import FlagBanner

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def text_of(app: CompanionApp, selector: str = "Static") -> str:
    """Every Static's text on the current screen, joined."""
    return "\n".join(str(w.content) for w in app.screen.query(selector).results(Static))


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def test_login_with_password_shows_own_cases(make) -> None:
    """A wrong password is refused; the right one shows Ali's three cases."""
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await pilot.click("#username")
        await type_text(pilot, "ali.demo")
        await pilot.press("enter")
        await type_text(pilot, "feil")
        await pilot.press("enter")
        await pilot.pause()
        assert "Feil brukernavn eller passord" in text_of(app)
        await type_text(pilot, "demo")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert len(app.screen.shown) == 3


async def test_open_a_case_and_read_hevd(make) -> None:
    """Enter opens the flagged youth's case (first in the list); 2 shows her themes verbatim."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(FlagBanner).display
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case_file.case.title.startswith("Sara")
        await pilot.press("2")
        await pilot.pause()
        shown = text_of(app)
        assert "«Få en deltidsjobb ved siden av skolen» 🎤 tale" in shown
        assert "«Trening, det ordner jeg selv»" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, CasesScreen)


async def test_search_narrows_the_list(make) -> None:
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "omar")
        await pilot.pause()
        assert [r.title for r in app.screen.shown] == ["Familien Demo – familieveiledning"]


async def test_edit_and_export_a_plan(make, tmp_path: Path) -> None:
    """3 opens the draft (from Sara's answers); an edit is saved and exported."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "3")
        await pilot.pause()
        varighet = app.screen.query_one("#plan-varighet", Input)
        assert varighet.value == "12 måneder"
        varighet.value = "Ett år"
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+e")
        await pilot.pause()
    exported = tmp_path / "exports" / "tiltaksplan-sara-demo.md"
    text = exported.read_text(encoding="utf-8")
    assert "**Varighet:** Ett år" in text and "BVs oppgaver" in text
    assert (tmp_path / "exports" / "tiltaksplan-sara-demo.html").exists()


async def test_export_the_network_map(make, tmp_path: Path) -> None:
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "4")
        await pilot.pause()
        assert "Mormor" in text_of(app)
        await pilot.press("ctrl+e")
        await pilot.pause()
    assert (tmp_path / "exports" / "nettverkskart-sara-demo.svg").read_text().startswith("<")
    assert (tmp_path / "exports" / "nettverkskart-sara-demo.png").read_bytes()[:4] == b"\x89PNG"


async def test_run_de_tre_husene_worker_led(make, services, people) -> None:
    """On the family's case, W picks Omar and De tre husene; typed words become his answers."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        await pilot.click("#start")
        await pilot.pause()
        assert isinstance(app.screen, WorkerLedScreen)
        assert "tre hus" in text_of(app, "#log Static")
        first = app.screen.query("#choices Button").results(Button).__next__()
        assert str(first.label) == "Ja"
        first.press()  # start with the house of good things
        await pilot.pause()
        await type_text(pilot, "Bestemor baker boller")
        await pilot.press("enter")
        await pilot.pause()
        assert "› Bestemor baker boller" in text_of(app, "#log Static")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
    omar = people["omar"].id
    session = services.conversations.open_session(omar, "tre_hus")
    assert session is not None
    assert session.results["houses"]["good"] == [{"text": "Bestemor baker boller"}]


async def test_acknowledge_a_flag(make, services) -> None:
    """F lists Sara's flag with her words; A acknowledges it; the banner goes away."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlagsScreen)
        await pilot.press("a")
        await pilot.pause()
        assert services.conversations.open_flags() == []
        assert not app.screen.query_one(FlagBanner).display
    assert services.audit.entries()[-1].action == "flag.acknowledged"


async def test_a_new_flag_from_the_bot_shows_on_any_screen(make, services, people) -> None:
    """A high flag written by another process appears at the next poll, with a notification."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("a")
        await pilot.press("escape", "down", "enter")  # into the family's case
        await pilot.pause()
        assert not app.screen.query_one(FlagBanner).display
        services.conversations.add_flag(people["nadia"].id, "high", "safety_path", "hjelp meg")
        await pilot.pause(0.5)
        assert app.screen.query_one(FlagBanner).display
        assert any("Nadia" in n.message for n in app._notifications)


async def test_help_and_command_palette(make) -> None:
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.id == "help"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"


async def test_create_an_invite_with_a_qr_code(make, services, people) -> None:
    """I on Sara's case makes a single-use invite; the QR code is drawn in the terminal."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "i")
        await pilot.pause()
        await pilot.click("#create")
        await pilot.pause()
        link = str(app.screen.query_one("#link", Static).content)
        assert link.startswith("https://t.me/") and "?start=" in link
        assert "█" in str(app.screen.query_one("#qr", Static).content)
    (invite,) = services.directory.invites_for(people["sara"].id)
    assert invite.redeemed_at is None

"""Opening a case reuses the case screen: the new case's content, nothing left of the last."""

from __future__ import annotations

import pytest
from textual.widgets import Static, TabbedContent

from tui.screens.case import CaseScreen
from tui.screens.cases import CasesScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def text_of(screen) -> str:
    return "\n".join(str(w.content) for w in screen.query(Static).results(Static))


async def test_second_case_reuses_the_screen_without_the_first_cases_words(make) -> None:
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, CaseScreen)
        assert first.case_file.case.title.startswith("Sara")
        await pilot.press("2")
        await pilot.pause()
        assert "Trening, det ordner jeg selv" in text_of(first)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        second = app.screen
        assert second is first
        assert isinstance(second, CaseScreen)
        assert not second.case_file.case.title.startswith("Sara")
        assert second.sub_title == second.case_file.case.title
        assert second.query_one("#tabs", TabbedContent).active == "overview"
        shown = text_of(second)
        assert "Trening, det ordner jeg selv" not in shown
        assert "Sara" not in shown
        assert len(second.query("#overview-pane")) == 1
        await pilot.press("2")
        await pilot.pause()
        assert "Trening, det ordner jeg selv" not in text_of(second)

"""Snapshots of the main screens at 80×24 and 120×40 (review the SVGs before updating)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

SIZES = [(80, 24), (120, 40)]


async def _steady(pilot) -> None:
    for field in pilot.app.screen.query(Input).results(Input):
        field.cursor_blink = False
    await pilot.pause()


def _keys(*keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await _steady(pilot)

    return run_before


SCREENS = {
    "cases": (),
    "case_overview": ("enter",),
    "case_hevd": ("enter", "2"),
    "case_plan": ("enter", "3"),
    "case_network": ("enter", "4"),
    "case_houses": ("down", "enter", "5"),
    "case_fv": ("down", "enter", "6"),
    "flags": ("f",),
    "help": ("question_mark",),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, make, screen: str, size: tuple[int, int]) -> None:
    """The screen renders as reviewed (Ali, demo data, fixed clock)."""
    app = make(login_as="ali.demo", poll_seconds=60)
    assert snap_compare(app, terminal_size=size, run_before=_keys(*SCREENS[screen]))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_worker_led(snap_compare, make, size: tuple[int, int]) -> None:
    """De tre husene in a meeting with Omar, at its first question."""
    app = make(login_as="ali.demo", poll_seconds=60)

    async def run_before(pilot) -> None:
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        await pilot.click("#start")
        await pilot.pause()
        await _steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_login(snap_compare, make) -> None:
    app = make(poll_seconds=60)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_keys())

"""Snapshots of the Meldinger tab at 80×24 and 120×40 (review the SVGs before updating)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_messages_tab(snap_compare, make, services, people, size: tuple[int, int]) -> None:
    """Sara wrote twice, Ali answered once in between; the tab shows the thread and reply box."""
    sara = people["sara"]
    services.directory.link_channel(sara.id, "telegram", "5550001")
    inbox = services.inbox_store
    ali = services.directory.get_caseworker_by_username("ali.demo")
    assert ali is not None
    inbox.add_message(sara.case_id, sara.id, "in", "Kan vi flytte møtet til torsdag?")
    inbox.add_message(sara.case_id, sara.id, "out", "Ja, torsdag kl. 10 passer.", author=ali.id)
    inbox.add_message(sara.case_id, sara.id, "in", "Takk! Da kommer jeg.")
    app = make(login_as="ali.demo", poll_seconds=60)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("9")
        await pilot.pause()
        for field in pilot.app.screen.query(Input).results(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)

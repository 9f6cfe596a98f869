"""Flags and privacy (#8): the words of a safety flag are for the case's caseworker only; a
leader sees an unacknowledged high flag only after the escalation time, without the words;
a deletion request is confirmed in the TUI and erases the person's data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import OptionList

from companion.access import AccessDenied
from companion.participants import request_deletion
from tui.i18n import Texts
from tui.screens.delete_confirm import DeleteConfirmScreen
from tui.screens.flags import FlagsScreen
from tui.viewmodels.flags import Flags, describe

SIZE = (120, 40)
WORDS = "jeg orker ikke mer, alt er bare kaos"


def test_a_leader_sees_no_fresh_flag_and_an_escalated_one_without_its_words(
    services, ali, kari
) -> None:
    [own] = Flags(services, ali).open_flags()
    assert own.trigger == WORDS and not own.escalated
    assert Flags(services, kari).open_flags() == []  # not yet: the caseworker has a day
    services.clock.advance(timedelta(hours=25))
    [seen] = Flags(services, kari).open_flags()
    assert (seen.id, seen.escalated, seen.trigger) == (own.id, True, "")
    texts = Texts(services.localizer, "nb")
    line = describe(seen, texts, 24)
    assert WORDS not in line and "24 timer" in line
    assert WORDS in describe(Flags(services, ali).open_flags()[0], texts)


def test_an_acknowledged_or_low_flag_never_escalates(services, ali, kari, people) -> None:
    [own] = Flags(services, ali).open_flags()
    Flags(services, ali).acknowledge(own.id)
    jonas = people["jonas"]
    request_deletion(jonas, services.conversations, services.audit)
    services.clock.advance(timedelta(days=3))
    assert Flags(services, kari).open_flags() == []
    assert [f.reason for f in Flags(services, ali).open_flags()] == ["deletion_requested"]


def test_confirming_a_deletion_needs_a_deletion_flag_and_access(services, ali, eva, people) -> None:
    jonas = people["jonas"]
    assert services.conversations.sessions_for(jonas.id)
    flag = request_deletion(jonas, services.conversations, services.audit)
    [safety] = [f for f in Flags(services, ali).open_flags() if not f.deletion]
    with pytest.raises(AccessDenied):
        Flags(services, ali).confirm_deletion(safety.id)  # not a deletion request
    with pytest.raises(AccessDenied):
        Flags(services, eva).confirm_deletion(flag.id)  # not her case
    assert services.conversations.sessions_for(jonas.id)
    counts = Flags(services, ali).confirm_deletion(flag.id)
    assert counts["sessions"] > 0
    assert services.conversations.sessions_for(jonas.id) == []
    assert services.audit.entries()[-1].action == "participant.erased"


@pytest.mark.anyio
async def test_delete_from_the_flags_screen_asks_first(make, services, people) -> None:
    """S on the request opens the confirmation; Escape keeps everything, the button erases."""
    jonas = people["jonas"]
    request_deletion(jonas, services.conversations, services.audit)
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlagsScreen)
        await pilot.press("down")  # the high safety flag comes first
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, DeleteConfirmScreen)
        await pilot.press("enter")  # the focus is on «Avbryt»
        await pilot.pause()
        assert isinstance(app.screen, FlagsScreen)
        assert services.conversations.sessions_for(jonas.id)
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#delete-ok")
        await pilot.pause()
        assert isinstance(app.screen, FlagsScreen)
    assert services.conversations.sessions_for(jonas.id) == []
    person = services.directory.get_participant(jonas.id)
    assert person is not None and person.erased_at is not None
    assert services.audit.entries()[-1].action == "participant.erased"


@pytest.mark.anyio
async def test_a_leader_sees_the_escalated_flag_on_screen_without_the_words(make, services) -> None:
    services.clock.advance(timedelta(hours=25))
    app = make(login_as="kari.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlagsScreen)
        options = app.screen.query_one("#flag-list", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    assert len(shown) == 1 and "Sara (demo)" in shown[0]
    assert "24 timer" in shown[0] and WORDS not in shown[0]

"""Meldinger: the case inbox in the case detail, its badge, marking read, and replies."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from companion.access import AccessDenied
from companion.accounts import Viewer
from companion.case_messages import MAX_REPLY, ReplyRejected, case_messages
from companion.ports import Participant
from companion.services import Services
from tui.screens.case import CaseScreen
from tui.screens.cases import CasesScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 40)
WORDS = "Kan vi flytte møtet til torsdag?"


def text_of(screen) -> str:
    return "\n".join(str(w.content) for w in screen.query(Static).results(Static))


def write_in(services: Services, person: Participant, text: str = WORDS) -> None:
    """A message from the participant, stored the way the bot stores it."""
    services.inbox_store.add_message(person.case_id, person.id, "in", text)


@pytest.fixture
def sara(services: Services, people: dict[str, Participant]) -> Participant:
    person = people["sara"]
    services.directory.link_channel(person.id, "telegram", "5550001")
    return person


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def test_read_and_reply_in_the_messages_tab(make, services, sara) -> None:
    """The badge shows one unread; tab 9 shows it (and marks it read); a reply is queued."""
    write_in(services, sara)
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        sara_row = next(r for r in app.screen.shown if r.title.startswith("Sara"))
        assert "✉ 1" in sara_row.badges
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("9")
        await pilot.pause()
        shown = text_of(app.screen)
        assert WORDS in shown
        assert "› Sara  (ny)" in shown
        assert all(m.read_at for m in services.inbox_store.messages_in_case(sara.case_id))

        await pilot.click("#reply-text")
        await type_text(pilot, "Ja, torsdag passer fint.")
        await pilot.press("enter")
        await pilot.pause()
        items = services.outbox.items("telegram")
        assert [(i.chat_id, i.participant_id) for i in items] == [("5550001", sara.id)]
        assert items[0].payload["text"].endswith("Ja, torsdag passer fint.")
        thread = services.inbox_store.messages_in_case(sara.case_id)
        assert [m.direction for m in thread] == ["in", "out"]
        assert "‹ Ali" in text_of(app.screen)
        assert app.screen.query_one("#reply-text", Input).value == ""

        await pilot.press("escape")
        await pilot.pause()
        sara_row = next(r for r in app.screen.shown if r.title.startswith("Sara"))
        assert "✉" not in sara_row.badges


async def test_a_refused_reply_keeps_the_text(make, services, people) -> None:
    """An empty or too long reply: the reason is shown, nothing is queued, the text stays."""
    write_in(services, people["sara"])
    services.directory.link_channel(people["sara"].id, "telegram", "1")
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("9")
        await pilot.pause()
        await pilot.click("#reply-text")
        await pilot.press("space", "enter")
        await pilot.pause()
        assert "Skriv noe før du sender." in text_of(app.screen)
        box = app.screen.query_one("#reply-text", Input)
        box.value = "x" * (MAX_REPLY + 1)
        await pilot.press("enter")
        await pilot.pause()
        assert "for langt" in text_of(app.screen)
        assert box.value == "x" * (MAX_REPLY + 1)
        assert services.outbox.items() == []


async def test_a_leader_sees_no_messages(make, services, sara) -> None:
    """A leader opens the case but the thread is the kontaktperson's; nothing is marked read."""
    write_in(services, sara)
    app = make(login_as="kari.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = next(r for r in app.screen.shown if r.title.startswith("Sara"))
        app.screen.open_case(row.id)
        await pilot.pause()
        await pilot.press("9")
        await pilot.pause()
        shown = text_of(app.screen)
        assert WORDS not in shown
        assert "bare hen leser dem" in shown
        assert not app.screen.query("#reply-text")
        await pilot.press("3")
        await pilot.pause()
        assert "Tiltaksplanen skrives av kontaktpersonen i saken." in text_of(app.screen)
    assert all(m.read_at is None for m in services.inbox_store.messages_in_case(sara.case_id))


def test_another_caseworker_cannot_read_or_reply(services, sara, eva: Viewer) -> None:
    """Eva is not Sara's caseworker: reading, marking and replying are refused and audited."""
    write_in(services, sara)
    messages = case_messages(services, eva)
    with pytest.raises(AccessDenied):
        messages.thread(sara.case_id)
    with pytest.raises(AccessDenied):
        messages.mark_read(sara.case_id)
    with pytest.raises(AccessDenied):
        messages.reply(sara.id, "Hei")
    assert services.outbox.items() == []
    denied = [e for e in services.audit.entries() if e.action == "case.denied"]
    assert len(denied) == 3


def test_the_leader_cannot_reply_either(services, sara, kari: Viewer) -> None:
    with pytest.raises(AccessDenied):
        case_messages(services, kari).reply(sara.id, "Hei")
    assert services.outbox.items() == []


def test_reply_rules(services, people, ali: Viewer) -> None:
    """Empty, too long, stopped or unreachable replies are refused with a reason."""
    messages = case_messages(services, ali)
    sara = people["sara"]
    with pytest.raises(ReplyRejected) as caught:
        messages.reply(sara.id, "Hei")
    assert caught.value.reason == "no_chat"
    services.directory.link_channel(sara.id, "telegram", "7")
    with pytest.raises(ReplyRejected) as caught:
        messages.reply(sara.id, "   ")
    assert caught.value.reason == "empty"
    sent = messages.reply(sara.id, "  Hei  ")
    assert sent.text == "Hei"
    actions = [e.action for e in services.audit.entries()]
    assert "message.sent" in actions
    assert not any("Hei" in str(e.details) for e in services.audit.entries())


def test_thread_names_and_order(services, sara, ali: Viewer) -> None:
    """Oldest first, first names only; incoming unread until marked."""
    write_in(services, sara, "én")
    messages = case_messages(services, ali)
    messages.reply(sara.id, "to")
    write_in(services, sara, "tre")
    thread = messages.thread(sara.case_id)
    assert [(m.text, m.sender, m.unread) for m in thread] == [
        ("én", "Sara", True),
        ("to", "Ali", False),
        ("tre", "Sara", True),
    ]
    assert messages.mark_read(sara.case_id) == 2
    assert not any(m.unread for m in messages.thread(sara.case_id))


async def test_messages_on_a_real_database(tmp_path) -> None:
    """The same journey on SQLite: badge from the index, read marks, the reply's outbox row."""
    from services import sqlite_services

    from companion.config import Settings
    from companion.demo_data import seed_demo
    from tui.app import make_app

    services = sqlite_services(tmp_path)
    sara = seed_demo(services)["sara"]
    services.directory.link_channel(sara.id, "telegram", "5550001")
    write_in(services, sara)
    app = make_app(Settings(), services, login_as="ali.demo", export_dir=tmp_path, poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert "✉ 1" in next(r for r in app.screen.shown if r.title.startswith("Sara")).badges
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("9")
        await pilot.pause()
        assert WORDS in text_of(app.screen)
        await pilot.click("#reply-text")
        await type_text(pilot, "Ja")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "✉" not in next(r for r in app.screen.shown if r.title.startswith("Sara")).badges
    items = services.outbox.pending("telegram")
    assert [(i.chat_id, i.participant_id, i.kind) for i in items] == [("5550001", sara.id, "text")]
    assert items[0].payload["inbox_message_id"] == services.inbox_store.messages_for(sara.id)[-1].id

"""«senere», «stopp» and «start» from the chat, and a parent who changes language mid-course."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from companion.flows.ports import Localizer
from companion.reminders.chat import ReminderChat
from companion.reminders.texts import ALL_MESSAGES
from tests.reminders.support import World, family, oslo, world
from tests.reminders.test_dispatcher import MONDAYS_AROUND_SPRING, local

KINDS = ["memory", "sqlite"]


@pytest.fixture(params=KINDS)
def w(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    made = world(str(request.param), tmp_path, oslo(2026, 3, 16, 12))
    yield made
    if made.services.db is not None:
        made.services.db.close()


def say(w: World, chat: ReminderChat, participant_id: str, words: str, update: int) -> bool:
    participant = w.services.directory.get_participant(participant_id)
    assert participant is not None
    return chat.handle(
        participant, words, channel="telegram", chat_id="4242", input_key=f"telegram:{update}"
    )


def test_later_brings_the_reminder_back_two_hours_later(w: World) -> None:
    nadia = family(w.services)
    chat = ReminderChat(w.reminders)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen")
    assert not say(w, chat, nadia.id, "senere", 1), "nothing to snooze yet"
    w.at(oslo(2026, 3, 17, 18))
    w.clock.advance(timedelta(minutes=5))
    assert say(w, chat, nadia.id, "Senere!", 2)
    assert w.texts()[-1] == "Greit! Jeg minner deg på det igjen tirsdag 17. mars klokka 20:05."
    assert say(w, chat, nadia.id, "senere", 3)  # the same snooze, said again
    assert not say(w, chat, nadia.id, "senere", 3), "a redelivered update changes nothing"
    snoozes = [
        r
        for r in w.reminders.store.reminders_for(nadia.id)
        if r.idempotency_key.startswith("snooze:")
    ]
    assert len(snoozes) == 1
    w.at(oslo(2026, 3, 17, 20, 5))
    reminder_texts = [t for t in w.texts() if t.startswith("Hei Nadia!")]
    assert len(reminder_texts) == 2 and reminder_texts[0] == reminder_texts[1]


def test_later_in_the_evening_means_tomorrow_morning(w: World) -> None:
    nadia = family(w.services)
    chat = ReminderChat(w.reminders)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    w.reminders.set_preferences(nadia.id, preferred_time="20:00")
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen")
    w.at(oslo(2026, 3, 17, 20))
    assert say(w, chat, nadia.id, "seinare", 1)
    [again] = [r for r in w.reminders.store.reminders_for(nadia.id) if r.payload.get("snooze_of")]
    assert local(again.due_at) == "Wed 18.03 08:00 CET"
    assert w.texts()[-1].endswith("onsdag 18. mars klokka 08:00.")


def test_stop_pauses_reminders_until_start(w: World) -> None:
    """«stopp» while no conversation waits: no reminders (skipped) until «start»."""
    nadia = family(w.services)
    chat = ReminderChat(w.reminders)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen")
    assert not say(w, chat, nadia.id, "start", 1), "not stopped: «start» is just a message"
    assert say(w, chat, nadia.id, "Stopp", 2)
    assert w.texts()[-1].startswith("Greit. Du får ingen flere påminnelser")
    stopped = w.services.directory.get_participant(nadia.id)
    assert stopped is not None and stopped.messages_stopped
    w.at(oslo(2026, 3, 17, 18))
    [reminder, _] = w.reminders.store.reminders_for(nadia.id)
    assert (reminder.status, reminder.note) == ("skipped", "stopped")
    assert not say(w, chat, nadia.id, "senere", 3), "nothing to snooze while stopped"
    assert say(w, chat, nadia.id, "start", 4)
    assert w.texts()[-1] == "Fint! Nå får du påminnelser og spørsmål her igjen."
    w.at(oslo(2026, 3, 21, 18))
    [_, checkin] = w.reminders.store.reminders_for(nadia.id)
    assert checkin.status == "sent"


def test_the_words_are_left_to_a_conversation_that_waits(w: World) -> None:
    """While the check-in waits, «stopp» ends the check-in (the flow's word), not reminders."""
    nadia = family(w.services)
    chat = ReminderChat(w.reminders)
    w.services.channel_flows.start("ukesjekk", participant_id=nadia.id, locale="nb")
    assert not say(w, chat, nadia.id, "stopp", 1)
    assert not say(w, chat, nadia.id, "stopp nå, han slår meg", 2)


def test_a_parent_who_changes_language_mid_course(w: World) -> None:
    """Reminders are rendered when sent: after the switch to English the dates are English,
    the texts go through the English catalog, and the check-in runs in English."""
    nadia = family(w.services)
    real = w.services.engine.localizer

    class Catalog:
        """The shipped catalogs, plus English for the reminder texts (translated later)."""

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def text(self, locale: str, context: str, source: str) -> str:
            if locale == "en" and (context, source) in ALL_MESSAGES:
                return "[en] " + source
            return real.text(locale, context, source)

    localizer: Localizer = Catalog()  # type: ignore[assignment]
    w.services.engine.localizer = localizer
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen")
    w.at(oslo(2026, 3, 17, 18))
    assert "fra møtet mandag 16. mars" in w.texts()[-1]
    w.services.directory.update_participant(nadia.id, locale="en")
    w.reminders.give_assignment(nadia.id, 2, "bekrefte_folelser_fire_steg")
    w.reminders.schedule_meeting(nadia.id, oslo(2026, 3, 30, 10), place="Office")
    w.at(oslo(2026, 3, 21, 18))
    [events] = [i for i in w.outbox() if i.kind == "events"]
    assert events.payload["locale"] == "en"
    session = w.services.conversations.open_session(nadia.id)
    assert session is not None and session.locale == "en"
    w.at(oslo(2026, 3, 24, 18))
    assert w.texts()[-1].startswith("[en] Hei Nadia!")
    assert "Monday, 23 March" in w.texts()[-1]
    w.at(oslo(2026, 3, 29, 10))
    assert "Monday, 30 March" in w.texts()[-1]
    assert w.texts()[-1].startswith("[en] ")
    assert local(w.reminders.store.reminders_for(nadia.id)[-2].due_at) == "Sun 29.03 10:00 CEST"

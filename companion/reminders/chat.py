"""«senere», «stopp» and «start» from the chat, for any channel.

A reminder ends with «Skriv «senere» … eller «stopp» …». When a participant writes one of those
words (alone) while no conversation waits for an answer, this handles it instead of the inbox:

- «senere» (snooze): the latest reminder sent in the last hours comes again two hours later,
  out of the quiet hours (``Reminders.snooze``);
- «stopp»: no more reminders or prompts until they start again (the same ``messages_stopped``
  setting the bot's ``/stop`` sets; the dispatcher skips reminders while it is on);
- «start»: reminders and prompts again (like ``/start``), only when they were stopped.

The input's idempotency key, the change and the reply commit together (a redelivered update
changes nothing). While a conversation waits, the words are left to the flow («stopp» ends it).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from companion import participants as people
from companion.flows.answers import normalize_word
from companion.outbox import text_entry
from companion.ports import DuplicateInput, Participant
from companion.reminders import texts as t
from companion.reminders.service import Reminders

log = logging.getLogger(__name__)

Word = Literal["snooze", "stop", "start"]
MAX_WORD = 40
"""Longer texts are never one of the words (and are not worth normalizing to find out)."""


@dataclass
class ReminderChat:
    """Channel-neutral handling of the reminder words."""

    reminders: Reminders
    _all_words: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, repr=False)

    def word(self, locale: str, text: str) -> Word | None:
        """Which reminder word ``text`` is (alone, any case, no punctuation), if any."""
        localizer = self.reminders.services.localizer
        said = normalize_word(text)
        if not said:
            return None
        for name, message in (
            ("snooze", t.SNOOZE_WORDS),
            ("stop", t.STOP_WORDS),
            ("start", t.START_WORDS),
        ):
            if said in t.words(localizer, locale, message):
                return name  # type: ignore[return-value]
        return None

    def maybe_word(self, text: str, locales: Sequence[str]) -> bool:
        """Whether ``text`` is a reminder word in any of ``locales``: a check that needs no
        participant, so a channel can skip looking one up for everything else people write."""
        if len(text) > MAX_WORD:
            return False
        said = normalize_word(text)
        if not said:
            return False
        known = self._all_words.get(tuple(locales))
        if known is None:
            localizer = self.reminders.services.localizer
            known = frozenset(
                word
                for locale in locales
                for message in (t.SNOOZE_WORDS, t.STOP_WORDS, t.START_WORDS)
                for word in t.words(localizer, locale, message)
            )
            self._all_words[tuple(locales)] = known
        return said in known

    def handle(
        self,
        participant: Participant,
        text: str,
        *,
        channel: str,
        chat_id: str,
        input_key: str,
    ) -> bool:
        """Handle ``text`` if it is a reminder word that applies now; False to leave it to the
        rest of the bot (also for an input key processed before)."""
        word = self.word(participant.locale, text)
        if word is None:
            return False
        s = self.reminders.services
        if s.outbox.processed(input_key):
            return False
        if s.conversations.open_session(participant.id) is not None:
            return False
        if not people.has_consent(s.conversations, participant.id):
            return False
        store = self.reminders.store
        try:
            with store.transaction():
                reply = self._apply(word, participant)
                if reply is None:
                    return False
                entry = text_entry(channel, chat_id, reply, participant_id=participant.id)
                s.outbox.enqueue([entry], input_key=input_key)
        except DuplicateInput:
            return True
        log.info("participant %s: reminder word '%s'", participant.id, word)
        return True

    def _apply(self, word: Word, participant: Participant) -> str | None:
        s = self.reminders.services
        localizer = s.localizer
        locale = participant.locale
        if word == "stop":
            s.directory.update_participant(participant.id, messages_stopped=True)
            return t.say(localizer, locale, t.STOPPED)
        if word == "start":
            if not participant.messages_stopped:
                return None
            s.directory.update_participant(participant.id, messages_stopped=False)
            return t.say(localizer, locale, t.STARTED)
        if participant.messages_stopped:
            return None
        target = self.reminders.snoozable(participant.id)
        if target is None:
            return None
        again = self.reminders.snooze(target)
        if again is None:
            return None
        timing = self.reminders.timing(participant.id)
        cldr = t.cldr(localizer, locale)
        return t.say(
            localizer,
            locale,
            t.SNOOZED,
            date=t.weekday_date(cldr, again.due_at, timing.tz),
            time=t.clock_time(cldr, again.due_at, timing.tz),
        )

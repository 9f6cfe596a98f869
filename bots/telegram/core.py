"""What the bot does with one update, without PTB or the network: decide, store, enqueue.

``BotCore.handle(incoming)`` runs one update in one database transaction;
``handle_batch(items)`` runs a batch from one poll in one transaction, each update in its own
savepoint (group commit). Each update is marked processed (``telegram:<update_id>``), what it
caused is stored (an answer, a message, a setting) and its replies are enqueued in the
transactional outbox; the sender delivers them after the commit. A redelivered update finds
its key and changes nothing.

Durability: the database runs in WAL mode with ``synchronous=NORMAL``
(``companion.store.database``). A committed update survives a crash of the bot's process (the
WAL is written before COMMIT returns, so the reply is never sent for an answer that is not
saved); after a power loss or an OS crash the last few commits before it may be gone, and then
so are their replies' outbox rows, never one without the other. ``synchronous=FULL`` would
add an fsync per update for that case.

A full disk (SQLite's SQLITE_FULL) rolls the update back whole, key included: the person is
told kindly that nothing could be saved and to try again later (a reply sent without the
outbox, which cannot be written either), and the same words work once there is room again.

A person who got no reply (a slow or restarting bot) may write the same words again: words
equal to the previous answer, dated before the next question reached the chat, are not stored
as the next answer (``companion.channels.retyped``): the question is shown again (unless it is
still unsent: then it is on its way and is the reply).

Unknown people get one neutral reply that is never stored (it goes through the sender's
in-memory queue); only a rate-limit counter keyed by an HMAC of their id is kept.

Voice notes: ``listening(item)`` says whether (and in which language) the handler should fetch
and transcribe one; the handler then passes the result in ``item.heard`` and ``handle`` resumes
the flow with a ``VoiceInput`` (the engine reads it back and stores it only once confirmed).
"""

from __future__ import annotations

import base64
import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bots.telegram import texts
from bots.telegram import translate as tr
from bots.telegram.callbacks import (
    PARTICIPANT_KINDS,
    Callback,
    Signer,
    parse,
    participant_binding,
    session_binding,
)
from bots.telegram.sender import describe_failure
from companion import data_rights
from companion import participants as people
from companion.channels import retyped
from companion.consent_audit import audit_consents
from companion.flows import Session, Sprint, strings
from companion.flows import events as ev
from companion.flows import messages as m
from companion.flows.inputs import (
    ChoiceInput,
    Command,
    CommandInput,
    Input,
    TextInput,
    VoiceInput,
)
from companion.outbox import events_entry, events_from_payload
from companion.ports import DuplicateInput, OutboxEntry, OutboxItem, Participant, StaleSession
from companion.services import Services
from companion.store.database import DB_ERRORS, is_disk_full

if TYPE_CHECKING:
    from companion.voice import Voice

log = logging.getLogger(__name__)

CHANNEL = "telegram"
BUTTON_KINDS = frozenset(
    {"choice", "multi_choice", "scale", "yes_no", "confirm", "consent", "visibility"}
)
"""Questions answered with buttons: free text that does not fit may be a message instead."""
QUESTION_KINDS = frozenset("ctd")
"""Callback kinds of a question's own buttons: choose, toggle, done."""
EDITS = frozenset({"editMessageText", "editMessageReplyMarkup"})
BEFORE_CONSENT = frozenset({"start", "help", "pause", "continue", "stop", "sos", "urgent"})


@dataclass
class Outcome:
    """What the handler must do after ``handle``: wake the sender, send unstored replies."""

    enqueued: bool = False
    volatile: list[tr.ApiCall] = field(default_factory=list)


@dataclass
class _Turn:
    """One update being handled for a known participant."""

    participant: Participant
    item: tr.Incoming
    key: str
    session: Session | None
    consented: bool
    calls: list[tr.ApiCall] = field(default_factory=list)
    took_buttons: int | None = None
    """The message whose buttons this update's replies take away (see ``_old_buttons``)."""

    @property
    def chat(self) -> int:
        return self.item.chat_id


class BotCore:
    """The bot's use cases over the shared services (G21: handlers only translate and call)."""

    def __init__(
        self, services: Services, signer: Signer | None = None, voice: Voice | None = None
    ) -> None:
        self.services = services
        self.voice = voice
        """Speech in and out; None: voice notes get an honest «not yet» and prompts stay text."""
        self.signer = signer or Signer(services.secret)
        self.localizer = services.localizer
        self.handled = 0
        """Updates handled so far (duplicates included): lets tests wait for the bot."""
        self.interceptors: list[Callable[[tr.Incoming], bool]] = []
        """Asked first, in order, about every update not seen before; True: taken (it is
        stored with the update's key). The reminders' «senere»/«stopp» words use this."""
        self._keyboards: dict[str, tuple[int, str]] = {}
        """Per chat, the message whose question buttons are live, and its text (set as the
        sender sends). Only in memory: after a restart such buttons stay visible until
        pressed, and a press is still refused kindly."""
        self.urgent_labels = tuple(
            self.localizer.text(locale, *texts.URGENT_BUTTON) for locale in texts.LANGUAGES
        )

    # --- entry ------------------------------------------------------------------------------

    def handle(self, item: tr.Incoming) -> Outcome:
        """Process one update exactly once in effect (a batch of one; see ``handle_batch``)."""
        return self.handle_batch([item])[0]

    def handle_batch(self, items: Sequence[tr.Incoming]) -> list[Outcome]:
        """Process ``items`` in order with one commit for them all (group commit: one
        encrypted WAL write instead of one per update); returns once it is committed.

        The transaction takes the write lock first (the batch reads, then writes). Each update
        runs in its own savepoint: one that fails in our code (a bug) is logged and leaves
        nothing behind, and the others still count. A full disk rolls the whole batch back,
        keys included, so the same words sent again later are handled as new; everyone in it
        is told that nothing could be saved, without the outbox (it cannot be written either).
        Any other database error is
        raised: nothing of the batch is stored, and the poller asks Telegram for the same
        updates again.
        """
        if not items:
            return []
        keyboards = dict(self._keyboards)  # what the chats show is only true once committed
        try:
            with self.services.write_transaction():
                outcomes = [self._handle_isolated(item) for item in items]
        except Exception as error:
            self._keyboards = keyboards
            if not is_disk_full(error):
                raise
            log.error("updates %s…: the disk is full; nothing saved", items[0].update_id)
            outcomes = [self._not_saved(item) for item in items]
        self.handled += len(items)
        return outcomes

    def _handle_isolated(self, item: tr.Incoming) -> Outcome:
        chat = str(item.chat_id)
        shown = self._keyboards.get(chat)
        try:
            with self.services.atomic():  # a savepoint inside the batch's transaction
                return self._handle(item)
        except DuplicateInput:  # its savepoint is rolled back: nothing of it stays
            log.info("update %s: processed concurrently, ignored", item.update_id)
            return Outcome()
        except Exception as error:
            if isinstance(error, DB_ERRORS) or not self.services.in_transaction():
                # The database, not this update (locked, full, an I/O error): the whole batch
                # fails and is fetched again, rather than one person's answer being dropped.
                raise
            log.error("update %s failed: %s", item.update_id, describe_failure(error))
            if shown is not None:
                self._keyboards[chat] = shown
            return Outcome()

    def _not_saved(self, item: tr.Incoming) -> Outcome:
        """The disk is full: say so, except to an update already stored before (a redelivery),
        whose answer is safe."""
        try:
            if self.services.outbox.processed(f"{CHANNEL}:{item.update_id}"):
                return Outcome()
        except Exception as error:  # reading may fail too; then say it
            log.warning("update %s: %s while checking it", item.update_id, type(error).__name__)
        return Outcome(volatile=self._cannot_save(item))

    def _cannot_save(self, item: tr.Incoming) -> list[tr.ApiCall]:
        locale = (item.language_code or self.services.settings.default_locale).split("-")[0]
        try:
            known = self.services.directory.participant_by_channel(CHANNEL, str(item.user_id))
            locale = known.locale if known is not None else locale
        except Exception as error:  # reading may fail too; the phone's language will do
            log.warning(
                "update %s: no participant for the notice (%s)",
                item.update_id,
                type(error).__name__,
            )
        text = self.say(locale, texts.CANNOT_SAVE)
        if item.kind == "callback" and item.callback_id:
            return [tr.answer_callback(item.callback_id, text), *tr.send_text(item.chat_id, text)]
        return tr.send_text(item.chat_id, text)

    def _handle(self, item: tr.Incoming) -> Outcome:
        """One update, inside its own savepoint (``_handle_isolated``)."""
        key = f"{CHANNEL}:{item.update_id}"
        s = self.services
        if s.outbox.processed(key):
            log.info("update %s: duplicate, ignored", item.update_id)
            return Outcome()
        for intercept in self.interceptors:
            if intercept(item):
                return Outcome(enqueued=True)
        participant = s.directory.participant_by_channel(CHANNEL, str(item.user_id))
        if participant is None:
            return self._stranger(item, key)
        self._known(participant, item, key)
        log.info("update %s: handled for participant %s", item.update_id, participant.id)
        return Outcome(enqueued=True)

    def say(self, locale: str, message: tuple[str, str], **values: Any) -> str:
        text = self.localizer.text(locale, *message)
        return text.format(**values) if values else text

    # --- people the bot does not know -------------------------------------------------------

    def _stranger(self, item: tr.Incoming, key: str) -> Outcome:
        if item.kind == "command" and item.command == "start" and item.args:
            participant = self.services.invites.redeem(item.args, CHANNEL, str(item.user_id))
            if participant is not None:
                log.info(
                    "update %s: invite redeemed by participant %s", item.update_id, participant.id
                )
                turn = _Turn(participant, item, key, None, consented=False)
                self._start_flow(turn, people.ONBOARDING)
                self._commit(turn)
                return Outcome(enqueued=True)
        locale = (item.language_code or "nb").split("-")[0]
        if not self.services.invites.may_reply(CHANNEL, str(item.user_id)):
            log.info("update %s: unknown account over its reply limit", item.update_id)
            return Outcome()
        if item.kind == "callback" and item.callback_id:
            call = tr.answer_callback(item.callback_id, self.say(locale, texts.OLD_BUTTON))
            return Outcome(volatile=[call])
        return Outcome(volatile=tr.send_text(item.chat_id, self.say(locale, texts.UNKNOWN_USER)))

    # --- people the bot knows -----------------------------------------------------------------

    def _known(self, participant: Participant, item: tr.Incoming, key: str) -> None:
        s = self.services
        s.directory.set_reachable(CHANNEL, str(item.user_id), True)
        turn = _Turn(
            participant=participant,
            item=item,
            key=key,
            session=s.conversations.open_session(participant.id),
            consented=people.has_consent(s.conversations, participant.id),
        )
        if item.kind == "callback":
            self._callback(turn)
        elif item.kind == "command":
            self._command(turn)
        elif item.kind == "text":
            self._text(turn, tr.to_input(item, self.urgent_labels))
        elif item.kind == "voice":
            self._voice(turn)
        else:
            self._reply(turn, self._say(turn, texts.ONLY_TEXT))
        self._commit(turn)

    def _say(self, turn: _Turn, message: tuple[str, str], **values: Any) -> str:
        return self.say(turn.participant.locale, message, **values)

    def _reply(self, turn: _Turn, text: str, markup: dict[str, Any] | None = None) -> None:
        turn.calls.extend(tr.send_text(turn.chat, text, markup or self._reply_keyboard(turn)))

    def _reply_keyboard(self, turn: _Turn) -> dict[str, Any] | None:
        if not turn.consented:
            return None
        return tr.urgent_keyboard(self._say(turn, texts.URGENT_BUTTON))

    def _commit(self, turn: _Turn) -> None:
        """Whatever is still unsaid, with the update's key unless a sprint or a message took
        it already (all inside the update's one transaction)."""
        if turn.key or turn.calls:
            entries = self._entries(turn, turn.calls)
            self.services.outbox.enqueue(entries, input_key=turn.key or None)
            turn.key, turn.calls = "", []

    def _entries(self, turn: _Turn, calls: Sequence[tr.ApiCall]) -> list[OutboxEntry]:
        return [
            OutboxEntry(
                channel=CHANNEL,
                chat_id=str(turn.chat),
                kind="api",
                payload=call.payload(),
                participant_id=turn.participant.id,
            )
            for call in calls
        ]

    # --- flows --------------------------------------------------------------------------------

    def _context(self, turn: _Turn, session: Session, consented: bool) -> tr.Context:
        keyboard = tr.urgent_keyboard(self._say(turn, texts.URGENT_BUTTON)) if consented else None
        return tr.Context(
            chat_id=turn.chat,
            say=lambda message: self.say(session.locale, message),
            signer=self.signer,
            session_id=session.id,
            seq=session.seq,
            node_id=session.wait.node_id if session.wait else None,
            reply_keyboard=keyboard,
        )

    def _render(self, turn: _Turn, sprint: Sprint) -> list[OutboxEntry]:
        consented = turn.consented
        for event in sprint.events:
            if isinstance(event, ev.ConsentRecorded) and event.consent == people.CONSENT:
                consented = event.granted
        calls = tr.render_events(sprint.events, self._context(turn, sprint.session, consented))
        calls[:0] = self._old_buttons(turn, sprint, calls)
        if turn.consented and not consented:
            calls[-1:] = [_with_markup(c, {"remove_keyboard": True}) for c in calls[-1:]]
        calls = self._voiced(turn.participant, sprint.session.locale, sprint.events, calls)
        return self._entries(turn, [*turn.calls, *calls])

    def _old_buttons(
        self, turn: _Turn, sprint: Sprint, calls: Sequence[tr.ApiCall]
    ) -> list[tr.ApiCall]:
        """No stale buttons stay in the chat: a typed (or spoken) answer to a question with
        buttons takes them away and shows what was answered; a question asked again with new
        buttons takes the old ones away."""
        live = self._keyboards.get(str(turn.chat))
        if live is None or (turn.item.kind == "callback" and turn.item.message_id == live[0]):
            return []  # a press: ``_chosen`` edits that message already
        answers = [e for e in sprint.events if isinstance(e, ev.AnswerRecorded)]
        rejected = any(isinstance(e, ev.InputRejected) for e in sprint.events)
        if not answers or rejected or turn.item.kind not in ("text", "voice"):
            asks = any(
                isinstance(c.params.get("reply_markup"), dict)
                and _question_buttons(c.params["reply_markup"])
                for c in calls
            )
            if not asks:
                return []
            turn.took_buttons = live[0]
            return [tr.remove_keyboard(turn.chat, live[0])]
        question = self.current_question(turn.session) if turn.session else None
        labels = {b.value: b.label for b in question.buttons} if question else {}
        message_id, text = live
        shown = self._say(turn, texts.CHOSEN, label=_answer_label(answers[0].value, labels))
        turn.took_buttons = message_id
        return [tr.chosen_edit(turn.chat, message_id, text, shown)]

    def _voiced(
        self,
        participant: Participant,
        language: str,
        events: Sequence[Any],
        calls: list[tr.ApiCall],
    ) -> list[tr.ApiCall]:
        """``calls``, and with the participant's voice on, the prompt also as a voice note."""
        if not participant.voice or self.voice is None or not calls:
            return calls
        if not any(isinstance(e, ev.QuestionAsked) for e in events):
            return calls
        text = tr.spoken(calls)
        if not text or not self.voice.can_speak(language):
            return calls
        return [*calls, tr.voice_prompt(calls[0].params["chat_id"], text, language)]

    def _recorded(self, turn: _Turn, sprint: Sprint) -> None:
        """After a sprint is stored: its replies are in the outbox; apply onboarding choices."""
        turn.key, turn.calls, turn.session = "", [], sprint.session
        live = self._keyboards.get(str(turn.chat))
        if live is not None and live[0] == turn.took_buttons:
            del self._keyboards[str(turn.chat)]  # stored: the next update must not edit it again
        changes = people.profile_changes(sprint)
        if changes:
            self.services.directory.update_participant(turn.participant.id, **changes)
        pid = turn.participant.id
        audit_consents(
            self.services.audit, pid, sprint.session.id, sprint.events, f"participant:{pid}"
        )

    def _start_flow(self, turn: _Turn, flow_id: str, trigger: str | None = None) -> None:
        def adjust(sprint: Sprint) -> Sprint:
            if trigger is None:
                return sprint
            events = tuple(
                dataclasses.replace(e, trigger=trigger)
                if isinstance(e, ev.FlagRaised) and e.trigger is None
                else e
                for e in sprint.events
            )
            return dataclasses.replace(sprint, events=events)

        sprint = self.services.channel_flows.start(
            flow_id,
            participant_id=turn.participant.id,
            locale=turn.participant.locale,
            input_key=turn.key or None,
            render=lambda sp: self._render(turn, sp),
            adjust=adjust,
        )
        self._recorded(turn, sprint)

    def _resume(self, turn: _Turn, value: Input) -> None:
        assert turn.session is not None
        try:
            sprint = self.services.channel_flows.resume(
                turn.session,
                value,
                input_key=turn.key or None,
                render=lambda sp: self._render(turn, sp),
            )
        except StaleSession:
            log.warning("participant %s: session changed under us", turn.participant.id)
            self._reply(turn, self._say(turn, texts.FAILED_LINE))
            return
        self._recorded(turn, sprint)

    def current_question(self, session: Session) -> ev.QuestionAsked | None:
        """The question the session waits at, as the engine would ask it again (nothing is
        stored: the engine is pure, and the sprint is thrown away)."""
        if not session.is_resumable or session.wait is None:
            return None
        wait = session.wait
        if wait.heard is not None:  # «Jeg hørte: …» waits for yes, retry or type
            heard = VoiceInput(text=wait.heard, confidence=wait.heard_confidence)
            return self.services.engine.resume(session, heard).question
        return self.services.engine.resume(session, CommandInput(command=Command.HELP)).question

    def _may_wait_for_buttons(self, session: Session) -> bool:
        """False when the session surely waits at a question answered in words (read from the
        flow's node, which costs nothing; ``current_question`` runs the engine)."""
        wait = session.wait
        if wait is None or wait.heard is not None:
            return True  # a read-back asks «Stemmer det?» with buttons
        node = self.services.engine.nodes.get(wait.flow_id, {}).get(wait.node_id)
        if node is None:
            return True
        return (getattr(node, "kind", None) or getattr(node, "type", None)) in BUTTON_KINDS

    def _ask_again(self, turn: _Turn, prefix: str | None = None) -> None:
        session = turn.session
        question = self.current_question(session) if session else None
        if session is None or question is None:
            if prefix:
                self._reply(turn, prefix)
            return
        notice = (
            [ev.NoticeShown(flow_id=session.flow_id, notice="help", text=prefix)] if prefix else []
        )
        ctx = self._context(turn, session, turn.consented)
        turn.calls.extend(tr.render_events([*notice, question], ctx))

    # --- text ---------------------------------------------------------------------------------

    def _text(self, turn: _Turn, value: Input) -> None:
        s = self.services
        text = turn.item.text
        if turn.session is not None:
            if isinstance(value, TextInput) and self._retyped(turn, value):
                return
            if isinstance(value, TextInput) and self._hold_instead(turn, value):
                return
            self._resume(turn, value)
            return
        urgent = isinstance(value, CommandInput) and value.command is Command.URGENT
        if urgent or (s.content.safety is not None and s.content.safety.match(text)):
            if turn.consented and not urgent:
                s.inbox_store.add_message(turn.participant.case_id, turn.participant.id, "in", text)
            safety = s.content.safety.flow_id if s.content.safety else "safety"
            self._start_flow(turn, safety, trigger=None if urgent else text)
        elif not turn.consented:
            if people.has_answered_consent(s.conversations, turn.participant.id):
                self._reply(turn, self._say(turn, texts.DECLINED))
            else:
                self._start_flow(turn, people.ONBOARDING)
        else:
            self._to_inbox(turn, text)

    def _retyped(self, turn: _Turn, value: TextInput) -> bool:
        """The previous answer written again before the next question reached the person (no
        reply came, so they sent it once more): store nothing. The question is shown again,
        unless it is still on its way (then it is the reply)."""
        assert turn.session is not None
        verdict = retyped(
            turn.session,
            value.text,
            turn.item.written_at,
            self.services.outbox,
            CHANNEL,
            str(turn.chat),
        )
        if verdict is None:
            return False
        log.info(
            "update %s: the previous answer again (%s), not stored", turn.item.update_id, verdict
        )
        if verdict == "shown":
            self._ask_again(turn)
        return True

    def _to_inbox(self, turn: _Turn, text: str) -> None:
        s = self.services
        ack = s.inbox.acknowledgement_for(turn.participant)
        self._reply(turn, ack)
        s.inbox_store.add_message(
            turn.participant.case_id,
            turn.participant.id,
            "in",
            text,
            input_key=turn.key or None,
            outbox=self._entries(turn, turn.calls),
        )
        turn.key, turn.calls = "", []

    def _hold_instead(self, turn: _Turn, value: TextInput) -> bool:
        """Free text at a button question that does not fit: ask «answer or message?»."""
        session = turn.session
        assert session is not None
        if not turn.consented or not self._may_wait_for_buttons(session):
            return False  # the common case, decided without running the engine
        question = self.current_question(session)
        if question is None or question.kind not in BUTTON_KINDS:
            return False
        if len(value.text.split()) < 2:
            return False  # «11», «hmm»: an attempt at an answer; the engine's hint helps more
        trial = self.services.engine.resume(session, value)
        if not any(isinstance(e, ev.InputRejected) for e in trial.events):
            return False
        if any(isinstance(e, ev.FlagRaised) for e in trial.events):
            return False
        hold_id = self.services.ids.new_id()[:12]
        binding = session_binding(session.id, session.wait.node_id if session.wait else None)
        options = [
            ("a", self._say(turn, texts.AS_ANSWER)),
            ("m", self._say(turn, texts.AS_MESSAGE)),
        ]
        markup = {
            "inline_keyboard": [
                [
                    {
                        "text": label,
                        "callback_data": self.signer.sign(kind, session.seq, hold_id, binding),
                    }
                ]
                for kind, label in options
            ]
        }
        turn.calls.extend(tr.send_text(turn.chat, self._say(turn, texts.ANSWER_OR_MESSAGE), markup))
        self.services.inbox_store.hold(
            hold_id,
            turn.participant.id,
            session.id,
            value.text,
            input_key=turn.key or None,
            outbox=self._entries(turn, turn.calls),
        )
        turn.key, turn.calls = "", []
        return True

    # --- voice notes --------------------------------------------------------------------------

    def listening(self, item: tr.Incoming) -> str | None:
        """The language to transcribe this voice note in, or None when ``handle`` answers it
        without listening (a stranger, no consent, no question that takes words, a duplicate)."""
        if item.kind != "voice" or item.note is None or self.voice is None:
            return None
        s = self.services
        if s.outbox.processed(f"{CHANNEL}:{item.update_id}"):
            return None
        participant = s.directory.participant_by_channel(CHANNEL, str(item.user_id))
        if participant is None or not people.has_consent(s.conversations, participant.id):
            return None
        session = s.conversations.open_session(participant.id)
        if session is None or not self._takes_voice(session):
            return None
        return session.locale

    def _takes_voice(self, session: Session) -> bool:
        """At a question that takes words, or at its read-back (a new note replaces it)."""
        if session.wait is not None and session.wait.heard is not None:
            return True
        question = self.current_question(session)
        return question is not None and question.voice

    def _voice(self, turn: _Turn) -> None:
        heard = turn.item.heard
        if heard is not None and heard.problem is not None:
            self._reply(turn, self._say(turn, heard.problem, **dict(heard.values)))
        elif heard is not None and turn.session is not None and self._takes_voice(turn.session):
            self._resume(turn, VoiceInput(text=heard.text, confidence=heard.confidence))
        else:
            self._unheard(turn)

    def _unheard(self, turn: _Turn) -> None:
        """A voice note nobody listened to: say honestly why, and what to do instead."""
        session = turn.session
        if self.voice is None:
            self._reply(turn, self._say(turn, texts.VOICE_NOT_YET))
        elif not turn.consented:
            self._ask_again(turn, self._say(turn, texts.CONSENT_FIRST))
        elif session is None or self.current_question(session) is None:
            self._reply(turn, self._say(turn, texts.VOICE_OUTSIDE_FLOW))
        else:
            self._ask_again(turn, self._say(turn, texts.VOICE_USE_BUTTONS))

    # --- buttons ------------------------------------------------------------------------------

    def _callback(self, turn: _Turn) -> None:
        item = turn.item
        assert item.callback_id is not None
        pressed = parse(item.callback_data or "")
        if pressed is not None and pressed.kind in PARTICIPANT_KINDS:
            self._setting_button(turn, pressed)
            return
        session = turn.session
        if pressed is None or session is None:
            turn.calls.append(
                tr.answer_callback(item.callback_id, self._say(turn, texts.OLD_BUTTON))
            )
            if item.message_id is not None:
                turn.calls.append(tr.remove_keyboard(turn.chat, item.message_id))
            return
        binding = session_binding(session.id, session.wait.node_id if session.wait else None)
        if not self.signer.verify(pressed, session.seq, binding):
            log.info("participant %s: stale or forged button", turn.participant.id)
            turn.calls.append(
                tr.answer_callback(item.callback_id, self._say(turn, texts.OLD_BUTTON))
            )
            self._ask_again(turn, self._say(turn, texts.STALE_BUTTON))
            return
        handlers = {
            "c": self._choice_button,
            "t": self._toggle_button,
            "d": self._done_button,
            "a": self._held_button,
            "m": self._held_button,
        }
        handlers[pressed.kind](turn, pressed)

    def _chosen(self, turn: _Turn, label: str) -> None:
        item = turn.item
        if item.message_id is not None:
            shown = self._say(turn, texts.CHOSEN, label=label)
            turn.calls.append(tr.chosen_edit(turn.chat, item.message_id, item.message_text, shown))

    def _choice_button(self, turn: _Turn, pressed: Callback) -> None:
        assert turn.session is not None and turn.item.callback_id is not None
        question = self.current_question(turn.session)
        if question is None or not 0 <= pressed.index < len(question.buttons):
            turn.calls.append(tr.answer_callback(turn.item.callback_id))
            self._ask_again(turn)
            return
        button = question.buttons[pressed.index]
        turn.calls.append(tr.answer_callback(turn.item.callback_id))
        self._chosen(turn, button.label)
        self._resume(turn, ChoiceInput(values=(button.value,)))

    def _toggle_button(self, turn: _Turn, pressed: Callback) -> None:
        assert turn.session is not None and turn.item.callback_id is not None
        question = self.current_question(turn.session)
        if question is None or not question.multiple:
            turn.calls.append(tr.answer_callback(turn.item.callback_id))
            return
        mask = pressed.mask & ((1 << len(question.buttons)) - 1)
        limit = question.max_choices
        if limit is not None and bin(mask).count("1") > limit:
            text = self._say(turn, texts.TOO_MANY, max=limit)
            turn.calls.append(tr.answer_callback(turn.item.callback_id, text))
            return
        turn.calls.append(tr.answer_callback(turn.item.callback_id))
        if turn.item.message_id is not None:
            ctx = self._context(turn, turn.session, turn.consented)
            markup = tr.multi_keyboard(question, ctx, mask)
            turn.calls.append(
                tr.ApiCall(
                    "editMessageReplyMarkup",
                    {
                        "chat_id": turn.chat,
                        "message_id": turn.item.message_id,
                        "reply_markup": markup,
                    },
                )
            )

    def _done_button(self, turn: _Turn, pressed: Callback) -> None:
        assert turn.session is not None and turn.item.callback_id is not None
        question = self.current_question(turn.session)
        if question is None or not question.multiple:
            turn.calls.append(tr.answer_callback(turn.item.callback_id))
            return
        chosen = [b for i, b in enumerate(question.buttons) if pressed.mask >> i & 1]
        if not chosen:
            hint = self.localizer.text(turn.session.locale, *m.HINT_MULTI_TOO_FEW).format(min=1)
            turn.calls.append(tr.answer_callback(turn.item.callback_id, hint))
            return
        turn.calls.append(tr.answer_callback(turn.item.callback_id))
        self._chosen(turn, ", ".join(b.label for b in chosen))
        self._resume(turn, ChoiceInput(values=tuple(b.value for b in chosen)))

    def _held_button(self, turn: _Turn, pressed: Callback) -> None:
        assert turn.item.callback_id is not None
        held = self.services.inbox_store.take_held(pressed.arg, turn.participant.id)
        turn.calls.append(tr.answer_callback(turn.item.callback_id))
        if held is None:
            self._ask_again(turn, self._say(turn, texts.OLD_BUTTON))
            return
        _session_id, text = held
        if pressed.kind == "a":
            self._chosen(turn, self._say(turn, texts.AS_ANSWER))
            self._resume(turn, TextInput(text=text))
            return
        self._chosen(turn, self._say(turn, texts.AS_MESSAGE))
        s = self.services
        ack = s.inbox.acknowledgement_for(turn.participant)
        s.inbox_store.add_message(turn.participant.case_id, turn.participant.id, "in", text)
        self._ask_again(turn, ack)

    def _setting_button(self, turn: _Turn, pressed: Callback) -> None:
        assert turn.item.callback_id is not None
        p = turn.participant
        if not self.signer.verify(pressed, 0, participant_binding(p.id)):
            turn.calls.append(
                tr.answer_callback(turn.item.callback_id, self._say(turn, texts.OLD_BUTTON))
            )
            return
        turn.calls.append(tr.answer_callback(turn.item.callback_id))
        if pressed.kind == "l" and pressed.arg in texts.LANGUAGES:
            self._chosen(turn, texts.LANGUAGES[pressed.arg])
            self._set_language(turn, pressed.arg)
        elif pressed.kind == "v":
            self._set_voice(turn, pressed.arg == "1")

    def _set_language(self, turn: _Turn, code: str) -> None:
        """The participant's language, and the running conversation's at once: the question
        it waits at comes again in the new language (its old buttons still work)."""
        s = self.services
        turn.participant = s.directory.update_participant(turn.participant.id, locale=code)
        self._reply(turn, self._say(turn, texts.LANGUAGE_SET, language=texts.LANGUAGES[code]))
        session = turn.session
        if session is None or session.locale == code:
            return
        try:
            turn.session = s.flows.change_locale(session, code)
        except StaleSession:
            log.warning("participant %s: session changed under us", turn.participant.id)
            return  # the participant's language is set; the next question will use it
        if turn.session.status == "waiting":
            self._ask_again(turn)

    def _set_voice(self, turn: _Turn, on: bool) -> None:
        turn.participant = self.services.directory.update_participant(turn.participant.id, voice=on)
        self._reply(turn, self._say(turn, texts.VOICE_ON if on else texts.VOICE_OFF))

    # --- commands -----------------------------------------------------------------------------

    def _command(self, turn: _Turn) -> None:
        name = turn.item.command or ""
        if not turn.consented and name not in BEFORE_CONSENT:
            self._ask_again(turn, self._say(turn, texts.CONSENT_FIRST))
            return
        handler = getattr(self, f"_cmd_{name}", None)
        if handler is not None:
            handler(turn)
        elif turn.session is not None:
            self._resume(turn, TextInput(text=turn.item.text))  # /back, /skip … for the engine
        else:
            self._reply(turn, self._say(turn, texts.HELP))

    def _restart_messages(self, turn: _Turn) -> None:
        if turn.participant.messages_stopped:
            turn.participant = self.services.directory.update_participant(
                turn.participant.id, messages_stopped=False
            )
            self._reply(turn, self._say(turn, texts.RESTARTED))

    def _cmd_start(self, turn: _Turn) -> None:
        self._restart_messages(turn)
        if turn.session is not None:
            self._resume(turn, CommandInput(command=Command.CONTINUE))
        elif not turn.consented:
            self._start_flow(turn, people.ONBOARDING)
        else:
            self._reply(turn, self._say(turn, texts.WELCOME_BACK))
            self._cmd_menu(turn)

    def _cmd_help(self, turn: _Turn) -> None:
        if turn.session is not None:
            self._resume(turn, CommandInput(command=Command.HELP))
        elif turn.consented:
            self._reply(turn, self._say(turn, texts.HELP))
        else:
            self._start_flow(turn, people.ONBOARDING)

    def _cmd_menu(self, turn: _Turn) -> None:
        s = self.services
        lines: list[str] = []
        open_sessions = [
            x for x in s.conversations.sessions_for(turn.participant.id) if x.is_resumable
        ]
        if open_sessions:
            lines.append(self._say(turn, texts.MENU_OPEN))
            for session in open_sessions:
                flow = s.engine.flows.get(session.flow_id)
                title = session.flow_id
                if flow is not None:
                    context = strings.context(session.flow_id, None, "title")
                    title = self.localizer.text(turn.participant.locale, context, flow.title)
                state = texts.MENU_PAUSED if session.status == "paused" else texts.MENU_WAITING
                lines.append(f"• {title} ({self._say(turn, state)})")
        assignments = s.inbox_store.open_assignments(turn.participant.id)
        if assignments:
            lines.append(("\n" if lines else "") + self._say(turn, texts.MENU_ASSIGNMENTS))
            lines.extend(f"• {a.simpler_text or a.text}" for a in assignments)
        if not lines:
            lines.append(self._say(turn, texts.MENU_NOTHING))
        lines.append("\n" + self._say(turn, texts.MENU_FOOTER))
        self._reply(turn, "\n".join(lines))

    def _cmd_pause(self, turn: _Turn) -> None:
        if turn.session is not None and turn.session.status == "waiting":
            self._resume(turn, CommandInput(command=Command.PAUSE))
        else:
            self._reply(turn, self._say(turn, texts.NOTHING_TO_PAUSE))

    def _cmd_continue(self, turn: _Turn) -> None:
        self._restart_messages(turn)
        if turn.session is not None:
            self._resume(turn, CommandInput(command=Command.CONTINUE))
        elif not turn.calls:
            self._reply(turn, self._say(turn, texts.NOTHING_TO_CONTINUE))

    def _cmd_stop(self, turn: _Turn) -> None:
        if turn.session is not None and turn.session.status == "waiting":
            self._resume(turn, CommandInput(command=Command.PAUSE))
        turn.participant = self.services.directory.update_participant(
            turn.participant.id, messages_stopped=True
        )
        self._reply(turn, self._say(turn, texts.STOPPED))

    def _cmd_sos(self, turn: _Turn) -> None:
        self._text(turn, CommandInput(command=Command.URGENT))

    _cmd_urgent = _cmd_sos

    def _cmd_language(self, turn: _Turn) -> None:
        named = texts.language_named(turn.item.args)
        if named is not None:  # «/language nynorsk»: no need to ask
            self._set_language(turn, named)
            return
        binding = participant_binding(turn.participant.id)
        markup = {
            "inline_keyboard": [
                [{"text": name, "callback_data": self.signer.sign("l", 0, code, binding)}]
                for code, name in texts.LANGUAGES.items()
            ]
        }
        turn.calls.extend(tr.send_text(turn.chat, self._say(turn, texts.CHOOSE_LANGUAGE), markup))

    def _cmd_voice(self, turn: _Turn) -> None:
        arg = turn.item.args.strip().lower()
        if arg in ("on", "på", "pa", "1"):
            self._set_voice(turn, True)
        elif arg in ("off", "av", "0"):
            self._set_voice(turn, False)
        else:
            self._set_voice(turn, not turn.participant.voice)

    def _cmd_mydata(self, turn: _Turn) -> None:
        s = self.services
        data = people.my_data(turn.participant, s.conversations, s.inbox_store)
        s.audit.append(
            f"participant:{turn.participant.id}",
            "participant.data_copy",
            f"participant:{turn.participant.id}",
            {"channel": CHANNEL},
        )
        content = base64.b64encode(people.my_data_file(data)).decode("ascii")
        turn.calls.append(
            tr.ApiCall(
                "sendDocument",
                {
                    "chat_id": turn.chat,
                    "caption": self._say(turn, texts.MY_DATA),
                    "document": {
                        "filename": self._say(turn, texts.MY_DATA_FILE),
                        "base64": content,
                    },
                },
            )
        )

    def _cmd_withdraw(self, turn: _Turn) -> None:
        s = self.services
        data_rights.withdraw_consent(
            turn.participant,
            conversations=s.conversations,
            directory=s.directory,
            outbox=s.outbox,
            audit=s.audit,
            actor=f"participant:{turn.participant.id}",
        )
        # After the withdrawal, so its reply is not among the rows given up: what was asked
        # waits (paused) rather than taking the next message as an answer.
        if turn.session is not None and turn.session.status == "waiting":
            self._resume(turn, CommandInput(command=Command.PAUSE))
        turn.consented = False
        self._reply(turn, self._say(turn, texts.CONSENT_WITHDRAWN), {"remove_keyboard": True})

    def _cmd_delete(self, turn: _Turn) -> None:
        s = self.services
        people.request_deletion(turn.participant, s.conversations, s.audit)
        self._reply(turn, self._say(turn, texts.DELETION_REQUESTED))

    # --- deadlines ----------------------------------------------------------------------------

    def deliver_due(self, limit: int = 100) -> int:
        """Send due timeout/expiry inputs to waiting sessions; what they say goes to the
        participant's reachable chats (nothing while they have stopped messages)."""
        s = self.services
        delivered = 0
        for session in s.conversations.due_sessions(s.clock.now(), limit):
            value = s.engine.due(session)
            if value is None:
                continue
            participant = s.directory.get_participant(session.participant_id or "")

            def render(sprint: Sprint, who: Participant | None = participant) -> list[OutboxEntry]:
                if who is None or who.messages_stopped:
                    return []
                return [
                    events_entry(CHANNEL, link.external_id, sprint, participant_id=who.id)
                    for link in s.directory.links_for(who.id)
                    if link.channel == CHANNEL and link.unreachable_at is None
                ]

            try:
                s.channel_flows.resume(session, value, render=render)
            except StaleSession:
                continue  # answered meanwhile: the next round sees the new deadline
            delivered += 1
        return delivered

    # --- for the sender -----------------------------------------------------------------------

    def undeliverable(self, item: OutboxItem) -> str | None:
        """Why a row must not be sent at all (``companion.data_rights``), or None."""
        return data_rights.undeliverable(item, self.services.directory, self.services.conversations)

    def expand(self, item: OutboxItem) -> list[tr.ApiCall]:
        """The API calls of one outbox row; channel-neutral rows (a caseworker's reply, a flow
        the caseworker sent) are rendered here, in the participant's language."""
        if item.kind == "api":
            return [tr.ApiCall.from_payload(item.payload)]
        s = self.services
        participant = s.directory.get_participant(item.participant_id or "")
        locale = participant.locale if participant else s.settings.default_locale
        chat: int | str = int(item.chat_id) if item.chat_id.lstrip("-").isdigit() else item.chat_id
        keyboard = tr.urgent_keyboard(self.say(locale, texts.URGENT_BUTTON))
        if item.kind == "text":
            calls = tr.send_text(chat, str(item.payload.get("text", "")), keyboard)
            return self._spoken_text(participant, item.payload.get("speak"), calls)
        payload = item.payload
        session_locale = str(payload.get("locale") or locale)
        ctx = tr.Context(
            chat_id=chat,
            say=lambda message: self.say(session_locale, message),
            signer=self.signer,
            session_id=str(payload.get("session_id") or ""),
            seq=int(str(payload.get("seq") or 0)),
            node_id=str(payload["node_id"]) if payload.get("node_id") else None,
            reply_keyboard=keyboard,
        )
        events = events_from_payload(payload)
        calls = tr.render_events(events, ctx)
        if participant is None:
            return calls
        return self._voiced(participant, session_locale, events, calls)

    def shown(self, chat_id: str, call: tr.ApiCall, result: Any) -> None:
        """The sender made ``call``: remember a question's buttons (so a typed answer can take
        them away), forget them once an edit took them away."""
        markup = call.params.get("reply_markup")
        live = isinstance(markup, dict) and _question_buttons(markup)
        if call.method == "sendMessage" and live and isinstance(result, dict):
            message_id = result.get("message_id")
            if isinstance(message_id, int):
                self._keyboards[chat_id] = (message_id, str(call.params.get("text") or ""))
        elif call.method in EDITS and not live:
            known = self._keyboards.get(chat_id)
            if known is not None and known[0] == call.params.get("message_id"):
                del self._keyboards[chat_id]

    def _spoken_text(
        self, participant: Participant | None, language: Any, calls: list[tr.ApiCall]
    ) -> list[tr.ApiCall]:
        """A text row marked ``speak`` (a reminder, in the language it was written in) also
        as a voice note, if the participant still has voice on when it goes out."""
        if participant is None or not participant.voice or self.voice is None or not calls:
            return calls
        if not isinstance(language, str) or not self.voice.can_speak(language):
            return calls
        text = tr.spoken(calls)
        if not text:
            return calls
        return [*calls, tr.voice_prompt(calls[0].params["chat_id"], text, language)]

    def blocked(self, item: OutboxItem) -> None:
        """Telegram refused a message to this chat (403): the caseworker must know."""
        if item.participant_id is None:
            return
        s = self.services
        with s.atomic():
            people.mark_unreachable(
                item.participant_id, CHANNEL, item.chat_id, s.directory, s.conversations, s.audit
            )

    def delivered(self, item: OutboxItem) -> None:
        """A row was sent: a caseworker's reply counts as delivered."""
        message_id = item.payload.get("inbox_message_id")
        if item.kind == "text" and isinstance(message_id, str):
            self.services.inbox_store.mark_delivered(message_id)


def _answer_label(value: Any, labels: dict[Any, str]) -> str:
    """An answer as a person reads it: the chosen buttons' labels, or its words (a yes/no
    answer is stored as a bool; its buttons' values are «yes» and «no»)."""
    values = value if isinstance(value, list | tuple) else [value]
    return ", ".join(labels.get(_button_value(v), str(v)) for v in values)


def _button_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _question_buttons(markup: dict[str, Any]) -> bool:
    """An inline keyboard that answers a question (not settings or «answer or message?»)."""
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list):
        return False
    for row in rows:
        for button in row if isinstance(row, list) else ():
            pressed = parse(str(button.get("callback_data") or ""))
            if pressed is not None and pressed.kind in QUESTION_KINDS:
                return True
    return False


def _with_markup(call: tr.ApiCall, markup: dict[str, Any]) -> tr.ApiCall:
    if call.method != "sendMessage" or "reply_markup" in call.params:
        return call
    return tr.ApiCall(call.method, {**call.params, "reply_markup": markup})

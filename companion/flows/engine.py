"""The interpreter: ``start`` and ``resume`` run a flow until it waits or ends (one sprint).

Pure: no I/O, no clock or ids of its own. Everything it needs is injected, and everything it
did comes back as a new immutable ``Session`` plus the ``events`` of the sprint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from companion.flows import answers as a
from companion.flows import definition as d
from companion.flows import events as ev
from companion.flows import messages as m
from companion.flows.inputs import (
    ChoiceInput,
    Command,
    CommandInput,
    ExpiryInput,
    Input,
    TextInput,
    TimeoutInput,
    VoiceInput,
)
from companion.flows.nodes import WAIT, Enter, Goto, Step, handler_for, start_wait
from companion.flows.ports import Clock, IdFactory, Localizer
from companion.flows.run import FlowError, Run
from companion.flows.safety import SafetyLexicon
from companion.flows.session import MAX_HISTORY, Frame, Session, Snapshot

MAX_STEPS_PER_SPRINT = 250
"""More node visits than this in one sprint is a loop in the content: the session fails."""

SLASH_COMMANDS = {f"/{c.value}": c for c in Command} | {
    "?": Command.HELP,
    "/hjelp": Command.HELP,
    "/sos": Command.URGENT,
}


class SessionNotResumable(Exception):
    """Only waiting or paused sessions can be resumed."""


class UnknownFlow(KeyError):
    def __str__(self) -> str:  # KeyError would repr-quote the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Sprint:
    """Everything that happened during one start or resume."""

    session: Session
    events: tuple[Any, ...]
    steps: int

    def texts(self) -> list[str]:
        """What the person reads, in order: messages, questions, hints, notices, endings."""
        shown = (
            ev.MessageCreated,
            ev.QuestionAsked,
            ev.InputRejected,
            ev.NoticeShown,
            ev.FlowEnded,
        )
        return [e.text for e in self.events if isinstance(e, shown) and e.text]

    @property
    def question(self) -> ev.QuestionAsked | None:
        asked = [e for e in self.events if isinstance(e, ev.QuestionAsked)]
        return asked[-1] if asked else None


def _undo(current: Any, undo: dict[str, Any]) -> Any:
    """A result field's earlier value from its current value and an undo record."""
    if "length" in undo:
        return current[: undo["length"]] if isinstance(current, list) else None
    if "index" in undo:
        items = list(current) if isinstance(current, list) else []
        if undo["index"] < len(items):
            items[undo["index"]] = undo["item"]
        return items
    return undo.get("value")


class Engine:
    """Runs flows. Construct once with the flows and ports; call ``start`` / ``resume``."""

    def __init__(
        self,
        flows: Mapping[str, d.Flow],
        *,
        clock: Clock,
        ids: IdFactory,
        localizer: Localizer,
        max_steps: int = MAX_STEPS_PER_SPRINT,
        safety: SafetyLexicon | None = None,
    ) -> None:
        if safety is not None and safety.flow_id not in flows:
            raise UnknownFlow(f"the safety flow '{safety.flow_id}' is not among the flows")
        self.flows = flows
        self.nodes = {fid: {n.id: n for n in flow.nodes} for fid, flow in flows.items()}
        self.safety = safety
        self.clock = clock
        self.ids = ids
        self.localizer = localizer
        self.max_steps = max_steps
        self._words: dict[str, a.Words] = {}
        self._labels: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        self._commands: dict[str, dict[str, Command]] = {}

    # --- public API -------------------------------------------------------------------------

    def start(
        self,
        flow_id: str,
        *,
        locale: str = "nb",
        participant_id: str | None = None,
        params: Mapping[str, Any] | None = None,
        results: Mapping[str, dict[str, Any]] | None = None,
        session_id: str | None = None,
    ) -> Sprint:
        """Start ``flow_id`` and run it to its first wait.

        ``results`` seeds structured results from earlier sessions (e.g. the themes a status
        check-in re-rates); ``params`` overrides the flow's declared params.
        """
        flow = self.flows.get(flow_id)
        if flow is None:
            known = ", ".join(sorted(self.flows)) or "none"
            raise UnknownFlow(f"unknown flow '{flow_id}' (known flows: {known})")
        unknown = set(params or {}) - set(flow.params)
        if unknown:
            raise ValueError(f"flow '{flow_id}' has no params {sorted(unknown)}")
        now = self.clock.now()
        session = Session(
            id=session_id or self.ids.new_id(),
            flow_id=flow_id,
            locale=locale,
            status="waiting",
            participant_id=participant_id,
            frames=(Frame(flow_id=flow_id, node_id=flow.entry),),
            results={k: dict(v) for k, v in (results or {}).items()},
            params=dict(params or {}),
            created_at=now,
            updated_at=now,
            expires_at=now + timedelta(seconds=flow.expires_after_seconds),
        )
        run = Run.of(session, self.flows, self.nodes, self.localizer, now, self._labels)
        self._run(run, lambda: self._enter(run))
        return self._finish(run)

    def resume(self, session: Session, value: Input) -> Sprint:
        """Continue a waiting (or paused) session with one input."""
        if not session.is_resumable:
            raise SessionNotResumable(
                f"session {session.id} is {session.status}; only waiting or paused sessions resume"
            )
        run = Run.of(
            session, self.flows, self.nodes, self.localizer, self.clock.now(), self._labels
        )
        if isinstance(value, ExpiryInput):
            self._expire(run)
        elif isinstance(value, TimeoutInput):
            self._run(run, lambda: self._timeout(run))
        else:
            self._run(run, lambda: self._input(run, value))
        return self._finish(run)

    def due(self, session: Session) -> TimeoutInput | ExpiryInput | None:
        """The deadline input a scheduler should send now, if any."""
        if not session.is_resumable:
            return None
        now = self.clock.now()
        if now >= session.expires_at:
            return ExpiryInput()
        if session.wait and session.wait.timeout_at and now >= session.wait.timeout_at:
            return TimeoutInput()
        return None

    # --- the loop ---------------------------------------------------------------------------

    def _run(self, run: Run, first: Any) -> None:
        try:
            step = first()
            while step is not None and step is not WAIT:
                step = self._step(run, step)
        except FlowError as error:
            self._fail(run, str(error))

    def _step(self, run: Run, step: Step) -> Step | None:
        run.steps += 1
        if run.steps > self.max_steps:
            raise FlowError(
                f"more than {self.max_steps} steps without waiting in flow "
                f"'{run.frame.flow_id}' at node '{run.frame.node_id}': a loop in the content?"
            )
        if isinstance(step, Enter):
            flow = self.flows.get(step.flow_id)
            if flow is None:
                raise FlowError(f"sub-flow '{step.flow_id}' does not exist")
            run.frames.append(Frame(flow_id=flow.id, node_id=flow.entry))
            return self._enter(run)
        assert isinstance(step, Goto)
        if step.target is not None:
            run.goto(step.target)
            return self._enter(run)
        return self._finish_frame(run)

    def _enter(self, run: Run) -> Step:
        node = run.node
        return handler_for(node).enter(run, node)  # type: ignore[no-any-return]

    def _finish_frame(self, run: Run) -> Step | None:
        finished = run.frames.pop()
        if run.frames and finished.interrupt:
            node = run.node
            run.wait = finished.saved_wait
            if run.wait is None:
                start_wait(run, node)
            assert run.wait is not None
            run.wait = replace(run.wait, safety_shown=True)
            handler_for(node).ask(run, node, repeated=True)
            return WAIT
        if run.frames:
            parent = run.node
            return Goto(parent.next)
        flow = self.flows[run.base.flow_id]
        run.status = "completed"
        run.wait = None
        run.frames = [Frame(flow_id=flow.id, node_id=flow.entry)]
        run.emit(ev.FlowEnded(flow_id=flow.id, outcome="completed"))
        return None

    def _finish(self, run: Run) -> Sprint:
        self._record_undo(run)
        changed = run.wait is not run.base.wait or run.status != run.base.status
        if run.status == "waiting" and run.wait is not None and changed:
            run.emit(
                ev.WaitStarted(
                    flow_id=run.wait.flow_id,
                    node_id=run.wait.node_id,
                    timeout_at=run.wait.timeout_at,
                    expires_at=run.base.expires_at,
                )
            )
        return Sprint(session=run.freeze(), events=tuple(run.events), steps=run.steps)

    def _fail(self, run: Run, reason: str) -> None:
        run.status = "failed"
        run.wait = None
        run.emit(
            ev.FlowEnded(
                flow_id=run.frame.flow_id if run.frames else run.base.flow_id,
                node_id=run.frame.node_id if run.frames else None,
                outcome="failed",
                text=f"{run.say(m.FAILED)}\n[{reason}]",
            )
        )

    # --- inputs -----------------------------------------------------------------------------

    def _input(self, run: Run, value: Input) -> Step | None:
        if isinstance(value, VoiceInput):
            return self._heard(run, value)
        if run.wait is not None and run.wait.heard is not None:
            confirmed = self._confirm_heard(run, value)
            if confirmed is None:
                return WAIT
            value = confirmed
        if isinstance(value, TextInput):
            cmd = self._command_in(run.locale, value.text)
            if cmd is not None:
                value = CommandInput(command=cmd)
        if isinstance(value, CommandInput):
            if value.command is Command.URGENT:
                return self._interrupt(run, None)
            return self._command(run, value.command)
        assert isinstance(value, TextInput | ChoiceInput)
        if run.status == "paused":
            run.status = "waiting"
        if isinstance(value, TextInput) and self.safety and self.safety.match(value.text):
            if run.wait is not None and run.wait.safety_shown:
                self._flag_words(run, value.text)
            elif not self._in_safety_flow(run):
                return self._interrupt(run, value.text)
        return self._answer(run, value)

    def _heard(self, run: Run, value: VoiceInput) -> Step | None:
        """Read a voice transcript back; nothing is stored until the person confirms it."""
        text = value.text.strip()
        if run.status == "paused":
            run.status = "waiting"
        if not text:
            self._notice(run, "voice", run.say(m.VOICE_EMPTY))
            handler_for(run.node).ask(run, run.node, repeated=True)
            return WAIT
        if self.safety and self.safety.match(text) and not self._in_safety_flow(run):
            return self._interrupt(run, text)
        assert run.wait is not None
        run.wait = replace(run.wait, heard=text, heard_confidence=value.confidence)
        run.emit(
            ev.QuestionAsked(
                flow_id=run.frame.flow_id,
                node_id=run.frame.node_id,
                kind="voice_confirm",
                text=run.say(m.VOICE_HEARD, text=text),
                buttons=(
                    ev.Button(value="yes", label=run.say(m.VOICE_YES)),
                    ev.Button(value="retry", label=run.say(m.VOICE_RETRY)),
                    ev.Button(value="type", label=run.say(m.VOICE_TYPE)),
                ),
                can_go_back=bool(run.history),
            )
        )
        return WAIT

    def _confirm_heard(self, run: Run, value: Input) -> Input | None:
        """The person's answer to «Stemmer det?»: the transcript, a retry, or typing instead."""
        assert run.wait is not None and run.wait.heard is not None
        heard, confidence = run.wait.heard, run.wait.heard_confidence
        run.wait = replace(run.wait, heard=None, heard_confidence=None)
        choice = value.values[0] if isinstance(value, ChoiceInput) else None
        if isinstance(value, TextInput):
            word = a.normalize_word(value.text)
            words = self._words_for(run.locale)
            choice = "yes" if word in words.yes else "retry" if word in words.no else None
            if choice is None:
                return value  # they typed an answer instead: that is the answer
        if choice == "yes":
            return TextInput(text=heard, source="voice", confidence=confidence)
        if choice in ("retry", "type"):
            note = m.VOICE_RETRY_NOTE if choice == "retry" else m.VOICE_TYPE_NOTE
            self._notice(run, "voice", run.say(note))
            handler_for(run.node).ask(run, run.node, repeated=True)
            return None
        return value  # a command or another button: handled as usual

    def _in_safety_flow(self, run: Run) -> bool:
        return self.safety is not None and any(
            frame.flow_id == self.safety.flow_id for frame in run.frames
        )

    def _flag_words(self, run: Run, words: str) -> None:
        """The person has seen the safety path here already: tell the caseworker, don't loop."""
        run.emit(
            ev.FlagRaised(
                flow_id=run.frame.flow_id,
                node_id=run.frame.node_id,
                severity="high",
                reason="safety_words_repeated",
                trigger=words,
            )
        )

    def _interrupt(self, run: Run, trigger: str | None) -> Step | None:
        """Run the safety flow now, then ask the interrupted question again.

        The words that triggered it are not stored as an answer: they go with the flag only.
        """
        if self.safety is None:
            self._notice(run, "help", run.say(m.HELP))
            handler_for(run.node).ask(run, run.node, repeated=True)
            return WAIT
        if self._in_safety_flow(run):
            # Already in the safety flow: the person is answering it, not raising it again.
            if trigger:
                return self._answer(run, TextInput(text=trigger))
            handler_for(run.node).ask(run, run.node, repeated=True)
            return WAIT
        run.status = "waiting"
        run.frames.append(
            Frame(
                flow_id=self.safety.flow_id,
                node_id=self.flows[self.safety.flow_id].entry,
                interrupt=True,
                trigger=trigger,
                saved_wait=run.wait,
            )
        )
        run.wait = None
        return self._enter(run)

    def _answer(self, run: Run, value: TextInput | ChoiceInput) -> Step | None:
        node = run.node
        handler = handler_for(node)
        before = (run.frames[:], run.wait, run.answers, run.results)
        run.steps += 1  # executing the wait node with its input is a step, as in goflow
        step = handler.accept(run, node, value, self._words_for(run.locale))
        if isinstance(step, a.Rejected):
            assert run.wait is not None
            run.wait = replace(run.wait, attempts=run.wait.attempts + 1)
            run.emit(
                ev.InputRejected(
                    flow_id=run.frame.flow_id,
                    node_id=node.id,
                    text=run.say(step.message, **step.params),
                )
            )
            handler.ask(run, node, repeated=True)
            return WAIT
        run.seq += 1
        if step is not WAIT:
            run.wait = None
        self._push_history(run, before)
        return step  # type: ignore[no-any-return]

    def _push_history(self, run: Run, before: tuple[Any, ...]) -> None:
        """Remember the state before this input; the undo diff is taken when the sprint ends."""
        run.undo_base = before

    def _record_undo(self, run: Run) -> None:
        if run.undo_base is None:
            return
        frames, wait, answers, _results = run.undo_base
        answers_before = {key: answers.get(key) for key in run.touched_answers}
        results_before: dict[str, dict[str, Any]] = {}
        for (name, field_name), undo in run.touched_results.items():
            results_before.setdefault(name, {})[field_name] = undo
        snapshot = Snapshot(
            frames=tuple(frames),
            wait=wait,
            answers_before=answers_before,
            results_before=results_before,
        )
        run.history = (*run.history, snapshot)[-MAX_HISTORY:]

    def _command(self, run: Run, command: Command) -> Step | None:
        node = run.node
        handler = handler_for(node)
        if command is Command.STOP:
            run.status = "stopped"
            run.wait = None
            run.emit(
                ev.FlowEnded(
                    flow_id=run.frame.flow_id,
                    node_id=node.id,
                    outcome="stopped",
                    text=run.say(m.STOPPED),
                )
            )
            return None
        if command is Command.PAUSE:
            run.status = "paused"
            run.emit(ev.SessionPaused(flow_id=run.frame.flow_id, node_id=node.id))
            self._notice(run, "paused", run.say(m.PAUSED))
            return None
        if command is Command.HELP:
            help_text = run.text(node, "help", node.help) if node.help else run.say(m.HELP)
            self._notice(run, "help", help_text)
        elif command is Command.CONTINUE and run.status == "paused":
            self._notice(run, "continued", run.say(m.CONTINUED))
        elif command is Command.BACK:
            if self._back(run):
                node, handler = run.node, handler_for(run.node)
            else:
                self._notice(run, "first_question", run.say(m.FIRST_QUESTION))
        elif command is Command.SKIP:
            if handler.skippable(run, node):
                return self._skip(run, node)
            self._notice(run, "not_skippable", run.say(m.NOT_SKIPPABLE))
        run.status = "waiting"
        handler.ask(run, node, repeated=True)
        return WAIT

    def _skip(self, run: Run, node: Any) -> Step:
        before = (run.frames[:], run.wait, run.answers, run.results)
        if not isinstance(node, d.CollectNode):
            run.record_answer(node.id, None, "skipped")
        run.seq += 1
        run.status = "waiting"
        run.wait = None
        self._push_history(run, before)
        return Goto(node.next)

    def _back(self, run: Run) -> bool:
        if not run.history:
            return False
        snapshot = run.history[-1]
        run.history = run.history[:-1]
        run.frames = list(snapshot.frames)
        answers = dict(run.answers)
        for key, answer in snapshot.answers_before.items():
            if answer is None:
                answers.pop(key, None)
            else:
                answers[key] = answer
        results = dict(run.results)
        for name, fields in snapshot.results_before.items():
            result = dict(results.get(name, {}))
            for field_name, undo in fields.items():
                restored = _undo(result.get(field_name), undo)
                if restored is None:
                    result.pop(field_name, None)
                else:
                    result[field_name] = restored
            if result:
                results[name] = result
            else:
                results.pop(name, None)
        run.answers, run.results = answers, results
        run.wait = snapshot.wait
        return True

    def _notice(self, run: Run, notice: ev.Notice, text: str) -> None:
        run.emit(
            ev.NoticeShown(
                flow_id=run.frame.flow_id,
                node_id=run.frame.node_id,
                notice=notice,
                text=text,
            )
        )

    def _timeout(self, run: Run) -> Step | None:
        wait = run.wait
        if wait is None or wait.timeout_at is None or run.now < wait.timeout_at:
            return None  # not due (a late or duplicate scheduler call): nothing happens
        node = run.node
        timeout = node.timeout
        if timeout.next is not None:
            run.wait = None
            return Goto(timeout.next)
        reminder = (
            run.text(node, "timeout.reminder", timeout.reminder)
            if timeout.reminder
            else run.say(m.REMINDER)
        )
        self._notice(run, "reminder", reminder)
        run.wait = replace(wait, timeout_at=None)
        run.status = "waiting"
        handler_for(node).ask(run, node, repeated=True)
        return WAIT

    def _expire(self, run: Run) -> None:
        if run.now < run.base.expires_at:
            return
        run.status = "expired"
        run.wait = None
        run.emit(ev.FlowEnded(flow_id=run.base.flow_id, outcome="expired", text=run.say(m.EXPIRED)))

    # --- localized words --------------------------------------------------------------------

    def _words_for(self, locale: str) -> a.Words:
        words = self._words.get(locale)
        if words is None:
            words = a.Words(
                yes=self._word_set(locale, m.YES_WORDS),
                no=self._word_set(locale, m.NO_WORDS),
                done=self._word_set(locale, m.DONE_WORDS),
            )
            self._words[locale] = words
        return words

    def _word_set(self, locale: str, message: tuple[str, str]) -> frozenset[str]:
        """The locale's words plus the Bokmål ones (people mix languages)."""
        translated = self.localizer.text(locale, *message)
        raw = f"{translated},{message[1]}"
        words = (a.normalize_word(w) for w in raw.split(","))
        return frozenset(w for w in words if w)

    def _command_in(self, locale: str, raw: str) -> Command | None:
        table = self._commands.get(locale)
        if table is None:
            table = {}
            for command, message in m.COMMAND_WORDS.items():
                for word in self._word_set(locale, message):
                    table[word] = command
            self._commands[locale] = table
        stripped = raw.strip().lower()
        if stripped.split("@")[0] in SLASH_COMMANDS:
            return SLASH_COMMANDS[stripped.split("@")[0]]
        return table.get(a.normalize_word(raw))

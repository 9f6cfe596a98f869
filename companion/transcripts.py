"""Scripted runs of a flow, rendered as a human-readable transcript.

One script format serves ``companion flows run FLOW --answers FILE`` and the golden transcript
tests, so what content authors review in a diff is exactly what a person would see.

A script is YAML::

    flow: hevd            # optional when the flow is given on the command line
    locale: nb
    params: {rate_themes: true}
    results: {}           # results seeded from earlier sessions
    inputs:
      - Bolig                         # typed text
      - {choice: done}                # a button (or {choice: [1, 3]} for several)
      - {command: back}               # help, pause, continue, back, skip, stop, urgent
      - {voice: "Skole", confidence: 0.82}
      - {wait: 26h}                   # time passes; a due timeout/expiry is delivered
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from companion.flows import Engine, Session, Sprint
from companion.flows import events as ev
from companion.flows.events import event_to_dict
from companion.flows.inputs import (
    ChoiceInput,
    Command,
    CommandInput,
    Input,
    TextInput,
    VoiceInput,
)
from companion.yaml_dump import dump


class AdvancingClock(Protocol):
    def advance(self, delta: timedelta) -> None: ...


class ScriptError(ValueError):
    """A script line cannot be understood; the message names the line."""


@dataclass(frozen=True)
class Wait:
    """Time passing in a script."""

    delta: timedelta


Step = Input | Wait


@dataclass(frozen=True)
class Script:
    flow: str | None
    locale: str = "nb"
    params: Mapping[str, Any] = field(default_factory=dict)
    results: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()


_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(raw: str) -> timedelta:
    match = _DURATION.match(str(raw).strip())
    if not match:
        raise ScriptError(f"'{raw}' is not a duration like 30m, 26h or 8d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def parse_step(raw: Any, number: int) -> Step:
    """One script input (see the module docstring)."""
    if isinstance(raw, str | int | float) and not isinstance(raw, bool):
        return TextInput(text=str(raw))
    if not isinstance(raw, Mapping) or len(raw) not in (1, 2):
        raise ScriptError(f"input {number}: expected text or one of choice/command/voice/wait")
    if "choice" in raw:
        values = raw["choice"] if isinstance(raw["choice"], list) else [raw["choice"]]
        return ChoiceInput(values=tuple(str(v) for v in values))
    if "command" in raw:
        try:
            return CommandInput(command=Command(str(raw["command"])))
        except ValueError:
            names = ", ".join(c.value for c in Command)
            raise ScriptError(
                f"input {number}: unknown command '{raw['command']}' (expected one of: {names})"
            ) from None
    if "voice" in raw:
        return VoiceInput(text=str(raw["voice"]), confidence=raw.get("confidence"))
    if "text" in raw:
        return TextInput(text=str(raw["text"]))
    if "wait" in raw:
        return Wait(parse_duration(raw["wait"]))
    raise ScriptError(f"input {number}: unknown input {dict(raw)!r}")


def parse_script(document: Any, flow: str | None = None) -> Script:
    if isinstance(document, list):
        document = {"inputs": document}
    if not isinstance(document, Mapping):
        raise ScriptError("a script is a list of inputs or a mapping with 'inputs'")
    unknown = set(document) - {"flow", "locale", "params", "results", "inputs", "description"}
    if unknown:
        raise ScriptError(f"unknown keys in the script: {', '.join(sorted(unknown))}")
    steps = tuple(parse_step(raw, i) for i, raw in enumerate(document.get("inputs") or [], 1))
    return Script(
        flow=flow or document.get("flow"),
        locale=str(document.get("locale", "nb")),
        params=dict(document.get("params") or {}),
        results=dict(document.get("results") or {}),
        steps=steps,
    )


@dataclass
class Transcript:
    lines: list[str] = field(default_factory=list)
    sprints: list[Sprint] = field(default_factory=list)

    @property
    def session(self) -> Session:
        return self.sprints[-1].session

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def events_json(self) -> str:
        events = [[event_to_dict(e) for e in sprint.events] for sprint in self.sprints]
        return json.dumps(events, ensure_ascii=False, indent=1) + "\n"


def describe_input(value: Step) -> str:
    if isinstance(value, Wait):
        return f"… {value.delta} later"
    if isinstance(value, TextInput):
        mark = (
            f" (voice, {value.confidence:.2f})"
            if value.source == "voice" and value.confidence
            else ""
        )
        return f"you: {value.text}{mark}"
    if isinstance(value, ChoiceInput):
        return f"you: [{', '.join(value.values)}]"
    if isinstance(value, CommandInput):
        return f"you: /{value.command.value}"
    return f"you: <{value.kind}>"


def render_events(events: Iterable[Any]) -> list[str]:
    """Transcript lines for a sprint's events (what the person sees, plus short markers)."""
    lines: list[str] = []
    for event in events:
        lines.extend(_render(event))
    return lines


def _indent(prefix: str, text: str) -> list[str]:
    rows = text.split("\n")
    pad = " " * len(prefix)
    return [prefix + rows[0], *(pad + row for row in rows[1:])]


def _render(event: Any) -> list[str]:
    if isinstance(event, ev.MessageCreated):
        return _indent("bot: ", event.text)
    if isinstance(event, ev.QuestionAsked):
        lines = _indent("bot: ", event.text)
        if event.buttons:
            lines.append("     " + " ".join(f"[{b.value}: {b.label}]" for b in event.buttons))
        return lines
    if isinstance(event, ev.InputRejected):
        return _indent("bot (hint): ", event.text)
    if isinstance(event, ev.NoticeShown):
        return _indent(f"bot ({event.notice}): ", event.text)
    if isinstance(event, ev.FlagRaised):
        trigger = f" ← «{event.trigger}»" if event.trigger else ""
        return [f"-- flag: {event.severity} {event.reason}{trigger}"]
    if isinstance(event, ev.ConsentRecorded):
        return [
            f"-- consent: {event.consent} {event.version} {'granted' if event.granted else 'declined'}"
        ]
    if isinstance(event, ev.VisibilityRecorded):
        return [f"-- visibility: {event.result}.{event.field} → {', '.join(event.audiences)}"]
    if isinstance(event, ev.FlowEnded):
        return [*(_indent("bot: ", event.text) if event.text else []), f"-- ended: {event.outcome}"]
    return []


def run_script(engine: Engine, script: Script, clock: AdvancingClock | None = None) -> Transcript:
    """Run a script through the real engine and collect the transcript."""
    if script.flow is None:
        raise ScriptError("the script names no flow")
    transcript = Transcript()
    transcript.lines.append(f"# flow: {script.flow} · locale: {script.locale}")
    sprint = engine.start(
        script.flow, locale=script.locale, params=script.params, results=script.results
    )
    _add(transcript, sprint)
    for number, step in enumerate(script.steps, 1):
        session = transcript.session
        if not session.is_resumable:
            raise ScriptError(f"input {number}: the session is already {session.status}")
        transcript.lines.append(describe_input(step))
        if isinstance(step, Wait):
            if clock is None:
                raise ScriptError(f"input {number}: 'wait' needs a clock that can advance")
            clock.advance(step.delta)
            due = engine.due(session)
            if due is None:
                continue
            step = due
        _add(transcript, engine.resume(session, step))
    transcript.lines.append(f"== status: {transcript.session.status}")
    transcript.lines.append("== results")
    results = dict(transcript.session.results)
    dumped = dump(results)
    transcript.lines.extend(dumped.rstrip("\n").split("\n"))
    return transcript


def _add(transcript: Transcript, sprint: Sprint) -> None:
    transcript.sprints.append(sprint)
    transcript.lines.extend(render_events(sprint.events))

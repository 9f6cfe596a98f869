"""Chat through a flow in the terminal: the author's and the demo's front end.

Buttons are shown numbered; typing the number presses the button, anything else is sent as
typed text, and the universal commands work as words («tilbake», «hopp over», «stopp» …).
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterable
from typing import TextIO

from companion.flows import Sprint
from companion.flows import events as ev
from companion.flows.inputs import ChoiceInput, CommandInput, Input, TextInput, VoiceInput
from companion.transcripts import render_events

PRESSABLE = {"choice", "scale", "yes_no", "confirm", "consent", "visibility", "collect"}


def show(sprint: Sprint, out: TextIO) -> None:
    for event in sprint.events:
        if isinstance(event, ev.QuestionAsked):
            for line in render_events([dataclasses.replace(event, buttons=())]):
                print(line, file=out)
            plain_scale = event.kind == "scale" and all(b.label == b.value for b in event.buttons)
            if event.buttons and not plain_scale:  # a 1–10 scale is clear from its prompt
                numbered = "  ".join(f"[{i}] {b.label}" for i, b in enumerate(event.buttons, 1))
                hint = "  (skriv tallene, f.eks. 1, 3)" if event.multiple else ""
                print(f"     {numbered}{hint}", file=out)
        else:
            for line in render_events([event]):
                print(line, file=out)
    out.flush()


def to_input(line: str, question: ev.QuestionAsked | None) -> Input:
    """A typed line as engine input: a button number presses that button."""
    stripped = line.strip()
    if question and question.buttons and question.kind in PRESSABLE and stripped.isdecimal():
        index = int(stripped)
        if 1 <= index <= len(question.buttons):
            return ChoiceInput(values=(question.buttons[index - 1].value,))
    return TextInput(text=line.rstrip("\n"))


def play(
    first: Sprint,
    steps: Iterable[object],
    resume: Callable[[Input], Sprint],
    out: TextIO = sys.stdout,
) -> Sprint:
    """Show ``first``, then feed each scripted input (time-passing steps are skipped)."""
    from companion.transcripts import describe_input

    sprint = first
    show(sprint, out)
    for step in steps:
        if not isinstance(step, TextInput | ChoiceInput | CommandInput | VoiceInput):
            continue
        if not sprint.session.is_resumable:
            break
        print(describe_input(step), file=out)
        sprint = resume(step)
        show(sprint, out)
    return sprint


def chat(
    first: Sprint,
    resume: Callable[[Input], Sprint],
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> Sprint:
    """Show ``first`` and keep resuming with typed lines until the session ends or input does."""
    sprint = first
    question = first.question
    show(sprint, out)
    while sprint.session.is_resumable:
        print("you> ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            print("\n(pause — kjør samme kommando igjen for å fortsette der du slapp)", file=out)
            break
        sprint = resume(to_input(line, question))
        question = sprint.question or question
        show(sprint, out)
    return sprint

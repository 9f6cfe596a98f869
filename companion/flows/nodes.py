"""What each node type does when the engine reaches it, and how waits accept input.

One handler per node type, found in a registry keyed by the node's class (G8): adding a node
type means one model in ``definition`` and one handler here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Protocol

from companion.flows import answers as a
from companion.flows import definition as d
from companion.flows import events as ev
from companion.flows import messages as m
from companion.flows.conditions import evaluate
from companion.flows.inputs import ChoiceInput, TextInput
from companion.flows.run import FlowError, Run
from companion.flows.session import LoopState, Wait
from companion.flows.templates import item_text, render

MAX_SUBFLOW_DEPTH = 5
FACES = ("😢", "🙁", "😐", "🙂", "😄")


@dataclass(frozen=True)
class Goto:
    """Continue at ``target``; ``None`` finishes the current flow."""

    target: str | None


@dataclass(frozen=True)
class Enter:
    """Start a sub-flow."""

    flow_id: str


class WaitHere:
    """The node asked something and waits for input."""


WAIT = WaitHere()
Step = Goto | Enter | WaitHere
Answerable = TextInput | ChoiceInput


class Handler(Protocol):
    def enter(self, run: Run, node: Any) -> Step: ...


class WaitHandler(Handler, Protocol):
    def ask(self, run: Run, node: Any, repeated: bool) -> None: ...

    def accept(
        self, run: Run, node: Any, value: Answerable, words: a.Words
    ) -> Step | a.Rejected: ...

    def skippable(self, run: Run, node: Any) -> bool: ...


def start_wait(run: Run, node: Any, collected: int = 0) -> None:
    timeout = getattr(node, "timeout", None)
    run.wait = Wait(
        flow_id=run.frame.flow_id,
        node_id=node.id,
        started_at=run.now,
        timeout_at=run.now + timedelta(seconds=timeout.after_seconds) if timeout else None,
        collected=collected,
    )


def question_event(run: Run, node: Any, text: str, repeated: bool, **extra: Any) -> None:
    run.emit(
        ev.QuestionAsked(
            flow_id=run.frame.flow_id,
            node_id=node.id,
            kind=getattr(node, "kind", None) or node.type,
            text=text,
            optional=node.optional if isinstance(node, d._Question) else False,
            can_go_back=bool(run.history),
            repeated=repeated,
            **extra,
        )
    )


class MessageHandler:
    def enter(self, run: Run, node: d.MessageNode) -> Step:
        run.emit(
            ev.MessageCreated(
                flow_id=run.frame.flow_id, node_id=node.id, text=run.text(node, "text", node.text)
            )
        )
        return Goto(node.next)


class EndHandler:
    def enter(self, run: Run, node: d.EndNode) -> Step:
        if node.text:
            run.emit(
                ev.MessageCreated(
                    flow_id=run.frame.flow_id,
                    node_id=node.id,
                    text=run.text(node, "text", node.text),
                )
            )
        return Goto(None)


class BranchHandler:
    def enter(self, run: Run, node: d.BranchNode) -> Step:
        for case in node.cases:
            if evaluate(case.when, run.lookup):
                return Goto(case.next)
        return Goto(node.default)


class FlagHandler:
    def enter(self, run: Run, node: d.FlagNode) -> Step:
        run.emit(
            ev.FlagRaised(
                flow_id=run.frame.flow_id,
                node_id=node.id,
                severity=node.severity,
                reason=node.reason,
                trigger=next((f.trigger for f in reversed(run.frames) if f.trigger), None),
            )
        )
        return Goto(node.next)


class SetHandler:
    def enter(self, run: Run, node: d.SetNode) -> Step:
        value = node.value
        if isinstance(value, str) and "{" in value:
            value = render(value, run.lookup, run.localizer, run.locale)
        run.save(node.save, value)
        return Goto(node.next)


class SubflowHandler:
    def enter(self, run: Run, node: d.SubflowNode) -> Step:
        if len(run.frames) >= MAX_SUBFLOW_DEPTH:
            raise FlowError(f"sub-flows nested deeper than {MAX_SUBFLOW_DEPTH} at '{node.id}'")
        return Enter(node.flow)


class LoopHandler:
    """Entering a loop starts it; coming back to it from the body moves to the next item."""

    def enter(self, run: Run, node: d.LoopNode) -> Step:
        loops = run.frame.loops
        current = next((s for s in loops if s.node_id == node.id), None)
        if current is None:
            count = len(run.list_at(node.over))
            if count == 0:
                return Goto(node.next)
            run.set_loops((*loops, LoopState(node_id=node.id, index=0, count=count)))
            return Goto(node.body)
        outer = tuple(s for s in loops if s.node_id != node.id)
        if current.index + 1 < current.count:
            run.set_loops((*outer, replace(current, index=current.index + 1)))
            return Goto(node.body)
        run.set_loops(outer)
        return Goto(node.next)


# --- waits --------------------------------------------------------------------------------


class _WaitBase:
    def enter(self, run: Run, node: Any) -> Step:
        start_wait(run, node)
        self.ask(run, node, repeated=False)  # type: ignore[attr-defined]
        return WAIT

    def skippable(self, run: Run, node: Any) -> bool:
        return bool(getattr(node, "optional", False))


def _static_options(run: Run, node: Any) -> list[tuple[str, str]]:
    key = (run.locale, run.frame.flow_id, node.id)
    cached = run.labels.get(key)
    if cached is None:
        cached = [(o.value, run.text(node, f"options.{o.value}", o.label)) for o in node.options]
        if not any("{" in o.label for o in node.options):  # only fixed labels can be reused
            run.labels[key] = cached
    return cached


def _dynamic_options(run: Run, node: d.MultiChoiceQuestion) -> list[tuple[str, str]]:
    if node.options_from is None:
        return _static_options(run, node)
    items = run.list_at(node.options_from)
    return [(str(i), item_text(item)) for i, item in enumerate(items, 1)]


def _button(value: str, label: str) -> ev.Button:
    return ev.Button(value=value, label=label)


def _buttons(options: list[tuple[str, str]]) -> tuple[ev.Button, ...]:
    return tuple(_button(value, label) for value, label in options)


def _yes_no_buttons(
    run: Run, yes: str | None = None, no: str | None = None
) -> tuple[ev.Button, ...]:
    return (
        _button(value="yes", label=yes or run.translate(m.YES_LABEL)),
        _button(value="no", label=no or run.translate(m.NO_LABEL)),
    )


class QuestionHandler(_WaitBase):
    """All question kinds: ask with the right buttons, parse by kind, save, move on."""

    def ask(self, run: Run, node: Any, repeated: bool) -> None:
        text = run.text(node, "prompt", node.prompt)
        extra: dict[str, Any] = {}
        if isinstance(node, d.ChoiceQuestion):
            extra["buttons"] = _buttons(_static_options(run, node))
        elif isinstance(node, d.MultiChoiceQuestion):
            extra["buttons"] = _buttons(_dynamic_options(run, node))
            extra["multiple"] = True
            extra["max_choices"] = node.max_choices
        elif isinstance(node, d.ScaleQuestion):
            text, extra["buttons"] = self._scale(run, node, text)
        elif isinstance(node, d.YesNoQuestion):
            extra["buttons"] = _yes_no_buttons(run)
        elif isinstance(node, d.TextQuestion):
            extra["voice"] = node.voice
        question_event(run, node, text, repeated, **extra)

    def _scale(
        self, run: Run, node: d.ScaleQuestion, prompt: str
    ) -> tuple[str, tuple[ev.Button, ...]]:
        low = run.text(node, "low_label", node.low_label)
        high = run.text(node, "high_label", node.high_label)
        ends = run.say(m.SCALE_ENDS, min=node.min, max=node.max, low=low, high=high)
        values = range(node.min, node.max + 1)
        labels = FACES if node.faces else tuple(str(v) for v in values)
        buttons = tuple(
            _button(value=str(v), label=lbl) for v, lbl in zip(values, labels, strict=True)
        )
        return f"{prompt}\n{ends}", buttons

    def accept(self, run: Run, node: Any, value: Answerable, words: a.Words) -> Step | a.Rejected:
        outcome = self._parse(run, node, value, words)
        if isinstance(outcome, a.Rejected):
            return outcome
        confidence = value.confidence if isinstance(value, TextInput) else None
        stored = outcome.value
        if isinstance(node, d.MultiChoiceQuestion) and node.options_from is not None:
            items = run.list_at(node.options_from)
            # copies, so the chosen list never shares objects with the list it came from
            stored = [
                dict(items[int(v) - 1])
                if isinstance(items[int(v) - 1], dict)
                else items[int(v) - 1]
                for v in outcome.value
            ]
        run.record_answer(node.id, stored, outcome.source, confidence)
        run.save(node.save, stored)
        return Goto(self._next(node, outcome.value))

    def _parse(self, run: Run, node: Any, value: Answerable, words: a.Words) -> a.Outcome:
        if isinstance(node, d.ChoiceQuestion):
            return a.parse_choice(_static_options(run, node), value)
        if isinstance(node, d.MultiChoiceQuestion):
            options = _dynamic_options(run, node)
            return a.parse_multi(options, node.min_choices, node.max_choices, value)
        if isinstance(node, d.ScaleQuestion):
            return a.parse_scale(node, value)
        if isinstance(node, d.YesNoQuestion):
            return a.parse_yes_no(words, value)
        if isinstance(value, ChoiceInput):
            return a.Rejected(m.HINT_STALE_BUTTON, {})
        if isinstance(node, d.TextQuestion):
            return a.parse_text(node, value)
        if isinstance(node, d.NumberQuestion):
            return a.parse_number(node, value)
        return a.parse_date(node, value, run.now.date())

    def _next(self, node: Any, value: Any) -> str | None:
        if isinstance(node, d.ChoiceQuestion):
            option = next(o for o in node.options if o.value == value)
            return option.next or node.next
        if isinstance(node, d.YesNoQuestion):
            chosen = node.yes_next if value else node.no_next
            return chosen or node.next
        return node.next  # type: ignore[no-any-return]


class CollectHandler(_WaitBase):
    """Ask for one item at a time until the person is done or the maximum is reached."""

    def ask(self, run: Run, node: d.CollectNode, repeated: bool) -> None:
        collected = run.wait.collected if run.wait else 0
        first = collected == 0
        text = (
            run.text(node, "prompt", node.prompt)
            if first
            else run.text(node, "more_prompt", node.more_prompt)
        )
        can_finish = collected >= node.min_items
        buttons = (
            (_button(value="done", label=run.text(node, "done_label", node.done_label)),)
            if can_finish
            else ()
        )
        question_event(run, node, text, repeated, buttons=buttons, voice=node.voice)

    def skippable(self, run: Run, node: d.CollectNode) -> bool:
        return node.min_items == 0 or (
            run.wait is not None and run.wait.collected >= node.min_items
        )

    def accept(
        self, run: Run, node: d.CollectNode, value: Answerable, words: a.Words
    ) -> Step | a.Rejected:
        collected = run.wait.collected if run.wait else 0
        if self._is_done(run, node, value, words):
            if collected < node.min_items:
                return a.Rejected(m.HINT_COLLECT_MIN, {"min": node.min_items})
            return Goto(node.next)
        if isinstance(value, ChoiceInput):
            return a.Rejected(m.HINT_STALE_BUTTON, {})
        outcome = a.parse_text(node, value)
        if isinstance(outcome, a.Rejected):
            return outcome
        item: dict[str, Any] = {"text": outcome.value, **self._item_fields(run, node)}
        if outcome.source == "voice":
            item["source"] = "voice"
        run.record_answer(
            f"{node.id}#{collected + 1}", outcome.value, outcome.source, value.confidence
        )
        if node.save is not None:
            run.save(node.save.model_copy(update={"mode": "append"}), item)
        if collected + 1 >= node.max_items:
            return Goto(node.next)
        start_wait(run, node, collected=collected + 1)
        self.ask(run, node, repeated=False)
        return WAIT

    def _item_fields(self, run: Run, node: d.CollectNode) -> dict[str, Any]:
        """Constant item fields; text ones may use placeholders (``theme: "{item.text}"``)."""
        return {
            key: render(value, run.lookup, run.localizer, run.locale)
            if isinstance(value, str)
            else value
            for key, value in node.item_fields.items()
        }

    def _is_done(self, run: Run, node: d.CollectNode, value: Answerable, words: a.Words) -> bool:
        if isinstance(value, ChoiceInput):
            return value.values == ("done",)
        typed = a.normalize_word(value.text)
        label = a.normalize_word(run.text(node, "done_label", node.done_label))
        return typed in words.done or typed == label


class ConfirmHandler(_WaitBase):
    def ask(self, run: Run, node: d.ConfirmNode, repeated: bool) -> None:
        buttons = _yes_no_buttons(
            run,
            run.text(node, "yes_label", node.yes_label),
            run.text(node, "no_label", node.no_label),
        )
        question_event(run, node, run.text(node, "text", node.text), repeated, buttons=buttons)

    def accept(
        self, run: Run, node: d.ConfirmNode, value: Answerable, words: a.Words
    ) -> Step | a.Rejected:
        outcome = a.parse_yes_no(words, _labels_to_yes_no(run, node, value))
        if isinstance(outcome, a.Rejected):
            return outcome
        run.record_answer(node.id, outcome.value, outcome.source)
        return Goto(node.next if outcome.value else node.on_no)


def _labels_to_yes_no(run: Run, node: Any, value: Answerable) -> Answerable:
    """Typing a button's own label («Nei, endre») counts as pressing it."""
    if isinstance(value, TextInput):
        typed = a.normalize_word(value.text)
        for choice, label in (("yes", node.yes_label), ("no", node.no_label)):
            prop = "yes_label" if choice == "yes" else "no_label"
            if typed == a.normalize_word(run.text(node, prop, label)):
                return ChoiceInput(values=(choice,))
    return value


class ConsentHandler(_WaitBase):
    def ask(self, run: Run, node: d.ConsentNode, repeated: bool) -> None:
        buttons = _yes_no_buttons(
            run,
            run.text(node, "yes_label", node.yes_label),
            run.text(node, "no_label", node.no_label),
        )
        question_event(run, node, run.text(node, "prompt", node.prompt), repeated, buttons=buttons)

    def accept(
        self, run: Run, node: d.ConsentNode, value: Answerable, words: a.Words
    ) -> Step | a.Rejected:
        outcome = a.parse_yes_no(words, _labels_to_yes_no(run, node, value))
        if isinstance(outcome, a.Rejected):
            return outcome
        granted = bool(outcome.value)
        run.record_answer(node.id, granted, outcome.source)
        run.save(node.save, granted)
        run.emit(
            ev.ConsentRecorded(
                flow_id=run.frame.flow_id,
                node_id=node.id,
                consent=node.consent,
                version=node.version,
                granted=granted,
                text=run.text(node, "prompt", node.prompt),
            )
        )
        return Goto(node.next if granted else node.on_decline)


class VisibilityHandler(_WaitBase):
    def ask(self, run: Run, node: d.VisibilityNode, repeated: bool) -> None:
        buttons = _buttons(_static_options(run, node))
        question_event(run, node, run.text(node, "prompt", node.prompt), repeated, buttons=buttons)

    def accept(
        self, run: Run, node: d.VisibilityNode, value: Answerable, words: a.Words
    ) -> Step | a.Rejected:
        outcome = a.parse_choice(_static_options(run, node), value)
        if isinstance(outcome, a.Rejected):
            return outcome
        option = next(o for o in node.options if o.value == outcome.value)
        run.record_answer(node.id, option.value, outcome.source)
        for target in node.applies_to:
            name = run.result_name(target.result)
            visibility = dict(run.results.get(name, {}).get("_visibility", {}))
            visibility[target.field] = list(option.audiences)
            run.set_result_key(name, "_visibility", visibility)
            run.emit(
                ev.VisibilityRecorded(
                    flow_id=run.frame.flow_id,
                    node_id=node.id,
                    result=name,
                    field=target.field,
                    audiences=option.audiences,
                )
            )
        return Goto(node.next)


_QUESTIONS = QuestionHandler()
HANDLERS: dict[type, Any] = {
    d.MessageNode: MessageHandler(),
    d.EndNode: EndHandler(),
    d.BranchNode: BranchHandler(),
    d.FlagNode: FlagHandler(),
    d.SetNode: SetHandler(),
    d.SubflowNode: SubflowHandler(),
    d.LoopNode: LoopHandler(),
    d.CollectNode: CollectHandler(),
    d.ConfirmNode: ConfirmHandler(),
    d.ConsentNode: ConsentHandler(),
    d.VisibilityNode: VisibilityHandler(),
    **{cls: _QUESTIONS for cls in d.WAIT_NODE_TYPES if issubclass(cls, d._Question)},
}
"""Node class → handler. Every node class in ``definition.Node`` must be here (tested)."""


def handler_for(node: Any) -> Any:
    try:
        return HANDLERS[type(node)]
    except KeyError:
        raise FlowError(f"no handler for node type {type(node).__name__}") from None

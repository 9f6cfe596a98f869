"""The working state of one sprint: a mutable scratch copy of a session, frozen again at the end.

Results are updated copy-on-write (only the changed path is copied), so the previous session's
data is never mutated and ``back`` can restore it by reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from companion.flows import definition as d
from companion.flows import events as ev
from companion.flows import strings
from companion.flows.ports import Localizer
from companion.flows.session import Answer, Frame, LoopState, Session, Snapshot, Wait
from companion.flows.templates import render


class FlowError(Exception):
    """The content cannot run (a bug in a flow that validation should have caught)."""


@dataclass
class Run:
    """One sprint's scratch state."""

    base: Session
    flows: Mapping[str, d.Flow]
    nodes: Mapping[str, Mapping[str, Any]]
    """Node by id per flow: a plain-dict index the engine builds once (hot path)."""
    localizer: Localizer
    now: datetime
    frames: list[Frame]
    answers: dict[str, Answer]
    results: dict[str, dict[str, Any]]
    status: str
    wait: Wait | None
    history: tuple[Snapshot, ...]
    seq: int
    events: list[Any] = field(default_factory=list)
    steps: int = 0
    labels: dict[tuple[str, str, str], list[tuple[str, str]]] = field(default_factory=dict)
    """Translated option labels by (locale, flow, node), shared across sprints by the engine."""
    touched_answers: set[str] = field(default_factory=set)
    touched_results: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """How to undo each result field this sprint changed, in the smallest form that works:
    ``{"length": n}`` after appends, ``{"index": i, "item": x}`` after one item changed,
    ``{"value": x}`` otherwise (``None``: the field did not exist)."""
    undo_base: tuple[Any, ...] | None = None
    """State before the input this sprint accepted (frames, wait, answers, results)."""

    @classmethod
    def of(
        cls,
        session: Session,
        flows: Mapping[str, d.Flow],
        nodes: Mapping[str, Mapping[str, Any]],
        localizer: Localizer,
        now: datetime,
        labels: dict[tuple[str, str, str], list[tuple[str, str]]] | None = None,
    ) -> Run:
        return cls(
            base=session,
            flows=flows,
            nodes=nodes,
            labels={} if labels is None else labels,
            localizer=localizer,
            now=now,
            frames=list(session.frames),
            answers=session.answers,
            results=session.results,
            status=session.status,
            wait=session.wait,
            history=session.history,
            seq=session.seq,
        )

    def freeze(self) -> Session:
        return self.base.model_copy(
            update={
                "frames": tuple(self.frames),
                "answers": self.answers,
                "results": self.results,
                "status": self.status,
                "wait": self.wait,
                "history": self.history,
                "seq": self.seq,
                "updated_at": self.now,
            }
        )

    # --- where we are -------------------------------------------------------------------

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    @property
    def flow(self) -> d.Flow:
        return self.flows[self.frame.flow_id]

    @property
    def node(self) -> Any:
        frame = self.frames[-1]
        return self.nodes[frame.flow_id][frame.node_id]

    def node_by_id(self, node_id: str) -> Any:
        return self.nodes[self.frames[-1].flow_id][node_id]

    @property
    def locale(self) -> str:
        return self.base.locale

    def set_frame(self, frame: Frame) -> None:
        self.frames[-1] = frame

    def emit(self, event: Any) -> None:
        self.events.append(event)

    # --- text ---------------------------------------------------------------------------

    def translate(self, message: tuple[str, str]) -> str:
        return self.localizer.text(self.locale, message[0], message[1])

    def say(self, message: tuple[str, str], **params: Any) -> str:
        """An engine message, translated and filled in."""
        return render(
            self.translate(message), lambda ref: params.get(ref), self.localizer, self.locale
        )

    def text(self, node: Any, prop: str, source: str) -> str:
        """A flow text, translated by its context and filled in from the session."""
        translated = self.localizer.text(
            self.locale, strings.context(self.frame.flow_id, node.id, prop), source
        )
        if "{" not in translated and "}" not in translated:
            return translated
        return render(translated, self.lookup, self.localizer, self.locale)

    # --- reading values -----------------------------------------------------------------

    def answer_key(self, node_id: str) -> str:
        suffix = "".join(f"[{loop.index}]" for loop in self.frame.loops)
        return f"{self.frame.flow_id}.{node_id}{suffix}"

    def lookup(self, ref: str) -> Any:
        """The value a reference (``answers.x``, ``results.r.f``, ``item.f``…) points at."""
        root, _, rest = ref.partition(".")
        parts = rest.split(".") if rest else []
        value: Any
        if root == "answers":
            value = self._answer_value(parts[0]) if parts else None
            parts = parts[1:]
        elif root == "results":
            value = self.results
        elif root == "item":
            value = self.current_item()
        elif root == "params":
            value = self._params()
        elif root == "loop":
            value = self._loop_info()
        else:
            return None
        for part in parts:
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def _answer_value(self, node_id: str) -> Any:
        answer = self.answers.get(self.answer_key(node_id)) or self.answers.get(
            f"{self.frame.flow_id}.{node_id}"
        )
        return answer.value if answer else None

    def _params(self) -> dict[str, Any]:
        defaults = {name: p.default for name, p in self.flow.params.items()}
        return {**defaults, **self.base.params}

    def _loop_info(self) -> dict[str, Any]:
        if not self.frame.loops:
            return {}
        loop = self.frame.loops[-1]
        return {"index": loop.index + 1, "count": loop.count}

    def list_at(self, ref: d.ListRef) -> list[Any]:
        value = self.results.get(self.result_name(ref.result), {}).get(ref.field)
        return value if isinstance(value, list) else []

    def result_name(self, name: str | None) -> str:
        resolved = name or self.flow.default_result
        if resolved is None:
            raise FlowError(f"{self.flow.id}: no result named and no default_result")
        return resolved

    def current_item(self) -> Any:
        if not self.frame.loops:
            return None
        loop = self.frame.loops[-1]
        node = self.node_by_id(loop.node_id)
        items = self.list_at(node.over)
        return items[loop.index] if loop.index < len(items) else None

    # --- writing values (copy-on-write) -------------------------------------------------

    def record_answer(
        self, node_id: str, value: Any, source: str, confidence: float | None = None
    ) -> None:
        key = self.answer_key(node_id)
        answer = Answer(value=value, source=source, confidence=confidence, at=self.now)  # type: ignore[arg-type]
        self.touched_answers.add(key)
        self.answers = {**self.answers, key: answer}
        self.emit(
            ev.AnswerRecorded(
                flow_id=self.frame.flow_id,
                node_id=node_id,
                key=key,
                value=value,
                source=source,
                confidence=confidence,
            )
        )

    def save(self, target: d.SaveTo | None, value: Any) -> None:
        if target is None or value is None:
            return
        if target.item:
            self._save_on_item(target, value)
            return
        name = self.result_name(target.result)
        result = dict(self.results.get(name, {}))
        current = result.get(target.field)
        if target.mode != "set" and isinstance(current, list):
            self._touch(name, target.field, {"length": len(current)})
        else:
            self._touch(name, target.field, {"value": current})
        result[target.field] = self._apply(target.mode, current, value)
        self.results = {**self.results, name: result}

    def set_result_key(self, name: str, key: str, value: Any) -> None:
        result = dict(self.results.get(name, {}))
        self._touch(name, key, {"value": result.get(key)})
        result[key] = value
        self.results = {**self.results, name: result}

    def _touch(self, name: str, key: str, undo: dict[str, Any]) -> None:
        """Remember how to undo a change; the first change of a field in a sprint wins."""
        self.touched_results.setdefault((name, key), undo)

    def _save_on_item(self, target: d.SaveTo, value: Any) -> None:
        if not self.frame.loops:
            raise FlowError(f"{self.flow.id}: 'save.item' outside a loop")
        loop = self.frame.loops[-1]
        over: d.ListRef = self.node_by_id(loop.node_id).over
        name = self.result_name(over.result)
        items = list(self.list_at(over))
        if loop.index >= len(items):
            return
        earlier = items[loop.index]
        item = dict(earlier) if isinstance(earlier, dict) else {"text": earlier}
        item[target.field] = self._apply(target.mode, item.get(target.field), value)
        items[loop.index] = item
        self._touch(name, over.field, {"index": loop.index, "item": earlier})
        result = dict(self.results.get(name, {}))
        result[over.field] = items
        self.results = {**self.results, name: result}

    def _apply(self, mode: str, current: Any, value: Any) -> Any:
        existing = list(current) if isinstance(current, list) else []
        if mode == "append":
            return [*existing, value]
        if mode == "extend":
            return [*existing, *(value if isinstance(value, list) else [value])]
        if mode == "record":
            return [*existing, {"value": value, "at": self.now.isoformat()}]
        return value

    # --- moving -------------------------------------------------------------------------

    def goto(self, node_id: str) -> None:
        self.frames[-1] = self.frames[-1].at(node_id)

    def set_loops(self, loops: tuple[LoopState, ...]) -> None:
        self.set_frame(replace(self.frames[-1], loops=loops))

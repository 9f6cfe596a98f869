"""Declarative conditions for branching: data, never ``eval``.

A condition names a value by reference (``answers.tried``, ``results.hevd.themes``,
``item.quality``, ``params.rate_themes``) and exactly one test, or combines conditions with
``all`` / ``any`` / ``not``.
"""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

REF_ROOTS = ("answers", "results", "item", "params", "loop")
Ref = Annotated[
    str, StringConstraints(pattern=r"^(answers|results|item|params|loop)(\.[a-z0-9_]+)+$")
]
JsonScalar = str | int | float | bool | None

VALUE_TESTS = (
    "equals",
    "not_equals",
    "in_",
    "at_least",
    "at_most",
    "is_empty",
    "count_at_least",
    "count_at_most",
    "contains",
)
COMBINATORS = ("all", "any", "not_")


class Condition(BaseModel):
    """One test on one referenced value, or a combination of conditions.

    Example:
        {ref: answers.tried, in: [not_yet, did_not_fit]}
        {any: [{ref: results.hevd.themes, is_empty: true}, {ref: params.prompts, equals: true}]}
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    ref: Ref | None = None
    equals: JsonScalar = None
    not_equals: JsonScalar = None
    in_: tuple[JsonScalar, ...] | None = Field(default=None, alias="in")
    at_least: float | None = None
    at_most: float | None = None
    is_empty: bool | None = None
    count_at_least: int | None = None
    count_at_most: int | None = None
    contains: JsonScalar = None
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        chosen = [name for name in (*VALUE_TESTS, *COMBINATORS) if name in self.model_fields_set]
        names = ", ".join(n.rstrip("_") for n in (*VALUE_TESTS, *COMBINATORS))
        if len(chosen) != 1:
            raise ValueError(f"a condition needs exactly one test (one of: {names})")
        if chosen[0] in VALUE_TESTS and self.ref is None:
            raise ValueError(f"the test '{chosen[0].rstrip('_')}' needs a 'ref'")
        if chosen[0] in COMBINATORS and self.ref is not None:
            raise ValueError(f"'{chosen[0].rstrip('_')}' combines conditions and takes no 'ref'")
        return self

    def test_name(self) -> str:
        return next(n for n in (*VALUE_TESTS, *COMBINATORS) if n in self.model_fields_set)

    def refs(self) -> list[str]:
        """Every reference this condition reads (for validation)."""
        if self.ref is not None:
            return [self.ref]
        children = [*(self.all or ()), *(self.any or ()), *([self.not_] if self.not_ else [])]
        return [ref for child in children for ref in child.refs()]


def evaluate(condition: Condition, lookup: Callable[[str], Any]) -> bool:
    """Evaluate a condition; ``lookup(ref)`` returns the referenced value or ``None``."""
    test = condition.test_name()
    if test == "all":
        return all(evaluate(c, lookup) for c in condition.all or ())
    if test == "any":
        return any(evaluate(c, lookup) for c in condition.any or ())
    if test == "not_":
        assert condition.not_ is not None
        return not evaluate(condition.not_, lookup)
    assert condition.ref is not None
    return _VALUE_TESTS[test](lookup(condition.ref), getattr(condition, test))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict) and "value" in value:  # a recorded rating {value, at}
        return _number(value["value"])
    if isinstance(value, list) and value:  # a history: compare its latest entry
        return _number(value[-1])
    return None


def _count(value: Any) -> int:
    return len(value) if isinstance(value, Sized) and not isinstance(value, str) else 0


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | dict) and not value)


def _at_least(value: Any, bound: float) -> bool:
    number = _number(value)
    return number is not None and number >= bound


def _at_most(value: Any, bound: float) -> bool:
    number = _number(value)
    return number is not None and number <= bound


def _contains(value: Any, needle: Any) -> bool:
    if isinstance(value, list):
        return needle in value or any(isinstance(v, dict) and needle in v.values() for v in value)
    return isinstance(value, str) and isinstance(needle, str) and needle in value


_VALUE_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": lambda value, expected: value == expected,
    "not_equals": lambda value, expected: value != expected,
    "in_": lambda value, options: value in options,
    "at_least": _at_least,
    "at_most": _at_most,
    "is_empty": lambda value, expected: _is_empty(value) == expected,
    "count_at_least": lambda value, bound: _count(value) >= bound,
    "count_at_most": lambda value, bound: _count(value) <= bound,
    "contains": _contains,
}

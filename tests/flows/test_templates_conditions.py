"""Templates and declarative conditions."""

from __future__ import annotations

import pytest

from companion.flows.conditions import Condition, evaluate
from companion.flows.fakes import SourceLocalizer
from companion.flows.templates import TemplateError, placeholders, render

VALUES = {
    "results.hevd.themes": [{"text": "Bolig"}, {"text": "Skole"}, {"text": "Venner"}],
    "answers.tried": "partly",
    "item.rating": [{"value": 3, "at": "x"}, {"value": 8, "at": "y"}],
    "params.rate": True,
    "answers.count": 4,
}


def lookup(ref: str):
    return VALUES.get(ref)


def fill(template: str) -> str:
    return render(template, lookup, SourceLocalizer(), "nb")


def test_filters() -> None:
    assert fill("{results.hevd.themes}") == "Bolig, Skole og Venner"
    assert fill("{results.hevd.themes|bullets}") == "• Bolig\n• Skole\n• Venner"
    assert fill("{results.hevd.themes|numbered}") == "1. Bolig\n2. Skole\n3. Venner"
    assert fill("{results.hevd.themes|count} ting") == "3 ting"
    assert fill("{answers.missing}!") == "!"
    assert fill("{{literal}} {answers.tried}") == "{literal} partly"


def test_template_syntax_errors() -> None:
    with pytest.raises(TemplateError, match="not a placeholder"):
        placeholders("Hei {navn")
    with pytest.raises(TemplateError, match="unknown filter 'x'"):
        placeholders("{answers.a|x}")
    assert placeholders("{a.b|list} og {c.d}") == [("a.b", "list"), ("c.d", None)]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"ref": "answers.tried", "equals": "partly"}, True),
        ({"ref": "answers.tried", "not_equals": "partly"}, False),
        ({"ref": "answers.tried", "in": ["yes", "partly"]}, True),
        ({"ref": "answers.count", "at_least": 4}, True),
        ({"ref": "answers.count", "at_most": 3}, False),
        ({"ref": "item.rating", "at_least": 8}, True),  # the latest of a history
        ({"ref": "results.hevd.themes", "count_at_least": 3}, True),
        ({"ref": "results.hevd.themes", "count_at_most": 2}, False),
        ({"ref": "results.hevd.missing", "is_empty": True}, True),
        ({"ref": "results.hevd.themes", "contains": "Skole"}, True),
        (
            {
                "all": [
                    {"ref": "params.rate", "equals": True},
                    {"ref": "answers.count", "at_least": 1},
                ]
            },
            True,
        ),
        (
            {
                "any": [
                    {"ref": "params.rate", "equals": False},
                    {"ref": "answers.count", "at_least": 9},
                ]
            },
            False,
        ),
        ({"not": {"ref": "params.rate", "equals": True}}, False),
    ],
)
def test_conditions(condition: dict, expected: bool) -> None:
    assert evaluate(Condition.model_validate(condition), lookup) is expected


def test_condition_errors() -> None:
    with pytest.raises(ValueError, match="exactly one test"):
        Condition.model_validate({"ref": "answers.a"})
    with pytest.raises(ValueError, match="needs a 'ref'"):
        Condition.model_validate({"equals": 1})
    with pytest.raises(ValueError, match="takes no 'ref'"):
        Condition.model_validate({"ref": "answers.a", "all": []})
    with pytest.raises(ValueError):
        Condition.model_validate({"ref": "__import__('os')", "equals": 1})

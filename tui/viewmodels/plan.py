"""The tiltaksplan draft: its fields (003:3477-3525), filling it from the youth's answers.

A plan has up to three Hovedmål, each with a Varighet and up to three Delmål; every Delmål has
Tiltak, Hvem må inn, BVs oppgaver, Ungdommens oppgaver and Tidspunkt for evaluering, as in the
template and in the ``tiltaksplan`` result of the ``hevd_goals`` flow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from tui.viewmodels.values import items

MAX_HOVEDMAL = 3
MAX_DELMAL = 3
DELMAL_FIELDS = (
    "text",
    "tiltak",
    "hvem_ma_inn",
    "bv_oppgaver",
    "ungdommens_oppgaver",
    "tidspunkt_for_evaluering",
)
"""A Delmål's fields, named as in the ``tiltaksplan`` result (``text`` is the Delmål itself)."""
HOVEDMAL_FIELDS = ("text", "varighet")


@dataclass
class Delmal:
    text: str = ""
    tiltak: str = ""
    hvem_ma_inn: str = ""
    bv_oppgaver: str = ""
    ungdommens_oppgaver: str = ""
    tidspunkt_for_evaluering: str = ""

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in DELMAL_FIELDS)


def _delmal_slots() -> list[Delmal]:
    return [Delmal() for _ in range(MAX_DELMAL)]


@dataclass
class Hovedmal:
    text: str = ""
    varighet: str = ""
    theme: str = ""
    """The HEVD theme it came from (a hint, not a field of the template)."""
    delmal: list[Delmal] = field(default_factory=_delmal_slots)

    @property
    def empty(self) -> bool:
        return not (self.text.strip() or self.varighet.strip()) and all(
            d.empty for d in self.delmal
        )


def _hovedmal_slots() -> list[Hovedmal]:
    return [Hovedmal() for _ in range(MAX_HOVEDMAL)]


@dataclass
class Plan:
    """Always three Hovedmål slots with three Delmål slots each; empty ones are not exported."""

    hovedmal: list[Hovedmal] = field(default_factory=_hovedmal_slots)

    def filled(self) -> list[Hovedmal]:
        return [h for h in self.hovedmal if not h.empty]

    def to_data(self) -> dict[str, Any]:
        return {
            "hovedmal": [
                {
                    "text": h.text,
                    "varighet": h.varighet,
                    "theme": h.theme,
                    "delmal": [
                        {name: getattr(d, name) for name in DELMAL_FIELDS}
                        for d in h.delmal
                        if not d.empty
                    ],
                }
                for h in self.filled()
            ]
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Plan:
        plan = cls()
        goals = items(data, "hovedmal")
        for slot, raw in zip(plan.hovedmal, goals, strict=False):
            if not isinstance(raw, Mapping):
                continue
            slot.text, slot.varighet = _s(raw.get("text")), _s(raw.get("varighet"))
            slot.theme = _s(raw.get("theme"))
            subs = items(raw, "delmal")
            for sub_slot, sub in zip(slot.delmal, subs, strict=False):
                if isinstance(sub, Mapping):
                    _fill(sub_slot, sub)
        return plan


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _fill(delmal: Delmal, raw: Mapping[str, Any]) -> None:
    for f in fields(delmal):
        setattr(delmal, f.name, _s(raw.get(f.name)))


def from_tiltaksplan(result: Mapping[str, Any]) -> Plan:
    """A plan from the ``tiltaksplan`` result the youth made in ``hevd_goals``."""
    plan = Plan()
    goals = [g for g in result.get("hovedmal") or [] if isinstance(g, Mapping)]
    subs = [d for d in result.get("delmal") or [] if isinstance(d, Mapping)]
    for slot, goal in zip(plan.hovedmal, goals, strict=False):
        slot.text, slot.varighet = _s(goal.get("text")), _s(goal.get("varighet"))
        slot.theme = _s(goal.get("theme"))
        mine = [d for d in subs if d.get("hovedmal") == goal.get("text")]
        for sub_slot, sub in zip(slot.delmal, mine, strict=False):
            _fill(sub_slot, sub)
    return plan


def from_hevd(result: Mapping[str, Any]) -> Plan:
    """An empty plan whose Hovedmål slots carry the youth's most important themes as hints."""
    plan = Plan()
    top = [t for t in result.get("top_themes") or [] if isinstance(t, Mapping)]
    for slot, theme in zip(plan.hovedmal, top, strict=False):
        slot.theme = _s(theme.get("text"))
    return plan

"""Answer any question sensibly by its kind: drives benchmarks, load and chaos runs.

Deterministic for a given ``seed`` so a run can be repeated; never types safety terms.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from companion.flows import events as ev
from companion.flows.inputs import ChoiceInput, Input, TextInput

WORDS = ("Bolig", "Skole", "Venner", "Jobb", "Økonomi", "Trening", "Mormor", "Fotball")


class Autopilot:
    """Picks an answer for a question; collects ``items_per_list`` items, then says done."""

    def __init__(self, seed: int = 0, items_per_list: int = 2) -> None:
        self.random = random.Random(seed)  # noqa: S311 - repeatable test data, not security
        self.items_per_list = items_per_list
        self._collected: dict[str, int] = {}

    def answer(self, question: ev.QuestionAsked) -> Input:
        kind = question.kind
        buttons = question.buttons
        if kind == "collect":
            node_key = question.node_id or ""
            count = self._collected.get(node_key, 0)
            if count >= self.items_per_list and buttons:
                self._collected[node_key] = 0
                return ChoiceInput(values=(buttons[0].value,))
            self._collected[node_key] = count + 1
            return TextInput(text=f"{self.random.choice(WORDS)} {count + 1}")
        if kind in ("confirm", "consent", "yes_no"):
            return ChoiceInput(values=("yes",))
        if kind == "multi_choice" and buttons:
            upper = min(len(buttons), question.max_choices or len(buttons))
            chosen = self.random.sample([b.value for b in buttons], k=self.random.randint(1, upper))
            return ChoiceInput(values=tuple(chosen))
        if buttons:
            return ChoiceInput(values=(self.random.choice(buttons).value,))
        if kind == "number":
            return TextInput(text=str(self.random.randint(5, 12)))
        if kind == "date":
            day = date.today() + timedelta(days=self.random.randint(7, 60))
            return TextInput(text=day.strftime("%d.%m.%Y"))
        return TextInput(text=f"Svar {self.random.randint(1, 999)}: {self.random.choice(WORDS)}")

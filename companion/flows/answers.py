"""Turn an input into an answer value for a question, or say kindly why it does not fit.

Pure functions; no engine state. ``Words`` carries the localized yes/no/done words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from companion.flows import definition as d
from companion.flows import messages as m
from companion.flows.inputs import ChoiceInput, TextInput

_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}|\d{2})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}


@dataclass(frozen=True)
class Accepted:
    value: Any
    source: str


@dataclass(frozen=True)
class Rejected:
    message: tuple[str, str]
    params: dict[str, Any]


Outcome = Accepted | Rejected


@dataclass(frozen=True)
class Words:
    """Localized answer words (lower-case, normalized)."""

    yes: frozenset[str]
    no: frozenset[str]
    done: frozenset[str]


def clean_text(raw: str) -> str:
    """Normalize to NFC, drop control and invisible format characters, trim whitespace.

    Keeps newlines and tabs as spaces so the person's words stay as written.
    """
    if raw.isascii() and raw.isprintable():
        return raw.strip()  # the common case: nothing to normalize or remove
    text = unicodedata.normalize("NFC", raw)
    kept = []
    for char in text:
        if char in "\n\t":
            kept.append(" " if char == "\t" else char)
        elif unicodedata.category(char) not in _INVISIBLE:
            kept.append(char)
    return "".join(kept).strip()


def normalize_word(raw: str) -> str:
    """Lower-case words without punctuation: for matching commands, yes/no words and labels."""
    return " ".join(re.sub(r"[^\w\s]", " ", clean_text(raw).lower()).split())


def parse_text(node: d.TextQuestion | d.CollectNode, value: TextInput) -> Outcome:
    text = clean_text(value.text)
    max_length = node.max_length if isinstance(node, d.TextQuestion) else d.MAX_TEXT_LENGTH
    if not text:
        return Rejected(m.HINT_TEXT_EMPTY, {})
    if len(text) > max_length:
        return Rejected(m.HINT_TEXT_LONG, {"max": max_length})
    return Accepted(text, value.source)


def _option_values(options: list[tuple[str, str]], raw: str) -> str | None:
    """Match a typed answer to an option: its number, its value or its label."""
    word = normalize_word(raw)
    if word.isdecimal() and 1 <= int(word) <= len(options):
        return options[int(word) - 1][0]
    for value, label in options:
        if word in (value, normalize_word(label)):
            return value
    return None


def parse_choice(options: list[tuple[str, str]], value: TextInput | ChoiceInput) -> Outcome:
    labels = ", ".join(f"{i}. {label}" for i, (_, label) in enumerate(options, 1))
    if isinstance(value, ChoiceInput):
        chosen = value.values[0] if len(value.values) == 1 else None
        if chosen not in {v for v, _ in options}:
            return Rejected(m.HINT_STALE_BUTTON, {})
        return Accepted(chosen, "button")
    matched = _option_values(options, value.text)
    if matched is None:
        return Rejected(m.HINT_CHOICE, {"options": labels})
    return Accepted(matched, value.source)


def parse_multi(
    options: list[tuple[str, str]],
    min_choices: int,
    max_choices: int | None,
    value: TextInput | ChoiceInput,
) -> Outcome:
    upper = max_choices or len(options)
    if isinstance(value, ChoiceInput):
        chosen = list(dict.fromkeys(value.values))
        if not set(chosen) <= {v for v, _ in options}:
            return Rejected(m.HINT_STALE_BUTTON, {})
        source = "button"
    else:
        parts = [p for p in re.split(r"[,;\s]+|\bog\b|\band\b", value.text) if p.strip()]
        if not parts:
            parts = [value.text]
        matched = [_option_values(options, p) for p in parts]
        if any(v is None for v in matched):
            # A label with spaces ("Bo for meg selv") is matched whole before giving up.
            whole = _option_values(options, value.text)
            if whole is None:
                return Rejected(m.HINT_MULTI, {"max": upper})
            matched = [whole]
        chosen = list(dict.fromkeys(v for v in matched if v is not None))
        source = value.source
    if len(chosen) < min_choices:
        return Rejected(m.HINT_MULTI_TOO_FEW, {"min": min_choices})
    if len(chosen) > upper:
        return Rejected(m.HINT_MULTI_TOO_MANY, {"max": upper})
    return Accepted(chosen, source)


def parse_scale(node: d.ScaleQuestion, value: TextInput | ChoiceInput) -> Outcome:
    raw = value.values[0] if isinstance(value, ChoiceInput) else normalize_word(value.text)
    hint = Rejected(m.HINT_SCALE, {"min": node.min, "max": node.max})
    if not re.fullmatch(r"\d{1,2}", raw):
        return hint
    number = int(raw)
    if not node.min <= number <= node.max:
        return hint
    return Accepted(number, "button" if isinstance(value, ChoiceInput) else value.source)


def parse_yes_no(words: Words, value: TextInput | ChoiceInput) -> Outcome:
    if isinstance(value, ChoiceInput):
        if value.values[0] not in ("yes", "no"):
            return Rejected(m.HINT_STALE_BUTTON, {})
        return Accepted(value.values[0] == "yes", "button")
    word = normalize_word(value.text)
    if word in words.yes or word == "1":
        return Accepted(True, value.source)
    if word in words.no or word == "2":
        return Accepted(False, value.source)
    return Rejected(m.HINT_YES_NO, {})


def parse_number(node: d.NumberQuestion, value: TextInput) -> Outcome:
    raw = clean_text(value.text).replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not re.fullmatch(r"[-−]?\d{1,12}(\.\d{1,6})?", raw):
        return _number_hint(node)
    number = float(raw.replace("−", "-"))
    if node.integer and not number.is_integer():
        return Rejected(m.HINT_NUMBER_WHOLE, {})
    if (node.min is not None and number < node.min) or (node.max is not None and number > node.max):
        return _number_hint(node)
    return Accepted(int(number) if node.integer else number, value.source)


def _number_hint(node: d.NumberQuestion) -> Rejected:
    if node.min is not None and node.max is not None:
        return Rejected(m.HINT_NUMBER_RANGE, {"min": node.min, "max": node.max})
    return Rejected(m.HINT_NUMBER, {})


def parse_date(node: d.DateQuestion, value: TextInput, today: date) -> Outcome:
    raw = clean_text(value.text)
    hint = Rejected(m.HINT_DATE, {"example": today.replace(day=min(today.day, 28))})
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            year = int(match["y"])
            year += 2000 if year < 100 else 0
            try:
                parsed = date(year, int(match["m"]), int(match["d"]))
            except ValueError:
                return hint
            if not node.allow_past and parsed < today:
                return Rejected(m.HINT_DATE_PAST, {})
            if not node.allow_future and parsed > today:
                return Rejected(m.HINT_DATE_FUTURE, {})
            return Accepted(parsed.isoformat(), value.source)
    return hint

"""The safety lexicon: words that mean someone may be in danger, matched in any language.

The terms are content (``companion/content/safety.yaml``); this module only matches them.
Matching is deliberately generous (any shipped language, whole words or phrases, case- and
accent-insensitive): a false alarm costs a kind message, a miss can cost much more.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


def _fold(text: str) -> str:
    """Lower-case, compatibility-normalized, punctuation as spaces, single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = "".join(ch if ch.isalnum() else " " for ch in folded)
    return " ".join(folded.split())


@dataclass(frozen=True)
class SafetyLexicon:
    """Terms per locale and the flow to run when one is found."""

    flow_id: str
    terms: Mapping[str, Sequence[str]]
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        folded = sorted({_fold(t) for ts in self.terms.values() for t in ts if _fold(t)}, key=len)
        if folded:
            alternatives = "|".join(re.escape(t) for t in reversed(folded))
            object.__setattr__(self, "_pattern", re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"))

    def match(self, text: str) -> str | None:
        """The first term found in ``text``, or ``None``."""
        if self._pattern is None:
            return None
        found = self._pattern.search(_fold(text))
        return found.group(0) if found else None

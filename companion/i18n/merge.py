"""Merging a new template into a translated catalog, matching by context first."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from babel.messages import Catalog, Message


@dataclass(frozen=True)
class MergeResult:
    new: int
    """Messages with no translation to carry over."""
    changed: int
    """Messages whose source changed: old translation kept, marked fuzzy."""
    obsolete: int
    """Translations no longer in the template (kept as ``#~`` entries, never counted)."""


def merge(catalog: Catalog, template: Catalog) -> MergeResult:
    """Update ``catalog`` in place from ``template``, keeping every translation we can.

    Babel's own fuzzy matching compares msgids across all contexts, so it can attach another
    item's translation. Contexts are our stable keys (``flow:node:property``), so a changed
    text is matched by its context instead; a renamed node by its unchanged text.
    """
    before = {_key(m) for m in catalog if m.id}
    obsolete_before = set(catalog.obsolete)
    # Babel puts the template's own Message objects into the catalog for new entries, so
    # filling one locale would fill the next; each merge gets its own copy.
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
    by_context, by_id = _index(catalog, "context"), _index(catalog, "id")
    new = changed = 0
    for message in catalog:
        if not message.id or message.string:
            continue
        old_key = by_context.get(message.context) or by_id.get(message.id)
        old = catalog.obsolete.get(old_key) if old_key is not None else None
        if old_key is None or old is None or not isinstance(old.string, str) or not old.string:
            new += _key(message) not in before
            continue
        del catalog.obsolete[old_key]
        changed += _carry(message, old)
    for key in [k for k, m in catalog.obsolete.items() if not m.string]:
        del catalog.obsolete[key]  # an untranslated obsolete entry carries nothing worth keeping
    obsolete = len(set(catalog.obsolete) - obsolete_before)
    return MergeResult(new=new, changed=changed, obsolete=obsolete)


def _carry(message: Message, old: Message) -> bool:
    """Reuse an obsolete entry's translation; fuzzy (True) unless it is the same message."""
    message.string = old.string
    if old.id == message.id and old.context == message.context:
        return False
    message.flags.add("fuzzy")
    message.previous_id = [str(old.id)]
    return True


def _index(catalog: Catalog, attr: str) -> dict[Any, Any]:
    """Obsolete entries by context (or id); a value shared by several entries is no match."""
    groups: dict[Any, list[Any]] = {}
    for key, message in catalog.obsolete.items():
        groups.setdefault(getattr(message, attr), []).append(key)
    return {value: keys[0] for value, keys in groups.items() if value and len(keys) == 1}


def _key(message: Message) -> tuple[str, str | None]:
    return (str(message.id), message.context)

"""YAML output for people: Unicode as is, no anchors/aliases, keys in their given order."""

from __future__ import annotations

from typing import Any

import yaml


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=100)

"""A benchmark figure with its target, and the report that rewrites docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    bench: str
    name: str
    value: float
    unit: str
    target: float | None = None
    """A lower bound the figure must reach (None: informational, e.g. a baseline)."""
    note: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value >= self.target

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        return f"{self.target:,.0f}" if self.target >= 10 else f"{self.target:g}"

    def line(self) -> str:
        target = (
            f"  (target ≥ {self.target_text}: {'met' if self.met else 'NOT MET'})"
            if self.target
            else ""
        )
        note = f"  [{self.note}]" if self.note else ""
        return f"{self.name:<48} {self.value:>12,.1f} {self.unit}{target}{note}"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def write_report(path: Path, figures: Sequence[Figure], command: str) -> None:
    rows = ["| bench | figure | value | target | met |", "|---|---|---:|---:|---|"]
    for f in figures:
        target = f"≥ {f.target_text} {f.unit}" if f.target else "—"
        met = "—" if f.met is None else ("yes" if f.met else "**no**")
        note = f" ({f.note})" if f.note else ""
        rows.append(f"| {f.bench} | {f.name}{note} | {f.value:,.1f} {f.unit} | {target} | {met} |")
    text = "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by the benchmark run itself; do not edit by hand. Reproduce with:",
            "",
            f"    {command}",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {_commit()}",
            f"- Machine: {machine()}",
            "- Figures and their baselines are measured in the same run, so ratios compare like",
            "  with like on a shared, noisy machine; absolute numbers vary between runs.",
            "",
            *rows,
            "",
        ]
    )
    path.write_text(text, encoding="utf-8")

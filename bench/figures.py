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
    """A bound the figure must reach (None: informational, e.g. a baseline)."""
    note: str = ""
    higher_is_better: bool = True
    """False: the target is an upper bound (latency, memory, losses: at most)."""

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value != self.value:  # NaN: not measured
            return None if self.target is None else False
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    @property
    def relation(self) -> str:
        return "≥" if self.higher_is_better else "≤"

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        return f"{self.target:,.0f}" if self.target >= 10 else f"{self.target:g}"

    def line(self) -> str:
        target = (
            f"  (target {self.relation} {self.target_text}: {'met' if self.met else 'NOT MET'})"
            if self.target is not None
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
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {_databases()}"
    )


def _databases() -> str:
    """SQLite (the stdlib's) and SQLCipher (the bundled one, with its own SQLite) versions."""
    import sqlite3

    text = f"SQLite {sqlite3.sqlite_version}"
    try:
        from sqlcipher3 import dbapi2 as sqlcipher

        conn = sqlcipher.connect(":memory:")
        try:
            cipher = conn.execute("PRAGMA cipher_version").fetchone()
            inner = conn.execute("SELECT sqlite_version()").fetchone()[0]
        finally:
            conn.close()
        text += f", SQLCipher {cipher[0] if cipher else 'unknown'} (SQLite {inner})"
    except ImportError:
        text += ", SQLCipher not installed"
    return text


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


ABOUT = (
    "## What the runs do",
    "",
    "- **engine**: the flow engine alone, then persisted resumes on SQLite and SQLCipher.",
    "- **bot**: N people answer a six-question flow through the Bot API stand-in over loopback",
    "  HTTP, against our bot and a PTB ConversationHandler + PicklePersistence baseline. The",
    "  baseline polls with PTB's Updater and handles one update at a time, its answers only in",
    "  memory; ours polls again once its replies are out, handles what gathered in one",
    "  transaction (group commit: one encrypted WAL write for the batch) and confirms the",
    "  updates to Telegram only after that commit.",
    "- **reminders**: dispatcher cost per tick by what is due vs what is scheduled; dispatch",
    "  through the real bot at Telegram's 30 msg/s ceiling, then with the ceiling lifted.",
    "- **tui**: the caseworker TUI under Textual's Pilot on a generated database.",
    "- **voice**: speech-to-text real-time factors per backend and clip length; text-to-speech.",
    "- **chaos** (`python -m bench.chaos`): the bot (`companion bot run`, encrypted SQLite)",
    "  and the reminder dispatcher (`companion reminders run`) run as real processes and are",
    "  SIGKILLed at random moments and restarted, while simulated people redeem invites and go",
    "  through",
    "  onboarding, HEVD and the network map (youth) or the FV check-in (parents), pressing a",
    "  button again when no reply comes. Afterwards every answer a person saw acknowledged is",
    "  looked up in the database (lost), and nothing may be stored twice (duplicated); every",
    "  conversation must reach its end; every meeting reminder due during the run must arrive",
    "  once. Typing the same words again is not simulated by default (`--retry-text`): the",
    "  bot cannot tell a repeated message from a new answer.",
    "- **load** (`python -m bench.load`): many people at once answer a long text flow through",
    "  the stand-in against the bot process, first each answering the moment the reply comes",
    "  (saturation: latency ≈ people / throughput), then taking ~10 s per answer as people do;",
    "  latency is from the update queued to the reply recorded; memory is the bot process's",
    "  VmHWM. Per-chat pacing is off in bot, chaos and load, so they measure the bot, not",
    "  Telegram's 1 message/s per chat.",
    "",
)


def write_report(path: Path, figures: Sequence[Figure], command: str) -> None:
    rows = ["| bench | figure | value | target | met |", "|---|---|---:|---:|---|"]
    for f in figures:
        target = f"{f.relation} {f.target_text} {f.unit}" if f.target is not None else "—"
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
            *ABOUT,
        ]
    )
    path.write_text(text, encoding="utf-8")

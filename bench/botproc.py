"""The bot as a real subprocess (``python -m companion bot run``) against the Bot API stand-in,
on an encrypted SQLite file: what ``bench.chaos`` and ``bench.load`` start, kill and measure.

The stand-in runs in the harness's own event loop on 127.0.0.1; the bot finds it through
``COMPANION_TELEGRAM_API_URL``. Settings that are not secrets go in a TOML file
(``COMPANION_CONFIG``), the key and the token in the environment, as in a deployment.
"""

from __future__ import annotations

import ctypes
import logging
import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import SecretStr

from companion.config import Settings

USERNAME = "companion_bench_bot"


class BotCrashed(RuntimeError):
    """The bot ended by itself again and again (e.g. it cannot start): the run is void."""


class _Disconnects(logging.Filter):
    """Drop the stand-in's report of a request cut off by a killed bot (expected here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, ConnectionError)


def _die_with_parent() -> None:
    """Linux: the bot gets SIGKILL when the harness dies, so no orphan keeps polling."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass  # not Linux: the harness's own cleanup has to do


_PR_SET_PDEATHSIG = 1


def quiet_disconnects() -> None:
    """A SIGKILLed bot leaves half-read requests; everything else the stand-in logs stays."""
    logging.getLogger("bots.telegram.standin.server").addFilter(_Disconnects())


@dataclass
class BotProcess:
    """One bot (or dispatcher) subprocess at a time; ``start`` again after ``kill``."""

    workdir: Path
    api_url: str
    token: str
    chat_interval: float = 0.0
    global_rate: float = 1000.0
    extra_env: dict[str, str] = field(default_factory=dict)
    key: str = field(default_factory=lambda: secrets.token_hex(32))
    command: tuple[str, ...] = ("bot", "run")
    """``companion`` arguments: the bot, or e.g. ``("reminders", "run")`` beside it."""
    name: str = "bot"
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0
    _log: IO[bytes] | None = None

    @property
    def db_path(self) -> Path:
        return self.workdir / "companion.db"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def settings(self, **changes: Any) -> Settings:
        """The same settings the subprocess reads, for the harness's own connection."""
        values: dict[str, Any] = {
            "db_path": self.db_path,
            "db_key": SecretStr(self.key),
            "telegram_token": SecretStr(self.token),
            "telegram_bot_username": USERNAME,
            "bot_chat_interval": self.chat_interval,
            "bot_global_rate": self.global_rate,
        }
        return Settings(**{**values, **changes})

    def env(self) -> dict[str, str]:
        config = self.workdir / "companion.toml"
        config.write_text(
            "[companion]\n"
            f"bot_chat_interval = {self.chat_interval}\n"
            f"bot_global_rate = {self.global_rate}\n",
            encoding="utf-8",
        )
        return {
            **os.environ,
            "COMPANION_CONFIG": str(config),
            "COMPANION_DB": str(self.db_path),
            "COMPANION_DB_KEY": self.key,
            "COMPANION_TELEGRAM_TOKEN": self.token,
            "COMPANION_TELEGRAM_BOT_USERNAME": USERNAME,
            "COMPANION_TELEGRAM_API_URL": self.api_url,
            "PTB_TIMEDELTA": "1",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def start(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("the bot is already running")
        if self._log is None:
            self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "companion", *self.command],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=self.env(),
            preexec_fn=_die_with_parent,
        )
        self.starts += 1

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def crashed(self) -> bool:
        """It ended by itself (not by our SIGKILL or SIGTERM): it could not start or died."""
        if self.proc is None or self.proc.poll() is None:
            return False
        return self.proc.returncode not in (-signal.SIGKILL, -signal.SIGTERM, 0)

    def last_words(self) -> str:
        """The log's last line (why it would not start; logs carry no message content)."""
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1] if lines else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the machine loses power."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM (a normal stop) and wait; SIGKILL if it hangs."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log is not None:
            self._log.close()
            self._log = None

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory (VmHWM) while it runs."""
        if self.proc is None:
            return float("nan")
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return float("nan")
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def log_problems(self) -> list[str]:
        """ERROR lines and tracebacks the bot logged (logs carry no message content)."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []
        return [line for line in lines if " ERROR " in line and _SHUTDOWN_NOISE not in line]


_SHUTDOWN_NOISE = "one more time to mark all fetched updates"
"""PTB's last getUpdates on SIGTERM races the long poll it just cancelled; the updates it
could not mark are fetched again after a restart and the bot ignores them (processed keys)."""

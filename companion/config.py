"""Settings from the environment (and an optional TOML file): one place for every knob.

Secrets (the database key, the Telegram token) come from the environment or files with strict
permissions, never from the command line, so they stay out of shell history and process lists.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

DEFAULT_DB = Path("var/companion.db")


class ConfigError(ValueError):
    """A setting is wrong; the message names the setting."""


class Settings(BaseModel):
    """Everything a deployment configures."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    db_path: Path = DEFAULT_DB
    """The SQLite database file (``COMPANION_DB``)."""
    db_key: SecretStr | None = None
    """The SQLCipher key (``COMPANION_DB_KEY`` or ``COMPANION_DB_KEY_FILE``)."""
    db_key_file: Path | None = None
    allow_plaintext: bool = False
    """Allow an unencrypted database (``COMPANION_ALLOW_PLAINTEXT=1``; never for real data)."""
    content_dirs: tuple[Path, ...] = ()
    """Content packs that add or replace flows (``COMPANION_CONTENT_DIRS``, ``:``-separated)."""
    default_locale: str = "nb"
    demo: bool = False
    """Demo mode: fictitious data only."""
    extra: dict[str, Any] = Field(default_factory=dict)

    # --- the Telegram bot ----------------------------------------------------------------
    telegram_token: SecretStr | None = None
    """The bot token (``COMPANION_TELEGRAM_TOKEN``); a secret, never logged or put in TOML."""
    telegram_bot_username: str | None = None
    """The bot's @name for invite links (``COMPANION_TELEGRAM_BOT_USERNAME``)."""
    telegram_api_url: str | None = None
    """Another Bot API server, e.g. a self-hosted one or the local stand-in
    (``COMPANION_TELEGRAM_API_URL``, like ``http://127.0.0.1:8081``); None: Telegram's."""
    bot_secret: SecretStr | None = None
    """Signs buttons and keys rate limits (``COMPANION_BOT_SECRET``); if unset it is derived
    from the database key."""
    bot_mode: Literal["polling", "webhook"] = "polling"
    """``COMPANION_BOT_MODE``."""
    webhook_url: str | None = None
    """The public HTTPS URL Telegram posts updates to (``COMPANION_WEBHOOK_URL``)."""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    """Checked on every webhook request (``COMPANION_WEBHOOK_SECRET``; generated if unset)."""
    office_hours: str = "mon-fri 08:00-15:30"
    """When messages are usually read (``COMPANION_OFFICE_HOURS``), in ``timezone``."""
    timezone: str = "Europe/Oslo"
    bot_chat_interval: float = Field(default=1.0, ge=0)
    """Seconds between two messages to one chat (Telegram: about 1 per second)."""
    bot_global_rate: float = Field(default=30.0, gt=0)
    """Messages per second over all chats (Telegram: about 30)."""

    # --- privacy: safety escalation and retention (companion.retention) -----------------
    flag_escalation_hours: float = Field(default=24.0, gt=0)
    """An unacknowledged high flag shows (without its words) to leaders after this long
    (``COMPANION_FLAG_ESCALATION_HOURS``)."""
    retention_audio_days: int = Field(default=0, ge=0)
    """Kept voice notes are deleted after this many days (``COMPANION_RETENTION_AUDIO_DAYS``)."""
    retention_closed_case_months: int = Field(default=12, ge=1)
    """Answers, results and conversations of a case closed this long ago are deleted
    (``COMPANION_RETENTION_CLOSED_CASE_MONTHS``)."""
    retention_inbox_days: int = Field(default=365, ge=1)
    """Messages between meetings older than this are deleted (``COMPANION_RETENTION_INBOX_DAYS``)."""
    audio_dir: Path | None = None
    """Where kept voice notes are (``COMPANION_AUDIO_DIR``); retention and deletion clean it."""

    @property
    def key(self) -> str | None:
        return self.db_key.get_secret_value() if self.db_key else None


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from ``COMPANION_CONFIG`` (TOML), then the environment, then ``overrides``."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    config_file = env.get("COMPANION_CONFIG")
    if config_file:
        values.update(_read_toml(Path(config_file)))
    if env.get("COMPANION_DB"):
        values["db_path"] = Path(env["COMPANION_DB"])
    if env.get("COMPANION_DB_KEY_FILE"):
        values["db_key_file"] = Path(env["COMPANION_DB_KEY_FILE"])
    if env.get("COMPANION_CONTENT_DIRS"):
        values["content_dirs"] = tuple(
            Path(p) for p in env["COMPANION_CONTENT_DIRS"].split(":") if p
        )
    if "COMPANION_ALLOW_PLAINTEXT" in env:
        values["allow_plaintext"] = _flag(env["COMPANION_ALLOW_PLAINTEXT"])
    for name, setting in _BOT_ENV.items():
        if env.get(name):
            values[setting] = env[name]
    values.update({k: v for k, v in overrides.items() if v is not None})
    key = _resolve_key(env, values.get("db_key_file"))
    if key is not None and "db_key" not in values:
        values["db_key"] = SecretStr(key)
    try:
        return Settings.model_validate(values)
    except ValueError as error:
        raise ConfigError(f"invalid settings: {error}") from None


_BOT_ENV = {
    "COMPANION_TELEGRAM_TOKEN": "telegram_token",
    "COMPANION_TELEGRAM_BOT_USERNAME": "telegram_bot_username",
    "COMPANION_TELEGRAM_API_URL": "telegram_api_url",
    "COMPANION_BOT_SECRET": "bot_secret",
    "COMPANION_BOT_MODE": "bot_mode",
    "COMPANION_WEBHOOK_URL": "webhook_url",
    "COMPANION_WEBHOOK_SECRET": "webhook_secret",
    "COMPANION_OFFICE_HOURS": "office_hours",
    "COMPANION_TIMEZONE": "timezone",
    "COMPANION_FLAG_ESCALATION_HOURS": "flag_escalation_hours",
    "COMPANION_RETENTION_AUDIO_DAYS": "retention_audio_days",
    "COMPANION_RETENTION_CLOSED_CASE_MONTHS": "retention_closed_case_months",
    "COMPANION_RETENTION_INBOX_DAYS": "retention_inbox_days",
    "COMPANION_AUDIO_DIR": "audio_dir",
}
_SECRETS = ("db_key", "telegram_token", "bot_secret", "webhook_secret")


def _resolve_key(env: Mapping[str, str], key_file: Path | None) -> str | None:
    from companion.store.keys import resolve_key

    return resolve_key(env, key_file)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"COMPANION_CONFIG: cannot read {path} ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"COMPANION_CONFIG: {path} is not valid TOML ({error})") from None
    section = data.get("companion", data)
    if "db_key" in section:
        raise ConfigError(
            f"{path}: put the database key in COMPANION_DB_KEY or a 0600 key file, not the config"
        )
    secrets = [name for name in _SECRETS[1:] if name in section]
    if secrets:
        raise ConfigError(
            f"{path}: {', '.join(secrets)} are secrets: set them in the environment, not the config"
        )
    return dict(section)

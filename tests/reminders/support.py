"""Helpers for the reminder tests: a clock the test moves, families ready for reminders, and
services on the fakes or on SQLite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from companion.config import Settings
from companion.content import Content, load_content
from companion.flows.inputs import choice, text
from companion.ports import OutboxItem, Participant
from companion.reminders import Reminders
from companion.reminders.dispatcher import Dispatcher, Policy
from companion.services import Services, build_services, memory_services

OSLO = ZoneInfo("Europe/Oslo")
SECRET = "test-secret-" + "x" * 24
_CONTENT: list[Content] = []


def content() -> Content:
    if not _CONTENT:
        _CONTENT.append(load_content())
    return _CONTENT[0]


class ManualClock:
    """A clock that only moves when the test says so (time travel)."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class Ids:
    def __init__(self, prefix: str = "i") -> None:
        self.prefix = prefix
        self.n = 0

    def new_id(self) -> str:
        self.n += 1
        return f"{self.prefix}{self.n:05d}"


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Wall-clock time in Oslo as an aware datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def memory(clock: ManualClock) -> Services:
    return memory_services(
        Settings(bot_secret=SECRET),
        clock=clock,
        ids=Ids(),
        content=content(),
    )


def sqlite(clock: ManualClock, path: Path, ids: Ids | None = None) -> Services:
    settings = Settings(db_path=path, allow_plaintext=True, bot_secret=SECRET)
    return build_services(
        settings, clock=clock, ids=ids or Ids(), content=content(), migrate_now=True
    )


def make_services(kind: str, clock: ManualClock, tmp_path: Path) -> Services:
    return memory(clock) if kind == "memory" else sqlite(clock, tmp_path / "companion.db")


def family(
    services: Services,
    name: str = "Nadia",
    *,
    chat: int = 4242,
    locale: str = "nb",
    consent: bool = True,
) -> Participant:
    """A caseworker «kari», a case, a parent linked to a Telegram chat who consented."""
    directory = services.directory
    kari = directory.get_caseworker_by_username("kari") or directory.add_caseworker(
        "kari", "Kari", "caseworker", "x"
    )
    case = directory.add_case(kari.id, f"Familien {name}")
    parent = directory.add_participant(case.id, "parent", name, locale=locale)
    directory.link_channel(parent.id, "telegram", str(chat))
    if consent:
        flows = services.channel_flows
        sprint = flows.start("onboarding", participant_id=parent.id, locale=locale)
        for value in (text("Ja"), choice(locale), text("nei")):
            sprint = flows.resume(sprint.session, value)
        assert sprint.session.status == "completed"
    found = directory.get_participant(parent.id)
    assert found is not None
    return found


@dataclass
class World:
    """Services, the reminder service and a dispatcher on one clock."""

    services: Services
    clock: ManualClock
    reminders: Reminders
    dispatcher: Dispatcher

    def tick(self) -> Any:
        return self.dispatcher.tick()

    def at(self, when: datetime) -> Any:
        """Travel to ``when`` and tick until nothing more is due."""
        self.clock.set(when)
        report = self.tick()
        while report.full:
            report = self.tick()
        return report

    def outbox(self, chat: int | None = None) -> list[OutboxItem]:
        items = self.services.outbox.items("telegram")
        return [i for i in items if chat is None or i.chat_id == str(chat)]

    def texts(self, chat: int | None = None) -> list[str]:
        return [str(i.payload.get("text", "")) for i in self.outbox(chat) if i.kind == "text"]


def world(kind: str, tmp_path: Path, start: datetime, policy: Policy | None = None) -> World:
    clock = ManualClock(start)
    services = make_services(kind, clock, tmp_path)
    reminders = Reminders(services)
    return World(services, clock, reminders, Dispatcher(reminders, holder="test", policy=policy))

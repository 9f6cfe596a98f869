"""Rich, clearly fictitious demo data for the TUI, made by running the real flows.

``seed_demo(services)`` creates the demo staff (Ali, Eva, leader Kari), four cases and their
participants, then plays scripted conversations through ``services.flows`` exactly as the bot
would, back-dated over the last weeks, so every tab has something to show, plus one open
high-priority safety flag (Sara, last night). Running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from companion.accounts import hash_password
from companion.content.fv_catalogue import load_catalogue
from companion.demo_scripts import Play, scripts
from companion.flows.ports import Clock
from companion.ports import Participant, ParticipantRole, StaffRole
from companion.services import Services
from companion.transcripts import Wait, parse_script

FICTITIOUS = "Fiktive demodata: ingen ekte personer."
DEMO_PASSWORD = "demo"  # noqa: S105 (fictitious demo accounts only)
"""Every demo account's password (the demo database is fictitious and local)."""
STAFF: tuple[tuple[str, str, StaffRole], ...] = (
    ("ali.demo", "Ali (demo)", "caseworker"),
    ("eva.demo", "Eva (demo)", "caseworker"),
    ("kari.demo", "Kari (demo, leder)", "leader"),
)


class _BackDated:
    """A clock that starts ``ago`` before the real one and moves 25 seconds per reading."""

    def __init__(self, real: Clock, ago: timedelta) -> None:
        self._now = real.now() - ago

    def now(self) -> datetime:
        current = self._now
        self._now += timedelta(seconds=25)
        return current


@dataclass(frozen=True)
class _CaseSpec:
    worker: str
    title: str
    meeting_in_days: int | None
    people: tuple[tuple[ParticipantRole, str, str, bool], ...]
    """(role, display name, locale, voice)."""


CASES = (
    _CaseSpec(
        "ali.demo",
        "Sara (demo) – ettervern",
        3,
        (("youth", "Sara (demo)", "nb", False),),
    ),
    _CaseSpec(
        "ali.demo",
        "Familien Demo – familieveiledning",
        5,
        (("parent", "Nadia (demo)", "nb", True), ("child", "Omar (demo)", "nb", False)),
    ),
    _CaseSpec(
        "ali.demo",
        "Jonas (demo) – ettervern",
        12,
        (("youth", "Jonas (demo)", "nb", False),),
    ),
    _CaseSpec(
        "eva.demo",
        "Mina (demo) – hjelpetiltak",
        8,
        (("youth", "Mina (demo)", "nn", False), ("parent", "Lene (demo)", "nb", False)),
    ),
)


@cache
def _demo_hash() -> str:
    """One argon2id hash of the demo password per process: hashing is slow on purpose, and the
    fictitious demo accounts (seeded by many tests) need no salt of their own."""
    return hash_password(DEMO_PASSWORD)


def _staff(services: Services) -> dict[str, str]:
    ids = {}
    for username, name, role in STAFF:
        worker = services.directory.get_caseworker_by_username(username)
        if worker is None:
            worker = services.directory.add_caseworker(
                username,
                name,
                role,
                _demo_hash(),
            )
        ids[username] = worker.id
    return ids


def _people(services: Services, staff: Mapping[str, str]) -> dict[str, Participant]:
    """Participants by first name (lower case), creating the cases the first time."""
    directory = services.directory
    now = services.clock.now()
    people: dict[str, Participant] = {}
    for spec in CASES:
        cases = directory.cases_for_caseworker(staff[spec.worker])
        case = next((c for c in cases if c.title == spec.title), None)
        if case is None:
            meeting = spec.meeting_in_days
            when = (
                None
                if meeting is None
                else (now + timedelta(days=meeting)).replace(
                    hour=10, minute=0, second=0, microsecond=0
                )
            )
            case = directory.add_case(staff[spec.worker], spec.title, when)
            for role, name, locale, voice in spec.people:
                directory.add_participant(case.id, role, name, locale, voice)
        for participant in directory.participants_in_case(case.id):
            people[participant.display_name.split(" ")[0].lower()] = participant
    return people


def _params(play: Play) -> dict[str, Any]:
    """Script params, with a Familieveiledning component's texts filled in from the catalogue."""
    params = dict(play.params)
    component = params.pop("fv_component", None)
    if component is not None:
        found = next(c for c in load_catalogue().components if c.id == component)
        params.update(component=found.name, assignment=found.assignment, question=found.check_in)
    return params


def _play(services: Services, participant: Participant, play: Play) -> str:
    """Run one scripted conversation, back-dated; stop quietly if the flow ends early."""
    engine = services.engine
    real = engine.clock
    engine.clock = _BackDated(real, play.ago)
    try:
        script = parse_script(play.document, flow=play.flow)
        results = {}
        for name in play.seed:
            found = services.conversations.results_for(participant.id).get(name) or []
            if found:
                results[name] = dict(max(found, key=lambda r: r.updated_at).data)
        sprint = services.flows.start(
            play.flow,
            participant_id=participant.id,
            locale=participant.locale,
            params=_params(play),
            results=results,
        )
        for step in script.steps:
            if isinstance(step, Wait) or not sprint.session.is_resumable:
                continue
            sprint = services.flows.resume(sprint.session.id, step)
    finally:
        engine.clock = real
    return sprint.session.status


def seed_demo(services: Services) -> dict[str, Participant]:
    """Create (once) the demo staff, cases and conversations; return participants by name."""
    staff = _staff(services)
    people = _people(services, staff)
    if any(services.conversations.sessions_for(p.id) for p in people.values()):
        return people
    for who, play in scripts(services.clock.now().date()):
        _play(services, people[who], play)
    services.audit.append("system", "demo.seeded", "tui", {"note": FICTITIOUS})
    return people

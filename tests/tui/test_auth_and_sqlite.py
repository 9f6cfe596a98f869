"""Passwords, and the TUI's SQLite read model and plan store (migration 0003)."""

from __future__ import annotations

from pathlib import Path

import pytest
from services import sqlite_services

from companion.accounts import LoginRefused, SignIn, hash_password, verify_password
from companion.demo_data import seed_demo
from tui.data import open_tui_data
from tui.data.sqlite import SqliteCaseIndex, SqlitePlanStore


def test_password_hash_is_salted_and_verifies() -> None:
    """Two hashes of one password differ; only the right password verifies."""
    first, second = hash_password("hemmelig"), hash_password("hemmelig")
    assert first != second and first.startswith("$argon2id$")
    assert verify_password("hemmelig", first)
    assert not verify_password("Hemmelig", first)
    assert not verify_password("hemmelig", "!demo-no-login")


def test_sign_in_refuses_wrong_password_unknown_user_and_disabled(services) -> None:
    services.directory.add_caseworker("nina", "Nina", "caseworker", hash_password("riktig"))
    sign_in = SignIn(services.directory, services.audit, services.clock)
    assert sign_in("nina", "riktig").role == "caseworker"
    for username, password in (("nina", "feil"), ("ukjent", "riktig")):
        with pytest.raises(LoginRefused):
            sign_in(username, password)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    services = sqlite_services(tmp_path_factory.mktemp("db"))
    seed_demo(services)
    return services


def test_sqlite_case_index_counts_badges(seeded) -> None:
    """The one-query case list: participants, flags, new conversations, next meeting."""
    data = open_tui_data(seeded)
    assert isinstance(data.cases, SqliteCaseIndex)
    ali = seeded.directory.get_caseworker_by_username("ali.demo")
    rows = {r.title: r for r in data.cases.summaries(ali.id, ali.id)}
    assert set(rows) == {
        "Sara (demo) – ettervern",
        "Familien Demo – familieveiledning",
        "Jonas (demo) – ettervern",
    }
    sara = rows["Sara (demo) – ettervern"]
    assert (sara.open_flags, sara.high_flags, sara.participants) == (1, 1, ("Sara (demo)",))
    assert sara.new_sessions > 0 and sara.next_meeting_at is not None
    assert len(data.cases.summaries(ali.id, None)) == 4
    data.cases.mark_seen(ali.id, sara.id, seeded.clock.now())
    again = {r.id: r for r in data.cases.summaries(ali.id, ali.id)}
    assert again[sara.id].new_sessions == 0


def test_sqlite_plan_store_keeps_one_plan_per_case_and_youth(seeded) -> None:
    data = open_tui_data(seeded)
    assert isinstance(data.plans, SqlitePlanStore)
    ali = seeded.directory.get_caseworker_by_username("ali.demo")
    case = seeded.directory.cases_for_caseworker(ali.id)[0]
    (sara,) = seeded.directory.participants_in_case(case.id)
    now = seeded.clock.now()
    first = data.plans.save_plan(case.id, sara.id, {"hovedmal": []}, ali.id, now)
    second = data.plans.save_plan(case.id, sara.id, {"hovedmal": [{"text": "x"}]}, ali.id, now)
    assert first.id == second.id
    stored = data.plans.plan_for(case.id, sara.id)
    assert stored is not None and stored.data == {"hovedmal": [{"text": "x"}]}
    assert data.plans.plan_for(case.id, None) is None


def test_demo_seed_runs_once(seeded, tmp_path: Path) -> None:
    """Seeding again adds no conversations."""
    ali = seeded.directory.get_caseworker_by_username("ali.demo")
    case = seeded.directory.cases_for_caseworker(ali.id)[0]
    (sara,) = seeded.directory.participants_in_case(case.id)
    before = len(seeded.conversations.sessions_for(sara.id))
    seed_demo(seeded)
    assert len(seeded.conversations.sessions_for(sara.id)) == before

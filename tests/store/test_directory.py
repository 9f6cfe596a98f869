"""DirectoryStore contract: caseworkers, cases, participants and chat accounts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from companion.ports import AlreadyExists, Case, Caseworker, UnknownReference
from tests.store.support import Stores


def caseworker(stores: Stores, username: str = "kari") -> Caseworker:
    return stores.directory.add_caseworker(username, "Kari Nordmann", "caseworker", "argon2$x")


def case(stores: Stores) -> Case:
    return stores.directory.add_case(caseworker(stores).id, "Familien Fjell")


def test_caseworker_round_trip(stores: Stores) -> None:
    """A caseworker is found again by id and by username, with every field intact."""
    added = stores.directory.add_caseworker("kari", "Kari Nordmann", "leader", "argon2$x")
    assert added.role == "leader"
    assert added.disabled is False
    assert added.created_at.tzinfo is not None
    assert stores.directory.get_caseworker(added.id) == added
    assert stores.directory.get_caseworker_by_username("kari") == added
    assert stores.directory.get_caseworker_by_username("ola") is None


def test_usernames_are_unique(stores: Stores) -> None:
    """A second caseworker with a taken username is refused."""
    caseworker(stores, "kari")
    with pytest.raises(AlreadyExists, match="kari"):
        caseworker(stores, "kari")


def test_cases_belong_to_a_caseworker(stores: Stores) -> None:
    """Cases are listed per caseworker, oldest first, and keep their next meeting time."""
    kari, ola = caseworker(stores, "kari"), caseworker(stores, "ola")
    meeting = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    first = stores.directory.add_case(kari.id, "Familien Fjell", next_meeting_at=meeting)
    second = stores.directory.add_case(kari.id, "Familien Dal")
    stores.directory.add_case(ola.id, "Familien Strand")
    assert stores.directory.cases_for_caseworker(kari.id) == [first, second]
    assert stores.directory.get_case(first.id) == first
    assert first.next_meeting_at == meeting
    assert first.status == "open"
    assert stores.directory.get_case("nope") is None


def test_a_case_needs_an_existing_caseworker(stores: Stores) -> None:
    """Adding a case for an unknown caseworker fails and stores nothing."""
    with pytest.raises(UnknownReference):
        stores.directory.add_case("nobody", "Familien Fjell")
    assert stores.directory.cases_for_caseworker("nobody") == []


def test_participants_in_a_case(stores: Stores) -> None:
    """Participants are listed per case and found by id with locale and voice settings."""
    fjell = case(stores)
    mia = stores.directory.add_participant(fjell.id, "youth", "Mia", locale="nn", voice=True)
    mor = stores.directory.add_participant(fjell.id, "parent", "Mor")
    assert stores.directory.participants_in_case(fjell.id) == [mia, mor]
    assert stores.directory.get_participant(mia.id) == mia
    assert (mia.locale, mia.voice, mor.locale, mor.voice) == ("nn", True, "nb", False)
    assert stores.directory.get_participant("nope") is None


def test_a_participant_needs_an_existing_case(stores: Stores) -> None:
    """Adding a participant to an unknown case fails."""
    with pytest.raises(UnknownReference):
        stores.directory.add_participant("nope", "youth", "Mia")


def test_channel_links_find_the_participant(stores: Stores) -> None:
    """A linked chat account leads back to its participant; relinking is harmless."""
    mia = stores.directory.add_participant(case(stores).id, "youth", "Mia")
    link = stores.directory.link_channel(mia.id, "telegram", "12345")
    assert (link.participant_id, link.channel, link.external_id) == (mia.id, "telegram", "12345")
    assert stores.directory.link_channel(mia.id, "telegram", "12345") == link
    assert stores.directory.participant_by_channel("telegram", "12345") == mia
    assert stores.directory.participant_by_channel("telegram", "999") is None
    assert stores.directory.participant_by_channel("signal", "12345") is None


def test_a_chat_account_belongs_to_one_participant(stores: Stores) -> None:
    """Linking an account that is already someone else's is refused."""
    fjell = case(stores)
    mia = stores.directory.add_participant(fjell.id, "youth", "Mia")
    mor = stores.directory.add_participant(fjell.id, "parent", "Mor")
    stores.directory.link_channel(mia.id, "telegram", "12345")
    with pytest.raises(AlreadyExists):
        stores.directory.link_channel(mor.id, "telegram", "12345")
    assert stores.directory.participant_by_channel("telegram", "12345") == mia


def test_linking_an_unknown_participant_fails(stores: Stores) -> None:
    """A chat account cannot be linked to a participant that does not exist."""
    with pytest.raises(UnknownReference):
        stores.directory.link_channel("nobody", "telegram", "12345")


def test_caseworkers_are_listed_and_updated(stores: Stores) -> None:
    """Accounts are listed oldest first; updates change only the given fields."""
    kari = caseworker(stores, "kari")
    ola = stores.directory.add_caseworker("ola", "Ola", "leader", "argon2$y")
    assert [c.username for c in stores.directory.list_caseworkers()] == ["kari", "ola"]
    changed = stores.directory.update_caseworker(kari.id, role="leader", disabled=True)
    assert (changed.role, changed.disabled, changed.password_hash) == ("leader", True, "argon2$x")
    assert stores.directory.get_caseworker(kari.id) == changed
    again = stores.directory.update_caseworker(kari.id, password_hash="argon2$z", disabled=False)
    assert (again.disabled, again.password_hash, again.display_name) == (
        False,
        "argon2$z",
        "Kari Nordmann",
    )
    assert stores.directory.get_caseworker(ola.id) == ola
    with pytest.raises(UnknownReference):
        stores.directory.update_caseworker("nobody", disabled=True)


def test_login_state_is_stored(stores: Stores) -> None:
    """Failed sign-ins and the lock survive a round trip; clearing them works."""
    kari = caseworker(stores)
    until = datetime(2026, 1, 5, 9, 15, tzinfo=UTC)
    stores.directory.set_login_state(kari.id, 3, until)
    found = stores.directory.get_caseworker(kari.id)
    assert found is not None and (found.failed_logins, found.locked_until) == (3, until)
    stores.directory.set_login_state(kari.id, 0, None)
    found = stores.directory.get_caseworker(kari.id)
    assert found is not None and (found.failed_logins, found.locked_until) == (0, None)
    stores.directory.set_login_state("nobody", 1, None)  # unknown: left alone, no error

"""Invites (codes, hashing, QR, rate limits) and the inbox (office hours, replies)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from companion.flows.fakes import SourceLocalizer
from companion.inbox import OfficeHours, OfficeHoursError, acknowledgement, when_text
from companion.invites import ATTEMPTS_PER_WINDOW, deep_link, hash_code, qr_png, qr_text
from tests.bots.support import memory, youth

HOURS = OfficeHours.parse("mon-fri 08:00-15:30", "Europe/Oslo")
L10N = SourceLocalizer()


def oslo(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in January 2026 given in Oslo time (UTC+1): day 5 is a Monday."""
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC) - timedelta(hours=1)


# --- invites ---------------------------------------------------------------------------------


def test_a_code_is_long_random_and_only_its_hash_is_stored() -> None:
    """32 URL-safe characters (192 bits); the store keeps the sha256, never the code."""
    services = memory()
    sara = youth(services)
    made = services.invites.create(sara.id)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", made.code)
    assert made.invite.code_hash == hash_code(made.code) != made.code
    validity = made.invite.expires_at - made.invite.created_at
    assert abs(validity - timedelta(days=7)) < timedelta(minutes=1)  # the test clock ticks
    [stored] = services.directory.invites_for(sara.id)
    assert made.code not in stored.model_dump_json()
    assert services.invites.create(sara.id).code != made.code
    entry = next(e for e in services.audit.entries() if e.action == "invite.created")
    assert entry.subject == f"participant:{sara.id}"


def test_redeeming_links_once_and_is_audited() -> None:
    """The first redemption links the account; the code cannot be used again."""
    services = memory()
    sara = youth(services)
    code = services.invites.create(sara.id).code
    assert services.invites.redeem(code, "telegram", "42") == sara
    assert services.directory.participant_by_channel("telegram", "42") == sara
    assert services.invites.redeem(code, "telegram", "43") is None
    assert [e.action for e in services.audit.entries()] == ["invite.created", "invite.redeemed"]


def test_expired_and_wrong_codes_fail_the_same_way() -> None:
    """An expired code, a wrong one and a malformed one all give None."""
    services = memory()
    sara = youth(services)
    code = services.invites.create(sara.id).code
    assert services.invites.redeem("not-a-code", "telegram", "1") is None
    assert services.invites.redeem("bad code!", "telegram", "1") is None
    services.clock.advance(timedelta(days=8))  # type: ignore[attr-defined]
    assert services.invites.redeem(code, "telegram", "1") is None


def test_at_most_five_attempts_an_hour_per_account() -> None:
    """After five attempts even the right code fails, for an hour; others are not affected."""
    services = memory()
    sara = youth(services)
    code = services.invites.create(sara.id).code
    for _ in range(ATTEMPTS_PER_WINDOW):
        assert services.invites.redeem("wrong", "telegram", "666") is None
    assert services.invites.redeem(code, "telegram", "666") is None
    services.clock.advance(timedelta(hours=1, minutes=1))  # type: ignore[attr-defined]
    assert services.invites.redeem(code, "telegram", "666") == sara


def test_the_counter_key_hides_the_account_id() -> None:
    """The rate-limit counter is keyed by an HMAC: the account id is not in it."""
    services = memory()
    key = services.invites.attempt_key("telegram", "123456789")
    assert "123456789" not in key and key.startswith("invite:")
    assert key == services.invites.attempt_key("telegram", "123456789")


def test_deep_link_and_qr_codes() -> None:
    """t.me link with the code as start payload; a PNG and a terminal QR code of it."""
    link = deep_link("@companion_bot", "AbC_12-x")
    assert link == "https://t.me/companion_bot?start=AbC_12-x"
    png = qr_png(link)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    drawn = qr_text(link)
    lines = drawn.splitlines()
    assert len(lines) > 10 and len({len(line) for line in lines}) == 1
    assert set(drawn) <= set("█▀▄ \n")


# --- office hours ----------------------------------------------------------------------------


def test_office_hours_are_open_on_weekdays_in_oslo_time() -> None:
    """Open Monday 08:00–15:30 Oslo time, closed before, after and at weekends."""
    assert HOURS.is_open(oslo(5, 8))
    assert HOURS.is_open(oslo(5, 15, 29))
    assert not HOURS.is_open(oslo(5, 15, 30))
    assert not HOURS.is_open(oslo(5, 7, 59))
    assert not HOURS.is_open(oslo(10, 12))  # Saturday


def test_next_opening_is_said_plainly() -> None:
    """Early morning: today; evening: tomorrow; Friday evening: Monday."""
    assert when_text(HOURS, oslo(5, 6), "nb", L10N) == "i dag kl. 08:00"
    assert when_text(HOURS, oslo(5, 20), "nb", L10N) == "i morgen kl. 08:00"
    assert when_text(HOURS, oslo(9, 20), "nb", L10N) == "mandag kl. 08:00"
    assert HOURS.next_opening(oslo(9, 20)).isoformat() == "2026-01-12T08:00:00+01:00"


def test_acknowledgements_are_honest_and_point_to_help_outside_hours() -> None:
    """Inside hours: when messages are read. Outside: when, and the emergency numbers."""
    inside = acknowledgement(HOURS, oslo(5, 10), "nb", L10N)
    assert "mandag–fredag kl. 08:00–15:30" in inside and "116 111" not in inside
    outside = acknowledgement(HOURS, oslo(5, 22), "nb", L10N)
    assert "i morgen kl. 08:00" in outside
    assert "112" in outside and "116 111" in outside and "jeg trenger hjelp nå" in outside
    assert acknowledgement(HOURS, oslo(5, 22), "nb", L10N, recent=True) == (
        "Sendt til kontaktpersonen din."
    )


@pytest.mark.parametrize(
    "spec", ["", "weekdays", "mon-fri 9-5", "mon-xyz 08:00-15:00", "mon 15:00-08:00"]
)
def test_bad_office_hours_are_named(spec: str) -> None:
    """A wrong setting fails with the setting's value in the message."""
    with pytest.raises(OfficeHoursError, match="office hours"):
        OfficeHours.parse(spec)


def test_caseworker_reply_is_stored_and_enqueued_for_reachable_chats() -> None:
    """reply() stores an out message, enqueues it (text kind) and audits it."""
    services = memory()
    sara = youth(services)
    services.directory.link_channel(sara.id, "telegram", "42")
    services.directory.link_channel(sara.id, "telegram", "43")
    services.directory.set_reachable("telegram", "43", False)
    kari = services.directory.get_caseworker_by_username("kari")
    assert kari is not None
    message = services.inbox.reply(sara.id, "Ja, vi kan flytte møtet.", kari.id)
    assert (message.direction, message.author) == ("out", kari.id)
    [item] = services.outbox.pending("telegram")
    assert (item.chat_id, item.kind, item.participant_id) == ("42", "text", sara.id)
    assert item.payload["inbox_message_id"] == message.id
    assert str(item.payload["text"]).endswith("Ja, vi kan flytte møtet.")
    assert services.audit.entries()[-1].action == "message.sent"

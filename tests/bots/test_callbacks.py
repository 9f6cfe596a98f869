"""Button data: within Telegram's 64 bytes, bound to one wait, impossible to forge."""

from __future__ import annotations

import pytest

from bots.telegram.callbacks import Signer, parse, participant_binding, session_binding

SIGNER = Signer(b"k" * 32)
BINDING = session_binding("0123456789abcdef0123456789abcdef", "rate_theme")


def test_signed_data_verifies_for_its_wait_only() -> None:
    """The same press verifies at its seq and node, not at another seq, node or session."""
    data = SIGNER.sign("c", 12, "3", BINDING)
    pressed = parse(data)
    assert pressed is not None and (pressed.kind, pressed.seq, pressed.index) == ("c", 12, 3)
    assert SIGNER.verify(pressed, 12, BINDING)
    assert not SIGNER.verify(pressed, 13, BINDING)
    assert not SIGNER.verify(pressed, 12, session_binding("0123456789abcdef0123456789abcdef", "x"))
    assert not SIGNER.verify(pressed, 12, session_binding("another", "rate_theme"))


def test_changed_data_or_another_secret_fails() -> None:
    """Changing the option or the seq in the data, or signing with another secret, fails."""
    data = SIGNER.sign("c", 12, "3", BINDING)
    kind, seq, arg, mac = data.split(".")
    for forged in (f"{kind}.{seq}.4.{mac}", f"{kind}.d.{arg}.{mac}", f"t.{seq}.{arg}.{mac}"):
        pressed = parse(forged)
        assert pressed is not None
        assert not SIGNER.verify(pressed, pressed.seq, BINDING)
    other = parse(Signer(b"o" * 32).sign("c", 12, "3", BINDING))
    assert other is not None and not SIGNER.verify(other, 12, BINDING)


def test_data_fits_in_64_bytes() -> None:
    """The longest kinds we make (a held text id, a 20-option mask, a huge seq) fit."""
    for kind, seq, arg in (
        ("a", 10**6, "a" * 12),
        ("t", 999999, f"{(1 << 20) - 1:x}"),
        ("l", 0, "nb"),
    ):
        assert len(SIGNER.sign(kind, seq, arg, BINDING).encode()) <= 64
    with pytest.raises(ValueError, match="64 bytes"):
        SIGNER.sign("a", 1, "x" * 50, BINDING)


@pytest.mark.parametrize(
    "data", ["", "yes", "c.1.2", "x.1.2.mac", "c.zz.1.mac", "c.1.one.mac", "t.1.xyz.m"]
)
def test_foreign_data_does_not_parse(data: str) -> None:
    """Anything that is not our format is not a press we know."""
    assert parse(data) is None


def test_settings_buttons_are_bound_to_the_participant() -> None:
    """A language button made for one person does not work for another."""
    pressed = parse(SIGNER.sign("l", 0, "nn", participant_binding("p1")))
    assert pressed is not None
    assert SIGNER.verify(pressed, 0, participant_binding("p1"))
    assert not SIGNER.verify(pressed, 0, participant_binding("p2"))


def test_a_short_secret_is_refused() -> None:
    """A guessable secret would make the buttons forgeable."""
    with pytest.raises(ValueError, match="16 bytes"):
        Signer(b"short")

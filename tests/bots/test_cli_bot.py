"""``companion invite create``, ``companion flow send`` and ``companion bot run`` at the terminal."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from companion.cli import main
from companion.config import load_settings
from companion.flows.inputs import choice
from companion.services import build_services


@pytest.fixture
def participant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An encrypted database with Sara in it, configured through the environment."""
    monkeypatch.setenv("COMPANION_DB", str(tmp_path / "c.db"))
    monkeypatch.setenv("COMPANION_DB_KEY", secrets.token_hex(32))
    monkeypatch.setenv("COMPANION_TELEGRAM_BOT_USERNAME", "companion_test_bot")
    services = build_services(load_settings(), migrate_now=True)
    kari = services.directory.add_caseworker("kari", "Kari", "caseworker", "x")
    case = services.directory.add_case(kari.id, "Familien Fjell")
    pid = services.directory.add_participant(case.id, "youth", "Sara").id
    services.db.close()
    return pid


def test_invite_create_prints_the_link_and_a_qr_code(
    participant: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The deep link, a terminal QR code and a PNG; the database keeps only the hash."""
    png = tmp_path / "invite.png"
    assert main(["invite", "create", participant, "--png", str(png)]) == 0
    out = capsys.readouterr().out
    [link] = [line for line in out.splitlines() if line.startswith("https://t.me/")]
    code = link.split("?start=")[1]
    assert link.startswith("https://t.me/companion_test_bot?start=") and len(code) == 32
    assert "█" in out and png.read_bytes().startswith(b"\x89PNG")
    services = build_services(load_settings())
    [invite] = services.directory.invites_for(participant)
    assert code not in invite.model_dump_json()
    assert services.invites.redeem(code, "telegram", "42") is not None


def test_invite_for_an_unknown_participant_is_one_line(
    participant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["invite", "create", "nobody"]) == 1
    assert capsys.readouterr().err.strip() == "companion: no participant nobody"


def test_flow_send_needs_consent_then_enqueues_the_flow(
    participant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused before consent; after onboarding the flow waits in the outbox for the bot."""
    assert main(["flow", "send", participant, "hevd"]) == 1
    assert "has not consented" in capsys.readouterr().err
    services = build_services(load_settings())
    services.directory.link_channel(participant, "telegram", "42")
    flows = services.channel_flows
    sprint = flows.start("onboarding", participant_id=participant, locale="nb")
    for value in ("yes", "nb", "no"):
        sprint = flows.resume(sprint.session, choice(value))
    assert sprint.session.status == "completed"
    assert main(["flow", "send", participant, "hevd"]) == 0
    assert "the running bot delivers it" in capsys.readouterr().out
    [item] = services.outbox.pending("telegram")
    assert (item.kind, item.chat_id, item.participant_id) == ("events", "42", participant)
    assert main(["flows", "send", participant, "hevd"]) == 1
    assert "open conversation ('hevd')" in capsys.readouterr().err


def test_bot_run_without_a_token_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """No COMPANION_TELEGRAM_TOKEN: a one-line error, no traceback, and no token anywhere."""
    assert main(["bot", "run"]) == 1
    assert capsys.readouterr().err == "companion: no bot token: set COMPANION_TELEGRAM_TOKEN\n"

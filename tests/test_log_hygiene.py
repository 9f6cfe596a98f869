"""Logs never hold message content, names or secrets (#8): a real bot conversation through the
stand-in, a TUI session and the CLI, each with every logger at DEBUG into a file, then the file
is searched for the answers given, the names, the bot token, the database key and invite codes."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.cli import main
from companion.config import Settings, load_settings
from companion.demo_data import seed_demo
from companion.services import build_services
from tests.bots.live import USER, _key, live_bot
from tests.bots.support import run
from tests.tui.services import memory_services as tui_memory_services
from tui.app import make_app

ANSWERS = ("Zebrafjell-drommen", "Blaabaerskogen-planen", "Hemmelig-melding-Kvitsoy")
NAME = "Ingeborg-Testnavn"


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Everything logged at DEBUG and up, by any library, into one file."""
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def assert_clean(log: Path, secrets: list[str]) -> None:
    text = log.read_text(encoding="utf-8")
    assert text.strip(), "nothing was logged: the check would prove nothing"
    leaked = [s for s in secrets if s and s in text]
    assert leaked == [], f"in the logs: {leaked}"


def test_a_live_bot_conversation_logs_no_content_names_or_secrets(
    tmp_path: Path, debug_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    found: list[str] = []

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = live.participant(NAME)
            code = live.services.invites.create(pid).code
            found.extend([code, live.standin.token])
            await live.say(f"/start {code}")
            await live.press("Ja, det er greit")
            await live.press("Bokmål")
            await live.press("Nei")
            await live.send_flow(pid)
            await live.press("Ja, jeg vet noe")
            await live.say(ANSWERS[0])
            await live.say(ANSWERS[1])
            await live.press("Nei, det er alt")
            await live.say("/pause")
            await live.say(ANSWERS[2])  # a message to the kontaktperson between meetings
            await live.say("/mydata")
            assert live.bot_messages(USER)

    run(scenario())
    assert_clean(debug_log, [*ANSWERS, NAME, _key(tmp_path), *found])


def test_the_cli_logs_no_secrets_or_names(
    tmp_path: Path,
    debug_log: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Invite, flow send and a retention run, each at DEBUG; the invite code goes to the
    terminal (that is its purpose), never to a log."""
    key = secrets.token_hex(32)
    monkeypatch.setenv("COMPANION_DB", str(tmp_path / "c.db"))
    monkeypatch.setenv("COMPANION_DB_KEY", key)
    monkeypatch.setenv("COMPANION_TELEGRAM_BOT_USERNAME", "companion_test_bot")
    services = build_services(load_settings(), migrate_now=True)
    kari = services.directory.add_caseworker("kari", "Kari", "caseworker", "x")
    case = services.directory.add_case(kari.id, "Familien Fjell")
    pid = services.directory.add_participant(case.id, "youth", NAME).id
    services.db.close()
    logging.getLogger("companion").debug("cli test starts")  # the file is never empty
    assert main(["invite", "create", pid, "--no-qr"]) == 0
    code = capsys.readouterr().out.split("?start=")[1].split()[0]
    assert main(["flows", "send", pid, "hevd"]) == 1  # no consent yet: refused, one line
    assert main(["retention", "run"]) == 0
    assert_clean(debug_log, [NAME, key, code])


@pytest.mark.anyio
async def test_a_tui_session_logs_no_names_or_words(debug_log: Path, tmp_path: Path) -> None:
    services = tui_memory_services()
    seed_demo(services)
    logging.getLogger("tui").debug("tui test starts")
    app = make_app(Settings(), services, login_as="ali.demo", export_dir=tmp_path, poll_seconds=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("enter")  # Sara's case, from her flag
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
    names = [
        p.display_name
        for c in services.directory.cases_for_caseworker(
            services.directory.get_caseworker_by_username("ali.demo").id  # type: ignore[union-attr]
        )
        for p in services.directory.participants_in_case(c.id)
    ]
    assert names
    assert_clean(debug_log, [*names, "jeg orker ikke mer"])

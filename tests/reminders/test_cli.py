"""``companion reminders …`` at the terminal, on an encrypted database from the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from companion.cli import main
from companion.config import load_settings
from companion.reminders import Reminders
from companion.reminders.summary import before_next_meeting
from companion.services import build_services
from tests.reminders.support import family


@pytest.fixture
def nadia(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COMPANION_DB", str(tmp_path / "c.db"))
    monkeypatch.setenv("COMPANION_DB_KEY", secrets.token_hex(32))
    services = build_services(load_settings(), migrate_now=True)
    pid = family(services).id
    services.db.close()
    return pid


def test_a_course_an_assignment_a_meeting_and_the_summary(
    nadia: str, capsys: pytest.CaptureFixture[str]
) -> None:
    meetings = ["--meeting", "2030-03-18T10:00", "--meeting", "2030-03-25 10:00"]
    assert main(["reminders", "course", nadia, "--pathway", "struktur_i_hverdagen", *meetings]) == 0
    out = capsys.readouterr().out
    assert "with 2 meetings" in out and "Mon 2030-03-18 10:00 CET" in out
    assert main(["reminders", "prefs", nadia, "--time", "19:00", "--quiet", "22:00-07:00"]) == 0
    assert "reminders at 19:00, quiet 22:00-07:00, Europe/Oslo" in capsys.readouterr().out
    args = ["reminders", "assign", nadia, "--meeting-no", "1"]
    assert main([*args, "--component", "forutsigbar_hverdag_rutiner", "--simpler"]) == 0
    out = capsys.readouterr().out
    assert "assignment Tue 2030-03-19 19:00 CET" in out
    assert "checkin    Sat 2030-03-23 19:00 CET" in out
    assert main([*args, "--component", "se_det_positive"]) == 1
    assert "tas de faste komponentene først" in capsys.readouterr().err
    at = ["--at", "2030-04-02T09:00", "--place", "Kontoret", "--before", "1d", "--before", "2h"]
    assert main(["reminders", "meeting", nadia, *at]) == 0
    out = capsys.readouterr().out
    assert "meeting    Mon 2030-04-01 09:00 CEST" in out
    assert "meeting    Tue 2030-04-02 07:00 CEST" in out  # quiet hours end at 07:00
    assert main(["reminders", "list", nadia]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4
    assert main(["reminders", "summary", nadia]) == 0
    assert "forutsigbar_hverdag_rutiner: scheduled" in capsys.readouterr().out


def test_now_then_one_tick_sends_the_check_in(
    nadia: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["reminders", "assign", nadia, "--meeting-no", "1", "--component", "vaere_sammen"]
    assert main([*args, "--now"]) == 0
    capsys.readouterr()
    assert main(["reminders", "run", "--once"]) == 0
    out = capsys.readouterr().out
    assert "1 due: 1 sent" in out and "1 reminder(s) handed to the outbox" in out
    services = build_services(load_settings())
    [item] = services.outbox.items("telegram")
    assert item.kind == "events"
    [state] = before_next_meeting(nadia, Reminders(services).store, services.conversations)
    assert state.state == "waiting"
    services.db.close()
    assert main(["reminders", "summary", nadia]) == 0
    assert "vaere_sammen: waiting" in capsys.readouterr().out


def test_mistakes_are_one_line(nadia: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reminders", "prefs", nadia, "--timezone", "Mars/Olympus"]) == 1
    assert capsys.readouterr().err.strip() == (
        "companion: 'Mars/Olympus' is not a known time zone (e.g. Europe/Oslo)"
    )
    assert main(["reminders", "meeting", nadia, "--at", "i morgen"]) == 1
    assert "is not a date and time" in capsys.readouterr().err
    assert main(["reminders", "list", "nobody"]) == 1
    assert capsys.readouterr().err.strip() == "companion: no participant nobody"
    assert main(["reminders", "course", nadia, "--pathway", "x", "--meeting", "2030-01-01"]) == 1
    assert "unknown pathway 'x'" in capsys.readouterr().err

"""The caseworker TUI on a large database, headless: first screen, opening a case, filtering.

10,000 cases and 1,000,000 answers (``--quick``: 1,000 and 100,000) are written straight into
a migrated SQLite database in bulk; then the real app runs headless (``App.run_test``) signed in
as a leader, who lists every case. Peak memory is the process's maximum resident set while the
TUI part runs (the data is generated in a child process first).

    .venv/bin/python -m bench.tui            # full run, prints figures
    .venv/bin/python -m bench.tui --quick    # a few seconds
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.figures import Figure
from companion.config import Settings
from companion.services import build_services
from companion.store.database import open_database
from companion.store.migrations import migrate
from companion.store.records import utc_text

NAME = "tui"
TARGETS = {"first": 1.0, "open": 0.2, "again": 0.2, "filter": 0.1, "memory": 300.0}
"""Upper bounds from the issue: seconds, and MB for memory."""
WORKERS = 200
PER_SESSION = 25
"""Answers per conversation; participants × sessions × this = the answers."""
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _t(minutes: int) -> str:
    return utc_text(START + timedelta(minutes=minutes))


def _session(sid: str, pid: str, at: int, results: dict[str, Any]) -> str:
    return json.dumps(
        {
            "id": sid,
            "flow_id": "hevd",
            "locale": "nb",
            "status": "completed",
            "participant_id": pid,
            "results": results,
            "created_at": _t(at),
            "updated_at": _t(at + 30),
            "expires_at": _t(at + 60 * 24 * 30),
        }
    )


def _hevd(n: int) -> dict[str, Any]:
    themes = [{"text": f"Tema {n}-{i}: noe som er viktig for meg"} for i in range(4)]
    top = [{**t, "ratings": [{"value": 3 + i, "at": _t(n)}]} for i, t in enumerate(themes[:2])]
    return {"themes": themes, "top_themes": top, "not_wanted": [{"text": "Trening"}]}


def generate(path: Path, cases: int, answers: int) -> None:
    """Write the people, conversations, answers, results and a few flags in bulk."""
    db = open_database(path, None)
    migrate(db)
    per_case = max(1, answers // (cases * 2 * PER_SESSION))  # sessions per participant
    conn = db.conn
    with db.atomic():
        conn.executemany(
            "INSERT INTO caseworkers (id, username, display_name, role, password_hash, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (f"w{w}", f"kp{w}", f"Kontaktperson {w}", "caseworker", "!", _t(0))
                for w in range(WORKERS)
            ]
            + [("leader", "leder", "Leder", "leader", "!", _t(0))],
        )
        for c in range(cases):
            _case(conn, c, per_case)


def _case(conn: Any, c: int, sessions_each: int) -> None:
    conn.execute(
        "INSERT INTO cases (id, caseworker_id, title, created_at, next_meeting_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [f"c{c}", f"w{c % WORKERS}", f"Sak {c} – ettervern", _t(c), _t(c + 60 * 24 * 7)],
    )
    for role, person in (("youth", "u"), ("parent", "f")):
        pid = f"{person}{c}"
        conn.execute(
            "INSERT INTO participants (id, case_id, role, display_name, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [pid, f"c{c}", role, f"Deltaker {pid}", _t(c)],
        )
        for k in range(sessions_each):
            sid = f"s{pid}-{k}"
            results = {"hevd": _hevd(c)} if role == "youth" else {}
            conn.execute(
                "INSERT INTO sessions (id, participant_id, flow_id, status, seq, created_at, "
                "updated_at, expires_at, data) VALUES (?, ?, 'hevd', 'completed', ?, ?, ?, ?, ?)",
                [
                    sid,
                    pid,
                    PER_SESSION,
                    _t(c + k),
                    _t(c + k + 30),
                    _t(c + 99999),
                    _session(sid, pid, c + k, results),
                ],
            )
            conn.executemany(
                "INSERT INTO answers (session_id, seq, key, flow_id, node_id, value, source, at) "
                "VALUES (?, ?, ?, 'hevd', 'ask_themes', ?, 'typed', ?)",
                [
                    (sid, n, f"hevd.ask_themes#{n}", json.dumps(f"Svar {n}"), _t(c + k))
                    for n in range(PER_SESSION)
                ],
            )
            if results:
                conn.execute(
                    "INSERT INTO results (session_id, participant_id, flow_id, name, data, "
                    "updated_at) VALUES (?, ?, 'hevd', 'hevd', ?, ?)",
                    [sid, pid, json.dumps(results["hevd"]), _t(c + k + 30)],
                )
    if c % 100 == 0:
        conn.execute(
            "INSERT INTO flags (id, participant_id, session_id, seq, severity, reason, trigger, at) "
            "VALUES (?, ?, ?, 1, 'high', 'safety_path', 'hjelp', ?)",
            [f"flag{c}", f"u{c}", f"su{c}-0", _t(c)],
        )


async def _until(pilot: Any, done: Any, limit: float = 60.0) -> None:
    """Let the app work until ``done()``; fail instead of hanging.

    Polls every millisecond rather than with ``pilot.pause()``, whose idle detection sleeps
    in steps of its own and would add them to every figure."""
    deadline = time.perf_counter() + limit
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the TUI did not get there in time")
        await asyncio.sleep(0.001)


async def _measure(path: Path, case_no: int) -> dict[str, float]:
    from textual.widgets import DataTable

    from tui.app import make_app
    from tui.screens.case import CaseScreen
    from tui.screens.cases import CasesScreen
    from tui.viewmodels.cases import Filters

    started = time.perf_counter()
    settings = Settings(db_path=path, allow_plaintext=True)
    services = build_services(settings)
    app = make_app(settings, services, login_as="leder", poll_seconds=3600)
    found: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(
            pilot,
            lambda: (
                isinstance(app.screen, CasesScreen) and app.screen.query_one(DataTable).row_count
            ),
        )
        found["first"] = time.perf_counter() - started
        cases = app.screen
        found["rows"] = len(cases.user.cases.rows)
        # A person sees the list drawn before pressing Enter: let the app finish drawing it
        # (and collect garbage at that quiet moment, see ``tui.idle``) before timing the open.
        await pilot.pause()
        await pilot.pause()

        def shown(case_id: str) -> bool:
            """The case's overview is mounted with its content (not just created)."""
            screen = app.screen
            if not isinstance(screen, CaseScreen) or screen.case_file.case.id != case_id:
                return False
            panes = screen.query("#overview-pane")
            return bool(panes) and panes.first().is_mounted and bool(panes.first().children)

        for key, case_id in (("open", f"c{case_no}"), ("again", f"c{case_no + 1}")):
            opened = time.perf_counter()
            cases.open_case(case_id)
            await _until(pilot, lambda: shown(case_id))  # noqa: B023 (awaited here)
            # Then let the screen and all its widgets work through what is queued (layout) and
            # draw it: what pilot.pause() does, without its idle-detection sleeps.
            await pilot._wait_for_screen()
            app.screen._on_timer_update()
            found[key] = time.perf_counter() - opened
            await pilot.press("escape")
            await pilot.pause()
            await pilot.pause()
        filtered = time.perf_counter()
        cases.filters = Filters(f"sak {case_no} ")
        cases.show()
        found["filter"] = time.perf_counter() - filtered
        found["matches"] = len(cases.shown)
    return found


def _run_child(path: Path, cases: int, answers: int) -> None:
    code = f"from bench.tui import generate; from pathlib import Path; generate(Path({str(path)!r}), {cases}, {answers})"
    subprocess.run([sys.executable, "-c", code], check=True)


def run(quick: bool = False) -> list[Figure]:
    cases, answers = (1_000, 100_000) if quick else (10_000, 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        generated = time.perf_counter()
        _run_child(path, cases, answers)
        seconds = time.perf_counter() - generated
        found = asyncio.run(_measure(path, cases * 4711 // 10_000))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = f"{cases:,} cases, {answers:,} answers"

    def timed(key: str, label: str) -> Figure:
        value, target = found[key], TARGETS[key]
        return Figure(NAME, label, value * 1000, "ms", target * 1000, size, higher_is_better=False)

    return [
        Figure(NAME, "generate the database (bulk insert)", seconds, "s", note=size),
        timed("first", "time to first screen (leader, every case)"),
        timed("open", "open a case (overview shown)"),
        timed("again", "open another case (case screen reused)"),
        timed("filter", "filter the case list"),
        Figure(
            NAME, "peak memory (max RSS)", peak, "MB", TARGETS["memory"], higher_is_better=False
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for figure in run(args.quick):
        print(figure.line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

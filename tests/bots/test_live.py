"""The real bot over loopback HTTP (PTB's own stack) against the Bot API stand-in, with an
encrypted SQLite database: invites, HEVD, durability, limits, safety, strangers."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bots.telegram import texts
from bots.telegram.app import runtime
from bots.telegram.standin import BotApiStandIn
from tests.bots.live import USER, Live, live_bot
from tests.bots.support import run


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``companion bot run`` does: PTB's timedelta durations (no warning on each 429)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def test_invite_consent_and_a_full_hevd_are_stored(tmp_path: Path) -> None:
    """Invite → /start CODE → consent → HEVD with buttons and words → results in the database."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard()
            assert live.standin.commands()[0]["command"] == "start"
            assert live.standin.commands("nn") and live.standin.commands("en")
            await live.send_flow(pid)
            assert live.last().text.endswith("Vet du om noe som er viktig for deg nå?")
            await live.press("Ja, jeg vet noe")
            for theme in ("Å ha et sted å bo", "Få det bedre med søsteren min", "Fullføre skolen"):
                await live.say(theme)
            await live.press("Nei, det er alt")
            await live.say("Matlaging")
            await live.press("Nei, ingenting")
            await live.press("Å ha et sted å bo")
            await live.press("Fullføre skolen")
            await live.press("Ferdig")
            await live.press("7")
            await live.say("4")  # a typed number answers a scale too
            assert "Stemmer det?" in live.last().text
            await live.press("Ja, det stemmer")
            await live.press("Bare kontaktpersonen min")
            assert live.last().text.startswith("Takk! Det du har skrevet er lagret.")

            sessions = live.services.conversations.sessions_for(pid)
            hevd = next(s for s in sessions if s.flow_id == "hevd")
            assert hevd.status == "completed"
            [result] = live.services.conversations.results_for(pid)["hevd"]
            assert [t["text"] for t in result.data["themes"]] == [
                "Å ha et sted å bo",
                "Få det bedre med søsteren min",
                "Fullføre skolen",
            ]
            top = result.data["top_themes"]
            assert [t["text"] for t in top] == ["Å ha et sted å bo", "Fullføre skolen"]
            assert [t["ratings"][0]["value"] for t in top] == [7, 4]
            assert result.data["not_wanted"] == [{"text": "Matlaging"}]
            chosen = [m.text for m in live.bot_messages() if m.edited]
            assert any(
                t.endswith(
                    ("✓ Fullføre skolen, Å ha et sted å bo", "✓ Å ha et sted å bo, Fullføre skolen")
                )
                for t in chosen
            )
            assert all(not m.buttons for m in live.bot_messages() if m.edited)

    run(scenario())


def pressed(
    live: Live, message_id: int, text: str, data: str, query_id: str = "old-1"
) -> dict[str, Any]:
    """A callback query as Telegram sends it for a press on ``message_id``."""
    return {
        "callback_query": {
            "id": query_id,
            "from": {"id": USER, "is_bot": False, "first_name": "Testa"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": 0,
                "chat": {"id": USER, "type": "private", "first_name": "Testa"},
                "from": {"id": live.standin.bot_id, "is_bot": True, "first_name": "Bot"},
                "text": text,
            },
        }
    }


def test_stale_and_forged_buttons_change_nothing(tmp_path: Path) -> None:
    """An old keyboard or tampered data: a kind notice, the current question again."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard()
            await live.send_flow(pid)
            old = live.with_buttons()
            await live.say("ja")  # typed instead of pressed: the keyboard is taken away
            before = live.services.conversations.open_session(pid)
            assert before is not None and before.wait is not None
            assert before.wait.node_id == "ask_themes"
            data = {t: d for row in old.buttons for t, d in row}["Jeg vet ikke helt"]
            assert data is not None
            # The buttons are gone from the chat; a client that had not updated yet still
            # sends the press (the stand-in's press() would refuse a button no longer shown).
            await live.act(live.standin.inject(pressed(live, old.message_id, old.text, data)))
            answer = live.standin.calls("answerCallbackQuery")[-1]
            assert answer.params.get("text") == texts.OLD_BUTTON[1]
            assert live.last().text.startswith(texts.STALE_BUTTON[1])
            assert "Hva er viktig for deg?" in live.last().text
            assert live.services.conversations.open_session(pid) == before

            kind, _seq, arg, mac = data.split(".")
            forged = f"{kind}.{before.seq:x}.{arg}.{mac}"
            message = {
                "message_id": old.message_id,
                "date": 0,
                "chat": {"id": USER, "type": "private", "first_name": "Testa"},
                "from": {"id": live.standin.bot_id, "is_bot": True, "first_name": "Bot"},
                "text": old.text,
            }
            await live.act(
                live.standin.inject(
                    {
                        "callback_query": {
                            "id": "forged-1",
                            "from": {"id": USER, "is_bot": False, "first_name": "Testa"},
                            "chat_instance": "ci",
                            "data": forged,
                            "message": message,
                        }
                    }
                )
            )
            assert live.services.conversations.open_session(pid) == before
            assert live.last().text.startswith(texts.STALE_BUTTON[1])

    run(scenario())


def test_a_typed_answer_takes_the_buttons_away_and_shows_the_answer(tmp_path: Path) -> None:
    """Typing «ja» at a button question: the question's message loses its buttons and shows
    what was answered; a later press on it is refused kindly. A text that does not answer
    brings the question again with new buttons, and the old ones go."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard()
            await live.send_flow(pid)
            first = live.with_buttons()
            assert "Vet du om noe som er viktig for deg nå?" in first.text
            await live.say("1234")  # not an answer: asked again, with new buttons
            question = live.with_buttons()
            assert question.message_id > first.message_id
            assert "Vet du om noe som er viktig for deg nå?" in question.text
            old = next(m for m in live.bot_messages() if m.message_id == first.message_id)
            assert old.buttons == [] and old.edited
            assert [m.message_id for m in live.bot_messages() if m.buttons] == [question.message_id]
            await live.say("ja")
            now = next(m for m in live.bot_messages() if m.message_id == question.message_id)
            assert now.buttons == [] and now.edited
            assert now.text.startswith(question.text)
            assert now.text.endswith("✓ Ja, jeg vet noe")
            assert "Hva er viktig for deg?" in live.last().text
            data = {t: d for row in question.buttons for t, d in row}["Jeg vet ikke helt"]
            stale = pressed(live, question.message_id, question.text, str(data), "stale-1")
            await live.act(live.standin.inject(stale))
            answer = live.standin.calls("answerCallbackQuery")[-1]
            assert answer.params.get("text") == texts.OLD_BUTTON[1]
            session = live.services.conversations.open_session(pid)
            assert session is not None and session.wait is not None
            assert session.wait.node_id == "ask_themes"

    run(scenario())


def test_a_full_disk_is_said_kindly_loses_nothing_and_passes(tmp_path: Path) -> None:
    """SQLite reports «database or disk is full» while an answer is stored: the person hears
    that nothing could be saved and to try again later; what was committed before stays; the
    update is not marked processed; once there is room again the same answer is stored.

    The full disk is simulated on the real (encrypted) database file: ``PRAGMA
    max_page_count`` at the file's size after filling its free pages, raised again afterwards
    (a size-limited file system would need mount rights)."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard()
            await live.send_flow(pid)
            await live.press("Ja, jeg vet noe")
            before = live.services.conversations.open_session(pid)
            assert before is not None and before.wait is not None
            assert before.wait.node_id == "ask_themes"
            db = live.services.db
            db.execute("CREATE TABLE filler (b BLOB)")
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {pages}")
            with pytest.raises(Exception, match="full"):
                for _ in range(10_000):  # take every free page there is
                    with db.atomic():
                        db.execute("INSERT INTO filler VALUES (zeroblob(512))")
            answer = "Skolen og vennene mine. " * 40
            handled = runtime(live.app).core.handled
            update = await live.standin.send_text(USER, answer)
            await live.idle(handled=handled + 1)
            assert live.last().text == texts.CANNOT_SAVE[1]
            assert live.services.conversations.open_session(pid) == before
            assert not live.services.outbox.processed(f"telegram:{update}")
            assert live.services.conversations.open_flags(pid) == []

            db.execute("DROP TABLE filler")
            db.execute("PRAGMA max_page_count = 1073741823")
            await live.say(answer)
            after = live.services.conversations.open_session(pid)
            assert after is not None and after.seq > before.seq
            stored = [a.value for a in live.services.conversations.answers_for(after.id)]
            assert answer.strip() in stored
            assert live.last().text != texts.CANNOT_SAVE[1]

    run(scenario())


def test_a_duplicate_update_changes_nothing(tmp_path: Path) -> None:
    """The same update_id delivered twice: one message stored, one reply sent."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard()
            update = {
                "update_id": 900_000,
                "message": {
                    "message_id": 77,
                    "date": 0,
                    "chat": {"id": USER, "type": "private", "first_name": "Testa"},
                    "from": {
                        "id": USER,
                        "is_bot": False,
                        "first_name": "Testa",
                        "language_code": "nb",
                    },
                    "text": "Kan vi flytte møtet?",
                },
            }
            sent_before = len(live.standin.calls("sendMessage"))
            await live.act(live.standin.inject(update))
            await live.act(live.standin.inject(update))
            messages = live.services.inbox_store.messages_for(pid)
            assert [m.text for m in messages] == ["Kan vi flytte møtet?"]
            assert len(live.standin.calls("sendMessage")) == sent_before + 1

    run(scenario())


def test_a_restart_mid_flow_continues_at_the_right_question(tmp_path: Path) -> None:
    """Stop the Application with replies unsent; a new one on the same database sends them
    and the conversation goes on where it was."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin:
            async with live_bot(tmp_path, standin=standin) as live:
                pid = await live.onboard()
                await live.send_flow(pid)
                await live.press("Ja, jeg vet noe")
                await live.say("Å ha et sted å bo")
                standin.fail_next("sendMessage", 429, retry_after=30)
                await live.act(standin.send_text(USER, "Fullføre skolen"), drain=False)
                while not [c for c in standin.calls("sendMessage") if not c.ok]:
                    await asyncio.sleep(0.01)
                pending = live.services.outbox.pending("telegram")
                assert pending, "the reply waits behind the 429"
            async with live_bot(tmp_path, standin=standin) as again:
                await again.idle()
                assert again.services.outbox.pending("telegram") == []
                assert again.last().text == "Er det noe mer?"
                await again.press("Nei, det er alt")
                assert again.last().text.startswith("Er det noe du ikke synes det er viktig")
                session = again.services.conversations.open_session(pid)
                assert session is not None and session.wait is not None
                assert session.wait.node_id == "ask_not_wanted"
                themes = session.results["hevd"]["themes"]
                assert [t["text"] for t in themes] == ["Å ha et sted å bo", "Fullføre skolen"]

    run(scenario())


def test_a_429_storm_delivers_every_message_once_in_order(tmp_path: Path) -> None:
    """Repeated 429s: every reply arrives exactly once, in order per chat."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            sara = await live.onboard(USER, "Sara")
            omar = await live.onboard(USER + 1, "Nadia")
            kari = live.services.directory.get_caseworker_by_username("kari")
            assert kari is not None
            live.standin.fail_next("sendMessage", 429, retry_after=1, count=2)
            for i in range(3):
                live.services.inbox.reply(sara, f"Til Sara {i}", kari.id)
                live.services.inbox.reply(omar, f"Til Nadia {i}", kari.id)
            await live.flush()
            for user, name in ((USER, "Sara"), (USER + 1, "Nadia")):
                replies = [
                    m.text.split("\n\n")[-1]
                    for m in live.bot_messages(user)
                    if m.text.startswith("Melding fra")
                ]
                assert replies == [f"Til {name} {i}" for i in range(3)]
            refused = [c for c in live.standin.calls("sendMessage") if not c.ok]
            assert len(refused) == 2
            assert all(
                m.delivered_at is not None
                for m in live.services.inbox_store.messages_for(sara)
                if m.direction == "out"
            )

    run(scenario())


def test_the_sender_keeps_telegrams_limits(tmp_path: Path) -> None:
    """With the stand-in enforcing 1 message/s per chat, the real limits give no 429."""

    async def scenario() -> None:
        async with live_bot(
            tmp_path, enforce_rate_limits=True, bot_chat_interval=1.0, bot_global_rate=30.0
        ) as live:
            pid = live.participant()
            live.services.directory.link_channel(pid, "telegram", str(USER))
            await live.say("hei")  # the chat exists once the person wrote (onboarding starts)
            kari = live.services.directory.get_caseworker_by_username("kari")
            assert kari is not None
            for i in range(3):
                live.services.inbox.reply(pid, f"Melding {i}", kari.id)
            started = asyncio.get_running_loop().time()
            await live.flush()
            sent = live.standin.calls("sendMessage", USER)
            assert [c.ok for c in sent] == [True, True, True, True]
            assert asyncio.get_running_loop().time() - started >= 2.5  # one a second

    run(scenario())


def test_a_blocked_bot_marks_the_participant_unreachable(tmp_path: Path) -> None:
    """403 from Telegram: the participant is unreachable and the caseworker gets a high flag."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard()
            live.standin.block(USER)
            kari = live.services.directory.get_caseworker_by_username("kari")
            assert kari is not None
            live.services.inbox.reply(pid, "Hei Sara!", kari.id)
            live.services.inbox.reply(pid, "Er du der?", kari.id)
            await live.flush()
            [link] = live.services.directory.links_for(pid)
            assert link.unreachable_at is not None
            [flag] = live.services.conversations.open_flags(pid)
            assert (flag.severity, flag.reason) == ("high", "unreachable")
            statuses = [i.status for i in live.services.outbox.items("telegram")][-2:]
            assert statuses == ["failed", "failed"]

    run(scenario())


def test_a_long_reply_is_split_under_4096_characters(tmp_path: Path) -> None:
    """A caseworker reply of 9000 characters arrives as several valid messages."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard()
            kari = live.services.directory.get_caseworker_by_username("kari")
            assert kari is not None
            long = "\n\n".join(f"Avsnitt {i}: " + "tekst " * 120 for i in range(12))
            live.services.inbox.reply(pid, long, kari.id)
            await live.flush()
            pieces = [c for c in live.standin.calls("sendMessage", USER) if c.ok][-3:]
            assert all(c.ok and c.text and len(c.text) <= 4096 for c in pieces)
            joined = " ".join(" ".join(c.text or "" for c in pieces).split())
            assert joined.endswith(" ".join(long.split()[-20:]))

    run(scenario())


def test_safety_words_mid_flow(tmp_path: Path) -> None:
    """Crisis words in HEVD: the safety message, a high flag with the words, then the question."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            pid = await live.onboard()
            await live.send_flow(pid)
            await live.press("Ja, jeg vet noe")
            await live.say("orker ikke mer")
            assert "116 111" in live.last().text and live.last().text.endswith(
                "Er du trygg akkurat nå?"
            )
            [flag] = live.services.conversations.open_flags(pid)
            assert (flag.severity, flag.trigger) == ("high", "orker ikke mer")
            await live.press("Ja")
            assert live.last().text.endswith("Hva er viktig for deg?\nSkriv én ting om gangen.")

    run(scenario())


def test_an_unknown_user_sees_only_the_neutral_reply_and_is_not_stored(tmp_path: Path) -> None:
    """A stranger (with and without a wrong code) gets the neutral reply; no table names them."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            stranger = 987654321
            await live.say("hei", stranger)
            await live.say("/start NotARealCode123", stranger)
            assert [m.text for m in live.bot_messages(stranger)] == [texts.UNKNOWN_USER[1]] * 2
            db = live.services.db
            for table in db.table_names():
                for row in db.execute(f'SELECT * FROM "{table}"').fetchall():
                    assert not any(str(stranger) in str(cell) for cell in row), table
            for table in ("sessions", "messages", "outbox", "processed_inputs", "channel_links"):
                assert db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == 0, table
            # only the counters for invite attempts and replies, keyed by HMACs
            assert db.execute("SELECT count(*) FROM rate_limits").fetchone()[0] == 2

    run(scenario())


def test_webhook_mode_checks_the_secret_token(tmp_path: Path) -> None:
    """Updates POSTed with the secret are handled; a request without it is refused (403)."""
    import socket

    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram"
    webhook = {"webhook_url": url, "port": port, "secret_token": "webhook-secret-1"}

    async def scenario() -> None:
        async with live_bot(tmp_path, webhook=webhook) as live:
            await live.say("hei", 555)
            assert [m.text for m in live.bot_messages(555)] == [texts.UNKNOWN_USER[1]]
            forged = {
                "update_id": 1,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": 556, "type": "private", "first_name": "X"},
                    "from": {"id": 556, "is_bot": False, "first_name": "X"},
                    "text": "hei",
                },
            }
            async with aiohttp.ClientSession() as http:
                for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                    async with http.post(url, json=forged, headers=headers) as response:
                        assert response.status == 403
            await live.idle()
            assert live.standin.calls("sendMessage", 556) == []

    run(scenario())

"""The hostile-input corpus through the real bot: PTB's HTTP stack against the Bot API
stand-in on 127.0.0.1, an encrypted SQLite file. One bot session per group of cases.

For every case: the update is handled (or dropped before it reaches the core, for what
Telegram itself would never deliver), nothing fails in the bot's error handler, what is stored
is what the person sent (or nothing), and a normal message afterwards gets its normal answer.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bots.telegram.standin.files import voice_json
from companion.flows.answers import clean_text
from companion.invites import hash_code, new_code
from companion.participants import has_consent
from companion.voice.fakes import voice_note
from tests.bots.live import USER, Live, live_bot
from tests.bots.support import run
from tests.bots.test_voice_bot import at_themes, voiced_bot
from tests.hostile.corpus import (
    BAD_INVITE_CODES,
    FORGED_CALLBACKS,
    FORGED_TEXTS,
    OUT_OF_ORDER,
    SAFETY_TEXTS,
    TEXTS,
    VOICE_FILES,
)
from tests.hostile.driver import Probe, callback_update, message_update, table_counts


def without_controls(text: str) -> str:
    """What the caseworker gets: control characters as spaces (newlines and tabs stay; a
    carriage return is a newline), so no escape sequence reaches a terminal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(" " if c not in "\n\t" and unicodedata.category(c) == "Cc" else c for c in text)


ACK = ("Takk! Meldingen er sendt", "Sendt til kontaktpersonen din.")


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def test_hostile_texts_reach_the_caseworker_safely(tmp_path: Path) -> None:
    """Control characters, zero-width and RTL overrides, markup, injections, 4096-unit texts:
    each is answered, and what reaches the inbox is what was typed with control characters as spaces
    (the bot sends plain text without parse_mode, so markup is never interpreted)."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            probe = Probe(live)
            try:
                pid = await live.onboard()
                problems: list[str] = []
                for name, text in TEXTS.items():
                    replies = await probe.text(text)
                    if not replies:
                        problems.append(f"{name}: no answer")
                        continue
                    if text.startswith("/"):
                        continue  # commands answer with help; nothing is stored
                    stored = live.services.inbox_store.messages_for(pid)
                    inbox = [m.text for m in stored if m.direction == "in"]
                    if live.services.conversations.open_session(pid) is not None:
                        problems.append(f"{name}: started a conversation")
                    if not inbox or inbox[-1] != without_controls(text):
                        problems.append(f"{name}: stored {inbox[-1:]!r}")
                    if not replies[-1].text.startswith(ACK):
                        problems.append(f"{name}: answered {replies[-1].text[:60]!r}")
                assert problems == []
                sent = live.standin.calls("sendMessage")
                assert sent and all("parse_mode" not in c.params for c in sent)
                everything = "".join(m.text for m in live.services.inbox_store.messages_for(pid))
                assert "\x1b" not in everything and "\x00" not in everything
                assert probe.failures.lines() == []
                assert (await probe.still_answers()).startswith(ACK)
            finally:
                probe.close()

    run(scenario(), timeout=120)


def test_hostile_texts_as_answers_are_stored_clean_or_refused(tmp_path: Path) -> None:
    """The same texts as answers to «Hva er viktig for deg?»: each is taken, cleaned the way
    the engine cleans every answer (no control or invisible characters), or refused with a
    hint; «/back» takes the item away again, and nothing else lands in the results."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            probe = Probe(live)
            try:
                pid = await live.onboard()
                await live.send_flow(pid)
                await live.press("Ja, jeg vet noe")
                wrong: list[str] = []
                for name, text in TEXTS.items():
                    if text.startswith("/"):
                        continue
                    replies = await probe.text(text)
                    session = live.services.conversations.open_session(pid)
                    assert session is not None and session.wait is not None, name
                    themes = session.results.get("hevd", {}).get("themes", [])
                    expected = clean_text(without_controls(text))
                    if themes:
                        if themes != [{"text": expected}]:
                            wrong.append(f"{name}: stored {themes!r}"[:200])
                        await live.say("/back")
                        after = live.services.conversations.open_session(pid)
                        if after is None or after.results.get("hevd", {}).get("themes"):
                            wrong.append(f"{name}: /back left the item")
                    elif not replies:
                        wrong.append(f"{name}: no answer")
                    elif expected and len(expected) <= 4000:  # else: refused with a hint
                        wrong.append(f"{name}: not taken ({replies[-1].text[:60]!r})")
                assert wrong == []
                stored = [
                    str(a.value)
                    for a in live.services.conversations.answers_for(
                        live.services.conversations.open_session(pid).id
                    )
                ]
                assert not any("\x1b" in v or "\u202e" in v or "\x00" in v for v in stored)
                assert probe.failures.lines() == []
            finally:
                probe.close()

    run(scenario(), timeout=120)


def test_disguised_safety_words_still_start_the_safety_path(tmp_path: Path) -> None:
    """Zero-width characters, RTL overrides, markup or odd spaces do not hide a safety word:
    the safety flow starts, the caseworker gets the message and a high-priority flag."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            probe = Probe(live)
            try:
                pid = await live.onboard()
                missed: list[str] = []
                for name, text in SAFETY_TEXTS.items():
                    await probe.text(text)
                    session = live.services.conversations.open_session(pid)
                    if session is None or session.flow_id != "safety":
                        missed.append(name)
                        continue
                    assert "Er du trygg akkurat nå?" in live.last().text
                    await live.press("Ja")
                    assert live.services.conversations.open_session(pid) is None
                    inbox = [m.text for m in live.services.inbox_store.messages_for(pid)]
                    assert inbox[-1] == without_controls(text), name
                assert missed == []
                flags = live.services.conversations.open_flags(pid)
                assert len(flags) == len(SAFETY_TEXTS)
                assert all(f.severity == "high" for f in flags)
                assert probe.failures.lines() == []
                assert (await probe.still_answers()).startswith(ACK)
            finally:
                probe.close()

    run(scenario(), timeout=120)


def test_texts_telegram_never_delivers_are_dropped(tmp_path: Path) -> None:
    """Lone surrogates and texts over 4096 units can only come from a forged update: the bot
    stores none of them, keeps running and answers the next message."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            probe = Probe(live)
            try:
                pid = await live.onboard()
                before = table_counts(live)
                for name, (text, expected) in FORGED_TEXTS.items():
                    handled = await probe.dropped_or_handled(message_update(USER, text))
                    inbox = [m.text for m in live.services.inbox_store.messages_for(pid)]
                    if expected is None:
                        assert handled == 0, name
                        assert len(inbox) == 0, name
                    else:
                        assert handled == 1, name
                        assert inbox[-1] == expected, name
                        inbox.clear()
                        live.services.db.execute("DELETE FROM messages")
                assert probe.failures.lines() == []
                after = table_counts(live)
                stored = sum(1 for _, e in FORGED_TEXTS.values() if e is not None)
                assert after["processed_inputs"] == before["processed_inputs"] + stored
                assert after["messages"] == 0
                assert (await probe.still_answers()).startswith(ACK)
            finally:
                probe.close()

    run(scenario(), timeout=120)


def _mutations(data: str) -> dict[str, str]:
    """A valid button's data, changed in each part: none of them may verify."""
    kind, seq, arg, mac = data.split(".")
    flipped = ("B" if mac[0] == "A" else "A") + mac[1:]
    return {
        "mac with one character changed": f"{kind}.{seq}.{arg}.{flipped}",
        "mac truncated": f"{kind}.{seq}.{arg}.{mac[:-1]}",
        "mac empty": f"{kind}.{seq}.{arg}.",
        "mac upper-cased": f"{kind}.{seq}.{arg}.{mac.upper()}",
        "next seq": f"{kind}.{int(seq, 16) + 1:x}.{arg}.{mac}",
        "a later seq": f"{kind}.{int(seq, 16) + 5:x}.{arg}.{mac}",
        "other option": f"{kind}.{seq}.{int(arg) + 1}.{mac}",
        "option out of range": f"{kind}.{seq}.99.{mac}",
        "toggle instead of choice": f"t.{seq}.{arg}.{mac}",
        "done instead of choice": f"d.{seq}.{arg}.{mac}",
        "as a language button": f"l.{seq}.{arg}.{mac}",
        "as a voice button": f"v.{seq}.1.{mac}",
        "trailing dot": f"{data}.",
        "padded with spaces": f" {data} ",
    }


def test_forged_and_replayed_buttons_change_nothing(tmp_path: Path) -> None:
    """Forged callback_data, a real button's data tampered with, a button pressed by another
    person or a stranger, an answered button pressed again: a kind «that button no longer
    works», the question again, and the session exactly as it was."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            probe = Probe(live)
            try:
                pid = await live.onboard()
                await live.send_flow(pid)
                question = live.with_buttons()
                buttons = {t: d for row in question.buttons for t, d in row}
                valid = buttons["Ja, jeg vet noe"]
                assert valid is not None
                before = live.services.conversations.open_session(pid)
                counts = table_counts(live)
                cases = {**FORGED_CALLBACKS, **_mutations(valid)}
                wrong: list[str] = []
                for name, data in cases.items():
                    for message in (question, None):
                        update = callback_update(live, USER, data, message)
                        await probe.send(update)
                        query_id = update["callback_query"]["id"]
                        answers = [
                            c
                            for c in live.standin.calls("answerCallbackQuery")
                            if c.params.get("callback_query_id") == query_id
                        ]
                        if len(answers) != 1:
                            wrong.append(f"{name}: {len(answers)} answers to the press")
                        if live.services.conversations.open_session(pid) != before:
                            wrong.append(f"{name}: the session changed")
                assert wrong == []
                assert probe.failures.lines() == []
                after = table_counts(live)
                for table in ("answers", "sessions", "messages", "held_inputs", "flags"):
                    assert after[table] == counts[table], table

                # Another participant presses this person's real button; then a stranger does.
                other = await live.onboard(user=777, name="Ola")
                await probe.send(callback_update(live, 777, valid, question), user=777)
                await probe.send(callback_update(live, 555, valid, question), user=555)
                assert live.services.conversations.open_session(pid) == before
                assert live.services.conversations.open_session(other) is None

                # The real button still works, once; pressed again it is stale.
                await live.press("Ja, jeg vet noe")
                moved = live.services.conversations.open_session(pid)
                assert moved is not None and moved.seq == before.seq + 1
                await probe.send(callback_update(live, USER, valid, question))
                assert live.services.conversations.open_session(pid) == moved
                assert probe.failures.lines() == []
            finally:
                probe.close()

    run(scenario(), timeout=120)


def _real_code_variants(code: str) -> dict[str, str]:
    last = "B" if code[-1] == "A" else "A"
    middle = len(code) // 2
    return {
        "<real code, last character changed>": code[:-1] + last,
        "<real code, lower-cased>": code.lower() if code.lower() != code else code.upper(),
        "<real code, a space in the middle>": f"{code[:middle]} {code[middle:]}",
        "<real code>x": code + "x",
        "<real code, last character cut>": code[:-1],
    }


def test_bad_replayed_expired_and_brute_forced_invites_link_nobody(tmp_path: Path) -> None:
    """Wrong, mangled, expired and already used codes link no account; after five tries in
    an hour even the right code is refused for that account (and still works for another)."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            probe = Probe(live)
            try:
                s = live.services
                pid = live.participant()
                code = s.invites.create(pid).code
                variants = _real_code_variants(code)
                linked: list[str] = []
                for i, (name, raw) in enumerate(BAD_INVITE_CODES.items()):
                    user = 10_000 + i  # one account each: the limit is per account
                    replies = await probe.text(f"/start {variants.get(raw, raw)}".strip(), user)
                    assert len(replies) == 1, name
                    if s.directory.participant_by_channel("telegram", str(user)) is not None:
                        linked.append(name)
                assert linked == []

                # Expired: valid in every other way, a minute past its time.
                case = s.directory.get_case(s.directory.get_participant(pid).case_id)
                expired = new_code()
                s.directory.add_invite(
                    pid,
                    hash_code(expired),
                    case.caseworker_id,
                    s.clock.now() - timedelta(minutes=1),
                )
                await probe.text(f"/start {expired}", 20_001)
                assert s.directory.participant_by_channel("telegram", "20001") is None

                # Brute force: five wrong codes, then the right one, from one account.
                for attempt in range(5):
                    await probe.text(f"/start {new_code()}", 20_002)
                    assert s.directory.participant_by_channel("telegram", "20002") is None, attempt
                await probe.text(f"/start {code}", 20_002)
                assert s.directory.participant_by_channel("telegram", "20002") is None
                quiet = await probe.text("/start", 20_002)
                assert quiet == []  # over the reply limit: the bot stops answering this account

                # The right code from another account works once; replayed it links nobody else.
                await probe.text(f"/start {code}", 20_003)
                assert s.directory.participant_by_channel("telegram", "20003").id == pid
                for user in (20_004, 20_005):
                    await probe.text(f"/start {code}", user)
                    assert s.directory.participant_by_channel("telegram", str(user)) is None
                await probe.text(f"/start {code}", 20_003)  # the owner again: still one link
                assert len(s.directory.links_for(pid)) == 1
                assert table_counts(live)["participants"] == 1
                assert probe.failures.lines() == []
            finally:
                probe.close()

    run(scenario(), timeout=120)


def test_commands_and_answers_out_of_order(tmp_path: Path) -> None:
    """/continue, /skip, answers … from a stranger, before consent, and after /stop: a kind
    reply or silence, never a crash, no consent or answer stored that nobody gave."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            probe = Probe(live)
            try:
                s = live.services
                counts = table_counts(live)
                for text in OUT_OF_ORDER:  # a stranger
                    await probe.text(text, 30_001)
                after = table_counts(live)
                for table in ("participants", "channel_links", "sessions", "messages"):
                    assert after[table] == counts[table], table

                pid = live.participant("Ola")
                code = s.invites.create(pid).code
                await probe.text(f"/start {code}", 30_002)
                for text in OUT_OF_ORDER:  # linked, consent not given yet
                    if text.startswith("/"):
                        assert await probe.text(text, 30_002), text
                assert not has_consent(s.conversations, pid)
                assert s.inbox_store.messages_for(pid) == []
                assert s.conversations.open_session(pid).flow_id == "onboarding"

                sara = await live.onboard()
                await live.send_flow(sara)
                answers = table_counts(live)["answers"]
                for text in OUT_OF_ORDER:  # after /stop, in the middle of a flow
                    await live.say("/stop")
                    assert s.directory.get_participant(sara).messages_stopped
                    await probe.text(text)
                assert table_counts(live)["answers"] <= answers + 3  # ja / 7 / Ferdig at most
                assert probe.failures.lines() == []
                await live.say("/continue")
                assert not s.directory.get_participant(sara).messages_stopped
                assert live.bot_messages()[-1].text
            finally:
                probe.close()

    run(scenario(), timeout=120)


def test_flooding_and_redelivered_updates(tmp_path: Path) -> None:
    """Sixty messages at once from one chat, then the same updates delivered again: every
    message is stored once, in order, and the bot still answers."""

    async def scenario() -> None:
        async with live_bot(tmp_path) as live:
            probe = Probe(live)
            try:
                pid = await live.onboard()
                updates = [message_update(USER, f"melding {i}") for i in range(60)]
                before = probe.handled
                ids = [live.standin.inject(u) for u in updates]
                await live.idle(timeout=60, handled=before + len(updates))
                for update_id, update in zip(ids[:10], updates[:10], strict=True):
                    await probe.dropped_or_handled({"update_id": update_id, **update})
                inbox = [m.text for m in live.services.inbox_store.messages_for(pid)]
                assert inbox == [f"melding {i}" for i in range(60)]
                assert probe.failures.lines() == []
                assert (await probe.still_answers()).startswith(ACK)
            finally:
                probe.close()

    run(scenario(), timeout=120)


VOICE_REPLIES = {
    "NOT_AUDIO": "Dette ser ikke ut som en lydmelding.",
    "EMPTY": "Lydmeldingen var tom.",
    "BROKEN": "Jeg fikk ikke åpnet lydmeldingen.",
    "TOO_LONG": "Lydmeldingen er for lang.",
    "TOO_BIG": "Lydfilen er for stor.",
    "NOT_FETCHED": "Jeg fikk ikke hentet lydmeldingen.",
    "HEARD": "Jeg hørte: «Å ha et sted å bo»",
}


def _voice_update(live: Live, case: dict[str, object], user: int = USER) -> dict[str, Any]:
    data = case["data"]
    if data == "real":
        data = voice_note("Å ha et sted å bo")
    elif data == "truncated":
        data = voice_note("Å ha et sted å bo")[:120]
    voice: dict[str, Any]
    if data is None:
        voice = {"file_id": "AwACAgIAAxkDAAI-nope", "file_unique_id": "nope", "duration": 2}
    else:
        stored = live.standin._state.files.add(
            bytes(data), kind="voice", mime_type=str(case.get("mime", "audio/ogg"))
        )
        voice = voice_json(stored, int(case.get("duration", 2)))  # type: ignore[call-overload]
    if "size" in case:
        voice["file_size"] = case["size"]
    update = message_update(user, "x")
    del update["message"]["text"]
    update["message"]["voice"] = voice
    return update


def test_files_disguised_as_voice_notes_are_refused_kindly(tmp_path: Path) -> None:
    """Random bytes, pictures, programs, truncated audio, lying durations, sizes and MIME
    types, missing files, sent where a spoken answer is welcome: a kind reply, no answer
    stored, and typing the answer still works."""

    async def scenario() -> None:
        async with voiced_bot(tmp_path) as live:
            probe = Probe(live)
            try:
                pid = await at_themes(live)
                silent: list[str] = []
                wrong: list[str] = []
                for name, case in VOICE_FILES.items():
                    replies = await probe.send(_voice_update(live, case))
                    if not replies:
                        silent.append(name)
                    elif VOICE_REPLIES[str(case["expect"])] not in replies[-1].text:
                        wrong.append(f"{name}: {replies[-1].text!r}")
                    session = live.services.conversations.open_session(pid)
                    assert session is not None, name
                    stored = live.services.conversations.answers_for(session.id)
                    assert [a for a in stored if a.source == "voice"] == [], name
                assert silent == []
                assert wrong == []
                assert probe.failures.lines() == []
                await live.say("Å ha et sted å bo")
                session = live.services.conversations.open_session(pid)
                texts_stored = [
                    a.value for a in live.services.conversations.answers_for(session.id)
                ]
                assert "Å ha et sted å bo" in str(texts_stored)
            finally:
                probe.close()

    run(scenario(), timeout=120)

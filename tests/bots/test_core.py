"""What the bot does with each kind of update, on the in-memory services (no PTB, no HTTP)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bots.telegram import texts
from bots.telegram.core import BotCore, _answer_label
from companion.participants import send_flow
from companion.ports import OutboxItem
from companion.services import Services
from tests.bots.support import Chat, memory, youth

NEUTRAL = texts.UNKNOWN_USER[1]


@pytest.fixture
def services() -> Services:
    return memory()


@pytest.fixture
def chat(services: Services) -> Chat:
    return Chat(BotCore(services))


def invited(chat: Chat) -> str:
    """Create Sara with an invite and redeem it; returns her participant id."""
    sara = youth(chat.services)
    code = chat.services.invites.create(sara.id).code
    chat.command("start", code)
    return sara.id


def onboarded(chat: Chat, language: str = "Bokmål") -> str:
    """Invite, consent, language, no voice: Sara is ready."""
    pid = invited(chat)
    chat.press("Ja, det er greit")
    chat.press(language)
    chat.press({"Bokmål": "Nei", "Nynorsk": "Nei", "English": "No"}[language])
    return pid


# --- strangers ---------------------------------------------------------------------------------


def test_an_unknown_user_gets_one_neutral_reply_and_nothing_is_stored(chat: Chat) -> None:
    """A stranger's words get the neutral reply, never stored; same for a wrong code."""
    chat.text("hei, hvem er du?")
    chat.command("start", "WrongCode123")
    chat.command("start")
    assert [c["params"]["text"] for c in chat.volatile] == [NEUTRAL] * 3
    assert chat.services.outbox.items() == []
    assert chat.services.directory.participant_by_channel("telegram", str(chat.user)) is None
    assert not chat.services.outbox.processed("telegram:1")


def test_strangers_get_a_few_replies_an_hour_at_most(chat: Chat) -> None:
    """A stranger cannot make the bot spend its limits: five replies an hour, then silence."""
    for i in range(8):
        chat.text(f"hei {i}")
    assert len(chat.volatile) == 5
    chat.services.clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
    chat.text("hei igjen")
    assert len(chat.volatile) == 6


def test_the_neutral_reply_follows_the_phone_language(chat: Chat) -> None:
    """Localized by the Telegram client's language (nothing about the person is stored)."""
    chat.text("hello", language_code="en")
    assert chat.volatile[-1]["params"]["chat_id"] == chat.user


# --- onboarding --------------------------------------------------------------------------------


def test_an_invite_starts_onboarding_and_nothing_else_before_consent(chat: Chat) -> None:
    """Redeeming shows the welcome and the consent question; /menu first asks for consent."""
    invited(chat)
    first = chat.texts()[0]
    assert first.startswith("Hei, og velkommen!") and "116 111" in first
    assert chat.buttons(chat.last_with_buttons()) == ["Ja, det er greit", "Nei, ikke nå"]
    before = len(chat.shown)
    chat.command("menu")
    again = chat.texts(before)
    assert again[-1].startswith(texts.CONSENT_FIRST[1])
    assert "Er det greit for deg" in again[-1]
    assert all(
        "reply_markup" not in c["params"] or "keyboard" not in c["params"]["reply_markup"]
        for c in chat.shown
    )


def test_consent_then_language_and_voice_are_applied(chat: Chat) -> None:
    """The chosen language becomes the participant's; the help-now keyboard appears."""
    pid = onboarded(chat, "Nynorsk")
    participant = chat.services.directory.get_participant(pid)
    assert participant is not None and (participant.locale, participant.voice) == ("nn", False)
    [consent] = chat.services.conversations.consents_for(pid)
    assert consent.granted
    last = chat.shown[-1]["params"]
    assert last["reply_markup"]["keyboard"] == [[{"text": "Jeg trenger hjelp nå"}]]
    edits = [c for c in chat.shown if c["method"] == "editMessageText"]
    assert edits[0]["params"]["text"].endswith("✓ Ja, det er greit")


def test_a_typed_answer_is_shown_with_the_words_of_its_button() -> None:
    """A typed «ja» at a consent or yes/no question is stored as True: the edit that takes
    the buttons away shows «✓ Ja, det er greit», not «✓ True»; numbers and choices too."""
    yes_no = {"yes": "Ja, det er greit", "no": "Nei, ikke nå"}
    assert _answer_label(True, yes_no) == "Ja, det er greit"
    assert _answer_label(False, yes_no) == "Nei, ikke nå"
    assert _answer_label(4, {"4": "4 – ganske bra"}) == "4 – ganske bra"
    assert _answer_label(["bolig", "skole"], {"bolig": "Bolig", "skole": "Skole"}) == (
        "Bolig, Skole"
    )
    assert _answer_label("mine egne ord", {"bolig": "Bolig"}) == "mine egne ord"


def test_declining_stores_no_messages(chat: Chat) -> None:
    """After «Nei, ikke nå» the person's words are not kept; /start shows it all again."""
    pid = invited(chat)
    chat.press("Nei, ikke nå")
    chat.text("Hva betyr dette?")
    assert chat.last_text() == texts.DECLINED[1]
    assert chat.services.inbox_store.messages_for(pid) == []
    chat.command("start")
    assert "Hei, og velkommen!" in chat.texts()[-1] or "velkommen" in " ".join(chat.texts()[-2:])


def test_a_duplicate_update_changes_nothing(chat: Chat) -> None:
    """The same update_id again (a redelivery) stores nothing and sends nothing."""
    onboarded(chat)
    chat.text("Kan vi flytte møtet?", update_id=500)
    shown, rows = len(chat.shown), len(chat.services.outbox.items())
    outcome = chat.text("Kan vi flytte møtet?", update_id=500)
    assert not outcome.enqueued
    assert len(chat.shown) == shown and len(chat.services.outbox.items()) == rows
    assert (
        len(
            chat.services.inbox_store.messages_for(
                chat.services.directory.participant_by_channel("telegram", str(chat.user)).id
            )
        )
        == 1
    )  # type: ignore[union-attr]


# --- between meetings ----------------------------------------------------------------------------


def test_words_outside_a_flow_go_to_the_case_inbox(chat: Chat) -> None:
    """A message is stored for the kontaktperson with an honest reply; a second, a short one."""
    pid = onboarded(chat)
    chat.text("Kan vi flytte møtet på torsdag?")
    assert "leser meldinger mandag–fredag kl. 08:00–15:30" in chat.last_text()
    chat.text("Det passer best etter skolen.")
    assert chat.last_text() == "Sendt til kontaktpersonen din."
    stored = chat.services.inbox_store.messages_for(pid)
    assert [(m.direction, m.text) for m in stored] == [
        ("in", "Kan vi flytte møtet på torsdag?"),
        ("in", "Det passer best etter skolen."),
    ]


def test_outside_office_hours_the_reply_points_to_the_safety_path(services: Services) -> None:
    """At night the reply says when it is read and gives the emergency numbers."""
    chat = Chat(BotCore(services))
    onboarded(chat)
    services.clock.advance(timedelta(hours=12))  # type: ignore[attr-defined]  # 22:00 in Oslo
    chat.text("Kan vi flytte møtet?")
    assert "i morgen kl. 08:00" in chat.last_text() and "116 111" in chat.last_text()


def test_caseworker_reply_is_delivered_and_marked(chat: Chat) -> None:
    """inbox.reply() is sent by the bot (with the prefix) and marked delivered."""
    pid = onboarded(chat)
    kari = chat.services.directory.get_caseworker_by_username("kari")
    assert kari is not None
    message = chat.services.inbox.reply(pid, "Ja, torsdag kl. 14 passer.", kari.id)
    [sent] = chat.flush()
    assert (
        sent["params"]["text"] == "Melding fra kontaktpersonen din:\n\nJa, torsdag kl. 14 passer."
    )
    assert sent["params"]["chat_id"] == chat.user
    [stored] = [m for m in chat.services.inbox_store.messages_for(pid) if m.id == message.id]
    assert stored.delivered_at is not None


# --- flows and buttons ---------------------------------------------------------------------------


def start_hevd(chat: Chat, pid: str) -> None:
    s = chat.services
    send_flow(
        pid,
        "hevd",
        engine=s.engine,
        directory=s.directory,
        conversations=s.conversations,
        audit=s.audit,
        actor="test",
    )
    chat.flush()


def test_a_sent_flow_arrives_with_working_buttons(chat: Chat) -> None:
    """A flow the caseworker sends is rendered by the bot; its buttons answer it."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    assert chat.last_text().startswith("Hei! Nå skal vi snakke om det som er viktig for deg.")
    chat.press("Ja, jeg vet noe")
    assert chat.last_text().startswith("Hva er viktig for deg?")
    session = chat.services.conversations.open_session(pid)
    assert session is not None and session.wait is not None and session.wait.node_id == "ask_themes"


def test_stale_and_forged_buttons_are_refused_kindly(chat: Chat) -> None:
    """An old question's button, or tampered data, changes nothing and asks the question again."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    old = chat.last_with_buttons()
    chat.press("Ja, jeg vet noe")
    before = chat.services.conversations.open_session(pid)
    count = len(chat.shown)
    chat.press("Jeg vet ikke helt", message=old)
    answer = chat.shown[count]
    assert (
        answer["method"] == "answerCallbackQuery"
        and answer["params"]["text"] == texts.OLD_BUTTON[1]
    )
    assert chat.last_text().startswith(texts.STALE_BUTTON[1])
    assert "Hva er viktig for deg?" in chat.last_text()
    data = old["params"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    kind, _seq, arg, mac = data.split(".")
    chat.press_data(f"{kind}.{before.seq:x}.{arg}.{mac}")  # type: ignore[union-attr]
    assert chat.services.conversations.open_session(pid) == before
    assert chat.last_text().startswith(texts.STALE_BUTTON[1])


def test_free_text_at_a_button_question_asks_what_was_meant(chat: Chat) -> None:
    """Words that do not answer a choice: «answer or message?»; as a message it goes to the inbox."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    chat.text("Kan vi heller snakke om dette på møtet?")
    assert chat.last_text() == texts.ANSWER_OR_MESSAGE[1]
    assert chat.buttons(chat.last_with_buttons()) == [texts.AS_ANSWER[1], texts.AS_MESSAGE[1]]
    chat.press(texts.AS_MESSAGE[1])
    [message] = chat.services.inbox_store.messages_for(pid)
    assert message.text == "Kan vi heller snakke om dette på møtet?"
    assert "Vet du om noe som er viktig for deg nå?" in chat.last_text()
    chat.text("Jeg er ikke sikker")
    chat.press(texts.AS_ANSWER[1])
    assert "Velg ett av alternativene" in chat.last_text()
    assert len(chat.services.inbox_store.messages_for(pid)) == 1


def test_multiple_choice_toggles_and_limits(chat: Chat) -> None:
    """Toggles only redraw the keyboard; a fourth pick is refused; «Ferdig» answers."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    chat.press("Ja, jeg vet noe")
    for theme in ("Bolig", "Skole", "Venner", "Jobb"):
        chat.text(theme)
    chat.press("Nei, det er alt")
    chat.press("Nei, ingenting")
    question = chat.last_with_buttons()
    assert chat.buttons(question) == ["Bolig", "Skole", "Venner", "Jobb", "Ferdig"]
    seq = chat.services.conversations.open_session(pid).seq  # type: ignore[union-attr]
    chat.press("Bolig", message=question)
    redraw = chat.shown[-1]
    assert redraw["method"] == "editMessageReplyMarkup"
    keyboard = {
        "params": {**question["params"], "reply_markup": redraw["params"]["reply_markup"]},
        "method": "sendMessage",
    }
    assert chat.buttons(keyboard)[0] == "✓ Bolig"
    for label in ("Skole", "Venner"):
        chat.press(label, message=keyboard)
        keyboard = {
            "params": {
                **question["params"],
                "reply_markup": chat.shown[-1]["params"]["reply_markup"],
            },
            "method": "sendMessage",
        }
    chat.press("Jobb", message=keyboard)
    assert chat.shown[-1]["params"]["text"] == "Du kan velge høyst 3."
    assert chat.services.conversations.open_session(pid).seq == seq  # type: ignore[union-attr]
    chat.press("Ferdig", message=keyboard)
    assert any(c["params"].get("text", "").endswith("✓ Bolig, Skole, Venner") for c in chat.shown)
    session = chat.services.conversations.open_session(pid)
    assert session is not None and session.results["hevd"]["top_themes"] == [
        {"text": "Bolig"},
        {"text": "Skole"},
        {"text": "Venner"},
    ]


# --- safety ---------------------------------------------------------------------------------------


def test_safety_words_outside_a_flow_start_the_safety_path_with_a_flag(chat: Chat) -> None:
    """Crisis words between meetings: the safety message at once, a high flag with the words."""
    pid = onboarded(chat)
    chat.text("jeg vil ikke leve mer")
    assert "116 111" in chat.last_text()
    [flag] = chat.services.conversations.open_flags(pid)
    assert (flag.severity, flag.trigger) == ("high", "jeg vil ikke leve mer")


def test_the_help_now_button_starts_the_safety_path(chat: Chat) -> None:
    """The persistent «Jeg trenger hjelp nå» button works outside flows."""
    pid = onboarded(chat)
    chat.text("Jeg trenger hjelp nå")
    assert "Alarmtelefonen for barn og unge: 116 111" in chat.last_text()
    [flag] = chat.services.conversations.open_flags(pid)
    assert flag.severity == "high"


def test_safety_words_mid_flow_interrupt_then_ask_again(chat: Chat) -> None:
    """In HEVD, crisis words get the safety message, a flag, and then the same question."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    chat.press("Ja, jeg vet noe")
    chat.text("jeg vil dø")
    assert "Er du trygg akkurat nå?" in chat.last_text()
    chat.press("Ja")
    assert chat.last_text().endswith("Hva er viktig for deg?\nSkriv én ting om gangen.")
    [flag] = chat.services.conversations.open_flags(pid)
    assert flag.trigger == "jeg vil dø"


# --- commands -------------------------------------------------------------------------------------


def test_stop_and_start_again(chat: Chat) -> None:
    """/stop pauses the flow and stops messages; /start starts them again and continues."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    chat.command("stop")
    participant = chat.services.directory.get_participant(pid)
    assert participant is not None and participant.messages_stopped
    assert chat.services.conversations.open_session(pid).status == "paused"  # type: ignore[union-attr]
    assert chat.last_text() == texts.STOPPED[1]
    chat.command("start")
    assert not chat.services.directory.get_participant(pid).messages_stopped  # type: ignore[union-attr]
    assert "Vet du om noe som er viktig for deg nå?" in chat.last_text()


def test_menu_lists_open_conversations(chat: Chat) -> None:
    """/menu names the waiting flow by its title."""
    pid = onboarded(chat)
    chat.command("menu")
    assert chat.last_text().startswith(texts.MENU_NOTHING[1])
    start_hevd(chat, pid)
    chat.command("menu")
    assert "• Hva er viktig for deg? (venter på svaret ditt)" in chat.last_text()


def test_my_data_is_a_file_of_my_own_answers(chat: Chat) -> None:
    """/mydata sends a JSON document with the person's answers, consents and messages."""
    import base64

    pid = onboarded(chat)
    chat.text("Hei Kari")
    chat.command("mydata")
    [document] = [c for c in chat.shown if c["method"] == "sendDocument"]
    data = json.loads(base64.b64decode(document["params"]["document"]["base64"]))
    assert data["participant"]["name"] == "Sara"
    assert data["consents"][0]["granted"] is True
    assert data["messages"] == [{"from": "me", "text": "Hei Kari", "at": data["messages"][0]["at"]}]
    assert any(c["flow"] == "onboarding" for c in data["conversations"])
    assert chat.services.audit.entries()[-1].action == "participant.data_copy"
    assert pid in chat.services.audit.entries()[-1].subject


def test_delete_asks_the_caseworker(chat: Chat) -> None:
    """/delete raises a low flag and audits the request; it deletes nothing by itself."""
    pid = onboarded(chat)
    chat.command("delete")
    [flag] = chat.services.conversations.open_flags(pid)
    assert (flag.severity, flag.reason) == ("low", "deletion_requested")
    assert chat.services.audit.entries()[-1].action == "participant.deletion_requested"
    assert chat.last_text() == texts.DELETION_REQUESTED[1]


def test_language_and_voice_commands(chat: Chat) -> None:
    """/language offers the three languages; /voice on and off."""
    pid = onboarded(chat)
    chat.command("language")
    assert chat.buttons(chat.last_with_buttons()) == ["Bokmål", "Nynorsk", "English"]
    chat.press("English")
    assert chat.services.directory.get_participant(pid).locale == "en"  # type: ignore[union-attr]
    chat.command("voice", "on")
    assert chat.services.directory.get_participant(pid).voice  # type: ignore[union-attr]
    chat.command("voice", "off")
    assert not chat.services.directory.get_participant(pid).voice  # type: ignore[union-attr]


def test_a_new_language_applies_to_the_running_conversation_at_once(chat: Chat) -> None:
    """Mid-flow, /language → English: the question waiting comes again in English, with
    working English buttons; the answer goes on in English."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    assert "Vet du om noe som er viktig for deg nå?" in chat.last_text()
    chat.command("language")
    chat.press("English")
    assert "English" in chat.texts()[-2]  # «… English from now on»
    assert "Can you think of something that matters to you now?" in chat.last_text()
    assert "Yes, I know something" in chat.buttons(chat.last_with_buttons())
    session = chat.services.conversations.open_session(pid)
    assert session is not None and session.locale == "en"
    chat.press("Yes, I know something")
    assert chat.services.conversations.open_session(pid).wait.node_id == "ask_themes"  # type: ignore[union-attr]


def test_language_by_name_needs_no_buttons(chat: Chat) -> None:
    """«/language nynorsk» sets it at once; an unknown name offers the buttons."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    chat.command("language", "Nynorsk")
    assert chat.services.directory.get_participant(pid).locale == "nn"  # type: ignore[union-attr]
    session = chat.services.conversations.open_session(pid)
    assert session is not None and session.locale == "nn" and session.status == "waiting"
    chat.command("language", "klingon")
    assert chat.buttons(chat.last_with_buttons()) == ["Bokmål", "Nynorsk", "English"]
    assert chat.services.directory.get_participant(pid).locale == "nn"  # type: ignore[union-attr]


def test_voice_notes_get_an_honest_reply(chat: Chat) -> None:
    """Until voice input lands, a voice note gets a kind «please write» reply."""
    onboarded(chat)
    chat._do(kind="voice")
    assert chat.last_text() == texts.VOICE_NOT_YET[1]


def test_blocked_marks_unreachable_and_flags_once(chat: Chat) -> None:
    """A 403 marks the link unreachable and raises one high flag; writing again clears it."""
    pid = onboarded(chat)
    item = OutboxItem(
        id=1,
        channel="telegram",
        chat_id=str(chat.user),
        kind="api",
        payload={},
        participant_id=pid,
        created_at=chat.services.clock.now(),
    )
    chat.core.blocked(item)
    chat.core.blocked(item)
    [flag] = chat.services.conversations.open_flags(pid)
    assert (flag.severity, flag.reason) == ("high", "unreachable")
    assert chat.services.directory.links_for(pid)[0].unreachable_at is not None
    chat.text("Hei igjen")
    assert chat.services.directory.links_for(pid)[0].unreachable_at is None


def test_an_expired_conversation_says_so_unless_messages_are_stopped(chat: Chat) -> None:
    """Due deadlines are delivered from the stored sessions; a stopped person gets no message."""
    pid = onboarded(chat)
    start_hevd(chat, pid)
    chat.services.clock.advance(timedelta(days=400))  # type: ignore[attr-defined]
    assert chat.core.deliver_due() == 1
    chat.flush()
    assert chat.last_text() == "Denne samtalen er avsluttet fordi det har gått lang tid."
    assert chat.services.conversations.open_session(pid) is None
    start_hevd(chat, pid)
    chat.command("stop")
    shown = len(chat.shown)
    chat.services.clock.advance(timedelta(days=400))  # type: ignore[attr-defined]
    assert chat.core.deliver_due() == 1
    assert chat.flush() == [] and len(chat.shown) == shown

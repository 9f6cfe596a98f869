"""Engine behaviour per node kind, universal command, deadline and safety interrupt."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.flows import Engine, SessionNotResumable, UnknownFlow
from companion.flows import events as ev
from companion.flows.fakes import FixedClock
from companion.flows.inputs import (
    ExpiryInput,
    TextInput,
    TimeoutInput,
    choice,
    command,
    text,
)


def answer_all(engine: Engine, session, *inputs):
    sprint = None
    for value in inputs:
        sprint = engine.resume(session, value)
        session = sprint.session
    return sprint


def test_start_runs_to_the_first_question(engine: Engine) -> None:
    """Messages before the first wait are sent, then the question is asked and the session waits."""
    sprint = engine.start("tour")
    assert sprint.texts() == ["Hei! Dette er en prøve.", "Hva heter du?"]
    assert sprint.session.status == "waiting"
    assert sprint.session.wait is not None and sprint.session.wait.node_id == "name"
    assert isinstance(sprint.events[-1], ev.WaitStarted)


def test_unknown_flow_names_the_known_ones(engine: Engine) -> None:
    with pytest.raises(UnknownFlow, match=r"known flows: .*tour"):
        engine.start("nope")


def test_text_answer_is_saved_verbatim_without_control_characters(engine: Engine) -> None:
    """The person's words are kept as written, minus invisible control characters."""
    session = engine.start("tour").session
    sprint = engine.resume(session, text("  Mia\u200b Ødegård\x07 "))
    assert sprint.session.results["tour"]["name"] == "Mia Ødegård"
    recorded = [e for e in sprint.events if isinstance(e, ev.AnswerRecorded)]
    assert recorded[0].key == "tour.name" and recorded[0].value == "Mia Ødegård"


def test_empty_text_is_rejected_and_not_stored(engine: Engine) -> None:
    session = engine.start("tour").session
    sprint = engine.resume(session, text("   "))
    assert isinstance(sprint.events[0], ev.InputRejected)
    assert sprint.session.answers == {}
    assert sprint.question is not None and sprint.question.repeated
    assert sprint.session.wait is not None and sprint.session.wait.attempts == 1


def test_collect_until_done_and_templates_fill_in_answers(engine: Engine) -> None:
    session = engine.start("tour").session
    sprint = answer_all(engine, session, text("Mia"), text("Bolig"))
    assert sprint.question is not None
    assert sprint.question.text == "Er det noe mer, Mia?"
    assert [b.value for b in sprint.question.buttons] == ["done"]
    sprint = answer_all(engine, sprint.session, text("Skole"), text("nei, det er alt"))
    assert sprint.session.results["tour"]["themes"] == [{"text": "Bolig"}, {"text": "Skole"}]
    assert sprint.question is not None and sprint.question.node_id == "top"


def test_collect_stops_at_its_maximum(engine: Engine) -> None:
    session = engine.start("tour").session
    sprint = answer_all(engine, session, text("Mia"), text("a"), text("b"), text("c"))
    assert len(sprint.session.results["tour"]["themes"]) == 3
    assert sprint.question is not None and sprint.question.node_id == "top"


def test_back_inside_collect_removes_the_last_item(engine: Engine) -> None:
    """«Back» undoes exactly the last accepted input, and the removed answer is gone."""
    session = engine.start("tour").session
    sprint = answer_all(engine, session, text("Mia"), text("Bolig"), text("Skole"), command("back"))
    assert sprint.session.results["tour"]["themes"] == [{"text": "Bolig"}]
    assert "tour.themes#2" not in sprint.session.answers
    assert sprint.question is not None and sprint.question.text == "Er det noe mer, Mia?"


def test_back_at_the_first_question_says_so(engine: Engine) -> None:
    session = engine.start("tour").session
    sprint = engine.resume(session, command("back"))
    notices = [e for e in sprint.events if isinstance(e, ev.NoticeShown)]
    assert notices[0].notice == "first_question"
    assert sprint.question is not None and sprint.question.node_id == "name"


def test_back_to_an_earlier_question_restores_results(engine: Engine) -> None:
    session = engine.start("tour").session
    sprint = answer_all(engine, session, text("Mia"), command("back"))
    assert sprint.question is not None and sprint.question.node_id == "name"
    assert "name" not in sprint.session.results.get("tour", {})
    sprint = engine.resume(sprint.session, text("Ada"))
    assert sprint.session.results["tour"]["name"] == "Ada"


def _to_top(engine: Engine):
    session = engine.start("tour").session
    return answer_all(engine, session, text("Mia"), text("Bolig"), text("Skole"), choice("done"))


def test_multi_choice_from_a_collected_list_saves_the_items(engine: Engine) -> None:
    sprint = _to_top(engine)
    assert sprint.question is not None
    assert [b.label for b in sprint.question.buttons] == ["Bolig", "Skole"]
    assert sprint.question.multiple and sprint.question.max_choices == 2
    sprint = engine.resume(sprint.session, text("2"))
    assert sprint.session.results["tour"]["top"] == [{"text": "Skole"}]


def test_multi_choice_rejects_too_many(engine: Engine) -> None:
    sprint = _to_top(engine)
    sprint = engine.resume(sprint.session, choice("1", "2", "3"))
    assert isinstance(sprint.events[0], ev.InputRejected)


def test_loop_rates_each_item_and_records_history(engine: Engine, clock: FixedClock) -> None:
    """A loop asks once per item; ``record`` keeps value and time on each item."""
    sprint = _to_top(engine)
    sprint = engine.resume(sprint.session, text("1 2"))
    assert sprint.question is not None and "«Bolig»" in sprint.question.text
    assert [b.value for b in sprint.question.buttons] == [str(i) for i in range(1, 11)]
    sprint = engine.resume(sprint.session, text("7"))
    assert sprint.question is not None and "«Skole»" in sprint.question.text
    sprint = engine.resume(sprint.session, choice("9"))
    top = sprint.session.results["tour"]["top"]
    assert [item["ratings"][0]["value"] for item in top] == [7, 9]
    assert all("at" in item["ratings"][0] for item in top)
    assert sprint.question is not None and sprint.question.node_id == "pets"


def test_scale_rejects_out_of_range(engine: Engine) -> None:
    sprint = engine.resume(_to_top(engine).session, text("1"))
    sprint = engine.resume(sprint.session, text("11"))
    assert sprint.events[0].text == "Svar med et tall fra 1 til 10."
    assert "ratings" not in sprint.session.results["tour"]["top"][0]


def test_param_switches_a_branch(engine: Engine) -> None:
    """Flow params change the path without editing content (ratings off)."""
    session = engine.start("tour", params={"rate": False}).session
    sprint = answer_all(engine, session, text("Mia"), text("Bolig"), choice("done"), text("1"))
    assert sprint.question is not None and sprint.question.node_id == "pets"


def test_unknown_param_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="no params"):
        engine.start("tour", params={"nope": 1})


def _to_pets(engine: Engine):
    sprint = engine.resume(_to_top(engine).session, text("1"))
    return engine.resume(sprint.session, text("5"))


def test_optional_question_can_be_skipped(engine: Engine) -> None:
    sprint = engine.resume(_to_pets(engine).session, command("skip"))
    assert sprint.session.answers["tour.pets"].source == "skipped"
    assert "pets" not in sprint.session.results["tour"]
    assert sprint.question is not None and sprint.question.node_id == "age"


def test_required_question_cannot_be_skipped(engine: Engine) -> None:
    session = engine.start("tour").session
    sprint = engine.resume(session, text("hopp over"))
    assert [e.notice for e in sprint.events if isinstance(e, ev.NoticeShown)] == ["not_skippable"]
    assert sprint.session.answers == {}


def test_choice_by_number_label_or_button_and_option_jump(engine: Engine) -> None:
    pets = _to_pets(engine).session
    for value in (text("2"), text("katt"), choice("cat")):
        assert engine.resume(pets, value).session.results["tour"]["pets"] == "cat"
    sprint = engine.resume(pets, text("Ingen"))
    assert sprint.question is not None and sprint.question.node_id == "age"


def test_stale_button_is_rejected_kindly(engine: Engine) -> None:
    sprint = engine.resume(_to_pets(engine).session, choice("done"))
    assert isinstance(sprint.events[0], ev.InputRejected)
    assert "tidligere spørsmål" in sprint.events[0].text


def test_number_and_date_parsing(engine: Engine) -> None:
    age = engine.resume(_to_pets(engine).session, choice("dog")).session
    assert engine.resume(age, text("3")).events[0].text == "Skriv et tall fra 4 til 30."
    assert engine.resume(age, text("12,5")).events[0].text == "Skriv et helt tall, uten komma."
    when = engine.resume(age, text("12")).session
    assert when.results["tour"]["age"] == 12
    assert engine.resume(when, text("31.02.2026")).events[0].type == "input_rejected"
    for raw in ("31.12.2026", "2026-12-31", "31/12/26"):
        assert engine.resume(when, text(raw)).session.results["tour"]["when"] == "2026-12-31"


def _to_readback(engine: Engine):
    age = engine.resume(_to_pets(engine).session, choice("dog")).session
    return answer_all(engine, age, text("12"), text("1.1.2027"))


def test_confirm_reads_back_verbatim_and_no_goes_to_edit(engine: Engine) -> None:
    sprint = _to_readback(engine)
    assert sprint.question is not None
    assert sprint.question.text == "Du skrev:\n• Bolig\n• Skole\nStemmer det?"
    again = engine.resume(sprint.session, text("Nei, endre"))
    assert again.question is not None and again.question.node_id == "themes"


def test_visibility_records_audiences_and_flow_completes(engine: Engine) -> None:
    who = engine.resume(_to_readback(engine).session, choice("yes")).session
    sprint = engine.resume(who, choice("all"))
    assert sprint.session.results["tour"]["_visibility"] == {"themes": ["kontaktperson", "parents"]}
    recorded = [e for e in sprint.events if isinstance(e, ev.VisibilityRecorded)]
    assert recorded[0].audiences == ("kontaktperson", "parents")
    assert sprint.session.status == "completed"
    assert sprint.texts()[0] == "Takk, Mia!"
    with pytest.raises(SessionNotResumable):
        engine.resume(sprint.session, text("hei"))


def test_subflow_consent_yes_no_and_flag(engine: Engine) -> None:
    sprint = engine.start("parent")
    assert sprint.texts() == [
        "Først et lite spørsmål.",
        "Hvordan har du det?\n(1 = Lei meg, 5 = Glad)",
    ]
    assert sprint.question is not None
    assert [b.label for b in sprint.question.buttons] == ["😢", "🙁", "😐", "🙂", "😄"]
    sprint = engine.resume(sprint.session, choice("4"))
    assert sprint.session.results["child"]["mood"] == 4
    assert sprint.question is not None and sprint.question.node_id == "consent"
    sprint = engine.resume(sprint.session, text("ja"))
    consent = [e for e in sprint.events if isinstance(e, ev.ConsentRecorded)][0]
    assert (consent.consent, consent.version, consent.granted) == ("onboarding", "v1", True)
    assert consent.text == "Er det greit?"
    sprint = engine.resume(sprint.session, text("ja"))
    flags = [e for e in sprint.events if isinstance(e, ev.FlagRaised)]
    assert flags and flags[0].severity == "high" and flags[0].trigger is None
    assert sprint.session.status == "completed"


def test_declined_consent_goes_to_on_decline(engine: Engine) -> None:
    sprint = engine.resume(engine.start("parent").session, choice("3"))
    sprint = engine.resume(sprint.session, choice("no"))
    assert [e.granted for e in sprint.events if isinstance(e, ev.ConsentRecorded)] == [False]
    assert sprint.texts()[0] == "Greit."


def test_help_pause_continue_stop(engine: Engine) -> None:
    session = engine.start("tour").session
    sprint = engine.resume(session, text("hjelp"))
    assert sprint.events[0].notice == "help"
    assert sprint.question is not None and sprint.question.repeated
    paused = engine.resume(session, command("pause")).session
    assert paused.status == "paused" and paused.wait is not None
    sprint = engine.resume(paused, text("fortsett"))
    assert sprint.session.status == "waiting"
    assert sprint.events[0].notice == "continued"
    # An answer sent while paused is taken as the answer.
    assert engine.resume(paused, text("Mia")).session.results["tour"]["name"] == "Mia"
    stopped = engine.resume(session, text("/stop"))
    assert stopped.session.status == "stopped"
    assert stopped.events[-1].outcome == "stopped"


def test_safety_term_interrupts_then_asks_again(engine: Engine) -> None:
    """A lexicon match runs the safety flow now; the words go with the flag, not into answers."""
    session = engine.start("tour").session
    sprint = engine.resume(session, text("jeg VIL ikke leve mer!"))
    assert sprint.texts()[0] == "Ring 113 hvis det haster."
    flag = [e for e in sprint.events if isinstance(e, ev.FlagRaised)][0]
    assert flag.trigger == "jeg VIL ikke leve mer!"
    assert sprint.question is not None and sprint.question.node_id == "name"
    assert sprint.session.answers == {}
    assert engine.resume(sprint.session, text("Mia")).session.results["tour"]["name"] == "Mia"


def test_urgent_command_runs_the_safety_flow_without_trigger(engine: Engine) -> None:
    session = engine.start("tour").session
    sprint = engine.resume(session, text("Jeg trenger hjelp nå"))
    flags = [e for e in sprint.events if isinstance(e, ev.FlagRaised)]
    assert flags and flags[0].trigger is None


def test_timeout_reminds_once_and_early_calls_do_nothing(flows) -> None:
    """Deadlines live in the session; a scheduler sends TimeoutInput when due."""
    clock = FixedClock()
    from companion.flows import load_flows
    from companion.flows.fakes import SequentialIds, SourceLocalizer

    doc = {
        "spec_version": 1,
        "id": "t",
        "title": "T",
        "audience": ["parent"],
        "entry": "q",
        "nodes": [
            {
                "type": "question",
                "kind": "yes_no",
                "id": "q",
                "prompt": "Prøvde du?",
                "timeout": {"after_seconds": 3600, "reminder": "Hei igjen!"},
            }
        ],
    }
    engine = Engine(
        load_flows({"t": doc}), clock=clock, ids=SequentialIds(), localizer=SourceLocalizer()
    )
    session = engine.start("t").session
    assert session.wait is not None and session.wait.timeout_at is not None
    assert engine.due(session) is None
    early = engine.resume(session, TimeoutInput())
    assert early.events == () or all(isinstance(e, ev.WaitStarted) for e in early.events)
    clock.advance(timedelta(hours=2))
    assert engine.due(session) == TimeoutInput()
    sprint = engine.resume(session, TimeoutInput())
    assert sprint.texts()[:2] == ["Hei igjen!", "Prøvde du?"]
    assert sprint.session.wait is not None and sprint.session.wait.timeout_at is None
    assert engine.due(sprint.session) is None


def test_expiry_ends_the_session(engine: Engine, clock: FixedClock) -> None:
    session = engine.start("tour").session
    assert engine.resume(session, ExpiryInput()).session.status == "waiting"
    clock.advance(timedelta(days=31))
    assert engine.due(session) == ExpiryInput()
    sprint = engine.resume(session, ExpiryInput())
    assert sprint.session.status == "expired"
    assert sprint.events[-1].outcome == "expired"


def test_a_loop_in_content_fails_loudly(engine: Engine) -> None:
    sprint = engine.start("loopy")
    assert sprint.session.status == "failed"
    ended = sprint.events[-1]
    assert ended.outcome == "failed" and "a loop in the content" in ended.text


def test_sessions_are_immutable_values(engine: Engine) -> None:
    """Resuming never changes the session it was given."""
    session = engine.start("tour").session
    before = session.model_dump()
    engine.resume(session, text("Mia"))
    assert session.model_dump() == before


def test_voice_answers_keep_source_and_confidence(engine: Engine) -> None:
    session = engine.start("tour").session
    sprint = engine.resume(session, TextInput(text="Mia", source="voice", confidence=0.8))
    answer = sprint.session.answers["tour.name"]
    assert (answer.source, answer.confidence) == ("voice", 0.8)


def test_set_node_saves_a_fixed_value_and_a_param() -> None:
    """``set`` stores a constant or a filled-in param without asking anything."""
    from companion.flows import load_flows
    from companion.flows.fakes import FixedClock, SequentialIds, SourceLocalizer

    doc = {
        "spec_version": 1,
        "id": "s",
        "title": "S",
        "audience": ["parent"],
        "entry": "a",
        "default_result": "checkin",
        "results": {
            "checkin": {"fields": {"assignment": {"type": "text"}, "done": {"type": "boolean"}}}
        },
        "params": {"assignment": {"default": "Rutine"}},
        "nodes": [
            {
                "type": "set",
                "id": "a",
                "save": {"field": "assignment"},
                "value": "«{params.assignment}»",
                "next": "b",
            },
            {"type": "set", "id": "b", "save": {"field": "done"}, "value": True},
        ],
    }
    engine = Engine(
        load_flows({"s": doc}), clock=FixedClock(), ids=SequentialIds(), localizer=SourceLocalizer()
    )
    sprint = engine.start("s", params={"assignment": "Leggetid i små steg"})
    assert sprint.session.results == {
        "checkin": {"assignment": "«Leggetid i små steg»", "done": True}
    }
    assert sprint.session.status == "completed"


def test_safety_words_after_the_path_are_taken_as_the_answer(engine: Engine) -> None:
    """Once the safety path ran from a question, the same words there are kept (and flagged)."""
    session = engine.start("tour").session
    first = engine.resume(session, text("jeg vil ikke leve"))
    assert any(isinstance(e, ev.FlagRaised) for e in first.events)
    again = engine.resume(first.session, text("Jeg vil ikke leve sånn"))
    flags = [e for e in again.events if isinstance(e, ev.FlagRaised)]
    assert [f.reason for f in flags] == ["safety_words_repeated"]
    assert again.session.results["tour"]["name"] == "Jeg vil ikke leve sånn"
    assert "Ring 113 hvis det haster." not in again.texts()


def test_no_safety_interrupt_inside_the_safety_flow(engine: Engine) -> None:
    sprint = engine.start("safety")
    assert sprint.session.status == "completed"  # the sample safety flow asks nothing
    session = engine.start("tour").session
    inside = engine.resume(session, command("urgent"))
    assert sum(isinstance(e, ev.FlagRaised) for e in inside.events) == 1


def test_voice_is_read_back_and_stored_only_when_confirmed(engine: Engine) -> None:
    """«Jeg hørte: …» — yes stores it as voice with its confidence; retry and typing store nothing."""
    from companion.flows.inputs import VoiceInput

    session = engine.start("tour").session
    heard = engine.resume(session, VoiceInput(text="Mia", confidence=0.71))
    assert heard.question is not None and heard.question.kind == "voice_confirm"
    assert heard.question.text == "Jeg hørte: «Mia»\nStemmer det?"
    assert [b.value for b in heard.question.buttons] == ["yes", "retry", "type"]
    assert heard.session.answers == {}
    confirmed = engine.resume(heard.session, choice("yes"))
    answer = confirmed.session.answers["tour.name"]
    assert (answer.value, answer.source, answer.confidence) == ("Mia", "voice", 0.71)
    retry = engine.resume(heard.session, choice("retry"))
    assert retry.session.answers == {} and retry.question is not None
    assert retry.question.node_id == "name" and retry.session.wait.heard is None
    typed = engine.resume(heard.session, text("Ada"))  # typing instead is the answer
    assert typed.session.answers["tour.name"].source == "typed"
    spoken_yes = engine.resume(heard.session, text("ja"))
    assert spoken_yes.session.results["tour"]["name"] == "Mia"


def test_empty_or_alarming_voice_notes(engine: Engine) -> None:
    from companion.flows.inputs import VoiceInput

    session = engine.start("tour").session
    empty = engine.resume(session, VoiceInput(text="  "))
    assert empty.events[0].notice == "voice" and empty.session.answers == {}
    alarm = engine.resume(session, VoiceInput(text="jeg vil ikke leve"))
    flags = [e for e in alarm.events if isinstance(e, ev.FlagRaised)]
    assert flags and flags[0].trigger == "jeg vil ikke leve"

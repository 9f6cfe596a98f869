"""Property-based invariants of the engine under random inputs (deterministic: derandomized).

- every answer the engine reports recorded is in the session with that very value;
- «back» right after an accepted answer restores the answers, results and question before it;
- «skip» never removes an answer given earlier;
- a session survives a JSON round trip unchanged at every step.
"""

from __future__ import annotations

import hypothesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.flows import Engine, Session
from companion.flows import events as ev
from companion.flows.inputs import ChoiceInput, Command, CommandInput, TextInput, VoiceInput

SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

texts = st.one_of(
    st.sampled_from(["Mia", "Bolig", "Skole", "1", "2", "7", "ja", "nei", "31.12.2026", "12"]),
    st.text(min_size=1, max_size=30),
)
answers = st.one_of(
    texts.map(lambda t: TextInput(text=t)),
    st.lists(
        st.sampled_from(["1", "2", "3", "done", "yes", "no", "kp", "dog"]), min_size=1, max_size=3
    ).map(lambda v: ChoiceInput(values=tuple(v))),
    texts.map(lambda t: VoiceInput(text=t, confidence=0.9)),
)
steps = st.lists(
    st.one_of(
        answers,
        answers,
        st.sampled_from([Command.BACK, Command.SKIP, Command.HELP]).map(
            lambda c: CommandInput(command=c)
        ),
    ),
    max_size=30,
)


def _round_trips(session: Session) -> None:
    assert Session.model_validate_json(session.model_dump_json()) == session


@SETTINGS
@given(flow_id=st.sampled_from(["tour", "parent"]), inputs=steps)
def test_recorded_answers_are_kept_and_back_undoes_exactly(engine: Engine, flow_id, inputs) -> None:
    sprint = engine.start(flow_id)
    for value in inputs:
        before = sprint.session
        if not before.is_resumable or before.status != "waiting":
            break
        sprint = engine.resume(before, value)
        after = sprint.session
        _round_trips(after)
        for event in sprint.events:
            if isinstance(event, ev.AnswerRecorded) and event.key in after.answers:
                assert after.answers[event.key].value == event.value
        recorded = any(isinstance(e, ev.AnswerRecorded) for e in sprint.events)
        if isinstance(value, CommandInput) and value.command is Command.SKIP:
            assert set(before.answers) <= set(after.answers)
        if not recorded or after.status != "waiting" or after.seq <= before.seq:
            continue
        if before.wait is None or before.wait.heard is not None or after.wait is None:
            continue
        if after.wait.node_id == before.wait.node_id and after.wait.flow_id == before.wait.flow_id:
            continue  # still at the same question (a collect item, a multi-step answer)
        hypothesis.event("back checked")
        undone = engine.resume(after, CommandInput(command=Command.BACK)).session
        assert undone.answers == before.answers
        assert undone.results == before.results
        assert undone.wait is not None and undone.wait.node_id == before.wait.node_id


@SETTINGS
@given(flow_id=st.sampled_from(["tour", "parent"]), inputs=steps)
def test_every_recorded_answer_is_in_the_session(engine: Engine, flow_id, inputs) -> None:
    """No answer is lost: once recorded it stays until «back» takes that very step back."""
    sprint = engine.start(flow_id)
    kept: dict[str, object] = {}
    for value in inputs:
        session = sprint.session
        if not session.is_resumable:
            break
        going_back = isinstance(value, CommandInput) and value.command is Command.BACK
        sprint = engine.resume(session, value)
        if going_back:
            kept = {k: a.value for k, a in sprint.session.answers.items()}
            continue
        for event in sprint.events:
            if isinstance(event, ev.AnswerRecorded):
                kept[event.key] = event.value
        for key, answer in kept.items():
            assert key in sprint.session.answers, key
            assert sprint.session.answers[key].value == answer

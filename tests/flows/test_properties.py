"""Property-based: random inputs and commands never crash the engine or corrupt a session."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.flows import Engine, Session
from companion.flows.inputs import (
    ChoiceInput,
    Command,
    CommandInput,
    ExpiryInput,
    TextInput,
    TimeoutInput,
    VoiceInput,
)

words = st.sampled_from(
    [
        "Mia",
        "1",
        "2",
        "7",
        "11",
        "ja",
        "nei",
        "ferdig",
        "Bolig",
        "1, 2",
        "31.12.2026",
        "12",
        "hopp over",
        "tilbake",
        "stopp",
        "pause",
        "fortsett",
        "hjelp",
        "vil ikke leve",
        "",
        "🙂",
        "\u202eevil",
        "x" * 5000,
        "<b>hei</b>",
        "0",
        "-3",
        "1e9",
    ]
)
inputs = st.one_of(
    words.map(lambda w: TextInput(text=w)),
    st.text(max_size=50).map(lambda w: TextInput(text=w)),
    st.lists(
        st.sampled_from(["1", "2", "3", "done", "yes", "no", "kp", "dog", "9", "x"]),
        min_size=1,
        max_size=3,
    ).map(lambda v: ChoiceInput(values=tuple(v))),
    st.sampled_from(list(Command)).map(lambda c: CommandInput(command=c)),
    words.map(lambda w: VoiceInput(text=w, confidence=0.5)),
    st.just(TimeoutInput()),
    st.just(ExpiryInput()),
)


def check_valid(session: Session, engine: Engine) -> None:
    """A session is JSON round-trippable and points at a real node of a real flow."""
    assert Session.model_validate_json(session.model_dump_json()) == session
    for frame in session.frames:
        assert engine.flows[frame.flow_id].has_node(frame.node_id)
    if session.status in ("waiting", "paused"):
        assert session.wait is not None
        flow = engine.flows[session.wait.flow_id]
        assert flow.has_node(session.wait.node_id)
        assert session.frame.node_id == session.wait.node_id


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(flow_id=st.sampled_from(["tour", "parent"]), steps=st.lists(inputs, max_size=40))
def test_random_inputs_never_crash_and_leave_a_resumable_session(
    engine: Engine, clock, flow_id, steps
) -> None:
    sprint = engine.start(flow_id)
    check_valid(sprint.session, engine)
    for value in steps:
        session = sprint.session
        if not session.is_resumable:
            break
        if isinstance(value, ExpiryInput | TimeoutInput):
            clock.advance(timedelta(days=1))
        sprint = engine.resume(session, value)
        check_valid(sprint.session, engine)
        assert sprint.session.status != "failed"
        if sprint.session.is_resumable:
            # the person always sees what is asked of them
            assert (
                sprint.session.status == "paused"
                or sprint.question is not None
                or not sprint.events
            )

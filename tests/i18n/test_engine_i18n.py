"""The engine speaks English and Nynorsk through BabelLocalizer."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_flows import ALL

from companion.flows import Engine, TextInput, load_flows
from companion.flows import events as ev
from companion.flows.fakes import FixedClock, SequentialIds
from companion.i18n.localizer import BabelLocalizer


@pytest.fixture
def engine(locales: Path) -> Engine:
    return Engine(
        load_flows(ALL), clock=FixedClock(), ids=SequentialIds(), localizer=BabelLocalizer(locales)
    )


def _rejected(sprint) -> str:
    return next(e.text for e in sprint.events if isinstance(e, ev.InputRejected))


@pytest.mark.parametrize(
    ("locale", "hint"),
    [
        ("en", "Answer with a number from 1 to 5."),
        ("nn", "Svar med eit tal frå 1 til 5."),
        ("nb", "Svar med et tall fra 1 til 5."),
    ],
)
def test_invalid_answer_gets_the_localized_hint(engine: Engine, locale: str, hint: str) -> None:
    started = engine.start("child_q", locale=locale)
    assert started.question is not None
    assert _rejected(engine.resume(started.session, TextInput(text="abc"))) == hint


def test_english_command_words_work(engine: Engine) -> None:
    started = engine.start("child_q", locale="en")
    stopped = engine.resume(started.session, TextInput(text="Stop!"))
    assert stopped.session.status == "stopped"
    ended = next(e for e in stopped.events if isinstance(e, ev.FlowEnded))
    assert ended.text.startswith("OK, we'll stop here.")


def test_bokmal_words_keep_working_in_english(engine: Engine) -> None:
    started = engine.start("child_q", locale="en")
    assert engine.resume(started.session, TextInput(text="avslutt")).session.status == "stopped"


def test_english_yes_words(engine: Engine) -> None:
    session = engine.start("parent", locale="en").session  # intro, then the child's mood
    session = engine.resume(session, TextInput(text="3")).session  # consent question next
    sprint = engine.resume(session, TextInput(text="yep"))
    assert not any(isinstance(e, ev.InputRejected) for e in sprint.events)
    assert sprint.question is not None and sprint.question.node_id == "help_now"

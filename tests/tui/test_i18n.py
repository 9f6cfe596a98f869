"""UI texts: every one is marked for the catalogs and translated to English."""

from __future__ import annotations

import pytest

import tui.strings as s
from companion.content import SHIPPED_DIR
from companion.i18n.localizer import load_lookup
from tui import action_texts
from tui.i18n import Texts

MESSAGES = [
    v
    for module in (s, action_texts)
    for v in vars(module).values()
    if isinstance(v, tuple) and len(v) == 2 and str(v[0]).startswith("tui:")
]


def test_every_ui_text_has_an_english_translation() -> None:
    lookup = load_lookup(SHIPPED_DIR / "locales", "en")
    missing = [context for context, source in MESSAGES if not lookup(context, source)]
    assert missing == []


def test_texts_fill_in_values_in_the_chosen_language(services) -> None:
    nb, en = Texts(services.engine.localizer, "nb"), Texts(services.engine.localizer, "en")
    assert nb(s.CASES_COUNT, shown=2, total=3) == "2 av 3 saker"
    assert en(s.CASES_COUNT, shown=2, total=3) == "2 of 3 cases"


@pytest.mark.anyio
async def test_the_app_in_english(make) -> None:
    """``locale="en"`` (``companion tui --lang en``) shows the English UI."""
    app = make(login_as="ali.demo", locale="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.title == "Conversation companion"
        assert "3 of 3 cases" in str(app.screen.query_one("#case-status").content)

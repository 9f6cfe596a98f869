"""Command-palette entries for the caseworker's actions on the screen shown (N on the case
list, A on a case), so they can be found without knowing the keys."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.screen import Screen

from tui import action_texts as a
from tui.i18n import Texts


def action_commands(texts: Texts, screen: Screen[object]) -> Iterable[SystemCommand]:
    from tui.screens.case import CaseScreen
    from tui.screens.cases import CasesScreen

    if isinstance(screen, CasesScreen):
        yield SystemCommand(
            texts(a.KEY_NEW_CASE), texts(a.CMD_NEW_CASE_HELP), screen.action_new_case
        )
    if isinstance(screen, CaseScreen):
        yield SystemCommand(texts(a.KEY_ACTIONS), texts(a.CMD_ACTIONS_HELP), screen.action_actions)

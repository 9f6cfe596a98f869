"""The bot's own profile: getMe and its command lists per scope and language."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from bots.telegram.standin import validation

if TYPE_CHECKING:
    from bots.telegram.standin.params import Params
    from bots.telegram.standin.state import StandInState


class CommandStore:
    """Command lists keyed by scope and language_code, as setMyCommands stores them."""

    def __init__(self) -> None:
        self._lists: dict[tuple[str, str], list[dict[str, str]]] = {}

    @staticmethod
    def _key(scope: dict[str, Any], language_code: str) -> tuple[str, str]:
        """A hashable key for a scope and language."""
        return json.dumps(scope, sort_keys=True), language_code

    def set(
        self, scope: dict[str, Any], language_code: str, commands: list[dict[str, str]]
    ) -> None:
        """Replace one list; an empty list deletes it."""
        key = self._key(scope, language_code)
        if commands:
            self._lists[key] = copy.deepcopy(commands)
        else:
            self._lists.pop(key, None)

    def get(self, scope: dict[str, Any], language_code: str) -> list[dict[str, str]]:
        """Exactly the list for this scope and language (Telegram does no fallback here)."""
        return copy.deepcopy(self._lists.get(self._key(scope, language_code), []))


def get_me(state: StandInState, params: Params) -> dict[str, Any]:
    """getMe: the bot's User object."""
    return copy.deepcopy(state.bot_user)


def set_my_commands(state: StandInState, params: Params) -> bool:
    """setMyCommands: store a list for a scope and language."""
    commands = validation.bot_commands(params.json_value("commands"))
    scope = validation.command_scope(params.json_value("scope"))
    language = validation.language_code(params.string("language_code"))
    state.commands.set(scope, language, commands)
    return True


def get_my_commands(state: StandInState, params: Params) -> list[dict[str, str]]:
    """getMyCommands: the list for a scope and language."""
    scope = validation.command_scope(params.json_value("scope"))
    language = validation.language_code(params.string("language_code"))
    return state.commands.get(scope, language)


def delete_my_commands(state: StandInState, params: Params) -> bool:
    """deleteMyCommands: drop the list for a scope and language."""
    scope = validation.command_scope(params.json_value("scope"))
    language = validation.language_code(params.string("language_code"))
    state.commands.set(scope, language, [])
    return True


METHODS = {
    "getMe": get_me,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
}

"""The login screen under attack: lockout after five failures, one message for every refusal."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from companion.accounts import MAX_FAILURES
from companion.services import Services
from tui.screens.cases import CasesScreen
from tui.screens.login import LoginScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


async def attempt(app, pilot, username: str, password: str) -> str:
    app.screen.query_one("#username", Input).value = username
    app.screen.query_one("#password", Input).value = password
    await pilot.click("#login-button")
    await pilot.pause()
    return str(app.screen.query_one("#login-error", Static).content)


async def test_five_wrong_passwords_lock_the_account_with_the_same_message(
    make, services: Services
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        unknown = await attempt(app, pilot, "ukjent", "demo")
        assert unknown == "Feil brukernavn eller passord."
        for _ in range(MAX_FAILURES):
            assert await attempt(app, pilot, "ali.demo", "feil") == unknown
        assert await attempt(app, pilot, "ali.demo", "demo") == unknown  # locked: same words
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#password", Input).value == ""
        app.screen.query_one("#username", Input).value = "eva.demo"
        app.screen.query_one("#password", Input).value = "demo"
        await pilot.click("#login-button")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)  # another account is not locked
    actions = [e.action for e in services.audit.entries()]
    assert actions.count("login.failed") == MAX_FAILURES  # the unknown one and four wrong
    assert actions.count("login.locked") == 2
    assert "login.ok" in actions  # Eva, whose account is not locked, got in
    ali = services.directory.get_caseworker_by_username("ali.demo")
    assert ali is not None and ali.locked_until is not None


async def fill(app, pilot, old: str, new: str, again: str) -> str:
    for name, value in (("old", old), ("new", new), ("again", again)):
        app.screen.query_one(f"#{name}", Input).value = value
    app.screen.query_one("#again", Input).focus()
    await pilot.press("enter")  # keyboard-first: enter in the last field saves
    await pilot.pause()
    return str(app.screen.query_one("#password-status", Static).content)


async def test_changing_ones_password_from_the_tui(make, services: Services) -> None:
    """Wrong old password, a short or mismatched new one: a clear line and nothing changed;
    then the change works, the new password signs in and the old one does not."""
    from companion.accounts import LoginRefused, SignIn
    from tui.screens.password import PasswordScreen

    app = make(login_as="ali.demo")
    new = "tre ord som huskes"
    async with app.run_test(size=SIZE) as pilot:
        app.action_password()
        await pilot.pause()
        assert isinstance(app.screen, PasswordScreen)
        assert await fill(app, pilot, "demo", "kort", "kort") == (
            "Det nye passordet må ha minst 12 tegn."
        )
        assert await fill(app, pilot, "demo", new, new + "x") == (
            "De to nye passordene er ikke like."
        )
        assert await fill(app, pilot, "feil", new, new) == (
            "Nåværende passord stemmer ikke. Ingenting er endret."
        )
        assert await fill(app, pilot, "demo", new, new) == "Passordet er byttet."
        assert app.screen.query_one("#new", Input).value == ""
    sign_in = SignIn(services.directory, services.audit, services.clock)
    assert sign_in("ali.demo", new).username == "ali.demo"
    with pytest.raises(LoginRefused):
        sign_in("ali.demo", "demo")
    actions = [e.action for e in services.audit.entries()]
    assert actions.count("account.password_changed") == 1
    assert new not in repr(services.audit.entries())

"""Every shipped locale is 100 % translated, with the same placeholders as the Bokmål."""

from __future__ import annotations

import pytest

from companion.content import SHIPPED_DIR
from companion.i18n.catalogs import run_check
from companion.i18n.localizer import BabelLocalizer


def test_shipped_catalogs_are_complete(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(SHIPPED_DIR / "locales") == 0
    out = capsys.readouterr().out
    assert "nn: " in out and "(100%)" in out and "en: " in out


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("nb", "Hva er viktig for deg?"),
        ("nn", "Kva er viktig for deg?"),
        ("en", "What matters to you?"),
    ],
)
def test_hevd_title_in_each_locale(locale: str, expected: str) -> None:
    localizer = BabelLocalizer(SHIPPED_DIR / "locales")
    assert localizer.text(locale, "hevd::title", "Hva er viktig for deg?").startswith(expected)

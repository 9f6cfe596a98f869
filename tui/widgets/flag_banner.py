"""A red line at the top of every screen while high-priority safety flags are open."""

from __future__ import annotations

from textual.widgets import Static

from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.flags import FlagItem


def banner_text(flags: tuple[FlagItem, ...], texts: Texts) -> str:
    """The banner's text, or empty when no high flag is open."""
    high = sum(1 for f in flags if f.high)
    if not high:
        return ""
    return texts(s.FLAG_BANNER if high == 1 else s.FLAG_BANNER_MANY, count=high)


class FlagBanner(Static):
    """Follows the app's ``flags``; hidden while there are no open high flags."""

    DEFAULT_CSS = """
    FlagBanner { background: $error; color: $text; text-style: bold; padding: 0 1; height: 1; }
    """

    def __init__(self, texts: Texts) -> None:
        super().__init__("", markup=False)
        self.texts = texts

    def on_mount(self) -> None:
        self.watch(self.app, "flags", self._show, init=True)

    def _show(self, flags: tuple[FlagItem, ...]) -> None:
        text = banner_text(flags, self.texts)
        self.update(text)
        self.display = bool(text)

"""Small text widgets. Participants' words are never parsed as markup."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Label, Static


def heading(text: str) -> Label:
    return Label(text, classes="heading", markup=False)


def para(text: str, classes: str = "") -> Static:
    return Static(text, classes=classes, markup=False)


def bullets(items: Iterable[str], classes: str = "words") -> Static:
    """One «• item» line per item (the person's words, verbatim)."""
    return Static("\n".join(f"• {item}" for item in items), classes=classes, markup=False)


def muted(text: str) -> Static:
    return Static(text, classes="muted", markup=False)


class LazyPane(Widget):
    """A tab's content; the case screen mounts it the first time its tab is shown."""

    DEFAULT_CSS = """
    LazyPane { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.loaded = False

    def build(self) -> list[Widget]:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.mount_all(self.build())

    def reload(self) -> None:
        self.remove_children()
        self.loaded = False
        self.load()

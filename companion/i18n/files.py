"""Reading and writing ``.pot``/``.po``/``.mo`` files, and telling whether a write is needed."""

from __future__ import annotations

from io import BytesIO
from itertools import takewhile
from pathlib import Path

from babel.messages import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import denormalize, read_po, write_po


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """A ``.po`` or ``.pot`` file; raises ``babel.messages.pofile.PoFileError`` if malformed."""
    with path.open("rb") as fileobj:
        catalog = read_po(fileobj, locale=locale, abort_invalid=True)
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous_id(message)
    return catalog


def _restore_previous_id(message: Message) -> None:
    """Babel writes ``#| msgid`` but reads it back as a user comment; undo that."""
    previous = [c[2:] for c in message.user_comments if c.startswith("| ")]
    if not previous or not previous[0].startswith("msgid "):
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("| ")]
    continued = takewhile(lambda line: line.startswith('"'), previous[1:])
    lines = [previous[0].removeprefix("msgid "), *continued]
    message.previous_id = [denormalize("\n".join(lines))]


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(catalog))


def render(catalog: Catalog, *, header: bool = True) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog, sort_output=False, include_previous=True, omit_header=not header)
    return buffer.getvalue()


def write_compiled(path: Path, catalog: Catalog) -> None:
    """The ``.mo`` next to a ``.po``; fuzzy and empty translations are left out."""
    with path.open("wb") as fileobj:
        write_mo(fileobj, catalog, use_fuzzy=False)


def same_content(old: Catalog, new: Catalog) -> bool:
    """Whether both would be written the same, header (and its dates) aside."""
    return render(old, header=False) == render(new, header=False)

"""Reading and writing ``.pot``/``.po``/``.mo`` files, and telling whether a write is needed."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from babel.messages import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """A ``.po`` or ``.pot`` file; raises ``babel.messages.pofile.PoFileError`` if malformed."""
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=locale, abort_invalid=True)


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

"""The catalog pipeline behind ``companion i18n extract|update|compile|check``.

Each ``run_*`` prints a few short lines (errors on stderr) and returns a process exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from babel.messages import Catalog
from babel.messages.pofile import PoFileError

from companion.flows import FlowLoadError
from companion.i18n.completeness import completeness
from companion.i18n.extract import extract_catalog, new_catalog
from companion.i18n.files import read_catalog, render, same_content, write_catalog, write_compiled
from companion.i18n.merge import merge
from companion.i18n.paths import (
    LOCALES_DIR,
    SHIPPED_LOCALES,
    catalog_locales,
    mo_path,
    po_path,
    pot_path,
)

MAX_LISTED = 5
"""Missing contexts listed per locale; the rest are counted."""


def run_extract(
    locales_dir: Path = LOCALES_DIR, content_dirs: Sequence[Path] = (), quiet: bool = False
) -> int:
    """Write ``companion.pot`` from the Python sources, the shipped flows and content packs."""
    template = _extract(content_dirs)
    if template is None:
        return 1
    path = pot_path(locales_dir)
    if path.is_file() and same_content(read_catalog(path), template):
        _say(quiet, f"{_show(path)} is up to date ({len(template)} messages)")
        return 0
    write_catalog(path, template)
    _say(quiet, f"wrote {_show(path)} ({len(template)} messages)")
    return 0


def run_update(locales_dir: Path = LOCALES_DIR, quiet: bool = False) -> int:
    """Merge ``companion.pot`` into each locale's ``.po``, creating shipped ones if absent."""
    path = pot_path(locales_dir)
    if not path.is_file():
        _error(f"{_show(path)} does not exist: run `companion i18n extract` first")
        return 1
    template = read_catalog(path)
    return _each_locale(locales_dir, lambda locale: _update(locales_dir, locale, template, quiet))


def _update(locales_dir: Path, locale: str, template: Catalog, quiet: bool) -> bool:
    po = po_path(locales_dir, locale)
    catalog = read_catalog(po, locale) if po.is_file() else new_catalog(locale)
    before = render(catalog, header=False) if po.is_file() else None
    result = merge(catalog, template)
    if render(catalog, header=False) == before:
        _say(quiet, f"{locale}: up to date")
        return True
    write_catalog(po, catalog)
    _say(
        quiet,
        f"{locale}: {result.new} new, {result.changed} changed (fuzzy), "
        f"{result.obsolete} obsolete → {_show(po)}",
    )
    return True


def run_compile(locales_dir: Path = LOCALES_DIR, quiet: bool = False) -> int:
    """Write a ``.mo`` next to every ``.po`` (build output: git-ignored, never committed)."""
    if not any(po_path(locales_dir, loc).is_file() for loc in catalog_locales(locales_dir)):
        _error(f"no catalogs in {_show(locales_dir)}: run `companion i18n update` first")
        return 1
    return _each_locale(locales_dir, lambda locale: _compile(locales_dir, locale, quiet))


def _compile(locales_dir: Path, locale: str, quiet: bool) -> bool:
    po = po_path(locales_dir, locale)
    if po.is_file():
        write_compiled(mo_path(locales_dir, locale), read_catalog(po, locale))
        _say(quiet, f"{locale}: compiled {_show(mo_path(locales_dir, locale))}")
    return True


def run_check(
    locales_dir: Path = LOCALES_DIR, content_dirs: Sequence[Path] = (), quiet: bool = False
) -> int:
    """Per-locale completeness against a fresh extraction; 1 if a shipped locale misses text.

    Fuzzy and empty translations count as missing, obsolete entries not at all. A translation
    that changes the ``{…}`` placeholders fails in any locale, since it would render wrongly.
    """
    template = _extract(content_dirs)
    if template is None:
        return 1
    pot = pot_path(locales_dir)
    if not pot.is_file() or not same_content(read_catalog(pot), template):
        _say(quiet, f"note: {_show(pot)} is out of date: run `companion i18n extract` and `update`")
    return _each_locale(locales_dir, lambda locale: _check(locales_dir, locale, template, quiet))


def _check(locales_dir: Path, locale: str, template: Catalog, quiet: bool) -> bool:
    po = po_path(locales_dir, locale)
    report = completeness(template, read_catalog(po, locale) if po.is_file() else None)
    failing = bool(report.broken) or (locale in SHIPPED_LOCALES and bool(report.missing))
    _say(quiet and not failing, report.summary(locale))
    if report.missing:
        _say(quiet and not failing, f"  missing: {_first(report.missing)}")
    if report.broken:
        _error(f"  {locale}: placeholders differ from the source: {_first(report.broken)}")
    return not failing


def _each_locale(locales_dir: Path, action: Callable[[str], bool]) -> int:
    """Run ``action`` for every locale; exit code 1 if any failed or had a malformed ``.po``."""
    status = 0
    for locale in _locales(locales_dir):
        try:
            ok = action(locale)
        except PoFileError as error:
            _error(f"{locale}: {error}")
            ok = False
        status = status if ok else 1
    return status


def _extract(content_dirs: Sequence[Path]) -> Catalog | None:
    try:
        return extract_catalog(content_dirs)
    except FlowLoadError as error:
        _error("cannot extract: invalid flow files (see `companion flows check`):")
        for issue in error.issues:
            _error(f"  {issue}")
        return None


def _locales(locales_dir: Path) -> list[str]:
    """The shipped locales first, then any others a service added."""
    extra = [loc for loc in catalog_locales(locales_dir) if loc not in SHIPPED_LOCALES]
    return [*SHIPPED_LOCALES, *extra]


def _first(contexts: Sequence[str]) -> str:
    listed = ", ".join(contexts[:MAX_LISTED])
    rest = len(contexts) - MAX_LISTED
    return f"{listed} … and {rest} more" if rest > 0 else listed


def _show(path: Path) -> str:
    """Short paths in output: relative to the working directory when inside it."""
    resolved = path.resolve()
    cwd = Path.cwd()
    return str(resolved.relative_to(cwd)) if resolved.is_relative_to(cwd) else str(path)


def _say(quiet: bool, line: str) -> None:
    if not quiet:
        print(line)


def _error(line: str) -> None:
    print(line, file=sys.stderr)

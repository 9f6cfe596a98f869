"""Extraction: flow files and Python sources into one Babel template catalog (the ``.pot``)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import yaml
from babel.messages import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from companion.flows import FlowLoadError, Issue, parse_flow
from companion.flows import definition as d
from companion.flows import strings
from companion.i18n.lines import LineFinder
from companion.i18n.paths import DOMAIN, FLOWS_DIR, PACKAGE_DIR

FLOW_METHOD = "companion.i18n.extract:extract_flow"
FLOW_PATTERN = "**.flow.yaml"
PYTHON_PATTERN = "**.py"
PYTHON_KEYWORDS: dict[str, Any] = {**DEFAULT_KEYWORDS, "N_": ((1, "c"), 2)}
"""Babel's usual gettext names plus the engine's ``N_(context, text)`` marker."""
COMMENT_TAGS = ("TRANSLATORS:",)

FlowMessage = tuple[int, str, tuple[str, str], list[str]]


def extract_flow(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[FlowMessage]:
    """Babel extraction method for ``*.flow.yaml``: each user-facing text as a pgettext call."""
    raw = fileobj.read()
    text = raw.decode(options.get("encoding") or "utf-8") if isinstance(raw, bytes) else raw
    source = str(getattr(fileobj, "name", "<flow>"))
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FlowLoadError([Issue(source, None, f"invalid YAML: {error}")]) from None
    flow = parse_flow(document, source)
    lines = LineFinder(text)
    for item in strings.localizable(flow):
        line = lines.find(item.node_id, item.source)
        yield line, "pgettext", (item.context, item.source), [_where(flow, item)]


def _where(flow: d.Flow, item: strings.LocalizableText) -> str:
    """Tells the translator where the text appears, since the context alone is terse."""
    if item.node_id is None:
        return f"flow {flow.id}: {item.prop}"
    node = flow.node(item.node_id)
    kind = f"question.{node.kind}" if node.type == "question" else node.type
    return f"flow {flow.id}, node {item.node_id} ({kind}): {item.prop}"


def extract_catalog(content_dirs: Sequence[Path] = ()) -> Catalog:
    """The template: engine/UI strings, shipped flows, then every content pack's flows.

    Raises ``FlowLoadError`` when a flow file is invalid (run ``companion flows check``).
    """
    catalog = new_catalog()
    python = extract_from_dir(
        PACKAGE_DIR,
        [(PYTHON_PATTERN, "python")],
        keywords=PYTHON_KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    _add_all(catalog, python, PACKAGE_DIR)
    for content_dir in [FLOWS_DIR, *content_dirs]:
        if content_dir.is_dir():
            _add_all(catalog, _flow_messages(content_dir), content_dir)
    for message in catalog:
        message.auto_comments.extend(translator_hints(message.context or "", str(message.id)))
    return catalog


def _flow_messages(content_dir: Path) -> Iterator[tuple[str, int, Any, list[str], str | None]]:
    return extract_from_dir(
        content_dir,
        [(FLOW_PATTERN, FLOW_METHOD)],
        keywords=DEFAULT_KEYWORDS,
        directory_filter=_content_subdir,
    )


def _content_subdir(path: str) -> bool:
    """Skips hidden and private dirs like Babel does, and a pack's own catalogs."""
    name = Path(path).name
    return not name.startswith((".", "_")) and name != "locales"


def _add_all(
    catalog: Catalog,
    found: Iterable[tuple[str, int, Any, list[str], str | None]],
    root: Path,
) -> None:
    prefix = _display(root)
    for filename, lineno, message, comments, context in found:
        if not message:
            continue
        location = (f"{prefix}/{filename}", lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)


def _display(root: Path) -> str:
    """A path that is the same on every machine: from the project root, else the dir's name."""
    base = PACKAGE_DIR.parent
    resolved = root.resolve()
    return resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else root.name


def translator_hints(context: str, msgid: str) -> list[str]:
    """Notes for the translator that follow from the message itself."""
    hints = []
    if context.startswith(("engine:command:", "engine:words:")):
        hints.append(
            "Comma-separated words people type. List the words people in your language "
            "would actually write (the Bokmål ones keep working too)."
        )
    if "{" in msgid:
        hints.append("Keep the {…} placeholders exactly as they are.")
    return hints


def new_catalog(locale: str | None = None) -> Catalog:
    """An empty catalog with the project's header."""
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        project="companion",
        version="1",
        copyright_holder="companion contributors",
        msgid_bugs_address="",
        language_team=f"companion {locale} translators" if locale else None,
        header_comment=(
            "# Flow and engine text of companion. Source language: Bokmål (nb).\n"
            "# msgctxt is flow:node:property (or engine:…); it stays when the Bokmål changes."
        ),
        fuzzy=False,
    )

"""Extraction: flow files and Python sources into one Babel template catalog (the ``.pot``)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from babel.messages import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file

from companion.content.yaml_files import MAX_FILE_BYTES, ContentFileError, parse_yaml
from companion.flows import FlowLoadError, Issue, parse_flow, strings
from companion.flows import definition as d
from companion.i18n.lines import LineFinder
from companion.i18n.paths import CONTENT_DIR, DOMAIN, PACKAGE_DIR

FLOW_METHOD = "companion.i18n.extract:extract_flow"
FLOW_GLOB = "*.flow.yaml"
PYTHON_PATTERN = "**.py"
FRONT_END_DIRS = (PACKAGE_DIR.parent / "bots", PACKAGE_DIR.parent / "tui")
PYTHON_KEYWORDS: dict[str, Any] = {**DEFAULT_KEYWORDS, "N_": ((1, "c"), 2)}
"""Babel's usual gettext names plus the engine's ``N_(context, text)`` marker."""
COMMENT_TAGS = ("TRANSLATORS:",)

FlowMessage = tuple[int, str, tuple[str, str], list[str]]
Found = tuple[str, int, Any, list[str], str | None]
"""(file name, line, msgid, comments, context), as Babel's ``extract_from_dir`` yields."""


def extract_flow(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[FlowMessage]:
    """Babel extraction method for ``*.flow.yaml``: each user-facing text as a pgettext call."""
    raw = fileobj.read(MAX_FILE_BYTES + 1)
    source = Path(str(getattr(fileobj, "name", "<flow>"))).name
    if len(raw) > MAX_FILE_BYTES:
        raise FlowLoadError([Issue(source, None, f"larger than {MAX_FILE_BYTES} bytes")])
    try:
        text = raw.decode(options.get("encoding") or "utf-8") if isinstance(raw, bytes) else raw
        # The content loader's strict SafeLoader: pack files are untrusted (no alias bombs).
        document = parse_yaml(text, source)
    except (UnicodeDecodeError, ContentFileError) as error:
        raise FlowLoadError([Issue(source, None, str(error))]) from None
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
    """The template: engine/UI strings, the shipped flows, then each content pack's flows.

    A content pack is laid out like ``companion/content`` (``flows/*.flow.yaml``); a dir that
    holds flow files itself works too. Raises ``FlowLoadError`` listing every invalid file.
    """
    catalog = new_catalog()
    # The core, then the front ends beside it (bots/, tui/), which mark their texts the same way.
    for code_dir in (PACKAGE_DIR, *FRONT_END_DIRS):
        if not code_dir.is_dir():
            continue
        python = extract_from_dir(
            code_dir,
            [(PYTHON_PATTERN, "python")],
            keywords=PYTHON_KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        )
        _add_all(catalog, python, code_dir)
    issues: list[Issue] = []
    # Resolved and de-duplicated: callers may pass the shipped dir again among the packs.
    for content_dir in dict.fromkeys(p.resolve() for p in [CONTENT_DIR, *content_dirs]):
        _add_all(catalog, _flow_messages(content_dir, issues), content_dir)
    if issues:
        raise FlowLoadError(issues)
    for message in catalog:
        message.auto_comments.extend(translator_hints(message.context or "", str(message.id)))
    return catalog


def flow_files(content_dir: Path) -> list[Path]:
    """The flow files of a content dir, as the content loader finds them (not recursive)."""
    return sorted(content_dir.glob(f"flows/{FLOW_GLOB}")) + sorted(content_dir.glob(FLOW_GLOB))


def _flow_messages(content_dir: Path, issues: list[Issue]) -> Iterator[Found]:
    """Messages of every valid flow file; the problems of the others go to ``issues``."""
    for path in flow_files(content_dir):
        name = path.relative_to(content_dir).as_posix()
        try:
            found = list(extract_from_file(FLOW_METHOD, path, keywords=DEFAULT_KEYWORDS))
        except FlowLoadError as error:
            issues.extend(error.issues)
            continue
        for lineno, message, comments, context in found:
            yield name, lineno, message, comments, context


def _add_all(catalog: Catalog, found: Iterable[Found], root: Path) -> None:
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

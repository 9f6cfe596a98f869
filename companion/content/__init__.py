"""Dialogue content as data: shipped flows and the safety lexicon, plus content packs by path.

A content pack is a directory laid out like this one (``flows/*.flow.yaml``, optionally
``safety.yaml`` and ``locales/``). A pack's flow replaces a shipped flow with the same id, so a
service can swap the draft texts for licensed handbook material without touching code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.content.yaml_files import ContentFileError, read_yaml
from companion.flows import Flow, FlowLoadError, Issue, load_flows
from companion.flows.safety import SafetyLexicon

SHIPPED_DIR = Path(__file__).parent
FLOW_GLOB = "*.flow.yaml"


@dataclass(frozen=True)
class Content:
    """Everything the engine runs: flows by id, where each came from, and the safety lexicon."""

    flows: Mapping[str, Flow]
    sources: Mapping[str, Path]
    safety: SafetyLexicon | None
    dirs: tuple[Path, ...]

    @property
    def locales_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "locales" for d in self.dirs if (d / "locales").is_dir())


def content_dirs(packs: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The shipped content first, then each pack (later ones win)."""
    return (SHIPPED_DIR, *(Path(p) for p in packs))


def flow_files(dirs: Sequence[Path]) -> dict[str, Path]:
    """Flow files by file name; a pack's file with the same name replaces the shipped one."""
    found: dict[str, Path] = {}
    for directory in dirs:
        for path in sorted((directory / "flows").glob(FLOW_GLOB)):
            found[path.name] = path
    return found


def load_content(packs: Sequence[Path] = ()) -> Content:
    """Read, migrate and validate all flows; raise ``FlowLoadError`` listing every problem."""
    dirs = content_dirs(packs)
    for pack in dirs[1:]:
        if not (pack / "flows").is_dir():
            raise FlowLoadError([Issue(str(pack), None, "a content pack needs a 'flows' folder")])
    documents: dict[str, Any] = {}
    issues: list[Issue] = []
    by_id: dict[str, Path] = {}
    for path in flow_files(dirs).values():
        try:
            document = read_yaml(path)
        except ContentFileError as error:
            issues.append(Issue(path.name, None, str(error)))
            continue
        flow_id = document.get("id") if isinstance(document, dict) else None
        if isinstance(flow_id, str) and flow_id in by_id and by_id[flow_id].parent != path.parent:
            documents.pop(by_id[flow_id].name, None)  # a pack replaces the shipped flow
        if isinstance(flow_id, str):
            by_id[flow_id] = path
        documents[path.name] = document
    if issues:
        raise FlowLoadError(issues)
    flows = load_flows(documents)
    sources = {flow_id: by_id[flow_id] for flow_id in flows}
    return Content(flows=flows, sources=sources, safety=_safety(dirs, flows), dirs=dirs)


def _safety(dirs: Sequence[Path], flows: Mapping[str, Flow]) -> SafetyLexicon | None:
    path = next((d / "safety.yaml" for d in reversed(dirs) if (d / "safety.yaml").is_file()), None)
    if path is None:
        return None
    try:
        document = read_yaml(path)
    except ContentFileError as error:
        raise FlowLoadError([Issue(path.name, None, str(error))]) from None
    if not isinstance(document, dict) or not isinstance(document.get("terms"), dict):
        raise FlowLoadError(
            [Issue(path.name, None, "expected 'flow' and 'terms: {locale: [...]}'")]
        )
    flow_id = document.get("flow")
    if flow_id not in flows:
        raise FlowLoadError([Issue(path.name, None, f"safety flow '{flow_id}' does not exist")])
    terms = {str(k): [str(t) for t in v or []] for k, v in document["terms"].items()}
    return SafetyLexicon(flow_id=str(flow_id), terms=terms)

"""Render a flow as a Mermaid flowchart for content review (``companion flows graph``)."""

from __future__ import annotations

from companion.flows import definition as d
from companion.flows.validation import targets

_SHAPES = {
    "message": ('["', '"]'),
    "branch": ('{"', '"}'),
    "loop": ('[["', '"]]'),
    "subflow": ('[["', '"]]'),
    "end": ('(["', '"])'),
    "flag": ('>"', '"]'),
    "set": ('[/"', '"/]'),
}


def _label(node: d.Node) -> str:
    kind = node.type if node.type != "question" else f"question: {getattr(node, 'kind', '')}"
    text = getattr(node, "prompt", None) or getattr(node, "text", None) or getattr(node, "flow", "")
    short = (text or "").replace('"', "'").replace("\n", " ")
    short = short[:40] + ("…" if len(short) > 40 else "")
    return f"{node.id}<br/><i>{kind}</i><br/>{short}" if short else f"{node.id}<br/><i>{kind}</i>"


def to_mermaid(flow: d.Flow) -> str:
    lines = ["flowchart TD", f"  start((start)) --> {flow.entry}"]
    for node in flow.nodes:
        left, right = _SHAPES.get(node.type, ('("', '")'))
        lines.append(f"  {node.id}{left}{_label(node)}{right}")
    for node in flow.nodes:
        for field, target in targets(node):
            label = "" if field == "next" else f"|{field}|"
            lines.append(f"  {node.id} -->{label} {target}")
        if getattr(node, "next", "absent") is None and node.type != "branch":
            lines.append(f"  {node.id} --> finish((end))")
    return "\n".join(lines) + "\n"

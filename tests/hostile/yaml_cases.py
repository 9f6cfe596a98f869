"""Hostile and malformed flow files: (name, file bytes, a phrase the error must contain).

A phrase of ``None`` means the file is odd but fine: it must load. Everything else must be
refused with a ``FlowLoadError`` naming the file and the reason, quickly and without crashing
(an alias bomb or a 200 kB ``[[[[`` once could take the whole process down).
"""

from __future__ import annotations

VALID = """\
spec_version: 1
id: hostile
title: Prøve
audience: [youth]
default_result: r
results:
  r:
    fields:
      name: {type: text}
entry: hello
nodes:
  - {type: message, id: hello, text: "Hei!", next: ask}
  - {type: question, kind: text, id: ask, prompt: "Hva heter du?", save: {field: name}, next: bye}
  - {type: end, id: bye}
"""


def with_node(node: str) -> str:
    """VALID with one more node line (flow-style YAML) before the end node."""
    return VALID.replace("  - {type: end, id: bye}", f"  - {node}\n  - {{type: end, id: bye}}")


LAUGHS = "\n".join(
    [
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
        *(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
            for i in range(8)
        ),
    ]
)

CASES: list[tuple[str, bytes, str | None]] = [
    # --- YAML bombs and parser abuse -----------------------------------------------------------
    ("billion laughs (aliases)", LAUGHS.encode(), "anchors (&name) are not allowed"),
    ("a single anchor", (VALID + "extra: &x 1\n").encode(), "anchors (&name) are not allowed"),
    ("an alias to nothing", (VALID + "extra: *x\n").encode(), "aliases (*name) are not allowed"),
    ("merge key", (VALID + "extra: {<<: {a: 1}}\n").encode(), "not valid YAML"),
    ("deep flow nesting 100k", ("[" * 100_000 + "]" * 100_000).encode(), "nested more than"),
    ("deep flow nesting 65", ("x: " + "[" * 65 + "]" * 65).encode(), "nested more than"),
    (
        "deep mapping nesting",
        "".join(f"{' ' * i}k:\n" for i in range(200)).encode(),
        "nested more than",
    ),
    (
        "deep block sequences",
        "".join(f"{' ' * i}-\n" for i in range(300)).encode(),
        "nested more than",
    ),
    (
        "file over the size cap",
        (VALID + "#" + "x" * 600_000 + "\n").encode(),
        "content files are at most",
    ),
    ("huge single line under the cap", (VALID.replace("Hei!", "x" * 400_000)).encode(), None),
    ("python object tag", b"!!python/object/apply:os.system ['id']\n", "not valid YAML"),
    ("python name tag", (VALID + "x: !!python/name:os.system\n").encode(), "not valid YAML"),
    ("unknown local tag", (VALID + "x: !secret 1\n").encode(), "not valid YAML"),
    ("binary tag", (VALID.replace('"Hei!"', "!!binary aGVp")).encode(), None),
    ("set tag", (VALID.replace("[youth]", "!!set {youth}")).encode(), None),
    ("timestamp as title", (VALID.replace("Prøve", "2026-01-01 10:00:00")).encode(), "title"),
    ("several documents", (VALID + "---\n" + VALID).encode(), "not valid YAML"),
    ("list as a key", (VALID + "? [a, b]\n: 1\n").encode(), "not usable as content"),
    ("mapping as a key", (VALID + "? {a: 1}\n: 1\n").encode(), "not usable as content"),
    ("5000-digit number", (VALID + "x: " + "9" * 5000 + "\n").encode(), "not usable as content"),
    ("duplicate key", (VALID + "id: other\n").encode(), "appears twice"),
    ("duplicate node key", with_node("{type: end, id: x, id: y}").encode(), "appears twice"),
    # --- bytes that are not text ------------------------------------------------------------
    ("Latin-1 bytes", VALID.replace("Prøve", "Pr\xf8ve").encode("latin-1"), "not UTF-8"),
    ("UTF-16 file", VALID.encode("utf-16"), "not UTF-8"),
    ("lone surrogate (CESU bytes)", VALID.encode().replace(b"Hei!", b"\xed\xa0\x80"), "not UTF-8"),
    ("overlong UTF-8", VALID.encode().replace(b"Hei!", b"\xc0\xaf"), "not UTF-8"),
    ("truncated UTF-8", VALID.encode().replace(b"Hei!", b"\xe2\x82"), "not UTF-8"),
    ("NUL byte", VALID.encode().replace(b"Hei!", b"H\x00i"), "not valid YAML"),
    ("escape character", VALID.encode().replace(b"Hei!", b"H\x1bi"), "not valid YAML"),
    ("random binary", bytes((i * 131) % 256 for i in range(4096)), "not UTF-8"),
    ("empty file", b"", "expected a mapping at the top"),
    ("only a comment", b"# nothing here\n", "expected a mapping at the top"),
    ("byte order mark then a valid flow", b"\xef\xbb\xbf" + VALID.encode(), None),
    # --- wrong shapes and types ----------------------------------------------------------------
    ("a list at the top", b"- 1\n- 2\n", "expected a mapping at the top"),
    ("a string at the top", b"hello\n", "expected a mapping at the top"),
    ("a number at the top", b"42\n", "expected a mapping at the top"),
    ("unknown top-level key", (VALID + "surprise: true\n").encode(), "surprise"),
    (
        "unknown node field",
        with_node("{type: message, id: m, text: x, next: bye, colour: red}").encode(),
        "colour",
    ),
    (
        "unknown node type",
        with_node("{type: shell, id: m, run: rm}").encode(),
        "unknown node type 'shell'",
    ),
    (
        "unknown question kind",
        with_node("{type: question, kind: upload, id: m, prompt: x}").encode(),
        "unknown question kind 'upload'",
    ),
    ("node without type", with_node("{id: m, text: x}").encode(), "needs a 'type'"),
    (
        "spec version from the future",
        VALID.replace("spec_version: 1", "spec_version: 99").encode(),
        "99",
    ),
    (
        "spec version as text",
        VALID.replace("spec_version: 1", "spec_version: one").encode(),
        "spec_version",
    ),
    ("id with a path", VALID.replace("id: hostile", "id: ../../etc").encode(), "not a valid id"),
    (
        "id with spaces and HTML",
        VALID.replace("id: hostile", 'id: "<b>x</b> y"').encode(),
        "not a valid id",
    ),
    ("title as a list", VALID.replace("title: Prøve", "title: [a, b]").encode(), "title"),
    (
        "nodes as a mapping",
        VALID.replace("nodes:\n", "nodes: {}\nx:\n").encode(),
        "nodes: Input should be a valid",
    ),
    (
        "no nodes",
        VALID.split("nodes:")[0].encode() + b"nodes: []\n",
        "nodes: Tuple should have at least 1 item",
    ),
    (
        "entry to a missing node",
        VALID.replace("entry: hello", "entry: nowhere").encode(),
        "nowhere",
    ),
    ("next to a missing node", VALID.replace("next: ask}", "next: nowhere}").encode(), "nowhere"),
    (
        "two nodes with one id",
        with_node("{type: message, id: hello, text: x, next: bye}").encode(),
        "hello",
    ),
    (
        "text as a number",
        VALID.replace('"Hei!"', "12").encode(),
        "text: Input should be a valid string",
    ),
    ("text as null", VALID.replace('"Hei!"', "null").encode(), "text"),
    ("text as a mapping", VALID.replace('"Hei!"', "{a: 1}").encode(), "text"),
    (
        "NaN as a number",
        with_node(
            "{type: question, kind: scale, id: s, prompt: x, min: .nan, max: 10, next: bye}"
        ).encode(),
        "s",
    ),
    (
        "infinite scale",
        with_node(
            "{type: question, kind: scale, id: s, prompt: x, min: 0, max: .inf, next: bye}"
        ).encode(),
        "s",
    ),
    (
        "a million options",
        with_node(
            "{type: question, kind: choice, id: c, prompt: x, options: ["
            + ", ".join(f"{{value: v{i}, label: l}}" for i in range(5000))
            + "], next: bye}"
        ).encode(),
        "c",
    ),
    # --- odd but harmless text inside a valid flow --------------------------------------------
    ("right-to-left override in a prompt", VALID.replace("Hei!", "Hei\u202e!").encode(), None),
    ("zero-width characters in a prompt", VALID.replace("Hei!", "H\u200be\u200di!").encode(), None),
    ("HTML in a prompt", VALID.replace('"Hei!"', '"<b>Hei</b> <script>x</script>"').encode(), None),
    (
        "Markdown in a prompt",
        VALID.replace('"Hei!"', '"*Hei* _du_ [x](http://e.com)"').encode(),
        None,
    ),
    ("emoji in a prompt", VALID.replace("Hei!", "Hei 👋🏽").encode(), None),
    ("Windows line endings", VALID.replace("\n", "\r\n").encode(), None),
]

SAFETY_CASES: list[tuple[str, str, str | None]] = [
    # (name, safety.yaml of a content pack, a phrase the error must contain; None: loads)
    ("a list at the top", "- vil dø\n", "expected 'flow' and 'terms"),
    ("terms as a list", "flow: safety\nterms: [vil dø]\n", "expected 'flow' and 'terms"),
    ("a flow that does not exist", "flow: nowhere\nterms: {nb: [x]}\n", "'nowhere' does not exist"),
    ("an alias bomb", "flow: safety\nterms: {nb: &a [x], nn: *a}\n", "anchors (&name)"),
    ("deep nesting", "flow: safety\nterms: " + "[" * 100 + "]" * 100 + "\n", "nested more than"),
    ("regex specials as terms", "flow: safety\nterms: {nb: ['(.*)+', '[', '\\\\d']}\n", None),
    ("empty and odd terms", "flow: safety\nterms: {nb: ['', null, 12, {a: 1}], nn: null}\n", None),
]

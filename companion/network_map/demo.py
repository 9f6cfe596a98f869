"""A made-up youth's map to try the renderers: ``python -m companion.network_map.demo OUT``."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from companion.network_map.labels import MapLabels
from companion.network_map.png import render_png
from companion.network_map.svg import render_svg

# Made-up people; every field but "text" may be missing, as from the content flows.
EXAMPLE_PEOPLE: tuple[Mapping[str, object], ...] = (
    {
        "text": "Mormor Åse",
        "category": "slekt",
        "closeness": "inner",
        "quality": "supportive",
        "support": ["emotional", "practical"],
        "gives_support": True,
    },
    {
        "text": "Lillebror Jonas",
        "category": "biologisk_familie",
        "closeness": "inner",
        "quality": "supportive",
        "gives_support": True,
    },
    {
        "text": "Emma",
        "category": "venner",
        "closeness": "inner",
        "quality": "supportive",
        "support": ["emotional"],
        "gives_support": True,
    },
    {
        "text": "Mamma",
        "category": "biologisk_familie",
        "closeness": "middle",
        "quality": "mixed",
        "contact_wish": "more",
    },
    {
        "text": "Onkel Bjørn",
        "category": "slekt",
        "closeness": "middle",
        "quality": "supportive",
        "contact_wish": "more",
    },
    {
        "text": "Trener Kjærsti",
        "category": "andre_viktige",
        "closeness": "middle",
        "quality": "supportive",
        "support": ["advice", "feedback"],
        "contact_wish": "more",
    },
    {"text": "Sondre", "category": "venner", "closeness": "middle", "quality": "mixed"},
    {
        "text": "Pappa",
        "category": "biologisk_familie",
        "closeness": "outer",
        "quality": "burdensome",
        "contact_wish": "less",
    },
    {"text": "Kontaktlærer Nils Ødegård", "category": "andre_viktige", "closeness": "outer"},
    {
        "text": "Saksbehandler Lise",
        "category": "profesjonelle",
        "closeness": "outer",
        "quality": "supportive",
        "support": ["advice"],
    },
)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the example map to each given .png or .svg path."""
    paths = [Path(a) for a in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print("usage: python -m companion.network_map.demo OUT.png [OUT.svg …]", file=sys.stderr)
        return 2
    labels = MapLabels.nb()
    for path in paths:
        if path.suffix == ".svg":
            path.write_text(render_svg(EXAMPLE_PEOPLE, labels), encoding="utf-8")
        else:
            path.write_bytes(render_png(EXAMPLE_PEOPLE, labels))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

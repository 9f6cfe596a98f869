"""Shared people lists for the network map tests."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest

from companion.network_map import MapLabels
from companion.network_map.demo import EXAMPLE_PEOPLE

YOUTH_CATEGORIES = (
    "biologisk_familie",
    "fosterfamilie",
    "slekt",
    "venner",
    "andre_viktige",
    "profesjonelle",
)
FIRST = (
    "Mamma",
    "Pappa",
    "Mormor",
    "Onkel Bjørn",
    "Tante Kari",
    "Emma",
    "Sondre",
    "Aisha",
    "Mohammed",
    "Trener Kjærsti",
    "Lærer Marte",
    "Saksbehandler Lise",
    "Fostermor Hilde",
    "Nabo Gunnar",
    "Kusine Sofie",
    "Helsesykepleier Åse",
    "Kontaktlærer Nils Ødegård",
)


def forty_people() -> list[dict[str, object]]:
    """Forty people spread over six categories, three rings and every marker."""
    rings = itertools.cycle(["inner", "middle", "outer", None, "outer", "middle", "outer"])
    qualities = itertools.cycle(["supportive", "mixed", "burdensome", None, "supportive"])
    return [
        {
            "text": f"{FIRST[i % len(FIRST)]} {i}",
            "category": YOUTH_CATEGORIES[(i * 5) % 6],
            "closeness": next(rings),
            "quality": next(qualities),
            "gives_support": i % 3 == 0,
            "contact_wish": "more" if i % 4 == 1 else None,
        }
        for i in range(40)
    ]


@pytest.fixture
def example() -> list[Mapping[str, object]]:
    return list(EXAMPLE_PEOPLE)


@pytest.fixture
def forty() -> list[dict[str, object]]:
    return forty_people()


@pytest.fixture
def labels() -> MapLabels:
    return MapLabels.nb()

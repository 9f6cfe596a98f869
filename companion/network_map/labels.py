"""Localised texts drawn on the map, with Norwegian Bokmål defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Audience = Literal["youth", "family"]

YOUTH_CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "biologisk_familie": "Familie",
        "fosterfamilie": "Fosterfamilie",
        "slekt": "Slekt",
        "venner": "Venner",
        "andre_viktige": "Andre viktige",
        "profesjonelle": "Profesjonelle",
    }
)
FAMILY_CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "familie": "Familie",
        "slekt": "Slekt",
        "venner": "Venner",
        "nabolag": "Nabolag",
        "tro_og_foreninger": "Tro og foreninger",
        "profesjonelle": "Profesjonelle",
    }
)
NB_RINGS: Mapping[str, str] = MappingProxyType(
    {"inner": "Nærmest", "middle": "Nær", "outer": "Litt lenger unna"}
)
NB_QUALITY: Mapping[str, str] = MappingProxyType(
    {
        "supportive": "Støttende",
        "mixed": "Både godt og vanskelig",
        "burdensome": "Belastende",
        "unknown": "Ikke vurdert",
    }
)


@dataclass(frozen=True)
class MapLabels:
    """Every caller-supplied, already localised text on the map."""

    title: str
    center: str
    categories: Mapping[str, str]
    rings: Mapping[str, str]
    quality: Mapping[str, str]
    legend_title: str
    gives_support: str
    wants_more_contact: str
    empty: str

    @classmethod
    def nb(cls, audience: Audience = "youth", *, title: str | None = None) -> MapLabels:
        """Norwegian Bokmål defaults for a youth's («Meg») or a family's («Oss») map."""
        youth = audience == "youth"
        return cls(
            title=title or ("Mitt nettverk" if youth else "Familiens nettverk"),
            center="Meg" if youth else "Oss",
            categories=YOUTH_CATEGORIES if youth else FAMILY_CATEGORIES,
            rings=NB_RINGS,
            quality=NB_QUALITY,
            legend_title="Slik leser du kartet",
            gives_support="Vi støtter hverandre",
            wants_more_contact="Ønsker mer kontakt",
            empty="Ingen personer ennå",
        )

    def category(self, slug: str) -> str:
        """The display name of a category, or a readable form of an unknown slug."""
        return self.categories.get(slug) or slug.replace("_", " ").capitalize()

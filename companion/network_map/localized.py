"""The map's texts in the person's language, through the same catalogs as the flows."""

from __future__ import annotations

from companion.flows.messages import N_
from companion.flows.ports import Localizer
from companion.network_map.labels import Audience, MapLabels

TITLE_YOUTH = N_("map:title:youth", "Mitt nettverk")
TITLE_FAMILY = N_("map:title:family", "Familiens nettverk")
CENTER_YOUTH = N_("map:center:youth", "Meg")
CENTER_FAMILY = N_("map:center:family", "Oss")
YOUTH_CATEGORIES = {
    "biologisk_familie": N_("map:category:biologisk_familie", "Familie"),
    "fosterfamilie": N_("map:category:fosterfamilie", "Fosterfamilie"),
    "slekt": N_("map:category:slekt", "Slekt"),
    "venner": N_("map:category:venner", "Venner"),
    "andre_viktige": N_("map:category:andre_viktige", "Andre viktige"),
    "profesjonelle": N_("map:category:profesjonelle", "Profesjonelle"),
}
FAMILY_CATEGORIES = {
    "familie": N_("map:category:familie", "Familie"),
    "slekt": N_("map:category:slekt", "Slekt"),
    "venner": N_("map:category:venner", "Venner"),
    "nabolag": N_("map:category:nabolag", "Nabolag"),
    "tro_og_foreninger": N_("map:category:tro_og_foreninger", "Tro og foreninger"),
    "profesjonelle": N_("map:category:profesjonelle", "Profesjonelle"),
}
RINGS = {
    "inner": N_("map:ring:inner", "Nærmest"),
    "middle": N_("map:ring:middle", "Nær"),
    "outer": N_("map:ring:outer", "Litt lenger unna"),
}
QUALITY = {
    "supportive": N_("map:quality:supportive", "Støttende"),
    "mixed": N_("map:quality:mixed", "Både godt og vanskelig"),
    "burdensome": N_("map:quality:burdensome", "Belastende"),
    "unknown": N_("map:quality:unknown", "Ikke vurdert"),
}
LEGEND_TITLE = N_("map:legend_title", "Slik leser du kartet")
GIVES_SUPPORT = N_("map:gives_support", "Vi støtter hverandre")
WANTS_MORE_CONTACT = N_("map:wants_more_contact", "Ønsker mer kontakt")
EMPTY = N_("map:empty", "Ingen personer ennå")


def map_labels(localizer: Localizer, locale: str, audience: Audience = "youth") -> MapLabels:
    """Labels for a youth's («Meg») or a family's («Oss») map in ``locale``."""

    def t(message: tuple[str, str]) -> str:
        return localizer.text(locale, *message)

    youth = audience == "youth"
    categories = YOUTH_CATEGORIES if youth else FAMILY_CATEGORIES
    return MapLabels(
        title=t(TITLE_YOUTH if youth else TITLE_FAMILY),
        center=t(CENTER_YOUTH if youth else CENTER_FAMILY),
        categories={slug: t(message) for slug, message in categories.items()},
        rings={ring: t(message) for ring, message in RINGS.items()},
        quality={quality: t(message) for quality, message in QUALITY.items()},
        legend_title=t(LEGEND_TITLE),
        gives_support=t(GIVES_SUPPORT),
        wants_more_contact=t(WANTS_MORE_CONTACT),
        empty=t(EMPTY),
    )

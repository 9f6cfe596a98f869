"""The demo's scripted conversations (fictitious people), in the golden-script input format.

Each play names who speaks, the flow, how long ago it happened and the inputs, as in
``tests/content/scripts`` (text, ``{choice: …}``, ``{command: …}``, ``{voice: …}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class Play:
    flow: str
    ago: timedelta
    inputs: tuple[Any, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    seed: tuple[str, ...] = ()
    """Results of the participant's earlier conversations the flow starts from."""

    @property
    def document(self) -> dict[str, Any]:
        return {"flow": self.flow, "inputs": list(self.inputs)}


def _day(today: date, days: int) -> str:
    """A date ``days`` after ``today`` as the flows read it (dd.mm.yyyy)."""
    return (today + timedelta(days=days)).strftime("%d.%m.%Y")


def _ago(days: float) -> timedelta:
    return timedelta(days=days)


YES = {"choice": "yes"}
DONE = {"choice": "done"}
SKIP = {"command": "skip"}

ONBOARDING = Play("onboarding", _ago(50), ("Ja", {"choice": "nb"}, "nei"))

SARA_HEVD = Play(
    "hevd",
    _ago(42),
    (
        {"choice": "ja"},
        "Å ha et sted å bo når jeg flytter fra fosterhjemmet",
        {"voice": "Få en deltidsjobb ved siden av skolen", "confidence": 0.84},
        YES,
        "Ha det bra når jeg snakker med moren min",
        DONE,
        "Trening, det ordner jeg selv",
        "nei",
        "1, 3",
        "3",
        "5",
        YES,
        {"choice": "kontaktperson"},
    ),
)

SARA_NETWORK = Play(
    "nettverkskart",
    _ago(28),
    (
        "Mamma",
        DONE,
        SKIP,
        "Mormor",
        DONE,
        "Kim",
        DONE,
        "Ali-trener",
        "ferdig",
        DONE,
        {"choice": "middle"},
        {"choice": ["emotional", "material"]},
        "ja",
        {"choice": "mixed"},
        {"choice": "same"},
        {"choice": "inner"},
        {"choice": ["emotional", "practical"]},
        SKIP,
        {"choice": "supportive"},
        {"choice": "more"},
        {"choice": "middle"},
        {"choice": ["emotional", "feedback"]},
        YES,
        {"choice": "supportive"},
        SKIP,
        {"choice": "outer"},
        {"choice": ["advice"]},
        "nei",
        {"choice": "supportive"},
        {"choice": "more"},
        "Mormor kunne hjulpet meg med å flytte, og Ali-trener med å finne en sommerjobb.",
        {"choice": ["2", "4"]},
        YES,
        {"choice": "kp_only"},
    ),
)

SARA_STATUS_EARLY = Play("hevd_status", _ago(27), ("4", SKIP, "5", SKIP, DONE, YES), seed=("hevd",))

SARA_STATUS = Play(
    "hevd_status",
    _ago(14),
    (
        "5",
        "Vi har sett på to leiligheter sammen med Ali",
        "6",
        SKIP,
        "Å klare meg bedre med penger",
        DONE,
        YES,
    ),
    seed=("hevd",),
)


def _weekly_youth(days: float, ratings: tuple[int, ...], good: str, bad: str) -> Play:
    return Play("ukesjekk", _ago(days), ("2", *ratings, good, bad), {"audience": "youth"})


def _sara_goals(today: date) -> Play:
    return Play(
        "hevd_goals",
        _ago(6),
        (
            "Jeg bor i egen leilighet før jeg fyller 19",
            "Jeg og mamma kan snakke sammen uten å krangle",
            "12 måneder",
            "Søke på tre leiligheter",
            "Lage et budsjett",
            DONE,
            "6 måneder",
            "Møte mamma på kafé en gang i måneden",
            DONE,
            "Hjelp til å søke bostøtte og depositum",
            "NAV og fostermor",
            "Følge Sara til NAV-møtet",
            "Finne tre annonser hver uke",
            _day(today, 60),
            "Økonomiveiledning",
            "NAV",
            "Bestille time hos økonomirådgiver",
            "Skrive ned alle utgifter i en måned",
            _day(today, 75),
            "Samtaler på familievernkontoret hvis vi vil",
            "Mamma",
            "Spørre familievernkontoret om time",
            "Si fra til mamma hvilken kafé",
            _day(today, 120),
            YES,
        ),
        seed=("hevd",),
    )


# Last night: she starts the weekly check and writes words from the safety lexicon.
SARA_CRISIS = Play(
    "ukesjekk", timedelta(hours=9), ("jeg orker ikke mer, alt er bare kaos",), {"audience": "youth"}
)


def _checkin(days: float, component: str, inputs: tuple[Any, ...]) -> Play:
    return Play("fv_checkin", _ago(days), inputs, {"fv_component": component})


def _weekly_parent(days: float, ratings: tuple[int, ...], good: str) -> Play:
    return Play("ukesjekk", _ago(days), ({"choice": "meeting"}, *ratings, good, SKIP))


NADIA_NETWORK = Play(
    "nettverkskart_familie",
    _ago(35),
    (
        "Omar",
        "Bestemor",
        DONE,
        "Onkel Yusuf",
        DONE,
        SKIP,
        "Nabo-Kari",
        DONE,
        "Fotballtreneren",
        DONE,
        "Helsestasjonen",
        DONE,
        {"choice": "inner"},
        {"choice": ["emotional"]},
        YES,
        {"choice": "supportive"},
        {"choice": "same"},
        {"choice": "inner"},
        {"choice": ["emotional", "practical"]},
        YES,
        {"choice": "supportive"},
        {"choice": "more"},
        {"choice": "outer"},
        SKIP,
        SKIP,
        {"choice": "burdensome"},
        {"choice": "less"},
        {"choice": "middle"},
        {"choice": ["practical"]},
        "ja",
        {"choice": "supportive"},
        {"choice": "more"},
        {"choice": "outer"},
        {"choice": ["feedback"]},
        SKIP,
        {"choice": "supportive"},
        {"choice": "same"},
        {"choice": "outer"},
        {"choice": ["advice"]},
        "nei",
        {"choice": "mixed"},
        SKIP,
        "Nabo-Kari kunne hentet Omar i barnehagen når jeg jobber sent.",
        "2, 4",
        YES,
        {"choice": "kp_only"},
    ),
)

OMAR_HOUSES = Play(
    "tre_hus",
    _ago(30),
    (
        "ja",
        "Jeg liker å spille fotball med pappa",
        "Katten Pus",
        DONE,
        {"choice": ["said", "drew"]},
        "Mamma og pappa krangler om kvelden",
        "Jeg vet ikke om jeg får bli på skolen",
        DONE,
        {"choice": ["said"]},
        "At alle er glade hjemme",
        "En hund",
        DONE,
        {"choice": ["drew"]},
        YES,
        {"choice": "kp_and_parents"},
        {"choice": "kp_only"},
        {"choice": "kp_and_parents"},
        {"choice": ["kontaktperson", "mor"]},
    ),
)

JONAS = (
    Play("onboarding", _ago(40), ("Ja", {"choice": "nb"}, "nei")),
    Play(
        "hevd",
        _ago(33),
        (
            {"choice": "ja"},
            "Fullføre skolen",
            "Ha noen å trene med",
            DONE,
            "Hjelp med lekser",
            "nei",
            "1, 2",
            "4",
            "7",
            YES,
            {"choice": "kontaktperson"},
        ),
    ),
    Play(
        "evaluering",
        _ago(2),
        (
            "Ja, mye. Jeg har flyttet inn og betalt husleia hver måned.",
            "Stort sett. Det hjalp å ha faste møter. Det var vanskelig da NAV-saken tok lang tid.",
            "Vi fortsetter, men med færre møter.",
            {"choice": "continue_adjusted"},
            "Færre møter, én gang i måneden. Ny evaluering til jul.",
        ),
        {
            "measure": "Økonomisk hjelp og oppfølging i ettervern",
            "goal": "Jeg skal bo i egen leilighet og klare regningene selv.",
        },
    ),
)

MINA = (
    Play("onboarding", _ago(20), ("Ja", {"choice": "nn"}, "nei")),
    Play(
        "hevd",
        _ago(18),
        (
            {"choice": "ja"},
            "Få venner på den nye skolen",
            "Ha det roleg heime",
            DONE,
            "nei",
            "1, 2",
            "4",
            "6",
            YES,
            {"choice": "kontaktperson"},
        ),
    ),
)


def scripts(today: date) -> list[tuple[str, Play]]:
    """Who plays what, oldest first within each person (dates relative to ``today``)."""
    return [
        ("sara", ONBOARDING),
        ("sara", SARA_HEVD),
        ("sara", SARA_NETWORK),
        ("sara", SARA_STATUS_EARLY),
        ("sara", SARA_STATUS),
        (
            "sara",
            _weekly_youth(17, (5, 5, 4, 5, 6, 5, 5), "Fint å snakke om bolig.", "Møtet var kort."),
        ),
        (
            "sara",
            _weekly_youth(
                10,
                (6, 6, 5, 6, 6, 6, 6),
                "Fin prat, jeg kunne si det jeg ville.",
                "Tar litt tid før han svarer på melding.",
            ),
        ),
        ("sara", _sara_goals(today)),
        ("sara", _weekly_youth(3, (7, 6, 6, 7, 7, 6, 7), "Vi laget en plan sammen.", "Ingenting.")),
        ("sara", SARA_CRISIS),
        ("nadia", Play("onboarding", _ago(45), ("Ja", {"choice": "nb"}, "ja"))),
        ("nadia", NADIA_NETWORK),
        ("omar", OMAR_HOUSES),
        (
            "nadia",
            _checkin(
                22,
                "forutsigbar_hverdag_rutiner",
                (
                    {"choice": "partly"},
                    "Vi laget et bilde av morgenen og hengte det på kjøleskapet.",
                    "Det var vanskelig å holde det når lillesøster var syk.",
                    SKIP,
                    "Omar har sovet dårlig.",
                ),
            ),
        ),
        ("nadia", _weekly_parent(21, (5, 5, 4, 5, 5, 4, 4), "Godt å få en plan for morgenen.")),
        (
            "nadia",
            _checkin(
                15,
                "folge_opp_barnet",
                (
                    {"choice": "yes"},
                    {
                        "voice": "Omar ble glad da jeg spurte om skoledagen hver kveld",
                        "confidence": 0.78,
                    },
                    YES,
                    "Jeg glemte det to dager.",
                    "Han fortalte om en venn i klassen.",
                    "Ingenting nytt.",
                ),
            ),
        ),
        (
            "nadia",
            _weekly_parent(14, (6, 6, 5, 6, 6, 5, 5), "Vi øvde på å følge opp med rollespill."),
        ),
        (
            "nadia",
            _checkin(
                8, "gode_beskjeder", ("ikke ennå", SKIP, "Kan vi flytte neste møte til torsdag?")
            ),
        ),
        (
            "nadia",
            _weekly_parent(7, (6, 7, 6, 6, 7, 6, 6), "Vi fikk øve på å gi beskjeder. Det hjalp."),
        ),
        ("jonas", JONAS[0]),
        ("jonas", JONAS[1]),
        ("jonas", JONAS[2]),
        ("mina", MINA[0]),
        ("mina", MINA[1]),
        ("lene", _weekly_parent(4, (5, 4, 4, 5, 5, 4, 4), "Greit møte.")),
    ]

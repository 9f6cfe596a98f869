"""The engine's own user-facing text, in Bokmål, marked for extraction with ``N_(context, text)``.

Each entry is a (context, source) pair that goes through the Localizer like flow text, so
``nn`` and ``en`` (and any catalog a service adds) translate it. Word lists are comma-separated.
"""

from __future__ import annotations

from companion.flows.inputs import Command


def N_(context: str, text: str) -> tuple[str, str]:
    """Mark a (context, Bokmål text) pair for the catalog extractor; returns it unchanged."""
    return (context, text)


COMMAND_WORDS: dict[Command, tuple[str, str]] = {
    Command.HELP: N_("engine:command:help", "hjelp"),
    Command.PAUSE: N_("engine:command:pause", "pause, vent"),
    Command.CONTINUE: N_("engine:command:continue", "fortsett, videre"),
    Command.BACK: N_("engine:command:back", "tilbake, angre"),
    Command.SKIP: N_("engine:command:skip", "hopp over, hopp, vet ikke"),
    Command.STOP: N_("engine:command:stop", "stopp, avslutt, slutt"),
    Command.URGENT: N_(
        "engine:command:urgent", "jeg trenger hjelp nå, trenger hjelp nå, hjelp nå, sos"
    ),
}
"""Words that work as commands at every wait (besides ``/help`` etc. in English)."""

YES_WORDS = N_("engine:words:yes", "ja, j, jo, japp, jepp, ok, stemmer, greit")
NO_WORDS = N_("engine:words:no", "nei, n, nope, nei takk")
DONE_WORDS = N_(
    "engine:words:done", "ferdig, nei, nei takk, det er alt, ingen flere, nei det er alt"
)
YES_LABEL = N_("engine:label:yes", "Ja")
NO_LABEL = N_("engine:label:no", "Nei")

HELP = N_(
    "engine:help",
    "Du kan svare med egne ord eller trykke på en knapp. "
    "Skriv «tilbake» for å gå til forrige spørsmål, «hopp over» når du ikke vil svare, "
    "«pause» for å ta en pause og «stopp» for å avslutte.",
)
PAUSED = N_(
    "engine:paused",
    "Greit, vi tar en pause. Det du har svart er lagret. Skriv «fortsett» når du vil fortsette.",
)
CONTINUED = N_("engine:continued", "Velkommen tilbake! Vi fortsetter der vi slapp.")
FIRST_QUESTION = N_("engine:first_question", "Dette er det første spørsmålet.")
NOT_SKIPPABLE = N_(
    "engine:not_skippable",
    "Dette spørsmålet trenger et svar for å gå videre. Du kan også skrive «stopp».",
)
STOPPED = N_(
    "engine:stopped",
    "Greit, vi stopper her. Det du har svart så langt er lagret, "
    "og du kan snakke om det med kontaktpersonen din.",
)
EXPIRED = N_("engine:expired", "Denne samtalen er avsluttet fordi det har gått lang tid.")
REMINDER = N_("engine:reminder", "Bare en påminnelse: jeg venter fortsatt på svaret ditt.")
FAILED = N_(
    "engine:failed",
    "Beklager, noe gikk galt i denne samtalen. Svarene dine er lagret. "
    "Kontaktpersonen din får beskjed.",
)
SCALE_ENDS = N_("engine:scale_ends", "({min} = {low}, {max} = {high})")

HINT_TEXT_EMPTY = N_("engine:hint:text_empty", "Skriv gjerne noen ord, så går vi videre.")
HINT_TEXT_LONG = N_(
    "engine:hint:text_long", "Det ble litt langt. Kan du korte det ned til {max} tegn?"
)
HINT_CHOICE = N_("engine:hint:choice", "Velg ett av alternativene: {options}.")
HINT_MULTI = N_(
    "engine:hint:multi",
    "Velg ett eller flere av alternativene (høyst {max}), for eksempel «1, 3».",
)
HINT_MULTI_TOO_FEW = N_("engine:hint:multi_too_few", "Velg minst {min}.")
HINT_MULTI_TOO_MANY = N_("engine:hint:multi_too_many", "Du kan velge høyst {max}.")
HINT_SCALE = N_("engine:hint:scale", "Svar med et tall fra {min} til {max}.")
HINT_YES_NO = N_("engine:hint:yes_no", "Svar «ja» eller «nei».")
HINT_NUMBER = N_("engine:hint:number", "Skriv et tall.")
HINT_NUMBER_RANGE = N_("engine:hint:number_range", "Skriv et tall fra {min} til {max}.")
HINT_NUMBER_WHOLE = N_("engine:hint:number_whole", "Skriv et helt tall, uten komma.")
HINT_DATE = N_("engine:hint:date", "Skriv en dato, for eksempel {example}.")
HINT_DATE_PAST = N_("engine:hint:date_past", "Datoen kan ikke være tilbake i tid.")
HINT_DATE_FUTURE = N_("engine:hint:date_future", "Datoen kan ikke være fram i tid.")
HINT_STALE_BUTTON = N_(
    "engine:hint:stale_button",
    "Den knappen hører til et tidligere spørsmål. Her er det vi er på nå:",
)
HINT_COLLECT_MIN = N_(
    "engine:hint:collect_min", "Skriv minst {min} ting før vi går videre, eller «hopp over»."
)

VOICE_HEARD = N_("engine:voice:heard", "Jeg hørte: «{text}»\nStemmer det?")
VOICE_YES = N_("engine:voice:yes", "Ja, det stemmer")
VOICE_RETRY = N_("engine:voice:retry", "Nei, prøv igjen")
VOICE_TYPE = N_("engine:voice:type", "Jeg skriver heller")
VOICE_RETRY_NOTE = N_("engine:voice:retry_note", "Greit. Send en ny talemelding når du er klar.")
VOICE_TYPE_NOTE = N_("engine:voice:type_note", "Greit. Skriv svaret ditt her.")
VOICE_EMPTY = N_(
    "engine:voice:empty", "Jeg klarte ikke å høre hva du sa. Prøv igjen, eller skriv svaret."
)

ALL_MESSAGES: tuple[tuple[str, str], ...] = (
    *COMMAND_WORDS.values(),
    YES_WORDS,
    NO_WORDS,
    DONE_WORDS,
    YES_LABEL,
    NO_LABEL,
    HELP,
    PAUSED,
    CONTINUED,
    FIRST_QUESTION,
    NOT_SKIPPABLE,
    STOPPED,
    EXPIRED,
    REMINDER,
    FAILED,
    SCALE_ENDS,
    HINT_TEXT_EMPTY,
    HINT_TEXT_LONG,
    HINT_CHOICE,
    HINT_MULTI,
    HINT_MULTI_TOO_FEW,
    HINT_MULTI_TOO_MANY,
    HINT_SCALE,
    HINT_YES_NO,
    HINT_NUMBER,
    HINT_NUMBER_RANGE,
    HINT_NUMBER_WHOLE,
    HINT_DATE,
    HINT_DATE_PAST,
    HINT_DATE_FUTURE,
    HINT_STALE_BUTTON,
    HINT_COLLECT_MIN,
    VOICE_HEARD,
    VOICE_YES,
    VOICE_RETRY,
    VOICE_TYPE,
    VOICE_RETRY_NOTE,
    VOICE_TYPE_NOTE,
    VOICE_EMPTY,
)
"""Every engine message, for the extractor and the completeness check."""

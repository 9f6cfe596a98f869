"""The bot's own words, in Bokmål, marked ``N_(context, text)`` for the catalogs.

Flow texts come translated from the engine; these go through the same Localizer
(``localizer.text(locale, context, source)``). Keep them short, plain and free of case details.
"""

from __future__ import annotations

from companion.flows.messages import N_

UNKNOWN_USER = N_(
    "bot:unknown_user",
    "Hei! Denne chatten kan bare brukes med en invitasjon. "
    "Har du fått en lenke eller en QR-kode, kan du åpne den på nytt.\n"
    "Trenger du hjelp nå, ring 112, eller Alarmtelefonen for barn og unge på 116 111.",
)
URGENT_BUTTON = N_("bot:urgent_button", "Jeg trenger hjelp nå")
MULTI_DONE = N_("bot:multi_done", "Ferdig")
CHOSEN = N_("bot:chosen", "✓ {label}")
STALE_BUTTON = N_(
    "bot:stale_button", "Den knappen hører til et tidligere spørsmål. Her er det vi er på nå:"
)
OLD_BUTTON = N_("bot:old_button", "Den knappen virker ikke lenger.")
TOO_MANY = N_("bot:too_many", "Du kan velge høyst {max}.")
ANSWER_OR_MESSAGE = N_(
    "bot:answer_or_message",
    "Mente du dette som svar på spørsmålet, eller som en melding til kontaktpersonen?",
)
AS_ANSWER = N_("bot:as_answer", "Svar på spørsmålet")
AS_MESSAGE = N_("bot:as_message", "Melding til kontaktpersonen")
CONSENT_FIRST = N_(
    "bot:consent_first",
    "Før vi kan gjøre noe annet her, trenger jeg svaret ditt på spørsmålet over.",
)
DECLINED = N_(
    "bot:declined",
    "Du har sagt nei til å bruke chatten, så jeg lagrer ikke det du skriver her. "
    "Vil du se informasjonen og svare på nytt, skriv /start.\n"
    "Trenger du hjelp nå, ring 112, eller Alarmtelefonen for barn og unge på 116 111.",
)
WELCOME_BACK = N_("bot:welcome_back", "Hei igjen!")
HELP = N_(
    "bot:help",
    "Her kan du svare på spørsmål fra kontaktpersonen din, og skrive til kontaktpersonen "
    "mellom møtene.\n\n"
    "/menu – hva du kan gjøre nå\n"
    "/pause – ta en pause i samtalen\n"
    "/continue – fortsette der du slapp\n"
    "/stop – ingen flere spørsmål eller påminnelser før du sier fra\n"
    "/language – bytte språk\n"
    "/voice – lydmeldinger av eller på\n"
    "/mydata – få en kopi av det som er lagret om deg\n"
    "/delete – be om at noe blir slettet\n\n"
    "Haster det, ring 112, eller Alarmtelefonen for barn og unge på 116 111. "
    "Du kan også skrive «jeg trenger hjelp nå».",
)
MENU_OPEN = N_("bot:menu_open", "Samtaler du kan fortsette (skriv /continue):")
MENU_PAUSED = N_("bot:menu_paused", "på pause")
MENU_WAITING = N_("bot:menu_waiting", "venter på svaret ditt")
MENU_ASSIGNMENTS = N_("bot:menu_assignments", "Hjemmeoppgavene dine:")
MENU_NOTHING = N_(
    "bot:menu_nothing",
    "Akkurat nå har du ingen samtaler eller oppgaver her. "
    "Du kan skrive til kontaktpersonen din når du vil.",
)
MENU_FOOTER = N_("bot:menu_footer", "Skriv /help for alt du kan gjøre her.")
NOTHING_TO_PAUSE = N_("bot:nothing_to_pause", "Det er ingen samtale å ta pause fra nå.")
NOTHING_TO_CONTINUE = N_("bot:nothing_to_continue", "Det er ingen samtale å fortsette nå.")
STOPPED = N_(
    "bot:stopped",
    "Greit. Du får ingen flere spørsmål eller påminnelser fra meg før du skriver /start. "
    "Det du har svart er lagret. Du kan fortsatt skrive til kontaktpersonen din her.\n"
    "Haster det, ring 112, eller Alarmtelefonen for barn og unge på 116 111.",
)
RESTARTED = N_("bot:restarted", "Fint, da kan du få spørsmål og påminnelser her igjen.")
CHOOSE_LANGUAGE = N_("bot:choose_language", "Hvilket språk vil du bruke?")
LANGUAGE_SET = N_(
    "bot:language_set",
    "Greit: {language} fra nå av.",
)
VOICE_ON = N_(
    "bot:voice_on",
    "Lydmeldinger er slått på. Spørsmålene kommer også som lydmelding når det er mulig.",
)
VOICE_OFF = N_("bot:voice_off", "Lydmeldinger er slått av.")
VOICE_NOT_YET = N_(
    "bot:voice_not_yet",
    "Jeg kan ikke lytte til lydmeldinger ennå. Kan du skrive det i stedet?",
)
VOICE_OUTSIDE_FLOW = N_(
    "bot:voice_outside_flow",
    "Lydmeldinger tar jeg imot som svar på spørsmål. "
    "Vil du si noe til kontaktpersonen din, kan du skrive det her.",
)
VOICE_USE_BUTTONS = N_(
    "bot:voice_use_buttons", "Dette spørsmålet svarer du på med knappene. Her er det igjen:"
)
VOICE_FETCH_FAILED = N_(
    "bot:voice_fetch_failed",
    "Jeg fikk ikke hentet lydmeldingen. Prøv å sende den på nytt, eller skriv svaret ditt.",
)
ONLY_TEXT = N_("bot:only_text", "Jeg kan bare lese tekst her. Kan du skrive det i stedet?")
MY_DATA = N_(
    "bot:my_data",
    "Her er en kopi av det som er lagret fra deg: svarene dine, valgene dine og meldingene dine.",
)
MY_DATA_FILE = N_("bot:my_data_file", "mine-data.json")
DELETION_REQUESTED = N_(
    "bot:deletion_requested",
    "Jeg har gitt beskjed til kontaktpersonen din om at du vil at noe skal slettes. "
    "Kontaktpersonen går gjennom det sammen med deg. Noe må barneverntjenesten ta vare på "
    "etter loven. Da får du vite hva, og hvorfor.",
)
CONSENT_WITHDRAWN = N_(
    "bot:consent_withdrawn",
    "Greit. Du har trukket tilbake samtykket, og du får ikke flere meldinger herfra. "
    "Kontaktpersonen din får vite det. Det du har svart før, er lagret til du eller "
    "kontaktpersonen din sletter det (skriv /delete). Vil du bruke chatten igjen, skriv /start.",
)
CANNOT_SAVE = N_(
    "bot:cannot_save",
    "Beklager, jeg får ikke lagret noe akkurat nå. Det du skrev nå, er ikke lagret. "
    "Prøv igjen litt senere. "
    "Trenger du hjelp nå, ring 112, eller Alarmtelefonen for barn og unge på 116 111.",
)
FAILED_LINE = N_("bot:failed", "Beklager, noe gikk galt. Kontaktpersonen din får beskjed.")

COMMANDS = {
    "start": N_("bot:command:start", "Start eller kom tilbake"),
    "help": N_("bot:command:help", "Hva jeg kan hjelpe med"),
    "menu": N_("bot:command:menu", "Hva du kan gjøre nå"),
    "pause": N_("bot:command:pause", "Ta en pause i samtalen"),
    "continue": N_("bot:command:continue", "Fortsett der du slapp"),
    "stop": N_("bot:command:stop", "Ingen flere spørsmål eller påminnelser"),
    "language": N_("bot:command:language", "Bytt språk"),
    "voice": N_("bot:command:voice", "Lydmeldinger av eller på"),
    "mydata": N_("bot:command:mydata", "Få en kopi av det som er lagret om deg"),
    "delete": N_("bot:command:delete", "Be om sletting"),
    "withdraw": N_("bot:command:withdraw", "Trekk tilbake samtykket til chatten"),
}
"""Commands shown in Telegram's menu, with their description (setMyCommands)."""

LANGUAGES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
"""The shipped languages, each named in itself."""
LANGUAGE_WORDS = {
    "nb": ("nb", "bokmål", "bokmal", "norsk", "norwegian"),
    "nn": ("nn", "nynorsk"),
    "en": ("en", "english", "engelsk"),
}
"""What «/language …» understands, in any case."""


def language_named(words: str) -> str | None:
    """The language code ``words`` names («Nynorsk», «en»), or None."""
    said = words.strip().lower()
    return next((code for code, names in LANGUAGE_WORDS.items() if said in names), None)


ALL_MESSAGES: tuple[tuple[str, str], ...] = (
    UNKNOWN_USER,
    URGENT_BUTTON,
    MULTI_DONE,
    CHOSEN,
    STALE_BUTTON,
    OLD_BUTTON,
    TOO_MANY,
    ANSWER_OR_MESSAGE,
    AS_ANSWER,
    AS_MESSAGE,
    CONSENT_FIRST,
    DECLINED,
    WELCOME_BACK,
    HELP,
    MENU_OPEN,
    MENU_PAUSED,
    MENU_WAITING,
    MENU_ASSIGNMENTS,
    MENU_NOTHING,
    MENU_FOOTER,
    NOTHING_TO_PAUSE,
    NOTHING_TO_CONTINUE,
    STOPPED,
    RESTARTED,
    CHOOSE_LANGUAGE,
    LANGUAGE_SET,
    CANNOT_SAVE,
    VOICE_ON,
    VOICE_OFF,
    VOICE_NOT_YET,
    VOICE_OUTSIDE_FLOW,
    VOICE_USE_BUTTONS,
    VOICE_FETCH_FAILED,
    ONLY_TEXT,
    MY_DATA,
    MY_DATA_FILE,
    DELETION_REQUESTED,
    CONSENT_WITHDRAWN,
    FAILED_LINE,
    *COMMANDS.values(),
)
"""Every bot message, for the extractor and the completeness check."""

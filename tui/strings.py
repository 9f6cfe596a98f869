"""Every UI text of the TUI, in Bokmål, marked ``N_(context, text)`` for the catalogs."""

from __future__ import annotations

from companion.flows.messages import N_

APP_TITLE = N_("tui:app:title", "Samtalestøtte")
APP_SUBTITLE = N_("tui:app:subtitle", "for kontaktpersoner")
DEMO_NOTE = N_("tui:app:demo", "Fiktive demodata: ingen ekte personer.")

# login
LOGIN_TITLE = N_("tui:login:title", "Logg inn")
LOGIN_USERNAME = N_("tui:login:username", "Brukernavn")
LOGIN_PASSWORD = N_("tui:login:password", "Passord")
LOGIN_BUTTON = N_("tui:login:button", "Logg inn")
LOGIN_REFUSED = N_("tui:login:refused", "Feil brukernavn eller passord.")
LOGIN_NO_CASES = N_("tui:login:admin", "Denne kontoen administrerer brukere og ser ingen saker.")

# roles, participants
ROLE_CASEWORKER = N_("tui:role:caseworker", "kontaktperson")
ROLE_LEADER = N_("tui:role:leader", "leder")
ROLE_ADMIN = N_("tui:role:admin", "administrator")
PART_YOUTH = N_("tui:participant:youth", "ungdom")
PART_PARENT = N_("tui:participant:parent", "forelder")
PART_CHILD = N_("tui:participant:child", "barn")

# case list
CASES_TITLE = N_("tui:cases:title", "Saker")
CASES_SEARCH = N_("tui:cases:search", "Søk i saker, navn eller kontaktperson …")
CASES_COUNT = N_("tui:cases:count", "{shown} av {total} saker")
CASES_EMPTY = N_("tui:cases:empty", "Ingen saker å vise.")
COL_CASE = N_("tui:cases:col_case", "Sak")
COL_PEOPLE = N_("tui:cases:col_people", "Deltakere")
COL_WORKER = N_("tui:cases:col_worker", "Kontaktperson")
COL_BADGES = N_("tui:cases:col_badges", "Merker")
COL_NEXT = N_("tui:cases:col_next", "Neste møte")
BADGE_FLAG = N_("tui:badge:flag", "⚠ {count} flagg")
BADGE_NEW = N_("tui:badge:new", "● {count} nye")
BADGE_UNREAD = N_("tui:badge:unread", "✉ {count}")
FILTER_FLAGS = N_("tui:cases:filter_flags", "Bare flagg")
FILTER_NEW = N_("tui:cases:filter_new", "Bare nye svar")
FILTER_ON = N_("tui:cases:filter_on", "Filter: {names}")
LEADER_FIGURES = N_(
    "tui:cases:leader_figures",
    "{cases} saker · {flags} åpne flagg · {active} med svar siste 14 dager",
)

# keys
KEY_OPEN = N_("tui:key:open", "Åpne")
KEY_SEARCH = N_("tui:key:search", "Søk")
KEY_FLAGS = N_("tui:key:flags", "Flagg")
KEY_HELP = N_("tui:key:help", "Hjelp")
KEY_BACK = N_("tui:key:back", "Tilbake")
KEY_QUIT = N_("tui:key:quit", "Avslutt")
KEY_REFRESH = N_("tui:key:refresh", "Oppdater")
KEY_ONLY_FLAGS = N_("tui:key:only_flags", "Bare flagg")
KEY_ONLY_NEW = N_("tui:key:only_new", "Bare nye")
KEY_WORKER_LED = N_("tui:key:worker_led", "Kjør samtale")
KEY_ACK = N_("tui:key:ack", "Kvitter")
KEY_SAVE = N_("tui:key:save", "Lagre")
KEY_EXPORT = N_("tui:key:export", "Eksporter")
KEY_SEND = N_("tui:key:send", "Send")

# case detail tabs
TAB_OVERVIEW = N_("tui:tab:overview", "Oversikt")
TAB_HEVD = N_("tui:tab:hevd", "HEVD")
TAB_PLAN = N_("tui:tab:plan", "Tiltaksplan")
TAB_NETWORK = N_("tui:tab:network", "Nettverkskart")
TAB_HOUSES = N_("tui:tab:houses", "De tre husene")
TAB_FV = N_("tui:tab:fv", "Familieveiledning")
TAB_EVALUATION = N_("tui:tab:evaluation", "Evaluering")
TAB_TRANSCRIPTS = N_("tui:tab:transcripts", "Samtaler")
TAB_MESSAGES = N_("tui:tab:messages", "Meldinger")

# case report
KEY_REPORT = N_("tui:key:report", "Rapport")
REPORT_TITLE = N_("tui:report:title", "Saksrapport: {title}")
REPORT_MADE = N_(
    "tui:report:made", "Laget {when} av {who}. Viser bare det {who} har tilgang til å se."
)
REPORT_EXPORTED = N_("tui:report:exported", "Rapporten er eksportert: {paths}")
CMD_REPORT_HELP = N_(
    "tui:command:report_help", "Lagre saken som rapport (Markdown og HTML), slik du ser den"
)

# notes on answers
KEY_NOTE = N_("tui:key:note", "Notat")
NOTES_HEADING = N_("tui:notes:heading", "Notater")
NOTE_TITLE = N_("tui:notes:title", "Notat til et svar")
NOTE_PLACEHOLDER = N_("tui:notes:placeholder", "Kort notat, trykk Enter for å lagre")
NOTE_SAVE = N_("tui:notes:save", "Lagre notat")
NOTE_CANCEL = N_("tui:notes:cancel", "Avbryt")
NOTE_SAVED = N_("tui:notes:saved", "Notatet er lagret.")
NOTE_EMPTY = N_("tui:notes:empty", "Skriv noe før du lagrer.")
NOTE_TOO_LONG = N_(
    "tui:notes:too_long", "Notatet er for langt (høyst {max} tegn). Teksten din er beholdt."
)
NOTE_NOTHING = N_("tui:notes:nothing", "Det er ingen svar i denne fanen å skrive notat til.")

# messages (the case inbox)
MSG_ONLY_KP = N_(
    "tui:messages:only_kp", "Meldingene er skrevet til kontaktpersonen, og bare hen leser dem."
)
MSG_EMPTY = N_("tui:messages:empty", "Ingen meldinger ennå.")
MSG_UNREAD = N_("tui:messages:unread", "ny")
MSG_WAITING = N_("tui:messages:waiting", "ikke levert ennå")
MSG_REPLY_TO = N_("tui:messages:reply_to", "Svar til")
MSG_PLACEHOLDER = N_("tui:messages:placeholder", "Skriv et svar og trykk Enter")
MSG_NO_RECIPIENT = N_(
    "tui:messages:no_recipient",
    "Ingen i saken er koblet til Telegram ennå, så svar kan ikke sendes.",
)
MSG_SENT = N_("tui:messages:sent", "Svaret er lagt i kø og sendes til {name}.")
MSG_EMPTY_REPLY = N_("tui:messages:empty_reply", "Skriv noe før du sender.")
MSG_TOO_LONG = N_(
    "tui:messages:too_long", "Svaret er for langt (høyst {max} tegn). Teksten din er beholdt."
)
MSG_STOPPED = N_(
    "tui:messages:stopped", "{name} har bedt om pause i meldinger, så svaret blir ikke sendt."
)
MSG_NO_CHAT = N_(
    "tui:messages:no_chat", "{name} er ikke koblet til Telegram, så svaret kan ikke sendes."
)
NOTHING_YET = N_("tui:detail:nothing_yet", "Ingen svar ennå.")
HIDDEN = N_("tui:detail:hidden", "Skjult: {name} har valgt at bare kontaktpersonen kan se dette.")
CASE_DENIED = N_("tui:detail:denied", "Du har ikke tilgang til denne saken.")

# overview
OV_PARTICIPANTS = N_("tui:overview:participants", "Deltakere")
OV_TIMELINE = N_("tui:overview:timeline", "Tidslinje")
OV_DUE = N_("tui:overview:due", "Hva som venter")
OV_NEXT_MEETING = N_("tui:overview:next_meeting", "Neste møte: {when}")
OV_NO_MEETING = N_("tui:overview:no_meeting", "Ingen møtetid satt.")
OV_LINKED = N_("tui:overview:linked", "Telegram koblet")
OV_NOT_LINKED = N_("tui:overview:not_linked", "ikke koblet")
OV_VOICE = N_("tui:overview:voice", "tale på")
OV_CONSENT_YES = N_("tui:overview:consent_yes", "samtykke gitt {when}")
OV_CONSENT_NO = N_("tui:overview:consent_no", "samtykke avslått {when}")
OV_CONSENT_NONE = N_("tui:overview:consent_none", "ikke samtykket ennå")
OV_WAITING = N_("tui:overview:waiting", "{name}: «{flow}» venter på svar (startet {when})")
OV_NOTHING_DUE = N_("tui:overview:nothing_due", "Ingen samtaler venter.")
EV_SESSION = N_("tui:event:session", "{name}: «{flow}» {status}")
EV_FLAG = N_("tui:event:flag", "{name}: ⚠ flagg ({severity})")
EV_CONSENT = N_("tui:event:consent", "{name}: samtykke {answer}")
STATUS_WAITING = N_("tui:status:waiting", "venter på svar")
STATUS_PAUSED = N_("tui:status:paused", "på pause")
STATUS_COMPLETED = N_("tui:status:completed", "fullført")
STATUS_STOPPED = N_("tui:status:stopped", "stoppet")
STATUS_EXPIRED = N_("tui:status:expired", "utløpt")
STATUS_FAILED = N_("tui:status:failed", "feilet")
YES = N_("tui:word:yes", "ja")
NO = N_("tui:word:no", "nei")

# HEVD
HEVD_THEMES = N_("tui:hevd:themes", "Det som er viktig (ordrett)")
HEVD_TOP = N_("tui:hevd:top", "De viktigste, med tall over tid (1–10)")
HEVD_NOT_WANTED = N_("tui:hevd:not_wanted", "Vil ikke ha hjelp med")
HEVD_HELPED = N_("tui:hevd:helped", "Hva har hjulpet")
HEVD_CORRECTIONS = N_("tui:hevd:corrections", "Rettelser")
HEVD_ADDED_LATER = N_("tui:hevd:added_later", "(lagt til senere)")
HEVD_NO_RATING = N_("tui:hevd:no_rating", "ingen tall")

# plan
PLAN_TITLE = N_("tui:plan:title", "Tiltaksplan (utkast)")
PLAN_FOR = N_("tui:plan:for", "Tiltaksplan for {name}")
PLAN_HOVEDMAL = N_("tui:plan:hovedmal", "Hovedmål")
PLAN_HOVEDMAL_N = N_("tui:plan:hovedmal_n", "Hovedmål {n}")
PLAN_VARIGHET = N_("tui:plan:varighet", "Varighet")
PLAN_DELMAL = N_("tui:plan:delmal", "Delmål")
PLAN_DELMAL_N = N_("tui:plan:delmal_n", "Delmål {n}")
PLAN_TILTAK = N_("tui:plan:tiltak", "Tiltak")
PLAN_HVEM = N_("tui:plan:hvem", "Hvem må inn")
PLAN_BV = N_("tui:plan:bv", "BVs oppgaver")
PLAN_UNGDOM = N_("tui:plan:ungdom", "Ungdommens oppgaver")
PLAN_EVALUERING = N_("tui:plan:evaluering", "Tidspunkt for evaluering")
PLAN_THEME_HINT = N_("tui:plan:theme_hint", "Tema: «{theme}»")
PLAN_SAVED = N_("tui:plan:saved", "Tiltaksplanen er lagret.")
PLAN_EXPORTED = N_("tui:plan:exported", "Eksportert: {paths}")
PLAN_FROM_YOUTH = N_("tui:plan:from_youth", "Fylt ut fra ungdommens svar i «{flow}».")
PLAN_LAST_SAVED = N_("tui:plan:last_saved", "Sist lagret {when} av {who}.")
PLAN_NOT_SAVED = N_("tui:plan:not_saved", "Ikke lagret ennå.")
PLAN_NO_YOUTH = N_("tui:plan:no_youth", "Saken har ingen ungdom å lage tiltaksplan for.")
PLAN_OWNER_ONLY = N_("tui:plan:owner_only", "Tiltaksplanen skrives av kontaktpersonen i saken.")
PLAN_DRAFT_NOTE = N_(
    "tui:plan:draft_note", "Utkast laget sammen med ungdommen. Skal inn i sakens tiltaksplan."
)

# network
NET_LIST = N_("tui:network:list", "Personer")
NET_COULD_HELP = N_("tui:network:could_help", "Hvem kunne hjulpet")
NET_MORE_CONTACT = N_("tui:network:more_contact", "Ønsker mer kontakt med")
NET_EXPORTED = N_("tui:network:exported", "Kartet er lagret: {paths}")
NET_NONE = N_("tui:network:none", "Ingen nettverkskart ennå.")

# houses
HOUSE_GOOD = N_("tui:houses:good", "Huset med gode ting")
HOUSE_WORRIES = N_("tui:houses:worries", "Huset med bekymringer")
HOUSE_DREAMS = N_("tui:houses:dreams", "Huset med drømmer")
HOUSE_WHO = N_("tui:houses:who", "Kan se: {who}")
HOUSE_ONLY_KP = N_("tui:houses:only_kp", "bare kontaktpersonen")
HOUSE_KP_PARENTS = N_("tui:houses:kp_parents", "kontaktpersonen og foreldre")
HOUSE_NOT_ASKED = N_("tui:houses:not_asked", "ikke spurt (bare kontaktpersonen)")
HOUSE_EMPTY = N_("tui:houses:empty", "(tomt)")
HOUSE_HOW = N_("tui:houses:how", "Slik: {how}")
HOUSE_STARTED = N_("tui:houses:started", "{variant}, {when}")
HOUSE_VARIANT_START = N_("tui:houses:variant_start", "Oppstart")
HOUSE_VARIANT_END = N_("tui:houses:variant_end", "Avslutning")
HOUSE_CHANGED = N_("tui:houses:changed", "Hva har blitt annerledes")
HOUSE_RATING = N_("tui:houses:rating", "Bedre eller verre nå (1–5): {value}")
HOW_SAID = N_("tui:houses:how_said", "sa")
HOW_DREW = N_("tui:houses:how_drew", "tegnet")
HOW_WROTE = N_("tui:houses:how_wrote", "skrev")

# Familieveiledning
FV_CHECKINS = N_("tui:fv:checkins", "Hjemmeoppgaver, uke for uke")
FV_WEEK = N_("tui:fv:week", "Uke {week}")
FV_TRIED = N_("tui:fv:tried", "Prøvd: {value}")
FV_WENT_WELL = N_("tui:fv:went_well", "Gikk bra")
FV_WAS_HARD = N_("tui:fv:was_hard", "Var vanskelig")
FV_FOR_NEXT = N_("tui:fv:for_next", "Til neste møte")
FV_TREND = N_("tui:fv:trend", "Nytte uke for uke (ukesjekk, snitt 1–7)")
FV_NO_WEEKLY = N_("tui:fv:no_weekly", "Ingen ukesjekk ennå.")
FV_BEFORE_MEETING = N_("tui:fv:before_meeting", "Før neste møte")
TRIED_YES = N_("tui:fv:tried_yes", "ja")
TRIED_PARTLY = N_("tui:fv:tried_partly", "delvis")
TRIED_NOT_YET = N_("tui:fv:tried_not_yet", "ikke ennå")
TRIED_DID_NOT_FIT = N_("tui:fv:tried_did_not_fit", "passet ikke")

# evaluation
EVAL_GOAL = N_(
    "tui:eval:goal",
    "Er målet nådd? Har det skjedd endring i retning av det som var målet med tiltaket?",
)
EVAL_IMPLEMENTED = N_(
    "tui:eval:implemented",
    "Er tiltaket gjennomført som planlagt? Hva ved tiltaket har bidratt eller hindret til å nå målet?",
)
EVAL_WAY_FORWARD = N_("tui:eval:way_forward", "Hva gjør vi herfra og fremover?")
EVAL_DECISION = N_("tui:eval:decision", "Beslutning")
EVAL_NOTE = N_("tui:eval:note", "Merknad")
EVAL_NO_DECISION = N_("tui:eval:no_decision", "Ikke tatt ennå (tas sammen med kontaktpersonen)")
DEC_ENDED = N_("tui:decision:ended", "Tiltaket avsluttes")
DEC_AS_IS = N_("tui:decision:continue_as_is", "Tiltaket fortsetter som før")
DEC_ADJUSTED = N_("tui:decision:continue_adjusted", "Tiltaket fortsetter med justeringer")
DEC_GOALS = N_("tui:decision:goals_changed", "Målene endres")
DEC_OTHER = N_("tui:decision:other_measures", "Andre tiltak settes inn")

# transcripts
TR_VOICE = N_("tui:transcripts:voice", "🎤 tale, sikkerhet {confidence}")
TR_VOICE_PLAIN = N_("tui:transcripts:voice_plain", "🎤 tale")
TR_SKIPPED = N_("tui:transcripts:skipped", "(hoppet over)")
TR_ONLY_KP = N_("tui:transcripts:only_kp", "Samtalene kan bare sakens kontaktperson lese.")
TR_SESSION = N_("tui:transcripts:session", "{flow} · {name} · {when} · {status}")

# flags
FLAGS_TITLE = N_("tui:flags:title", "Sikkerhetsflagg")
FLAGS_NONE = N_("tui:flags:none", "Ingen åpne flagg.")
FLAG_BANNER = N_(
    "tui:flags:banner", "⚠ {count} åpent sikkerhetsflagg med høy prioritet – trykk F for å se"
)
FLAG_BANNER_MANY = N_(
    "tui:flags:banner_many",
    "⚠ {count} åpne sikkerhetsflagg med høy prioritet – trykk F for å se",
)
FLAG_NEW = N_("tui:flags:new", "Nytt sikkerhetsflagg: {name} ({case})")
FLAG_ACKED = N_("tui:flags:acked", "Flagget er kvittert ut.")
FLAG_TRIGGER = N_("tui:flags:trigger", "Ordene: «{words}»")
FLAG_REASON_SAFETY = N_("tui:flags:reason_safety", "ba om hjelp / sikkerhetsord")
FLAG_REASON_DELETION = N_("tui:flags:reason_deletion", "ba om sletting (trykk S for å slette)")
FLAG_REASON_UNREACHABLE = N_("tui:flags:reason_unreachable", "får ikke meldinger (blokkert)")
FLAG_ESCALATED = N_(
    "tui:flags:escalated", "ikke kvittert ut på over {hours} timer – kontakt kontaktpersonen"
)
KEY_DELETE = N_("tui:key:delete", "Slett data")
DELETE_TITLE = N_("tui:delete:title", "Slette alt som er lagret om {name}?")
DELETE_BODY = N_(
    "tui:delete:body",
    "Dette sletter for godt svarene, resultatene, samtalene, meldingene, påminnelsene, "
    "lydopptakene og chat-kontoen til {name}. Det kan ikke angres. Noe må barneverntjenesten "
    "ta vare på etter loven: sjekk saken før du sletter.",
)
DELETE_CONFIRM = N_("tui:delete:confirm", "Slett for godt")
DELETE_CANCEL = N_("tui:delete:cancel", "Avbryt")
DELETE_DONE = N_("tui:delete:done", "Slettet. Det står i loggen hvem som slettet og når.")
DELETE_ONLY_REQUESTS = N_(
    "tui:delete:only_requests", "Velg et flagg der noen har bedt om sletting."
)
SEVERITY_HIGH = N_("tui:flags:high", "høy")
SEVERITY_LOW = N_("tui:flags:low", "lav")

# worker-led
WL_TITLE = N_("tui:worker_led:title", "Samtale i møtet med {name}")
WL_PICK_TITLE = N_("tui:worker_led:pick", "Kjør en samtale i møtet")
WL_PARTICIPANT = N_("tui:worker_led:participant", "Hvem snakker du med?")
WL_FLOW = N_("tui:worker_led:flow", "Hvilken samtale?")
WL_START = N_("tui:worker_led:start", "Start")
WL_CANCEL = N_("tui:worker_led:cancel", "Avbryt")
WL_TYPE = N_("tui:worker_led:type", "Skriv det {name} sier, ordrett …")
WL_OK = N_("tui:worker_led:ok", "OK")
WL_DONE = N_("tui:worker_led:done", "Samtalen er ferdig og lagret. Trykk Esc for å gå tilbake.")
WL_NOTE = N_(
    "tui:worker_led:note",
    "Du skriver barnets egne ord. Alt lagres som en vanlig samtale med {name}.",
)
WL_NO_FLOWS = N_("tui:worker_led:no_flows", "Ingen samtaler passer for denne deltakeren.")
WL_VARIANT = N_("tui:worker_led:variant", "Variant")

# help
HELP_TITLE = N_("tui:help:title", "Hjelp")
HELP_TEXT = N_(
    "tui:help:text",
    "Tastene står nederst på skjermen. Ctrl+P åpner kommandopaletten.\n\n"
    "Saker: / søker, Enter åpner saken, N lager en ny sak, F viser sikkerhetsflagg, "
    "1 viser bare saker med flagg, 2 bare saker med nye svar.\n\n"
    "Sak: tallene 1–9 bytter fane (9 er meldinger), N skriver et notat til et svar, "
    "Ctrl+R eksporterer en saksrapport, A åpner handlinger (familieveiledning, påminnelser, "
    "send en samtale, ny deltaker), W kjører en samtale i møtet "
    "(du skriver det barnet eller ungdommen sier), Esc går tilbake.\n\n"
    "Tiltaksplan: Ctrl+S lagrer, Ctrl+E eksporterer til Markdown og HTML.\n"
    "Nettverkskart: Ctrl+E lagrer bildet som SVG og PNG.\n\n"
    "Sikkerhetsflagg: en rød linje øverst viser åpne flagg med høy prioritet på alle skjermer. "
    "F åpner listen, A kvitterer ut flagget du står på (det blir loggført), "
    "S sletter dataene til en som har bedt om det (du bekrefter først).\n\n"
    "Alt du ser av sensitive opplysninger blir loggført.",
)

# command palette
CMD_CASES = N_("tui:command:cases", "Saker")
CMD_CASES_HELP = N_("tui:command:cases_help", "Gå til sakslisten")
CMD_FLAGS = N_("tui:command:flags", "Sikkerhetsflagg")
CMD_FLAGS_HELP = N_("tui:command:flags_help", "Vis åpne sikkerhetsflagg")
CMD_HELP = N_("tui:command:help", "Hjelp")
CMD_HELP_HELP = N_("tui:command:help_help", "Vis hjelp og taster")
CMD_QUIT = N_("tui:command:quit", "Avslutt")
CMD_QUIT_HELP = N_("tui:command:quit_help", "Lukk programmet")
CMD_LOGOUT = N_("tui:command:logout", "Logg ut")
CMD_LOGOUT_HELP = N_("tui:command:logout_help", "Logg ut og vis innloggingen")

# invites
INV_TITLE = N_("tui:invite:title", "Invitasjon til {name}")
INV_PICK = N_("tui:invite:pick", "Lag en invitasjon til chatten")
INV_CREATE = N_("tui:invite:create", "Lag invitasjon")
INV_SCAN = N_(
    "tui:invite:scan",
    "Vis QR-koden i møtet, eller send lenken. Den virker én gang og går ut {when}.",
)
INV_NO_BOT = N_(
    "tui:invite:no_bot", "Botens brukernavn er ikke satt (COMPANION_TELEGRAM_BOT_USERNAME)."
)
KEY_INVITE = N_("tui:key:invite", "Inviter")

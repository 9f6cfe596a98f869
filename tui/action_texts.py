"""UI texts of the caseworker's actions (new case, Familieveiledning, reminders, send a flow),
in Bokmål, marked ``N_(context, text)`` for the catalogs; kept apart from ``tui.strings`` so the
actions can change without touching every screen's texts.

The refusals the core service raises (``E_*``, and why a flow cannot be sent) live in
``companion.case_action_texts`` and are re-exported here, so screens keep writing ``a.E_…``."""

from __future__ import annotations

from companion.case_action_texts import E_AS_GIVEN as E_AS_GIVEN
from companion.case_action_texts import E_BEFORE as E_BEFORE
from companion.case_action_texts import E_DATE as E_DATE
from companion.case_action_texts import E_MEETING_NO as E_MEETING_NO
from companion.case_action_texts import E_NAME as E_NAME
from companion.case_action_texts import E_NO_COMPONENT as E_NO_COMPONENT
from companion.case_action_texts import E_NO_MEETINGS as E_NO_MEETINGS
from companion.case_action_texts import E_NO_TEXT as E_NO_TEXT
from companion.case_action_texts import E_ORDER as E_ORDER
from companion.case_action_texts import E_OTHER as E_OTHER
from companion.case_action_texts import E_PAST as E_PAST
from companion.case_action_texts import E_TIME as E_TIME
from companion.case_action_texts import E_TITLE as E_TITLE
from companion.case_action_texts import E_ZONE as E_ZONE
from companion.case_action_texts import S_BUSY as S_BUSY
from companion.case_action_texts import S_NO_CHAT as S_NO_CHAT
from companion.case_action_texts import S_NO_CONSENT as S_NO_CONSENT
from companion.case_action_texts import S_STOPPED as S_STOPPED
from companion.flows.messages import N_

# keys and menu
KEY_ACTIONS = N_("tui:key:actions", "Handlinger")
KEY_NEW_CASE = N_("tui:key:new_case", "Ny sak")
ACTIONS_TITLE = N_("tui:actions:title", "Handlinger for {case}")
ACT_COURSE = N_("tui:actions:course", "Sett opp familieveiledning (forløp og møtedatoer)")
ACT_ASSIGN = N_("tui:actions:assign", "Gi hjemmeoppgave med påminnelser")
ACT_MEETING = N_("tui:actions:meeting", "Møtepåminnelse")
ACT_PREFS = N_("tui:actions:prefs", "Tider for påminnelser")
ACT_SEND = N_("tui:actions:send", "Send en samtale til en deltaker")
ACT_PARTICIPANT = N_("tui:actions:participant", "Legg til deltaker")

# common form words
F_WHO = N_("tui:form:who", "Hvem")
F_SAVE = N_("tui:form:save", "Lagre")
F_CANCEL = N_("tui:form:cancel", "Avbryt")
F_NOT_SAVED = N_("tui:form:not_saved", "Ikke lagret: {reason}")
F_NOBODY = N_("tui:form:nobody", "Saken har ingen deltakere ennå.")

# course
C_TITLE = N_("tui:course:title", "Familieveiledning: forløp og møter")
C_PATHWAY = N_("tui:course:pathway", "Forløp")
C_MEETINGS = N_(
    "tui:course:meetings", "Møtedatoer, én per linje eller skilt med komma (2026-12-01 10:00)"
)
C_PLACE = N_("tui:course:place", "Sted (valgfritt)")
C_REMIND = N_("tui:course:remind", "Påminnelse før hvert møte (f.eks. 1d, 2h; tomt: ingen)")
C_DONE = N_("tui:course:done", "Forløpet «{pathway}» er satt opp med {count} møter.")

# assignment
A_TITLE = N_("tui:assign:title", "Hjemmeoppgave")
A_MEETING_NO = N_("tui:assign:meeting_no", "Gitt på møte nr.")
A_COMPONENT = N_("tui:assign:component", "Komponent")
A_NOT_YET = N_("tui:assign:not_yet", "{name} (ikke ennå)")
A_VARIANT = N_("tui:assign:variant", "Oppgavetekst")
A_STANDARD = N_("tui:assign:standard", "Slik den står i katalogen")
A_SIMPLER = N_("tui:assign:simpler", "Den enklere varianten")
A_EDITED = N_("tui:assign:edited", "Min egen tekst (under)")
A_TEXT = N_("tui:assign:text", "Teksten familien får")
A_WHEN = N_("tui:assign:when", "Påminnelser")
A_DEFAULT = N_(
    "tui:assign:default",
    "Dagen etter møtet, og oppfølging to dager før neste møte (på familiens tid)",
)
A_NOW = N_("tui:assign:now", "Oppfølging nå")
A_NONE = N_("tui:assign:none", "Ingen påminnelser")
A_FORCE = N_("tui:assign:force", "Gi den likevel (utenom rekkefølgen)")
A_DONE = N_("tui:assign:done", "Hjemmeoppgaven er gitt. Påminnelser: {reminders}.")
A_NO_REMINDERS = N_("tui:assign:no_reminders", "ingen (ingen god tid før neste møte)")

# meeting
M_TITLE = N_("tui:meeting:title", "Møtepåminnelse")
M_AT = N_("tui:meeting:at", "Dato og tid (2026-12-01 10:00)")
M_PLACE = N_("tui:meeting:place", "Sted (valgfritt)")
M_BEFORE = N_("tui:meeting:before", "Når (f.eks. 1d, 2h, 1d@18:00)")
M_DONE = N_("tui:meeting:done", "Møtet er lagret. Påminnelser: {reminders}.")

# preferences
P_TITLE = N_("tui:prefs:title", "Tider for påminnelser")
P_TIME = N_("tui:prefs:time", "Foretrukket tid (TT:MM)")
P_QUIET = N_("tui:prefs:quiet", "Stille timer (TT:MM-TT:MM)")
P_ZONE = N_("tui:prefs:zone", "Tidssone")
P_DONE = N_("tui:prefs:done", "Lagret: {time}, stille {quiet}, {zone}.")

# send a flow
S_TITLE = N_("tui:send:title", "Send en samtale")
S_FLOW = N_("tui:send:flow", "Samtale")
S_SEND = N_("tui:send:send", "Send")
S_DONE = N_("tui:send:done", "«{flow}» er sendt til {name}. Boten leverer den.")

# new case and participants
NEW_TITLE = N_("tui:new_case:title", "Ny sak")
NEW_CASE_TITLE = N_("tui:new_case:case_title", "Saksnavn (kallenavn, aldri fullt navn)")
NEW_NAME = N_("tui:new_case:name", "Fornavn eller kallenavn")
NEW_ROLE = N_("tui:new_case:role", "Rolle")
NEW_LANGUAGE = N_("tui:new_case:language", "Språk")
NEW_ADD = N_("tui:new_case:add", "Legg til deltaker")
NEW_CREATE = N_("tui:new_case:create", "Opprett saken")
NEW_ADDED = N_("tui:new_case:added", "{name} er lagt til.")
NEW_CREATED = N_("tui:new_case:created", "Saken «{title}» er opprettet.")
LANG_NB = N_("tui:language:nb", "bokmål")
LANG_NN = N_("tui:language:nn", "nynorsk")
LANG_EN = N_("tui:language:en", "engelsk")

# «før neste møte»: each assignment's check-in as it stands
B_ASSIGNMENT = N_("tui:fv:assignment", "Møte {no} · {name} · {component}")
B_ANSWERED = N_("tui:fv:answered", "Oppfølgingen er besvart")
B_PARTLY = N_("tui:fv:partly", "Oppfølgingen er delvis besvart")
B_WAITING = N_("tui:fv:waiting", "Oppfølgingen er sendt, ikke besvart ennå")
B_UNANSWERED = N_("tui:fv:unanswered", "Oppfølgingen ble sendt, men ikke besvart")
B_SCHEDULED = N_("tui:fv:scheduled", "Oppfølgingen sendes {when}")
B_NOT_SENT = N_("tui:fv:not_sent", "Oppfølgingen ble ikke sendt ({why})")
B_NONE = N_("tui:fv:none", "Ingen oppfølging planlagt")
WHY_NO_CONSENT = N_("tui:fv:why_no_consent", "har ikke sagt ja til chatten")
WHY_UNREACHABLE = N_("tui:fv:why_unreachable", "ikke koblet til chatten")
WHY_STOPPED = N_("tui:fv:why_stopped", "har bedt om å ikke få meldinger")
WHY_LATE = N_("tui:fv:why_late", "for sent")
WHY_QUIET = N_("tui:fv:why_quiet", "i de stille timene")
WHY_BUSY = N_("tui:fv:why_busy", "midt i en annen samtale")
WHY_CLOSED = N_("tui:fv:why_closed", "oppgaven er avsluttet")
WHY_OTHER = N_("tui:fv:why_other", "annen grunn")
B_COURSES = N_("tui:fv:courses", "Forløp")
B_COURSE = N_("tui:fv:course", "{name}: «{pathway}»")
B_MEETINGS = N_("tui:fv:meetings", "Møter: {dates}")
B_FIXED = N_("tui:fv:fixed", "Faste komponenter, i rekkefølge")
B_SUGGESTED = N_("tui:fv:suggested", "Ellers foreslått")

# command palette
CMD_NEW_CASE_HELP = N_("tui:command:new_case_help", "Opprett en sak med deltakere")
CMD_ACTIONS_HELP = N_(
    "tui:command:actions_help", "Familieveiledning, påminnelser, send en samtale, ny deltaker"
)

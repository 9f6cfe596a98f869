"""Why a caseworker's action on a case cannot be saved (``companion.case_actions``), in Bokmål,
marked ``N_(context, text)`` for the catalogs.

The contexts keep their ``tui:`` prefix: the texts moved here from the TUI, and the shipped
translations are keyed on (context, text), so changing either would orphan them.
"""

from __future__ import annotations

from companion.flows.messages import N_

Message = tuple[str, str]
"""(msgctxt, Bokmål msgid)."""

# why something cannot be saved (a front end shows them after «Ikke lagret:»)
E_TITLE = N_("tui:error:title", "saken trenger et navn (høyst {max} tegn).")
E_NAME = N_("tui:error:name", "deltakeren trenger et fornavn eller kallenavn (høyst {max} tegn).")
E_DATE = N_("tui:error:date", "«{value}» er ikke en dato og tid (f.eks. 2026-12-01 10:00).")
E_TIME = N_("tui:error:time", "«{value}» er ikke et klokkeslett (TT:MM, f.eks. 18:00).")
E_ZONE = N_("tui:error:zone", "«{value}» er ikke en kjent tidssone (f.eks. Europe/Oslo).")
E_BEFORE = N_("tui:error:before", "«{value}» er ikke en tid før møtet (f.eks. 1d, 2h).")
E_NO_MEETINGS = N_("tui:error:no_meetings", "skriv minst én møtedato.")
E_MEETING_NO = N_("tui:error:meeting_no", "møtenummeret må være et tall fra 1 til 16.")
E_NO_COMPONENT = N_("tui:error:no_component", "velg en komponent.")
E_NO_TEXT = N_("tui:error:no_text", "skriv teksten familien skal få.")
E_PAST = N_("tui:error:past", "tidspunktet {value} har allerede vært.")
E_OTHER = N_("tui:error:other", "noe i skjemaet stemmer ikke ({detail}).")
E_ORDER = N_("tui:error:order", "{reason} Kryss av for å gi den likevel.")
E_AS_GIVEN = N_("tui:error:as_given", "{reason}")

# why a flow cannot be sent to a participant now
S_NO_CONSENT = N_("tui:send:no_consent", "{name} har ikke sagt ja til chatten ennå.")
S_STOPPED = N_("tui:send:stopped", "{name} har bedt om å ikke få meldinger nå.")
S_NO_CHAT = N_(
    "tui:send:no_chat", "{name} er ikke koblet til chatten ennå. Lag en invitasjon først (I)."
)
S_BUSY = N_("tui:send:busy", "{name} har en samtale som ikke er ferdig ennå.")

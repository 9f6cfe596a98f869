"""UI texts for the signed-in person's own account (changing the password), in Bokmål, marked
``N_(context, text)`` for the catalogs."""

from __future__ import annotations

from companion.flows.messages import N_

CMD_PASSWORD = N_("tui:cmd:password", "Bytt passord")
CMD_PASSWORD_HELP = N_("tui:cmd:password_help", "Bytt ditt eget passord")
PW_TITLE = N_("tui:password:title", "Bytt passord")
PW_OLD = N_("tui:password:old", "Nåværende passord")
PW_NEW = N_("tui:password:new", "Nytt passord")
PW_AGAIN = N_("tui:password:again", "Nytt passord en gang til")
PW_SAVE = N_("tui:password:save", "Bytt passord")
PW_HINT = N_(
    "tui:password:hint",
    "Bruk minst {min} tegn. Flere ord etter hverandre er lett å huske og vanskelig å gjette.",
)
PW_TOO_SHORT = N_("tui:password:too_short", "Det nye passordet må ha minst {min} tegn.")
PW_TOO_LONG = N_("tui:password:too_long", "Det nye passordet kan ha høyst {max} tegn.")
PW_BLANK = N_("tui:password:blank", "Det nye passordet kan ikke bare være mellomrom.")
PW_MISMATCH = N_("tui:password:mismatch", "De to nye passordene er ikke like.")
PW_SAME = N_("tui:password:same", "Det nye passordet må være et annet enn det gamle.")
PW_WRONG = N_("tui:password:wrong", "Nåværende passord stemmer ikke. Ingenting er endret.")
PW_DONE = N_("tui:password:done", "Passordet er byttet.")

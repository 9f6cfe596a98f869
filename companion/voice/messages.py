"""Friendly one-line voice messages in Bokmål, marked ``N_(context, text)``."""

from __future__ import annotations

from companion.flows.messages import N_

EMPTY = N_(
    "voice:error:empty",
    "Lydmeldingen var tom. Prøv å spille inn på nytt, eller skriv svaret ditt.",
)
CORRUPT = N_(
    "voice:error:corrupt",
    "Jeg fikk ikke åpnet lydmeldingen. Prøv å spille inn på nytt, eller skriv svaret ditt.",
)
NOT_AUDIO = N_(
    "voice:error:not_audio",
    "Dette ser ikke ut som en lydmelding. Send en talemelding, eller skriv svaret ditt.",
)
TOO_LONG = N_(
    "voice:error:too_long",
    "Lydmeldingen er for lang. Hold den under {max_seconds} sekunder, eller skriv svaret ditt.",
)
TOO_LARGE = N_(
    "voice:error:too_large",
    "Lydfilen er for stor. Send en kortere melding, eller skriv svaret ditt.",
)
NO_SPEECH = N_(
    "voice:error:no_speech",
    "Jeg hørte ingen ord. Prøv igjen litt nærmere telefonen, eller skriv svaret ditt.",
)
UNAVAILABLE = N_(
    "voice:unavailable",
    "Jeg kan ikke ta imot lydmeldinger her. Skriv heller svaret ditt.",
)
LANGUAGE_UNAVAILABLE = N_(
    "voice:unavailable:language",
    "Jeg forstår ikke lydmeldinger på dette språket ennå. Skriv heller svaret ditt.",
)
SPEECH_UNAVAILABLE = N_(
    "voice:unavailable:speech",
    "Jeg kan ikke lese opp her, så du får teksten i stedet.",
)

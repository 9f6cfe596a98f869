"""What third-party libraries may log: never message content, names or tokens (#8).

httpx and httpcore log every request URL at INFO/DEBUG, and Bot API URLs contain the bot token;
PTB logs what it sends and receives (texts, names) at DEBUG. Their loggers get levels above
that, whatever the root level is — so turning on DEBUG for our own code leaks nothing. Called
by every front end that talks to the network (the bot, the phone demo) before it starts.
"""

from __future__ import annotations

import logging

LIBRARY_LEVELS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "hpack": logging.WARNING,
    "telegram": logging.INFO,
    "telegram.ext.ExtBot": logging.WARNING,
    "telegram.bot": logging.WARNING,
}


def quiet_libraries() -> None:
    """Raise the chatty libraries' loggers to levels that hold no content or secrets."""
    for name, level in LIBRARY_LEVELS.items():
        logger = logging.getLogger(name)
        if logger.level < level:  # NOTSET is 0
            logger.setLevel(level)

"""A phone simulator for the demo: play a Telegram chat with the real bot, no account needed.

- ``demo``: ``PhoneDemo`` (stand-in + bot threads + invite + demo caseworker), ``run_phone``;
- ``app``: ``PhoneApp``, the Textual chat screen; ``bubbles``: one message on it;
- ``link``: ``ChatLink``, one person's side of the chat through the stand-in;
- ``notes``: record a voice note from typed words, play one the bot sent;
- ``bot_thread``: the bot in a thread with its own event loop.
"""

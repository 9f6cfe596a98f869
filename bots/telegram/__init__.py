"""The Telegram bot for youth and parents, on python-telegram-bot (issue 4).

- ``app``: the composition root (``build_application``, ``running``, ``run_bot``);
- ``handlers``: thin PTB handlers (translate, handle, wake the sender);
- ``core``: what the bot does with one update, in one transaction (no PTB);
- ``translate``: pure Update → input and events → Bot API calls;
- ``callbacks``: signed, unforgeable button data;
- ``sender``: the one rate-limited way out, draining the transactional outbox;
- ``texts``: the bot's own words (``N_`` markers, Bokmål);
- ``standin``: a local Bot API for tests and the demo.
"""

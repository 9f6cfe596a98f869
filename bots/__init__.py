"""The Telegram front end (see the open issue «Telegram bot for youth and parents»)."""

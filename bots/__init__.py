"""Front ends for participants: the Telegram bot (``bots.telegram``)."""

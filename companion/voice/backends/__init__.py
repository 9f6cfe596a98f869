"""Real engines behind the voice ports; each imports its library only when built."""

"""A language pack (intents/<lang>/): intent files, numbers, durations, times; loaded and cached."""

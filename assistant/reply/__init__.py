"""Results -> words: response templates and descriptions of state."""

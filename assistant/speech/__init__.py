"""Speech in (speech-to-text engines, grammars, listening) and out (text-to-speech)."""

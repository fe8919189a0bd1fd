"""Choosing the speech engine: vosk when a model for the language is found, else pocketsphinx (English)."""

from __future__ import annotations

from assistant.speech.engines import ENGINES, Engine, SpeechInputError


def load_engine(engine: str | None = None, model: str | None = None, grammar=None, language: str = "en",
                alternatives: int = 5) -> Engine:
    """The engine to use: `engine` if given; else vosk when a model for `language` is found, else
    pocketsphinx for English. `grammar` (a SpeechGrammar) restricts decoding; None means open transcription."""
    if engine not in (None, *ENGINES):
        raise SpeechInputError(f"unknown speech engine '{engine}' (choose {' or '.join(ENGINES)})")
    from assistant.speech.models import find_model

    if engine in (None, "vosk"):
        found = find_model(model, language)
        if found is not None:
            from assistant.speech.vosk_engine import VoskEngine

            return VoskEngine(found, grammar, alternatives)
        if engine == "vosk":
            raise SpeechInputError(f"no vosk model for language '{language}'; see `assistant models list`")
    if language != "en":
        raise SpeechInputError(
            f"no speech model for language '{language}': pocketsphinx only has English; "
            f"install one with `assistant models download NAME` (see `assistant models list`)")
    from assistant.speech.sphinx_engine import SphinxEngine

    return SphinxEngine(grammar, alternatives, model)

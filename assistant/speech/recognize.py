"""From audio to a command: the engine for an assistant, and the hypothesis that the assistant understands.

`transcribe_file(path)` is the entry point for anything that names recordings (sentence tests with
`audio:` cases, scripts): it returns the text the assistant would act on.
"""

from __future__ import annotations

from pathlib import Path

from assistant.act.resolve import ABILITY, DEVICELESS
from assistant.speech.choose import load_engine
from assistant.speech.engines import Engine, Transcript
from assistant.speech.wavfile import read_wav

_ENGINES: dict[tuple, Engine] = {}


def engine_for(assistant, engine: str | None = None, model: str | None = None, open_vocabulary: bool = False,
               wake_word: str | None = None) -> Engine:
    """An engine whose decoding is restricted to what `assistant` can understand (unless open)."""
    grammar = None
    if not open_vocabulary:
        from assistant.paths import cache_dir
        from assistant.speech.grammar import speech_grammar_for

        grammar = speech_grammar_for(assistant, wake_word, cache_dir() / "speech")
    key = (engine, model, grammar.key if grammar else None, assistant.intents.language)
    if key not in _ENGINES:
        _ENGINES[key] = load_engine(engine, model, grammar, assistant.intents.language)
    return _ENGINES[key]


def understood_text(transcript: Transcript, assistant, strip: tuple[str, ...] = (), grammar=None) -> str:
    """The first hypothesis (best first) that yields commands; else the best one. `strip` is a leading
    phrase (the wake word) to drop from each hypothesis. With the decoding `grammar`, a hypothesis that
    parses in no form is mapped to the nearest sentence of the grammar."""
    best = _without_prefix(transcript.text, strip)
    if best and _sure(assistant.parse(best)):
        return best  # the alternatives (costly to list) are not needed
    candidates = [_without_prefix(text, strip) for text in transcript.candidates()]
    readings = [(text, assistant.parse(text) if text else []) for text in candidates]
    for text, commands in readings:
        if _sure(commands):
            return text
    for text, commands in readings:
        if commands:
            return text
    if candidates and grammar is not None:
        nearest = nearest_sentence(grammar, candidates[0])
        if nearest and assistant.parse(nearest):
            return nearest
    if candidates:
        # A path cut off before the end of the grammar (noise after the command): its longest prefix
        # that is a command, losing at most two words.
        words = candidates[0].split()
        for cut in (1, 2):
            if len(words) > cut + 1 and assistant.parse(" ".join(words[:-cut])):
                return " ".join(words[:-cut])
    return candidates[0] if candidates else ""


def _sure(commands) -> bool:
    """A reading that matches templates and acts on real devices, or needs none (the user's own intents)."""
    return bool(commands) and all(c.match == "rule" and (c.targets or c.intent in DEVICELESS or c.intent not in ABILITY)
                                  for c in commands)


REPAIR_SIMILARITY = 0.6
_SENTENCES: dict[str, list[tuple[str, ...]] | None] = {}


def nearest_sentence(grammar, text: str) -> str | None:
    """The grammar sentence closest to `text` in words (vosk's phrase-list decoding can put out word
    sequences that are no sentence of the grammar); None if the grammar is too large to list or nothing
    is close enough."""
    from rapidfuzz.distance import Levenshtein

    if grammar.key not in _SENTENCES:
        _SENTENCES[grammar.key] = grammar.sentences()
    sentences = _SENTENCES[grammar.key]
    words = text.split()
    if not sentences or not words:
        return None
    # Words and spelling both count: a misheard word is often one letter (syllable) off.
    spelled = "".join(words)
    best = max(sentences, key=lambda s: Levenshtein.normalized_similarity(words, s)
               + Levenshtein.normalized_similarity(spelled, "".join(s)))
    if Levenshtein.normalized_similarity(words, best) < REPAIR_SIMILARITY:
        return None
    return " ".join(best)


def _without_prefix(text: str, prefix: tuple[str, ...]) -> str:
    words = text.split()
    if prefix and tuple(words[: len(prefix)]) == prefix:
        words = words[len(prefix) :]
    return " ".join(words)


def transcribe_file(path: Path | str, engine: Engine | str | None = None, assistant=None, model: str | None = None) -> str:
    """The text the assistant would act on for the recording at `path` (grammar-restricted decoding,
    best parsing hypothesis). `engine` is an Engine, or an engine name; `assistant` defaults to the demo
    home with its language's intents. Engines are loaded once per process and reused."""
    if assistant is None:
        from assistant.app import build

        assistant = build()
    if not isinstance(engine, Engine):
        engine = engine_for(assistant, engine, model)
    transcript = engine.transcribe(read_wav(path))
    return understood_text(transcript, assistant, grammar=getattr(engine, "grammar", None))

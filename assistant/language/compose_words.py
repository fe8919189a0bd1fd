"""A language's words for reading a command from its parts (`words/compose.yaml` in its language pack), read
into the ComposeWords that the understanding uses (assistant.understand.compose)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.errors import IntentFileError
from assistant.language.numbers import digits_in
from assistant.language.words import load_words
from assistant.understand.parts import ComposeWords, Cue
from assistant.understand.normalize import words_of

GROUPS = ("everywhere", "questions", "question_ends", "which", "how_many", "any", "temperature_questions", "fillers", "negations",
          "minus", "references", "determiners", "yourself", "question_fillers", "question_any", "wishes", "asks_for", "asked_some",
          "requests", "asides", "own_reasons", "conditions", "briefly", "joins", "change_by")


@lru_cache(maxsize=None)
def compose_words(language: str) -> ComposeWords:
    """The language's compose words; empty (the stage then reads nothing) when the pack has none."""
    words = load_words(language, "compose")
    if not words.data:
        return ComposeWords()

    def phrase(text: Any) -> tuple[str, ...]:  # as the understanding reads words: numbers as digits
        return tuple(digits_in(" ".join(words_of(str(text), language)), language).split())

    result = ComposeWords(source=str(words.path), language=language)
    for cue, entries in words.mapping("cues").items():
        result.cues[phrase(cue)] = [_cue(words.path, cue, e) for e in entries or []]
    for feeling, entries in words.mapping("feelings").items():
        result.feelings[phrase(feeling)] = [_cue(words.path, feeling, e) for e in entries or []]
    for complaint, entries in words.mapping("complaints").items():  # a feeling said of a device too
        result.feelings[phrase(complaint)] = [_cue(words.path, complaint, e) for e in entries or []]
        result.complaints.add(phrase(complaint))
    result.briefly_stop = [str(i) for i in words.words("briefly_stop")]
    result.nudges = set(words.words("nudges"))
    result.aside_ends = tuple(words.words("aside_ends"))
    result.verbs = {w for v in words.words("verbs") for w in phrase(v)}
    for unit, said in words.mapping("units").items():
        result.units.update({phrase(s): unit for s in said or []})
    result.values = {k: [str(i) for i in v or []] for k, v in words.mapping("values").items()}
    result.value_words = {phrase(w): tuple(str(x) for x in (i if isinstance(i, list) else [i]))
                          for w, i in words.mapping("value_words").items()}
    result.amounts = {phrase(w): float(n) for w, n in words.mapping("amounts").items()}
    result.directions = {phrase(w) for w in words.words("directions")}
    result.statements = tuple(str(w).lower() for w in words.words("statements"))
    result.small_changes = {str(unit): float(n) for unit, n in words.mapping("small_changes").items()}
    result.plural_endings = tuple(load_words(language, "places").words("plural_endings"))
    result.excepts = {phrase(w) for w in words.words("except")}
    wished = [(phrase(w), phrase(cue)) for w, cue in words.mapping("wished").items()]
    result.wished = dict(sorted(wished, key=lambda item: -len(item[0])))  # "switched off" before "off"
    result.asked_for = phrase(words.data.get("asked_for") or "")
    result.excepts_after = {phrase(w) for w in words.words("except_after")}
    result.lists = {str(k): tuple(str(n) for n in v or ()) for k, v in words.mapping("lists").items()}
    result.question_states = {phrase(w): str(state) for w, state in words.mapping("question_states").items()}
    for group in GROUPS:
        setattr(result, group, {phrase(w) for w in words.words(group)} - {()})
    _timers(result, words.mapping("timers"), phrase)
    return result


def _timers(result: ComposeWords, timers: dict[str, Any], phrase) -> None:
    """The words that say a timer and what to do to it (assistant.understand.timer_parts)."""
    result.timer_words = {phrase(w) for w in timers.get("words") or []}
    result.timer_all = {phrase(w) for w in timers.get("all") or []}
    result.timer_ones = {phrase(w) for w in timers.get("ones") or []}
    result.timer_fillers = {phrase(w) for w in timers.get("fillers") or []}
    result.timer_changes = {str(i) for i in timers.get("changes") or []}
    cues: dict[tuple[str, ...], tuple[str, ...]] = {}
    for intent, said in (timers.get("cues") or {}).items():
        for cue in said or []:
            cues[phrase(cue)] = (*cues.get(phrase(cue), ()), str(intent))
    result.timer_cues = {c: i for c, i in cues.items() if c}
    result.timer_intents = tuple(str(i) for i in timers.get("cues") or {})


def _cue(path, cue: str, entry: Any) -> Cue:
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, dict) and len(entry) == 1:
        (intent, slots), = entry.items()
        if isinstance(slots, dict):
            return str(intent), dict(slots)
    raise IntentFileError(f"{path}: cue '{cue}': each entry is an intent or {{intent: {{slot: value}}}}")

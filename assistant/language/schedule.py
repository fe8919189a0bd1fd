"""When a command is for: "in 10 minutes", "at 9 pm", "for 20 minutes"; Korean "10 분 뒤에", "밤 9 시", "20 분 동안".

The words are data (intents/<lang>/words/schedule.yaml): words said before the value (English
prepositions), words said after it (Korean postpositions), and kinds of value that say when by
themselves (a Korean time of day, whose particle 에 is already read away).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.language.durations import kind_matches
from assistant.language.words import load_words


@dataclass(frozen=True)
class ScheduleWords:
    before: dict[str, str]  # word -> kind of the value after it
    after: dict[str, str]  # word -> kind of the value before it
    bare: frozenset[str]  # kinds that need no word
    lasting: frozenset[str]  # words that make it "for a while", not "later"
    middle: bool  # the when may stand between the words of the command


@lru_cache(maxsize=None)
def schedule_words(language: str = "en") -> ScheduleWords:
    words = load_words(language, "schedule")
    return ScheduleWords(before={k: str(v) for k, v in words.mapping("before").items()},
                         after={k: str(v) for k, v in words.mapping("after").items()},
                         bare=frozenset(words.words("bare")), lasting=frozenset(words.words("lasting")),
                         middle=bool(words.get("middle", False)))


def when_phrases(tokens: list[str], language: str = "en") -> Iterator[tuple[list[str], str, Any]]:
    """(the command without its when, slot, value) for each way to read a when in tokens; the slot is
    `delay` (seconds), `at` ("HH:MM") or `lasting` (seconds). A when stands at either end of the command,
    or (where the language says so) inside it."""
    words = schedule_words(language)
    for i, word in enumerate(tokens):
        kind = words.before.get(word)
        if kind is None or i == 1:  # a sentence of one word before "in 10 minutes" is no command
            continue
        for end, value in kind_matches(kind, tokens, i + 1, language):
            rest = _rest(tokens, i, end, words.middle)
            if rest:
                yield rest, _slot(word, kind, words), value
    kinds = sorted(set(words.after.values()) | words.bare)
    for i in range(len(tokens)):
        for kind in kinds:
            for end, value in kind_matches(kind, tokens, i, language):
                marker = tokens[end] if end < len(tokens) else None
                if words.after.get(marker) == kind:
                    rest = _rest(tokens, i, end + 1, words.middle)
                    if rest:
                        yield rest, _slot(marker, kind, words), value
                if kind in words.bare:
                    rest = _rest(tokens, i, end, words.middle)
                    if rest:
                        yield rest, _slot(None, kind, words), value


def _rest(tokens: list[str], start: int, end: int, middle: bool) -> list[str] | None:
    if start and end == len(tokens):
        return tokens[:start]
    if not start and end < len(tokens):
        return tokens[end:]
    return tokens[:start] + tokens[end:] if middle and start and end < len(tokens) else None


def _slot(word: str | None, kind: str, words: ScheduleWords) -> str:
    return "lasting" if word in words.lasting else "delay" if kind == "duration" else "at"

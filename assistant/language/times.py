"""Times of day as people say them: "7 pm", "7:30", "half past seven", "quarter to eight", "noon".

Tokens arrive with numbers as digits ("seven thirty" -> "7 30"; "7:30 a.m." -> "7 30 a m").
A reading is "HH:MM" on the 24-hour clock. An hour said without am or pm ("wake me at 7") means
its next occurrence, 7:00 or 19:00, whichever comes first from now: what a person means by it.
Like the duration parser, this returns every (end, value) reading from a start position so the
rule matcher can keep the one that lets the whole sentence match.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant import clock
from assistant.language.words import load_words

_CLOCK = re.compile(r"^(\d{1,2})[.:](\d{2})$")  # "10.30" stays one token


@dataclass(frozen=True)
class TimeWords:
    """One language's words for times of day (intents/<lang>/words/times.yaml)."""

    morning: frozenset[tuple[str, ...]]
    evening: frozenset[tuple[str, ...]]
    night: frozenset[tuple[str, ...]]
    before: bool  # the part of the day is said before the clock face ("오후 3 시"), not after ("3 pm")
    named: dict[str, tuple[int, int]]
    hour_words: dict[str, int]
    oclock: frozenset[str]
    oh: frozenset[str]
    hour_mark: frozenset[str]  # said after the hour ("3 시"): then the hour needs it
    minute_mark: frozenset[str]  # said after the minutes ("30 분")
    half_hour: frozenset[str]  # said after the hour for :30 ("3 시 반")
    past_words: dict[str, int]
    article: frozenset[tuple[str, ...]]  # an article and a past word ("a quarter")
    minute_words: frozenset[str]
    past: frozenset[str]
    to: frozenset[str]
    half_only_past: str
    spoken: dict[str, str]


def clock_of(value: str) -> tuple[int, int]:
    """(hour, minute) of a time of day as the assistant keeps it, "HH:MM". Anything else is a mistake made
    before (a slot filled twice was once the text "['05:30', '06:00']"): a ValueError that names it."""
    found = _CLOCK.match(value) if isinstance(value, str) else None
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise ValueError(f"not a time of day (HH:MM): {value!r}")
    return int(found[1]), int(found[2])


@lru_cache(maxsize=None)
def time_words(language: str = "en") -> TimeWords:
    w = load_words(language, "times")
    return TimeWords(
        morning=frozenset(w.phrases("morning")), evening=frozenset(w.phrases("evening")),
        night=frozenset(w.phrases("night")), before=w.get("part_of_day") == "before",
        named={k: clock_of(str(v)) for k, v in w.mapping("named").items()},
        hour_words={k: int(v) for k, v in w.mapping("hour_words").items()},
        oclock=frozenset(w.words("oclock")), oh=frozenset(w.words("oh")), hour_mark=frozenset(w.words("hour_mark")),
        minute_mark=frozenset(w.words("minute_mark")), half_hour=frozenset(w.words("half_hour")),
        past_words={k: int(v) for k, v in w.mapping("past_words").items()}, article=frozenset(w.phrases("article")),
        minute_words=frozenset(w.words("minute_words")), past=frozenset(w.words("past")), to=frozenset(w.words("to")),
        half_only_past=str(w.get("half_only_past") or ""), spoken={k: str(v) for k, v in w.mapping("spoken").items()})


def clock_words(language: str = "en") -> frozenset[str]:
    """Words a time of day can be made of, besides numbers ("noon", "am", "oclock"; "정오", "시", "오후")."""
    t = time_words(language)
    words = set(t.named) | t.oclock | t.hour_mark | t.minute_mark | t.half_hour
    words.update(phrase[0] for phrase in t.morning | t.evening if len(phrase) == 1)  # "am", "오후"
    return frozenset(words)


def _number(token: str, t: TimeWords) -> int | None:
    return int(token) if token.isdecimal() and token.isascii() and len(token) <= 2 else t.hour_words.get(token)  # digits_in leaves these


def _clock_face(tokens: list[str], i: int, t: TimeWords) -> list[tuple[int, int, int, bool]]:
    """(end, hour, minute, explicit 24-hour) readings of "7", "7 30", "7 oh 5", "19 00", "10.30", "7 oclock"."""
    found: list[tuple[int, int, int, bool]] = []
    if i >= len(tokens):
        return found
    joined = _CLOCK.match(tokens[i])
    if joined:
        hour, minute = int(joined[1]), int(joined[2])
        if hour <= 23 and minute <= 59:
            found.append((i + 1, hour, minute, hour > 12 or joined[1].startswith("0")))
        return found
    hour = _number(tokens[i], t)
    if hour is None or hour > 23:
        return found
    explicit = hour > 12 or hour == 0 or (len(tokens[i]) == 2 and tokens[i].startswith("0"))
    if t.hour_mark:
        return _marked_face(tokens, i, hour, explicit, t)
    if i + 1 < len(tokens) and tokens[i + 1] in t.oclock:
        return [(i + 2, hour, 0, explicit)]
    found.append((i + 1, hour, 0, explicit))
    j = i + 1
    oh_minute = _number(tokens[j + 1], t) if j + 1 < len(tokens) and tokens[j] in t.oh else None
    if oh_minute is not None and oh_minute < 10:  # "12 oh 5", "12 oh one" ("one" stays a word)
        found.append((j + 2, hour, oh_minute, explicit))
    elif j < len(tokens):
        minute = _number(tokens[j], t)
        if minute is not None and minute <= 59 and (minute >= 10 or tokens[j].startswith("0")):
            found.append((j + 1, hour, minute, explicit))
    return found


def _marked_face(tokens: list[str], i: int, hour: int, explicit: bool, t: TimeWords) -> list[tuple[int, int, int, bool]]:
    """A clock face whose hour and minutes are marked: "3 시", "3 시 30 분", "3 시 반"."""
    if i + 1 >= len(tokens) or tokens[i + 1] not in t.hour_mark:
        return []
    j = i + 2
    found = [(j, hour, 0, explicit)]
    if j < len(tokens) and tokens[j] in t.half_hour:
        found.append((j + 1, hour, 30, explicit))
    elif j + 1 < len(tokens) and tokens[j + 1] in t.minute_mark:
        minute = _number(tokens[j], t)
        if minute is not None and minute <= 59:
            found.append((j + 2, hour, minute, explicit))
    return found


def _relative(tokens: list[str], i: int, t: TimeWords) -> list[tuple[int, int, int, bool]]:
    """ "half past 7", "quarter to 8", "20 past 6", "10 minutes to 9" """
    if not t.past and not t.to:
        return []
    if tuple(tokens[i:i + 2]) in t.article:
        i += 1  # "a quarter past 7"
    if i >= len(tokens):
        return []
    word = tokens[i]
    minutes = t.past_words.get(word, _number(word, t))
    if minutes is None or not 0 < minutes < 60:
        return []
    j = i + 1
    if j < len(tokens) and tokens[j] in t.minute_words:
        j += 1
    if j + 1 >= len(tokens) or tokens[j] not in t.past | t.to:
        return []
    if word == t.half_only_past and tokens[j] not in t.past:
        return []
    hour = _number(tokens[j + 1], t)
    if hour is None or hour > 23:
        return []
    if tokens[j] in t.past:
        return [(j + 2, hour, minutes, hour > 12)]
    return [(j + 2, (hour - 1) % 24 or 12, 60 - minutes, hour > 12)]  # "quarter to 1": 12:45 (am or pm)


def _next_occurrence(hour: int, minute: int) -> tuple[int, int]:
    """An hour said without am/pm: the next time the clock shows it."""
    now = dt.datetime.fromtimestamp(clock.now())
    here = now.hour * 60 + now.minute
    options = [(hour % 12, minute), (hour % 12 + 12, minute)]
    return min(options, key=lambda hm: (hm[0] * 60 + hm[1] - here) % (24 * 60) or 24 * 60)


def time_matches(tokens: list[str], start: int, language: str = "en") -> list[tuple[int, str]]:
    """Every (end, "HH:MM") reading of a time of day starting at tokens[start]."""
    t = time_words(language)
    if start < len(tokens) and tokens[start] in t.named:
        hour, minute = t.named[tokens[start]]
        return [(start + 1, f"{hour:02d}:{minute:02d}")]
    parts = t.morning | t.evening
    results: list[tuple[int, str]] = []
    # (where the clock face starts, the part of the day said before it)
    faces: list[tuple[int, tuple[str, ...] | None]] = [(start, None)]
    if t.before:
        faces += [(start + len(words), words) for words in parts if tuple(tokens[start:start + len(words)]) == words]
    for at, before in faces:
        for end, hour, minute, explicit in _clock_face(tokens, at, t) + _relative(tokens, at, t):
            readings: list[tuple[int, tuple[str, ...] | None]] = [(end, before)]
            if not t.before:
                readings += [(end + len(words), words) for words in parts if tuple(tokens[end:end + len(words)]) == words]
            for stop, words in readings:
                if words is None:
                    h, m = (hour, minute) if explicit else _next_occurrence(hour, minute)
                elif explicit or not 1 <= hour <= 12:
                    continue  # "19 pm", "0 am": not a time
                else:
                    afternoon = words in t.evening and not (hour == 12 and words in t.night)
                    h, m = hour % 12 + (12 if afternoon else 0), minute
                results.append((stop, f"{h:02d}:{m:02d}"))
    return results


def seconds_until(value: str) -> int:
    """Seconds from now to the next time the clock shows `value` (tomorrow if it has passed today)."""
    hour, minute = clock_of(value)
    now = dt.datetime.fromtimestamp(clock.now())
    target = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if target <= now:
        target += dt.timedelta(days=1)
    return round((target - now).total_seconds())

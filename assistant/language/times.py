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

from assistant import clock

MORNING = {("am",), ("a", "m"), ("in", "the", "morning"), ("this", "morning"), ("in", "morning")}
EVENING = {("pm",), ("p", "m"), ("in", "the", "afternoon"), ("this", "afternoon"), ("in", "the", "evening"),
           ("this", "evening"), ("tonight",), ("at", "night"), ("in", "afternoon"), ("in", "evening")}
NIGHT = {("tonight",), ("at", "night")}  # "12 tonight", "12 15 at night": just after midnight, not noon
NAMED = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}
PAST = {"half": 30, "quarter": 15}
_CLOCK = re.compile(r"^(\d{1,2})[.:](\d{2})$")  # "10.30" stays one token


def _number(token: str) -> int | None:
    return int(token) if token.isdecimal() and token.isascii() and len(token) <= 2 else {"one": 1, "two": 2}.get(token)  # digits_in leaves these


def _clock_face(tokens: list[str], i: int) -> list[tuple[int, int, int, bool]]:
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
    hour = _number(tokens[i])
    if hour is None or hour > 23:
        return found
    explicit = hour > 12 or hour == 0 or (len(tokens[i]) == 2 and tokens[i].startswith("0"))
    if i + 1 < len(tokens) and tokens[i + 1] == "oclock":
        return [(i + 2, hour, 0, explicit)]
    found.append((i + 1, hour, 0, explicit))
    j = i + 1
    if j + 1 < len(tokens) and tokens[j] == "oh" and (_number(tokens[j + 1]) or 10) < 10:
        found.append((j + 2, hour, int(tokens[j + 1]), explicit))
    elif j < len(tokens):
        minute = _number(tokens[j])
        if minute is not None and minute <= 59 and (minute >= 10 or tokens[j].startswith("0")):
            found.append((j + 1, hour, minute, explicit))
    return found


def _relative(tokens: list[str], i: int) -> list[tuple[int, int, int, bool]]:
    """ "half past 7", "quarter to 8", "20 past 6", "10 minutes to 9" """
    i += tokens[i:i + 2] == ["a", "quarter"]  # "a quarter past 7"
    if i >= len(tokens):
        return []
    word = tokens[i]
    minutes = PAST.get(word, _number(word))
    if minutes is None or not 0 < minutes < 60:
        return []
    j = i + 1
    if j < len(tokens) and tokens[j] in ("minute", "minutes"):
        j += 1
    if j + 1 >= len(tokens) or tokens[j] not in ("past", "after", "to", "too", "before", "till"):
        return []
    if word == "half" and tokens[j] != "past":
        return []
    hour = _number(tokens[j + 1])
    if hour is None or hour > 23:
        return []
    if tokens[j] in ("past", "after"):
        return [(j + 2, hour, minutes, hour > 12)]
    return [(j + 2, (hour - 1) % 24 or 12, 60 - minutes, hour > 12)]  # "quarter to 1": 12:45 (am or pm)


def _next_occurrence(hour: int, minute: int) -> tuple[int, int]:
    """An hour said without am/pm: the next time the clock shows it."""
    now = dt.datetime.fromtimestamp(clock.now())
    here = now.hour * 60 + now.minute
    options = [(hour % 12, minute), (hour % 12 + 12, minute)]
    return min(options, key=lambda hm: (hm[0] * 60 + hm[1] - here) % (24 * 60) or 24 * 60)


def time_matches(tokens: list[str], start: int) -> list[tuple[int, str]]:
    """Every (end, "HH:MM") reading of a time of day starting at tokens[start]."""
    if start < len(tokens) and tokens[start] in NAMED:
        hour, minute = NAMED[tokens[start]]
        return [(start + 1, f"{hour:02d}:{minute:02d}")]
    results: list[tuple[int, str]] = []
    for end, hour, minute, explicit in _clock_face(tokens, start) + _relative(tokens, start):
        readings: list[tuple[int, tuple[str, ...] | None]] = [(end, None)]
        readings += [(end + len(words), words) for words in MORNING | EVENING
                     if tuple(tokens[end:end + len(words)]) == words]
        for stop, words in readings:
            if words is None:
                h, m = (hour, minute) if explicit else _next_occurrence(hour, minute)
            elif explicit or not 1 <= hour <= 12:
                continue  # "19 pm", "0 am": not a time
            else:
                afternoon = words in EVENING and not (hour == 12 and words in NIGHT)
                h, m = hour % 12 + (12 if afternoon else 0), minute
            results.append((stop, f"{h:02d}:{m:02d}"))
    return results


def spoken_time(value: str) -> str:
    """ "19:30" -> "7:30 PM", "07:00" -> "7 AM", "12:00" -> "noon" """
    hour, minute = (int(part) for part in value.split(":"))
    if (hour, minute) == (12, 0):
        return "noon"
    if (hour, minute) == (0, 0):
        return "midnight"
    face = f"{hour % 12 or 12}" + (f":{minute:02d}" if minute else "")
    return f"{face} {'PM' if hour >= 12 else 'AM'}"


def seconds_until(value: str) -> int:
    """Seconds from now to the next time the clock shows `value` (tomorrow if it has passed today)."""
    hour, minute = (int(part) for part in value.split(":"))
    now = dt.datetime.fromtimestamp(clock.now())
    target = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if target <= now:
        target += dt.timedelta(days=1)
    return round((target - now).total_seconds())

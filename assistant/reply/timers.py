"""Timers and alarms in words: "the pasta timer", "the 10 minute timer", "the 7 AM alarm", "the pasta timer has
5 minutes left"; Korean "파스타 타이머", "10분 타이머", "오전 7시 알람".

act/timers.py reports timers as data (its timer entries, lengths in seconds, times as "HH:MM"); here they become
the fields of the timer replies (timers.yaml `responses`), in the words of intents/<lang>/words/phrases.yaml
(`timer_*`, `alarm_at`), durations.yaml `say` and times.yaml `spoken`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.reply.describe import duration_words, spoken_time
from assistant.reply.fields import fill
from assistant.reply.phrases import capital, phrases

DURATIONS = ("left", "duration", "change")  # fields that are lengths of time in seconds


class TimerWords:
    def __init__(self, language: str = "en"):
        self.language = language
        self.words = phrases(language)

    def label(self, timer: dict[str, Any]) -> str:
        """ "the pasta timer", "the 10 minute timer", "the 7 AM alarm" """
        templates = self.words.templates
        if timer.get("at"):
            return fill(templates["alarm_at"], {"time": spoken_time(timer["at"], self.language)})
        if timer.get("name"):
            return fill(templates["timer_named"], {"name": timer["name"]})
        length = duration_words(timer["seconds"], self.language, before_noun=True)
        return fill(templates["timer_lasting"], {"duration": length})

    def labels(self, timers: list[dict[str, Any]]) -> str:
        return self.words.join([self.label(t) for t in timers])

    def left(self, status: dict[str, Any]) -> str:
        """ "the pasta timer has 5 minutes left (paused)": one of several timers asked about."""
        template = self.words.templates["timer_left_paused" if status.get("paused") else "timer_left"]
        return fill(template, {"timer": self.label(status["timer"]), "left": duration_words(status["left"], self.language)})

    def finished(self, timers: list[dict[str, Any]]) -> str:
        """ " The pasta timer has finished.": said after a status when timers ran out meanwhile ("" if none)."""
        if not timers:
            return ""
        names = self.labels(timers)
        return self.words.counted_form(self.words.counted["timers_finished"], len(timers), timers=names,
                                       Timers=capital(names))

    def fields(self, facts: dict[str, Any]) -> dict[str, Any]:
        """The fields of a timer reply from what act/timers.py reports: `timers` and `timer` (timer entries) as
        their names, `left`, `duration` and `change` (seconds) as lengths, `at` ("HH:MM") as a time of day,
        `each` as the time left on each timer, `done` as the timers that ran out; the rest as they are."""
        fields = dict(facts)
        if "timers" in facts:
            fields["timers"] = self.labels(facts["timers"])
        if "timer" in facts:
            fields["timer"] = self.label(facts["timer"])
        for key in DURATIONS:
            if key in facts:
                fields[key] = duration_words(facts[key], self.language)
        if "at" in facts:
            fields["at"] = spoken_time(facts["at"], self.language) if facts["at"] else ""
        if "each" in facts:
            fields["each"] = self.words.join([self.left(status) for status in facts["each"]])
        if "done" in facts:
            fields["done"] = self.finished(facts["done"])
        return fields


@lru_cache(maxsize=None)
def timer_words(language: str = "en") -> TimerWords:
    return TimerWords(language)

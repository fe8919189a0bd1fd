"""Timer commands read from their parts, when no template says the sentence: "get rid of the pasta timer",
"the timer can go", "carry on with the timer", "chuck another five minutes on the egg timer".

A timer is no device, so the compose stage's device parts never name one. Here the timer is found by its word
("timer", "countdown"), with its name or length said before it ("the pasta timer", "the 10 minute timer"), and
what to do to it from the language's timer cues (`timer_cues` in intents/<lang>/words/compose.yaml). Every
other word must be a cue, a filler or one duration; a negation that is not part of a cue ("don't cancel the
timer") means no command, as in the compose stage.
"""

from __future__ import annotations

from typing import Any

from assistant.understand.parts import ComposeWords
from assistant.understand.rules import ListIndex


class TimerParts:
    def __init__(self, words: ComposeWords, index: ListIndex):
        self.words = words
        self.index = index

    def read(self, tokens: list[str]) -> tuple[str, dict[str, Any]] | None:
        """The timer intent and its slots, or None when the words are not all a timer command's parts."""
        w = self.words
        said = [(i, t) for i in range(len(tokens)) for t in w.timer_words if tuple(tokens[i : i + len(t)]) == t]
        if not said:  # "what's left on the 25 minute one": a timer said by its length or name alone
            said = [(i, t) for i in range(len(tokens)) for t in w.timer_ones
                    if tuple(tokens[i : i + len(t)]) == t and self._timer(tokens, i, t)[0] < i]
        if not said:
            return self._implied(tokens)
        if len(said) != 1:
            return None
        if said[0][0] > 0 and (tokens[said[0][0] - 1],) in w.question_any:
            return None  # "what is a timer": no timer of the home's
        return self._read(tokens, *self._timer(tokens, *said[0]))

    def _implied(self, tokens: list[str]) -> tuple[str, dict[str, Any]] | None:
        """ "give the pasta another 2 minutes", "knock 5 minutes off it": more or less time for a timer said by its
        name alone, or by "it"; only time changes a timer so said (nothing else of a home takes minutes more)."""
        from assistant.language.schedule import when_phrases

        w = self.words
        if next(when_phrases(tokens, w.language), None) is not None:
            return None  # "turn it off in half an hour": a time for later, not a timer's
        spans = {(i, e): {"timer": v} for i in range(len(tokens)) for e, v in self.index.matches("timer", tokens, i)
                 if not any(self.index.matches(kind, tokens, i) for kind in ("name", "area", "type"))}
        spans.update({(i, i + 1): {} for i, t in enumerate(tokens) if (t,) in w.references})
        if len(spans) != 1:
            return None
        (start, end), slots = next(iter(spans.items()))
        read = self._read(tokens, start, end, slots)
        return read if read is not None and read[0] in w.timer_changes and "duration" in read[1] else None

    def _read(self, tokens: list[str], start: int, end: int, slots: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """Every word but the timer's own [start, end) is a cue, a duration, a filler or a place."""
        w = self.words
        intents: set[str] | None = None
        i = 0
        while i < len(tokens):
            if i == start:
                i = end
                continue
            stop = start if i < start else len(tokens)  # words before the timer's own stop at them
            cue = max((c for c in w.timer_cues if tuple(tokens[i : i + len(c)]) == c and i + len(c) <= stop), key=len, default=None)
            duration = None if cue is not None else self._duration(tokens, i, stop)
            if cue is not None:
                intents = set(w.timer_cues[cue]) if intents is None else intents & set(w.timer_cues[cue])
                i += len(cue)
            elif duration is not None and "duration" not in slots:
                inside = [self.words.timer_cues[(t,)] for t in tokens[i : duration[1]] if (t,) in self.words.timer_cues]
                for cues in inside:  # "5 more minutes" is a duration with its cue inside
                    intents = set(cues) if intents is None else intents & set(cues)
                slots["changed_by"], i = duration
            elif (tokens[i],) in w.timer_all:  # "타이머 다 꺼", "cancel all the timers"
                slots["all"], i = True, i + 1
            elif self._filler(tokens, i):
                i += 1
            elif self._place(tokens, i):  # a timer is no room's: "Lily's homework timer", "the timer in the kitchen"
                i = self._place(tokens, i)
            else:
                return None  # a word of something else, or a negation ("don't cancel the timer")
        return self._intent(intents, slots)

    def _intent(self, intents: set[str] | None, slots: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """One intent the cues agree on; a duration said apart from the timer only with one that changes it."""
        changed_by = slots.pop("changed_by", None)
        if not intents:
            return None
        fitting = [i for i in self.words.timer_intents if i in intents and (i in self.words.timer_changes) == (changed_by is not None)]
        if len(fitting) != 1:
            return None
        if changed_by is not None:
            if "duration" in slots:
                return None  # "add 5 minutes to the 10 minute timer": which number is which is the templates' to say
            slots["duration"] = changed_by
        return fitting[0], slots

    def _timer(self, tokens: list[str], at: int, word: tuple[str, ...]) -> tuple[int, int, dict[str, Any]]:
        """Where the timer is said, with its name or length before its word: [start, end) and its slots."""
        end = at + len(word)
        for start in range(max(0, at - 4), at):
            names = [v for e, v in self.index.matches("timer", tokens, start) if e == at]
            if names:
                return start, end, {"timer": names[0]}
            lengths = [v for e, v in self.index.matches("duration", tokens, start) if e == at]
            if lengths:
                return start, end, {"duration": lengths[0]}
        plural = tokens[at].endswith(tuple(self.words.plural_endings))  # "cancel my timers": all of them
        return at, end, ({"all": True} if plural else {})  # "every timer": read() finds the "every"

    def _place(self, tokens: list[str], i: int) -> int:
        """The end of a room or its owner's name said at word i (0 when none is)."""
        return max((e for e, _ in self.index.matches("area", tokens, i)), default=0)

    def _duration(self, tokens: list[str], i: int, stop: int) -> tuple[int, int] | None:
        """(seconds, end) of a duration said at word i, ending before `stop`."""
        found = [(v, e) for e, v in self.index.matches("duration", tokens, i) if e <= stop]
        return max(found, key=lambda f: f[1]) if found else None

    def _filler(self, tokens: list[str], i: int) -> bool:
        w, word = self.words, (tokens[i],)
        return word in w.fillers or word in w.timer_fillers or word in w.determiners or tokens[i] in w.verbs


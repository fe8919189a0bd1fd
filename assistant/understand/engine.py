"""Understanding: text -> commands (intent + slots), rules first, fuzzy second."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from assistant.understand.command import Command, Reading
from assistant.understand.compose import Abilities, Composer
from assistant.understand.remarks import Remarks, clauses
from assistant.understand.explain import explanation
from assistant.language.cache import load_or_compile
from assistant.language.compose_words import compose_words
from assistant.language.forms import language_forms
from assistant.language.fuzzy_words import fuzzy_words
from assistant.understand.forms import Forms
from assistant.understand.fuzzy import FuzzyMatch, FuzzyMatcher, Lexicon
from assistant.understand.grammar import Grammar
from assistant.language.intents import IntentSet, SlotList
from assistant.understand.normalize import words_of
from assistant.language.words import load_words as load_word_file
from assistant.language.numbers import digits_in
from assistant.language.schedule import schedule_words, when_phrases
from assistant.understand.rules import ListIndex, RuleMatch, match_rules

MAX_WORDS = 100  # longer input is not a command; splitting it into commands would take too long
MAX_CHARS = 1000  # ... nor is text this long, refused before it is read at all (a 1 MB line took seconds)


def too_long(text: str) -> bool:
    """Too long to be what someone says to the assistant: refused at once, whatever the words."""
    return len(text) > MAX_CHARS or len(text.split(maxsplit=MAX_WORDS)) > MAX_WORDS
# A fuzzy command needs at least this confidence; calibrated on the shipped ASR-noise and
# rejection sets (benchmarks/intent_matching.py prints both rates for a range of thresholds).
ACCEPT = 0.55
# Two fuzzy readings closer than this are a question for the user, not a guess.
NEAR_EQUAL = 0.05
# Longer stretches without a split word are rambling, not one misheard command.
MAX_FUZZY_WORDS = 20
# Intents named `_...` (`_unknown_device`: "turn on the toaster") are fallbacks: tried by rules
# only, and only when no real intent matches by rules or fuzzily. They never act.
FALLBACK_PREFIX = "_"
# "... in 10 minutes", "... after an hour", "... at 9 pm": a command for later (English's words, which the
# speech grammar also uses; each language's are in intents/<lang>/words/schedule.yaml).
SCHEDULE_WORDS = schedule_words("en").before
# "turn on the fan for 20 minutes": done now, undone after that long. The intents that can be undone.
UNDOABLE = {"turn_on", "turn_off", "open", "close", "start"}
# Commands that make no sense later (or already carry a time: alarms).
UNSCHEDULABLE = {"start_timer", "cancel_timer", "timer_status", "pause_timer", "resume_timer", "extend_timer",
                 "shorten_timer", "get_time", "get_date", "get_state", "get_temperature", "help", "cancel",
                 "repeat"}
# The intent that starts a new timer (a duration said with "more" never does).
NEW_TIMER = "start_timer"
# Follow-up fragments ("and the bedroom too", "make it 22"): they need the command before them.
FRAGMENTS = ("repeat", "set_value")
ANSWERS = ("cancel",)  # said to the assistant about the turn before, never beside a remark


@dataclass
class Understanding:
    """What an utterance means.

    commands: what to do, in order (empty when nothing was understood).
    ambiguous: when the fuzzy layer found two or more near-equal readings (different intents or
        different devices/rooms) it does not guess: `commands` is then empty and these are the
        candidates, best first, so the caller can ask which one was meant.
    rejected: fuzzy readings below the acceptance threshold (for `parse --explain`).
    fallback: when nothing else was understood, the `_` fallback reading (say what is unknown).
    too_long: the text was longer than any command (`too_long`) and was not read.
    """

    text: str
    tokens: list[str]
    commands: list[Command]
    ambiguous: list[Command] = field(default_factory=list)
    rejected: list[Command] = field(default_factory=list)
    fallback: list[Command] = field(default_factory=list)
    too_long: bool = False


class Understander:
    def __init__(self, intents: IntentSet, lists: dict[str, SlotList], *, forms: Forms | None = None,
                 fuzzy_words: dict[str, Any] | None = None):
        """`forms` and `fuzzy_words` are the language pack's (assistant.language.forms, .fuzzy_words): given,
        or else asked of the pack of the intents' language."""
        real = [d for d in intents.data if not d.intent.startswith(FALLBACK_PREFIX)]
        fallback = [d for d in intents.data if d.intent.startswith(FALLBACK_PREFIX)]
        self.intents = dataclasses.replace(intents, data=real)
        self.grammar = load_or_compile(self.intents)
        # a handful of templates: compiled each time, so the cache keeps one entry per intent set
        self.fallback_grammar = Grammar(dataclasses.replace(intents, data=fallback)) if fallback else None
        self._lexicon: Lexicon | None = None
        self._fuzzy: FuzzyMatcher | None = None
        self._words: frozenset[str] | None = None
        self._fuzzy_words = fuzzy_words
        self.forms = forms if forms is not None else language_forms(intents.language)
        words = load_word_file(intents.language, "commands")
        self.split_words = tuple(words.words("split"))  # "and", "then": between two commands
        self.abilities: Abilities | None = None  # what the devices some words name can do (given by the home's side)
        self.set_lists(lists)

    def set_lists(self, lists: dict[str, SlotList]) -> None:
        """Use the home's lists ({name}, {area}, ...) beside the intent files' own."""
        merged = dict(self.intents.lists)
        merged.update(lists)
        self.index = ListIndex(merged)
        self._fuzzy = None
        self._words = None
        self._composer: Composer | None = None

    @property
    def composer(self) -> Composer:
        if self._composer is None:
            words = self._fuzzy_words if self._fuzzy_words is not None else fuzzy_words(self.intents.language)
            self._composer = Composer(compose_words(self.intents.language), self.index, self.abilities, words,
                                      set(self.intents.intents))
        return self._composer

    @property
    def fuzzy(self) -> FuzzyMatcher:
        """Built on first need: a sentence the rules understand never pays for it."""
        if self._fuzzy is None:
            if self._lexicon is None:
                words = self._fuzzy_words if self._fuzzy_words is not None else fuzzy_words(self.intents.language)
                self._lexicon = Lexicon.of(self.grammar, words)
            self._fuzzy = FuzzyMatcher(self.grammar, self.index, self._lexicon)
        return self._fuzzy

    def tokens(self, text: str) -> list[str]:
        return _without_skip_words(self.heard(text), self.intents.skip_words)

    def heard(self, text: str) -> list[str]:
        """The words of `text`, numbers as digits, verb endings and particles read away, skip words kept."""
        tokens = digits_in(" ".join(words_of(text, self.intents.language)), self.intents.language).split()
        return self.forms.read(tokens, self._known_words()) if self.forms is not None and tokens else tokens

    def understand(self, text: str) -> Understanding:
        if too_long(text):
            return Understanding(text, [], [], too_long=True)
        untrimmed = self.heard(text)
        heard = _trim(untrimmed, self.split_words)
        tokens = _trim(_without_skip_words(heard, self.intents.skip_words), self.split_words)
        result = Understanding(text, tokens, [])
        if len(heard) > MAX_WORDS:
            result.too_long = True
            return result
        if not tokens:  # only skip words: "thank you" is no command, but may have a fallback reply
            if heard and self.fallback_grammar is not None:
                result.fallback = self._split(heard, fuzzy=False, result=result, grammar=self.fallback_grammar) or []
            return result
        commands = self._split(tokens, fuzzy=False, result=result)
        if commands is None and heard != tokens:
            # Skip words can be the sentence itself ("what can you do"): the words as heard, by rules.
            commands = self._split(heard, fuzzy=False, result=result)
            if commands is not None:
                result.tokens = heard
        if commands is None and untrimmed[:1] != heard[:1]:
            # "and the kitchen", "and two sugars": the "and" that starts a follow-up is a word of its template
            led = _without_skip_words(untrimmed, self.intents.skip_words)
            whole = self._rule(led, self.grammar)
            commands = [whole] if whole is not None else None
            if commands is not None:
                result.tokens = led
        if commands is None:
            spelled = _letters_joined(tokens, self._known_words(), self.intents.language)
            if spelled is not None:  # "tee vee off in 10 minutes": the whole sentence again, the word said as one
                again = self.understand(" ".join(spelled))
                if again.commands:
                    again.text = text
                    return again
        if commands is None:
            repaired = _rejoined(tokens, self._known_words(), self.intents.language)
            if repaired is not None:  # "the bed room", "5 mi nutes", "twominutes": words a recogniser cut or glued
                commands = self._split(repaired, fuzzy=False, result=result)
                tokens = result.tokens = repaired
        if commands is None:
            from assistant.language.durations import listed_durations

            spread = listed_durations(tokens, self.intents.language)
            if spread is not None:  # "timers for 5 and 10 minutes", "for 2 minutes, 5 minutes and 10 minutes"
                commands = self._split(spread, fuzzy=False, result=result)
                if commands is not None:
                    result.tokens = spread
        if commands is None:
            commands = self._beside_remarks(text, result)
        if commands is None:
            commands = self._scheduled(tokens, result, fuzzy=False) or self._scheduled(tokens, result, fuzzy=True)
        if commands is None:
            commands = self._split(tokens, fuzzy=True, result=result)
        if commands:
            result.ambiguous = []
        result.commands = commands or []
        if not result.commands and not result.ambiguous and self.fallback_grammar is not None:
            result.fallback = (self._split(tokens, fuzzy=False, result=result, grammar=self.fallback_grammar)
                               or self._split(heard, fuzzy=False, result=result, grammar=self.fallback_grammar) or [])
            result.commands = self._mixed(tokens)
        return result

    def _known_words(self) -> frozenset[str]:
        """Every word a command can contain: template words, slot list words, units and clock words, and the words
        of the compose lexicon ("throughout"; "무음으로" is "무음" in a language whose words take particles)."""
        if self._words is None:
            from assistant.language.durations import unit_words
            from assistant.language.times import clock_words

            language = self.intents.language
            words = set(self.grammar.vocabulary()) | unit_words(language) | clock_words(language)
            words |= compose_words(language).vocabulary()  # "throughout" is a word, not "through out"
            for slot_list in self.index.lists.values():
                words.update(w for phrase, _ in slot_list.values for w in phrase)
            self._words = frozenset(w for w in words if w.isalpha())
        return self._words

    def _scheduled(self, tokens: list[str], result: Understanding, fuzzy: bool) -> list[Command] | None:
        """ "turn off the lights in 10 minutes", "at 9 pm close the curtains": the commands, with when.

        Tried only when the sentence as a whole is no command; the when becomes a `delay` (seconds)
        or `at` ("HH:MM") slot that the pipeline turns into a scheduled action. With `fuzzy`, the
        command may be misheard ("close the curtins at 9 pm"); the when must still read exactly.
        """
        for rest, slot, value in when_phrases(tokens, self.intents.language):
            commands = self._split(_trim(rest, self.split_words), fuzzy=fuzzy, result=result)
            if slot == "lasting" and commands and not all(c.intent in UNDOABLE for c in commands):
                continue
            if commands and not any(c.intent in UNSCHEDULABLE for c in commands):
                return [dataclasses.replace(c, slots={**c.slots, slot: value}) for c in commands]
        return None

    def _mixed(self, tokens: list[str]) -> list[Command]:
        """ "turn on the toaster and turn on the kitchen light": the known part runs, the unknown one is named.

        Each part between split words must be a whole command by rules, or a fallback; at least one of each.
        """
        parts, start = [], 0
        for i, token in enumerate([*tokens, None]):
            if token is None or token in self.split_words:
                if i > start:
                    parts.append(tokens[start:i])
                start = i + 1
        commands = []
        for part in parts if len(parts) > 1 else []:
            command = self._rule(part, self.grammar) or self._rule(part, self.fallback_grammar)
            if command is None:
                return []
            commands.append(command)
        known = [c for c in commands if not c.intent.startswith(FALLBACK_PREFIX) and c.intent not in FRAGMENTS]
        return commands if known and len(known) < len(commands) else []

    def _split(self, tokens: list[str], fuzzy: bool, result: Understanding,
               grammar: Grammar | None = None) -> list[Command] | None:
        """The whole sentence as one command, or split at "and"/"then" into several."""
        whole = self._one(tokens, fuzzy, result, grammar)
        if whole is not None and not _swallows_split(whole, self.split_words):
            return [whole]
        for i, token in enumerate(tokens):
            if token in self.split_words and 0 < i < len(tokens) - 1 and not _inside_duration(tokens, i, self.intents.language):
                head = self._one(tokens[:i], fuzzy, result, grammar)
                if head is None:
                    continue
                tail = self._split(_trim(tokens[i + 1 :], self.split_words), fuzzy, result, grammar)
                if tail:
                    return [head, *tail]
        return [whole] if whole is not None else None

    def _one(self, tokens: list[str], fuzzy: bool, result: Understanding, grammar: Grammar | None = None) -> Command | None:
        """By the templates; else read from its parts; else (with `fuzzy`) the nearest template."""
        rule = self._rule(tokens, grammar or self.grammar)
        if grammar is None and (rule is None or rule.intent in FRAGMENTS):
            # a whole command read from its parts beats a follow-up fragment ("front door lock" as "and the
            # front door lock too"), which needs a command before it
            composed = self.composer.compose(tokens)
            if composed is not None:
                composed.explanation = explanation(composed, ranked=True)
            rule = composed or rule
        if rule is None and grammar is None:
            rule = self._beside_a_remark(tokens)
        if rule is not None or not fuzzy or len(tokens) > MAX_FUZZY_WORDS:
            return rule
        found = self._fuzzy_one(tokens, result)
        if found is None and grammar is None and not result.ambiguous:
            # no template is near: the parts again, with a misheard name mended ("the kitchin lites off")
            found = self.composer.compose_mended(tokens)
            if found is not None:
                found.explanation = explanation(found, ranked=True)
        if found is None and grammar is None and not result.ambiguous:
            found = self._beside_a_remark(tokens, result)  # "pause the tely i need the loo"
        return found

    def _beside_a_remark(self, tokens: list[str], fuzzy: Understanding | None = None) -> Command | None:
        """The command said with a remark beside it ("turn the kettle off, I don't want tea after all"): the
        command alone, by the templates or from its parts (and, in the `fuzzy` pass, with a misheard word mended);
        never a fragment that needs a turn before it, and after a remark, only a command that names what it is for
        ("I had a weird dream last night" sets no mode)."""
        for command_words in self.composer.parts.without_asides(tokens):
            command = self._rule(command_words, self.grammar) or self.composer.compose(command_words)
            if command is None and fuzzy is not None and not fuzzy.ambiguous:
                command = self._fuzzy_one(command_words, fuzzy) or self.composer.compose_mended(command_words)
            before = command_words != tokens[: len(command_words)]  # after a remark, the command names its device
            if command is not None and command.intent not in FRAGMENTS and (not before or self.composer.parts.names_target(command.slots)):
                command.explanation = command.explanation or explanation(command, ranked=True)
                return command
        return None

    def _beside_remarks(self, text: str, result: Understanding) -> list[Command] | None:
        """A command with remarks set off by commas ("mute the telly, phone's ringing"): the clause that is a
        command, when every other clause is a remark (assistant.understand.remarks) or says the same again."""
        said = clauses(text)
        if len(said) < 2:
            return None
        remarks = Remarks(self.composer.parts)
        heard = [_trim(self.tokens(clause), self.split_words) for clause in said]
        read = [self._split(t, fuzzy=False, result=Understanding(text, t, [])) if t else None for t in heard]
        aside = [not t or r is None and remarks.is_remark(t, clause) for t, r, clause in zip(heard, read, said)]
        meant = [(t, r) for t, r, a in zip(heard, read, aside) if not a]
        said_once = {tuple((c.intent, repr(sorted(c.slots.items()))) for c in r) for _, r in meant if r}
        answered = [i for i, r in enumerate(read) if not aside[i] and any(c.intent in ANSWERS for c in r or [])]
        if answered == [0] and len(said) == 2 and read[1] and not any(c.intent in ANSWERS for c in read[1]):
            result.tokens = heard[1]
            return read[1]  # "no, shut them": the command that corrects the turn before
        if answered and any(aside[answered[0] + 1 :]):
            return None  # "no, the right one" corrects the turn before: what follows a "no" is no remark
        if meant and all(r for _, r in meant) and len(said_once) == 1:  # "nothing, forget it": one thing, said twice
            result.tokens = meant[0][0]
            return meant[0][1]
        return None

    def _rule(self, tokens: list[str], grammar: Grammar) -> Command | None:
        matches = [m for m in match_rules(grammar, self.index, tokens)
                   if not self._holds_request(m.slot_dict()) and not self._more_time(m)]
        if not matches:
            return None
        ranked = sorted(matches, key=_rank, reverse=True)
        text = " ".join(tokens)
        best = _rule_command(ranked[0], text)
        best.alternatives = [_rule_command(m, text) for m in ranked[1:6]]
        best.explanation = explanation(best, ranked=True)
        return best

    def _holds_request(self, slots: dict) -> bool:
        """A free-text slot that is a second request, not a name: it starts with a split word, or holds a duration
        and a split word ("timer" = "pasta for 5 minutes and the sauce") or makes a command or fragment by itself
        ("another for 10 minutes"). Better not understood than misread."""
        for value in slots.values():
            words = value.split() if isinstance(value, str) else []
            if not words:
                continue
            if words[0] in self.split_words:
                return True
            if _has_duration(words, self.intents.language) and (any(w in self.split_words for w in words) or match_rules(self.grammar, self.index, words)):
                return True
        return False

    def _more_time(self, match: RuleMatch | FuzzyMatch) -> bool:
        """A new timer read from "10 more minutes": more time is for a timer that runs ("give the timer 10 more
        minutes"), never a new one."""
        from assistant.language.durations import duration_words

        more = duration_words(self.intents.language).more
        return match.intent == NEW_TIMER and any(s.name == "duration" and more & set(s.text.split()) for s in match.slots)

    def _guessed_name(self, match: FuzzyMatch) -> bool:
        """A fuzzy reading whose free text (a value no list has) is likely the next request, not a name: it
        holds a duration ("an another for 10 minutes"), or follows a split word taken for another word
        ("... 5 minutes and another for 10": 'and' read as 'called', name "another for 10")."""
        misread = {e.at + 1 for e in match.edits if e.heard in self.split_words and e.used not in self.split_words}
        for slot in match.slots:
            known = self.index.lists.get(slot.name)
            words = slot.text.split()
            if not isinstance(slot.value, str) or known is not None and any(p == tuple(words) for p, _ in known.values):
                continue
            if slot.start in misread or _has_duration(words, self.intents.language):
                return True
        return False

    def _fuzzy_one(self, tokens: list[str], result: Understanding) -> Command | None:
        found = [m for m in self.fuzzy.match(tokens)
                 if not self._holds_request(m.slot_dict()) and not self._guessed_name(m) and not self._more_time(m)]
        if not found:
            return None
        # Cheapest first; on a tie, the reading that names a device (as the rule ranking does), in fewest names.
        found.sort(key=lambda m: (-round(m.confidence, 2), not _names_device(m),
                                  sum(len(_as_list(s.value)) for s in m.slots if s.name == "name")))
        best = found[0]
        top = best.confidence
        commands = [_fuzzy_command(m, tokens) for m in found]
        best_command = commands[0]
        near = [
            c for m, c in zip(found[1:], commands[1:])
            if m.confidence >= max(ACCEPT, top - NEAR_EQUAL) and _differs(m, best)
        ]
        best_command.alternatives = commands[1:6]
        for command in commands:
            command.explanation = explanation(command, ranked=command is best_command)
        if best.confidence < ACCEPT:
            result.rejected.extend(commands[:5])
            return None
        if near:
            result.ambiguous = [best_command, *near]
            return None
        return best_command


def _without_skip_words(tokens: list[str], skip_words: list[tuple[str, ...]]) -> list[str]:
    skip = sorted(skip_words, key=len, reverse=True)
    result: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase in skip:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            result.append(tokens[i])
            i += 1
    return result


GLUED_LONGEST = 40  # two glued words are never longer: a longer "word" is not tried cut by cut (that is quadratic)


def _rejoined(tokens: list[str], known: frozenset[str], language: str) -> list[str] | None:
    """Tokens with a word cut in two ("bed room") joined and two glued words ("twominutes") parted,
    where the result is made of known words and the pieces were not; None when nothing changes."""
    out: list[str] = []
    i, changed = 0, False
    while i < len(tokens):
        word = tokens[i]
        if i + 1 < len(tokens) and word + tokens[i + 1] in known and (word not in known or tokens[i + 1] not in known):
            out.append(word + tokens[i + 1])
            i, changed = i + 2, True
            continue
        if word.isalpha() and word not in known and 5 <= len(word) <= GLUED_LONGEST:
            parts = next(([word[:k], word[k:]] for k in range(2, len(word) - 1)
                          if word[:k] in known and word[k:] in known), None)
            if parts:
                out.extend(parts)
                i, changed = i + 1, True
                continue
        out.append(word)
        i += 1
    if not changed:
        return None
    return digits_in(" ".join(out), language).split()


def _letters_joined(tokens: list[str], known: frozenset[str], language: str) -> list[str] | None:
    """Tokens with a known word said letter by letter ("tee vee", "t v") as that word; None when there is none."""
    from assistant.understand.normalize import letter_names

    letters = letter_names(language)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        spelled_out = _spelled_out(tokens, i, letters, known)
        out.append(spelled_out[0] if spelled_out else tokens[i])
        i += spelled_out[1] if spelled_out else 1
    return out if out != tokens else None


def _spelled_out(tokens: list[str], i: int, letters: dict[str, str], known: frozenset[str]) -> tuple[str, int] | None:
    """The known word said letter by letter from word i, and how many words it took (the longest; two at least)."""
    end = i  # a letter's name that is a word too ("see", "you", "be") is read as that word
    while end < len(tokens) and tokens[end] in letters and (len(tokens[end]) == 1 or tokens[end] not in known):
        end += 1
    for stop in range(end, i + 1, -1):
        word = "".join(letters[t] for t in tokens[i:stop])
        if word in known:
            return word, stop - i
    return None


def _swallows_split(command: Command, split_words: tuple[str, ...]) -> bool:
    """A free-text slot that ran over "and" ("a timer called pasta and a timer for 5 minutes"): try splitting first."""
    return any(isinstance(v, str) and any(w in split_words for w in v.split()) for v in command.slots.values())


def _has_duration(words: list[str], language: str = "en") -> bool:
    """Does a duration begin anywhere in these words ("another for 10 minutes")?"""
    from assistant.language.durations import kind_matches

    return any(kind_matches("duration", words, j, language) for j in range(len(words)))


def _inside_duration(tokens: list[str], i: int, language: str = "en") -> bool:
    """Is the split word at i part of one duration ("1 hour and 30 minutes", "an hour and a half")?"""
    from assistant.language.durations import kind_matches

    return any(end > i + 1 for j in range(max(0, i - 3), i) for end, _ in kind_matches("duration", tokens, j, language))


def _trim(tokens: list[str], split_words: tuple[str, ...]) -> list[str]:
    """Without split words at either end ("and then switch on ..." -> "switch on ...")."""
    start, end = 0, len(tokens)
    while start < end and tokens[start] in split_words:
        start += 1
    while end > start and tokens[end - 1] in split_words:
        end -= 1
    return tokens[start:end]


def _names_device(match: FuzzyMatch) -> bool:
    return any(s.name == "name" for s in match.slots)


def _differs(other: FuzzyMatch, best: FuzzyMatch) -> bool:
    """Worth a question: another intent, or another device by name (not a wider reading of the same)."""
    if other.intent != best.intent:
        return True
    names = lambda m: {repr(s.value) for s in m.slots if s.name == "name"}  # noqa: E731
    said = lambda m: " ".join(" ".join(map(str, _as_list(s.value))) for s in m.slots if s.name == "name")  # noqa: E731
    if said(other) == said(best):
        return False  # one name read as two ("car cable", "car" and "cable"): the same words said
    return bool(names(other)) and bool(names(best)) and names(other) != names(best)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _rule_command(match: RuleMatch, text: str) -> Command:
    reading = Reading(match.template, match.source, {s.name: s.text for s in match.slots})
    return Command(match.intent, match.slot_dict(), 1.0, "rule", text, reading=reading)


def _fuzzy_command(match: FuzzyMatch, tokens: list[str]) -> Command:
    """A fuzzy reading as a command (its explanation is made once it is ranked against the others)."""
    reading = Reading(match.template, match.source, {s.name: s.text for s in match.slots}, tuple(match.edits),
                      match.cost, threshold=ACCEPT)
    return Command(match.intent, match.slot_dict(), match.confidence, "fuzzy", " ".join(tokens), reading=reading)


def _rank(match: RuleMatch) -> tuple:
    """Prefer a named device over area+type, then more literal words."""
    names = {s.name for s in match.slots}
    return ("name" in names, match.literal_words, -len(match.slots))

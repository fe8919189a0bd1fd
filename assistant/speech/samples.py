"""Sample sentences of the templates themselves, to weight the speech grammar's moves.

The speech grammar is made from the templates and the home, never from the sentence tests (those
score the recogniser; weights learnt from them would be scored on what they trained). Every template
is a way people say a command, and a template lists the usual wording first: `(turn|switch) on`,
`[the|my|our]`, `(is|are)`. So each template is said a few times over, choosing among the options of a
group with chances that fall by DECAY from one option to the next, saying an optional group with
the chance SAY_OPTIONAL, putting the parts of a permutation in any order and taking any value of a
slot list. Chance decides with a fixed seed per template, so a template always gives the same samples,
whatever other templates are added or changed.

How much an intent's sentences count comes from the home: an intent that many of its devices obey
("turn off") is said more often than one that a single device obeys ("lock"), and one without a
device (timers, the time) as often as one device's (see `intent_weights`).
"""

from __future__ import annotations

import random

from assistant.understand.expression import Alternative, Expression, ListRef, Permutation, RuleRef, Sequence, Word
from assistant.understand.grammar import Grammar
from assistant.language.intents import IntentSet

# Measured with `benchmarks/speech_accuracy.py --quick` (60 clips each, clean / 12 dB; the weights learnt
# from the sentence tests before: 37 / 46): DECAY 0.5, SAY_OPTIONAL 0.5, each template alike and
# samples counting as one sentence per template: 33 / 36; DECAY 0.3, SAY_OPTIONAL 0.6: 33 / 36;
# + intents weighted by the home: 33 / 40; + SAMPLE_MASS 10,000: 37 / 42 (30,000: 34 / 44;
# DEVICE_POWER 1.5: 35 / 43; language weight 10 instead of 8: 32 / 35); SAY_OPTIONAL 0.7: 36 / 45
# (0.8: 34 / 43). Then samples for later ("... in ten minutes", SAY_WHEN): the full benchmark, clean /
# 24 / 12 / 6 dB of 120 clips each: 83 / 96 / 89 / 59 (learnt from the sentence tests: 88 / 107 / 93 / 69);
# the options of a group that are not other words for the same thing each as often: 82 / 96 / 88 / 54;
# SAMPLE_MASS 30,000: 84 / 96 / 88 / 59. The quick set again (2026-12-07, clean / 12 dB): 33 / 42; the
# shapes of a command each as often (below): 33 / 41, and then the when before a command 6 times likelier
# (SAY_WHEN_BEFORE 0.03, was 0.005, which no voice got right in "at nine pm close the curtains"): 34 / 42.
# Few samples with a large mass make unsampled wordings very unlikely, which is what helps.
SAMPLES_PER_TEMPLATE = 8
DECAY = 0.3
SAY_OPTIONAL = 0.7
DEVICE_POWER = 1.0  # an intent counts (1 + the devices that obey it) ** DEVICE_POWER
SAMPLE_MASS = 10000.0
SAY_SKIP = 0.05  # a skip word before a command, and (again) after one
SAY_WAKE = 0.5  # when listening for a wake word
SAY_WHEN, SAY_WHEN_BEFORE = 0.02, 0.03  # a command for later, the when after it or before it
SEED = 20261205
SETTINGS = [SAMPLES_PER_TEMPLATE, DECAY, SAY_OPTIONAL, DEVICE_POWER, SAMPLE_MASS, SAY_SKIP, SAY_WAKE, SAY_WHEN,
            SAY_WHEN_BEFORE, SEED]  # part of the grammar cache's key


def _holds_slot(expr: Expression) -> bool:
    if isinstance(expr, (ListRef, RuleRef)):
        return True
    if isinstance(expr, (Sequence, Permutation)):
        return any(_holds_slot(i) for i in expr.items)
    if isinstance(expr, Alternative):
        return any(_holds_slot(o) for o in expr.options)
    return False


class _Unsayable(Exception):
    """A template part with nothing the recogniser can hear (a free-text list)."""


def intent_weights(intents: IntentSet, home) -> dict[str, float]:
    """How much each intent's sentences count, from how many devices of the home obey it."""
    names = sorted({block.intent for block in intents.data})
    devices = list(home.devices.values()) if home is not None else []
    return {name: (1 + sum(d.supports(name) for d in devices)) ** DEVICE_POWER for name in names}


def template_samples(grammar: Grammar, lists: dict[str, list[tuple[str, ...]]], weights: dict[str, float],
                     skip_words: list[tuple[str, ...]] = (), wake_word: tuple[str, ...] = (),
                     when: list[tuple[str, str, bool]] = (),
                     per_template: int = SAMPLES_PER_TEMPLATE) -> tuple[list[str], list[float]]:
    """`per_template` sentences of each template of the NLU grammar, with the slot values in `lists`
    (the speech grammar's spoken values), and what each counts: its intent's weight shared out among
    the intent's templates and their samples. Templates that need a list not in `lists` give none.
    Some samples start or end with a skip word ("please"; the first listed most often) or say when
    the command is for (`when`: the schedule word, the kind of its value, whether it may come
    before the command: "in ten minutes"); with a wake word half of them start with it."""
    intents = getattr(grammar, "intents", None)
    if intents is None:
        return [], []
    templates: dict[str, int] = {}
    for block in intents.data:
        templates[block.intent] = templates.get(block.intent, 0) + len(block.expressions)
    # in all, the samples count as much as SAMPLE_MASS sentences (against the smoothing)
    scale = SAMPLE_MASS / sum(weights.get(name, 1.0) for name in templates)
    sentences: list[str] = []
    counts: list[float] = []
    for block in intents.data:
        share = scale * weights.get(block.intent, 1.0) / templates[block.intent] / per_template
        for expression, template in zip(block.expressions, block.sentences):
            # each template its own chances: editing one template leaves the samples of the others alone
            rng = random.Random(f"{SEED}/{block.intent}/{template}")
            for _ in range(per_template):
                words: list[str] = []
                try:
                    _say(expression, intents.rules, lists, rng, words)
                except _Unsayable:
                    break
                if words:
                    words = _for_later(words, when, lists, rng)
                    sentences.append(" ".join(_around(words, skip_words, wake_word, rng)))
                    counts.append(share)
    return sentences, counts


def _for_later(words: list[str], when: list[tuple[str, str, bool]], lists, rng: random.Random) -> list[str]:
    """A command said for later, now and then: "... in ten minutes", "at nine pm ..."."""
    after = [(word, kind) for word, kind, _ in when if lists.get(kind)]
    before = [(word, kind) for word, kind, leads in when if leads and lists.get(kind)]
    if after and rng.random() < SAY_WHEN:
        word, kind = rng.choice(after)
        words = [*words, word, *rng.choice(lists[kind])]
    elif before and rng.random() < SAY_WHEN_BEFORE:
        word, kind = rng.choice(before)
        words = [word, *rng.choice(lists[kind]), *words]
    return words


def _around(words: list[str], skip_words, wake_word: tuple[str, ...], rng: random.Random) -> list[str]:
    """A command with what may come around it: skip words before or after, the wake word first."""
    skips = list(skip_words)
    chances = [DECAY ** i for i in range(len(skips))]
    if skips and rng.random() < SAY_SKIP:
        words = [*rng.choices(skips, chances)[0], *words]
    if skips and rng.random() < SAY_SKIP:
        words = [*words, *rng.choices(skips, chances)[0]]
    if wake_word and rng.random() < SAY_WAKE:
        words = [*wake_word, *words]
    return words


def _say(expr: Expression, rules: dict[str, Expression], lists: dict[str, list[tuple[str, ...]]],
         rng: random.Random, words: list[str]) -> None:
    if isinstance(expr, Word):
        words.append(expr.text)
    elif isinstance(expr, ListRef):
        values = lists.get(expr.list_name)
        if not values:
            raise _Unsayable(expr.list_name)
        words.extend(rng.choice(values))
    elif isinstance(expr, Sequence):
        for item in expr.items:
            _say(item, rules, lists, rng, words)
    elif isinstance(expr, Alternative):
        if expr.options and not (expr.optional and rng.random() >= SAY_OPTIONAL):
            # other words for the same thing: the first listed is the usual one; different shapes of a
            # command ("<device>", "<area_devices>", "<all_devices>"): each as often
            shapes = any(_holds_slot(o) for o in expr.options)
            chances = [1.0 if shapes else DECAY ** i for i in range(len(expr.options))]
            _say(rng.choices(expr.options, chances)[0], rules, lists, rng, words)
    elif isinstance(expr, Permutation):
        for item in rng.sample(expr.items, len(expr.items)):
            _say(item, rules, lists, rng, words)
    elif isinstance(expr, RuleRef):
        _say(rules[expr.name], rules, lists, rng, words)


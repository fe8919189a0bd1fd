"""Commands never flip: a negated command is not the command, and fuzzy matching never reads a word
that reverses or widens a command ("off" for "on", "except", "all") into a sentence that does not say
it. The polarity tables themselves are sentence tests (intents/*/tests/polarity.yaml)."""

from __future__ import annotations

import pytest

from assistant.home.model import load_home
from assistant.understand.engine import Understander
from assistant.language.fuzzy_words import load_fuzzy_words
from assistant.pipeline import load_intent_set
from assistant.act.resolve import home_lists
from assistant.resources import demo_home_path, intents_dir


@pytest.fixture(scope="module")
def understander() -> Understander:
    return Understander(load_intent_set("en"), home_lists(load_home(demo_home_path())))


def test_no_stays_a_negation(understander):
    """YAML 1.1 reads a bare `no` as false; the project's loader keeps it the word "no", so "turn on no
    lights" is not read as "turn on the lights"."""
    assert {"no", "not", "never"} <= load_fuzzy_words(intents_dir("en"))["negations"]
    assert understander.understand("turn on no lights").commands == []
    assert understander.understand("turn on the lights").commands[0].intent == "turn_on"


def invented(understander: Understander, text: str) -> list[tuple[str, str]]:
    """(intent, word) for each reading of `text` that uses a negation, quantifier or opposite the sentence
    does not hold (a known slip, "of" for "off", aside)."""
    lexicon = understander.fuzzy.lexicon
    heard = set(understander.tokens(text))
    result = understander.understand(text)
    return [(c.intent, e["used"]) for c in result.commands + result.ambiguous if c.match == "fuzzy"
            for e in c.explanation["corrections"] if e["used"] in lexicon.guarded and e["used"] not in heard
            and lexicon.slips.get(e["heard"]) != e["used"]]


@pytest.mark.parametrize("text", [
    "switch the lights off kitchen", "turn off the lights the kitchen", "could you switch the lights off the kitchen",
    "uh could you turn on all the lights the kitchen", "switch off every light the kitchen",
])
def test_a_damaged_command_never_gains_except_or_all(understander, text):
    """These once read as "all the lights but the kitchen": the unheard "but" was assumed."""
    result = understander.understand(text)
    for command in result.commands + result.ambiguous:
        assert not {"except_area", "except_name"} & set(command.slots), (text, command.slots)
    assert invented(understander, text) == []


def test_polite_and_noisy_commands_never_gain_a_meaning_word(understander):
    """Every shipped positive sentence said politely, with a hesitation or a word lost (seeded): no fuzzy
    reading assumes or substitutes a negation, a quantifier or an opposite."""
    import random

    from assistant.testing.sentences import find_test_files, load_test_file

    rng = random.Random(13)
    sentences = sorted({item.turns[0][0] for path in find_test_files([intents_dir("en") / "tests"])
                        if not path.name.startswith(("reject", "asr_noise", "polarity"))
                        for item in load_test_file(path).items if item.turns[0][1].intent})
    found = {}
    for sentence in rng.sample(sentences, 250):
        words = rng.choice(["could you", "would you", "um can you", "hey", ""]).split() + sentence.lower().split()
        if len(words) > 3:
            del words[rng.randrange(len(words))]
        words += rng.choice(["please", "for me", "thanks", "would you", ""]).split()
        text = " ".join(words)
        if invented(understander, text):
            found[text] = invented(understander, text)
    assert found == {}


@pytest.mark.long(55)
def test_a_misspelt_opposite_is_never_guessed(understander):
    """ "opne the curtains", "unlck the front door", "clse the curtains": a word that tells a command from its
    opposite (fuzzy/words.yaml opposites) is never guessed from a misspelling, so it can never be the wrong one."""
    from assistant.testing.sentences import find_test_files, load_test_file

    opposites = load_fuzzy_words(intents_dir("en"))["opposites"]
    damaged = set()
    for path in find_test_files([intents_dir("en") / "tests"]):
        if path.name.startswith(("reject", "asr_noise")):
            continue
        for item in load_test_file(path).items:
            words = item.turns[0][0].lower().split()
            for i, word in enumerate(words):
                if word in opposites and len(word) >= 4:
                    for j in range(1, len(word)):
                        damaged.add(" ".join([*words[:i], word[:j] + word[j + 1:], *words[i + 1:]]))
    assert len(damaged) > 300
    guessed = {text: invented(understander, text) for text in sorted(damaged)}
    assert {text: found for text, found in guessed.items() if found} == {}

"""Commands never flip: a negated command is not the command, and fuzzy matching never reads a word
that reverses or widens a command ("off" for "on", "except", "all") into a sentence that does not say
it. The polarity tables themselves are sentence tests (intents/*/tests/polarity.yaml)."""

from __future__ import annotations

import pytest

from assistant.home import load_home
from assistant.nlu.engine import Understander
from assistant.nlu.fuzzy import load_words
from assistant.pipeline import load_intent_set
from assistant.resolve import home_lists
from assistant.resources import demo_home_path, intents_dir


@pytest.fixture(scope="module")
def understander() -> Understander:
    return Understander(load_intent_set("en"), home_lists(load_home(demo_home_path())))


def test_no_stays_a_negation(understander):
    """YAML 1.1 reads a bare `no` as false; the project's loader keeps it the word "no", so "turn on no
    lights" is not read as "turn on the lights"."""
    assert {"no", "not", "never"} <= load_words(intents_dir("en"))["negations"]
    assert understander.understand("turn on no lights").commands == []
    assert understander.understand("turn on the lights").commands[0].intent == "turn_on"

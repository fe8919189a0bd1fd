"""Digits of any script in a command: a digit (str.isdecimal: "٥٠", "５") is read as the number it is;
a numeral that is not a digit ("➎", "²", "½", "Ⅻ") is a word no template knows. Neither ever crashes
`parse`, `say` or `chat`."""

from __future__ import annotations

import re
import unicodedata

import pytest
from fuzzing import fuzz, time_limit
from hypothesis import given
from hypothesis import strategies as st

from assistant.app import build
from assistant.understand.normalize import words_of

NUMERALS = st.characters(categories=["Nd", "No", "Nl"])
COMMANDS = ["set a timer for {} minutes", "set the ceiling light to {} percent", "set an alarm for {} am",
            "set the temperature to {}", "turn on {}", "set a timer for {} minutes and another for {}"]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    assistant = build(state=tmp_path_factory.mktemp("unicode-numbers") / "state.json")
    assistant.parse("set the ceiling light to blah percent")  # builds the fuzzy matcher outside the time limits
    yield assistant
    assistant.close()


@pytest.mark.parametrize("text, value", [("set the ceiling light to ٥٠ percent", 50),
                                         ("set the ceiling light to ５0 percent", 50),
                                         ("set the ceiling light to ۴۰ percent", 40),
                                         ("set the temperature to २१", 21)])
def test_digits_of_other_scripts_are_numbers(assistant, text, value):
    [command] = assistant.parse(text)
    assert command.slots["value"] == value


@pytest.mark.parametrize("text", ["set a timer for ➎ minutes", "set the ceiling light to 5² percent",
                                  "set the ceiling light to ➎0 percent", "set an alarm for ➐ am",
                                  "set a timer for ½ hour", "set the temperature to Ⅻ"])
def test_numerals_that_are_not_digits_are_not_numbers(assistant, text):
    """"5²" is not 52 and "➎0" is not 50: nothing is set to a number the sentence did not say."""
    assert assistant.parse(text) == []


@pytest.mark.long(40)
@fuzz(200)
@given(template=st.sampled_from(COMMANDS), numerals=st.lists(st.text(NUMERALS, min_size=1, max_size=4), min_size=2,
                                                             max_size=2))
def test_any_numeral_in_a_command_is_read_or_refused(assistant, template, numerals):
    text = template.format(*numerals)
    with time_limit(5, f"parsing {text!r}"):
        commands = assistant.parse(text)
        assistant.handle(text)
    tokens = words_of(text)
    assert all(t.isascii() or not t.isdecimal() for t in tokens), tokens
    # a value is one run of digits the sentence holds ("101²" may be 101, a word skipped; never 1012)
    runs = re.findall(r"\d+", "".join(str(unicodedata.decimal(c)) if c.isdecimal() else " " for c in numerals[0]))
    for command in commands:
        value = command.slots.get("value")
        if value is not None and template.endswith("percent"):
            assert str(value) in {str(int(run)) for run in runs}, (text, value)


def test_say_and_chat_with_unusual_numerals(cli):
    result = cli("say", "set a timer for ➎ minutes")
    assert (result.code, result.out.strip()) == (1, "Sorry, I didn't catch that.")
    assert "Traceback" not in result.err
    result = cli("chat", input="set a timer for ➎ minutes\nset the ceiling light to ٥٠ percent\nexit\n")
    assert result.code == 0 and "Traceback" not in result.err
    assert "Set the ceiling light to 50 percent." in result.out

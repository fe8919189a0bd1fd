"""Fuzzing the intent engine on the demo home: any text gets a result or a clear error, never a crash or hang."""

from __future__ import annotations

import json

import pytest
from fuzzing import NASTY_WORDS, any_char, any_text, fuzz, time_limit
from hypothesis import given
from hypothesis import strategies as st

from assistant.errors import AssistantError
from assistant.home.model import load_home
from assistant.app import build
from assistant.act.resolve import home_lists


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    assistant = build(state=tmp_path_factory.mktemp("fuzz-engine") / "state.json")
    yield assistant
    assistant.close()


def vocabulary() -> list[str]:
    """Words the engine knows (template words, device and room names), to get past the first state."""
    home = load_home()
    words = set()
    for slot_list in home_lists(home).values():
        for phrase, _ in slot_list.values:
            words.add(" ".join(phrase))
    words |= {"turn", "on", "off", "switch", "is", "the", "what", "lights", "light", "in", "kitchen", "set", "to",
              "percent", "degrees", "lock", "unlock", "open", "close", "timer", "minutes", "brightness"}
    return sorted(words)


WORDS = vocabulary()
near_sentences = st.lists(st.sampled_from(WORDS + NASTY_WORDS) | st.text(any_char, max_size=8), max_size=40).map(
    " ".join
)
texts = st.one_of(
    any_text,
    near_sentences,
    st.text(st.sampled_from("!?.,;:-_()[]{}<>|'\"`~@#$%^&*+=/\\ \t\n"), max_size=200),  # only punctuation
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=100),  # invisible things
)


def check_commands(commands) -> None:
    for command in commands:
        json.dumps(command.to_json())  # the CLI prints this; it must be plain JSON data
        assert 0.0 <= command.confidence <= 1.0


@pytest.mark.long(45)
@fuzz(300)
@given(text=texts)
def test_understand_never_crashes(assistant, text):
    with time_limit(5, f"understanding {text[:80]!r}"):
        understanding = assistant.planner.understander.understand(text)
    check_commands(understanding.commands)


@pytest.mark.long(20)
@fuzz(200)
@given(text=texts)
def test_parse_resolves_without_crashing(assistant, text):
    with time_limit(5, f"parsing {text[:80]!r}"):
        commands = assistant.parse(text)
    check_commands(commands)


@fuzz(200)
@given(text=texts)
def test_handle_replies_or_fails_clearly(assistant, text):
    with time_limit(5, f"handling {text[:80]!r}"):
        try:
            turn = assistant.handle(text)
        except AssistantError as exc:
            assert str(exc)
            return
    assert isinstance(turn.reply, str) and turn.reply.strip()
    json.dumps(turn.to_json())
    json.loads(assistant.store.path.read_text()) if assistant.store.path.exists() else None


# Times as a recogniser writes them, and words that come around a time in speech.
SPOKEN_TIMES = ["5 30", "05:30", "five thirty", "oh five", "o five", "05", "five oh five", "twelve oh one", "seven oh one pm",
                "midday", "midnight", "half past five", "quarter to six", "6 am", "six", "17:45", "0 5", "noon"]
AROUND_A_TIME = ["the {} alarm at {}", "my {} alarm for {}", "set an alarm for {} at {}", "wake me at {} {}",
                 "wake me at {} at {}", "at {} set an alarm for {}", "set a {} alarm for {} please",
                 "turn on the floor lamp at {} and at {}", "in {} minutes wake me at {}", "cancel the {} alarm at {}"]


@pytest.mark.long(20)
@fuzz(80)
@given(template=st.sampled_from(AROUND_A_TIME), first=st.sampled_from(SPOKEN_TIMES), second=st.sampled_from(SPOKEN_TIMES))
def test_a_time_said_twice_is_never_a_list_of_times(assistant, template, first, second):
    """ "my five thirty alarm at six" filled the alarm's time twice: the list's text "['05:30', '06:00']" reached
    the clock and the utterance crashed (with it a whole `assistant run` batch of recordings)."""
    text = template.format(first, second)
    with time_limit(5, f"handling {text!r}"):
        commands = assistant.parse(text)
        turn = assistant.handle(text)
    for command in [*commands, *turn.commands]:
        assert not any(isinstance(command.slots.get(slot), list) for slot in ("time", "at", "delay", "duration")), command
    assert turn.reply


@pytest.mark.parametrize(
    "text",
    [
        "",
        " " * 100_000,
        "x" * 100_000,
        "turn on the tv " * 7_000,  # about 100 kB of words
        " and ".join(["turn on the floor lamp"] * 1_000),  # a thousand commands in one breath
        " and ".join(["turn on the floor lamp"] * 300) + " and blah",
        "and " * 20_000,
        "1e308 " * 10_000,
        "9" * 100_000,
        "\x00" * 10_000,
        "\ud800\udfff" * 1000,
        "Turn ON the ﬂoor lamp in the Kitchen 💡 ٣ ⁴ ½ 二十",
    ],
    ids=["empty", "spaces", "one-huge-word", "100kB-words", "1000-commands", "300-commands-then-junk", "ands",
         "huge-numbers", "huge-digit-run", "nul-bytes", "surrogates", "mixed-scripts"],
)
def test_adversarial_text(assistant, text):
    with time_limit(10, "an adversarial text"):
        commands = assistant.parse(text)
        turn = assistant.handle(text)
    check_commands(commands)
    assert turn.reply


def test_a_long_chain_of_commands_is_refused_not_crashed(assistant):
    """More words than any spoken command: refused as too long (rather than a RecursionError or a long stall)."""
    turn = assistant.handle(" and ".join(["turn on the floor lamp"] * 1_000))
    assert turn.commands == [] and turn.reply == "That's too long for one command; say one or two things at a time."
    assert len(assistant.parse(" and ".join(["turn on the floor lamp"] * 3))) == 3

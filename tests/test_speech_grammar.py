"""The speech grammar read off the compiled templates and the live home."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app import build
from assistant.speech.grammar import build_speech_grammar, speech_grammar_for


@pytest.fixture(scope="module")
def demo():
    return build()


def test_grammar_says_exactly_what_the_assistant_understands(demo):
    speech = speech_grammar_for(demo, wake_word="computer")
    for sentence in ("turn on the floor lamp", "switch off the lights in the kitchen", "is the front door locked",
                     "please turn the reading lamp off", "computer turn on the tv", "computer"):
        assert speech.accepts(sentence), sentence
    for sentence in ("turn on the toaster", "what is the weather like", "turn the floor on", "computer computer"):
        assert not speech.accepts(sentence), sentence
    fsg = speech.fsg_text().splitlines()  # what pocketsphinx reads: every word of the grammar, and nothing else
    assert fsg[0].startswith("FSG_BEGIN") and fsg[-1] == "FSG_END"
    said = {word for line in fsg if line.startswith("TRANSITION") and len(line.split()) == 5
            for word in line.split()[4].split("_")}  # several-word slot values are compound words
    assert said == speech.words() and "toaster" not in said


def test_vosk_phrases_cover_every_word_pair(demo):
    speech = speech_grammar_for(demo)
    phrases = speech.phrases()
    assert all(speech.accepts(p) for p in phrases[:500])
    words = {w for p in phrases for w in p.split()}
    assert words == speech.words()
    pairs = {pair for p in phrases for pair in zip(p.split(), p.split()[1:])}
    for sentence in ("please turn off the kitchen lights", "set the bedroom air conditioner to twenty two degrees"):
        assert speech.accepts(sentence)
        assert set(zip(sentence.split(), sentence.split()[1:])) <= pairs, sentence


def test_number_ranges_are_spoken_as_words_and_custom_intents_join(tmp_path):
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "brightness.yaml").write_text(
        "language: en\n"
        "intents:\n"
        "  set_brightness:\n"
        "    data:\n"
        "      - sentences: ['set <target> to {brightness:value} percent']\n"
        "  movie_night:\n"
        "    data:\n"
        "      - sentences: ['it is movie night']\n"
        "lists:\n"
        "  brightness: {range: {from: 0, to: 100}}\n")
    assistant = build(intents=[custom])
    speech = speech_grammar_for(assistant)
    assert speech.accepts("set the floor lamp to twenty two percent")
    assert speech.accepts("set the floor lamp to one hundred percent")
    assert not speech.accepts("set the floor lamp to one hundred and one percent")
    assert speech.accepts("it is movie night")


def test_grammar_is_rebuilt_when_the_home_changes_and_cached_otherwise(tmp_path, demo):
    cache = tmp_path / "cache"
    first = speech_grammar_for(demo, cache=cache)
    assert len(list(cache.glob("grammar-*.json"))) == 1
    again = speech_grammar_for(demo, cache=cache)
    assert again.key == first.key and again.transitions == first.transitions
    home = tmp_path / "home.yaml"
    home.write_text(Path(demo.home.path or __import__("assistant.resources", fromlist=["x"]).demo_home_path()).read_text()
                    .replace("{id: kettle, name: Kettle,", "{id: kettle, name: Kettle, aliases: [tea maker],"))
    changed = build(home=home)
    rebuilt = speech_grammar_for(changed, cache=cache)
    assert rebuilt.key != first.key
    assert rebuilt.accepts("turn on the tea maker") and not first.accepts("turn on the tea maker")
    assert len(list(cache.glob("grammar-*.json"))) == 2


def test_common_ways_of_saying_a_command_are_likelier(demo):
    """The FSG's moves are weighted by samples of the templates themselves (the first-listed wording
    most often) and the home (an intent many devices obey most often): the usual phrasing of a
    command must be far likelier than a rare one, which stays possible."""
    speech = speech_grammar_for(demo)
    chances = speech._chances()

    def likelihood(sentence: str) -> float:
        path = speech._path(sentence.split())
        assert path is not None, sentence
        p = 1.0
        for arc in path:
            p *= chances[arc]
        return p

    assert likelihood("turn off the floor lamp") > 100 * likelihood("kindly kill those floor lamp")
    assert likelihood("is the front door locked") > 10 * likelihood("are those front door locked")


def test_durations_and_colours_can_be_said(demo):
    speech = speech_grammar_for(demo)
    for sentence in ("set a timer for five minutes", "set a timer for one minute", "set a timer for half an hour",
                     "make the ceiling light red", "set the bedside lamp to blue"):
        assert speech.accepts(sentence), sentence
        assert demo.parse(sentence), sentence
    assert not speech.accepts("set a timer for one minutes")


def test_the_speech_grammar_is_made_without_the_sentence_tests_or_the_cli():
    """speech/ imports neither the sentence-test runner nor the CLI: the grammar comes from the
    templates and the home, and the speech tests are not scored on what trained it."""
    import ast

    folder = Path(__file__).resolve().parent.parent / "assistant" / "speech"
    imported = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name) for alias in node.names)
    walls = [(name, module) for name, module in imported
             if module.startswith(("assistant.testing", "assistant.cli"))]
    assert not walls


COFFEE = Path(__file__).parent / "data" / "coffee"


def test_a_home_is_listened_for_only_with_what_it_can_do(demo, tmp_path):
    """A coffee order in a kitchen without devices was heard as home commands ('economy' set a mode):
    the speech grammar holds the home's own sentences, the core (time, timers, help, cancel) and a
    built-in command only when a device of the home obeys it."""
    coffee = build(home=COFFEE / "home.yaml", intents=[COFFEE / "intents"], state=tmp_path / "state.json")
    speech = speech_grammar_for(coffee)
    for sentence in ("can i have a large oat latte", "add two sugars", "two double espressos", "what time is it", "set a timer for five minutes",
                     "cancel", "help"):
        assert speech.accepts(sentence), sentence
    for sentence in ("turn on the light", "start a quick wash", "economy", "lock the door", "and the kitchen too",
                     "at five can i have a large oat latte", "a large latte in ten minutes"):  # orders are not kept for later
        assert not speech.accepts(sentence), sentence
    assert {"wash", "lamp", "economy", "channel", "volume"}.isdisjoint(speech.words())
    full = speech_grammar_for(demo)
    assert full.accepts("start a quick wash") and full.accepts("turn on the floor lamp")


def test_a_light_without_colour_brings_no_colour_sentences(tmp_path):
    home = tmp_path / "home.yaml"
    home.write_text("rooms: [{id: hall, name: hall}]\n"
                    "devices:\n"
                    "  - {id: hall_light, name: hall light, type: light, room: hall}\n")
    speech = speech_grammar_for(build(home=home, state=tmp_path / "state.json"))
    assert speech.accepts("turn on the hall light") and speech.accepts("dim the hall light to fifty percent")
    assert not speech.accepts("make the hall light red") and "purple" not in speech.words()


def test_the_grammar_command_says_what_is_listened_for_and_how_big(cli):
    coffee = ("--home", str(COFFEE / "home.yaml"), "--intents", str(COFFEE / "intents"))
    shown = cli("grammar", *coffee)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert any(line.strip().startswith("your own intents:") and "order_coffee" in line for line in lines)
    assert any(line.strip().startswith("built-in intents:") and "start_timer" in line and "turn_on" not in line
               for line in lines)
    assert any(line.strip().startswith("left out") and "turn_on" in line for line in lines)
    listed = cli("grammar", "--json", "--words", *coffee).json()
    only = cli("grammar", "--json", "--words", *coffee, "--no-builtin").json()
    assert only["built_in"] == {} and set(only["own"]) == set(listed["own"])
    assert "latte" in only["words"] and "timer" in listed["words"] and "timer" not in only["words"]
    assert only["size"]["fsg_bytes"] < listed["size"]["fsg_bytes"] and only["size"]["words"] == len(only["words"])


def test_contractions_can_be_heard_as_people_say_them(demo):
    """The templates are read in full ("what is"); people mostly say "what's", and a recogniser that
    can only hear "what is" must force one onto the other."""
    speech = speech_grammar_for(demo)
    for sentence in ("what's the temperature in the kitchen", "what is the temperature in the kitchen", "what's the time"):
        assert speech.accepts(sentence), sentence
    assert not speech.accepts("what's turn on the floor lamp")
    assert demo.parse("what's the time")[0].intent == "get_time"

"""Times of day and commands for later in the speech grammar: what can be said is what the NLU reads."""

from __future__ import annotations

import pytest
from audio_fixtures import speak_to_wav, voices_available  # noqa: F401

from assistant.app import build
from assistant.speech import grammar as speech_grammar
from assistant.speech.grammar import build_speech_grammar, kind_values, speech_grammar_for


PM = ("pm", "afternoon", "evening", "tonight")


@pytest.fixture(scope="module")
def demo():
    return build()


def test_every_spoken_time_sets_an_alarm(demo):
    """Each time of day the recogniser may hear parses, in an alarm, to that time."""
    said = [" ".join(value) for value in kind_values("time", "en")]
    assert 100 < len(said) < 2000  # finite and moderate: each one is a word in pocketsphinx's dictionary
    unread, wrong = [], []
    for value in said:
        commands = demo.parse(f"wake me up at {value}")
        if [(c.intent, c.slots.get("alarm"), bool(c.slots.get("time"))) for c in commands] != [("start_timer", True, True)]:
            unread.append(value)
            continue
        clock = commands[0].slots["time"]
        after_midnight = value.endswith(("tonight", "at night")) and clock < "01:00"  # "half past twelve tonight"
        if value.endswith(("am", "morning")) and clock >= "12:00" or value.endswith(PM) and clock < "12:00" and not after_midnight:
            wrong.append((value, clock))
    assert not unread
    assert not wrong  # said in the morning, read in the afternoon or the other way round


@pytest.mark.parametrize("said, clock", [
    ("six thirty am", "06:30"), ("seven forty five pm", "19:45"), ("twelve oh five am", "00:05"),
    ("nine oclock in the evening", "21:00"), ("half past seven in the morning", "07:30"),
    ("a quarter to eleven pm", "22:45"), ("quarter past three in the afternoon", "15:15"),
    ("quarter to one pm", "12:45"), ("a quarter to one am", "00:45"), ("two fifteen pm", "14:15"),
    ("midnight", "00:00"), ("noon", "12:00"), ("twelve fifteen tonight", "00:15"), ("quarter to one tonight", "00:45"),
])
def test_spoken_times_read_as_the_right_clock_time(demo, said, clock):
    assert said in {" ".join(v) for v in kind_values("time", "en")}
    [command] = demo.parse(f"wake me up at {said}")
    assert command.slots["time"] == clock


def test_alarms_and_commands_for_later_can_be_said(demo):
    speech = speech_grammar_for(demo)
    for sentence, when in [("wake me up at seven thirty", {"time"}), ("set an alarm for six am", {"time"}),
                           ("turn off the kitchen light in ten minutes", {"delay"}),
                           ("in ten minutes turn off the kitchen light", {"delay"}),
                           ("turn off the kitchen light after five minutes", {"delay"}),
                           ("at nine pm close the curtains", {"at"}),
                           ("please close the curtains at half past nine in the evening", {"at"}),
                           ("turn on the fan for twenty minutes", {"lasting"})]:
        assert speech.accepts(sentence), sentence
        [command] = demo.parse(sentence)
        assert when <= set(command.slots), sentence
    assert not speech.accepts("turn off the kitchen light in ten")
    assert not speech.accepts("turn off the kitchen light at ten minutes")
    assert not speech.accepts("for twenty minutes turn on the fan")  # the NLU reads it, but nobody says it


def test_when_is_one_shared_sub_graph_and_stays_unlikely(demo, monkeypatch):
    """The wrappers add a few states (not a copy per command end: every FSG state costs pocketsphinx
    time per frame), and a command said without one stays far likelier than with one."""
    speech = speech_grammar_for(demo)
    understander = demo.planner.understander
    monkeypatch.setattr(speech_grammar, "SCHEDULE_WORDS", {})
    without = build_speech_grammar(understander.grammar, understander.index.lists, "en", demo.intents.skip_words)
    assert 0 < speech.states - without.states <= 8
    chances = speech._chances()

    def likelihood(sentence: str) -> float:
        p = 1.0
        for arc in speech._path(sentence.split()):
            p *= chances[arc]
        return p

    assert likelihood("turn off the floor lamp") > 50 * likelihood("turn off the floor lamp in ten minutes")
    assert likelihood("turn off the floor lamp") > 50 * likelihood("turn off the floor lamp at nine pm")
    assert likelihood("close the curtains") > 50 * likelihood("at nine pm close the curtains")


def test_pocketsphinx_can_say_every_time_word(demo):
    from conftest import need

    try:
        from assistant.speech.sphinx_engine import SphinxEngine
        engine = SphinxEngine(speech_grammar_for(demo))
    except Exception as exc:  # pocketsphinx missing or broken
        need(False, f"pocketsphinx: {exc}")
    said = {word for value in kind_values("time", "en") + kind_values("duration", "en") for word in value}
    assert not said & engine.skipped_words
    assert not engine.skipped_words  # nothing of the demo home is unsayable ("hdmi 1" is said "hdmi one")
    assert engine.grammar.accepts("switch the tv to hdmi one")


def _local(hour: int, minute: int = 0) -> str:
    """ASSISTANT_NOW for today at this local time: "seven thirty" then means a definite clock time."""
    import datetime as dt

    return str(dt.datetime.combine(dt.date(2025, 3, 12), dt.time(hour, minute)).timestamp())


def test_alarms_and_commands_for_later_are_heard(cli, state_file, tmp_path, voices_available):
    """Real espeak-ng speech through `assistant run` with the built-in pocketsphinx engine: an alarm
    is set, and commands for later (the when before or after the command) are scheduled, said so,
    and change nothing yet. One run: the recogniser adapts to the voices as it goes, as when listening."""
    evening = {"ASSISTANT_NOW": _local(22)}
    assert cli("say", "turn on the kitchen light", env=evening).code == 0
    said = [("wake me up at seven thirty", "en-gb-x-rp", 150, 50),
            ("turn off the kitchen light in ten minutes", "en-gb", 170, 45),
            ("close the curtains at nine pm", "en-us", 160, 50),
            ("in ten minutes turn off the kitchen light", "en-us", 160, 50),
            ("at nine p m close the curtains", "en-us+f2", 150, 70)]
    clips = [str(speak_to_wav(text, tmp_path / f"{i}.wav", voice, rate, pitch)) for i, (text, voice, rate, pitch) in enumerate(said)]
    result = cli("run", "--json", *clips, env=evening)
    assert result.code == 0, result.err
    alarm, *later = result.json_lines()
    assert [(c["intent"], c["slots"].get("time")) for c in alarm["commands"]] == [("start_timer", "07:30")]
    assert alarm["reply"].startswith("Alarm set for 7:30 AM")
    light = ("turn_off", ["kitchen_light"], {"delay": 600})
    curtains = ("close", ["living_room_curtains"], {"at": "21:00"})
    when = {"delay", "at", "lasting"}
    assert [[(c["intent"], c["targets"], {k: v for k, v in c["slots"].items() if k in when}) for c in turn["commands"]]
            for turn in later] == [[light], [curtains], [light], [curtains]]
    assert [turn["reply"] for turn in later] == ["OK, in 10 minutes I'll turn off the kitchen light.",
                                                 "OK, at 9 PM I'll close the curtains."] * 2
    assert all(turn["changes"] == [] for turn in later)
    devices = {d["id"]: d["state"] for d in cli("devices", "--json", env=evening).json()}
    assert devices["kitchen_light"]["power"] is True  # not yet
    scheduled = cli("say", "what is scheduled", env=evening).out
    assert "turn off the kitchen light" in scheduled and "close the curtains" in scheduled

"""What the engine tries, in which order: real intents by rules, then fuzzily, then the `_` fallbacks;
skip words that are the sentence itself; "and then"; and near-equal readings asked about, through the
command line."""

from __future__ import annotations

from pathlib import Path

import pytest

AMBIGUOUS_HOME = (Path(__file__).parent / "data" / "near_names_home.yaml").read_text()


def _power(cli, home) -> dict:
    return {d["id"]: d["state"]["power"] for d in cli("devices", "--json", "--home", str(home)).json()}


def test_unknown_device_is_said_but_never_a_command(cli, state_file):
    result = cli("say", "turn on the toaster")
    assert (result.code, result.out.strip()) == (1, "I don't know a device called toaster.")
    assert cli("parse", "--json", "turn on the toaster").json()["commands"] == []
    assert not state_file.exists()


def test_misheard_name_beats_the_unknown_device_fallback(cli):
    result = cli("say", "turn on thee floor lamp")
    assert result.out.strip() == "Turned on the floor lamp."
    [command] = cli("parse", "--json", "is the front dor locked").json()["commands"]
    assert (command["intent"], command["targets"], command["match"]) == ("get_state", ["front_door"], "fuzzy")


@pytest.mark.parametrize("text", ["what can you do", "what else can you do", "can you tell me what you can do"])
def test_skip_words_do_not_destroy_a_sentence(cli, text):
    [command] = cli("parse", "--json", text).json()["commands"]
    assert command["intent"] == "help"


def test_and_then_splits_into_two_commands(cli):
    commands = cli("parse", "--json", "turn off the tv and then close the curtains").json()["commands"]
    assert [(c["intent"], c["targets"]) for c in commands] == [
        ("turn_off", ["living_room_tv"]), ("close", ["living_room_curtains"])]


@pytest.mark.parametrize("answer, chosen", [("yes", "desk_lamp"), ("the second one", "dusk_lamp"),
                                            ("the dusk lamp", "dusk_lamp"), ("desk", "desk_lamp")])
def test_near_equal_readings_are_asked_about_and_answered(cli, tmp_path, answer, chosen):
    home = tmp_path / "home.yaml"
    home.write_text(AMBIGUOUS_HOME)
    asked = cli("say", "--home", str(home), "turn on the dask lamp")
    assert (asked.code, asked.out.strip()) == (0, "Did you mean turn on the desk lamp or turn on the dusk lamp?")
    assert _power(cli, home) == {"desk_lamp": False, "dusk_lamp": False}
    done = cli("say", "--home", str(home), answer)
    assert done.code == 0 and done.out.strip() == f"Turned on the {chosen.replace('_', ' ')}."
    assert _power(cli, home) == {"desk_lamp": chosen == "desk_lamp", "dusk_lamp": chosen == "dusk_lamp"}


def test_a_question_in_chat_can_be_cancelled(cli, tmp_path):
    home = tmp_path / "home.yaml"
    home.write_text(AMBIGUOUS_HOME)
    result = cli("chat", "--home", str(home), input="turn on the dask lamp\nnever mind\nexit\n")
    assert "Did you mean turn on the desk lamp or turn on the dusk lamp?" in result.out
    assert _power(cli, home) == {"desk_lamp": False, "dusk_lamp": False}

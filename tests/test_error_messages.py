"""Every error path a user can hit gives one exact line on stderr, the documented exit code, no traceback.

Exit codes (assistant/errors.py): 1 not understood, 2 home or intent file, 3 state file, 4 no device did
what was asked (offline, a value out of range), 2 usage.
"""

from __future__ import annotations

from pathlib import Path

import pytest

KNOWN_TYPES = ("air_purifier, climate, cover, fan, fridge, kettle, light, lock, rice_cooker, sensor, speaker, "
               "switch, tv, vacuum, valve, washer, water_heater")


def one_error_line(result) -> str:
    assert "Traceback" not in result.err, result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    return lines[0]


def test_home_yaml_syntax_error_names_the_line(cli, tmp_path):
    home = tmp_path / "home.yaml"
    home.write_text("rooms:\n  - {id: kitchen\ndevices: []\n")
    result = cli("say", "turn on the light", "--home", str(home))
    assert result.code == 2
    assert one_error_line(result) == f"error: home file {home}:3: malformed YAML: expected ',' or '}}', but got ':'"
    assert result.out == ""


def test_unknown_device_type(cli, tmp_path):
    home = tmp_path / "home.yaml"
    home.write_text("rooms:\n  - {id: kitchen}\ndevices:\n  - {id: toaster, type: toaster, room: kitchen}\n")
    result = cli("devices", "--home", str(home))
    assert result.code == 2
    assert one_error_line(result) == (
        f"error: home file {home}:4: devices[0] (toaster).type: unknown device type 'toaster' (known: {KNOWN_TYPES})"
    )


def test_home_of_the_wrong_shape(cli, tmp_path):
    home = tmp_path / "home.yaml"
    home.write_text("- just\n- a list\n")
    result = cli("say", "turn on the light", "--home", str(home))
    assert result.code == 2
    assert one_error_line(result) == f"error: home file {home}:1: home: expected a mapping, got a list"


def test_unknown_room_option(cli):
    result = cli("say", "turn on the lights", "--room", "attic")
    assert result.code == 2
    assert one_error_line(result) == (
        "error: unknown room 'attic' (rooms: bathroom, bedroom, entrance, garage, hallway, kitchen, living_room, study)"
    )


def test_missing_home_file(cli, tmp_path):
    missing = tmp_path / "nowhere.yaml"
    result = cli("say", "turn on the light", "--home", str(missing))
    assert result.code == 2
    assert one_error_line(result) == f"error: home file {missing}: file not found"


def test_missing_home_file_from_the_environment(cli, tmp_path):
    missing = tmp_path / "nowhere.yaml"
    result = cli("devices", env={"ASSISTANT_HOME": str(missing)})
    assert result.code == 2
    assert one_error_line(result) == f"error: home file {missing}: file not found"


def test_home_file_that_is_not_text(cli, tmp_path):
    home = tmp_path / "home.yaml"
    home.write_bytes(b"\xff\xfe\x00garbage")
    result = cli("devices", "--home", str(home))
    assert result.code == 2
    assert one_error_line(result) == f"error: home file {home}: not a UTF-8 text file"


def test_state_file_that_is_a_directory(cli, tmp_path):
    state = tmp_path / "state.json"
    state.mkdir()
    result = cli("say", "turn on the tv", "--state", str(state))
    assert result.code == 3
    assert one_error_line(result) == f"error: state file {state} is a directory; choose a file with --state or ASSISTANT_STATE"


def test_unreadable_state_path(cli, tmp_path):
    """A state path under a plain file cannot be read or written, even by root."""
    blocker = tmp_path / "afile"
    blocker.write_text("")
    state = blocker / "state.json"
    result = cli("say", "turn on the tv", "--state", str(state))
    assert result.code == 3
    assert one_error_line(result) == f"error: cannot write state file {state}: {blocker} is a file, not a directory (choose another with --state or ASSISTANT_STATE)"


def test_missing_intents_directory(cli, tmp_path):
    missing = tmp_path / "my-intents"
    result = cli("say", "turn on the tv", "--intents", str(missing))
    assert result.code == 2
    assert one_error_line(result) == f"error: intents directory {missing} does not exist"


@pytest.mark.parametrize("as_file", [False, True])
def test_broken_template_in_intents(cli, tmp_path, as_file):
    directory = tmp_path / "my-intents"
    directory.mkdir()
    path = directory / "coffee.yaml"
    path.write_text("intents:\n  make_coffee:\n    data:\n      - sentences: [\"(make|brew coffee\"]\n")
    result = cli("say", "turn on the tv", "--intents", str(path if as_file else directory))
    assert result.code == 2
    assert one_error_line(result) == f"error: {path}:4: missing ')' at character 18 of template '(make|brew coffee'"


def test_broken_yaml_in_intents(cli, tmp_path):
    path = tmp_path / "coffee.yaml"
    path.write_text("intents:\n  make_coffee: [\n")
    result = cli("parse", "turn on the tv", "--intents", str(path))
    assert result.code == 2
    assert one_error_line(result).startswith(f"error: intent file {path}:3: malformed YAML: ")


def test_intents_of_the_wrong_shape(cli, tmp_path):
    path = tmp_path / "coffee.yaml"
    path.write_text("intents:\n  make_coffee: brew it\n")
    result = cli("parse", "turn on the tv", "--intents", str(path))
    assert result.code == 2
    assert one_error_line(result) == f"error: {path}:2: intent 'make_coffee' needs 'data: [{{sentences: [...]}}]'"


def test_intents_rule_that_refers_to_itself(cli, tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("expansion_rules:\n  loop: \"a <loop>\"\nintents:\n  x:\n    data:\n      - sentences: [\"<loop>\"]\n")
    result = cli("parse", "a a", "--intents", str(path))
    assert result.code == 2
    assert one_error_line(result) == "error: expansion rule <loop> refers to itself"


def test_unknown_command_option_is_a_usage_error(cli):
    result = cli("say", "--bogus", "turn on the tv")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "No such option: --bogus" in result.err
    assert "Usage: assistant say" in result.err


def test_unknown_command_is_a_usage_error(cli):
    result = cli("shout", "hello")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "No such command 'shout'" in result.err


def test_not_understood_is_exit_1_with_a_reply(cli):
    result = cli("say", "what is the meaning of life")
    assert result.code == 1
    assert result.out.strip() == "Sorry, I didn't catch that."
    assert result.err == ""



def test_text_too_long_for_a_command_is_refused_at_once(cli):
    """A megabyte on one line (a file piped in by mistake) took seconds to be read word by word; it is
    refused unread with one line, and the lines around it are still understood."""
    flood = "turn on the lamp " * 60000
    piped = cli("parse", "--json", input=f"turn on the floor lamp\n{flood}\nwhat time is it\n")
    assert piped.code == 1
    assert piped.err.strip() == ("assistant: line 2 is too long for a command (1,020,000 characters, 100+ words; "
                                 "at most 1,000 and 100): not read")
    first, long, last = piped.json_lines()
    assert first["commands"][0]["targets"] == ["floor_lamp"] and last["commands"][0]["intent"] == "get_time"
    assert long["commands"] == []
    said = cli("say", "please " * 120 + "turn on the floor lamp")
    assert said.code == 1
    assert said.out.strip() == "That's too long for one command; say one or two things at a time."

"""Error paths through the command line: a bad home file, an unusable state file (see also
test_state_files.py).
Each is one line on stderr and a non-zero exit, never a traceback, and no data is lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

UNKNOWN_TYPE = "rooms: [{id: lounge}]\ndevices:\n  - {id: lamp, type: lamp, room: lounge}\n"


def one_error_line(result) -> str:
    assert "Traceback" not in result.err, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert result.out == ""
    return lines[0]


@pytest.mark.parametrize("command", [["say", "turn on the lamp"], ["devices"], ["devices", "--json"],
                                     ["parse", "turn on the lamp"], ["chat"]])
def test_a_bad_home_file_stops_every_command_with_one_line(cli, tmp_path: Path, command):
    home = tmp_path / "bad.yaml"
    home.write_text(UNKNOWN_TYPE)
    result = cli(*command, "--home", str(home), input="")
    assert result.code == 2
    problem = (
        f"home file {home}:3: devices[0] (lamp).type: unknown device type 'lamp' (known: air_purifier, "
        "climate, cover, fan, fridge, kettle, light, lock, rice_cooker, sensor, speaker, switch, tv, vacuum, valve, "
        "washer, water_heater)")
    if command == ["chat"]:  # chat answers as the assistant would, in one line, and leaves
        assert "Traceback" not in result.err
        assert result.out.strip() == f"Sorry, {problem}."
    else:
        assert one_error_line(result) == f"error: {problem}"


def test_malformed_yaml_and_missing_home_through_the_environment(cli, tmp_path: Path):
    home = tmp_path / "bad.yaml"
    home.write_text("devices:\n  - {id: lamp, type: light\n")
    result = cli("devices", env={"ASSISTANT_HOME": str(home)})
    assert result.code == 2
    assert one_error_line(result) == f"error: home file {home}:3: malformed YAML: expected ',' or '}}', but got '<stream end>'"
    result = cli("say", "turn on the lamp", "--home", str(tmp_path / "nope.yaml"))
    assert (result.code, one_error_line(result)) == (2, f"error: home file {tmp_path}/nope.yaml: file not found")


def test_a_home_file_that_is_a_device_a_fifo_or_huge_is_refused_at_once(cli, tmp_path: Path):
    """/dev/zero once ran out of memory and a FIFO hung: neither is read."""
    fifo = tmp_path / "home.fifo"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.yaml"
    huge.write_text("# padding\n" * 1_100_000)  # 11 MB of comments: valid YAML, but no home is that big
    for path, problem in (("/dev/zero", "is a character device, not a file"), (fifo, "is a FIFO, not a file"),
                          (huge, "too large: more than 10 MB")):
        result = cli("say", "turn on the lamp", "--home", str(path), timeout=30)
        assert (result.code, one_error_line(result)) == (2, f"error: home file {path}: {problem}")


def test_unknown_room_option(cli_process):
    result = cli_process("say", "turn on the lights", "--room", "attic")
    assert result.code == 2
    assert one_error_line(result) == ("error: unknown room 'attic' (rooms: bathroom, bedroom, entrance, garage, "
                                      "hallway, kitchen, living_room, study)")


@pytest.mark.parametrize("command", [["say", "turn on the floor lamp"], ["devices", "--json"], ["devices"]])
def test_a_state_path_under_a_file(cli, tmp_path: Path, command):
    blocker = tmp_path / "blocker"
    blocker.write_text("keep me")
    result = cli(*command, "--state", str(blocker / "state.json"))
    assert result.code == 3
    assert one_error_line(result) == (
        f"error: cannot write state file {blocker}/state.json: {blocker} is a file, not a directory "
        "(choose another with --state or ASSISTANT_STATE)")
    assert blocker.read_text() == "keep me"


@pytest.mark.parametrize("command", [["say", "turn on the floor lamp"], ["devices", "--json"]])
def test_a_state_directory_nobody_may_write(cli, command):
    """/sys refuses new files even to root, so this holds whoever runs the tests."""
    result = cli(*command, env={"ASSISTANT_STATE": "/sys/assistant-state.json"})
    assert result.code == 3
    assert one_error_line(result) == ("error: cannot write state file /sys/assistant-state.json: Permission denied "
                                      "(choose another with --state or ASSISTANT_STATE)")


def test_a_state_file_that_is_a_directory(cli, tmp_path: Path):
    result = cli("say", "turn on the floor lamp", "--state", str(tmp_path))
    assert result.code == 3
    assert one_error_line(result) == (
        f"error: state file {tmp_path} is a directory; choose a file with --state or ASSISTANT_STATE")


def test_devices_json_lists_every_device_with_live_state(cli):
    assert cli("say", "turn on the floor lamp").code == 0
    rows = cli("devices", "--json").json()
    assert all(set(row) >= {"id", "name", "type", "room", "adapter", "available", "state"} for row in rows)
    lamp = next(row for row in rows if row["id"] == "floor_lamp")
    assert lamp == {"id": "floor_lamp", "name": "Floor Lamp", "type": "light", "room": "living_room",
                    "adapter": "simulated", "available": True, "state": {"power": True}}
    door = next(row for row in rows if row["id"] == "garage_door")
    assert door["class"] == "garage_door" and door["state"] == {"position": 0}


def test_devices_table_shows_state_in_words(cli):
    cli("say", "turn on the floor lamp")
    result = cli("devices", env={"COLUMNS": "160"})
    assert result.code == 0, result.err
    line = next(line for line in result.out.splitlines() if "floor_lamp" in line)
    assert "living_room" in line and "power on" in line
    washer = next(line for line in result.out.splitlines() if "washing_machine" in line)
    assert "status idle" in washer and "time left 0:00" in washer


def test_speak_prints_the_reply_and_explains_once_when_it_cannot_speak(cli):
    """Whether this machine can speak or not, the reply is printed; if it cannot, stderr says why, once.
    Output buffered, as from a shell: a line printed while speaking once came out after the reply."""
    result = cli("say", "turn on the tv", "--speak", env={"PYTHONUNBUFFERED": None})
    assert result.code == 0 and result.out.strip() == "Turned on the TV."
    assert result.err == "" or (result.err.startswith("(speech output off: ") and result.err.count("\n") == 1)
    chat = cli("chat", "--speak", input="turn on the tv\nturn off the tv\nexit\n")
    assert chat.code == 0 and "Turned off the TV." in chat.out
    assert chat.err.count("speech output off") <= 1


OFFLINE_HOME = """
rooms: [{id: lounge}]
devices:
  - {id: lamp, name: Lamp, type: light, room: lounge, options: {offline: true}}
  - {id: fan, name: Fan, type: fan, room: lounge}
"""


@pytest.mark.parametrize("text, reply, code", [
    ("turn on the lamp", "The lamp isn't responding.", 4),
    ("set the fan to 500 percent", None, 4),
    ("dim the fan", "The fan can't dim.", 4),
    ("turn on the lamp and the fan", "Turned on the fan. The lamp isn't responding.", 0),
    ("turn on the fan", "Turned on the fan.", 0),
])
def test_say_exits_4_when_no_device_did_what_was_asked_and_still_prints_why(cli, tmp_path: Path, text, reply, code):
    """A device offline or a value out of range: the reply says so, and a script can tell from the exit code."""
    home = tmp_path / "home.yaml"
    home.write_text(OFFLINE_HOME)
    for options in ([], ["--json"]):
        result = cli("say", text, "--home", str(home), *options)
        assert (result.code, result.err) == (code, "")
        said = result.json()["reply"] if options else result.out.strip()
        assert said == reply or (reply is None and said), said
        cli("say", "turn off the fan", "--home", str(home))

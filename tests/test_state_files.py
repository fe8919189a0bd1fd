"""`--state` pointed at a file that is not ours is refused and left as it was; a state file of ours that
is damaged is one clear line naming the command that resets it, which keeps a copy. Through the command
line, as a user meets it."""

from __future__ import annotations

import json
import os
import shlex
import time
from pathlib import Path

import pytest

from test_timers import ChatSession

COMMANDS = [["say", "turn on the tv"], ["parse", "turn on the tv"], ["devices", "--json"], ["chat"]]
FOREIGN = {
    "home.yaml": ("rooms:\n  - {id: lounge}\n", "not JSON"),
    "notes.txt": ("buy milk\n", "not JSON"),
    "package.json": ('{"name": "x", "devices": {}}', "JSON with other keys: name"),
    "list.json": ("[1, 2]", "JSON that is a list, not an object"),
    "photo.jpg": ("\udcff\udcd8".encode("utf-8", "surrogateescape").decode("latin-1"), "not UTF-8 text"),
}


def error_line(result) -> str:
    assert "Traceback" not in result.err, result.err
    if result.err.strip():
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and result.out == "", result.err
        return lines[0].removeprefix("error: ")
    line = result.out.strip()  # chat says it as the assistant would, in one line
    assert line.startswith("Sorry, ") and "\n" not in line, result.out
    return line.removeprefix("Sorry, ").removesuffix(".")


def untouched(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("name", sorted(FOREIGN))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_file_that_is_not_a_state_file_is_refused_and_left_byte_for_byte(cli, tmp_path: Path, name, command):
    folder = tmp_path / "mine"
    folder.mkdir()
    text, why = FOREIGN[name]
    path = folder / name
    path.write_bytes(text.encode("latin-1") if name == "photo.jpg" else text.encode())
    before = untouched(folder)
    result = cli(*command, "--state", str(path), input="turn on the tv\n")
    assert result.code == 3
    assert error_line(result) == (f"{path} is not a state file of the assistant ({why}); it was left as it was: "
                                  "choose another with --state or ASSISTANT_STATE").removesuffix(".")
    assert untouched(folder) == before, "no byte changed, nothing renamed, no lock file beside it"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_dev_null_a_fifo_and_a_directory_are_refused_without_hanging(cli, tmp_path: Path, command):
    """As root, /dev/null was once renamed away; a FIFO hung the command; /dev/zero filled memory."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path, kind in (("/dev/null", "a character device, not a file"), ("/dev/zero", "a character device, not a file"),
                       (str(fifo), "a FIFO, not a file"), (str(tmp_path), "a directory")):
        result = cli(*command, "--state", path, input="turn on the tv\n", timeout=30)
        assert result.code == 3
        assert error_line(result) == f"state file {path} is {kind}; choose a file with --state or ASSISTANT_STATE"
    assert Path("/dev/null").is_char_device() and not Path("/dev/null.lock").exists()
    assert fifo.is_fifo()


def test_a_damaged_state_file_names_the_command_that_resets_it_keeping_a_copy(cli, tmp_path: Path):
    path = tmp_path / "my state.json"
    assert cli("say", "set a tea timer for 10 minutes", "--state", str(path)).code == 0
    data = json.loads(path.read_text())
    data["timers"][0]["seconds"] = "ten"  # a hand edit gone wrong
    path.write_text(json.dumps(data))
    damaged = path.read_bytes()
    for command in COMMANDS:
        result = cli(*command, "--state", str(path), input="what timers do i have\n")
        assert result.code == 3
        line = error_line(result)
        assert line.startswith(f"state file {path} is damaged ('timers[0].seconds' is text, 'ten'); nothing was "
                               "changed; `assistant state reset --state "), line
        assert line.endswith("` starts afresh, keeping a copy")
        assert path.read_bytes() == damaged
    way_out = shlex.split(line.split("`")[1])  # the command as the line says it, pasted into a shell
    assert way_out == ["assistant", "state", "reset", "--state", str(path)]
    reset = cli(*way_out[1:])
    assert reset.code == 0, reset.err
    (kept,) = tmp_path.glob("my state.json.old-*")
    assert reset.out.strip() == f"Started afresh; the old state file is kept as {kept}."
    assert kept.read_bytes() == damaged
    assert cli("say", "what timers do i have", "--state", str(path)).out.strip() == "You have no timers running."


def test_reset_refuses_what_is_not_a_file_and_says_when_there_is_nothing(cli, tmp_path: Path):
    result = cli("state", "reset", "--state", "/dev/null")
    assert (result.code, error_line(result)) == (
        3, "state file /dev/null is a character device, not a file; choose a file with --state or ASSISTANT_STATE")
    assert Path("/dev/null").is_char_device()
    result = cli("state", "reset", "--state", str(tmp_path / "none.json"))
    assert result.code == 0 and result.out.strip() == f"No state file at {tmp_path}/none.json: nothing to reset."
    assert list(tmp_path.iterdir()) == []


def test_a_state_file_from_before_the_format_marker_keeps_working(cli, state_file: Path):
    state_file.write_text(json.dumps({"version": 1, "devices": {"living_room_tv": {"power": True}},
                                      "timers": [], "context": {}}))
    assert cli("say", "is the tv on").out.strip() == "Yes, the TV is on."
    assert cli("say", "turn off the tv").code == 0
    assert json.loads(state_file.read_text())["format"] == "assistant-state"


def test_the_timer_bell_of_chat_outlives_a_bad_entry(state_file: Path, tmp_path: Path):
    """A scheduled command dated before any clock can show (a hand edit) is one line on stderr; the
    timers set after it still ring."""
    state_file.write_text(json.dumps({"format": "assistant-state", "scheduled": [
        {"id": 1, "due": -1e20, "command": {"intent": "turn_on", "text": "turn on the tv"}, "targets": []}]}))
    chat = ChatSession(state_file, tmp_path)
    time.sleep(1.5)  # the bell has met the entry
    chat.send("set a tea timer for 2 seconds")
    chat.wait_for("Tea timer set for 2 seconds.")
    assert "The tea timer is done." in chat.wait_for("is done")
    assert chat.close() == 0
    errors = [line for line in chat.process.stderr.read().splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: a timer or scheduled command could not be announced"), errors

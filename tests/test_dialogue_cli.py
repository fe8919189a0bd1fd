"""Dialogue through the command line: in one `chat`, and across separate `say` runs sharing a state file."""

from __future__ import annotations

from pathlib import Path

GARAGE_HOME = Path(__file__).resolve().parent.parent / "intents" / "en" / "tests" / "homes" / "garage.yaml"


def _replies(out: str) -> list[str]:
    return [line.split("you> ")[-1].strip() for line in out.splitlines() if line.strip() and "you> " in line][:-1] or []


def _devices(cli, *extra: str) -> dict:
    return {d["id"]: d["state"] for d in cli("devices", "--json", *extra).json()}


def test_chat_multi_command_and_follow_up(cli):
    result = cli("chat", input="turn on the tv and open the curtains\nturn it off\nturn on the kitchen lights\n"
                               "and the hallway too\nexit\n")
    assert result.code == 0, result.err
    assert "Turned on the TV. Opened the curtains." in result.out
    assert "Turned off the curtains." not in result.out
    assert "Turned on the hallway light." in result.out
    state = _devices(cli)
    assert state["living_room_tv"]["power"] is True  # "it" was the curtains, which can't turn off
    assert state["living_room_curtains"]["position"] == 100
    assert state["hallway_light"]["power"] is True


def test_say_follow_up_across_processes(cli_process):
    assert cli_process("say", "set the bedside lamp to 40 percent").out.strip() == "Set the bedside lamp to 40 percent."
    assert cli_process("say", "a bit brighter").out.strip() == "Brightened the bedside lamp to 60 percent."
    assert cli_process("say", "turn it off").out.strip() == "Turned off the bedside lamp."
    assert _devices(cli_process)["bedroom_lamp"] == {"power": False, "brightness": 60, "color": "white"}


def test_clarification_answered_in_the_next_run(cli):
    asked = cli("say", "turn on the lamp", "--room", "hallway")
    assert asked.out.strip() == "Which lamp: the floor lamp, the bedside lamp or the desk lamp?"
    assert not any(s.get("power") for s in _devices(cli).values() if "power" in s)
    answered = cli("say", "the desk lamp", "--room", "hallway", "--json").json()
    assert answered["reply"] == "Turned on the desk lamp."
    assert answered["commands"][0]["targets"] == ["desk_lamp"]
    assert _devices(cli)["desk_lamp"]["power"] is True


def test_confirmation_yes_completes_and_no_cancels(cli):
    result = cli("chat", input="unlock the front door\nno\nunlock the front door\nyes\nexit\n")
    assert "Are you sure you want to unlock the front door?" in result.out
    assert "OK, I won't unlock the front door." in result.out
    assert "Unlocked the front door." in result.out
    assert _devices(cli)["front_door"]["locked"] is False


def test_confirmation_across_say_runs_needs_a_yes(cli):
    cli("say", "unlock the front door")
    assert _devices(cli)["front_door"]["locked"] is True
    answer = cli("say", "what time is it").out.strip()  # another question: the unlock is dropped, the question answered
    assert answer.startswith("OK, I won't unlock the front door. It's ") and answer != "OK, I won't unlock the front door."
    assert cli("say", "yes").code == 1
    assert _devices(cli)["front_door"]["locked"] is True


def test_pin_confirmation_and_pin_never_stored(cli, state_file):
    home = ("--home", str(GARAGE_HOME))
    result = cli("chat", *home, input="open the garage door\n9 9 9 9\nopen the garage door\none two three four\nexit\n")
    assert "Say your PIN to open the garage door." in result.out
    assert "That's not the right PIN, so I won't open the garage door." in result.out
    assert "Opened the garage door." in result.out
    assert "1234" not in result.out
    assert _devices(cli, *home)["garage_door"]["position"] == 100
    assert "1234" not in state_file.read_text()


def test_parse_uses_context_but_changes_nothing(cli, state_file):
    cli("say", "turn on the floor lamp")
    before = state_file.read_text()
    data = cli("parse", "--json", "turn it off").json()
    assert data["commands"][0]["intent"] == "turn_off"
    assert data["commands"][0]["targets"] == ["floor_lamp"]
    assert state_file.read_text() == before


def test_unknown_device_is_named_and_nothing_happens(cli, state_file):
    result = cli("say", "turn on the toaster")
    assert result.code == 1
    assert result.out.strip() == "I don't know a device called toaster."
    assert cli("parse", "--json", "turn on the toaster").json()["commands"] == []

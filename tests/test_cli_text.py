"""The text commands, run through the command line as a user would."""

from __future__ import annotations


def test_say_turns_on_the_floor_lamp_and_state_survives(cli_process, state_file):
    result = cli_process("say", "turn on the floor lamp", "--state", str(state_file))
    assert result.code == 0, result.err
    assert result.out.strip() == "Turned on the floor lamp."
    devices = {d["id"]: d for d in cli_process("devices", "--json", "--state", str(state_file)).json()}
    assert devices["floor_lamp"]["state"]["power"] is True
    assert devices["ceiling_light"]["state"]["power"] is False


def test_switch_off_the_lights_in_the_kitchen(cli):
    cli("say", "turn on the kitchen light")
    result = cli("say", "switch off the lights in the kitchen", "--json")
    data = result.json()
    assert data["commands"][0]["intent"] == "turn_off"
    assert set(data["commands"][0]["targets"]) == {"kitchen_light", "counter_lights"}
    assert {"device": "kitchen_light", "changed": {"power": False}} in data["changes"]


def test_front_door_question_is_answered(cli):
    assert cli("say", "is the front door locked?").out.strip() == "Yes, the front door is locked."


def test_parse_json_contract(cli_process, state_file):
    data = cli_process("parse", "--json", "turn on the floor lamp").json()
    assert data == {
        "text": "turn on the floor lamp",
        "commands": [
            {"intent": "turn_on", "slots": {"name": "floor lamp"}, "targets": ["floor_lamp"], "confidence": 1.0,
             "match": "rule"}
        ],
    }
    assert not state_file.exists(), "parse must not change any device"


def test_parse_reads_lines_from_stdin(cli):
    lines = cli("parse", "--json", input="turn off the tv\nwhat is the meaning of life\n").json_lines()
    assert [line["text"] for line in lines] == ["turn off the tv", "what is the meaning of life"]
    assert lines[0]["commands"][0]["targets"] == ["living_room_tv"]
    assert lines[1]["commands"] == []


def test_chat_reads_commands_and_replies(cli):
    result = cli("chat", input="turn on the tv\nis the tv on\nexit\n")
    assert result.code == 0, result.err
    assert "Turned on the TV." in result.out
    assert "Yes, the TV is on." in result.out


def test_version(cli):
    result = cli("--version")
    assert result.code == 0 and result.out.startswith("assistant ")


def test_several_readings_in_one_reply_are_one_sentence(cli):
    """Each device's reading was capitalised as if it began the sentence: "... and The kettle is at 20 degrees"."""
    said = cli("say", "what's the temperature in the kitchen").out.strip()
    assert said.startswith("The fridge is at 4 degrees") and " and the kettle is at " in said, said

"""The safety gate through the command line: the PIN as the home file must hold it, wrong PINs counted
across processes, digits that are not a PIN try, and nothing risky reaching a device without a question.

The dialogues themselves (twin readings, scenes, schedules, reversals) are sentence tests in
intents/en/tests/safety.yaml; these are the parts that need separate processes, a clock or a file."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

PIN = "4711"
HOME = f"""
name: Pin House
room: hall
security: {{pin: "{PIN}"}}
rooms:
  - {{id: hall, name: Hall}}
devices:
  - {{id: front_door, name: Front Door, type: lock, room: hall}}
  - {{id: hall_light, name: Hall Light, type: light, room: hall}}
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home.yaml"
    path.write_text(HOME)
    return path


def locked(cli, home: Path) -> bool:
    devices = cli("devices", "--json", "--home", str(home)).json()
    return next(d for d in devices if d["id"] == "front_door")["state"]["locked"]


@pytest.mark.parametrize("security, problem", [
    ("{pin: 0123}", "the PIN is a number, not text"),
    ("{pin: 0000}", "the PIN is a number, not text"),
    ("{pin: 4711}", "the PIN is a number, not text"),
    ('{pin: "12a4"}', "the PIN must be 4-8 digits"),
    ('{pin: "123"}', "the PIN must be 4-8 digits"),
    ('{pin: "123456789"}', "the PIN must be 4-8 digits"),
    ('{pin: ""}', "the PIN must be 4-8 digits"),
    ('"4711"', "security: expected a mapping, got text"),
    ('{code: "4711"}', "unknown key 'code'"),
])
def test_a_pin_that_is_not_a_quoted_string_of_digits_is_refused_at_load(cli, tmp_path, security, problem):
    """`pin: 0123` would be read as a number and `security: "4711"` as no PIN at all: neither may
    silently leave the locks with another PIN, or none."""
    path = tmp_path / "home.yaml"
    path.write_text(HOME.replace(f'security: {{pin: "{PIN}"}}', f"security: {security}"))
    result = cli("say", "--home", str(path), "unlock the front door")
    assert result.code != 0 and result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err
    assert f"{path}:4" in lines[0] and problem in lines[0], lines[0]
    assert 'pin: "4711"' in lines[0], "the line says how to write it"


def test_wrong_pins_lock_out_across_processes_then_the_lockout_ends_and_doubles(cli_process, home, state_file):
    now = int(time.time())

    def say(text: str, at: float) -> str:
        result = cli_process("say", "--home", str(home), text, env={"ASSISTANT_NOW": str(at)})
        assert result.code in (0, 1, 4) and "Traceback" not in result.err, result.err
        return result.out.strip()

    for i in range(4):
        assert say("unlock the front door", now + i) == "Say your PIN to unlock the front door."
        assert say(f"{1000 + i}", now + i).startswith("That's not the right PIN")
    say("unlock the front door", now + 5)
    assert say("9999", now + 5).startswith("Too many wrong PINs")
    # even the right PIN is refused while locked out, and it is not asked for
    assert say("unlock the front door", now + 60) == (
        "Too many wrong PINs: I won't unlock the front door now. Try again in 4 minutes.")
    assert say(PIN, now + 61) == "Sorry, I didn't catch that."
    assert locked(cli_process, home)
    # five minutes later it asks again; five more wrong ones lock out for ten minutes
    assert say("unlock the front door", now + 306) == "Say your PIN to unlock the front door."
    for i in range(5):
        say("unlock the front door", now + 306 + i)
        reply = say("1234", now + 306 + i)
    assert reply == "Too many wrong PINs: I won't unlock the front door now. Try again in 10 minutes."
    started = now + 306 + 4  # the fifth wrong try
    assert say("unlock the front door", started + 599).startswith("Too many wrong PINs")
    assert say("unlock the front door", started + 601) == "Say your PIN to unlock the front door."
    assert say(PIN, started + 602) == "Unlocked the front door."
    assert not locked(cli_process, home)


def test_wrong_pins_spread_over_more_than_ten_minutes_do_not_lock_out(cli, home):
    now = int(time.time())
    for i in range(8):
        at = {"ASSISTANT_NOW": str(now + i * 180)}
        cli("say", "--home", str(home), "unlock the front door", env=at)
        reply = cli("say", "--home", str(home), "1111", env=at).out
        assert reply.startswith("That's not the right PIN"), (i, reply)


def test_a_refused_or_failed_risky_command_exits_non_zero(cli, home):
    """Scripts can tell: a question asked exits 0; a risky command refused for later, or a wrong PIN, exits 4."""
    refused = cli("say", "--home", str(home), "unlock the front door in 5 minutes")
    assert refused.code == 4 and refused.out.startswith("For safety I don't unlock the front door on a schedule")
    asked = cli("say", "--home", str(home), "unlock the front door")
    assert asked.code == 0 and asked.out.strip() == "Say your PIN to unlock the front door."
    wrong = cli("say", "--home", str(home), "1234")
    assert wrong.code == 4 and wrong.out.startswith("That's not the right PIN")
    cli("say", "--home", str(home), "unlock the front door")
    right = cli("say", "--home", str(home), PIN)
    assert right.code == 0 and right.out.strip() == "Unlocked the front door."


def test_digits_inside_another_sentence_are_not_a_pin_try(cli, home, state_file):
    """Four wrong tries, then the question answered by a command with digits in it: had that counted,
    the next wrong PIN would not be the fifth and the lockout would start one try early."""
    for i in range(4):
        cli("say", "--home", str(home), "unlock the front door")
        cli("say", "--home", str(home), f"{2000 + i}")
    cli("say", "--home", str(home), "unlock the front door")
    other = cli("say", "--home", str(home), "set the hall light to 4711 percent")
    assert other.out.startswith("OK, I won't unlock the front door.")
    cli("say", "--home", str(home), "unlock the front door")
    assert cli("say", "--home", str(home), PIN).out.strip() == "Unlocked the front door."
    assert not locked(cli, home)


def test_a_pin_try_is_masked_in_json_output_and_never_stored(cli, home, state_file, tmp_path):
    cli("say", "--home", str(home), "unlock the front door")
    result = cli("say", "--json", "--home", str(home), "four seven one one")
    data = result.json()
    assert data["text"] == "****" and data["reply"] == "Unlocked the front door."
    cli("say", "--home", str(home), "lock the front door")
    cli("say", "--home", str(home), "unlock the front door")
    wrong = cli("say", "--json", "--home", str(home), "1234").json()
    assert wrong["text"] == "****", "a wrong try is masked too: masking only the right one would tell"
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != home:
            assert b"4711" not in path.read_bytes() and b"four seven" not in path.read_bytes(), path


def test_a_custom_intent_that_unlocks_goes_through_the_gate(cli, home, state_file, tmp_path):
    """A user's own sentence for a risky intent ("let me in") asks the PIN like the built-in ones."""
    intents = tmp_path / "intents"
    intents.mkdir()
    (intents / "door.yaml").write_text("""
intents:
  unlock:
    data:
      - sentences: ["let me in", "open sesame"]
        slots: {name: front door}
""")
    asked = cli("say", "--home", str(home), "--intents", str(intents), "open sesame")
    assert asked.out.strip() == "Say your PIN to unlock the front door."
    assert locked(cli, home)
    done = cli("say", "--home", str(home), "--intents", str(intents), PIN)
    assert done.out.strip() == "Unlocked the front door."


def test_a_risky_command_kept_by_an_older_version_is_not_done_when_due(cli, home, state_file, monkeypatch):
    """A state file may hold a scheduled unlock from before the gate refused them: when it comes due in a
    running session it is reported, not done (the session's announcements, in-process)."""
    from assistant.app import build

    cli("say", "--home", str(home), "turn on the hall light in 1 minute")
    state = json.loads(state_file.read_text())
    entry = state["scheduled"][0]
    entry["command"] = {"intent": "unlock", "slots": {"name": "front door"}, "text": "unlock the front door"}
    entry["targets"] = ["front_door"]
    state_file.write_text(json.dumps(state))
    monkeypatch.setenv("ASSISTANT_NOW", str(float(entry["due"]) + 1))
    assistant = build(home=home, state=state_file)
    assert assistant.announcements() == [
        "I didn't unlock the front door as planned: for safety that is never done on a schedule."]
    assert locked(cli, home)


def test_the_executor_refuses_a_risky_action_without_an_approval(tmp_path, home):
    """The last wall: even code that skips the question cannot unlock (the gate's own check, in-process)."""
    from assistant.home.model import load_home
    from assistant.act.safety import Gate, UnsafeAction
    from assistant.home.state import StateStore

    house = load_home(home)
    gate = Gate(house, StateStore(tmp_path / "s.json"))
    door, light = house.devices["front_door"], house.devices["hall_light"]
    with pytest.raises(UnsafeAction):
        gate.enforce("unlock", [door], frozenset())
    with pytest.raises(UnsafeAction):
        gate.enforce("unlock", [door], frozenset({("open", "front_door")}))
    gate.enforce("unlock", [door], frozenset({("unlock", "front_door")}))
    gate.enforce("turn_on", [light], frozenset())
    gate.enforce("lock", [door], frozenset())

"""Security: no shell with user text, owner-only files, and secrets (the home's PIN) never written or printed."""

from __future__ import annotations

import ast
import json
import stat
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"
PIN = "4711"


def shell_calls(source: str) -> list[str]:
    """Calls that run a shell: os.system, os.popen, anything with shell=True, and the commands module's getoutput."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name in ("os.system", "os.popen", "system", "popen", "subprocess.getoutput", "subprocess.getstatusoutput"):
            found.append(f"line {node.lineno}: {name}(...)")
        for keyword in node.keywords:
            if keyword.arg == "shell" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                found.append(f"line {node.lineno}: {name}(..., shell=...)")
    return found


def test_the_scan_finds_shell_calls():
    assert len(shell_calls("import os, subprocess\nos.system(x)\nsubprocess.run(x, shell=True)\nos.popen(x)")) == 3
    assert shell_calls("subprocess.run(['espeak-ng', text], shell=False)") == []


def test_nothing_in_the_package_runs_a_shell():
    offenders = {str(path.relative_to(PACKAGE)): calls for path in sorted(PACKAGE.rglob("*.py"))
                 if (calls := shell_calls(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.own_cache
def test_files_the_assistant_creates_are_owner_only(cli, tmp_path):
    state = tmp_path / "private" / "state.json"
    assert cli("say", "turn on the floor lamp", "--state", str(state)).code == 0
    assert mode(state) == 0o600
    assert mode(state.with_name("state.json.lock")) == 0o600
    assert mode(state.parent) == 0o700, "a state directory the assistant creates is owner-only"
    cache = tmp_path / "xdg-cache" / "assistant" / "grammar"
    entries = list(cache.iterdir())
    assert entries and all(mode(p) == 0o600 for p in entries)
    assert mode(cache) == 0o700


@pytest.mark.own_cache
def test_grammar_cache_refuses_foreign_pickles(cli, tmp_path):
    """A cache entry that would run code when unpickled is ignored (the grammar is compiled instead)."""
    assert cli("parse", "turn on the tv").code == 0
    entries = list((tmp_path / "xdg-cache" / "assistant" / "grammar").iterdir())
    assert entries, "the first run caches its compiled grammars"
    marker = tmp_path / "pwned"
    import os
    import pickle

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for entry in entries:
        entry.write_bytes(pickle.dumps({"format": 1, "fields": Exploit(), "data": []}))
    result = cli("parse", "--json", "turn on the tv")
    assert result.code == 0 and result.json()["commands"][0]["targets"] == ["living_room_tv"]
    assert not marker.exists()


@pytest.fixture
def home_with_pin(tmp_path) -> Path:
    home = tmp_path / "home.yaml"
    home.write_text(f"""
name: Pin House
security: {{pin: "{PIN}"}}
rooms:
  - {{id: hall, name: Hall}}
  - {{id: bathroom, name: Bathroom}}
devices:
  - {{id: front_door, name: Front Door, type: lock, room: hall}}
  - {{id: water_heater, name: Water Heater, type: water_heater, room: bathroom}}
  - {{id: hall_light, name: Hall Light, type: light, room: hall}}
""")
    return home


RISKY = ["unlock the front door", "turn on the water heater", "is the front door locked", "turn on the hall light"]


def test_the_pin_is_never_printed_or_stored(cli, home_with_pin, state_file, tmp_path):
    """Whatever is said, the PIN from the home file appears in no output and in no file the assistant writes.

    Depends on the confirmation/PIN dialogue (being built separately) for its full force: once risky
    commands ask for the PIN, the turns below that answer with it ('yes', the PIN) exercise that path too;
    today they are plain commands that are not understood. The checks hold either way.
    """
    outputs = []
    for text in [*RISKY, "yes", PIN, f"the pin is {PIN}", f"unlock the front door with pin {PIN}"]:
        for command in (("say", "--json", text), ("parse", "--json", text)):
            result = cli(*command, "--home", str(home_with_pin))
            assert "Traceback" not in result.err
            outputs.append((command, result.out + result.err))
    chat = cli("chat", "--home", str(home_with_pin), input="\n".join([*RISKY, "yes", PIN, "exit"]) + "\n")
    outputs.append((("chat",), chat.out + chat.err))
    devices = cli("devices", "--json", "--home", str(home_with_pin))
    outputs.append((("devices", "--json"), devices.out + devices.err))
    outputs.append((("devices",), cli("devices", "--home", str(home_with_pin)).out))
    # What we echo back is the user's own text; the PIN must not come from anywhere else.
    for command, text in outputs:
        said = command[-1] if command[0] in ("say", "parse") else ""
        assert PIN not in text.replace(said, ""), f"PIN printed by {command}"
    assert state_file.exists()
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != home_with_pin:
            assert PIN.encode() not in path.read_bytes(), f"PIN written to {path}"
    assert json.loads(state_file.read_text())  # and the state is whole


def test_chat_history_is_owner_only(tmp_path, monkeypatch):
    """The history of an interactive chat (everything typed) is created owner-only."""
    from assistant.paths import history_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = history_path()
    assert path.exists() and mode(path) == 0o600
    assert mode(path.parent) == 0o700

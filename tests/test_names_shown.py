"""Names from the home file are shown as they are written: rich markup in a name ("[bold]Lamp[/]", "[/]")
is text, not markup that crashes chat, and terminal codes in a name ("\\x1b[2J" clears the screen) are
shown as escapes instead of reaching the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

HOME = r'''
name: "Flat [red]one\x1b]0;pwned\x07"
rooms: [{id: lounge, name: Lounge}]
devices:
  - {id: lamp, name: "[bold]Lamp[/]", type: light, room: lounge}
  - {id: odd, name: "[/]", type: light, room: lounge}
  - {id: tv, name: "Telly\x1b[2J", type: tv, room: lounge}
'''


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home.yaml"
    path.write_text(HOME)
    return path


def test_chat_prints_markup_and_escape_codes_in_names_literally(cli, home: Path):
    result = cli("chat", "--home", str(home), input="turn on the lights in the lounge\nturn on the telly\nexit\n")
    assert (result.code, result.err) == (0, "")
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "Assistant on Flat [red]one\\x1b]0;pwned\\x07 (3 devices)." in result.out
    assert "Turned on the [bold]lamp[/] and the [/]." in result.out
    assert "Turned on the telly\\x1b[2j." in result.out


@pytest.mark.parametrize("command", [["say"], ["say", "--json"], ["parse"]], ids=" ".join)
def test_say_and_parse_never_write_terminal_codes(cli, home: Path, command):
    result = cli(*command, "turn on the telly\x1b[31m", "--home", str(home))
    assert result.code == 0, result.err
    assert "\x1b" not in result.out
    if command == ["say"]:
        assert result.out == "Turned on the telly\\x1b[2j.\n"
    if command == ["say", "--json"]:
        assert result.json()["reply"] == "Turned on the telly\x1b[2j.", "JSON keeps the name, escaped as JSON does"
    if command == ["parse"]:
        assert result.out.startswith("turn on the telly\\x1b[31m: turn_on ")


def test_an_error_line_shows_terminal_codes_as_escapes(cli, tmp_path: Path):
    folder = tmp_path / "odd\x1b[2J"
    folder.mkdir()
    result = cli("say", "turn on the tv", "--state", str(folder))
    assert result.code == 3
    assert result.err == (f"error: state file {tmp_path}/odd\\x1b[2J is a directory; "
                          "choose a file with --state or ASSISTANT_STATE\n")

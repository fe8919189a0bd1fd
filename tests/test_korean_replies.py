"""A Korean home is answered in Korean where the words used to be English in Python: the answer to
"are you sure?" ('네', '아니', '취소'), a device that does not respond, a device that can't do what was asked,
through the real console script."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

HOME = """\
name: 우리 집
language: ko
room: living_room
rooms:
  - {id: living_room, name: 거실}
devices:
  - {id: living_light, name: 조명, type: light, room: living_room}
  - {id: boiler, name: 보일러, type: water_heater, room: living_room}
  - {id: stand, name: 스탠드, type: light, room: living_room, options: {offline: true}}
"""


@pytest.fixture
def korean(cli, tmp_path: Path):
    home = tmp_path / "home.yaml"
    home.write_text(HOME, encoding="utf-8")
    env = {"PYTHONPATH": str(REPO)}  # this checkout's code, whichever is installed

    def say(*lines: str):
        if len(lines) == 1:
            return cli("say", "--home", str(home), lines[0], env=env)
        return cli("chat", "--home", str(home), input="".join(f"{line}\n" for line in lines) + "exit\n", env=env)

    say.devices = lambda: {d["id"]: d["state"] for d in cli("devices", "--home", str(home), "--json", env=env).json()}
    return say


def test_a_risky_command_is_confirmed_with_a_korean_yes(korean):
    asked = korean("보일러 켜 줘")
    assert asked.code == 0, asked.err
    assert asked.out.strip() == "정말 보일러 켜기를 할까요?"
    assert korean.devices()["boiler"]["power"] is False
    done = korean("네")
    assert done.out.strip() == "켰어요."
    assert korean.devices()["boiler"]["power"] is True


def test_a_korean_no_and_cancel_drop_the_question(korean):
    assert korean("보일러 켜 줘").out.strip() == "정말 보일러 켜기를 할까요?"
    assert korean("아니").out.strip() == "알겠어요, 보일러 켜기는 하지 않을게요."
    assert korean("보일러 켜 줘").code == 0
    assert korean("취소").out.strip() == "알겠어요, 보일러 켜기는 하지 않을게요."
    assert korean.devices()["boiler"]["power"] is False


def test_a_device_error_is_said_in_korean(korean):
    result = korean("스탠드 켜 줘")
    assert result.out.strip() == "스탠드에서 응답이 없어요."
    assert result.code == 4


def test_chat_in_korean(korean):
    result = korean("보일러 켜 줘", "응", "스탠드 켜 줘")
    assert result.code == 0, result.err
    assert "정말 보일러 켜기를 할까요?" in result.out
    assert "켰어요." in result.out
    assert "스탠드에서 응답이 없어요." in result.out
    assert "The " not in result.out and "Are you sure" not in result.out


def test_a_pin_said_in_korean_digits(cli, tmp_path: Path):
    home = tmp_path / "home.yaml"
    home.write_text(HOME.replace("room: living_room\n", 'room: living_room\nsecurity: {pin: "1234"}\n', 1), encoding="utf-8")
    env = {"PYTHONPATH": str(REPO)}

    def say(text: str) -> str:
        return cli("say", "--home", str(home), text, env=env).out.strip()

    assert say("보일러 켜 줘") == "보일러 켜기를 하려면 비밀번호를 말해 주세요."
    assert say("비밀번호는 일 이 삼 오") == "비밀번호가 틀려서 보일러 켜기는 하지 않을게요."
    assert say("보일러 켜 줘") == "보일러 켜기를 하려면 비밀번호를 말해 주세요."
    assert say("비밀번호는 일 이 삼 사") == "켰어요."


def test_state_is_described_in_korean(korean):
    assert korean("조명 상태 알려 줘").out.strip() == "조명은 꺼져 있어요."
    korean("조명 켜 줘")
    assert korean("조명 상태 알려 줘").out.strip() == "조명은 켜져 있어요."

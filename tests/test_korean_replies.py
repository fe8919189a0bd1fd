"""A Korean home is answered in Korean where the words used to be English in Python: the answer to
"are you sure?" ('네', '아니', '취소'), a device that does not respond, a device that can't do what was asked,
through the command line."""

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


T0 = 1_767_261_600  # 2026-01-01 10:00 UTC


def test_timers_are_said_in_korean(cli, tmp_path: Path):
    """Lengths of time, the names of timers and times of day in a Korean home's timer replies are Korean,
    across runs as the clock moves (ASSISTANT_NOW)."""
    home = tmp_path / "home.yaml"
    home.write_text(HOME, encoding="utf-8")

    def say(text: str, seconds: float) -> str:
        env = {"PYTHONPATH": str(REPO), "ASSISTANT_NOW": str(T0 + seconds), "TZ": "UTC"}
        result = cli("say", "--home", str(home), text, env=env)
        assert result.code == 0, result.err
        return result.out.strip()

    said = [
        (say("파스타 타이머 10분 맞춰 줘", 0), "파스타 타이머를 10분으로 맞췄어요."),
        (say("타이머 1분 30초 맞춰 줘", 0), "타이머를 1분 30초로 맞췄어요."),
        (say("파스타 타이머 얼마나 남았어?", 150), "파스타 타이머는 7분 30초 남았어요. 1분 30초 타이머가 끝났어요."),
        (say("타이머 1시간 맞춰 줘", 150), "타이머를 1시간으로 맞췄어요."),
        (say("파스타 타이머 일시정지해 줘", 200), "파스타 타이머를 멈췄어요. 6분 40초 남았어요."),
        (say("타이머 얼마나 남았어?", 210),
         "타이머가 2개 있어요: 파스타 타이머 6분 40초 남음(일시정지) 및 1시간 타이머 59분 남음."),
        (say("오전 7시에 알람 맞춰 줘", 210), "알람을 오전 7시에 맞췄어요. 20시간 56분 뒤에 울려요."),
        (say("알람 몇 시야?", 3600), "오전 7시 알람은 20시간 뒤에 울려요."),
        (say("타이머 다 꺼 줘", 3600), "타이머 3개를 취소했어요."),
    ]
    assert [got for got, _ in said] == [expected for _, expected in said]
    assert not any(c.isascii() and c.isalpha() for got, _ in said for c in got)


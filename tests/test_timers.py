"""Timers live in the state file and count down with the clock (ASSISTANT_NOW moves it between runs)."""

from __future__ import annotations

import json

T0 = 1_700_000_000


def at(seconds: float) -> dict:
    return {"ASSISTANT_NOW": str(T0 + seconds), "TZ": "UTC"}


def test_timers_count_down_pause_and_finish_across_runs(cli, state_file):
    assert cli("say", "set a pasta timer for 10 minutes", env=at(0)).out.strip() == "Pasta timer set for 10 minutes."
    assert cli("say", "set a timer for 3 and a half minutes", env=at(0)).out.strip() == \
        "Timer set for 3 minutes and 30 seconds."
    assert cli("say", "how much time is left on the pasta timer", env=at(150)).out.strip() == \
        "The pasta timer has 7 minutes and 30 seconds left."
    assert cli("say", "pause the pasta timer", env=at(150)).code == 0
    # paused: time passing does not count; the 3.5 minute timer ran out at 210 s, said once, then forgotten
    assert cli("say", "how much time is left on the pasta timer", env=at(400)).out.strip() == \
        "The pasta timer is paused with 7 minutes and 30 seconds left. The 3 minute and 30 second timer has finished."
    assert cli("say", "resume the pasta timer", env=at(400)).code == 0
    assert cli("say", "add 1 minute to the pasta timer", env=at(400)).out.strip() == \
        "Added 1 minute to the pasta timer; 8 minutes and 30 seconds left."
    assert cli("say", "how much time is left", env=at(460)).out.strip() == \
        "The pasta timer has 7 minutes and 30 seconds left."
    timers = json.loads(state_file.read_text())["timers"]
    assert [t["name"] for t in timers] == ["pasta"]
    assert cli("say", "cancel the pasta timer", env=at(460)).out.strip() == "Cancelled the pasta timer."
    assert cli("say", "how much time is left", env=at(460)).out.strip() == "You have no timers running."


def test_two_timers_in_one_breath_count_down_apart(cli, state_file):
    """Two unnamed timers set in one sentence are two timers, told apart by their length in later runs."""
    assert cli("say", "set a timer for 5 minutes and another for 10 minutes", env=at(0)).out.strip() == \
        "Timers set for 5 minutes and 10 minutes."
    assert cli("say", "what timers do I have", env=at(60)).out.strip() == \
        "You have 2 timers: the 5 minute timer has 4 minutes left and the 10 minute timer has 9 minutes left."
    assert cli("say", "cancel the 5 minute timer", env=at(60)).out.strip() == "Cancelled the 5 minute timer."
    assert cli("say", "how much time is left", env=at(120)).out.strip() == "The 10 minute timer has 8 minutes left."


def test_parse_lists_one_start_timer_per_duration(cli, state_file):
    data = cli("parse", "--json", "set timers for 5 and 10 minutes").json()
    assert [(c["intent"], c["slots"]) for c in data["commands"]] == [
        ("start_timer", {"duration": 300}), ("start_timer", {"duration": 600})]
    assert not state_file.exists()


def test_an_alarm_given_two_times_is_set_for_one(cli, state_file):
    """ "my five thirty alarm at six" (heard in a recording of a coffee order) filled the alarm's time twice; the two
    became the list ['05:30', '06:00'], whose text reached the clock: ValueError: invalid literal for int() "['05",
    and `assistant run` lost the utterance. The time the alarm is set "at" is the one it gets."""
    said = cli("say", "my five thirty alarm at six", env=at(0))  # 22:13 UTC
    assert (said.code, said.out.strip()) == (0, "Alarm set for 6 AM, 7 hours and 46 minutes from now."), said.err
    assert [t["at"] for t in json.loads(state_file.read_text())["timers"]] == ["06:00"]
    assert cli("say", "the 6 am alarm for 6 am", env=at(0)).out.strip() == "You already have the 6 AM alarm."


def test_parse_does_not_start_a_timer(cli, state_file):
    data = cli("parse", "--json", "set a timer for 90 seconds").json()
    assert data["commands"][0]["slots"] == {"duration": 90}
    assert not state_file.exists()



class ChatSession:
    """`assistant chat` as a person keeps it open: lines in, lines out, read as they come."""

    def __init__(self, state_file, tmp_path, now: float | None = None, args: tuple[str, ...] = (),
                 env: dict | None = None):
        import os
        import queue
        import subprocess
        import threading

        from conftest import BIN

        extra = env
        env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_HOME", "ASSISTANT_NOW")}
        env.update(ASSISTANT_STATE=str(state_file), XDG_DATA_HOME=str(tmp_path / "d"),
                   XDG_CONFIG_HOME=str(tmp_path / "c"), XDG_CACHE_HOME=str(tmp_path / "k"))
        if now is not None:
            env["ASSISTANT_NOW"] = str(now)
        env.update(extra or {})
        self.process = subprocess.Popen([str(BIN / "assistant"), "chat", *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stdout], daemon=True).start()

    def send(self, text: str) -> None:
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def wait_for(self, words: str) -> str:
        seen = []
        while words not in "".join(seen):
            seen.append(self.lines.get(timeout=30))
        return "".join(seen)

    def close(self) -> int:
        self.send("exit")
        try:
            return self.process.wait(timeout=30)
        finally:
            self.process.kill()


def test_chat_announces_a_timer_when_it_runs_out(state_file, tmp_path):
    """A timer rings on its own in a chat session: the user is told without asking, and it is gone afterwards."""
    chat = ChatSession(state_file, tmp_path)
    chat.send("set a tea timer for 2 seconds")
    chat.wait_for("Tea timer set for 2 seconds.")
    assert "The tea timer is done." in chat.wait_for("is done")
    chat.send("what timers do i have")
    assert "You have no timers running." in chat.wait_for("timers running")
    assert chat.close() == 0


def test_a_command_for_later_runs_in_a_chat_session_when_its_time_comes(cli, state_file, tmp_path):
    """ "turn on the TV in 10 minutes" is kept, not done; a session running when it is due does it."""
    start = 1767261600  # 10:00
    env = {"ASSISTANT_NOW": str(start)}
    assert cli("say", "turn on the tv in 10 minutes", env=env).out.strip() == "OK, in 10 minutes I'll turn on the tv."
    assert cli("say", "what's scheduled", env=env).out.strip() == "Scheduled: turn on the tv in 10 minutes."
    assert cli("say", "is the tv on", env=env).out.strip() == "No, the TV is off."
    chat = ChatSession(state_file, tmp_path, now=start + 601)
    assert "Turned on the TV." in chat.wait_for("Turned on")
    chat.send("is the tv on")
    assert "Yes, the TV is on." in chat.wait_for("the TV is on")
    assert chat.close() == 0
    assert cli("say", "what's scheduled", env=env).out.strip() == "Nothing is scheduled."


def test_a_command_long_overdue_is_reported_not_done_late(cli, state_file, tmp_path):
    start = 1767261600  # 10:00
    cli("say", "close the curtains at 10:30", env={"ASSISTANT_NOW": str(start)})
    chat = ChatSession(state_file, tmp_path, now=start + 3 * 3600)
    assert "I didn't close the curtains at 10:30 AM: nothing was running then." in chat.wait_for("nothing was running")
    assert chat.close() == 0
    rows = {r["id"]: r for r in cli("devices", "--json").json()}
    assert rows["living_room_curtains"]["state"]["position"] == 0


def test_a_misheard_command_for_later_is_said_back_and_listed_as_understood(cli):
    """A typo or a recogniser's slip ("curtins", "kichen") is not repeated back: the reply and the
    schedule name what will be done; a time of day is listed as that time, a delay as the time left."""
    env = {"ASSISTANT_NOW": "1767261600"}  # 10:00
    assert cli("say", "close the curtins at 9 pm", env=env).out.strip() == "OK, at 9 PM I'll close the curtains."
    assert (cli("say", "turn off the kichen light in 10 minutes", env=env).out.strip()
            == "OK, in 10 minutes I'll turn off the kitchen light.")
    later = {"ASSISTANT_NOW": "1767261603"}  # seconds later the time left is still said in whole minutes
    assert (cli("say", "what's scheduled", env=later).out.strip()
            == "Scheduled: turn off the kitchen light in 10 minutes and close the curtains at 9 PM.")


KOREAN_HOME = """\
name: 우리 집
language: ko
room: living_room
rooms:
  - {id: living_room, name: 거실}
devices:
  - {id: living_light, name: 조명, type: light, room: living_room}
"""


def test_a_korean_alarm_and_timer_ring_in_korean(cli, state_file, tmp_path):
    """In a Korean home an alarm rings with its time said the Korean way, and a timer by its Korean name."""
    from conftest import REPO

    home = tmp_path / "home.yaml"
    home.write_text(KOREAN_HOME, encoding="utf-8")
    env = {"PYTHONPATH": str(REPO), "TZ": "UTC"}  # this checkout's code, whichever is installed
    start = 1767261600  # 10:00
    said = cli("say", "--home", str(home), "오후 7시 30분에 알람 맞춰 줘", env={**env, "ASSISTANT_NOW": str(start)})
    assert said.out.strip() == "알람을 오후 7시 30분에 맞췄어요. 9시간 30분 뒤에 울려요."
    said = cli("say", "--home", str(home), "타이머 5분 맞춰 줘", env={**env, "ASSISTANT_NOW": str(start + 9.5 * 3600 - 300)})
    assert said.out.strip() == "타이머를 5분으로 맞췄어요."
    chat = ChatSession(state_file, tmp_path, now=start + 9.5 * 3600, args=("--home", str(home)), env=env)
    heard = chat.wait_for("알람이에요.")
    heard += chat.wait_for("끝났어요.") if "끝났어요." not in heard else ""
    assert "오후 7시 30분이에요. 알람이에요." in heard
    assert "5분 타이머가 끝났어요." in heard
    assert chat.close() == 0

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


def test_parse_does_not_start_a_timer(cli, state_file):
    data = cli("parse", "--json", "set a timer for 90 seconds").json()
    assert data["commands"][0]["slots"] == {"duration": 90}
    assert not state_file.exists()


def test_chat_announces_a_timer_when_it_runs_out(state_file, tmp_path):
    """A timer rings on its own in a chat session: the user is told without asking, and it is gone afterwards."""
    import os
    import queue
    import subprocess
    import threading

    from conftest import BIN

    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_HOME", "ASSISTANT_NOW")}
    env.update(ASSISTANT_STATE=str(state_file), XDG_DATA_HOME=str(tmp_path / "d"), XDG_CONFIG_HOME=str(tmp_path / "c"),
               XDG_CACHE_HOME=str(tmp_path / "k"))
    chat = subprocess.Popen([str(BIN / "assistant"), "chat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in chat.stdout], daemon=True).start()

    def wait_for(words: str) -> str:
        seen = []
        while True:
            line = lines.get(timeout=30)
            seen.append(line)
            if words in line:
                return "".join(seen)

    try:
        chat.stdin.write("set a tea timer for 2 seconds\n")
        chat.stdin.flush()
        wait_for("Tea timer set for 2 seconds.")
        assert "The tea timer is done." in wait_for("is done")
        chat.stdin.write("what timers do i have\nexit\n")
        chat.stdin.flush()
        assert "You have no timers running." in wait_for("timers running")
        assert chat.wait(timeout=30) == 0
    finally:
        chat.kill()

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

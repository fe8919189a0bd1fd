"""The simulated adapter's persistence and time behaviour: appliances progress between processes,
with ASSISTANT_NOW moving the clock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_devices import Flat

T0 = 1_700_000_000


@pytest.fixture
def clock(monkeypatch):
    """Set the assistant's clock (ASSISTANT_NOW) to T0 + seconds."""

    def at(seconds: float) -> None:
        monkeypatch.setenv("ASSISTANT_NOW", str(T0 + seconds))

    at(0)
    return at


@pytest.fixture
def flat(tmp_path: Path) -> Flat:
    return Flat(tmp_path / "state.json")


def test_state_persists_in_the_state_file_across_adapters(tmp_path: Path):
    Flat(tmp_path / "state.json").do("lamp", "set_brightness", value=30)
    again = Flat(tmp_path / "state.json")
    assert again.state("lamp")["brightness"] == 30 and again.state("lamp")["power"] is True
    assert Flat(tmp_path / "other.json").state("lamp")["power"] is False


def test_washer_programme_counts_down_pauses_and_finishes(flat: Flat, clock):
    flat.do("washer", "start", mode="delicates")
    assert flat.state("washer") == {"status": "running", "programme": "delicates", "time_left": 3600}
    clock(600)
    assert flat.state("washer")["time_left"] == 3000
    flat.do("washer", "pause")
    clock(2000)
    assert flat.state("washer") == {"status": "paused", "programme": "delicates", "time_left": 3000}
    flat.do("washer", "start")  # resumes where it stopped
    clock(2000 + 2999)
    assert flat.state("washer")["time_left"] == 1
    clock(2000 + 3000)
    assert flat.state("washer") == {"status": "finished", "programme": "delicates", "time_left": 0}
    clock(90_000)
    assert flat.state("washer")["status"] == "finished"


def test_rice_cooker_finishes_and_keeps_warm(flat: Flat, clock):
    flat.do("rice_cooker", "start", mode="quick cook")
    clock(1499)
    assert flat.state("rice_cooker")["status"] == "running"
    clock(1500)
    assert flat.state("rice_cooker") == {"status": "keep warm", "programme": "quick cook", "time_left": 0}
    flat.do("rice_cooker", "stop")
    assert flat.state("rice_cooker")["status"] == "idle"


def test_kettle_heats_boils_switches_off_and_cools(flat: Flat, clock):
    flat.do("kettle", "turn_on")
    clock(60)
    state = flat.state("kettle")
    assert state["status"] == "heating" and state["power"] is True
    assert 20 < state["water_temperature"] < 100
    clock(60 * 3)
    assert flat.state("kettle") == {"power": False, "status": "boiled", "water_temperature": pytest.approx(100, abs=1),
                                    "target_temperature": 100}
    clock(60 * 60)
    cooled = flat.state("kettle")
    assert cooled["status"] == "idle" and 20 <= cooled["water_temperature"] < 80


def test_kettle_stops_at_a_lower_target(flat: Flat, clock):
    flat.do("kettle", "set_temperature", value=70)
    flat.do("kettle", "start")
    clock(600)
    state = flat.state("kettle")
    assert state["status"] == "boiled" and 60 < state["water_temperature"] <= 70


def test_water_heater_heats_to_target_and_holds(flat: Flat, clock):
    flat.do("boiler", "turn_on")
    clock(600)
    heating = flat.state("boiler")
    assert heating["status"] == "heating" and 30 < heating["water_temperature"] < 55
    clock(6 * 3600)
    assert flat.state("boiler")["status"] == "ready" and flat.state("boiler")["water_temperature"] == 55
    flat.do("boiler", "turn_off")
    clock(12 * 3600)
    off = flat.state("boiler")
    assert off["status"] == "idle" and 20 <= off["water_temperature"] < 55


def test_vacuum_cleans_a_room_returns_docks_and_recharges(flat: Flat, clock):
    flat.do("vacuum", "start", area="Kitchenette")
    assert flat.state("vacuum")["cleaning_area"] == "kitchenette"
    clock(300)
    middle = flat.state("vacuum")
    assert middle["status"] == "cleaning" and middle["battery"] < 100
    flat.do("vacuum", "pause")
    clock(1000)
    assert flat.state("vacuum")["status"] == "paused"
    flat.do("vacuum", "start")  # resumes the same room for the remaining 300 seconds
    clock(1000 + 300)
    assert flat.state("vacuum")["status"] == "returning"
    clock(1000 + 300 + 60)
    docked = flat.state("vacuum")
    assert docked["status"] == "docked" and docked["cleaning_area"] == "" and docked["battery"] < 100
    clock(20_000)
    assert flat.state("vacuum")["battery"] == 100


def test_vacuum_dock_on_command_and_low_battery(flat: Flat, clock):
    flat.do("vacuum", "start")
    clock(100)
    assert flat.do("vacuum", "dock") == {"status": "returning"}
    clock(200)
    assert flat.state("vacuum")["status"] == "docked"
    flat.do("vacuum", "start")
    clock(200 + 1800 + 60)  # a whole-home run
    flat.do("vacuum", "start")
    clock(200 + 2 * (1800 + 60))
    low = flat.state("vacuum")["battery"]
    assert low < 15
    assert flat.refuses("vacuum", "start") == (
        f"The robot vacuum's battery is too low to clean ({low} percent); let it charge first")


def test_offline_device_is_unavailable_and_says_so(tmp_path: Path):
    home = tmp_path / "home.yaml"
    home.write_text("devices:\n  - {id: lamp, name: Lamp, type: light, options: {offline: true}}\n")
    flat = Flat(tmp_path / "state.json", home)
    assert flat.refuses("lamp", "turn_on") == "The lamp isn't responding"
    device = flat.home.devices["lamp"]
    assert flat.registry.for_device(device).available(device) is False


def test_time_moves_across_processes_through_the_cli(cli_process, state_file, tmp_path):
    """Start the washer in one process at t0; `assistant devices --json` in later processes sees it count down
    and finish; a lamp turned on by `assistant say` at t0 stays on."""
    env = {"ASSISTANT_NOW": str(T0)}
    start = (
        "from assistant.adapters import AdapterRegistry\n"
        "from assistant.home.model import load_home\n"
        "from assistant.home.state import StateStore\n"
        "home = load_home()\n"
        "device = home.devices['washing_machine']\n"
        f"AdapterRegistry(home, StateStore({str(state_file)!r})).for_device(device).execute(device, 'start', {{}})\n"
    )
    subprocess.run([sys.executable, "-c", start], check=True, env={**os.environ, **env})
    assert cli_process("say", "turn on the floor lamp", env=env).code == 0

    def washer(at: float) -> dict:
        rows = cli_process("devices", "--json", env={"ASSISTANT_NOW": str(T0 + at)}).json()
        return {r["id"]: r for r in rows}["washing_machine"]["state"]

    assert washer(0) == {"status": "running", "programme": "cotton", "time_left": 7200}
    assert washer(600)["time_left"] == 6600
    assert washer(3 * 3600) == {"status": "finished", "programme": "cotton", "time_left": 0}
    rows = {r["id"]: r for r in cli_process("devices", "--json", env={"ASSISTANT_NOW": str(T0 + 3 * 3600)}).json()}
    assert rows["floor_lamp"]["state"]["power"] is True

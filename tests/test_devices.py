"""Each device type's capabilities, exercised through the simulated adapter on the example flat
(a real home file and a real state file in a temporary directory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.adapters import AdapterRegistry
from assistant.errors import AssistantError, DeviceError
from assistant.home.model import load_home
from assistant.resources import demo_home_path
from assistant.home.state import StateStore

FLAT = demo_home_path().with_name("flat.yaml")


class Flat:
    """The flat's devices, driven the way the pipeline drives them."""

    def __init__(self, state_path: Path, home_path: Path = FLAT):
        self.home = load_home(home_path)
        self.registry = AdapterRegistry(self.home, StateStore(state_path))

    def do(self, device_id: str, intent: str, **slots):
        device = self.home.devices[device_id]
        return self.registry.for_device(device).execute(device, intent, slots).changed()

    def state(self, device_id: str) -> dict:
        device = self.home.devices[device_id]
        return self.registry.for_device(device).state(device)

    def refuses(self, device_id: str, intent: str, **slots) -> str:
        with pytest.raises(DeviceError) as error:
            self.do(device_id, intent, **slots)
        return str(error.value)


@pytest.fixture
def flat(tmp_path: Path) -> Flat:
    return Flat(tmp_path / "state.json")


def test_light_power_brightness_colour_and_colour_temperature(flat: Flat):
    assert flat.do("lamp", "turn_on") == {"power": True}
    assert flat.do("lamp", "turn_on") == {}
    assert flat.do("lamp", "set_brightness", value=40) == {"brightness": 40}
    assert flat.do("lamp", "set_brightness", delta=25) == {"brightness": 65}
    assert flat.do("lamp", "set_brightness", delta=100) == {"brightness": 100}
    assert flat.do("lamp", "set_brightness", value="50") == {"brightness": 50}
    assert flat.refuses("lamp", "set_brightness", value=0) == "The lamp can only be set between 1 and 100 percent"
    assert flat.do("lamp", "set_color", color="red") == {"color": "red"}
    assert flat.do("lamp", "set_color", color="Light Blue") == {"color": "light blue"}
    assert flat.refuses("lamp", "set_color", color="blurple") == "The lamp can't show the colour blurple"
    assert flat.do("lamp", "set_color", color="warm white") == {"color": "white", "color_temp": 2700}
    assert flat.do("lamp", "set_temperature", value=5000) == {"color_temp": 5000}
    assert flat.do("lamp", "set_temperature", value="daylight") == {"color_temp": 6500}
    assert flat.refuses("lamp", "set_temperature", value=9000) == (
        "The lamp can only be set between 2200 and 6500 kelvin")
    assert flat.do("lamp", "turn_off") == {"power": False}
    assert flat.do("lamp", "set_color", color="green") == {"power": True, "color": "green"}
    assert flat.state("lamp") == {"power": True, "brightness": 50, "color": "green", "color_temp": 6500}


def test_lights_without_a_feature_say_what_they_cannot_do(flat: Flat):
    assert flat.refuses("plain_light", "set_brightness", value=10) == "The hall light can't dim"
    assert flat.refuses("plain_light", "set_color", color="red") == "The hall light can't change colour"
    assert flat.refuses("strip", "set_temperature", value=3000) == "The light strip can't set a temperature"
    assert flat.refuses("bulb", "set_color", color="red") == "The tunable bulb can only change between warm and cool white"
    assert flat.do("bulb", "set_color", color="cool white") == {"power": True, "color_temp": 5000}
    assert flat.refuses("strip", "set_color", color="warm") == "The light strip can't show the colour warm"


def test_switch_on_off_and_metering(flat: Flat):
    assert flat.state("plug") == {"power": False, "energy": 0}
    assert flat.do("plug", "turn_on") == {"power": True}
    assert flat.do("plug", "turn_off") == {"power": False}
    assert flat.refuses("plug", "set_brightness", value=5) == "The coffee plug can't dim"


def test_tv_power_volume_mute_channel_source_and_playback(flat: Flat):
    assert flat.do("tv", "turn_on") == {"power": True}
    assert flat.do("tv", "set_volume", value=35) == {"volume": 35}
    assert flat.do("tv", "volume_up") == {"volume": 45}
    assert flat.do("tv", "volume_up", delta=5) == {"volume": 50}
    assert flat.do("tv", "volume_down") == {"volume": 40}
    assert flat.refuses("tv", "set_volume", value=150) == "The TV can only be set between 0 and 100 percent"
    assert flat.do("tv", "mute") == {"muted": True}
    assert flat.do("tv", "volume_up") == {"volume": 50, "muted": False}
    assert flat.do("tv", "mute") == {"muted": True}
    assert flat.do("tv", "unmute") == {"muted": False}
    assert flat.do("tv", "set_mode", mode="hdmi 1") == {"source": "hdmi 1"}
    assert flat.do("tv", "set_channel", value=7) == {"channel": 7, "source": "tv"}
    assert flat.do("tv", "media_next") == {"channel": 8, "playback": "playing"}
    assert flat.do("tv", "media_previous") == {"channel": 7}
    assert flat.do("tv", "media_pause") == {"playback": "paused"}
    assert flat.do("tv", "media_play") == {"playback": "playing"}
    assert flat.do("tv", "stop") == {"playback": "stopped"}
    assert flat.refuses("tv", "set_mode", mode="vhs") == (
        "The TV has no source called vhs; it has tv, hdmi 1, hdmi 2, hdmi 3, usb, netflix or youtube")
    assert flat.do("tv", "turn_off") == {"power": False}


def test_speaker_playback_tracks_and_source(flat: Flat):
    assert flat.do("radio", "media_play") == {"power": True, "playback": "playing"}
    assert flat.do("radio", "media_next") == {"track": 2}
    assert flat.do("radio", "media_previous") == {"track": 1}
    assert flat.do("radio", "media_previous") == {}  # already on the first track
    assert flat.do("radio", "set_mode", mode="radio") == {"source": "radio"}
    assert flat.do("radio", "volume_down", delta=50) == {"volume": 0}
    assert flat.do("radio", "turn_off") == {"power": False, "playback": "stopped"}


def test_climate_temperature_mode_and_fan_speed(flat: Flat):
    assert flat.do("ac", "set_temperature", value=22) == {"power": True, "target_temperature": 22}
    assert flat.do("ac", "set_temperature", delta=-1.5) == {"target_temperature": 20.5}
    assert flat.refuses("ac", "set_temperature", value=35) == (
        "The bedroom air conditioner can only be set between 16 and 30 degrees")
    assert flat.do("ac", "set_temperature", delta=-20) == {"target_temperature": 16}
    assert flat.do("ac", "set_mode", mode="heat") == {"mode": "heat"}
    assert flat.do("ac", "set_mode", mode="high") == {"fan_speed": "high"}
    assert flat.refuses("ac", "set_mode", mode="turbo") == (
        "The bedroom air conditioner has no mode called turbo; it has cool, heat, dry, fan or auto "
        "(fan speed: low, medium, high or auto)")
    assert flat.state("ac")["current_temperature"] == 26
    assert flat.do("ac", "turn_off") == {"power": False}


def test_fan_speed_words_numbers_and_modes(flat: Flat):
    assert flat.do("fan", "set_mode", mode="high") == {"power": True, "speed": 5}
    assert flat.do("fan", "set_mode", mode=3) == {"speed": 3}
    assert flat.do("fan", "set_mode", mode="sleep") == {"mode": "sleep"}
    assert flat.refuses("fan", "set_mode", mode=9) == (
        "The fan has no mode called 9; it has normal, natural or sleep (speed between 1 and 5)")


def test_cover_open_close_position_and_stop(flat: Flat):
    assert flat.do("blind", "open") == {"position": 100}
    assert flat.do("blind", "close") == {"position": 0}
    assert flat.do("blind", "set_position", value=30) == {"position": 30}
    assert flat.do("blind", "set_position", delta=20) == {"position": 50}
    assert flat.do("blind", "stop") == {}
    assert flat.refuses("blind", "set_position", value=120) == "The blind can only be set between 0 and 100 percent"
    assert flat.do("garage_door", "open") == {"position": 100}  # the confirmation is the dialogue's job
    assert flat.home.devices["garage_door"].commands["open"].risky


def test_lock_and_unlock(flat: Flat):
    assert flat.state("door") == {"locked": True}
    assert flat.do("door", "unlock") == {"locked": False}
    assert flat.do("door", "lock") == {"locked": True}
    assert flat.refuses("door", "open") == "The front door can't open"


def test_fridge_compartments_and_modes(flat: Flat):
    assert flat.do("fridge", "set_temperature", value=3) == {"fridge_temperature": 3}
    assert flat.do("fridge", "set_temperature", value=-20) == {"freezer_temperature": -20}
    assert flat.refuses("fridge", "set_temperature", value=10) == (
        "The fridge can only be set between 1 and 8 degrees (freezer temperature between -24 and -14 degrees)")
    assert flat.do("fridge", "set_mode", mode="super freeze") == {"mode": "super freeze"}
    assert flat.refuses("fridge", "turn_off") == "The fridge can't turn off"


def test_air_purifier(flat: Flat):
    assert flat.do("purifier", "set_mode", mode="sleep") == {"power": True, "mode": "sleep"}
    assert flat.state("purifier")["air_quality"] == 42
    assert flat.do("purifier", "turn_off") == {"power": False}


def test_valve(flat: Flat):
    assert flat.do("tap", "open") == {"open": True}
    assert flat.do("tap", "turn_off") == {"open": False}
    assert flat.do("tap", "turn_on") == {"open": True}
    assert flat.do("tap", "close") == {"open": False}


def test_sensors_read_their_class_value_and_refuse_commands(flat: Flat):
    assert flat.state("thermometer") == {"value": 19.5}
    assert flat.state("hygrometer") == {"value": 45}
    assert flat.state("door_contact") == {"value": "closed"}
    assert flat.state("smoke") == {"value": False}
    assert "get_temperature" in flat.home.devices["thermometer"].commands
    assert "get_temperature" not in flat.home.devices["hygrometer"].commands
    assert flat.refuses("thermometer", "turn_on") == "The thermometer can't turn on"


def test_programme_and_appliance_commands_respond(flat: Flat):
    """Starting, pausing and stopping appliances; their timing is in test_simulated.py."""
    assert flat.do("washer", "set_mode", mode="quick wash") == {"programme": "quick wash"}
    assert flat.do("washer", "start") == {"status": "running", "time_left": 1800}
    assert flat.refuses("washer", "set_mode", mode="wool") == (
        "The washing machine is in the middle of quick wash; stop it first to change the programme")
    assert flat.do("washer", "pause") == {"status": "paused"}
    assert flat.do("washer", "stop") == {"status": "idle", "time_left": 0}
    assert flat.refuses("washer", "pause") == "The washing machine isn't running"
    assert flat.refuses("washer", "set_mode", mode="boil wash") == (
        "The washing machine has no programme called boil wash; it has cotton, quick wash, eco, delicates, wool "
        "or rinse")
    assert flat.do("rice_cooker", "set_mode", mode="porridge") == {
        "status": "running", "programme": "porridge", "time_left": 5400}
    assert flat.do("rice_cooker", "turn_off") == {"status": "idle", "time_left": 0}
    assert flat.do("rice_cooker", "set_mode", mode="keep warm") == {"status": "keep warm"}
    assert flat.do("vacuum", "start", area="bedroom") == {"status": "cleaning", "cleaning_area": "bedroom"}
    assert flat.refuses("vacuum", "start", area="attic") == "The robot vacuum doesn't know a room called attic"
    assert flat.do("vacuum", "set_mode", mode="mop") == {"mode": "mop"}
    assert flat.do("kettle", "set_temperature", value=80) == {"target_temperature": 80}
    assert flat.refuses("kettle", "set_temperature", value=120) == "The kettle can only be set between 40 and 100 degrees"
    assert flat.do("boiler", "set_temperature", value=60) == {"target_temperature": 60}


SLOT_SAMPLES = [
    {}, {"value": 50}, {"value": -5}, {"value": 1e9}, {"value": "abc"}, {"value": None}, {"value": True},
    {"value": float("nan")}, {"value": [1, 2]}, {"delta": 10}, {"delta": "x"}, {"color": "red"}, {"color": 7},
    {"mode": "high"}, {"mode": "nonsense"}, {"mode": ["a"]}, {"area": "lounge"}, {"area": 5}, {"area": ["bedroom"]},
]


def test_no_command_with_any_slots_crashes(flat: Flat):
    """Every intent on every device, with sensible and silly slots: a change or a clear refusal, never a crash."""
    from assistant.act.resolve import ABILITY

    intents = set(ABILITY) | {"get_state", "get_temperature"}
    for device in flat.home.devices.values():
        for intent in sorted(intents):
            for slots in SLOT_SAMPLES:
                try:
                    flat.do(device.id, intent, **slots)
                except AssistantError as exc:
                    message = str(exc)
                    assert message and "\n" not in message and "Traceback" not in message, (device.id, intent, slots)
                    assert message[0].isupper(), message

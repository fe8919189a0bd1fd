"""The home file: the shipped homes load, and every mistake in a home file is reported as one line that
names the file, the line, the key and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import HomeError
from assistant.home.model import load_home
from assistant.home.types import device_types
from assistant.resources import demo_home_path

FLAT = demo_home_path().with_name("flat.yaml")

# (file text, the message after "home file PATH:")
BAD_HOMES = {
    "malformed yaml": ("rooms:\n  - {id: a\ndevices: []\n", "3: malformed YAML: expected ',' or '}', but got ':'"),
    "tab indentation": ("rooms:\n\t- id: a\n", "2: malformed YAML: found character '\\t' that cannot start any token"),
    "duplicate key": ("rooms:\n  - id: a\n    id: b\n", "3: malformed YAML: duplicate key 'id'"),
    "top level is a list": ("- a\n- b\n", "1: home: expected a mapping, got a list"),
    "rooms is a mapping": ("rooms: {id: a}\n", "1: rooms: expected a list, got a mapping"),
    "unknown top-level key": (
        "rooms: []\ndevice: []\n",
        "2: home: unknown key 'device' (allowed: adapters, assistant, devices, intents, language, mqtt, name, room, "
        "rooms, scenes, security)",
    ),
    "unknown device key": (
        "rooms: [{id: lounge}]\ndevices:\n  - id: lamp\n    type: light\n    colour: red\n",
        "5: devices[0] (lamp): unknown key 'colour' (allowed: adapter, aliases, class, features, id, name, options, "
        "room, type)",
    ),
    "duplicate device id": (
        "devices:\n  - {id: lamp, type: light}\n  - {id: lamp, type: switch}\n",
        "3: devices[1] (lamp).id: duplicate device id 'lamp'",
    ),
    "duplicate room id": ("rooms:\n  - {id: a}\n  - {id: a}\n", "3: rooms[1] (a).id: duplicate room id 'a'"),
    "invalid id": (
        "devices:\n  - {id: Floor Lamp, type: light}\n",
        "2: devices[0].id: 'Floor Lamp' is not a valid id (use lower-case letters, digits, _ or -)",
    ),
    "missing type": ("devices:\n  - {id: lamp}\n", "2: devices[0] (lamp): missing 'type'"),
    "unknown type": (
        "devices:\n  - {id: lamp, type: toaster}\n",
        "2: devices[0] (lamp).type: unknown device type 'toaster' (known: air_purifier, climate, cover, fan, fridge, "
        "kettle, light, lock, rice_cooker, sensor, speaker, switch, tv, vacuum, valve, washer, water_heater)",
    ),
    "unknown room": (
        "rooms: [{id: lounge}]\ndevices:\n  - {id: lamp, type: light, room: kitchen}\n",
        "3: devices[0] (lamp).room: unknown room 'kitchen' (rooms: lounge)",
    ),
    "unknown feature": (
        "devices:\n  - {id: lamp, type: light, features: [dimmable, rgb]}\n",
        "2: devices[0] (lamp).features: unknown feature 'rgb' for a light (known: color, color_temp, dimmable)",
    ),
    "features not a list": (
        "devices:\n  - {id: lamp, type: light, features: dimmable}\n",
        "2: devices[0] (lamp).features: expected a list, got text",
    ),
    "sensor without class": (
        "devices:\n  - {id: t, type: sensor}\n",
        "2: devices[0] (t): a sensor needs a class, such as temperature, humidity, battery, illuminance "
        f"({len(device_types()['sensor'].classes)} are known; any other is read as a generic sensor)",
    ),
    "unknown cover class": (
        "devices:\n  - {id: c, type: cover, class: trapdoor}\n",
        "2: devices[0] (c).class: unknown cover class 'trapdoor' (known: blind, curtain, garage_door, gate, shade, "
        "shutter, window)",
    ),
    "class on a type without classes": (
        "devices:\n  - {id: lamp, type: light, class: curtain}\n",
        "2: devices[0] (lamp).class: a light has no classes, so 'class' does not apply",
    ),
    "name is a list": (
        "devices:\n  - {id: lamp, type: light, name: [a, b]}\n",
        "2: devices[0] (lamp).name: expected text, got a list",
    ),
    "empty name": ("devices:\n  - {id: lamp, type: light, name: ''}\n", "2: devices[0] (lamp).name: must not be empty"),
    "alias is a boolean": (
        "devices:\n  - {id: lamp, type: light, aliases: [true]}\n",
        "2: devices[0] (lamp).aliases[0]: expected a non-empty name, got true/false",
    ),
    "options is a list": (
        "devices:\n  - {id: lamp, type: light, options: [a]}\n",
        "2: devices[0] (lamp).options: expected a mapping, got a list",
    ),
    "bad adapter name": (
        "devices:\n  - {id: lamp, type: light, adapter: 'my adapter'}\n",
        "2: devices[0] (lamp).adapter: 'my adapter' is not a valid adapter name",
    ),
    "scene on unknown device": (
        "devices:\n  - {id: lamp, type: light}\nscenes:\n  - id: night\n    actions:\n"
        "      - {device: lampp, intent: turn_off}\n",
        "6: scenes[0] (night).actions[0].device: unknown device 'lampp'",
    ),
    "scene intent the device cannot do": (
        "devices:\n  - {id: lamp, name: Lamp, type: light, features: []}\nscenes:\n  - id: night\n    actions:\n"
        "      - {device: lamp, intent: set_color, slots: {color: red}}\n",
        "6: scenes[0] (night).actions[0].intent: the lamp (light) cannot do 'set_color' "
        "(it can: turn_on, turn_off, get_state)",
    ),
    "scene value out of range": (
        "devices:\n  - {id: ac, name: Bedroom Air Conditioner, type: climate}\nscenes:\n  - id: night\n"
        "    actions:\n      - {device: ac, intent: set_temperature, slots: {value: 40}}\n",
        "6: scenes[0] (night).actions[0].slots.value: the bedroom air conditioner can only be set between 16 and 30 "
        "degrees",
    ),
    "scene mode the device lacks": (
        "devices:\n  - {id: ac, name: AC, type: climate}\nscenes:\n  - id: night\n    actions:\n"
        "      - {device: ac, intent: set_mode, slots: {mode: turbo}}\n",
        "6: scenes[0] (night).actions[0].slots.mode: the ac has no mode called turbo; it has cool, heat, dry, fan or "
        "auto (fan speed: low, medium, high or auto)",
    ),
    "scene without actions": ("scenes:\n  - id: night\n", "2: scenes[0] (night).actions: a scene needs at least one action"),
    "own room unknown": ("room: attic\nrooms: [{id: lounge}]\n", "1: room: unknown room 'attic' (rooms: lounge)"),
}


@pytest.mark.parametrize("case", list(BAD_HOMES))
def test_a_bad_home_file_is_one_line_naming_file_line_key_and_problem(tmp_path: Path, case: str):
    text, message = BAD_HOMES[case]
    path = tmp_path / "home.yaml"
    path.write_text(text)
    with pytest.raises(HomeError) as error:
        load_home(path)
    assert str(error.value) == f"home file {path}:{message}"
    assert "\n" not in str(error.value)


def test_missing_and_unreadable_home_files(tmp_path: Path):
    with pytest.raises(HomeError, match=rf"^home file {tmp_path}/nope.yaml: file not found$"):
        load_home(tmp_path / "nope.yaml")
    with pytest.raises(HomeError, match=rf"^home file {tmp_path}: is a directory, not a file$"):
        load_home(tmp_path)
    binary = tmp_path / "home.yaml"
    binary.write_bytes(b"\xff\xfe\x00rooms")
    with pytest.raises(HomeError, match=r": not a UTF-8 text file$"):
        load_home(binary)


def test_yaml_words_on_and_off_stay_words(tmp_path: Path):
    path = tmp_path / "home.yaml"
    path.write_text("rooms: [{id: lounge, aliases: [on, off, yes]}]\n")
    assert load_home(path).rooms["lounge"].aliases == ("on", "off", "yes")


def test_an_empty_home_file_is_a_home_with_nothing_in_it(tmp_path: Path):
    path = tmp_path / "home.yaml"
    path.write_text("")
    home = load_home(path)
    assert home.devices == {} and home.rooms == {}


def test_demo_home_has_the_issue_devices_and_keeps_ids():
    home = load_home()
    assert set(home.rooms) >= {"living_room", "kitchen", "hallway", "entrance", "bathroom", "bedroom", "study"}
    by_room = {room: {d.type for d in home.devices_in(room)} for room in home.rooms}
    assert {"tv", "climate", "light", "cover", "vacuum"} <= by_room["living_room"]
    assert {"fridge", "rice_cooker", "kettle", "light"} <= by_room["kitchen"]
    assert {"washer", "water_heater"} <= by_room["bathroom"]
    assert {"light", "climate", "fan", "cover"} <= by_room["bedroom"]
    assert {"light", "air_purifier"} <= by_room["study"]
    assert "lock" in by_room["entrance"]
    sensors = {d.device_class for d in home.devices.values() if d.type == "sensor"}
    assert {"temperature", "humidity", "door"} <= sensors
    kept = {"floor_lamp", "ceiling_light", "kitchen_light", "counter_lights", "hallway_light", "living_room_tv",
            "living_room_ac", "living_room_curtains", "robot_vacuum", "living_room_speaker", "fridge", "rice_cooker",
            "kettle", "washing_machine", "water_heater", "bathroom_light", "bedroom_lamp", "bedroom_ac", "bedroom_fan",
            "bedroom_curtains", "desk_lamp", "air_purifier", "front_door", "porch_light"}
    assert kept <= set(home.devices)
    assert set(home.scenes) == {"good_night", "good_morning", "movie_time"}
    assert home.room == "living_room"


def test_risky_commands_come_from_the_type_and_the_class():
    home = load_home()
    assert home.devices["front_door"].commands["unlock"].risky
    assert not home.devices["front_door"].commands["lock"].risky
    assert home.devices["garage_door"].commands["open"].risky
    assert home.devices["garage_door"].commands["set_position"].risky
    assert not home.devices["garage_door"].commands["close"].risky
    assert not home.devices["living_room_curtains"].commands["open"].risky
    assert home.devices["water_heater"].commands["turn_on"].risky


def test_features_decide_what_a_light_can_do():
    home = load_home(FLAT)
    assert set(home.devices["lamp"].commands) >= {"set_brightness", "set_color", "set_temperature"}
    assert "set_temperature" not in home.devices["strip"].commands and "set_color" in home.devices["strip"].commands
    assert "set_brightness" not in home.devices["plain_light"].commands
    assert set(home.devices["plain_light"].commands) == {"turn_on", "turn_off", "get_state"}


def test_the_example_flat_has_every_device_type():
    from assistant.home.types import device_types

    home = load_home(FLAT)
    assert {d.type for d in home.devices.values()} == set(device_types())
    assert home.scenes["leaving"].actions[-1].slots == {"value": 26}
    assert home.settings["name"] == "Small flat"


def test_home_from_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_HOME", str(FLAT))
    assert load_home().settings["name"] == "Small flat"


FLUX_HOME = """\
rooms:
  - {id: garage, name: Garage}
devices:
  - {id: flux, name: Flux Capacitor, type: sensor, class: flux_capacitor, room: garage,
     options: {initial: {value: 1.21 gigawatts}}}
  - {id: garage_smoke, name: Garage Smoke Alarm, type: sensor, class: smoke, room: garage}
"""


def test_a_sensor_of_an_unknown_class_loads_as_a_generic_sensor_with_one_warning(tmp_path: Path, cli):
    path = tmp_path / "home.yaml"
    path.write_text(FLUX_HOME)
    result = cli("devices", "--json", "--home", str(path))
    assert result.code == 0, result.err
    rows = {row["id"]: row for row in result.json()}
    assert rows["flux"]["type"] == "sensor" and rows["flux"]["class"] == "flux_capacitor"
    assert rows["flux"]["state"] == {"value": "1.21 gigawatts"}
    warnings = result.err.strip().splitlines()
    assert warnings == [f"warning: home file {path}:4: devices[0] (flux).class: unknown sensor class 'flux_capacitor': "
                        "read as a generic sensor, its value shown as it is"]

    table = cli("devices", "--home", str(path))
    assert "flux_capacitor" in table.out and "1.21 gigawatts" in table.out and "detected" not in table.out
    assert "clear" in table.out  # a binary sensor shows its state, not yes/no
    assert len(table.err.strip().splitlines()) == 1
    said = cli("say", "check the flux capacitor", "--home", str(path))
    assert said.out.strip() == "The flux capacitor reads 1.21 gigawatts."
    said = cli("say", "is there smoke in the garage", "--home", str(path))
    assert said.out.strip() == "No, the garage smoke alarm detects no smoke."
    assert len(said.err.strip().splitlines()) == 1


def test_every_sensor_class_has_a_typed_value_and_two_state_classes_name_their_states():
    sensor = device_types()["sensor"]
    assert len(sensor.classes) >= 50
    for name, kind in sensor.classes.items():
        assert kind.value is not None, name
        if kind.two_state:
            codes = kind.named_states()
            assert len(codes) == 2, name
            assert {kind.state_of(v) for v in ((True, False) if kind.value.type == "bool" else kind.value.values)} == set(codes)
    battery = sensor.classes["battery"]
    assert battery.value.unit == "percent" and battery.state_of(14) == "low" and battery.holds(55, "low") is False
    assert sensor.classes["moisture"].state_of(True) == "wet" and sensor.classes["lock"].state_of(True) == "unlocked"
    assert sensor.classes["smoke"].holds(True, "detected") and sensor.classes["moisture"].holds(True, "detected")
    assert sensor.classes["pm25"].value.unit == "microgram_per_cubic_meter"


def test_every_sensor_unit_and_state_is_said_in_each_language():
    from assistant.language.words import load_words

    sensor = device_types()["sensor"]
    units = {k.value.unit for k in sensor.classes.values() if k.value is not None and k.value.unit}
    codes = {c for k in sensor.classes.values() if k.two_state for c in k.named_states()}
    for language in ("en", "ko"):
        said = load_words(language, "units").mapping("units")
        assert units <= set(said), (language, units - set(said))
        states = load_words(language, "states").data
        words = {**(states.get("values") or {}), **states["sensor"]["states"]}
        own = {c for per_class in states["sensor"]["classes"].values() for c in per_class}
        if language == "ko":  # Korean says every state in its own words
            assert codes <= set(words) | own, codes - set(words) - own

"""The MQTT adapter and discovery against a real mosquitto broker on 127.0.0.1.

Devices are played by small paho clients (tests/mosquitto.py `Firmware`): real MQTT clients on the
real broker, standing in only for the hardware."""

from __future__ import annotations

import json
import textwrap

import pytest

from mosquitto import Client, Firmware, broker, free_port  # noqa: F401 - broker is a fixture

HOME = textwrap.dedent("""
    name: Flat
    rooms:
      - {id: kitchen, name: Kitchen}
      - {id: hall, name: Hall, aliases: [hallway]}
    devices:
      - {id: kitchen_light, name: Kitchen Light, type: light, room: kitchen, adapter: mqtt, features: [dimmable, color]}
      - {id: front_door, name: Front Door, type: lock, room: hall, adapter: mqtt}
      - {id: garage_light, name: Garage Light, type: light, room: hall, adapter: mqtt,
         options: {availability_topic: home/garage_light/availability}}
""")


@pytest.fixture
def home_file(tmp_path):
    path = tmp_path / "home.yaml"
    path.write_text(HOME)
    return path


def _adapter(home_file, tmp_path, url):
    from assistant.adapters import AdapterRegistry
    from assistant.app import Options, Wiring

    setup = Wiring(Options(home=home_file, state=tmp_path / "state.json", mqtt=url))
    home = setup.home()
    return home, AdapterRegistry(home, setup.store()).get("mqtt")


def test_say_publishes_the_command_with_qos_1_and_waits_for_the_state(cli, broker, home_file):
    light = Firmware(broker, "home/kitchen_light", {"state": "OFF", "brightness": 255})
    wire = Client(broker)
    wire.subscribe("home/kitchen_light/set")
    result = cli("say", "turn on the kitchen light", "--home", str(home_file), "--mqtt", broker.url)
    assert result.code == 0, result.err
    assert result.out.strip() == "Turned on the kitchen light."
    topic, payload, qos, _ = wire.wait_for("home/kitchen_light/set")
    assert json.loads(payload) == {"state": "ON"} and qos == 1
    assert light.state["state"] == "ON"


def test_properties_are_mapped_to_the_ecosystem_conventions(broker, home_file, tmp_path):
    light = Firmware(broker, "home/kitchen_light", {"state": "OFF", "brightness": 255})
    lock = Firmware(broker, "home/front_door", {"state": "LOCKED"})
    home, adapter = _adapter(home_file, tmp_path, broker.url)
    lamp = home.devices["kitchen_light"]

    change = adapter.execute(lamp, "set_brightness", {"value": 50})
    assert light.commands[-1] == {"state": "ON", "brightness": 128}  # 50 % of 255
    assert change.before["brightness"] == 100 and change.after == {"power": True, "brightness": 50}

    adapter.execute(lamp, "set_color", {"color": "red"})
    assert light.commands[-1] == {"state": "ON", "color": {"r": 255, "g": 0, "b": 0}}
    assert adapter.state(lamp)["color"] == "red"

    door = home.devices["front_door"]
    assert adapter.state(door) == {"locked": True}  # retained "LOCKED" read at start-up
    change = adapter.execute(door, "unlock", {})
    assert lock.commands[-1] == {"state": "UNLOCK"} and change.after == {"locked": False}


def test_a_device_that_does_not_confirm_is_reported_not_assumed(cli, broker, home_file):
    silent = Firmware(broker, "home/kitchen_light", {"state": "OFF"}, answer=False)
    result = cli("say", "turn on the kitchen light", "--home", str(home_file), "--mqtt", broker.url,
                 env={"ASSISTANT_MQTT_TIMEOUT": "0.5"})
    assert result.out.strip() == "The kitchen light didn't respond."
    assert silent.commands == [{"state": "ON"}]


def test_a_device_that_says_it_is_offline_gets_no_command(cli, broker, home_file):
    device = Firmware(broker, "home/garage_light", {"state": "OFF"})
    device.publish("home/garage_light/availability", "offline", retain=True)
    result = cli("say", "turn on the garage light", "--home", str(home_file), "--mqtt", broker.url)
    assert result.out.strip() == "The garage light is offline."
    assert device.commands == []


def test_device_state_and_availability_show_up_in_devices_json(cli, broker, home_file):
    device = Client(broker)
    device.publish("home/kitchen_light", {"state": "ON", "brightness": 64}, retain=True)
    device.publish("home/front_door", "not json at all {", retain=True)  # malformed: logged, ignored
    device.publish("home/garage_light", {"state": "OFF"}, retain=True)
    device.publish("home/garage_light/availability", "offline", retain=True)
    result = cli("devices", "--json", "--home", str(home_file), "--mqtt", broker.url)
    assert result.code == 0, result.err
    rows = {row["id"]: row for row in result.json()}
    assert rows["kitchen_light"]["state"] == {"power": True, "brightness": 25}
    assert rows["kitchen_light"]["available"] is True
    assert rows["garage_light"]["available"] is False
    assert rows["front_door"]["available"] is False and "hasn't reported" in rows["front_door"]["error"]
    assert "ignored a state message of front_door" in result.err


def _announce(client, component, object_id, config):
    client.publish(f"homeassistant/{component}/node1/{object_id}/config", config, retain=True)


def test_discovery_adds_devices_to_an_empty_home_and_follows_removals(cli, broker):
    announcer = Client(broker)
    _announce(announcer, "light", "floor_lamp", {
        "name": "Floor Lamp", "unique_id": "n1-floor", "schema": "json", "brightness": True,
        "command_topic": "z2m/floor_lamp/set", "state_topic": "z2m/floor_lamp", "suggested_area": "Living Room"})
    _announce(announcer, "cover", "blinds", {
        "name": "Study Blinds", "uniq_id": "n1-blinds", "~": "z2m/blinds", "cmd_t": "~/set", "stat_t": "~",
        "dev_cla": "blind", "dev": {"name": "Blinds", "suggested_area": "Study"}})
    _announce(announcer, "sensor", "thermo", {
        "name": "Hall Thermometer", "state_topic": "z2m/thermo", "device_class": "temperature"})
    announcer.publish("homeassistant/light/node1/broken/config", "{not json", retain=True)
    announcer.publish("z2m/thermo", "21.5", retain=True)

    rows = {row["id"]: row for row in cli("devices", "--json", "--mqtt", broker.url).json()}
    assert set(rows) == {"floor_lamp", "blinds", "thermo"}
    assert rows["floor_lamp"]["type"] == "light" and rows["floor_lamp"]["room"] == "living_room"
    assert rows["blinds"]["type"] == "cover" and rows["blinds"]["class"] == "blind" and rows["blinds"]["room"] == "study"
    assert rows["thermo"]["state"] == {"value": 21.5}

    announcer.publish("homeassistant/cover/node1/blinds/config", "", retain=True)  # removal
    rows = {row["id"]: row for row in cli("devices", "--json", "--mqtt", broker.url).json()}
    assert set(rows) == {"floor_lamp", "thermo"}


def test_without_a_home_file_discovered_devices_are_the_home(cli, broker):
    lamp = Firmware(broker, "z2m/floor_lamp", {"state": "OFF"})
    _announce(lamp, "light", "floor_lamp", {"name": "Floor Lamp", "schema": "json",
                                            "command_topic": "z2m/floor_lamp/set", "state_topic": "z2m/floor_lamp"})
    result = cli("say", "turn on the floor lamp", "--mqtt", broker.url)
    assert result.out.strip() == "Turned on the floor lamp.", result.err
    assert lamp.commands == [{"state": "ON"}]
    assert cli("say", "is the floor lamp on", "--mqtt", broker.url).out.strip() == "Yes, the floor lamp is on."


def test_the_home_file_wins_over_discovery(cli, broker, home_file):
    announcer = Client(broker)
    _announce(announcer, "light", "kitchen_light", {"name": "Announced Name", "command_topic": "x/set", "state_topic": "x"})
    rows = {row["id"]: row for row in cli("devices", "--json", "--home", str(home_file), "--mqtt", broker.url).json()}
    assert rows["kitchen_light"]["name"] == "Kitchen Light" and rows["kitchen_light"]["room"] == "kitchen"


def test_a_running_assistant_follows_discovery(broker, tmp_path):
    from assistant.app import build

    announcer = Firmware(broker, "z2m/desk_lamp", {"state": "OFF"})
    assistant = build(state=tmp_path / "state.json", mqtt=broker.url)
    assert assistant.handle("turn on the desk lamp").reply == "I don't know a device called desk lamp."
    _announce(announcer, "light", "desk_lamp", {"name": "Desk Lamp", "command_topic": "z2m/desk_lamp/set",
                                                "state_topic": "z2m/desk_lamp", "suggested_area": "Study"})
    assert assistant.network.wait_for_discovery(5)
    assert assistant.handle("turn on the desk lamp").reply == "Turned on the desk lamp."
    announcer.publish("homeassistant/light/node1/desk_lamp/config", "", retain=True)
    assert assistant.network.wait_for_discovery(5)
    assert assistant.handle("turn off the desk lamp").reply == "I don't know a device called desk lamp."
    assert "desk_lamp" not in assistant.home.devices
    assistant.close()


def test_broker_down_at_start_is_one_clear_line(cli):
    url = f"mqtt://127.0.0.1:{free_port()}"
    result = cli("say", "turn on the floor lamp", "--mqtt", url)
    assert result.code == 5
    assert result.err.strip() == f"error: cannot reach the MQTT broker at {url}: connection refused"
    chat = cli("chat", "--mqtt", url, input="turn on the floor lamp\n")
    assert chat.code == 5 and "Traceback" not in chat.err
    assert chat.out.strip() == f"Sorry, cannot reach the MQTT broker at {url}: connection refused."


class PlainSwitch(Client):
    """Plays a plain smart plug (Home Assistant's default MQTT schema): text commands in, text state out."""

    def __init__(self, broker, topic: str, on: str, off: str, state_on: str, state_off: str):
        super().__init__(broker)
        self.topic, self.words = topic, {on: state_on, off: state_off}
        self.commands: list[str] = []
        self.subscribe(f"{topic}/set")
        self.publish(topic, state_off, retain=True)

    def on_message(self, topic: str, payload: bytes) -> None:
        if topic == f"{self.topic}/set":
            self.commands.append(payload.decode())
            self.client.publish(self.topic, self.words.get(payload.decode(), "?"), qos=1, retain=True)


def test_a_plain_switch_gets_its_own_payload_words_not_json(cli, broker):
    plug = PlainSwitch(broker, "tasmota/kettle_plug", on="power_on", off="power_off", state_on="1", state_off="0")
    _announce(plug, "switch", "kettle_plug", {
        "name": "Kettle Plug", "command_topic": "tasmota/kettle_plug/set", "state_topic": "tasmota/kettle_plug",
        "payload_on": "power_on", "payload_off": "power_off", "state_on": "1", "state_off": "0"})
    assert cli("say", "is the kettle plug on", "--mqtt", broker.url).out.strip() == "No, the kettle plug is off."
    result = cli("say", "turn on the kettle plug", "--mqtt", broker.url)
    assert result.out.strip() == "Turned on the kettle plug.", result.err
    assert plug.commands == ["power_on"]
    assert cli("say", "is the kettle plug on", "--mqtt", broker.url).out.strip() == "Yes, the kettle plug is on."
    assert cli("say", "switch off the kettle plug", "--mqtt", broker.url).out.strip() == "Turned off the kettle plug."
    assert plug.commands == ["power_on", "power_off"]


def test_discovered_sensors_of_home_assistant_classes_and_an_unknown_one(cli, broker):
    """Home Assistant's names for sensor classes become ours (a binary_sensor's battery is battery_low, a sensor's
    carbon_dioxide is co2); a class we do not know joins the home as a generic sensor, with one warning line."""
    announcer = Client(broker)
    _announce(announcer, "binary_sensor", "lock_battery", {
        "name": "Lock Battery", "state_topic": "z2m/lock_battery", "device_class": "battery", "suggested_area": "Hall"})
    _announce(announcer, "sensor", "hall_co2", {
        "name": "Hall CO2", "state_topic": "z2m/hall_co2", "device_class": "carbon_dioxide", "suggested_area": "Hall"})
    _announce(announcer, "binary_sensor", "cellar_leak", {
        "name": "Cellar Leak", "state_topic": "z2m/cellar_leak", "device_class": "moisture", "suggested_area": "Cellar"})
    _announce(announcer, "sensor", "hall_pm25", {
        "name": "Hall Air", "state_topic": "z2m/hall_pm25", "device_class": "pm25", "unit_of_measurement": "µg/m³",
        "suggested_area": "Hall"})
    _announce(announcer, "binary_sensor", "hall_smoke", {
        "name": "Hall Smoke Alarm", "state_topic": "z2m/hall_smoke", "device_class": "smoke", "suggested_area": "Hall"})
    _announce(announcer, "sensor", "flux", {
        "name": "Flux Capacitor", "state_topic": "z2m/flux", "device_class": "flux_capacitor",
        "unit_of_measurement": "GW", "suggested_area": "Garage"})
    announcer.publish("z2m/lock_battery", "ON", retain=True)
    announcer.publish("z2m/hall_co2", "850", retain=True)
    announcer.publish("z2m/cellar_leak", "OFF", retain=True)
    announcer.publish("z2m/flux", "1.21", retain=True)
    announcer.publish("z2m/hall_pm25", "35", retain=True)
    announcer.publish("z2m/hall_smoke", "OFF", retain=True)

    result = cli("devices", "--json", "--mqtt", broker.url)
    assert result.code == 0, result.err
    rows = {row["id"]: row for row in result.json()}
    assert rows["lock_battery"]["class"] == "battery_low" and rows["lock_battery"]["state"] == {"value": True}
    assert rows["hall_co2"]["class"] == "co2" and rows["hall_co2"]["state"] == {"value": 850}
    assert rows["cellar_leak"]["class"] == "moisture" and rows["cellar_leak"]["state"] == {"value": False}
    assert rows["flux"]["type"] == "sensor" and rows["flux"]["class"] == "flux_capacitor"
    assert rows["flux"]["state"] == {"value": "1.21"} and rows["flux"]["room"] == "garage"
    warnings = [line for line in result.err.splitlines() if "flux" in line.lower()]
    assert warnings == ["warning: Flux Capacitor (flux) is a sensor of a class we do not know, 'flux_capacitor': "
                        "read as a generic sensor, its value shown as it is"], result.err

    said = cli("say", "what does the flux capacitor read", "--mqtt", broker.url)
    assert said.out.strip() == "The flux capacitor reads 1.21 GW."
    assert cli("say", "is the lock battery low", "--mqtt", broker.url).out.strip() == "Yes, the lock battery is low."
    assert cli("say", "is there a leak in the cellar", "--mqtt", broker.url).out.strip() == "No, the cellar leak is dry."
    assert cli("say", "what's the co2 in the hall", "--mqtt", broker.url).out.strip() == (
        "The hall CO2 reads 850 parts per million.")
    assert rows["hall_pm25"]["class"] == "pm25" and rows["hall_smoke"]["class"] == "smoke"
    assert cli("say", "what's the pm2.5 in the hall", "--mqtt", broker.url).out.strip() == (
        "The hall air reads 35 micrograms per cubic meter.")
    assert cli("say", "is there smoke in the hall", "--mqtt", broker.url).out.strip() == (
        "No, the hall smoke alarm detects no smoke.")

    # the sensors' states as the devices publish them: the cellar floods, the alarm goes off
    announcer.publish("z2m/cellar_leak", "ON", retain=True)
    announcer.publish("z2m/hall_smoke", "ON", retain=True)
    assert cli("say", "is there a leak", "--mqtt", broker.url).out.strip() == "Yes, the cellar leak is wet."
    assert cli("say", "is there smoke anywhere", "--mqtt", broker.url).out.strip() == (
        "Yes, the hall smoke alarm detects smoke.")

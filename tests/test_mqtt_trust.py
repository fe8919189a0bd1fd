"""Trust on the broker, against real mosquitto brokers on 127.0.0.1 (tests/mosquitto.py): discovery
never takes over a device it did not create; a broker open to anyone is warned about; credentials
and TLS come from the URL, the environment or the home file, never a password on the command line;
bad settings are one line.

Devices are played by small paho clients (tests/mosquitto.py `Firmware`): real MQTT clients on the
real broker, standing in only for the hardware. Certificates are made by the openssl command."""

from __future__ import annotations

import logging
import os
import textwrap
import time

import pytest

from conftest import need
from mosquitto import MOSQUITTO, Broker, Client, Firmware, broker, make_certificates  # noqa: F401 - broker is a fixture
from test_mqtt_bridge import Running

HOME = textwrap.dedent("""
    rooms:
      - {id: kitchen, name: Kitchen}
      - {id: hall, name: Hall}
    devices:
      - {id: kitchen_light, name: Kitchen Light, type: light, room: kitchen, adapter: mqtt}
      - {id: front_door, name: Front Door, type: lock, room: hall, adapter: mqtt}
""")
OPEN = "let us in without a password"


def _home(tmp_path, mqtt: str = "", name: str = "home.yaml", devices: str = HOME):
    path = tmp_path / name
    path.write_text(devices + (f"mqtt:\n{textwrap.indent(textwrap.dedent(mqtt), '  ')}" if mqtt else ""))
    return path


def _refusals(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("warning: refused the discovery config")]


def _announce(client: Client, topic: str, config: dict) -> None:
    client.publish(f"homeassistant/{topic}/config", config, retain=True)


# -- discovery never takes over a device ------------------------------------------------------

def test_a_config_for_a_home_file_device_on_other_topics_is_refused(cli, broker, tmp_path):
    home = _home(tmp_path)
    light = Firmware(broker, "home/kitchen_light", {"state": "OFF"})
    intruder = Client(broker)
    intruder.subscribe("evil/#")
    _announce(intruder, "light/kitchen_light", {"name": "Evil Lamp", "command_topic": "evil/set", "state_topic": "evil"})

    result = cli("say", "turn on the kitchen light", "--home", str(home), "--mqtt", broker.url)
    assert result.out.strip() == "Turned on the kitchen light.", result.err
    assert light.commands == [{"state": "ON"}]
    assert not [m for m in intruder.messages if m[0] == "evil/set"]
    [warning] = _refusals(result.err)
    assert warning.startswith("warning: refused the discovery config on homeassistant/light/kitchen_light/config: "
                              "'kitchen_light' is the home file's Kitchen Light, and this config has command topic "
                              "'evil/set', not 'home/kitchen_light/set'")

    rows = {row["id"]: row for row in cli("devices", "--json", "--home", str(home), "--mqtt", broker.url).json()}
    assert rows["kitchen_light"]["name"] == "Kitchen Light" and rows["kitchen_light"]["state"] == {"power": True}


def test_a_config_cannot_take_the_id_or_unique_id_of_a_device_announced_before_it(cli, broker):
    door = Firmware(broker, "z2m/front_door", {"state": "LOCKED"})
    _announce(door, "lock/node1/front_door", {
        "name": "Front Door", "unique_id": "lock-1", "command_topic": "z2m/front_door/set",
        "state_topic": "z2m/front_door", "device": {"identifiers": ["lock-1"], "name": "Front Door"}})
    intruder = Client(broker)
    intruder.publish("evil/door", {"state": "UNLOCKED"}, retain=True)
    # without a node id: under a subscription per topic depth this one was read first
    _announce(intruder, "lock/front_door", {"name": "Evil Door", "command_topic": "evil/door/set", "state_topic": "evil/door"})
    _announce(intruder, "lock/evil/back_door", {"name": "Back Door", "unique_id": "lock-1",
                                                 "command_topic": "evil/door/set", "state_topic": "evil/door"})
    intruder.publish("homeassistant/status", "online", retain=True)  # Home Assistant's own: not an announcement

    result = cli("devices", "--json", "--mqtt", broker.url)
    assert result.code == 0, result.err
    rows = {row["id"]: row for row in result.json()}
    assert set(rows) == {"front_door"}
    assert rows["front_door"]["name"] == "Front Door" and rows["front_door"]["state"] == {"locked": True}
    warnings = _refusals(result.err)
    assert len(warnings) == 2, result.err
    assert "on homeassistant/lock/front_door/config: 'front_door' belongs to a device announced earlier" in warnings[0]
    assert "command topic 'evil/door/set' instead of 'z2m/front_door/set'" in warnings[0]
    assert "on homeassistant/lock/evil/back_door/config: its unique id 'lock-1' belongs to 'front_door'" in warnings[1]
    assert "ignored" not in result.err
    said = cli("say", "is the front door locked", "--mqtt", broker.url)
    assert said.out.strip() == "Yes, the front door is locked."


def test_a_running_assistant_keeps_the_device_it_knows(broker, tmp_path, caplog):
    from assistant.app import build

    lamp = Firmware(broker, "z2m/desk_lamp", {"state": "OFF"})
    real = {"name": "Desk Lamp", "unique_id": "lamp-7", "command_topic": "z2m/desk_lamp/set", "state_topic": "z2m/desk_lamp"}
    assistant = build(state=tmp_path / "state.json", mqtt=broker.url)
    _announce(lamp, "light/node1/desk_lamp", real)
    assert assistant.network.wait_for_discovery(5)
    assert assistant.handle("turn on the desk lamp").reply == "Turned on the desk lamp."

    with caplog.at_level(logging.WARNING, logger="assistant.mqtt"):
        intruder = Client(broker)
        _announce(intruder, "light/other/desk_lamp", {**real, "name": "Evil Lamp", "command_topic": "evil/set"})
        assert assistant.network.wait_for_discovery(5)
        assert assistant.handle("turn off the desk lamp").reply == "Turned off the desk lamp."
        _announce(lamp, "light/node1/desk_lamp", real)  # the same config again: the device itself
        assert assistant.network.wait_for_discovery(5)
        assert assistant.handle("turn on the desk lamp").reply == "Turned on the desk lamp."
    assert lamp.commands == [{"state": "ON"}, {"state": "OFF"}, {"state": "ON"}]
    assert assistant.home.devices["desk_lamp"].name == "Desk Lamp"
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1 and "homeassistant/light/other/desk_lamp/config" in refusals[0], refusals
    assistant.close()


def test_devices_serve_announcing_the_home_file_devices_is_not_a_takeover(broker, tmp_path):
    """The bridge announces a home's devices on their own topics; an assistant whose home file names
    the same devices takes the announcements as theirs, also when the bridge restarts."""
    served = _home(tmp_path, name="served.yaml", devices=HOME.replace("adapter: mqtt", "adapter: simulated"))
    home = _home(tmp_path, "allow_anonymous: true\n")
    env = {**os.environ, "ASSISTANT_STATE": str(tmp_path / "assistant.json")}
    bridge_env = {**env, "ASSISTANT_STATE": str(tmp_path / "devices.json")}
    bridge = Running(["devices", "serve", "--home", str(served), "--mqtt", broker.url], bridge_env)
    bridge.expect("Serving 2 devices")
    chat = Running(["chat", "--home", str(home), "--mqtt", broker.url], env, stdin=True)
    try:
        chat.expect("Assistant on")
        chat.send("turn on the kitchen light")
        chat.expect("Turned on the kitchen light.")
        assert bridge.stop() == 0
        chat.send("turn off the kitchen light")
        chat.expect("The kitchen light is offline.")  # its availability topic came with the announcement
        bridge = Running(["devices", "serve", "--home", str(served), "--mqtt", broker.url], bridge_env)
        bridge.expect("Serving 2 devices")
        deadline = time.monotonic() + 15
        while True:
            chat.send("turn off the kitchen light")
            line = chat.expect("kitchen light")
            if "Turned off the kitchen light." in line:
                break
            assert "offline" in line and time.monotonic() < deadline, line
            time.sleep(0.3)
        chat.send("exit")
        assert chat.process.wait(10) == 0
        assert chat.process.stderr.read() == ""  # no refusal, and no warning: the home file allows anonymous
    finally:
        chat.stop()
        bridge.stop()


# -- credentials and TLS ------------------------------------------------------------------------

def test_an_open_broker_is_warned_about_in_one_line(cli, broker, tmp_path):
    result = cli("devices", "--mqtt", broker.url)
    assert result.code == 0
    assert result.err.startswith(f"warning: the MQTT broker at {broker.url} {OPEN}: anyone who can reach it "
                                 "can announce devices and command them")
    assert len(result.err.splitlines()) == 1
    quiet = cli("devices", "--home", str(_home(tmp_path, "allow_anonymous: true\n")), "--mqtt", broker.url)
    assert quiet.code == 0 and quiet.err == ""


@pytest.fixture
def locked(tmp_path):
    """A broker that lets in only alice, with her password, and a kitchen light that logs in as her."""
    need(MOSQUITTO is not None, "mosquitto is not installed (apt-get install mosquitto)")
    (tmp_path / "broker").mkdir()
    locked = Broker(tmp_path / "broker", users={"alice": "s3cret-Pa55"}).start()
    light = Firmware(locked, "home/kitchen_light", {"state": "ON"}, username="alice", password="s3cret-Pa55")
    yield locked
    light.close()
    locked.stop()


def test_the_password_comes_from_the_environment_a_file_or_the_home_file(cli, locked, tmp_path):
    url = f"mqtt://alice@127.0.0.1:{locked.port}"
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "mqtt-password").write_text("s3cret-Pa55\n")
    ways = {
        "environment": (_home(tmp_path), {"ASSISTANT_MQTT_PASSWORD": "s3cret-Pa55"}, ["--mqtt", url]),
        "URL in the environment": (_home(tmp_path), {"ASSISTANT_MQTT": url.replace("alice@", "alice:s3cret-Pa55@")}, []),
        "password file of the home file": (_home(tmp_path, f"url: {url}\npassword_file: secrets/mqtt-password\n",
                                                 name="file.yaml"), {}, []),
        "variable the home file names": (_home(tmp_path, f"url: mqtt://127.0.0.1:{locked.port}\nusername: alice\n"
                                                          "password_env: LIGHTS_SECRET\n", name="env.yaml"),
                                         {"LIGHTS_SECRET": "s3cret-Pa55"}, []),
    }
    for way, (home, env, args) in ways.items():
        result = cli("say", "is the kitchen light on", "--home", str(home), *args, env=env)
        assert (result.out.strip(), result.err) == ("Yes, the kitchen light is on.", ""), way

    unset = cli("say", "is the kitchen light on", "--home", str(ways["variable the home file names"][0]))
    assert unset.code == 5
    assert unset.err == "error: the home file says the MQTT password is in $LIGHTS_SECRET, which is not set\n"
    refused = cli("say", "is the kitchen light on", "--home", str(_home(tmp_path)), "--mqtt", url)
    assert refused.code == 5 and refused.err.startswith(f"error: the MQTT broker at {url} refused the connection")


def test_a_password_on_the_command_line_is_refused(cli, locked, tmp_path):
    """Anyone on the machine can read a command line (ps): the password must not be on it."""
    url = f"mqtt://alice:s3cret-Pa55@127.0.0.1:{locked.port}"
    result = cli("say", "turn off the kitchen light", "--home", str(_home(tmp_path)), "--mqtt", url)
    assert result.code == 5 and result.out == ""
    assert result.err == ("error: the broker URL on the command line holds a password, which anyone on this machine "
                          "can read (ps): leave it out and set ASSISTANT_MQTT_PASSWORD or ASSISTANT_MQTT_PASSWORD_FILE "
                          "instead\n")
    checked = cli("say", "is the kitchen light on", "--home", str(_home(tmp_path)), "--mqtt", url.replace(":s3cret-Pa55", ""),
                  env={"ASSISTANT_MQTT_PASSWORD": "s3cret-Pa55"})
    assert checked.out.strip() == "Yes, the kitchen light is on.", checked.err  # the light was not turned off


@pytest.fixture
def certificates(tmp_path):
    return make_certificates(tmp_path / "tls")


def test_tls_with_a_self_signed_certificate(cli, tmp_path, certificates):
    need(MOSQUITTO is not None, "mosquitto is not installed (apt-get install mosquitto)")
    (tmp_path / "broker").mkdir()
    secure = Broker(tmp_path / "broker", users={"alice": "s3cret-Pa55"}, certificates=certificates).start()
    login = {"username": "alice", "password": "s3cret-Pa55"}
    light = Firmware(secure, "home/kitchen_light", {"state": "OFF"}, **login)
    url = f"mqtts://alice@127.0.0.1:{secure.port}"
    password = {"ASSISTANT_MQTT_PASSWORD": "s3cret-Pa55"}
    try:
        home = _home(tmp_path, f"url: {url}\ntls: {{ca: tls/ca.pem}}\n", name="tls.yaml")
        result = cli("say", "turn on the kitchen light", "--home", str(home), env=password)
        assert (result.out.strip(), result.err) == ("Turned on the kitchen light.", "")
        assert light.commands == [{"state": "ON"}]

        plain = _home(tmp_path)
        from_url = cli("say", "is the kitchen light on", "--home", str(plain), "--mqtt", url,
                       env={**password, "SSL_CERT_FILE": str(certificates.ca)})
        assert from_url.out.strip() == "Yes, the kitchen light is on.", from_url.err

        untrusted = cli("say", "is the kitchen light on", "--home", str(plain), "--mqtt", url, env=password)
        assert untrusted.code == 5 and len(untrusted.err.splitlines()) == 1
        assert untrusted.err.startswith(f"error: cannot reach the MQTT broker at {url}: its certificate cannot be "
                                        "trusted (self-signed certificate in certificate chain); give its CA")

        insecure = _home(tmp_path, f"url: {url}\ntls: {{insecure: true}}\n", name="insecure.yaml")
        unchecked = cli("say", "is the kitchen light on", "--home", str(insecure), env=password)
        assert unchecked.out.strip() == "Yes, the kitchen light is on."
        assert unchecked.err == f"warning: the certificate of the MQTT broker at {url} is not checked (mqtt.tls.insecure)\n"
    finally:
        light.close()
        secure.stop()


def test_a_client_certificate_is_a_credential(cli, tmp_path, certificates):
    need(MOSQUITTO is not None, "mosquitto is not installed (apt-get install mosquitto)")
    (tmp_path / "broker").mkdir()
    secure = Broker(tmp_path / "broker", certificates=certificates, require_certificate=True).start()
    light = Firmware(secure, "home/kitchen_light", {"state": "ON"})
    try:
        url = f"mqtts://127.0.0.1:{secure.port}"
        home = _home(tmp_path, f"url: {url}\ntls: {{ca: tls/ca.pem, cert: tls/client.pem, key: tls/client.key}}\n")
        result = cli("say", "is the kitchen light on", "--home", str(home))
        assert (result.out.strip(), result.err) == ("Yes, the kitchen light is on.", "")
        without = cli("say", "is the kitchen light on", "--home", str(_home(tmp_path, f"url: {url}\ntls: {{ca: tls/ca.pem}}\n",
                                                                            name="no-cert.yaml")))
        assert without.code == 5 and len(without.err.splitlines()) == 1 and "Traceback" not in without.err
    finally:
        light.close()
        secure.stop()


# -- bad settings are one line -----------------------------------------------------------------

@pytest.mark.parametrize("name, value, expected", [
    ("ASSISTANT_MQTT_KEEPALIVE", "abc", "a whole number of seconds from 1 to 65535"),
    ("ASSISTANT_MQTT_KEEPALIVE", "0", "a whole number of seconds from 1 to 65535"),
    ("ASSISTANT_MQTT_TIMEOUT", "abc", "a positive number of seconds"),
    ("ASSISTANT_MQTT_TIMEOUT", "-1", "a positive number of seconds"),
    ("ASSISTANT_MQTT_TIMEOUT", "nan", "a positive number of seconds"),
])
def test_a_bad_keepalive_or_timeout_in_the_environment_is_one_line(cli, broker, name, value, expected):
    result = cli("say", "turn on the floor lamp", "--mqtt", broker.url, env={name: value})
    assert (result.code, result.out, result.err) == (5, "", f"error: {name}='{value}': expected {expected}\n")


@pytest.mark.parametrize("section, line, message", [
    ("keepalive: abc\n", 3, "mqtt.keepalive: expected a whole number of seconds from 1 to 65535, got 'abc'"),
    ("timeout: -2\n", 3, "mqtt.timeout: expected a positive number of seconds, got -2"),
    ("discovery: 'no'\n", 3, "mqtt.discovery: expected true or false, got 'no'"),
    ("tls:\n  insecure: 1\n", 4, "mqtt.tls.insecure: expected true or false, got 1"),
    ("password: hunter2\n", 3, "mqtt: unknown key 'password' (allowed: allow_anonymous, base_topic, client_id, "
                               "discovery, discovery_prefix, keepalive, node_id, password_env, password_file, timeout, "
                               "tls, url, username)"),
])
def test_a_bad_mqtt_section_of_the_home_file_names_its_line(cli, tmp_path, section, line, message):
    home = tmp_path / "home.yaml"
    home.write_text("rooms: []\nmqtt:\n" + textwrap.indent(section, "  "))
    result = cli("devices", "--home", str(home))
    assert (result.code, result.err) == (2, f"error: home file {home}:{line}: {message}\n")

"""Trust on the broker, against real mosquitto brokers on 127.0.0.1 (tests/mosquitto.py): a broker
open to anyone is warned about; credentials and TLS come from the URL, the environment or the home
file, never a password on the command line; bad settings are one line.

Devices are played by small paho clients (tests/mosquitto.py `Firmware`): real MQTT clients on the
real broker, standing in only for the hardware. Certificates are made by the openssl command."""

from __future__ import annotations

import textwrap

import pytest

from conftest import need
from mosquitto import MOSQUITTO, Broker, Firmware, broker, make_certificates  # noqa: F401 - broker is a fixture

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

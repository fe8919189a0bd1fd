"""Across processes over a real mosquitto: `assistant devices serve` runs the demo home's devices,
`assistant say` / `assistant chat` drive them; the broker is restarted under them; an
authenticated broker lets in only those with the password."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time

import pytest

from conftest import BIN, need
from mosquitto import MOSQUITTO, Broker, Client, broker  # noqa: F401 - broker is a fixture


def _demo_device_count() -> int:
    """How many devices the built-in demo home has: the bridge must serve every one of them."""
    from assistant.home.model import load_home
    from assistant.resources import demo_home_path

    return len(load_home(demo_home_path()).devices)


DEMO_DEVICES = _demo_device_count()


class Running:
    """`assistant ARGS...` as a long-running process whose output lines can be awaited."""

    def __init__(self, args: list[str], env: dict[str, str], stdin: bool = False):
        self.process = subprocess.Popen(
            [str(BIN / "assistant"), *args], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r}; got {self.seen}; stderr: {self._stderr()}")

    def send(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def _stderr(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        return self.process.stderr.read()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def env(tmp_path):
    def make(state_name: str, **extra: str) -> dict[str, str]:
        result = dict(os.environ)
        result.pop("ASSISTANT_HOME", None)
        result.update(ASSISTANT_STATE=str(tmp_path / state_name), XDG_DATA_HOME=str(tmp_path / "xdg"),
                      XDG_CONFIG_HOME=str(tmp_path / "xdg-config"), XDG_CACHE_HOME=str(tmp_path / "xdg-cache"))
        result.update(extra)
        return result

    return make


@pytest.fixture
def bridge(broker, env):
    devices = Running(["devices", "serve", "--mqtt", broker.url], env("devices.json"))
    devices.expect(f"Serving {DEMO_DEVICES} devices")
    yield devices
    devices.stop()


def _say(env, url: str, text: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "assistant"), "say", text, "--mqtt", url], env=env("assistant.json", **extra),
                          capture_output=True, text=True, timeout=60)


def test_bridge_and_assistant_complete_commands_across_processes(broker, bridge, env, tmp_path):
    said = _say(env, broker.url, "turn on the floor lamp")
    assert said.returncode == 0, said.stderr
    assert said.stdout.strip() == "Turned on the floor lamp."
    assert bridge.expect("floor_lamp:") == 'floor_lamp: {"state": "ON"} -> power=True'
    assert _say(env, broker.url, "is the floor lamp on").stdout.strip() == "Yes, the floor lamp is on."
    assert _say(env, broker.url, "is the front door locked").stdout.strip() == "Yes, the front door is locked."
    kept = json.loads((tmp_path / "devices.json").read_text())
    assert kept["devices"]["floor_lamp"]["power"] is True
    assert not (tmp_path / "assistant.json").exists() or "floor_lamp" not in json.loads(
        (tmp_path / "assistant.json").read_text())["devices"], "the assistant must not simulate MQTT devices itself"
    rows = {r["id"]: r for r in json.loads(subprocess.run(
        [str(BIN / "assistant"), "devices", "--json", "--mqtt", broker.url], env=env("assistant.json"),
        capture_output=True, text=True, timeout=60).stdout)}
    assert len(rows) == DEMO_DEVICES and rows["floor_lamp"]["state"] == {"power": True} and rows["floor_lamp"]["available"]
    assert rows["floor_lamp"]["adapter"] == "mqtt" and rows["floor_lamp"]["room"] == "living_room"


def test_bridge_announces_offline_when_it_stops(broker, bridge, env):
    watcher = Client(broker)
    watcher.subscribe("home/assistant/bridge-assistant_bridge/availability")
    assert watcher.wait_for("home/assistant/bridge-assistant_bridge/availability")[1] == b"online"
    assert bridge.stop() == 0
    assert _say(env, broker.url, "turn on the floor lamp").stdout.strip() == "The floor lamp is offline."


def test_chat_survives_a_broker_restart_without_losing_an_acknowledged_command(broker, bridge, env, tmp_path):
    chat = Running(["chat", "--mqtt", broker.url], env("assistant.json"), stdin=True)
    chat.expect("Assistant on")
    chat.send("turn on the floor lamp")
    chat.expect("Turned on the floor lamp.")

    broker.stop()
    chat.send("turn on the kitchen light")
    assert "I can't reach the kitchen light right now." in chat.expect("kitchen light", timeout=10)

    broker.start()  # same port; the broker kept nothing (no persistence)
    deadline = time.monotonic() + 30
    while True:
        chat.send("turn on the kitchen light")
        line = chat.expect("kitchen light")
        if "Turned on the kitchen light." in line:
            break
        assert "I can't reach" in line or "didn't respond" in line, line
        assert time.monotonic() < deadline, "the assistant did not recover"
        time.sleep(1)
    chat.send("is the floor lamp on")
    chat.expect("Yes, the floor lamp is on.")
    chat.send("exit")
    assert chat.process.wait(10) == 0
    kept = json.loads((tmp_path / "devices.json").read_text())["devices"]
    assert kept["floor_lamp"]["power"] is True and kept["kitchen_light"]["power"] is True


def test_last_will_says_a_killed_assistant_is_offline(broker, env):
    watcher = Client(broker)
    watcher.subscribe("home/assistant/+/availability")
    chat = Running(["chat", "--mqtt", broker.url], env("assistant.json"), stdin=True)
    chat.expect("Assistant on")
    topic = next(m for m in watcher.messages if m[1] == b"online")[0]
    chat.process.kill()
    chat.process.wait()
    deadline = time.monotonic() + 10
    while not any(m[0] == topic and m[1] == b"offline" for m in watcher.messages):
        assert time.monotonic() < deadline, "no last will"
        time.sleep(0.05)


def test_authenticated_broker_needs_the_password(tmp_path, env):
    need(MOSQUITTO is not None, "mosquitto is not installed (apt-get install mosquitto)")
    secret = "s3cret-Pa55"
    locked = Broker(tmp_path, users={"alice": secret, "devices": "dev-pass"}).start()
    try:
        url = f"mqtt://alice@127.0.0.1:{locked.port}"
        devices = Running(["devices", "serve", "--mqtt", f"mqtt://devices@127.0.0.1:{locked.port}"],
                          env("devices.json", ASSISTANT_MQTT_PASSWORD="dev-pass"))
        devices.expect(f"Serving {DEMO_DEVICES} devices")
        try:
            ok = _say(env, url, "turn on the floor lamp", ASSISTANT_MQTT_PASSWORD=secret)
            assert ok.stdout.strip() == "Turned on the floor lamp.", ok.stderr
            (tmp_path / "password").write_text(secret + "\n")
            from_file = _say(env, url, "turn off the floor lamp", ASSISTANT_MQTT_PASSWORD_FILE=str(tmp_path / "password"))
            assert from_file.stdout.strip() == "Turned off the floor lamp.", from_file.stderr

            refused = _say(env, url, "turn on the floor lamp")
            assert refused.returncode == 5 and refused.stdout == ""
            assert refused.stderr.startswith(f"error: the MQTT broker at mqtt://alice@127.0.0.1:{locked.port} "
                                             "refused the connection: not authorized")
            assert len(refused.stderr.strip().splitlines()) == 1
            wrong = _say(env, url, "turn on the floor lamp", ASSISTANT_MQTT_PASSWORD=f"wrong-{secret}")
            assert wrong.returncode == 5 and "refused the connection" in wrong.stderr
            assert secret not in wrong.stderr + wrong.stdout
        finally:
            devices.stop()
    finally:
        locked.stop()

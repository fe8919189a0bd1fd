"""A real mosquitto broker on 127.0.0.1 (a free port) for tests, and small MQTT clients that
play a device's firmware or watch the wire. They are real MQTT clients talking to the real
broker; they stand in only for hardware, which cannot run here."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import need

MOSQUITTO = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if os.path.exists("/usr/sbin/mosquitto") else None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Certificates:
    """A certificate authority and what it signed: the broker's certificate for 127.0.0.1, and a client's."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def make_certificates(directory: Path) -> Certificates:
    """A fresh self-signed CA, a server certificate for 127.0.0.1 and a client certificate (CN
    'alice'), made by the openssl command as a user would make them for a home broker."""
    need(shutil.which("openssl") is not None, "the openssl command is not installed (apt-get install openssl)")
    directory.mkdir(parents=True, exist_ok=True)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Home test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    for name, cn, extensions in (("server", "127.0.0.1", ["subjectAltName=IP:127.0.0.1", "extendedKeyUsage=serverAuth"]),
                                 ("client", "alice", ["extendedKeyUsage=clientAuth"])):
        (directory / f"{name}.ext").write_text("\n".join([*extensions, "basicConstraints=CA:FALSE"]) + "\n")
        openssl("req", *key, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}")
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext")
    return Certificates(*(directory / name for name in ("ca.pem", "server.pem", "server.key", "client.pem", "client.key")))


class Broker:
    """mosquitto on 127.0.0.1: open to anyone, or with USERS (name: password), over TLS with CERTIFICATES
    (and then, with REQUIRE_CERTIFICATE, only for clients with a certificate the CA signed)."""

    def __init__(self, directory: Path, users: dict[str, str] | None = None, certificates: Certificates | None = None,
                 require_certificate: bool = False):
        self.directory = directory
        self.port = free_port()
        self.users = users
        self.certificates = certificates
        self.require_certificate = require_certificate
        self.process: subprocess.Popen | None = None
        self.url = f"{'mqtts' if certificates else 'mqtt'}://127.0.0.1:{self.port}"

    def start(self) -> Broker:
        conf = self.directory / "mosquitto.conf"
        # run as ourselves: mosquitto started by root would switch to its own user, which cannot read tmp dirs
        lines = [f"listener {self.port} 127.0.0.1", f"user {getpass.getuser()}"]
        if self.users:
            passwd = self.directory / "passwd"
            for i, (user, password) in enumerate(self.users.items()):
                flags = ["-b", "-c"] if i == 0 else ["-b"]
                subprocess.run(["mosquitto_passwd", *flags, str(passwd), user, password], check=True)
            lines += ["allow_anonymous false", f"password_file {passwd}"]
        elif not self.require_certificate:
            lines.append("allow_anonymous true")
        if self.certificates:
            tls = self.certificates
            lines += [f"cafile {tls.ca}", f"certfile {tls.server_cert}", f"keyfile {tls.server_key}"]
        if self.require_certificate:
            lines += ["require_certificate true", "use_identity_as_username true"]
        conf.write_text("\n".join(lines) + "\n")
        self.process = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("mosquitto did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def broker(tmp_path: Path):
    need(MOSQUITTO is not None, "mosquitto is not installed (apt-get install mosquitto)")
    b = Broker(tmp_path).start()
    yield b
    b.stop()


class Client:
    """A plain MQTT client: records what it hears, publishes what a test says."""

    def __init__(self, broker: Broker, username: str | None = None, password: str | None = None):
        from paho.mqtt import client as mqtt

        self.messages: list[tuple[str, bytes, int, bool]] = []
        self.heard = threading.Condition()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        if username:
            self.client.username_pw_set(username, password)
        tls = broker.certificates
        if tls:
            own = (str(tls.client_cert), str(tls.client_key)) if broker.require_certificate else (None, None)
            self.client.tls_set(ca_certs=str(tls.ca), certfile=own[0], keyfile=own[1])
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()

    def _on_message(self, client, userdata, msg) -> None:
        with self.heard:
            self.messages.append((msg.topic, msg.payload, msg.qos, bool(msg.retain)))
            self.heard.notify_all()
        self.on_message(msg.topic, msg.payload)

    def on_message(self, topic: str, payload: bytes) -> None:
        pass

    def subscribe(self, topic: str) -> None:
        self.client.subscribe(topic, qos=1)
        time.sleep(0.2)

    def publish(self, topic: str, payload, retain: bool = False) -> None:
        if isinstance(payload, (dict, list)):
            payload = json.dumps(payload)
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(5)

    def wait_for(self, topic: str, timeout: float = 10) -> tuple[str, bytes, int, bool]:
        with self.heard:
            found = self.heard.wait_for(lambda: next((m for m in self.messages if m[0] == topic), None), timeout)
            assert found, f"nothing on {topic}; heard {[m[0] for m in self.messages]}"
            return found

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


class Firmware(Client):
    """Plays a device's firmware: takes JSON commands on `<topic>/set`, merges them into its state
    and reports the state (retained) on `<topic>`, as Zigbee2MQTT-style devices do."""

    def __init__(self, broker: Broker, topic: str, state: dict, answer: bool = True, **login: str):
        super().__init__(broker, **login)
        self.topic = topic
        self.state = dict(state)
        self.answer = answer
        self.commands: list[dict] = []
        self.subscribe(f"{topic}/set")
        self.publish(topic, self.state, retain=True)

    def on_message(self, topic: str, payload: bytes) -> None:
        if topic != f"{self.topic}/set":
            return
        command = json.loads(payload)
        self.commands.append(command)
        if self.answer:
            self.state.update(command)
            self.client.publish(self.topic, json.dumps(self.state), qos=1, retain=True)

"""Where the broker is and how to talk to it: URL, credentials, TLS, topics, time-outs.

Settings come from the `--mqtt URL` option (or `ASSISTANT_MQTT`), the `mqtt:` section of the home
file, and the environment (passwords). The password is kept out of every message: `describe()`
and `redacted()` never show it.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from assistant.errors import AssistantError

PASSWORD_ENV = "ASSISTANT_MQTT_PASSWORD"
PASSWORD_FILE_ENV = "ASSISTANT_MQTT_PASSWORD_FILE"
DEFAULT_PORTS = {"mqtt": 1883, "tcp": 1883, "mqtts": 8883, "ssl": 8883}
SECTION_KEYS = {
    "url", "username", "password_file", "client_id", "discovery", "discovery_prefix", "base_topic",
    "timeout", "ca_file", "node_id", "cert_file", "key_file", "insecure", "keepalive",
}


class BrokerError(AssistantError):
    """The broker cannot be reached, refused us, or the MQTT settings are wrong."""

    exit_code = 5


@dataclass
class MqttConfig:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    client_id: str = ""
    discovery: bool = True
    discovery_prefix: str = "homeassistant"
    base_topic: str = "home"
    timeout: float = 3.0
    keepalive: int = 30
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    insecure: bool = False

    def describe(self) -> str:
        """The broker as a user would write it, without the password."""
        user = f"{self.username}@" if self.username else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{user}{self.host}:{self.port}"

    @property
    def availability_topic(self) -> str:
        """Where this client says it is online (and its last will says it is offline)."""
        return f"{self.base_topic}/assistant/{self.client_id}/availability"

    def redacted(self, text: str) -> str:
        """TEXT with the password blanked out, for any message that might quote it."""
        if self.password:
            text = text.replace(self.password, "***")
        return text


def load_config(url: str | None, section: dict[str, Any] | None = None, role: str = "assistant") -> MqttConfig:
    """Settings from URL (wins) and the home file's `mqtt:` section; password from the environment."""
    section = dict(section or {})
    unknown = set(section) - SECTION_KEYS
    if unknown:
        raise BrokerError(f"home file: mqtt: unknown key '{sorted(unknown)[0]}' (allowed: {', '.join(sorted(SECTION_KEYS))})")
    url = url or section.get("url")
    if not url:
        raise BrokerError("no MQTT broker given: use --mqtt URL (e.g. mqtt://localhost:1883) or 'mqtt: {url: ...}' in the home file")
    url = str(url)
    if "://" not in url:
        url = "mqtt://" + url
    parts = urlsplit(url)
    url_password = unquote(parts.password) if parts.password else None
    safe_url = url.replace(f":{parts.password}@", ":***@") if parts.password else url
    if parts.scheme not in DEFAULT_PORTS:
        raise BrokerError(f"unsupported broker URL '{safe_url}': use mqtt://host:port or mqtts://host:port")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise BrokerError(f"bad port in broker URL '{safe_url}'") from None
    if not parts.hostname:
        raise BrokerError(f"no host in broker URL '{safe_url}'")
    username = unquote(parts.username) if parts.username else section.get("username")
    password = url_password or _password(section)
    timeout = section.get("timeout", 3.0)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise BrokerError("home file: mqtt: timeout: expected a positive number of seconds")
    return MqttConfig(
        host=parts.hostname,
        port=port,
        tls=parts.scheme in ("mqtts", "ssl"),
        username=str(username) if username else None,
        password=password,
        client_id=str(section.get("client_id") or f"{role}-{socket.gethostname()}-{os.getpid()}"),
        discovery=bool(section.get("discovery", True)),
        discovery_prefix=str(section.get("discovery_prefix", "homeassistant")).strip("/"),
        base_topic=str(section.get("base_topic", "home")).strip("/"),
        timeout=float(os.environ.get("ASSISTANT_MQTT_TIMEOUT") or timeout),
        keepalive=int(section.get("keepalive", 30)),
        ca_file=section.get("ca_file"),
        cert_file=section.get("cert_file"),
        key_file=section.get("key_file"),
        insecure=bool(section.get("insecure", False)),
    )


def _password(section: dict[str, Any]) -> str | None:
    """The broker password from ASSISTANT_MQTT_PASSWORD, or a file named by the environment or home file."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    path = os.environ.get(PASSWORD_FILE_ENV) or section.get("password_file")
    if not path:
        return None
    try:
        return Path(path).expanduser().read_text(encoding="utf-8").strip() or None
    except OSError as exc:
        raise BrokerError(f"cannot read the MQTT password file {path}: {exc.strerror}") from None

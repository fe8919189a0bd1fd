"""Where the broker is and how to talk to it: URL, credentials, TLS, topics, time-outs.

Settings come from the `--mqtt URL` option (or `ASSISTANT_MQTT`), the `mqtt:` section of the home
file, and the environment. A password never comes from the command line, where anyone on the
machine can read it (`ps`): it comes from ASSISTANT_MQTT_PASSWORD (or the variable the home file
names), a file, or a URL in the environment or the home file. `describe()` and `redacted()` never
show it.
"""

from __future__ import annotations

import math
import os
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from assistant.errors import AssistantError, printable

PASSWORD_ENV = "ASSISTANT_MQTT_PASSWORD"
PASSWORD_FILE_ENV = "ASSISTANT_MQTT_PASSWORD_FILE"
TIMEOUT_ENV = "ASSISTANT_MQTT_TIMEOUT"
KEEPALIVE_ENV = "ASSISTANT_MQTT_KEEPALIVE"
DEFAULT_PORTS = {"mqtt": 1883, "tcp": 1883, "mqtts": 8883, "ssl": 8883}
TLS_SCHEMES = {"mqtts", "ssl"}

TEXT, FLAG = "text", "true or false"
SECONDS, WHOLE_SECONDS = "a positive number of seconds", "a whole number of seconds from 1 to 65535"
TLS_SECTION = {"ca": TEXT, "cert": TEXT, "key": TEXT, "insecure": FLAG}
SECTION: dict[str, Any] = {
    "url": TEXT, "username": TEXT, "password_env": TEXT, "password_file": TEXT, "allow_anonymous": FLAG,
    "tls": TLS_SECTION, "client_id": TEXT, "node_id": TEXT, "discovery": FLAG, "discovery_prefix": TEXT,
    "base_topic": TEXT, "timeout": SECONDS, "keepalive": WHOLE_SECONDS,
}
Problem = tuple[dict, str, str, str]  # (mapping, key, where, message): enough to name the line


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
    allow_anonymous: bool = False
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

    @property
    def has_credentials(self) -> bool:
        """A password or a client certificate: what keeps strangers from announcing devices."""
        return bool(self.password or self.cert_file)

    def redacted(self, text: str) -> str:
        """TEXT with the password blanked out, for any message that might quote it."""
        if self.password:
            text = text.replace(self.password, "***")
        return text


def section_problem(section: dict) -> Problem | None:
    """The first wrong key or value in a home file's `mqtt:` section, or None: checked when the
    home file loads, so a typo is one line naming its line, not a surprise at connect time."""
    return _first_problem(section, SECTION, "mqtt")


def _first_problem(mapping: dict, schema: dict[str, Any], where: str) -> Problem | None:
    for key, value in mapping.items():
        kind, at = schema.get(key), f"{where}.{key}"
        if kind is None:
            return mapping, key, where, f"unknown key '{key}' (allowed: {', '.join(sorted(schema))})"
        if isinstance(kind, dict):
            if not isinstance(value, dict):
                return mapping, key, at, f"expected a mapping with {', '.join(kind)}"
            inner = _first_problem(value, kind, at)
            if inner is not None:
                return inner
        elif not _fits(kind, value):
            return mapping, key, at, f"expected {kind}, got {value!r}"
    return None


def _fits(kind: str, value: Any) -> bool:
    if kind == FLAG:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == TEXT:
        return isinstance(value, (str, int)) and bool(str(value).strip())
    if kind == WHOLE_SECONDS:
        return isinstance(value, int) and 1 <= value <= 65535
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def load_config(
    url: str | None, section: dict[str, Any] | None = None, role: str = "assistant", base: Path | None = None
) -> MqttConfig:
    """Settings from URL (wins) and the home file's `mqtt:` section (paths in it relative to BASE,
    the home file's folder), the password from the environment or a file. Raises BrokerError."""
    section = dict(section or {})
    problem = section_problem(section)
    if problem is not None:
        raise BrokerError(printable(f"home file: {problem[2]}: {problem[3]}"))
    if url and _on_command_line(url) and urlsplit(url if "://" in url else "mqtt://" + url).password:
        raise BrokerError("the broker URL on the command line holds a password, which anyone on this machine can "
                          f"read (ps): leave it out and set {PASSWORD_ENV} or {PASSWORD_FILE_ENV} instead")
    host, port, scheme, url_user, url_password = _parse_url(url or section.get("url"))
    tls = section.get("tls") or {}
    base = base or Path.cwd()
    return MqttConfig(
        host=host,
        port=port or (DEFAULT_PORTS["mqtts"] if "tls" in section else DEFAULT_PORTS[scheme]),
        tls=scheme in TLS_SCHEMES or "tls" in section,
        username=url_user or (str(section["username"]) if "username" in section else None),
        password=url_password or _password(section, base),
        allow_anonymous=section.get("allow_anonymous", False),
        client_id=str(section.get("client_id") or f"{role}-{socket.gethostname()}-{os.getpid()}"),
        discovery=section.get("discovery", True),
        discovery_prefix=str(section.get("discovery_prefix", "homeassistant")).strip("/"),
        base_topic=str(section.get("base_topic", "home")).strip("/"),
        timeout=float(_from_env(TIMEOUT_ENV, SECONDS, section.get("timeout", 3.0))),
        keepalive=int(_from_env(KEEPALIVE_ENV, WHOLE_SECONDS, section.get("keepalive", 30))),
        ca_file=_readable(tls, "ca", base),
        cert_file=_readable(tls, "cert", base),
        key_file=_readable(tls, "key", base),
        insecure=tls.get("insecure", False),
    )


def _parse_url(url: Any) -> tuple[str, int | None, str, str | None, str | None]:
    """Host, port (None: the scheme's), scheme, user and password of a broker URL."""
    if not url:
        raise BrokerError("no MQTT broker given: use --mqtt URL (e.g. mqtt://localhost:1883) or 'mqtt: {url: ...}' in the home file")
    url = str(url)
    if "://" not in url:
        url = "mqtt://" + url
    parts = urlsplit(url)
    safe_url = printable(url.replace(f":{parts.password}@", ":***@") if parts.password else url)
    if parts.scheme not in DEFAULT_PORTS:
        raise BrokerError(f"unsupported broker URL '{safe_url}': use mqtt://host:port or mqtts://host:port")
    try:
        port = parts.port
    except ValueError:
        raise BrokerError(f"bad port in broker URL '{safe_url}'") from None
    if not parts.hostname:
        raise BrokerError(f"no host in broker URL '{safe_url}'")
    user = unquote(parts.username) if parts.username else None
    return parts.hostname, port, parts.scheme, user, unquote(parts.password) if parts.password else None


def _on_command_line(text: str) -> bool:
    """Whether TEXT is in this process's arguments, which every user of the machine can read."""
    return any(text in argument for argument in sys.argv[1:])


def _from_env(name: str, kind: str, default: Any) -> float:
    """A number of seconds from the environment variable NAME (if set), else DEFAULT."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value: Any = float(raw) if kind == SECONDS else int(raw)
    except ValueError:
        value = None
    if value is None or not _fits(kind, value):
        raise BrokerError(printable(f"{name}={raw!r}: expected {kind}"))
    return value


def _password(section: dict[str, Any], base: Path) -> str | None:
    """The broker password from the environment (ASSISTANT_MQTT_PASSWORD, or the variable the home
    file names in `password_env`), else from a file named by ASSISTANT_MQTT_PASSWORD_FILE or `password_file`."""
    variable = str(section.get("password_env") or PASSWORD_ENV)
    if os.environ.get(variable):
        return os.environ[variable]
    if "password_env" in section and not os.environ.get(PASSWORD_FILE_ENV) and "password_file" not in section:
        raise BrokerError(f"the home file says the MQTT password is in ${variable}, which is not set")
    path = os.environ.get(PASSWORD_FILE_ENV) or section.get("password_file")
    if not path:
        return None
    path = base / Path(str(path)).expanduser()
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError) as exc:
        raise BrokerError(f"cannot read the MQTT password file {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _readable(tls: dict[str, Any], key: str, base: Path) -> str | None:
    """The path of a TLS file from the home file (relative to its folder), checked to be readable."""
    if key not in tls:
        return None
    path = base / Path(str(tls[key])).expanduser()
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise BrokerError(f"home file: mqtt.tls.{key}: cannot read {path}: {exc.strerror}") from None
    return str(path)

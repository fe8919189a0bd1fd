"""One connection to the broker (paho-mqtt 2.x, its network loop in a background thread).

It keeps its subscriptions across reconnects (paho retries with back-off by itself), announces
the client's availability with a retained message and a last will, and hands every message to
the handlers whose topic filter matches. A handler that raises is logged, never allowed to stop
the network loop.
"""

from __future__ import annotations

import atexit
import logging
import socket
import ssl
import threading
import uuid
from collections.abc import Callable

from assistant.mqtt.config import BrokerError, MqttConfig

log = logging.getLogger("assistant.mqtt")

Handler = Callable[[str, bytes, bool], None]  # (topic, payload, retained)
ONLINE, OFFLINE = "online", "offline"
RECONNECT_MIN, RECONNECT_MAX = 1, 8  # seconds of back-off between reconnect attempts


class Link:
    """A live connection to one broker."""

    def __init__(self, config: MqttConfig, announce: bool = True):
        self.config = config
        self.announce = announce
        self._handlers: dict[str, list[Handler]] = {}
        self._wildcards: list[str] = []  # filters with + or #; the rest are looked up directly
        self._lock = threading.RLock()
        self._connected = threading.Event()
        self._first_result: list[str | None] = []
        self._first = threading.Event()
        self._reconnect_listeners: list[Callable[[], None]] = []
        self._client = None
        self._closed = False

    # -- connecting ------------------------------------------------------------------------

    def connect(self) -> Link:
        """Connect or raise BrokerError with one line that says why (never the password)."""
        cfg = self.config
        client = self._client = self._new_client()
        try:
            client.connect(cfg.host, cfg.port, keepalive=cfg.keepalive)
        except OSError as exc:
            raise BrokerError(f"cannot reach the MQTT broker at {cfg.describe()}: {_why(exc, cfg)}") from None
        client.loop_start()
        if not self._first.wait(cfg.timeout + 2):
            self._stop()
            raise BrokerError(f"the MQTT broker at {cfg.describe()} did not answer")
        problem = self._first_result[0]
        if problem is not None:
            self._stop()
            hint = ""
            if "author" in problem.lower() or "password" in problem.lower():
                hint = ("; give the user in the URL (mqtt://USER@host:port) and the password in "
                        "ASSISTANT_MQTT_PASSWORD or ASSISTANT_MQTT_PASSWORD_FILE")
            raise BrokerError(f"the MQTT broker at {cfg.describe()} refused the connection: {problem.lower()}{hint}")
        self._warn_if_open()
        atexit.register(self.close)
        return self

    def _new_client(self):
        """A paho client set up with our credentials, TLS, last will and callbacks (not yet connected)."""
        from paho.mqtt import client as mqtt

        cfg = self.config
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=cfg.client_id, clean_session=True,
            protocol=mqtt.MQTTv311,
        )
        client.reconnect_delay_set(RECONNECT_MIN, RECONNECT_MAX)
        client.connect_timeout = cfg.timeout
        if cfg.username:
            client.username_pw_set(cfg.username, cfg.password)
        if cfg.tls:
            try:
                client.tls_set(ca_certs=cfg.ca_file, certfile=cfg.cert_file, keyfile=cfg.key_file,
                               cert_reqs=ssl.CERT_NONE if cfg.insecure else ssl.CERT_REQUIRED)
            except (OSError, ValueError) as exc:
                raise BrokerError(f"TLS set-up for {cfg.describe()} failed: {cfg.redacted(str(exc))}") from None
            client.tls_insecure_set(cfg.insecure)
        if self.announce:
            client.will_set(cfg.availability_topic, OFFLINE, qos=1, retain=True)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        return client

    def _warn_if_open(self) -> None:
        """One line when the broker let us in with no password nor client certificate (then anyone
        who reaches it can announce devices and command them), or the broker's certificate goes unchecked."""
        cfg = self.config
        if not cfg.has_credentials and not cfg.allow_anonymous:
            log.warning("warning: the MQTT broker at %s let us in without a password: anyone who can reach it "
                        "can announce devices and command them (give a user and ASSISTANT_MQTT_PASSWORD, or say "
                        "'allow_anonymous: true' under mqtt: in the home file)", cfg.describe())
        if cfg.tls and cfg.insecure:
            log.warning("warning: the certificate of the MQTT broker at %s is not checked (mqtt.tls.insecure)",
                        cfg.describe())

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            if not self._first.is_set():
                self._first_result.append(str(reason_code))
                self._first.set()
                client.disconnect()
            else:
                log.warning("MQTT broker %s refused to reconnect: %s", self.config.describe(), reason_code)
            return
        sock = client.socket()
        if isinstance(sock, socket.socket):  # small messages, answered at once: don't let Nagle hold them
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            for topic in self._handlers:
                client.subscribe(topic, qos=1)
        if self.announce:
            client.publish(self.config.availability_topic, ONLINE, qos=1, retain=True)
        reconnected = self._first.is_set()
        self._connected.set()
        if not reconnected:
            self._first_result.append(None)
            self._first.set()
        else:
            log.info("reconnected to the MQTT broker at %s", self.config.describe())
            for listener in list(self._reconnect_listeners):
                self._safely(listener)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        was = self._connected.is_set()
        self._connected.clear()
        if was and not self._closed:
            log.warning("lost the MQTT broker at %s; reconnecting", self.config.describe())

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def on_reconnect(self, listener: Callable[[], None]) -> None:
        """Call LISTENER (in the network thread) each time the link comes back after a loss."""
        self._reconnect_listeners.append(listener)

    # -- messages --------------------------------------------------------------------------

    def subscribe(self, topic_filter: str, handler: Handler) -> None:
        with self._lock:
            new = topic_filter not in self._handlers
            self._handlers.setdefault(topic_filter, []).append(handler)
            if new and ("+" in topic_filter or "#" in topic_filter):
                self._wildcards.append(topic_filter)
        if new and self._client is not None and self.connected:
            self._client.subscribe(topic_filter, qos=1)

    def unsubscribe(self, topic_filter: str) -> None:
        with self._lock:
            self._handlers.pop(topic_filter, None)
            if topic_filter in self._wildcards:
                self._wildcards.remove(topic_filter)
        if self._client is not None and self.connected:
            self._client.unsubscribe(topic_filter)

    def _on_message(self, client, userdata, message) -> None:
        from paho.mqtt.client import topic_matches_sub

        with self._lock:
            handlers = list(self._handlers.get(message.topic, ()))
            handlers += [h for f in self._wildcards if topic_matches_sub(f, message.topic) for h in self._handlers[f]]
        for handler in handlers:
            self._safely(handler, message.topic, message.payload, bool(message.retain))

    @staticmethod
    def _safely(function: Callable, *args) -> None:
        try:
            function(*args)
        except Exception:  # one bad message or listener must not stop the network loop
            log.exception("error while handling an MQTT message")

    def publish(
        self, topic: str, payload: str | bytes, retain: bool = False, timeout: float | None = None, wait: bool = True
    ) -> bool:
        """Publish with QoS 1 and wait for the broker's acknowledgement; False if not connected or no ack.
        From inside a message handler (the network thread) it cannot wait, and only queues."""
        client = self._client
        if client is None or not self.connected:
            return False
        info = client.publish(topic, payload, qos=1, retain=retain)
        if not wait or threading.current_thread() is getattr(client, "_thread", None):
            return info.rc == 0
        try:
            info.wait_for_publish(self.config.timeout if timeout is None else timeout)
        except (RuntimeError, ValueError):
            return False
        return info.is_published()

    def sync(self, timeout: float | None = None) -> bool:
        """Wait until the broker has delivered everything queued for us before now (retained
        messages of fresh subscriptions included): a marker sent to ourselves comes back last."""
        marker = uuid.uuid4().hex
        topic = f"{self.config.base_topic}/assistant/{self.config.client_id}/sync"
        arrived = threading.Event()

        def on_marker(_topic: str, payload: bytes, _retained: bool) -> None:
            if payload.decode(errors="replace") == marker:
                arrived.set()

        self.subscribe(topic, on_marker)
        try:
            return self.publish(topic, marker, timeout=timeout) and arrived.wait(timeout or self.config.timeout)
        finally:
            with self._lock:
                handlers = self._handlers.get(topic, [])
                if on_marker in handlers:
                    handlers.remove(on_marker)

    # -- closing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Say we are going offline, then disconnect (idempotent)."""
        if self._closed or self._client is None:
            return
        self._closed = True
        if self.announce and self.connected:
            self.publish(self.config.availability_topic, OFFLINE, retain=True)
        self._stop()

    def _stop(self) -> None:
        client = self._client
        if client is None:
            return
        try:
            client.disconnect()
        finally:
            client.loop_stop()


def _why(exc: OSError, cfg: MqttConfig) -> str:
    """Why connecting failed, in a few words (a certificate that cannot be trusted says how to fix it)."""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"its certificate cannot be trusted ({exc.verify_message}); give its CA under mqtt: tls: ca "
                "in the home file, or in SSL_CERT_FILE")
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc}); is it a TLS port?"
    return cfg.redacted(getattr(exc, "strerror", None) or str(exc))

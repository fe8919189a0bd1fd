"""The assistant's view of the devices on a broker: what discovery announced, the last state
each device reported, and whether it says it is online.

Messages arrive in the network thread; the home is only changed in the caller's thread, through
`apply_discovery()`, so a command never sees the device list change under it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from assistant.errors import printable
from assistant.home.model import Device, Home
from assistant.mqtt import discovery
from assistant.mqtt.config import MqttConfig
from assistant.mqtt.link import Link
from assistant.mqtt.payloads import Codec, parse_payload
from assistant.mqtt.trust import Owners, claim_of

log = logging.getLogger("assistant.mqtt")


def topics_of(device: Device, config: MqttConfig) -> dict[str, str | None]:
    """Command, state and availability topics: the device's options, else `<base>/<id>[/set]`."""
    base = f"{config.base_topic}/{device.id}"
    return {
        "command": device.options.get("command_topic") or f"{base}/set",
        "state": device.options.get("state_topic") or base,
        "availability": device.options.get("availability_topic"),
    }


class DeviceNetwork:
    def __init__(self, link: Link):
        self.link = link
        self.config = link.config
        self._changed = threading.Condition()
        self._states: dict[str, dict[str, Any]] = {}
        self._seq: dict[str, int] = {}
        self._online: dict[str, bool] = {}
        self._watched: dict[str, Device] = {}
        self._codecs: dict[str, Codec] = {}
        self._subscribed: set[tuple[str, str, str]] = set()
        self._availability_words: dict[str, str] = {}
        self._announcements: dict[str, discovery.Announcement] = {}
        self._announced_dirty = False
        self._discovered_ids: set[str] = set()
        self._owners = Owners()
        self._warned: set[tuple[str, str]] = set()

    # -- start-up ----------------------------------------------------------------------------

    def start(self, home: Home) -> None:
        """Read the retained discovery configs and states, and merge discovered devices into HOME."""
        if self.config.discovery:
            self.link.subscribe(discovery.topic_filter(self.config.discovery_prefix), self._on_config)
            self.link.sync()
        self.join(home)

    def join(self, home: Home) -> None:
        """Merge what was announced into HOME (a freshly loaded one too) and follow its MQTT devices."""
        with self._changed:
            self._announced_dirty = True
        self._discovered_ids = set()
        self.apply_discovery(home)
        for device in home.devices.values():
            if device.adapter == "mqtt":
                self.watch(device)
        self.link.sync()

    # -- discovery ---------------------------------------------------------------------------

    def _on_config(self, topic: str, payload: bytes, retained: bool) -> None:
        if not discovery.is_config_topic(self.config.discovery_prefix, topic):
            return
        try:
            item = discovery.parse_announcement(self.config.discovery_prefix, topic, payload)
        except discovery.BadConfig as exc:
            log.warning("ignored a discovery message: %s", exc)
            return
        with self._changed:
            if item is None:
                if self._announcements.pop(topic, None) is None:
                    return
            else:
                self._announcements[topic] = item
            self._announced_dirty = True
            self._changed.notify_all()

    def apply_discovery(self, home: Home) -> bool:
        """Bring HOME up to date with the announcements; True if its devices changed. An announcement
        never takes over a device it did not create (see trust.py): such a config is refused with a
        warning, and the device it aimed at keeps working."""
        with self._changed:
            if not self._announced_dirty:
                return False
            self._announced_dirty = False
            announcements = list(self._announcements.values())  # in the order they first came
        for device_id in self._discovered_ids:
            home.devices.pop(device_id, None)
        file_devices = dict(home.devices)
        found: set[str] = set()
        for item in announcements:
            device = self._accepted(item, home, file_devices)
            if device is None:
                continue
            if device.id in file_devices:
                _fill_topics(file_devices[device.id], device)
                continue
            home.devices[device.id] = device
            found.add(device.id)
            self.watch(device)
            note = discovery.unknown_class(device)
            if note is not None:  # a sensor of a class we do not know joins as a generic one
                self._warn_once(item.topic, printable(note))
        self._discovered_ids = found
        return True

    def _accepted(self, item: discovery.Announcement, home: Home, file_devices: dict[str, Device]) -> Device | None:
        """The device ITEM announces, if it may have its id; else None, and a warning (once)."""
        try:
            claim = claim_of(item)
            ours = file_devices.get(claim.device_id)
            refusal = self._owners.refusal(claim, (ours.name, topics_of(ours, self.config)) if ours else None)
            if refusal is not None:
                self._warn_once(item.topic, f"warning: refused the discovery config on {printable(item.topic)}: {refusal}")
                return None
            device = discovery.device_from_config(item, home)
        except (discovery.BadConfig, TypeError, ValueError, KeyError) as exc:
            self._warn_once(item.topic, f"ignored a discovery message: {printable(str(exc))}")
            return None
        self._owners.bind(claim)
        return device

    def _warn_once(self, topic: str, message: str) -> None:
        """Log MESSAGE unless it was said already: the announcements are gone over on every change."""
        if (topic, message) not in self._warned:
            self._warned.add((topic, message))
            log.warning("%s", message)

    def wait_for_discovery(self, timeout: float) -> bool:
        """Block until an announcement arrives or changes (for long-running commands and tests)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._announced_dirty, timeout)

    # -- state and availability ----------------------------------------------------------------

    def watch(self, device: Device) -> None:
        """Follow DEVICE's state and availability topics (the newest Device object with its id)."""
        topics = topics_of(device, self.config)
        device_id = device.id
        state_topic, availability_topic = topics["state"], topics["availability"]
        with self._changed:
            self._watched[device_id] = device
            self._codecs[device_id] = Codec(device)
            # one availability topic often serves many devices (a bridge's): its word may be here already
            word = self._availability_words.get(availability_topic) if availability_topic else None
            if word is not None:
                self._set_online(device, word)
        if ("state", state_topic, device_id) not in self._subscribed:
            self._subscribed.add(("state", state_topic, device_id))
            self.link.subscribe(state_topic, lambda t, p, r: self._on_state(device_id, "state", t, p))
        if availability_topic and ("availability", availability_topic, "") not in self._subscribed:
            self._subscribed.add(("availability", availability_topic, ""))
            self.link.subscribe(availability_topic, lambda t, p, r: self._on_availability(t, p))

    def _current(self, device_id: str, kind: str, topic: str) -> Device | None:
        device = self._watched.get(device_id)
        if device is None or topics_of(device, self.config)[kind] != topic:
            return None
        return device

    def _on_state(self, device_id: str, kind: str, topic: str, payload: bytes) -> None:
        device = self._current(device_id, kind, topic)
        if device is None:
            return
        try:
            values = self._codecs[device_id].decode(parse_payload(payload))
        except (UnicodeDecodeError, ValueError) as exc:
            log.warning("ignored a state message of %s: %s", device_id, exc)
            return
        if not values:
            log.warning("ignored a state message of %s: nothing we understand in %r", device_id, payload[:80])
            return
        with self._changed:
            self._states[device_id] = {**self._states.get(device_id, {}), **values}
            self._seq[device_id] = self._seq.get(device_id, 0) + 1
            self._changed.notify_all()

    def _on_availability(self, topic: str, payload: bytes) -> None:
        word = payload.decode("utf-8", errors="replace").strip()
        with self._changed:
            self._availability_words[topic] = word
            for device in self._watched.values():
                if topics_of(device, self.config)["availability"] == topic:
                    self._set_online(device, word)
            self._changed.notify_all()

    def _set_online(self, device: Device, word: str) -> None:
        online_word = str(device.options.get("payload_available", "online"))
        offline_word = str(device.options.get("payload_not_available", "offline"))
        if word in (online_word, offline_word):
            self._online[device.id] = word == online_word
        else:
            log.warning("ignored an availability message of %s: %r", device.id, word[:40])

    def state(self, device: Device) -> dict[str, Any] | None:
        with self._changed:
            state = self._states.get(device.id)
            return dict(state) if state is not None else None

    def online(self, device: Device) -> bool:
        """Reachable as far as we know: the broker is connected and the device did not say it is offline
        (a device without an availability topic counts as online once it has reported a state)."""
        if not self.link.connected:
            return False
        with self._changed:
            if device.id in self._online:
                return self._online[device.id]
            return device.id in self._states

    def said_offline(self, device: Device) -> bool:
        with self._changed:
            return self._online.get(device.id) is False

    def mark(self, device: Device) -> int:
        with self._changed:
            return self._seq.get(device.id, 0)

    def wait_state(
        self, device: Device, after: int, accept: Callable[[dict[str, Any]], bool], timeout: float
    ) -> dict[str, Any] | None:
        """The first state DEVICE reports after mark AFTER that ACCEPT likes, or None on time-out."""
        def ready() -> bool:
            return self._seq.get(device.id, 0) > after and accept(self._states.get(device.id, {}))

        with self._changed:
            if self._changed.wait_for(ready, timeout):
                return dict(self._states[device.id])
            return None

    def close(self) -> None:
        self.link.close()


def _fill_topics(ours: Device, found: Device) -> None:
    """A home-file device that is also announced (on its own topics) keeps everything from the file;
    if it is an MQTT device, what the file leaves out (an availability topic, payload words) comes
    from the announcement."""
    if ours.adapter != "mqtt":
        return
    for key, value in found.options.items():
        ours.options.setdefault(key, value)

"""The device bridge: the simulated devices of a home, living on a broker like real ones.

Each device is announced with a Home Assistant discovery config (retained), publishes its state
(retained JSON, again whenever it changes, appliances included as they progress in time) and
obeys JSON commands on its command topic by running the simulated adapter. So one terminal runs
the devices and another the assistant, and tests drive the whole system across processes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from assistant.adapters.simulated import SimulatedAdapter, public
from assistant.errors import AssistantError
from assistant.home import Device, Home
from assistant.mqtt import discovery
from assistant.mqtt.link import Link
from assistant.mqtt.payloads import ACTION, Codec, parse_payload
from assistant.state import StateStore

log = logging.getLogger("assistant.mqtt")
TIMED_TYPES = {"washer", "rice_cooker", "kettle", "vacuum"}  # their state changes by itself


class _Simulated(SimulatedAdapter):
    def states(self, devices: list[Device]) -> dict[str, dict[str, Any]]:
        """The state of many devices in one read of the state file (announcing 1,000 devices stays quick)."""
        with self.store.transaction() as data:
            return {device.id: public(self._load(data, device)) for device in devices}


class Bridge:
    def __init__(self, home: Home, store: StateStore, link: Link, node_id: str, report: Callable[[str], None]):
        self.home = home
        self.link = link
        self.node_id = node_id
        self.report = report
        self.simulated = _Simulated(home, store)
        self.devices = [d for d in home.devices.values() if d.adapter == "simulated"]
        self.codecs = {d.id: Codec(d) for d in self.devices}
        base = link.config.base_topic
        self.topics = {
            d.id: {"command": f"{base}/{d.id}/set", "state": f"{base}/{d.id}",
                   "availability": link.config.availability_topic}
            for d in self.devices
        }
        self._published: dict[str, str] = {}

    def start(self) -> None:
        for device in self.devices:
            self.link.subscribe(self.topics[device.id]["command"],
                                lambda t, p, r, device=device: self._on_command(device, p))
        self.link.on_reconnect(self.announce)  # a restarted broker may have lost what was retained
        self.announce()
        self.link.sync()

    def announce(self) -> None:
        """Publish every device's discovery config and state (retained)."""
        prefix = self.link.config.discovery_prefix
        states = self.simulated.states(self.devices)
        for device in self.devices:
            topic, config = discovery.config_for(device, self.home, prefix, self.node_id, self.topics[device.id])
            self.link.publish(topic, json.dumps(config), retain=True, wait=False)
            self.publish_state(device, force=True, state=states[device.id])

    def publish_state(self, device: Device, force: bool = False, state: dict[str, Any] | None = None) -> None:
        state = self.simulated.state(device) if state is None else state
        payload = json.dumps(self.codecs[device.id].encode(state), sort_keys=True)
        if force or self._published.get(device.id) != payload:
            if self.link.publish(self.topics[device.id]["state"], payload, retain=True, wait=False):
                self._published[device.id] = payload

    def tick(self) -> None:
        """Publish the state of appliances that moved on by themselves (a washer counting down)."""
        timed = [device for device in self.devices if device.type in TIMED_TYPES]
        states = self.simulated.states(timed) if timed else {}
        for device in timed:
            self.publish_state(device, state=states[device.id])

    def _on_command(self, device: Device, raw: bytes) -> None:
        text = raw.decode("utf-8", errors="replace")
        try:
            body = parse_payload(raw)
        except UnicodeDecodeError:
            body = None
        steps = self.steps(device, body)
        if not steps:
            self.report(f"{device.id}: ignored {text[:80]!r} (nothing it can do)")
            self.publish_state(device, force=True)
            return
        before = self.simulated.state(device)
        problems = []
        for intent, slots in steps:
            try:
                self.simulated.execute(device, intent, slots)
            except AssistantError as exc:
                problems.append(str(exc))
        after = self.simulated.state(device)
        self.publish_state(device, force=True)
        changed = ", ".join(f"{k}={v}" for k, v in after.items() if before.get(k) != v) or "no change"
        self.report(f"{device.id}: {text} -> {changed}" + (f" ({'; '.join(problems)})" if problems else ""))

    def steps(self, device: Device, body: Any) -> list[tuple[str, dict[str, Any]]]:
        """The intents that carry out a command payload: an action, or the properties it asks for."""
        if isinstance(body, dict) and isinstance(body.get(ACTION), str):
            intent = body[ACTION]
            return [(intent, {k: v for k, v in body.items() if k != ACTION})] if intent in device.commands else []
        values = self.codecs[device.id].decode(body)
        order = sorted(values.items(), key=lambda kv: 0 if kv == ("power", True) else 2 if kv[0] == "power" else 1)
        return [step for name, value in order if (step := _step_for(device, name, value)) is not None]


def _step_for(device: Device, name: str, value: Any) -> tuple[str, dict[str, Any]] | None:
    """The command that sets property NAME to VALUE: one that sets exactly that, else one that adjusts
    it, else one that takes it as a slot."""
    plain = [c for c in device.commands.values() if not c.run and not c.adjust and name in c.set]
    for command in sorted(plain, key=lambda c: len(c.set)):
        literal = command.set[name]
        if type(literal) is type(value) and literal == value:
            return command.intent, {}
    for command in device.commands.values():
        if command.adjust == name and not command.run:
            return command.intent, {"value": value}
    for command in sorted(plain, key=lambda c: len(c.set)):
        literal = command.set[name]
        if isinstance(literal, str) and literal.startswith("$"):
            return command.intent, {literal[1:]: value}
    return None

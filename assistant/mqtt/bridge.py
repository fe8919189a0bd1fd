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

from assistant.adapters.simulated import SimulatedAdapter
from assistant.home.types import Command
from assistant.errors import AssistantError
from assistant.home.model import Device, Home
from assistant.mqtt import discovery
from assistant.mqtt.link import Link
from assistant.mqtt.payloads import ACTION, Codec, parse_payload
from assistant.home.state import StateStore

log = logging.getLogger("assistant.mqtt")
TIMED_TYPES = {"washer", "rice_cooker", "kettle", "vacuum"}  # their state changes by itself


class Bridge:
    def __init__(self, home: Home, store: StateStore, link: Link, node_id: str, report: Callable[[str], None]):
        self.home = home
        self.link = link
        self.node_id = node_id
        self.report = report
        self.simulated = SimulatedAdapter(home, store)
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
        state = self.simulated.state(device)
        steps = []
        for name, value in order:
            step = self._step_for(device, name, value, state)
            if step is not None:
                steps.append(step)
                state = self.simulated.outcome(device, *step, state)
        return steps

    def _step_for(self, device: Device, name: str, value: Any, state: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """The command that sets property NAME to VALUE, found by asking the device model which of
        the commands that touch it, with the value in which slot, ends with NAME == VALUE (the
        command that changes least first: `turn_on` rather than `set_brightness` for power)."""
        candidates = [c for c in device.commands.values() if name in c.touches() | set(c.needs) and not c.query]
        for command in sorted(candidates, key=lambda c: len(c.touches())):
            for slots in _slot_guesses(command, value):
                try:
                    after = self.simulated.outcome(device, command.intent, slots, state)
                except AssistantError:
                    continue
                if after.get(name) == value:
                    return command.intent, slots
        return None


def _slot_guesses(command: Command, value: Any) -> list[dict[str, Any]]:
    """The ways a property value can be handed to COMMAND: none (a literal set), or as one of its slots."""
    slots = [raw[1:] for raw in command.set.values() if isinstance(raw, str) and raw.startswith("$")]
    if command.adjust:
        slots.append("value")
    if command.modes:
        slots.append("mode")
    if command.run:
        slots += ["color", "mode", "value"]
    return [{}] + [{slot: value} for slot in dict.fromkeys(slots)]

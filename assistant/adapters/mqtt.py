"""The MQTT adapter: drives devices over a broker, the way Zigbee2MQTT/Tasmota/ESPHome devices are wired.

A command is published (QoS 1) as a JSON payload on the device's command topic (a plain switch
gets its `payload_on`/`payload_off` text); it counts as done
only when the device reports, on its state topic, the state that was asked for. No report within
the time-out: the device "didn't respond". No broker: "I can't reach ..." at once, never a hang.
"""

from __future__ import annotations

from typing import Any

from assistant.adapters.base import Adapter, Change
from assistant.adapters.simulated import SimulatedAdapter, default_state
from assistant.errors import DeviceError
from assistant.home.model import Device, Home
from assistant.home.state import StateStore


class MqttAdapter(Adapter):
    name = "mqtt"

    def __init__(self, home: Home, store: StateStore, options: dict[str, Any] | None = None):
        super().__init__(home, store, options)
        from assistant.mqtt.session import connect, network_for

        self.network = network_for(home)
        self._owns_network = self.network is None
        if self.network is None:  # not set up by the CLI: connect as the home file's mqtt section says
            self.network = connect(home, None)
        self.model = SimulatedAdapter(home, store)  # only works out the state a command asks for

    def execute(self, device: Device, intent: str, slots: dict[str, Any]) -> Change:
        from assistant.mqtt.network import topics_of
        from assistant.mqtt.payloads import Codec

        if intent not in device.commands:
            raise DeviceError("cannot", device=device, intent=intent)
        if not self.network.link.connected:
            raise DeviceError("unreachable", device=device)
        if self.network.said_offline(device):
            raise DeviceError("offline", device=device)
        before = self.network.state(device) or {}
        current = {**default_state(device), **before}
        wanted = self.model.outcome(device, intent, slots, current)
        text, expected = Codec(device).message(device, intent, slots, current, wanted)
        mark = self.network.mark(device)
        if not self.network.link.publish(topics_of(device, self.network.config)["command"], text):
            raise DeviceError("unreachable", device=device)
        confirmed = self.network.wait_state(
            device, mark, lambda state: all(_same(state.get(k), v) for k, v in expected.items()),
            self.network.config.timeout,
        )
        if confirmed is None:
            raise DeviceError("no_answer", device=device)
        return Change(device.id, before, confirmed)

    def state(self, device: Device) -> dict[str, Any]:
        state = self.network.state(device)
        if state is None:
            if not self.network.link.connected:
                raise DeviceError("unreachable_state", device=device)
            raise DeviceError("no_state", device=device)
        return state

    def states(self, devices: list[Device]) -> dict[str, dict[str, Any]]:
        """The devices that have reported a state; the others are left out (`state` says why)."""
        found = {device.id: self.network.state(device) for device in devices}
        return {device_id: state for device_id, state in found.items() if state is not None}

    def available(self, device: Device) -> bool:
        return self.network.online(device)

    def close(self) -> None:
        if self._owns_network:
            self.network.close()


def _same(reported: Any, wanted: Any) -> bool:
    if isinstance(wanted, float) or isinstance(reported, float):
        try:
            return abs(float(reported) - float(wanted)) < 0.05
        except (TypeError, ValueError):
            return False
    return reported == wanted

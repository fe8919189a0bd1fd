"""The adapter interface, and finding adapters through Python entry points."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError

if TYPE_CHECKING:
    from assistant.home import Device, Home
    from assistant.state import StateStore

ENTRY_POINT_GROUP = "assistant.adapters"
# Adapters that ship with the assistant (also declared as entry points in pyproject.toml).
BUILTIN = {
    "simulated": "assistant.adapters.simulated:SimulatedAdapter",
    "mqtt": "assistant.adapters.mqtt:MqttAdapter",
}


@dataclass
class Change:
    """What one command did to one device: the properties before and after."""

    device: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    def changed(self) -> dict[str, Any]:
        return {k: v for k, v in self.after.items() if self.before.get(k) != v}


class Adapter:
    """Drives the devices of one kind of backend.

    An adapter is constructed once per assistant with the home and the state store, and is then
    asked to execute commands on devices whose `adapter` names it, and to report their state.
    """

    name: str = ""

    def __init__(self, home: Home, store: StateStore, options: dict[str, Any] | None = None):
        self.home = home
        self.store = store
        self.options = options or {}

    def execute(self, device: Device, intent: str, slots: dict[str, Any]) -> Change:
        """Carry out `intent` on `device`; raise DeviceError if it cannot."""
        raise NotImplementedError

    def state(self, device: Device) -> dict[str, Any]:
        """The device's current properties."""
        raise NotImplementedError

    def available(self, device: Device) -> bool:
        return True

    def close(self) -> None:
        """Release connections; called once when the assistant stops."""


class AdapterRegistry:
    """Creates adapters on first use, by the name a device gives in the home file."""

    def __init__(self, home: Home, store: StateStore, options: dict[str, dict[str, Any]] | None = None):
        self.home = home
        self.store = store
        self.options = options or {}
        self._adapters: dict[str, Adapter] = {}

    @staticmethod
    def available_names() -> list[str]:
        return sorted(set(BUILTIN) | {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})

    def get(self, name: str) -> Adapter:
        if name not in self._adapters:
            matches = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
            if not matches and name in BUILTIN:
                matches = [EntryPoint(name, BUILTIN[name], ENTRY_POINT_GROUP)]
            if not matches:
                known = ", ".join(self.available_names())
                raise AssistantError(f"no adapter named '{name}' is installed (installed: {known})")
            try:
                cls = matches[0].load()
            except Exception as exc:  # a broken third-party package must not take us down
                raise AssistantError(f"adapter '{name}' failed to load: {exc}") from None
            self._adapters[name] = cls(self.home, self.store, self.options.get(name))
        return self._adapters[name]

    def register(self, name: str, adapter: Adapter) -> None:
        """Use an already-built adapter (e.g. an MQTT adapter sharing a connection)."""
        self._adapters[name] = adapter

    def for_device(self, device: Device) -> Adapter:
        return self.get(device.adapter)

    def close(self) -> None:
        for adapter in self._adapters.values():
            adapter.close()
        self._adapters.clear()

"""The adapter interface, and finding adapters through Python entry points."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.adapters.installed import BUILTIN, entry_point, installed_names
from assistant.errors import AssistantError, DeviceError

if TYPE_CHECKING:
    from assistant.home.model import Device, Home
    from assistant.home.state import StateStore


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

    def states(self, devices: list[Device]) -> dict[str, dict[str, Any]]:
        """Several devices' state at once; override when the backend can do it in one go.

        A device it cannot read may be left out; callers then ask `state` for it, which says why."""
        return {device.id: self.state(device) for device in devices}

    def available(self, device: Device) -> bool:
        """Whether the device can be reached right now."""
        return True

    def close(self) -> None:
        """Release connections; called once when the assistant stops."""


class AdapterError(DeviceError):
    """An adapter is missing, broken, or failed in a way it did not explain."""


class GuardedAdapter(Adapter):
    """Wraps an adapter so that a bug in it becomes a one-line DeviceError about the device,
    not a traceback that stops every other device."""

    def __init__(self, adapter: Adapter, name: str):  # noqa: D107 - no Adapter.__init__: shares the wrapped one
        self.adapter = adapter
        self.name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.adapter, attr)

    def _call(self, what: str, device: Device | None, call, *args):
        try:
            return call(*args)
        except AssistantError:
            raise
        except Exception as exc:  # a third-party bug must not take the assistant down
            if device is None:
                raise AdapterError(f"adapter_failed_{what}_all", adapter=self.name, why=_why(exc)) from None
            raise AdapterError(f"adapter_failed_{what}", adapter=self.name, device=device, why=_why(exc)) from None

    def execute(self, device: Device, intent: str, slots: dict[str, Any]) -> Change:
        return self._call("drive", device, self.adapter.execute, device, intent, slots)

    def state(self, device: Device) -> dict[str, Any]:
        return self._call("read", device, self.adapter.state, device)

    def states(self, devices: list[Device]) -> dict[str, dict[str, Any]]:
        return self._call("read", None, self.adapter.states, devices)

    def available(self, device: Device) -> bool:
        try:
            return bool(self.adapter.available(device))
        except Exception:  # noqa: BLE001 - an adapter that cannot say is not available
            return False

    def close(self) -> None:
        self._call("close", None, self.adapter.close)


def _builtin(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


class AdapterRegistry:
    """Creates adapters on first use, by the name a device gives in the home file."""

    def __init__(self, home: Home, store: StateStore, options: dict[str, dict[str, Any]] | None = None):
        self.home = home
        self.store = store
        self.options = options or {}
        self._adapters: dict[str, Adapter] = {}

    @staticmethod
    def available_names() -> list[str]:
        return installed_names()

    def get(self, name: str) -> Adapter:
        """The adapter called `name` (created on first use); AdapterError if it is missing or broken."""
        if name not in self._adapters:
            found = None if name in BUILTIN else entry_point(name)
            if found is None and name not in BUILTIN:
                known = ", ".join(self.available_names())
                raise AdapterError("adapter_missing", adapter=name, known=known)
            target = found.value if found else BUILTIN[name]
            try:
                cls = found.load() if found else _builtin(target)
            except Exception as exc:  # a broken third-party package must not take us down
                raise AdapterError("adapter_unloadable", adapter=name, why=_why(exc)) from None
            if not (isinstance(cls, type) and issubclass(cls, Adapter)):
                raise AdapterError("adapter_not_a_class", adapter=name, target=target)
            try:
                adapter = cls(self.home, self.store, self.options.get(name))
            except AssistantError:
                raise
            except Exception as exc:
                raise AdapterError("adapter_unstartable", adapter=name, why=_why(exc)) from None
            self._adapters[name] = GuardedAdapter(adapter, name)
        return self._adapters[name]

    def register(self, name: str, adapter: Adapter) -> None:
        """Use an already-built adapter (e.g. an MQTT adapter sharing a connection)."""
        self._adapters[name] = GuardedAdapter(adapter, name) if not isinstance(adapter, GuardedAdapter) else adapter

    def for_device(self, device: Device) -> Adapter:
        """The adapter that drives `device`; AdapterError naming the device if it cannot be had."""
        try:
            return self.get(device.adapter)
        except AdapterError as exc:
            raise AdapterError("adapter_for_device", device=device, problem=exc) from None

    def close(self) -> None:
        adapters, self._adapters = list(self._adapters.values()), {}
        for adapter in adapters:
            try:
                adapter.close()
            except AssistantError:
                pass


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

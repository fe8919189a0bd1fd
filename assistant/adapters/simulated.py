"""The simulated adapter: devices that live in the state file and behave like real ones.

Appliances progress in time (assistant/adapters/appliances.py: a washer programme counts down and
finishes, a kettle heats, boils and cools, a vacuum cleans, returns and recharges). Progress is worked
out from timestamps stored with the state whenever it is read, so it holds across processes (and
`ASSISTANT_NOW` can move time in tests).

Device options the simulation understands: `initial` (a mapping of starting property values,
e.g. a sensor's reading) and `offline: true` (the device does not answer).
"""

from __future__ import annotations

from typing import Any

from assistant import clock
from assistant.adapters.appliances import Appliances, advance, rebase
from assistant.adapters.base import Adapter, Change
from assistant.home.types import BadValue, Command
from assistant.home.types import first_fit
from assistant.errors import DeviceError
from assistant.home.model import Device

PRIVATE = "_"  # prefix of stored keys that are not device properties


def default_state(device: Device) -> dict[str, Any]:
    """A device's state before anything happened to it: the type's defaults, then `options.initial`."""
    state = {name: prop.default for name, prop in device.properties.items()}
    initial = device.options.get("initial")
    if isinstance(initial, dict):
        for name, value in initial.items():
            if name in device.properties:
                try:
                    state[name] = device.properties[name].coerce(value)
                except BadValue:
                    pass
    return state


def public(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if not k.startswith(PRIVATE)}


class SimulatedAdapter(Appliances, Adapter):
    name = "simulated"

    def available(self, device: Device) -> bool:
        return not device.options.get("offline")

    def state(self, device: Device) -> dict[str, Any]:
        return self.states([device])[device.id]

    def states(self, devices: list[Device]) -> dict[str, dict[str, Any]]:
        """Many devices in one read of the state file."""
        with self.store.transaction() as data:
            return {d.id: public(self._load(data, d)) for d in devices}

    def execute(self, device: Device, intent: str, slots: dict[str, Any]) -> Change:
        command = self._command(device, intent)
        if not self.available(device):
            raise DeviceError("not_responding", device=device)
        with self.store.transaction() as data:
            state = self._load(data, device)
            before = public(state)
            self._obey(device, command, slots, state)
            self._rebase(device, state, clock.now())
            data["devices"][device.id] = state
            return Change(device.id, before, public(state))

    def outcome(self, device: Device, intent: str, slots: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
        """The state `intent` would leave the device in, starting from `current`, stored nowhere.

        Adapters for real devices use it to work out (and check) what to ask a device for, so they
        refuse the same values with the same words as the simulation."""
        state = dict(current)
        self._obey(device, self._command(device, intent), slots, state)
        return public(state)

    def _command(self, device: Device, intent: str) -> Command:
        command = device.commands.get(intent)
        if command is None:
            raise DeviceError("cannot", device=device, intent=intent)
        return command

    def _obey(self, device: Device, command: Command, slots: dict[str, Any] | None, state: dict[str, Any]) -> None:
        try:
            self._apply(device, command, dict(slots or {}), state)
        except BadValue as exc:
            raise DeviceError("bad_value", device=device, problem=exc) from None

    # -- state and time ---------------------------------------------------------------------

    def _load(self, data: dict[str, Any], device: Device) -> dict[str, Any]:
        stored = data["devices"].get(device.id)
        state = default_state(device)
        if isinstance(stored, dict):
            state.update({k: v for k, v in stored.items() if k in state or k.startswith(PRIVATE)})
        self._advance(device, state, clock.now())
        data["devices"][device.id] = state
        return state

    def _advance(self, device: Device, state: dict[str, Any], now: float) -> None:
        """Bring a device's state up to `now` from its stored timestamps."""
        advance(device, state, now)

    def _rebase(self, device: Device, state: dict[str, Any], now: float) -> None:
        """After a command, continue the device's curves from where they are now."""
        rebase(device, state, now)

    # -- commands --------------------------------------------------------------------------

    def _apply(self, device: Device, command: Command, slots: dict[str, Any], state: dict[str, Any]) -> None:
        if command.adjust and not (command.modes and slots.get("mode") is not None):
            name, value = self._adjusted(device, command.adjust, state, slots, command.options.get("delta_scale", 1))
            state[name] = value
        elif command.modes:
            mode = slots.get("mode")
            if mode is None:
                raise DeviceError("which_mode", device=device)
            name, value = first_fit([device.properties[n] for n in command.modes], mode)
            state[name] = value
        for name, raw in command.set.items():
            value = slots.get(raw[1:]) if isinstance(raw, str) and raw.startswith("$") else raw
            if value is None:
                raise DeviceError("what_value", device=device)
            state[name] = device.properties[name].coerce(value)
        if command.run:
            getattr(self, f"_run_{command.run}")(device, command, slots, state)

    def _adjusted(self, device: Device, names: tuple[str, ...], state: dict, slots: dict,
                  scale: float = 1) -> tuple[str, Any]:
        """The property a command changes and its new value; a delta counts `scale` of the property's units
        (types.yaml `delta_scale`: a light one degree 'warmer' is 500 K lower)."""
        value = slots.get("value")
        if value is None and any(device.properties[n].presets for n in names):
            value = slots.get("mode") or slots.get("color")
        if value is not None:
            return first_fit([device.properties[n] for n in names], value)
        if slots.get("delta") is not None:
            name = names[0]
            prop = device.properties[name]
            try:
                number = float(state.get(name) or 0) + float(slots["delta"]) * float(scale)
            except (TypeError, ValueError):
                raise DeviceError("how_much", device=device) from None
            low = prop.min if prop.min is not None else number
            high = prop.max if prop.max is not None else number
            return name, prop.coerce(min(max(number, low), high))
        raise DeviceError("what_value", device=device)

    # behaviours named by `run:` in types.yaml

    def _run_light_color(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        color = slots.get("color")
        if color is None:
            raise DeviceError("what_colour", device=device)
        words = " ".join(str(color).lower().replace("_", " ").split())
        temp = device.properties.get("color_temp")
        if temp is not None and (words in temp.presets or (words == "white" and "color" not in device.properties)):
            state["color_temp"] = temp.coerce(words if words != "white" else temp.default)
            if "color" in device.properties:
                state["color"] = "white"
        elif "color" in device.properties:
            state["color"] = device.properties["color"].coerce(words)
        else:
            raise DeviceError("white_only", device=device)
        state["power"] = True

    def _run_volume_step(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        direction = 1 if command.options.get("step", 10) > 0 else -1
        try:
            step = abs(int(float(slots.get("delta") or command.options.get("step", 10))))
        except (TypeError, ValueError):
            step = abs(int(command.options.get("step", 10)))
        state["volume"] = min(100, max(0, int(state.get("volume", 0)) + direction * step))
        state["muted"] = False

    def _run_media_skip(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        key = "track" if "track" in state else "channel"
        prop = device.properties[key]
        value = int(state.get(key, 1)) + int(command.options.get("step", 1))
        state[key] = int(min(max(value, prop.min or 1), prop.max or value))
        if "playback" in state:
            state["playback"] = "playing"
        if "power" in state:
            state["power"] = True

    def _run_cover_stop(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        """A simulated cover moves at once, so stopping leaves it where it is."""

"""The simulated adapter: devices that live in the state file and behave like real ones.

Appliances progress in time: a washer programme counts down and finishes, a rice cooker finishes
and keeps warm, a kettle heats, boils and cools, a water heater heats to its target, a vacuum
cleans, returns and recharges. Progress is worked out from timestamps stored with the state
whenever it is read, so it holds across processes (and `ASSISTANT_NOW` can move time in tests).

Device options the simulation understands: `initial` (a mapping of starting property values,
e.g. a sensor's reading) and `offline: true` (the device does not answer).
"""

from __future__ import annotations

from typing import Any

from assistant import clock
from assistant.adapters.base import Adapter, Change
from assistant.home.types import BadValue, Command
from assistant.home.types import first_fit
from assistant.errors import DeviceError
from assistant.home.model import Device

PRIVATE = "_"  # prefix of stored keys that are not device properties
LOW_BATTERY = 15  # percent below which a vacuum will not start cleaning


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


class SimulatedAdapter(Adapter):
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
            raise DeviceError("bad_value", device=device, problem=str(exc)) from None

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
        if device.spec.programmes:
            _advance_programme(device, state, now)
        if "heating" in device.spec.extra:
            _advance_heating(device, state, now)
        if "cleaning" in device.spec.extra:
            _advance_vacuum(device, state, now)

    def _rebase(self, device: Device, state: dict[str, Any], now: float) -> None:
        """After a command, continue the device's curves from where they are now."""
        if "heating" in device.spec.extra:
            state.update(_t0=now, _temp0=state["water_temperature"])
        if "cleaning" in device.spec.extra:
            state.update(_t0=now, _battery0=state["battery"])

    # -- commands --------------------------------------------------------------------------

    def _apply(self, device: Device, command: Command, slots: dict[str, Any], state: dict[str, Any]) -> None:
        if command.adjust and not (command.modes and slots.get("mode") is not None):
            name, value = self._adjusted(device, command.adjust, state, slots)
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

    def _adjusted(self, device: Device, names: tuple[str, ...], state: dict, slots: dict) -> tuple[str, Any]:
        value = slots.get("value")
        if value is None and any(device.properties[n].presets for n in names):
            value = slots.get("mode") or slots.get("color")
        if value is not None:
            return first_fit([device.properties[n] for n in names], value)
        if slots.get("delta") is not None:
            name = names[0]
            prop = device.properties[name]
            try:
                number = float(state.get(name) or 0) + float(slots["delta"])
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

    def _run_programme_choose(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        mode = slots.get("mode")
        if mode is None:
            raise DeviceError("which_programme", device=device)
        if state.get("status") in ("running", "paused"):
            raise DeviceError("busy", device=device, programme=state["programme"])
        state["programme"] = device.properties["programme"].coerce(mode)
        if state.get("status") != "idle":
            state.update(status="idle", time_left=0)

    def _run_programme_start(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        mode = slots.get("mode")
        finish = device.spec.extra.get("finish")
        status = state.get("status")
        if mode is not None and " ".join(str(mode).lower().split()) == finish:
            state.update(status=finish, time_left=0)
            state.pop("_ends_at", None)
            return
        if mode is not None:
            programme = device.properties["programme"].coerce(mode)
            if status in ("running", "paused") and programme != state.get("programme"):
                raise DeviceError("busy", device=device, programme=state["programme"])
            state["programme"] = programme
        if status == "running":
            return  # already doing it
        now = clock.now()
        if status == "paused":
            seconds = int(state.get("time_left") or device.spec.programmes.get(state["programme"], 3600))
        else:
            seconds = int(device.spec.programmes.get(state["programme"], 3600))
        state.update(status="running", time_left=seconds, _ends_at=now + seconds)

    def _run_programme_pause(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        if state.get("status") == "paused":
            return
        if state.get("status") != "running":
            raise DeviceError("not_running", device=device)
        state["status"] = "paused"
        state.pop("_ends_at", None)

    def _run_programme_stop(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        state.update(status="idle", time_left=0)
        state.pop("_ends_at", None)

    def _run_heat(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        state.update(power=True, status="heating")

    def _run_heat_stop(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        state["power"] = False
        if state.get("status") == "heating" or device.type != "kettle":
            state["status"] = "idle"

    def _run_vacuum_clean(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        timing = device.spec.extra["cleaning"]
        rooms = self._rooms_named(device, slots.get("area"))
        area = ", ".join(rooms)
        if state.get("status") == "cleaning" and (not rooms or area == state.get("cleaning_area")):
            return  # already doing it
        if state.get("status") == "paused" and not rooms and state.get("_remaining"):
            seconds = float(state.pop("_remaining"))
        else:
            if int(state.get("battery", 100)) < LOW_BATTERY:
                raise DeviceError("battery_low", device=device, battery=state["battery"])
            seconds = timing["room"] * len(rooms) if rooms else timing["home"]
            state["cleaning_area"] = area
            state.pop("_remaining", None)
        state.update(status="cleaning", _ends_at=clock.now() + seconds)

    def _run_vacuum_pause(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        if state.get("status") == "paused":
            return
        if state.get("status") not in ("cleaning", "returning"):
            raise DeviceError("not_cleaning", device=device)
        if state["status"] == "cleaning":
            state["_remaining"] = max(0.0, float(state.get("_ends_at", 0)) - clock.now())
        state["status"] = "paused"
        state.pop("_ends_at", None)

    def _run_vacuum_dock(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        if state.get("status") in ("docked", "returning"):
            return
        state.update(status="returning", cleaning_area="", _ends_at=clock.now() + device.spec.extra["cleaning"]["return"])
        state.pop("_remaining", None)

    def _rooms_named(self, device: Device, area: Any) -> list[str]:
        """Room ids for the `area` slot (ids or names), or a DeviceError naming the unknown one."""
        if area in (None, "", []):
            return []
        rooms = self.home.rooms
        result = []
        for item in area if isinstance(area, list) else [area]:
            key = str(item).strip().lower()
            found = rooms.get(key) or next(
                (r for r in rooms.values() if key in (n.lower() for n in r.names)), None)
            if found is None:
                raise DeviceError("unknown_room", device=device, room=item)
            if found.id not in result:
                result.append(found.id)
        return result


def _advance_programme(device: Device, state: dict[str, Any], now: float) -> None:
    ends = state.get("_ends_at")
    if state.get("status") != "running" or ends is None:
        return
    left = max(0, int(round(float(ends) - now)))
    state["time_left"] = left
    if left == 0:
        state["status"] = device.spec.extra.get("finish", "finished")
        state.pop("_ends_at", None)


def _advance_heating(device: Device, state: dict[str, Any], now: float) -> None:
    """Water heats at `rate` towards the target while on, and cools at `cooling` towards ambient.

    A kettle switches itself off when it boils (status `boiled` until the water cools); a
    water heater holds the target (status `ready`).
    """
    t0, temp0 = state.get("_t0"), state.get("_temp0")
    if t0 is None or temp0 is None:
        return
    heat = device.spec.extra["heating"]
    rate, cooling, ambient = float(heat["rate"]), float(heat["cooling"]), float(heat["ambient"])
    target = float(state.get("target_temperature", 100))
    t0, temp0 = float(t0), float(temp0)
    if state.get("power"):
        reached_at = t0 + max(0.0, target - temp0) / rate
        if now < reached_at:
            state.update(water_temperature=round(temp0 + rate * (now - t0), 1), status="heating")
            return
        if device.type == "kettle":  # boils, clicks off, then cools
            state.update(power=False, status="boiled", _t0=reached_at, _temp0=max(target, temp0))
            t0, temp0 = reached_at, max(target, temp0)
        else:
            state.update(water_temperature=round(max(target, temp0 - cooling * (now - t0)), 1), status="ready")
            return
    temperature = max(min(ambient, temp0), temp0 - cooling * (now - t0))
    state["water_temperature"] = round(temperature, 1)
    ready_within = heat.get("ready_within")  # a boiled kettle is "boiled" until it has cooled this much
    if state.get("status") == "boiled" and ready_within is not None and temperature < target - float(ready_within):
        state["status"] = "idle"


def _advance_vacuum(device: Device, state: dict[str, Any], now: float) -> None:
    """Cleaning runs until its end, then the vacuum returns and docks; the battery drains while it
    works and charges on the dock."""
    t0 = state.get("_t0")
    if t0 is None:
        return
    timing = device.spec.extra["cleaning"]
    drain, charge = float(timing["drain"]), float(timing["charge"])
    t0 = float(t0)
    battery0 = float(state.get("_battery0", state.get("battery", 100)))
    while state.get("status") in ("cleaning", "returning") and state.get("_ends_at") is not None \
            and now >= float(state["_ends_at"]):
        ends = float(state["_ends_at"])
        battery0, t0 = max(5.0, battery0 - drain * (ends - t0)), ends
        if state["status"] == "cleaning":
            state.update(status="returning", cleaning_area="", _ends_at=ends + float(timing["return"]))
        else:
            state["status"] = "docked"
            state.pop("_ends_at", None)
    status = state.get("status")
    if status in ("cleaning", "returning"):
        battery = max(5.0, battery0 - drain * (now - t0))
    elif status == "docked":
        battery = min(100.0, battery0 + charge * (now - t0))
    else:
        battery = battery0
    state.update(battery=int(round(battery)), _t0=t0, _battery0=battery0)

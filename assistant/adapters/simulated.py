"""The simulated adapter: devices that live in the state file and behave like real ones.

Appliances progress in time: a washer programme counts down, a rice cooker finishes and keeps
warm, a kettle heats and boils, a vacuum cleans and docks. Progress is worked out from stored
timestamps whenever the state is read, so it holds across processes.
"""

from __future__ import annotations

from typing import Any

from assistant import clock
from assistant.adapters.base import Adapter, Change
from assistant.devices import Command, Property
from assistant.errors import DeviceError
from assistant.home import Device

KETTLE_SECONDS = 150  # from cold to boiled
VACUUM_SECONDS = 1800  # one cleaning run
PRIVATE = "_"  # prefix of stored keys that are not device properties


def default_state(device: Device) -> dict[str, Any]:
    return {name: prop.default for name, prop in device.properties.items()}


def public(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if not k.startswith(PRIVATE)}


class SimulatedAdapter(Adapter):
    name = "simulated"

    def state(self, device: Device) -> dict[str, Any]:
        with self.store.transaction() as data:
            return public(self._load(data, device))

    def execute(self, device: Device, intent: str, slots: dict[str, Any]) -> Change:
        command = device.commands.get(intent)
        if command is None:
            raise DeviceError(f"The {device.name} can't do that")
        with self.store.transaction() as data:
            state = self._load(data, device)
            before = public(state)
            self._apply(device, command, slots, state)
            data["devices"][device.id] = state
            return Change(device.id, before, public(state))

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
        ends = state.get("_ends_at")
        if device.type in ("washer", "rice_cooker") and state.get("status") == "running" and ends:
            left = max(0, round(ends - now))
            state["time_left"] = left
            if left == 0:
                state["status"] = device.spec.extra.get("finish", "finished")
                state.pop("_ends_at", None)
        elif device.type == "kettle" and state.get("status") == "heating" and ends:
            started = state.get("_started_at", now)
            target = float(state.get("target_temperature", 100))
            fraction = min(1.0, (now - started) / max(1.0, ends - started))
            start_temp = float(state.get("_start_temperature", 20))
            state["water_temperature"] = round(start_temp + (target - start_temp) * fraction, 1)
            if now >= ends:
                state.update(status="boiled", power=False)
                state.pop("_ends_at", None)
        elif device.type == "vacuum" and state.get("status") == "cleaning" and ends:
            started = state.get("_started_at", now)
            state["battery"] = max(5, round(100 - 60 * min(1.0, (now - started) / VACUUM_SECONDS)))
            if now >= ends:
                state.update(status="docked", cleaning_area="")
                state.pop("_ends_at", None)

    # -- commands --------------------------------------------------------------------------

    def _apply(self, device: Device, command: Command, slots: dict[str, Any], state: dict[str, Any]) -> None:
        if command.adjust:
            prop = device.properties[command.adjust]
            state[command.adjust] = self._adjusted(device, prop, state.get(command.adjust), slots)
        for name, raw in command.set.items():
            value = slots.get(raw[1:]) if isinstance(raw, str) and raw.startswith("$") else raw
            if value is None:
                raise DeviceError(f"Tell me what to set the {device.name} to")
            state[name] = self._checked(device, device.properties[name], value)
        if command.run:
            getattr(self, f"_run_{command.run}")(device, command, slots, state)

    def _adjusted(self, device: Device, prop: Property, current: Any, slots: dict[str, Any]) -> Any:
        if slots.get("value") is not None:
            return self._checked(device, prop, slots["value"])
        if slots.get("delta") is not None:
            value = float(current or 0) + float(slots["delta"])
            low = prop.min if prop.min is not None else value
            high = prop.max if prop.max is not None else value
            value = min(max(value, low), high)
            return int(round(value)) if prop.type == "int" else round(value, 1)
        raise DeviceError(f"Tell me what to set the {device.name} to")

    def _checked(self, device: Device, prop: Property, value: Any) -> Any:
        if prop.type in ("int", "float"):
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise DeviceError(f"{value} is not a number for the {device.name}") from None
            if (prop.min is not None and number < prop.min) or (prop.max is not None and number > prop.max):
                unit = f" {prop.unit}" if prop.unit and prop.unit not in ("percent",) else ""
                raise DeviceError(
                    f"The {device.name} can only be set between {_fmt(prop.min)} and {_fmt(prop.max)}{unit}"
                )
            return int(round(number)) if prop.type == "int" else number
        if prop.type == "enum":
            text = str(value).lower().replace("_", " ")
            if text not in prop.values:
                raise DeviceError(
                    f"The {device.name} has no {prop.name.replace('_', ' ')} called {text}; "
                    f"it has {_join(prop.values)}"
                )
            return text
        if prop.type == "bool":
            return bool(value)
        return value

    # behaviours named by `run:` in types.yaml

    def _run_volume_step(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        step = int(slots.get("delta") or command.options.get("step", 10))
        step = abs(step) if command.options.get("step", 10) > 0 else -abs(step)
        state["volume"] = min(100, max(0, int(state.get("volume", 0)) + step))
        state["muted"] = False

    def _run_media_skip(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        key = "track" if "track" in state else "channel"
        state[key] = max(1, int(state.get(key, 1)) + int(command.options.get("step", 1)))
        if "playback" in state:
            state["playback"] = "playing"

    def _run_cover_stop(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        """A simulated cover moves instantly, so stopping leaves it where it is."""

    def _run_programme_start(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        programmes = device.spec.programmes
        mode = slots.get("mode")
        if mode is not None:
            state["programme"] = self._checked(device, device.properties["programme"], mode)
        if state.get("status") == "paused" and mode is None:
            seconds = int(state.get("time_left") or programmes.get(state["programme"], 3600))
        else:
            seconds = programmes.get(state["programme"], 3600)
        now = clock.now()
        state.update(status="running", time_left=seconds, _ends_at=now + seconds, _started_at=now)

    def _run_programme_pause(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        if state.get("status") != "running":
            raise DeviceError(f"The {device.name} isn't running")
        state["status"] = "paused"
        state.pop("_ends_at", None)

    def _run_programme_stop(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        state.update(status="idle", time_left=0)
        state.pop("_ends_at", None)

    def _run_kettle_boil(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        now = clock.now()
        start = float(state.get("water_temperature", 20))
        target = float(state.get("target_temperature", 100))
        seconds = max(10, KETTLE_SECONDS * (target - start) / 80)
        state.update(power=True, status="heating", _started_at=now, _ends_at=now + seconds, _start_temperature=start)

    def _run_vacuum_clean(self, device: Device, command: Command, slots: dict, state: dict) -> None:
        now = clock.now()
        area = slots.get("area") or ""
        state.update(status="cleaning", cleaning_area=area, _started_at=now, _ends_at=now + VACUUM_SECONDS)


def _fmt(number: float | None) -> str:
    if number is None:
        return "?"
    return str(int(number)) if float(number).is_integer() else str(number)


def _join(words: tuple[str, ...] | list[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]

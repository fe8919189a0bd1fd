"""Simulated appliances that progress in time: washer and rice cooker programmes count down and finish,
kettles and water heaters heat and cool, a vacuum cleans, returns to its dock and recharges.

The behaviours named by `run:` in types.yaml for these appliances, and how their state is brought up
to date from the timestamps stored with it (assistant/adapters/simulated.py reads and writes the state).
"""

from __future__ import annotations

from typing import Any

from assistant import clock
from assistant.errors import DeviceError
from assistant.home.model import Device, Home
from assistant.home.types import Command

LOW_BATTERY = 15  # percent below which a vacuum will not start cleaning


class Appliances:
    """The `run:` behaviours of appliances (mixed into the simulated adapter, which has the home)."""

    home: Home

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


def advance(device: Device, state: dict[str, Any], now: float) -> None:
    """Bring a device's state up to `now` from its stored timestamps."""
    if device.spec.programmes:
        _advance_programme(device, state, now)
    if "heating" in device.spec.extra:
        _advance_heating(device, state, now)
    if "cleaning" in device.spec.extra:
        _advance_vacuum(device, state, now)


def rebase(device: Device, state: dict[str, Any], now: float) -> None:
    """After a command, continue the device's curves from where they are now."""
    if "heating" in device.spec.extra:
        state.update(_t0=now, _temp0=state["water_temperature"])
    if "cleaning" in device.spec.extra:
        state.update(_t0=now, _battery0=state["battery"])

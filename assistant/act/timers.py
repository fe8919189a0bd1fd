"""Kitchen timers, kept in the state file so they outlive a single `assistant say`.

A timer is {id, name, seconds, ends_at} while running, or {id, name, seconds, left} while paused;
an alarm is a timer that also keeps the time of day it was set for (`at`, "07:00");
time comes from assistant.clock so tests can fix it. Each operation returns an outcome name and
the facts for the response template (timers.yaml): timer entries, lengths in seconds, times as "HH:MM",
which reply/timers.py puts in the language's words.
"""

from __future__ import annotations

from typing import Any

from assistant import clock
from assistant.home.state import StateStore
from assistant.language.times import seconds_until

Outcome = tuple[str, dict[str, Any]]


def left_of(timer: dict[str, Any], now: float) -> float:
    if "left" in timer:
        return max(0.0, float(timer["left"]))
    return max(0.0, float(timer["ends_at"]) - now)


def _timers_in(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in state.get("timers") or [] if isinstance(t, dict) and "seconds" in t]


class Timers:
    def __init__(self, store: StateStore):
        self.store = store

    def names(self) -> list[str]:
        try:
            timers = self.store.read().get("timers") or []
        except Exception:
            return []
        return [t["name"] for t in timers if isinstance(t, dict) and t.get("name")]

    def ring(self) -> list[Outcome]:
        """Take the timers and alarms that have run out off the list, one outcome each to announce."""
        if not self.store.path.exists():
            return []
        with self.store.transaction() as state:
            timers = _timers_in(state)
            now = clock.now()
            finished = [t for t in timers if left_of(t, now) <= 0]
            if not finished:
                return []
            state["timers"] = [t for t in timers if t not in finished]
        return [("alarm" if t.get("at") else "default", {"timer": t, "at": t.get("at") or ""}) for t in finished]

    def run(self, intent: str, slots: dict[str, Any]) -> Outcome:
        with self.store.transaction() as state:
            timers = _timers_in(state)
            now = clock.now()
            finished = [t for t in timers if left_of(t, now) <= 0]
            running = [t for t in timers if left_of(t, now) > 0]
            outcome = getattr(self, f"_{intent}")(running, slots, now, finished)
            state["timers"] = running
            return outcome

    def _chosen(self, timers: list[dict], slots: dict[str, Any]) -> tuple[list[dict], str | None]:
        name = slots.get("timer")
        if slots.get("alarm"):
            timers = [t for t in timers if t.get("at") and slots.get("time") in (None, t["at"])]
            if not timers:
                return [], "no_alarm"
        if slots.get("all"):
            return list(timers), None if timers else "none"
        if name:
            chosen = [t for t in timers if t.get("name") == name]
            return chosen, None if chosen else "no_such"
        if "duration" in slots and len(timers) > 1:
            chosen = [t for t in timers if t["seconds"] == slots["duration"]]
            if len(chosen) == 1:
                return chosen, None
        if len(timers) > 1:
            return list(timers), "which"
        return list(timers), None if timers else "none"

    def _fields(self, timers: list[dict], now: float, **extra: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {"timers": list(timers), "count": len(timers)}
        if timers:
            fields.update(timer=timers[0], left=left_of(timers[0], now), duration=timers[0]["seconds"])
        fields.update(extra)
        return fields

    def _start_timer(self, timers: list[dict], slots: dict, now: float, finished: list[dict]) -> Outcome:
        if slots.get("time"):
            return self._set_alarm(timers, slots["time"], now)
        seconds = slots.get("duration")
        if not seconds:
            return "no_duration", {}
        name = slots.get("timer")
        if name and any(t.get("name") == name for t in timers):
            return "exists", {"timer": {"name": name}}
        number = max([t["id"] for t in timers] + [0]) + 1
        timer = {"id": number, "name": name or "", "seconds": int(seconds), "ends_at": now + int(seconds)}
        timers.append(timer)
        return ("named" if name else "default"), self._fields([timer], now, name=name or "",
                                                             others=len(timers) - 1)

    def _set_alarm(self, timers: list[dict], at: str, now: float) -> Outcome:
        same = [t for t in timers if t.get("at") == at]
        if same:
            return "exists", {"timer": same[0]}
        seconds = seconds_until(at)
        number = max([t["id"] for t in timers] + [0]) + 1
        alarm = {"id": number, "name": "", "at": at, "seconds": seconds, "ends_at": now + seconds}
        timers.append(alarm)
        return "alarm", self._fields([alarm], now, at=at)

    def _cancel_timer(self, timers: list[dict], slots: dict, now: float, finished: list[dict]) -> Outcome:
        chosen, problem = self._chosen(timers, slots)
        if problem:
            return problem, self._fields(chosen, now, name=slots.get("timer", ""))
        for t in chosen:
            timers.remove(t)
        return ("all" if len(chosen) > 1 else "default"), self._fields(chosen, now)

    def _timer_status(self, timers: list[dict], slots: dict, now: float, finished: list[dict]) -> Outcome:
        done = list(finished)
        chosen, problem = self._chosen(timers, slots)
        if problem == "which":
            each = [{"timer": t, "left": left_of(t, now), "paused": "left" in t} for t in chosen]
            return "several", self._fields(chosen, now, each=each, done=done)
        if problem:
            return problem, self._fields(chosen, now, name=slots.get("timer", ""), done=done)
        outcome = "paused" if "left" in chosen[0] else "alarm" if chosen[0].get("at") else "default"
        return outcome, self._fields(chosen, now, done=done)

    def _pause_timer(self, timers: list[dict], slots: dict, now: float, finished: list[dict]) -> Outcome:
        chosen, problem = self._chosen(timers, slots)
        if problem:
            return problem, self._fields(chosen, now, name=slots.get("timer", ""))
        for t in chosen:
            if "ends_at" in t:
                t["left"] = round(t.pop("ends_at") - now)
        return "default", self._fields(chosen, now)

    def _resume_timer(self, timers: list[dict], slots: dict, now: float, finished: list[dict]) -> Outcome:
        chosen, problem = self._chosen(timers, slots)
        if problem == "which":
            paused = [t for t in chosen if "left" in t]
            chosen, problem = (paused, None) if len(paused) == 1 else (chosen, problem)
        if problem:
            return problem, self._fields(chosen, now, name=slots.get("timer", ""))
        for t in chosen:
            if "left" in t:
                t["ends_at"] = now + t.pop("left")
        return "default", self._fields(chosen, now)

    def _change(self, timers: list[dict], slots: dict, now: float, sign: int) -> Outcome:
        seconds = slots.get("duration")
        if not seconds:
            return "no_duration", {}
        plain = {k: v for k, v in slots.items() if k != "duration"}
        chosen, problem = self._chosen(timers, plain)
        if problem:
            return problem, self._fields(chosen, now, name=slots.get("timer", ""))
        for t in chosen:
            key = "left" if "left" in t else "ends_at"
            t[key] = max(now + 1 if key == "ends_at" else 1, t[key] + sign * int(seconds))
        return "default", self._fields(chosen, now, change=seconds)

    def _extend_timer(self, timers: list[dict], slots: dict, now: float, finished: list[dict]) -> Outcome:
        return self._change(timers, slots, now, +1)

    def _shorten_timer(self, timers: list[dict], slots: dict, now: float, finished: list[dict]) -> Outcome:
        return self._change(timers, slots, now, -1)

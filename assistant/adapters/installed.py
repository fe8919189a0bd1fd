"""Which adapters can be had, by name: the built-in ones and installed packages' entry points. Kept apart
from the adapter interface so that the home file's check of `adapter: NAME` needs nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "assistant.adapters"
# Adapters that ship with the assistant (also declared as entry points in pyproject.toml). They are
# loaded directly: scanning the installed packages' entry points (and importing importlib.metadata)
# costs a text command tens of milliseconds, so only a name that is not built in is looked up there.
BUILTIN = {
    "simulated": "assistant.adapters.simulated:SimulatedAdapter",
    "mqtt": "assistant.adapters.mqtt:MqttAdapter",
}


def entry_point(name: str) -> EntryPoint | None:
    """An installed package's adapter called `name`, or None."""
    from importlib.metadata import entry_points

    return next((ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name), None)


def adapter_installed(name: str) -> bool:
    """Whether a device's `adapter: NAME` can be had: built in, or an installed package's entry point."""
    return name in BUILTIN or entry_point(name) is not None


def installed_names() -> list[str]:
    from importlib.metadata import entry_points

    return sorted(set(BUILTIN) | {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})

"""Executing: a command on its target devices, through their adapters, behind the safety gate.

The result is structured (which devices did it, which already were so, which failed and why, what
changed, what a query read); assistant/reply/results.py turns it into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.act.safety import NO_APPROVAL, Approval, Gate
from assistant.adapters import AdapterRegistry, Change
from assistant.errors import AssistantError, StateError
from assistant.home.model import Device
from assistant.understand.command import Command


@dataclass
class Result:
    command: Command
    done: list[Device] = field(default_factory=list)
    already: list[Device] = field(default_factory=list)
    failed: list[AssistantError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    states: dict[str, dict[str, Any]] | None = None  # a query's readings, by device id
    devices: list[Device] = field(default_factory=list)  # the targets, in order

    @property
    def nothing_done(self) -> bool:
        return bool(self.failed) and not self.changes


class Executor:
    def __init__(self, adapters: AdapterRegistry, gate: Gate):
        self.adapters = adapters
        self.gate = gate

    def run(self, command: Command, devices: list[Device], approval: Approval = NO_APPROVAL) -> Result:
        """Do COMMAND on each device (one failing does not stop the others); a query only reads."""
        result = Result(command, devices=list(devices))
        spec = devices[0].commands.get(command.intent) if devices else None
        if spec is not None and spec.query:
            result.states = {d.id: self.state(d) for d in devices}
            return result
        for device in devices:
            try:
                self.gate.enforce(command.intent, [device], approval)
                change = self.adapters.for_device(device).execute(device, command.intent, command.slots)
            except StateError:
                raise  # the state file itself is broken: stop, don't report it as a device problem
            except AssistantError as exc:
                result.failed.append(exc)
                continue
            result.changes.append(change)
            (result.done if change.changed() or not change.before else result.already).append(device)
        return result

    def state(self, device: Device) -> dict[str, Any]:
        return self.adapters.for_device(device).state(device)

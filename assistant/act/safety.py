"""The safety gate: the one place that decides whether actions may reach devices.

types.yaml marks what is risky (unlocking, opening a garage door, lighting a gas hob). Every action,
whatever asked for it (a direct command, a twin reading, a follow-up, a scene, a custom intent, a
schedule coming due), is checked here before it is planned, and again by the executor just before it
reaches an adapter: a risky action runs only with an approval that a confirmation (and the PIN)
produced. Nothing risky is ever kept to run later without somebody asking at that time.

Wrong PINs are counted in the state file, so the count survives the process and a loop of
`assistant say` cannot guess a PIN: after MAX_WRONG wrong ones within WRONG_WINDOW seconds, risky
actions are refused for LOCKOUT seconds, doubling with each further lockout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant import clock
from assistant.errors import AssistantError
from assistant.home.model import Device, Home
from assistant.home.state import StateStore

MAX_WRONG = 5
WRONG_WINDOW = 600.0
LOCKOUT = 300.0

# (intent, device id) pairs a confirmation allowed
Approval = frozenset[tuple[str, str]]
NO_APPROVAL: Approval = frozenset()


class UnsafeAction(AssistantError):
    """A risky action reached the executor without an approval: a bug, refused rather than run."""


@dataclass(frozen=True)
class Risk:
    intent: str
    device: Device


@dataclass
class Verdict:
    """What the gate decided for a set of actions.

    outcome: "go" (nothing risky), "confirm" (ask yes/no), "pin" (ask the PIN), "refuse" (risky and
    for later: never kept), "locked" (risky while locked out after wrong PINs; `until` says when).
    """

    outcome: str
    risks: list[Risk] = field(default_factory=list)
    until: float = 0.0

    @property
    def approval(self) -> Approval:
        """What answering this verdict's question allows: exactly the risky actions it named."""
        return frozenset((r.intent, r.device.id) for r in self.risks)


def is_risky(device: Device, intent: str) -> bool:
    spec = device.commands.get(intent)
    return spec is not None and spec.risky


def risks_of(actions: Iterable[tuple[str, list[Device]]]) -> list[Risk]:
    return [Risk(intent, d) for intent, devices in actions for d in devices if is_risky(d, intent)]


class Gate:
    def __init__(self, home: Home, store: StateStore):
        self.home = home
        self.store = store

    @property
    def pin(self) -> str:
        """The home's PIN ("" for none); home.py checked at load that it is a string of 4-8 digits."""
        security = self.home.settings.get("security") or {}
        return str(security.get("pin") or "")

    def check(self, actions: Iterable[tuple[str, list[Device]]], later: bool = False) -> Verdict:
        """Decide for actions about to be done now, or (`later`) kept to be done at another time."""
        risks = risks_of(actions)
        if not risks:
            return Verdict("go")
        if later:
            return Verdict("refuse", risks)
        until = self.locked_until()
        if until:
            return Verdict("locked", risks, until)
        return Verdict("pin" if self.pin else "confirm", risks)

    def enforce(self, intent: str, devices: list[Device], approval: Approval) -> None:
        """The executor's last check: a risky action without an approval that names it never runs."""
        for device in devices:
            if is_risky(device, intent) and (intent, device.id) not in approval:
                raise UnsafeAction(f"refused to {intent.replace('_', ' ')} {device.name} without a confirmation")

    def locked_until(self) -> float:
        """When a lockout after wrong PINs ends (0.0: not locked out)."""
        security = _security(self.store.read())
        until = float(security.get("until") or 0)
        return until if until > clock.now() else 0.0

    def try_pin(self, said: str) -> str:
        """Check a PIN try, in one transaction (so concurrent tries are all counted): "right", "wrong"
        or "locked" (a lockout is on, or this try started one)."""
        now = clock.now()
        with self.store.transaction() as state:
            security = state["security"] = _security(state)
            if float(security.get("until") or 0) > now:
                return "locked"
            if said == self.pin:
                state["security"] = {}
                return "right"
            wrong = [t for t in security.get("wrong", []) if now - float(t) < WRONG_WINDOW] + [now]
            security["wrong"] = wrong
            if len(wrong) < MAX_WRONG:
                return "wrong"
            lockouts = int(security.get("lockouts") or 0) + 1
            security.update(wrong=[], lockouts=lockouts, until=now + LOCKOUT * 2 ** (lockouts - 1))
            return "locked"


def _security(state: dict) -> dict:
    security = state.get("security")
    return dict(security) if isinstance(security, dict) else {}

"""Who a device id on the broker belongs to: the home file, or the first announcement of it.

Anyone who can publish on a broker can announce a device, so discovery never lets a config take
over a device it did not create. A device id (and a unique id) is bound to the first claim of it:
its unique id, topics and device identifiers. A later config that claims the same id or unique id
with anything else is refused; the same claim again (a retained config read anew, a restarted
`assistant devices serve`) is the device announcing itself. A device of the home file can only be
announced on the topics the file gives it (or the `<base>/<id>` ones it gets without them).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import printable
from assistant.mqtt.discovery import Announcement, device_id_of, topics_in


@dataclass(frozen=True)
class Claim:
    """What an announcement says it is."""

    device_id: str
    unique_id: str | None
    topics: tuple[tuple[str, str], ...]  # (kind, topic): command, state, availability
    identifiers: tuple[str, ...]

    def differences(self, other: Claim) -> str:
        """How OTHER differs from this claim, in a few words for a warning."""
        ours, theirs = dict(self.topics), dict(other.topics)
        found = [f"{kind} topic {_quoted(theirs.get(kind))} instead of {_quoted(ours.get(kind))}"
                 for kind in ("command", "state", "availability") if ours.get(kind) != theirs.get(kind)]
        if self.unique_id != other.unique_id:
            found.append(f"unique id {_quoted(other.unique_id)} instead of {_quoted(self.unique_id)}")
        if self.identifiers != other.identifiers:
            found.append("other device identifiers")
        return ", ".join(found)


def claim_of(item: Announcement) -> Claim:
    """The claim an announcement makes (raises BadConfig if it names no usable id)."""
    config = item.config
    unique_id = config.get("unique_id")
    info = config.get("device") if isinstance(config.get("device"), dict) else {}
    identifiers = info.get("identifiers") or ()
    if not isinstance(identifiers, list):
        identifiers = [identifiers]
    return Claim(
        device_id=device_id_of(item),
        unique_id=str(unique_id) if isinstance(unique_id, (str, int)) and not isinstance(unique_id, bool) else None,
        topics=tuple(sorted(topics_in(config).items())),
        identifiers=tuple(sorted(str(i) for i in identifiers)),
    )


class Owners:
    """The claim each device id and unique id is bound to, for as long as the connection lives."""

    def __init__(self) -> None:
        self._claims: dict[str, Claim] = {}
        self._unique_ids: dict[str, str] = {}

    def refusal(self, claim: Claim, file_device: tuple[str, dict[str, str | None]] | None) -> str | None:
        """Why CLAIM may not have its device id, or None if it may. FILE_DEVICE: the name and topics of
        the home file's device with that id, if there is one."""
        owner = self._unique_ids.get(claim.unique_id) if claim.unique_id else None
        if owner is not None and owner != claim.device_id:
            return f"its unique id {_quoted(claim.unique_id)} belongs to '{owner}'"
        bound = self._claims.get(claim.device_id)
        if bound is not None and bound != claim:
            return (f"'{claim.device_id}' belongs to a device announced earlier; this one has "
                    f"{bound.differences(claim)} (if it really changed: clear its old retained config, "
                    "then restart the assistant)")
        if file_device is not None:
            name, topics = file_device
            wrong = [f"{kind} topic {_quoted(topic)}, not {_quoted(topics.get(kind))}"
                     for kind, topic in claim.topics if topics.get(kind) not in (None, topic)]
            if wrong:
                return (f"'{claim.device_id}' is the home file's {name}, and this config has " + ", ".join(wrong)
                        + " (give the device these topics in the home file if it really moved)")
        return None

    def bind(self, claim: Claim) -> None:
        """Give CLAIM its device id (and unique id) from now on."""
        self._claims.setdefault(claim.device_id, claim)
        if claim.unique_id:
            self._unique_ids.setdefault(claim.unique_id, claim.device_id)


def _quoted(text: str | None) -> str:
    return "none" if text is None else repr(printable(text))

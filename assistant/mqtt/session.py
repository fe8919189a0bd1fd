"""Putting a home on a broker for one command: connect, merge discovered devices, hand the
connection to the `mqtt` adapter.

With `--mqtt` and no home file, the home is the discovered devices alone (rooms from their
suggested areas), so `assistant say "turn on the floor lamp" --mqtt URL` needs no file at all.
"""

from __future__ import annotations

from assistant.home.model import Home
from assistant.mqtt.network import DeviceNetwork


def empty_home() -> Home:
    return Home(rooms={}, devices={}, settings={"name": "the devices on the broker"})


def connect(home: Home, url: str | None) -> DeviceNetwork:
    """Connect to the broker (raises BrokerError), merge discovered devices into HOME, and make the
    connection the one the `mqtt` adapter uses."""
    from assistant.mqtt.config import load_config
    from assistant.mqtt.link import Link

    section = home.settings.get("mqtt")
    base = home.path.parent if home.path is not None else None
    config = load_config(url, section if isinstance(section, dict) else None, base=base)
    network = DeviceNetwork(Link(config).connect())
    network.start(home)
    use(network, home)
    return network


def use(network: DeviceNetwork, home: Home) -> None:
    """Make NETWORK the connection the `mqtt` adapter of HOME uses."""
    _joined[id(home)] = (home, network)


def network_for(home: Home) -> DeviceNetwork | None:
    """The connection HOME was joined to by `connect`/`use`, if any."""
    joined = _joined.get(id(home))
    return joined[1] if joined is not None and joined[0] is home else None


_joined: dict[int, tuple[Home, DeviceNetwork]] = {}  # homes are few and live as long as the process

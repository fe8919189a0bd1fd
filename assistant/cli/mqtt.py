"""`assistant devices serve`: put the home's simulated devices on an MQTT broker."""

from __future__ import annotations

import signal
import time
from typing import Annotated, Optional

import typer

from assistant.cli.app import HomeOption, MqttOption, StateOption, echo, wiring
from assistant.cli.devices import devices_app

TICK_SECONDS = 1.0


@devices_app.command("serve")
def serve(
    mqtt: MqttOption = None,
    home: HomeOption = None,
    state: StateOption = None,
    node: Annotated[Optional[str], typer.Option("--node", help="Node id in the discovery topics.")] = None,
) -> None:
    """Run the home's simulated devices on a broker (discovery, state, commands) until Ctrl-C."""
    from assistant.home.model import load_home
    from assistant.mqtt.bridge import Bridge
    from assistant.mqtt.config import load_config
    from assistant.mqtt.discovery import slug
    from assistant.mqtt.link import Link

    setup = wiring(home, state)
    loaded = load_home(setup.options.home)
    section = dict(loaded.settings.get("mqtt") or {})
    node_id = slug(node or section.get("node_id", "") or "assistant_bridge")
    section.pop("node_id", None)
    section["client_id"] = f"bridge-{node_id}"
    config = load_config(mqtt, section, role="bridge", base=loaded.path.parent if loaded.path else None)
    link = Link(config).connect()
    bridge = Bridge(loaded, setup.store(), link, node_id, echo)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        bridge.start()
        typer.echo(f"Serving {len(bridge.devices)} devices of {loaded.settings.get('name') or 'the home'} "
                   f"on {config.describe()} (Ctrl-C to stop)")
        while True:
            time.sleep(TICK_SECONDS)
            bridge.tick()
    except KeyboardInterrupt:
        typer.echo("Stopped; the devices are announced as offline.")
    finally:
        link.close()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt

"""`assistant devices`: the home's devices and their live state."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from assistant.cli.app import HomeOption, JsonOption, MqttOption, StateOption, Setup, app

devices_app = typer.Typer(help="Devices of the home: list them with their state.", invoke_without_command=True)
app.add_typer(devices_app, name="devices")


def device_rows(setup: Setup) -> list[dict]:
    from assistant.adapters import AdapterRegistry
    from assistant.errors import AssistantError

    home = setup.load_home()
    registry = AdapterRegistry(home, setup.store())
    rows = []
    try:
        for device in home.devices.values():
            row = {"id": device.id, "name": device.name, "type": device.type, "room": device.room,
                   "adapter": device.adapter, "available": True, "state": {}}
            if device.device_class:
                row["class"] = device.device_class
            try:
                adapter = registry.for_device(device)
                row["available"] = adapter.available(device)
                row["state"] = adapter.state(device)
            except AssistantError as exc:
                if exc.exit_code == 3:  # the state file itself is the problem: say so, once
                    raise
                row["available"] = False
                row["error"] = str(exc)
            rows.append(row)
    finally:
        registry.close()
    return rows


@devices_app.callback()
def devices(
    ctx: typer.Context,
    json_out: JsonOption = False,
    home: HomeOption = None,
    state: StateOption = None,
    mqtt: MqttOption = None,
) -> None:
    """List the devices of the home with their live state."""
    if ctx.invoked_subcommand is not None:
        return
    rows = device_rows(Setup(home, state, mqtt=mqtt))
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title="Devices")
    for column in ("id", "name", "type", "room", "state"):
        table.add_column(column)
    for row in rows:
        state_text = ", ".join(f"{k}={v}" for k, v in row["state"].items())
        if not row["available"]:
            state_text = f"[red]unavailable[/red] {row.get('error', '')}"
        table.add_row(row["id"], row["name"], row["type"], row["room"] or "", state_text)
    Console().print(table)

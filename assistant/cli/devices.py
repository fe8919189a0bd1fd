"""`assistant devices`: the home's devices, their live state and whether they can be reached.

`devices` is a command group so that subcommands (e.g. `devices serve`) can be added to
`devices_app` by other modules; with no subcommand it lists the devices.
"""

from __future__ import annotations

import json
from typing import Any

import typer

from assistant.cli.app import HomeOption, JsonOption, MqttOption, StateOption, app, wiring

devices_app = typer.Typer(help="Devices of the home: list them with their live state.", invoke_without_command=True)
app.add_typer(devices_app, name="devices")


def device_rows(setup, home=None) -> list[dict[str, Any]]:
    """One row per device: id, name, type, room, adapter, available, state (+ class, error)."""
    from assistant.adapters import AdapterRegistry
    from assistant.errors import AssistantError, StateError

    home = home or setup.home()
    registry = AdapterRegistry(home, setup.store(), home.settings.get("adapters"))
    rows: dict[str, dict[str, Any]] = {}
    by_adapter: dict[str, list] = {}
    for device in home.devices.values():
        rows[device.id] = {"id": device.id, "name": device.name, "type": device.type, "room": device.room,
                           "adapter": device.adapter, "available": False, "state": {}}
        if device.device_class:
            rows[device.id]["class"] = device.device_class
        by_adapter.setdefault(device.adapter, []).append(device)
    try:
        for name, devices in by_adapter.items():
            try:
                adapter = registry.get(name)
                states = adapter.states(devices)
            except StateError:
                raise  # the state file itself is the problem: say so once, for everything
            except AssistantError as exc:
                for device in devices:
                    rows[device.id]["error"] = str(exc)
                continue
            for device in devices:
                row = rows[device.id]
                if device.id not in states:  # left out of the batch: read it alone, so the row says why
                    try:
                        states[device.id] = adapter.state(device)
                    except StateError:
                        raise
                    except AssistantError as exc:
                        row["error"] = str(exc)
                        continue
                row["available"] = adapter.available(device)
                row["state"] = states[device.id]
    finally:
        registry.close()
    return list(rows.values())


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
    setup = wiring(home, state, mqtt=mqtt)
    the_home = setup.home()
    rows = device_rows(setup, the_home)
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    _print_table(rows, the_home)


def _print_table(rows: list[dict[str, Any]], home) -> None:
    from rich.console import Console
    from rich.markup import escape as markup_escape
    from rich.table import Table

    from assistant.errors import printable

    def escape(text: str) -> str:  # shown as it is: no markup, terminal codes as escapes
        return markup_escape(printable(text))

    show_adapter = any(row["adapter"] != "simulated" for row in rows)
    table = Table(title=f"Devices ({len(rows)})", expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("room", no_wrap=True)
    if show_adapter:
        table.add_column("adapter", no_wrap=True)
    table.add_column("state", ratio=1, overflow="fold")
    for row in rows:
        kind = row.get("class") or row["type"]
        if row["available"]:
            device = home.devices[row["id"]]
            state_text = ", ".join(f"{k.replace('_', ' ')} [bold]{escape(_value(device, k, v))}[/bold]"
                                   for k, v in row["state"].items())
        else:
            state_text = f"[red]unavailable[/red] {escape(row.get('error', ''))}".rstrip()
        cells = [row["id"], kind, row["room"] or ""] + ([row["adapter"]] if show_adapter else [])
        table.add_row(*map(escape, cells), state_text)
    Console(highlight=False).print(table)


UNIT_SIGNS = {"celsius": "°C", "percent": "%", "kelvin": " K", "watt": " W", "lux": " lx", "ppm": " ppm",
              "microgram_per_cubic_meter": " µg/m³", "volt": " V", "ampere": " A", "volt_ampere": " VA", "var": " var",
              "kilowatt_hour": " kWh", "hertz": " Hz", "cubic_meter": " m³", "liter": " L", "hectopascal": " hPa",
              "dbm": " dBm", "decibel": " dB", "meter_per_second": " m/s", "kilometer_per_hour": " km/h", "meter": " m",
              "kilogram": " kg", "millimeter": " mm", "watt_per_square_meter": " W/m²"}


def _value(device, key: str, value: Any) -> str:
    """A property value as a person reads it in a table: on/off, 22 °C, 1:05:00 left, a sensor's state."""
    prop = device.properties.get(key)
    kind = device.spec.classes.get(device.device_class or "") if key == "value" else None
    if kind is not None and kind.two_state and kind.state_of(value):
        return str(kind.state_of(value))
    if key == "value" and kind is None and device.options.get("unit_of_measurement") and value not in ("", None):
        return f"{value} {device.options['unit_of_measurement']}"
    if isinstance(value, bool):
        return ("on" if value else "off") if key == "power" else ("yes" if value else "no")
    if value in ("", None):
        return "-"
    unit = prop.unit if prop is not None else None
    if unit == "second" and isinstance(value, (int, float)):
        minutes, seconds = divmod(int(value), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{UNIT_SIGNS.get(unit or '', '')}"

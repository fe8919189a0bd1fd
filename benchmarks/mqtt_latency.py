"""Command-to-confirmed-state latency over a real mosquitto broker, and how it holds with many devices.

Starts mosquitto on a free 127.0.0.1 port and `assistant devices serve` (the bridge, a separate
process) with the demo home and with a generated home of N lights; the assistant side runs in this
process: connect + discovery (timed), then commands through the `mqtt` adapter, each timed from
publish to the device's state report that confirms it.

    .venv/bin/python benchmarks/mqtt_latency.py [--commands 300] [--devices 1000]
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_broker(directory: Path, nodelay: bool) -> tuple[subprocess.Popen, int]:
    port = free_port()
    conf = directory / "mosquitto.conf"
    extra = "set_tcp_nodelay true\n" if nodelay else ""
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n{extra}user {getpass.getuser()}\n")
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    process = subprocess.Popen([mosquitto, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit("mosquitto did not start")


def big_home(path: Path, count: int) -> Path:
    rooms = [f"room_{i}" for i in range(count // 20 + 1)]
    lines = ["name: Big home", "rooms:"] + [f"  - {{id: {r}, name: Room {i}}}" for i, r in enumerate(rooms)]
    lines.append("devices:")
    for i in range(count):
        lines.append(f"  - {{id: light_{i}, name: Light {i}, type: light, room: {rooms[i // 20]}}}")
    path.write_text("\n".join(lines) + "\n")
    return path


def start_bridge(url: str, home: Path | None, state: Path) -> tuple[subprocess.Popen, float]:
    env = dict(os.environ, ASSISTANT_STATE=str(state))
    args = [str(BIN / "assistant"), "devices", "serve", "--mqtt", url] + (["--home", str(home)] if home else [])
    began = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("Serving"):
        raise SystemExit(f"bridge failed: {line}")
    return process, time.perf_counter() - began


def measure(url: str, target: str, commands: int, state: Path) -> dict[str, float]:
    from assistant.adapters import AdapterRegistry
    from assistant.mqtt.session import connect, empty_home
    from assistant.home.state import StateStore

    home = empty_home()
    began = time.perf_counter()
    network = connect(home, url)
    discovery_s = time.perf_counter() - began
    adapter = AdapterRegistry(home, StateStore(state)).get("mqtt")
    device = home.devices[target]
    times = []
    for i in range(commands):
        intent = "turn_on" if i % 2 == 0 else "turn_off"
        t0 = time.perf_counter_ns()
        adapter.execute(device, intent, {})
        times.append((time.perf_counter_ns() - t0) / 1e6)
    network.close()
    times.sort()
    return {
        "devices": len(home.devices), "discovery_s": discovery_s, "median_ms": statistics.median(times),
        "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))], "max_ms": times[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=300)
    parser.add_argument("--devices", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        rows = []
        big = big_home(directory / "big.yaml", args.devices)
        for label, home, target, nodelay in (
            ("demo home, mosquitto defaults", None, "floor_lamp", False),
            ("demo home, mosquitto set_tcp_nodelay", None, "floor_lamp", True),
            (f"{args.devices} lights, mosquitto defaults", big, "light_7", False),
            (f"{args.devices} lights, mosquitto set_tcp_nodelay", big, "light_7", True),
        ):
            broker, port = start_broker(directory, nodelay)
            url = f"mqtt://127.0.0.1:{port}"
            bridge, announce_s = start_bridge(url, home, directory / f"bridge-{port}.json")
            try:
                result = measure(url, target, args.commands, directory / "assistant.json")
            finally:
                bridge.terminate()
                bridge.wait()
                broker.terminate()
                broker.wait()
            rows.append((label, announce_s, result))
        print(f"{args.commands} commands (turn on/off alternately), each timed from publish to the confirming state report\n")
        print("| home, broker | devices discovered | bridge start + announce (s) | assistant connect + discovery (s) "
              "| median (ms) | p99 (ms) | max (ms) |")
        print("|---|---|---|---|---|---|---|")
        for label, announce_s, r in rows:
            print(f"| {label} | {r['devices']} | {announce_s:.2f} | {r['discovery_s']:.3f} | {r['median_ms']:.2f} "
                  f"| {r['p99_ms']:.2f} | {r['max_ms']:.2f} |")


if __name__ == "__main__":
    main()

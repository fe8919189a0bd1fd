"""Adapters found through the `assistant.adapters` entry point group: a real third-party package
(a module plus its .dist-info with entry_points.txt) put on PYTHONPATH, used by the real console script
(a process: PYTHONPATH is read at its start)."""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import pytest

PACKAGE = textwrap.dedent('''
    """A third-party adapter: a garden controller whose devices live in a JSON file of its own."""
    import json
    from pathlib import Path

    from assistant.adapters import Adapter, Change


    class GardenAdapter(Adapter):
        def _file(self):
            return Path(self.options["file"])

        def _load(self):
            return json.loads(self._file().read_text()) if self._file().exists() else {}

        def state(self, device):
            return self._load().get(device.id, {"power": False})

        def execute(self, device, intent, slots):
            data = self._load()
            before = data.get(device.id, {"power": False})
            after = {**before, "power": intent == "turn_on"}
            data[device.id] = after
            data.setdefault("_log", []).append([device.id, intent])
            self._file().write_text(json.dumps(data))
            return Change(device.id, before, after)


    class Faulty(Adapter):
        def state(self, device):
            raise RuntimeError("sensor bus timeout")

        def execute(self, device, intent, slots):
            raise RuntimeError("sensor bus timeout")


    NOT_AN_ADAPTER = object()
''')

ENTRY_POINTS = textwrap.dedent("""
    [assistant.adapters]
    garden = garden_adapter:GardenAdapter
    faulty = garden_adapter:Faulty
    broken = garden_adapter_missing_module:Adapter
    bogus = garden_adapter:NOT_AN_ADAPTER
""")


@pytest.fixture
def third_party(tmp_path: Path) -> dict:
    """A directory holding an installed-looking package; returns the env that puts it on the path."""
    site = tmp_path / "site"
    (site / "garden_adapter-1.0.dist-info").mkdir(parents=True)
    (site / "garden_adapter.py").write_text(PACKAGE)
    (site / "garden_adapter-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: garden-adapter\nVersion: 1.0\n")
    (site / "garden_adapter-1.0.dist-info" / "entry_points.txt").write_text(ENTRY_POINTS)
    return {"PYTHONPATH": str(site) + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home.yaml"
    path.write_text(textwrap.dedent(f"""
        adapters:
          garden: {{file: {tmp_path / 'garden.json'}}}
        rooms: [{{id: garden, name: Garden}}]
        devices:
          - {{id: garden_light, name: Garden Light, type: light, room: garden, adapter: garden}}
          - {{id: pond_pump, name: Pond Pump, type: switch, room: garden, adapter: faulty}}
          - {{id: fountain, name: Fountain, type: switch, room: garden, adapter: broken}}
          - {{id: gnome, name: Gnome Lamp, type: light, room: garden, adapter: bogus}}
          - {{id: shed_light, name: Shed Light, type: light, room: garden}}
    """))
    return path


def test_a_third_party_adapter_drives_its_device_through_say(cli_process, third_party, home, tmp_path):
    result = cli_process("say", "turn on the garden light", "--home", str(home), env=third_party)
    assert (result.code, result.out.strip(), result.err) == (0, "Turned on the garden light.", "")
    data = json.loads((tmp_path / "garden.json").read_text())
    assert data["_log"] == [["garden_light", "turn_on"]]
    rows = {r["id"]: r for r in cli_process("devices", "--json", "--home", str(home), env=third_party).json()}
    assert rows["garden_light"] == {"id": "garden_light", "name": "Garden Light", "type": "light", "room": "garden",
                                    "adapter": "garden", "available": True, "state": {"power": True}}
    assert rows["shed_light"]["available"] and rows["shed_light"]["adapter"] == "simulated"


def test_missing_broken_and_faulty_adapters_are_one_clear_line_each(cli_process, third_party, home):
    def reply(text: str) -> str:
        result = cli_process("say", text, "--home", str(home), env=third_party)
        assert "Traceback" not in result.err, result.err
        return result.out.strip()

    assert reply("turn on the fountain") == (
        "I can't reach the fountain: adapter 'broken' failed to load: "
        "ModuleNotFoundError: No module named 'garden_adapter_missing_module'.")
    assert reply("turn on the gnome lamp") == (
        "I can't reach the gnome lamp: adapter 'bogus' (garden_adapter:NOT_AN_ADAPTER) is not an Adapter class.")
    assert reply("turn on the pond pump") == (
        "The 'faulty' adapter failed to drive the pond pump: RuntimeError: sensor bus timeout.")


def test_devices_lists_unreachable_devices_as_unavailable(cli_process, third_party, home):
    result = cli_process("devices", "--json", "--home", str(home), env=third_party)
    assert result.code == 0, result.err
    rows = {r["id"]: r for r in result.json()}
    assert rows["pond_pump"]["available"] is False
    assert rows["pond_pump"]["error"] == "The 'faulty' adapter failed to read its devices: RuntimeError: sensor bus timeout"
    assert rows["garden_light"]["available"] is True
    table = cli_process("devices", "--home", str(home), env={**third_party, "COLUMNS": "200"})
    assert table.code == 0 and "unavailable The 'faulty' adapter failed" in table.out


def test_an_adapter_that_is_not_installed_is_refused_at_load_naming_those_that_are(cli_process, third_party, home):
    text = home.read_text().replace("adapter: garden}", "adapter: zwave}")
    home.write_text(text)
    line = text.splitlines().index(next(x for x in text.splitlines() if "zwave" in x)) + 1
    for command in (["say", "turn on the shed light"], ["devices"], ["parse", "turn on the shed light"]):
        result = cli_process(*command, "--home", str(home), env=third_party)
        assert (result.code, result.out) == (2, "")
        assert result.err.replace("mqtt, ", "") == (
            f"error: home file {home}:{line}: devices[0] (garden_light).adapter: no adapter named 'zwave' is installed "
            "(installed: bogus, broken, faulty, garden, simulated)\n")


def test_without_the_package_its_adapter_is_not_installed(cli, home):
    result = cli("say", "turn on the garden light", "--home", str(home))
    assert result.code == 2
    assert re.fullmatch(r"error: home file .*: devices\[0\] \(garden_light\).adapter: no adapter named 'garden' is "
                        r"installed \(installed: [a-z, ]*simulated[a-z, ]*\)", result.err.strip())


def test_one_failing_adapter_does_not_stop_the_rest_of_a_sentence(cli_process, third_party, home, tmp_path):
    """Several commands in one breath: the faulty adapter's part fails and is reported, the others still run."""
    result = cli_process("say", "turn on the pond pump and the garden light, then turn on the shed light",
                         "--home", str(home), "--json", env=third_party)
    assert result.code == 0 and "Traceback" not in result.err, result.err
    turn = result.json()
    assert "The 'faulty' adapter failed to drive the pond pump: RuntimeError: sensor bus timeout." in turn["reply"]
    assert re.search(r"Turned on the garden light( and|\. Turned on) the shed light", turn["reply"]), turn["reply"]
    assert json.loads((tmp_path / "garden.json").read_text())["_log"] == [["garden_light", "turn_on"]]
    rows = {r["id"]: r for r in cli_process("devices", "--json", "--home", str(home), env=third_party).json()}
    assert rows["shed_light"]["state"]["power"] is True

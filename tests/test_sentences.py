"""Every shipped sentence test file of every language, collected by pytest (one item per sentence or
dialogue), and the `assistant test` command run through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.testing.sentences import Runner, find_test_files, load_test_file

INTENTS = Path(__file__).resolve().parent.parent / "intents"
SHIPPED = INTENTS / "en" / "tests"
FILES = [load_test_file(path) for path in find_test_files(sorted(INTENTS.glob("*/tests")))]
ITEMS = [item for f in FILES if f.min_pass is None for item in f.items]
RATED = [f for f in FILES if f.min_pass is not None]


@pytest.fixture(scope="module")
def runner():
    with Runner() as shared:
        yield shared


@pytest.mark.parametrize("item", ITEMS, ids=[f"{item.file.parent.parent.name}/{item.id}" for item in ITEMS])
def test_sentence(runner, item):
    outcome = runner.run(item)
    assert outcome.passed, "\n".join(outcome.problems)


@pytest.mark.long(100)
@pytest.mark.parametrize("test_file", RATED, ids=[f"{f.path.parent.parent.name}/{f.path.name}" for f in RATED])
def test_rated_file(runner, test_file):
    """Files with `min_pass` (the ASR-noise and rejection sets) pass on their share of items."""
    outcomes = [runner.run(item) for item in test_file.items]
    passed = sum(o.passed for o in outcomes)
    failures = "\n".join(f"{o.item.id}: {'; '.join(o.problems)}" for o in outcomes if not o.passed)
    assert passed / len(outcomes) >= test_file.min_pass, f"{passed}/{len(outcomes)} passed:\n{failures}"


def test_shipped_sets_are_big_enough():
    names = {f.path.name: len(f.items) for f in FILES if f.path.parent == SHIPPED}
    assert names.get("reject.yaml", 0) >= 120
    assert names.get("asr_noise.yaml", 0) >= 100
    for language in ("en", "ko"):
        [table] = [f for f in FILES if f.path == INTENTS / language / "tests" / "polarity.yaml"]
        negated = [item for item in table.items if item.turns[0][1].reject]
        assert len(negated) >= 40 and len(table.items) - len(negated) >= 20, language


def test_assistant_test_command_reports_and_fails(cli, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "tests:\n"
        "  - sentences: ['turn on the floor lamp']\n"
        "    intent: turn_on\n"
        "    targets: [floor_lamp]\n"
        "    state: {floor_lamp: {power: true}}\n"
        "  - sentences: ['turn off the floor lamp']\n"
        "    intent: turn_on\n"
        "  - sentences: ['tell me a joke']\n"
        "    reject: true\n"
    )
    result = cli("test", str(path))
    assert result.code == 1
    assert "FAIL" in result.out and "2/3 passed" in result.out
    assert "expected intent turn_on, got turn_off" in result.out
    assert "2 passed, 1 failed" in result.out
    ok = tmp_path / "ok.yaml"
    ok.write_text("tests:\n  - sentences: ['turn on the floor lamp', 'floor lamp on']\n    intent: turn_on\n")
    result = cli("test", str(ok))
    assert result.code == 0, result.out
    assert "2 passed, 0 failed" in result.out


def test_each_item_starts_from_a_fresh_state(cli, tmp_path, state_file):
    """The first case leaves the lamp on; the second must still find it off; the user's state is untouched."""
    path = tmp_path / "fresh.yaml"
    path.write_text(
        "tests:\n"
        "  - sentences: ['turn on the floor lamp']\n"
        "    state: {floor_lamp: {power: true}}\n"
        "  - sentences: ['is the floor lamp on']\n"
        "    reply: 'No, the floor lamp is off.'\n"
        "dialogues:\n"
        "  - name: on then ask\n"
        "    turns:\n"
        "      - {say: 'turn on the floor lamp', reply: 'Turned on the floor lamp.'}\n"
        "      - {say: 'is the floor lamp on', reply: 'Yes, the floor lamp is on.'}\n"
    )
    result = cli("test", str(path))
    assert result.code == 0, result.out
    assert not state_file.exists()


def test_bad_test_file_is_one_clear_line(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("tests:\n  - sentences: ['turn on the floor lamp']\n    intnet: turn_on\n")
    result = cli("test", str(path))
    assert result.code == 2
    assert result.err.strip() == f"error: {path}:3: unknown key 'intnet' in a test case (allowed: " \
        "audio, commands, home, intent, now, reject, reply, room, sentences, setup, slots, state, targets)"


def test_audio_case_with_a_missing_recording_is_an_error(cli, tmp_path):
    """A recording that isn't there is reported as an error of that case, not a pass and not a crash."""
    path = tmp_path / "audio.yaml"
    path.write_text("tests:\n  - audio: lamp.wav\n    intent: turn_on\n")
    result = cli("test", str(path))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "error: audio.yaml:2:audio lamp.wav" in result.out
    assert f"error: {tmp_path / 'lamp.wav'}: no such file" in result.out


def test_shipped_noise_set_is_what_the_generator_makes(tmp_path):
    """The ASR-noise set is generated (seeded) from the positive tests; after they change, re-run
    `.venv/bin/python benchmarks/asr_noise.py` and commit the result."""
    import subprocess
    import sys

    out = tmp_path / "asr_noise.yaml"
    script = SHIPPED.parent.parent.parent / "benchmarks" / "asr_noise.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)
    assert out.read_text() == (SHIPPED / "asr_noise.yaml").read_text(), \
        "intents/en/tests/asr_noise.yaml is stale: run .venv/bin/python benchmarks/asr_noise.py"

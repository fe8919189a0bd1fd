"""The command line on weird text (argv and stdin): a sensible exit code and never a traceback."""

from __future__ import annotations

import json
import os
import subprocess

from conftest import BIN
from fuzzing import NASTY_WORDS, fuzz
from hypothesis import given
from hypothesis import strategies as st

# argv cannot carry NUL; everything else goes.
argv_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=60),
    st.lists(st.sampled_from([w for w in NASTY_WORDS if "\x00" not in w and "\ud800" not in w]
                             + ["turn", "on", "off", "the", "lamp", "floor", "tv", "kitchen"]), max_size=12).map(" ".join),
)


def check(result) -> None:
    assert "Traceback" not in result.err, result.err
    assert result.code in (0, 1, 2), (result.code, result.err)
    if result.code == 0:
        for line in result.out.splitlines():
            data = json.loads(line)
            assert set(data) == {"text", "commands"}


@fuzz(12)
@given(text=argv_text)
def test_parse_json_with_weird_argv(cli, text):
    check(cli("parse", "--json", "--", text))


@fuzz(6)
@given(lines=st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=40), max_size=5))
def test_parse_json_with_weird_stdin(cli, lines):
    result = cli("parse", "--json", input="\n".join(lines) + "\n")
    check(result)
    assert result.code == 0
    assert [d["text"] for d in result.json_lines()] == [line for line in lines if line.strip()]


@fuzz(6)
@given(text=argv_text)
def test_say_with_weird_argv(cli, text):
    result = cli("say", "--", text)
    assert "Traceback" not in result.err, result.err
    assert result.code in (0, 1), (result.code, result.err)
    assert result.out.strip(), "every say prints a reply"


def test_bytes_that_are_not_utf8_in_argv_and_stdin(tmp_path):
    """Non-UTF-8 bytes from a terminal or a pipe do not crash the JSON output."""
    env = {**os.environ, "ASSISTANT_STATE": str(tmp_path / "state.json"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for args, stdin in (([b"parse", b"--json", b"turn on the \xff\xfe tv"], b""),
                        ([b"parse", b"--json"], b"turn on the \xff tv\n\x80\n"),
                        ([b"say", b"turn on the \xff tv"], b"")):
        proc = subprocess.run([str(BIN / "assistant"), *args], input=stdin, capture_output=True, env=env, timeout=60)
        assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")
        assert proc.returncode in (0, 1), proc.stderr
        if args[0] == b"parse":
            lines = [json.loads(line) for line in proc.stdout.splitlines()]
            assert lines and all(set(line) == {"text", "commands"} for line in lines)

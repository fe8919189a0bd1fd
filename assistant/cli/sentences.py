"""`assistant test PATH...`: run sentence test files through the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.app import HomeOption, IntentsOption, app


@app.command("test")
def test_sentences(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Test files or directories; default: the shipped English tests.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every item, not only failures.")] = False,
    home: HomeOption = None,
    intents: IntentsOption = None,
) -> None:
    """Run sentence tests (YAML: sentences -> intent, slots, targets, reply, device state); exit 1 on failure."""
    from assistant.resources import intents_dir
    from assistant.testing.sentences import Runner, run_files

    paths = paths or [intents_dir("en") / "tests"]
    failed_files = 0
    total = passed = 0
    with Runner(home=home, extra_intents=intents) as runner:
        for result in run_files(paths, runner):
            count = len(result.outcomes)
            total += count
            passed += result.passed
            need = f" (needs {result.file.min_pass:.0%})" if result.file.min_pass is not None else ""
            mark = "ok  " if result.ok else "FAIL"
            typer.echo(f"{mark} {result.file.path}: {result.passed}/{count} passed{need}")
            failed_files += not result.ok
            for outcome in result.outcomes:
                if outcome.passed and not verbose:
                    continue
                status = "pass" if outcome.passed else ("error" if outcome.error else "fail")
                typer.echo(f"  {status}: {outcome.item.id}")
                for problem in outcome.problems:
                    typer.echo(f"      {problem}")
    typer.echo(f"{passed} passed, {total - passed} failed")
    if failed_files:
        raise typer.Exit(1)

"""`assistant state`: the state file of simulated devices, timers and context; `reset` is the way
out of a damaged one."""

from __future__ import annotations

import typer

from assistant.cli.app import StateOption, app

state_app = typer.Typer(help="The state file: where it is, and starting afresh.", no_args_is_help=True)
app.add_typer(state_app, name="state")


@state_app.command()
def path(state: StateOption = None) -> None:
    """Where the state file is."""
    from assistant.home.state import StateStore

    typer.echo(str(StateStore(state).path))


@state_app.command()
def reset(state: StateOption = None) -> None:
    """Start afresh: devices back to how the home file says, no timers, no context; the old file is kept."""
    from assistant.home.state import StateStore

    store = StateStore(state)
    kept = store.reset()
    if kept is None:
        typer.echo(f"No state file at {store.path}: nothing to reset.")
    else:
        typer.echo(f"Started afresh; the old state file is kept as {kept}.")

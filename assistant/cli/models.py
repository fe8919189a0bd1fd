"""`assistant models`: the speech models that can be downloaded and the ones installed."""

from __future__ import annotations

import json

import typer

from assistant.cli.app import JsonOption, app

models_app = typer.Typer(help="Speech models: list, download, remove, and where they live.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def list_models(json_out: JsonOption = False) -> None:
    """The catalog of downloadable models and the models installed here."""
    from assistant.speech.models import installed_models, load_catalog

    installed = installed_models()
    by_name = {m.name: m for m in installed}
    rows = []
    for entry in load_catalog():
        model = by_name.pop(entry.name, None)
        rows.append({"name": entry.name, "language": entry.language, "size": entry.size,
                     "installed": str(model.path) if model else None, "source": model.source if model else "catalog"})
    for model in by_name.values():
        rows.append({"name": model.name, "language": model.language, "size": None, "installed": str(model.path),
                     "source": model.source})
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    from rich.console import Console  # not at import time: every other command would pay for it
    from rich.table import Table

    table = Table(title="Speech models")
    for column in ("name", "language", "size", "installed"):
        table.add_column(column)
    for row in rows:
        where = f"{row['installed']} ({row['source']})" if row["installed"] else "-"
        table.add_row(row["name"], row["language"] or "?", row["size"] or "", where)
    Console().print(table)
    typer.echo("Without a vosk model, English speech uses pocketsphinx's bundled model. "
               "Get one with: assistant models download NAME")


class _Progress:
    """A rich progress bar for a download of known or unknown size."""

    def __init__(self):
        from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

        self.progress = Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                                 TransferSpeedColumn(), transient=False)
        self.task = None

    def start(self, name: str, total: int | None) -> None:
        self.progress.start()
        self.task = self.progress.add_task(name, total=total)

    def advance(self, amount: int) -> None:
        self.progress.advance(self.task, amount)

    def stop(self) -> None:
        self.progress.stop()


@models_app.command()
def download(name: str = typer.Argument(help="Model name from `assistant models list`.")) -> None:
    """Download, check and unpack a model into the user data directory."""
    from assistant.speech.models import download_model, load_catalog

    path, sha256 = download_model(name, _Progress())
    pinned = next((e.sha256 for e in load_catalog() if e.name == name), None)
    typer.echo(f"installed {name} at {path}")
    typer.echo(f"sha256 {sha256}" + (" (verified)" if pinned else " (not in the catalog: pin it there to verify next time)"))


@models_app.command()
def remove(name: str = typer.Argument(help="Name of a downloaded model.")) -> None:
    """Delete a downloaded model."""
    from assistant.speech.models import remove_model

    typer.echo(f"removed {name} ({remove_model(name)})")


@models_app.command()
def path(name: str = typer.Argument(None, help="A model name; without it, the folder downloads go to.")) -> None:
    """Where a model is installed (or where downloads go)."""
    from assistant.speech.models import find_model, user_models_dir

    typer.echo(str(find_model(name) if name else user_models_dir()))

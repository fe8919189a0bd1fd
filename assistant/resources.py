"""Where shipped data lives: inside the wheel, or in the source tree when installed editable."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE.parent


def data_path(*parts: str) -> Path:
    """Path of a shipped data file (intents/, models/catalog.yaml)."""
    packaged = _PACKAGE.joinpath("_data", *parts)
    if packaged.exists():
        return packaged
    return _SOURCE_ROOT.joinpath(*parts)


def intents_dir(language: str = "en") -> Path:
    return data_path("intents", language)


def demo_home_path() -> Path:
    return _PACKAGE / "homes" / "demo.yaml"

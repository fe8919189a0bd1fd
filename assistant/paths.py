"""The user's directories for config, data and cache."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "assistant"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP))


def history_path() -> Path:
    path = data_dir() / "chat_history"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path

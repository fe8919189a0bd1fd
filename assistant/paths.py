"""The user's directories for config, data and cache."""

from __future__ import annotations

import os
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
    """The chat history file, created owner-only: it holds everything the user typed."""
    path = data_dir() / "chat_history"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    return path

"""An offline voice assistant for the home."""

__version__ = "0.1.0"

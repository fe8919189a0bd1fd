"""Device adapters: how a command reaches a device. Third parties add one through the
`assistant.adapters` entry point group."""

from assistant.adapters.base import Adapter, AdapterError, AdapterRegistry, Change

__all__ = ["Adapter", "AdapterError", "AdapterRegistry", "Change"]

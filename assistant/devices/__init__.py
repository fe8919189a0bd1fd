"""Device types and their capabilities (properties and commands), loaded from types.yaml."""

from assistant.devices.spec import Command, DeviceType, Property, device_types

__all__ = ["Command", "DeviceType", "Property", "device_types"]

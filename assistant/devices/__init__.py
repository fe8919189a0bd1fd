"""Device types and their capabilities (properties and commands), loaded from types.yaml."""

from assistant.devices.spec import BadValue, Command, DeviceClass, DeviceType, Property, device_types

__all__ = ["BadValue", "Command", "DeviceClass", "DeviceType", "Property", "device_types"]

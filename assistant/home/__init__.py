"""The home: rooms, devices and scenes from the home file, device types, the state store."""

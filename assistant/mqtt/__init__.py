"""Devices over an MQTT broker: connection settings, the link to the broker, Home Assistant
discovery, payload conventions, and the bridge that puts simulated devices on a broker.

Nothing here imports paho at module import time; only `link.py` does, inside its functions.
"""

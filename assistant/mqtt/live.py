"""A long-running assistant (chat, listen) whose home follows MQTT discovery."""

from __future__ import annotations

from assistant.mqtt.network import DeviceNetwork
from assistant.pipeline import Assistant


class LiveAssistant(Assistant):
    """An assistant whose home follows discovery: announced devices become nameable, removed ones go."""

    def __init__(self, home, store, intents, network: DeviceNetwork):
        super().__init__(home, store, intents)
        self.network = network

    def _follow_discovery(self) -> None:
        if self.network.apply_discovery(self.home):
            self.home_changed()

    def handle(self, text: str):
        self._follow_discovery()
        return super().handle(text)

    def parse(self, text: str):
        self._follow_discovery()
        return super().parse(text)

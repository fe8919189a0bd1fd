"""Acting on commands: resolve targets, dialogue, the safety gate, schedule, timers, scenes."""

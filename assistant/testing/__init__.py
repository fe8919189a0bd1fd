"""The sentence-test runner: YAML files of sentences, dialogues and recordings with what they must do."""

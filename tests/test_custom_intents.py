"""Custom intents: a YAML file in --intents DIR or <config dir>/intents, no code."""

from __future__ import annotations

CUSTOM = """
intents:
  order_pizza:
    data:
      - sentences:
          - "order [a|me a] {topping} pizza"
          - "i (want|would like) a {topping} pizza"
lists:
  topping:
    values: [margherita, pepperoni, {in: four cheese, out: quattro formaggi}]
responses:
  order_pizza: "Ordering a {topping} pizza."
"""


def test_custom_intent_from_intents_option_parses_and_replies(cli, tmp_path):
    directory = tmp_path / "my-intents"
    directory.mkdir()
    (directory / "pizza.yaml").write_text(CUSTOM)
    parsed = cli("parse", "--json", "--intents", str(directory), "order a four cheese pizza").json()
    assert parsed["commands"][0]["intent"] == "order_pizza"
    assert parsed["commands"][0]["slots"] == {"topping": "quattro formaggi"}
    said = cli("say", "--intents", str(directory), "I would like a pepperoni pizza")
    assert said.code == 0
    assert said.out.strip() == "Ordering a pepperoni pizza."


def test_custom_intent_from_config_directory(cli, tmp_path):
    directory = tmp_path / "xdg-config" / "assistant" / "intents"
    directory.mkdir(parents=True)
    (directory / "pizza.yaml").write_text(CUSTOM)
    assert cli("say", "order me a margherita pizza").out.strip() == "Ordering a margherita pizza."
    # the built-in intents still work beside it
    assert cli("say", "turn on the floor lamp").out.strip() == "Turned on the floor lamp."


def test_without_the_custom_file_the_sentence_is_not_understood(cli):
    result = cli("say", "order a pepperoni pizza")
    assert result.code == 1

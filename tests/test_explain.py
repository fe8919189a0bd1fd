"""`assistant parse --explain`: why a sentence matched, and what lost."""

from __future__ import annotations

CONTRACT = {"intent", "slots", "targets", "confidence", "match"}


def test_rule_match_names_template_source_and_slots(cli):
    result = cli("parse", "--explain", "turn on the kitchen light")
    assert result.code == 0, result.err
    out = result.out
    assert "turn_on name=kitchen light -> kitchen_light" in out
    assert "rule match: template '(turn|switch|power|flip) on <target>'" in out and "power.yaml" in out
    assert "slots from words: {'name': 'kitchen light'}" in out
    assert "rejected: turn_on area=kitchen type=light" in out


def test_a_follow_up_fragment_shows_its_own_template(cli):
    out = cli("parse", "--explain", "set timers for 5 and 10 minutes").out
    assert "words: set timers for 5 minutes and 10 minutes" in out  # the unit said once, spelled out for each
    assert "start_timer duration=600" in out
    assert "rule match: template '[for] {duration} [one]'" in out and "None match" not in out


def test_fuzzy_match_shows_corrections_and_scores(cli):
    out = cli("parse", "--explain", "uh turn on thee floor lamp").out
    assert "turn_on name=floor lamp -> floor_lamp" in out
    assert "fuzzy match: template '(turn|switch|power|flip) on <target>'" in out
    assert "skipped 'uh'" in out
    assert "'thee' spelled like 'the'" in out or "'thee' spelled like 'these'" in out  # both templates say either
    assert "cost " in out


def test_fuzzy_name_correction_is_shown(cli):
    out = cli("parse", "--explain", "turn on the flor lamp").out
    assert "'flor lamp' name 'floor lamp' (+0.40)" in out
    assert "rejected: turn_on type=light" in out and "skipped beside a name 'flor'" in out


def test_not_understood_lists_the_readings_below_threshold(cli):
    out = cli("parse", "--explain", "my sister turned off the tv").out
    assert "not understood" in out
    assert "turn_off name=tv confidence 0.37 < 0.55; skipped 'my' (+0.60), skipped 'sister'" in out


def test_json_explain_keeps_the_contract_keys(cli):
    data = cli("parse", "--json", "--explain", "switch on the kichen light").json()
    [command] = data["commands"]
    assert set(command) == CONTRACT | {"explain"}
    assert command["match"] == "fuzzy" and command["targets"] == ["kitchen_light"]
    explain = command["explain"]
    assert explain["match"] == "fuzzy" and explain["template"] and explain["source"].endswith("power.yaml")
    assert {"kind": "name", "heard": "kichen light", "used": "kitchen light"}.items() <= explain["corrections"][0].items()
    plain = cli("parse", "--json", "switch on the kichen light").json()
    assert set(plain) == {"text", "commands"} and set(plain["commands"][0]) == CONTRACT

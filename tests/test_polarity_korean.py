"""Korean commands never flip: verb endings and negations are read by rule (intents/ko/forms/endings.yaml),
and the fuzzy layer compares Hangul by its jamo, so an ending it does not know is never read as the
opposite verb. The polarity table itself is intents/ko/tests/polarity.yaml."""

from __future__ import annotations

import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from assistant.errors import IntentFileError
from assistant.home.model import load_home
from assistant.understand.engine import Understander
from assistant.language.forms import load_forms
from assistant.understand.spelling import sound_key
from assistant.pipeline import load_intent_set
from assistant.act.resolve import home_lists
from assistant.resources import intents_dir

HOME = intents_dir("ko") / "tests" / "homes" / "home.yaml"


@pytest.fixture(scope="module")
def understander() -> Understander:
    return Understander(load_intent_set("ko"), home_lists(load_home(HOME)))


def intents_of(understander: Understander, text: str) -> list[str]:
    result = understander.understand(text)
    return [c.intent for c in result.commands + result.ambiguous]


def test_the_issue_sentences_through_the_console_script(cli):
    """As measured in the issue: four of these turned the light on."""
    forms = ["꺼라", "끄세요", "꺼 주세요", "켜지 마", "켜지마", "안 켜", "끄지 마"]
    lines = "".join(f"거실 조명 {form}\n" for form in forms)
    got = [[(c["intent"], c["targets"]) for c in line["commands"]]
           for line in cli("parse", "--home", str(HOME), "--json", input=lines).json_lines()]
    assert got == [[("turn_off", ["living_light"])]] * 3 + [[]] * 4


def test_endings_are_read_away_and_negations_marked(understander):
    assert understander.tokens("거실 조명을 꺼 주시겠어요?") == ["거실", "조명", "꺼"]
    assert understander.tokens("침실 조명 켜지말아줘") == ["침실", "조명", "안", "켜"]
    assert understander.tokens("거실 조명 켤 필요 없어") == ["거실", "조명", "안", "켜"]
    assert understander.tokens("조명이 켜져 있어") == ["조명", "켜져", "있어"]  # a state, not an ending


def test_hangul_has_a_sound_key_of_its_own():
    """Metaphone gave every Hangul word the empty key, so "꺼라" sounded like "켜줘" and turned the light on."""
    assert sound_key("꺼라") != sound_key("켜줘") and sound_key("켜") != sound_key("꺼")
    assert sound_key("거실에") == sound_key("거시레")  # a silent ㅇ lets the consonant before it carry over


HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)


@pytest.mark.long(70)
@fuzz(150)
@given(ending=st.text(HANGUL, min_size=1, max_size=3), spaced=st.booleans())
def test_an_unknown_ending_never_flips_the_verb(understander, ending, spaced):
    """Whatever follows 꺼 or 끄 ("꺼뤼", "끄 얍"), the sentence is never a turn_on, and the reverse."""
    join = " " if spaced else ""
    for stem, opposite in (("꺼", "turn_on"), ("끄", "turn_on"), ("켜", "turn_off")):
        text = f"거실 조명 {stem}{join}{ending}"
        assert opposite not in intents_of(understander, text), text


@pytest.mark.parametrize("text", ["거실 조멍 켜 줘", "스텐드 켜 줘", "에어콘 꺼 줘"])
def test_a_misspelt_name_is_still_found(understander, text):
    """Compared by jamo, "조멍" is one letter from "조명"."""
    [command] = understander.understand(text).commands
    assert command.match == "fuzzy" and command.intent == ("turn_off" if "꺼" in text else "turn_on")


@pytest.mark.parametrize("content, message", [
    ("verbs: [켜]\n", "each verb needs 'form' and 'stem' (text)"),
    ("requests: 라\n", "'requests' must be a list of text"),
    ("negations: [지 마]\n", "'negation' must be the word a negation is read as"),
    ("- a list\n", "expected a mapping of verbs, requests, negations and particles"),
])
def test_a_bad_forms_file_is_one_clear_line(tmp_path, content, message):
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "endings.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(IntentFileError) as caught:
        load_forms(tmp_path)
    assert str(caught.value).startswith(str(tmp_path / "forms" / "endings.yaml")) and message in str(caught.value)


def test_every_negation_the_forms_read_stops_reading_from_parts(understander):
    """Each verb of forms/endings.yaml with each negating ending, after a device and before one, keeps a negation
    of the compose lexicon (intents/ko/words/compose.yaml: the forms' "안", or "없어" where the verb's form is
    also a number: "칠 필요 없어"), and a command is never read from its parts."""
    import unicodedata

    from assistant.language.compose_words import compose_words
    from assistant.yamlfile import load_yaml

    endings = load_yaml(intents_dir("ko") / "forms" / "endings.yaml")
    negations = compose_words("ko").negations
    assert (endings["negation"],) in negations
    missed = []
    stems = {verb[key] for verb in endings["verbs"] for key in ("stem",)}
    for stem in sorted(stems):
        for ending in endings["negations"]:
            first, _, rest = ending.partition(" ")
            if unicodedata.name(first[0]).startswith("HANGUL LETTER"):  # "ㄹ 필요 없어": a final consonant of the stem
                final = unicodedata.lookup(unicodedata.name(first[0]).replace("LETTER", "JONGSEONG"))
                said = unicodedata.normalize("NFC", unicodedata.normalize("NFD", stem) + final + first[1:])
            else:
                said = stem + first
            for text in (f"거실 조명 {said} {rest}".strip(), f"{said} {rest} 거실 조명 좀".replace("  ", " ")):
                tokens = understander.tokens(text)
                negated = any((token,) in negations for token in tokens)
                if not negated or understander.composer.compose(tokens) is not None:
                    missed.append((text, tokens))
    assert not missed

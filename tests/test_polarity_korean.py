"""Korean commands never flip: the fuzzy layer compares Hangul by its jamo, so a word it does not know is
never read as the opposite verb."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.home import load_home
from assistant.nlu.engine import Understander
from assistant.nlu.spelling import sound_key
from assistant.pipeline import load_intent_set
from assistant.resolve import home_lists

HOME = Path(__file__).parent / "data" / "korean_home.yaml"


@pytest.fixture(scope="module")
def understander() -> Understander:
    return Understander(load_intent_set("ko"), home_lists(load_home(HOME)))


def test_hangul_has_a_sound_key_of_its_own(understander):
    """Metaphone gave every Hangul word the empty key, so "꺼라" sounded like "켜줘" and turned the light on."""
    assert sound_key("꺼라") != sound_key("켜줘") and sound_key("켜") != sound_key("꺼")
    assert sound_key("거실에") == sound_key("거시레")  # a silent ㅇ lets the consonant before it carry over
    for text in ("거실 조명 꺼라", "거실 조명 끄세요", "거실 조명 켜지마", "거실 조명 안 켜"):
        assert [c.intent for c in understander.understand(text).commands] != ["turn_on"], text


@pytest.mark.parametrize("text", ["거실 조멍 켜 줘", "스텐드 켜 줘", "거실 에어콘 꺼 줘"])
def test_a_misspelt_name_is_still_found(understander, text):
    """Compared by jamo, "조멍" is one letter from "조명"."""
    [command] = understander.understand(text).commands
    assert command.match == "fuzzy" and command.intent == ("turn_off" if "꺼" in text else "turn_on")
